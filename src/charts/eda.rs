//! Exploratory-data-analysis charts, drawn from [`crate::core::eda`] results.

use plotters::coord::Shift;
use plotters::drawing::DrawingArea;
use plotters::element::{Circle, PathElement, Rectangle, TriangleMarker};
use plotters::prelude::DrawingBackend;
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::{Color, FontTransform, RGBColor};

use super::layout::{
    self, Axes, Mark, anchored, extent, fit_text, fmt_count, legend, no_data, padded, rel,
    row_label_width, row_labels, start, text_size, to_i32, xy_chart,
};
use super::{ChartError, ClassNames, palette};
use crate::core::eda::{BoxStats, ClassBalance, ColumnSummary, Correlation, Histogram};
use crate::core::format::percent;

/// Bar chart of the label counts: positive, negative and (when there are any) unlabelled
/// rows, each bar annotated with its count and share of all rows. `None` (no label column)
/// draws "No data".
pub fn class_balance<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    balance: Option<&ClassBalance>,
    names: ClassNames<'_>,
) -> Result<(), ChartError> {
    let title = "Class balance";
    let Some(b) = balance else {
        return no_data(area, title);
    };
    let mut bars = vec![
        (names.positive, b.positive, palette::POSITIVE),
        (names.negative, b.negative, palette::NEGATIVE),
    ];
    if b.unlabeled > 0 {
        bars.push((names.unlabeled, b.unlabeled, palette::UNLABELED));
    }
    let total: usize = bars.iter().map(|b| b.1).sum();
    if total == 0 {
        return no_data(area, title);
    }
    let max = bars.iter().map(|b| b.1).max().unwrap_or(1) as f64;
    let Some((t, inner)) = start(area, title)? else {
        return Ok(());
    };
    let n = bars.len() as f64;
    let mut ax = Axes::new((-0.5, n - 0.5), (0.0, max * 1.18), "", "Rows");
    ax.x_labels = false;
    ax.y_fmt = fmt_count;
    let mut chart = xy_chart(&t, &inner, &ax)?;
    chart.draw_series(bars.iter().enumerate().map(|(i, &(_, c, color))| {
        let x = i as f64;
        Rectangle::new([(x - 0.32, 0.0), (x + 0.32, c as f64)], color.filled())
    }))?;
    let value_style = anchored(&t.small_style(), HPos::Center, VPos::Bottom);
    let name_style = anchored(&t.label_style(), HPos::Center, VPos::Top);
    let slot = layout::dims(&inner).0 / u32::try_from(bars.len()).unwrap_or(1);
    for (i, &(name, c, _)) in bars.iter().enumerate() {
        let (x, y) = rel(&inner, &chart, (i as f64, c as f64));
        let value = format!("{c} ({})", percent(c as f64 / total as f64));
        inner.draw_text(&value, &value_style, (x, y - 3))?;
        let (_, y0) = rel(&inner, &chart, (i as f64, 0.0));
        let name = fit_text(&inner, name, &name_style, slot.saturating_sub(6))?;
        inner.draw_text(&name, &name_style, (x, y0 + 6))?;
    }
    Ok(())
}

/// Stacked horizontal bars of the missing cells per column, as a percentage of rows:
/// explicit blanks, "not measured" (disguised missing), out-of-range and unparseable values.
/// Columns appear top to bottom in the given order; each bar ends with its total. No columns
/// or no rows draws "No data". Size the area with [`super::ChartSize::for_rows`].
pub fn missing_values<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    columns: &[ColumnSummary],
) -> Result<(), ChartError> {
    let title = "Missing values by column";
    let rows = columns
        .iter()
        .map(|c| c.count + c.blank + c.disguised + c.out_of_range + c.invalid)
        .max()
        .unwrap_or(0);
    if columns.is_empty() || rows == 0 {
        return no_data(area, title);
    }
    let parts = |c: &ColumnSummary| -> [f64; 4] {
        let total = (c.count + c.blank + c.disguised + c.out_of_range + c.invalid).max(1) as f64;
        [c.blank, c.disguised, c.out_of_range, c.invalid].map(|v| 100.0 * v as f64 / total)
    };
    let kinds = [
        ("Blank", palette::MISSING_BLANK),
        ("Not measured", palette::MISSING_NOT_MEASURED),
        ("Out of range", palette::MISSING_OUT_OF_RANGE),
        ("Invalid", palette::MISSING_INVALID),
    ];
    let present: Vec<bool> = (0..4)
        .map(|k| columns.iter().any(|c| parts(c)[k] > 0.0))
        .collect();
    let max_total = columns
        .iter()
        .map(|c| parts(c).iter().sum::<f64>())
        .fold(0.0, f64::max);
    let Some((t, inner)) = start(area, title)? else {
        return Ok(());
    };
    let items: Vec<(String, Mark)> = kinds
        .iter()
        .zip(&present)
        .filter(|(_, p)| **p)
        .map(|((name, c), _)| (name.to_string(), Mark::Bar(c.mix(1.0), *c)))
        .collect();
    let inner = legend(&t, &inner, &items)?;
    let labels: Vec<String> = columns
        .iter()
        .map(|c| {
            if c.label.is_empty() {
                c.name.clone()
            } else {
                c.label.clone()
            }
        })
        .collect();
    let lw = row_label_width(&t, &inner, &labels)?;
    let n = columns.len();
    let x_max = (max_total * 1.2).clamp(5.0, 120.0);
    let mut ax = Axes::new((0.0, x_max), (-0.5, n as f64 - 0.5), "Rows missing (%)", "");
    ax.y_labels = false;
    ax.y_area = Some(lw + 10);
    let mut chart = xy_chart(&t, &inner, &ax)?;
    for (i, c) in columns.iter().enumerate() {
        let y = (n - 1 - i) as f64;
        let p = parts(c);
        let mut x = 0.0;
        for (k, &(_, color)) in kinds.iter().enumerate() {
            if p[k] > 0.0 {
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(x, y - 0.35), (x + p[k], y + 0.35)],
                    color.filled(),
                )))?;
            }
            x += p[k];
        }
    }
    row_labels(&t, &inner, &chart, &labels, 0.0, lw)?;
    let style = anchored(&t.small_style(), HPos::Left, VPos::Center);
    for (i, c) in columns.iter().enumerate() {
        let total: f64 = parts(c).iter().sum();
        let (x, y) = rel(&inner, &chart, (total, (n - 1 - i) as f64));
        inner.draw_text(&percent(total / 100.0), &style, (x + 4, y))?;
    }
    if max_total == 0.0 {
        let (w, h) = layout::dims(&inner);
        let style = anchored(&t.label_style(), HPos::Center, VPos::Center).color(&palette::GREY);
        inner.draw_text("No missing values", &style, (to_i32(w / 2), to_i32(h / 2)))?;
    }
    Ok(())
}

/// Histogram of one column with the positive and negative rows overlaid (semi-transparent
/// bars, outlined in the class colour); unlabelled rows are a third, grey layer. A column
/// without labels draws all rows in grey. Empty or inconsistent bins draw "No data".
pub fn histogram<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    hist: &Histogram,
    title: &str,
    x_label: &str,
    names: ClassNames<'_>,
) -> Result<(), ChartError> {
    let sum = |c: &[usize]| c.iter().sum::<usize>();
    let labelled = sum(&hist.positive) + sum(&hist.negative) > 0;
    let layers: Vec<(&[usize], RGBColor, &str)> = if labelled {
        let mut l: Vec<(&[usize], RGBColor, &str)> = Vec::new();
        if sum(&hist.unlabeled) > 0 {
            l.push((&hist.unlabeled, palette::UNLABELED, names.unlabeled));
        }
        l.push((&hist.negative, palette::NEGATIVE, names.negative));
        l.push((&hist.positive, palette::POSITIVE, names.positive));
        l
    } else {
        vec![(&hist.all, palette::UNLABELED, "All rows")]
    };
    let counts: Vec<&[usize]> = layers.iter().map(|l| l.0).collect();
    if !layout::valid_bins(&hist.edges, &counts) || counts.iter().all(|c| sum(c) == 0) {
        return no_data(area, title);
    }
    let Some((t, inner)) = start(area, title)? else {
        return Ok(());
    };
    let items: Vec<(String, Mark)> = if labelled {
        layers
            .iter()
            .rev()
            .map(|(c, color, name)| {
                (
                    format!("{name} (n={})", sum(c)),
                    Mark::Bar(color.mix(0.45), *color),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let inner = legend(&t, &inner, &items)?;
    draw_bins(
        &t,
        &inner,
        &hist.edges,
        &layers,
        x_label,
        "Rows",
        layout::fmt_tick,
        None,
    )
}

/// Body of the column histogram: axes and the overlaid layers. `x_range` overrides the
/// padded edge range.
#[allow(clippy::too_many_arguments)]
pub(crate) fn draw_bins<DB: DrawingBackend>(
    t: &layout::Theme,
    inner: &DrawingArea<DB, Shift>,
    edges: &[f64],
    layers: &[(&[usize], RGBColor, &str)],
    x_desc: &str,
    y_desc: &str,
    x_fmt: fn(f64) -> String,
    x_range: Option<(f64, f64)>,
) -> Result<(), ChartError> {
    let (lo, hi) = (edges[0], edges[edges.len() - 1]);
    let (xl, xh) = x_range.unwrap_or_else(|| padded(lo, hi, 0.02));
    let min_width = (xh - xl) / 40.0;
    let max = layers
        .iter()
        .flat_map(|l| l.0.iter().copied())
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let mut ax = Axes::new((xl, xh), (0.0, max * 1.08), x_desc, y_desc);
    ax.y_fmt = fmt_count;
    ax.x_fmt = x_fmt;
    let mut chart = xy_chart(t, inner, &ax)?;
    let alpha = if layers.len() > 1 { 0.45 } else { 0.7 };
    let l: Vec<(&[usize], RGBColor)> = layers.iter().map(|l| (l.0, l.1)).collect();
    layout::hist_layers(&mut chart, edges, &l, alpha, min_width)?;
    Ok(())
}

fn finite_box(b: Option<&BoxStats>) -> Option<&BoxStats> {
    b.filter(|b| {
        [b.q1, b.median, b.q3, b.whisker_low, b.whisker_high]
            .iter()
            .all(|v| v.is_finite())
    })
}

/// Box plots (Tukey) of one column for the positive and the negative rows: box from Q1 to
/// Q3, median line, whiskers; the category labels give the counts and the number of
/// outliers is written above the upper whisker. Both `None` draws "No data".
pub fn box_plots<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    y_label: &str,
    positive: Option<&BoxStats>,
    negative: Option<&BoxStats>,
    names: ClassNames<'_>,
) -> Result<(), ChartError> {
    let groups = [
        (names.positive, finite_box(positive), palette::POSITIVE),
        (names.negative, finite_box(negative), palette::NEGATIVE),
    ];
    let Some((lo, hi)) = extent(
        groups
            .iter()
            .filter_map(|g| g.1)
            .flat_map(|b| [b.whisker_low, b.whisker_high, b.q1, b.q3]),
    ) else {
        return no_data(area, title);
    };
    let Some((t, inner)) = start(area, title)? else {
        return Ok(());
    };
    let (yl, yh) = padded(lo, hi, 0.12);
    let mut ax = Axes::new((-0.5, 1.5), (yl, yh), "", y_label);
    ax.x_labels = false;
    let mut chart = xy_chart(&t, &inner, &ax)?;
    let name_style = anchored(&t.label_style(), HPos::Center, VPos::Top);
    let note_style = anchored(&t.small_style(), HPos::Center, VPos::Bottom);
    let slot = layout::dims(&inner).0 / 2;
    for (i, (name, b, color)) in groups.iter().enumerate() {
        let x = i as f64;
        let label = match b {
            Some(b) => format!("{name} (n={})", b.count),
            None => format!("{name} (no data)"),
        };
        let (px, py) = rel(&inner, &chart, (x, yl));
        let label = fit_text(&inner, &label, &name_style, slot.saturating_sub(6))?;
        inner.draw_text(&label, &name_style, (px, py + 6))?;
        let Some(b) = b else { continue };
        let (w, cap) = (0.28, 0.12);
        chart.draw_series([
            PathElement::new(vec![(x, b.q3), (x, b.whisker_high)], color.stroke_width(2)),
            PathElement::new(vec![(x, b.q1), (x, b.whisker_low)], color.stroke_width(2)),
            PathElement::new(
                vec![(x - cap, b.whisker_high), (x + cap, b.whisker_high)],
                color.stroke_width(2),
            ),
            PathElement::new(
                vec![(x - cap, b.whisker_low), (x + cap, b.whisker_low)],
                color.stroke_width(2),
            ),
        ])?;
        chart.draw_series([
            Rectangle::new([(x - w, b.q1), (x + w, b.q3)], color.mix(0.25).filled()),
            Rectangle::new([(x - w, b.q1), (x + w, b.q3)], color.stroke_width(2)),
        ])?;
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(x - w, b.median), (x + w, b.median)],
            palette::TEXT.stroke_width(3),
        )))?;
        if b.outliers > 0 {
            let (ox, oy) = rel(&inner, &chart, (x, b.whisker_high.max(b.q3)));
            let s = if b.outliers == 1 { "" } else { "s" };
            inner.draw_text(
                &format!("{} outlier{s}", b.outliers),
                &note_style,
                (ox, oy - 4),
            )?;
        }
    }
    Ok(())
}

/// Heatmap of a correlation matrix on a diverging blue–white–vermillion scale (-1..+1), with
/// the coefficients printed in the cells when there are at most 12 columns and the cells are
/// large enough; undefined (`None`) cells are grey and marked "–". A colour bar sits below.
/// An empty or non-square matrix draws "No data".
pub fn correlation_heatmap<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    corr: &Correlation,
) -> Result<(), ChartError> {
    let title = "Correlation (Pearson r)";
    let n = corr.names.len();
    if n == 0 || corr.values.len() != n || corr.values.iter().any(|r| r.len() != n) {
        return no_data(area, title);
    }
    let Some((t, inner)) = start(area, title)? else {
        return Ok(());
    };
    let (w, h) = layout::dims(&inner);
    let small = t.small_style();
    let (_, sh) = text_size(&inner, "Ag", &small)?;
    let mut lw = 0;
    for name in &corr.names {
        lw = lw.max(text_size(&inner, name, &small)?.0);
    }
    let row_w = lw.min(w * 3 / 10);
    let col_h = lw.min(h * 3 / 10);
    let bar_h = 10 + sh + 14;
    let nn = u32::try_from(n).unwrap_or(u32::MAX);
    let cell = ((w.saturating_sub(row_w + 8)) / nn)
        .min(h.saturating_sub(col_h + 8 + bar_h) / nn)
        .max(1);
    let grid = cell * nn;
    let x0 = to_i32(row_w + 8);
    let y0 = 0i32;
    let c = to_i32(cell);
    let show_values = n <= 12 && cell >= 20;
    let value_size = (f64::from(cell) * 0.42).clamp(8.0, t.small);
    let value_style = anchored(&t.style(value_size), HPos::Center, VPos::Center);
    for (i, row) in corr.values.iter().enumerate() {
        for (j, v) in row.iter().enumerate() {
            let (cx, cy) = (x0 + to_i32(j as u32) * c, y0 + to_i32(i as u32) * c);
            let v = v.filter(|v| v.is_finite());
            let fill = v.map_or(palette::UNDEFINED_CELL, palette::diverging);
            inner.draw(&Rectangle::new([(cx, cy), (cx + c, cy + c)], fill.filled()))?;
            if show_values {
                let (text, color) = match v {
                    Some(r) => (format!("{r:.2}"), palette::diverging_text(r)),
                    None => ("–".to_owned(), palette::TEXT),
                };
                inner.draw_text(&text, &value_style.color(&color), (cx + c / 2, cy + c / 2))?;
            }
        }
    }
    // Thin white grid lines between cells keep neighbouring equal colours apart.
    if cell >= 6 {
        for k in 0..=n {
            let p = to_i32(k as u32) * c;
            inner.draw(&PathElement::new(
                vec![(x0 + p, y0), (x0 + p, y0 + to_i32(grid))],
                plotters::style::WHITE.stroke_width(1),
            ))?;
            inner.draw(&PathElement::new(
                vec![(x0, y0 + p), (x0 + to_i32(grid), y0 + p)],
                plotters::style::WHITE.stroke_width(1),
            ))?;
        }
    }
    let label_size = (f64::from(cell) * 0.8).clamp(7.0, t.small);
    let row_style = anchored(&t.style(label_size), HPos::Right, VPos::Center);
    let col_style = anchored(&t.style(label_size), HPos::Right, VPos::Center)
        .transform(FontTransform::Rotate270);
    for (k, name) in corr.names.iter().enumerate() {
        let mid = to_i32(k as u32) * c + c / 2;
        let r = fit_text(&inner, name, &row_style, row_w)?;
        inner.draw_text(&r, &row_style, (x0 - 4, y0 + mid))?;
        let cl = fit_text(&inner, name, &t.style(label_size), col_h)?;
        inner.draw_text(&cl, &col_style, (x0 + mid, y0 + to_i32(grid) + 4))?;
    }
    // Colour bar: -1 .. +1, plus the grey "undefined" swatch.
    let by = y0 + to_i32(grid) + to_i32(col_h) + 10;
    let bw = to_i32(
        grid.clamp(120.min(w / 2), 260)
            .min(w.saturating_sub(row_w + 80)),
    );
    let steps = 40;
    for s in 0..steps {
        let r = -1.0 + 2.0 * (f64::from(s) + 0.5) / f64::from(steps);
        let xa = x0 + bw * s / steps;
        let xb = x0 + bw * (s + 1) / steps;
        inner.draw(&Rectangle::new(
            [(xa, by), (xb, by + 10)],
            palette::diverging(r).filled(),
        ))?;
    }
    let tick = anchored(&small, HPos::Center, VPos::Top);
    for (v, label) in [(-1.0, "−1"), (0.0, "0"), (1.0, "+1")] {
        let x = x0 + ((v + 1.0) / 2.0 * f64::from(bw)).round() as i32;
        inner.draw_text(label, &tick, (x, by + 12))?;
    }
    if corr
        .values
        .iter()
        .flatten()
        .any(|v| v.is_none_or(|v| !v.is_finite()))
    {
        let sx = x0 + bw + 16;
        inner.draw(&Rectangle::new(
            [(sx, by), (sx + 14, by + 10)],
            palette::UNDEFINED_CELL.filled(),
        ))?;
        inner.draw_text(
            "undefined",
            &anchored(&small, HPos::Left, VPos::Center),
            (sx + 18, by + 5),
        )?;
    }
    Ok(())
}

/// Scatter plot of two features, coloured by label: negative rows as blue circles, positive
/// rows as vermillion triangles (drawn on top), unlabelled rows as grey circles. Points with
/// a non-finite coordinate are skipped; no point left draws "No data".
pub fn scatter<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    points: &[(f64, f64, Option<bool>)],
    x_label: &str,
    y_label: &str,
    names: ClassNames<'_>,
) -> Result<(), ChartError> {
    let title = format!("{y_label} vs {x_label}");
    let pts: Vec<&(f64, f64, Option<bool>)> = points
        .iter()
        .filter(|p| p.0.is_finite() && p.1.is_finite())
        .collect();
    let (Some(xe), Some(ye)) = (
        extent(pts.iter().map(|p| p.0)),
        extent(pts.iter().map(|p| p.1)),
    ) else {
        return no_data(area, &title);
    };
    let Some((t, inner)) = start(area, &title)? else {
        return Ok(());
    };
    let group = |l: Option<bool>| pts.iter().filter(move |p| p.2 == l).map(|p| (p.0, p.1));
    let counts = [None, Some(false), Some(true)].map(|l| group(l).count());
    let mut items = Vec::new();
    if counts[2] > 0 {
        items.push((
            format!("{} (n={})", names.positive, counts[2]),
            Mark::Triangle(palette::POSITIVE),
        ));
    }
    if counts[1] > 0 {
        items.push((
            format!("{} (n={})", names.negative, counts[1]),
            Mark::Circle(palette::NEGATIVE),
        ));
    }
    if counts[0] > 0 {
        items.push((
            format!("{} (n={})", names.unlabeled, counts[0]),
            Mark::Circle(palette::UNLABELED),
        ));
    }
    let inner = if items.len() > 1 {
        legend(&t, &inner, &items)?
    } else {
        inner
    };
    let ax = Axes::new(
        padded(xe.0, xe.1, 0.05),
        padded(ye.0, ye.1, 0.05),
        x_label,
        y_label,
    );
    let mut chart = xy_chart(&t, &inner, &ax)?;
    let r = if t.compact { 2 } else { 3 };
    chart.draw_series(
        group(None).map(|p| Circle::new(p, r, palette::UNLABELED.mix(0.6).filled())),
    )?;
    chart.draw_series(
        group(Some(false)).map(|p| Circle::new(p, r, palette::NEGATIVE.mix(0.6).filled())),
    )?;
    chart.draw_series(
        group(Some(true))
            .map(|p| TriangleMarker::new(p, r + 1, palette::POSITIVE.mix(0.75).filled())),
    )?;
    Ok(())
}
