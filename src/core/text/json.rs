//! JSON text to a `serde_json::Value`: the one way core reads JSON (survey definitions,
//! catalogues, stored records, the outcomes feed, a typed decimal).
//!
//! Natively (the collector, the tests) this is serde_json's parser. In the web build it is
//! the browser's own `JSON.parse`, walked into the same `Value` by `platform::json` (issue
//! #24): serde_json's parser is about 9 KB of a carer's first load, the walk about 2. The two
//! agree on every survey fixture and on generated mutations of them (the browser tier's
//! differential test); where JSON itself leaves room they are made to agree: a number is
//! whole whether written `2` or `2.0` (see [`whole`]), and text that is not valid Unicode or
//! nested deeper than serde_json's limit (127 levels) is refused by both.
use serde_json::{Number, Value};

/// How deep arrays and objects may nest: serde_json's own limit.
pub const MAX_DEPTH: usize = 127;

/// Parses JSON text, or says why it is not JSON.
///
/// # Errors
/// The parser's description of the first fault.
pub fn parse(text: &str) -> Result<Value, String> {
    #[cfg(all(feature = "web", target_arch = "wasm32"))]
    {
        crate::platform::json::parse(text)
    }
    #[cfg(not(all(feature = "web", target_arch = "wasm32")))]
    {
        parse_natively(text)
    }
}

/// serde_json's parser, which [`parse`] is everywhere but the web build; public so the
/// browser tier can compare the two.
///
/// # Errors
/// serde_json's description of the first fault.
pub fn parse_natively(text: &str) -> Result<Value, String> {
    serde_json::from_str(text).map_err(|e| e.to_string())
}

/// A whole number however it was written (`2`, `2.0`, `2e0`), so a survey reads the same
/// whichever parser read it: `JSON.parse` cannot tell `2.0` from `2`.
pub fn whole(n: &Number) -> Option<i64> {
    n.as_i64().or_else(|| {
        let f = n.as_f64()?;
        // 2^53: past it an f64 no longer holds every whole number.
        (f.fract() == 0.0 && f.abs() <= 9_007_199_254_740_992.0).then_some(f as i64)
    })
}

/// `v`, a whole number held as an integer however it was written, so a value a survey
/// compares answers with is the same whichever parser read it.
pub fn canonical(v: &Value) -> Value {
    match v {
        Value::Number(n) => whole(n).map_or_else(|| v.clone(), Value::from),
        _ => v.clone(),
    }
}

/// A number as text, a whole one without a fraction (`2.0` reads `2`), so a choice's value or
/// a version written as a number is the same text whichever parser read it.
pub fn number_text(n: &Number) -> String {
    whole(n).map_or_else(|| n.to_string(), |w| w.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_however_written() {
        let n = |t: &str| match parse(t) {
            Ok(Value::Number(n)) => whole(&n),
            _ => None,
        };
        assert_eq!(
            [n("2"), n("2.0"), n("2e0"), n("-3"), n("-3.0")],
            [Some(2), Some(2), Some(2), Some(-3), Some(-3)]
        );
        assert_eq!([n("2.5"), n("1e300"), n("\"2\"")], [None, None, None]);
        let text = |t: &str| match parse(t) {
            Ok(Value::Number(n)) => number_text(&n),
            _ => String::new(),
        };
        assert_eq!(
            [text("2"), text("2.0"), text("-1.0"), text("2.5")],
            ["2", "2", "-1", "2.5"]
        );
    }

    #[test]
    fn faults_and_limits() {
        assert!(parse("{").is_err());
        assert!(parse("\"\\ud800\"").is_err(), "a lone surrogate is not text");
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(parse(&deep(MAX_DEPTH)).is_ok());
        assert!(parse(&deep(MAX_DEPTH + 1)).is_err());
        let mixed = |n: usize| format!("{}0{}", "[{\"a\":".repeat(n), "}]".repeat(n));
        assert!(parse(&mixed(MAX_DEPTH / 2)).is_ok());
        assert!(parse(&mixed(MAX_DEPTH / 2 + 1)).is_err());
    }
}
