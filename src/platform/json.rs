//! The web build's JSON parser (issue #24): the browser's `JSON.parse`, walked into a
//! `serde_json::Value`, so a carer's first load carries no JSON parser of its own.
//! `core::text::json::parse` calls it; what it must agree with serde_json on is written there.
use crate::core::text::json::MAX_DEPTH;
use js_sys::{Array, JsString, Object};
use serde_json::{Map, Number, Value};
use wasm_bindgen::JsCast;

/// Parses `text` with `JSON.parse` and walks the result.
///
/// # Errors
/// The browser's description of the fault, or that text is not valid Unicode or nests too deeply.
pub fn parse(text: &str) -> Result<Value, String> {
    let parsed = js_sys::JSON::parse(text).map_err(|e| super::js_text(&e))?;
    walk(&parsed, 0)
}

fn walk(v: &wasm_bindgen::JsValue, depth: usize) -> Result<Value, String> {
    if v.is_null() {
        return Ok(Value::Null);
    }
    if let Some(b) = v.as_bool() {
        return Ok(Value::Bool(b));
    }
    if let Some(n) = v.as_f64() {
        return Ok(Value::Number(number(n)));
    }
    if let Some(s) = v.dyn_ref::<JsString>() {
        return text(s).map(Value::String);
    }
    if depth >= MAX_DEPTH {
        return Err(format!("nested more than {MAX_DEPTH} deep"));
    }
    if Array::is_array(v) {
        let items: &Array = v.unchecked_ref();
        let mut list = Vec::with_capacity(items.length() as usize);
        for item in items.iter() {
            list.push(walk(&item, depth + 1)?);
        }
        return Ok(Value::Array(list));
    }
    let mut map = Map::new();
    for entry in Object::entries(v.unchecked_ref()).iter() {
        let entry: Array = entry.unchecked_into();
        let key = text(entry.get(0).unchecked_ref())?;
        map.insert(key, walk(&entry.get(1), depth + 1)?);
    }
    Ok(Value::Object(map))
}

/// A whole number as serde_json holds one it parsed (an integer), anything else as a float.
fn number(n: f64) -> Number {
    // 2^63: the first whole number an i64 cannot hold.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    if n.fract() == 0.0 && (0.0..2.0 * LIMIT).contains(&n) {
        Number::from(n as u64)
    } else if n.fract() == 0.0 && (-LIMIT..0.0).contains(&n) {
        Number::from(n as i64)
    } else {
        Number::from_f64(n).unwrap_or_else(|| Number::from(0u8))
    }
}

/// A string's text, refused when it holds half of a surrogate pair (serde_json refuses
/// `"\ud800"`; `JSON.parse` keeps it).
fn text(s: &JsString) -> Result<String, String> {
    if s.is_valid_utf16() {
        Ok(String::from(s))
    } else {
        Err("a string that is not valid Unicode".into())
    }
}
