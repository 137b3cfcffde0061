//! One training run natively and in the browser: the same data, configuration and seed give
//! the same bundle on both, byte for byte, because everything the core computes has one
//! implementation on every target (`core::num` for exp/ln/..., `core::parallel` results in
//! item order, our own line search for logistic regression).
//!
//! - natively: `cargo test --test training_parity`;
//! - in headless Chromium: `CHROMEDRIVER=/usr/bin/chromedriver cargo test --target
//!   wasm32-unknown-unknown --test training_parity` (scripts/test.sh runs both).
//!
//! Both compare the bundles' SHA-256 with `tests/fixtures/training-parity.sha256`. After a
//! deliberate change of the engine's arithmetic, `UPDATE_TRAINING_PARITY=1 cargo test --test
//! training_parity` rewrites it natively; the browser run must then agree with it.

use sepsis_risk::core::config::TrainConfig;
use sepsis_risk::core::dataset::Dataset;
use sepsis_risk::core::models::Family;
use sepsis_risk::core::search::Strategy;
use sepsis_risk::core::train::{self, SourceInfo};
use sepsis_risk::core::{csv, demo, schema};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test_configure!(run_in_browser);

const EXPECTED: &str = include_str!("fixtures/training-parity.sha256");

/// The SHA-256 of the bundle trained on `ds` with `families` and a small random search.
fn bundle_sha(ds: &Dataset, bytes: &[u8], families: Vec<Family>) -> String {
    let mut config = TrainConfig::for_schema(&ds.schema);
    config.families = families;
    config.folds = 3;
    config.strategy = Strategy::Random { n_iter: 2 };
    let source = SourceInfo {
        name: "parity".into(),
        sha256: train::sha256_hex(bytes),
    };
    let outcome = train::train(ds, &source, &config, &mut |_| {}).expect("training runs");
    train::sha256_hex(
        outcome
            .bundle
            .to_json()
            .expect("bundle serialises")
            .as_bytes(),
    )
}

/// `name sha` lines: the seed schema's logistic regression and boosting, and a small ICU
/// boosting model.
fn parity_lines() -> String {
    let seed = schema::builtin("seed").unwrap();
    let text = demo::demo_csv(&seed, 300, 5).unwrap();
    let ds =
        Dataset::from_table(&csv::parse(text.as_bytes()).unwrap(), &seed, "parity.csv").unwrap();
    let seed_sha = bundle_sha(
        &ds,
        text.as_bytes(),
        vec![Family::Logistic, Family::Boosting],
    );

    let icu = schema::builtin("icu").unwrap();
    let patients = demo::demo_icu_patients(&icu, 60, 3).unwrap();
    let tables: Vec<(String, csv::CsvTable)> = patients
        .iter()
        .map(|p| {
            (
                format!("{}.psv", p.id),
                csv::parse(p.psv.as_bytes()).unwrap(),
            )
        })
        .collect();
    let ds = Dataset::from_patient_tables(&tables, &icu, "parity").unwrap();
    let bytes: Vec<u8> = patients.iter().flat_map(|p| p.psv.bytes()).collect();
    let icu_sha = bundle_sha(&ds, &bytes, vec![Family::Boosting]);
    format!("seed-logistic-boosting {seed_sha}\nicu-boosting {icu_sha}\n")
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn training_gives_the_recorded_bundles() {
    let got = parity_lines();
    #[cfg(not(target_arch = "wasm32"))]
    if std::env::var_os("UPDATE_TRAINING_PARITY").is_some() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/training-parity.sha256"
        );
        std::fs::write(path, &got).unwrap();
        return;
    }
    assert_eq!(
        got, EXPECTED,
        "the trained bundles differ from tests/fixtures/training-parity.sha256 (see this file's \
         documentation)"
    );
}
