//! Differential tests: the survey pattern matcher agrees with `regex-lite` (anchored at both
//! ends) on generated patterns and inputs, and accepts every pattern the generator makes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use survey_widget::core::survey::pattern::Pattern;

fn atom() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec!["a", "b", "1", "-", " ", "é"]).prop_map(str::to_owned),
        prop::sample::select(vec![
            "[ab]", "[^a]", "[a-c]", "[0-9a]", "[-a]", r"[\d\s]", r"\d", r"\D", r"\w", r"\W", r"\s", r"\S", ".", r"\.",
            r"\-",
        ])
        .prop_map(str::to_owned),
    ]
}

fn quantifier() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["", "", "", "*", "+", "?", "{2}", "{0,2}", "{1,}", "{1,3}"]).prop_map(str::to_owned)
}

fn pattern() -> impl Strategy<Value = String> {
    let leaf = (atom(), quantifier()).prop_map(|(a, q)| format!("{a}{q}"));
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 1..4).prop_map(|v| v.concat()),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a}|{b}")),
            (inner.clone(), quantifier()).prop_map(|(a, q)| format!("({a}){q}")),
            (inner, quantifier()).prop_map(|(a, q)| format!("(?:{a}){q}")),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn agrees_with_regex_lite(p in pattern(), inputs in prop::collection::vec("[ab1\\- é_\n.]{0,8}", 1..8)) {
        let ours = Pattern::new(&p).map_err(|e| TestCaseError::fail(format!("{p}: {e}")))?;
        let oracle = regex_lite::Regex::new(&format!("^(?:{p})$")).unwrap();
        for text in inputs {
            prop_assert_eq!(ours.is_match(&text), oracle.is_match(&text), "pattern {:?} on {:?}", p, text);
        }
    }

    #[test]
    fn never_panics(p in ".{0,40}", text in ".{0,40}") {
        if let Ok(pattern) = Pattern::new(&p) {
            let _ = pattern.is_match(&text);
        }
    }
}
