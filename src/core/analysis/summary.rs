//! "What we heard today": per-question figures for the responses on an event device, for the
//! officer console's charts and tables. Pure and linear in the number of answers.
use crate::core::survey::date::Date;
use crate::core::survey::definition::{yes_no_choices, QuestionKind, Survey};
use crate::core::survey::validate::format_date;
use crate::core::text::Catalogue;
use serde_json::{Map, Value};

/// One bar of a chart: an option and how many chose it.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    /// The option's label.
    pub label: String,
    /// People who chose it.
    pub count: usize,
    /// Of the people who answered the question, rounded to a whole number.
    pub percent: u32,
}

/// A number question's summary.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Numbers {
    /// Median (the mean of the middle two for an even count).
    pub median: f64,
    /// Smallest answer.
    pub min: f64,
    /// Largest answer.
    pub max: f64,
}

/// What a question's answers add up to.
#[derive(Clone, Debug, PartialEq)]
pub enum Figures {
    /// Choice, yes/no, rating and consent questions: one bar per option, in the survey's
    /// order; the texts typed into "Other", if any.
    Counts {
        /// The bars.
        bars: Vec<Bar>,
        /// Texts typed into an "Other" box.
        others: Vec<String>,
        /// Several options may be chosen, so percentages can add up to more than 100.
        multiple: bool,
    },
    /// A Likert matrix: bars per statement.
    Likert(Vec<(String, Vec<Bar>)>),
    /// A number question; `None` when nobody answered.
    Numbers(Option<Numbers>),
    /// Free text and dates (in words): the answers as a list.
    Texts(Vec<String>),
    /// A personal question (contact details, identity, demographics, or one the survey marks
    /// `personal`): only how many answered, since the device is in a public room (issue #21).
    Personal,
}

/// One question's summary.
#[derive(Clone, Debug, PartialEq)]
pub struct QuestionSummary {
    /// Question id.
    pub id: String,
    /// The question as asked.
    pub title: String,
    /// People who answered it.
    pub answered: usize,
    /// The figures.
    pub figures: Figures,
}

fn percent(count: usize, of: usize) -> u32 {
    if of == 0 {
        0
    } else {
        ((count as f64) * 100.0 / (of as f64)).round() as u32
    }
}

fn bars(labels: Vec<(String, String)>, counts: &[usize], answered: usize) -> Vec<Bar> {
    labels
        .into_iter()
        .zip(counts)
        .map(|((_, label), &count)| Bar {
            label,
            count,
            percent: percent(count, answered),
        })
        .collect()
}

/// The median, minimum and maximum of some numbers; `None` for none.
pub fn numbers(mut values: Vec<f64>) -> Option<Numbers> {
    values.retain(|v| v.is_finite());
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let n = values.len();
    let median = if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    };
    Some(Numbers {
        median,
        min: values[0],
        max: values[n - 1],
    })
}

/// Per answerable question of `survey`, in order, the figures for these responses' answers.
pub fn summarise(survey: &Survey, responses: &[&Map<String, Value>], catalogue: &Catalogue) -> Vec<QuestionSummary> {
    let mut out = Vec::new();
    for (_, q) in survey.questions() {
        let answers: Vec<&Value> = responses.iter().filter_map(|r| r.get(&q.id.0)).collect();
        let answered = answers.len();
        let figures = match &q.kind {
            QuestionKind::Info { .. } => continue,
            _ if q.is_personal() => Figures::Personal,
            QuestionKind::SingleChoice { choices, other, .. }
            | QuestionKind::MultipleChoice {
                choices, none: other, ..
            } => {
                let multiple = matches!(q.kind, QuestionKind::MultipleChoice { .. });
                let options: Vec<(String, String)> = choices
                    .iter()
                    .chain(other.iter())
                    .map(|c| (c.value.clone(), c.label.clone()))
                    .collect();
                let mut counts = vec![0; options.len()];
                let mut others = Vec::new();
                let mut tally = |v: &str| {
                    if let Some(i) = options.iter().position(|(value, _)| value == v) {
                        counts[i] += 1;
                    }
                };
                for a in &answers {
                    match a {
                        Value::String(v) => tally(v),
                        Value::Array(items) => items.iter().filter_map(Value::as_str).for_each(&mut tally),
                        Value::Object(o) => {
                            if let Some(v) = o.get("value").and_then(Value::as_str) {
                                tally(v);
                            }
                            if let Some(t) = o.get("other").and_then(Value::as_str).filter(|t| !t.is_empty()) {
                                others.push(t.to_owned());
                            }
                        }
                        _ => {}
                    }
                }
                Figures::Counts {
                    bars: bars(options, &counts, answered),
                    others,
                    multiple,
                }
            }
            QuestionKind::YesNo { yes, no } => {
                let options = yes_no_choices(yes, no, catalogue, None)
                    .into_iter()
                    .map(|c| (c.value, c.label))
                    .collect();
                let yes = answers.iter().filter(|a| a.as_str() == Some("yes")).count();
                let no = answers.iter().filter(|a| a.as_str() == Some("no")).count();
                Figures::Counts {
                    bars: bars(options, &[yes, no], answered),
                    others: Vec::new(),
                    multiple: false,
                }
            }
            QuestionKind::Rating { min, max, .. } => {
                let (min, max) = (*min, (*max).max(*min));
                let points: Vec<i64> = (min..=max).take(101).collect();
                let mut counts = vec![0; points.len()];
                for a in &answers {
                    if let Some(i) = a.as_i64().and_then(|n| points.iter().position(|p| *p == n)) {
                        counts[i] += 1;
                    }
                }
                let options = points.iter().map(|p| (p.to_string(), p.to_string())).collect();
                Figures::Counts {
                    bars: bars(options, &counts, answered),
                    others: Vec::new(),
                    multiple: false,
                }
            }
            QuestionKind::Consent { label, .. } => Figures::Counts {
                bars: bars(vec![(String::new(), label.clone())], &[answered], answered),
                others: Vec::new(),
                multiple: false,
            },
            QuestionKind::Likert { statements, scale } => Figures::Likert(
                statements
                    .iter()
                    .map(|st| {
                        let options: Vec<(String, String)> =
                            scale.iter().map(|c| (c.value.clone(), c.label.clone())).collect();
                        let row: Vec<&str> = answers.iter().filter_map(|a| a.get(&st.id)?.as_str()).collect();
                        let counts: Vec<usize> = options
                            .iter()
                            .map(|(v, _)| row.iter().filter(|r| *r == v).count())
                            .collect();
                        (st.text.clone(), bars(options, &counts, row.len()))
                    })
                    .collect(),
            ),
            QuestionKind::Number { .. } => {
                Figures::Numbers(numbers(answers.iter().filter_map(|a| a.as_f64()).collect()))
            }
            QuestionKind::Date { .. } => Figures::Texts(
                answers
                    .iter()
                    .filter_map(|a| a.as_str())
                    .map(|a| Date::parse_iso(a).map_or_else(|| a.to_owned(), |d| format_date(d, catalogue)))
                    .collect(),
            ),
            QuestionKind::ShortText { .. }
            | QuestionKind::LongText { .. }
            | QuestionKind::Email
            | QuestionKind::Phone => {
                Figures::Texts(answers.iter().filter_map(|a| a.as_str()).map(str::to_owned).collect())
            }
        };
        out.push(QuestionSummary {
            id: q.id.0.clone(),
            title: q.title.clone(),
            answered,
            figures,
        });
    }
    out
}

/// A storage size as an officer reads it: "640 KB", "1.9 MB", "10.7 GB" (decimal units, as
/// the browser's storage estimate counts them), never "10739.3 MB".
pub fn bytes_text(bytes: f64) -> String {
    let b = bytes.max(0.0);
    if b >= 1e9 {
        format!("{:.1} GB", b / 1e9)
    } else if b >= 1e6 {
        format!("{:.1} MB", b / 1e6)
    } else {
        format!("{} KB", (b / 1e3).ceil() as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::survey::load::load_survey;
    use serde_json::json;

    #[test]
    fn sizes_read_in_the_unit_that_fits() {
        assert_eq!(bytes_text(0.0), "0 KB");
        assert_eq!(bytes_text(1.0), "1 KB", "a little is never shown as nothing");
        assert_eq!(bytes_text(640_000.0), "640 KB");
        assert_eq!(bytes_text(1_900_000.0), "1.9 MB");
        assert_eq!(bytes_text(10_739_300_000.0), "10.7 GB");
        assert_eq!(bytes_text(-5.0), "0 KB");
    }

    fn survey() -> Survey {
        load_survey(
            &json!({
                "formatVersion": 1, "id": "s", "version": "1", "title": "S",
                "pages": [{ "id": "p", "questions": [
                    { "id": "info", "type": "info", "title": "About", "body": ["x"] },
                    { "id": "pick", "type": "singleChoice", "title": "Pick", "required": false,
                      "choices": [{ "value": "a", "label": "A" }, { "value": "b", "label": "B" }],
                      "other": { "value": "other", "label": "Other" } },
                    { "id": "many", "type": "multipleChoice", "title": "Many", "required": false,
                      "choices": [{ "value": "a", "label": "A" }, { "value": "b", "label": "B" }] },
                    { "id": "yn", "type": "yesNo", "title": "YN", "required": false },
                    { "id": "rate", "type": "rating", "title": "Rate", "min": 1, "max": 3, "required": false },
                    { "id": "lik", "type": "likert", "title": "Lik", "required": false,
                      "statements": [{ "id": "s1", "text": "One" }, { "id": "s2", "text": "Two" }],
                      "scale": [{ "value": "agree", "label": "Agree" }, { "value": "disagree", "label": "Disagree" }] },
                    { "id": "num", "type": "number", "title": "Num", "required": false },
                    { "id": "why", "type": "longText", "title": "Why", "required": false },
                    { "id": "when", "type": "date", "title": "When", "required": false },
                    { "id": "email", "type": "email", "title": "Email", "required": false },
                    { "id": "name", "type": "text", "title": "Name", "autocomplete": "name", "required": false },
                    { "id": "postcode", "type": "text", "title": "Postcode", "personal": true, "required": false },
                    { "id": "age", "type": "singleChoice", "title": "Age", "personal": true, "required": false,
                      "choices": [{ "value": "young", "label": "Young" }, { "value": "old", "label": "Old" }],
                      "other": { "value": "other", "label": "Other" } }
                ]}]
            })
            .to_string(),
        )
        .unwrap()
    }

    #[test]
    fn every_kind_of_question_is_summed_up() {
        let rs = [
            json!({ "pick": "a", "many": ["a", "b"], "yn": "yes", "rate": 3, "lik": { "s1": "agree" }, "num": 4, "why": "Parking", "when": "2026-03-14" }),
            json!({ "pick": { "value": "other", "other": "Bus" }, "many": ["a"], "yn": "no", "rate": 3, "lik": { "s1": "disagree", "s2": "agree" }, "num": 10 }),
            json!({ "pick": "a", "num": 1 }),
            json!({}),
        ];
        let maps: Vec<&Map<String, Value>> = rs.iter().map(|r| r.as_object().unwrap()).collect();
        let s = summarise(&survey(), &maps, &Catalogue::english());
        let ids: Vec<_> = s.iter().map(|q| q.id.as_str()).collect();
        assert_eq!(
            ids,
            ["pick", "many", "yn", "rate", "lik", "num", "why", "when", "email", "name", "postcode", "age"],
            "info pages are left out"
        );
        let Figures::Counts { bars, others, multiple } = &s[0].figures else {
            panic!()
        };
        assert_eq!(s[0].answered, 3);
        assert_eq!(
            bars.iter().map(|b| (b.count, b.percent)).collect::<Vec<_>>(),
            [(2, 67), (0, 0), (1, 33)]
        );
        assert_eq!(others, &["Bus"]);
        assert!(!multiple);
        let Figures::Counts { bars, multiple, .. } = &s[1].figures else {
            panic!()
        };
        assert_eq!(bars.iter().map(|b| b.percent).collect::<Vec<_>>(), [100, 50]);
        assert!(multiple);
        let Figures::Counts { bars, .. } = &s[3].figures else {
            panic!()
        };
        assert_eq!(
            bars.iter().map(|b| (b.label.as_str(), b.count)).collect::<Vec<_>>(),
            [("1", 0), ("2", 0), ("3", 2)]
        );
        let Figures::Likert(rows) = &s[4].figures else { panic!() };
        assert_eq!(rows[0].1.iter().map(|b| b.count).collect::<Vec<_>>(), [1, 1]);
        assert_eq!(rows[1].1[0].percent, 100);
        assert_eq!(
            s[5].figures,
            Figures::Numbers(Some(Numbers {
                median: 4.0,
                min: 1.0,
                max: 10.0
            }))
        );
        assert_eq!(s[6].figures, Figures::Texts(vec!["Parking".into()]));
        assert_eq!(
            s[7].figures,
            Figures::Texts(vec!["14 March 2026".into()]),
            "dates in words"
        );
    }

    /// Issue #21: "What we heard today" listed names, email addresses, phone numbers and
    /// postcodes on a tablet in a public room.
    #[test]
    fn personal_questions_are_counted_never_listed() {
        let rs = [
            json!({ "email": "jane@example.org", "name": "Jane Doe", "postcode": "CA11 7QF", "age": { "value": "other", "other": "Ninety" } }),
            json!({ "email": "sam@example.org", "age": "old" }),
        ];
        let maps: Vec<&Map<String, Value>> = rs.iter().map(|r| r.as_object().unwrap()).collect();
        let s = summarise(&survey(), &maps, &Catalogue::english());
        let find = |id: &str| s.iter().find(|q| q.id == id).unwrap();
        for (id, answered) in [("email", 2), ("name", 1), ("postcode", 1), ("age", 2)] {
            assert_eq!(find(id).figures, Figures::Personal, "{id}");
            assert_eq!(find(id).answered, answered, "{id}");
        }
        let everything = format!("{s:?}");
        for secret in ["jane@", "Jane Doe", "CA11", "Ninety", "Old"] {
            assert!(!everything.contains(secret), "{secret} in {everything}");
        }
    }

    #[test]
    fn medians() {
        assert_eq!(numbers(vec![]), None);
        assert_eq!(numbers(vec![5.0]).unwrap().median, 5.0);
        assert_eq!(numbers(vec![4.0, 1.0, 3.0, 2.0]).unwrap().median, 2.5);
        assert_eq!(numbers(vec![f64::NAN, 2.0]).unwrap().max, 2.0);
    }

    #[test]
    fn nobody_answering_gives_zero_percent_not_a_division_by_zero() {
        let s = summarise(&survey(), &[], &Catalogue::english());
        assert!(s.iter().all(|q| q.answered == 0));
        let Figures::Counts { bars, .. } = &s[0].figures else {
            panic!()
        };
        assert!(bars.iter().all(|b| b.percent == 0));
    }
}
