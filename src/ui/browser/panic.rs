//! A panic hook that puts a visible message on the page instead of leaving
//! it blank, and logs the details to the console.

use wasm_bindgen::JsCast;

pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        let message = info.to_string();
        web_sys::console::error_1(&format!("Churnlab internal error: {message}").into());
        show(&message);
    }));
}

pub fn show(message: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(body) = document.body() else { return };
    let Ok(panel) = document.create_element("div") else {
        return;
    };
    panel.set_class_name("panic");
    let _ = panel.set_attribute("role", "alert");
    let _ = panel.set_attribute("data-testid", "panic-message");
    // Text only: the message may contain user data.
    panel.set_text_content(Some(&format!(
        "Churnlab hit an internal error and stopped. Reload the page to continue; your saved data is kept.\n\nDetails: {message}"
    )));
    if let Ok(el) = panel.dyn_into::<web_sys::HtmlElement>() {
        let _ = body.append_child(&el);
    }
}
