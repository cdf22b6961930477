//! API tokens for the routes that return answers or counts. A token is 32 random bytes from
//! the operating system, shown once when it is made; the store keeps only its SHA-256 digest,
//! so a copy of the database does not give access. A fast digest is enough for a random
//! secret of this length (passwords chosen by people would need a slow one such as Argon2).
use crate::store::{Store, StoreError};
use hyper::header::AUTHORIZATION;
use hyper::HeaderMap;
use sha2::{Digest, Sha256};

/// What every token starts with, so a leaked one is recognisable in logs and secret scanners.
pub const PREFIX: &str = "sct_";

/// Why a request was not let in.
#[derive(Debug)]
pub enum Denied {
    /// No `Authorization: Bearer` header.
    Missing,
    /// A token that is unknown, malformed or revoked (which of these is not said).
    Invalid,
    /// The store could not be asked.
    Store(StoreError),
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// 32 random bytes from the operating system as 64 hex digits: the secret of a token, a
/// console session or a CSRF token.
///
/// # Errors
/// When the operating system gives no random bytes.
pub fn random_hex() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    Ok(hex(&bytes))
}

/// A new token's secret.
///
/// # Errors
/// When the operating system gives no random bytes.
pub fn new_secret() -> Result<String, getrandom::Error> {
    Ok(format!("{PREFIX}{}", random_hex()?))
}

/// The digest a token is stored and looked up by.
pub fn digest(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

/// Whether `name` is usable as a token name: 1–64 letters, digits, `-`, `_` or `.`.
pub fn is_token_name(name: &str) -> bool {
    (1..=64).contains(&name.len()) && name.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
}

/// The token in an `Authorization: Bearer …` header, if there is one.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// The name of the live token the request carries.
///
/// # Errors
/// [`Denied`] when there is none, it is not live, or the store cannot say.
pub async fn authorize(store: &dyn Store, headers: &HeaderMap) -> Result<String, Denied> {
    let token = bearer(headers).ok_or(Denied::Missing)?;
    // Only well-formed tokens reach the database.
    let well_formed = token.len() == PREFIX.len() + 64
        && token.starts_with(PREFIX)
        && token[PREFIX.len()..].bytes().all(|b| b.is_ascii_hexdigit());
    if !well_formed {
        return Err(Denied::Invalid);
    }
    match store.token_name(digest(token)).await {
        Ok(Some(name)) => Ok(name),
        Ok(None) => Err(Denied::Invalid),
        Err(e) => Err(Denied::Store(e)),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn secrets_are_random_and_digests_are_sha256() {
        let (a, b) = (new_secret().unwrap(), new_secret().unwrap());
        assert_ne!(a, b);
        assert!(a.starts_with(PREFIX) && a.len() == PREFIX.len() + 64);
        assert_eq!(
            digest("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn bearer_tokens_are_read_from_the_authorization_header() {
        let mut headers = HeaderMap::new();
        assert_eq!(bearer(&headers), None);
        headers.insert(AUTHORIZATION, "Bearer sct_abc".parse().unwrap());
        assert_eq!(bearer(&headers), Some("sct_abc"));
        headers.insert(AUTHORIZATION, "bearer  sct_abc ".parse().unwrap());
        assert_eq!(bearer(&headers), Some("sct_abc"));
        headers.insert(AUTHORIZATION, "Basic dXNlcjpwYXNz".parse().unwrap());
        assert_eq!(bearer(&headers), None);
    }

    #[test]
    fn token_names_are_plain() {
        assert!(is_token_name("powerbi") && is_token_name("insight-team_2026.1"));
        assert!(!is_token_name("") && !is_token_name("a b") && !is_token_name(&"a".repeat(65)));
    }
}
