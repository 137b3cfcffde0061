//! Charts of ICU time-series data: how often each variable is measured, and one patient's
//! stay (predicted risk with the alert threshold and the onset, and the vital signs, by ICU
//! hour).

use plotters::coord::Shift;
use plotters::drawing::DrawingArea;
use plotters::element::Circle;
use plotters::prelude::DrawingBackend;
use plotters::series::{DashedLineSeries, LineSeries};
use plotters::style::{Color, RGBColor};

use super::layout::{
    self, Axes, Mark, XyChart, extent, fmt_percent_tick, legend, no_data, padded, start, xy_chart,
};
use super::{ChartError, palette};
use crate::core::format::percent;

/// Horizontal bars of the fraction of patient-hours in which each variable is measured,
/// first item on top (sort before calling). Items with a non-finite value are skipped; none
/// left draws "No data". Size the area with [`super::ChartSize::for_rows`].
pub fn measured_fraction<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    items: &[(String, f64)],
) -> Result<(), ChartError> {
    let items: Vec<(String, f64)> = items.iter().filter(|i| i.1.is_finite()).cloned().collect();
    super::explain::bars(
        area,
        "How often each variable is measured",
        &items,
        "Fraction of patient-hours with a value",
        None,
    )
}

/// One vital sign of [`patient_timeline`]: label (with unit) and `(hour, value)` points.
pub type VitalSeries<'a> = (&'a str, &'a [(f64, f64)]);

/// Height in pixels of the risk panel and of each vital-sign panel of [`patient_timeline`]
/// (size the area as `RISK_PANEL + VITAL_PANEL * vitals + 90`).
pub const RISK_PANEL: u32 = 230;
/// See [`RISK_PANEL`].
pub const VITAL_PANEL: u32 = 105;

/// One patient's stay by ICU hour: on top the predicted risk (black line with points) with
/// the alert threshold (dashed, reddish purple) and, when known, the onset hour (dashed
/// vertical, vermillion, in every panel); below, one small panel per vital sign with its own
/// scale. Nothing to draw (no risk and no vital sign point) draws "No data".
pub fn patient_timeline<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    risk: &[(f64, f64)],
    threshold: Option<f64>,
    onset: Option<f64>,
    vitals: &[VitalSeries<'_>],
) -> Result<(), ChartError> {
    let title = "Predicted risk and vital signs by ICU hour";
    let ok = |p: &&(f64, f64)| p.0.is_finite() && p.1.is_finite();
    let risk: Vec<(f64, f64)> = risk.iter().filter(ok).copied().collect();
    let vitals: Vec<(&str, Vec<(f64, f64)>)> = vitals
        .iter()
        .map(|(n, p)| (*n, p.iter().filter(ok).copied().collect::<Vec<_>>()))
        .filter(|(_, p)| !p.is_empty())
        .collect();
    let hours = risk
        .iter()
        .map(|p| p.0)
        .chain(vitals.iter().flat_map(|v| v.1.iter().map(|p| p.0)));
    let Some((h0, h1)) = extent(hours.chain(onset.filter(|v| v.is_finite()))) else {
        return no_data(area, title);
    };
    let Some((t, inner)) = start(area, title)? else {
        return Ok(());
    };
    let thr = threshold.filter(|v| v.is_finite());
    let mut items = vec![("Predicted risk".to_owned(), Mark::Line(palette::MODEL))];
    if let Some(th) = thr {
        items.push((
            format!("Threshold {}", percent(th)),
            Mark::Dashed(palette::HIGHLIGHT),
        ));
    }
    if let Some(o) = onset {
        items.push((format!("Onset (hour {o})"), Mark::Dashed(palette::POSITIVE)));
    }
    let inner = legend(&t, &inner, &items)?;
    let x = if h1 > h0 {
        (h0, h1)
    } else {
        padded(h0, h1, 0.05)
    };
    let (_, h) = layout::dims(&inner);
    let n = vitals.len() as u32;
    let risk_h = if n == 0 {
        h
    } else {
        (h.saturating_sub(n * 60)).min(RISK_PANEL).max(h / 3)
    };
    let (top, rest) = inner.split_vertically(risk_h);
    // Risk panel.
    let r_max = extent(risk.iter().map(|p| p.1).chain(thr)).map_or(1.0, |(_, hi)| hi);
    let y_hi = (r_max * 1.15).clamp(0.01, 1.0);
    // One width for every panel's y labels, so the hours line up.
    let y_area = layout::text_size(&top, "10000", &t.small_style())?.0 + 34;
    let mut ax = Axes::new(x, (0.0, y_hi), "ICU hour", "Risk");
    ax.y_fmt = fmt_percent_tick;
    ax.y_area = Some(y_area);
    let mut chart = xy_chart(&t, &top, &ax)?;
    if let Some(th) = thr {
        chart.draw_series(DashedLineSeries::new(
            [(x.0, th), (x.1, th)],
            6,
            4,
            palette::HIGHLIGHT.stroke_width(2),
        ))?;
    }
    if let Some(o) = onset {
        onset_line(&mut chart, o, (0.0, y_hi), 2)?;
    }
    dotted_line(&mut chart, &risk, palette::MODEL, 2)?;
    // One panel per vital sign.
    if n > 0 {
        let panels = rest.split_evenly((vitals.len(), 1));
        let label = t.small_style();
        let (_, lh) = layout::text_size(&rest, "Ag", &label)?;
        for ((name, pts), panel) in vitals.iter().zip(&panels) {
            // The variable's name above its panel (a rotated axis title would not fit).
            let (head, body) = panel.split_vertically(lh + 6);
            let (hw, _) = layout::dims(&head);
            let name = layout::fit_text(&head, name, &label, hw)?;
            head.draw_text(&name, &label, (0, 3))?;
            let (lo, hi) = extent(pts.iter().map(|p| p.1)).unwrap_or((0.0, 1.0));
            let y = padded(lo, hi, 0.1);
            let mut ax = Axes::new(x, y, "", "");
            ax.y_area = Some(y_area);
            // Three ticks: more would overlap in a panel this short.
            ax.y_ticks = Some(3);
            let mut c = xy_chart(&t, &body, &ax)?;
            if let Some(o) = onset {
                onset_line(&mut c, o, y, 1)?;
            }
            dotted_line(&mut c, pts, palette::NEGATIVE, 1)?;
        }
    }
    Ok(())
}

/// The dashed vertical onset marker at hour `o`, from `y.0` to `y.1`.
fn onset_line<DB: DrawingBackend>(
    chart: &mut XyChart<'_, DB>,
    o: f64,
    y: (f64, f64),
    width: u32,
) -> Result<(), ChartError> {
    chart.draw_series(DashedLineSeries::new(
        [(o, y.0), (o, y.1)],
        6,
        4,
        palette::POSITIVE.stroke_width(width),
    ))?;
    Ok(())
}

/// A series drawn as a line with a dot at every observation.
fn dotted_line<DB: DrawingBackend>(
    chart: &mut XyChart<'_, DB>,
    pts: &[(f64, f64)],
    color: RGBColor,
    width: u32,
) -> Result<(), ChartError> {
    chart.draw_series(LineSeries::new(
        pts.iter().copied(),
        color.stroke_width(width),
    ))?;
    chart.draw_series(pts.iter().map(|&p| Circle::new(p, 2, color.filled())))?;
    Ok(())
}
