//! Benchmark, not a correctness test (ignored by default): the seed schema's full default
//! search (logistic regression, random forest, gradient boosting over their whole grids, 5
//! folds, one-standard-error selection, as `scripts/retrain-seed.sh` trains the shipped model)
//! on 599 generated rows in the seed format, natively and in headless Chromium, with the same
//! code and the same test profile. Each run prints one line
//! `train-bench seed-full-search target=<t> ms=<wall> sha=<bundle sha256>`; the two bundles
//! must be the same. `scripts/bench-train-browser.sh` runs both, side by side, and prints the
//! ratio (issue 15: training in the browser at most 2x the native time).

use sepsis_risk::core::config::{Selection, TrainConfig};
use sepsis_risk::core::dataset::Dataset;
use sepsis_risk::core::train::{self, SourceInfo};
use sepsis_risk::core::{csv, demo, schema};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test_configure!(run_in_browser);

#[cfg(target_arch = "wasm32")]
fn now_ms() -> f64 {
    js_sys::Date::now()
}

#[cfg(not(target_arch = "wasm32"))]
fn now_ms() -> f64 {
    use std::time::{SystemTime, UNIX_EPOCH};
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

fn report(line: &str) {
    #[cfg(target_arch = "wasm32")]
    wasm_bindgen_test::console_log!("{line}");
    #[cfg(not(target_arch = "wasm32"))]
    println!("{line}");
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[ignore = "benchmark: scripts/bench-train-browser.sh"]
fn seed_full_default_search() {
    let seed = schema::builtin("seed").unwrap();
    let text = demo::demo_csv(&seed, 599, 42).unwrap();
    let ds =
        Dataset::from_table(&csv::parse(text.as_bytes()).unwrap(), &seed, "bench.csv").unwrap();
    let mut config = TrainConfig::for_schema(&seed);
    config.selection = Selection::OneStandardError;
    let source = SourceInfo {
        name: "bench.csv".into(),
        sha256: train::sha256_hex(text.as_bytes()),
    };
    let start = now_ms();
    let outcome = train::train(&ds, &source, &config, &mut |_| {}).expect("training runs");
    let ms = now_ms() - start;
    let json = outcome.bundle.to_json().unwrap();
    let target = if cfg!(target_arch = "wasm32") {
        "wasm32-chromium"
    } else {
        "native"
    };
    report(&format!(
        "train-bench seed-full-search target={target} ms={ms:.0} sha={}",
        train::sha256_hex(json.as_bytes())
    ));
}
