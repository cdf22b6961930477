//! Replies every route shares: the body type, JSON problem replies with their status codes,
//! `Retry-After`, dropping a connection on purpose, and the allowed-origin check.

use crate::auth::Denied;
use crate::export::Chunks;
use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use hyper::header::{self, HeaderValue};
use hyper::{Response, StatusCode};
use serde_json::{json, Value};
use std::pin::Pin;
use std::task::{Context, Poll};

/// A reply body: bytes known up front, or chunks of an export as they are made.
pub enum ReplyBody {
    /// The whole body.
    Full(Option<Bytes>),
    /// An export in progress.
    Stream(Chunks),
}

impl Body for ReplyBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        match self.get_mut() {
            Self::Full(bytes) => Poll::Ready(bytes.take().map(|b| Ok(Frame::data(b)))),
            Self::Stream(chunks) => chunks.poll_recv(cx).map(|c| c.map(|c| c.map(Frame::data))),
        }
    }

    fn is_end_stream(&self) -> bool {
        matches!(self, Self::Full(None))
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            Self::Full(bytes) => SizeHint::with_exact(bytes.as_ref().map_or(0, |b| b.len() as u64)),
            Self::Stream(_) => SizeHint::default(),
        }
    }
}

/// A reply; `Err` drops the connection without one (the fault mode).
pub(crate) type Reply = Response<ReplyBody>;

/// Marks a reply that must not be sent: the connection is dropped instead.
#[derive(Clone, Copy, Debug)]
pub(crate) struct DropConnection;

pub(crate) fn reply(status: StatusCode, content_type: &'static str, body: impl Into<Bytes>) -> Reply {
    let mut response = Response::new(ReplyBody::Full(Some(body.into())));
    *response.status_mut() = status;
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    // Replies can carry personal data or counts: never kept by a cache on the way.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}

pub(crate) fn json_reply(status: StatusCode, value: &Value) -> Reply {
    reply(status, "application/json", value.to_string())
}

/// A JSON problem reply: `{"status", "title", "problems": [...]}`.
pub(crate) fn problem(status: StatusCode, problems: &[String]) -> Reply {
    json_reply(
        status,
        &json!({ "status": status.as_u16(), "title": status.canonical_reason(), "problems": problems }),
    )
}

/// A problem reply to `POST /responses`, which also says `"received": false`.
pub(crate) fn refused(status: StatusCode, problems: &[String]) -> Reply {
    json_reply(
        status,
        &json!({
            "received": false,
            "status": status.as_u16(),
            "title": status.canonical_reason(),
            "problems": problems,
        }),
    )
}

pub(crate) fn with_retry_after(mut reply: Reply, seconds: u32) -> Reply {
    reply
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    reply
}

pub(crate) fn closing(mut reply: Reply) -> Reply {
    // The rest of the body is not read, so the connection cannot carry another request.
    reply
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    reply
}

pub(crate) fn method_not_allowed(allow: &'static str) -> Reply {
    let mut reply = problem(StatusCode::METHOD_NOT_ALLOWED, &[format!("use {allow}")]);
    reply
        .headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static(allow));
    reply
}

pub(crate) fn not_found() -> Reply {
    problem(StatusCode::NOT_FOUND, &["there is nothing here".into()])
}

/// 503 for a request over the cap; `to_responses` adds `"received": false` for the widget.
pub(crate) fn overloaded(seconds: u32, to_responses: bool) -> Reply {
    let problems = ["the collector is busy; try again after Retry-After seconds".to_owned()];
    let reply = if to_responses {
        refused(StatusCode::SERVICE_UNAVAILABLE, &problems)
    } else {
        problem(StatusCode::SERVICE_UNAVAILABLE, &problems)
    };
    with_retry_after(reply, seconds)
}

pub(crate) fn denied(why: Denied) -> Reply {
    let (status, text) = match why {
        Denied::Missing => (
            StatusCode::UNAUTHORIZED,
            "this needs an API token: Authorization: Bearer …",
        ),
        Denied::Invalid => (
            StatusCode::UNAUTHORIZED,
            "the API token is not valid or has been revoked",
        ),
        Denied::Store(e) => {
            eprintln!("collector: database error checking a token: {e}");
            return with_retry_after(
                problem(
                    StatusCode::SERVICE_UNAVAILABLE,
                    &["the collector cannot check tokens now".into()],
                ),
                5,
            );
        }
    };
    let mut reply = problem(status, &[text.into()]);
    reply.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"survey-collector\""),
    );
    reply
}

/// The `Access-Control-Allow-Origin` value for a request's origin, if it is allowed.
pub(crate) fn allowed_origin(origins: &[String], origin: Option<&HeaderValue>) -> Option<HeaderValue> {
    let origin = origin?;
    let text = origin.to_str().ok()?;
    if origins.iter().any(|o| o == "*") {
        Some(HeaderValue::from_static("*"))
    } else {
        origins.iter().any(|o| o == text).then(|| origin.clone())
    }
}
