//! Markdown as elements, never as HTML: a lab step's text and a project's
//! README, read by `core::labs::markdown`. Every piece of text is a text
//! node, so whatever the Markdown holds shows as written.

use leptos::prelude::*;

use crate::core::labs::markdown::{blocks, Block, Inline};

fn inline_view(parts: Vec<Inline>) -> impl IntoView {
    parts
        .into_iter()
        .map(|p| match p {
            Inline::Text(t) => view! { <span>{t}</span> }.into_any(),
            Inline::Code(t) => view! { <code>{t}</code> }.into_any(),
            Inline::Bold(t) => view! { <strong>{t}</strong> }.into_any(),
        })
        .collect_view()
}

/// `text` as elements. A heading of level 1 becomes an `<h{top}>`, level 2
/// the next one down, so the text's headings sit under the page's.
pub fn markdown_view(text: &str, top: u8) -> impl IntoView {
    blocks(text)
        .into_iter()
        .map(|b| match b {
            Block::Heading(level, parts) => match (top + level - 1).min(6) {
                ..=2 => view! { <h2>{inline_view(parts)}</h2> }.into_any(),
                3 => view! { <h3>{inline_view(parts)}</h3> }.into_any(),
                4 => view! { <h4>{inline_view(parts)}</h4> }.into_any(),
                5 => view! { <h5>{inline_view(parts)}</h5> }.into_any(),
                _ => view! { <h6>{inline_view(parts)}</h6> }.into_any(),
            },
            Block::Paragraph(p) => view! { <p>{inline_view(p)}</p> }.into_any(),
            Block::List(items) => view! { <ul>{items.into_iter().map(|i| view! { <li>{inline_view(i)}</li> }).collect_view()}</ul> }
            .into_any(),
            Block::Code(c) => view! {
                <pre>
                    <code>{c}</code>
                </pre>
            }.into_any(),
        })
        .collect_view()
}
