//! What each question kind draws, as plain data, so a component is markup plus a dispatch:
//! the control and its choices in order, which edit a tick or a keystroke makes, what is
//! selected, the character count's words and the `aria-describedby` lists. Issue #22 moved
//! these rules here from the components, where a second copy had begun to grow.

use crate::core::survey::answer::{Answer, DatePart, Edit};
use crate::core::survey::definition::{rating_points, yes_no_choices, Choice, Link, QuestionKind, Statement};
use crate::core::text::Catalogue;

/// How a question is answered, as the widget draws it; borrows from the question.
#[derive(Clone, Debug, PartialEq)]
pub enum Control<'a> {
    /// One line of text (text, email, phone, number).
    Input(InputView<'a>),
    /// A text area with GOV.UK's character count.
    LongText {
        /// Most characters.
        max: u32,
    },
    /// Day, month and year boxes.
    Date,
    /// Radios or checkboxes.
    Group(GroupView<'a>),
    /// A Likert grid: a radio group per statement on one scale.
    Grid {
        /// The statements, each a row.
        statements: &'a [Statement],
        /// The scale's points.
        scale: &'a [Choice],
    },
    /// Text to read; asks nothing.
    Info {
        /// Paragraphs.
        body: &'a [String],
        /// Links listed under them.
        links: &'a [Link],
    },
}

/// A one-line input's attributes.
#[derive(Clone, Debug, PartialEq)]
pub struct InputView<'a> {
    /// The `type` attribute.
    pub input_type: &'static str,
    /// The `inputmode` attribute, for numbers.
    pub inputmode: Option<&'static str>,
    /// The `autocomplete` attribute.
    pub autocomplete: Option<&'a str>,
    /// `spellcheck="false"` for addresses and numbers that are not words.
    pub spellcheck: Option<&'static str>,
    /// Text after the box ("hours").
    pub suffix: Option<&'a str>,
    /// GOV.UK's width class.
    pub width: &'static str,
    /// The `dir` of what is typed: `auto` for words (a Welsh or Urdu answer reads its own
    /// way), `ltr` for email addresses, telephone numbers and numbers, which read left to
    /// right in a right-to-left page too.
    pub dir: &'static str,
}

/// A radio or checkbox group.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupView<'a> {
    /// Checkboxes rather than radios.
    pub multiple: bool,
    /// The class of the list of options.
    pub class: &'static str,
    /// The options in order, "Other" and "None of these" included.
    pub choices: Vec<Choice>,
    /// The value of the "Other" option, whose details box shows when it is chosen.
    pub other: Option<String>,
    /// GOV.UK's "or" goes before the option at this index ("None of these").
    pub divider: Option<usize>,
    /// A link shown after the options (consent's privacy notice).
    pub link: Option<&'a Link>,
}

/// How a question of `kind` (in `lang`, when not the widget's) is answered; on a `shared` device
/// (event mode) autocomplete is off. Out of line: inlined, it cost 126 bytes brotli more.
#[inline(never)]
pub fn control<'a>(kind: &'a QuestionKind, lang: Option<&String>, catalogue: &Catalogue, shared: bool) -> Control<'a> {
    let input = |input_type, autocomplete: Option<&'a str>, width| InputView {
        input_type,
        inputmode: None,
        autocomplete: if shared { Some("off") } else { autocomplete },
        spellcheck: (input_type != "text").then_some("false"),
        suffix: None,
        width,
        dir: if input_type == "text" { "auto" } else { "ltr" },
    };
    let radios = |class, choices| GroupView {
        multiple: false,
        class,
        choices,
        other: None,
        divider: None,
        link: None,
    };
    match kind {
        QuestionKind::ShortText { autocomplete, .. } => {
            Control::Input(input("text", autocomplete.as_deref(), "sw-input--width-20"))
        }
        QuestionKind::Email => Control::Input(input("email", Some("email"), "sw-input--width-30")),
        QuestionKind::Phone => Control::Input(input("tel", Some("tel"), "sw-input--width-20")),
        QuestionKind::Number { integer, suffix, .. } => Control::Input(InputView {
            inputmode: Some(if *integer { "numeric" } else { "decimal" }),
            suffix: suffix.as_deref(),
            dir: "ltr",
            ..input("text", None, "sw-input--width-5")
        }),
        QuestionKind::LongText { max_length, .. } => Control::LongText { max: *max_length },
        QuestionKind::Date { .. } => Control::Date,
        QuestionKind::SingleChoice { choices, other, .. } => Control::Group(GroupView {
            other: other.as_ref().map(|o| o.value.clone()),
            ..radios("sw-radios", choices.iter().chain(other).cloned().collect())
        }),
        QuestionKind::YesNo { yes, no } => Control::Group(radios(
            "sw-radios sw-radios--inline",
            yes_no_choices(yes, no, catalogue, lang),
        )),
        QuestionKind::Rating {
            min,
            max,
            min_label,
            max_label,
        } => Control::Group(radios(
            // The end labels sit with the ends of the scale, as each end's hint.
            if min_label.is_some() || max_label.is_some() {
                "sw-radios sw-scale sw-scale--ends"
            } else {
                "sw-radios sw-scale"
            },
            rating_points(*min, *max, min_label, max_label, lang),
        )),
        QuestionKind::MultipleChoice { choices, none, .. } => Control::Group(GroupView {
            multiple: true,
            divider: none.as_ref().map(|_| choices.len()),
            ..radios("sw-checkboxes", choices.iter().chain(none).cloned().collect())
        }),
        QuestionKind::Consent { label, privacy_notice } => Control::Group(GroupView {
            multiple: true,
            link: privacy_notice.as_ref(),
            ..radios(
                "sw-checkboxes",
                vec![Choice {
                    value: "yes".into(),
                    label: label.clone(),
                    hint: None,
                    lang: lang.cloned(),
                    hint_lang: None,
                }],
            )
        }),
        QuestionKind::Likert { statements, scale } => Control::Grid { statements, scale },
        QuestionKind::Info { body, links } => Control::Info { body, links },
    }
}

/// What ticking (`on`) or choosing `value` means for a question of `kind`, in a Likert grid's
/// `row`.
pub fn choice_edit(kind: &QuestionKind, row: Option<&str>, value: String, on: bool) -> Edit {
    match (kind, row) {
        (QuestionKind::MultipleChoice { .. }, _) => Edit::Toggle(value, on),
        (QuestionKind::Consent { .. }, _) => Edit::Consent(on),
        (QuestionKind::Likert { .. }, Some(r)) => Edit::Row(r.to_owned(), value),
        _ => Edit::Choose(value),
    }
}

/// The values chosen or ticked (in a Likert grid, in `row`), as one list, so every radio and
/// checkbox renders through the same code.
pub fn selected(answer: Option<&Answer>, row: Option<&str>) -> Vec<String> {
    match answer {
        Some(Answer::Choice { value, .. }) if !value.is_empty() => vec![value.clone()],
        Some(Answer::Choices { values }) => values.clone(),
        Some(Answer::Consent { given: true }) => vec!["yes".to_owned()],
        Some(Answer::Matrix { rows }) => row.and_then(|r| rows.get(r)).cloned().into_iter().collect(),
        _ => Vec::new(),
    }
}

/// The text in a box (empty when nothing is typed).
pub fn text(answer: Option<&Answer>) -> &str {
    match answer {
        Some(Answer::Text { value }) => value,
        _ => "",
    }
}

/// The text in the "Other" details box.
pub fn other_text(answer: Option<&Answer>) -> &str {
    match answer {
        Some(Answer::Choice { other, .. }) => other,
        _ => "",
    }
}

/// The text in one box of a date.
pub fn date_part(answer: Option<&Answer>, part: DatePart) -> &str {
    match (answer, part) {
        (Some(Answer::Date { day, .. }), DatePart::Day) => day,
        (Some(Answer::Date { month, .. }), DatePart::Month) => month,
        (Some(Answer::Date { year, .. }), DatePart::Year) => year,
        _ => "",
    }
}

/// Characters a long answer counts against its limit: as the limit is checked, trimmed.
pub fn characters_used(answer: Option<&Answer>) -> usize {
    text(answer).trim().chars().count()
}

/// GOV.UK's character count for `used` characters of `max`: "You have 3 characters
/// remaining", or "too many".
pub fn character_count(used: usize, max: u32, catalogue: &Catalogue) -> String {
    let max = max as usize;
    if used > max {
        catalogue.plural("count.over", (used - max) as u64, &[])
    } else {
        catalogue.plural("count.remaining", (max - used) as u64, &[])
    }
}

/// An `aria-describedby` list of the ids present, in order (GOV.UK: hint, then any count,
/// then the error); `None` when there are none.
pub fn described_by(ids: &[Option<String>]) -> Option<String> {
    let ids: Vec<&str> = ids.iter().flatten().map(String::as_str).collect();
    (!ids.is_empty()).then(|| ids.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::survey::definition::Question;
    use crate::core::survey::load::load_survey;

    fn question(kind: &str) -> Question {
        let json = format!(
            r#"{{"formatVersion":1,"id":"s","version":"1","title":"T","pages":[{{"id":"p","questions":[
                {{"id":"q","type":"{kind}","title":"Q","choices":[{{"value":"a","label":"A"}}],
                  "none":{{"value":"none","label":"None"}},"statements":[{{"id":"r","text":"R"}}],
                  "scale":[{{"value":"1","label":"One"}}],"label":"I agree","min":1,"max":3,"minLabel":"Low"}}]}}]}}"#
        );
        let keep = |k: &str| match kind {
            "multipleChoice" => ["choices", "none"].contains(&k),
            "likert" => ["statements", "scale"].contains(&k),
            "consent" => k == "label",
            "rating" => ["min", "max", "minLabel"].contains(&k),
            _ => false,
        };
        let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
        let q = v["pages"][0]["questions"][0].as_object_mut().unwrap();
        q.retain(|k, _| ["id", "type", "title"].contains(&k.as_str()) || keep(k));
        load_survey(&v.to_string()).unwrap().pages[0].questions[0].clone()
    }

    /// A question's kind that lives as long as the test.
    fn kind(k: &str) -> &'static QuestionKind {
        Box::leak(Box::new(question(k).kind))
    }

    #[test]
    fn yes_no_and_rating_options_come_from_the_catalogue_and_the_scale() {
        let c = Catalogue::english();
        let Control::Group(g) = control(kind("yesNo"), None, &c, false) else {
            panic!()
        };
        let labels: Vec<_> = g.choices.iter().map(|c| (c.value.as_str(), c.label.as_str())).collect();
        assert_eq!(labels, [("yes", "Yes"), ("no", "No")]);
        assert!(!g.multiple);
        let Control::Group(g) = control(kind("rating"), None, &c, false) else {
            panic!()
        };
        assert_eq!(g.class, "sw-radios sw-scale sw-scale--ends");
        let points: Vec<_> = g
            .choices
            .iter()
            .map(|c| (c.label.as_str(), c.hint.as_deref()))
            .collect();
        assert_eq!(points, [("1", Some("Low")), ("2", None), ("3", None)]);
    }

    #[test]
    fn none_of_these_gets_its_divider_and_consent_its_one_box() {
        let c = Catalogue::english();
        let Control::Group(g) = control(kind("multipleChoice"), None, &c, false) else {
            panic!()
        };
        assert_eq!((g.multiple, g.divider, g.choices.len()), (true, Some(1), 2));
        let Control::Group(g) = control(kind("consent"), None, &c, false) else {
            panic!()
        };
        assert_eq!(g.choices[0].label, "I agree");
    }

    /// Event mode: nothing typed by one person is offered to the next.
    #[test]
    fn a_shared_device_turns_autocomplete_off() {
        let c = Catalogue::english();
        let Control::Input(mine) = control(kind("email"), None, &c, false) else {
            panic!()
        };
        assert_eq!((mine.autocomplete, mine.spellcheck), (Some("email"), Some("false")));
        let Control::Input(shared) = control(kind("email"), None, &c, true) else {
            panic!()
        };
        assert_eq!(shared.autocomplete, Some("off"));
        let Control::Input(n) = control(kind("number"), None, &c, false) else {
            panic!()
        };
        assert_eq!(
            (n.inputmode, n.spellcheck, n.width),
            (Some("decimal"), None, "sw-input--width-5")
        );
    }

    #[test]
    fn each_kind_makes_its_own_edit() {
        let v = || "a".to_owned();
        assert_eq!(
            choice_edit(&question("multipleChoice").kind, None, v(), false),
            Edit::Toggle(v(), false)
        );
        assert_eq!(
            choice_edit(&question("consent").kind, None, v(), true),
            Edit::Consent(true)
        );
        assert_eq!(
            choice_edit(&question("likert").kind, Some("r"), v(), true),
            Edit::Row("r".into(), v())
        );
        assert_eq!(choice_edit(&question("yesNo").kind, None, v(), true), Edit::Choose(v()));
    }

    #[test]
    fn selected_values_per_answer_and_row() {
        let choice = Answer::Choice {
            value: "a".into(),
            other: "x".into(),
        };
        assert_eq!(selected(Some(&choice), None), ["a"]);
        assert_eq!(other_text(Some(&choice)), "x");
        assert_eq!(selected(Some(&Answer::Consent { given: true }), None), ["yes"]);
        let grid = Answer::Matrix {
            rows: [("r".to_owned(), "1".to_owned())].into(),
        };
        assert_eq!(selected(Some(&grid), Some("r")), ["1"]);
        assert!(selected(Some(&grid), Some("s")).is_empty());
        assert!(selected(None, None).is_empty());
    }

    #[test]
    fn the_character_count_counts_down_then_over() {
        let c = Catalogue::english();
        let typed = |s: &str| Answer::Text { value: s.into() };
        assert_eq!(characters_used(Some(&typed("  ab  "))), 2);
        assert_eq!(character_count(0, 10, &c), "You have 10 characters remaining");
        assert_eq!(character_count(9, 10, &c), "You have 1 character remaining");
        assert_eq!(character_count(11, 10, &c), "You have 1 character too many");
        assert_eq!(character_count(13, 10, &c), "You have 3 characters too many");
    }

    #[test]
    fn described_by_lists_what_is_there_in_order() {
        assert_eq!(
            described_by(&[Some("h".into()), None, Some("e".into())]).as_deref(),
            Some("h e")
        );
        assert_eq!(described_by(&[None, None]), None);
    }
}
