//! One plotters backend type for both outputs of a chart: the page's canvas and the SVG
//! download.
//!
//! Every chart function is generic over the backend; drawn with `CanvasBackend` and with
//! `SVGBackend`, each was compiled twice into the browser build (about 60 KB of wasm). Drawing
//! both through [`ChartBackend`], which forwards every call to the backend it wraps, compiles
//! them once. The output is the same: each method calls the wrapped backend's own method.

use plotters::drawing::IntoDrawingArea;
use plotters::prelude::SVGBackend;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};
use plotters_canvas::CanvasBackend;

/// plotters-canvas does not export its error type's name.
type CanvasError = <CanvasBackend as DrawingBackend>::ErrorType;

use crate::app::chart_spec::ChartSpec;
use crate::charts::{self, ChartError, ChartSize};

/// The canvas or SVG backend.
pub enum ChartBackend<'a> {
    /// The page's `<canvas>`.
    Canvas(CanvasBackend),
    /// An SVG document written into a string.
    Svg(SVGBackend<'a>),
}

/// The wrapped backend's error (shown as that error's text).
#[derive(Debug)]
pub enum ChartBackendError {
    /// From the canvas backend.
    Canvas(CanvasError),
    /// From the SVG backend.
    Svg(std::io::Error),
}

impl std::fmt::Display for ChartBackendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChartBackendError::Canvas(e) => e.fmt(f),
            ChartBackendError::Svg(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for ChartBackendError {}

type Res = Result<(), DrawingErrorKind<ChartBackendError>>;

/// The wrapped backend's result with its error wrapped.
fn lift<T, E: std::error::Error + Send + Sync>(
    r: Result<T, DrawingErrorKind<E>>,
    wrap: fn(E) -> ChartBackendError,
) -> Result<T, DrawingErrorKind<ChartBackendError>> {
    r.map_err(|e| match e {
        DrawingErrorKind::DrawingError(e) => DrawingErrorKind::DrawingError(wrap(e)),
        DrawingErrorKind::FontError(e) => DrawingErrorKind::FontError(e),
    })
}

/// Calls `$method` on the wrapped backend and converts its error.
macro_rules! forward {
    ($self:ident, $b:ident => $call:expr) => {
        match $self {
            ChartBackend::Canvas($b) => lift($call, ChartBackendError::Canvas),
            ChartBackend::Svg($b) => lift($call, ChartBackendError::Svg),
        }
    };
}

impl DrawingBackend for ChartBackend<'_> {
    type ErrorType = ChartBackendError;

    fn get_size(&self) -> (u32, u32) {
        match self {
            ChartBackend::Canvas(b) => b.get_size(),
            ChartBackend::Svg(b) => b.get_size(),
        }
    }

    fn ensure_prepared(&mut self) -> Res {
        forward!(self, b => b.ensure_prepared())
    }

    fn present(&mut self) -> Res {
        forward!(self, b => b.present())
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Res {
        forward!(self, b => b.draw_pixel(point, color))
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Res {
        forward!(self, b => b.draw_line(from, to, style))
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Res {
        forward!(self, b => b.draw_rect(upper_left, bottom_right, style, fill))
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Res {
        forward!(self, b => b.draw_path(path, style))
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Res {
        forward!(self, b => b.draw_circle(center, radius, style, fill))
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Res {
        forward!(self, b => b.fill_polygon(vert, style))
    }

    fn draw_text<TStyle: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &TStyle,
        pos: BackendCoord,
    ) -> Res {
        forward!(self, b => b.draw_text(text, style, pos))
    }

    fn estimate_text_size<TStyle: BackendTextStyle>(
        &self,
        text: &str,
        style: &TStyle,
    ) -> Result<(u32, u32), DrawingErrorKind<ChartBackendError>> {
        forward!(self, b => b.estimate_text_size(text, style))
    }

    fn blit_bitmap(&mut self, pos: BackendCoord, size: (u32, u32), src: &[u8]) -> Res {
        forward!(self, b => b.blit_bitmap(pos, size, src))
    }
}

/// The chart as an SVG document of `size`: [`ChartSpec::svg`] through [`ChartBackend`].
pub fn svg(spec: &ChartSpec, size: ChartSize) -> Result<String, ChartError> {
    charts::init_native_fonts()?;
    let mut out = String::new();
    {
        let root = ChartBackend::Svg(SVGBackend::with_string(
            &mut out,
            (size.width.max(1), size.height.max(1)),
        ))
        .into_drawing_area();
        spec.draw(&root)?;
        root.present()?;
    }
    Ok(out)
}
