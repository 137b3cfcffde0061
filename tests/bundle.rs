//! Properties of trained bundles for every model family: explanations add up, batch and
//! single-row predictions agree, JSON round trips are exact, and loading rejects bad bundles.

use std::sync::OnceLock;

use proptest::prelude::*;
use sepsis_risk::core::Error;
use sepsis_risk::core::bundle::ModelBundle;
use sepsis_risk::core::config::TrainConfig;
use sepsis_risk::core::csv;
use sepsis_risk::core::dataset::Dataset;
use sepsis_risk::core::demo;
use sepsis_risk::core::models::Family;
use sepsis_risk::core::predict;
use sepsis_risk::core::schema;
use sepsis_risk::core::search::Strategy as SearchStrategy;
use sepsis_risk::core::train::{self, SourceInfo};

fn dataset(n: usize, seed: u64) -> Dataset {
    let s = schema::builtin("seed").unwrap();
    let text = demo::demo_csv(&s, n, seed).unwrap();
    Dataset::from_table(&csv::parse(text.as_bytes()).unwrap(), &s, "demo.csv").unwrap()
}

/// One bundle per family: 3 folds, one random candidate, `base` otherwise.
fn train_each_family(ds: &Dataset, source: &SourceInfo, base: TrainConfig) -> Vec<ModelBundle> {
    Family::ALL
        .iter()
        .map(|&f| {
            let config = TrainConfig {
                folds: 3,
                strategy: SearchStrategy::Random { n_iter: 1 },
                families: vec![f],
                ..base.clone()
            };
            train::train(ds, source, &config, &mut |_| {})
                .unwrap()
                .bundle
        })
        .collect()
}

/// One small bundle per family, trained once for all tests.
fn bundles() -> &'static Vec<ModelBundle> {
    static B: OnceLock<Vec<ModelBundle>> = OnceLock::new();
    B.get_or_init(|| {
        let ds = dataset(300, 11);
        let source = SourceInfo {
            name: "demo.csv".into(),
            sha256: train::sha256_hex(b"demo"),
        };
        train_each_family(&ds, &source, TrainConfig::default())
    })
}

/// Rows of schema-ordered values: plausible numbers or missing (NaN).
fn rows() -> impl Strategy<Value = Vec<f64>> {
    let s = schema::builtin("seed").unwrap();
    let cols: Vec<BoxedStrategy<f64>> = s
        .features
        .iter()
        .map(|c| {
            let (lo, hi) = c.range.map_or((0.0, 1.0), |r| (r.min, r.max));
            prop_oneof![4 => lo..=hi, 1 => Just(f64::NAN)].boxed()
        })
        .collect();
    cols
}

#[test]
fn the_batch_path_over_several_blocks_equals_one_row_at_a_time() {
    for b in bundles() {
        let text = demo::demo_csv(&b.schema, 700, 9).unwrap();
        let ds = Dataset::from_table(&csv::parse(text.as_bytes()).unwrap(), &b.schema, "demo.csv")
            .unwrap();
        // Every third row left out, across block boundaries.
        let wanted: Vec<Option<&[f64]>> = ds
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| (i % 3 != 1 && r.is_scorable()).then_some(r.values.as_slice()))
            .collect();
        let each: Vec<_> = wanted
            .iter()
            .map(|r| r.map(|v| b.predict_values(v).unwrap()))
            .collect();
        assert_eq!(b.predict_rows(wanted.iter().copied()).unwrap(), each);
        assert!(each.iter().filter(|p| p.is_some()).count() > 400);
        // A row without any measurement past the first block: the same error as one row.
        let empty = vec![f64::NAN; b.schema.features.len()];
        let mut with_gap = wanted.clone();
        with_gap[300] = Some(empty.as_slice());
        let expected = b.predict_values(&empty).unwrap_err().to_string();
        assert_eq!(
            b.predict_rows(with_gap.iter().copied())
                .unwrap_err()
                .to_string(),
            expected
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn the_batch_path_predicts_each_row_as_one_row_does(
        batch in proptest::collection::vec(rows(), 1..12),
        skip in proptest::collection::vec(any::<bool>(), 12),
    ) {
        for b in bundles() {
            let wanted: Vec<Option<&[f64]>> = batch
                .iter()
                .zip(&skip)
                .map(|(r, s)| (!s).then_some(r.as_slice()))
                .collect();
            let one_by_one: Result<Vec<_>, _> = wanted
                .iter()
                .map(|r| r.map(|v| b.predict_values(v)).transpose())
                .collect();
            match (b.predict_rows(wanted.iter().copied()), one_by_one) {
                (Ok(got), Ok(each)) => prop_assert_eq!(got, each),
                // A row without evidence fails both ways, with the same message.
                (Err(got), Err(each)) => prop_assert_eq!(got.to_string(), each.to_string()),
                (got, each) => prop_assert!(false, "batch {got:?}, one by one {each:?}"),
            }
        }
    }

    #[test]
    fn explanation_adds_up_to_the_model_output(values in rows()) {
        for b in bundles() {
            if b.schema.evidence_gap(&[&values]).is_some() {
                // No clinical value at all: no risk, from either entry point.
                prop_assert!(matches!(b.explain(&values), Err(Error::NoEvidence(_))));
                prop_assert!(matches!(b.predict_values(&values), Err(Error::NoEvidence(_))));
                continue;
            }
            let e = b.explain(&values).unwrap();
            let sum: f64 = e.contributions.iter().map(|c| c.contribution).sum();
            prop_assert!((e.base + sum - e.output).abs() < 1e-9, "{:?}", b.model.family());
            let p = b.predict_values(&values).unwrap();
            prop_assert_eq!(&e.prediction, &p);
            // The output is the model's own scale: log-odds (logistic, boosting) or probability.
            let model_out = if e.scale == "log-odds" {
                1.0 / (1.0 + (-e.output).exp())
            } else {
                e.output
            };
            prop_assert!((model_out - p.model_probability).abs() < 1e-9);
            prop_assert!((0.0..=1.0).contains(&p.probability));
            prop_assert_eq!(p.predicted, p.probability >= b.threshold);
            for (c, v) in e.contributions.iter().zip(&values) {
                prop_assert_eq!(c.value.is_none(), v.is_nan());
                prop_assert_eq!(c.imputed.is_some(), v.is_nan());
            }
        }
    }
}

#[test]
fn json_round_trip_is_exact_and_deterministic() {
    let ds = dataset(120, 5);
    for b in bundles() {
        let json = b.to_json().unwrap();
        let back = ModelBundle::from_json(&json).unwrap();
        assert_eq!(&back, b);
        assert_eq!(back.to_json().unwrap(), json);
        let p1 = predict::predict_dataset(b, &ds).unwrap();
        let p2 = predict::predict_dataset(&back, &ds).unwrap();
        assert_eq!(p1, p2);
        assert_eq!(
            predict::results_csv(b, &ds, &p1),
            predict::results_csv(&back, &ds, &p2)
        );
    }
}

#[test]
fn every_family_is_better_than_chance_on_demo_data() {
    let test = dataset(400, 99);
    for b in bundles() {
        let m = predict::evaluate_dataset(b, &test).unwrap();
        assert!(m.roc_auc > 0.7, "{:?}: {}", b.model.family(), m.roc_auc);
        assert_eq!(m.n, 400);
        // The threshold was chosen for 80 % out-of-fold sensitivity.
        assert!(b.oof_metrics.sensitivity >= 0.8);
    }
}

#[test]
fn loading_rejects_inconsistent_bundles() {
    let b = &bundles()[0];
    let mut bad = b.clone();
    bad.schema.features.pop();
    let e = ModelBundle::from_json(&bad.to_json().unwrap()).unwrap_err();
    assert!(e.to_string().contains("pipeline expects"), "{e}");
    let mut bad = b.clone();
    bad.threshold = 1.5;
    assert!(ModelBundle::from_json(&bad.to_json().unwrap()).is_err());
    let mut bad = b.clone();
    bad.format = "something-else".into();
    let e = ModelBundle::from_json(&bad.to_json().unwrap()).unwrap_err();
    assert!(e.to_string().contains("something-else"), "{e}");
    assert!(ModelBundle::from_json("[]").is_err());
    assert!(ModelBundle::from_json("not json").is_err());
}

#[test]
fn shipped_seed_bundle_loads_and_describes_its_data_truthfully() {
    let json = include_str!("../assets/models/seed.json");
    let b = ModelBundle::from_json(json).unwrap();
    assert_eq!(b.schema.name, "seed");
    let card = &b.model_card;
    assert!(
        card.label_definition.contains("not a sepsis outcome"),
        "{}",
        card.label_definition
    );
    assert!(
        card.intended_use.contains("not sepsis"),
        "{}",
        card.intended_use
    );
    assert!(card.notice.contains("not a medical device"));
    assert_eq!(b.training.config.seed, 42);
    assert_eq!(
        b.training.rows_in_file,
        b.training.rows_used + b.training.rows_excluded
    );
    assert!(b.oof_metrics.sensitivity >= 0.8);
    assert_eq!(b.comparison.len(), 3);
    assert_eq!(b.comparison.iter().filter(|c| c.selected).count(), 1);
}

/// A small ICU (time-series) bundle of each family, trained once on generated stays.
fn icu_bundles() -> &'static Vec<ModelBundle> {
    static B: OnceLock<Vec<ModelBundle>> = OnceLock::new();
    B.get_or_init(|| {
        let s = schema::builtin("icu").unwrap();
        let text = demo::demo_icu_csv(&s, 60, 5).unwrap();
        let ds = Dataset::from_table(&csv::parse(text.as_bytes()).unwrap(), &s, "icu.csv").unwrap();
        let source = SourceInfo {
            name: "icu.csv".into(),
            sha256: train::sha256_hex(text.as_bytes()),
        };
        train_each_family(&ds, &source, TrainConfig::for_schema(&s))
    })
}

/// The 40 variable columns of a generated `.psv` text, one vector per hour.
fn psv_rows(psv: &str) -> Vec<Vec<f64>> {
    psv.lines()
        .skip(1)
        .map(|l| l.split('|').take(40).map(|v| v.parse().unwrap()).collect())
        .collect()
}

#[test]
fn icu_series_predictions_and_explanations_are_consistent() {
    let s = schema::builtin("icu").unwrap();
    let patients = demo::demo_icu_patients(&s, 4, 99).unwrap();
    for b in icu_bundles() {
        assert!(b.is_time_series());
        assert_eq!(b.model_schema().unwrap().features.len(), 212);
        let round = ModelBundle::from_json(&b.to_json().unwrap()).unwrap();
        assert_eq!(&round, b);
        for p in &patients {
            let rows = psv_rows(&p.psv);
            let refs: Vec<&[f64]> = rows.iter().map(Vec::as_slice).collect();
            let series = b.predict_series(&refs).unwrap();
            assert_eq!(series.len(), rows.len());
            // Each hour depends on that hour and earlier ones only.
            for t in [0, rows.len() / 2, rows.len() - 1] {
                let prefix = b.predict_series(&refs[..=t]).unwrap();
                assert_eq!(prefix[t], series[t]);
                let e = b.explain_series(&refs[..=t]).unwrap();
                assert_eq!(e.prediction, series[t]);
                assert_eq!(e.contributions.len(), 40, "one per ICU variable");
                let sum: f64 = e.contributions.iter().map(|c| c.contribution).sum();
                assert!(
                    (e.base + sum - e.output).abs() < 1e-6,
                    "{} {}",
                    b.model.family(),
                    e.base + sum - e.output
                );
            }
            // One row alone is a patient's only hour.
            assert_eq!(b.predict_values(refs[0]).unwrap(), series[0]);
            assert_eq!(b.explain(refs[0]).unwrap().prediction, series[0]);
        }
        // Batch prediction of a dataset equals the per-patient series.
        let text = demo::demo_icu_csv(&s, 4, 99).unwrap();
        let ds = Dataset::from_table(&csv::parse(text.as_bytes()).unwrap(), &s, "x.csv").unwrap();
        let batch: Vec<_> = predict::predict_dataset(b, &ds)
            .unwrap()
            .into_iter()
            .map(Option::unwrap)
            .collect();
        let mut k = 0;
        for p in &patients {
            let rows = psv_rows(&p.psv);
            let refs: Vec<&[f64]> = rows.iter().map(Vec::as_slice).collect();
            for pred in b.predict_series(&refs).unwrap() {
                assert_eq!(batch[k], pred);
                k += 1;
            }
        }
        let icu = predict::evaluate_time_series(b, &ds, &predict::predict_dataset(b, &ds).unwrap())
            .unwrap()
            .unwrap();
        assert_eq!(icu.patients, 4);
    }
}

#[test]
fn icu_bundle_with_a_pipeline_of_the_wrong_width_is_rejected() {
    let mut b = icu_bundles()[0].clone();
    // A seed pipeline (8 inputs) cannot serve 212 time-aware features.
    b.pipeline = bundles()[0].pipeline.clone();
    let err = ModelBundle::from_json(&b.to_json().unwrap()).unwrap_err();
    assert!(err.to_string().contains("212"), "{err}");
}

/// No risk without evidence: every field blank, or only age, pregnancies and insurance, is
/// refused with the schema's reason; one clinical value is enough.
#[test]
fn a_form_without_any_clinical_value_gets_no_risk() {
    let s = schema::builtin("seed").unwrap();
    let n = s.features.len();
    let at = |name: &str| s.feature_index(name).unwrap();
    let blank = vec![f64::NAN; n];
    let mut demographics = blank.clone();
    demographics[at("Age")] = 50.0;
    demographics[at("PRG")] = 2.0;
    demographics[at("Insurance")] = 1.0;
    let mut one = blank.clone();
    one[at("PL")] = 130.0;
    for b in bundles() {
        for v in [&blank, &demographics] {
            let e = b.explain(v).unwrap_err().to_string();
            assert!(
                e.starts_with("no risk given: a prediction needs at least one clinical value"),
                "{e}"
            );
            assert!(b.predict_values(v).is_err());
        }
        assert!(b.explain(&one).is_ok());
    }
}

/// A bundle file from before the evidence rule (no `evidence` in its schema) applies the
/// built-in schema's rule; a custom schema without one applies none.
#[test]
fn old_bundles_take_the_builtin_evidence_rule() {
    let b = &bundles()[0];
    let json = b.to_json().unwrap();
    // Cut the rule out of the text (a JSON value would reorder the tagged fields).
    let start = json.find(",\"evidence\":{").expect("the schema has a rule");
    let end = start + json[start..].find('}').unwrap() + 1;
    let old_json = format!("{}{}", &json[..start], &json[end..]);
    assert!(!old_json.contains("\"evidence\""));
    let old = ModelBundle::from_json(&old_json).unwrap();
    assert_eq!(old.schema.evidence, b.schema.evidence);
    assert!(old.schema.evidence.is_some());
    let custom_json = old_json.replacen("\"name\":\"seed\"", "\"name\":\"my-hospital\"", 1);
    let custom = ModelBundle::from_json(&custom_json).unwrap();
    assert_eq!(custom.schema.name, "my-hospital");
    assert!(custom.schema.evidence.is_none());
}

/// Training on generated hourly data of other hospitals: other prevalences, lengths of stay
/// and measurement frequencies (issue 15). Every run either gives a bundle or, when a fold
/// cannot hold both classes, says so; it never fails in a numerical stage.
fn train_other_hospital(
    n: usize,
    seed: u64,
    options: demo::IcuDemoOptions,
    family: Family,
) -> Result<ModelBundle, Error> {
    let s = schema::builtin("icu").unwrap();
    let patients = demo::demo_icu_patients_with(&s, n, seed, &options).unwrap();
    let text = demo::patients_csv(&s, &patients).unwrap();
    let ds = Dataset::from_table(&csv::parse(text.as_bytes()).unwrap(), &s, "other.csv").unwrap();
    let source = SourceInfo {
        name: "other.csv".into(),
        sha256: train::sha256_hex(text.as_bytes()),
    };
    let config = TrainConfig {
        folds: 3,
        strategy: SearchStrategy::Random { n_iter: 1 },
        families: vec![family],
        seed,
        ..TrainConfig::for_schema(&s)
    };
    train::train(&ds, &source, &config, &mut |_| {}).map(|o| o.bundle)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]
    #[test]
    fn training_holds_on_other_hospitals_data(
        n in 24usize..70,
        seed in 0u64..1_000,
        septic_fraction in 0.03f64..0.7,
        min_hours in 1usize..30,
        extra_hours in 0usize..90,
        measurement_scale in 0.15f64..3.0,
        family in 0usize..3,
    ) {
        let options = demo::IcuDemoOptions {
            septic_fraction,
            min_hours,
            max_hours: min_hours + extra_hours,
            measurement_scale,
        };
        match train_other_hospital(n, seed, options, Family::ALL[family]) {
            Ok(b) => {
                // A bundle that loads back: every check of a model file holds.
                let round = ModelBundle::from_json(&b.to_json().unwrap()).unwrap();
                prop_assert_eq!(&round, &b);
                prop_assert!(b.threshold > 0.0 && b.threshold < 1.0);
                prop_assert!(b.oof_metrics.sensitivity.is_finite());
            }
            // Too few septic stays for the folds is a statement about the data, not a failure.
            Err(Error::InsufficientData(msg)) => {
                prop_assert!(msg.contains("positive") || msg.contains("septic") || msg.contains("class"), "{}", msg);
            }
            Err(e) => prop_assert!(false, "training failed: {}", e),
        }
    }
}
