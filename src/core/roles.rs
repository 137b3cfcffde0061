//! A column-role mapping (a "roles file"): how to read any labelled CSV, or hourly patient
//! files, that is in neither built-in format. It names the label column and its positive
//! values, the ID column, the numeric, binary and categorical features with the codes that
//! mean "not measured", and for hourly data the patient and hour columns. [`Roles::schema`]
//! turns it into a [`Schema`] for the file's header; training then runs as for any schema
//! (`sepsis-risk train --roles roles.json`; the page's mapping exports the same file).
//!
//! ```json
//! { "format": "sepsis-risk-roles", "version": 1, "name": "ward-b",
//!   "label": { "column": "outcome", "positive": ["1"] },
//!   "id": "mrn",
//!   "features": [ { "column": "age", "type": "numeric", "min": 0, "max": 120 },
//!                 { "column": "lactate", "type": "numeric", "missing": [-1] },
//!                 { "column": "sex", "type": "categorical" } ] }
//! ```
//!
//! What the file leaves out is taken from the data, deterministically: the label's negative
//! values (every other value seen), a categorical feature's levels (the values seen, sorted).

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::core::csv::CsvTable;
use crate::core::dataset::is_missing_token;
use crate::core::schema::{
    Column, ColumnKind, EvidenceRule, IdColumn, LabelColumn, ModelCardText, Range, Schema,
    TemporalSpec, builtin, normalize_name,
};
use crate::core::{Error, Result};

/// The `format` of a roles file.
pub const FORMAT: &str = "sepsis-risk-roles";
/// The version this software reads and writes.
pub const VERSION: u32 = 1;

/// A column-role mapping.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Roles {
    /// Always [`FORMAT`].
    pub format: String,
    /// Always [`VERSION`].
    pub version: u32,
    /// Name of the resulting schema (letters, digits, `-`, `_`; not a built-in name).
    pub name: String,
    /// Human title (default: the name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The label column.
    pub label: LabelRole,
    /// The ID column (for hourly data: the patient column, which may be given here or in
    /// `hourly.patient`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The model's inputs.
    pub features: Vec<FeatureRole>,
    /// Hourly data: one row per patient-hour.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hourly: Option<HourlyRole>,
}

/// The label column and which of its values mean "positive".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelRole {
    /// Column name in the header.
    pub column: String,
    /// Values meaning positive (matched case-insensitively after trimming).
    pub positive: Vec<String>,
    /// Values meaning negative; empty: every other value seen in the data.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub negative: Vec<String>,
}

/// One input column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeatureRole {
    /// Column name in the header.
    pub column: String,
    /// `numeric`, `binary` or `categorical`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Categorical levels; omitted: the values seen in the data, sorted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub levels: Option<Vec<String>>,
    /// Numeric codes that mean "not measured" (e.g. 0 or -1), besides blanks and NA.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<f64>,
    /// Smallest plausible value (values outside [min, max] are flagged, not used).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// Largest plausible value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// Unit, for display.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub unit: String,
}

/// Hourly data: which columns say whose row it is and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HourlyRole {
    /// The patient column (the schema's ID column).
    pub patient: String,
    /// The hour column (hours since admission); it becomes a feature if not listed.
    pub hour: String,
    /// Features that do not change during a stay (demographics): passed through as they are;
    /// every other feature gets last-observation features.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub static_columns: Vec<String>,
}

fn bad(what: String) -> Error {
    Error::Schema(format!("roles: {what}"))
}

impl Roles {
    /// Parses a roles file's JSON.
    pub fn from_json(json: &str) -> Result<Roles> {
        let r: Roles =
            serde_json::from_str(json).map_err(|e| bad(format!("not a valid roles file ({e})")))?;
        if r.format != FORMAT {
            return Err(bad(format!(
                "format is \"{}\", expected \"{FORMAT}\"",
                crate::core::format::clip(&r.format)
            )));
        }
        if r.version != VERSION {
            return Err(bad(format!(
                "version {} is not supported (this software reads version {VERSION})",
                r.version
            )));
        }
        Ok(r)
    }

    /// The roles file's JSON (pretty, deterministic).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }

    /// The schema for data with `header`, whose tables are `tables` (every file, for the
    /// label's negative values and categorical levels that the file leaves out). `source`
    /// names the data in messages and in the model card.
    pub fn schema(&self, source: &str, header: &[String], tables: &[&CsvTable]) -> Result<Schema> {
        let name = self.name.trim();
        check_name(name)?;
        let find = |col: &str, role: &str| -> Result<usize> {
            let key = normalize_name(col);
            header
                .iter()
                .position(|h| normalize_name(h) == key)
                .ok_or_else(|| {
                    bad(format!(
                        "the {role} column `{col}` is not in {source}'s header (columns: {})",
                        crate::core::format::clip(&header.join(", "))
                    ))
                })
        };
        let values = |i: usize| -> BTreeSet<String> {
            let mut seen = BTreeSet::new();
            for t in tables {
                for r in &t.records {
                    if let Some(v) = r.fields.get(i)
                        && !is_missing_token(v)
                    {
                        seen.insert(v.trim().to_string());
                    }
                }
            }
            seen
        };
        let li = find(&self.label.column, "label")?;
        if self.label.positive.is_empty() {
            return Err(bad("the label needs at least one positive value".into()));
        }
        let is_positive = |v: &str| {
            self.label
                .positive
                .iter()
                .any(|p| p.trim().eq_ignore_ascii_case(v))
        };
        let negative: Vec<String> = if self.label.negative.is_empty() {
            values(li).into_iter().filter(|v| !is_positive(v)).collect()
        } else {
            self.label.negative.clone()
        };
        if negative.is_empty() {
            return Err(bad(format!(
                "the label column `{}` has no value other than the positive ones in {source}",
                self.label.column
            )));
        }
        let id_name = match (&self.id, &self.hourly) {
            (Some(id), Some(h)) if normalize_name(id) != normalize_name(&h.patient) => {
                return Err(bad(format!(
                    "the ID column `{id}` and the hourly patient column `{}` differ",
                    h.patient
                )));
            }
            (Some(id), _) => Some(id.clone()),
            (None, Some(h)) => Some(h.patient.clone()),
            (None, None) => None,
        };
        if let Some(id) = &id_name {
            find(id, "ID")?;
        }
        let mut roles = self.features.clone();
        if let Some(h) = &self.hourly
            && !roles
                .iter()
                .any(|f| normalize_name(&f.column) == normalize_name(&h.hour))
        {
            roles.push(FeatureRole {
                column: h.hour.clone(),
                kind: "numeric".into(),
                levels: None,
                missing: Vec::new(),
                min: Some(0.0),
                max: None,
                unit: "hours".into(),
            });
        }
        if roles.is_empty() {
            return Err(bad("no features".into()));
        }
        let mut features = Vec::with_capacity(roles.len());
        for (k, f) in roles.iter().enumerate() {
            let i = find(&f.column, &format!("feature (features[{k}])"))?;
            let taken = |other: &str| normalize_name(other) == normalize_name(&f.column);
            if taken(&self.label.column) || id_name.as_deref().is_some_and(taken) {
                return Err(bad(format!(
                    "`{}` is the label or the ID column and cannot also be a feature",
                    f.column
                )));
            }
            features.push(column_for(f, header[i].trim(), || {
                values(i).into_iter().collect()
            })?);
        }
        let temporal = self.hourly.as_ref().map(|h| TemporalSpec {
            time_column: h.hour.clone(),
            static_columns: std::iter::once(h.hour.clone())
                .chain(h.static_columns.iter().cloned())
                .collect(),
            trend_columns: Vec::new(),
            windows: Vec::new(),
        });
        let evidence = evidence_rule(&features, temporal.as_ref());
        let label_name = header[li].trim().to_string();
        let title = self.title.clone().unwrap_or_else(|| name.to_string());
        let schema = Schema {
            name: name.to_string(),
            title: title.clone(),
            description: format!(
                "Read with the roles file \"{name}\": label `{label_name}` (positive: {}), {} features{}.",
                self.label.positive.join(", "),
                features.len(),
                if temporal.is_some() {
                    ", one row per patient-hour"
                } else {
                    ""
                }
            ),
            id: id_name.map(|n| IdColumn {
                name: n,
                aliases: Vec::new(),
            }),
            label: LabelColumn {
                name: label_name.clone(),
                aliases: Vec::new(),
                description: format!(
                    "`{label_name}` as defined by the data's owner; positive values: {}.",
                    self.label.positive.join(", ")
                ),
                positive: self.label.positive.clone(),
                negative,
            },
            features,
            model_card: card(source, name, &title),
            temporal,
            evidence,
        };
        schema.validate()?;
        Ok(schema)
    }
}

/// At least one measured value of the features that are not static (so far in the stay, for
/// hourly data).
fn evidence_rule(features: &[Column], temporal: Option<&TemporalSpec>) -> Option<EvidenceRule> {
    let statics: Vec<String> = temporal
        .map(|t| t.static_columns.iter().map(|c| normalize_name(c)).collect())
        .unwrap_or_default();
    let measured: Vec<String> = features
        .iter()
        .filter(|c| !statics.contains(&normalize_name(&c.name)))
        .map(|c| c.name.clone())
        .collect();
    (!measured.is_empty()).then(|| EvidenceRule {
        description: format!(
            "at least one measured value of {}",
            crate::core::format::clip(&measured.join(", "))
        ),
        any_of: measured,
        so_far: temporal.is_some(),
    })
}

/// A schema name: letters, digits, `-` and `_`, not a built-in name.
fn check_name(name: &str) -> Result<()> {
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(bad(format!(
            "name \"{}\" must be letters, digits, - or _",
            crate::core::format::clip(name)
        )));
    }
    if builtin(name).is_some() {
        return Err(bad(format!(
            "name \"{name}\" is a built-in format's name; choose another"
        )));
    }
    Ok(())
}

/// The schema column of feature role `f`, named `name` as in the header; `seen` gives the
/// values of the column (the levels of a categorical feature that lists none).
fn column_for(f: &FeatureRole, name: &str, seen: impl FnOnce() -> Vec<String>) -> Result<Column> {
    let kind = match f.kind.as_str() {
        "numeric" => ColumnKind::Numeric,
        "binary" => ColumnKind::Binary,
        "categorical" => ColumnKind::Categorical {
            levels: f.levels.clone().unwrap_or_else(seen),
        },
        other => {
            return Err(bad(format!(
                "feature `{}` has type \"{}\": expected numeric, binary or categorical",
                f.column,
                crate::core::format::clip(other)
            )));
        }
    };
    let range = match (f.min, f.max) {
        (None, None) => None,
        (min, max) => Some(Range {
            min: min.unwrap_or(f64::MIN),
            max: max.unwrap_or(f64::MAX),
        }),
    };
    Ok(Column {
        name: name.to_string(),
        aliases: Vec::new(),
        label: name.to_string(),
        unit: f.unit.clone(),
        description: String::new(),
        kind,
        range,
        missing_values: f.missing.clone(),
        required: true,
    })
}

/// The model-card text of a schema made from a roles file.
fn card(source: &str, name: &str, title: &str) -> ModelCardText {
    ModelCardText {
        intended_use: "Research on local data: a model trained by the data's owner with a column-role mapping. It is not a medical device and has not been validated outside the data it was trained on; check it on other periods or units before any use.".into(),
        training_data: format!("{source}, read with the roles file \"{name}\" ({title})."),
        caveats: vec![
            "What the label and the 'not measured' codes mean comes from the roles file, not from this software: a wrong mapping gives a wrong model.".into(),
            "Performance figures are cross-validated and held out within the same data; there is no external validation.".into(),
        ],
        attribution: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::csv;

    const CSV: &str =
        "mrn,Age,Sex,lactate,outcome\n1,50,F,2.1,yes\n2,61,M,-1,no\n3,70,m,4.0,no\n4,45,F,,yes\n";

    fn roles() -> Roles {
        Roles::from_json(
            r#"{ "format": "sepsis-risk-roles", "version": 1, "name": "ward-b",
                 "label": { "column": "outcome", "positive": ["yes"] }, "id": "mrn",
                 "features": [ { "column": "age", "type": "numeric", "min": 0, "max": 120, "unit": "years" },
                               { "column": "lactate", "type": "numeric", "missing": [-1] },
                               { "column": "sex", "type": "categorical" } ] }"#,
        )
        .unwrap()
    }

    #[test]
    fn a_roles_file_reads_any_labelled_csv() {
        let t = csv::parse(CSV.as_bytes()).unwrap();
        let s = roles().schema("ward.csv", &t.header, &[&t]).unwrap();
        assert_eq!(s.name, "ward-b");
        assert_eq!(s.label.name, "outcome");
        assert_eq!(s.label.negative, vec!["no".to_string()]);
        assert_eq!(s.id.as_ref().unwrap().name, "mrn");
        assert_eq!(s.feature_names(), vec!["Age", "lactate", "Sex"]);
        assert_eq!(
            s.features[2].kind,
            ColumnKind::Categorical {
                levels: vec!["F".into(), "M".into(), "m".into()]
            }
        );
        assert_eq!(s.features[1].missing_values, vec![-1.0]);
        assert_eq!(
            s.features[0].range,
            Some(Range {
                min: 0.0,
                max: 120.0
            })
        );
        let ev = s.evidence.as_ref().unwrap();
        assert_eq!(ev.any_of.len(), 3);
        assert!(!ev.so_far);
        // The dataset reads with it: the -1 lactate is "not measured", every row kept.
        let ds = crate::core::dataset::Dataset::from_table(&t, &s, "ward.csv").unwrap();
        assert_eq!(ds.rows.len(), 4);
        assert!(ds.rows[1].values[1].is_nan());
        // Same roles, same data: the same schema (deterministic), and the file round-trips.
        assert_eq!(roles().schema("ward.csv", &t.header, &[&t]).unwrap(), s);
        assert_eq!(Roles::from_json(&roles().to_json()).unwrap(), roles());
    }

    #[test]
    fn hourly_roles_make_a_time_series_schema() {
        let text = "pid,hour,HR,Age,label\na,1,80,50,0\na,2,90,50,1\nb,1,70,60,0\n";
        let t = csv::parse(text.as_bytes()).unwrap();
        let mut r = roles();
        r.id = None;
        r.label = LabelRole {
            column: "label".into(),
            positive: vec!["1".into()],
            negative: Vec::new(),
        };
        r.features = vec![
            FeatureRole {
                column: "HR".into(),
                kind: "numeric".into(),
                levels: None,
                missing: Vec::new(),
                min: None,
                max: None,
                unit: String::new(),
            },
            FeatureRole {
                column: "Age".into(),
                kind: "numeric".into(),
                levels: None,
                missing: Vec::new(),
                min: None,
                max: None,
                unit: String::new(),
            },
        ];
        r.hourly = Some(HourlyRole {
            patient: "pid".into(),
            hour: "hour".into(),
            static_columns: vec!["Age".into()],
        });
        let s = r.schema("stays.csv", &t.header, &[&t]).unwrap();
        assert_eq!(s.id.as_ref().unwrap().name, "pid");
        let tmp = s.temporal.as_ref().unwrap();
        assert_eq!(tmp.time_column, "hour");
        assert_eq!(tmp.static_columns, vec!["hour", "Age"]);
        assert_eq!(s.feature_names(), vec!["HR", "Age", "hour"]);
        let ev = s.evidence.as_ref().unwrap();
        assert_eq!(ev.any_of, vec!["HR".to_string()]);
        assert!(ev.so_far);
        assert!(crate::core::temporal::feature_schema(&s).is_ok());
    }

    #[test]
    fn every_mistake_in_a_roles_file_is_named() {
        let t = csv::parse(CSV.as_bytes()).unwrap();
        let h = &t.header;
        let err = |r: Roles| r.schema("ward.csv", h, &[&t]).unwrap_err().to_string();
        let mut r = roles();
        r.features[1].column = "lactat".into();
        let e = err(r);
        assert!(
            e.contains("feature (features[1]) column `lactat` is not in ward.csv's header"),
            "{e}"
        );
        let mut r = roles();
        r.label.column = "died".into();
        assert!(err(r).contains("label column `died`"));
        let mut r = roles();
        r.name = "icu".into();
        assert!(err(r).contains("built-in"));
        let mut r = roles();
        r.name = "a b".into();
        assert!(err(r).contains("letters, digits"));
        let mut r = roles();
        r.features[0].kind = "number".into();
        assert!(err(r).contains("type \"number\""));
        let mut r = roles();
        r.features.push(FeatureRole {
            column: "outcome".into(),
            ..roles().features[0].clone()
        });
        assert!(err(r).contains("cannot also be a feature"));
        let mut r = roles();
        r.label.positive = vec!["yes".into(), "no".into()];
        assert!(err(r).contains("no value other than the positive ones"));
        assert!(
            Roles::from_json(r#"{"format":"x","version":1,"name":"a","label":{"column":"y","positive":["1"]},"features":[]}"#)
                .unwrap_err()
                .to_string()
                .contains("format is \"x\"")
        );
        assert!(
            Roles::from_json(
                r#"{"format":"sepsis-risk-roles","version":1,"name":"a","labels":{}}"#
            )
            .unwrap_err()
            .to_string()
            .contains("not a valid roles file")
        );
    }
}
