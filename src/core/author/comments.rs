//! Co-design (issue #25): people who do not edit the survey, such as a carers' co-production
//! group, leave a comment or suggest other words for any question of a draft, on their own
//! device and offline if need be, then send their comments as a file. The officer accepts or
//! declines each, and the survey's history keeps who suggested what and what became of it.
use super::draft::{self, default_language, Refused};
use super::question::QuestionForm;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One person's comments on one draft, as the file they send.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Comments {
    /// The survey's id.
    pub survey: String,
    /// The draft's version.
    pub version: String,
    /// Who: the name or initials they gave.
    pub by: String,
    /// What they said, question by question.
    pub items: Vec<Item>,
}

/// What someone said about one question.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    /// The question's id.
    pub question: String,
    /// A comment, empty for none.
    #[serde(default)]
    pub comment: String,
    /// Other words for the question, empty for none.
    #[serde(default)]
    pub wording: String,
}

impl Item {
    /// Whether it says anything.
    pub fn is_empty(&self) -> bool {
        self.comment.trim().is_empty() && self.wording.trim().is_empty()
    }
}

/// A suggestion decided, for the survey's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decided {
    /// Who suggested it.
    pub by: String,
    /// The question, by id.
    pub question: String,
    /// The question's words when it was decided.
    pub title: String,
    /// The comment.
    #[serde(default)]
    pub comment: String,
    /// The suggested words.
    #[serde(default)]
    pub wording: String,
    /// Whether the suggested words were used (a comment alone is "noted": `false`).
    pub accepted: bool,
}

/// Why a comments file cannot be taken.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CommentsError {
    /// Not a comments file.
    #[error("not a comments file")]
    NotComments,
    /// Comments on another survey.
    #[error("comments on survey {0}")]
    OtherSurvey(String),
}

impl Comments {
    /// Empty comments by `by` on `survey`.
    pub fn on(survey: &Value, by: &str) -> Self {
        let text = |k: &str| survey.get(k).and_then(Value::as_str).unwrap_or_default().to_owned();
        Comments {
            survey: text("id"),
            version: text("version"),
            by: by.trim().to_owned(),
            items: Vec::new(),
        }
    }

    /// Sets what `by` says about `question`: its comment or (`wording`) its suggested words.
    pub fn set(&mut self, question: &str, wording: bool, text: &str) {
        let item = match self.items.iter_mut().position(|i| i.question == question) {
            Some(i) => &mut self.items[i],
            None => {
                self.items.push(Item {
                    question: question.to_owned(),
                    ..Item::default()
                });
                let last = self.items.len() - 1;
                &mut self.items[last]
            }
        };
        if wording {
            item.wording = text.to_owned();
        } else {
            item.comment = text.to_owned();
        }
        self.items.retain(|i| !i.is_empty());
    }

    /// What `by` said about `question`.
    pub fn get(&self, question: &str) -> Item {
        self.items
            .iter()
            .find(|i| i.question == question)
            .cloned()
            .unwrap_or_default()
    }

    /// As the file sent to the officer.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Reads a comments file on `survey`.
    ///
    /// # Errors
    /// [`CommentsError`] for a file that is not one, or is about another survey.
    pub fn read(text: &str, survey: &Value) -> Result<Self, CommentsError> {
        let value = crate::core::text::json::parse(text).map_err(|_| CommentsError::NotComments)?;
        let comments: Comments = serde_json::from_value(value).map_err(|_| CommentsError::NotComments)?;
        let id = survey.get("id").and_then(Value::as_str).unwrap_or_default();
        if comments.survey != id {
            return Err(CommentsError::OtherSurvey(comments.survey));
        }
        Ok(comments)
    }
}

/// Decides one suggestion: with `accept`, the suggested words become the question's (in the
/// default language, its translations then flagged to check). Returns the history entry.
///
/// # Errors
/// [`Refused::NoQuestion`] when the question is no longer in the survey.
pub fn decide(survey: &mut Value, by: &str, item: &Item, accept: bool) -> Result<Decided, Refused> {
    let lang = default_language(survey);
    let q = draft::question(survey, &item.question).ok_or_else(|| Refused::NoQuestion(item.question.clone()))?;
    let mut form = QuestionForm::read(q, &lang);
    let use_words = accept && !item.wording.trim().is_empty();
    if use_words {
        form.title = item.wording.trim().to_owned();
        draft::change(survey, &item.question, &form)?;
    }
    Ok(Decided {
        by: by.to_owned(),
        question: item.question.clone(),
        title: form.title,
        comment: item.comment.clone(),
        wording: item.wording.clone(),
        accepted: use_words,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn survey() -> Value {
        json!({ "formatVersion": 1, "id": "lib", "version": "2", "title": "Library",
            "pages": [{ "id": "q", "questions": [{ "id": "q", "type": "text", "title": "How often do you attend?" }] }] })
    }

    #[test]
    fn a_comments_file_round_trips_and_is_refused_for_another_survey() {
        let s = survey();
        let mut c = Comments::on(&s, " Ann ");
        c.set("q", false, "Attend is a hard word");
        c.set("q", true, "How often do you go?");
        assert_eq!(c.get("q").wording, "How often do you go?");
        c.set("q", false, "");
        assert_eq!(c.items.len(), 1, "the wording stays");
        c.set("q", true, " ");
        assert!(c.items.is_empty(), "nothing said, nothing kept");
        c.set("q", true, "How often do you go?");
        let back = Comments::read(&c.to_json(), &s).unwrap();
        assert_eq!((back.by.as_str(), back.version.as_str()), ("Ann", "2"));
        assert_eq!(back, c);
        let other = json!({ "id": "other" });
        assert_eq!(
            Comments::read(&c.to_json(), &other),
            Err(CommentsError::OtherSurvey("lib".into()))
        );
        assert_eq!(Comments::read("[1]", &s), Err(CommentsError::NotComments));
        assert_eq!(Comments::read("{", &s), Err(CommentsError::NotComments));
    }

    #[test]
    fn accepting_words_changes_the_question_and_declining_keeps_it() {
        let mut s = survey();
        let item = Item {
            question: "q".into(),
            comment: "Plainer".into(),
            wording: "How often do you go?".into(),
        };
        let declined = decide(&mut s, "Ann", &item, false).unwrap();
        assert!(!declined.accepted);
        assert_eq!(draft::question(&s, "q").unwrap()["title"], "How often do you attend?");
        let accepted = decide(&mut s, "Ann", &item, true).unwrap();
        assert!(accepted.accepted);
        assert_eq!(accepted.title, "How often do you go?");
        assert_eq!(draft::question(&s, "q").unwrap()["title"], "How often do you go?");
        let gone = Item {
            question: "nope".into(),
            ..Item::default()
        };
        assert_eq!(
            decide(&mut s, "Ann", &gone, true),
            Err(Refused::NoQuestion("nope".into()))
        );
    }
}
