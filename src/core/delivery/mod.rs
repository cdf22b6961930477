//! Getting a completed response to the council exactly once: the protocol's request body and
//! its checks, and the outbox state machine with its retry policy. Depends on `respond`.

pub mod outbox;
pub mod protocol;
