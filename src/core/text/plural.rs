//! Plural categories (CLDR's), so a message such as "You have 3 characters remaining" takes
//! the form its language needs: Welsh and Arabic have six, Urdu and English two. Whole numbers
//! only, which is all the widget counts. In the browser, its own `Intl.PluralRules` is asked
//! first (handed over by the web build's adapter), so a catalogue in a language without rules
//! here still gets its plurals; the rules below, tested with CLDR's own examples, are the
//! fallback where a browser lacks the language, and what native code and tests use.
use std::sync::OnceLock;

/// The browser's rules, once the adapter has handed them over.
static BROWSER: OnceLock<fn(&str, u64) -> Option<Plural>> = OnceLock::new();

/// Asks `rules` (the browser's `Intl.PluralRules`) first from now on; `None` from it means
/// the browser lacks the language. Only the first call counts.
pub fn use_browser_rules(rules: fn(&str, u64) -> Option<Plural>) {
    let _ = BROWSER.set(rules);
}

/// A CLDR plural category.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Plural {
    /// `zero`
    Zero,
    /// `one`
    One,
    /// `two`
    Two,
    /// `few`
    Few,
    /// `many`
    Many,
    /// `other`, which every language has.
    Other,
}

impl Plural {
    /// The category's name, the suffix of its message key.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Zero => "zero",
            Self::One => "one",
            Self::Two => "two",
            Self::Few => "few",
            Self::Many => "many",
            Self::Other => "other",
        }
    }

    /// Every category, in CLDR's order.
    pub const ALL: [Plural; 6] = [Self::Zero, Self::One, Self::Two, Self::Few, Self::Many, Self::Other];
}

/// The category of whole number `n` in language `locale`: the browser's answer where it has
/// the language, else [`rules`].
pub fn category(locale: &str, n: u64) -> Plural {
    BROWSER
        .get()
        .and_then(|browser| browser(locale, n))
        .unwrap_or_else(|| rules(locale, n))
}

/// This module's own rules for `n` in `locale` (its primary subtag). A language without rules
/// here is treated as English is (`one` for 1, else `other`).
pub fn rules(locale: &str, n: u64) -> Plural {
    let primary = locale.split('-').next().unwrap_or(locale);
    match primary {
        "cy" => match n {
            0 => Plural::Zero,
            1 => Plural::One,
            2 => Plural::Two,
            3 => Plural::Few,
            6 => Plural::Many,
            _ => Plural::Other,
        },
        "ar" => match (n, n % 100) {
            (0, _) => Plural::Zero,
            (1, _) => Plural::One,
            (2, _) => Plural::Two,
            (_, 3..=10) => Plural::Few,
            (_, 11..=99) => Plural::Many,
            _ => Plural::Other,
        },
        _ if n == 1 => Plural::One,
        _ => Plural::Other,
    }
}

/// The categories a language uses, for checking that its catalogue has each.
pub fn categories(locale: &str) -> &'static [Plural] {
    match locale.split('-').next().unwrap_or(locale) {
        "cy" | "ar" => &Plural::ALL,
        _ => &[Plural::One, Plural::Other],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(locale: &str, numbers: &[u64]) -> Vec<&'static str> {
        numbers.iter().map(|&n| category(locale, n).as_str()).collect()
    }

    // CLDR's examples for 0, 1, 2, 3, 4, 6, 11 and 100 (unicode.org, plural rules).
    #[test]
    fn welsh_has_six_forms() {
        assert_eq!(
            names("cy", &[0, 1, 2, 3, 4, 6, 11, 100]),
            ["zero", "one", "two", "few", "other", "many", "other", "other"]
        );
    }

    #[test]
    fn arabic_has_six_forms() {
        assert_eq!(
            names("ar", &[0, 1, 2, 3, 4, 6, 11, 100, 102, 103, 111]),
            ["zero", "one", "two", "few", "few", "few", "many", "other", "other", "few", "many"]
        );
    }

    #[test]
    fn urdu_and_english_have_two() {
        for locale in ["ur", "en", "en-GB", "pl-x-unknown"] {
            assert_eq!(
                names(locale, &[0, 1, 2, 3, 4, 6, 11, 100]),
                ["other", "one", "other", "other", "other", "other", "other", "other"],
                "{locale}"
            );
        }
    }
}
