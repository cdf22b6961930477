//! The pure survey engine, in folders by concern, each importing only those listed before it:
//!
//! - `text`: the message catalogue and shared encodings;
//! - `survey`: the definition, its loading and its rules;
//! - `respond`: one person's way through a survey and the views the components render;
//! - `delivery`: the protocol and the outbox that sends each response exactly once;
//! - `device`: what the device keeps and how;
//! - `event`: event mode (a shared tablet at a community event);
//! - `analysis`, `outcomes`, `embed`: exports and summaries, "you said, we did", themes and
//!   embed code.
//!
//! Nothing here touches the browser, reads a clock or draws random numbers: the current date,
//! timestamps and entropy are arguments, so every rule is tested natively and deterministically.
//! `tests/architecture.rs` fails when an import circle appears between the folders.
#![deny(missing_docs)]

pub mod analysis;
// The survey editor's rules (issue #25): in the editor's build and natively, never in the
// widget's, where an unused module still moved the bundle by 0.7 KB.
#[cfg(any(feature = "authoring", not(feature = "web")))]
pub mod author;
pub mod delivery;
pub mod device;
pub mod embed;
pub mod event;
pub mod outcomes;
pub mod respond;
pub mod survey;
pub mod text;

pub use respond::session::{Command, CompletedResponse, Env, Outcome, Screen, Session};
pub use survey::answer::{Answer, DatePart, Edit};
pub use survey::condition::Condition;
pub use survey::date::Date;
pub use survey::definition::{Question, QuestionKind, Survey};
pub use survey::ids::{PageId, QuestionId, SurveyId};
pub use survey::load::{load_survey, DefinitionError, DefinitionErrorKind, DefinitionErrors};
pub use text::{Catalogue, MsgKey};
