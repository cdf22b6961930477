//! Every call into the browser. Thin on purpose: results are turned into plain Rust values
//! and `String` errors at this edge, and `core` decides what they mean.

#[cfg(feature = "authoring")]
pub mod editor;
pub mod global;
pub mod idb;
pub mod json;
pub mod net;
pub mod officer;
pub mod preview;
pub mod sender;
pub mod sender_link;

use crate::core::Date;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{HtmlElement, Request, RequestInit, Response};

/// Why a browser call failed.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum PlatformError {
    /// The browser lacks a feature the widget needs.
    #[error("unsupported: {0}")]
    Unsupported(&'static str),
    /// The request did not get a response (offline, DNS, CORS, aborted).
    #[error("network error: {0}")]
    Network(String),
    /// The server answered with a status other than 2xx.
    #[error("http status {0}")]
    Status(u16),
    /// What came back is not what was asked for (a catalogue that is not one).
    #[error("unreadable: {0}")]
    Unreadable(String),
}

pub(crate) fn js_text(v: &JsValue) -> String {
    v.as_string()
        .or_else(|| v.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())))
        .unwrap_or_else(|| format!("{v:?}"))
}

/// Fetches a text resource such as a survey definition. `revalidate` asks the server each
/// time (`cache: no-cache`), for a feed that caches may keep for minutes; an unchanged one
/// costs a 304.
///
/// # Errors
/// [`PlatformError::Network`] when no response arrives, [`PlatformError::Status`] for a non-2xx.
pub async fn fetch_text(url: &str, revalidate: bool) -> Result<String, PlatformError> {
    let window = web_sys::window().ok_or(PlatformError::Unsupported("window"))?;
    let init = RequestInit::new();
    init.set_method("GET");
    if revalidate {
        init.set_cache(web_sys::RequestCache::NoCache);
    }
    let request = Request::new_with_str_and_init(url, &init).map_err(|e| PlatformError::Network(js_text(&e)))?;
    let response: Response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(|e| PlatformError::Network(js_text(&e)))?
        .dyn_into()
        .map_err(|e| PlatformError::Network(js_text(&e)))?;
    if !response.ok() {
        return Err(PlatformError::Status(response.status()));
    }
    let text = response.text().map_err(|e| PlatformError::Network(js_text(&e)))?;
    JsFuture::from(text)
        .await
        .map_err(|e| PlatformError::Network(js_text(&e)))?
        .as_string()
        .ok_or_else(|| PlatformError::Network("body is not text".into()))
}

/// Random bytes from the browser's secure generator.
///
/// # Errors
/// [`PlatformError::Unsupported`] without `crypto.getRandomValues`.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], PlatformError> {
    let mut bytes = [0u8; N];
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .ok_or(PlatformError::Unsupported("crypto"))?
        .get_random_values_with_u8_array(&mut bytes)
        .map_err(|_| PlatformError::Unsupported("crypto.getRandomValues"))?;
    Ok(bytes)
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Today's date in the person's time zone.
pub fn today() -> Date {
    let d = js_sys::Date::new_0();
    Date {
        year: d.get_full_year() as i32,
        month: d.get_month() + 1,
        day: d.get_date(),
    }
}

/// Sets `document.title`. Only for hosts that opted in (`manage-title`): an embedded widget
/// leaves the host page's title alone.
pub fn set_title(title: &str) {
    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        doc.set_title(title);
    }
}

thread_local! {
    /// The shadow roots that `<council-survey>` elements render into: `document` cannot see
    /// inside them, so lookups by id try each.
    static ROOTS: std::cell::RefCell<Vec<web_sys::ShadowRoot>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Lets [`find`] look inside `root`.
pub fn add_root(root: web_sys::ShadowRoot) {
    ROOTS.with_borrow_mut(|roots| roots.push(root));
}

/// Undoes [`add_root`] when the widget in `root` goes.
pub fn remove_root(root: &web_sys::ShadowRoot) {
    ROOTS.with_borrow_mut(|roots| roots.retain(|r| r != root));
}

/// The element with this id, in the page or in a widget's shadow root.
pub fn find(id: &str) -> Option<web_sys::Element> {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .or_else(|| ROOTS.with_borrow(|roots| roots.iter().find_map(|r| r.get_element_by_id(id))))
}

/// Moves focus to the element with this id, if it exists and can take focus.
pub fn focus(id: &str) {
    if let Some(el) = find(id).and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
        let _ = el.focus();
    }
}

/// The host elements on the page that `selector` matches.
pub fn host_elements(selector: &str) -> Vec<HtmlElement> {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return Vec::new();
    };
    let Ok(list) = doc.query_selector_all(selector) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<HtmlElement>().ok())
        .collect()
}

/// Settings a host page gives on its element.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HostConfig {
    /// `data-survey-src`: the survey definition URL.
    pub survey_src: Option<String>,
    /// `data-endpoint`: where completed responses are sent (overrides the survey's own).
    pub endpoint: Option<String>,
    /// `data-headers`: a JSON object of extra request headers. Not secret: anyone can read
    /// the page.
    pub headers: Vec<(String, String)>,
    /// `data-mode="event"`: one device handed from person to person (issue #10).
    pub event_mode: bool,
    /// `data-console`: where the officer console is (event mode); `console/` by default.
    pub console_url: Option<String>,
    /// `data-manage-title`: the widget names the tab after the page the person is on. Only
    /// for pages that are the survey (the demo, event mode, the iframe page): embedded in a
    /// council's page, the page's own title stays.
    pub manage_title: bool,
    /// The survey's text itself, given by preview.html as the element's `definition`
    /// property: a preview, which neither saves nor sends.
    pub definition: Option<String>,
    /// `data-outcomes`: the survey's outcomes feed (overrides the survey's own `outcomes`).
    pub outcomes: Option<String>,
    /// `data-lang` (`lang` on `<council-survey>`): the language the host page asks for, first
    /// in the order the language is chosen in (see docs/languages.md).
    pub lang: Option<String>,
    /// `data-history`: each page the person reaches is an entry in the tab's history, so the
    /// browser's Back button goes to the previous question. Only for pages that are the
    /// survey (the demo and event pages): embedded in a council's page, the page's history
    /// is its own.
    pub history: bool,
}

/// Reads the host element's settings: `data-*` attributes on a `[data-survey-widget]` host,
/// the same names without `data-` (and `src` for `data-survey-src`) on `<council-survey>`.
/// Bad headers are reported and left out.
pub fn host_config(host: &HtmlElement) -> HostConfig {
    let custom = host.tag_name().eq_ignore_ascii_case("council-survey");
    let name = |name: &str| match (custom, name) {
        (true, "survey-src") => "src".to_owned(),
        (true, _) => name.to_owned(),
        (false, _) => format!("data-{name}"),
    };
    let attr = |n: &str| host.get_attribute(&name(n)).filter(|s| !s.trim().is_empty());
    let mut headers = Vec::new();
    if let Some(text) = attr("headers") {
        match crate::core::text::json::parse(&text) {
            Ok(serde_json::Value::Object(map)) => {
                for (name, value) in map {
                    let token =
                        !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_".contains(&b));
                    let reserved =
                        ["content-type", "idempotency-key", "cookie"].contains(&name.to_ascii_lowercase().as_str());
                    match value {
                        serde_json::Value::String(v) if token && !reserved => headers.push((name, v)),
                        _ => console_error(&format!("survey widget: headers: `{name}` is left out")),
                    }
                }
            }
            _ => console_error("survey widget: headers must be a JSON object of strings"),
        }
    }
    HostConfig {
        survey_src: attr("survey-src"),
        endpoint: attr("endpoint"),
        headers,
        event_mode: match attr("mode").as_deref() {
            None | Some("standard") => false,
            Some("event") => true,
            Some(other) => {
                console_error(&format!(
                    "survey widget: mode=\"{other}\" is not \"event\"; using the standard mode"
                ));
                false
            }
        },
        console_url: attr("console"),
        outcomes: attr("outcomes"),
        manage_title: host.get_attribute(&name("manage-title")).is_some_and(|v| v != "false"),
        lang: attr("lang"),
        history: host.get_attribute(&name("history")).is_some_and(|v| v != "false"),
        definition: js_sys::Reflect::get(host, &JsValue::from_str("definition"))
            .ok()
            .and_then(|v| v.as_string()),
    }
}

/// Asks the browser to keep the screen on (Screen Wake Lock). The lock goes when the page is
/// hidden, so event mode calls this again on `visibilitychange`. Unsupported or refused (low
/// battery, no user gesture yet) is not an error: the device's own settings apply.
pub fn keep_screen_on() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let navigator: JsValue = window.navigator().into();
    let Ok(lock) = js_sys::Reflect::get(&navigator, &JsValue::from_str("wakeLock")) else {
        return;
    };
    let Ok(request) = js_sys::Reflect::get(&lock, &JsValue::from_str("request")) else {
        return;
    };
    let Some(request) = request.dyn_ref::<js_sys::Function>() else {
        return;
    };
    if let Ok(promise) = request.call1(&lock, &JsValue::from_str("screen")) {
        if let Ok(promise) = promise.dyn_into::<js_sys::Promise>() {
            // A refusal is expected (no gesture yet, battery saver): awaited and let go.
            wasm_bindgen_futures::spawn_local(async move {
                let _ = JsFuture::from(promise).await;
            });
        }
    }
}

/// Asks for the whole page to go full screen (must follow a click).
pub fn enter_full_screen() {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.request_fullscreen();
    }
}

/// Replaces the current history entry with the bare page address, so Back never leads into
/// an earlier person's pages.
pub fn forget_history() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(path) = window.location().pathname() else {
        return;
    };
    let search = window.location().search().unwrap_or_default();
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&format!("{path}{search}")));
    }
}

/// What a widget keeps in the tab's history entries it makes: one number, the person and the
/// step, `person × 65536 + step` (a number rather than an object or text: no parsing, and the
/// least code in the first load). The page's own entries (no state, or not a number) are not
/// the widget's.
const STEPS: f64 = 65_536.0;

/// The tab's `history`, and one of its members. Reached through `Reflect` rather than
/// web-sys's bindings: the calls the widget already makes, so no new glue in the first load.
fn history_member(name: &str) -> Option<(JsValue, JsValue)> {
    let window: JsValue = web_sys::window()?.into();
    let history = js_sys::Reflect::get(&window, &JsValue::from_str("history")).ok()?;
    let member = js_sys::Reflect::get(&history, &JsValue::from_str(name)).ok()?;
    Some((history, member))
}

/// Calls a method of the tab's `history` with `args`.
fn history_call(name: &str, args: &js_sys::Array) {
    if let Some((history, method)) = history_member(name) {
        if let Some(method) = method.dyn_ref::<js_sys::Function>() {
            let _ = method.apply(&history, args);
        }
    }
}

/// Where the tab's current history entry is in the widget's way through its survey: the
/// person it belongs to and the step, if the entry is one the widget made.
pub fn history_place() -> Option<(u32, u32)> {
    let state = history_member("state")?.1.as_f64()?;
    let person = (state / STEPS).floor();
    Some((person as u32, (state - person * STEPS) as u32))
}

/// Marks the tab's history with the widget's place: a new entry (`push`), or the current one.
/// The address stays as it is.
pub fn history_mark(person: u32, step: u32, push: bool) {
    let state = JsValue::from_f64(f64::from(person) * STEPS + f64::from(step.min(65_535)));
    let name = if push { "pushState" } else { "replaceState" };
    history_call(name, &js_sys::Array::of2(&state, &JsValue::from_str("")));
}

/// Goes back one entry in the tab's history, as the browser's Back button does.
pub fn history_back() {
    history_call("back", &js_sys::Array::new());
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// The address of the widget's own script (the module wasm-bindgen writes), which the
    /// artefact's other files sit beside wherever the council serves it.
    #[wasm_bindgen(thread_local_v2, js_namespace = ["import", "meta"], js_name = url)]
    static MODULE_URL: String;
}

/// The address of `name`, a file of the release artefact (such as `locales/cy.json`).
pub fn beside_code(name: &str) -> String {
    let base = MODULE_URL.with(Clone::clone);
    web_sys::Url::new_with_base(name, &base).map_or_else(|_| name.to_owned(), |u| u.href())
}

/// The `lang` in this page's address (`?lang=cy`), if any.
pub fn address_lang() -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search).ok()?.get("lang")
}

/// Sets `lang` and `dir` on the element with `id` (the widget's root; never the host page).
pub fn mark_language(id: &str, lang: &str, rtl: bool) {
    if let Some(root) = find(id) {
        let _ = root.set_attribute("lang", lang);
        let _ = root.set_attribute("dir", if rtl { "rtl" } else { "ltr" });
    }
}

/// The language a plain click on a language link asks for (its `hreflang`), the link's own
/// navigation cancelled; `None` for any other click, or one with a modifier key.
pub fn link_language(event: &web_sys::MouseEvent) -> Option<String> {
    if event.ctrl_key() || event.meta_key() || event.shift_key() || event.alt_key() {
        return None;
    }
    let target = event.target()?.dyn_into::<web_sys::Element>().ok()?;
    let code = target.closest("a[hreflang]").ok()??.get_attribute("hreflang")?;
    event.prevent_default();
    Some(code)
}

/// The browser's languages, most wanted first (`navigator.languages`).
pub fn browser_languages() -> Vec<String> {
    web_sys::window()
        .map(|w| w.navigator().languages())
        .map(|list| list.iter().filter_map(|l| l.as_string()).collect())
        .unwrap_or_default()
}

/// `text` in Unicode's composed form (NFC), as the browser writes it: "ŵ" typed as `w` and a
/// combining circumflex counts and is stored as one character. The browser's own
/// `normalize`, since Rust's normalisation tables would cost the first load far more.
pub fn composed(text: &str) -> String {
    js_sys::JsString::from(text).normalize("NFC").into()
}

/// `url` resolved against this page's address, as an absolute URL.
pub fn absolute_url(url: &str) -> Option<String> {
    let href = web_sys::window()?.location().href().ok()?;
    Some(web_sys::Url::new_with_base(url, &href).ok()?.href())
}

/// `text` escaped for a URL's query (`encodeURIComponent`).
pub fn encode_component(text: &str) -> String {
    js_sys::encode_uri_component(text).into()
}

/// Whether a `pageshow` event restored the page from the back/forward cache.
pub fn restored_from_cache(event: &web_sys::Event) -> bool {
    js_sys::Reflect::get(event, &JsValue::from_str("persisted"))
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

/// The local date, hour and minute of a time in ms since the epoch.
pub fn local_time(ms: f64) -> (Date, u32, u32) {
    let d = js_sys::Date::new(&JsValue::from_f64(ms));
    let date = Date {
        year: d.get_full_year() as i32,
        month: d.get_month() + 1,
        day: d.get_date(),
    };
    (date, d.get_hours(), d.get_minutes())
}

/// Writes a problem list to the console for the survey author.
pub fn console_error(message: &str) {
    web_sys::console::error_1(&JsValue::from_str(message));
}

/// A value this site keeps in the browser's local storage. `None` as well when storage is
/// blocked (private browsing, a third-party frame): what is kept there is only a copy.
pub fn load_local(key: &str) -> Option<String> {
    web_sys::window()?.local_storage().ok()??.get_item(key).ok()?
}

/// Keeps a value in local storage; a full or blocked storage only means no offline copy.
pub fn save_local(key: &str, value: &str) {
    if let Some(Ok(Some(storage))) = web_sys::window().map(|w| w.local_storage()) {
        let _ = storage.set_item(key, value);
    }
}

/// Whether the browser thinks it is online (`navigator.onLine`).
pub fn is_online() -> bool {
    global::global().navigator().on_line()
}

/// Offers `text` to the person as a file download named `filename`.
///
/// # Errors
/// [`PlatformError::Unsupported`] when the browser cannot make the file.
pub fn download(filename: &str, mime: &str, text: &str) -> Result<(), PlatformError> {
    let unsupported = |_| PlatformError::Unsupported("download");
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .ok_or(PlatformError::Unsupported("document"))?;
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(unsupported)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(unsupported)?;
    let link: web_sys::HtmlAnchorElement = doc
        .create_element("a")
        .map_err(unsupported)?
        .dyn_into()
        .map_err(|_| PlatformError::Unsupported("download"))?;
    link.set_href(&url);
    link.set_download(filename);
    link.click();
    // The click has started the download; the URL is only needed until then.
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// Fires a bubbling, composed `CustomEvent` named `name` at the element with id `id`, for
/// host pages (and benchmarks) that want to know what the widget did. `detail` becomes the
/// event's `detail` object; it never carries answers.
pub fn emit(id: &str, name: &str, detail: &[(&str, JsValue)]) {
    let Some(target) = find(id) else {
        return;
    };
    let object = js_sys::Object::new();
    for (key, value) in detail {
        let _ = js_sys::Reflect::set(&object, &JsValue::from_str(key), value);
    }
    let init = web_sys::CustomEventInit::new();
    init.set_bubbles(true);
    // Crosses the shadow root, so listeners on <council-survey> and above hear it.
    init.set_composed(true);
    init.set_detail(&object);
    if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(name, &init) {
        let _ = target.dispatch_event(&event);
    }
}

/// The browser's plural category (`Intl.PluralRules`) of whole number `n` in `locale`; `None`
/// when the browser does not have that language (it would answer in its default one).
pub fn intl_plural(locale: &str, n: u64) -> Option<crate::core::text::plural::Plural> {
    use crate::core::text::plural::Plural;
    let locales = js_sys::Array::of1(&JsValue::from_str(locale));
    if js_sys::Intl::PluralRules::supported_locales_of(&locales, &js_sys::Object::new()).length() == 0 {
        return None;
    }
    let name = String::from(js_sys::Intl::PluralRules::new(&locales, &js_sys::Object::new()).select(n as f64));
    Plural::ALL.into_iter().find(|p| p.as_str() == name)
}
