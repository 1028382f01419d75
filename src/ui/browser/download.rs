//! Saving a file the user asked for (CSV export, PNG export) through a
//! temporary object URL; nothing leaves the machine.

use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, Element, HtmlCanvasElement};

fn document() -> Result<web_sys::Document, String> {
    web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| "no document".to_owned())
}

fn click_link(file_name: &str, href: &str) -> Result<(), String> {
    let link: web_sys::HtmlAnchorElement = document()?
        .create_element("a")
        .map_err(|e| format!("{e:?}"))?
        .unchecked_into();
    link.set_href(href);
    link.set_download(file_name);
    link.click();
    Ok(())
}

/// Offers `bytes` as a download named `file_name`.
pub fn download(file_name: &str, mime: &str, bytes: &[u8]) -> Result<(), String> {
    download_parts(
        file_name,
        mime,
        &js_sys::Array::of1(&js_sys::Uint8Array::from(bytes)),
    )
}

/// Offers the concatenation of `parts` (byte arrays, made along the way by
/// a long job) as a download named `file_name`.
pub fn download_parts(file_name: &str, mime: &str, parts: &js_sys::Array) -> Result<(), String> {
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(parts, &options)
        .map_err(|e| format!("{e:?}"))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|e| format!("{e:?}"))?;
    click_link(file_name, &url)?;
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// A file name from a title: letters, digits and dashes.
pub fn file_stem(title: &str, fallback: &str) -> String {
    let stem: String = title
        .trim()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect::<String>()
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if stem.is_empty() {
        fallback.to_owned()
    } else {
        stem
    }
}

/// Offers a canvas's pixels as a PNG download.
pub fn download_canvas(canvas: &HtmlCanvasElement, file_name: &str) -> Result<(), String> {
    let url = canvas
        .to_data_url_with_type("image/png")
        .map_err(|e| format!("{e:?}"))?;
    click_link(file_name, &url)
}

fn context(canvas: &HtmlCanvasElement) -> Result<CanvasRenderingContext2d, String> {
    canvas
        .get_context("2d")
        .map_err(|e| format!("{e:?}"))?
        .ok_or("no 2d context")?
        .dyn_into::<CanvasRenderingContext2d>()
        .map_err(|_| "no 2d context".to_owned())
}

/// One picture of a dashboard: its title and subtitle over each visual's
/// title and chart, placed as they are on screen. `cards` are the visuals'
/// elements, each holding a chart canvas and a `data-title`.
pub fn compose_png(
    grid: &Element,
    title: &str,
    subtitle: &str,
    cards: &[Element],
) -> Result<HtmlCanvasElement, String> {
    let ratio = web_sys::window()
        .map_or(1.0, |w| w.device_pixel_ratio())
        .clamp(1.0, 4.0);
    let area = grid.get_bounding_client_rect();
    let header = 64.0;
    let out: HtmlCanvasElement = document()?
        .create_element("canvas")
        .map_err(|e| format!("{e:?}"))?
        .unchecked_into();
    out.set_width(((area.width() + 32.0) * ratio) as u32);
    out.set_height(((area.height() + header + 16.0) * ratio) as u32);
    let ctx = context(&out)?;
    ctx.scale(ratio, ratio).map_err(|e| format!("{e:?}"))?;
    ctx.set_fill_style_str("#ffffff");
    ctx.fill_rect(0.0, 0.0, area.width() + 32.0, area.height() + header + 16.0);
    ctx.set_fill_style_str("#1f2933");
    ctx.set_font("bold 20px sans-serif");
    ctx.fill_text(title, 16.0, 30.0)
        .map_err(|e| format!("{e:?}"))?;
    ctx.set_font("14px sans-serif");
    ctx.set_fill_style_str("#52606d");
    ctx.fill_text(subtitle, 16.0, 52.0)
        .map_err(|e| format!("{e:?}"))?;
    for card in cards {
        let Some(canvas) = card
            .query_selector("canvas")
            .ok()
            .flatten()
            .and_then(|c| c.dyn_into::<HtmlCanvasElement>().ok())
        else {
            continue;
        };
        let at = canvas.get_bounding_client_rect();
        let (x, y) = (
            at.left() - area.left() + 16.0,
            at.top() - area.top() + header,
        );
        if let Some(name) = card.get_attribute("data-title") {
            ctx.set_fill_style_str("#1f2933");
            ctx.set_font("bold 13px sans-serif");
            ctx.fill_text(&name, x, y - 6.0)
                .map_err(|e| format!("{e:?}"))?;
        }
        ctx.draw_image_with_html_canvas_element_and_dw_and_dh(
            &canvas,
            x,
            y,
            at.width(),
            at.height(),
        )
        .map_err(|e| format!("{e:?}"))?;
    }
    Ok(out)
}
