//! Advice on a survey as it is written (issue #25): what makes a question hard to answer or
//! to read, found by reading the loaded survey. Never blocking: a survey with advice still
//! loads and runs; `preview.html` shows each piece beside the question it is about, and the
//! collector will run the same checks when a survey is published.
//!
//! The accessibility checks follow the GOV.UK Design System's guidance for each pattern
//! (radios, checkboxes, dates, text areas) and its research on grids; the plain English ones
//! follow GOV.UK's content design guidance: sentences of at most 25 words, a reading age of
//! about 9, and its list of words to avoid. Reading age and sentence length are judged only
//! for English texts, where the estimate means something.
use super::definition::{Choice, Question, QuestionKind, Survey};

/// More statements than this in a grid is hard work on a phone (GOV.UK advises against grids).
pub const MAX_GRID_STATEMENTS: usize = 5;
/// More points than this on a grid's scale is hard to tell apart.
pub const MAX_GRID_POINTS: usize = 7;
/// More radio options than this is a list no one reads to the end: split it or use a
/// different question.
pub const MAX_RADIOS: usize = 30;
/// GOV.UK's longest sentence.
pub const MAX_SENTENCE_WORDS: usize = 25;
/// The reading age GOV.UK writes for.
pub const READING_AGE: u32 = 9;

/// GOV.UK's words to avoid (its style guide's "Plain English" list), lower case.
pub const WORDS_TO_AVOID: [&str; 32] = [
    "agenda",
    "advancing",
    "collaborate",
    "combat",
    "commit",
    "countering",
    "deliver",
    "deploy",
    "dialogue",
    "disincentivise",
    "drive out",
    "empower",
    "facilitate",
    "focusing",
    "foster",
    "going forward",
    "impact",
    "incentivise",
    "initiate",
    "key",
    "land",
    "leverage",
    "liaise",
    "overarching",
    "pledge",
    "progress",
    "promote",
    "robust",
    "slim down",
    "streamline",
    "tackling",
    "utilise",
];

/// Care and council jargon that people answering a survey may not know, lower case. A
/// council adds its own (`advise`'s `jargon`).
pub const JARGON: [&str; 12] = [
    "service user",
    "stakeholder",
    "signpost",
    "signposting",
    "co-production",
    "reablement",
    "commissioning",
    "safeguarding",
    "outcomes framework",
    "pathway",
    "cohort",
    "holistic",
];

/// One piece of advice: where it is (a JSON path into the definition) and what it is.
#[derive(Clone, Debug, PartialEq)]
pub struct Advice {
    /// Where in the file, such as `$.pages[3].questions[0].title`.
    pub path: String,
    /// The question's id, when it is about a question.
    pub question: Option<String>,
    /// What to change.
    pub kind: AdviceKind,
}

/// What a piece of advice says.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum AdviceKind {
    /// A grid with too many statements or points.
    BigGrid {
        /// Its statements.
        statements: usize,
        /// The points of its scale.
        points: usize,
    },
    /// A single question with more radio options than [`MAX_RADIOS`].
    ManyRadios(usize),
    /// A free-text question people must answer.
    CompulsoryFreeText,
    /// A question that seems to ask two things at once.
    TwoQuestions,
    /// An option called "Other" with nowhere to say what.
    OtherWithoutBox(String),
    /// An answer with a format (a date, a pattern, a phone number) and no hint showing it.
    FormatWithoutHint,
    /// A sentence longer than [`MAX_SENTENCE_WORDS`].
    LongSentence(usize),
    /// A text whose estimated reading age is above [`READING_AGE`].
    ReadingAge(u32),
    /// One of GOV.UK's words to avoid.
    WordToAvoid(String),
    /// Jargon people may not know.
    Jargon(String),
}

impl AdviceKind {
    /// The message key a catalogue words it with (`advice.<key>`).
    pub fn key(&self) -> &'static str {
        match self {
            Self::BigGrid { .. } => "advice.bigGrid",
            Self::ManyRadios(_) => "advice.manyRadios",
            Self::CompulsoryFreeText => "advice.compulsoryFreeText",
            Self::TwoQuestions => "advice.twoQuestions",
            Self::OtherWithoutBox(_) => "advice.otherWithoutBox",
            Self::FormatWithoutHint => "advice.formatWithoutHint",
            Self::LongSentence(_) => "advice.longSentence",
            Self::ReadingAge(_) => "advice.readingAge",
            Self::WordToAvoid(_) => "advice.wordToAvoid",
            Self::Jargon(_) => "advice.jargon",
        }
    }

    /// The placeholders its message fills in.
    pub fn params(&self) -> Vec<(&'static str, String)> {
        match self {
            Self::BigGrid { statements, points } => vec![
                ("statements", statements.to_string()),
                ("points", points.to_string()),
                ("maxStatements", MAX_GRID_STATEMENTS.to_string()),
                ("maxPoints", MAX_GRID_POINTS.to_string()),
            ],
            Self::ManyRadios(n) => vec![("count", n.to_string()), ("max", MAX_RADIOS.to_string())],
            Self::OtherWithoutBox(label) => vec![("label", label.clone())],
            Self::LongSentence(words) => vec![("words", words.to_string()), ("max", MAX_SENTENCE_WORDS.to_string())],
            Self::ReadingAge(age) => vec![("age", age.to_string()), ("target", READING_AGE.to_string())],
            Self::WordToAvoid(word) | Self::Jargon(word) => vec![("word", word.clone())],
            Self::CompulsoryFreeText | Self::TwoQuestions | Self::FormatWithoutHint => Vec::new(),
        }
    }
}

/// Every piece of advice for `survey`, in the order of the file. `jargon` adds a council's
/// own words to [`JARGON`] (lower case or not).
pub fn advise(survey: &Survey, jargon: &[String]) -> Vec<Advice> {
    let english = survey.locale == "en" || survey.locale.starts_with("en-");
    let mut words: Vec<String> = JARGON.iter().map(|w| (*w).to_owned()).collect();
    words.extend(
        jargon
            .iter()
            .map(|w| w.trim().to_ascii_lowercase())
            .filter(|w| !w.is_empty()),
    );
    let mut out = Vec::new();
    wording("$.title", None, &survey.title, english, &words, &mut out);
    for (d, paragraph) in survey.description.iter().enumerate() {
        wording(
            &format!("$.description[{d}]"),
            None,
            paragraph,
            english,
            &words,
            &mut out,
        );
    }
    for (p, page) in survey.pages.iter().enumerate() {
        if let Some(title) = &page.title {
            wording(&format!("$.pages[{p}].title"), None, title, english, &words, &mut out);
        }
        for (i, q) in page.questions.iter().enumerate() {
            let at = format!("$.pages[{p}].questions[{i}]");
            let id = Some(q.id.as_str().to_owned());
            let mut add = |path: String, kind| {
                out.push(Advice {
                    path,
                    question: id.clone(),
                    kind,
                })
            };
            for kind in question_advice(q) {
                add(at.clone(), kind);
            }
            if q.kind.is_answerable() && asks_two_things(&q.title) {
                add(format!("{at}.title"), AdviceKind::TwoQuestions);
            }
            wording(
                &format!("{at}.title"),
                id.as_deref(),
                &q.title,
                english,
                &words,
                &mut out,
            );
            if let Some(hint) = &q.hint {
                wording(&format!("{at}.hint"), id.as_deref(), hint, english, &words, &mut out);
            }
            if let QuestionKind::Info { body, .. } = &q.kind {
                for (b, paragraph) in body.iter().enumerate() {
                    wording(
                        &format!("{at}.body[{b}]"),
                        id.as_deref(),
                        paragraph,
                        english,
                        &words,
                        &mut out,
                    );
                }
            }
        }
    }
    out
}

/// What the question's kind and settings make hard to answer.
fn question_advice(q: &Question) -> Vec<AdviceKind> {
    let mut found = Vec::new();
    let other_named = |choices: &[Choice]| {
        choices
            .iter()
            .find(|c| is_other(&c.label))
            .map(|c| AdviceKind::OtherWithoutBox(c.label.clone()))
    };
    match &q.kind {
        QuestionKind::Likert { statements, scale }
            if statements.len() > MAX_GRID_STATEMENTS || scale.len() > MAX_GRID_POINTS =>
        {
            found.push(AdviceKind::BigGrid {
                statements: statements.len(),
                points: scale.len(),
            });
        }
        QuestionKind::SingleChoice { choices, .. } => {
            if choices.len() > MAX_RADIOS {
                found.push(AdviceKind::ManyRadios(choices.len()));
            }
            // The definition's `other` brings its own box; a plain option called "Other" has none.
            found.extend(other_named(choices));
        }
        QuestionKind::MultipleChoice { choices, .. } => found.extend(other_named(choices)),
        QuestionKind::LongText { .. } if q.required => found.push(AdviceKind::CompulsoryFreeText),
        QuestionKind::ShortText {
            pattern, autocomplete, ..
        } => {
            // A name or an address field people must fill is a form, not free text.
            if q.required && pattern.is_none() && autocomplete.is_none() {
                found.push(AdviceKind::CompulsoryFreeText);
            }
            if pattern.is_some() && q.hint.is_none() {
                found.push(AdviceKind::FormatWithoutHint);
            }
        }
        QuestionKind::Date { .. } | QuestionKind::Phone if q.hint.is_none() => {
            found.push(AdviceKind::FormatWithoutHint);
        }
        _ => {}
    }
    found
}

/// "Other", "Other (please specify)", "Something else": an option that needs a box.
fn is_other(label: &str) -> bool {
    let l = label.trim().to_ascii_lowercase();
    l == "other" || l.starts_with("other ") || l.starts_with("other (") || l == "something else"
}

/// Words that start a question: after "and" or "or" they begin a second ask.
const ASKING: [&str; 24] = [
    "how", "what", "why", "when", "where", "who", "which", "whose", "do", "does", "did", "is", "are", "was", "were",
    "can", "could", "would", "will", "should", "have", "has", "had", "tell",
];

/// Whether a title asks two things: two question marks, or "and" / "or" followed by a word
/// that starts a question ("How easy was it, and would you use it again?"). "Do you care for
/// a partner or a parent?" is one ask.
pub fn asks_two_things(title: &str) -> bool {
    if title.matches('?').count() > 1 {
        return true;
    }
    let words: Vec<String> = title
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_ascii_alphanumeric())
                .to_ascii_lowercase()
        })
        .collect();
    words
        .windows(2)
        .enumerate()
        .any(|(i, pair)| i > 0 && (pair[0] == "and" || pair[0] == "or") && ASKING.contains(&pair[1].as_str()))
}

/// Plain English advice on one text.
fn wording(path: &str, question: Option<&str>, text: &str, english: bool, jargon: &[String], out: &mut Vec<Advice>) {
    let mut add = |kind| {
        out.push(Advice {
            path: path.to_owned(),
            question: question.map(str::to_owned),
            kind,
        })
    };
    let lower = format!(" {} ", words_of(text).join(" "));
    // The word itself or its plural ("stakeholders"), never a word it is part of ("keyboard").
    let has = |word: &str| {
        let word = words_of(word).join(" ");
        lower.contains(&format!(" {word} ")) || lower.contains(&format!(" {word}s "))
    };
    for word in WORDS_TO_AVOID {
        if has(word) {
            add(AdviceKind::WordToAvoid(word.to_owned()));
        }
    }
    for word in jargon {
        if has(word) {
            add(AdviceKind::Jargon(word.clone()));
        }
    }
    if !english {
        return;
    }
    if let Some(longest) = sentences(text).iter().map(|s| words_of(s).len()).max() {
        if longest > MAX_SENTENCE_WORDS {
            add(AdviceKind::LongSentence(longest));
        }
    }
    if let Some(age) = reading_age(text) {
        if age > READING_AGE {
            add(AdviceKind::ReadingAge(age));
        }
    }
}

/// The text's words, lower case, without punctuation around them. ASCII only: the word lists
/// and the reading-age estimate are English, and Unicode's case and letter tables added 6.7 KB
/// to `preview.html`.
fn words_of(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || c == '/')
        .map(|w| {
            w.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '-')
                .to_ascii_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// The text's sentences (split after `.`, `?`, `!` and at line breaks).
fn sentences(text: &str) -> Vec<&str> {
    text.split(['.', '?', '!', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// A reading-age estimate: the Flesch-Kincaid grade plus 5 (a UK reading age), from words per
/// sentence and syllables per word. `None` for texts under 12 words, where it means nothing.
pub fn reading_age(text: &str) -> Option<u32> {
    let words = words_of(text);
    if words.len() < 12 {
        return None;
    }
    let sentences = sentences(text).len().max(1) as f64;
    let syllables: usize = words.iter().map(|w| syllables(w)).sum();
    let n = words.len() as f64;
    let grade = 0.39 * (n / sentences) + 11.8 * (syllables as f64 / n) - 15.59;
    Some((grade.max(0.0) + 5.0).round() as u32)
}

/// Syllables in an English word, estimated from its vowel groups (a silent final "e" not
/// counted): good enough for an estimate across a text.
pub fn syllables(word: &str) -> usize {
    let letters: Vec<char> = word.chars().filter(char::is_ascii_alphabetic).collect();
    if letters.is_empty() {
        return 0;
    }
    let vowel = |c: char| "aeiouy".contains(c);
    let mut count = 0;
    let mut previous = false;
    for &c in &letters {
        let v = vowel(c);
        if v && !previous {
            count += 1;
        }
        previous = v;
    }
    let n = letters.len();
    // A final "e" after a consonant is silent ("care"), but not in "-le" after one ("table").
    let silent_e =
        n > 2 && letters[n - 1] == 'e' && !vowel(letters[n - 2]) && (letters[n - 2] != 'l' || vowel(letters[n - 3]));
    if silent_e {
        count -= usize::from(count > 1);
    }
    count.max(1)
}
