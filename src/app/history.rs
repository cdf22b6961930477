//! The browser's Back and Forward buttons on a page that is the survey (the host's `history`
//! setting; issue #21). Each page the person reaches is an entry in the tab's history, and
//! going back through the entries is the widget's own Back, which never loses an answer.
//!
//! Entries carry the widget's instance, the person and the step (`platform::history_mark`).
//! A new person (Start again, or the next person at an event) starts a new count, and an
//! entry of an earlier person leads nowhere: the widget stays where it is, so nobody can go
//! back into someone else's pages on a shared device.
use super::Widget;
use crate::core::{Command, Screen};
use crate::platform;
use leptos::prelude::*;

/// Where the widget is in the tab's history.
#[derive(Clone, Copy)]
pub struct History {
    instance: StoredValue<String>,
    /// Whose entries these are: the time the person's count started.
    person: StoredValue<f64>,
    /// The current entry's step: 0 is where the widget started (usually the start page).
    step: StoredValue<u32>,
    /// Set while the browser's Back or Forward is carried out, which adds no entry.
    replaying: StoredValue<bool>,
}

impl History {
    /// Takes over the current entry: after a reload it is still the widget's, so the count
    /// carries on; otherwise it becomes step 0 of a new person.
    pub fn new(instance: String) -> Self {
        let (person, step) = platform::history_place(&instance).unwrap_or_else(|| (platform::now_ms(), 0));
        platform::history_mark(&instance, person, step, false);
        Self {
            instance: StoredValue::new(instance),
            person: StoredValue::new(person),
            step: StoredValue::new(step),
            replaying: StoredValue::new(false),
        }
    }

    fn mark(self, push: bool) {
        self.instance.with_value(|i| {
            platform::history_mark(i, self.person.get_value(), self.step.get_value(), push);
        });
    }

    /// The widget's Back link: goes back in the tab's history when there is an entry of the
    /// widget's to go back to (the `popstate` then moves the widget), so the two agree.
    /// `false` when there is none, and the link moves the widget itself.
    pub fn back(self) -> bool {
        if self.replaying.get_value() || self.step.get_value() == 0 {
            return false;
        }
        platform::history_back();
        true
    }

    /// After the screen changed by a command (`forward`: anything but Back): a new entry for
    /// the new page, or a new person's first entry on the start page. Nothing while the
    /// browser's own Back or Forward is carried out, and nothing for a Back from the first
    /// entry, which has no earlier entry to be.
    pub fn navigated(self, w: Widget, forward: bool) {
        if self.replaying.get_value() || !forward {
            return;
        }
        if w.session.with_untracked(|s| s.screen == Screen::Start) {
            self.person.set_value(platform::now_ms());
            self.step.set_value(0);
            self.mark(false);
        } else {
            self.step.update_value(|s| *s = s.saturating_add(1));
            self.mark(true);
        }
    }

    /// Follows the browser's Back and Forward for the widget's lifetime.
    pub fn run(self, w: Widget) {
        let listener = window_event_listener_untyped("popstate", move |_| {
            if w.alive() {
                self.popped(w);
            }
        });
        on_cleanup(move || listener.remove());
    }

    fn popped(self, w: Widget) {
        let place = self.instance.with_value(|i| platform::history_place(i));
        let Some((person, to)) = place else {
            // An entry from before the widget, or another widget's: nothing to do.
            return;
        };
        if person != self.person.get_value() {
            // An earlier person's page: stay, and make the entry this person's.
            self.mark(false);
            return;
        }
        let here = self.step.get_value();
        self.replaying.set_value(true);
        let command = if to < here { Command::Back } else { Command::Continue };
        for _ in 0..here.abs_diff(to) {
            w.dispatch.run(command.clone());
        }
        self.replaying.set_value(false);
        self.step.set_value(to);
    }
}
