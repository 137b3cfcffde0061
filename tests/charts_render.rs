//! Native rendering tests for `sepsis_risk::charts`: every chart renders to SVG at a desktop
//! (600 x 400) and a phone (340 x 300) size, shows its title and legend, draws the expected
//! number of marks, and degenerate input gives a "No data" chart instead of an error.

mod chart_support;

use chart_support::{NEG, POS, assert_texts, count_fill};
use sepsis_risk::charts::{self, CalPoint, ChartError, ChartSize, ClassNames, RiskCounts};
use sepsis_risk::core::eda::{BoxStats, ClassBalance, ColumnSummary, Correlation, Histogram};
use sepsis_risk::core::schema::ColumnKind;

const SIZES: [ChartSize; 2] = [ChartSize::new(600, 400), ChartSize::new(340, 300)];

type Draw<'a> = dyn Fn(
        &plotters::drawing::DrawingArea<plotters::prelude::SVGBackend<'_>, plotters::coord::Shift>,
    ) -> Result<(), ChartError>
    + 'a;

/// Renders at both sizes; returns the SVGs.
fn render(draw: &Draw<'_>) -> Vec<String> {
    SIZES
        .iter()
        .map(|&s| {
            let svg = charts::render_svg(s, |a| draw(a)).expect("chart renders");
            assert!(
                svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"),
                "{svg}"
            );
            assert!(svg.contains(&format!("width=\"{}\"", s.width)));
            svg
        })
        .collect()
}

fn assert_no_data(draw: &Draw<'_>) {
    for svg in render(draw) {
        assert!(
            svg.contains(charts::NO_DATA),
            "expected a no-data chart:\n{svg}"
        );
    }
}

const NAMES: ClassNames<'static> = ClassNames {
    positive: "Sepsis",
    negative: "No sepsis",
    unlabeled: "Unlabelled",
};

#[test]
fn class_balance_bars() {
    let b = ClassBalance {
        positive: 120,
        negative: 880,
        unlabeled: 15,
        positive_fraction: 0.12,
    };
    let svgs = render(&|a| charts::class_balance(a, Some(&b), NAMES));
    assert_texts(
        &svgs,
        &[
            "Class balance",
            "Sepsis",
            "No sepsis",
            "Unlabelled",
            "120 (11.8 %)",
            "Rows",
        ],
    );
    for svg in &svgs {
        assert_eq!(count_fill(svg, "rect", POS), 1);
        assert_eq!(count_fill(svg, "rect", NEG), 1);
    }
    assert_no_data(&|a| charts::class_balance(a, None, NAMES));
    let zero = ClassBalance {
        positive: 0,
        negative: 0,
        unlabeled: 0,
        positive_fraction: 0.0,
    };
    assert_no_data(&|a| charts::class_balance(a, Some(&zero), NAMES));
}

fn summary(name: &str, count: usize, blank: usize, disguised: usize, oor: usize) -> ColumnSummary {
    ColumnSummary {
        name: name.into(),
        label: format!("{name} label"),
        unit: String::new(),
        kind: ColumnKind::Numeric,
        count,
        blank,
        disguised,
        out_of_range: oor,
        invalid: 0,
        missing_fraction: Some(0.1),
        mean: None,
        sd: None,
        min: None,
        q1: None,
        median: None,
        q3: None,
        max: None,
        distinct: 0,
    }
}

#[test]
fn missing_values_stacks() {
    let cols = vec![
        summary("Glucose", 90, 5, 3, 2),
        summary("Insulin", 50, 0, 50, 0),
        summary("Age", 100, 0, 0, 0),
    ];
    let svgs = render(&|a| charts::missing_values(a, &cols));
    assert_texts(
        &svgs,
        &[
            "Missing values by column",
            "Blank",
            "Not measured",
            "Out of range",
            "Rows missing (%)",
            "50.0 %",
        ],
    );
    for svg in &svgs {
        // Legend swatches (3) + segments: blank 1, not measured 2, out of range 1.
        assert_eq!(count_fill(svg, "rect", "#999999"), 2);
        assert_eq!(count_fill(svg, "rect", "#56B4E9"), 3);
        assert_eq!(count_fill(svg, "rect", "#CC79A7"), 2);
        assert!(
            !svg.contains(">Invalid"),
            "no invalid cells: no legend entry"
        );
    }
    let none = vec![summary("Age", 100, 0, 0, 0)];
    let svgs = render(&|a| charts::missing_values(a, &none));
    assert!(svgs.iter().all(|s| s.contains("No missing values")));
    assert_no_data(&|a| charts::missing_values(a, &[]));
    assert_no_data(&|a| charts::missing_values(a, &[summary("Empty", 0, 0, 0, 0)]));
}

fn hist() -> Histogram {
    Histogram {
        column: "Lactate".into(),
        edges: vec![0.0, 1.0, 2.0, 3.0, 4.0],
        all: vec![10, 20, 7, 3],
        positive: vec![1, 4, 5, 3],
        negative: vec![9, 15, 2, 0],
        unlabeled: vec![0, 1, 0, 0],
    }
}

#[test]
fn histogram_by_label() {
    let h = hist();
    let svgs = render(&|a| charts::histogram(a, &h, "Lactate", "Lactate (mmol/L)", NAMES));
    assert_texts(
        &svgs,
        &[
            "Lactate",
            "Lactate (mmol/L)",
            "Sepsis (n=13)",
            "No sepsis (n=26)",
            "Unlabelled (n=1)",
        ],
    );
    for svg in &svgs {
        // Fill + outline per non-empty bin, + legend swatch (fill).
        assert_eq!(count_fill(svg, "rect", POS), 4 + 1);
        assert_eq!(count_fill(svg, "rect", NEG), 3 + 1);
    }
    // No labels: one grey layer, no legend.
    let mut u = hist();
    u.positive = vec![0; 4];
    u.negative = vec![0; 4];
    let svgs = render(&|a| charts::histogram(a, &u, "Lactate", "Lactate (mmol/L)", NAMES));
    assert!(svgs.iter().all(|s| !s.contains("Sepsis (n=")));
    // All values equal: one bin with equal edges.
    let c = Histogram {
        column: "C".into(),
        edges: vec![5.0, 5.0],
        all: vec![9],
        positive: vec![4],
        negative: vec![5],
        unlabeled: vec![0],
    };
    let svgs = render(&|a| charts::histogram(a, &c, "C", "C", NAMES));
    assert_texts(&svgs, &["Sepsis (n=4)"]);
    // Empty, mismatched or NaN bins: no data.
    let e = Histogram {
        column: "E".into(),
        edges: vec![],
        all: vec![],
        positive: vec![],
        negative: vec![],
        unlabeled: vec![],
    };
    assert_no_data(&|a| charts::histogram(a, &e, "E", "E", NAMES));
    let mut bad = hist();
    bad.edges.pop();
    assert_no_data(&|a| charts::histogram(a, &bad, "E", "E", NAMES));
    let mut nan = hist();
    nan.edges[2] = f64::NAN;
    assert_no_data(&|a| charts::histogram(a, &nan, "E", "E", NAMES));
}

#[test]
fn box_plots_by_label() {
    let p = BoxStats {
        q1: 2.0,
        median: 3.0,
        q3: 4.5,
        whisker_low: 1.0,
        whisker_high: 7.0,
        outliers: 3,
        count: 40,
    };
    let n = BoxStats {
        q1: 1.0,
        median: 1.5,
        q3: 2.0,
        whisker_low: 0.5,
        whisker_high: 3.0,
        outliers: 0,
        count: 200,
    };
    let svgs = render(&|a| {
        charts::box_plots(
            a,
            "Lactate by class",
            "Lactate (mmol/L)",
            Some(&p),
            Some(&n),
            NAMES,
        )
    });
    assert_texts(
        &svgs,
        &[
            "Lactate by class",
            "Sepsis (n=40)",
            "No sepsis (n=200)",
            "3 outliers",
            "Lactate (mmol/L)",
        ],
    );
    let svgs = render(&|a| charts::box_plots(a, "One", "x", Some(&p), None, NAMES));
    assert_texts(&svgs, &["No sepsis (no data)"]);
    let flat = BoxStats {
        q1: 2.0,
        median: 2.0,
        q3: 2.0,
        whisker_low: 2.0,
        whisker_high: 2.0,
        outliers: 0,
        count: 1,
    };
    render(&|a| charts::box_plots(a, "Flat", "x", Some(&flat), Some(&flat), NAMES));
    let nan = BoxStats {
        q1: f64::NAN,
        ..flat.clone()
    };
    assert_no_data(&|a| charts::box_plots(a, "None", "x", None, None, NAMES));
    assert_no_data(&|a| charts::box_plots(a, "NaN", "x", Some(&nan), None, NAMES));
}

#[test]
fn correlation_heatmap_cells() {
    let c = Correlation {
        names: vec![
            "Glucose".into(),
            "BMI".into(),
            "Age".into(),
            "Outcome".into(),
        ],
        values: vec![
            vec![Some(1.0), Some(0.22), None, Some(0.47)],
            vec![Some(0.22), Some(1.0), None, Some(-0.29)],
            vec![None, None, None, None],
            vec![Some(0.47), Some(-0.29), None, Some(1.0)],
        ],
    };
    let svgs = render(&|a| charts::correlation_heatmap(a, &c));
    assert_texts(
        &svgs,
        &["Correlation (Pearson r)", "Glucose", "Outcome", "undefined"],
    );
    assert!(svgs[0].contains(">\n0.47") || svgs[0].contains("0.47"));
    assert!(svgs[0].contains("-0.29"));
    // Many columns: no values printed.
    let k = 30;
    let big = Correlation {
        names: (0..k).map(|i| format!("feature_{i}")).collect(),
        values: (0..k)
            .map(|i| {
                (0..k)
                    .map(|j| Some(if i == j { 1.0 } else { 0.1 }))
                    .collect()
            })
            .collect(),
    };
    let svgs = render(&|a| charts::correlation_heatmap(a, &big));
    assert!(svgs.iter().all(|s| !s.contains("0.10")));
    assert_no_data(&|a| {
        charts::correlation_heatmap(
            a,
            &Correlation {
                names: vec![],
                values: vec![],
            },
        )
    });
    let ragged = Correlation {
        names: vec!["a".into(), "b".into()],
        values: vec![vec![Some(1.0)]],
    };
    assert_no_data(&|a| charts::correlation_heatmap(a, &ragged));
}

#[test]
fn scatter_points() {
    let pts = vec![
        (1.0, 2.0, Some(true)),
        (2.0, 3.0, Some(true)),
        (1.5, 1.0, Some(false)),
        (2.5, 2.0, Some(false)),
        (3.0, 1.0, Some(false)),
        (f64::NAN, 1.0, Some(true)),
        (0.5, 0.5, None),
    ];
    let svgs = render(&|a| charts::scatter(a, &pts, "Glucose (mg/dL)", "BMI (kg/m²)", NAMES));
    assert_texts(
        &svgs,
        &[
            "BMI (kg/m²) vs Glucose (mg/dL)",
            "Sepsis (n=2)",
            "No sepsis (n=3)",
            "Unlabelled (n=1)",
        ],
    );
    for svg in &svgs {
        // Triangles are polygons: 2 points + 1 legend mark; circles: 3 + 1 legend mark.
        assert_eq!(count_fill(svg, "polygon", POS), 3);
        assert_eq!(count_fill(svg, "circle", NEG), 4);
    }
    render(&|a| charts::scatter(a, &[(1.0, 1.0, Some(true))], "x", "y", NAMES));
    render(&|a| charts::scatter(a, &[(1.0, 1.0, None), (1.0, 1.0, None)], "x", "y", NAMES));
    assert_no_data(&|a| charts::scatter(a, &[], "x", "y", NAMES));
    assert_no_data(&|a| charts::scatter(a, &[(f64::INFINITY, 1.0, None)], "x", "y", NAMES));
}

#[test]
fn roc_and_pr_curves() {
    let roc = [(0.0, 0.0), (0.1, 0.5), (0.3, 0.8), (1.0, 1.0)];
    let svgs = render(&|a| charts::roc_curve(a, &roc, Some(0.8421), Some((0.1, 0.5))));
    assert_texts(
        &svgs,
        &[
            "ROC curve",
            "Model (AUC = 0.842)",
            "Chance (AUC = 0.5)",
            "Threshold (FPR 0.1, TPR 0.5)",
            "False positive rate",
        ],
    );
    for svg in &svgs {
        assert_eq!(count_fill(svg, "circle", "#CC79A7"), 2, "marker + legend");
    }
    render(&|a| charts::roc_curve(a, &[(0.5, 0.5)], None, None));
    assert_no_data(&|a| charts::roc_curve(a, &[], Some(0.5), None));
    assert_no_data(&|a| charts::roc_curve(a, &[(f64::NAN, 0.1)], None, None));

    let pr = [(0.0, 1.0), (0.4, 0.8), (0.8, 0.5), (1.0, 0.12)];
    let svgs = render(&|a| charts::pr_curve(a, &pr, Some(0.12), Some(0.61), Some((0.4, 0.8))));
    assert_texts(
        &svgs,
        &[
            "Precision–recall curve",
            "Model (AP = 0.610)",
            "Baseline (prevalence 12.0 %)",
            "Recall",
        ],
    );
    assert_no_data(&|a| charts::pr_curve(a, &[], None, None, None));
}

#[test]
fn calibration_plot() {
    let pts: Vec<CalPoint> = (0..5)
        .map(|i| {
            let p = 0.1 + 0.2 * f64::from(i);
            CalPoint {
                predicted: p,
                observed: p * 0.9,
                lower: p * 0.7,
                upper: (p * 1.1).min(1.0),
                count: 50,
            }
        })
        .collect();
    let before: Vec<CalPoint> = pts
        .iter()
        .map(|p| CalPoint {
            observed: p.observed * 0.6,
            ..*p
        })
        .collect();
    let svgs = render(&|a| charts::calibration(a, &pts, Some(&before)));
    assert_texts(
        &svgs,
        &[
            "Calibration",
            "After calibration",
            "Before calibration",
            "Perfect calibration",
            "Mean predicted risk",
            "Observed rate",
        ],
    );
    for svg in &svgs {
        assert_eq!(
            count_fill(svg, "circle", "#000000"),
            5 + 1,
            "points + legend"
        );
    }
    let svgs = render(&|a| charts::calibration(a, &pts[..1], None));
    assert_texts(&svgs, &["Model"]);
    let empty = [CalPoint {
        predicted: 0.5,
        observed: f64::NAN,
        lower: 0.0,
        upper: 1.0,
        count: 3,
    }];
    assert_no_data(&|a| charts::calibration(a, &empty, None));
    assert_no_data(&|a| charts::calibration(a, &[], Some(&[])));
}

#[test]
fn importance_and_contributions() {
    let imp = vec![
        ("Lactate".to_owned(), 0.21),
        ("Respiratory rate".to_owned(), 0.12),
        (
            "A very long feature name that will not fit on a phone screen".to_owned(),
            0.05,
        ),
        ("Age".to_owned(), -0.01),
    ];
    let svgs = render(&|a| charts::feature_importance(a, &imp, "Mean decrease in AUC"));
    assert_texts(
        &svgs,
        &[
            "Feature importance",
            "Lactate",
            "Mean decrease in AUC",
            "0.21",
        ],
    );
    for svg in &svgs {
        assert_eq!(count_fill(svg, "rect", "#009E73"), 4);
    }
    assert!(svgs[1].contains('…'), "long label shortened on a phone");
    assert_no_data(&|a| charts::feature_importance(a, &[], "x"));
    assert_no_data(&|a| charts::feature_importance(a, &[("a".into(), f64::NAN)], "x"));
    render(&|a| charts::feature_importance(a, &[("a".into(), 0.0)], "x"));

    let c = vec![
        ("Lactate = 4.2 mmol/L".to_owned(), 0.8),
        ("Age = 71 y".to_owned(), 0.3),
        ("Heart rate = 88 /min".to_owned(), -0.2),
    ];
    let svgs = render(&|a| charts::contributions(a, &c, "log-odds"));
    assert_texts(
        &svgs,
        &[
            "Lactate = 4.2 mmol/L",
            "Raises risk",
            "Lowers risk",
            "Contribution (log-odds)",
            "+0.8",
            "-0.2",
        ],
    );
    for svg in &svgs {
        assert_eq!(count_fill(svg, "rect", POS), 2 + 1);
        assert_eq!(count_fill(svg, "rect", NEG), 1 + 1);
    }
    assert_no_data(&|a| charts::contributions(a, &[], "log-odds"));
    render(&|a| charts::contributions(a, &[("zero".into(), 0.0)], ""));
}

#[test]
fn risk_histogram_bins() {
    let edges: Vec<f64> = (0..=10).map(|i| f64::from(i) / 10.0).collect();
    let pos = [0, 1, 1, 2, 3, 4, 5, 6, 6, 5];
    let neg = [50, 40, 30, 20, 10, 5, 2, 1, 0, 0];
    let svgs = render(&|a| {
        charts::risk_histogram(
            a,
            &edges,
            RiskCounts::ByLabel {
                positive: &pos,
                negative: &neg,
            },
            Some(0.3),
            NAMES,
        )
    });
    assert_texts(
        &svgs,
        &[
            "Predicted risk",
            "Threshold 30.0 %",
            "Sepsis (n=33)",
            "No sepsis (n=158)",
            "Rows",
        ],
    );
    for svg in &svgs {
        assert_eq!(count_fill(svg, "rect", POS), 9 + 1);
        assert_eq!(count_fill(svg, "rect", NEG), 8 + 1);
    }
    let all: Vec<usize> = pos.iter().zip(&neg).map(|(a, b)| a + b).collect();
    let svgs = render(&|a| charts::risk_histogram(a, &edges, RiskCounts::All(&all), None, NAMES));
    assert!(svgs.iter().all(|s| !s.contains("Threshold")));
    assert_no_data(&|a| {
        charts::risk_histogram(a, &edges, RiskCounts::All(&[0; 10]), Some(0.5), NAMES)
    });
    assert_no_data(&|a| charts::risk_histogram(a, &[], RiskCounts::All(&[]), None, NAMES));
    assert_no_data(&|a| charts::risk_histogram(a, &edges, RiskCounts::All(&[1, 2]), None, NAMES));
}

#[test]
fn sizes_and_tiny_areas() {
    assert!(ChartSize::PHONE.is_compact() && !ChartSize::DESKTOP.is_compact());
    assert_eq!(ChartSize::for_rows(340, 0).height, 220);
    assert_eq!(ChartSize::for_rows(900, 1_000_000).height, 2400);
    let t: (u32, u32) = ChartSize::new(3, 4).into();
    assert_eq!(t, (3, 4));
    charts::init_native_fonts().unwrap();
    // Absurdly small areas must not panic.
    for s in [
        ChartSize::new(1, 1),
        ChartSize::new(40, 30),
        ChartSize::new(120, 100),
        ChartSize::new(150, 110),
        ChartSize::new(200, 130),
    ] {
        let roc = [(0.0, 0.0), (1.0, 1.0)];
        let _ = charts::render_svg(s, |a| charts::roc_curve(a, &roc, Some(0.5), None));
        let _ = charts::render_svg(s, |a| {
            charts::correlation_heatmap(
                a,
                &Correlation {
                    names: vec!["a".into()],
                    values: vec![vec![Some(1.0)]],
                },
            )
        });
        let _ = charts::render_svg(s, |a| {
            charts::feature_importance(a, &[("a".into(), 1.0)], "x")
        });
    }
}

#[test]
fn measured_fraction_and_patient_timeline() {
    let items = vec![
        ("Heart rate".to_string(), 0.9),
        ("Lactate".to_string(), 0.03),
    ];
    let svgs = render(&|a| charts::measured_fraction(a, &items));
    assert_texts(&svgs, &["How often each variable is measured", "Lactate"]);
    assert_no_data(&|a| charts::measured_fraction(a, &[]));

    let risk: Vec<(f64, f64)> = (1..=24).map(|h| (h as f64, 0.01 * h as f64)).collect();
    let hr: Vec<(f64, f64)> = (1..=24)
        .step_by(2)
        .map(|h| (h as f64, 80.0 + h as f64))
        .collect();
    let vitals = [("Heart rate (beats/min)", hr.as_slice())];
    let size = ChartSize::new(600, charts::icu::RISK_PANEL + charts::icu::VITAL_PANEL + 90);
    let svg = charts::render_svg(size, |a| {
        charts::patient_timeline(a, &risk, Some(0.05), Some(20.0), &vitals)
    })
    .unwrap();
    for t in [
        "Predicted risk",
        "Threshold 5.0 %",
        "Onset (hour 20)",
        "ICU hour",
    ] {
        assert!(svg.contains(t), "missing {t:?}");
    }
    assert!(svg.contains(POS), "the onset line is vermillion");

    let phone = charts::render_svg(ChartSize::new(340, 400), |a| {
        charts::patient_timeline(a, &risk, None, None, &vitals)
    })
    .unwrap();
    assert!(!phone.contains(charts::NO_DATA));
    assert_no_data(&|a| charts::patient_timeline(a, &[], None, None, &[]));
}
