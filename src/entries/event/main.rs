//! Entry point of the event build (issue #10): the same widget with event mode compiled in
//! (the `event` feature), loaded by `embed.js` only on a page with a `mode="event"` widget,
//! so the welcome screen, the idle reset and the next-person flow cost a respondent's page
//! nothing.

fn main() {
    survey_widget::app::boot();
}

survey_widget::widget_exports!();
