//! CSV/PSV sniffing and parsing: any bytes give a table or an error, never a panic; a table
//! has increasing record lines and a valid delimiter.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sepsis_risk::core::csv;

fuzz_target!(|data: &[u8]| {
    if let Ok(t) = csv::parse(data) {
        assert!(csv::is_valid_delimiter(t.delimiter));
        assert!(t.records.windows(2).all(|w| w[0].line < w[1].line));
        assert!(t.records.first().is_none_or(|r| r.line >= 2));
    }
    if let Some((&d, rest)) = data.split_first() {
        let _ = csv::parse_with_delimiter(rest, d);
    }
});
