//! How a collector is set up: allowed origins, the surveys it takes responses for, limits that
//! keep one client from stalling it, and the fault mode used by tests.
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;
use survey_widget::core::Survey;

/// How the collector is set up.
#[derive(Clone, Debug)]
pub struct Config {
    /// Origins whose pages may post responses (CORS); `*` allows any.
    pub origins: Vec<String>,
    /// The surveys taken, when `--surveys` is given. `Collector::new` takes them, adds the
    /// published versions, and from then on `Collector::surveys` is the set in use.
    pub surveys: Surveys,
    /// Limits and timeouts.
    pub limits: Limits,
    /// Failure injection.
    pub faults: Faults,
    /// Counts under this are withheld from anything published (default 5).
    pub threshold: u64,
    /// The name the public feeds give as their author, e.g. "Westmorland and Furness Council".
    pub publisher: String,
    /// Leave `Secure` off the console's cookies: only for the local demo over plain HTTP.
    pub insecure_cookies: bool,
    /// Reference lookups allowed per client address per minute.
    pub lookups_per_minute: u32,
    /// Proxies whose `X-Forwarded-For` names the client (`--trusted-proxy`): from any other
    /// peer the header is ignored, since anyone can send it.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Where the public reaches the collector (`--public-url`, e.g.
    /// `https://collect.council.gov.uk`), without a trailing slash: the base of every absolute
    /// link it writes. Never taken from a request's `Host`, which the sender chooses.
    pub public_url: String,
    /// The council's own jargon (`--jargon FILE`, a word or phrase a line), added to the
    /// advice's list when a survey is checked for publishing (issue #25).
    pub jargon: Vec<String>,
}

/// A jargon file's words: one word or phrase a line; blank lines and lines starting `#` are
/// left out.
pub fn jargon_words(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

/// Whether `url` can be a `--public-url`: `https://` (or `http://`) and a host, with an
/// optional path, no query, fragment, spaces or trailing slash.
pub fn is_public_url(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://")) else {
        return false;
    };
    let host = rest.split('/').next().unwrap_or("");
    !host.is_empty()
        && !url.ends_with('/')
        && rest
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._~/:[]%".contains(c))
}

impl Default for Config {
    fn default() -> Self {
        Self {
            origins: Vec::new(),
            surveys: Surveys::default(),
            limits: Limits::default(),
            faults: Faults::default(),
            threshold: 5,
            publisher: "The council".into(),
            insecure_cookies: false,
            lookups_per_minute: 10,
            trusted_proxies: Vec::new(),
            public_url: "http://127.0.0.1:8787".into(),
            jargon: Vec::new(),
        }
    }
}

/// Limits and timeouts. The defaults suit a council's survey on one small server.
#[derive(Clone, Debug, PartialEq)]
pub struct Limits {
    /// Largest request body; a larger declared `Content-Length` is refused before reading.
    pub max_body_bytes: usize,
    /// Longest wait for a request's headers. hyper starts this clock as soon as a connection
    /// is ready for its next request, so it also closes kept-alive connections left idle.
    pub header_timeout: Duration,
    /// Longest time to receive a whole request body.
    pub body_timeout: Duration,
    /// Open connections at most; one more is answered 503 and closed.
    pub max_connections: usize,
    /// Requests handled at once at most (exports count until their last byte); one more is
    /// answered 503.
    pub max_requests: usize,
    /// `Retry-After` seconds sent when shedding load.
    pub retry_after_secs: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_body_bytes: 2 * 1024 * 1024,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
            max_connections: 4096,
            max_requests: 256,
            retry_after_secs: 5,
        }
    }
}

/// Failure injection for tests. Fractions are of `POST /responses` requests.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Faults {
    /// Fraction answered 500 or 503 (with `Retry-After`) without storing.
    pub fail: f64,
    /// Fraction stored and then answered by dropping the connection.
    pub drop: f64,
    /// Fraction held without a reply for [`HANG`] (longer than the widget waits), then
    /// answered 503 without storing: a server that hangs now and then (issue #24).
    pub hang: f64,
    /// Delay before every reply.
    pub delay: Duration,
    /// `Retry-After` seconds sent with injected failures.
    pub retry_after_secs: u32,
    /// Seed of the fault dice, so a run can be repeated.
    pub seed: u64,
}

/// How long a hanging fault holds a request: past the widget's 30-second timeout.
pub const HANG: Duration = Duration::from_secs(40);

/// Why the collector could not start.
#[derive(Debug)]
pub enum StartError {
    /// The store could not be opened.
    Store(crate::store::StoreError),
    /// A survey definition could not be read.
    Survey(String),
}

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Store(e) => write!(f, "database: {e}"),
            Self::Survey(e) => write!(f, "survey definitions: {e}"),
        }
    }
}

impl std::error::Error for StartError {}

/// The survey definitions the collector knows, every version of each.
#[derive(Clone, Debug, Default)]
pub struct Surveys {
    by_id: BTreeMap<String, Vec<Survey>>,
    /// Each version in its other languages (issue #23), keyed by survey id and version, for
    /// the data dictionary's labels per language.
    translations: BTreeMap<(String, String), Vec<Survey>>,
    given: bool,
}

impl Surveys {
    /// Reads survey definitions from files and folders (every `*.json` in a folder). Several
    /// versions of one survey may be given: answers are checked against the version they
    /// name. Once any are given, responses to other surveys are refused.
    ///
    /// # Errors
    /// When a path cannot be read or a file is not a valid definition.
    pub fn load(paths: &[&Path]) -> Result<Self, StartError> {
        let mut surveys = Self {
            by_id: BTreeMap::new(),
            translations: BTreeMap::new(),
            given: true,
        };
        for path in paths {
            if path.is_dir() {
                let entries =
                    std::fs::read_dir(path).map_err(|e| StartError::Survey(format!("{}: {e}", path.display())))?;
                let mut files: Vec<_> = entries
                    .flatten()
                    .map(|e| e.path())
                    .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("json"))
                    .collect();
                files.sort();
                for file in files {
                    surveys.add_file(&file)?;
                }
            } else {
                surveys.add_file(path)?;
            }
        }
        Ok(surveys)
    }

    fn add_file(&mut self, path: &Path) -> Result<(), StartError> {
        let text = std::fs::read_to_string(path).map_err(|e| StartError::Survey(format!("{}: {e}", path.display())))?;
        let (survey, others) = Self::read(&text).map_err(|e| StartError::Survey(format!("{}: {e}", path.display())))?;
        self.translations
            .insert((survey.id.0.clone(), survey.version.clone()), others);
        self.add(survey);
        Ok(())
    }

    /// A definition's text read in its default language and in each of the others.
    fn read(text: &str) -> Result<(Survey, Vec<Survey>), survey_widget::core::DefinitionErrors> {
        use survey_widget::core::survey::load::{load_survey_in, load_survey_value, parse};
        let value = parse(text)?;
        let survey = load_survey_value(&value)?;
        let mut others = Vec::new();
        for language in survey.languages.iter().skip(1) {
            others.push(load_survey_in(&value, &[language.code.as_str()])?);
        }
        Ok((survey, others))
    }

    /// Adds a version published through the collector (issue #25). Unlike a `--surveys` file
    /// it does not close the list: a collector that publishes some surveys may still take
    /// responses to surveys served as static files.
    ///
    /// # Errors
    /// When the definition does not load.
    pub fn add_published(&mut self, text: &str) -> Result<(), StartError> {
        let (survey, others) = Self::read(text).map_err(|e| StartError::Survey(e.to_string()))?;
        self.translations
            .insert((survey.id.0.clone(), survey.version.clone()), others);
        let given = self.given;
        self.add(survey);
        self.given = given;
        Ok(())
    }

    /// Adds one definition (a later one of the same id and version replaces the earlier).
    pub fn add(&mut self, survey: Survey) {
        self.given = true;
        let versions = self.by_id.entry(survey.id.0.clone()).or_default();
        versions.retain(|s| s.version != survey.version);
        versions.push(survey);
    }

    /// Whether definitions were given, so that responses to other surveys are refused.
    pub fn is_closed_list(&self) -> bool {
        self.given
    }

    /// Whether the survey with this id is known.
    pub fn knows(&self, id: &str) -> bool {
        self.by_id.contains_key(id)
    }

    /// The definition of one version of a survey.
    pub fn version(&self, id: &str, version: &str) -> Option<&Survey> {
        self.by_id.get(id)?.iter().find(|s| s.version == version)
    }

    /// The largest body a response to version `version` of survey `id` can need
    /// ([`survey_widget::core::delivery::protocol::body_limit`]), if the survey is known. For a version
    /// the collector was not given (a response it will hold), twice the largest of the
    /// versions it knows: a new version may ask a little more, and its answers must not be
    /// refused as too large and left stuck on the device.
    pub fn body_limit(&self, id: &str, version: &str) -> Option<usize> {
        let versions = self.by_id.get(id)?;
        if let Some(known) = versions.iter().find(|s| s.version == version) {
            return Some(survey_widget::core::delivery::protocol::body_limit(known));
        }
        versions
            .iter()
            .map(survey_widget::core::delivery::protocol::body_limit)
            .max()
            .map(|n| n.saturating_mul(2))
    }

    /// The definition given last for a survey: the one the console's figures follow.
    pub fn latest(&self, id: &str) -> Option<&Survey> {
        self.by_id.get(id)?.last()
    }

    /// One version in each of its languages, the default first.
    pub fn in_every_language<'a>(&'a self, survey: &'a Survey) -> Vec<&'a Survey> {
        let mut all = vec![survey];
        if let Some(others) = self.translations.get(&(survey.id.0.clone(), survey.version.clone())) {
            all.extend(others);
        }
        all
    }

    /// Every known version of a survey, in the order given.
    pub fn versions_of(&self, id: &str) -> &[Survey] {
        self.by_id.get(id).map_or(&[], Vec::as_slice)
    }

    /// Every known survey id with its versions.
    pub fn list(&self) -> impl Iterator<Item = (&str, Vec<&str>)> {
        self.by_id
            .iter()
            .map(|(id, versions)| (id.as_str(), versions.iter().map(|s| s.version.as_str()).collect()))
    }

    /// The answer columns of a survey: the answerable questions of every known version, in
    /// the order of the first version given, then questions only later versions have.
    pub fn columns(&self, id: &str) -> Vec<String> {
        let mut columns: Vec<String> = Vec::new();
        for survey in self.by_id.get(id).into_iter().flatten() {
            survey_widget::core::analysis::csv::answer_columns(survey, &mut columns);
        }
        columns
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_urls_are_plain_addresses() {
        assert!(is_public_url("https://collect.council.gov.uk"));
        assert!(is_public_url("https://www.council.gov.uk/collector"));
        assert!(is_public_url("http://127.0.0.1:8787"));
        for bad in [
            "collect.council.gov.uk",
            "https://",
            "https://a.gov.uk/",
            "https://a.gov.uk/?x=1",
            "https://a\"><x",
            "javascript:alert(1)",
        ] {
            assert!(!is_public_url(bad), "{bad}");
        }
    }
}
