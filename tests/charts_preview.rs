//! Every chart with realistic data at a desktop (900 x 500) and a phone (340 x 300) size,
//! written to `target/charts-preview/*.svg` for eyeballing (convert with e.g.
//! `rsvg-convert -o x.png x.svg`). Each test also checks what it wrote: a complete SVG of the
//! size asked for, with the chart's title, legend and axis texts (and, where the count is
//! known, its marks), and no "No data" placeholder unless the data is empty.
//! `tests/charts_render.rs` holds the detailed rendering tests on small inputs.

mod chart_support;

use std::path::PathBuf;

use chart_support::{NEG, POS, assert_texts, count_fill};
use sepsis_risk::charts::{self, CalPoint, ChartError, ChartSize, ClassNames, RiskCounts};
use sepsis_risk::core::eda::{BoxStats, ClassBalance, ColumnSummary, Correlation, Histogram};
use sepsis_risk::core::schema::ColumnKind;

type Area<'a> =
    plotters::drawing::DrawingArea<plotters::prelude::SVGBackend<'a>, plotters::coord::Shift>;

fn out_dir() -> PathBuf {
    // CARGO_TARGET_TMPDIR is <target>/tmp; the preview goes next to it.
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    tmp.parent()
        .map_or(tmp.clone(), |p| p.to_path_buf())
        .join("charts-preview")
}

/// Renders `draw` at both sizes (`rows`: the height follows a row count, as the app sizes
/// bar lists), writes `<name>-desktop.svg` and `<name>-phone.svg`, and checks each written
/// file: exactly the rendered SVG, a whole `<svg>` document of the requested size. Returns
/// the SVGs, desktop first.
fn save(
    name: &str,
    rows: Option<usize>,
    draw: impl Fn(&Area<'_>) -> Result<(), ChartError>,
) -> Vec<String> {
    let dir = out_dir();
    std::fs::create_dir_all(&dir).unwrap();
    let mut svgs = Vec::new();
    for (tag, base) in [
        ("desktop", ChartSize::new(900, 500)),
        ("phone", ChartSize::new(340, 300)),
    ] {
        let size = match rows {
            Some(n) => ChartSize::for_rows(base.width, n),
            None => base,
        };
        let svg = charts::render_svg(size, |a| draw(a)).unwrap();
        let path = dir.join(format!("{name}-{tag}.svg"));
        std::fs::write(&path, &svg).unwrap();
        let written = std::fs::read_to_string(&path).unwrap();
        assert_eq!(written, svg, "{}", path.display());
        assert!(
            svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"),
            "{}: not a whole SVG document",
            path.display()
        );
        for attr in [
            format!("width=\"{}\"", size.width),
            format!("height=\"{}\"", size.height),
        ] {
            assert!(svg.contains(&attr), "{}: no {attr}", path.display());
        }
        svgs.push(svg);
    }
    svgs
}

fn summary(
    label: &str,
    count: usize,
    blank: usize,
    disguised: usize,
    oor: usize,
    invalid: usize,
) -> ColumnSummary {
    ColumnSummary {
        name: label.to_lowercase(),
        label: label.into(),
        unit: String::new(),
        kind: ColumnKind::Numeric,
        count,
        blank,
        disguised,
        out_of_range: oor,
        invalid,
        missing_fraction: None,
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
fn class_balance_preview() {
    let b = ClassBalance {
        positive: 268,
        negative: 500,
        unlabeled: 12,
        positive_fraction: 0.349,
    };
    let svgs = save("01-class-balance", None, |a| {
        charts::class_balance(a, Some(&b), ClassNames::default())
    });
    assert_texts(
        &svgs,
        &["Class balance", "Sepsis", "No sepsis", "Unlabelled"],
    );
    for svg in &svgs {
        assert_eq!(count_fill(svg, "rect", POS), 1);
        assert_eq!(count_fill(svg, "rect", NEG), 1);
    }
}

#[test]
fn missing_values_preview() {
    let cols = vec![
        summary("Pregnancies", 768, 0, 0, 0, 0),
        summary("Glucose", 763, 0, 5, 0, 0),
        summary("Blood pressure", 733, 0, 35, 0, 0),
        summary("Skin thickness", 541, 0, 227, 0, 0),
        summary("Insulin", 394, 0, 374, 0, 0),
        summary("BMI", 757, 0, 11, 0, 0),
        summary("Diabetes pedigree function", 760, 4, 0, 3, 1),
        summary("Age", 768, 0, 0, 0, 0),
    ];
    let svgs = save("02-missing", Some(cols.len()), |a| {
        charts::missing_values(a, &cols)
    });
    assert_texts(
        &svgs,
        &[
            "Missing values by column",
            "Not measured",
            "Insulin",
            "Rows missing (%)",
        ],
    );
}

#[test]
fn histogram_preview() {
    let positive = vec![0, 1, 2, 6, 14, 22, 30, 35, 40, 38, 35, 30];
    let negative = vec![2, 10, 30, 60, 85, 90, 80, 60, 40, 25, 12, 6];
    let h = Histogram {
        column: "glucose".into(),
        edges: (0..=12).map(|i| 40.0 + 13.0 * f64::from(i)).collect(),
        all: positive.iter().zip(&negative).map(|(a, b)| a + b).collect(),
        positive,
        negative,
        unlabeled: vec![0; 12],
    };
    let svgs = save("03-histogram", None, |a| {
        charts::histogram(a, &h, "Glucose", "Glucose (mg/dL)", ClassNames::default())
    });
    assert_texts(
        &svgs,
        &["Glucose (mg/dL)", "Sepsis (n=253)", "No sepsis (n=500)"],
    );
}

#[test]
fn box_plots_preview() {
    let p = BoxStats {
        q1: 119.0,
        median: 140.0,
        q3: 167.0,
        whisker_low: 78.0,
        whisker_high: 199.0,
        outliers: 2,
        count: 266,
    };
    let n = BoxStats {
        q1: 93.0,
        median: 107.0,
        q3: 125.0,
        whisker_low: 56.0,
        whisker_high: 173.0,
        outliers: 7,
        count: 497,
    };
    let svgs = save("04-box", None, |a| {
        charts::box_plots(
            a,
            "Glucose by class",
            "Glucose (mg/dL)",
            Some(&p),
            Some(&n),
            ClassNames::default(),
        )
    });
    assert_texts(
        &svgs,
        &[
            "Glucose by class",
            "Glucose (mg/dL)",
            "Sepsis (n=266)",
            "No sepsis (n=497)",
        ],
    );
}

#[test]
fn correlation_heatmap_preview() {
    let names9 = [
        "Pregnancies",
        "Glucose",
        "BloodPressure",
        "SkinThickness",
        "Insulin",
        "BMI",
        "DiabetesPedigree",
        "Age",
        "Outcome",
    ];
    let values: Vec<Vec<Option<f64>>> = (0..9)
        .map(|i| {
            (0..9)
                .map(|j| {
                    if i == 4 || j == 4 {
                        None
                    } else if i == j {
                        Some(1.0)
                    } else {
                        Some(((i * 7 + j * 7) % 11) as f64 / 10.0 - 0.45)
                    }
                })
                .collect()
        })
        .collect();
    let corr = Correlation {
        names: names9.iter().map(|s| s.to_string()).collect(),
        values,
    };
    let svgs = save("05-correlation", Some(12), |a| {
        charts::correlation_heatmap(a, &corr)
    });
    assert_texts(
        &svgs,
        &["Correlation (Pearson r)", "Glucose", "Outcome", "undefined"],
    );
}

#[test]
fn scatter_preview() {
    let mut s = 12345u64;
    let mut rnd = move || {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (s >> 11) as f64 / (1u64 << 53) as f64
    };
    let pts: Vec<(f64, f64, Option<bool>)> = (0..300)
        .map(|i| {
            let pos = i % 3 == 0;
            let g = if pos { 140.0 } else { 108.0 } + 40.0 * (rnd() - 0.5);
            let bmi = if pos { 35.0 } else { 30.0 } + 14.0 * (rnd() - 0.5);
            (g, bmi, if i % 50 == 7 { None } else { Some(pos) })
        })
        .collect();
    let svgs = save("06-scatter", None, |a| {
        charts::scatter(
            a,
            &pts,
            "Glucose (mg/dL)",
            "BMI (kg/m²)",
            ClassNames::default(),
        )
    });
    // 300 points: i % 50 == 7 unlabelled (6), the others positive when i % 3 == 0 (98).
    assert_texts(
        &svgs,
        &[
            "BMI (kg/m²) vs Glucose (mg/dL)",
            "Sepsis (n=98)",
            "No sepsis (n=196)",
            "Unlabelled (n=6)",
        ],
    );
    for svg in &svgs {
        // Triangles (polygons) and circles: one per point plus one legend mark.
        assert_eq!(count_fill(svg, "polygon", POS), 98 + 1);
        assert_eq!(count_fill(svg, "circle", NEG), 196 + 1);
    }
}

#[test]
fn roc_curve_preview() {
    let roc: Vec<(f64, f64)> = (0..=50)
        .map(|i| {
            let x = f64::from(i) / 50.0;
            (x, x.powf(0.3))
        })
        .collect();
    let svgs = save("07-roc", None, |a| {
        charts::roc_curve(a, &roc, Some(0.842), Some((0.2, 0.2f64.powf(0.3))))
    });
    assert_texts(
        &svgs,
        &[
            "ROC curve",
            "Model (AUC = 0.842)",
            "Chance (AUC = 0.5)",
            "False positive rate",
        ],
    );
}

#[test]
fn pr_curve_preview() {
    let pr: Vec<(f64, f64)> = (0..=50)
        .map(|i| {
            let r = f64::from(i) / 50.0;
            (r, 1.0 - 0.65 * r.powi(2))
        })
        .collect();
    let svgs = save("08-pr", None, |a| {
        charts::pr_curve(
            a,
            &pr,
            Some(0.349),
            Some(0.71),
            Some((0.6, 1.0 - 0.65 * 0.36)),
        )
    });
    assert_texts(
        &svgs,
        &["Precision–recall curve", "Model (AP = 0.710)", "Recall"],
    );
}

#[test]
fn calibration_preview() {
    let cal: Vec<CalPoint> = (0..10)
        .map(|i| {
            let p = 0.05 + 0.1 * f64::from(i);
            let o = (p * 0.95 + 0.02).min(1.0);
            CalPoint {
                predicted: p,
                observed: o,
                lower: (o - 0.08).max(0.0),
                upper: (o + 0.08).min(1.0),
                count: 40,
            }
        })
        .collect();
    let before: Vec<CalPoint> = cal
        .iter()
        .map(|c| CalPoint {
            observed: c.predicted.powf(1.6),
            ..*c
        })
        .collect();
    let svgs = save("09-calibration", None, |a| {
        charts::calibration(a, &cal, Some(&before))
    });
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
}

#[test]
fn feature_importance_preview() {
    let imp: Vec<(String, f64)> = [
        ("Glucose", 0.182),
        ("BMI", 0.071),
        ("Age", 0.052),
        ("Diabetes pedigree function", 0.031),
        ("Pregnancies", 0.012),
        ("Insulin", -0.004),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), *b))
    .collect();
    let svgs = save("10-importance", Some(imp.len()), |a| {
        charts::feature_importance(a, &imp, "Mean decrease in AUC")
    });
    assert_texts(
        &svgs,
        &["Feature importance", "Glucose", "Mean decrease in AUC"],
    );
}

#[test]
fn contributions_preview() {
    let contrib: Vec<(String, f64)> = [
        ("Glucose = 183 mg/dL", 1.21),
        ("BMI = 38.1 kg/m²", 0.44),
        ("Age = 29 y", -0.37),
        ("Pregnancies = 1", -0.12),
        ("Insulin = not measured", 0.05),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), *b))
    .collect();
    let svgs = save("11-contributions", Some(contrib.len()), |a| {
        charts::contributions(a, &contrib, "log-odds")
    });
    assert_texts(
        &svgs,
        &[
            "Glucose = 183 mg/dL",
            "Raises risk",
            "Lowers risk",
            "Contribution (log-odds)",
        ],
    );
    for svg in &svgs {
        // One bar per contribution plus one legend mark per direction.
        assert_eq!(count_fill(svg, "rect", POS), 3 + 1);
        assert_eq!(count_fill(svg, "rect", NEG), 2 + 1);
    }
}

#[test]
fn risk_histogram_preview() {
    let edges: Vec<f64> = (0..=20).map(|i| f64::from(i) / 20.0).collect();
    let pos: Vec<usize> = (0..20).map(|i| (i * 3 + 2) % 17 + i).collect();
    let neg: Vec<usize> = (0..20)
        .map(|i: usize| 60usize.saturating_sub(i * 3) + (i * 7) % 5)
        .collect();
    let svgs = save("12-risk", None, |a| {
        charts::risk_histogram(
            a,
            &edges,
            RiskCounts::ByLabel {
                positive: &pos,
                negative: &neg,
            },
            Some(0.35),
            ClassNames::default(),
        )
    });
    let (np, nn): (usize, usize) = (pos.iter().sum(), neg.iter().sum());
    assert_texts(
        &svgs,
        &[
            "Predicted risk",
            "Threshold 35.0 %",
            &format!("Sepsis (n={np})"),
            &format!("No sepsis (n={nn})"),
        ],
    );
}

#[test]
fn no_data_preview() {
    let svgs = save("13-no-data", None, |a| {
        charts::roc_curve(a, &[], None, None)
    });
    for svg in &svgs {
        assert!(svg.contains(charts::NO_DATA), "{svg}");
    }
}
