//! Small values checked the same way wherever they appear: links, language tags and endpoints.

/// Whether a link target is safe to put in an `href`.
pub fn is_safe_link(href: &str) -> bool {
    let lower = href.trim().to_ascii_lowercase();
    !href.chars().any(|c| c.is_control() || c.is_whitespace())
        && ["https://", "mailto:", "tel:"]
            .iter()
            .any(|scheme| lower.starts_with(scheme) && lower.len() > scheme.len())
}

/// Whether `tag` looks like a BCP 47 language tag: a 2–8 letter language, then subtags of
/// 1–8 letters or digits, 35 characters at most. It ends up in a `lang` attribute.
pub fn is_lang_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let language = parts.next().unwrap_or_default();
    tag.len() <= 35
        && (2..=8).contains(&language.len())
        && language.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Whether an endpoint URL may receive responses: https anywhere, http only on loopback.
pub fn is_allowed_endpoint(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    if url.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return false;
    }
    if let Some(rest) = lower.strip_prefix("https://") {
        return !rest.is_empty();
    }
    let Some(rest) = lower.strip_prefix("http://") else {
        return false;
    };
    let host_port = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = match host_port.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => host_port.split(':').next().unwrap_or_default(),
    };
    // Names under `.localhost` are loopback too (RFC 6761; browsers resolve them so).
    host == "localhost" || host.ends_with(".localhost") || host == "::1" || host.starts_with("127.")
}
