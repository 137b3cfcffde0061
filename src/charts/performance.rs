//! Model-performance charts: ROC and precision-recall curves, calibration, predicted-risk
//! histogram.

use plotters::coord::Shift;
use plotters::drawing::DrawingArea;
use plotters::element::{Circle, PathElement, Rectangle};
use plotters::prelude::DrawingBackend;
use plotters::series::{DashedLineSeries, LineSeries};
use plotters::style::{Color, RGBColor, ShapeStyle};

use super::layout::{
    self, Axes, Mark, fmt_num, fmt_percent_tick, legend, no_data, start, xy_chart,
};
use super::{ChartError, ClassNames, palette};
use crate::core::format::percent;

/// One bin of a calibration (reliability) plot.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CalPoint {
    /// Mean predicted probability of the rows in the bin (0..=1).
    pub predicted: f64,
    /// Observed rate of positives in the bin (0..=1).
    pub observed: f64,
    /// Lower end of the interval around `observed` (e.g. a 95% Wilson interval).
    pub lower: f64,
    /// Upper end of the interval around `observed`.
    pub upper: f64,
    /// Number of rows in the bin; bins with no rows are not drawn.
    pub count: usize,
}

/// Counts per predicted-risk bin for [`risk_histogram`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RiskCounts<'a> {
    /// All rows together (no labels).
    All(&'a [usize]),
    /// Split by label, overlaid.
    ByLabel {
        /// Rows labelled positive.
        positive: &'a [usize],
        /// Rows labelled negative.
        negative: &'a [usize],
    },
}

fn unit(p: (f64, f64)) -> Option<(f64, f64)> {
    (p.0.is_finite() && p.1.is_finite()).then(|| (p.0.clamp(0.0, 1.0), p.1.clamp(0.0, 1.0)))
}

fn dashed(color: RGBColor) -> ShapeStyle {
    color.stroke_width(2)
}

/// ROC curve from `(false positive rate, true positive rate)` points in the caller's order,
/// with the chance diagonal, the AUC in the legend (when given) and an optional marker for the
/// operating point `(fpr, tpr)` at the current threshold. Non-finite points are skipped; none
/// left draws "No data".
pub fn roc_curve<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    points: &[(f64, f64)],
    auc: Option<f64>,
    operating_point: Option<(f64, f64)>,
) -> Result<(), ChartError> {
    let title = "ROC curve";
    let pts: Vec<(f64, f64)> = points.iter().filter_map(|&p| unit(p)).collect();
    if pts.is_empty() {
        return no_data(area, title);
    }
    let op = operating_point.and_then(unit);
    let Some((t, inner)) = start(area, title)? else {
        return Ok(());
    };
    let model = match auc.filter(|a| a.is_finite()) {
        Some(a) => format!("Model (AUC = {a:.3})"),
        None => "Model".to_owned(),
    };
    let mut items = vec![
        (model, Mark::Line(palette::MODEL)),
        (
            "Chance (AUC = 0.5)".to_owned(),
            Mark::Dashed(palette::REFERENCE),
        ),
    ];
    if let Some((fpr, tpr)) = op {
        items.push((
            format!(
                "Threshold (FPR {}, TPR {})",
                fmt_num(fpr, 2),
                fmt_num(tpr, 2)
            ),
            Mark::Circle(palette::HIGHLIGHT),
        ));
    }
    let inner = legend(&t, &inner, &items)?;
    let (x_desc, y_desc) = if t.compact {
        ("False positive rate", "True positive rate")
    } else {
        (
            "False positive rate (1 − specificity)",
            "True positive rate (sensitivity)",
        )
    };
    let ax = Axes::new((0.0, 1.0), (0.0, 1.0), x_desc, y_desc);
    let mut chart = xy_chart(&t, &inner, &ax)?;
    chart.draw_series(DashedLineSeries::new(
        [(0.0, 0.0), (1.0, 1.0)],
        6,
        5,
        dashed(palette::REFERENCE),
    ))?;
    draw_curve(&mut chart, &pts)?;
    if let Some(p) = op {
        draw_operating_point(&mut chart, p)?;
    }
    Ok(())
}

fn draw_curve<DB: DrawingBackend>(
    chart: &mut layout::XyChart<'_, DB>,
    pts: &[(f64, f64)],
) -> Result<(), ChartError> {
    if pts.len() == 1 {
        chart.draw_series(std::iter::once(Circle::new(
            pts[0],
            4,
            palette::MODEL.filled(),
        )))?;
    } else {
        chart.draw_series(LineSeries::new(
            pts.iter().copied(),
            palette::MODEL.stroke_width(2),
        ))?;
    }
    Ok(())
}

fn draw_operating_point<DB: DrawingBackend>(
    chart: &mut layout::XyChart<'_, DB>,
    p: (f64, f64),
) -> Result<(), ChartError> {
    chart.draw_series([
        Circle::new(p, 6, palette::HIGHLIGHT.filled()),
        Circle::new(p, 6, palette::TEXT.stroke_width(1)),
    ])?;
    Ok(())
}

/// Precision-recall curve from `(recall, precision)` points in the caller's order, with the
/// prevalence baseline (a classifier without skill) when `prevalence` is given, the average
/// precision in the legend when given, and an optional operating point `(recall, precision)`.
/// Non-finite points are skipped; none left draws "No data".
pub fn pr_curve<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    points: &[(f64, f64)],
    prevalence: Option<f64>,
    average_precision: Option<f64>,
    operating_point: Option<(f64, f64)>,
) -> Result<(), ChartError> {
    let title = "Precision–recall curve";
    let pts: Vec<(f64, f64)> = points.iter().filter_map(|&p| unit(p)).collect();
    if pts.is_empty() {
        return no_data(area, title);
    }
    let prev = prevalence
        .filter(|p| p.is_finite())
        .map(|p| p.clamp(0.0, 1.0));
    let op = operating_point.and_then(unit);
    let Some((t, inner)) = start(area, title)? else {
        return Ok(());
    };
    let model = match average_precision.filter(|a| a.is_finite()) {
        Some(a) => format!("Model (AP = {a:.3})"),
        None => "Model".to_owned(),
    };
    let mut items = vec![(model, Mark::Line(palette::MODEL))];
    if let Some(p) = prev {
        items.push((
            format!("Baseline (prevalence {})", percent(p)),
            Mark::Dashed(palette::REFERENCE),
        ));
    }
    if let Some((r, p)) = op {
        items.push((
            format!(
                "Threshold (recall {}, precision {})",
                fmt_num(r, 2),
                fmt_num(p, 2)
            ),
            Mark::Circle(palette::HIGHLIGHT),
        ));
    }
    let inner = legend(&t, &inner, &items)?;
    let ax = Axes::new(
        (0.0, 1.0),
        (0.0, 1.02),
        "Recall (sensitivity)",
        "Precision (PPV)",
    );
    let mut chart = xy_chart(&t, &inner, &ax)?;
    if let Some(p) = prev {
        chart.draw_series(DashedLineSeries::new(
            [(0.0, p), (1.0, p)],
            6,
            5,
            dashed(palette::REFERENCE),
        ))?;
    }
    draw_curve(&mut chart, &pts)?;
    if let Some(p) = op {
        draw_operating_point(&mut chart, p)?;
    }
    Ok(())
}

/// Calibration (reliability) plot: mean predicted risk against the observed rate per bin,
/// with vertical interval bars from `lower` to `upper` and the perfect-calibration diagonal.
/// `before` adds a dashed comparison series "Before calibration" (without interval bars).
/// Bins with no rows or non-finite values are skipped; none left draws "No data".
pub fn calibration<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    points: &[CalPoint],
    before: Option<&[CalPoint]>,
) -> Result<(), ChartError> {
    calibration_named(
        area,
        points,
        before,
        ("After calibration", "Before calibration"),
    )
}

/// [`calibration`] with the legend's names of the two series (`(main, before)`): a
/// recalibration compares the model as it was with the model recalibrated.
pub fn calibration_named<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    points: &[CalPoint],
    before: Option<&[CalPoint]>,
    names: (&str, &str),
) -> Result<(), ChartError> {
    let title = "Calibration";
    let keep = |p: &&CalPoint| p.count > 0 && p.predicted.is_finite() && p.observed.is_finite();
    let main: Vec<&CalPoint> = points.iter().filter(keep).collect();
    let prior: Vec<&CalPoint> = before.unwrap_or(&[]).iter().filter(keep).collect();
    if main.is_empty() && prior.is_empty() {
        return no_data(area, title);
    }
    let Some((t, inner)) = start(area, title)? else {
        return Ok(());
    };
    let main_name = if before.is_some() { names.0 } else { "Model" };
    let mut items = Vec::new();
    if !main.is_empty() {
        items.push((main_name.to_owned(), Mark::LineCircle(palette::MODEL)));
    }
    if !prior.is_empty() {
        items.push((names.1.to_owned(), Mark::Dashed(palette::SECONDARY)));
    }
    items.push((
        "Perfect calibration".to_owned(),
        Mark::Dashed(palette::REFERENCE),
    ));
    let inner = legend(&t, &inner, &items)?;
    let mut ax = Axes::new(
        (0.0, 1.0),
        (0.0, 1.0),
        "Mean predicted risk",
        "Observed rate",
    );
    ax.x_fmt = fmt_percent_tick;
    ax.y_fmt = fmt_percent_tick;
    let mut chart = xy_chart(&t, &inner, &ax)?;
    chart.draw_series(DashedLineSeries::new(
        [(0.0, 0.0), (1.0, 1.0)],
        6,
        5,
        dashed(palette::REFERENCE),
    ))?;
    let xy = |p: &CalPoint| (p.predicted.clamp(0.0, 1.0), p.observed.clamp(0.0, 1.0));
    if !prior.is_empty() {
        chart.draw_series(DashedLineSeries::new(
            prior.iter().map(|p| xy(p)).collect::<Vec<_>>(),
            6,
            4,
            dashed(palette::SECONDARY),
        ))?;
        chart.draw_series(prior.iter().map(|p| {
            Rectangle::new(
                [
                    (xy(p).0 - 0.006, xy(p).1 - 0.006),
                    (xy(p).0 + 0.006, xy(p).1 + 0.006),
                ],
                palette::SECONDARY.filled(),
            )
        }))?;
    }
    if !main.is_empty() {
        let bars: Vec<PathElement<(f64, f64)>> = main
            .iter()
            .filter(|p| p.lower.is_finite() && p.upper.is_finite())
            .flat_map(|p| {
                let x = xy(p).0;
                let (lo, hi) = (p.lower.clamp(0.0, 1.0), p.upper.clamp(0.0, 1.0));
                let style = palette::MODEL.mix(0.6).stroke_width(1);
                [
                    PathElement::new(vec![(x, lo), (x, hi)], style),
                    PathElement::new(vec![(x - 0.008, lo), (x + 0.008, lo)], style),
                    PathElement::new(vec![(x - 0.008, hi), (x + 0.008, hi)], style),
                ]
            })
            .collect();
        chart.draw_series(bars)?;
        if main.len() > 1 {
            chart.draw_series(LineSeries::new(
                main.iter().map(|p| xy(p)),
                palette::MODEL.stroke_width(2),
            ))?;
        }
        chart.draw_series(
            main.iter()
                .map(|p| Circle::new(xy(p), 4, palette::MODEL.filled())),
        )?;
    }
    Ok(())
}

/// Histogram of predicted risks: counts per probability bin (`edges` has one more entry than
/// each count slice), all rows or split by label (overlaid, semi-transparent), with an
/// optional dashed vertical line at the decision `threshold`. The x axis shows percentages.
/// Empty or inconsistent bins draw "No data".
pub fn risk_histogram<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    edges: &[f64],
    counts: RiskCounts<'_>,
    threshold: Option<f64>,
    names: ClassNames<'_>,
) -> Result<(), ChartError> {
    let title = "Predicted risk";
    let layers: Vec<(&[usize], RGBColor, &str)> = match counts {
        RiskCounts::All(c) => vec![(c, palette::UNLABELED, "All rows")],
        RiskCounts::ByLabel { positive, negative } => vec![
            (negative, palette::NEGATIVE, names.negative),
            (positive, palette::POSITIVE, names.positive),
        ],
    };
    let all: Vec<&[usize]> = layers.iter().map(|l| l.0).collect();
    if !layout::valid_bins(edges, &all) || all.iter().all(|c| c.iter().all(|&v| v == 0)) {
        return no_data(area, title);
    }
    let thr = threshold.filter(|v| v.is_finite());
    let Some((t, inner)) = start(area, title)? else {
        return Ok(());
    };
    let mut items: Vec<(String, Mark)> = if layers.len() > 1 {
        layers
            .iter()
            .rev()
            .map(|(c, color, name)| {
                (
                    format!("{name} (n={})", c.iter().sum::<usize>()),
                    Mark::Bar(color.mix(0.45), *color),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    if let Some(th) = thr {
        items.push((
            format!("Threshold {}", percent(th)),
            Mark::Dashed(palette::HIGHLIGHT),
        ));
    }
    let inner = legend(&t, &inner, &items)?;
    let lo = edges[0].min(0.0).min(thr.unwrap_or(0.0));
    let hi = edges[edges.len() - 1].max(1.0).max(thr.unwrap_or(1.0));
    let max = all
        .iter()
        .flat_map(|c| c.iter().copied())
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let mut ax = Axes::new((lo, hi), (0.0, max * 1.08), "Predicted risk", "Rows");
    ax.x_fmt = fmt_percent_tick;
    ax.y_fmt = layout::fmt_count;
    let mut chart = xy_chart(&t, &inner, &ax)?;
    let l: Vec<(&[usize], RGBColor)> = layers.iter().map(|l| (l.0, l.1)).collect();
    let alpha = if l.len() > 1 { 0.45 } else { 0.7 };
    layout::hist_layers(&mut chart, edges, &l, alpha, (hi - lo) / 200.0)?;
    if let Some(th) = thr {
        chart.draw_series(DashedLineSeries::new(
            [(th, 0.0), (th, max * 1.08)],
            6,
            4,
            palette::HIGHLIGHT.stroke_width(2),
        ))?;
    }
    Ok(())
}
