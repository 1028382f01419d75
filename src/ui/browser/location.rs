//! The page address's query parameters (`?data=`, `?lab=`, `?embed=`, …).

/// A parameter as written, even when empty (`?embed`).
pub fn raw_param(name: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search)
        .ok()?
        .get(name)
}

/// A parameter with a value.
pub fn query_param(name: &str) -> Option<String> {
    raw_param(name).filter(|v| !v.trim().is_empty())
}
