//! Tests of the tokenizer (fed in chunks of every size), the delimiter
//! sniffer and the writer.

use super::*;

/// Tokenizes `input` fed in chunks of `chunk` bytes, like the browser does.
fn records(input: &[u8], chunk: usize) -> Result<Vec<(u64, Vec<String>)>, CsvError> {
    let mut tok = Tokenizer::new(b',');
    let mut out = Vec::new();
    let mut buf: Vec<u8> = Vec::new();
    let mut fed = 0;
    loop {
        let next = (fed + chunk).min(input.len());
        buf.extend_from_slice(&input[fed..next]);
        fed = next;
        let eof = fed == input.len();
        let used = tok.parse(&buf, eof, |r| {
            out.push((
                r.line,
                r.fields()
                    .map(|f| String::from_utf8_lossy(f).into_owned())
                    .collect(),
            ))
        })?;
        buf.drain(..used);
        if eof {
            assert!(buf.is_empty(), "bytes left after eof");
            return Ok(out);
        }
    }
}

fn rows(input: &str) -> Vec<Vec<String>> {
    let whole = records(input.as_bytes(), usize::MAX / 2).unwrap();
    for chunk in [1, 2, 3, 7] {
        assert_eq!(
            records(input.as_bytes(), chunk).unwrap(),
            whole,
            "chunk size {chunk}"
        );
    }
    whole.into_iter().map(|(_, r)| r).collect()
}

#[test]
fn splits_plain_fields_and_lines() {
    assert_eq!(rows("a,b\n1,2\n"), vec![vec!["a", "b"], vec!["1", "2"]]);
    assert_eq!(rows("a,b\n1,2"), vec![vec!["a", "b"], vec!["1", "2"]]);
    assert_eq!(rows("a,,\n"), vec![vec!["a", "", ""]]);
}

#[test]
fn handles_quotes_commas_newlines_and_doubled_quotes() {
    let r = rows("name,note\n\"Smith, J\",\"said \"\"hi\"\"\nthen left\"\nx,\"\"\n");
    assert_eq!(r[1], vec!["Smith, J", "said \"hi\"\nthen left"]);
    assert_eq!(r[2], vec!["x", ""]);
}

#[test]
fn handles_crlf_and_lone_cr() {
    assert_eq!(rows("a,b\r\n1,2\r\n"), vec![vec!["a", "b"], vec!["1", "2"]]);
    assert_eq!(rows("a,b\r1,2"), vec![vec!["a", "b"], vec!["1", "2"]]);
}

#[test]
fn skips_blank_lines_but_counts_them() {
    let r = records(b"a\n\n1\n\r\n\n", 4).unwrap();
    assert_eq!(
        r,
        vec![(1, vec!["a".to_string()]), (3, vec!["1".to_string()])]
    );
    // A quoted empty field is a value, not a blank line.
    assert_eq!(rows("a\n\"\"\n"), vec![vec!["a"], vec![""]]);
}

#[test]
fn line_numbers_count_newlines_inside_quotes() {
    let r = records(b"h\n\"x\ny\nz\"\nnext\n", 3).unwrap();
    assert_eq!(r[1].0, 2);
    assert_eq!(r[2].0, 5);
}

#[test]
fn reports_record_end_offsets_and_multiline_fields() {
    let mut tok = Tokenizer::new(b',');
    let mut ends = Vec::new();
    let input = b"a,b\r\n1,2\n";
    let used = tok
        .parse(&input[..6], false, |r| ends.push(r.end_offset))
        .unwrap();
    tok.parse(&input[used..], true, |r| ends.push(r.end_offset))
        .unwrap();
    assert_eq!(ends, vec![5, 9]);
    assert!(!tok.saw_multiline_fields());
    let mut tok = Tokenizer::new(b',');
    tok.parse(b"a\n\"x\ny\"\n", true, |_| {}).unwrap();
    assert!(tok.saw_multiline_fields());
}

#[test]
fn reports_an_unterminated_quote_with_its_line() {
    assert_eq!(
        records(b"a\nb\n\"open\n", 2).unwrap_err(),
        CsvError::UnterminatedQuote { line: 3 }
    );
}

#[test]
fn keeps_text_after_a_closing_quote() {
    assert_eq!(rows("\"ab\"cd,e\n"), vec![vec!["abcd", "e"]]);
}

#[test]
fn finds_field_ends_at_every_offset() {
    for text in [
        "abcdefghijklmnop,q",
        "a\rbcdefghijklmnop",
        "abcdefgh\n",
        "no end here at all",
        "\u{e9}\u{e9}\u{e9}\u{e9}\u{e9},x",
    ] {
        let bytes = text.as_bytes();
        for start in 0..bytes.len() {
            let naive = (start..bytes.len())
                .find(|&i| matches!(bytes[i], b',' | b'\n' | b'\r'))
                .unwrap_or(bytes.len());
            assert_eq!(
                find_field_end(bytes, start, b','),
                naive,
                "{text:?} from {start}"
            );
        }
    }
}

#[test]
fn sniffs_delimiters() {
    assert_eq!(sniff_delimiter(b"a;b;c\n1;2;3\n"), b';');
    assert_eq!(sniff_delimiter(b"a\tb\n1\t2\n"), b'\t');
    assert_eq!(sniff_delimiter(b"a,b\n\"1;2\",3\n"), b',');
    assert_eq!(sniff_delimiter(b"\"x, y\";z\n\"1,2\";3\n"), b';');
    assert_eq!(sniff_delimiter(b"single\n1\n"), b',');
}

#[test]
fn writes_fields_that_read_back() {
    let mut out = String::new();
    write_row(
        &mut out,
        [Some("a,b"), None, Some("say \"x\""), Some("two\nlines")],
    );
    let back = rows(&out);
    assert_eq!(back, vec![vec!["a,b", "", "say \"x\"", "two\nlines"]]);
}
