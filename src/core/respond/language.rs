//! Which of a survey's languages a person sees first, in a fixed, documented order: what the
//! host page asks for, the page address's `?lang=`, the language their draft on this device
//! was in, the browser's languages, then the survey's default (docs/languages.md).
use crate::core::survey::definition::{Language, Survey};
use crate::core::survey::load::choose_language;
use crate::core::text::escape_html;

/// What each source wishes for, in the order they count.
#[derive(Clone, Debug, Default)]
pub struct Wishes<'a> {
    /// The host element's `lang` (`data-lang`).
    pub host: Option<&'a str>,
    /// The page address's `?lang=`.
    pub address: Option<&'a str>,
    /// The language of the person's draft on this device.
    pub saved: Option<&'a str>,
    /// The browser's languages, most wanted first.
    pub browser: &'a [String],
}

/// The index in `languages` to show, and a note for the browser console for each language
/// the host or the address asked for that the survey does not have (never a failure: the
/// next wish counts instead).
pub fn choose(languages: &[Language], wishes: &Wishes<'_>) -> (usize, Vec<String>) {
    let codes: Vec<&str> = languages.iter().map(|l| l.code.as_str()).collect();
    let offered = |wish: &str| {
        let i = choose_language(&codes, &[wish]);
        (i != 0 || codes.first().is_some_and(|d| same_language(d, wish))).then_some(i)
    };
    let mut notes = Vec::new();
    for (source, wish) in [("lang", wishes.host), ("?lang=", wishes.address)] {
        let Some(wish) = wish.map(str::trim).filter(|w| !w.is_empty()) else {
            continue;
        };
        match offered(wish) {
            Some(i) => return (i, notes),
            None => notes.push(format!(
                "survey widget: {source} \"{wish}\" is not one of this survey's languages ({}); choosing another",
                codes.join(", ")
            )),
        }
    }
    if let Some(i) = wishes.saved.and_then(offered) {
        return (i, notes);
    }
    for wish in wishes.browser {
        if let Some(i) = offered(wish) {
            return (i, notes);
        }
    }
    (0, notes)
}

/// The language switch's list (GOV.UK's language select), as escaped HTML: each of the
/// survey's languages named in itself, with `lang`; the current one as plain text marked
/// `aria-current` (an `a` without `href`, focusable from script so focus can stay on the
/// switch after switching, with the id `current_id`); each other a link to this page with
/// `?lang=` and `hreflang`, which the widget switches in place. HTML rather than a Leptos view:
/// the same markup as a view measured several KB more in the first load.
pub fn switch_html(survey: &Survey, current_id: &str) -> String {
    let mut out = String::from("<ul class=\"sw-language-select__list\">");
    for l in &survey.languages {
        let code = escape_html(&l.code);
        let name = escape_html(&l.name);
        out.push_str("<li class=\"sw-language-select__item\">");
        if l.code == survey.locale {
            out.push_str(&format!(
                "<a class=\"sw-language-select__current\" aria-current=\"true\" tabindex=\"-1\" id=\"{}\" lang=\"{code}\">{name}</a>",
                escape_html(current_id)
            ));
        } else {
            out.push_str(&format!(
                "<a class=\"sw-link\" href=\"?lang={code}\" hreflang=\"{code}\" lang=\"{code}\" rel=\"alternate\">{name}</a>"
            ));
        }
        out.push_str("</li>");
    }
    out.push_str("</ul>");
    out
}

/// Whether two tags name the same language (`cy` and `cy-GB` do).
fn same_language(a: &str, b: &str) -> bool {
    let primary = |t: &str| t.split('-').next().unwrap_or(t).to_ascii_lowercase();
    primary(a) == primary(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn langs() -> Vec<Language> {
        ["en", "cy", "ur"]
            .iter()
            .map(|c| Language {
                code: (*c).into(),
                name: (*c).into(),
                rtl: *c == "ur",
            })
            .collect()
    }

    #[test]
    fn the_order_is_host_address_saved_browser_default() {
        let browser = vec!["ur-PK".to_owned(), "en".to_owned()];
        let all = Wishes {
            host: Some("cy"),
            address: Some("ur"),
            saved: Some("en"),
            browser: &browser,
        };
        assert_eq!(choose(&langs(), &all).0, 1, "the host page first");
        assert_eq!(
            choose(
                &langs(),
                &Wishes {
                    host: None,
                    ..all.clone()
                }
            )
            .0,
            2,
            "then the address"
        );
        let saved = Wishes {
            host: None,
            address: None,
            ..all.clone()
        };
        assert_eq!(choose(&langs(), &saved).0, 0, "then the draft's");
        let browser_only = Wishes {
            saved: None,
            ..saved.clone()
        };
        assert_eq!(
            choose(&langs(), &browser_only).0,
            2,
            "then the browser's (ur-PK finds ur)"
        );
        assert_eq!(choose(&langs(), &Wishes::default()).0, 0, "then the default");
    }

    #[test]
    fn an_unknown_language_is_noted_and_the_next_wish_counts() {
        let (i, notes) = choose(
            &langs(),
            &Wishes {
                host: Some("fr"),
                address: Some("x\"><b>"),
                saved: Some("cy"),
                browser: &[],
            },
        );
        assert_eq!(i, 1);
        assert_eq!(notes.len(), 2);
        assert!(notes[0].contains("lang \"fr\" is not one of this survey's languages (en, cy, ur)"));
    }

    #[test]
    fn the_switch_names_each_language_in_itself_and_links_the_others() {
        let survey = crate::core::survey::load::load_survey_in(
            &serde_json::json!({ "formatVersion": 1, "id": "s", "version": "1",
                "languages": [{ "code": "en", "name": "English" }, { "code": "ur", "name": "اردو", "dir": "rtl" }],
                "title": { "en": "T", "ur": "ٹ" },
                "pages": [{ "id": "p", "questions": [{ "id": "q", "type": "email", "title": { "en": "E", "ur": "ای" } }] }] }),
            &["ur"],
        )
        .unwrap();
        let html = switch_html(&survey, "w1-language-current");
        assert_eq!(
            html,
            "<ul class=\"sw-language-select__list\"><li class=\"sw-language-select__item\"><a class=\"sw-link\" href=\"?lang=en\" hreflang=\"en\" lang=\"en\" rel=\"alternate\">English</a></li><li class=\"sw-language-select__item\"><a class=\"sw-language-select__current\" aria-current=\"true\" tabindex=\"-1\" id=\"w1-language-current\" lang=\"ur\">اردو</a></li></ul>"
        );
    }

    #[test]
    fn asking_for_the_default_is_not_a_miss() {
        let (i, notes) = choose(
            &langs(),
            &Wishes {
                host: Some("en-GB"),
                ..Wishes::default()
            },
        );
        assert_eq!((i, notes.len()), (0, 0));
    }
}
