//! How long `survey import` takes to read a 200-question spreadsheet (issue #25): a survey
//! in English and Welsh with choices, skip logic and checks on every kind of question is
//! written as `.xlsx`, then read, turned into a survey and loaded, 21 times; the median and
//! the slowest are printed. Not a test: it measures, it does not assert.
//!
//! ```text
//! cargo run --release -p survey-collector --example sheet
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::{json, Value};
use std::time::Instant;
use survey_collector::sheets;
use survey_widget::core::survey::load::load_survey_value;
use survey_widget::core::survey::sheet::{csv, from_workbook, to_workbook};

fn both(en: String) -> Value {
    json!({ "en": en.clone(), "cy": format!("{en} (cy)") })
}

/// A 200-question survey: eight kinds in turn, every fifth question shown only after a yes.
fn survey() -> Value {
    let mut pages = Vec::new();
    let mut last_yes_no = None;
    for i in 0..200 {
        let id = format!("q{i}");
        let title = both(format!("Question {i}: how do you find the service?"));
        let mut q = match i % 8 {
            0 => json!({ "type": "text", "maxLength": 200 }),
            1 => json!({ "type": "number", "integer": true, "min": 0, "max": 100 }),
            2 => {
                json!({ "type": "singleChoice", "choices": (0..6).map(|c| json!({ "value": format!("c{c}"), "label": both(format!("Choice {c}")) })).collect::<Vec<_>>() })
            }
            3 => {
                json!({ "type": "multipleChoice", "choices": (0..5).map(|c| json!({ "value": format!("c{c}"), "label": both(format!("Choice {c}")) })).collect::<Vec<_>>(), "maxSelected": 3 })
            }
            4 => json!({ "type": "yesNo" }),
            5 => json!({ "type": "date", "past": true }),
            6 => {
                json!({ "type": "rating", "min": 1, "max": 5, "minLabel": both("Poor".into()), "maxLabel": both("Good".into()) })
            }
            _ => json!({ "type": "longText", "maxLength": 1000, "required": false }),
        };
        q["id"] = json!(id);
        q["title"] = title;
        q["hint"] = both(format!("Hint for question {i}"));
        if i % 5 == 0 {
            if let Some(prev) = &last_yes_no {
                q["showIf"] = json!({ "question": prev, "equals": "yes" });
            }
        }
        if i % 8 == 4 {
            last_yes_no = Some(id.clone());
        }
        pages.push(json!({ "id": format!("p{i}"), "questions": [q] }));
    }
    json!({
        "formatVersion": 1, "id": "two-hundred", "version": "1",
        "languages": [{ "code": "en", "name": "English" }, { "code": "cy", "name": "Cymraeg" }],
        "title": both("Two hundred questions".into()), "pages": pages
    })
}

fn time(label: &str, bytes: usize, mut f: impl FnMut()) {
    let mut runs: Vec<f64> = (0..21)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    runs.sort_by(f64::total_cmp);
    println!(
        "{label} ({bytes} bytes): median {:.1} ms, slowest {:.1} ms",
        runs[10], runs[20]
    );
}

fn main() {
    let original = survey();
    load_survey_value(&original).expect("the generated survey loads");
    let book = to_workbook(&original);
    let xlsx = sheets::xlsx(&book).unwrap();
    let text = csv::write(&book);
    time("import 200 questions from .xlsx", xlsx.len(), || {
        let read = sheets::read_bytes(xlsx.clone()).unwrap();
        let imported = from_workbook(&read).unwrap();
        assert!(imported.left_out.is_empty());
        load_survey_value(&imported.survey).unwrap();
    });
    time("import 200 questions from .csv", text.len(), || {
        let imported = from_workbook(&csv::parse(&text).unwrap()).unwrap();
        load_survey_value(&imported.survey).unwrap();
    });
    time("export 200 questions to .xlsx", xlsx.len(), || {
        sheets::xlsx(&to_workbook(&original)).unwrap();
    });
}
