//! The Train page's column-role mapping on plain structs: a first guess from the start of a
//! CSV in any format ([`RoleMapping::propose`]), the user's choices per column, and the roles
//! file they make ([`RoleMapping::roles`], the same file `sepsis-risk train --roles` reads).
//! Every mistake is one message naming the column or the field.

use std::collections::BTreeSet;

use crate::core::csv::CsvTable;
use crate::core::roles::{FORMAT, FeatureRole, HourlyRole, LabelRole, Roles, VERSION};

/// Distinct values shown per column.
const SAMPLE_VALUES: usize = 6;
/// Most distinct values of a column guessed categorical.
const MAX_LEVELS: usize = 20;

/// What a column is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnRole {
    /// Not used.
    Ignore,
    /// The outcome.
    Label,
    /// The record's (for hourly data: the patient's) ID.
    Id,
    /// A number.
    Numeric,
    /// 0/1, yes/no.
    Binary,
    /// One of a few values.
    Categorical,
    /// Hourly data: hours since admission.
    Hour,
}

impl ColumnRole {
    /// Every role, in the order of the page's list.
    pub const ALL: [ColumnRole; 7] = [
        ColumnRole::Ignore,
        ColumnRole::Label,
        ColumnRole::Id,
        ColumnRole::Numeric,
        ColumnRole::Binary,
        ColumnRole::Categorical,
        ColumnRole::Hour,
    ];

    /// Stable key (the select's value).
    pub fn key(self) -> &'static str {
        match self {
            ColumnRole::Ignore => "ignore",
            ColumnRole::Label => "label",
            ColumnRole::Id => "id",
            ColumnRole::Numeric => "numeric",
            ColumnRole::Binary => "binary",
            ColumnRole::Categorical => "categorical",
            ColumnRole::Hour => "hour",
        }
    }

    /// The role of a key.
    pub fn from_key(key: &str) -> Option<ColumnRole> {
        ColumnRole::ALL.into_iter().find(|r| r.key() == key)
    }

    /// What the page's list says.
    pub fn title(self) -> &'static str {
        match self {
            ColumnRole::Ignore => "not used",
            ColumnRole::Label => "label (outcome)",
            ColumnRole::Id => "ID (patient)",
            ColumnRole::Numeric => "numeric feature",
            ColumnRole::Binary => "binary feature (0/1)",
            ColumnRole::Categorical => "categorical feature",
            ColumnRole::Hour => "hour of stay (hourly data)",
        }
    }
}

/// One column's choice.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnChoice {
    /// The header's name.
    pub column: String,
    /// Its role.
    pub role: ColumnRole,
    /// Codes meaning "not measured", comma-separated numbers (numeric features).
    pub missing: String,
    /// Hourly data: the value does not change during a stay.
    pub static_column: bool,
    /// A few distinct values from the file's start, for the page.
    pub sample: Vec<String>,
}

/// The whole mapping.
#[derive(Debug, Clone, PartialEq)]
pub struct RoleMapping {
    /// The new format's name.
    pub name: String,
    /// Per column of the header, in order.
    pub columns: Vec<ColumnChoice>,
    /// The label's positive values, comma-separated.
    pub positive: String,
    /// One row per patient and hour.
    pub hourly: bool,
}

fn looks_like(name: &str, words: &[&str]) -> bool {
    let n = name.trim().to_ascii_lowercase();
    words
        .iter()
        .any(|w| n == *w || n.ends_with(&format!("_{w}")))
}

impl RoleMapping {
    /// A first guess from `table` (the file's start) for a format named after `file`: a label
    /// by its name (outcome, label, sepsis, target, y), an ID by its name (id, patient, pid,
    /// mrn), numbers as numeric features (0/1 as binary), a few text values as categorical,
    /// anything else not used. The positive value guessed is `1`, `yes` or `true` when seen.
    pub fn propose(file: &str, table: &CsvTable) -> RoleMapping {
        let mut columns = Vec::with_capacity(table.header.len());
        let mut positive = String::new();
        for (c, name) in table.header.iter().enumerate() {
            let mut distinct = BTreeSet::new();
            let mut numeric = true;
            for record in &table.records {
                let Some(v) = record.fields.get(c).map(|v| v.trim()) else {
                    continue;
                };
                if v.is_empty() || crate::core::dataset::is_missing_token(v) {
                    continue;
                }
                // A decimal comma is a number when the delimiter is not a comma (as the
                // dataset reads it).
                let as_number = if table.delimiter != b',' {
                    v.replacen(',', ".", 1)
                } else {
                    v.to_string()
                };
                numeric &= as_number.parse::<f64>().is_ok_and(f64::is_finite);
                if distinct.len() <= MAX_LEVELS {
                    distinct.insert(v.to_string());
                }
            }
            let binary = distinct.len() <= 2
                && distinct.iter().all(|v| {
                    matches!(
                        v.to_ascii_lowercase().as_str(),
                        "0" | "1" | "yes" | "no" | "true" | "false"
                    )
                });
            let role = if looks_like(
                name,
                &[
                    "outcome",
                    "label",
                    "sepsis",
                    "sepssis",
                    "target",
                    "y",
                    "sepsislabel",
                ],
            ) {
                if positive.is_empty() {
                    positive = distinct
                        .iter()
                        .find(|v| matches!(v.to_ascii_lowercase().as_str(), "1" | "yes" | "true"))
                        .cloned()
                        .unwrap_or_default();
                }
                ColumnRole::Label
            } else if looks_like(name, &["id", "patient", "pid", "mrn", "patient_id"]) {
                ColumnRole::Id
            } else if binary && !distinct.is_empty() {
                ColumnRole::Binary
            } else if numeric && !distinct.is_empty() {
                ColumnRole::Numeric
            } else if !distinct.is_empty() && distinct.len() <= MAX_LEVELS {
                ColumnRole::Categorical
            } else {
                ColumnRole::Ignore
            };
            columns.push(ColumnChoice {
                column: name.clone(),
                role,
                missing: String::new(),
                static_column: false,
                sample: distinct.into_iter().take(SAMPLE_VALUES).collect(),
            });
        }
        let stem = crate::core::dataset::base_name(file)
            .rsplit_once('.')
            .map_or(file, |(s, _)| s);
        let name: String = stem
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        RoleMapping {
            name: if name.is_empty() {
                "my-data".into()
            } else {
                name.to_ascii_lowercase()
            },
            columns,
            positive,
            hourly: false,
        }
    }

    /// The roles file, or every problem (one message each, naming the column or field).
    pub fn roles(&self) -> Result<Roles, Vec<String>> {
        let mut p = Vec::new();
        let with = |role: ColumnRole| -> Vec<&ColumnChoice> {
            self.columns.iter().filter(|c| c.role == role).collect()
        };
        let labels = with(ColumnRole::Label);
        let label = match labels.as_slice() {
            [one] => Some(one.column.clone()),
            [] => {
                p.push("Label: choose the column that holds the outcome.".into());
                None
            }
            many => {
                p.push(format!(
                    "Label: only one column can be the label ({} are).",
                    many.iter()
                        .map(|c| c.column.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
                None
            }
        };
        let positive: Vec<String> = self
            .positive
            .split(',')
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .collect();
        if positive.is_empty() {
            p.push("Positive value: say which label value means the outcome happened (for example 1 or yes).".into());
        }
        let ids = with(ColumnRole::Id);
        if ids.len() > 1 {
            p.push(format!(
                "ID: only one column can be the ID ({} are).",
                ids.iter()
                    .map(|c| c.column.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        let id = ids.first().map(|c| c.column.clone());
        let hours = with(ColumnRole::Hour);
        let hourly = if self.hourly {
            if id.is_none() {
                p.push("ID: hourly data needs the patient column (role ID).".into());
            }
            match hours.as_slice() {
                [one] => Some(HourlyRole {
                    patient: id.clone().unwrap_or_default(),
                    hour: one.column.clone(),
                    static_columns: self
                        .columns
                        .iter()
                        .filter(|c| c.static_column && is_feature(c.role))
                        .map(|c| c.column.clone())
                        .collect(),
                }),
                _ => {
                    p.push("Hour: hourly data needs exactly one hour-of-stay column.".into());
                    None
                }
            }
        } else {
            if let Some(h) = hours.first() {
                p.push(format!(
                    "{}: the hour-of-stay role is for hourly data (tick \"one row per patient and hour\").",
                    h.column
                ));
            }
            None
        };
        let mut features = Vec::new();
        for c in self.columns.iter().filter(|c| is_feature(c.role)) {
            let mut missing = Vec::new();
            for code in c
                .missing
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
            {
                match code.parse::<f64>() {
                    Ok(v) if v.is_finite() => missing.push(v),
                    _ => p.push(format!(
                        "{}: the not-measured code \"{code}\" is not a number.",
                        c.column
                    )),
                }
            }
            if !missing.is_empty() && c.role == ColumnRole::Categorical {
                p.push(format!(
                    "{}: not-measured codes are for numeric columns; leave a categorical column's blank.",
                    c.column
                ));
            }
            features.push(FeatureRole {
                column: c.column.clone(),
                kind: c.role.key().to_string(),
                levels: None,
                missing,
                min: None,
                max: None,
                unit: String::new(),
            });
        }
        if features.is_empty() {
            p.push(
                "Features: choose at least one column as a numeric, binary or categorical feature."
                    .into(),
            );
        }
        match (p.is_empty(), label) {
            (true, Some(column)) => Ok(Roles {
                format: FORMAT.into(),
                version: VERSION,
                name: self.name.trim().to_string(),
                title: None,
                label: LabelRole {
                    column,
                    positive,
                    negative: Vec::new(),
                },
                id,
                features,
                hourly,
            }),
            _ => Err(p),
        }
    }
}

fn is_feature(role: ColumnRole) -> bool {
    matches!(
        role,
        ColumnRole::Numeric | ColumnRole::Binary | ColumnRole::Categorical
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::csv;

    fn table(text: &str) -> CsvTable {
        csv::parse(text.as_bytes()).unwrap()
    }

    #[test]
    fn the_first_guess_reads_names_and_values() {
        let t = table(
            "MRN;Age;Lactate;Ward;Shock;Outcome;Notes\nA1;54;2,1;north;0;yes;x1\nA2;61;NA;south;1;no;x2\nA3;70;3,3;north;0;no;x3\n",
        );
        let m = RoleMapping::propose("Ward B (2026).csv", &t);
        let roles: Vec<_> = m.columns.iter().map(|c| c.role).collect();
        assert_eq!(
            roles,
            [
                ColumnRole::Id,
                ColumnRole::Numeric,
                ColumnRole::Numeric, // "2,1": a decimal comma in a semicolon file
                ColumnRole::Categorical,
                ColumnRole::Binary,
                ColumnRole::Label,
                ColumnRole::Categorical,
            ]
        );
        assert_eq!(m.positive, "yes");
        assert_eq!(m.name, "ward-b--2026-");
        assert_eq!(m.columns[1].sample, ["54", "61", "70"]);
    }

    #[test]
    fn the_mapping_makes_the_roles_file_the_cli_reads() {
        let t = table("pid,hour,age,hr,lactate,sepsis\np1,0,50,80,-1,0\np1,1,50,85,2.0,1\n");
        let mut m = RoleMapping::propose("icu-export.csv", &t);
        assert_eq!(m.columns[0].role, ColumnRole::Id);
        m.hourly = true;
        m.columns[1].role = ColumnRole::Hour;
        m.columns[2].static_column = true;
        m.columns[4].missing = "-1".into();
        let r = m.roles().unwrap();
        let back = Roles::from_json(&r.to_json()).unwrap();
        assert_eq!(back, r);
        assert_eq!(r.label.column, "sepsis");
        assert_eq!(r.label.positive, ["1"]);
        assert_eq!(r.id.as_deref(), Some("pid"));
        let h = r.hourly.as_ref().unwrap();
        assert_eq!((h.patient.as_str(), h.hour.as_str()), ("pid", "hour"));
        assert_eq!(h.static_columns, ["age"]);
        assert_eq!(r.features.len(), 3);
        assert_eq!(r.features[2].missing, [-1.0]);
        // The core turns it into a schema for this header.
        r.schema("icu-export.csv", &t.header, &[&t]).unwrap();
    }

    #[test]
    fn every_mistake_is_named() {
        let t = table("a,b,c\n1,x,1\n2,y,0\n");
        let mut m = RoleMapping::propose("f.csv", &t);
        for c in &mut m.columns {
            c.role = ColumnRole::Label;
        }
        m.columns[0].missing = "oops".into();
        let p = m.roles().unwrap_err();
        assert!(p[0].starts_with("Label: only one column"), "{p:?}");
        assert!(p.iter().any(|e| e.starts_with("Positive value")), "{p:?}");
        assert!(p.iter().any(|e| e.starts_with("Features")), "{p:?}");

        let mut m = RoleMapping::propose("f.csv", &t);
        m.columns[0].role = ColumnRole::Hour;
        m.columns[1].role = ColumnRole::Categorical;
        m.columns[1].missing = "-1, z".into();
        m.columns[2].role = ColumnRole::Label;
        m.positive = "1".into();
        let p = m.roles().unwrap_err();
        assert!(
            p.iter().any(|e| e.starts_with("a: the hour-of-stay role")),
            "{p:?}"
        );
        assert!(
            p.iter()
                .any(|e| e.starts_with("b: the not-measured code \"z\"")),
            "{p:?}"
        );
        assert!(
            p.iter()
                .any(|e| e.starts_with("b: not-measured codes are for numeric")),
            "{p:?}"
        );
        m.hourly = true;
        let p = m.roles().unwrap_err();
        assert!(
            p.iter().any(|e| e.starts_with("ID: hourly data needs")),
            "{p:?}"
        );
        for r in ColumnRole::ALL {
            assert_eq!(ColumnRole::from_key(r.key()), Some(r));
        }
    }
}
