//! Reference codes and response ids made on the device from entropy the caller supplies.

/// Letters and digits that cannot be mistaken for one another when read aloud or
/// handwritten: no 0/O, 1/I/L, 5/S, 2/Z, 8/B or U/V.
pub const ALPHABET: &[u8] = b"34679ACDEFGHJKMNPQRTWXY";

/// A short reference such as `KX7P-3M4Q`, from 8 random bytes.
///
/// Each byte picks a character; bytes in the biased tail are folded back with the next
/// byte so every character is equally likely (rejection sampling with reuse).
pub fn reference_code(entropy: &[u8; 16]) -> String {
    let n = ALPHABET.len();
    let limit = 256 - (256 % n);
    let mut chars = Vec::with_capacity(9);
    let mut bytes = entropy.iter().copied();
    while chars.len() < 8 {
        let Some(b) = bytes.next() else {
            // Out of unbiased bytes (vanishingly rare): take the remainder, slightly biased.
            let fill = entropy[chars.len()] as usize % n;
            chars.push(ALPHABET[fill]);
            continue;
        };
        if (b as usize) < limit {
            chars.push(ALPHABET[b as usize % n]);
        }
    }
    let code: String = chars.into_iter().map(char::from).collect();
    format!("{}-{}", &code[..4], &code[4..])
}

/// Whether `code` is a reference code as [`reference_code`] makes: four characters of
/// [`ALPHABET`], a hyphen, four more.
pub fn is_reference_code(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() == 9 && b[4] == b'-' && b.iter().enumerate().all(|(i, c)| i == 4 || ALPHABET.contains(c))
}

/// A reference code as a person may type it (`kx7p 3m4q`, `KX7P3M4Q`): upper case, spaces
/// and hyphens dropped, the hyphen put back. `None` unless the result is a valid code.
pub fn normalise_reference(typed: &str) -> Option<String> {
    let chars: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if chars.len() != 8 || !chars.is_ascii() {
        return None;
    }
    let code = format!("{}-{}", &chars[..4], &chars[4..]);
    is_reference_code(&code).then_some(code)
}

/// A random (version 4) UUID from 16 random bytes, in lowercase hyphenated form.
pub fn uuid_v4(entropy: &[u8; 16]) -> String {
    let mut b = *entropy;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn typed_codes_are_normalised() {
        assert_eq!(normalise_reference(" kx7p 3m4q ").as_deref(), Some("KX7P-3M4Q"));
        assert_eq!(normalise_reference("KX7P3M4Q").as_deref(), Some("KX7P-3M4Q"));
        assert_eq!(normalise_reference("KX7P-3M4").as_deref(), None);
        // O and 0 are not in the alphabet, so a misread code is refused, not matched.
        assert_eq!(normalise_reference("KX0P-3M4Q").as_deref(), None);
        assert!(!is_reference_code("KX7P_3M4Q") && !is_reference_code("ÄX7P-3M4Q"));
    }

    #[test]
    fn fixed_examples() {
        assert_eq!(reference_code(&[0; 16]), "3333-3333");
        assert_eq!(uuid_v4(&[0xff; 16]), "ffffffff-ffff-4fff-bfff-ffffffffffff");
    }

    proptest! {
        #[test]
        fn codes_are_well_formed(bytes in proptest::array::uniform16(any::<u8>())) {
            prop_assert!(is_reference_code(&reference_code(&bytes)));
            let code = reference_code(&bytes);
            prop_assert_eq!(code.len(), 9);
            prop_assert_eq!(&code[4..5], "-");
            prop_assert!(code.bytes().filter(|b| *b != b'-').all(|b| ALPHABET.contains(&b)));
            let id = uuid_v4(&bytes);
            prop_assert_eq!(id.len(), 36);
            prop_assert_eq!(&id[14..15], "4");
        }
    }
}
