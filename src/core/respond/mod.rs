//! One person answering: the session (routing, progress, the commands that move it on), the
//! plain-data views the components render, reference codes and the context a response carries.
//! Depends on `survey` and `text`.

pub mod context;
pub mod field;
pub mod language;
pub mod reference;
pub mod session;
pub mod view;
