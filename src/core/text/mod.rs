//! Words and their encodings, below everything else in core: the message catalogue (every
//! word the widget itself shows), and the HTML escaping and hex that several layers share.

pub mod encode;
pub mod json;
pub mod messages;
pub mod plural;

pub use encode::{escape_html, hex};
pub use messages::{fill, Catalogue, MsgKey, DEFAULT_LOCALE, LOCALES, LOCALES_IN_WORDS};
