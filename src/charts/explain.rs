//! Explanation charts: global feature importance and the contributions behind one
//! prediction.

use plotters::coord::Shift;
use plotters::drawing::DrawingArea;
use plotters::element::{PathElement, Rectangle};
use plotters::prelude::DrawingBackend;
use plotters::style::Color;
use plotters::style::text_anchor::{HPos, VPos};

use super::layout::{
    self, Axes, Mark, anchored, extent, fmt_num, legend, no_data, rel, row_label_width, row_labels,
    start, text_size, xy_chart,
};
use super::{ChartError, palette};

/// Finite items, in the caller's order.
fn finite(items: &[(String, f64)]) -> Vec<(String, f64)> {
    items.iter().filter(|i| i.1.is_finite()).cloned().collect()
}

/// Value printed at the end of a bar: three significant digits.
fn value_text(v: f64, signed: bool) -> String {
    let a = v.abs();
    let decimals = if a >= 100.0 {
        0
    } else if a >= 10.0 {
        1
    } else if a >= 1.0 {
        2
    } else {
        3
    };
    let s = fmt_num(v, decimals);
    if signed && v > 0.0 {
        format!("+{s}")
    } else {
        s
    }
}

/// Horizontal bars of feature importance, first item on top (sort before calling). Negative
/// importances (possible with permutation importance) extend left of zero. Each bar ends with
/// its value. `x_label` names the measure, e.g. "Mean decrease in AUC". Items with a
/// non-finite value are skipped; none left draws "No data". Size the area with
/// [`super::ChartSize::for_rows`].
pub fn feature_importance<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    items: &[(String, f64)],
    x_label: &str,
) -> Result<(), ChartError> {
    let title = "Feature importance";
    let items = finite(items);
    bars(area, title, &items, x_label, None)
}

/// Contributions to one prediction as diverging horizontal bars from zero: vermillion bars
/// push the risk up, blue bars push it down; each bar ends with its signed value. Labels are
/// the caller's (include the input value, e.g. "Lactate = 4.2 mmol/L"); `scale_caption`
/// names the unit of the contributions, e.g. "log-odds". Items with a non-finite value are
/// skipped; none left draws "No data".
pub fn contributions<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    items: &[(String, f64)],
    scale_caption: &str,
) -> Result<(), ChartError> {
    let title = "What drives this prediction";
    let items = finite(items);
    let x_label = if scale_caption.is_empty() {
        "Contribution".to_owned()
    } else {
        format!("Contribution ({scale_caption})")
    };
    bars(area, title, &items, &x_label, Some(()))
}

/// Shared body: `diverging` colours bars by sign and adds the legend.
pub(super) fn bars<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    items: &[(String, f64)],
    x_label: &str,
    diverging: Option<()>,
) -> Result<(), ChartError> {
    let Some((lo, hi)) = extent(items.iter().map(|i| i.1)) else {
        return no_data(area, title);
    };
    let Some((t, inner)) = start(area, title)? else {
        return Ok(());
    };
    let inner = if diverging.is_some() {
        let items = [
            (
                "Raises risk".to_owned(),
                Mark::Bar(palette::RISK_UP.mix(1.0), palette::RISK_UP),
            ),
            (
                "Lowers risk".to_owned(),
                Mark::Bar(palette::RISK_DOWN.mix(1.0), palette::RISK_DOWN),
            ),
        ];
        legend(&t, &inner, &items)?
    } else {
        inner
    };
    let labels: Vec<String> = items.iter().map(|i| i.0.clone()).collect();
    let lw = row_label_width(&t, &inner, &labels)?;
    // Room for the value text at the bar ends.
    let (w, _) = layout::dims(&inner);
    let plot_w = f64::from(w.saturating_sub(lw + 20 + t.margin).max(40));
    let mut text_w = 0;
    for (_, v) in items {
        text_w = text_w.max(
            text_size(
                &inner,
                &value_text(*v, diverging.is_some()),
                &t.small_style(),
            )?
            .0,
        );
    }
    let (mut xl, mut xh) = (lo.min(0.0), hi.max(0.0));
    if diverging.is_some() {
        let m = xl.abs().max(xh.abs());
        (xl, xh) = (-m, m);
    }
    if xh - xl <= 0.0 {
        (xl, xh) = (-1.0, 1.0);
    }
    // Grow the range so a value label of `text_w` pixels fits beyond the longest bar.
    let frac = (f64::from(text_w) + 8.0) / plot_w;
    let pad = (xh - xl) * frac.min(0.45) / (1.0 - frac.min(0.45));
    if xl < 0.0 {
        xl -= pad;
    }
    if xh > 0.0 || xl >= 0.0 {
        xh += pad;
    }
    let n = items.len();
    let mut ax = Axes::new((xl, xh), (-0.5, n as f64 - 0.5), x_label, "");
    ax.y_labels = false;
    ax.y_area = Some(lw + 10);
    let mut chart = xy_chart(&t, &inner, &ax)?;
    for (i, (_, v)) in items.iter().enumerate() {
        let y = (n - 1 - i) as f64;
        let color = match diverging {
            Some(()) if *v < 0.0 => palette::RISK_DOWN,
            Some(()) => palette::RISK_UP,
            None => palette::NEUTRAL,
        };
        chart.draw_series(std::iter::once(Rectangle::new(
            [(0.0, y - 0.34), (*v, y + 0.34)],
            color.filled(),
        )))?;
    }
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(0.0, -0.5), (0.0, n as f64 - 0.5)],
        palette::TEXT.stroke_width(1),
    )))?;
    row_labels(&t, &inner, &chart, &labels, xl, lw)?;
    for (i, (_, v)) in items.iter().enumerate() {
        let y = (n - 1 - i) as f64;
        let (x, py) = rel(&inner, &chart, (*v, y));
        let (h, dx) = if *v < 0.0 {
            (HPos::Right, -4)
        } else {
            (HPos::Left, 4)
        };
        let style = anchored(&t.small_style(), h, VPos::Center);
        inner.draw_text(&value_text(*v, diverging.is_some()), &style, (x + dx, py))?;
    }
    Ok(())
}
