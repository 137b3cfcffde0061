//! Shared layout helpers: theme (fonts and margins by area size), titles, the legend strip,
//! the "No data" message, safe axis ranges and tick formatting.

use plotters::chart::{ChartBuilder, ChartContext};
use plotters::coord::Shift;
use plotters::coord::cartesian::Cartesian2d;
use plotters::coord::types::RangedCoordf64;
use plotters::drawing::DrawingArea;
use plotters::element::{Circle, PathElement, Rectangle, TriangleMarker};
use plotters::prelude::DrawingBackend;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, FontStyle, IntoFont, RGBAColor, RGBColor, TextStyle, WHITE};

use super::palette;
use super::{ChartError, ChartSize, NO_DATA};

/// Smallest area (pixels) in which a chart is drawn; smaller areas stay blank.
pub(crate) const MIN_WIDTH: u32 = 120;
/// See [`MIN_WIDTH`].
pub(crate) const MIN_HEIGHT: u32 = 100;

/// Size of `area` in pixels; zero (not wrapped around) when margins made it empty.
pub(crate) fn dims<DB: DrawingBackend, CT: plotters::coord::CoordTranslate>(
    area: &DrawingArea<DB, CT>,
) -> (u32, u32) {
    let (x, y) = area.get_pixel_range();
    (
        u32::try_from(x.end - x.start).unwrap_or(0),
        u32::try_from(y.end - y.start).unwrap_or(0),
    )
}

/// Font family used everywhere (registered natively by `init_native_fonts`).
pub(crate) const FONT: &str = "sans-serif";

/// Sizes that depend on the drawing area.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Theme {
    pub compact: bool,
    pub width: u32,
    pub title: f64,
    pub label: f64,
    pub small: f64,
    pub margin: u32,
}

impl Theme {
    pub fn of<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>) -> Self {
        let (width, height) = dims(area);
        let compact = width < ChartSize::COMPACT_WIDTH || height < 260;
        // plotters sizes are about 1.24 x the CSS pixel size (SVG font-size = size / 1.24).
        if compact {
            Theme {
                compact,
                width,
                title: 17.0,
                label: 14.5,
                small: 13.0,
                margin: 8,
            }
        } else {
            Theme {
                compact,
                width,
                title: 21.0,
                label: 16.5,
                small: 14.5,
                margin: 14,
            }
        }
    }

    pub fn style(&self, size: f64) -> TextStyle<'static> {
        TextStyle::from((FONT, size).into_font()).color(&palette::TEXT)
    }

    pub fn title_style(&self) -> TextStyle<'static> {
        TextStyle::from((FONT, self.title, FontStyle::Bold).into_font()).color(&palette::TEXT)
    }

    pub fn label_style(&self) -> TextStyle<'static> {
        self.style(self.label)
    }

    pub fn small_style(&self) -> TextStyle<'static> {
        self.style(self.small)
    }

    pub fn x_ticks(&self) -> usize {
        if self.compact { 5 } else { 9 }
    }

    pub fn y_ticks(&self) -> usize {
        if self.compact { 5 } else { 7 }
    }
}

/// Text anchored at `h`/`v`.
pub(crate) fn anchored(style: &TextStyle<'static>, h: HPos, v: VPos) -> TextStyle<'static> {
    style.pos(Pos::new(h, v))
}

/// Width and height of `text` in pixels.
pub(crate) fn text_size<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
) -> Result<(u32, u32), ChartError> {
    if text.is_empty() {
        return Ok((0, 0));
    }
    Ok(area.estimate_text_size(text, style)?)
}

/// `text`, shortened with "…" so that it fits in `max_w` pixels.
pub(crate) fn fit_text<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
    max_w: u32,
) -> Result<String, ChartError> {
    if text_size(area, text, style)?.0 <= max_w {
        return Ok(text.to_owned());
    }
    let chars: Vec<char> = text.chars().collect();
    let (mut lo, mut hi) = (0usize, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let s: String = chars[..mid].iter().collect::<String>() + "…";
        if text_size(area, &s, style)?.0 <= max_w {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    Ok(chars[..lo].iter().collect::<String>().trim_end().to_owned() + "…")
}

/// Theme and drawing area of a started chart.
pub(crate) type Started<DB> = (Theme, DrawingArea<DB, Shift>);

/// Initialises fonts, fills the area white and draws the title; returns the theme and the
/// area below the title (inside the margins).
///
/// `None` when the area is too small for any chart (below [`MIN_WIDTH`] x [`MIN_HEIGHT`]):
/// it is left blank.
pub(crate) fn start<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
) -> Result<Option<Started<DB>>, ChartError> {
    super::init_native_fonts()?;
    area.fill(&WHITE)?;
    let t = Theme::of(area);
    let (w, h) = dims(area);
    if w < MIN_WIDTH || h < MIN_HEIGHT {
        return Ok(None);
    }
    let title = fit_text(
        area,
        title,
        &t.title_style(),
        t.width.saturating_sub(2 * t.margin),
    )?;
    let below = if title.is_empty() {
        area.clone()
    } else {
        let (_, h) = text_size(area, &title, &t.title_style())?;
        let pad = t.margin / 2 + 2;
        let x = i32::try_from(t.width / 2).unwrap_or(0);
        area.draw_text(
            &title,
            &anchored(&t.title_style(), HPos::Center, VPos::Top),
            (x, i32::try_from(pad).unwrap_or(0)),
        )?;
        area.split_vertically(h + 2 * pad).1
    };
    let m = t.margin;
    Ok(Some((t, below.margin(m / 2, m, m, m))))
}

/// Draws the title and a centred `message` (usually [`NO_DATA`]).
pub(crate) fn message<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    message: &str,
) -> Result<(), ChartError> {
    let Some((t, inner)) = start(area, title)? else {
        return Ok(());
    };
    let (w, h) = dims(&inner);
    let style = anchored(&t.label_style(), HPos::Center, VPos::Center).color(&palette::GREY);
    let text = fit_text(&inner, message, &style, w)?;
    inner.draw_text(&text, &style, (to_i32(w / 2), to_i32(h / 2)))?;
    Ok(())
}

/// The "No data" chart.
pub(crate) fn no_data<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
) -> Result<(), ChartError> {
    message(area, title, NO_DATA)
}

pub(crate) fn to_i32(v: u32) -> i32 {
    i32::try_from(v).unwrap_or(i32::MAX)
}

/// Swatch drawn in front of a legend entry.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Mark {
    Bar(RGBAColor, RGBColor),
    Line(RGBColor),
    Dashed(RGBColor),
    Circle(RGBColor),
    Triangle(RGBColor),
    LineCircle(RGBColor),
}

/// Draws legend entries in rows under the title; returns the area below them.
pub(crate) fn legend<DB: DrawingBackend>(
    t: &Theme,
    area: &DrawingArea<DB, Shift>,
    items: &[(String, Mark)],
) -> Result<DrawingArea<DB, Shift>, ChartError> {
    if items.is_empty() {
        return Ok(area.clone());
    }
    let style = anchored(&t.small_style(), HPos::Left, VPos::Center);
    let (w, _) = dims(area);
    let (sw, gap, item_gap) = (18i32, 5i32, if t.compact { 12i32 } else { 18i32 });
    let (_, th) = text_size(area, "Ag", &style)?;
    let line_h = to_i32(th) + 6;
    let (mut x, mut y) = (0i32, 0i32);
    for (label, mark) in items {
        let max_label = (to_i32(w) - sw - gap).max(10);
        let label = fit_text(area, label, &style, u32::try_from(max_label).unwrap_or(10))?;
        let iw = sw + gap + to_i32(text_size(area, &label, &style)?.0);
        if x > 0 && x + iw > to_i32(w) {
            x = 0;
            y += line_h;
        }
        let cy = y + line_h / 2;
        draw_mark(area, *mark, x, cy, sw)?;
        area.draw_text(&label, &style, (x + sw + gap, cy))?;
        x += iw + item_gap;
    }
    let h = y + line_h + 4;
    Ok(area.split_vertically(h).1)
}

fn draw_mark<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    mark: Mark,
    x: i32,
    cy: i32,
    sw: i32,
) -> Result<(), ChartError> {
    let mid = (x + sw / 2, cy);
    match mark {
        Mark::Bar(fill, line) => {
            area.draw(&Rectangle::new(
                [(x + 2, cy - 6), (x + sw - 2, cy + 6)],
                fill.filled(),
            ))?;
            area.draw(&Rectangle::new(
                [(x + 2, cy - 6), (x + sw - 2, cy + 6)],
                line.stroke_width(1),
            ))?;
        }
        Mark::Line(c) => {
            area.draw(&PathElement::new(
                vec![(x, cy), (x + sw, cy)],
                c.stroke_width(2),
            ))?;
        }
        Mark::Dashed(c) => {
            area.draw(&PathElement::new(
                vec![(x, cy), (x + 6, cy)],
                c.stroke_width(2),
            ))?;
            area.draw(&PathElement::new(
                vec![(x + 12, cy), (x + sw, cy)],
                c.stroke_width(2),
            ))?;
        }
        Mark::Circle(c) => area.draw(&Circle::new(mid, 4, c.filled()))?,
        Mark::Triangle(c) => area.draw(&TriangleMarker::new(mid, 5, c.filled()))?,
        Mark::LineCircle(c) => {
            area.draw(&PathElement::new(
                vec![(x, cy), (x + sw, cy)],
                c.stroke_width(2),
            ))?;
            area.draw(&Circle::new(mid, 3, c.filled()))?;
        }
    }
    Ok(())
}

/// Finite min and max of `values`, if any.
pub(crate) fn extent(values: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
}

/// A drawable axis range around `lo..hi`: padded by `pad` of the span, widened when the span
/// is zero, and kept finite.
pub(crate) fn padded(lo: f64, hi: f64, pad: f64) -> (f64, f64) {
    const LIMIT: f64 = 1e300;
    if !lo.is_finite() || !hi.is_finite() {
        return (0.0, 1.0);
    }
    let (lo, hi) = (
        lo.min(hi).clamp(-LIMIT, LIMIT),
        lo.max(hi).clamp(-LIMIT, LIMIT),
    );
    let span = hi - lo;
    if span <= 1e-12 * lo.abs().max(hi.abs()).max(1e-300) {
        let d = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
        return (lo - d, hi + d);
    }
    (lo - span * pad, hi + span * pad)
}

/// Tick label: at most `decimals` decimals, trailing zeros removed, "−0" shown as "0".
pub(crate) fn fmt_num(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return String::new();
    }
    let a = v.abs();
    if a >= 1e6 || (a > 0.0 && a < 1e-4) {
        return format!("{v:.1e}");
    }
    let s = format!("{v:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    };
    if s == "-0" { "0".to_owned() } else { s }
}

/// Tick label for a generic value axis.
pub(crate) fn fmt_tick(v: f64) -> String {
    fmt_num(v, 3)
}

/// Tick label for counts: integers only (blank between them), thousands as "12k".
pub(crate) fn fmt_count(v: f64) -> String {
    if !v.is_finite() || (v - v.round()).abs() > 1e-9 {
        return String::new();
    }
    let v = v.round();
    if v.abs() >= 10_000.0 {
        format!("{}k", fmt_num(v / 1000.0, 1))
    } else {
        format!("{v:.0}")
    }
}

/// Tick label of a probability axis shown as a percentage: the percent style of
/// [`crate::core::format::percent`] (value, space, `%`) without trailing zeros, since ticks
/// are round numbers (`0.2` -> `"20 %"`). Values drawn in a chart (legends, bar labels) use
/// [`crate::core::format::percent`] itself.
pub(crate) fn fmt_percent_tick(v: f64) -> String {
    format!("{} %", fmt_num(v * 100.0, 1))
}

/// Axis set-up of a numeric x/y chart.
pub(crate) struct Axes<'a> {
    pub x: (f64, f64),
    pub y: (f64, f64),
    pub x_desc: &'a str,
    pub y_desc: &'a str,
    pub x_fmt: fn(f64) -> String,
    pub y_fmt: fn(f64) -> String,
    /// Draw x tick labels (false for category axes labelled by hand).
    pub x_labels: bool,
    /// Draw y tick labels and horizontal grid lines.
    pub y_labels: bool,
    /// Fixed width of the y label area (hand-drawn category labels), instead of one sized
    /// for the tick labels.
    pub y_area: Option<u32>,
    /// Number of y ticks, instead of the theme's (small panels need fewer).
    pub y_ticks: Option<usize>,
}

impl<'a> Axes<'a> {
    pub fn new(x: (f64, f64), y: (f64, f64), x_desc: &'a str, y_desc: &'a str) -> Self {
        Self {
            x,
            y,
            x_desc,
            y_desc,
            x_fmt: fmt_tick,
            y_fmt: fmt_tick,
            x_labels: true,
            y_labels: true,
            y_area: None,
            y_ticks: None,
        }
    }
}

pub(crate) type XyChart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Builds a numeric chart with a light grid, tick labels and axis descriptions.
pub(crate) fn xy_chart<'a, DB: DrawingBackend>(
    t: &Theme,
    area: &'a DrawingArea<DB, Shift>,
    ax: &Axes,
) -> Result<XyChart<'a, DB>, ChartError> {
    let small = t.small_style();
    let label = t.label_style();
    let (w, h) = dims(area);
    let (_, lh) = text_size(area, "Ag", &label)?;
    let (_, sh) = text_size(area, "Ag", &small)?;
    // Widest tick label among a few candidates.
    let mut tick_w = 0;
    if ax.y_labels {
        let (lo, hi) = ax.y;
        // Tick values are "nice" numbers: estimate with short roundings of a few values.
        let span = (hi - lo).abs();
        let decimals = if span >= 50.0 {
            0
        } else if span >= 5.0 {
            1
        } else {
            2
        };
        for i in 0..=4 {
            let v = lo + (hi - lo) * f64::from(i) / 4.0;
            let f = 10f64.powi(decimals);
            let v = (v * f).round() / f;
            tick_w = tick_w.max(text_size(area, &(ax.y_fmt)(v), &small)?.0);
        }
    }
    let x_desc = fit_text(area, ax.x_desc, &label, w.saturating_sub(20))?;
    let y_desc = fit_text(area, ax.y_desc, &label, h.saturating_sub(sh * 3))?;
    let desc_w = if y_desc.is_empty() { 0 } else { lh + 6 };
    let y_area = ax.y_area.unwrap_or(tick_w + 10 + desc_w);
    // Without x tick labels the caller draws category labels (label font) under the axis.
    let x_area =
        if ax.x_labels { sh + 10 } else { lh + 12 } + if x_desc.is_empty() { 0 } else { lh + 8 };
    let x_range = ax.x.0..ax.x.1;
    let y_range = ax.y.0..ax.y.1;
    let mut chart = ChartBuilder::on(area)
        .margin_right(t.margin)
        .margin_top(4)
        .x_label_area_size(x_area)
        .y_label_area_size(y_area)
        .build_cartesian_2d(x_range, y_range)?;
    // Tick values computed as lo + k * step can miss zero by a rounding error (-5.6e-17):
    // snap anything within a millionth of the axis span to zero before formatting.
    let snap = |v: f64, (lo, hi): (f64, f64)| {
        if v.abs() <= (hi - lo).abs() * 1e-6 {
            0.0
        } else {
            v
        }
    };
    let xf = |v: &f64| (ax.x_fmt)(snap(*v, ax.x));
    let yf = |v: &f64| (ax.y_fmt)(snap(*v, ax.y));
    let mut mesh = chart.configure_mesh();
    mesh.label_style(small.clone())
        .axis_desc_style(label.clone())
        .bold_line_style(palette::GRID)
        .light_line_style(WHITE.mix(0.0))
        .axis_style(palette::GREY)
        .x_labels(if ax.x_labels { t.x_ticks() } else { 0 })
        .y_labels(if ax.y_labels {
            ax.y_ticks.unwrap_or_else(|| t.y_ticks())
        } else {
            0
        })
        .x_label_formatter(&xf)
        .y_label_formatter(&yf);
    if !x_desc.is_empty() {
        mesh.x_desc(x_desc);
    }
    if !y_desc.is_empty() && ax.y_area.is_none() {
        mesh.y_desc(y_desc);
    }
    if !ax.x_labels {
        mesh.disable_x_mesh();
    }
    if !ax.y_labels {
        mesh.disable_y_mesh();
    }
    mesh.draw()?;
    Ok(chart)
}

/// Pixel position, relative to `area`, of the chart coordinate `p`.
pub(crate) fn rel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &XyChart<'_, DB>,
    p: (f64, f64),
) -> (i32, i32) {
    let (xr, yr) = area.get_pixel_range();
    let (x, y) = chart.backend_coord(&p);
    (x - xr.start, y - yr.start)
}

/// Draws hand-made labels for horizontal bars: `labels[i]` right-aligned left of row `i`,
/// where row `i` sits at `y = rows - 1 - i` (first label on top).
pub(crate) fn row_labels<DB: DrawingBackend>(
    t: &Theme,
    area: &DrawingArea<DB, Shift>,
    chart: &XyChart<'_, DB>,
    labels: &[String],
    x0: f64,
    max_w: u32,
) -> Result<(), ChartError> {
    let style = anchored(&t.small_style(), HPos::Right, VPos::Center);
    let n = labels.len();
    for (i, label) in labels.iter().enumerate() {
        let (x, y) = rel(area, chart, (x0, (n - 1 - i) as f64));
        let text = fit_text(area, label, &style, max_w)?;
        area.draw_text(&text, &style, (x - 6, y))?;
    }
    Ok(())
}

/// Width of the label column of a horizontal bar chart: the widest label, capped at 40% of
/// the area width.
pub(crate) fn row_label_width<DB: DrawingBackend>(
    t: &Theme,
    area: &DrawingArea<DB, Shift>,
    labels: &[String],
) -> Result<u32, ChartError> {
    let style = t.small_style();
    let mut w = 0;
    for l in labels {
        w = w.max(text_size(area, l, &style)?.0);
    }
    let cap = dims(area).0 * 2 / 5;
    Ok(w.min(cap))
}

/// Draws histogram layers (one filled, semi-transparent bar per non-empty bin, outlined in
/// the layer colour). Bins with equal edges (all values equal) get a bar of `min_width`.
pub(crate) fn hist_layers<DB: DrawingBackend>(
    chart: &mut XyChart<'_, DB>,
    edges: &[f64],
    layers: &[(&[usize], RGBColor)],
    alpha: f64,
    min_width: f64,
) -> Result<(), ChartError> {
    for (counts, color) in layers {
        let bars: Vec<(f64, f64, f64)> = counts
            .iter()
            .enumerate()
            .filter(|&(_, &c)| c > 0)
            .filter_map(|(i, &c)| {
                let (a, b) = (*edges.get(i)?, *edges.get(i + 1)?);
                let (a, b) = if b - a < min_width {
                    let m = (a + b) / 2.0;
                    (m - min_width / 2.0, m + min_width / 2.0)
                } else {
                    (a, b)
                };
                Some((a, b, c as f64))
            })
            .collect();
        chart.draw_series(
            bars.iter()
                .map(|&(a, b, c)| Rectangle::new([(a, 0.0), (b, c)], color.mix(alpha).filled())),
        )?;
        chart.draw_series(
            bars.iter()
                .map(|&(a, b, c)| Rectangle::new([(a, 0.0), (b, c)], color.stroke_width(1))),
        )?;
    }
    Ok(())
}

/// Whether histogram `edges` and `counts` fit together and are drawable.
pub(crate) fn valid_bins(edges: &[f64], counts: &[&[usize]]) -> bool {
    edges.len() >= 2
        && edges.iter().all(|e| e.is_finite())
        && edges.windows(2).all(|w| w[0] <= w[1])
        && counts.iter().all(|c| c.len() + 1 == edges.len())
}
