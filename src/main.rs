//! Entry point of the respondent's build: mounts the widget into every `[data-survey-widget]`
//! host element, and exports what `embed.js` calls for each `<council-survey>` element.
//! Event mode is not in this build (see `src/entries/event/main.rs`).

fn main() {
    survey_widget::app::boot();
}

survey_widget::widget_exports!();
