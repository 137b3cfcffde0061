//! Bundle loading (JSON -> checked model): any text gives a bundle or an error; a bundle that
//! loads can score a row of missing values and a row of zeros without panicking, and its
//! probabilities are probabilities.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sepsis_risk::core::bundle::ModelBundle;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(b) = ModelBundle::from_json(text) else {
        return;
    };
    let n = b.schema.features.len();
    for row in [vec![f64::NAN; n], vec![0.0; n], vec![1e300; n]] {
        if let Ok(p) = b.predict_series(&[&row]) {
            for p in p {
                assert!((0.0..=1.0).contains(&p.probability), "{}", p.probability);
            }
        }
        let _ = b.explain(&row);
    }
    let _ = b.to_json();
});
