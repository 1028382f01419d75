//! Specs to data, and data to marks: every visual type is rendered to SVG
//! and its marks and labels are checked.

use plotters::prelude::*;
use plotters_svg::SVGBackend;

use super::draw::{draw, hit_at, Hit, Shape, Theme, PALETTE};
use super::*;
use crate::data::synth::generate;
use crate::data::table::ColumnType;
use crate::query::filter::{Condition, FilterNode, FilterOp};

fn spec(
    kind: ChartKind,
    dims: &[&str],
    measures: &[(&str, Agg)],
    color: Option<&str>,
) -> ChartSpec {
    ChartSpec {
        kind,
        dimensions: dims.iter().map(|d| d.to_string()).collect(),
        measures: measures
            .iter()
            .map(|(f, a)| MeasureSpec {
                field: f.to_string(),
                agg: *a,
            })
            .collect(),
        color: color.map(str::to_owned),
        ..ChartSpec::default()
    }
}

fn count() -> (&'static str, Agg) {
    (RECORD_COUNT, Agg::Count)
}

/// Renders to SVG; returns the SVG text and the hit regions.
fn render(kind: ChartKind, data: &ChartData) -> (String, Vec<Hit>) {
    let mut svg = String::new();
    let hits = {
        let root = SVGBackend::with_string(&mut svg, (640, 400)).into_drawing_area();
        let hits = draw(&root, kind, data, Theme { scale: 1.0 }).unwrap();
        root.present().unwrap();
        hits
    };
    (svg, hits)
}

fn hex(c: &RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

/// Filled rectangles in a palette colour: the data marks of bar charts.
fn data_rects(svg: &str) -> usize {
    svg.lines()
        .filter(|l| l.contains("<rect") && PALETTE.iter().any(|c| l.contains(&hex(c))))
        .count()
}

fn texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            Some(
                t.split_once('>')?
                    .1
                    .split_once("</text>")?
                    .0
                    .trim()
                    .to_owned(),
            )
        })
        .collect()
}

#[test]
fn the_workshop_bar_chart_counts_seniors_by_payment_method() {
    let t = generate(2_000, 4);
    let mut s = spec(ChartKind::Hbar, &["PaymentMethod"], &[count()], None);
    s.filter = FilterNode::Group {
        join: crate::query::filter::Join::And,
        negated: false,
        children: vec![FilterNode::Condition(Condition {
            column: "SeniorCitizen".into(),
            op: FilterOp::Eq,
            values: vec!["1".into()],
            negated: false,
        })],
    };
    let data = chart_data(&s, &t, None).unwrap();
    let datums = data.datums();
    assert_eq!(datums.len(), 4);
    let seniors = (0..t.num_rows())
        .filter(|&r| t.column("SeniorCitizen").unwrap().data.number(r) == Some(1.0))
        .count();
    assert_eq!(
        datums.iter().map(|d| d.number.unwrap()).sum::<f64>() as usize,
        seniors
    );
    let (svg, hits) = render(ChartKind::Hbar, &data);
    assert_eq!(data_rects(&svg), 4);
    assert_eq!(hits.len(), 4);
    let labels = texts(&svg);
    for method in [
        "Bank transfer (automatic)",
        "Electronic check",
        "Mailed check",
    ] {
        assert!(labels.iter().any(|l| l == method), "{method} in {labels:?}");
    }
    assert!(
        labels.iter().any(|l| l == "Record Count"),
        "value axis title"
    );
    assert!(
        labels.iter().any(|l| l == "PaymentMethod"),
        "category axis title"
    );
}

#[test]
fn every_type_draws_marks_for_a_fitting_spec() {
    let t = generate(1_500, 2);
    let cases = [
        (
            spec(ChartKind::Table, &["Contract"], &[count()], None),
            "table",
        ),
        (spec(ChartKind::Bar, &["Contract"], &[count()], None), "bar"),
        (
            spec(
                ChartKind::Hbar,
                &["InternetService"],
                &[("MonthlyCharges", Agg::Avg)],
                None,
            ),
            "hbar",
        ),
        (
            spec(
                ChartKind::StackedBar,
                &["Contract"],
                &[count()],
                Some("Churn"),
            ),
            "stacked",
        ),
        (
            spec(
                ChartKind::GroupedBar,
                &["Contract"],
                &[count()],
                Some("Churn"),
            ),
            "grouped",
        ),
        (
            spec(
                ChartKind::Line,
                &["tenure"],
                &[("MonthlyCharges", Agg::Avg)],
                None,
            ),
            "line",
        ),
        (spec(ChartKind::Area, &["tenure"], &[count()], None), "area"),
        (
            spec(
                ChartKind::Scatter,
                &[],
                &[("tenure", Agg::Sum), ("TotalCharges", Agg::Sum)],
                Some("Churn"),
            ),
            "scatter",
        ),
        (
            spec(
                ChartKind::Histogram,
                &[],
                &[("MonthlyCharges", Agg::Sum)],
                None,
            ),
            "histogram",
        ),
        (
            spec(ChartKind::Box, &["Churn"], &[("tenure", Agg::Sum)], None),
            "box",
        ),
        (
            spec(ChartKind::Pie, &["PaymentMethod"], &[count()], None),
            "pie",
        ),
        (
            spec(
                ChartKind::Heatmap,
                &["Contract", "InternetService"],
                &[count()],
                None,
            ),
            "heatmap",
        ),
    ];
    for (s, name) in cases {
        assert!(fitting_kinds(&s, &t).contains(&s.kind), "{name} fits");
        let data = chart_data(&s, &t, None).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!data.datums().is_empty(), "{name} has data");
        assert!(data.marks() > 0, "{name} draws marks");
        let (svg, hits) = render(s.kind, &data);
        match s.kind {
            ChartKind::Table => assert!(
                texts(&svg).iter().any(|l| l == "Month-to-month"),
                "table text"
            ),
            ChartKind::Bar => assert_eq!(data_rects(&svg), 3),
            ChartKind::StackedBar | ChartKind::GroupedBar => assert_eq!(
                data_rects(&svg),
                6 + 2,
                "{name}: 6 bars and 2 legend swatches"
            ),
            ChartKind::Line | ChartKind::Area => assert!(
                svg.contains("<polyline") || svg.contains("<path"),
                "{name}: a line"
            ),
            ChartKind::Scatter => assert!(svg.matches("<circle").count() > 1000, "scatter points"),
            ChartKind::Histogram => assert!(data_rects(&svg) >= 10, "histogram bins"),
            ChartKind::Box => assert_eq!(hits.len(), 2, "two boxes"),
            ChartKind::Pie => assert!(svg.matches("<polygon").count() >= 4, "four slices"),
            ChartKind::Heatmap => assert_eq!(hits.len(), 9, "3 x 3 cells"),
            ChartKind::Hbar => assert_eq!(data_rects(&svg), 3),
        }
        if s.kind != ChartKind::Table {
            assert!(!hits.is_empty(), "{name}: marks can be pointed at");
        }
    }
}

#[test]
fn stacked_bars_stack_to_the_category_total() {
    let t = generate(1_000, 3);
    let data = chart_data(
        &spec(
            ChartKind::StackedBar,
            &["Contract"],
            &[count()],
            Some("Churn"),
        ),
        &t,
        None,
    )
    .unwrap();
    let ChartData::Categories {
        categories, series, ..
    } = &data
    else {
        panic!()
    };
    assert_eq!(
        series.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(),
        vec!["No", "Yes"]
    );
    let total: f64 = series.iter().flat_map(|s| s.values.iter().flatten()).sum();
    assert_eq!(total as usize, 1_000);
    assert_eq!(
        categories,
        &vec![
            "Month-to-month".to_owned(),
            "One year".into(),
            "Two year".into()
        ]
    );
}

#[test]
fn the_picker_offers_only_fitting_types() {
    let t = generate(100, 1);
    let none = fitting_kinds(&ChartSpec::default(), &t);
    assert!(none.is_empty());
    let one_dim = fitting_kinds(&spec(ChartKind::Table, &["Contract"], &[count()], None), &t);
    assert!(one_dim.contains(&ChartKind::Hbar) && one_dim.contains(&ChartKind::Pie));
    assert!(
        !one_dim.contains(&ChartKind::Scatter)
            && !one_dim.contains(&ChartKind::Heatmap)
            && !one_dim.contains(&ChartKind::StackedBar)
    );
    let text_measure = fitting_kinds(
        &spec(
            ChartKind::Table,
            &["Contract"],
            &[("customerID", Agg::CountDistinct)],
            None,
        ),
        &t,
    );
    assert!(
        text_measure.contains(&ChartKind::Bar),
        "count distinct of text is a number"
    );
    assert!(
        !text_measure.contains(&ChartKind::Box),
        "but a box needs number values"
    );
    let hist = fitting_kinds(
        &spec(ChartKind::Table, &[], &[("tenure", Agg::Sum)], None),
        &t,
    );
    assert!(hist.contains(&ChartKind::Histogram));
}

#[test]
fn cross_filters_and_shelf_filters_narrow_the_data() {
    let t = generate(1_000, 5);
    let s = spec(ChartKind::Bar, &["Contract"], &[count()], None);
    let all = chart_data(&s, &t, None).unwrap().datums();
    let cross = ("Churn".to_owned(), "Yes".to_owned());
    let churned = chart_data(&s, &t, Some(&cross)).unwrap().datums();
    let sum = |d: &[Datum]| d.iter().map(|x| x.number.unwrap_or(0.0)).sum::<f64>();
    assert!(sum(&churned) < sum(&all));
    let yes = (0..t.num_rows())
        .filter(|&r| t.column("Churn").unwrap().data.str_value(r) == Some("Yes"))
        .count();
    assert_eq!(sum(&churned) as usize, yes);
}

#[test]
fn errors_name_the_problem() {
    let t = generate(50, 1);
    let e = chart_data(&spec(ChartKind::Bar, &["nope"], &[count()], None), &t, None).unwrap_err();
    assert_eq!(e.to_string(), "there is no field \"nope\"");
    let e = chart_data(
        &spec(ChartKind::Scatter, &["Contract"], &[count()], None),
        &t,
        None,
    )
    .unwrap_err();
    assert!(e.to_string().contains("does not fit"));
}

#[test]
fn hit_testing_finds_bars_wedges_and_points() {
    let hits = vec![
        Hit {
            shape: Shape::Rect {
                x0: 10.0,
                y0: 10.0,
                x1: 20.0,
                y1: 50.0,
            },
            label: "a".into(),
            value: "1".into(),
            category: Some("a".into()),
        },
        Hit {
            shape: Shape::Wedge {
                x: 100.0,
                y: 100.0,
                r0: 10.0,
                r1: 50.0,
                a0: 0.0,
                a1: 1.0,
            },
            label: "w".into(),
            value: "2".into(),
            category: None,
        },
        Hit {
            shape: Shape::Circle {
                x: 200.0,
                y: 200.0,
                r: 3.0,
            },
            label: "p".into(),
            value: "3".into(),
            category: None,
        },
    ];
    assert_eq!(
        hit_at(&hits, 15.0, 30.0).map(|h| h.label.as_str()),
        Some("a")
    );
    // Straight up from the centre is angle 0: inside the first radian.
    assert_eq!(
        hit_at(&hits, 110.0, 70.0).map(|h| h.label.as_str()),
        Some("w")
    );
    assert_eq!(
        hit_at(&hits, 100.0, 130.0),
        None,
        "below the centre is past the wedge"
    );
    assert_eq!(
        hit_at(&hits, 201.0, 202.0).map(|h| h.label.as_str()),
        Some("p")
    );
}

#[test]
fn tick_labels_do_not_overlap_on_crowded_axes() {
    let t = generate(3_000, 6);
    let data = chart_data(
        &spec(ChartKind::Bar, &["tenure"], &[count()], None),
        &t,
        None,
    )
    .unwrap();
    let (svg, _) = render(ChartKind::Bar, &data);
    // 73 tenure values on 640 pixels: labels are thinned to fit.
    let numbers: Vec<String> = texts(&svg)
        .into_iter()
        .filter(|l| l.parse::<u32>().is_ok())
        .collect();
    assert!(numbers.len() < 40, "{} labels", numbers.len());
    assert!(numbers.len() > 5);
}

#[test]
fn specs_serialise_for_saved_dashboards() {
    let s = spec(
        ChartKind::StackedBar,
        &["Contract"],
        &[("MonthlyCharges", Agg::Avg)],
        Some("Churn"),
    );
    let json = serde_json::to_string(&s).unwrap();
    assert!(json.contains("\"stacked-bar\"") && json.contains("\"avg\""));
    assert_eq!(serde_json::from_str::<ChartSpec>(&json).unwrap(), s);
}

#[test]
fn adding_fields_to_shelves_picks_a_fitting_type() {
    let t = generate(100, 1);
    let s = add_to_shelf(
        &ChartSpec::default(),
        &t,
        "PaymentMethod",
        Shelf::Dimensions,
    );
    assert_eq!(s.kind, ChartKind::Table);
    let s = add_to_shelf(&s, &t, RECORD_COUNT, Shelf::Measures);
    assert_eq!(s.measures, vec![MeasureSpec::record_count()]);
    assert_eq!(
        s.kind,
        ChartKind::Bar,
        "bars are suggested for a dimension and a measure"
    );
    let mut s = add_to_shelf(&s, &t, RECORD_COUNT, Shelf::Measures);
    assert_eq!(s.measures.len(), 1, "no duplicates");
    s.kind = ChartKind::Hbar;
    s.kind_chosen = true;
    let s = add_to_shelf(&s, &t, "Churn", Shelf::Color);
    assert_eq!(s.kind, ChartKind::Hbar, "a chosen type stays while it fits");
    let mut s = s;
    s.kind = ChartKind::Pie;
    let s = add_to_shelf(&s, &t, "Contract", Shelf::Color);
    assert_eq!(
        (s.kind, s.kind_chosen),
        (ChartKind::Bar, false),
        "a pie cannot split by colour: back to a suggestion"
    );
    let two = add_to_shelf(&s, &t, "Contract", Shelf::Dimensions);
    assert_eq!(two.kind, ChartKind::Heatmap);
    let scatter = add_to_shelf(
        &add_to_shelf(&ChartSpec::default(), &t, "tenure", Shelf::Measures),
        &t,
        "MonthlyCharges",
        Shelf::Measures,
    );
    assert_eq!(scatter.kind, ChartKind::Scatter);
    let hist = add_to_shelf(&ChartSpec::default(), &t, "tenure", Shelf::Measures);
    assert_eq!(hist.kind, ChartKind::Histogram);
    let s = add_to_shelf(&s, &t, "tenure", Shelf::Filters);
    assert_eq!(
        crate::query::filter::to_sql(&s.filter, &|_| Some(ColumnType::Integer)),
        "tenure >= 0"
    );
    let s = add_to_shelf(&s, &t, "tenure", Shelf::Measures);
    assert_eq!(s.measures[1].agg, Agg::Sum, "numbers are summed");
    let s = add_to_shelf(&s, &t, "customerID", Shelf::Measures);
    assert_eq!(s.measures[2].agg, Agg::CountDistinct, "text is counted");
}

#[test]
fn curves_draw_lines_bands_and_the_diagonal() {
    use crate::chart::Curve;
    let data = ChartData::Curves {
        x_axis: "false positive rate".into(),
        y_axis: "true positive rate".into(),
        curves: vec![Curve {
            name: "model".into(),
            points: vec![(0.0, 0.0), (0.2, 0.6), (1.0, 1.0)],
            band: Some(vec![(0.0, 0.0), (0.5, 0.7), (1.0, 1.0)]),
        }],
        diagonal: true,
        unit: UnitAxes::Both,
    };
    let (svg, hits) = render(ChartKind::Line, &data);
    assert_eq!(hits.len(), 3, "one hit per point");
    assert!(svg.contains("false positive rate") && svg.contains("true positive rate"));
    assert!(
        svg.matches("<polyline").count() >= 2,
        "the curve and the diagonal"
    );
    assert!(svg.contains("<polygon"), "the band");
    assert_eq!(data.datums().len(), 3);
}

#[test]
fn marks_count_what_a_chart_draws() {
    let curves = ChartData::Curves {
        x_axis: "x".into(),
        y_axis: "y".into(),
        curves: vec![
            Curve {
                name: "a".into(),
                points: vec![(0.0, 0.0); 4_001],
                band: None,
            },
            Curve {
                name: "b".into(),
                points: vec![(0.0, 0.0); 3],
                band: None,
            },
        ],
        diagonal: true,
        unit: UnitAxes::Both,
    };
    assert_eq!(curves.marks(), 4_004);
    // Its accessible table is a summary of at most 50 rows a curve.
    assert!(curves.datums().len() <= 100);
    let t = generate(500, 3);
    let bars = chart_data(
        &spec(ChartKind::Bar, &["Contract"], &[count()], None),
        &t,
        None,
    )
    .unwrap();
    assert_eq!(bars.marks(), 3);
}
