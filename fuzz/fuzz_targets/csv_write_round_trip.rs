//! The CSV writer: records built from the input (fields split at 0x00, records at 0x01, the
//! first byte picks the delimiter) parse back exactly when written verbatim, and as their
//! spreadsheet-safe form when written by `write_record`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sepsis_risk::core::csv;

fuzz_target!(|data: &[u8]| {
    let Some((&d, rest)) = data.split_first() else {
        return;
    };
    let delimiter = csv::CANDIDATE_DELIMITERS[usize::from(d) % csv::CANDIDATE_DELIMITERS.len()];
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let records: Vec<Vec<&str>> = text
        .split('\u{1}')
        .map(|r| r.split('\0').collect())
        .collect();
    // A header of distinct plain names, as wide as the widest record.
    let width = records.iter().map(Vec::len).max().unwrap_or(1);
    let names: Vec<String> = (0..width).map(|i| format!("c{i}")).collect();
    let header: Vec<&str> = names.iter().map(String::as_str).collect();
    for safe in [false, true] {
        let mut out = String::new();
        let write = if safe {
            csv::write_record
        } else {
            csv::write_record_verbatim
        };
        write(&mut out, &header, delimiter);
        for r in &records {
            write(&mut out, r, delimiter);
        }
        let t = csv::parse_with_delimiter(out.as_bytes(), delimiter).expect("written CSV parses");
        assert_eq!(t.header, names);
        // Records that are one empty field are written as `""`, and a record of no fields
        // cannot arise from split; every record comes back, in order.
        assert_eq!(t.records.len(), records.len());
        for (got, want) in t.records.iter().zip(&records) {
            let want: Vec<String> = want
                .iter()
                .map(|f| {
                    if safe {
                        csv::spreadsheet_safe(f).into_owned()
                    } else {
                        f.to_string()
                    }
                })
                .collect();
            assert_eq!(got.fields, want);
        }
    }
});
