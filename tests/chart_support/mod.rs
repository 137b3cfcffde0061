//! Helpers shared by the chart tests (charts_render.rs, charts_preview.rs): the palette's
//! class colours and checks on rendered SVG text.

use sepsis_risk::charts;

/// Fill of the positive class (Okabe-Ito vermillion).
pub const POS: &str = "#D55E00";
/// Fill of the negative class (Okabe-Ito blue).
pub const NEG: &str = "#0072B2";

/// Every SVG shows every text, and is not the "No data" placeholder.
pub fn assert_texts(svgs: &[String], texts: &[&str]) {
    for svg in svgs {
        for t in texts {
            assert!(svg.contains(t), "missing {t:?} in\n{svg}");
        }
        assert!(!svg.contains(charts::NO_DATA), "unexpected no-data chart");
    }
}

/// Number of SVG elements `<tag` filled with `color` (e.g. "#D55E00").
pub fn count_fill(svg: &str, tag: &str, color: &str) -> usize {
    svg.lines()
        .filter(|l| {
            l.trim_start().starts_with(&format!("<{tag}"))
                && l.contains(&format!("fill=\"{color}\""))
        })
        .count()
}
