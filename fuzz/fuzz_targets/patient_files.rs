//! Per-patient file ingestion (ICU `.psv` stays): the input is cut into up to four files at
//! 0xFF bytes; reading them at once and streaming them one by one agree, and no row is lost.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sepsis_risk::core::files::{self, PatientFileStream};
use sepsis_risk::core::schema;

fuzz_target!(|data: &[u8]| {
    let icu = schema::builtin("icu").expect("icu schema");
    let parts: Vec<(String, Vec<u8>)> = data
        .split(|&b| b == 0xFF)
        .take(4)
        .enumerate()
        .map(|(i, b)| (format!("dir/p{i}.psv"), b.to_vec()))
        .collect();
    let whole = files::read_files(&parts, &icu, "dir");
    let mut stream = PatientFileStream::new(&icu, "dir", true).expect("icu has an ID column");
    let mut streamed = Some(0usize);
    for (name, bytes) in &parts {
        match stream.next_file(name, bytes) {
            Ok(ds) => streamed = streamed.map(|n| n + ds.rows.len()),
            Err(_) => {
                streamed = None;
                break;
            }
        }
    }
    match (&whole, streamed) {
        (Ok(ds), Some(n)) => assert_eq!(ds.rows.len(), n),
        (Err(_), None) => {}
        (w, s) => panic!(
            "whole {:?} vs streamed {s:?}",
            w.as_ref().map(|d| d.rows.len())
        ),
    }
});
