//! The collector's HTML (the console and the public pages): one layout in the GOV.UK Design System's pattern (skip link, header,
//! breadcrumbs, one `main`), and the pieces pages are made of. Every piece of text that came
//! from a response, a survey file or a form is escaped here, on its way into the page.
pub use crate::outcomes::escape as esc;
use crate::reply::{reply, Reply};
use bytes::Bytes;
use hyper::header::{self, HeaderValue};
use hyper::StatusCode;

/// The stylesheet, served at `/console/console.css` (no inline styles: the console's Content
/// Security Policy allows only this file).
pub const CSS: &str = include_str!("console/console.css");

/// The console's icon: a speech bubble, for the browser tab (and so no request 404s).
pub const ICON: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 32 32\"><rect width=\"32\" height=\"32\" rx=\"4\" fill=\"#1d70b8\"/><path d=\"M7 8h18v12H14l-5 4v-4H7z\" fill=\"#fff\"/></svg>";

/// What a page shows around its content.
pub struct Layout<'a> {
    /// The `<title>` and the `h1`.
    pub title: &'a str,
    /// Who is signed in, with the session's CSRF token for the sign-out form.
    pub signed_in: Option<(&'a str, &'a str)>,
    /// Links above the heading, the last being the page's parent.
    pub breadcrumbs: &'a [(&'a str, String)],
    /// Shown as "There is a problem" before the heading, each linked to its field.
    pub problems: &'a [(String, String)],
    /// A notification banner before the heading: its title (`Success` is green, anything
    /// else the neutral blue) and text.
    pub banner: Option<(&'a str, &'a str)>,
}

/// A whole page.
pub fn page(layout: &Layout<'_>, main: &str) -> String {
    let account = match layout.signed_in {
        Some((user, csrf)) => format!(
            "<div class=\"c-header__account\"><span>Signed in as {}</span>\
             <form method=\"post\" action=\"/console/sign-out\" class=\"c-inline-form\">\
             <input type=\"hidden\" name=\"csrf\" value=\"{}\">\
             <button type=\"submit\" class=\"c-link-button\">Sign out</button></form></div>",
            esc(user),
            esc(csrf)
        ),
        None => String::new(),
    };
    let crumbs = if layout.breadcrumbs.is_empty() {
        String::new()
    } else {
        let items: String = layout
            .breadcrumbs
            .iter()
            .map(|(text, href)| format!("<li><a href=\"{}\">{}</a></li>", esc(href), esc(text)))
            .collect();
        format!("<nav class=\"c-breadcrumbs\" aria-label=\"Breadcrumb\"><ol>{items}</ol></nav>")
    };
    let title = if layout.problems.is_empty() {
        esc(layout.title)
    } else {
        format!("Error: {}", esc(layout.title))
    };
    let banner = layout.banner.map_or_else(String::new, |(title, text)| {
        let kind = if title == "Success" {
            "c-banner"
        } else {
            "c-banner c-banner--info"
        };
        format!(
            "<div class=\"{kind}\" role=\"status\" aria-labelledby=\"banner-title\">\
             <h2 class=\"c-banner__title\" id=\"banner-title\">{}</h2><p>{}</p></div>",
            esc(title),
            esc(text)
        )
    });
    format!(
        "<!doctype html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title} – Survey collector</title>\n\
         <link rel=\"icon\" href=\"/console/icon.svg\" type=\"image/svg+xml\">\n\
         <link rel=\"stylesheet\" href=\"/console/console.css\">\n</head>\n<body>\n\
         <a href=\"#main\" class=\"c-skip-link\">Skip to main content</a>\n\
         <header class=\"c-header\"><div class=\"c-width\"><a href=\"/console\" class=\"c-header__name\">Survey collector</a>{account}</div></header>\n\
         <div class=\"c-width\">{crumbs}<main id=\"main\" tabindex=\"-1\">\n{}{banner}<h1 class=\"c-heading-l\">{}</h1>\n{main}\n</main></div>\n\
         <footer class=\"c-footer\"><div class=\"c-width\">The reference collector of the survey widget. \
         Answers are personal data: do not copy them anywhere the council's data protection policy does not allow.</div></footer>\n\
         </body>\n</html>\n",
        error_summary(layout.problems),
        esc(layout.title),
    )
}

/// A page for the public (the reference lookup): the council's name in the header, in words
/// a member of the public uses, and nothing of the staff console.
pub fn public_page(
    words: &crate::words::Words,
    title: &str,
    publisher: &str,
    problems: &[(String, String)],
    main: &str,
) -> String {
    let title_text = if problems.is_empty() {
        esc(title)
    } else {
        format!("{} {}", words.error_prefix, esc(title))
    };
    format!(
        "<!doctype html>\n<html lang=\"{lang}\" dir=\"{dir}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title_text} – {publisher}</title>\n\
         <link rel=\"icon\" href=\"/console/icon.svg\" type=\"image/svg+xml\">\n\
         <link rel=\"stylesheet\" href=\"/console/console.css\">\n</head>\n<body>\n\
         <a href=\"#main\" class=\"c-skip-link\">{skip}</a>\n\
         <header class=\"c-header\"><div class=\"c-width\"><span class=\"c-header__name\">{publisher}</span></div></header>\n\
         <div class=\"c-width\"><main id=\"main\" tabindex=\"-1\">\n{}<h1 class=\"c-heading-l\">{}</h1>\n{main}\n</main></div>\n\
         <footer class=\"c-footer\"><div class=\"c-width\">{footer}</div></footer>\n</body>\n</html>\n",
        titled_error_summary(words.problem, problems),
        esc(title),
        publisher = esc(publisher),
        lang = words.code,
        dir = if words.rtl { "rtl" } else { "ltr" },
        skip = esc(words.skip),
        footer = esc(words.footer),
    )
}

/// "There is a problem", each problem linked to its field by id.
pub fn error_summary(problems: &[(String, String)]) -> String {
    titled_error_summary("There is a problem", problems)
}

/// The error summary under `title` (a public page's, in its language).
pub fn titled_error_summary(title: &str, problems: &[(String, String)]) -> String {
    if problems.is_empty() {
        return String::new();
    }
    let items: String = problems
        .iter()
        .map(|(field, message)| format!("<li><a href=\"#{}\">{}</a></li>", esc(field), esc(message)))
        .collect();
    // `tabindex` and `autofocus` put focus on the summary without JavaScript, as GOV.UK asks.
    format!(
        "<div class=\"c-error-summary\" role=\"alert\" aria-labelledby=\"error-summary-title\" tabindex=\"-1\" autofocus>\
         <h2 class=\"c-error-summary__title\" id=\"error-summary-title\">{}</h2>\
         <ul>{items}</ul></div>\n",
        esc(title)
    )
}

/// The message shown above a field with a problem, if it has one.
pub fn field_error(problems: &[(String, String)], field: &str) -> String {
    problems
        .iter()
        .find(|(f, _)| f == field)
        .map_or_else(String::new, |(_, m)| {
            format!(
                "<p class=\"c-error-message\" id=\"{}-error\"><span class=\"c-visually-hidden\">Error:</span> {}</p>",
                esc(field),
                esc(m)
            )
        })
}

/// `aria-describedby` and the error class for a field with a problem.
pub fn field_attrs(problems: &[(String, String)], field: &str) -> String {
    if problems.iter().any(|(f, _)| f == field) {
        format!(" aria-describedby=\"{}-error\" aria-invalid=\"true\"", esc(field))
    } else {
        String::new()
    }
}

/// A table with a caption; `head` and `rows` are already HTML (cells escaped by the caller).
pub fn table(caption: &str, head: &[&str], rows: &[Vec<String>], numeric_from: usize) -> String {
    let th: String = head
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let class = if i >= numeric_from { " class=\"c-num\"" } else { "" };
            format!("<th scope=\"col\"{class}>{}</th>", esc(h))
        })
        .collect();
    let body: String = rows
        .iter()
        .map(|row| {
            let cells: String = row
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    if i == 0 {
                        format!("<th scope=\"row\">{c}</th>")
                    } else if i >= numeric_from {
                        format!("<td class=\"c-num\">{c}</td>")
                    } else {
                        format!("<td>{c}</td>")
                    }
                })
                .collect();
            format!("<tr>{cells}</tr>")
        })
        .collect();
    format!(
        "<table class=\"c-table\"><caption class=\"c-table__caption\">{}</caption><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>",
        esc(caption)
    )
}

/// A table right under a heading that already names it: the caption, which names the table for
/// assistive technology, is not shown a second time.
pub fn table_under_heading(caption: &str, head: &[&str], rows: &[Vec<String>], numeric_from: usize) -> String {
    table(caption, head, rows, numeric_from).replacen(
        "<caption class=\"c-table__caption\">",
        "<caption class=\"c-visually-hidden\">",
        1,
    )
}

/// A GOV.UK summary list of key and (HTML) value.
pub fn summary_list(rows: &[(&str, String)]) -> String {
    let items: String = rows
        .iter()
        .map(|(k, v)| format!("<div class=\"c-summary__row\"><dt>{}</dt><dd>{v}</dd></div>", esc(k)))
        .collect();
    format!("<dl class=\"c-summary\">{items}</dl>")
}

/// A count as shown: the number, or "fewer than N" when withheld for publication.
pub fn count_text(count: Option<u64>, threshold: u64) -> String {
    count.map_or_else(|| format!("fewer than {threshold}"), |n| n.to_string())
}

/// A percentage of `total`, to one decimal place, or a dash when it cannot be given.
pub fn percent(count: Option<u64>, total: u64) -> String {
    match count {
        Some(n) if total > 0 => format!("{:.1}%", n as f64 * 100.0 / total as f64),
        _ => "–".into(),
    }
}

/// "2 December 2026" for a `YYYY-MM-DD…` timestamp (GOV.UK's date style): the console's
/// dates, in English.
pub(crate) fn day_text(at: &str) -> String {
    crate::words::day_text(&crate::words::EN, at)
}

/// The console's security headers: nothing but its own stylesheet may load, no frame may hold
/// it, forms post only to it, and nothing is cached.
pub(crate) fn secure_headers(reply: &mut Reply) {
    let h = reply.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
}

/// An HTML page reply.
pub(crate) fn html_reply(status: StatusCode, body: String) -> Reply {
    let mut r = reply(status, "text/html; charset=utf-8", body);
    secure_headers(&mut r);
    r
}

/// A `303 See Other` to `to`.
pub(crate) fn see_other(to: &str) -> Reply {
    let mut r = reply(StatusCode::SEE_OTHER, "text/plain; charset=utf-8", Bytes::new());
    if let Ok(v) = HeaderValue::from_str(to) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    secure_headers(&mut r);
    r
}

/// Every value of `name` in a query string, in order.
pub(crate) fn query_values(query: Option<&str>, name: &str) -> Vec<String> {
    form_urlencoded::parse(query.unwrap_or("").as_bytes())
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
        .collect()
}

/// The value of `name` in a query string.
pub(crate) fn query_value(query: Option<&str>, name: &str) -> Option<String> {
    form_urlencoded::parse(query?.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_text_is_gov_uk_style() {
        assert_eq!(day_text("2026-12-02T10:00:00.000Z"), "2 December 2026");
        assert_eq!(day_text("nonsense"), "nonsense");
    }

    #[test]
    fn hostile_text_is_escaped_everywhere() {
        let evil = "<script>alert(1)</script>\"'";
        let html = page(
            &Layout {
                title: evil,
                signed_in: Some((evil, evil)),
                breadcrumbs: &[(evil, evil.to_owned())],
                problems: &[(evil.to_owned(), evil.to_owned())],
                banner: Some((evil, evil)),
            },
            "",
        );
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"));
        let t = table(evil, &[evil], &[], 1);
        assert!(!t.contains("<script>"));
    }

    #[test]
    fn counts_and_percentages() {
        assert_eq!(count_text(None, 5), "fewer than 5");
        assert_eq!(count_text(Some(7), 5), "7");
        assert_eq!(percent(Some(1), 3), "33.3%");
        assert_eq!(percent(None, 3), "–");
        assert_eq!(percent(Some(1), 0), "–");
    }
}
