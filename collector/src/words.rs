//! The public pages' words in English, Welsh and Urdu (issue #23): the reference lookup a
//! person reaches with the code the widget gave them, in the language they answered in. A struct
//! with a field per phrase rather than a keyed file, so a language missing a phrase does not
//! compile. The staff console stays in English, as the issue allows.
use hyper::HeaderMap;

/// One language's words for the public pages.
pub struct Words {
    /// The BCP 47 code, for `lang` and `?lang=`.
    pub code: &'static str,
    /// The language's name in itself, for the switch.
    pub name: &'static str,
    /// Written right to left (declared, never guessed from the text).
    pub rtl: bool,
    pub skip: &'static str,
    pub footer: &'static str,
    pub problem: &'static str,
    pub error_prefix: &'static str,
    pub language: &'static str,
    pub lookup_title: &'static str,
    pub lookup_intro: &'static str,
    pub reference: &'static str,
    pub reference_hint: &'static str,
    pub look_up: &'static str,
    pub enter_code: &'static str,
    /// Takes the seconds to wait.
    pub too_many: fn(u64) -> String,
    pub unavailable: &'static str,
    /// Takes the code as HTML, escaped and isolated (`<bdi>`).
    pub not_found: fn(&str) -> String,
    pub not_found_body: &'static str,
    pub your_response: &'static str,
    pub survey: &'static str,
    pub received: &'static str,
    pub stage: &'static str,
    pub stage_received: (&'static str, &'static str),
    pub stage_analysing: (&'static str, &'static str),
    pub stage_published: (&'static str, &'static str),
    pub you_said: &'static str,
    /// Takes the number of people.
    pub people: fn(u64) -> String,
    pub we_did: &'static str,
    pub who: &'static str,
    pub where_it_is: &'static str,
    pub done: &'static str,
    pub due: &'static str,
    pub why_not: &'static str,
    pub more: &'static str,
    pub evidence: &'static str,
    pub evidence_hidden: &'static str,
    /// The action statuses: planned, in progress, done, not doing.
    pub actions: [&'static str; 4],
    pub months: [&'static str; 12],
    /// The survey statuses: open, closed, analysing, published.
    pub statuses: [&'static str; 4],
    /// The Atom feed's title after the survey's ("you said, we did").
    pub feed_title: &'static str,
    /// What changed in a saved record, for the Atom feed (and, in English, the audit trail).
    pub history: History,
}

/// The words that say what changed in a saved "you said, we did" record.
pub struct History {
    /// A first save: takes the status, the number of themes and of actions.
    pub started: fn(&str, usize, usize) -> String,
    pub status: &'static str,
    pub theme_added: &'static str,
    pub theme: &'static str,
    pub count: &'static str,
    pub theme_removed: &'static str,
    pub action_added: &'static str,
    pub action: &'static str,
    pub action_removed: &'static str,
    pub owner: &'static str,
    pub date: &'static str,
    pub evidence_changed: &'static str,
    pub reason_changed: &'static str,
    pub welsh_changed: &'static str,
    pub no_changes: &'static str,
    /// No count, or no date.
    pub none: &'static str,
    /// A withheld count: takes the threshold.
    pub fewer_than: fn(u64) -> String,
    /// An entry whose record cannot be read.
    pub updated: &'static str,
}

/// English.
pub const EN: Words = Words {
    code: "en",
    name: "English",
    rtl: false,
    skip: "Skip to main content",
    footer: "This page shows where a response has got to and what the council has done. It never shows anyone's answers.",
    problem: "There is a problem",
    error_prefix: "Error:",
    language: "Language",
    lookup_title: "Look up your response",
    lookup_intro: "If you answered one of our surveys, you were given a reference code, such as KX7P-3M4Q. Enter it to see where your response has got to and what we have done about what people told us. This page never shows your answers.",
    reference: "Reference code",
    reference_hint: "You can find it on the last page of the survey, or in \u{201c}Your responses on this device\u{201d}",
    look_up: "Look up",
    enter_code: "Enter a reference code of 8 letters and numbers, like KX7P-3M4Q",
    too_many: |wait| format!("You have looked up too many codes in a minute. Wait {wait} seconds, then try again"),
    unavailable: "Sorry, the lookup is not working just now. Try again in a few minutes.",
    not_found: |code| format!("No response found for {code}"),
    not_found_body: "Check the code. If you answered on a device without a signal, your response is sent the next time the survey opens on it with a connection, so it may not have arrived yet.",
    your_response: "Your response",
    survey: "Survey",
    received: "Received",
    stage: "Stage",
    stage_received: (
        "Received",
        "The council has received it. It will be read with everyone else's once the survey closes.",
    ),
    stage_analysing: ("Being analysed", "The council is reading the responses to this survey now."),
    stage_published: (
        "Outcomes published",
        "The council has said what it heard and what it is doing about it.",
    ),
    you_said: "You said",
    people: |n| if n == 1 { "1 person".to_owned() } else { format!("{n} people") },
    we_did: "We did",
    who: "Who is doing it",
    where_it_is: "Where it is",
    done: "Done",
    due: "Due",
    why_not: "Why not",
    more: "More information",
    evidence: "Evidence",
    evidence_hidden: " for this action",
    actions: ["Planned", "In progress", "Done", "Not doing"],
    months: [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
        "December",
    ],
    statuses: ["Open for responses", "Closed", "Analysing responses", "Outcomes published"],
    feed_title: "you said, we did",
    history: History {
        started: |status, themes, actions| format!("Record started: status {status}; {themes} themes; {actions} actions"),
        status: "Status",
        theme_added: "Theme added",
        theme: "Theme",
        count: "count",
        theme_removed: "Theme removed",
        action_added: "Action added",
        action: "Action",
        action_removed: "Action removed",
        owner: "owner",
        date: "date",
        evidence_changed: "evidence link changed",
        reason_changed: "reason changed",
        welsh_changed: "Welsh changed",
        no_changes: "Saved with no changes",
        none: "none",
        fewer_than: |n| format!("fewer than {n}"),
        updated: "Outcomes updated",
    },
};

/// Welsh (not yet checked by a fluent speaker; docs/languages.md says how to send corrections).
pub const CY: Words = Words {
    code: "cy",
    name: "Cymraeg",
    rtl: false,
    skip: "Neidio i’r prif gynnwys",
    footer: "Mae’r dudalen hon yn dangos ble mae ymateb wedi cyrraedd a beth mae’r cyngor wedi’i wneud. Nid yw byth yn dangos atebion neb.",
    problem: "Mae problem",
    error_prefix: "Gwall:",
    language: "Iaith",
    lookup_title: "Chwilio am eich ymateb",
    lookup_intro: "Os gwnaethoch ateb un o’n harolygon, cawsoch god cyfeirnod, fel KX7P-3M4Q. Rhowch ef i weld ble mae eich ymateb wedi cyrraedd a beth rydym wedi’i wneud am yr hyn a ddywedodd pobl wrthym. Nid yw’r dudalen hon byth yn dangos eich atebion.",
    reference: "Cod cyfeirnod",
    reference_hint: "Mae ar dudalen olaf yr arolwg, neu yn \u{2018}Eich ymatebion ar y ddyfais hon\u{2019}",
    look_up: "Chwilio",
    enter_code: "Rhowch god cyfeirnod o 8 llythyren a rhif, fel KX7P-3M4Q",
    too_many: |wait| {
        format!("Rydych wedi chwilio am ormod o godau mewn munud. Arhoswch {wait} eiliad, yna rhowch gynnig arall arni")
    },
    unavailable: "Mae’n ddrwg gennym, nid yw’r chwilio’n gweithio ar hyn o bryd. Rhowch gynnig arall arni ymhen ychydig funudau.",
    not_found: |code| format!("Dim ymateb ar gyfer {code}"),
    not_found_body: "Gwiriwch y cod. Os gwnaethoch ateb ar ddyfais heb signal, bydd eich ymateb yn cael ei anfon y tro nesaf y bydd yr arolwg yn agor arni gyda chysylltiad, felly efallai nad yw wedi cyrraedd eto.",
    your_response: "Eich ymateb",
    survey: "Arolwg",
    received: "Wedi dod i law",
    stage: "Cam",
    stage_received: (
        "Wedi dod i law",
        "Mae’r cyngor wedi’i gael. Bydd yn cael ei ddarllen gyda phob ymateb arall pan fydd yr arolwg yn cau.",
    ),
    stage_analysing: ("Yn cael ei ddadansoddi", "Mae’r cyngor yn darllen yr ymatebion i’r arolwg hwn nawr."),
    stage_published: (
        "Canlyniadau wedi’u cyhoeddi",
        "Mae’r cyngor wedi dweud beth a glywodd a beth mae’n ei wneud yn ei gylch.",
    ),
    you_said: "Dywedoch chi",
    people: |n| match n {
        1 => "1 person".to_owned(),
        2 => "2 berson".to_owned(),
        n => format!("{n} o bobl"),
    },
    we_did: "Gwnaethom ni",
    who: "Pwy sy’n ei wneud",
    where_it_is: "Ble mae arni",
    done: "Wedi’i wneud",
    due: "Erbyn",
    why_not: "Pam ddim",
    more: "Rhagor o wybodaeth",
    evidence: "Tystiolaeth",
    evidence_hidden: " ar gyfer y cam hwn",
    actions: ["Wedi’i gynllunio", "Ar y gweill", "Wedi’i wneud", "Ddim yn ei wneud"],
    months: [
        "Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf", "Awst", "Medi", "Hydref",
        "Tachwedd", "Rhagfyr",
    ],
    statuses: ["Ar agor i ymatebion", "Wedi cau", "Yn dadansoddi ymatebion", "Canlyniadau wedi’u cyhoeddi"],
    feed_title: "dywedoch chi, gwnaethom ni",
    history: History {
        started: |status, themes, actions| {
            format!("Cofnod wedi’i ddechrau: statws {status}; {themes} thema; {actions} cam")
        },
        status: "Statws",
        theme_added: "Thema wedi’i hychwanegu",
        theme: "Thema",
        count: "nifer",
        theme_removed: "Thema wedi’i thynnu",
        action_added: "Cam wedi’i ychwanegu",
        action: "Cam",
        action_removed: "Cam wedi’i dynnu",
        owner: "perchennog",
        date: "dyddiad",
        evidence_changed: "dolen y dystiolaeth wedi newid",
        reason_changed: "y rheswm wedi newid",
        welsh_changed: "y Gymraeg wedi newid",
        no_changes: "Wedi’i gadw heb newidiadau",
        none: "dim",
        fewer_than: |n| format!("llai na {n}"),
        updated: "Canlyniadau wedi’u diweddaru",
    },
};

/// Urdu, right to left (not yet checked by a fluent speaker; docs/languages.md says how to send
/// corrections).
pub const UR: Words = Words {
    code: "ur",
    name: "اردو",
    rtl: true,
    skip: "مرکزی مواد پر جائیں",
    footer: "یہ صفحہ دکھاتا ہے کہ جواب کہاں تک پہنچا ہے اور کونسل نے کیا کیا ہے۔ یہ کبھی کسی کے جوابات نہیں دکھاتا۔",
    problem: "ایک مسئلہ ہے",
    error_prefix: "خرابی:",
    language: "زبان",
    lookup_title: "اپنا جواب تلاش کریں",
    lookup_intro: "اگر آپ نے ہمارے کسی سروے کا جواب دیا تھا، تو آپ کو ایک حوالہ کوڈ دیا گیا تھا، جیسے KX7P-3M4Q۔ یہ دیکھنے کے لیے اسے درج کریں کہ آپ کا جواب کہاں تک پہنچا ہے اور لوگوں نے جو بتایا اس پر ہم نے کیا کیا ہے۔ یہ صفحہ کبھی آپ کے جوابات نہیں دکھاتا۔",
    reference: "حوالہ کوڈ",
    reference_hint: "یہ سروے کے آخری صفحے پر، یا \u{201c}اس ڈیوائس پر آپ کے جوابات\u{201d} میں ملے گا",
    look_up: "تلاش کریں",
    enter_code: "8 حروف اور اعداد کا حوالہ کوڈ درج کریں، جیسے KX7P-3M4Q",
    too_many: |wait| format!("آپ نے ایک منٹ میں بہت زیادہ کوڈ تلاش کیے ہیں۔ {wait} سیکنڈ انتظار کریں، پھر دوبارہ کوشش کریں"),
    unavailable: "معذرت، تلاش اس وقت کام نہیں کر رہی۔ چند منٹ بعد دوبارہ کوشش کریں۔",
    not_found: |code| format!("{code} کا کوئی جواب نہیں ملا"),
    not_found_body: "کوڈ چیک کریں۔ اگر آپ نے سگنل کے بغیر کسی ڈیوائس پر جواب دیا تھا، تو آپ کا جواب اگلی بار بھیجا جائے گا جب سروے اس پر کنکشن کے ساتھ کھلے گا، اس لیے ہو سکتا ہے وہ ابھی نہ پہنچا ہو۔",
    your_response: "آپ کا جواب",
    survey: "سروے",
    received: "موصول ہوا",
    stage: "مرحلہ",
    stage_received: (
        "موصول ہوا",
        "کونسل کو یہ مل گیا ہے۔ سروے بند ہونے پر اسے باقی سب کے جوابات کے ساتھ پڑھا جائے گا۔",
    ),
    stage_analysing: ("تجزیہ ہو رہا ہے", "کونسل اب اس سروے کے جوابات پڑھ رہی ہے۔"),
    stage_published: (
        "نتائج شائع ہو گئے",
        "کونسل نے بتا دیا ہے کہ اس نے کیا سنا اور وہ اس بارے میں کیا کر رہی ہے۔",
    ),
    you_said: "آپ نے کہا",
    people: |n| if n == 1 { "1 شخص".to_owned() } else { format!("{n} افراد") },
    we_did: "ہم نے کیا",
    who: "یہ کون کر رہا ہے",
    where_it_is: "یہ کس مرحلے میں ہے",
    done: "مکمل",
    due: "مقررہ تاریخ",
    why_not: "کیوں نہیں",
    more: "مزید معلومات",
    evidence: "ثبوت",
    evidence_hidden: " اس اقدام کے لیے",
    actions: ["منصوبہ بند", "جاری", "مکمل", "نہیں کر رہے"],
    months: [
        "جنوری", "فروری", "مارچ", "اپریل", "مئی", "جون", "جولائی", "اگست", "ستمبر", "اکتوبر", "نومبر", "دسمبر",
    ],
    statuses: ["جوابات کے لیے کھلا ہے", "بند ہے", "جوابات کا تجزیہ ہو رہا ہے", "نتائج شائع ہو گئے"],
    feed_title: "آپ نے کہا، ہم نے کیا",
    history: History {
        started: |status, themes, actions| format!("ریکارڈ شروع ہوا: صورتحال {status}؛ {themes} موضوعات؛ {actions} اقدامات"),
        status: "صورتحال",
        theme_added: "موضوع شامل کیا گیا",
        theme: "موضوع",
        count: "تعداد",
        theme_removed: "موضوع ہٹا دیا گیا",
        action_added: "اقدام شامل کیا گیا",
        action: "اقدام",
        action_removed: "اقدام ہٹا دیا گیا",
        owner: "ذمہ دار",
        date: "تاریخ",
        evidence_changed: "ثبوت کا لنک بدل گیا",
        reason_changed: "وجہ بدل گئی",
        welsh_changed: "ویلش متن بدل گیا",
        no_changes: "بغیر تبدیلی کے محفوظ کیا گیا",
        none: "کوئی نہیں",
        fewer_than: |n| format!("{n} سے کم"),
        updated: "نتائج اپ ڈیٹ ہوئے",
    },
};

/// Every language the public pages have.
pub const ALL: [&Words; 3] = [&EN, &CY, &UR];

/// The language of a public page: `?lang=`, else the browser's `Accept-Language` (its first
/// language these pages have), else English.
pub fn choose(query: Option<&str>, headers: &HeaderMap) -> &'static Words {
    let asked = query.and_then(|q| {
        form_urlencoded::parse(q.as_bytes())
            .find(|(k, _)| k == "lang")
            .map(|(_, v)| v.into_owned())
    });
    let accepted = headers
        .get(hyper::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mut wishes: Vec<&str> = asked.as_deref().into_iter().collect();
    wishes.extend(
        accepted
            .split(',')
            .map(|part| part.split(';').next().unwrap_or("").trim()),
    );
    // The widget's own rule for matching a wish to a language (`cy-GB` finds `cy`).
    let codes = ALL.map(|w| w.code);
    ALL[survey_widget::core::survey::load::choose_language(&codes, &wishes)]
}

/// "2 Rhagfyr 2026" for a `YYYY-MM-DD…` timestamp, in these words' language.
pub fn day_text(words: &Words, at: &str) -> String {
    let parts: Vec<&str> = at.get(..10).unwrap_or("").split('-').collect();
    match parts.as_slice() {
        [y, m, d] => {
            let month = m
                .parse::<usize>()
                .ok()
                .and_then(|m| words.months.get(m.wrapping_sub(1)));
            match (month, d.parse::<u32>().ok()) {
                (Some(month), Some(day)) => format!("{day} {month} {y}"),
                _ => at.to_owned(),
            }
        }
        _ => at.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_comes_from_the_address_then_the_browser() {
        let mut headers = HeaderMap::new();
        headers.insert(
            hyper::header::ACCEPT_LANGUAGE,
            "cy-GB,cy;q=0.9,en;q=0.8".parse().unwrap(),
        );
        assert_eq!(choose(None, &headers).code, "cy");
        assert_eq!(choose(Some("lang=en"), &headers).code, "en");
        assert_eq!(choose(Some("lang=fr"), &HeaderMap::new()).code, "en");
        assert_eq!(day_text(&CY, "2026-12-03T10:00:00Z"), "3 Rhagfyr 2026");
        assert_eq!((CY.people)(2), "2 berson");
        headers.insert(hyper::header::ACCEPT_LANGUAGE, "ur-PK,ur;q=0.9".parse().unwrap());
        assert_eq!(choose(None, &headers).code, "ur");
        assert_eq!(ALL.map(|w| w.rtl), [false, false, true], "Urdu alone is right to left");
        assert_eq!(day_text(&UR, "2026-12-03T10:00:00Z"), "3 دسمبر 2026");
    }
}
