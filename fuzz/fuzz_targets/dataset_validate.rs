//! Validation against each built-in schema: a table whose header fits becomes a dataset with
//! one row per record (none dropped), issues in row order, and predictions-ready values.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sepsis_risk::core::csv;
use sepsis_risk::core::dataset::Dataset;
use sepsis_risk::core::schema;

fuzz_target!(|data: &[u8]| {
    let Ok(t) = csv::parse(data) else { return };
    for s in schema::builtins() {
        if let Ok(ds) = Dataset::from_table(&t, &s, "fuzz.csv") {
            assert_eq!(ds.rows.len(), t.records.len(), "no row is ever dropped");
            let per_row = ds.issues_per_row();
            assert_eq!(
                per_row.iter().map(|i| i.len()).sum::<usize>(),
                ds.issues.len(),
                "every issue belongs to a row"
            );
            for r in &ds.rows {
                assert_eq!(r.values.len(), s.features.len());
                assert!(r.values.iter().all(|v| v.is_nan() || v.is_finite()));
            }
            let _ = sepsis_risk::core::eda::summarize(&ds);
        }
    }
});
