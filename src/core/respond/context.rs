//! Where a response was collected, when it was not on a person's own device: event mode's
//! `context`, which the session puts into the response it completes.

use serde_json::{Map, Value};

/// Where a response was collected: sent as the protocol's optional `context`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Context {
    /// The event's name.
    pub event: String,
    /// The event's random id.
    pub event_id: String,
    /// The device's label.
    pub device: String,
    /// The person walked away before sending; kept because the event was set up so.
    pub incomplete: bool,
}

impl Context {
    /// The protocol's `context` object.
    pub fn to_protocol(&self) -> Value {
        let mut map = Map::new();
        map.insert("mode".into(), "event".into());
        map.insert("event".into(), self.event.as_str().into());
        map.insert("eventId".into(), self.event_id.as_str().into());
        map.insert("device".into(), self.device.as_str().into());
        if self.incomplete {
            map.insert("incomplete".into(), true.into());
        }
        Value::Object(map)
    }

    /// Reads a stored or received `context`.
    pub fn from_protocol(v: &Value) -> Option<Self> {
        let text = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
        Some(Context {
            event: text("event")?,
            event_id: text("eventId").unwrap_or_default(),
            device: text("device").unwrap_or_default(),
            incomplete: v.get("incomplete").and_then(Value::as_bool).unwrap_or(false),
        })
    }
}
