//! Theme colours and the embed code that preview.html writes (issue #11): contrast ratios as
//! WCAG 2.2 defines them, the checks docs/embedding.md lists for each `--council-survey-*`
//! property, and the two lines a web team pastes, with every value escaped.

use crate::core::text::escape_html;

/// A colour from a `#rgb` or `#rrggbb` value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// White.
    pub const WHITE: Rgb = Rgb(255, 255, 255);

    /// Parses `#rgb` or `#rrggbb` (any case); `None` for anything else.
    pub fn parse(text: &str) -> Option<Rgb> {
        let hex = text.trim().strip_prefix('#')?;
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let digit = |i: usize| u8::from_str_radix(hex.get(i..i + 1)?, 16).ok();
        let pair = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
        match hex.len() {
            3 => Some(Rgb(digit(0)? * 17, digit(1)? * 17, digit(2)? * 17)),
            6 => Some(Rgb(pair(0)?, pair(2)?, pair(4)?)),
            _ => None,
        }
    }

    /// `#rrggbb`.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// Relative luminance (WCAG 2.2, "relative luminance").
    pub fn luminance(self) -> f64 {
        let channel = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(self.0) + 0.7152 * channel(self.1) + 0.0722 * channel(self.2)
    }
}

/// The contrast ratio of two colours, from 1 to 21.
pub fn contrast(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (a.luminance(), b.luminance());
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

/// The themable colours, as the `--council-survey-*` properties name them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Theme {
    /// `--council-survey-brand`: buttons and the confirmation panel (white text on it).
    pub brand: Rgb,
    /// `--council-survey-text`.
    pub text: Rgb,
    /// `--council-survey-link`.
    pub link: Rgb,
    /// `--council-survey-focus`: the focus highlight, with dark text on it.
    pub focus: Rgb,
    /// `--council-survey-error`.
    pub error: Rgb,
    /// `--council-survey-background`.
    pub background: Rgb,
}

impl Default for Theme {
    /// The GOV.UK colours the widget uses when a host sets none.
    fn default() -> Self {
        Theme {
            brand: Rgb(0x00, 0x70, 0x3c),
            text: Rgb(0x0b, 0x0c, 0x0c),
            link: Rgb(0x1d, 0x70, 0xb8),
            focus: Rgb(0xff, 0xdd, 0x00),
            error: Rgb(0xd4, 0x35, 0x1c),
            background: Rgb::WHITE,
        }
    }
}

/// The text colour the widget puts on the focus highlight.
pub const FOCUS_TEXT: Rgb = Rgb(0x0b, 0x0c, 0x0c);

/// One contrast requirement of a theme and how the theme does.
#[derive(Clone, Debug, PartialEq)]
pub struct Check {
    /// The property checked, e.g. `brand`.
    pub property: &'static str,
    /// Message key of what it is checked against.
    pub against: &'static str,
    /// The ratio the theme has.
    pub ratio: f64,
    /// The least ratio WCAG 2.2 AA asks for here.
    pub needed: f64,
}

impl Check {
    /// Whether the theme meets it.
    pub fn passes(&self) -> bool {
        self.ratio >= self.needed
    }
}

/// Every contrast requirement of `theme`, in the order docs/embedding.md lists them.
pub fn checks(theme: &Theme) -> Vec<Check> {
    let check = |property, against, a, b, needed| Check {
        property,
        against,
        ratio: contrast(a, b),
        needed,
    };
    vec![
        check("brand", "against.white", theme.brand, Rgb::WHITE, 4.5),
        check("brand", "against.background", theme.brand, theme.background, 3.0),
        check("text", "against.background", theme.text, theme.background, 4.5),
        check("link", "against.background", theme.link, theme.background, 4.5),
        check("focus", "against.focusText", theme.focus, FOCUS_TEXT, 4.5),
        check("error", "against.background", theme.error, theme.background, 4.5),
    ]
}

/// "4.5:1", rounded down to one decimal place as contrast checkers show it, so a ratio just
/// under a minimum never reads as meeting it.
pub fn ratio_text(ratio: f64) -> String {
    let tenths = (ratio * 10.0).floor() / 10.0;
    format!("{tenths:.1}:1")
}

/// What a web team chose in preview.html, for the embed code.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EmbedChoices {
    /// The address of `embed.js` (and so of the artefact folder) on their site.
    pub embed_js: String,
    /// The survey file's URL.
    pub survey: String,
    /// The endpoint, if not the survey's own.
    pub endpoint: String,
    /// Where the iframe's parent pages are (iframe mode).
    pub parent_origin: String,
    /// The theme, written out where it differs from the default.
    pub theme: Theme,
}

/// Percent-encodes a query parameter value (RFC 3986 unreserved characters and `/` and `:`
/// stay as they are, so URLs stay readable).
pub fn encode_query(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/:".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn theme_pairs(theme: &Theme) -> Vec<(&'static str, Rgb)> {
    let default = Theme::default();
    [
        ("brand", theme.brand, default.brand),
        ("text", theme.text, default.text),
        ("link", theme.link, default.link),
        ("focus", theme.focus, default.focus),
        ("error", theme.error, default.error),
        ("background", theme.background, default.background),
    ]
    .into_iter()
    .filter(|(_, chosen, default)| chosen != default)
    .map(|(name, chosen, _)| (name, chosen))
    .collect()
}

/// The custom element variant: the script tag, the element, and a `<style>`-free CSS rule
/// for the theme (to go in the site's own stylesheet) when it differs from the default.
pub fn element_code(c: &EmbedChoices) -> String {
    let mut code = format!(
        "<script type=\"module\" src=\"{}\"></script>\n<council-survey src=\"{}\"",
        escape_html(&c.embed_js),
        escape_html(&c.survey)
    );
    if !c.endpoint.trim().is_empty() {
        code.push_str(&format!(" endpoint=\"{}\"", escape_html(c.endpoint.trim())));
    }
    code.push_str("></council-survey>");
    let theme = theme_pairs(&c.theme);
    if !theme.is_empty() {
        let rules: Vec<String> = theme
            .iter()
            .map(|(name, rgb)| format!("--council-survey-{name}: {};", rgb.hex()))
            .collect();
        code.push_str(&format!(
            "\n\n/* In your site's stylesheet: */\ncouncil-survey {{ {} }}",
            rules.join(" ")
        ));
    }
    code
}

/// The iframe variant: the frame's address with the survey, parent origin, endpoint and
/// theme in its query string, and the parent page's resizing snippet (as in docs/embedding.md).
pub fn iframe_code(c: &EmbedChoices) -> String {
    let base = c.embed_js.strip_suffix("embed.js").unwrap_or(&c.embed_js);
    let mut src = format!("{base}frame.html?survey={}", encode_query(&c.survey));
    if !c.parent_origin.trim().is_empty() {
        src.push_str(&format!("&parent-origin={}", encode_query(c.parent_origin.trim())));
    }
    if !c.endpoint.trim().is_empty() {
        src.push_str(&format!("&endpoint={}", encode_query(c.endpoint.trim())));
    }
    for (name, rgb) in theme_pairs(&c.theme) {
        src.push_str(&format!("&{name}={}", encode_query(&rgb.hex())));
    }
    let frame_origin = origin_of(&c.embed_js).unwrap_or_default();
    format!(
        "<iframe id=\"council-survey\" title=\"Survey\" height=\"600\" style=\"width: 100%; border: 0\"\n  src=\"{}\"\n  sandbox=\"allow-scripts allow-same-origin allow-forms allow-downloads allow-popups allow-popups-to-escape-sandbox\" allow=\"screen-wake-lock; fullscreen\"></iframe>\n<script>\n  addEventListener('message', (e) => {{\n    const frame = document.getElementById('council-survey');\n    if (e.source !== frame.contentWindow || e.origin !== '{}') return;\n    if (e.data && e.data.source === 'council-survey' && e.data.type === 'height') frame.style.height = e.data.height + 'px';\n  }});\n</script>",
        escape_html(&src),
        js_string(&frame_origin),
    )
}

/// `scheme://host[:port]` of an absolute http(s) URL.
pub fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    if scheme != "https" && scheme != "http" {
        return None;
    }
    let host = rest.split(['/', '?', '#']).next()?;
    (!host.is_empty()).then(|| format!("{scheme}://{host}"))
}

/// Text safe inside a single-quoted JavaScript string in an HTML `<script>`.
fn js_string(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_ascii_alphanumeric() || ":/.-[]".contains(*c))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_matches_known_pairs() {
        assert!((contrast(Rgb::WHITE, Rgb(0, 0, 0)) - 21.0).abs() < 1e-9);
        assert!((contrast(Rgb::WHITE, Rgb::WHITE) - 1.0).abs() < 1e-9);
        // GOV.UK's own pairs, as WebAIM's checker gives them.
        assert_eq!(ratio_text(contrast(Rgb(0x1d, 0x70, 0xb8), Rgb::WHITE)), "5.1:1");
        assert_eq!(ratio_text(contrast(Rgb(0x00, 0x70, 0x3c), Rgb::WHITE)), "6.2:1");
        assert_eq!(ratio_text(contrast(Rgb(0xd4, 0x35, 0x1c), Rgb::WHITE)), "4.8:1");
        // #767676 is the lightest grey that meets 4.5:1 on white; #777777 does not.
        assert!(contrast(Rgb::parse("#767676").unwrap(), Rgb::WHITE) >= 4.5);
        assert!(contrast(Rgb::parse("#777").unwrap(), Rgb::WHITE) < 4.5);
        assert_eq!(ratio_text(4.4999), "4.4:1", "never rounded up past a minimum");
    }

    #[test]
    fn colours_parse_strictly() {
        assert_eq!(Rgb::parse("#FFF"), Some(Rgb::WHITE));
        assert_eq!(Rgb::parse(" #12436d "), Some(Rgb(0x12, 0x43, 0x6d)));
        for bad in ["", "#", "fff", "#ffff", "#gggggg", "#12345", "red", "#1234567", "#ffé"] {
            assert_eq!(Rgb::parse(bad), None, "{bad}");
        }
        assert_eq!(Rgb(0x12, 0x43, 0x6d).hex(), "#12436d");
    }

    #[test]
    fn the_default_theme_passes_and_a_pale_brand_is_flagged() {
        assert!(checks(&Theme::default()).iter().all(Check::passes));
        let pale = Theme {
            brand: Rgb::parse("#8fd3a5").unwrap(),
            ..Theme::default()
        };
        let failing: Vec<_> = checks(&pale)
            .into_iter()
            .filter(|c| !c.passes())
            .map(|c| (c.property, c.against))
            .collect();
        assert_eq!(failing, [("brand", "against.white"), ("brand", "against.background")]);
    }

    #[test]
    fn embed_code_escapes_what_people_type() {
        let c = EmbedChoices {
            embed_js: "https://www.example.gov.uk/survey-widget/0.1.0/embed.js".into(),
            survey: "/surveys/a\"b<c>.json".into(),
            endpoint: "https://collector.example.gov.uk/responses?x=1&y='2'".into(),
            parent_origin: "https://cms.example.gov.uk".into(),
            theme: Theme {
                brand: Rgb(0x12, 0x43, 0x6d),
                ..Theme::default()
            },
        };
        let element = element_code(&c);
        assert!(element.starts_with(
            "<script type=\"module\" src=\"https://www.example.gov.uk/survey-widget/0.1.0/embed.js\"></script>\n<council-survey src=\"/surveys/a&quot;b&lt;c&gt;.json\" endpoint=\"https://collector.example.gov.uk/responses?x=1&amp;y=&#39;2&#39;\"></council-survey>"
        ));
        assert!(element.ends_with("council-survey { --council-survey-brand: #12436d; }"));
        let frame = iframe_code(&c);
        assert!(frame.contains(
            "src=\"https://www.example.gov.uk/survey-widget/0.1.0/frame.html?survey=/surveys/a%22b%3Cc%3E.json&amp;parent-origin=https://cms.example.gov.uk&amp;endpoint=https://collector.example.gov.uk/responses%3Fx%3D1%26y%3D%272%27&amp;brand=%2312436d\""
        ));
        assert!(frame.contains("e.origin !== 'https://www.example.gov.uk'"));
        assert_eq!(frame.lines().count(), 10, "the documented ten lines");
        // A hostile address cannot break out of the snippet's script.
        let hostile = EmbedChoices {
            embed_js: "https://x.test'</script><script>alert(1)//embed.js".into(),
            ..EmbedChoices::default()
        };
        assert!(!iframe_code(&hostile).contains("</script><script>"));
        assert!(!element_code(&hostile).contains("</script><script>"));
    }

    #[test]
    fn origins() {
        assert_eq!(
            origin_of("https://a.gov.uk/x/embed.js").as_deref(),
            Some("https://a.gov.uk")
        );
        assert_eq!(
            origin_of("http://127.0.0.1:8080/").as_deref(),
            Some("http://127.0.0.1:8080")
        );
        assert_eq!(origin_of("javascript:alert(1)"), None);
        assert_eq!(origin_of("/relative/embed.js"), None);
    }
}
