//! Entry point of the browser build: mounts the widget into every host element.
fn main() {
    survey_widget::app::boot();
}
