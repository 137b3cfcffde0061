//! A chart on a canvas sized to its container, with PNG and SVG downloads.

use leptos::prelude::*;
use plotters::drawing::IntoDrawingArea;
use plotters_canvas::CanvasBackend;

use crate::app::chart_spec::ChartSpec;
use crate::app::components::backend::{ChartBackend, svg};
use crate::app::web;

/// Width used when the container cannot be measured (e.g. not laid out yet).
const FALLBACK_WIDTH: u32 = 640;

/// Draws `spec` with the `charts` functions on a `<canvas>` as wide as its container (redrawn
/// when the data or the window size changes). "Download PNG" saves the canvas; "Download
/// SVG" renders the same chart function to SVG. `name` is the file name stem.
#[component]
pub fn Chart(
    /// What to draw.
    #[prop(into)]
    spec: Signal<ChartSpec>,
    /// File name stem for downloads, e.g. "roc-curve".
    #[prop(into)]
    name: String,
    /// Accessible name of the chart.
    #[prop(into)]
    label: String,
    /// `data-testid` of the canvas, if any.
    #[prop(optional, into)]
    testid: Option<String>,
) -> impl IntoView {
    let container = NodeRef::<leptos::html::Div>::new();
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let width = RwSignal::new(0u32);
    let error = RwSignal::new(None::<String>);

    let measure = move || {
        let w = container
            .get_untracked()
            .map_or(0, |c| c.client_width().max(0) as u32);
        let w = if w == 0 { FALLBACK_WIDTH } else { w };
        if width.get_untracked() != w {
            width.set(w);
        }
    };
    Effect::new(move |_| {
        if container.get().is_some() {
            measure();
        }
    });
    let handle = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || handle.remove());

    Effect::new(move |_| {
        let w = width.get();
        let Some(canvas) = canvas.get() else { return };
        if w == 0 {
            return;
        }
        spec.with(|s| {
            let size = s.size_for(w);
            canvas.set_width(size.width);
            canvas.set_height(size.height);
            let result = match CanvasBackend::with_canvas_object(canvas.clone()) {
                Some(backend) => {
                    let root = ChartBackend::Canvas(backend).into_drawing_area();
                    s.draw(&root)
                        .map_err(|e| e.to_string())
                        .and_then(|()| root.present().map_err(|e| e.to_string()))
                }
                None => Err("this browser cannot draw on a canvas".to_string()),
            };
            error.set(result.err());
        });
    });

    let png_name = format!("{name}.png");
    let download_png = move |_| {
        let Some(c) = canvas.get_untracked() else {
            return;
        };
        let r = c
            .to_data_url()
            .map_err(|_| "cannot export the canvas".to_string())
            .and_then(|url| web::download_url(&png_name, &url));
        error.set(r.err());
    };
    let svg_name = format!("{name}.svg");
    let download_svg = move |_| {
        let w = width.get_untracked().max(1);
        let r = spec
            .with_untracked(|s| svg(s, s.size_for(w)))
            .map_err(|e| e.to_string())
            .and_then(|svg| web::download_text(&svg_name, "image/svg+xml", &svg));
        error.set(r.err());
    };

    view! {
        <figure class="chart" data-chart=name.clone()>
            <div class="chart-canvas" node_ref=container>
                <canvas node_ref=canvas role="img" aria-label=label.clone() data-testid=testid></canvas>
            </div>
            {move || error.get().map(|e| view! { <p class="chart-error" role="alert">{e}</p> })}
            <div class="chart-actions">
                <button type="button" on:click=download_png aria-label=format!("Download PNG: {label}")>
                    "Download PNG"
                </button>
                <button type="button" on:click=download_svg aria-label=format!("Download SVG: {label}")>
                    "Download SVG"
                </button>
            </div>
        </figure>
    }
}
