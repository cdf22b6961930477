//! The survey as its author wrote it: the definition and its loading (every rule checked,
//! every fault reported with its JSON path), ids, dates, conditions, patterns, answers and
//! the validation rules. Depends only on `text`.

pub mod advice;
pub mod answer;
pub mod condition;
pub mod date;
pub mod definition;
pub mod ids;
pub mod load;
pub mod paste;
pub mod pattern;
pub mod routes;
pub mod sheet;
pub mod validate;
