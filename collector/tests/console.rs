//! The council's console, exports for analysis, outcomes and the public lookup, over HTTP
//! (issue #12).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::{json, Map, Value};
use support::*;
use survey_collector::accounts::hash_password;
use survey_collector::Config;
use survey_widget::core::delivery::protocol::request_body;
use survey_widget::core::survey::definition::{QuestionKind, Survey};
use survey_widget::core::{CompletedResponse, SurveyId};

const PASSWORD: &str = "correct horse battery";

/// An answer to every answerable question of `survey`, valid for it; `n` varies the choices.
fn full_answers(survey: &Survey, n: usize, text: &str) -> Map<String, Value> {
    let mut answers = Map::new();
    for (_, q) in survey.questions() {
        let value = match &q.kind {
            QuestionKind::ShortText { pattern: Some(_), .. } => json!("LS6"),
            QuestionKind::ShortText { .. } | QuestionKind::LongText { .. } => json!(text),
            QuestionKind::Number { min, .. } => json!(min.unwrap_or(0.0) as i64 + n as i64),
            QuestionKind::Date { .. } => json!("2025-06-01"),
            QuestionKind::Email => json!("someone@example.org"),
            QuestionKind::Phone => json!("01632 960001"),
            QuestionKind::SingleChoice { choices, other, .. } => match other {
                Some(o) if n % 3 == 2 => json!({ "value": o.value, "other": "typed in Other" }),
                _ => json!(choices[n % choices.len()].value),
            },
            QuestionKind::MultipleChoice { choices, .. } => json!([choices[0].value, choices[1 % choices.len()].value]),
            QuestionKind::YesNo { .. } => json!(if n % 2 == 0 { "yes" } else { "no" }),
            QuestionKind::Rating { min, .. } => json!(min + n as i64 % 2),
            QuestionKind::Likert { statements, scale } => {
                let row: Map<String, Value> = statements
                    .iter()
                    .map(|s| (s.id.clone(), json!(scale[n % scale.len()].value)))
                    .collect();
                Value::Object(row)
            }
            QuestionKind::Consent { .. } => json!(true),
            _ => continue,
        };
        answers.insert(q.id.0.clone(), value);
    }
    answers
}

fn completed(survey: &Survey, n: usize, answers: Map<String, Value>) -> CompletedResponse {
    CompletedResponse {
        response_id: format!("7a1d2a9e-0c3b-4d5e-8f7a-{:012x}", n + (survey.id.0.len() << 20)),
        reference: format!(
            "KX7P-{}",
            ["3M4Q", "3M4R", "3M4T", "3M4W", "3M4X", "3M4Y", "3MAQ", "3MCQ", "3MDQ"][n % 9]
        ),
        survey_id: SurveyId::from(survey.id.0.as_str()),
        survey_version: survey.version.clone(),
        started_at: 1_795_705_000_000.0,
        completed_at: 1_795_705_240_000.0 + n as f64 * 1000.0,
        answers,
        locale: "en".into(),
        languages_used: vec!["en".into()],
        context: None,
    }
}

async fn post_completed(c: &Running, r: &CompletedResponse) {
    let reply = post_body(c.addr, &r.response_id, &request_body(r).to_string())
        .await
        .unwrap();
    assert_eq!(reply.status, 200, "{}", reply.body);
}

async fn with_user(config: Config) -> Running {
    let c = start(config).await;
    let hash = hash_password(PASSWORD).unwrap();
    c.collector.store().set_user("ann".into(), hash, true).await.unwrap();
    c
}

fn surveys_config() -> Config {
    Config {
        surveys: built_in_surveys(),
        ..Config::default()
    }
}

/// The value of a `Set-Cookie` for `name` in a reply, and the whole header.
fn set_cookie(reply: &Reply, name: &str) -> Option<(String, String)> {
    // `read_reply` keeps the last header of a name; the console sets the session cookie last.
    let header = reply.headers.get("set-cookie")?;
    let value = header.strip_prefix(&format!("{name}="))?.split(';').next()?.to_owned();
    Some((value, header.clone()))
}

fn hidden_csrf(html: &str) -> String {
    let at = html.find("name=\"csrf\" value=\"").unwrap() + "name=\"csrf\" value=\"".len();
    html[at..at + 64].to_owned()
}

fn form(pairs: &[(&str, &str)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    s.finish()
}

const FORM: (&str, &str) = ("Content-Type", "application/x-www-form-urlencoded");

/// Signs in as `name`: the form's CSRF cookie and value, then the post. Returns the reply.
async fn try_sign_in(c: &Running, name: &str, password: &str) -> Reply {
    let page = send(c.addr, "GET", "/console/sign-in", &[], "").await.unwrap();
    assert_eq!(page.status, 200);
    let (token, header) = set_cookie(&page, "__Host-sc_signin").unwrap();
    assert!(header.contains("HttpOnly") && header.contains("SameSite=Strict") && header.contains("Secure"));
    assert_eq!(hidden_csrf(&page.body), token);
    let cookie = format!("__Host-sc_signin={token}");
    let body = form(&[("csrf", &token), ("username", name), ("password", password)]);
    send(c.addr, "POST", "/console/sign-in", &[FORM, ("Cookie", &cookie)], &body)
        .await
        .unwrap()
}

/// A signed-in officer: the cookie header and the session's CSRF token.
struct Officer {
    cookie: String,
    csrf: String,
}

async fn sign_in(c: &Running) -> Officer {
    let reply = try_sign_in(c, "ann", PASSWORD).await;
    assert_eq!(reply.status, 303, "{}", reply.body);
    assert_eq!(reply.headers["location"], "/console");
    let (secret, header) = set_cookie(&reply, "__Host-sc_session").unwrap();
    assert!(
        header.contains("HttpOnly") && header.contains("SameSite=Strict") && header.contains("Secure"),
        "{header}"
    );
    let cookie = format!("__Host-sc_session={secret}");
    let page = send(c.addr, "GET", "/console", &[("Cookie", &cookie)], "")
        .await
        .unwrap();
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Signed in as ann"));
    Officer {
        csrf: hidden_csrf(&page.body),
        cookie,
    }
}

impl Officer {
    async fn get(&self, c: &Running, path: &str) -> Reply {
        send(c.addr, "GET", path, &[("Cookie", &self.cookie)], "")
            .await
            .unwrap()
    }

    async fn post(&self, c: &Running, path: &str, pairs: &[(&str, &str)]) -> Reply {
        let mut all = vec![("csrf", self.csrf.as_str())];
        all.extend_from_slice(pairs);
        send(c.addr, "POST", path, &[FORM, ("Cookie", &self.cookie)], &form(&all))
            .await
            .unwrap()
    }

    /// Saves a survey's outcomes as an officer does (issue #21): the form's post shows the
    /// preview and publishes nothing; Publish on the preview posts the fields it carries.
    async fn publish(&self, c: &Running, survey: &str, pairs: &[(&str, &str)]) -> Reply {
        let path = format!("/console/surveys/{survey}/outcomes");
        let feed = format!("/surveys/{survey}/outcomes.json");
        let before = send(c.addr, "GET", &feed, &[], "").await.unwrap().body;
        let mut previewing = pairs.to_vec();
        previewing.push(("step", "preview"));
        let preview = self.post(c, &path, &previewing).await;
        assert_eq!(preview.status, 200, "{}", preview.body);
        assert!(
            preview.body.contains("Check what the public will see"),
            "{}",
            preview.body
        );
        let after_preview = send(c.addr, "GET", &feed, &[], "").await.unwrap().body;
        assert_eq!(before, after_preview, "a preview publishes nothing");
        // Publish sends the fields the preview carries, as hidden inputs.
        let carried: Vec<(String, String)> = preview
            .body
            .split("<input type=\"hidden\" name=\"")
            .skip(1)
            .filter_map(|part| {
                let (name, rest) = part.split_once("\" value=\"")?;
                let value = rest.split_once('"')?.0;
                Some((name.to_owned(), html_unescape(value)))
            })
            .filter(|(name, _)| name != "csrf")
            .collect();
        let mut publishing: Vec<(&str, &str)> = carried.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        publishing.push(("step", "publish"));
        self.post(c, &path, &publishing).await
    }
}

fn html_unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[tokio::test]
async fn sign_in_needs_the_forms_csrf_value_and_sign_out_ends_the_session() {
    let c = with_user(surveys_config()).await;
    // A post without the sign-in form's cookie, or with another value, is refused.
    let body = form(&[("csrf", &"a".repeat(64)), ("username", "ann"), ("password", PASSWORD)]);
    let forged = send(c.addr, "POST", "/console/sign-in", &[FORM], &body).await.unwrap();
    assert_eq!(forged.status, 403);
    let cookie = format!("__Host-sc_signin={}", "b".repeat(64));
    let forged = send(c.addr, "POST", "/console/sign-in", &[FORM, ("Cookie", &cookie)], &body)
        .await
        .unwrap();
    assert_eq!(forged.status, 403);
    assert!(
        !forged.headers.contains_key("set-cookie") || !forged.headers["set-cookie"].starts_with("__Host-sc_session")
    );

    let officer = sign_in(&c).await;
    // Console pages are locked down.
    let page = officer.get(&c, "/console").await;
    assert!(page.headers["content-security-policy"].contains("default-src 'none'"));
    assert_eq!(page.headers["x-frame-options"], "DENY");
    assert_eq!(page.headers["cache-control"], "no-store");

    // Sign-out without the session's token is refused and the session lives on.
    let refused = send(
        c.addr,
        "POST",
        "/console/sign-out",
        &[FORM, ("Cookie", &officer.cookie)],
        &form(&[("csrf", &"0".repeat(64))]),
    )
    .await
    .unwrap();
    assert_eq!(refused.status, 403);
    assert_eq!(officer.get(&c, "/console").await.status, 200);
    let out = officer.post(&c, "/console/sign-out", &[]).await;
    assert_eq!(out.status, 200);
    assert!(out.body.contains("You have signed out"));
    let after = officer.get(&c, "/console").await;
    assert_eq!(
        (after.status, after.headers["location"].as_str()),
        (303, "/console/sign-in")
    );
}

#[tokio::test]
async fn wrong_passwords_lock_the_account_for_a_while() {
    let c = with_user(surveys_config()).await;
    for attempt in 1..=2 {
        let reply = try_sign_in(&c, "ann", "wrong password!").await;
        assert_eq!(reply.status, 401, "attempt {attempt}");
        assert!(reply.body.contains("Enter a correct username and password"));
        assert!(reply.body.contains("There is a problem") && reply.body.contains("href=\"#username\""));
    }
    let third = try_sign_in(&c, "ann", "wrong password!").await;
    assert_eq!(third.status, 429);
    assert_eq!(third.headers["retry-after"], "30");
    assert!(third.body.contains("Too many wrong passwords"));
    // Locked: even the right password waits.
    let right = try_sign_in(&c, "ann", PASSWORD).await;
    assert_eq!(right.status, 429);
    assert!(right
        .headers
        .get("set-cookie")
        .is_none_or(|h| !h.starts_with("__Host-sc_session")));
    // A name with no account is refused the same way as a wrong password.
    let nobody = try_sign_in(&c, "nobody", PASSWORD).await;
    assert_eq!(nobody.status, 401);
}

#[tokio::test]
async fn no_answer_or_count_is_reachable_without_signing_in() {
    let c = with_user(Config {
        origins: vec!["*".into()],
        ..surveys_config()
    })
    .await;
    let survey = c.collector.store();
    let _ = survey;
    let secret = "Ms Canary-Answer";
    let co = built_in_surveys().latest("co-production").unwrap().clone();
    for n in 0..6 {
        post_completed(&c, &completed(&co, n, full_answers(&co, n, secret))).await;
    }
    let officer = sign_in(&c).await;
    officer
        .post(
            &c,
            "/console/surveys/co-production/outcomes",
            &[("status", "analysing")],
        )
        .await;
    let revoked = survey_collector::auth::new_secret().unwrap();
    let store = c.collector.store();
    store
        .add_token("old".into(), survey_collector::auth::digest(&revoked))
        .await
        .unwrap();
    assert!(store.revoke_token("old".into()).await.unwrap());
    let revoked = format!("Bearer {revoked}");
    let gets = [
        "/console",
        "/console/",
        "/console/surveys/co-production",
        "/console/surveys/co-production?view=publication",
        "/console/surveys/co-production/answers/why-not-involved",
        "/console/surveys/co-production/answers/why-not-involved?q=canary",
        "/console/surveys/co-production/outcomes",
        "/console/surveys/co-production/outcomes?seed=1",
        "/surveys/co-production/responses.csv",
        "/surveys/co-production/responses.json",
        "/surveys/co-production/wide.csv",
        "/surveys/co-production/long.csv",
        "/surveys/co-production/questions.csv",
        "/surveys/co-production/options.csv",
    ];
    let forged_session = format!("__Host-sc_session={}", "f".repeat(64));
    for path in gets {
        for (method, body) in [("GET", ""), ("POST", "csrf=x&status=open")] {
            for (name, header) in [
                ("nothing", None),
                ("revoked token", Some(("Authorization", revoked.as_str()))),
                ("forged session", Some(("Cookie", forged_session.as_str()))),
                ("signed-out session", Some(("Cookie", "__Host-sc_session="))),
            ] {
                let mut headers = vec![("Origin", "null"), FORM];
                headers.extend(header);
                let reply = send(c.addr, method, path, &headers, body).await.unwrap();
                let what = format!("{method} {path} with {name}: {} {}", reply.status, reply.body);
                assert!(
                    !reply.body.contains(secret) && !reply.body.contains("7a1d2a9e"),
                    "{what}"
                );
                assert!(!reply.body.contains("Signed in as"), "{what}");
                assert!(!reply.headers.contains_key("access-control-allow-origin"), "{what}");
                if path.starts_with("/console") {
                    let expected = if method == "GET" { 303 } else { 403 };
                    assert!(reply.status == expected || reply.status == 405, "{what}");
                } else {
                    assert!(matches!(reply.status, 401 | 405), "{what}");
                }
            }
        }
    }
    // Signed in, the same routes have the answers.
    assert!(officer
        .get(&c, "/surveys/co-production/long.csv")
        .await
        .body
        .contains(secret));
    assert!(officer
        .get(&c, "/console/surveys/co-production/answers/why-not-involved?q=canary")
        .await
        .body
        .contains(secret));
    // The public routes never have an answer: only the stage and the outcomes.
    for path in [
        "/lookup?reference=KX7P-3M4Q",
        "/surveys/co-production/outcomes.json",
        "/surveys/co-production/outcomes.atom",
        "/console/sign-in",
        "/console/console.css",
    ] {
        let reply = send(c.addr, "GET", path, &[], "").await.unwrap();
        assert_eq!(reply.status, 200, "{path}");
        assert!(
            !reply.body.contains(secret) && !reply.body.contains("7a1d2a9e"),
            "{path}: {}",
            reply.body
        );
    }
}

#[tokio::test]
async fn the_survey_page_counts_and_withholds_small_numbers_for_publication() {
    let c = with_user(surveys_config()).await;
    let co = built_in_surveys().latest("co-production").unwrap().clone();
    // Seven responses: "yes" five times at the bigger-say question (n even), "no" twice.
    for n in [0, 2, 4, 6, 8, 1, 3] {
        post_completed(&c, &completed(&co, n, full_answers(&co, n, &format!("free text {n}")))).await;
    }
    let officer = sign_in(&c).await;
    let page = officer.get(&c, "/console/surveys/co-production").await;
    assert_eq!(page.status, 200);
    let body = &page.body;
    assert!(body.contains("<dt>Responses received</dt><dd>7</dd>"), "{body}");
    assert!(
        body.contains("<dt>Median time to complete</dt><dd>4 minutes 3 seconds</dd>"),
        "{body}"
    );
    assert!(
        body.contains("<svg class=\"c-chart\""),
        "charts are drawn on the server"
    );
    assert!(
        body.contains("<th scope=\"row\">Yes</th><td class=\"c-num\">5</td><td class=\"c-num\">71.4%</td>"),
        "{body}"
    );
    assert!(body.contains("<th scope=\"row\">No</th><td class=\"c-num\">2</td><td class=\"c-num\">28.6%</td>"));
    assert!(body.contains("<th scope=\"row\">Not at an event</th><td class=\"c-num\">7</td>"));
    assert!(body.contains("<th scope=\"row\">en</th><td class=\"c-num\">7</td>"));
    let public = officer
        .get(&c, "/console/surveys/co-production?view=publication")
        .await
        .body;
    assert!(
        public.contains("<th scope=\"row\">Yes</th><td class=\"c-num\">5</td>"),
        "5 is at the threshold: shown"
    );
    assert!(
        public.contains("<th scope=\"row\">No</th><td class=\"c-num\">fewer than 5</td><td class=\"c-num\">–</td>"),
        "{public}"
    );
    assert!(
        !public.contains("Read and search the answers"),
        "free text is not for publication"
    );
    // Free text, with search.
    let all = officer
        .get(&c, "/console/surveys/co-production/answers/why-not-involved")
        .await
        .body;
    assert!(all.contains("7 answers.") && all.contains("free text 8"));
    let found = officer
        .get(&c, "/console/surveys/co-production/answers/why-not-involved?q=TEXT+3")
        .await
        .body;
    assert!(
        found.contains("1 of 7 answers contain “TEXT 3”")
            && found.contains("free text 3")
            && !found.contains("free text 8")
    );
    // Hostile text is escaped.
    let hostile = completed(&co, 20, full_answers(&co, 20, "<script>alert(1)</script>"));
    post_completed(&c, &hostile).await;
    let list = officer
        .get(&c, "/console/surveys/co-production/answers/why-not-involved?q=script")
        .await
        .body;
    assert!(list.contains("&lt;script&gt;") && !list.contains("<script>"));
    // The figures are kept between requests only until another response arrives.
    let again = officer.get(&c, "/console/surveys/co-production").await.body;
    assert!(again.contains("<dt>Responses received</dt><dd>8</dd>"), "{again}");
}

/// The header and rows of a CSV, quoted cells and all.
fn csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let (mut row, mut cell, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = text.trim_start_matches('\u{feff}').chars().peekable();
    while let Some(ch) = chars.next() {
        match (ch, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(std::mem::take(&mut cell)),
            ('\r', false) => {}
            ('\n', false) => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (c, _) => cell.push(c),
        }
    }
    rows
}

#[tokio::test]
async fn wide_and_long_csvs_and_the_dictionary_for_every_built_in_survey() {
    let c = with_user(surveys_config()).await;
    let surveys = built_in_surveys();
    for (id, _) in surveys.list() {
        let survey = surveys.latest(id).unwrap().clone();
        let wide_before = c.get(&format!("/surveys/{id}/wide.csv")).await;
        assert_eq!(wide_before.status, 200);
        assert_eq!(
            wide_before.headers["content-disposition"],
            format!("attachment; filename=\"{id}-wide.csv\"")
        );
        for n in 0..3 {
            post_completed(&c, &completed(&survey, n, full_answers(&survey, n, "plain words"))).await;
        }
        let wide = c.get(&format!("/surveys/{id}/wide.csv")).await.body;
        let rows = csv(&wide);
        assert_eq!(
            csv(&wide_before.body)[0],
            rows[0],
            "{id}: columns are stable as responses arrive"
        );
        assert_eq!(rows.len(), 4, "{id}: a header and three rows");
        let header = &rows[0];
        assert_eq!(
            &header[..9],
            [
                "response_id",
                "survey_version",
                "locale",
                "languages_used",
                "started_at",
                "completed_at",
                "received_at",
                "event",
                "device"
            ]
        );
        let options = csv(&c.get(&format!("/surveys/{id}/options.csv")).await.body);
        let questions = csv(&c.get(&format!("/surveys/{id}/questions.csv")).await.body);
        for (_, q) in survey.questions().filter(|(_, q)| q.kind.is_answerable()) {
            let qid = q.id.0.as_str();
            assert!(questions.iter().any(|r| r[2] == qid), "{id}: {qid} in questions.csv");
            match &q.kind {
                QuestionKind::MultipleChoice { choices, .. } => {
                    for (i, ch) in choices.iter().enumerate() {
                        let col = format!("{qid}.{}", ch.value);
                        let at = header
                            .iter()
                            .position(|h| *h == col)
                            .unwrap_or_else(|| panic!("{id}: {col}"));
                        let expected = if i < 2 { "1" } else { "0" };
                        assert_eq!(rows[1][at], expected, "{id}: {col} is 0/1");
                        assert!(options
                            .iter()
                            .any(|r| r[2] == qid && r[4] == ch.value && r[7] == ch.label && r[8] == col));
                    }
                }
                QuestionKind::Likert { statements, scale } => {
                    for s in statements {
                        let col = format!("{qid}.{}", s.id);
                        let at = header.iter().position(|h| *h == col).unwrap();
                        assert_eq!(
                            rows[2][at],
                            scale[1 % scale.len()].value,
                            "{id}: {col} holds the scale code"
                        );
                    }
                }
                QuestionKind::SingleChoice { choices, other, .. } => {
                    let at = header.iter().position(|h| h == qid).unwrap();
                    assert_eq!(rows[1][at], choices[0].value, "{id}: {qid} holds the code");
                    if let Some(o) = other {
                        let text_at = header.iter().position(|h| *h == format!("{qid}.other")).unwrap();
                        assert_eq!(
                            (rows[3][at].as_str(), rows[3][text_at].as_str()),
                            (o.value.as_str(), "typed in Other")
                        );
                        assert!(options
                            .iter()
                            .any(|r| r[2] == qid && r[3] == "other" && r[7] == o.label));
                    }
                }
                _ => assert!(header.iter().any(|h| h == qid), "{id}: {qid} column"),
            }
        }
        let long = c.get(&format!("/surveys/{id}/long.csv")).await.body;
        let long = csv(&long);
        assert_eq!(
            long[0],
            [
                "response_id",
                "question_id",
                "option",
                "value",
                "locale",
                "languages_used",
                "received_at",
                "event"
            ]
        );
        let parts: usize = full_answers(&survey, 0, "plain words")
            .values()
            .map(|v| match v {
                Value::Array(a) => a.len(),
                Value::Object(o) if o.contains_key("value") => 1 + usize::from(o.contains_key("other")),
                Value::Object(o) => o.len(),
                _ => 1,
            })
            .sum();
        let first_id = &rows[1][0];
        assert_eq!(
            long.iter().filter(|r| &r[0] == first_id).count(),
            parts,
            "{id}: one long row per answer part"
        );
    }
}

#[tokio::test]
async fn the_dictionary_carries_each_questions_language() {
    // The co-production survey is in English and Welsh (issue #23): each question and option
    // has a row in each, under the same codes.
    let c = start(Config {
        surveys: built_in_surveys(),
        ..Config::default()
    })
    .await;
    let questions = c.get("/surveys/co-production/questions.csv").await.body;
    assert!(
        questions.contains(",en,What is your connection to adult social care?\r\n"),
        "{questions}"
    );
    assert!(
        questions.contains(",cy,Beth yw eich cysylltiad â gofal cymdeithasol i oedolion?\r\n"),
        "{questions}"
    );
    let options = c.get("/surveys/co-production/options.csv").await.body;
    let welsh = options.lines().filter(|l| l.contains(",cy,")).count();
    let english = options.lines().filter(|l| l.contains(",en,")).count();
    assert!(welsh > 0 && welsh == english, "{options}");
    // Without a definition there is no dictionary, with a clear reason.
    let none = c.get("/surveys/unknown/questions.csv").await;
    assert_eq!(none.status, 404);
    assert!(none.json()["problems"][0].as_str().unwrap().contains("--surveys"));
}

#[tokio::test]
async fn outcomes_are_saved_with_their_history_and_published_as_feeds() {
    let c = with_user(Config {
        origins: vec!["https://www.council.gov.uk".into()],
        threshold: 5,
        ..surveys_config()
    })
    .await;
    let co = built_in_surveys().latest("co-production").unwrap().clone();
    for n in 0..6 {
        post_completed(&c, &completed(&co, n, full_answers(&co, n, "words"))).await;
    }
    // Before anything is saved: an open survey with nothing published, and no count.
    let empty = send(c.addr, "GET", "/surveys/co-production/outcomes.json", &[], "")
        .await
        .unwrap();
    assert_eq!(empty.status, 200);
    let v = empty.json();
    assert_eq!(
        (&v["status"], &v["updatedAt"], &v["weDid"]),
        (&json!("open"), &Value::Null, &json!([]))
    );
    assert!(
        v.get("responses").is_none_or(Value::is_null),
        "no count before an officer saves: {v}"
    );
    let officer = sign_in(&c).await;
    // Themes from the figures (issue #21): offered to pick from, none chosen by default, the
    // personal or demographic questions set apart; only what the officer picks is added.
    let offered = officer
        .get(&c, "/console/surveys/co-production/outcomes/themes")
        .await
        .body;
    assert!(offered.contains("value=\"ways-to-take-part\""), "{offered}");
    assert!(!offered.contains(" checked"), "nothing is picked by default: {offered}");
    let about_people = offered.find("About the people who answered").unwrap();
    assert!(
        offered.find("value=\"access-needs\"").unwrap() > about_people,
        "a personal question is set apart: {offered}"
    );
    assert!(offered.find("value=\"ways-to-take-part\"").unwrap() < about_people);
    let seeded = officer
        .get(&c, "/console/surveys/co-production/outcomes?add=ways-to-take-part")
        .await
        .body;
    assert!(seeded.contains("The themes you chose are added below"), "{seeded}");
    assert!(
        seeded.contains("id=\"theme-0-count\" name=\"theme-0-count\" type=\"text\" value=\"6\""),
        "{seeded}"
    );
    assert!(
        !seeded.contains("id=\"theme-1-count\" name=\"theme-1-count\" type=\"text\" value=\"6\""),
        "only the one picked"
    );
    assert!(!seeded.contains("Do you need any of these"), "{seeded}");
    assert!(seeded.contains("Nothing has been published for this survey yet."));
    // A form without the session's CSRF token changes nothing.
    let forged = send(
        c.addr,
        "POST",
        "/console/surveys/co-production/outcomes",
        &[FORM, ("Cookie", &officer.cookie)],
        &form(&[("status", "published")]),
    )
    .await
    .unwrap();
    assert_eq!(forged.status, 403);
    // Problems are named and linked, and nothing is saved.
    let bad = officer
        .post(
            &c,
            "/console/surveys/co-production/outcomes",
            &[
                ("status", "analysing"),
                ("action-0-text", "Evening meetings"),
                ("action-0-evidence", "javascript:alert(1)"),
            ],
        )
        .await;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("href=\"#action-0-owner\"") && bad.body.contains("href=\"#action-0-evidence\""));
    assert!(bad.body.contains("<title>Error: You said, we did"));
    let saved = officer
        .publish(
            &c,
            "co-production",
            &[
                ("status", "analysing"),
                ("theme-0-text", "People did not know co-production was happening"),
                ("theme-0-count", "41"),
                ("theme-1-text", "Meetings clash with caring"),
                ("theme-1-count", "3"),
                ("action-0-text", "Hold the carers' forum in the evening"),
                ("action-0-owner", "Engagement team"),
                ("action-0-status", "planned"),
                ("action-0-date", "2027-03-31"),
            ],
        )
        .await;
    assert_eq!(
        (saved.status, saved.headers["location"].as_str()),
        (303, "/console/surveys/co-production/outcomes?saved=1")
    );
    officer
        .publish(
            &c,
            "co-production",
            &[
                ("status", "published"),
                ("theme-0-text", "People did not know co-production was happening"),
                ("theme-0-count", "41"),
                ("theme-1-text", "Meetings clash with caring"),
                ("theme-1-count", "3"),
                ("action-0-text", "Hold the carers' forum in the evening"),
                ("action-0-owner", "Engagement team"),
                ("action-0-status", "done"),
                ("action-0-date", "2027-03-31"),
                ("action-0-evidence", "https://www.council.gov.uk/carers-forum"),
                ("action-1-text", "Pay carers for their time"),
                ("action-1-owner", "Adult social care"),
                ("action-1-status", "not-doing"),
                (
                    "action-1-reason",
                    "The budget for 2027 does not allow it; we will review it in 2028",
                ),
            ],
        )
        .await;
    let page = officer
        .get(&c, "/console/surveys/co-production/outcomes?saved=1")
        .await
        .body;
    assert!(page.contains("Saved and published."));
    // The audit trail: who, and what changed, newest first.
    let history = &page[page.find("<h2>History</h2>").unwrap()..];
    let newest = history
        .find("Status: Analysing responses → Outcomes published")
        .unwrap();
    let first = history.find("Record started").unwrap();
    assert!(newest < first, "{history}");
    assert!(history.contains("<td>ann</td>"));
    assert!(
        history.contains("Action “Hold the carers&#39; forum in the evening”: Planned → Done"),
        "{history}"
    );

    // The public feed: cacheable, CORS for the council's site, small counts withheld.
    let origin = [("Origin", "https://www.council.gov.uk")];
    let feed = send(c.addr, "GET", "/surveys/co-production/outcomes.json", &origin, "")
        .await
        .unwrap();
    assert_eq!(feed.status, 200);
    assert_eq!(
        feed.headers["access-control-allow-origin"],
        "https://www.council.gov.uk"
    );
    assert_eq!(feed.headers["cache-control"], "public, max-age=300");
    let mut v = feed.json();
    assert!(v["updatedAt"].as_str().unwrap().ends_with('Z'));
    v["updatedAt"] = json!("2027-04-01T09:00:00.000Z");
    let fixture: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/fixtures/outcomes-feed.json"
        ))
        .unwrap(),
    )
    .unwrap();
    // The fixture is what tests/schema/check_schema.py validates against outcomes.schema.json.
    assert_eq!(v, fixture);
    let etag = feed.headers["etag"].clone();
    let again = send(
        c.addr,
        "GET",
        "/surveys/co-production/outcomes.json",
        &[("If-None-Match", &etag)],
        "",
    )
    .await
    .unwrap();
    assert_eq!(again.status, 304);
    let other = send(
        c.addr,
        "GET",
        "/surveys/co-production/outcomes.json",
        &[("Origin", "https://evil.example")],
        "",
    )
    .await
    .unwrap();
    assert!(!other.headers.contains_key("access-control-allow-origin"));
    // Atom: an entry per change, no names of staff.
    let atom = send(c.addr, "GET", "/surveys/co-production/outcomes.atom", &[], "")
        .await
        .unwrap();
    assert_eq!(atom.headers["content-type"], "application/atom+xml; charset=utf-8");
    assert_eq!(atom.body.matches("<entry>").count(), 2);
    assert!(atom
        .body
        .contains("<title>Have a bigger say in adult social care – you said, we did</title>"));
    assert!(atom.body.contains("<author><name>The council</name></author>"));
    assert!(!atom.body.contains(">ann<"), "who made a change is not published");
}

#[tokio::test]
async fn the_lookup_page_is_in_welsh_and_urdu_too() {
    let c = with_user(surveys_config()).await;
    let co = built_in_surveys().latest("co-production").unwrap().clone();
    post_completed(&c, &completed(&co, 0, full_answers(&co, 0, "Canary answer"))).await;
    let officer = sign_in(&c).await;
    officer
        .publish(
            &c,
            "co-production",
            &[
                ("status", "published"),
                ("theme-0-text", "Evenings are better"),
                ("theme-0-text-cy", "Mae gyda’r nos yn well"),
                ("theme-1-text", "Buses are a barrier"),
                ("action-0-text", "Evening forums"),
                ("action-0-text-cy", "Fforymau gyda’r nos"),
                ("action-0-owner", "Engagement team"),
                ("action-0-owner-cy", "Tîm ymgysylltu"),
                ("action-0-status", "done"),
                ("action-0-date", "2027-03-14"),
            ],
        )
        .await;
    // The feed carries each text the council wrote in Welsh beside its English.
    let feed = c.get("/surveys/co-production/outcomes.json").await.json();
    assert_eq!(
        feed["youSaid"][0]["theme"],
        json!({ "en": "Evenings are better", "cy": "Mae gyda’r nos yn well" })
    );
    assert_eq!(feed["youSaid"][1]["theme"], json!("Buses are a barrier"));
    assert_eq!(
        feed["weDid"][0]["owner"],
        json!({ "en": "Engagement team", "cy": "Tîm ymgysylltu" })
    );
    // The Atom feed in Welsh when its address asks: the survey's Welsh title, the change in
    // Welsh words with the council's Welsh texts; English stays at the plain address.
    let atom_cy = c.get("/surveys/co-production/outcomes.atom?lang=cy").await;
    assert!(atom_cy.body.contains("xml:lang=\"cy\""), "{}", atom_cy.body);
    assert!(atom_cy
        .body
        .contains("<title>Cael mwy o lais ym maes gofal cymdeithasol i oedolion – dywedoch chi, gwnaethom ni</title>"));
    assert!(
        atom_cy
            .body
            .contains("Cofnod wedi’i ddechrau: statws Canlyniadau wedi’u cyhoeddi; 2 thema; 1 cam"),
        "{}",
        atom_cy.body
    );
    assert!(atom_cy
        .body
        .contains("/surveys/co-production/outcomes.atom?lang=cy</id>"));
    let atom_en = c.get("/surveys/co-production/outcomes.atom").await;
    assert!(atom_en.body.contains("xml:lang=\"en\"") && atom_en.body.contains("Record started"));
    // Issue #23: the same page in Welsh, asked for in the address or by the browser, with the
    // survey's own Welsh title and a switch back to English keeping the code.
    let welsh = send(c.addr, "GET", "/lookup?reference=KX7P-3M4Q&lang=cy", &[], "")
        .await
        .unwrap();
    assert!(welsh.body.contains("<html lang=\"cy\" dir=\"ltr\">"), "{}", welsh.body);
    assert!(welsh
        .body
        .contains("<title>Chwilio am eich ymateb – The council</title>"));
    assert!(welsh
        .body
        .contains("<h2>Eich ymateb <bdi class=\"c-code\">KX7P-3M4Q</bdi></h2>"));
    assert!(welsh
        .body
        .contains("Cael mwy o lais ym maes gofal cymdeithasol i oedolion"));
    assert!(
        welsh.body.contains("<dt>Wedi’i wneud</dt><dd>14 Mawrth 2027</dd>"),
        "{}",
        welsh.body
    );
    assert!(welsh.body.contains("<li>Mae gyda’r nos yn well</li>"), "{}", welsh.body);
    assert!(
        welsh
            .body
            .contains("<li><span lang=\"en\">Buses are a barrier</span></li>"),
        "a theme the council wrote only in English, marked as English"
    );
    assert!(welsh.body.contains("<h3>Fforymau gyda’r nos</h3>") && welsh.body.contains("<dd>Tîm ymgysylltu</dd>"));
    assert!(welsh
        .body
        .contains("<a href=\"/lookup?lang=en&amp;reference=KX7P-3M4Q\" hreflang=\"en\" lang=\"en\">English</a>"));
    let browser = send(
        c.addr,
        "GET",
        "/lookup",
        &[("Accept-Language", "cy-GB,cy;q=0.9,en;q=0.5")],
        "",
    )
    .await
    .unwrap();
    assert!(browser.body.contains("<html lang=\"cy\" dir=\"ltr\">") && browser.body.contains("Cod cyfeirnod"));
    assert_eq!(browser.headers["vary"], "Accept-Language");
    assert!(!welsh.body.contains("Canary"));

    // And in Urdu, right to left: the page's own words in Urdu; the survey (which has no Urdu)
    // and the council's texts (written in English and Welsh) in English, marked as such.
    let urdu = send(c.addr, "GET", "/lookup?reference=KX7P-3M4Q&lang=ur", &[], "")
        .await
        .unwrap();
    assert!(urdu.body.contains("<html lang=\"ur\" dir=\"rtl\">"), "{}", urdu.body);
    assert!(urdu.body.contains("<title>اپنا جواب تلاش کریں – The council</title>"));
    assert!(urdu
        .body
        .contains("<h2>آپ کا جواب <bdi class=\"c-code\">KX7P-3M4Q</bdi></h2>"));
    assert!(
        urdu.body
            .contains("<dd><span lang=\"en\">Have a bigger say in adult social care</span></dd>"),
        "{}",
        urdu.body
    );
    assert!(
        urdu.body.contains("<dt>مکمل</dt><dd>14 مارچ 2027</dd>"),
        "{}",
        urdu.body
    );
    assert!(urdu
        .body
        .contains("<li><span lang=\"en\">Evenings are better</span></li>"));
    assert!(urdu
        .body
        .contains("<span aria-current=\"true\" lang=\"ur\"><strong>اردو</strong></span>"));
    assert!(welsh
        .body
        .contains("<a href=\"/lookup?lang=ur&amp;reference=KX7P-3M4Q\" hreflang=\"ur\" lang=\"ur\">اردو</a>"));
    assert!(!urdu.body.contains("Canary"));
}

#[tokio::test]
async fn a_reference_code_shows_its_stage_and_outcomes_but_never_an_answer() {
    let c = with_user(Config {
        lookups_per_minute: 3,
        ..surveys_config()
    })
    .await;
    let co = built_in_surveys().latest("co-production").unwrap().clone();
    let r = completed(&co, 0, full_answers(&co, 0, "Canary answer"));
    post_completed(&c, &r).await;
    let found = send(c.addr, "GET", "/lookup?reference=kx7p+3m4q", &[], "")
        .await
        .unwrap();
    assert_eq!(found.status, 200);
    assert!(
        found
            .body
            .contains("<h2>Your response <bdi class=\"c-code\">KX7P-3M4Q</bdi></h2>"),
        "{}",
        found.body
    );
    // A page for the public (issue #21): the council's name, no staff wording, dates in words.
    assert!(found
        .body
        .contains("<title>Look up your response – The council</title>"));
    assert!(!found.body.contains("Survey collector") && !found.body.contains("personal data"));
    assert!(found.body.contains("<span class=\"c-tag\">Received</span>"));
    assert!(!found.body.contains("Canary"));
    let officer = sign_in(&c).await;
    officer
        .publish(
            &c,
            "co-production",
            &[
                ("status", "published"),
                ("theme-0-text", "Evenings are better"),
                ("theme-0-count", "2"),
                ("action-0-text", "Evening forums"),
                ("action-0-owner", "Engagement team"),
                ("action-0-status", "done"),
                ("action-0-date", "2027-03-14"),
            ],
        )
        .await;
    let published = send(c.addr, "GET", "/lookup?reference=KX7P-3M4Q", &[], "")
        .await
        .unwrap();
    assert!(published.body.contains("Outcomes published") && published.body.contains("Evenings are better"));
    assert!(
        !published.body.contains("(2 people)"),
        "a count under the threshold is withheld"
    );
    assert!(
        published.body.contains("<dt>Done</dt><dd>14 March 2027</dd>"),
        "{}",
        published.body
    );
    assert!(
        !published.body.contains("<table"),
        "actions are cards, not a wide table"
    );
    let missing = send(c.addr, "GET", "/lookup?reference=KX7P-3M4R", &[], "")
        .await
        .unwrap();
    assert_eq!(missing.status, 404);
    assert!(missing
        .body
        .contains("No response found for <bdi class=\"c-code\">KX7P-3M4R</bdi>"));
    let bad = send(c.addr, "GET", "/lookup?reference=hello", &[], "").await.unwrap();
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("href=\"#reference\""));
    // Three well-formed lookups a minute from one address; the fourth waits.
    let limited = send(c.addr, "GET", "/lookup?reference=KX7P-3M4Q", &[], "")
        .await
        .unwrap();
    assert_eq!(limited.status, 429);
    assert!(limited.headers.contains_key("retry-after"));
    // Nobody can dodge the limit by naming another address: this collector trusts no proxy.
    let dodged = send(
        c.addr,
        "GET",
        "/lookup?reference=KX7P-3M4Q",
        &[("X-Forwarded-For", "192.0.2.44")],
        "",
    )
    .await
    .unwrap();
    assert_eq!(dodged.status, 429);
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_visitor_has_their_own_lookup_allowance() {
    let c = with_user(Config {
        lookups_per_minute: 1,
        trusted_proxies: vec![std::net::IpAddr::from([127, 0, 0, 1])],
        ..surveys_config()
    })
    .await;
    let look = |client: &'static str| async move {
        send(
            c.addr,
            "GET",
            "/lookup?reference=KX7P-3M4Q",
            &[("X-Forwarded-For", client)],
            "",
        )
        .await
        .unwrap()
        .status
    };
    assert_eq!(look("198.51.100.7").await, 404);
    assert_eq!(
        look("198.51.100.8").await,
        404,
        "another visitor through the same proxy"
    );
    assert_eq!(look("198.51.100.7").await, 429, "the first visitor's minute is used up");
    // A visitor's own header before the proxy's entry does not make them someone else.
    assert_eq!(look("10.9.9.9, 198.51.100.8").await, 429);
}

/// Issue #21: six posts under a made-up version put a scam text into the figures and from
/// there into a suggested public theme, and 1,000 new answer keys per post became columns.
#[tokio::test]
async fn a_made_up_version_is_held_never_counted_exported_or_suggested() {
    let dir = ScratchDir::new();
    let c = start_on(&dir.db(), surveys_config()).await;
    c.collector
        .store()
        .set_user("ann".into(), hash_password(PASSWORD).unwrap(), true)
        .await
        .unwrap();
    let co = built_in_surveys().latest("co-production").unwrap().clone();
    for n in 0..5 {
        post_completed(&c, &completed(&co, n, full_answers(&co, n, "real words"))).await;
    }
    let scam = "Text 0900 123 456 to claim a carers grant";
    for n in 0..6 {
        let mut answers = Map::new();
        answers.insert("connection-to-care".into(), json!(scam));
        for k in 0..999 {
            answers.insert(format!("k{n}-{k}"), json!("x"));
        }
        let mut r = completed(&co, 100 + n, answers);
        r.survey_version = "2099-01".into();
        post_completed(&c, &r).await;
    }
    // A real response to a version the council replaced, whose file was left out.
    let mut replaced = completed(&co, 200, full_answers(&co, 0, "older version"));
    replaced.survey_version = "2026-01".into();
    post_completed(&c, &replaced).await;
    let officer = sign_in(&c).await;
    let page = officer.get(&c, "/console/surveys/co-production").await.body;
    assert!(page.contains("<dt>Responses received</dt><dd>5</dd>"), "{page}");
    assert!(page.contains("7 responses are held for review"), "{page}");
    assert!(page.contains("version 2026-01 (1), version 2099-01 (6)"), "{page}");
    assert!(!page.contains("0900"), "{page}");
    for file in ["responses.csv", "wide.csv", "long.csv"] {
        let csv = officer.get(&c, &format!("/surveys/co-production/{file}")).await.body;
        assert!(!csv.contains("0900") && !csv.contains("k0-1"), "{file}: {csv}");
        assert!(csv.lines().next().unwrap().split(',').count() < 100, "{file}");
    }
    let held = officer.get(&c, "/surveys/co-production/held.json").await;
    assert_eq!(held.json().as_array().unwrap().len(), 7);
    let themes = officer
        .get(&c, "/console/surveys/co-production/outcomes/themes")
        .await
        .body;
    assert!(!themes.contains("0900"), "{themes}");
    // Given the replaced version's file (and even a 2099-01 file), the collector checks what
    // it holds against them: the real response is counted, the made-up ones fit nothing.
    let mut surveys = built_in_surveys();
    for version in ["2026-01", "2099-01"] {
        let mut old = co.clone();
        old.version = version.into();
        surveys.add(old);
    }
    let restarted = start_on(
        &dir.db(),
        Config {
            surveys,
            ..Config::default()
        },
    )
    .await;
    let officer = sign_in(&restarted).await;
    let page = officer.get(&restarted, "/console/surveys/co-production").await.body;
    assert!(page.contains("<dt>Responses received</dt><dd>6</dd>"), "{page}");
    assert!(page.contains("6 responses are held for review"), "{page}");
    assert!(!page.contains("0900"));
    // The public feed counts what the figures count, never a held response.
    officer
        .publish(&restarted, "co-production", &[("status", "analysing")])
        .await;
    let feed = send(restarted.addr, "GET", "/surveys/co-production/outcomes.json", &[], "")
        .await
        .unwrap()
        .json();
    assert_eq!(feed["responses"], 6, "{feed}");
}

/// Issue #21: the Atom feed showed a withheld count, its links came from the `Host` header,
/// and U+FFFF in an officer's text made it ill-formed XML.
#[tokio::test]
async fn the_atom_feed_withholds_small_counts_uses_the_public_url_and_stays_well_formed() {
    let c = with_user(Config {
        public_url: "https://collect.council.gov.uk".into(),
        ..surveys_config()
    })
    .await;
    let officer = sign_in(&c).await;
    for count in ["7", "3"] {
        let saved = officer
            .publish(
                &c,
                "co-production",
                &[
                    ("status", "analysing"),
                    ("theme-0-text", "Evening meetings\u{FFFF} suit carers"),
                    ("theme-0-count", count),
                ],
            )
            .await;
        assert_eq!(saved.status, 303, "{}", saved.body);
    }
    let atom = send(
        c.addr,
        "GET",
        "/surveys/co-production/outcomes.atom",
        &[("Host", "evil.example")],
        "",
    )
    .await
    .unwrap()
    .body;
    assert!(atom.contains("count 7 → fewer than 5"), "{atom}");
    assert!(!atom.contains("→ 3"), "{atom}");
    assert!(!atom.contains('\u{FFFF}'), "{atom}");
    assert!(atom.contains("href=\"https://collect.council.gov.uk/surveys/co-production/outcomes.json\""));
    assert!(!atom.contains("evil.example"));
    // The officers' own history keeps the count as typed.
    let page = officer.get(&c, "/console/surveys/co-production/outcomes").await.body;
    assert!(page.contains("count 7 → 3"), "{page}");
}

/// Issue #21: with two session cookies the first won, so a sibling subdomain could plant one.
#[tokio::test]
async fn ambiguous_or_unprefixed_session_cookies_are_refused() {
    let c = with_user(surveys_config()).await;
    let officer = sign_in(&c).await;
    assert!(officer.cookie.starts_with("__Host-sc_session="));
    let planted = format!("__Host-sc_session={}; {}", "f".repeat(64), officer.cookie);
    let reply = send(c.addr, "GET", "/console", &[("Cookie", &planted)], "")
        .await
        .unwrap();
    assert_eq!(reply.status, 303, "two session cookies: signed out");
    let unprefixed = officer.cookie.replace("__Host-", "");
    let reply = send(c.addr, "GET", "/console", &[("Cookie", &unprefixed)], "")
        .await
        .unwrap();
    assert_eq!(reply.status, 303, "a cookie without the prefix is not the session");
    let reply = send(c.addr, "GET", "/console", &[("Cookie", &officer.cookie)], "")
        .await
        .unwrap();
    assert_eq!(reply.status, 200);
}

/// A small survey definition for the versions tests, as an officer would paste it.
fn tiny(version: &str, questions: Value) -> String {
    serde_json::to_string_pretty(&json!({
        "formatVersion": 1, "id": "tiny", "version": version, "title": "Tell us about the library",
        "pages": questions.as_array().unwrap().iter().enumerate()
            .map(|(i, q)| json!({ "id": format!("p{i}"), "questions": [q] })).collect::<Vec<_>>()
    }))
    .unwrap()
}

#[tokio::test]
async fn a_draft_is_checked_published_by_an_officer_and_served_and_a_published_version_never_changes() {
    let dir = ScratchDir::new();
    let config = || Config {
        origins: vec!["https://www.council.example".into()],
        ..Config::default()
    };
    let c = start_on(&dir.db(), config()).await;
    c.collector
        .store()
        .set_user("ann".into(), hash_password(PASSWORD).unwrap(), true)
        .await
        .unwrap();
    let officer = sign_in(&c).await;
    let page = "/console/surveys/tiny/versions";
    let go = officer.get(&c, "/console/drafts?survey=tiny").await;
    assert_eq!((go.status, go.headers["location"].as_str()), (303, page));
    assert!(officer
        .get(&c, page)
        .await
        .body
        .contains("No version of this survey is published"));
    assert_eq!(
        send(c.addr, "GET", "/surveys/tiny/survey.json", &[], "")
            .await
            .unwrap()
            .status,
        404
    );

    // Saving: not JSON, another survey, then the real thing.
    let refused = officer
        .post(&c, page, &[("action", "save"), ("definition", "{not json")])
        .await;
    assert_eq!(refused.status, 400);
    assert!(
        refused.body.contains("There is a problem") && refused.body.contains("The survey file is not JSON"),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("{not json"), "what was typed is kept");
    let other = tiny("1", json!([{ "id": "a", "type": "text", "title": "A" }])).replace("\"tiny\"", "\"other\"");
    let refused = officer
        .post(&c, page, &[("action", "save"), ("definition", &other)])
        .await;
    assert!(
        refused.body.contains("The survey file is for survey other, not tiny"),
        "{}",
        refused.body
    );
    let v1 = tiny(
        "1",
        json!([
            { "id": "visits", "type": "number", "title": "How many times a month do you visit?", "integer": true, "min": 0, "max": 31 },
            { "id": "likes", "type": "longText", "title": "What do you like about it?", "required": false }
        ]),
    );
    let saved = officer.post(&c, page, &[("action", "save"), ("definition", &v1)]).await;
    assert_eq!(
        (saved.status, saved.headers["location"].as_str()),
        (303, "/console/surveys/tiny/versions?done=saved")
    );
    let shown = officer.get(&c, &saved.headers["location"]).await.body;
    assert!(
        shown.contains("The draft is saved.") && shown.contains("Ready to publish as version <strong>1</strong>"),
        "{shown}"
    );
    assert!(shown.contains("Saved ") && shown.contains(" by ann."), "{shown}");
    assert!(
        !shown.contains("This change splits your data"),
        "nothing published yet to split from"
    );

    // Publishing needs the session's CSRF token, then publishes the draft and ends it.
    let forged = send(
        c.addr,
        "POST",
        page,
        &[FORM, ("Cookie", &officer.cookie)],
        &form(&[("action", "publish")]),
    )
    .await
    .unwrap();
    assert_eq!(forged.status, 403);
    let published = officer.post(&c, page, &[("action", "publish")]).await;
    assert_eq!(
        (published.status, published.headers["location"].as_str()),
        (303, "/console/surveys/tiny/versions?published=1")
    );
    let shown = officer.get(&c, &published.headers["location"]).await.body;
    assert!(
        shown.contains("Version 1 is published.") && shown.contains("There is no draft."),
        "{shown}"
    );
    assert!(
        shown.contains("<code>/surveys/tiny/survey.json</code>") || shown.contains("/surveys/tiny/survey.json</code>"),
        "{shown}"
    );
    assert!(
        c.collector.surveys().knows("tiny"),
        "answers are checked against it from now on"
    );

    // The public route: the live version as published, cacheable, with an ETag and CORS.
    let origin = ("Origin", "https://www.council.example");
    let live = send(c.addr, "GET", "/surveys/tiny/survey.json", &[origin], "")
        .await
        .unwrap();
    assert_eq!(live.status, 200);
    assert_eq!(live.body, v1, "byte for byte as published");
    assert_eq!(live.headers["content-type"], "application/json");
    assert_eq!(live.headers["cache-control"], "public, max-age=60");
    assert_eq!(
        live.headers["access-control-allow-origin"],
        "https://www.council.example"
    );
    let etag = live.headers["etag"].clone();
    let again = send(
        c.addr,
        "GET",
        "/surveys/tiny/survey.json",
        &[("If-None-Match", &etag)],
        "",
    )
    .await
    .unwrap();
    assert_eq!((again.status, again.body.as_str()), (304, ""));
    let elsewhere = send(
        c.addr,
        "GET",
        "/surveys/tiny/survey.json",
        &[("Origin", "https://evil.example")],
        "",
    )
    .await
    .unwrap();
    assert!(!elsewhere.headers.contains_key("access-control-allow-origin"));
    let fixed = send(c.addr, "GET", "/surveys/tiny/versions/1.json", &[], "")
        .await
        .unwrap();
    assert_eq!(
        (fixed.status, fixed.headers["cache-control"].as_str()),
        (200, "public, max-age=31536000, immutable")
    );
    assert_eq!(
        send(c.addr, "GET", "/surveys/tiny/versions/9.json", &[], "")
            .await
            .unwrap()
            .status,
        404
    );
    assert_eq!(
        send(c.addr, "POST", "/surveys/tiny/survey.json", &[], "")
            .await
            .unwrap()
            .status,
        405
    );

    // A draft that keeps a published id with another type is blocked, with the reason.
    let retyped = tiny(
        "2",
        json!([
            { "id": "visits", "type": "text", "title": "How often do you visit?" },
            { "id": "likes", "type": "longText", "title": "What do you like about it?", "required": false }
        ]),
    );
    officer
        .post(&c, page, &[("action", "save"), ("definition", &retyped)])
        .await;
    let shown = officer.get(&c, page).await.body;
    assert!(shown.contains("It cannot be published yet"), "{shown}");
    assert!(
        shown.contains("`visits` was a number question in version 1: a question that changes type needs a new id"),
        "{shown}"
    );
    assert!(
        !shown.contains("Publish version 2"),
        "no Publish button while it is blocked"
    );
    let refused = officer.post(&c, page, &[("action", "publish")]).await;
    assert_eq!(refused.status, 400);
    assert!(refused.body.contains("There is a problem"), "{}", refused.body);

    // A route no answer can take is blocked too; a version name is used once.
    let never = tiny(
        "2",
        json!([
            { "id": "visits", "type": "number", "title": "How many times a month do you visit?", "integer": true, "min": 0, "max": 31 },
            { "id": "why", "type": "text", "title": "Why so often?", "showIf": { "question": "visits", "greaterThan": 40 } }
        ]),
    );
    officer
        .post(&c, page, &[("action", "save"), ("definition", &never)])
        .await;
    let shown = html_unescape(&officer.get(&c, page).await.body);
    assert!(
        shown.contains("never true, since answers to `visits` run from 0 to 31"),
        "{shown}"
    );
    let reused = v1.replace("What do you like about it?", "What do you like most?");
    officer
        .post(&c, page, &[("action", "save"), ("definition", &reused)])
        .await;
    let shown = officer.get(&c, page).await.body;
    assert!(
        shown.contains("Version 1 is already published, and a published version never changes"),
        "{shown}"
    );

    // A new question and a dropped one: publishable, and the split is shown before publishing.
    let v2 = tiny(
        "2",
        json!([
            { "id": "visits", "type": "number", "title": "How many times a month do you visit?", "integer": true, "min": 0, "max": 31 },
            { "id": "missing", "type": "longText", "title": "What is missing?", "required": false }
        ]),
    );
    officer.post(&c, page, &[("action", "save"), ("definition", &v2)]).await;
    let shown = officer.get(&c, page).await.body;
    assert!(shown.contains("This change splits your data"), "{shown}");
    assert!(
        shown.contains("<dt>Columns that stop</dt><dd><code>likes</code></dd>"),
        "{shown}"
    );
    assert!(
        shown.contains("<dt>Columns that start</dt><dd><code>missing</code></dd>"),
        "{shown}"
    );
    assert!(shown.contains("Publish version 2"), "{shown}");
    // Editing the draft never touches what is published.
    assert_eq!(
        send(c.addr, "GET", "/surveys/tiny/survey.json", &[], "")
            .await
            .unwrap()
            .body,
        v1
    );

    // Discarding the draft leaves the published versions as they were.
    let discarded = officer.post(&c, page, &[("action", "discard")]).await;
    assert_eq!(
        discarded.headers["location"],
        "/console/surveys/tiny/versions?done=discarded"
    );
    assert!(c.collector.store().draft("tiny".into()).await.unwrap().is_none());
    assert_eq!(
        c.collector.store().published(Some("tiny".into())).await.unwrap().len(),
        1
    );
    let list = officer.get(&c, "/console").await.body;
    assert!(list.contains("/console/surveys/tiny/versions"), "{list}");

    // Another collector on the same database knows the published version from the start.
    let restarted = start_on(&dir.db(), config()).await;
    assert!(restarted.collector.surveys().knows("tiny"));
    assert!(
        !restarted.collector.surveys().is_closed_list(),
        "publishing does not close the list"
    );
}
