//! Values across the JS boundary: JSON values to and from JS values, and
//! the text of a JS error.

use serde_json::Value;
use wasm_bindgen::JsValue;

/// A JSON value as a JS value (null if it does not convert).
pub fn to_js(value: &Value) -> JsValue {
    js_sys::JSON::parse(&value.to_string()).unwrap_or(JsValue::NULL)
}

/// A JS value as JSON (null for undefined, null, or what JSON cannot hold).
pub fn from_js(value: &JsValue) -> Value {
    if value.is_undefined() || value.is_null() {
        return Value::Null;
    }
    js_sys::JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or(Value::Null)
}

/// A JS error's message (or the value itself when it is text).
pub fn error_text(value: &JsValue) -> String {
    js_sys::Reflect::get(value, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .or_else(|| value.as_string())
        .unwrap_or_else(|| "unknown error".into())
}
