//! The council's console: server-rendered pages with plain forms and links, behind sign-in.
//!
//! | Route | What |
//! |---|---|
//! | `GET /console` | the surveys, with counts and status |
//! | `GET, POST /console/sign-in` | sign in (CSRF-checked, back-off after wrong passwords) |
//! | `POST /console/sign-out` | sign out |
//! | `GET /console/surveys/{id}` | figures; `?view=publication` withholds small counts |
//! | `GET /console/surveys/{id}/answers/{question}` | free-text answers, `?q=` to search |
//! | `GET, POST /console/surveys/{id}/outcomes` | "You said, we did", with its history; a post previews, then publishes |
//! | `GET /console/surveys/{id}/outcomes/themes` | themes the figures suggest, to pick from |
//! | `GET, POST /console/surveys/{id}/versions` | published versions and the draft: save, check, publish, discard |
//! | `GET /console/drafts?survey=ID` | go to a survey's versions, a new survey's included |
//! | `GET /console/console.css`, `/console/icon.svg` | the stylesheet and icon (public) |
//!
//! Without a session a page redirects to sign-in and a form post is refused; every form
//! carries the session's CSRF token.
use crate::accounts::{self, cookie, same_secret, session_digest, set_cookie, SESSION_COOKIE, SIGN_IN_COOKIE};
use crate::reply::{reply, Reply};
use crate::Collector;
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::header::{self, HeaderValue};
use hyper::{HeaderMap, Method, Request, StatusCode};
use std::time::Duration;
use survey_widget::core::survey::ids::is_valid_id;

pub mod chart;
mod figures;
mod outcomes_page;
mod versions_page;

use crate::html::{self, esc, html_reply, query_value, see_other, Layout};

/// Largest form body: the outcomes form with every row full fits many times over.
const MAX_FORM_BYTES: usize = 256 * 1024;

/// Who is signed in, and the token their forms must carry.
pub(crate) struct Signed {
    /// The account name.
    pub user: String,
    /// The session's CSRF token.
    pub csrf: String,
    digest: String,
}

/// A page that explains a refusal, with a way on.
pub(crate) fn message_page(status: StatusCode, title: &str, text: &str, link: (&str, &str)) -> Reply {
    let main = format!(
        "<p>{}</p><p><a href=\"{}\">{}</a></p>",
        esc(text),
        esc(link.1),
        esc(link.0)
    );
    let layout = Layout {
        title,
        signed_in: None,
        breadcrumbs: &[],
        problems: &[],
        banner: None,
    };
    html_reply(status, html::page(&layout, &main))
}

/// The session a request's cookie names, if it is live.
pub(crate) async fn session(c: &Collector, headers: &HeaderMap) -> Result<Option<Signed>, Reply> {
    let Some(secret) = cookie(headers, SESSION_COOKIE, !c.config.insecure_cookies) else {
        return Ok(None);
    };
    if secret.len() != 64 || !secret.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let digest = session_digest(secret);
    match c.store.session(digest.clone(), accounts::now()).await {
        Ok(found) => Ok(found.map(|s| Signed {
            user: s.user,
            csrf: s.csrf,
            digest,
        })),
        Err(e) => {
            eprintln!("collector: console: database error reading a session: {e}");
            Err(unavailable())
        }
    }
}

fn unavailable() -> Reply {
    let mut r = message_page(
        StatusCode::SERVICE_UNAVAILABLE,
        "Sorry, there is a problem with the service",
        "The collector cannot reach its database just now. Try again in a few minutes.",
        ("Go to the console", "/console"),
    );
    r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(30u32));
    r
}

/// Reads a URL-encoded form body (the only kind the console's forms send).
async fn read_form(c: &Collector, request: Request<Incoming>) -> Result<(HeaderMap, Vec<(String, String)>), Reply> {
    let is_form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Err(crate::reply::problem(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            &["the console's forms are sent as application/x-www-form-urlencoded".into()],
        ));
    }
    let (parts, body) = request.into_parts();
    let read = tokio::time::timeout(
        c.config.limits.body_timeout,
        Limited::new(body, MAX_FORM_BYTES).collect(),
    )
    .await;
    match read {
        Ok(Ok(collected)) => {
            let bytes = collected.to_bytes();
            Ok((parts.headers, form_urlencoded::parse(&bytes).into_owned().collect()))
        }
        Ok(Err(_)) => Err(crate::reply::closing(crate::reply::problem(
            StatusCode::PAYLOAD_TOO_LARGE,
            &[format!("a form may be at most {MAX_FORM_BYTES} bytes")],
        ))),
        Err(_) => Err(crate::reply::closing(crate::reply::problem(
            StatusCode::REQUEST_TIMEOUT,
            &["the form took too long to arrive".into()],
        ))),
    }
}

fn field<'f>(form: &'f [(String, String)], name: &str) -> &'f str {
    form.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
}

/// A signed-in officer's form post, read and checked for the session's CSRF token.
async fn signed_form(
    c: &Collector,
    signed: &Signed,
    request: Request<Incoming>,
) -> Result<Vec<(String, String)>, Reply> {
    let (_, form) = read_form(c, request).await?;
    match csrf_refused(signed, &form) {
        Some(refused) => Err(refused),
        None => Ok(form),
    }
}

/// Refuses a form post whose CSRF token is not the session's.
fn csrf_refused(signed: &Signed, form: &[(String, String)]) -> Option<Reply> {
    if same_secret(field(form, "csrf"), &signed.csrf) {
        None
    } else {
        eprintln!("collector: console: refused a form without the session's CSRF token");
        Some(message_page(
            StatusCode::FORBIDDEN,
            "This form has expired",
            "The form was not sent from this console, or your session changed since it was shown. Nothing was saved.",
            ("Go back to the console", "/console"),
        ))
    }
}

fn sign_in_page(status: StatusCode, secure: bool, problems: &[(String, String)], name: &str) -> Reply {
    let Ok(token) = accounts::new_secret() else {
        return unavailable();
    };
    let main = format!(
        "<form method=\"post\" action=\"/console/sign-in\" novalidate>\
         <input type=\"hidden\" name=\"csrf\" value=\"{token}\">\
         <div class=\"c-field\"><label class=\"c-label\" for=\"username\">Username</label>{}\
         <input class=\"c-input\" id=\"username\" name=\"username\" type=\"text\" autocomplete=\"username\" spellcheck=\"false\" value=\"{}\"{}></div>\
         <div class=\"c-field\"><label class=\"c-label\" for=\"password\">Password</label>{}\
         <input class=\"c-input\" id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\"{}></div>\
         <button type=\"submit\" class=\"c-button\">Sign in</button></form>\
         <p class=\"c-hint\">Accounts are made by whoever runs the collector, with <code>survey-collector user add NAME</code>. \
         If you have forgotten your password, ask them to set a new one.</p>",
        html::field_error(problems, "username"),
        esc(name),
        html::field_attrs(problems, "username"),
        html::field_error(problems, "password"),
        html::field_attrs(problems, "password"),
    );
    let layout = Layout {
        title: "Sign in",
        signed_in: None,
        breadcrumbs: &[],
        problems,
        banner: None,
    };
    let mut r = html_reply(status, html::page(&layout, &main));
    if let Ok(v) = HeaderValue::from_str(&set_cookie(SIGN_IN_COOKIE, &token, 3600, secure)) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

async fn sign_in(c: &Collector, request: Request<Incoming>) -> Reply {
    let secure = !c.config.insecure_cookies;
    let (headers, form) = match read_form(c, request).await {
        Ok(read) => read,
        Err(r) => return r,
    };
    let expected = cookie(&headers, SIGN_IN_COOKIE, secure).unwrap_or("");
    if expected.is_empty() || !same_secret(field(&form, "csrf"), expected) {
        eprintln!("collector: console: refused a sign-in without its form's CSRF value");
        return message_page(
            StatusCode::FORBIDDEN,
            "This form has expired",
            "The sign-in form was not sent from this console, or it was open too long. Try again.",
            ("Sign in", "/console/sign-in"),
        );
    }
    let name = field(&form, "username").trim().to_owned();
    let password = field(&form, "password").to_owned();
    let mut problems = Vec::new();
    if name.is_empty() {
        problems.push(("username".to_owned(), "Enter your username".to_owned()));
    }
    if password.is_empty() {
        problems.push(("password".to_owned(), "Enter your password".to_owned()));
    }
    if !problems.is_empty() {
        return sign_in_page(StatusCode::BAD_REQUEST, secure, &problems, &name);
    }
    if let Some(wait) = c.backoff.locked_for(&name) {
        return locked(secure, &name, wait);
    }
    let hash = if accounts::is_user_name(&name) {
        match c.store.user_hash(name.clone()).await {
            Ok(hash) => hash,
            Err(e) => {
                eprintln!("collector: console: database error reading an account: {e}");
                return unavailable();
            }
        }
    } else {
        None
    };
    let real = hash.is_some();
    // Argon2 takes tens of milliseconds of CPU on purpose: off the async threads.
    let checked = tokio::task::spawn_blocking(move || match hash {
        Some(hash) => accounts::verify_password(&hash, &password),
        None => {
            accounts::verify_nothing(&password);
            false
        }
    })
    .await
    .unwrap_or(false);
    if !checked {
        let lock = c.backoff.failed(&name, real);
        eprintln!("collector: console: wrong username or password");
        if !lock.is_zero() {
            return locked(secure, &name, lock);
        }
        let problems = [(
            "username".to_owned(),
            "Enter a correct username and password".to_owned(),
        )];
        return sign_in_page(StatusCode::UNAUTHORIZED, secure, &problems, &name);
    }
    c.backoff.succeeded(&name);
    let (Ok(secret), Ok(csrf)) = (accounts::new_secret(), accounts::new_secret()) else {
        return unavailable();
    };
    let expires = accounts::now() + accounts::SESSION_SECONDS;
    if let Err(e) = c
        .store
        .add_session(session_digest(&secret), name.clone(), csrf, expires)
        .await
    {
        eprintln!("collector: console: database error starting a session: {e}");
        return unavailable();
    }
    eprintln!("collector: console: {name} signed in");
    let mut r = see_other("/console");
    let h = r.headers_mut();
    for set in [
        set_cookie(SIGN_IN_COOKIE, "", 0, secure),
        set_cookie(SESSION_COOKIE, &secret, accounts::SESSION_SECONDS, secure),
    ] {
        if let Ok(v) = HeaderValue::from_str(&set) {
            h.append(header::SET_COOKIE, v);
        }
    }
    r
}

fn locked(secure: bool, name: &str, wait: Duration) -> Reply {
    let minutes = wait.as_secs().div_ceil(60).max(1);
    let unit = if minutes == 1 { "minute" } else { "minutes" };
    let problems = [(
        "username".to_owned(),
        format!("Too many wrong passwords for this account. Wait {minutes} {unit}, then try again"),
    )];
    let mut r = sign_in_page(StatusCode::TOO_MANY_REQUESTS, secure, &problems, name);
    r.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(wait.as_secs().max(1)));
    r
}

async fn sign_out(c: &Collector, request: Request<Incoming>) -> Reply {
    let signed = match session(c, request.headers()).await {
        Ok(Some(s)) => s,
        Ok(None) => return see_other("/console/sign-in"),
        Err(r) => return r,
    };
    if let Err(r) = signed_form(c, &signed, request).await {
        return r;
    }
    if let Err(e) = c.store.end_session(signed.digest.clone(), accounts::now()).await {
        eprintln!("collector: console: database error ending a session: {e}");
        return unavailable();
    }
    let mut r = message_page(
        StatusCode::OK,
        "You have signed out",
        "Your session has ended on this collector.",
        ("Sign in again", "/console/sign-in"),
    );
    let secure = !c.config.insecure_cookies;
    if let Ok(v) = HeaderValue::from_str(&set_cookie(SESSION_COOKIE, "", 0, secure)) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

async fn surveys_page(c: &Collector, signed: &Signed) -> Reply {
    let stored = match c.store.surveys().await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("collector: console: {e}");
            return unavailable();
        }
    };
    let drafts = match c.store.drafts().await {
        Ok(d) => d,
        Err(e) => {
            eprintln!("collector: console: {e}");
            return unavailable();
        }
    };
    let mut ids: Vec<String> = c.surveys().list().map(|(id, _)| id.to_owned()).collect();
    for id in stored.iter().map(|s| &s.survey_id).chain(&drafts) {
        if !ids.contains(id) {
            ids.push(id.clone());
        }
    }
    ids.sort();
    let mut rows = Vec::new();
    for id in &ids {
        let count = stored.iter().find(|s| &s.survey_id == id);
        let title = c.surveys().latest(id).map_or_else(|| id.clone(), |s| s.title.clone());
        let status = match c.store.outcomes(id.clone()).await {
            Ok(Some(saved)) => serde_json::from_str::<crate::outcomes::Record>(&saved.body)
                .map(|r| r.status.label())
                .unwrap_or("Open for responses"),
            Ok(None) => "Open for responses",
            Err(e) => {
                eprintln!("collector: console: {e}");
                return unavailable();
            }
        };
        let draft = if drafts.contains(id) {
            " <span class=\"c-tag\">Draft</span>"
        } else {
            ""
        };
        rows.push(vec![
            format!(
                "<a href=\"/console/surveys/{id}\">{}</a>{draft}<br><a href=\"/console/surveys/{id}/versions\" class=\"c-caption\">Versions and draft<span class=\"c-visually-hidden\"> of {}</span></a>",
                esc(&title),
                esc(&title),
                id = esc(id)
            ),
            count.map_or(0, |s| s.responses).to_string(),
            count.map_or_else(|| "–".to_owned(), |s| esc(&html::day_text(&s.latest))),
            esc(status),
        ]);
    }
    let main = if rows.is_empty() {
        "<p>No survey has responses yet, and the collector was started without survey definitions \
         (<code>--surveys</code>).</p>"
            .to_owned()
    } else {
        html::table("Surveys", &["Survey", "Responses", "Latest", "Status"], &rows, 1)
    };
    let main = format!(
        "{main}<p class=\"c-hint\">People can look up their own reference code on the public \
         <a href=\"/lookup\">response lookup page</a>.</p>\
         <h2 class=\"c-heading-m\">Start a new survey</h2>\
         <form method=\"get\" action=\"/console/drafts\" novalidate><div class=\"c-field\">\
         <label class=\"c-label\" for=\"survey\">Survey id</label>\
         <p class=\"c-hint\" id=\"survey-hint\">Letters, digits and hyphens, as in carers-strategy. It stays the same in every version.</p>\
         <input class=\"c-input c-input--short\" id=\"survey\" name=\"survey\" type=\"text\" spellcheck=\"false\" aria-describedby=\"survey-hint\"></div>\
         <button type=\"submit\" class=\"c-button c-button--secondary\">Start a draft</button></form>"
    );
    signed_page(signed, "Surveys", &[], &main)
}

/// A page for the signed-in officer with no form problems or banner: most console pages.
pub(crate) fn signed_page(signed: &Signed, title: &str, breadcrumbs: &[(&str, String)], main: &str) -> Reply {
    let layout = Layout {
        title,
        signed_in: Some((&signed.user, &signed.csrf)),
        breadcrumbs,
        problems: &[],
        banner: None,
    };
    html_reply(StatusCode::OK, html::page(&layout, main))
}

/// Routes a request under `/console`.
pub(crate) async fn route(c: &Collector, request: Request<Incoming>) -> Reply {
    let path = request.uri().path().to_owned();
    let query = request.uri().query().map(str::to_owned);
    let method = request.method().clone();
    let rest = path.strip_prefix("/console").unwrap_or("");
    match (rest, &method) {
        ("/console.css", &Method::GET) => {
            let mut r = reply(StatusCode::OK, "text/css; charset=utf-8", html::CSS);
            r.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
            return r;
        }
        ("/icon.svg", &Method::GET) => {
            let mut r = reply(StatusCode::OK, "image/svg+xml", html::ICON);
            r.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400"));
            return r;
        }
        ("/sign-in", &Method::GET) => {
            return sign_in_page(StatusCode::OK, !c.config.insecure_cookies, &[], "");
        }
        ("/sign-in", &Method::POST) => return sign_in(c, request).await,
        ("/sign-out", &Method::POST) => return sign_out(c, request).await,
        ("/sign-in" | "/sign-out" | "/console.css", _) => {
            return crate::reply::method_not_allowed(if rest == "/sign-in" { "GET, POST" } else { "POST" });
        }
        _ => {}
    }
    let signed = match session(c, request.headers()).await {
        Ok(Some(s)) => s,
        Ok(None) if method == Method::GET => return see_other("/console/sign-in"),
        Ok(None) => {
            return message_page(
                StatusCode::FORBIDDEN,
                "Sign in to continue",
                "Your session has ended, so nothing was saved. Sign in and try again.",
                ("Sign in", "/console/sign-in"),
            )
        }
        Err(r) => return r,
    };
    let segments: Vec<&str> = rest.trim_start_matches('/').split('/').collect();
    match (segments.as_slice(), &method) {
        ([""], &Method::GET) => surveys_page(c, &signed).await,
        (["surveys", id], &Method::GET) if is_valid_id(id) => {
            figures::survey_page(c, &signed, id, query.as_deref()).await
        }
        (["surveys", id, "answers", question], &Method::GET) if is_valid_id(id) && is_valid_id(question) => {
            figures::answers_page(c, &signed, id, question, query.as_deref()).await
        }
        (["surveys", id, "outcomes", "themes"], &Method::GET) if is_valid_id(id) => {
            outcomes_page::themes(c, &signed, id).await
        }
        (["surveys", id, "outcomes"], &Method::GET) if is_valid_id(id) => {
            outcomes_page::show(c, &signed, id, query.as_deref()).await
        }
        (["drafts"], &Method::GET) => match query_value(query.as_deref(), "survey") {
            Some(id) if is_valid_id(id.trim()) => see_other(&format!("/console/surveys/{}/versions", id.trim())),
            _ => message_page(
                StatusCode::BAD_REQUEST,
                "Enter a survey id",
                "A survey id is letters, digits, - and _, starting with a letter, as in carers-strategy.",
                ("Go to the surveys", "/console"),
            ),
        },
        (["surveys", id, "versions"], &Method::GET) if is_valid_id(id) => {
            versions_page::show(c, &signed, id, query.as_deref()).await
        }
        (["surveys", id, "versions"], &Method::POST) if is_valid_id(id) => {
            let id = (*id).to_owned();
            match signed_form(c, &signed, request).await {
                Ok(form) => versions_page::post(c, &signed, &id, &form).await,
                Err(r) => r,
            }
        }
        (["surveys", id, "outcomes"], &Method::POST) if is_valid_id(id) => {
            let id = (*id).to_owned();
            match signed_form(c, &signed, request).await {
                Ok(form) => outcomes_page::save(c, &signed, &id, &form).await,
                Err(r) => r,
            }
        }
        _ => message_page(
            StatusCode::NOT_FOUND,
            "Page not found",
            "If you typed the web address, check it is correct.",
            ("Go to the surveys", "/console"),
        ),
    }
}
