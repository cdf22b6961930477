//! The survey model a definition file loads into. Built only by [`super::load`],
//! which checks every rule, so the rest of the engine can trust it.
use super::condition::Condition;
use super::date::Date;
use super::ids::{PageId, QuestionId, SurveyId};
use crate::core::text::Catalogue;
use std::collections::BTreeMap;

/// The definition format version this build reads.
pub const FORMAT_VERSION: u64 = 1;

/// A loaded, checked survey definition.
#[derive(Clone, Debug)]
pub struct Survey {
    /// Stable id, shared by every version of the survey.
    pub id: SurveyId,
    /// The version every response carries.
    pub version: String,
    /// Shown as the start page heading and in the document title.
    pub title: String,
    /// Paragraphs on the start page explaining the purpose.
    pub description: Vec<String>,
    /// The language of the title when it is not the widget's (a BCP 47 tag).
    pub lang: Option<String>,
    /// The description's, when it is not the widget's: the survey's declared `lang`, or in a
    /// draft the default language's where the description was not translated.
    pub description_lang: Option<String>,
    /// How long the survey takes, shown on the start page.
    pub estimated_minutes: Option<u32>,
    /// The privacy notice, linked from the start page.
    pub privacy_notice: Option<Link>,
    /// Where completed responses go, if the survey names a place.
    pub endpoint: Option<String>,
    /// Where the council publishes this survey's outcomes ("You said, we did"), a feed as
    /// `public/outcomes.schema.json` describes.
    pub outcomes: Option<String>,
    /// Pages in order.
    pub pages: Vec<Page>,
    /// The languages the survey is written in, the default first; never empty. A survey that
    /// declares none is in English alone.
    pub languages: Vec<Language>,
    /// The language this copy's texts are in: one of `languages`, chosen when it was loaded.
    pub locale: String,
    /// Marked `draft`: a translation may be incomplete, and `missing` says where.
    pub draft: bool,
    /// In a draft, each text that lacks a language (a complete survey has none). The widget
    /// shows the default language's text there, marked with its `lang`.
    pub missing: Vec<MissingText>,
}

/// One language a survey is written in.
#[derive(Clone, Debug, PartialEq)]
pub struct Language {
    /// A BCP 47 tag, such as `cy` or `ur`.
    pub code: String,
    /// The language's name in itself ("Cymraeg", "اردو"), as the language switch shows it.
    pub name: String,
    /// Written right to left (declared in the survey, never guessed from the text).
    pub rtl: bool,
}

/// A text that has no version in one of the survey's languages.
#[derive(Clone, Debug, PartialEq)]
pub struct MissingText {
    /// The JSON path of the text, such as `$.pages[0].questions[1].hint`.
    pub path: String,
    /// The language it lacks.
    pub lang: String,
}

impl Survey {
    /// The language this copy is in.
    pub fn language(&self) -> Option<&Language> {
        self.languages.iter().find(|l| l.code == self.locale)
    }

    /// Every question in document order with the index of its page.
    pub fn questions(&self) -> std::vec::IntoIter<(usize, &Question)> {
        // A collected Vec rather than a FlatMap adapter: the adapter costs several KB of wasm
        // for each place it is used, and surveys are small.
        let mut all = Vec::new();
        for (i, page) in self.pages.iter().enumerate() {
            for q in &page.questions {
                all.push((i, q));
            }
        }
        all.into_iter()
    }

    /// The question with this id and the index of its page.
    pub fn question(&self, id: &QuestionId) -> Option<(usize, &Question)> {
        self.questions().find(|(_, q)| &q.id == id)
    }
}

/// A link to somewhere outside the survey. Only `https:`, `mailto:` and `tel:` pass loading.
#[derive(Clone, Debug, PartialEq)]
pub struct Link {
    /// The visible link text.
    pub text: String,
    /// The checked target.
    pub href: String,
    /// The language of the link text when it is not the widget's.
    pub lang: Option<String>,
}

impl Link {
    /// Whether the link opens in a new tab (web pages do; `mailto:` and `tel:` do not).
    /// Loading accepts the scheme in any case, so it is compared that way here too.
    pub fn new_tab(&self) -> bool {
        self.href.get(..6).is_some_and(|s| s.eq_ignore_ascii_case("https:"))
    }
}

/// One screen of questions.
#[derive(Clone, Debug)]
pub struct Page {
    /// Stable page id.
    pub id: PageId,
    /// The heading of a page that groups several questions; single-question pages use the
    /// question's title as their heading.
    pub title: Option<String>,
    /// The language of the page title when it is not the widget's.
    pub lang: Option<String>,
    /// The page is shown only when this holds.
    pub show_if: Option<Condition>,
    /// Questions on the page, in order.
    pub questions: Vec<Question>,
}

/// One question (or information block).
#[derive(Clone, Debug)]
pub struct Question {
    /// Stable id; answers are keyed by it.
    pub id: QuestionId,
    /// The question as asked.
    pub title: String,
    /// Extra guidance shown under the title.
    pub hint: Option<String>,
    /// The language of the question's title when it is not the widget's: its declared
    /// `lang`, or in a draft the default language's where the title was not translated.
    /// Choices and statements carry their own.
    pub lang: Option<String>,
    /// The hint's, the same way.
    pub hint_lang: Option<String>,
    /// The rest of the question's own texts' (a label, a body, yes/no and scale labels,
    /// messages), the same way.
    pub texts_lang: Option<String>,
    /// Whether an answer is needed to continue. Optional questions say "(optional)".
    pub required: bool,
    /// The question is shown only when this holds.
    pub show_if: Option<Condition>,
    /// How error messages name the answer, e.g. "your age" in "Enter your age".
    pub error_name: Option<String>,
    /// Per-rule message overrides, keyed by rule name (`required`, `min`, `pattern`, …).
    pub messages: BTreeMap<String, String>,
    /// The survey's `personal`, if it says; see [`Question::is_personal`].
    pub personal: Option<bool>,
    /// The answer type and its settings.
    pub kind: QuestionKind,
}

/// A choice in a list: the value stored and the label shown.
#[derive(Clone, Debug, PartialEq)]
pub struct Choice {
    /// Stored in the response.
    pub value: String,
    /// Shown to the person.
    pub label: String,
    /// Optional hint under the label.
    pub hint: Option<String>,
    /// The language of the label when it is not the widget's, e.g. `ur` for an option
    /// written in Urdu, so screen readers pronounce it; the hint (say, "Urdu") is not.
    pub lang: Option<String>,
    /// The hint's, in a draft where it was not translated: the default language's.
    pub hint_lang: Option<String>,
}

/// A statement in a Likert matrix; each is its own radio group.
#[derive(Clone, Debug, PartialEq)]
pub struct Statement {
    /// Stable id, the key of this row in the answer.
    pub id: String,
    /// The statement text, the legend of its radio group.
    pub text: String,
    /// The language of the text when it is not the widget's.
    pub lang: Option<String>,
}

/// A bounded pattern a short text answer must match as a whole.
#[derive(Clone, Debug)]
pub struct Pattern {
    /// The pattern as written in the survey file.
    pub source: String,
    /// The compiled matcher.
    pub matcher: super::pattern::Pattern,
}

/// Answer types and their settings.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum QuestionKind {
    /// A single line of text.
    ShortText {
        /// Fewest characters allowed.
        min_length: Option<u32>,
        /// Most characters allowed.
        max_length: u32,
        /// A pattern the whole answer must match.
        pattern: Option<Pattern>,
        /// The HTML `autocomplete` token, e.g. `name`.
        autocomplete: Option<String>,
    },
    /// Several lines of text with a character count.
    LongText {
        /// Fewest characters allowed.
        min_length: Option<u32>,
        /// Most characters allowed; the count shows what is left.
        max_length: u32,
    },
    /// A number.
    Number {
        /// Whole numbers only.
        integer: bool,
        /// Smallest value allowed.
        min: Option<f64>,
        /// Largest value allowed.
        max: Option<f64>,
        /// Unit shown after the box, e.g. "hours".
        suffix: Option<String>,
    },
    /// A date entered as day, month and year.
    Date {
        /// Earliest date allowed.
        min: Option<Date>,
        /// Latest date allowed.
        max: Option<Date>,
        /// The date must be before today.
        past: bool,
    },
    /// An email address.
    Email,
    /// A UK telephone number.
    Phone,
    /// Radios: exactly one choice.
    SingleChoice {
        /// The choices.
        choices: Vec<Choice>,
        /// An "Other" choice that reveals a text box.
        other: Option<Choice>,
        /// Most characters allowed in the "Other" box.
        other_max_length: u32,
    },
    /// Checkboxes: any number of choices.
    MultipleChoice {
        /// The choices.
        choices: Vec<Choice>,
        /// An exclusive "None of these" choice.
        none: Option<Choice>,
        /// Fewest selections when answered.
        min_selected: Option<u32>,
        /// Most selections.
        max_selected: Option<u32>,
    },
    /// Yes or no radios. The labels may be the survey's own: Welsh answers with the question's
    /// verb ("Ydw / Nac ydw", "Oes / Nac oes"); otherwise the catalogue's "Yes" and "No".
    YesNo {
        /// The label of "yes".
        yes: Option<String>,
        /// The label of "no".
        no: Option<String>,
    },
    /// A numeric scale with labelled ends, e.g. 1–5 or 0–10.
    Rating {
        /// Lowest point of the scale.
        min: i64,
        /// Highest point of the scale.
        max: i64,
        /// Label of the low end.
        min_label: Option<String>,
        /// Label of the high end.
        max_label: Option<String>,
    },
    /// Several statements answered on one scale.
    Likert {
        /// The statements, one radio group each.
        statements: Vec<Statement>,
        /// The shared scale.
        scale: Vec<Choice>,
    },
    /// A box that must be ticked to continue.
    Consent {
        /// The label of the box.
        label: String,
        /// The privacy notice the consent refers to.
        privacy_notice: Option<Link>,
    },
    /// Information with no answer.
    Info {
        /// Paragraphs of text.
        body: Vec<String>,
        /// Links shown after the text.
        links: Vec<Link>,
    },
}

impl Question {
    /// Whether the answer is about who the person is (contact details, identity,
    /// demographics), so summaries on a shared device show only how many answered it and a
    /// suggested public theme never starts from it: the survey's `personal`, or by default
    /// for email and phone questions and text questions whose `autocomplete` asks for a name,
    /// an address, a postcode, a phone number or a birth date. Worked out when asked, so the
    /// respondent's widget, which never asks, carries none of it.
    pub fn is_personal(&self) -> bool {
        self.personal.unwrap_or_else(|| self.kind.is_personal_by_default())
    }
}

/// `autocomplete` tokens that ask for personal details (WHATWG's names for a person's name,
/// contact details, address and birth date).
pub const PERSONAL_AUTOCOMPLETE: [&str; 22] = [
    "name",
    "honorific-prefix",
    "given-name",
    "additional-name",
    "family-name",
    "honorific-suffix",
    "nickname",
    "email",
    "tel",
    "tel-national",
    "street-address",
    "address-line1",
    "address-line2",
    "address-line3",
    "address-level1",
    "address-level2",
    "address-level3",
    "address-level4",
    "postal-code",
    "bday",
    "bday-year",
    "sex",
];

impl QuestionKind {
    /// Whether answers of this kind are personal when the survey does not say: email and phone
    /// numbers, and text whose `autocomplete` asks for personal details.
    pub fn is_personal_by_default(&self) -> bool {
        match self {
            Self::Email | Self::Phone => true,
            Self::ShortText {
                autocomplete: Some(token),
                ..
            } => PERSONAL_AUTOCOMPLETE.contains(&token.as_str()),
            _ => false,
        }
    }

    /// Whether the question collects an answer at all.
    pub fn is_answerable(&self) -> bool {
        !matches!(self, Self::Info { .. })
    }

    /// Whether the question is a group of controls (fieldset and legend) rather than one control.
    pub fn is_group(&self) -> bool {
        matches!(
            self,
            Self::Date { .. }
                | Self::SingleChoice { .. }
                | Self::MultipleChoice { .. }
                | Self::YesNo { .. }
                | Self::Rating { .. }
                | Self::Likert { .. }
                | Self::Consent { .. }
        )
    }

    /// Whether the answer has a numeric value that numeric conditions can compare.
    pub fn is_numeric(&self) -> bool {
        matches!(self, Self::Number { .. } | Self::Rating { .. })
    }
}

/// A yes/no question's two options, labelled by the survey (`yes`, `no`) or else from the
/// catalogue; the analysis exports label them the same way. The values are always `yes` and
/// `no`, whatever the language. The survey's own labels are in `lang` when that is not the
/// widget's; the catalogue's are in the widget's.
pub fn yes_no_choices(
    yes: &Option<String>,
    no: &Option<String>,
    catalogue: &Catalogue,
    lang: Option<&String>,
) -> Vec<Choice> {
    [("yes", yes), ("no", no)]
        .into_iter()
        .map(|(value, own)| Choice {
            value: value.into(),
            label: own
                .clone()
                .unwrap_or_else(|| catalogue.get(&format!("answer.{value}")).to_owned()),
            hint: None,
            lang: own.as_ref().and(lang.cloned()),
            hint_lang: None,
        })
        .collect()
}

/// A rating scale's points: each labelled with its number, the ends' labels as their hints,
/// in `lang` when that is not the widget's.
pub fn rating_points(
    min: i64,
    max: i64,
    min_label: &Option<String>,
    max_label: &Option<String>,
    lang: Option<&String>,
) -> Vec<Choice> {
    (min..=max)
        .map(|n| {
            let hint = if n == min {
                min_label.clone()
            } else if n == max {
                max_label.clone()
            } else {
                None
            };
            Choice {
                value: n.to_string(),
                label: n.to_string(),
                hint_lang: hint.as_ref().and(lang.cloned()),
                hint,
                lang: None,
            }
        })
        .collect()
}
