//! Charts: plain functions that draw prepared data onto any plotters [`DrawingArea`].
//!
//! Every chart function is generic over the backend (`DB: DrawingBackend`), so the browser
//! draws on a `<canvas>` (plotters-canvas, added by the app) and native code and downloads
//! render SVG ([`render_svg`], built on `SVGBackend::with_string`). Inputs are core results
//! ([`crate::core::eda`]) or plain slices; the functions only lay data out.
//!
//! Contract shared by all charts:
//! - they fill the whole area (white background), draw a title, a legend strip under the
//!   title when there is more than one series, and axis descriptions with units where known;
//! - they return [`ChartError`] only when the backend fails, and never panic: empty input,
//!   NaN/infinite values, a single point or all-equal values draw a chart or a "No data"
//!   message ([`NO_DATA`]);
//! - layout adapts to the area: below [`ChartSize::COMPACT_WIDTH`] pixels (phones) fonts,
//!   margins and tick counts shrink, long labels are shortened with "…".
//!
//! Text: on wasm32 plotters measures text through the browser. Natively it needs a font
//! for text layout; [`init_native_fonts`] registers the embedded DejaVu Sans (every chart
//! function calls it, so callers never have to).
//!
//! Colours: see [`palette`] (Okabe–Ito, colour-blind safe; positive class vermillion,
//! negative class blue in every chart).

pub mod eda;
pub mod explain;
pub mod icu;
mod layout;
pub mod palette;
pub mod performance;

pub use eda::{box_plots, class_balance, correlation_heatmap, histogram, missing_values, scatter};
pub use explain::{contributions, feature_importance};
pub use icu::{measured_fraction, patient_timeline};
pub use performance::{
    CalPoint, RiskCounts, calibration, calibration_named, pr_curve, risk_histogram, roc_curve,
};

use plotters::coord::Shift;
use plotters::drawing::{DrawingArea, DrawingAreaErrorKind, IntoDrawingArea};
use plotters::prelude::SVGBackend;

/// Message drawn in place of a chart when there is nothing to plot.
pub const NO_DATA: &str = "No data";

/// Why a chart could not be drawn.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChartError {
    /// The drawing backend failed (plotters' `DrawingAreaErrorKind`, as text).
    #[error("drawing the chart failed: {0}")]
    Drawing(String),
    /// The embedded font could not be registered for native text layout.
    #[error("the chart font could not be loaded: {0}")]
    Font(String),
}

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for ChartError {
    fn from(e: DrawingAreaErrorKind<E>) -> Self {
        ChartError::Drawing(e.to_string())
    }
}

/// Pixel size of a chart, for creating a backend (`SVGBackend::with_string(&mut s,
/// size.into())`) or sizing a canvas.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChartSize {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

impl ChartSize {
    /// Areas narrower than this (in pixels) use the compact phone layout.
    pub const COMPACT_WIDTH: u32 = 480;
    /// A phone-sized chart (340 x 300).
    pub const PHONE: ChartSize = ChartSize::new(340, 300);
    /// A desktop-sized chart (900 x 500).
    pub const DESKTOP: ChartSize = ChartSize::new(900, 500);

    /// A size of `width` x `height` pixels.
    pub const fn new(width: u32, height: u32) -> Self {
        Self { width, height }
    }

    /// A size for a chart with one row per item (missing values, importance, contributions,
    /// correlation): tall enough for `rows` readable rows at `width`, between 220 and 2400
    /// pixels.
    pub fn for_rows(width: u32, rows: usize) -> Self {
        let compact = width < Self::COMPACT_WIDTH;
        let (header, per_row) = if compact { (110, 20) } else { (130, 24) };
        let rows = u32::try_from(rows).unwrap_or(u32::MAX);
        let height = rows.saturating_mul(per_row).saturating_add(header);
        Self::new(width, height.clamp(220, 2400))
    }

    /// Whether charts of this size use the compact (phone) layout.
    pub fn is_compact(&self) -> bool {
        self.width < Self::COMPACT_WIDTH
    }
}

impl From<ChartSize> for (u32, u32) {
    fn from(s: ChartSize) -> Self {
        (s.width, s.height)
    }
}

/// Display names of the label classes, used in legends and category axes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClassNames<'a> {
    /// The positive class, e.g. "Sepsis".
    pub positive: &'a str,
    /// The negative class, e.g. "No sepsis".
    pub negative: &'a str,
    /// Rows without a label.
    pub unlabeled: &'a str,
}

impl Default for ClassNames<'_> {
    fn default() -> Self {
        Self {
            positive: "Sepsis",
            negative: "No sepsis",
            unlabeled: "Unlabelled",
        }
    }
}

/// Registers the embedded DejaVu Sans as the "sans-serif", "serif" and "monospace" families
/// for plotters' native text layout (the `ab_glyph` font backend has no system fonts).
///
/// Idempotent and cheap after the first call; every chart function calls it, so calling it
/// yourself is only needed to draw your own plotters text natively. On wasm32 it does nothing:
/// the browser lays text out.
#[cfg(not(target_arch = "wasm32"))]
pub fn init_native_fonts() -> Result<(), ChartError> {
    use std::sync::OnceLock;
    static FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
    static DONE: OnceLock<Result<(), ChartError>> = OnceLock::new();
    DONE.get_or_init(|| {
        for family in ["sans-serif", "serif", "monospace"] {
            plotters::style::register_font(family, plotters::style::FontStyle::Normal, FONT)
                .map_err(|_| ChartError::Font("DejaVuSans.ttf is not a valid font".into()))?;
        }
        Ok(())
    })
    .clone()
}

/// Does nothing on wasm32: the browser lays text out. See the native version.
#[cfg(target_arch = "wasm32")]
pub fn init_native_fonts() -> Result<(), ChartError> {
    Ok(())
}

/// Renders one chart to an SVG document of `size`, e.g.
/// `render_svg(ChartSize::PHONE, |a| roc_curve(a, &pts, Some(0.84), None))`.
pub fn render_svg<F>(size: ChartSize, draw: F) -> Result<String, ChartError>
where
    F: for<'a> FnOnce(&DrawingArea<SVGBackend<'a>, Shift>) -> Result<(), ChartError>,
{
    init_native_fonts()?;
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (size.width.max(1), size.height.max(1)))
            .into_drawing_area();
        draw(&root)?;
        root.present()?;
    }
    Ok(out)
}
