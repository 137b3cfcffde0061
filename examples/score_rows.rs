//! Times the page's scoring step natively (what `sepsis-risk:upload-score` measures in the
//! browser: `core::predict::predict_dataset` over every row of an upload) for generated
//! seed-schema rows and the shipped seed model, best of 5, next to the steps around it.
//!
//! `cargo run --release --example score_rows -- 10000 1000000`

use std::error::Error;
use std::time::Instant;

use sepsis_risk::core::bundle::ModelBundle;
use sepsis_risk::core::{demo, eda, files, predict};

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut best = f64::INFINITY;
    let mut out = None;
    for _ in 0..runs {
        let start = Instant::now();
        let v = f();
        best = best.min(start.elapsed().as_secs_f64() * 1000.0);
        out = Some(v);
    }
    (best, out.expect("at least one run"))
}

fn main() -> Result<(), Box<dyn Error>> {
    let bundle = ModelBundle::from_json(include_str!("../assets/models/seed.json"))?;
    for arg in std::env::args().skip(1) {
        let n: usize = arg.parse()?;
        let text = demo::demo_csv(&bundle.schema, n, 2024).ok_or("no demo data")?;
        let file = [("demo.csv".to_string(), text.into_bytes())];
        let (read_ms, ds) = best_of(3, || files::read_files(&file, &bundle.schema, "demo.csv"));
        let ds = ds?;
        let (eda_ms, _) = best_of(3, || eda::summarize(&ds));
        let (score_ms, p) = best_of(5, || predict::predict_dataset(&bundle, &ds));
        let scored = p?.iter().flatten().count();
        println!(
            "{n} rows ({scored} scored): parse and validate {read_ms:.1} ms, eda {eda_ms:.1} ms, score {score_ms:.2} ms ({:.0} ns a row)",
            score_ms * 1e6 / n as f64
        );
    }
    Ok(())
}
