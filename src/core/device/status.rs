//! What the person is told about the device's copy of their answers: how saving is going, the
//! banners about drafts and answers at risk, and what the confirmation page can truly say.

use crate::core::delivery::outbox::DeliveryStatus;

/// How saving on this device is going.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Health {
    /// Nothing saved yet in this visit.
    #[default]
    Idle,
    /// The latest answers are saved.
    Saved,
    /// IndexedDB is missing or blocked (private browsing): answers live in memory only.
    Unavailable,
    /// The device is out of space: the latest answers are in memory only.
    Full,
    /// A write failed for another reason: the latest answers are in memory only.
    Failed,
}

impl Health {
    /// Classifies a failed write.
    pub fn after_failure(quota: bool) -> Self {
        if quota {
            Health::Full
        } else {
            Health::Failed
        }
    }

    /// Whether the latest answers exist only in this page's memory.
    pub fn at_risk(self) -> bool {
        matches!(self, Health::Unavailable | Health::Full | Health::Failed)
    }
}

/// The network as the browser reports it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Network {
    /// Online since the page opened.
    #[default]
    Online,
    /// Offline now.
    Offline,
    /// Back online after being offline.
    BackOnline,
}

impl Network {
    /// Whether the browser says it is online.
    pub fn is_online(self) -> bool {
        self != Network::Offline
    }
}

/// The banner about a resumed draft.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Resumed {
    /// No banner.
    #[default]
    No,
    /// "Your answers were saved on this device", with Start again.
    Shown,
    /// Asking whether to delete the answers.
    Confirming,
}

/// Where storing a completed response has got to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Completion {
    /// Nothing completed in this visit.
    #[default]
    None,
    /// The transaction is running.
    Saving,
    /// Stored on the device.
    Stored,
    /// Kept in this page's memory only.
    Unsaved,
}

/// What the confirmation page says, as catalogue keys: the line about where the response
/// stands (`None` for none) and the "What happens next" paragraph.
///
/// Only what is true: "you can close this page" once the response is stored on the device
/// (with a note that it is sent on a later visit if sending has not finished); "trying to
/// send" while the device is online but the council has not got it yet, "when you are back
/// online" while it is offline. On a `shared` device (event mode) never "you can close this
/// page": the tablet stays on for the next person and sending is the officer's business (the
/// console), so once stored only the reference code is worth keeping.
pub fn confirmation_keys(
    completion: Completion,
    delivery: Option<&DeliveryStatus>,
    network: Network,
    paused: bool,
    shared: bool,
) -> (Option<&'static str>, &'static str) {
    const OPEN: &str = "done.next.open";
    let (close, later) = if shared {
        ("event.next.keep", "event.next.keep")
    } else {
        ("done.next.close", "done.next.later")
    };
    match completion {
        Completion::None | Completion::Unsaved => (None, OPEN),
        Completion::Saving => (Some("done.saving"), OPEN),
        Completion::Stored => match delivery {
            None => (Some("done.stored"), later),
            Some(DeliveryStatus::Waiting) if paused => (Some("done.paused"), later),
            Some(DeliveryStatus::Waiting) if network.is_online() => (Some("done.sending"), later),
            Some(DeliveryStatus::Waiting) => (Some("done.waiting"), later),
            Some(DeliveryStatus::Kept) => (Some("done.kept"), close),
            Some(DeliveryStatus::NeedsAttention(_)) => (Some("done.attention"), close),
            Some(DeliveryStatus::Received(_)) => (Some("done.received"), close),
        },
    }
}

/// What a notice's button does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Download the answers in progress and any unsaved responses.
    DownloadAnswers,
    /// Download the drafts of earlier versions.
    DownloadEarlier,
    /// Ask whether to delete the resumed answers.
    AskStartAgain,
    /// Delete the resumed answers and go back to the start.
    ConfirmStartAgain,
    /// Keep the resumed answers.
    KeepAnswers,
}

/// A GOV.UK notification banner about the answers on this device. Fields are catalogue keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Notice {
    /// Stable id, for DOM ids and tests.
    pub id: &'static str,
    /// The banner's bold first line.
    pub heading: &'static str,
    /// Paragraphs.
    pub body: &'static [&'static str],
    /// Buttons, first is the main one.
    pub actions: &'static [(&'static str, Action)],
}

/// Everything the widget tells the person about the device's copy of their answers, in one
/// value so that one signal carries it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DeviceState {
    /// How saving is going.
    pub health: Health,
    /// The network as the browser reports it.
    pub network: Network,
    /// A one-off status message (e.g. "Your answers were deleted") that wins over the
    /// computed one until the next change.
    pub note: Option<&'static str>,
    /// The resumed-draft banner.
    pub resumed: Resumed,
    /// Storing the completed response.
    pub completion: Completion,
    /// Whether the start page is showing (filled in by the view from the session).
    pub on_start: bool,
    /// Whether the person is done with this visit's answering: the confirmation page or the
    /// list of responses is showing (filled in by the view).
    pub finished: bool,
    /// Whether drafts of earlier versions of the survey are kept.
    pub has_older: bool,
    /// Whether sending is paused because the endpoint refused the client (401 or 403).
    pub paused: bool,
    /// Whether the person has something answered in the response in progress (filled in by
    /// the view from the session).
    pub has_answers: bool,
    /// Whether the full explanation of a storage problem has been shown and the person has
    /// moved on: from then on a compact line says it.
    pub explained: bool,
    /// Whether an answer was changed in this visit.
    pub changed: bool,
}

impl DeviceState {
    /// The catalogue key of the status line, or `None` for no status.
    ///
    /// Storage problems win over the network, because they are what can lose answers.
    /// "Saved on this device" is said only when something answered is stored, and not while
    /// the resumed-draft banner says it already (until the person changes an answer).
    pub fn status_key(&self) -> Option<&'static str> {
        match (self.health, self.network) {
            _ if self.paused && !self.health.at_risk() => Some("status.paused"),
            _ if self.note.is_some() => self.note,
            (Health::Unavailable, _) => Some("status.unavailable"),
            (Health::Full, _) => Some("status.full"),
            (Health::Failed, _) => Some("status.failed"),
            // "You can carry on" only where there is something to carry on with (issue #21).
            (_, Network::Offline) if self.finished => Some("status.offlineShort"),
            (_, Network::Offline) => Some("status.offline"),
            (_, Network::BackOnline) => Some("status.online"),
            (Health::Saved, _) if self.has_answers && (self.changed || self.resumed == Resumed::No) => {
                Some("status.saved")
            }
            _ => None,
        }
    }

    /// Records how saving went; a problem that clears will be explained in full again if it
    /// comes back.
    pub fn set_health(&mut self, health: Health) {
        self.health = health;
        if !health.at_risk() {
            self.explained = false;
        }
    }

    /// An answer changed: a one-off note gives way to how saving goes.
    pub fn edited(&mut self) {
        self.note = None;
        self.changed = true;
    }

    /// The screen changed: a storage problem explained on the screen left behind is
    /// explained, and from now on only the compact line says it.
    pub fn navigated(&mut self) {
        self.resumed = Resumed::No;
        self.explained |= self.health.at_risk();
    }

    /// Whether the compact line offers "Download your answers": the answers are at risk,
    /// the full banner has been shown, and there is something to download.
    pub fn offers_download(&self) -> bool {
        self.health.at_risk() && self.explained && self.has_answers
    }
}

/// The banners to show, most urgent first: answers at risk, then a resumed draft, then
/// drafts of earlier versions (only on the start page, where starting afresh happens).
pub fn notices(state: DeviceState) -> Vec<Notice> {
    const DOWNLOAD: &[(&str, Action)] = &[("risk.download", Action::DownloadAnswers)];
    let mut out = Vec::new();
    if state.completion == Completion::Unsaved {
        out.push(Notice {
            id: "unsaved",
            heading: "risk.failed.heading",
            body: &["done.unsaved", "risk.download.hint"],
            actions: DOWNLOAD,
        });
    } else if state.health.at_risk() && !state.explained {
        // The download is offered only when there is something to download.
        let with = state.has_answers;
        let (heading, body): (_, &'static [&'static str]) = match state.health {
            Health::Unavailable => (
                "risk.unavailable.heading",
                &["risk.unavailable.body", "risk.download.hint"],
            ),
            Health::Full => ("risk.full.heading", &["risk.full.body", "risk.download.hint"]),
            _ => ("risk.failed.heading", &["risk.failed.body", "risk.download.hint"]),
        };
        out.push(Notice {
            id: "storage-problem",
            heading,
            // Without answers, neither the download nor the hint about it.
            body: if with { body } else { &body[..1] },
            actions: if with { DOWNLOAD } else { &[] },
        });
    }
    match state.resumed {
        Resumed::No => {}
        Resumed::Shown => out.push(Notice {
            id: "resumed",
            heading: "resume.heading",
            body: &["resume.body"],
            actions: &[("resume.startAgain", Action::AskStartAgain)],
        }),
        Resumed::Confirming => out.push(Notice {
            id: "resumed",
            heading: "resume.heading",
            body: &["resume.confirm"],
            actions: &[
                ("resume.confirm.yes", Action::ConfirmStartAgain),
                ("resume.confirm.no", Action::KeepAnswers),
            ],
        }),
    }
    if state.on_start && state.has_older && state.resumed == Resumed::No {
        out.push(Notice {
            id: "older-draft",
            heading: "older.heading",
            body: &["older.body"],
            actions: &[("older.download", Action::DownloadEarlier)],
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_put_answers_at_risk_first() {
        let base = DeviceState {
            on_start: true,
            has_older: true,
            ..DeviceState::default()
        };
        let ids = |s: DeviceState| notices(s).iter().map(|n| n.id).collect::<Vec<_>>();
        assert_eq!(ids(base), ["older-draft"]);
        let resumed = DeviceState {
            resumed: Resumed::Shown,
            health: Health::Full,
            ..base
        };
        assert_eq!(ids(resumed), ["storage-problem", "resumed"]);
        let unsaved = DeviceState {
            completion: Completion::Unsaved,
            health: Health::Unavailable,
            on_start: false,
            ..base
        };
        assert_eq!(ids(unsaved), ["unsaved"]);
        let confirming = notices(DeviceState {
            resumed: Resumed::Confirming,
            ..DeviceState::default()
        });
        assert_eq!(confirming[0].actions.len(), 2);
    }

    fn status(health: Health, network: Network) -> Option<&'static str> {
        DeviceState {
            health,
            network,
            has_answers: true,
            ..DeviceState::default()
        }
        .status_key()
    }

    /// Issue #21: after finishing offline the line still said "You can carry on".
    #[test]
    fn offline_after_finishing_says_only_that() {
        let finished = DeviceState {
            health: Health::Saved,
            network: Network::Offline,
            finished: true,
            ..DeviceState::default()
        };
        assert_eq!(finished.status_key(), Some("status.offlineShort"));
        let answering = DeviceState {
            finished: false,
            ..finished
        };
        assert_eq!(answering.status_key(), Some("status.offline"));
        let full = DeviceState {
            health: Health::Full,
            ..finished
        };
        assert_eq!(
            full.status_key(),
            Some("status.full"),
            "a storage problem still comes first"
        );
    }

    #[test]
    fn status_puts_storage_problems_first() {
        assert_eq!(status(Health::Full, Network::Offline), Some("status.full"));
        assert_eq!(status(Health::Saved, Network::Offline), Some("status.offline"));
        assert_eq!(status(Health::Saved, Network::Online), Some("status.saved"));
        assert_eq!(status(Health::Idle, Network::Online), None);
        assert!(Health::after_failure(true).at_risk() && Health::after_failure(false).at_risk());
    }

    #[test]
    fn saved_is_said_once_and_only_when_true_issue_8() {
        let saved = DeviceState {
            health: Health::Saved,
            ..DeviceState::default()
        };
        // Question 1 with nothing answered: the position was saved, but no answer was.
        assert_eq!(saved.status_key(), None);
        let answered = DeviceState {
            has_answers: true,
            ..saved
        };
        assert_eq!(answered.status_key(), Some("status.saved"));
        // A reopened survey: the banner says it, the status line does not repeat it.
        let resumed = DeviceState {
            resumed: Resumed::Shown,
            ..answered
        };
        assert_eq!(resumed.status_key(), None);
        let mut typed = resumed;
        typed.edited();
        assert_eq!(typed.status_key(), Some("status.saved"), "new typing is saved: say so");
        let mut moved_on = resumed;
        moved_on.navigated();
        assert_eq!(moved_on.status_key(), Some("status.saved"));
    }

    #[test]
    fn a_storage_problem_is_explained_once_then_a_compact_line_issue_8() {
        let mut d = DeviceState {
            health: Health::Unavailable,
            on_start: true,
            ..DeviceState::default()
        };
        // Start page, nothing answered: the explanation, with nothing to download yet.
        let shown = notices(d);
        assert_eq!(shown.len(), 1);
        assert!(shown[0].actions.is_empty());
        assert!(!shown[0].body.contains(&"risk.download.hint"));
        assert!(!d.offers_download());
        d.navigated();
        d.on_start = false;
        assert!(notices(d).is_empty(), "explained once");
        assert_eq!(d.status_key(), Some("status.unavailable"));
        assert!(!d.offers_download(), "still nothing to download");
        d.has_answers = true;
        assert!(d.offers_download());
        // Space comes back, then runs out again: explained in full once more.
        d.set_health(Health::Saved);
        d.set_health(Health::Full);
        let again = notices(d);
        assert_eq!(again[0].actions, [("risk.download", Action::DownloadAnswers)]);
    }

    #[test]
    fn the_confirmation_says_only_what_is_true_issue_8() {
        use Completion as C;
        use DeliveryStatus as D;
        let waiting = Some(&D::Waiting);
        let keys = |c, d, n, p| confirmation_keys(c, d, n, p, false);
        assert_eq!(
            keys(C::Saving, None, Network::Online, false),
            (Some("done.saving"), "done.next.open")
        );
        assert_eq!(keys(C::Unsaved, None, Network::Online, false), (None, "done.next.open"));
        assert_eq!(
            keys(C::Stored, waiting, Network::Online, false),
            (Some("done.sending"), "done.next.later")
        );
        assert_eq!(
            keys(C::Stored, waiting, Network::BackOnline, false),
            (Some("done.sending"), "done.next.later")
        );
        assert_eq!(
            keys(C::Stored, waiting, Network::Offline, false),
            (Some("done.waiting"), "done.next.later")
        );
        assert_eq!(
            keys(C::Stored, waiting, Network::Online, true),
            (Some("done.paused"), "done.next.later")
        );
        assert_eq!(
            keys(C::Stored, Some(&D::Received(1.0)), Network::Offline, false),
            (Some("done.received"), "done.next.close")
        );
        assert_eq!(
            keys(C::Stored, Some(&D::Kept), Network::Online, false),
            (Some("done.kept"), "done.next.close")
        );
        assert_eq!(
            keys(C::Stored, Some(&D::NeedsAttention(Some(400))), Network::Online, false).1,
            "done.next.close"
        );
    }

    #[test]
    fn a_shared_device_is_never_told_to_close_the_page() {
        use DeliveryStatus as D;
        let stored = [
            None,
            Some(D::Waiting),
            Some(D::Received(1.0)),
            Some(D::NeedsAttention(Some(400))),
        ];
        for delivery in &stored {
            for network in [Network::Online, Network::Offline] {
                for paused in [false, true] {
                    let (line, next) = confirmation_keys(Completion::Stored, delivery.as_ref(), network, paused, true);
                    assert_eq!(next, "event.next.keep", "{delivery:?} {network:?} {paused}");
                    let own = confirmation_keys(Completion::Stored, delivery.as_ref(), network, paused, false);
                    assert_eq!(line, own.0, "the line about delivery is the same on any device");
                }
            }
        }
        let saving = confirmation_keys(Completion::Saving, None, Network::Online, false, true);
        assert_eq!(saving.1, "done.next.open", "not yet stored: keep the page open");
    }
}
