//! Survey widget: an accessible, offline-first survey renderer for UK councils.
//!
//! Layers, one direction (see `../shared/STYLE.md`): [`core`] is pure Rust and builds natively;
//! `platform` (browser calls), `app` (composition root) and `ui` (components) need a browser
//! and sit behind the `web` feature.
pub mod core;

#[cfg(feature = "web")]
pub mod app;
#[cfg(feature = "web")]
pub mod platform;
#[cfg(feature = "web")]
pub mod ui;
