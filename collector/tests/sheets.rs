//! `survey import` and `survey export` (issue #25): spreadsheets in `.xlsx`, `.ods` and CSV
//! through the command line, with its exit codes and messages.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::Value;
use std::path::PathBuf;
use survey_collector::sheets;
use survey_widget::core::survey::sheet::{from_workbook, to_workbook};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_survey-collector"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("survey-sheets-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn the_built_in_surveys_go_out_as_xlsx_and_come_back_the_same() {
    let dir = scratch("round-trip");
    for name in ["carers-strategy", "co-production", "discharge-reablement"] {
        let json = root().join(format!("public/surveys/{name}.json"));
        let xlsx = dir.join(format!("{name}.xlsx"));
        let (code, _, err) = run(&["survey", "export", json.to_str().unwrap(), xlsx.to_str().unwrap()]);
        assert_eq!(code, 0, "{err}");
        let (code, out, err) = run(&["survey", "import", xlsx.to_str().unwrap()]);
        assert_eq!((code, err.as_str()), (0, ""), "{name}");
        let original: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
        let back: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(back, original, "{name}");
    }
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn an_ods_file_reads_as_the_same_form_saved_as_csv_and_lists_what_it_left_out() {
    let fixture = |f: &str| {
        root()
            .join("tests/fixtures/xlsform")
            .join(f)
            .to_str()
            .unwrap()
            .to_owned()
    };
    let (code, ods, err) = run(&["survey", "import", &fixture("leaving-hospital.ods")]);
    assert_eq!(code, 0, "{err}");
    let (_, csv, _) = run(&["survey", "import", &fixture("leaving-hospital.csv")]);
    assert_eq!(ods, csv);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 5, "{err}");
    assert!(
        lines[3].ends_with("survey sheet, row 14: the question type `calculate` is not one the widget has"),
        "{err}"
    );
}

#[test]
fn a_file_that_cannot_be_taken_exits_1_and_one_that_would_not_load_exits_3() {
    let dir = scratch("errors");
    let path = |f: &str| dir.join(f).to_str().unwrap().to_owned();
    std::fs::write(path("not.xlsx"), "hello").unwrap();
    let (code, out, err) = run(&["survey", "import", &path("not.xlsx")]);
    assert_eq!((code, out.as_str()), (1, ""));
    assert!(err.contains("not a spreadsheet that can be read"), "{err}");

    std::fs::write(path("latin1.csv"), b"type,name,label\ntext,a,Caf\xe9\n").unwrap();
    let (code, _, err) = run(&["survey", "import", &path("latin1.csv")]);
    assert_eq!(code, 1);
    assert!(err.contains("save it as \"CSV UTF-8\""), "{err}");

    std::fs::write(path("choices.csv"), "choices,list_name,name\n,a,b\n").unwrap();
    let (code, _, err) = run(&["survey", "import", &path("choices.csv")]);
    assert_eq!(code, 1);
    assert!(err.contains("there is no sheet called `survey`"), "{err}");

    // Written, but the widget would refuse it: the JSON still comes out, to mend.
    std::fs::write(path("untitled.csv"), "type,name\ntext,a\n").unwrap();
    let (code, out, err) = run(&["survey", "import", &path("untitled.csv")]);
    assert_eq!(code, 3);
    assert!(out.contains("\"pages\""), "{out}");
    assert!(
        err.contains("$.pages[0].questions[0]: missing required field `title`"),
        "{err}"
    );

    let carers = root().join("public/surveys/carers-strategy.json");
    let (code, _, err) = run(&["survey", "export", carers.to_str().unwrap(), &path("out.ods")]);
    assert_eq!(code, 1);
    assert!(err.contains("written as .xlsx or .csv"), "{err}");
    std::fs::write(path("broken.json"), "{\"formatVersion\": 1}").unwrap();
    let (code, _, err) = run(&["survey", "export", &path("broken.json"), &path("out.xlsx")]);
    assert_eq!(code, 1);
    assert!(err.contains("does not load as a survey"), "{err}");
    assert!(!dir.join("out.xlsx").exists());
    let (code, _, _) = run(&["survey", "import"]);
    assert_eq!(code, 2);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn xlsx_bytes_read_back_cell_for_cell() {
    let original: Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("public/surveys/co-production.json")).unwrap())
            .unwrap();
    let book = to_workbook(&original);
    let back = sheets::read_bytes(sheets::xlsx(&book).unwrap()).unwrap();
    for (a, b) in book.sheets.iter().zip(&back.sheets) {
        assert_eq!(a.name, b.name);
        let cells =
            |s: &survey_widget::core::survey::sheet::Sheet| s.rows.iter().map(|r| r.cells.clone()).collect::<Vec<_>>();
        // calamine trims a row's empty cells at the end; compare what is written.
        let trim = |rows: Vec<Vec<String>>| -> Vec<Vec<String>> {
            rows.into_iter()
                .map(|mut r| {
                    while r.last().is_some_and(String::is_empty) {
                        r.pop();
                    }
                    r
                })
                .collect()
        };
        assert_eq!(trim(cells(a)), trim(cells(b)), "{}", a.name);
    }
    assert_eq!(from_workbook(&back).unwrap().survey, original);
}

#[test]
fn survey_publish_on_the_command_line_records_who_and_refuses_what_would_break() {
    let dir = scratch("publish");
    let db = dir.join("c.sqlite").to_str().unwrap().to_owned();
    let carers = root()
        .join("public/surveys/carers-strategy.json")
        .to_str()
        .unwrap()
        .to_owned();
    let (code, _, err) = run(&["survey", "publish", &carers, "--db", &db]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("needs --by NAME"), "{err}");
    let (code, _, err) = run(&["survey", "publish", &carers, "--by", "ann", "--db", &db]);
    assert_eq!(code, 1);
    assert!(err.contains("ann is not a console account"), "{err}");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_survey-collector"))
        .args(["user", "add", "ann", "--db", &db])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(b"correct horse battery\n")?;
            child.wait()
        })
        .unwrap();
    assert!(out.success());
    let (code, out, err) = run(&["survey", "publish", &carers, "--by", "ann", "--db", &db]);
    assert_eq!(
        (code, out.trim()),
        (0, "published carers-strategy version 2026-11 by ann"),
        "{err}"
    );
    assert!(
        err.contains("advice: $.description[1]: A sentence of 33 words"),
        "{err}"
    );
    // Again, with the council's own jargon joining the advice's list.
    let jargon = dir.join("jargon.txt");
    std::fs::write(&jargon, "# our words\nassessment\n\n").unwrap();
    let jargon = jargon.to_str().unwrap().to_owned();
    let (code, out, err) = run(&[
        "survey", "publish", &carers, "--by", "ann", "--db", &db, "--jargon", &jargon,
    ]);
    assert_eq!(
        (code, out.trim()),
        (
            0,
            "carers-strategy version 2026-11 is already published exactly so; nothing changed"
        )
    );
    assert!(
        err.contains("“assessment” may be jargon to the people answering"),
        "{err}"
    );
    // The same version with other content, and a question retyped under a new version.
    let original: Value = serde_json::from_str(&std::fs::read_to_string(&carers).unwrap()).unwrap();
    let mut changed = original.clone();
    changed["title"]["en"] = Value::from("Help us shape our carers' strategy");
    let changed_path = dir.join("changed.json");
    std::fs::write(&changed_path, changed.to_string()).unwrap();
    let (code, _, err) = run(&[
        "survey",
        "publish",
        changed_path.to_str().unwrap(),
        "--by",
        "ann",
        "--db",
        &db,
    ]);
    assert_eq!(code, 1);
    assert!(
        err.contains("version 2026-11 is already published with other content"),
        "{err}"
    );
    let mut retyped = original.clone();
    retyped["version"] = Value::from("2026-12");
    let first = retyped["pages"][0]["questions"][0].as_object_mut().unwrap();
    first.insert("type".into(), Value::from("text"));
    first.remove("choices");
    let retyped_path = dir.join("retyped.json");
    std::fs::write(&retyped_path, retyped.to_string()).unwrap();
    let (code, _, err) = run(&[
        "survey",
        "publish",
        retyped_path.to_str().unwrap(),
        "--by",
        "ann",
        "--db",
        &db,
    ]);
    assert_eq!(code, 1);
    assert!(
        err.contains("`caring-for` was a multipleChoice question in version 2026-11"),
        "{err}"
    );
    let (code, out, _) = run(&["survey", "versions", "carers-strategy", "--db", &db]);
    assert_eq!(code, 0);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 1, "{out}");
    assert!(
        lines[0].starts_with("2026-11\t") && lines[0].ends_with("\tann"),
        "{out}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}
