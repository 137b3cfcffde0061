//! The chart palette: Okabe–Ito colours, which stay distinguishable under the common forms of
//! colour-vision deficiency (Okabe & Ito, "Color Universal Design", 2008).
//!
//! Roles are fixed across every chart so a colour always means the same thing:
//! - the positive class (and "raises risk") is [`POSITIVE`] (vermillion), the negative class
//!   (and "lowers risk") is [`NEGATIVE`] (blue), unlabelled rows are [`UNLABELED`] (grey);
//! - model curves are [`MODEL`] (black), reference lines (chance, perfect calibration,
//!   prevalence) are dashed [`REFERENCE`] (grey), the current operating point / threshold is
//!   [`HIGHLIGHT`] (reddish purple), a comparison series is dashed [`SECONDARY`] (sky blue);
//! - colours never carry meaning alone: positive points are triangles, negative points
//!   circles, and every series is named in a legend.

use plotters::style::RGBColor;

/// Okabe–Ito blue `#0072B2`.
pub const BLUE: RGBColor = RGBColor(0x00, 0x72, 0xB2);
/// Okabe–Ito orange `#E69F00`.
pub const ORANGE: RGBColor = RGBColor(0xE6, 0x9F, 0x00);
/// Okabe–Ito bluish green `#009E73`.
pub const GREEN: RGBColor = RGBColor(0x00, 0x9E, 0x73);
/// Okabe–Ito vermillion `#D55E00`.
pub const VERMILLION: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
/// Okabe–Ito reddish purple `#CC79A7`.
pub const REDDISH_PURPLE: RGBColor = RGBColor(0xCC, 0x79, 0xA7);
/// Okabe–Ito sky blue `#56B4E9`.
pub const SKY_BLUE: RGBColor = RGBColor(0x56, 0xB4, 0xE9);
/// Okabe–Ito yellow `#F0E442` (too light for thin lines or text on white; fills only).
pub const YELLOW: RGBColor = RGBColor(0xF0, 0xE4, 0x42);
/// Okabe–Ito black `#000000`.
pub const BLACK: RGBColor = RGBColor(0x00, 0x00, 0x00);
/// Neutral grey `#999999` (the grey usually paired with the Okabe–Ito set).
pub const GREY: RGBColor = RGBColor(0x99, 0x99, 0x99);

/// Positive class (e.g. sepsis): vermillion.
pub const POSITIVE: RGBColor = VERMILLION;
/// Negative class: blue.
pub const NEGATIVE: RGBColor = BLUE;
/// Rows without a label: grey.
pub const UNLABELED: RGBColor = GREY;
/// A contribution that raises the predicted risk (same hue as the positive class).
pub const RISK_UP: RGBColor = POSITIVE;
/// A contribution that lowers the predicted risk (same hue as the negative class).
pub const RISK_DOWN: RGBColor = NEGATIVE;
/// Model curves (ROC, precision-recall, calibration).
pub const MODEL: RGBColor = BLACK;
/// Reference lines: chance diagonal, perfect calibration, prevalence baseline (drawn dashed).
pub const REFERENCE: RGBColor = GREY;
/// Current operating point or decision threshold.
pub const HIGHLIGHT: RGBColor = REDDISH_PURPLE;
/// A comparison series, e.g. "before calibration" (drawn dashed).
pub const SECONDARY: RGBColor = SKY_BLUE;
/// Bars without a class meaning (feature importance).
pub const NEUTRAL: RGBColor = GREEN;

/// Missing-values chart: explicit blanks (and absent optional columns).
pub const MISSING_BLANK: RGBColor = GREY;
/// Missing-values chart: values the schema declares as "not measured" (disguised missing).
pub const MISSING_NOT_MEASURED: RGBColor = SKY_BLUE;
/// Missing-values chart: values outside the plausible range.
pub const MISSING_OUT_OF_RANGE: RGBColor = REDDISH_PURPLE;
/// Missing-values chart: values that could not be parsed.
pub const MISSING_INVALID: RGBColor = BLACK;

/// Text colour (near black).
pub const TEXT: RGBColor = RGBColor(0x22, 0x22, 0x22);
/// Grid lines.
pub const GRID: RGBColor = RGBColor(0xE3, 0xE3, 0xE3);
/// Heatmap cells whose value is undefined.
pub const UNDEFINED_CELL: RGBColor = RGBColor(0xD0, 0xD0, 0xD0);

/// Neutral midpoint of the diverging scale.
const DIVERGING_MID: RGBColor = RGBColor(0xF7, 0xF7, 0xF7);

/// Diverging colour for a correlation `r` in `-1..=1`: [`NEGATIVE`] blue at -1, near-white at
/// 0, [`POSITIVE`] vermillion at +1 (values outside are clamped; NaN gives the midpoint).
pub fn diverging(r: f64) -> RGBColor {
    let r = if r.is_nan() { 0.0 } else { r.clamp(-1.0, 1.0) };
    let end = if r < 0.0 { NEGATIVE } else { POSITIVE };
    let t = r.abs();
    let mix = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
    RGBColor(
        mix(DIVERGING_MID.0, end.0),
        mix(DIVERGING_MID.1, end.1),
        mix(DIVERGING_MID.2, end.2),
    )
}

/// Text colour that stays readable on top of [`diverging`]`(r)`.
pub fn diverging_text(r: f64) -> RGBColor {
    if r.abs() > 0.55 {
        RGBColor(0xFF, 0xFF, 0xFF)
    } else {
        TEXT
    }
}
