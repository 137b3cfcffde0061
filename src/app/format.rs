//! App-only display formatting (values with units, delimiter names). The number formatters
//! shared with the charts and the CLI (`percent`, `number`, `short`, `count`) are
//! [`crate::core::format`]'s.

use crate::core::format::short;

/// A value with its unit, e.g. `"117 mg/dL"`, using up to 3 significant decimals without
/// trailing zeros.
pub fn with_unit(v: f64, unit: &str) -> String {
    let s = short(v);
    if unit.is_empty() {
        s
    } else {
        format!("{s} {unit}")
    }
}

/// Human name of a CSV delimiter, e.g. `b';'` -> `"semicolon (;)"`.
pub fn delimiter_name(d: u8) -> String {
    match d {
        b',' => "comma (,)".to_string(),
        b';' => "semicolon (;)".to_string(),
        b'\t' => "tab".to_string(),
        b'|' => "pipe (|)".to_string(),
        other => format!("\"{}\"", char::from(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(with_unit(32.5, "kg/m²"), "32.5 kg/m²");
        assert_eq!(with_unit(2.0, ""), "2");
        assert_eq!(delimiter_name(b';'), "semicolon (;)");
        assert_eq!(delimiter_name(b'\t'), "tab");
    }
}
