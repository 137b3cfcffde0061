//! The bedside form as plain data: raw text per schema feature -> validated, schema-ordered
//! values (NaN = unknown), with a message per field.
//!
//! Each field is read by the core's own cell parser ([`dataset::parse_cell`]), so a value
//! typed here means exactly what it means in an uploaded file: an empty field (or NA) is
//! unknown and imputed; a value the schema declares as "not measured" (e.g. glucose 0) is
//! unknown too; a value outside the plausible range is a warning and treated as missing (the
//! same policy as the CLI); text that is not a number is an error and blocks the prediction.

use crate::app::format::with_unit;
use crate::core::bundle::Explanation;
use crate::core::dataset::{self, Cell};
use crate::core::format::short;
use crate::core::schema::{Column, ColumnKind, Schema};

/// Validation outcome of one field.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldStatus {
    /// A usable value.
    Ok,
    /// No value (empty or a missing token): unknown, imputed.
    Empty,
    /// The schema's "not measured" value: unknown, imputed.
    NotMeasured,
    /// Outside the plausible range: treated as unknown and imputed, with this message.
    Warning(String),
    /// Not a valid value: no prediction until fixed.
    Error(String),
}

/// One checked field.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldCheck {
    /// The value passed to the model (NaN when unknown).
    pub value: f64,
    /// What the field's text means.
    pub status: FieldStatus,
}

impl FieldCheck {
    /// Whether the value is unknown to the model (and imputed).
    pub fn is_unknown(&self) -> bool {
        self.value.is_nan() && !matches!(self.status, FieldStatus::Error(_))
    }
}

/// The whole form, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct FormCheck {
    /// One check per schema feature, in schema order.
    pub fields: Vec<FieldCheck>,
}

impl FormCheck {
    /// Schema-ordered values for the model (NaN = unknown); `None` while any field has an
    /// error.
    pub fn values(&self) -> Option<Vec<f64>> {
        (!self.has_error()).then(|| self.fields.iter().map(|f| f.value).collect())
    }

    /// Whether any field has an error.
    pub fn has_error(&self) -> bool {
        self.fields
            .iter()
            .any(|f| matches!(f.status, FieldStatus::Error(_)))
    }

    /// Number of fields with an error.
    pub fn error_count(&self) -> usize {
        self.fields
            .iter()
            .filter(|f| matches!(f.status, FieldStatus::Error(_)))
            .count()
    }
}

/// Checks field `j` of `schema` holding `raw`.
pub fn check_field(schema: &Schema, j: usize, raw: &str) -> FieldCheck {
    // The form always uses a decimal point; a comma is accepted as a decimal comma, as in a
    // semicolon-delimited file.
    let (value, cell, why) = dataset::parse_cell(schema, j, raw, b';');
    let status = match cell {
        Cell::Present => FieldStatus::Ok,
        Cell::Blank | Cell::Absent => FieldStatus::Empty,
        Cell::Disguised => FieldStatus::NotMeasured,
        Cell::OutOfRange => FieldStatus::Warning(why.unwrap_or_default()),
        Cell::Invalid => FieldStatus::Error(why.unwrap_or_default()),
    };
    FieldCheck { value, status }
}

/// Checks every field; `raw` has one text per schema feature (missing entries are empty).
pub fn check_form(schema: &Schema, raw: &[String]) -> FormCheck {
    FormCheck {
        fields: (0..schema.features.len())
            .map(|j| check_field(schema, j, raw.get(j).map_or("", String::as_str)))
            .collect(),
    }
}

/// The plausible range of a column as text, e.g. `"20–800 mg/dL"`; `None` without a range.
pub fn range_text(col: &Column) -> Option<String> {
    let r = col.range?;
    let unit = if col.unit.is_empty() {
        String::new()
    } else {
        format!(" {}", col.unit)
    };
    Some(format!("{}–{}{unit}", short(r.min), short(r.max)))
}

/// What the field accepts, e.g. "a number" or "0 or 1".
pub fn expected_text(col: &Column) -> String {
    match &col.kind {
        ColumnKind::Numeric => "a number".to_string(),
        ColumnKind::Binary => "0 (no) or 1 (yes)".to_string(),
        ColumnKind::Categorical { levels } => format!("one of {}", levels.join(", ")),
    }
}

/// What an empty field means in a form (the forms word their help and messages by it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unknown {
    /// The seed form: an unknown value is imputed the way the model was trained to.
    Imputed,
    /// The ICU form: unknown means never measured, as most values are in the training data.
    Unmeasured,
}

/// A field's label: the column's label with its unit, e.g. `"Plasma glucose (mg/dL)"`.
pub fn field_label(col: &Column) -> String {
    if col.unit.is_empty() {
        col.label.clone()
    } else {
        format!("{} ({})", col.label, col.unit)
    }
}

/// The help under a field: what it accepts, its plausible range, (seed form) the column's
/// description, and what an empty field means.
pub fn help_text(col: &Column, unknown: Unknown) -> String {
    let mut h = vec![format!("Enter {}.", expected_text(col))];
    if let Some(r) = range_text(col) {
        h.push(format!("Plausible range {r}."));
    }
    match unknown {
        Unknown::Imputed => {
            if !col.description.is_empty() {
                h.push(col.description.clone());
            }
            h.push("Leave empty if unknown.".into());
        }
        Unknown::Unmeasured => h.push("Empty means unknown.".into()),
    }
    h.join(" ")
}

/// The inline message of a field as `(CSS class, text)`; none for a usable value (nor, in
/// the ICU form, for an empty field).
pub fn field_message(status: &FieldStatus, unknown: Unknown) -> Option<(&'static str, String)> {
    let what = match unknown {
        Unknown::Imputed => "will be imputed",
        Unknown::Unmeasured => "unknown",
    };
    match status {
        FieldStatus::Ok => None,
        FieldStatus::Empty => (unknown == Unknown::Imputed)
            .then(|| ("msg-info", "Unknown: will be imputed.".to_string())),
        FieldStatus::NotMeasured => Some(("msg-info", format!("Means “not measured”: {what}."))),
        FieldStatus::Warning(m) => Some(("msg-warning", format!("Warning: {m}."))),
        FieldStatus::Error(m) => Some(("msg-error", format!("Error: {m}."))),
    }
}

/// A value of `col` for display: with its unit, binary values as "1 (yes)" / "0 (no)",
/// categorical codes as their level.
pub fn value_text(col: &Column, v: f64) -> String {
    match &col.kind {
        ColumnKind::Binary if v == 1.0 => "1 (yes)".to_string(),
        ColumnKind::Binary if v == 0.0 => "0 (no)".to_string(),
        ColumnKind::Categorical { levels } if v >= 0.0 && v.fract() == 0.0 => {
            levels.get(v as usize).cloned().unwrap_or_else(|| short(v))
        }
        _ => with_unit(v, &col.unit),
    }
}

/// The sentence for an unknown field in the result, e.g. "Plasma glucose: unknown, imputed
/// as 117 mg/dL".
pub fn imputed_text(col: &Column, imputed: f64) -> String {
    format!(
        "{}: unknown, imputed as {}",
        col.label,
        value_text(col, imputed)
    )
}

/// Chart items for a contribution chart: `("value unit – Label", contribution)` (the value
/// first, so that a shortened label keeps it), largest absolute contribution first.
pub fn contribution_items(schema: &Schema, e: &Explanation) -> Vec<(String, f64)> {
    let mut items: Vec<(String, f64)> = e
        .contributions
        .iter()
        .zip(&schema.features)
        .map(|(c, col)| {
            let text = match (c.value, c.imputed) {
                (Some(v), _) => format!("{} – {}", value_text(col, v), c.label),
                (None, Some(i)) => format!("imputed {} – {}", value_text(col, i), c.label),
                (None, None) => format!("unknown – {}", c.label),
            };
            (text, c.contribution)
        })
        .collect();
    items.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
    items
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::model::seed_bundle;

    fn raw(values: &[&str]) -> Vec<String> {
        values.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn fields_follow_the_core_policy() {
        let b = seed_bundle().unwrap();
        let s = &b.schema;
        let pl = s.feature_index("PL").unwrap();
        assert_eq!(check_field(s, pl, "150").status, FieldStatus::Ok);
        assert_eq!(check_field(s, pl, "150").value, 150.0);
        assert_eq!(check_field(s, pl, " 150,5 ").value, 150.5);
        assert_eq!(check_field(s, pl, "").status, FieldStatus::Empty);
        assert!(check_field(s, pl, "").is_unknown());
        assert_eq!(check_field(s, pl, "0").status, FieldStatus::NotMeasured);
        let w = check_field(s, pl, "900");
        assert!(matches!(&w.status, FieldStatus::Warning(m) if m.contains("plausible range")));
        assert!(w.value.is_nan() && w.is_unknown());
        let e = check_field(s, pl, "abc");
        assert!(matches!(&e.status, FieldStatus::Error(m) if m.contains("not a number")));
        assert!(!e.is_unknown());
    }

    #[test]
    fn the_form_gives_schema_ordered_values_or_none() {
        let b = seed_bundle().unwrap();
        let s = &b.schema;
        let form = check_form(s, &raw(&["2", "150", "", "20", "0", "33.1", "0.5", "45"]));
        let v = form.values().unwrap();
        assert_eq!(
            v.len(),
            s.features.len(),
            "missing trailing entries are empty"
        );
        assert_eq!(v[0], 2.0);
        assert!(v[2].is_nan() && v[4].is_nan() && v[8].is_nan());
        let p = b.predict_values(&v).unwrap();
        assert!((0.0..=1.0).contains(&p.probability));
        let bad = check_form(s, &raw(&["2", "x"]));
        assert!(bad.has_error());
        assert_eq!(bad.error_count(), 1);
        assert_eq!(bad.values(), None);
    }

    #[test]
    fn texts() {
        let b = seed_bundle().unwrap();
        let s = &b.schema;
        let pl = &s.features[s.feature_index("PL").unwrap()];
        assert_eq!(range_text(pl).unwrap(), "20–800 mg/dL");
        assert_eq!(expected_text(pl), "a number");
        let ins = s
            .features
            .iter()
            .find(|c| c.kind == ColumnKind::Binary)
            .unwrap();
        assert_eq!(value_text(ins, 1.0), "1 (yes)");
        assert!(imputed_text(ins, 0.0).ends_with("imputed as 0 (no)"));
        assert_eq!(
            imputed_text(pl, 117.0),
            "Plasma glucose (2 h OGTT): unknown, imputed as 117 mg/dL"
        );
        let values = check_form(s, &raw(&["2", "180"])).values().unwrap();
        let e = b.explain(&values).unwrap();
        let items = contribution_items(s, &e);
        assert_eq!(items.len(), s.features.len());
        assert!(items.windows(2).all(|w| w[0].1.abs() >= w[1].1.abs()));
        assert!(items.iter().any(|(t, _)| t.starts_with("180 mg/dL – ")));
        assert!(items.iter().any(|(t, _)| t.contains("imputed")));
    }

    #[test]
    fn field_labels_help_and_messages() {
        let b = seed_bundle().unwrap();
        let s = &b.schema;
        let pl = &s.features[s.feature_index("PL").unwrap()];
        assert_eq!(field_label(pl), format!("{} ({})", pl.label, pl.unit));
        let seed = help_text(pl, Unknown::Imputed);
        assert!(
            seed.starts_with("Enter a number. Plausible range "),
            "{seed}"
        );
        assert!(seed.ends_with("Leave empty if unknown."), "{seed}");
        let icu = help_text(pl, Unknown::Unmeasured);
        assert!(icu.ends_with("Empty means unknown."), "{icu}");
        assert!(!icu.contains(&pl.description) || pl.description.is_empty());
        let msg = |st: FieldStatus, u| field_message(&st, u);
        assert_eq!(msg(FieldStatus::Ok, Unknown::Imputed), None);
        assert_eq!(
            msg(FieldStatus::Empty, Unknown::Imputed),
            Some(("msg-info", "Unknown: will be imputed.".to_string()))
        );
        assert_eq!(msg(FieldStatus::Empty, Unknown::Unmeasured), None);
        assert_eq!(
            msg(FieldStatus::NotMeasured, Unknown::Imputed),
            Some((
                "msg-info",
                "Means “not measured”: will be imputed.".to_string()
            ))
        );
        assert_eq!(
            msg(FieldStatus::NotMeasured, Unknown::Unmeasured),
            Some(("msg-info", "Means “not measured”: unknown.".to_string()))
        );
        assert_eq!(
            msg(FieldStatus::Warning("high".into()), Unknown::Unmeasured),
            Some(("msg-warning", "Warning: high.".to_string()))
        );
        assert_eq!(
            msg(FieldStatus::Error("bad".into()), Unknown::Imputed),
            Some(("msg-error", "Error: bad.".to_string()))
        );
    }
}
