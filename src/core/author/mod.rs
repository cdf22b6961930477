//! Shaping a survey without writing JSON (issue #25): the survey editor's rules. The editor
//! holds the survey as its JSON and changes only what the person changed, so a file opened
//! and saved unchanged is the same file, and every text in another language, every setting
//! the editor has no field for, stays as it was.
//!
//! - [`question`]: one question as the editor's pages ask for it (type, question, hint,
//!   options), read from and written back into its JSON;
//! - [`draft`]: the survey: adding, changing, moving and removing questions, routes, the
//!   survey's details, and the task list's statuses. Every change that would break the
//!   survey (a route on a question that would come after it, a question others depend on
//!   removed) is refused with the reason, leaving the survey as it was;
//! - [`comments`]: co-design: comments and suggested words from people who do not edit, and
//!   the officer's decisions, kept as the survey's history;
//! - [`store`]: what the editor keeps on the device;
//! - [`translations`]: translations to read again after their default-language text changed.

pub mod comments;
pub mod draft;
pub mod question;
pub mod store;
pub mod translations;
