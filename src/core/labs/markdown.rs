//! The little Markdown a lab's text and a project's README use, read into
//! blocks for the UI to build as elements (never as HTML): headings (`#` to
//! `###`), paragraphs, bullet lists and code blocks, with `code` and
//! **bold** inside lines.

#[derive(Clone, Debug, PartialEq)]
pub enum Inline {
    Text(String),
    Code(String),
    Bold(String),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    /// A heading of level 1 to 3.
    Heading(u8, Vec<Inline>),
    Paragraph(Vec<Inline>),
    List(Vec<Vec<Inline>>),
    Code(String),
}

/// Splits a line at `code` and **bold** marks; an unclosed mark stays text.
pub fn inlines(text: &str) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut rest = text;
    let mut plain = String::new();
    while !rest.is_empty() {
        let (mark, make): (&str, fn(String) -> Inline) = if rest.starts_with("**") {
            ("**", Inline::Bold)
        } else if rest.starts_with('`') {
            ("`", Inline::Code)
        } else {
            ("", Inline::Text)
        };
        if !mark.is_empty() {
            if let Some(end) = rest[mark.len()..].find(mark) {
                if !plain.is_empty() {
                    out.push(Inline::Text(std::mem::take(&mut plain)));
                }
                out.push(make(rest[mark.len()..mark.len() + end].to_owned()));
                rest = &rest[mark.len() * 2 + end..];
                continue;
            }
        }
        let c = rest.chars().next().unwrap_or(' ');
        plain.push(c);
        rest = &rest[c.len_utf8()..];
    }
    if !plain.is_empty() {
        out.push(Inline::Text(plain));
    }
    out
}

/// A heading line's level and text: one to three `#` and a space.
fn heading(line: &str) -> Option<(u8, &str)> {
    let hashes = line.bytes().take_while(|b| *b == b'#').count();
    let rest = line[hashes..].strip_prefix(' ')?;
    (1..=3)
        .contains(&hashes)
        .then_some((hashes as u8, rest.trim()))
}

/// Reads a step's text (or a README) into blocks.
pub fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut para: Vec<String> = Vec::new();
    let mut list: Vec<Vec<Inline>> = Vec::new();
    let mut code: Option<Vec<&str>> = None;
    let flush = |para: &mut Vec<String>, list: &mut Vec<Vec<Inline>>, out: &mut Vec<Block>| {
        if !para.is_empty() {
            out.push(Block::Paragraph(inlines(&para.join(" "))));
            para.clear();
        }
        if !list.is_empty() {
            out.push(Block::List(std::mem::take(list)));
        }
    };
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            match code.take() {
                Some(lines) => out.push(Block::Code(lines.join("\n"))),
                None => {
                    flush(&mut para, &mut list, &mut out);
                    code = Some(Vec::new());
                }
            }
            continue;
        }
        if let Some(lines) = code.as_mut() {
            lines.push(line);
            continue;
        }
        let t = line.trim();
        if t.is_empty() {
            flush(&mut para, &mut list, &mut out);
        } else if let Some((level, text)) = heading(t) {
            flush(&mut para, &mut list, &mut out);
            out.push(Block::Heading(level, inlines(text)));
        } else if let Some(item) = t.strip_prefix("- ").or_else(|| t.strip_prefix("* ")) {
            if !para.is_empty() {
                let p = std::mem::take(&mut para);
                out.push(Block::Paragraph(inlines(&p.join(" "))));
            }
            list.push(inlines(item));
        } else if !list.is_empty() && line.starts_with("  ") {
            if let Some(last) = list.last_mut() {
                last.extend(inlines(&format!(" {t}")));
            }
        } else {
            if !list.is_empty() {
                out.push(Block::List(std::mem::take(&mut list)));
            }
            para.push(t.to_owned());
        }
    }
    if let Some(lines) = code {
        out.push(Block::Code(lines.join("\n")));
    }
    flush(&mut para, &mut list, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_of_one_to_three_marks_stand_alone() {
        let b = blocks("# Churn\nWho leaves.\n## Why **now**\n#### four\n#nospace");
        assert_eq!(
            b,
            vec![
                Block::Heading(1, vec![Inline::Text("Churn".into())]),
                Block::Paragraph(vec![Inline::Text("Who leaves.".into())]),
                Block::Heading(
                    2,
                    vec![Inline::Text("Why ".into()), Inline::Bold("now".into())]
                ),
                Block::Paragraph(vec![Inline::Text("#### four #nospace".into())]),
            ]
        );
    }

    #[test]
    fn paragraphs_lists_code_and_marks() {
        let b = blocks("Count the `churn` rows,\nthen **save** them.\n\n- one\n- two `x`\n  more\n\n```sql\nSELECT 1\n```\nAn *unclosed `mark");
        assert_eq!(
            b,
            vec![
                Block::Paragraph(vec![
                    Inline::Text("Count the ".into()),
                    Inline::Code("churn".into()),
                    Inline::Text(" rows, then ".into()),
                    Inline::Bold("save".into()),
                    Inline::Text(" them.".into())
                ]),
                Block::List(vec![
                    vec![Inline::Text("one".into())],
                    vec![
                        Inline::Text("two ".into()),
                        Inline::Code("x".into()),
                        Inline::Text(" more".into())
                    ]
                ]),
                Block::Code("SELECT 1".into()),
                Block::Paragraph(vec![Inline::Text("An *unclosed `mark".into())]),
            ]
        );
    }
}
