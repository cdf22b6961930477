//! The browser's Back and Forward buttons on a page that is the survey (the host's `history`
//! setting; issue #21). Each page the person reaches is an entry in the tab's history, and
//! going back through the entries is the widget's own Back, which never loses an answer.
//!
//! Each entry carries the person and the step (`platform::history_mark`). A new person (Start
//! again, or the next person at an event) starts a new count, and an entry of an earlier
//! person leads nowhere: the widget stays where it is, so nobody can go back into someone
//! else's pages on a shared device.
//!
//! One widget per page keeps the history (a page that *is* the survey has one), so its place
//! is three plain statics: the least code in the first load (a stored value of its own type
//! cost twice as much).
use super::Widget;
use crate::core::{Command, Screen};
use crate::platform;
use leptos::prelude::*;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering::Relaxed};

/// Whose entries these are: the time the person's count started, in milliseconds, cut to 32
/// bits (enough to tell one person from the last).
static PERSON: AtomicU32 = AtomicU32::new(0);
/// The current entry's step: 0 is where the widget started (usually the start page).
static STEP: AtomicU32 = AtomicU32::new(0);
/// Set while the browser's Back or Forward is carried out, which adds no entry.
static REPLAYING: AtomicBool = AtomicBool::new(false);

/// A new person's mark. Truncating the clock is the point: only "not the last person" matters.
fn new_person() -> u32 {
    (platform::now_ms() as u64) as u32
}

/// Takes over the current entry for the widget's lifetime and follows Back and Forward: after
/// a reload the entry is still the widget's, so the count carries on; otherwise it becomes
/// step 0 of a new person.
pub fn keep(w: Widget) {
    let (person, step) = platform::history_place().unwrap_or_else(|| (new_person(), 0));
    PERSON.store(person, Relaxed);
    STEP.store(step, Relaxed);
    platform::history_mark(person, step, false);
    let listener = window_event_listener_untyped("popstate", move |_| {
        if w.alive() {
            popped(w);
        }
    });
    on_cleanup(move || listener.remove());
}

/// The widget's Back link: goes back in the tab's history when there is an entry of the
/// widget's to go back to (the `popstate` then moves the widget), so the two agree. `false`
/// when there is none, and the link moves the widget itself.
pub fn back() -> bool {
    if REPLAYING.load(Relaxed) || STEP.load(Relaxed) == 0 {
        return false;
    }
    platform::history_back();
    true
}

/// After the screen changed by a command (`forward`: anything but Back): a new entry for the
/// new page, or a new person's first entry on the start page. Nothing while the browser's own
/// Back or Forward is carried out, and nothing for a Back from the first entry, which has no
/// earlier entry to be.
pub fn navigated(w: Widget, forward: bool) {
    if !forward || REPLAYING.load(Relaxed) {
        return;
    }
    let start = w.session.with_untracked(|s| s.screen == Screen::Start);
    if start {
        PERSON.store(new_person(), Relaxed);
        STEP.store(0, Relaxed);
    } else {
        STEP.store(STEP.load(Relaxed).saturating_add(1), Relaxed);
    }
    platform::history_mark(PERSON.load(Relaxed), STEP.load(Relaxed), !start);
}

fn popped(w: Widget) {
    let Some((person, to)) = platform::history_place() else {
        // An entry from before the widget: nothing to do.
        return;
    };
    let here = STEP.load(Relaxed);
    if person != PERSON.load(Relaxed) {
        // An earlier person's page: stay, and make the entry this person's.
        platform::history_mark(PERSON.load(Relaxed), here, false);
        return;
    }
    let command = if to < here { Command::Back } else { Command::Continue };
    REPLAYING.store(true, Relaxed);
    for _ in 0..here.abs_diff(to) {
        w.dispatch.run(command.clone());
    }
    REPLAYING.store(false, Relaxed);
    STEP.store(to, Relaxed);
}
