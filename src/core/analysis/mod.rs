//! What the council reads: the CSV and event export files, the analysis exports' columns and
//! data dictionary, and per-question summaries. Used by the collector and the officer console.

pub mod changes;
pub mod csv;
pub mod dictionary;
pub mod summary;
