//! Event mode's rules: one device handed from person to person at a community event.
//!
//! What an event is (its setup record), how the officer's PIN is checked and how wrong tries
//! are slowed down, when an idle question page warns and then resets, and the `context` each
//! event response carries. The browser derives the PIN hash (PBKDF2 through WebCrypto) and
//! reads the clock; everything decided about them is here, tested natively.
use crate::core::device::record::Record;
use crate::core::respond::context::Context;
use serde_json::{Map, Value};

/// Object store key of the one event set up on a device.
pub const CURRENT: &str = "current";
/// Fewest digits an officer PIN may have.
pub const MIN_PIN_DIGITS: usize = 4;
/// Most digits an officer PIN may have (a PIN, not a passphrase).
pub const MAX_PIN_DIGITS: usize = 12;
/// Longest event name.
pub const MAX_NAME_CHARS: usize = 120;
/// Idle time on a question page before the warning, unless the officer sets another.
pub const DEFAULT_IDLE_SECS: u32 = 90;
/// Shortest and longest idle time an officer may set.
pub const IDLE_SECS_RANGE: (u32, u32) = (30, 900);
/// How long "Are you still there?" counts down before the reset.
pub const WARNING_SECS: u32 = 30;
/// How long the confirmation stays before the welcome screen returns.
pub const NEXT_PERSON_SECS: u32 = 20;
/// PBKDF2-HMAC-SHA256 iterations for the PIN hash (OWASP's 2023 figure is 600,000).
pub const PIN_ITERATIONS: u32 = 600_000;
/// Wrong PINs allowed before the console refuses for a while.
pub const FREE_TRIES: u32 = 5;
/// The first refusal; each later one doubles, up to [`MAX_LOCK_MS`].
pub const FIRST_LOCK_MS: f64 = 30_000.0;
/// The longest refusal.
pub const MAX_LOCK_MS: f64 = 3_600_000.0;

/// What happens to a person's answers when they walk away mid-survey.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Abandoned {
    /// The draft is deleted (the default: nobody agreed to send half a survey).
    #[default]
    Discard,
    /// The answers so far are kept as a response flagged incomplete.
    KeepIncomplete,
}

impl Abandoned {
    /// The stored and form value.
    pub fn as_str(self) -> &'static str {
        match self {
            Abandoned::Discard => "discard",
            Abandoned::KeepIncomplete => "keep",
        }
    }

    /// Reads a stored or form value.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "discard" => Some(Abandoned::Discard),
            "keep" => Some(Abandoned::KeepIncomplete),
            _ => None,
        }
    }
}

/// The PIN, as stored: a PBKDF2 hash and its salt, never the PIN.
#[derive(Clone, Debug, PartialEq)]
pub struct PinHash {
    /// 16 random bytes, hex.
    pub salt: String,
    /// PBKDF2 iterations used.
    pub iterations: u32,
    /// The 32-byte derived key, hex.
    pub hash: String,
}

impl PinHash {
    /// Whether a freshly derived key (hex) is this hash. Compares every byte, so the time
    /// taken says nothing about how much of it matched.
    pub fn matches(&self, derived_hex: &str) -> bool {
        let (a, b) = (self.hash.as_bytes(), derived_hex.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }
}

/// Wrong PIN tries and the refusals they earned; kept on the device so a reload does not
/// give a guesser fresh tries.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Lockout {
    /// Wrong tries since the last right one.
    pub failures: u32,
    /// Refusals so far; each one doubles the next.
    pub refusals: u32,
    /// Refusing until this time (ms since epoch).
    pub locked_until: Option<f64>,
}

impl Lockout {
    /// `Err(until)` while refusing.
    ///
    /// # Errors
    /// The time the refusal ends, when it has not yet.
    pub fn check(&self, now_ms: f64) -> Result<(), f64> {
        match self.locked_until {
            Some(until) if until > now_ms => Err(until),
            _ => Ok(()),
        }
    }

    /// Records a wrong PIN; from the fifth on, each one starts a refusal twice as long as the
    /// one before (30 s, 60 s, 2 min, … up to an hour). Returns when the refusal ends.
    pub fn failed(&mut self, now_ms: f64) -> Option<f64> {
        self.failures = self.failures.saturating_add(1);
        if self.failures < FREE_TRIES {
            return None;
        }
        let ms = (FIRST_LOCK_MS * 2f64.powi(self.refusals.min(30) as i32)).min(MAX_LOCK_MS);
        self.refusals = self.refusals.saturating_add(1);
        let until = now_ms + ms;
        self.locked_until = Some(until);
        Some(until)
    }

    /// Records the right PIN: tries start afresh.
    pub fn succeeded(&mut self) {
        *self = Lockout::default();
    }

    /// Wrong tries left before the next refusal.
    pub fn tries_left(&self) -> u32 {
        FREE_TRIES.saturating_sub(self.failures).max(1)
    }
}

/// The event set up on a device.
#[derive(Clone, Debug, PartialEq)]
pub struct EventSetup {
    /// Random id, hex; tells this event's responses from an earlier event's.
    pub id: String,
    /// The event's name, e.g. "Carers' café, Penrith library".
    pub name: String,
    /// A random label for this device, e.g. `device-K7QM`.
    pub device: String,
    /// Idle seconds on a question page before the warning.
    pub idle_secs: u32,
    /// What happens to an abandoned draft.
    pub abandoned: Abandoned,
    /// The officer's PIN, hashed.
    pub pin: PinHash,
    /// Wrong tries.
    pub lockout: Lockout,
    /// When the event was set up (ms since epoch).
    pub created_at: f64,
    /// The survey the event collects (issue #21): the console summarises it, and the event
    /// page refuses another. `None` for events set up before it was recorded.
    pub survey: Option<EventSurvey>,
}

/// The survey an event was set up for.
#[derive(Clone, Debug, PartialEq)]
pub struct EventSurvey {
    /// Its id.
    pub id: String,
    /// Where its definition is, as the console loaded it (an absolute URL).
    pub src: String,
}

impl EventSetup {
    /// Whether the event was set up for a survey other than `id` (an event set up before
    /// the survey was recorded takes any).
    pub fn is_for_another_survey(&self, id: &str) -> bool {
        self.survey.as_ref().is_some_and(|s| s.id != id)
    }

    /// The context every response of this event carries.
    pub fn context(&self, incomplete: bool) -> Context {
        Context {
            event: self.name.clone(),
            event_id: self.id.clone(),
            device: self.device.clone(),
            incomplete,
        }
    }

    /// The idle policy this event asks for.
    pub fn idle(&self) -> IdlePolicy {
        IdlePolicy {
            idle_ms: f64::from(self.idle_secs) * 1000.0,
            warning_ms: f64::from(WARNING_SECS) * 1000.0,
            next_person_ms: f64::from(NEXT_PERSON_SECS) * 1000.0,
        }
    }
}

/// A problem with the setup form, as a message key and the field it belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetupProblem {
    /// The form field: `name`, `pin`, `pin-again` or `idle`.
    pub field: &'static str,
    /// The message catalogue key.
    pub key: &'static str,
}

/// What the officer typed into the setup form, checked.
#[derive(Clone, Debug, PartialEq)]
pub struct SetupForm {
    /// The event's name, trimmed.
    pub name: String,
    /// The PIN, to be hashed and then forgotten.
    pub pin: String,
    /// Idle seconds.
    pub idle_secs: u32,
    /// What happens to abandoned drafts.
    pub abandoned: Abandoned,
}

/// Checks the setup form. `pin` may be empty when changing an event (the PIN stays).
///
/// # Errors
/// Every problem, in form order.
pub fn check_setup(
    name: &str,
    pin: &str,
    pin_again: &str,
    idle: &str,
    abandoned: &str,
    pin_required: bool,
) -> Result<SetupForm, Vec<SetupProblem>> {
    let mut problems = Vec::new();
    let name = name.trim();
    if name.is_empty() {
        problems.push(SetupProblem {
            field: "name",
            key: "event.setup.name.missing",
        });
    } else if name.chars().count() > MAX_NAME_CHARS || name.chars().any(char::is_control) {
        problems.push(SetupProblem {
            field: "name",
            key: "event.setup.name.long",
        });
    }
    if pin_required || !pin.is_empty() || !pin_again.is_empty() {
        let digits =
            pin.len() >= MIN_PIN_DIGITS && pin.len() <= MAX_PIN_DIGITS && pin.bytes().all(|b| b.is_ascii_digit());
        if !digits {
            problems.push(SetupProblem {
                field: "pin",
                key: "event.setup.pin.digits",
            });
        } else if pin != pin_again {
            problems.push(SetupProblem {
                field: "pin-again",
                key: "event.setup.pin.mismatch",
            });
        }
    }
    let idle_secs = match idle.trim() {
        "" => Some(DEFAULT_IDLE_SECS),
        s => s
            .parse::<u32>()
            .ok()
            .filter(|n| (IDLE_SECS_RANGE.0..=IDLE_SECS_RANGE.1).contains(n)),
    };
    if idle_secs.is_none() {
        problems.push(SetupProblem {
            field: "idle",
            key: "event.setup.idle.range",
        });
    }
    let abandoned = Abandoned::parse(abandoned).unwrap_or_default();
    if problems.is_empty() {
        Ok(SetupForm {
            name: name.to_owned(),
            pin: pin.to_owned(),
            idle_secs: idle_secs.unwrap_or(DEFAULT_IDLE_SECS),
            abandoned,
        })
    } else {
        Err(problems)
    }
}

/// A device label from 4 random bytes, e.g. `device-K7QM`: short enough to read off a
/// tablet's sticker, random so two tablets at one event differ.
pub fn device_label(bytes: [u8; 4]) -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let mut s = String::from("device-");
    for b in bytes {
        s.push(char::from(ALPHABET[usize::from(b) % ALPHABET.len()]));
    }
    s
}

/// Which kind of screen is showing, as far as idleness is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdleScreen {
    /// The welcome screen: waits for the next person for ever.
    Welcome,
    /// A question page or "Check your answers": someone may have walked away.
    Answering,
    /// The confirmation: goes back to the welcome screen by itself.
    Confirmation,
}

/// When an idle device warns and resets.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct IdlePolicy {
    /// Quiet time on a question page before the warning.
    pub idle_ms: f64,
    /// How long the warning counts down.
    pub warning_ms: f64,
    /// How long the confirmation stays.
    pub next_person_ms: f64,
}

/// What the idle timer should do now.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum IdleStep {
    /// Nothing yet; look again at `at`, or never.
    Wait {
        /// When to look again (ms since epoch).
        at: Option<f64>,
    },
    /// Show "Are you still there?", counting down to `resets_at`.
    Warn {
        /// When the reset happens.
        resets_at: f64,
    },
    /// Back to the welcome screen, dealing with the draft as set up.
    Reset,
}

impl IdlePolicy {
    /// What to do `now`, on `screen`, with the last input (or screen change) at `last_ms`.
    /// The welcome screen never times out; the confirmation only ever returns to it; a
    /// question page warns first, so nobody loses answers while reading a long question.
    pub fn step(&self, screen: IdleScreen, last_ms: f64, now_ms: f64) -> IdleStep {
        match screen {
            IdleScreen::Welcome => IdleStep::Wait { at: None },
            IdleScreen::Confirmation => {
                let at = last_ms + self.next_person_ms;
                if now_ms >= at {
                    IdleStep::Reset
                } else {
                    IdleStep::Wait { at: Some(at) }
                }
            }
            IdleScreen::Answering => {
                let warn_at = last_ms + self.idle_ms;
                let resets_at = warn_at + self.warning_ms;
                if now_ms >= resets_at {
                    IdleStep::Reset
                } else if now_ms >= warn_at {
                    IdleStep::Warn { resets_at }
                } else {
                    IdleStep::Wait { at: Some(warn_at) }
                }
            }
        }
    }
}

/// Whole seconds left until `at`, rounded up, for the countdown.
pub fn seconds_left(at: f64, now_ms: f64) -> u32 {
    ((at - now_ms) / 1000.0).ceil().max(0.0) as u32
}

fn field<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    v.get(key)
}

impl Record for EventSetup {
    fn to_value(&self) -> Value {
        let mut pin = Map::new();
        pin.insert("salt".into(), self.pin.salt.as_str().into());
        pin.insert("iterations".into(), self.pin.iterations.into());
        pin.insert("hash".into(), self.pin.hash.as_str().into());
        let mut lockout = Map::new();
        lockout.insert("failures".into(), self.lockout.failures.into());
        lockout.insert("refusals".into(), self.lockout.refusals.into());
        lockout.insert("lockedUntil".into(), self.lockout.locked_until.into());
        let mut map = Map::new();
        map.insert("key".into(), CURRENT.into());
        map.insert("id".into(), self.id.as_str().into());
        map.insert("name".into(), self.name.as_str().into());
        map.insert("device".into(), self.device.as_str().into());
        map.insert("idleSecs".into(), self.idle_secs.into());
        map.insert("abandoned".into(), self.abandoned.as_str().into());
        map.insert("pin".into(), Value::Object(pin));
        map.insert("lockout".into(), Value::Object(lockout));
        map.insert("createdAt".into(), self.created_at.into());
        if let Some(survey) = &self.survey {
            let mut s = Map::new();
            s.insert("id".into(), survey.id.as_str().into());
            s.insert("src".into(), survey.src.as_str().into());
            map.insert("survey".into(), Value::Object(s));
        }
        Value::Object(map)
    }

    fn from_value(v: &Value) -> Option<Self> {
        let text = |k: &str| field(v, k).and_then(Value::as_str).map(str::to_owned);
        let pin = field(v, "pin")?;
        let lockout = field(v, "lockout");
        let count = |k: &str| {
            lockout
                .and_then(|l| l.get(k))
                .and_then(Value::as_u64)
                .and_then(|n| u32::try_from(n).ok())
                .unwrap_or(0)
        };
        Some(EventSetup {
            id: text("id")?,
            name: text("name")?,
            device: text("device")?,
            idle_secs: u32::try_from(field(v, "idleSecs")?.as_u64()?).ok()?,
            abandoned: Abandoned::parse(&text("abandoned")?)?,
            pin: PinHash {
                salt: pin.get("salt")?.as_str()?.to_owned(),
                iterations: u32::try_from(pin.get("iterations")?.as_u64()?).ok()?,
                hash: pin.get("hash")?.as_str()?.to_owned(),
            },
            lockout: Lockout {
                failures: count("failures"),
                refusals: count("refusals"),
                locked_until: lockout.and_then(|l| l.get("lockedUntil")).and_then(Value::as_f64),
            },
            created_at: field(v, "createdAt").and_then(Value::as_f64).unwrap_or(0.0),
            survey: field(v, "survey").and_then(|s| {
                Some(EventSurvey {
                    id: s.get("id")?.as_str()?.to_owned(),
                    src: s.get("src")?.as_str()?.to_owned(),
                })
            }),
        })
    }
}

/// The name of an export file, without its extension: the event's name in lower case, with its
/// letters kept, accented or in another script, and anything else a hyphen, then the device
/// and the day, e.g. `carers-café-penrith-library-device-K7QM-2026-12-02` (issue #21: "é" was
/// dropped).
pub fn export_stem(name: &str, device: &str, day: crate::core::survey::date::Date) -> String {
    let slug: String = name.chars().map(slug_char).collect();
    let slug = slug.split('-').filter(|p| !p.is_empty()).collect::<Vec<_>>().join("-");
    format!("{}-{device}-{day}", if slug.is_empty() { "event" } else { &slug })
}

/// One character of a file name: a letter or digit (lower case for Latin letters), or `-`.
/// Worked out by Unicode block rather than with Rust's Unicode tables, which would cost the
/// console about 10 KB: ASCII letters and digits; the Latin letters of Latin-1 and Latin
/// Extended-A and -B (é, ŵ, ł…); combining marks; and letters of other scripts (from Greek on),
/// but no punctuation, symbol or space of any block the names of events use.
fn slug_char(ch: char) -> char {
    let c = u32::from(ch);
    let lower = match c {
        0x41..=0x5A | 0xC0..=0xDE if c != 0xD7 => c + 0x20,
        // Latin Extended-A pairs capital then small, in two runs offset by one.
        0x100..=0x137 | 0x14A..=0x177 if c % 2 == 0 => c + 1,
        0x139..=0x148 | 0x179..=0x17E if c % 2 == 1 => c + 1,
        _ => c,
    };
    let keep = match lower {
        0x30..=0x39 | 0x61..=0x7A => true,
        0xD7 | 0xF7 => false,
        0xC0..=0x24F | 0x300..=0x36F => true,
        // Punctuation, symbols and spaces: general punctuation, currency, letter-like and
        // number forms, arrows, maths, boxes, dingbats, CJK punctuation, specials.
        0x2000..=0x2BFF | 0x3000..=0x303F | 0xFE00..=0xFFFF => false,
        // Arabic's comma, semicolon and question mark.
        0x60C | 0x61B | 0x61F => false,
        c => c >= 0x370,
    };
    if keep {
        char::from_u32(lower).unwrap_or('-')
    } else {
        '-'
    }
}

/// What ending an event deletes, for its confirmation (issue #21: it said "All 3 … received by
/// the council or exported" when none had been received).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ending {
    /// Responses of the event on the device.
    pub total: usize,
    /// Received by the council.
    pub received: usize,
    /// Exported to a file but not received: the file is then their only copy.
    pub exported_only: usize,
    /// Neither received nor exported: lost if the event ends.
    pub at_risk: usize,
}

impl Ending {
    /// Counts the event's responses, each as (received, exported).
    pub fn of(responses: impl IntoIterator<Item = (bool, bool)>) -> Self {
        let mut e = Self::default();
        for (received, exported) in responses {
            e.total += 1;
            match (received, exported) {
                (true, _) => e.received += 1,
                (false, true) => e.exported_only += 1,
                (false, false) => e.at_risk += 1,
            }
        }
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::text::hex;

    /// Issue #21: the counts the end-of-event confirmation gives.
    #[test]
    fn ending_counts_received_exported_and_at_risk_apart() {
        let e = Ending::of([(false, true), (false, true), (false, true)]);
        assert_eq!((e.total, e.received, e.exported_only, e.at_risk), (3, 0, 3, 0));
        let e = Ending::of([(true, true), (true, false), (false, true), (false, false)]);
        assert_eq!((e.total, e.received, e.exported_only, e.at_risk), (4, 2, 1, 1));
        assert_eq!(Ending::of([]), Ending::default());
    }

    /// Issue #21: the export's file name dropped "é".
    #[test]
    fn export_names_keep_their_letters() {
        let day = crate::core::survey::date::Date::new(2026, 12, 2).unwrap();
        for (name, device, stem) in [
            (
                "Carers’ café, Penrith library",
                "device-K7QM",
                "carers-café-penrith-library-device-K7QM",
            ),
            ("Caffi Gofalwyr Ŵyl", "device-A", "caffi-gofalwyr-ŵyl-device-A"),
            ("../../etc", "device-A", "etc-device-A"),
            ("!!!", "device-A", "event-device-A"),
            ("ÉTÉ Łódź × 2", "device-A", "été-łódź-2-device-A"),
            ("اجتماع، مقهى", "device-A", "اجتماع-مقهى-device-A"),
            ("“Quotes” – and…", "device-A", "quotes-and-device-A"),
        ] {
            assert_eq!(export_stem(name, device, day), format!("{stem}-2026-12-02"), "{name}");
        }
    }

    fn setup() -> EventSetup {
        EventSetup {
            id: "abc".into(),
            name: "Carers' café, Penrith library".into(),
            device: device_label([1, 2, 3, 4]),
            idle_secs: 90,
            abandoned: Abandoned::KeepIncomplete,
            pin: PinHash {
                salt: hex(&[0; 16]),
                iterations: PIN_ITERATIONS,
                hash: hex(&[7; 32]),
            },
            lockout: Lockout {
                failures: 2,
                refusals: 1,
                locked_until: Some(5.0),
            },
            created_at: 1.0,
            survey: Some(EventSurvey {
                id: "co-production".into(),
                src: "https://www.example.gov.uk/surveys/co-production.json".into(),
            }),
        }
    }

    #[test]
    fn the_setup_survives_storage() {
        let s = setup();
        assert_eq!(EventSetup::from_json(&s.to_json()), Some(s.clone()));
        assert!(s.is_for_another_survey("carers-strategy") && !s.is_for_another_survey("co-production"));
        let older = EventSetup {
            survey: None,
            ..s.clone()
        };
        assert_eq!(
            EventSetup::from_json(&older.to_json()),
            Some(older.clone()),
            "set up before the survey was kept"
        );
        assert!(!older.is_for_another_survey("anything"));
        let text = s.to_json();
        assert!(!text.contains("1234"), "the PIN is never stored");
    }

    #[test]
    fn five_wrong_pins_refuse_for_30_s_then_each_refusal_doubles() {
        let mut l = Lockout::default();
        for n in 1..FREE_TRIES {
            assert_eq!(l.failed(0.0), None, "try {n} is free");
            assert!(l.check(0.0).is_ok());
        }
        assert_eq!(l.failed(1_000.0), Some(31_000.0));
        assert_eq!(l.check(30_999.0), Err(31_000.0));
        assert!(l.check(31_000.0).is_ok());
        assert_eq!(l.failed(40_000.0), Some(100_000.0), "then 60 s");
        assert_eq!(l.failed(100_000.0), Some(220_000.0), "then 2 min");
        for _ in 0..40 {
            l.failed(0.0);
        }
        assert_eq!(l.locked_until, Some(MAX_LOCK_MS), "never more than an hour");
        l.succeeded();
        assert_eq!(l, Lockout::default());
        assert_eq!(l.tries_left(), 5);
    }

    #[test]
    fn pins_are_compared_in_full() {
        let p = setup().pin;
        assert!(p.matches(&hex(&[7; 32])));
        assert!(!p.matches(&hex(&[7; 31])));
        assert!(!p.matches(&hex(&[8; 32])));
        assert!(!p.matches(""));
    }

    #[test]
    fn the_setup_form_says_every_problem() {
        let err = check_setup(" ", "12", "12", "5", "keep", true).unwrap_err();
        let keys: Vec<_> = err.iter().map(|p| p.key).collect();
        assert_eq!(
            keys,
            [
                "event.setup.name.missing",
                "event.setup.pin.digits",
                "event.setup.idle.range"
            ]
        );
        let err = check_setup("Café", "1234", "1243", "", "", true).unwrap_err();
        assert_eq!(err[0].field, "pin-again");
        let ok = check_setup(" Café ", "123456", "123456", "", "", true).unwrap();
        assert_eq!(ok.name, "Café");
        assert_eq!(ok.idle_secs, DEFAULT_IDLE_SECS);
        assert_eq!(ok.abandoned, Abandoned::Discard);
        // Changing an event keeps the PIN when both boxes are left empty.
        assert!(check_setup("Café", "", "", "120", "keep", false).is_ok());
        assert!(check_setup("Café", "12ab", "12ab", "", "", false).is_err());
        assert!(check_setup(&"x".repeat(121), "1234", "1234", "", "", true).is_err());
    }

    #[test]
    fn an_idle_question_page_warns_then_resets() {
        let p = setup().idle();
        let s = IdleScreen::Answering;
        assert_eq!(p.step(s, 0.0, 89_999.0), IdleStep::Wait { at: Some(90_000.0) });
        assert_eq!(p.step(s, 0.0, 90_000.0), IdleStep::Warn { resets_at: 120_000.0 });
        assert_eq!(p.step(s, 0.0, 119_999.0), IdleStep::Warn { resets_at: 120_000.0 });
        assert_eq!(p.step(s, 0.0, 120_000.0), IdleStep::Reset);
        // Input moves everything on.
        assert_eq!(p.step(s, 100_000.0, 120_000.0), IdleStep::Wait { at: Some(190_000.0) });
    }

    #[test]
    fn the_welcome_screen_never_times_out_and_the_confirmation_only_returns_to_it() {
        let p = setup().idle();
        assert_eq!(p.step(IdleScreen::Welcome, 0.0, 1e12), IdleStep::Wait { at: None });
        assert_eq!(
            p.step(IdleScreen::Confirmation, 0.0, 19_999.0),
            IdleStep::Wait { at: Some(20_000.0) }
        );
        assert_eq!(p.step(IdleScreen::Confirmation, 0.0, 20_000.0), IdleStep::Reset);
    }

    #[test]
    fn countdown_rounds_up() {
        assert_eq!(seconds_left(30_000.0, 0.0), 30);
        assert_eq!(seconds_left(30_000.0, 29_001.0), 1);
        assert_eq!(seconds_left(30_000.0, 31_000.0), 0);
    }

    #[test]
    fn context_round_trips_and_flags_only_incomplete() {
        let c = setup().context(false);
        let v = c.to_protocol();
        assert_eq!(v["mode"], "event");
        assert!(v.get("incomplete").is_none());
        assert_eq!(Context::from_protocol(&v), Some(c));
        let c = setup().context(true);
        assert_eq!(c.to_protocol()["incomplete"], true);
    }

    #[test]
    fn device_labels_are_readable() {
        let l = device_label([0, 31, 32, 255]);
        assert_eq!(l, "device-2Z2Z");
    }
}
