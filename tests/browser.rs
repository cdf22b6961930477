//! In-browser tests (wasm-bindgen-test in headless Chromium): mounting, ARIA wiring, focus
//! and titles, and that survey text can never become markup. Only what needs a real DOM is
//! here; the rules themselves are tested natively.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use survey_widget::core::load_survey;
use wasm_bindgen::{closure::Closure, JsCast};
use wasm_bindgen_test::*;
use web_sys::{Document, Element, HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

const CARERS: &str = include_str!("../public/surveys/carers-strategy.json");

fn document() -> Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Resolves after the next animation frame, when Leptos has rendered and focus has moved.
async fn next_frame() {
    for _ in 0..2 {
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            let cb = Closure::once_into_js(move || {
                resolve.call0(&wasm_bindgen::JsValue::NULL).unwrap();
            });
            web_sys::window()
                .unwrap()
                .request_animation_frame(cb.unchecked_ref())
                .unwrap();
        });
        wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
    }
}

fn host(id: &str) -> HtmlElement {
    let el: HtmlElement = document().create_element("div").unwrap().dyn_into().unwrap();
    el.set_id(id);
    document().body().unwrap().append_child(&el).unwrap();
    el
}

fn find(root: &Element, selector: &str) -> Element {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
}

fn click(root: &Element, selector: &str) {
    find(root, selector).dyn_into::<HtmlElement>().unwrap().click();
}

fn mount(id: &str, json: &str, instance: &str) -> HtmlElement {
    let el = host(id);
    survey_widget::app::mount_survey(el.clone(), load_survey(json).unwrap(), instance.into());
    el
}

#[wasm_bindgen_test]
async fn start_page_then_first_question_takes_focus() {
    let root = mount("t-start", CARERS, "ta");
    next_frame().await;
    assert_eq!(
        find(&root, "h1").text_content().unwrap(),
        "Help shape our carers’ strategy"
    );
    click(&root, ".sw-button--start");
    next_frame().await;
    let heading = find(&root, "h1");
    assert_eq!(heading.id(), "ta-heading");
    assert_eq!(heading.text_content().unwrap(), "Who do you look after?");
    assert_eq!(
        document().active_element().unwrap().id(),
        "ta-heading",
        "focus moves to the new heading"
    );
    assert_eq!(
        document().title(),
        "Who do you look after? – Help shape our carers’ strategy"
    );
    // A checkbox group is a fieldset whose legend holds the heading.
    let fieldset = find(&root, "fieldset");
    assert!(find(&fieldset, "legend").contains(Some(&heading)));
    assert_eq!(
        fieldset.get_attribute("aria-describedby").as_deref(),
        Some("ta-caring-for-hint")
    );
    // Every control has a label that points at it.
    let boxes = root.query_selector_all("input").unwrap();
    for i in 0..boxes.length() {
        let input: Element = boxes.item(i).unwrap().dyn_into().unwrap();
        let label = root.query_selector(&format!("label[for='{}']", input.id())).unwrap();
        assert!(label.is_some(), "no label for {}", input.id());
    }
}

#[wasm_bindgen_test]
async fn error_summary_links_errors_and_takes_focus() {
    let root = mount("t-errors", CARERS, "tb");
    next_frame().await;
    click(&root, ".sw-button--start");
    next_frame().await;
    click(&root, "form button[type=submit]");
    next_frame().await;
    let summary = find(&root, ".sw-error-summary");
    assert_eq!(document().active_element().unwrap().id(), "tb-error-summary");
    assert!(find(&summary, "[role=alert]")
        .text_content()
        .unwrap()
        .contains("There is a problem"));
    let link = find(&summary, "a");
    assert_eq!(link.get_attribute("href").as_deref(), Some("#tb-caring-for"));
    assert_eq!(link.text_content().unwrap(), "Select who you look after");
    let fieldset = find(&root, "fieldset");
    assert_eq!(
        fieldset.get_attribute("aria-describedby").as_deref(),
        Some("tb-caring-for-hint tb-caring-for-error")
    );
    let error = find(&root, "#tb-caring-for-error");
    assert_eq!(error.text_content().unwrap(), "Error: Select who you look after");
    assert!(document().title().starts_with("Error: "));
    // Following the link focuses the first checkbox without changing the page URL.
    let before = web_sys::window().unwrap().location().href().unwrap();
    link.dyn_into::<HtmlElement>().unwrap().click();
    assert_eq!(document().active_element().unwrap().id(), "tb-caring-for");
    assert_eq!(web_sys::window().unwrap().location().href().unwrap(), before);
    // Answering and continuing clears the errors.
    click(&root, "#tb-caring-for");
    next_frame().await;
    click(&root, "form button[type=submit]");
    next_frame().await;
    assert!(root.query_selector(".sw-error-summary").unwrap().is_none());
    assert_eq!(
        find(&root, "h1").text_content().unwrap(),
        "Why do they need your support? (optional)"
    );
}

#[wasm_bindgen_test]
async fn typing_keeps_focus_and_value() {
    let json = r#"{ "formatVersion": 1, "id": "t", "version": "1", "title": "T", "pages": [
        { "id": "p", "questions": [ { "id": "name", "type": "text", "title": "Your name", "hint": "As you like to be called" } ] } ] }"#;
    let root = mount("t-typing", json, "tc");
    next_frame().await;
    click(&root, ".sw-button--start");
    next_frame().await;
    let input: HtmlInputElement = find(&root, "#tc-name").dyn_into().unwrap();
    assert_eq!(input.get_attribute("aria-describedby").as_deref(), Some("tc-name-hint"));
    assert_eq!(find(&root, "h1 label").get_attribute("for").as_deref(), Some("tc-name"));
    input.focus().unwrap();
    for text in ["A", "Ad", "Ada"] {
        input.set_value(text);
        input.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
        next_frame().await;
    }
    let same: HtmlInputElement = find(&root, "#tc-name").dyn_into().unwrap();
    assert!(same.is_same_node(Some(&input)), "typing must not rebuild the input");
    assert_eq!(document().active_element().unwrap().id(), "tc-name");
    assert_eq!(same.value(), "Ada");
}

#[wasm_bindgen_test]
async fn survey_text_is_never_markup() {
    let json = r#"{ "formatVersion": 1, "id": "x", "version": "1",
        "title": "<img src=x onerror=\"window.pwned=1\">", "description": ["<script>window.pwned=1</script>"],
        "pages": [ { "id": "p", "questions": [ { "id": "q", "type": "text", "title": "<b>bold</b>" } ] } ] }"#;
    let root = mount("t-hostile", json, "td");
    next_frame().await;
    assert!(root.query_selector("img").unwrap().is_none());
    assert!(root.query_selector("script").unwrap().is_none());
    assert_eq!(
        find(&root, "h1").text_content().unwrap(),
        "<img src=x onerror=\"window.pwned=1\">"
    );
    click(&root, ".sw-button--start");
    next_frame().await;
    assert!(root.query_selector("b").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn a_host_without_a_survey_says_it_cannot_be_shown() {
    let el = host("t-broken");
    survey_widget::app::mount(el.clone(), survey_widget::platform::HostConfig::default(), "te".into());
    next_frame().await;
    let alert = find(&el, "[role=alert]");
    assert!(alert.text_content().unwrap().contains("This survey can’t be shown"));
}

#[wasm_bindgen_test]
async fn two_widgets_on_one_page_keep_their_ids_apart() {
    let a = mount("t-two-a", CARERS, "tf");
    let b = mount("t-two-b", CARERS, "tg");
    next_frame().await;
    click(&a, ".sw-button--start");
    click(&b, ".sw-button--start");
    next_frame().await;
    assert!(a.query_selector("#tf-caring-for").unwrap().is_some());
    assert!(b.query_selector("#tg-caring-for").unwrap().is_some());
    assert_eq!(
        document().query_selector_all("[id='tf-caring-for']").unwrap().length(),
        1
    );
}

/// Issue #23: the browser's `Intl.PluralRules`, which the widget asks first, agrees with the
/// widget's own rules (its fallback) on CLDR's examples in every catalogue language the
/// browser has; a language it lacks answers `None`, so the fallback is used.
#[wasm_bindgen_test]
fn the_browsers_plural_rules_agree_with_the_fallback() {
    use survey_widget::core::text::plural::rules;
    use survey_widget::platform::intl_plural;
    let mut asked = Vec::new();
    for lang in ["en", "cy", "ur", "ar"] {
        for n in [0, 1, 2, 3, 4, 6, 11, 100] {
            if let Some(category) = intl_plural(lang, n) {
                assert_eq!(category, rules(lang, n), "{lang} {n}");
                asked.push(lang);
            }
        }
    }
    assert!(
        asked.contains(&"en") && asked.contains(&"cy"),
        "Chromium has English and Welsh: {asked:?}"
    );
    assert_eq!(intl_plural("zz", 1), None, "a language the browser lacks");
}
