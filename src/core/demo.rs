//! Synthetic demonstration data in a built-in schema's format, generated from a seed.
//!
//! The values are invented (normal draws clipped to plausible ranges, some values "not
//! measured", labels from a known logistic rule); they are not, and do not resemble row by row,
//! any real patient. The app's "load demo data" button and the tests use them; the real data
//! sets are never committed.

use crate::core::csv::write_record;
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
    (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
}

/// `n` rows of demo data in `schema`'s format as CSV text (header: ID, the features in schema
/// order, the label), or `None` when there is no demo specification for the schema or a
/// column of it.
pub fn demo_csv(schema: &Schema, n: usize, seed: u64) -> Option<String> {
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
        let p = 1.0 / (1.0 + (-logit).exp());
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
