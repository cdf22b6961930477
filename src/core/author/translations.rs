//! Translations that may no longer say what the default language says (issue #25): a text
//! whose default-language words were changed in the editor while it had other languages. The
//! editor keeps them, by their new words, until someone marks them checked, and shows them in
//! the texts side by side, so the Welsh language officer knows what to read again.
use crate::core::survey::load::side_by_side;
use serde_json::Value;

/// The new default-language words of every text that changed from `before` to `after` and
/// has a version in another language.
pub fn changed_sources(before: &Value, after: &Value) -> Vec<String> {
    let old = side_by_side(before);
    side_by_side(after)
        .into_iter()
        .filter(|t| t.texts.iter().skip(1).any(|(_, text)| text.is_some()))
        .filter_map(|t| {
            let now = t.texts.first().and_then(|(_, text)| text.clone())?;
            let was = old
                .iter()
                .find(|o| o.path == t.path)
                .and_then(|o| o.texts.first().and_then(|(_, text)| text.clone()));
            (was.as_deref() != Some(now.as_str())).then_some(now)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn survey(title: Value, hint: Value) -> Value {
        json!({ "formatVersion": 1, "id": "s", "version": "1", "title": { "en": "S", "cy": "S" },
            "languages": [{ "code": "en", "name": "English" }, { "code": "cy", "name": "Cymraeg" }],
            "pages": [{ "id": "p", "questions": [{ "id": "q", "type": "text", "title": title, "hint": hint }] }] })
    }

    #[test]
    fn a_changed_english_text_with_welsh_beside_it_needs_checking() {
        let before = survey(
            json!({ "en": "Your name", "cy": "Eich enw" }),
            json!("Hint only in English"),
        );
        let after = survey(
            json!({ "en": "Your full name", "cy": "Eich enw" }),
            json!("Another hint"),
        );
        // The hint has no Welsh: nothing to check yet (loading says it is missing).
        assert_eq!(changed_sources(&before, &after), ["Your full name"]);
        assert!(changed_sources(&after, &after).is_empty());
    }
}
