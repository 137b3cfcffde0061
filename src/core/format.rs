//! Display formatting of numbers shared by the browser app, the charts and the CLI (pure
//! functions; one style everywhere: `"12.3 %"`, `"–"` for a missing or non-finite value).

/// Longest user-supplied text (a cell, an ID, a header) echoed in a message, in characters.
pub const ECHO_MAX_CHARS: usize = 80;

/// `text` as echoed in a message: whole when short, else its first [`ECHO_MAX_CHARS`]
/// characters and how many more there were, so that a huge cell or header never makes a
/// huge message (`aaaa… (9,920 more characters)`).
pub fn clip(text: &str) -> std::borrow::Cow<'_, str> {
    clip_to(text, ECHO_MAX_CHARS)
}

/// [`clip`] with another limit (in characters).
pub fn clip_to(text: &str, max_chars: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(max_chars) {
        None => std::borrow::Cow::Borrowed(text),
        Some((cut, _)) => {
            let more = text[cut..].chars().count();
            std::borrow::Cow::Owned(format!(
                "{}… ({} more characters)",
                &text[..cut],
                count(more)
            ))
        }
    }
}

/// A probability or rate as a percentage with one decimal, e.g. `0.1234` -> `"12.3 %"`;
/// `"–"` when not finite.
pub fn percent(p: f64) -> String {
    if p.is_finite() {
        format!("{:.1} %", p * 100.0)
    } else {
        "–".to_string()
    }
}

/// A statistic with `decimals` decimals; `"–"` when absent or not finite.
pub fn number(v: Option<f64>, decimals: usize) -> String {
    match v {
        Some(v) if v.is_finite() => format!("{v:.decimals$}"),
        _ => "–".to_string(),
    }
}

/// A number with at most 3 decimals and no trailing zeros (`117.0` -> `"117"`, `0.4726` ->
/// `"0.473"`); `"–"` when not finite.
pub fn short(v: f64) -> String {
    if !v.is_finite() {
        return "–".to_string();
    }
    let s = format!("{v:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// A count with thousands separators, e.g. `687218` -> `"687,218"`.
pub fn count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clip_keeps_short_text_and_cuts_long_text_on_a_character() {
        assert_eq!(clip("short"), "short");
        let long = "é".repeat(ECHO_MAX_CHARS + 1234);
        let c = clip(&long);
        assert!(c.starts_with(&"é".repeat(ECHO_MAX_CHARS)));
        assert!(c.ends_with("… (1,234 more characters)"), "{c}");
        assert_eq!(clip_to("abcdef", 3), "abc… (3 more characters)");
        assert_eq!(clip_to("abc", 3), "abc");
    }

    #[test]
    fn percent_has_one_decimal_and_a_space() {
        assert_eq!(percent(0.1234), "12.3 %");
        assert_eq!(percent(0.5), "50.0 %");
        assert_eq!(percent(0.0), "0.0 %");
        assert_eq!(percent(1.0), "100.0 %");
        assert_eq!(percent(f64::NAN), "–");
        assert_eq!(percent(f64::INFINITY), "–");
    }

    #[test]
    fn numbers_short_and_counts() {
        assert_eq!(number(Some(1.23456), 2), "1.23");
        assert_eq!(number(Some(2.0), 0), "2");
        assert_eq!(number(None, 2), "–");
        assert_eq!(number(Some(f64::NAN), 2), "–");
        assert_eq!(short(117.0), "117");
        assert_eq!(short(0.4726), "0.473");
        assert_eq!(short(-0.0001), "0");
        assert_eq!(short(2.5), "2.5");
        assert_eq!(short(f64::NEG_INFINITY), "–");
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1000), "1,000");
        assert_eq!(count(687_218), "687,218");
        assert_eq!(count(1_234_567), "1,234,567");
    }
}
