//! Bar charts drawn on the server as SVG, so the console needs no JavaScript. Each chart sits
//! beside a table of the same figures, which is what assistive technology reads: the chart is
//! hidden from it, and only shows the shape at a glance.
use crate::html::esc;

/// Width of the drawing, in its own units (it scales to the page).
const WIDTH: f64 = 640.0;
/// Where the bars start; labels sit to the left.
const BARS_FROM: f64 = 250.0;
/// Room kept at the right for the count.
const COUNT_ROOM: f64 = 60.0;
/// Height of one row.
const ROW: f64 = 28.0;

/// Text cut to `max` characters, with an ellipsis.
fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

/// A horizontal bar chart of labelled counts; a withheld count (`None`) draws no bar and
/// says so.
pub fn bars(items: &[(String, Option<u64>)]) -> String {
    if items.is_empty() {
        return String::new();
    }
    let max = items.iter().filter_map(|(_, n)| *n).max().unwrap_or(0).max(1) as f64;
    let height = ROW * items.len() as f64 + 8.0;
    let span = WIDTH - BARS_FROM - COUNT_ROOM;
    let mut out = format!(
        "<svg class=\"c-chart\" viewBox=\"0 0 {WIDTH} {height}\" aria-hidden=\"true\" focusable=\"false\" \
         xmlns=\"http://www.w3.org/2000/svg\">"
    );
    for (i, (label, count)) in items.iter().enumerate() {
        let y = ROW * i as f64 + 4.0;
        let text_y = y + ROW * 0.65;
        out.push_str(&format!(
            "<text x=\"{:.0}\" y=\"{text_y:.1}\" text-anchor=\"end\">{}</text>",
            BARS_FROM - 8.0,
            esc(&cut(label, 32))
        ));
        match count {
            Some(n) => {
                let w = (*n as f64 / max * span).max(if *n > 0 { 2.0 } else { 0.0 });
                out.push_str(&format!(
                    "<rect class=\"bar\" x=\"{BARS_FROM}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{:.1}\"/>\
                     <text x=\"{:.1}\" y=\"{text_y:.1}\">{n}</text>",
                    y + 3.0,
                    ROW - 8.0,
                    BARS_FROM + w + 6.0
                ));
            }
            None => out.push_str(&format!("<text x=\"{BARS_FROM}\" y=\"{text_y:.1}\">withheld</text>")),
        }
    }
    out.push_str(&format!(
        "<line class=\"axis\" x1=\"{BARS_FROM}\" y1=\"2\" x2=\"{BARS_FROM}\" y2=\"{:.1}\"/></svg>",
        height - 2.0
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_and_escape_labels() {
        let svg = bars(&[("<b>".into(), Some(10)), ("Five".into(), Some(5)), ("Few".into(), None)]);
        assert!(svg.contains("aria-hidden=\"true\""));
        assert!(svg.contains("&lt;b&gt;") && !svg.contains("<b>"));
        assert!(
            svg.contains("width=\"330.0\"") && svg.contains("width=\"165.0\""),
            "{svg}"
        );
        assert!(svg.contains("withheld"));
        assert_eq!(bars(&[]), "");
        assert_eq!(cut("abcdef", 4), "abc…");
    }
}
