//! Synthetic demonstration data in a built-in schema's format, generated from a seed.
//!
//! The values are invented (normal draws clipped to plausible ranges, some values "not
//! measured", labels from a known logistic rule); they are not, and do not resemble row by row,
//! any real patient. The app's "load demo data" button and the tests use them; the real data
//! sets are never committed.

use crate::core::csv::write_record;
use crate::core::num;
use crate::core::rng::Rng;
use crate::core::schema::{ColumnKind, Schema};

/// How to draw one column of demo data.
#[derive(Debug, Clone, Copy)]
pub struct DemoColumn {
    /// Schema column name.
    pub name: &'static str,
    /// Mean of the normal draw.
    pub mean: f64,
    /// Standard deviation of the normal draw.
    pub sd: f64,
    /// Decimals written.
    pub decimals: usize,
    /// Probability that the value is written as "not measured" (the schema's missing value, or
    /// blank when the schema has none).
    pub missing_rate: f64,
    /// Weight of the standardised value in the label's log-odds.
    pub weight: f64,
    /// Smallest value drawn (also bounded by the schema's plausible range).
    pub min: f64,
}

/// Demo specification of the seed format (invented parameters of the same order as the
/// published summary statistics of the Pima data).
pub const SEED_DEMO: &[DemoColumn] = &[
    DemoColumn {
        name: "PRG",
        mean: 3.8,
        sd: 3.3,
        decimals: 0,
        missing_rate: 0.0,
        weight: 0.35,
        min: 0.0,
    },
    DemoColumn {
        name: "PL",
        mean: 121.0,
        sd: 31.0,
        decimals: 0,
        missing_rate: 0.01,
        weight: 1.1,
        min: 0.0,
    },
    DemoColumn {
        name: "PR",
        mean: 72.0,
        sd: 12.0,
        decimals: 0,
        missing_rate: 0.05,
        weight: -0.1,
        min: 0.0,
    },
    DemoColumn {
        name: "SK",
        mean: 29.0,
        sd: 10.0,
        decimals: 0,
        missing_rate: 0.3,
        weight: 0.05,
        min: 0.0,
    },
    DemoColumn {
        name: "TS",
        mean: 150.0,
        sd: 110.0,
        decimals: 0,
        missing_rate: 0.45,
        weight: 0.1,
        min: 0.0,
    },
    DemoColumn {
        name: "M11",
        mean: 32.0,
        sd: 7.0,
        decimals: 1,
        missing_rate: 0.015,
        weight: 0.7,
        min: 0.0,
    },
    DemoColumn {
        name: "BD2",
        mean: 0.47,
        sd: 0.33,
        decimals: 3,
        missing_rate: 0.0,
        weight: 0.3,
        min: 0.08,
    },
    DemoColumn {
        name: "Age",
        mean: 33.0,
        sd: 11.0,
        decimals: 0,
        missing_rate: 0.0,
        weight: 0.25,
        min: 21.0,
    },
    DemoColumn {
        name: "Insurance",
        mean: 0.7,
        sd: 0.0,
        decimals: 0,
        missing_rate: 0.0,
        weight: 0.0,
        min: 0.0,
    },
];

fn normal(rng: &mut Rng) -> f64 {
    // Box-Muller; 1 - u keeps the logarithm finite.
    let u = 1.0 - rng.next_f64();
    let v = rng.next_f64();
    (-2.0 * num::ln(u)).sqrt() * num::cos(std::f64::consts::TAU * v)
}

/// `n` rows of demo data in `schema`'s format as CSV text (header: ID, the features in schema
/// order, the label), or `None` when there is no demo specification for the schema or a
/// column of it.
///
/// For a time-series schema (`icu`), `n` is the number of patients (see [`demo_icu_csv`]).
pub fn demo_csv(schema: &Schema, n: usize, seed: u64) -> Option<String> {
    if schema.temporal.is_some() {
        return demo_icu_csv(schema, n, seed);
    }
    let spec = match schema.name.as_str() {
        "seed" => SEED_DEMO,
        _ => return None,
    };
    let cols: Vec<&DemoColumn> = schema
        .features
        .iter()
        .map(|c| spec.iter().find(|d| d.name == c.name))
        .collect::<Option<_>>()?;
    let mut rng = Rng::new(seed);
    let mut out = String::with_capacity(n * 48);
    let mut header: Vec<&str> = Vec::new();
    let id_name = schema.id.as_ref().map(|c| c.name.as_str());
    header.extend(id_name);
    header.extend(schema.features.iter().map(|c| c.name.as_str()));
    header.push(&schema.label.name);
    write_record(&mut out, &header, b',');
    let positive = schema.label.positive.first()?.clone();
    let negative = schema.label.negative.first()?.clone();
    for i in 0..n {
        let mut fields = Vec::with_capacity(header.len());
        if id_name.is_some() {
            fields.push(format!("DEMO{:05}", i + 1));
        }
        let mut logit = -0.75;
        for (col, d) in schema.features.iter().zip(&cols) {
            let value = match &col.kind {
                ColumnKind::Binary => f64::from(rng.next_f64() < d.mean),
                _ => {
                    let z = normal(&mut rng);
                    let mut v = d.mean + d.sd * z;
                    if let Some(r) = col.range {
                        v = v.clamp(
                            r.min.max(d.mean - 3.0 * d.sd),
                            r.max.min(d.mean + 4.0 * d.sd),
                        );
                    }
                    logit += d.weight * z;
                    v
                }
            };
            if rng.next_f64() < d.missing_rate {
                fields.push(
                    col.missing_values
                        .first()
                        .map_or(String::new(), |m| format!("{m}")),
                );
            } else {
                fields.push(format!("{value:.prec$}", prec = d.decimals));
            }
        }
        let p = 1.0 / (1.0 + num::exp(-logit));
        fields.push(if rng.next_f64() < p {
            positive.clone()
        } else {
            negative.clone()
        });
        let refs: Vec<&str> = fields.iter().map(String::as_str).collect();
        write_record(&mut out, &refs, b',');
    }
    Some(out)
}

/// How to draw one variable of the ICU demo series.
#[derive(Debug, Clone, Copy)]
struct IcuDemoVariable {
    name: &'static str,
    /// Population mean and between-patient standard deviation.
    mean: f64,
    sd: f64,
    /// Hour-to-hour noise (standard deviation).
    noise: f64,
    /// Probability that the variable is measured in an hour.
    measured: f64,
    /// Shift at full sepsis (reached at onset, ramping up over the 12 hours before).
    septic_shift: f64,
    decimals: usize,
}

const fn v(
    name: &'static str,
    mean: f64,
    sd: f64,
    noise: f64,
    measured: f64,
    septic_shift: f64,
    decimals: usize,
) -> IcuDemoVariable {
    IcuDemoVariable {
        name,
        mean,
        sd,
        noise,
        measured,
        septic_shift,
        decimals,
    }
}

/// Invented parameters of the same order as published ICU summary statistics (vital signs
/// charted most hours, laboratory values rarely), with sepsis raising heart rate, temperature,
/// respiratory rate, lactate and white cells and lowering blood pressure.
const ICU_DEMO: &[IcuDemoVariable] = &[
    v("HR", 84.0, 12.0, 4.0, 0.92, 22.0, 0),
    v("O2Sat", 97.0, 1.5, 1.2, 0.90, -2.5, 0),
    v("Temp", 36.9, 0.4, 0.25, 0.35, 1.2, 2),
    v("SBP", 123.0, 16.0, 7.0, 0.85, -18.0, 0),
    v("MAP", 82.0, 11.0, 5.0, 0.88, -12.0, 0),
    v("DBP", 63.0, 9.0, 4.0, 0.55, -8.0, 0),
    v("Resp", 18.5, 3.0, 2.0, 0.88, 6.0, 0),
    v("EtCO2", 33.0, 5.0, 2.0, 0.04, 0.0, 0),
    v("BaseExcess", -0.5, 3.5, 1.0, 0.05, -3.0, 0),
    v("HCO3", 24.0, 3.5, 1.0, 0.04, -3.0, 0),
    v("FiO2", 0.5, 0.12, 0.05, 0.08, 0.1, 2),
    v("pH", 7.38, 0.05, 0.02, 0.07, -0.05, 2),
    v("PaCO2", 41.0, 7.0, 3.0, 0.06, 0.0, 0),
    v("SaO2", 93.0, 5.0, 2.0, 0.03, -2.0, 0),
    v("AST", 120.0, 90.0, 20.0, 0.015, 60.0, 0),
    v("BUN", 23.0, 14.0, 2.0, 0.07, 8.0, 0),
    v("Alkalinephos", 100.0, 50.0, 10.0, 0.015, 20.0, 0),
    v("Calcium", 7.9, 1.3, 0.3, 0.06, -0.4, 1),
    v("Chloride", 105.0, 5.0, 1.5, 0.05, 0.0, 0),
    v("Creatinine", 1.4, 1.0, 0.15, 0.07, 0.7, 2),
    v("Bilirubin_direct", 1.2, 1.5, 0.2, 0.004, 0.8, 1),
    v("Glucose", 135.0, 35.0, 20.0, 0.17, 15.0, 0),
    v("Lactate", 1.8, 0.9, 0.4, 0.03, 2.0, 1),
    v("Magnesium", 2.0, 0.3, 0.1, 0.06, 0.0, 1),
    v("Phosphate", 3.5, 1.1, 0.3, 0.04, 0.4, 1),
    v("Potassium", 4.1, 0.5, 0.3, 0.09, 0.2, 1),
    v("Bilirubin_total", 1.4, 1.8, 0.2, 0.015, 0.9, 1),
    v("TroponinI", 4.0, 8.0, 1.0, 0.01, 2.0, 2),
    v("Hct", 31.0, 5.0, 1.0, 0.09, -1.5, 1),
    v("Hgb", 10.4, 1.8, 0.3, 0.07, -0.5, 1),
    v("PTT", 40.0, 15.0, 5.0, 0.03, 6.0, 1),
    v("WBC", 11.0, 5.0, 1.5, 0.06, 6.0, 1),
    v("Fibrinogen", 290.0, 120.0, 20.0, 0.007, 60.0, 0),
    v("Platelets", 200.0, 90.0, 10.0, 0.06, -50.0, 0),
];

/// One generated ICU stay: the patient ID and its rows as a PhysioNet `.psv` file.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoPatient {
    /// Patient ID (also the file name stem, e.g. `demo00001`).
    pub id: String,
    /// The `.psv` text (pipe-separated, `NaN` for missing, label column included).
    pub psv: String,
}

/// How [`demo_icu_patients_with`] invents stays: the knobs that differ between hospitals.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IcuDemoOptions {
    /// Fraction of stays that become septic (0 to 1).
    pub septic_fraction: f64,
    /// Shortest stay in hours (at least 1).
    pub min_hours: usize,
    /// Longest stay in hours (at least `min_hours`).
    pub max_hours: usize,
    /// Factor on every variable's chance of being measured in an hour (1 = as in set A;
    /// probabilities are capped at 1).
    pub measurement_scale: f64,
}

impl Default for IcuDemoOptions {
    /// About a fifth septic, 8 to 57 hours, set A's measurement frequencies.
    fn default() -> Self {
        Self {
            septic_fraction: 0.2,
            min_hours: 8,
            max_hours: 57,
            measurement_scale: 1.0,
        }
    }
}

/// `n` invented ICU stays in the PhysioNet/CinC 2019 format of the `icu` schema (8 to 57
/// hours each, about a fifth of them septic with a Sepsis-3-style label from 6 hours before
/// the invented onset), or `None` for another schema. Same `seed`, same patients.
pub fn demo_icu_patients(schema: &Schema, n: usize, seed: u64) -> Option<Vec<DemoPatient>> {
    demo_icu_patients_with(schema, n, seed, &IcuDemoOptions::default())
}

/// [`demo_icu_patients`] with other prevalence, lengths of stay and measurement frequency
/// (the property tests of training on other hospitals' data, issue 15). `None` for a schema
/// without the ICU variables or options out of range.
pub fn demo_icu_patients_with(
    schema: &Schema,
    n: usize,
    seed: u64,
    options: &IcuDemoOptions,
) -> Option<Vec<DemoPatient>> {
    let IcuDemoOptions {
        septic_fraction,
        min_hours,
        max_hours,
        measurement_scale,
    } = *options;
    if !(0.0..=1.0).contains(&septic_fraction)
        || min_hours == 0
        || max_hours < min_hours
        || !(measurement_scale >= 0.0 && measurement_scale.is_finite())
    {
        return None;
    }
    let spec = schema.temporal.as_ref()?;
    // Every measured variable needs a specification; statics are generated below.
    let vars: Vec<Option<&IcuDemoVariable>> = schema
        .features
        .iter()
        .map(|c| ICU_DEMO.iter().find(|d| d.name == c.name))
        .collect();
    let is_static = |name: &str| spec.static_columns.iter().any(|s| s == name);
    if schema
        .features
        .iter()
        .zip(&vars)
        .any(|(c, d)| d.is_none() && !is_static(&c.name) && c.name != spec.time_column)
    {
        return None;
    }
    let positive = schema.label.positive.first()?.clone();
    let negative = schema.label.negative.first()?.clone();
    let mut rng = Rng::new(seed);
    let mut out = Vec::with_capacity(n);
    let mut header: Vec<&str> = schema.features.iter().map(|c| c.name.as_str()).collect();
    header.push(&schema.label.name);
    for p in 0..n {
        let hours = min_hours + rng.below(max_hours - min_hours + 1);
        let septic = rng.next_f64() < septic_fraction;
        // Onset hour (ICULOS); labels are positive from 6 hours before it.
        let onset = (8 + rng.below(hours.saturating_sub(4).max(1))) as f64;
        let age = (62.0 + 16.0 * normal(&mut rng)).clamp(18.0, 95.0).round();
        let gender = f64::from(rng.next_f64() < 0.56);
        let unit = rng.next_f64();
        let (unit1, unit2) = if unit < 0.5 {
            (1.0, 0.0)
        } else if unit < 0.9 {
            (0.0, 1.0)
        } else {
            (f64::NAN, f64::NAN)
        };
        let adm = -(40.0 * normal(&mut rng)).abs() - 0.02;
        let base: Vec<f64> = vars
            .iter()
            .map(|d| d.map_or(f64::NAN, |d| d.mean + d.sd * normal(&mut rng)))
            .collect();
        let mut text = String::with_capacity(hours * 200);
        write_record(&mut text, &header, b'|');
        for h in 1..=hours {
            let t = h as f64;
            let ramp = if septic {
                ((t - (onset - 12.0)) / 12.0).clamp(0.0, 1.0)
            } else {
                0.0
            };
            let mut fields = Vec::with_capacity(header.len());
            for ((col, d), &b) in schema.features.iter().zip(&vars).zip(&base) {
                let value = match col.name.as_str() {
                    "Age" => age,
                    "Gender" => gender,
                    "Unit1" => unit1,
                    "Unit2" => unit2,
                    "HospAdmTime" => (adm * 100.0).round() / 100.0,
                    n if n == spec.time_column => t,
                    _ => match d {
                        Some(d) if rng.next_f64() < (d.measured * measurement_scale).min(1.0) => {
                            let mut x = b + d.septic_shift * ramp + d.noise * normal(&mut rng);
                            if let Some(r) = col.range {
                                x = x.clamp(r.min, r.max);
                            }
                            let scale = 10f64.powi(d.decimals as i32);
                            (x * scale).round() / scale
                        }
                        _ => f64::NAN,
                    },
                };
                fields.push(if value.is_nan() {
                    "NaN".to_string()
                } else {
                    format!("{value}")
                });
            }
            let label = septic && t >= onset - 6.0;
            fields.push(if label { &positive } else { &negative }.clone());
            let refs: Vec<&str> = fields.iter().map(String::as_str).collect();
            write_record(&mut text, &refs, b'|');
        }
        out.push(DemoPatient {
            id: format!("demo{:05}", p + 1),
            psv: text,
        });
    }
    Some(out)
}

/// The patients of [`demo_icu_patients`] as one comma-separated table with the schema's
/// patient ID column first (the single-file form of the ICU format).
pub fn demo_icu_csv(schema: &Schema, n: usize, seed: u64) -> Option<String> {
    patients_csv(schema, &demo_icu_patients(schema, n, seed)?)
}

/// Generated stays as one comma-separated table with the schema's patient ID column first,
/// or `None` for a schema without an ID column.
pub fn patients_csv(schema: &Schema, patients: &[DemoPatient]) -> Option<String> {
    let id = schema.id.as_ref()?.name.clone();
    let mut out = String::new();
    for (k, p) in patients.iter().enumerate() {
        for (i, line) in p.psv.lines().enumerate() {
            if i == 0 && k > 0 {
                continue;
            }
            let first = if i == 0 { id.as_str() } else { p.id.as_str() };
            let fields: Vec<&str> = std::iter::once(first).chain(line.split('|')).collect();
            write_record(&mut out, &fields, b',');
        }
    }
    Some(out)
}

#[cfg(test)]
mod icu_tests {
    use super::*;
    use crate::core::csv::parse;
    use crate::core::dataset::{Dataset, PatientTablesBuilder};
    use crate::core::schema;

    #[test]
    fn icu_demo_reads_back_without_errors_in_both_forms() {
        let icu = schema::builtin("icu").unwrap();
        let patients = demo_icu_patients(&icu, 40, 3).unwrap();
        assert_eq!(patients, demo_icu_patients(&icu, 40, 3).unwrap());
        assert_ne!(patients, demo_icu_patients(&icu, 40, 4).unwrap());
        let mut b = PatientTablesBuilder::new(&icu, "demo").unwrap();
        let mut rows = 0;
        for p in &patients {
            let table = parse(p.psv.as_bytes()).unwrap();
            rows += table.records.len();
            b.add(&crate::core::dataset::patient_file_name(&p.id), &table)
                .unwrap();
        }
        let ds = b.finish().unwrap();
        assert_eq!(ds.rows.len(), rows);
        assert_eq!(ds.issue_counts(), (0, 0), "{:?}", ds.issues.first());
        assert!(ds.rows.iter().any(|r| r.label == Some(true)));
        assert!(ds.rows.iter().any(|r| r.label == Some(false)));

        let csv = demo_icu_csv(&icu, 40, 3).unwrap();
        let one = Dataset::from_table(&parse(csv.as_bytes()).unwrap(), &icu, "demo.csv").unwrap();
        assert_eq!(one.rows.len(), rows);
        assert_eq!(one.issue_counts(), (0, 0));
        assert_eq!(
            one.rows.iter().map(|r| &r.values).collect::<Vec<_>>().len(),
            ds.rows.len()
        );
        for (a, b) in one.rows.iter().zip(&ds.rows) {
            assert_eq!(a.id, b.id);
            assert_eq!(a.label, b.label);
            assert!(
                a.values
                    .iter()
                    .zip(&b.values)
                    .all(|(x, y)| x == y || (x.is_nan() && y.is_nan()))
            );
        }
    }

    #[test]
    fn seed_schema_has_no_icu_demo() {
        assert!(demo_icu_patients(&schema::builtin("seed").unwrap(), 3, 1).is_none());
    }
}
