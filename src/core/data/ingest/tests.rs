use super::*;
use crate::data::csv::CsvError;
use crate::data::table::ColumnType;
use arrow_array::Array;

fn load(csv: &str) -> Result<(Table, Vec<IngestWarning>), IngestError> {
    load_bytes(csv.as_bytes())
}

/// Loads with several chunk sizes and checks they all agree.
fn load_bytes(bytes: &[u8]) -> Result<(Table, Vec<IngestWarning>), IngestError> {
    let whole = ingest_bytes(bytes, IngestOptions::new("t"), 1 << 20);
    for chunk in [1, 3, 64] {
        let chunked = ingest_bytes(bytes, IngestOptions::new("t"), chunk);
        match (&whole, &chunked) {
            (Ok((a, wa)), Ok((b, wb))) => {
                assert_eq!(cells(a), cells(b), "chunk {chunk}");
                assert_eq!(types(a), types(b), "chunk {chunk}");
                assert_eq!(wa, wb, "chunk {chunk}");
            }
            (Err(a), Err(b)) => assert_eq!(a, b, "chunk {chunk}"),
            _ => panic!("chunk {chunk} disagrees: {whole:?} vs {chunked:?}"),
        }
    }
    whole
}

fn types(t: &Table) -> Vec<ColumnType> {
    t.columns().iter().map(|c| c.column_type()).collect()
}

fn cells(t: &Table) -> Vec<Vec<Option<String>>> {
    (0..t.num_rows())
        .map(|r| t.columns().iter().map(|c| c.data.display(r)).collect())
        .collect()
}

fn names(t: &Table) -> Vec<&str> {
    t.columns().iter().map(|c| c.name.as_str()).collect()
}

#[test]
fn infers_each_type() {
    let (t, w) =
        load("i,f,b,c,s\n1,1.5,true,Yes,alpha\n2,,FALSE,No,beta\n-3,2,true,Yes,gamma\n").unwrap();
    assert!(w.is_empty());
    use ColumnType::*;
    assert_eq!(types(&t), vec![Integer, Float, Boolean, Categorical, Text]);
    assert_eq!(t.num_rows(), 3);
    assert_eq!(t.column("f").unwrap().data.null_count(), 1);
    assert_eq!(
        cells(&t)[2],
        vec![
            Some("-3".into()),
            Some("2.0".into()),
            Some("true".into()),
            Some("Yes".into()),
            Some("gamma".into())
        ]
    );
}

#[test]
fn null_tokens_become_nulls() {
    let (t, _) = load("a,b\n1,x\n NA ,null\nN/A,\n  ,x\n4,y\n").unwrap();
    assert_eq!(
        types(&t),
        vec![ColumnType::Integer, ColumnType::Categorical]
    );
    assert_eq!(t.column("a").unwrap().data.null_count(), 3);
    assert_eq!(t.column("b").unwrap().data.null_count(), 2);
}

#[test]
fn yes_no_stays_categorical_with_its_labels() {
    let (t, _) = load("Churn\nYes\nNo\nNo\n").unwrap();
    let col = &t.column("Churn").unwrap().data;
    assert_eq!(col.column_type(), ColumnType::Categorical);
    let labels: Vec<&str> = col.categories().unwrap().iter().flatten().collect();
    assert_eq!(labels, vec!["Yes", "No"]);
}

#[test]
fn handles_bom_crlf_quotes_and_trailing_blank_lines() {
    let csv = "\u{FEFF}id,note\r\n1,\"a, b\"\r\n2,\"line\nbreak \"\"q\"\"\"\r\n\r\n\r\n";
    let (t, w) = load(csv).unwrap();
    assert!(w.is_empty());
    assert_eq!(names(&t), vec!["id", "note"]);
    assert_eq!(t.num_rows(), 2);
    assert_eq!(cells(&t)[1][1].as_deref(), Some("line\nbreak \"q\""));
}

#[test]
fn sniffs_semicolons_and_tabs() {
    let (t, _) = load("a;b\n1;x\n2;y\n").unwrap();
    assert_eq!(names(&t), vec!["a", "b"]);
    let (t, _) = load("a\tb\n1\tx,y\n").unwrap();
    assert_eq!(cells(&t)[0][1].as_deref(), Some("x,y"));
}

#[test]
fn skips_ragged_rows_and_reports_their_lines() {
    let (t, w) = load("a,b\n1,2\n3\n4,5\n6,7,8\n9,10\n").unwrap();
    assert_eq!(t.num_rows(), 3);
    assert_eq!(
        w,
        vec![IngestWarning::RaggedRows {
            skipped: 2,
            expected_fields: 2,
            first_lines: vec![3, 5]
        }]
    );
    assert_eq!(
        w[0].to_string(),
        "Skipped 2 rows without exactly 2 fields: lines 3, 5."
    );
}

#[test]
fn keeps_only_the_first_ragged_lines() {
    let mut csv = String::from("a,b\n");
    for i in 0..20 {
        csv.push_str(if i % 2 == 0 { "1,2\n" } else { "1\n" });
    }
    let (_, w) = load(&csv).unwrap();
    let IngestWarning::RaggedRows {
        skipped,
        first_lines,
        ..
    } = &w[0]
    else {
        panic!()
    };
    assert_eq!(*skipped, 10);
    assert_eq!(first_lines, &vec![3, 5, 7, 9, 11]);
    assert!(w[0].to_string().ends_with(", …."));
}

#[test]
fn bad_inputs_say_what_and_where() {
    assert_eq!(load("").unwrap_err(), IngestError::Empty);
    assert_eq!(load("\u{FEFF}").unwrap_err(), IngestError::Empty);
    assert_eq!(
        load("\n\n  \n").unwrap_err(),
        IngestError::NoDataRows { skipped_rows: 0 }
    );
    assert_eq!(
        load_bytes(b"PK\x03\x04\x00\x00").unwrap_err(),
        IngestError::Binary { offset: 4 }
    );
    assert_eq!(
        load_bytes(b"a,b\n1,ok\n2,caf\xe9\n").unwrap_err(),
        IngestError::InvalidUtf8 {
            line: 3,
            column: "b".into()
        }
    );
    assert_eq!(
        load("1,2,3\n4,5,6\n").unwrap_err(),
        IngestError::NoHeader {
            numeric: 3,
            fields: 3,
            example: "1".into()
        }
    );
    assert_eq!(
        load("a,b\n").unwrap_err(),
        IngestError::NoDataRows { skipped_rows: 0 }
    );
    assert_eq!(
        load("a,b\n1\n2\n").unwrap_err(),
        IngestError::NoDataRows { skipped_rows: 2 }
    );
    assert_eq!(
        load("a,b\n1,2\n3,\"open\n4,5\n").unwrap_err(),
        IngestError::Csv(CsvError::UnterminatedQuote { line: 3 })
    );
    let msg = load_bytes(b"a,b\n1,caf\xe9\n").unwrap_err().to_string();
    assert!(msg.contains("Line 2") && msg.contains("\"b\""), "{msg}");
}

#[test]
fn invalid_utf8_in_a_text_column_after_the_sample() {
    let mut csv = b"id,name\n".to_vec();
    for i in 0..SAMPLE_ROWS + 5 {
        csv.extend_from_slice(format!("{i},name{i}\n").as_bytes());
    }
    csv.extend_from_slice(b"99,bad\xff\n");
    let line = SAMPLE_ROWS as u64 + 7;
    assert_eq!(
        load_bytes(&csv).unwrap_err(),
        IngestError::InvalidUtf8 {
            line,
            column: "name".into()
        }
    );
}

#[test]
fn memory_budget_stops_with_the_line_reached() {
    let mut csv = String::from("a,b\n");
    for i in 0..50_000 {
        csv.push_str(&format!("{i},text number {i}\n"));
    }
    let mut options = IngestOptions::new("t");
    options.memory_budget_bytes = 100_000;
    let err = ingest_bytes(csv.as_bytes(), options, 64 * 1024).unwrap_err();
    let IngestError::MemoryBudgetExceeded { line, budget_bytes } = err else {
        panic!("{err:?}")
    };
    assert_eq!(budget_bytes, 100_000);
    assert!(line > 1 && line < 50_000, "{line}");
}

#[test]
fn renames_empty_and_duplicate_headers() {
    let (t, w) = load(",a,A,a\n1,2,3,4\n").unwrap();
    assert_eq!(names(&t), vec!["column_1", "a", "A_2", "a_3"]);
    assert_eq!(w.len(), 3);
    assert_eq!(
        w[0].to_string(),
        "Column 1 has no name; it is called \"column_1\"."
    );
}

#[test]
fn late_text_in_a_number_column_restarts_as_strings() {
    let mut csv = String::from("n,m\n");
    for i in 0..SAMPLE_ROWS + 100 {
        csv.push_str(&format!("{},{}\n", i % 7, i));
    }
    csv.push_str("seven,1\n");
    let (t, _) = load(&csv).unwrap();
    let n = &t.column("n").unwrap().data;
    assert_eq!(n.column_type(), ColumnType::Categorical);
    assert_eq!(n.categories().unwrap().len(), 8);
    assert_eq!(t.column("m").unwrap().column_type(), ColumnType::Integer);
    assert_eq!(t.num_rows(), SAMPLE_ROWS + 101);
}

#[test]
fn late_floats_widen_integers_in_place() {
    let mut csv = String::from("n\n");
    for i in 0..SAMPLE_ROWS + 10 {
        csv.push_str(&format!("{i}\n"));
    }
    csv.push_str("0.5\n");
    let (t, _) = load(&csv).unwrap();
    let n = &t.column("n").unwrap().data;
    assert_eq!(n.column_type(), ColumnType::Float);
    assert_eq!(n.number(12), Some(12.0));
    assert_eq!(n.number(SAMPLE_ROWS + 10), Some(0.5));
}

#[test]
fn many_late_labels_turn_categorical_into_text() {
    let mut csv = String::from("c\n");
    for i in 0..SAMPLE_ROWS {
        csv.push_str(&format!("v{}\n", i % 3));
    }
    for i in 0..2_000 {
        csv.push_str(&format!("w{i}\n"));
    }
    let (t, _) = load(&csv).unwrap();
    let c = &t.column("c").unwrap().data;
    assert_eq!(c.column_type(), ColumnType::Text);
    assert_eq!(c.display(1).as_deref(), Some("v1"));
    assert_eq!(c.display(SAMPLE_ROWS + 1999).as_deref(), Some("w1999"));
}

#[test]
fn a_column_empty_in_the_sample_gets_its_type_at_the_end() {
    let mut csv = String::from("a,b\n");
    for i in 0..SAMPLE_ROWS {
        csv.push_str(&format!("{i},\n"));
    }
    csv.push_str("1,2.5\n2,3\n");
    let (t, _) = load(&csv).unwrap();
    let b = &t.column("b").unwrap().data;
    assert_eq!(b.column_type(), ColumnType::Float);
    assert_eq!(b.null_count(), SAMPLE_ROWS);
    assert_eq!(b.number(SAMPLE_ROWS), Some(2.5));
}

#[test]
fn forced_types_count_failures_instead_of_changing() {
    let mut options = IngestOptions::new("t");
    options.forced_types = vec![("A".into(), ColumnType::Integer)];
    let (t, w) = ingest_bytes(b"a,b\n1,x\ntwo,y\n3,z\n", options, 5).unwrap();
    let a = &t.column("a").unwrap().data;
    assert_eq!(a.column_type(), ColumnType::Integer);
    assert_eq!(a.null_count(), 1);
    assert_eq!(
        w,
        vec![IngestWarning::ConversionFailures {
            column: "a".into(),
            to: ColumnType::Integer,
            failed: 1,
            examples: vec![(3, "two".into())]
        }]
    );
}

#[test]
fn size_hint_reserves_without_changing_results() {
    let csv = "a,b\n1,x\n2,y\n";
    let mut options = IngestOptions::new("t");
    options.size_hint_bytes = Some(10_000);
    let (t, _) = ingest_bytes(csv.as_bytes(), options, 4).unwrap();
    assert_eq!(t.num_rows(), 2);
}

/// What the browser does with a big file: plan from its first bytes, split
/// it at a line, ingest each part on its own, then join and renumber.
fn ingest_in_parts(bytes: &[u8], prefix_len: usize) -> (Table, Vec<IngestWarning>) {
    let mut planner = Ingest::new(IngestOptions::new("t"));
    planner.feed(&bytes[..prefix_len]).unwrap();
    let plan = planner.plan().unwrap().unwrap();
    let data = plan.data_offset as usize;
    let half = data + (bytes.len() - data) / 2;
    let mid = half + bytes[half..].iter().position(|&b| b == b'\n').unwrap() + 1;
    let part = |range: &[u8]| {
        let mut ingest = Ingest::new(IngestOptions::for_part("t", plan.clone()));
        for chunk in range.chunks(7) {
            assert_eq!(ingest.feed(chunk).unwrap(), Flow::Continue);
        }
        match ingest.finish().unwrap() {
            Finished::Done(done) => done,
            Finished::Restart(_) => panic!("a part with a full plan never restarts"),
        }
    };
    let (first, second) = (part(&bytes[data..mid]), part(&bytes[mid..]));
    let shift = plan.data_line - 1;
    let warnings = merge_warnings(vec![
        planner.header_warnings(),
        first
            .warnings
            .into_iter()
            .map(|w| w.shift_lines(shift))
            .collect(),
        second
            .warnings
            .into_iter()
            .map(|w| w.shift_lines(shift + first.lines))
            .collect(),
    ]);
    (
        crate::data::concat::concat_tables("t", vec![first.table, second.table]).unwrap(),
        warnings,
    )
}

#[test]
fn parts_ingested_apart_and_joined_equal_the_whole() {
    let mut csv = String::from("\u{FEFF}id,kind,amount,,flag\r\n");
    for i in 0..3000 {
        match i {
            500 | 2700 => csv.push_str("1,2\r\n"),
            _ => csv.push_str(&format!(
                "{i},k{},{}.5,x{},{}\r\n",
                i % 4,
                i,
                i % 7,
                i % 2 == 0
            )),
        }
    }
    let bytes = csv.as_bytes();
    let (whole, whole_warnings) = load_bytes(bytes).unwrap();
    let (joined, warnings) = ingest_in_parts(bytes, 4096);
    assert_eq!(types(&joined), types(&whole));
    assert_eq!(names(&joined), names(&whole));
    assert_eq!(cells(&joined), cells(&whole));
    assert_eq!(warnings, whole_warnings);
    assert!(
        matches!(&warnings[1], IngestWarning::RaggedRows { skipped: 2, first_lines, .. } if first_lines == &vec![502, 2702])
    );
}

#[test]
fn the_plan_knows_where_data_starts() {
    let mut ingest = Ingest::new(IngestOptions::new("t"));
    ingest.feed(b"\xEF\xBB\xBFa;b\r\n1;x\n2;y\n").unwrap();
    let plan = ingest.plan().unwrap().unwrap();
    assert_eq!(plan.delimiter, b';');
    assert_eq!(plan.header, vec!["a", "b"]);
    assert_eq!(plan.data_offset, 8);
    assert_eq!(plan.data_line, 2);
    assert_eq!(
        plan.types,
        vec![Some(ColumnType::Integer), Some(ColumnType::Text)]
    );
    assert!(!plan.multiline_fields);
}

#[test]
fn shifted_errors_and_warnings_keep_their_meaning() {
    let e = IngestError::InvalidUtf8 {
        line: 3,
        column: "b".into(),
    }
    .shift_lines(10);
    assert_eq!(
        e,
        IngestError::InvalidUtf8 {
            line: 13,
            column: "b".into()
        }
    );
    let w = IngestWarning::RaggedRows {
        skipped: 1,
        expected_fields: 2,
        first_lines: vec![4],
    }
    .shift_lines(6);
    assert_eq!(
        w,
        IngestWarning::RaggedRows {
            skipped: 1,
            expected_fields: 2,
            first_lines: vec![10]
        }
    );
}

#[test]
fn codes_with_leading_zeros_stay_as_written_even_after_the_sample() {
    let (t, _) = load("zip,n\n08123,1\n75001,2\n").unwrap();
    assert_eq!(
        cells(&t),
        vec![
            vec![Some("08123".into()), Some("1".into())],
            vec![Some("75001".into()), Some("2".into())]
        ]
    );
    // A leading zero first met after the sample turns the column back to text.
    let late = format!(
        "zip\n{}00042\n",
        (0..SAMPLE_ROWS)
            .map(|i| format!("{}\n", 10_000 + i))
            .collect::<String>()
    );
    let (t, _) = ingest_bytes(late.as_bytes(), IngestOptions::new("t"), 1 << 20).unwrap();
    assert_ne!(t.column("zip").unwrap().column_type(), ColumnType::Integer);
    assert_eq!(
        t.column("zip")
            .unwrap()
            .data
            .display(SAMPLE_ROWS)
            .as_deref(),
        Some("00042")
    );
    // The type picker can still make it a number on purpose.
    let (n, report) =
        crate::data::cast::cast_column(&t.column("zip").unwrap().data, ColumnType::Integer);
    assert_eq!((n.number(SAMPLE_ROWS), report.failed), (Some(42.0), 0));
}
