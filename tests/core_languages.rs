//! A survey in several languages (issue #23): declared languages, texts keyed by language,
//! every missing translation reported with its path, drafts shown with the default's text
//! marked by its `lang`, and answers that stay codes whatever the language.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::{json, Value};
use survey_widget::core::survey::load::{choose_language, load_survey_in, load_survey_value};
use survey_widget::core::text::Catalogue;
use survey_widget::core::{DefinitionErrorKind as K, QuestionKind};

fn bilingual(question: Value) -> Value {
    json!({
        "formatVersion": 1, "id": "s", "version": "1",
        "languages": [{ "code": "en", "name": "English" }, { "code": "cy", "name": "Cymraeg" }],
        "title": { "en": "Your views", "cy": "Eich barn" },
        "description": { "en": ["One.", "Two."], "cy": ["Un.", "Dau."] },
        "pages": [{ "id": "p1", "questions": [question] }]
    })
}

fn errors(value: &Value) -> Vec<(String, K)> {
    match load_survey_value(value) {
        Ok(_) => Vec::new(),
        Err(e) => e.0.into_iter().map(|e| (e.path, e.kind)).collect(),
    }
}

fn caring() -> Value {
    json!({ "id": "caring", "type": "yesNo",
            "title": { "en": "Do you look after someone?", "cy": "Ydych chi'n gofalu am rywun?" },
            "yes": { "en": "Yes", "cy": "Ydw" }, "no": { "en": "No", "cy": "Nac ydw" } })
}

#[test]
fn texts_are_read_in_the_chosen_language() {
    let value = bilingual(caring());
    let en = load_survey_in(&value, &[]).unwrap();
    let cy = load_survey_in(&value, &["cy"]).unwrap();
    assert_eq!((en.locale.as_str(), en.title.as_str()), ("en", "Your views"));
    assert_eq!((cy.locale.as_str(), cy.title.as_str()), ("cy", "Eich barn"));
    assert_eq!(cy.description, ["Un.", "Dau."]);
    assert_eq!(cy.languages[1].name, "Cymraeg");
    let q = &cy.pages[0].questions[0];
    assert_eq!(q.title, "Ydych chi'n gofalu am rywun?");
    assert_eq!(q.lang, None, "a complete translation marks nothing");
    let QuestionKind::YesNo { yes, no } = &q.kind else {
        panic!("yes/no")
    };
    assert_eq!((yes.as_deref(), no.as_deref()), (Some("Ydw"), Some("Nac ydw")));
    // The values stay `yes` and `no`: a Welsh and an English answer pool together.
    let labels = survey_widget::core::survey::definition::yes_no_choices(yes, no, &Catalogue::english(), None);
    assert_eq!(
        labels.iter().map(|c| c.value.as_str()).collect::<Vec<_>>(),
        ["yes", "no"]
    );
    assert_eq!(labels[0].label, "Ydw");
}

#[test]
fn a_plain_string_is_the_default_language_and_a_single_language_survey_is_unchanged() {
    let plain = json!({ "formatVersion": 1, "id": "s", "version": "1", "title": "T",
                        "pages": [{ "id": "p1", "questions": [{ "id": "q", "type": "email", "title": "Email" }] }] });
    let s = load_survey_value(&plain).unwrap();
    assert_eq!(s.locale, "en");
    assert_eq!(s.languages.len(), 1);
    assert!(s.missing.is_empty() && !s.draft);
}

#[test]
fn every_missing_translation_is_reported_with_its_path() {
    let mut value = bilingual(json!({ "id": "q", "type": "singleChoice",
        "title": "Only English", "hint": { "en": "Pick one" },
        "choices": [{ "value": "a", "label": { "en": "A", "cy": "A" } }, { "value": "b", "label": { "cy": "B" } }] }));
    value["privacyNotice"] = json!({ "text": { "en": "Privacy" }, "href": "https://example.gov.uk/p" });
    let errs = errors(&value);
    let missing: Vec<(&str, &str)> = errs
        .iter()
        .filter_map(|(p, k)| match k {
            K::MissingTranslation(l) => Some((p.as_str(), l.as_str())),
            _ => None,
        })
        .collect();
    assert_eq!(
        missing,
        [
            ("$.privacyNotice.text", "cy"),
            ("$.pages[0].questions[0].title", "cy"),
            ("$.pages[0].questions[0].hint", "cy"),
            ("$.pages[0].questions[0].choices[1].label", "en"),
        ],
        "{errs:?}"
    );
    assert_eq!(errs.len(), missing.len(), "{errs:?}");
}

#[test]
fn a_language_the_survey_does_not_declare_is_refused() {
    let value = bilingual(json!({ "id": "q", "type": "email",
        "title": { "en": "Email", "cy": "E-bost", "fr": "Courriel" } }));
    assert_eq!(
        errors(&value),
        [(
            "$.pages[0].questions[0].title.fr".into(),
            K::UnknownLanguage("fr".into())
        )]
    );
}

#[test]
fn languages_are_checked() {
    let mut value = bilingual(caring());
    value["languages"] = json!([
        { "code": "en", "name": "English" },
        { "code": "en", "name": "English again" },
        { "code": "pl", "name": "Polski" },
        { "code": "cy", "name": "Cymraeg", "dir": "sideways" },
        { "code": "not a tag", "name": "?" }
    ]);
    let errs = errors(&value);
    let at = |path: &str| errs.iter().find(|(p, _)| p == path).map(|(_, k)| k.clone());
    assert_eq!(at("$.languages[1].code"), Some(K::DuplicateId("en".into())));
    assert!(matches!(at("$.languages[2].code"), Some(K::NoCatalogue(code, _)) if code == "pl"));
    assert!(matches!(at("$.languages[3].dir"), Some(K::WrongType(_))));
    assert!(matches!(at("$.languages[4].code"), Some(K::WrongType(_))));
}

#[test]
fn a_draft_shows_the_default_text_marked_with_its_language() {
    let mut value = bilingual(json!({ "id": "q", "type": "singleChoice",
        "title": { "en": "Which?", "cy": "Pa un?" },
        "choices": [{ "value": "a", "label": { "en": "Apples" } }, { "value": "b", "label": { "en": "Bread", "cy": "Bara" } }] }));
    assert!(!errors(&value).is_empty(), "refused unless a draft");
    value["draft"] = json!(true);
    let cy = load_survey_in(&value, &["cy"]).unwrap();
    assert!(cy.draft);
    assert_eq!(cy.missing.len(), 1);
    assert_eq!(cy.missing[0].path, "$.pages[0].questions[0].choices[0].label");
    assert_eq!(cy.missing[0].lang, "cy");
    let q = &cy.pages[0].questions[0];
    assert_eq!(q.lang, None, "the question's own texts are Welsh");
    let QuestionKind::SingleChoice { choices, .. } = &q.kind else {
        panic!("choices")
    };
    assert_eq!(
        (choices[0].label.as_str(), choices[0].lang.as_deref()),
        ("Apples", Some("en"))
    );
    assert_eq!((choices[1].label.as_str(), choices[1].lang.as_deref()), ("Bara", None));
}

/// Each string of a draft shown in the default language is marked on its own: a Welsh title
/// over an English hint is read in Welsh, its hint in English.
#[test]
fn a_draft_marks_each_untranslated_string_not_the_whole_question() {
    let mut value = bilingual(json!({ "id": "q", "type": "singleChoice",
        "title": { "en": "Which?", "cy": "Pa un?" }, "hint": { "en": "Choose one" },
        "choices": [{ "value": "a", "label": { "en": "Apples", "cy": "Afalau" }, "hint": { "en": "Green" } }] }));
    value["description"] = json!({ "en": ["One."] });
    value["draft"] = json!(true);
    let cy = load_survey_in(&value, &["cy"]).unwrap();
    assert_eq!((cy.lang.as_deref(), cy.description_lang.as_deref()), (None, Some("en")));
    let q = &cy.pages[0].questions[0];
    assert_eq!((q.title.as_str(), q.lang.as_deref()), ("Pa un?", None));
    assert_eq!(
        (q.hint.as_deref(), q.hint_lang.as_deref()),
        (Some("Choose one"), Some("en"))
    );
    assert_eq!(q.texts_lang, None);
    let QuestionKind::SingleChoice { choices, .. } = &q.kind else {
        panic!("choices")
    };
    assert_eq!(
        (choices[0].label.as_str(), choices[0].lang.as_deref()),
        ("Afalau", None)
    );
    assert_eq!(choices[0].hint_lang.as_deref(), Some("en"));
    // Declared on the question, a language marks all of its texts.
    let mut declared = bilingual(json!({ "id": "q", "type": "text", "lang": "en",
        "title": { "en": "Name", "cy": "Enw" }, "hint": { "en": "As on a letter", "cy": "Fel ar lythyr" } }));
    declared["draft"] = json!(true);
    let q = &load_survey_in(&declared, &["cy"]).unwrap().pages[0].questions[0];
    assert_eq!(
        (q.lang.as_deref(), q.hint_lang.as_deref(), q.texts_lang.as_deref()),
        (Some("en"), Some("en"), Some("en"))
    );
}

#[test]
fn error_message_overrides_and_info_bodies_are_texts_too() {
    let value = bilingual(
        json!({ "id": "q", "type": "text", "title": { "en": "Name", "cy": "Enw" },
        "messages": { "required": { "en": "Enter your name", "cy": "Rhowch eich enw" } } }),
    );
    let cy = load_survey_in(&value, &["cy"]).unwrap();
    assert_eq!(cy.pages[0].questions[0].messages["required"], "Rhowch eich enw");
    let info = bilingual(
        json!({ "id": "i", "type": "info", "title": { "en": "About", "cy": "Amdan" },
        "body": { "en": ["One"], "cy": "Un" } }),
    );
    let cy = load_survey_in(&info, &["cy"]).unwrap();
    let QuestionKind::Info { body, .. } = &cy.pages[0].questions[0].kind else {
        panic!("info")
    };
    assert_eq!(body, &["Un"]);
}

#[test]
fn the_language_is_chosen_from_wishes_in_order() {
    let langs = ["en", "cy", "ur"];
    assert_eq!(choose_language(&langs, &[]), 0);
    assert_eq!(choose_language(&langs, &["fr", "cy-GB", "ur"]), 1);
    assert_eq!(choose_language(&langs, &["UR"]), 2);
    assert_eq!(choose_language(&["en-GB", "cy"], &["en-US"]), 0);
    assert_eq!(choose_language(&langs, &["pl", "de"]), 0, "none offered: the default");
}

#[test]
fn plurals_fall_back_to_other() {
    let cy = Catalogue::in_language(
        r#"{"n.zero":"dim","n.one":"un","n.two":"dau","n.few":"tri","n.many":"chwech","n.other":"{count} arall"}"#,
        "cy",
    )
    .unwrap();
    let forms: Vec<String> = [0, 1, 2, 3, 4, 6, 11, 100]
        .iter()
        .map(|&n| cy.plural("n", n, &[]))
        .collect();
    assert_eq!(
        forms,
        ["dim", "un", "dau", "tri", "4 arall", "chwech", "11 arall", "100 arall"]
    );
    let thin = Catalogue::in_language(r#"{"n.other":"{count} arall"}"#, "cy").unwrap();
    assert_eq!(
        thin.plural("n", 2, &[]),
        "2 arall",
        "a missing category falls back to other"
    );
}

#[test]
fn arabic_indic_digits_are_numbers_and_dates() {
    use survey_widget::core::survey::answer::{parse_date, parse_number, western_digits};
    assert_eq!(parse_number("٣٥"), Some(35.0), "Arabic-Indic");
    assert_eq!(
        parse_number("۱۲٫۵"),
        Some(12.5),
        "Urdu digits with the Arabic decimal point"
    );
    assert_eq!(
        parse_number("١٬٠٠٠"),
        Some(1000.0),
        "with the Arabic thousands separator"
    );
    assert_eq!(
        parse_date("۳", "۱۲", "۲۰۲۶").map(|d| d.to_string()),
        Some("2026-12-03".to_owned())
    );
    assert_eq!(western_digits("Flat ۴"), "Flat 4");
}

#[test]
fn every_text_can_be_read_side_by_side() {
    use survey_widget::core::survey::load::side_by_side;
    let mut value = bilingual(caring());
    value["draft"] = json!(true);
    value["pages"][0]["questions"][0]["hint"] = json!("Only in English");
    let texts = side_by_side(&value);
    let at = |path: &str| texts.iter().find(|t| t.path == path).map(|t| t.texts.clone());
    let pair = |en: Option<&str>, cy: Option<&str>| {
        Some(vec![
            ("en".to_owned(), en.map(str::to_owned)),
            ("cy".to_owned(), cy.map(str::to_owned)),
        ])
    };
    assert_eq!(at("$.title"), pair(Some("Your views"), Some("Eich barn")));
    assert_eq!(at("$.description"), pair(Some("One.\n\nTwo."), Some("Un.\n\nDau.")));
    assert_eq!(at("$.pages[0].questions[0].hint"), pair(Some("Only in English"), None));
    assert_eq!(at("$.pages[0].questions[0].no"), pair(Some("No"), Some("Nac ydw")));
    assert_eq!(
        texts.first().map(|t| t.path.as_str()),
        Some("$.title"),
        "in the file's order"
    );
}

#[test]
fn a_link_may_go_to_a_page_in_each_language() {
    let mut value = bilingual(caring());
    value["privacyNotice"] = json!({
        "text": { "en": "Privacy notice", "cy": "Hysbysiad preifatrwydd" },
        "href": { "en": "https://example.gov.uk/privacy", "cy": "https://example.gov.uk/preifatrwydd" }
    });
    let en = load_survey_in(&value, &[]).unwrap();
    let cy = load_survey_in(&value, &["cy"]).unwrap();
    assert_eq!(en.privacy_notice.unwrap().href, "https://example.gov.uk/privacy");
    assert_eq!(cy.privacy_notice.unwrap().href, "https://example.gov.uk/preifatrwydd");
    // One address serves every language, unreported.
    value["privacyNotice"]["href"] = json!("https://example.gov.uk/privacy");
    assert!(errors(&value).is_empty());
    // Each address given must be safe, and in a declared language.
    value["privacyNotice"]["href"] =
        json!({ "en": "https://example.gov.uk/p", "cy": "javascript:alert(1)", "fr": "https://x.fr" });
    let errs = errors(&value);
    assert!(
        errs.iter()
            .any(|(p, k)| p == "$.privacyNotice.href.cy" && matches!(k, K::UnsafeLink(_))),
        "{errs:?}"
    );
    assert!(
        errs.iter()
            .any(|(p, k)| p == "$.privacyNotice.href.fr" && matches!(k, K::UnknownLanguage(_))),
        "{errs:?}"
    );
}
