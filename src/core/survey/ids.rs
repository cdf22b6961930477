//! Newtypes for the stable ids a survey definition gives its parts.
use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.to_owned())
            }
        }
    };
}

id_type!(
    /// The id of a survey, stable across its versions.
    SurveyId
);
id_type!(
    /// The id of a page within a survey.
    PageId
);
id_type!(
    /// The id of a question; answers and conditions refer to it.
    QuestionId
);

/// Whether `s` is usable as an id: 1–64 characters of ASCII letters, digits, `-` and `_`,
/// starting with a letter. Ids end up in DOM ids and CSV headers, so they stay plain.
pub fn is_valid_id(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic())
        && s.len() <= 64
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_plain() {
        assert!(is_valid_id("caring-role_2"));
        assert!(!is_valid_id("2nd"));
        assert!(!is_valid_id(""));
        assert!(!is_valid_id("a b"));
        assert!(!is_valid_id("a\"><script>"));
        assert!(!is_valid_id(&"a".repeat(65)));
    }
}
