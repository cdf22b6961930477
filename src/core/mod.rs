//! The pure survey engine: definitions, answers, validation, skip logic, routing and the
//! message catalogue.
//!
//! Nothing here touches the browser, reads a clock or draws random numbers: the current date,
//! timestamps and entropy are arguments, so every rule is tested natively and deterministically.
#![deny(missing_docs)]

pub mod answer;
pub mod condition;
pub mod csv;
pub mod date;
pub mod definition;
pub mod dictionary;
pub mod event;
pub mod ids;
pub mod load;
pub mod messages;
pub mod outbox;
pub mod outcomes;
pub mod pattern;
pub mod protocol;
pub mod record;
pub mod reference;
pub mod session;
pub mod storage;
pub mod summary;
pub mod theme;
pub mod validate;
pub mod view;

pub use answer::{Answer, DatePart, Edit};
pub use condition::Condition;
pub use date::Date;
pub use definition::{Question, QuestionKind, Survey};
pub use ids::{PageId, QuestionId, SurveyId};
pub use load::{load_survey, DefinitionError, DefinitionErrorKind, DefinitionErrors};
pub use messages::{Catalogue, MsgKey};
pub use session::{Command, CompletedResponse, Env, Outcome, Screen, Session};
