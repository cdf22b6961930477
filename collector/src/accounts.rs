//! Console accounts: passwords hashed with Argon2id, sessions in a cookie, CSRF tokens and
//! the back-off after wrong passwords.
//!
//! - Accounts are made from the command line only (`survey-collector user add NAME`), so the
//!   console has no sign-up page to attack.
//! - A session's secret lives only in the person's cookie (`Secure; HttpOnly; SameSite=Strict`);
//!   the store keeps its SHA-256 digest, as for API tokens, with the session's CSRF token.
//! - Every form carries a CSRF token: the session's once signed in, and before that (the
//!   sign-in form) a random value also set in a short-lived cookie, checked against each other.
//! - Wrong passwords for one account lock it for a time that doubles with each further failure,
//!   so guessing is slow even before Argon2's own cost.
use crate::auth::digest;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use hyper::header::COOKIE;
use hyper::HeaderMap;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The session cookie's name. The `__Host-` prefix makes browsers refuse it unless it is
/// `Secure`, has `Path=/` and no `Domain`, so a page on a sibling subdomain cannot plant one.
pub const SESSION_COOKIE: &str = "__Host-sc_session";
/// The cookie that carries the sign-in form's CSRF value, prefixed for the same reason.
pub const SIGN_IN_COOKIE: &str = "__Host-sc_signin";

/// The name a cookie is set and read under: without `Secure` (`--insecure-cookies`, the local
/// demo over plain HTTP) browsers refuse the `__Host-` prefix, so it is left off.
fn cookie_name(name: &str, secure: bool) -> &str {
    if secure {
        name
    } else {
        name.trim_start_matches("__Host-")
    }
}
/// How long a session lasts from sign-in: a working day.
pub const SESSION_SECONDS: i64 = 8 * 60 * 60;
/// Shortest password `user add` accepts (NCSC guidance favours length over rules).
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Wrong passwords allowed before an account is locked for a while.
pub const FREE_FAILURES: u32 = 3;
/// Longest lock after wrong passwords.
pub const MAX_LOCK: Duration = Duration::from_secs(15 * 60);

/// Why a password could not be hashed.
#[derive(Debug, thiserror::Error)]
pub enum HashError {
    /// The operating system gave no random bytes for the salt.
    #[error("no random bytes from the system: {0}")]
    Random(getrandom::Error),
    /// Argon2 refused (it does not for these parameters; kept typed all the same).
    #[error("hashing failed: {0}")]
    Argon2(argon2::password_hash::Error),
}

/// The PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`) of a password, with a random salt and
/// the crate's default parameters (OWASP's recommended minimum for Argon2id).
///
/// # Errors
/// [`HashError`] when there is no randomness.
pub fn hash_password(password: &str) -> Result<String, HashError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(HashError::Random)?;
    let salt = SaltString::encode_b64(&salt).map_err(HashError::Argon2)?;
    let hash = Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(HashError::Argon2)?;
    Ok(hash.to_string())
}

/// Whether `password` matches the stored PHC string.
pub fn verify_password(stored: &str, password: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// Spends as long as checking a real password, for a name that has no account, so the time
/// a refusal takes does not tell which names exist.
pub fn verify_nothing(password: &str) {
    static DUMMY: OnceLock<Option<String>> = OnceLock::new();
    if let Some(hash) = DUMMY.get_or_init(|| hash_password("not a real account").ok()) {
        let _ = verify_password(hash, password);
    }
}

/// Whether `name` is usable as an account name: 1–64 letters, digits, `.`, `_`, `-` or `@`.
pub fn is_user_name(name: &str) -> bool {
    (1..=64).contains(&name.len()) && name.chars().all(|c| c.is_ascii_alphanumeric() || "._-@".contains(c))
}

/// A new random secret (64 hex digits), for session cookies and CSRF tokens.
///
/// # Errors
/// When the operating system gives no random bytes.
pub fn new_secret() -> Result<String, getrandom::Error> {
    crate::auth::random_hex()
}

/// The digest a session is stored under.
pub fn session_digest(secret: &str) -> String {
    digest(secret)
}

/// The value of cookie `name` in a request (read under the name [`set_cookie`] sets it with
/// for `secure`); `None` when it is missing or when the request carries it more than once,
/// since then nobody can tell which one the console set (another page may have planted one
/// for a wider path or domain).
pub fn cookie<'h>(headers: &'h HeaderMap, name: &str, secure: bool) -> Option<&'h str> {
    let name = cookie_name(name, secure);
    let mut found = headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .filter(|(key, _)| *key == name)
        .map(|(_, value)| value);
    let first = found.next()?;
    found.next().is_none().then_some(first)
}

/// `Set-Cookie` for a cookie the console sets. `secure` is off only for the local demo over
/// plain HTTP on loopback (`--insecure-cookies`), when `name` loses its `__Host-` prefix.
pub fn set_cookie(name: &str, value: &str, max_age: i64, secure: bool) -> String {
    let name = cookie_name(name, secure);
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Strict{secure}")
}

/// Compares two secrets in time that does not depend on where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Seconds since the Unix epoch.
pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// How long an account stays locked after `failures` wrong passwords in a row: nothing for
/// the first [`FREE_FAILURES`], then 30 s, doubling each time, at most [`MAX_LOCK`].
pub fn lock_after(failures: u32) -> Duration {
    if failures < FREE_FAILURES {
        return Duration::ZERO;
    }
    let doublings = (failures - FREE_FAILURES).min(10);
    Duration::from_secs(30u64 << doublings).min(MAX_LOCK)
}

/// Wrong-password counts per account name, in memory (each instance counts its own; with
/// several instances behind a proxy, an attacker gets each instance's allowance).
///
/// Real accounts are counted apart from names that have none, so that no flood of made-up
/// names can push a real account's lock out. Made-up names are still counted (bounded, the
/// oldest forgotten first), so that a name with no account locks just as a real one does and
/// the replies never tell which names exist. Only names that could be accounts (at most 64
/// characters, [`is_user_name`]) are kept at all.
#[derive(Default)]
pub struct Backoff {
    accounts: Mutex<HashMap<String, (u32, Instant)>>,
    others: Mutex<HashMap<String, (u32, Instant)>>,
}

/// Most made-up names remembered; beyond it the one failed longest ago is forgotten.
pub const MAX_REMEMBERED: usize = 10_000;

impl Backoff {
    /// How long `name` is still locked, if it is.
    pub fn locked_for(&self, name: &str) -> Option<Duration> {
        if !is_user_name(name) {
            return None;
        }
        let key = name.to_ascii_lowercase();
        let entry = self
            .accounts
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&key)
            .copied()
            .or_else(|| self.others.lock().unwrap_or_else(|p| p.into_inner()).get(&key).copied());
        let (count, at) = entry?;
        let lock = lock_after(count);
        let passed = at.elapsed();
        (passed < lock).then(|| lock - passed)
    }

    /// Records a wrong password for `name`, which is a real account or not; returns how long
    /// it is now locked.
    pub fn failed(&self, name: &str, real: bool) -> Duration {
        if !is_user_name(name) {
            return lock_after(1);
        }
        let key = name.to_ascii_lowercase();
        let map = if real { &self.accounts } else { &self.others };
        let mut failures = map.lock().unwrap_or_else(|p| p.into_inner());
        if !real && failures.len() >= MAX_REMEMBERED && !failures.contains_key(&key) {
            let oldest = failures.iter().min_by_key(|(_, (_, at))| *at).map(|(k, _)| k.clone());
            if let Some(oldest) = oldest {
                failures.remove(&oldest);
            }
        }
        let entry = failures.entry(key).or_insert((0, Instant::now()));
        entry.0 = entry.0.saturating_add(1);
        entry.1 = Instant::now();
        lock_after(entry.0)
    }

    /// Forgets the failures of `name` after a right password.
    pub fn succeeded(&self, name: &str) {
        let key = name.to_ascii_lowercase();
        self.accounts.lock().unwrap_or_else(|p| p.into_inner()).remove(&key);
    }

    /// How many names are remembered: real accounts, and others.
    pub fn remembered(&self) -> (usize, usize) {
        (
            self.accounts.lock().unwrap_or_else(|p| p.into_inner()).len(),
            self.others.lock().unwrap_or_else(|p| p.into_inner()).len(),
        )
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn passwords_hash_with_argon2id_and_a_random_salt() {
        let a = hash_password("correct horse battery").unwrap();
        let b = hash_password("correct horse battery").unwrap();
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, b, "a random salt each time");
        assert!(verify_password(&a, "correct horse battery"));
        assert!(!verify_password(&a, "correct horse batterY"));
        assert!(!verify_password("not a hash", "x"));
    }

    #[test]
    fn the_lock_doubles_and_is_capped() {
        assert_eq!(lock_after(0), Duration::ZERO);
        assert_eq!(lock_after(2), Duration::ZERO);
        assert_eq!(lock_after(3), Duration::from_secs(30));
        assert_eq!(lock_after(4), Duration::from_secs(60));
        assert_eq!(lock_after(8), Duration::from_secs(900));
        assert_eq!(lock_after(u32::MAX), MAX_LOCK);
        let backoff = Backoff::default();
        assert_eq!(backoff.locked_for("Ann"), None);
        for _ in 0..3 {
            backoff.failed("ann", true);
        }
        assert!(backoff.locked_for("ANN").is_some(), "names compare without case");
        backoff.succeeded("Ann");
        assert_eq!(backoff.locked_for("ann"), None);
    }

    /// Issue #21: 250 KB names were kept whole, and at 10,000 names every lock was wiped.
    #[test]
    fn made_up_names_are_bounded_and_never_wipe_a_real_account_s_lock() {
        let backoff = Backoff::default();
        for _ in 0..3 {
            backoff.failed("ann", true);
        }
        let huge = "x".repeat(250_000);
        backoff.failed(&huge, false);
        assert_eq!(
            backoff.remembered(),
            (1, 0),
            "a name that cannot be an account is not kept"
        );
        for i in 0..MAX_REMEMBERED + 50 {
            backoff.failed(&format!("made-up-{i}"), false);
        }
        assert_eq!(backoff.remembered(), (1, MAX_REMEMBERED));
        assert!(backoff.locked_for("ann").is_some(), "the real account is still locked");
        assert_eq!(
            backoff.locked_for("made-up-0"),
            None,
            "the oldest made-up name went first"
        );
        for _ in 0..2 {
            backoff.failed("made-up-new", false);
        }
        assert!(
            !backoff.failed("made-up-new", false).is_zero(),
            "a made-up name locks as a real one does"
        );
    }

    #[test]
    fn cookies_are_read_and_set_safely() {
        let mut headers = HeaderMap::new();
        headers.insert(COOKIE, "a=1; __Host-sc_session=abc; b=2".parse().unwrap());
        assert_eq!(cookie(&headers, SESSION_COOKIE, true), Some("abc"));
        assert_eq!(cookie(&headers, "c", true), None);
        assert_eq!(cookie_name(SESSION_COOKIE, true), "__Host-sc_session");
        assert_eq!(cookie_name(SESSION_COOKIE, false), "sc_session");
        // Issue #21: with two, the first won; now neither does.
        headers.append(COOKIE, "__Host-sc_session=planted".parse().unwrap());
        assert_eq!(cookie(&headers, SESSION_COOKIE, true), None);
        let mut one_header = HeaderMap::new();
        one_header.insert(COOKIE, "sc_session=planted; sc_session=abc".parse().unwrap());
        assert_eq!(cookie(&one_header, SESSION_COOKIE, false), None);
        let set = set_cookie(SESSION_COOKIE, "abc", 60, true);
        assert!(set.contains("HttpOnly") && set.contains("SameSite=Strict") && set.contains("Secure"));
        assert!(!set_cookie(SESSION_COOKIE, "abc", 60, false).contains("Secure"));
        assert!(set_cookie(SESSION_COOKIE, "abc", 60, false).starts_with("sc_session=abc;"));
        assert!(same_secret("abc", "abc") && !same_secret("abc", "abd") && !same_secret("abc", "ab"));
        assert!(is_user_name("ann.smith@council") && !is_user_name("ann smith") && !is_user_name(""));
    }
}
