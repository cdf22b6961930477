//! Surveys as spreadsheets (issue #25): the XLSForm subset read and written, its expressions,
//! CSV, every error path, and the built-in surveys through a spreadsheet and back.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::BUILT_IN;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use survey_widget::core::respond::session::Visibility;
use survey_widget::core::survey::answer::Answer;
use survey_widget::core::survey::load::load_survey_value;
use survey_widget::core::survey::sheet::expr::{self, Answers, Checks};
use survey_widget::core::survey::sheet::{csv, from_workbook, to_workbook, ImportError, Imported, Reason, Workbook};
use survey_widget::core::{QuestionId, Survey};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/fixtures/xlsform/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn import_csv(text: &str) -> Imported {
    from_workbook(&csv::parse(text).unwrap()).unwrap()
}

fn built_in_json(name: &str) -> Value {
    let path = format!("{}/public/surveys/{name}.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// (sheet, row, reason) of everything left out.
fn left(imported: &Imported) -> Vec<(String, usize, Reason)> {
    imported
        .left_out
        .iter()
        .map(|l| (l.sheet.clone(), l.row, l.reason.clone()))
        .collect()
}

fn shown(survey: &Survey, answers: &[(&str, Answer)]) -> Vec<String> {
    let answers: BTreeMap<QuestionId, Answer> =
        answers.iter().map(|(q, a)| (QuestionId::from(*q), a.clone())).collect();
    let v = Visibility::of(survey, &answers);
    survey
        .questions()
        .filter(|(_, q)| v.questions.contains(&q.id))
        .map(|(_, q)| q.id.0.clone())
        .collect()
}

fn choice(v: &str) -> Answer {
    Answer::Choice {
        value: v.into(),
        other: String::new(),
    }
}

fn ticks(vs: &[&str]) -> Answer {
    Answer::Choices {
        values: vs.iter().map(|v| (*v).to_owned()).collect(),
    }
}

#[test]
fn each_built_in_survey_comes_back_the_same_through_a_spreadsheet_and_csv() {
    for name in BUILT_IN {
        let original = built_in_json(name);
        let book = to_workbook(&original);
        let text = csv::write(&book);
        let back = from_workbook(&csv::parse(&text).unwrap()).unwrap();
        assert!(back.left_out.is_empty(), "{name}: {:?}", back.left_out);
        let differences = diff("$", &original, &back.survey);
        assert!(
            differences.is_empty(),
            "{name} differs after a round trip: {differences:#?}"
        );
    }
}

/// The paths at which two JSON values differ, with both sides.
fn diff(path: &str, a: &Value, b: &Value) -> Vec<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
            keys.sort();
            keys.dedup();
            keys.iter()
                .flat_map(|k| {
                    diff(
                        &format!("{path}.{k}"),
                        x.get(*k).unwrap_or(&Value::Null),
                        y.get(*k).unwrap_or(&Value::Null),
                    )
                })
                .collect()
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .flat_map(|(i, (p, q))| diff(&format!("{path}[{i}]"), p, q))
            .collect(),
        _ if a == b => Vec::new(),
        _ => vec![format!("{path}: {a} became {b}")],
    }
}

#[test]
fn the_export_is_a_spreadsheet_a_translator_can_read() {
    let book = to_workbook(&built_in_json("discharge-reablement"));
    let names: Vec<&str> = book.sheets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["survey", "choices", "settings"]);
    let header = &book.sheet("survey").unwrap().rows[0].cells;
    assert_eq!(
        &header[..4],
        ["type", "name", "label::English (en)", "label::Cymraeg (cy)"]
    );
    let settings = book.sheet("settings").unwrap();
    let at = settings.rows[0]
        .cells
        .iter()
        .position(|c| c == "default_language")
        .unwrap();
    assert_eq!(settings.rows[1].cells[at], "English (en)");
    // Every column holds something: none is written empty.
    for sheet in &book.sheets {
        for (i, h) in sheet.rows[0].cells.iter().enumerate() {
            let filled = sheet.rows[1..].iter().any(|r| !r.cells[i].is_empty());
            assert!(
                filled || h.starts_with("form_title") || h == "list_name",
                "{}: empty column {h}",
                sheet.name
            );
        }
    }
}

#[test]
fn an_odk_form_with_welsh_and_skip_logic_reads_as_its_spreadsheet_says() {
    let imported = import_csv(&fixture("leaving-hospital.csv"));
    let s = load_survey_value(&imported.survey).unwrap_or_else(|e| panic!("{e}\n{:#}", imported.survey));
    assert_eq!(s.id.0, "leaving-hospital");
    assert_eq!(s.version, "2026120801");
    let codes: Vec<&str> = s.languages.iter().map(|l| l.code.as_str()).collect();
    assert_eq!(codes, ["en", "cy"]);
    assert_eq!(
        imported.survey["title"],
        json!({ "en": "Leaving hospital", "cy": "Gadael yr ysbyty" })
    );
    assert_eq!(
        left(&imported),
        [
            ("survey".into(), 2, Reason::Metadata("start".into())),
            ("survey".into(), 3, Reason::Metadata("end".into())),
            ("survey".into(), 4, Reason::Metadata("deviceid".into())),
            ("survey".into(), 14, Reason::UnsupportedType("calculate".into())),
            ("survey".into(), 15, Reason::UnsupportedType("geopoint".into())),
        ]
    );
    let q = |id: &str| {
        imported.survey["pages"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|p| p["questions"].as_array().unwrap())
            .find(|q| q["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(q("had_stay")["type"], "yesNo");
    assert_eq!(q("had_stay")["yes"], json!({ "en": "Yes", "cy": "Ydw" }));
    assert_eq!(q("left_date")["past"], json!(true));
    assert_eq!(
        q("left_date")["messages"]["past"]["cy"],
        "Rhaid i'r dyddiad fod yn y gorffennol"
    );
    assert_eq!(
        (q("nights")["min"].clone(), q("nights")["max"].clone()),
        (json!(1), json!(365))
    );
    assert_eq!(q("nights")["messages"]["between"]["en"], "Enter a number from 1 to 365");
    assert_eq!(q("age")["min"], json!(18));
    assert_eq!(q("age")["messages"]["min"]["en"], "You must be 18 or over");
    assert_eq!(q("age")["required"], json!(false));
    assert_eq!(q("comments")["type"], "longText");
    assert_eq!(
        q("comments")["showIf"],
        json!({ "question": "overall", "anyOf": ["1", "2"] })
    );
    assert_eq!(
        q("overall")["showIf"],
        json!({ "all": [{ "question": "had_stay", "equals": "yes" }, { "not": { "question": "support", "equals": "none" } }] })
    );
    // The group is one page with its condition.
    let stay = imported.survey["pages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "stay")
        .unwrap();
    assert_eq!(stay["showIf"], json!({ "question": "had_stay", "equals": "yes" }));
    assert_eq!(stay["questions"].as_array().unwrap().len(), 2);

    // Routing, as the spreadsheet's `relevant` column says.
    assert_eq!(shown(&s, &[("had_stay", choice("no"))]), ["intro", "had_stay", "age"]);
    assert_eq!(
        shown(
            &s,
            &[
                ("had_stay", choice("yes")),
                ("support", ticks(&["carer"])),
                ("overall", choice("2"))
            ]
        ),
        [
            "intro",
            "had_stay",
            "left_date",
            "nights",
            "support",
            "overall",
            "age",
            "comments"
        ]
    );
    assert_eq!(
        shown(
            &s,
            &[
                ("had_stay", choice("yes")),
                ("support", ticks(&["none"])),
                ("overall", choice("1"))
            ]
        ),
        ["intro", "had_stay", "left_date", "nights", "support", "age"]
    );
    assert_eq!(
        shown(
            &s,
            &[
                ("had_stay", choice("yes")),
                ("support", ticks(&["other"])),
                ("overall", choice("4"))
            ]
        ),
        [
            "intro",
            "had_stay",
            "left_date",
            "nights",
            "support",
            "support_other",
            "overall",
            "age"
        ]
    );
    // ODK reads `not(selected(…))` of an unanswered question as true: so does the widget.
    assert_eq!(
        shown(&s, &[("had_stay", choice("yes"))]),
        ["intro", "had_stay", "left_date", "nights", "support", "overall", "age"]
    );
}

#[test]
fn every_row_it_cannot_take_is_listed_with_its_sheet_and_row() {
    let imported = import_csv(&fixture("community-centre.csv"));
    let s = "survey".to_owned();
    assert_eq!(
        left(&imported),
        [
            (s.clone(), 2, Reason::Metadata("today".into())),
            (s.clone(), 6, Reason::NestedGroup),
            (s.clone(), 7, Reason::Constraint(". > 0".into())),
            (s.clone(), 7, Reason::UnusedColumn("media::image".into())),
            (s.clone(), 11, Reason::Repeat),
            (s.clone(), 12, Reason::Repeat),
            (s.clone(), 13, Reason::Repeat),
            (s.clone(), 14, Reason::Required("${visits} < 4".into())),
            (s.clone(), 14, Reason::Relevant("string-length(${postcode}) > 0".into())),
            (s.clone(), 15, Reason::NoName),
            (s.clone(), 16, Reason::UnsupportedType("audio".into())),
            (s.clone(), 17, Reason::NoList("missing_list".into())),
            (s.clone(), 18, Reason::UnmatchedEnd),
            ("choices".into(), 25, Reason::BadChoice),
        ]
    );
    let survey = load_survey_value(&imported.survey).unwrap_or_else(|e| panic!("{e}\n{:#}", imported.survey));
    assert_eq!(survey.title, "Community centres");
    let v = &imported.survey;
    assert_eq!(v["version"], "3");
    assert_eq!(
        v["pages"][0]["questions"][0]["other"],
        json!({ "value": "other", "label": "Other" })
    );
    assert_eq!(v["pages"][1]["questions"][0]["maxSelected"], json!(3));
    assert_eq!(
        v["pages"][1]["questions"][0]["messages"]["maxSelected"],
        "Select no more than 3 days"
    );
    // The nested group's question joins the outer page, which keeps its condition.
    let about = &v["pages"][2];
    assert_eq!(about["id"], "about");
    assert_eq!(about["showIf"], json!({ "question": "centre", "answered": true }));
    let ids: Vec<&str> = about["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["visits", "postcode"]);
    assert_eq!(about["questions"][1]["messages"]["pattern"], "Enter a real postcode");
    // What could not be read is not guessed: the question stays, optional and shown to all.
    let why = &v["pages"][3]["questions"][0];
    assert_eq!((why["required"].clone(), why.get("showIf")), (json!(false), None));
}

#[test]
fn a_file_that_is_not_a_survey_is_refused_with_the_reason() {
    let book = |csv_text: &str| csv::parse(csv_text).unwrap();
    assert_eq!(
        from_workbook(&book("choices,list_name,name\n,a,b\n")).unwrap_err(),
        ImportError::NoSurveySheet
    );
    assert_eq!(
        from_workbook(&Workbook::default()).unwrap_err(),
        ImportError::NoSurveySheet
    );
    assert_eq!(
        from_workbook(&book("survey,label,hint\n,Hello,\n")).unwrap_err(),
        ImportError::NoHeader
    );
    assert_eq!(
        from_workbook(&book("survey,type,name\n,start,start\n,geopoint,where\n")).unwrap_err(),
        ImportError::NoQuestions
    );
    assert_eq!(
        csv::parse("survey,type\n,\"text").unwrap_err(),
        csv::CsvError::Unclosed(2)
    );
    assert_eq!(csv::parse("a,\"b\"c\n").unwrap_err(), csv::CsvError::AfterQuote(1));
}

#[test]
fn one_sheet_saved_as_csv_is_read_as_the_survey_sheet() {
    let imported = import_csv(
        "\u{feff}type,name,label,required\r\ntext,name,\"Your name, in full\",yes\r\ninteger,age,Age,no\r\n",
    );
    assert!(imported.left_out.is_empty());
    let v = &imported.survey;
    assert_eq!(v["pages"][0]["questions"][0]["title"], "Your name, in full");
    assert_eq!(
        v["pages"][1]["questions"][0],
        json!({ "id": "age", "type": "number", "integer": true, "title": "Age", "required": false })
    );
    assert_eq!(
        (v["id"].clone(), v["version"].clone(), v["title"].clone()),
        (json!("survey"), json!("1"), json!("survey"))
    );
    load_survey_value(v).unwrap();
}

#[test]
fn csv_cells_with_commas_quotes_and_line_breaks_survive_a_round_trip() {
    let book = Workbook {
        sheets: vec![survey_widget::core::survey::sheet::Sheet {
            name: "survey".into(),
            rows: vec![
                survey_widget::core::survey::sheet::Row {
                    number: 1,
                    cells: vec!["type".into(), "body".into()],
                },
                survey_widget::core::survey::sheet::Row {
                    number: 2,
                    cells: vec!["note".into(), "He said \"yes, twice\"\n\nThen left. ".into()],
                },
            ],
        }],
    };
    let back = csv::parse(&csv::write(&book)).unwrap();
    assert_eq!(back.sheets[0].rows[1].cells, book.sheets[0].rows[1].cells);
    assert_eq!(back.sheets[0].rows[1].number, 2);
}

#[test]
fn a_language_column_without_a_code_is_listed_and_its_text_not_guessed() {
    let imported = import_csv("survey,type,name,label::English (en),label::Polish\n,text,a,Name,Imię\n");
    assert_eq!(
        left(&imported),
        [("survey".into(), 1, Reason::Language("Polish".into()))]
    );
    assert_eq!(imported.survey["pages"][0]["questions"][0]["title"], "Name");
    // Known names and bare codes are read.
    let imported = import_csv("survey,type,name,label::English,label::Welsh,label::ur\n,text,a,Name,Enw,نام\n");
    let langs: Vec<&str> = imported.survey["languages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["code"].as_str().unwrap())
        .collect();
    assert_eq!(langs, ["en", "cy", "ur"]);
}

#[test]
fn an_extra_cell_that_is_not_a_json_object_is_listed() {
    let imported = import_csv("survey,type,name,label,extra\n,text,a,Name,[1]\n,text,b,Town,{oops\n,text,c,Email,\"{\"\"autocomplete\"\": \"\"email\"\"}\"\n");
    let reasons: Vec<&'static str> = imported.left_out.iter().map(|l| l.reason.key()).collect();
    assert_eq!(reasons, ["sheet.extra", "sheet.extra"]);
    assert_eq!(imported.survey["pages"][2]["questions"][0]["autocomplete"], "email");
}

#[test]
fn relevant_expressions_read_the_way_odk_reads_them() {
    let kinds = |q: &str| match q {
        "ticks" => Some(Answers::Several),
        "n" => Some(Answers::Number),
        _ => Some(Answers::One),
    };
    let read = |e: &str| expr::condition(&expr::parse(e).unwrap(), &kinds).unwrap();
    assert_eq!(read("${a} = 'x'"), json!({ "question": "a", "equals": "x" }));
    assert_eq!(read("${a} = \"it's\""), json!({ "question": "a", "equals": "it's" }));
    assert_eq!(
        read("${a} != 'x'"),
        json!({ "not": { "question": "a", "equals": "x" } })
    );
    assert_eq!(
        read("${a} != '' and ${a} != 'x'"),
        json!({ "question": "a", "notEquals": "x" })
    );
    assert_eq!(read("${a} != ''"), json!({ "question": "a", "answered": true }));
    assert_eq!(read("${a} = ''"), json!({ "question": "a", "answered": false }));
    assert_eq!(
        read("selected(${ticks}, 'x')"),
        json!({ "question": "ticks", "equals": "x" })
    );
    assert_eq!(read("${n} >= '18'"), json!({ "question": "n", "atLeast": 18 }));
    assert_eq!(read("${n} = '5'"), json!({ "question": "n", "equals": 5 }));
    assert_eq!(read("${n} < 2.5"), json!({ "question": "n", "lessThan": 2.5 }));
    assert_eq!(
        read("${a} = 'x' or ${a} = 'y'"),
        json!({ "question": "a", "anyOf": ["x", "y"] })
    );
    assert_eq!(
        read("${a} = 'x' or ${b} = 'y'"),
        json!({ "any": [{ "question": "a", "equals": "x" }, { "question": "b", "equals": "y" }] })
    );
    assert_eq!(
        read("not(${a} = 'x' and (${b} = 'y' or ${n} > 3))"),
        json!({ "not": { "all": [
            { "question": "a", "equals": "x" },
            { "any": [{ "question": "b", "equals": "y" }, { "question": "n", "greaterThan": 3 }] }
        ] } })
    );
    assert_eq!(read("true()"), json!({ "all": [] }));
    for bad in [
        "",
        "${a} =",
        "${a} = 'x",
        "${a",
        "string-length(${a}) > 0",
        "${a} + 1 = 2",
        "(${a} = 'x'",
        "${a} = 'x')",
        "${a} > 'many'",
        "not(${a} = 'x', ${b} = 'y')",
    ] {
        assert!(
            expr::parse(bad).and_then(|e| expr::condition(&e, &kinds)).is_err(),
            "{bad}"
        );
    }
    // Deep nesting is refused, not a stack overflow.
    let deep = format!("{}${{a}} = 'x'{}", "(".repeat(10_000), ")".repeat(10_000));
    assert!(expr::parse(&deep).is_err());
}

#[test]
fn every_condition_shape_is_written_so_that_it_reads_back_the_same() {
    let several = |q: &str| q == "ticks";
    let kinds = |q: &str| match q {
        "ticks" => Some(Answers::Several),
        "n" => Some(Answers::Number),
        _ => Some(Answers::One),
    };
    for c in [
        json!({ "question": "a", "equals": "x" }),
        json!({ "question": "ticks", "equals": "x" }),
        json!({ "question": "a", "notEquals": "x" }),
        json!({ "question": "ticks", "notEquals": "x" }),
        json!({ "not": { "question": "a", "equals": "x" } }),
        json!({ "question": "a", "anyOf": ["x", "y", "z"] }),
        json!({ "question": "ticks", "anyOf": ["x", "y"] }),
        json!({ "question": "a", "answered": true }),
        json!({ "question": "a", "answered": false }),
        json!({ "question": "n", "greaterThan": 3 }),
        json!({ "question": "n", "atMost": 2.5 }),
        json!({ "question": "n", "equals": 4 }),
        json!({ "all": [{ "question": "a", "answered": true }, { "question": "a", "notEquals": "x" }] }),
        json!({ "all": [{ "question": "a", "answered": true }, { "not": { "question": "a", "equals": "x" } }] }),
        json!({ "any": [{ "all": [{ "question": "a", "equals": "x" }, { "question": "n", "lessThan": 1 }] }, { "question": "ticks", "anyOf": ["p", "q"] }] }),
        json!({ "all": [{ "any": [{ "question": "a", "equals": "x" }, { "question": "b", "equals": "y" }] }, { "question": "n", "atLeast": 1 }] }),
        json!({ "question": "a", "equals": "it's" }),
        json!({ "all": [{ "question": "ticks", "answered": true }, { "not": { "question": "ticks", "equals": "x" } }] }),
        json!({ "all": [{ "question": "ticks", "answered": true }, { "question": "ticks", "notEquals": "x" }] }),
        json!({ "not": { "question": "ticks", "notEquals": "x" } }),
        json!({ "all": [] }),
        json!({ "any": [] }),
    ] {
        let text = expr::relevant(&c, &several).unwrap();
        let back = expr::condition(&expr::parse(&text).unwrap(), &kinds).unwrap();
        assert_eq!(back, c, "{text}");
    }
    // A value with both kinds of quote cannot be written as XPath.
    assert_eq!(
        expr::relevant(&json!({ "question": "a", "equals": "it's \"x\"" }), &several),
        None
    );
}

#[test]
fn constraints_become_the_settings_they_check() {
    let read = |e: &str, c: Checks| expr::constraint(&expr::parse(e).unwrap(), c).map(|(s, r)| (Value::Object(s), r));
    assert_eq!(
        read(". >= 1 and . <= 168", Checks::Number).unwrap(),
        (json!({ "min": 1, "max": 168 }), vec!["between"])
    );
    assert_eq!(
        read(". <= 10", Checks::Number).unwrap(),
        (json!({ "max": 10 }), vec!["max"])
    );
    assert_eq!(
        read(". <= today()", Checks::Date).unwrap(),
        (json!({ "past": true }), vec!["past"])
    );
    assert_eq!(
        read(". >= date('2020-01-01') and . <= '2030-12-31'", Checks::Date).unwrap(),
        (json!({ "min": "2020-01-01", "max": "2030-12-31" }), vec!["min", "max"])
    );
    assert_eq!(
        read("string-length(.) <= 500 and regex(., '[0-9]+')", Checks::Text).unwrap(),
        (
            json!({ "maxLength": 500, "pattern": "[0-9]+" }),
            vec!["maxLength", "pattern"]
        )
    );
    assert_eq!(
        read("count-selected(.) >= 1", Checks::Ticks).unwrap(),
        (json!({ "minSelected": 1 }), vec!["minSelected"])
    );
    for (bad, c) in [
        (". > 0", Checks::Number),
        (". >= 1 and . >= 2", Checks::Number),
        ("string-length(.) <= 2.5", Checks::Text),
        ("regex(., '[0-9]+')", Checks::Number),
        (". != 3", Checks::Number),
        ("${other} > 3", Checks::Number),
        (". >= 1 or . <= 3", Checks::Number),
    ] {
        assert!(read(bad, c).is_err(), "{bad}");
    }
}
