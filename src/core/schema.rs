//! Dataset schemas: what each column means, its unit, plausible range and which values mean
//! "missing". A dataset's meaning lives here, as data; no other code names a column.
//!
//! Built-in schemas are JSON documents under `src/core/schemas/`, compiled into the binary.

use serde::{Deserialize, Serialize};

use super::{Error, Result};

/// How a column's values are interpreted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", try_from = "ColumnKindRepr")]
pub enum ColumnKind {
    /// A real number.
    Numeric,
    /// 0 or 1 (also accepted: yes/no, true/false, y/n, case-insensitive).
    Binary,
    /// One of a fixed set of levels; stored as the level's index.
    Categorical {
        /// The accepted levels, matched case-insensitively after trimming.
        levels: Vec<String>,
    },
}

/// The serial form of a [`ColumnKind`] when reading (`crate::core::tagged`: no buffering,
/// any field order).
#[derive(Deserialize)]
struct ColumnKindRepr {
    #[serde(rename = "type")]
    kind: String,
    levels: Option<Vec<String>>,
}

impl TryFrom<ColumnKindRepr> for ColumnKind {
    type Error = String;

    fn try_from(r: ColumnKindRepr) -> std::result::Result<Self, String> {
        Ok(match r.kind.as_str() {
            "numeric" => ColumnKind::Numeric,
            "binary" => ColumnKind::Binary,
            "categorical" => ColumnKind::Categorical {
                levels: r.levels.ok_or("missing field `levels`")?,
            },
            other => return Err(format!("unknown column type `{other}`")),
        })
    }
}

/// Plausible (physiologically possible) range of a numeric column, inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Range {
    /// Smallest plausible value.
    pub min: f64,
    /// Largest plausible value.
    pub max: f64,
}

impl Range {
    /// Whether `v` lies within the range (inclusive).
    pub fn contains(&self, v: f64) -> bool {
        v >= self.min && v <= self.max
    }
}

/// One feature column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Column {
    /// Canonical column name, as in the file header (e.g. `PL`).
    pub name: String,
    /// Other accepted header names (matched after normalisation, see [`normalize_name`]).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Human-readable label (e.g. "Plasma glucose").
    pub label: String,
    /// Unit of measurement ("" when unitless).
    #[serde(default)]
    pub unit: String,
    /// What the column means, for help texts and model cards.
    #[serde(default)]
    pub description: String,
    /// Numeric, binary or categorical.
    pub kind: ColumnKind,
    /// Plausible range; values outside it are reported and treated as missing.
    #[serde(default)]
    pub range: Option<Range>,
    /// Values that mean "not measured" in this column (e.g. `[0]`): "disguised" missing values,
    /// counted apart from blanks in EDA and imputed like them.
    #[serde(default)]
    pub missing_values: Vec<f64>,
    /// Whether the column must be present in an input file. Optional columns that are absent
    /// are treated as missing in every row.
    #[serde(default = "yes")]
    pub required: bool,
}

fn yes() -> bool {
    true
}

/// The optional identifier column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdColumn {
    /// Canonical name.
    pub name: String,
    /// Other accepted header names.
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// The label (outcome) column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabelColumn {
    /// Canonical name.
    pub name: String,
    /// Other accepted header names.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// What the label means, stated truthfully (for the model card).
    #[serde(default)]
    pub description: String,
    /// Values meaning the positive class (case-insensitive).
    pub positive: Vec<String>,
    /// Values meaning the negative class (case-insensitive).
    pub negative: Vec<String>,
}

/// A dataset schema.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Schema {
    /// Short identifier (`seed`, `icu`).
    pub name: String,
    /// Human title.
    pub title: String,
    /// What the data is, where it comes from, and its caveats.
    #[serde(default)]
    pub description: String,
    /// Optional ID column.
    #[serde(default)]
    pub id: Option<IdColumn>,
    /// Label column.
    pub label: LabelColumn,
    /// Feature columns, in model order.
    pub features: Vec<Column>,
    /// Text for the model card of any model trained on data of this schema.
    #[serde(default)]
    pub model_card: ModelCardText,
    /// For time-series data (several rows per patient, one per time step): how time-aware
    /// features are built (see [`crate::core::temporal`]). `None` for one-row-per-person data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temporal: Option<TemporalSpec>,
    /// The least a row must show before a model gives it a risk ("no risk without
    /// evidence"); `None`: no minimum.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<EvidenceRule>,
}

/// The minimum evidence for a prediction: at least one of some feature columns measured (a
/// usable value, not blank, not a "not measured" code, not out of range), in the row itself
/// or, for time-series data with `so_far`, in the row or an earlier row of the same patient.
/// A row below it gets no probability, and the issues column and the page say why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceRule {
    /// Feature columns (canonical names), at least one of which must be measured.
    pub any_of: Vec<String>,
    /// Time-series schemas: the measurement may be in an earlier row of the patient (rows
    /// taken in file order).
    #[serde(default)]
    pub so_far: bool,
    /// The rule in words, for messages (e.g. "at least one vital sign measured so far in the
    /// stay").
    pub description: String,
}

/// How a time-series schema is turned into time-aware features: which column is the clock,
/// which columns are passed through as they are, and which get trend statistics over which
/// windows. Every name is a feature column of the schema (canonical name or alias).
///
/// Rows of one patient share the value of the schema's ID column; the ID column is therefore
/// expected to repeat, and ingestion checks that the time column increases per patient
/// instead of checking IDs for duplicates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TemporalSpec {
    /// The feature column that holds the time of the row, in hours (e.g. hours since ICU
    /// admission).
    pub time_column: String,
    /// Columns passed through unchanged (demographics, stay descriptors, the time itself);
    /// every other feature column is a measured variable and gets last-observation features.
    #[serde(default)]
    pub static_columns: Vec<String>,
    /// Measured variables that also get change and rolling statistics over each window.
    #[serde(default)]
    pub trend_columns: Vec<String>,
    /// Window lengths in hours (each > 0) for the trend statistics.
    #[serde(default)]
    pub windows: Vec<usize>,
}

/// A [`TemporalSpec`] with its column names resolved to schema feature indices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedTemporal {
    /// Index of the time column.
    pub time: usize,
    /// Indices of the static columns, in the spec's order.
    pub statics: Vec<usize>,
    /// Indices of the measured variables (every feature that is neither static nor the time
    /// column), in schema order.
    pub measured: Vec<usize>,
    /// Indices of the trend columns, in the spec's order.
    pub trends: Vec<usize>,
    /// The windows, in hours.
    pub windows: Vec<usize>,
}

/// Dataset-specific text that goes into the model card of a model trained on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ModelCardText {
    /// What a model trained on this data is for, and what it is not for.
    #[serde(default)]
    pub intended_use: String,
    /// Where the data comes from and what it is.
    #[serde(default)]
    pub training_data: String,
    /// Known limits and caveats, one per item.
    #[serde(default)]
    pub caveats: Vec<String>,
    /// Required attribution (licence terms), if any.
    #[serde(default)]
    pub attribution: Option<String>,
}

/// Tokens that mean "missing" in any column (compared after trimming, case-insensitively).
pub const MISSING_TOKENS: &[&str] = &["", "na", "n/a", "nan", "null", "none", "?", "-"];

/// Normalises a header name for matching: trims, lower-cases, and drops spaces, `_`, `-`, `.`
/// and a leading byte-order mark.
pub fn normalize_name(name: &str) -> String {
    name.trim()
        .trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-' | '.'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Where each schema column sits in a file's header.
#[derive(Debug, Clone, PartialEq)]
pub struct HeaderMatch {
    /// For each schema feature, the header index, or `None` when an optional column is absent.
    pub features: Vec<Option<usize>>,
    /// Header index of the ID column, if present.
    pub id: Option<usize>,
    /// Header index of the label column, if present.
    pub label: Option<usize>,
    /// Header indices that match nothing in the schema (kept and passed through).
    pub extra: Vec<usize>,
    /// Names of required feature columns that are absent.
    pub missing_required: Vec<String>,
}

impl HeaderMatch {
    /// How many schema features were found.
    pub fn matched(&self) -> usize {
        self.features.iter().filter(|f| f.is_some()).count()
    }
}

/// Whether one row (schema-ordered values, NaN = not measured) measures any of the feature
/// indices `cols` (those of [`Schema::evidence_columns`]).
pub fn measures_any(cols: &[usize], values: &[f64]) -> bool {
    cols.iter()
        .any(|&j| values.get(j).is_some_and(|v| !v.is_nan()))
}

impl Schema {
    /// Parses and validates a schema from JSON.
    pub fn from_json(json: &str) -> Result<Self> {
        let schema: Schema =
            serde_json::from_str(json).map_err(|e| Error::Schema(format!("invalid JSON: {e}")))?;
        schema.validate()?;
        Ok(schema)
    }

    /// Checks internal consistency: non-empty features, unique names and aliases, sane ranges,
    /// and a resolvable temporal section (see [`Schema::resolve_temporal`]).
    pub fn validate(&self) -> Result<()> {
        if self.features.is_empty() {
            return Err(Error::Schema(format!(
                "schema `{}` has no features",
                self.name
            )));
        }
        let mut seen = std::collections::BTreeMap::new();
        let mut claim = |name: &str, owner: &str| -> Result<()> {
            let key = normalize_name(name);
            if let Some(prev) = seen.insert(key, owner.to_string()) {
                return Err(Error::Schema(format!(
                    "schema `{}`: the name `{name}` is used by both `{prev}` and `{owner}`",
                    self.name
                )));
            }
            Ok(())
        };
        for c in &self.features {
            claim(&c.name, &c.name)?;
            for a in &c.aliases {
                claim(a, &c.name)?;
            }
            if let Some(r) = c.range
                && !(r.min.is_finite() && r.max.is_finite() && r.min <= r.max)
            {
                return Err(Error::Schema(format!(
                    "schema `{}`: column `{}` has an invalid range",
                    self.name, c.name
                )));
            }
            if let ColumnKind::Categorical { levels } = &c.kind
                && levels.is_empty()
            {
                return Err(Error::Schema(format!(
                    "schema `{}`: categorical column `{}` has no levels",
                    self.name, c.name
                )));
            }
        }
        claim(&self.label.name, &self.label.name)?;
        for a in &self.label.aliases {
            claim(a, &self.label.name)?;
        }
        if let Some(id) = &self.id {
            claim(&id.name, &id.name)?;
            for a in &id.aliases {
                claim(a, &id.name)?;
            }
        }
        if self.label.positive.is_empty() || self.label.negative.is_empty() {
            return Err(Error::Schema(format!(
                "schema `{}`: the label needs positive and negative values",
                self.name
            )));
        }
        if self.temporal.is_some() {
            self.resolve_temporal()?;
        }
        if let Some(rule) = &self.evidence {
            let err =
                |msg: String| Error::Schema(format!("schema `{}`: evidence: {msg}", self.name));
            if rule.any_of.is_empty() {
                return Err(err("`any_of` names no column".into()));
            }
            if let Some(bad) = rule
                .any_of
                .iter()
                .find(|n| !self.features.iter().any(|c| &c.name == *n))
            {
                return Err(err(format!("`{bad}` is not a feature column")));
            }
            if rule.so_far && self.temporal.is_none() {
                return Err(err(
                    "`so_far` needs a time-series schema (a temporal section)".into(),
                ));
            }
        }
        Ok(())
    }

    /// The feature indices of the evidence rule's columns, with the rule; `None` without a
    /// rule. (Valid schemas name only feature columns.)
    pub fn evidence_columns(&self) -> Option<(&EvidenceRule, Vec<usize>)> {
        let rule = self.evidence.as_ref()?;
        let cols = rule
            .any_of
            .iter()
            .filter_map(|n| self.features.iter().position(|c| &c.name == n))
            .collect();
        Some((rule, cols))
    }

    /// Why `rows` (schema-ordered values, NaN = not measured; a patient's rows up to the one
    /// to score, that one last, or just the row for one-row-per-person data) do not meet the
    /// evidence rule; `None` when they do or there is no rule.
    pub fn evidence_gap(&self, rows: &[&[f64]]) -> Option<String> {
        let (rule, cols) = self.evidence_columns()?;
        let considered = if rule.so_far {
            rows
        } else {
            &rows[rows.len().saturating_sub(1)..]
        };
        let measured = considered.iter().any(|r| measures_any(&cols, r));
        (!measured).then(|| self.evidence_message())
    }

    /// The message for a row without the minimum evidence (empty without a rule).
    pub fn evidence_message(&self) -> String {
        let Some(rule) = &self.evidence else {
            return String::new();
        };
        format!(
            "no risk given: a prediction needs {} (none of {} measured{})",
            rule.description,
            rule.any_of.join(", "),
            if rule.so_far { " so far" } else { "" }
        )
    }

    /// Resolves the schema's [`TemporalSpec`] to feature indices. Errors when the schema has
    /// none, when a name is not a feature column, when a column is named twice, when a trend
    /// column is static or the time column, or when a window is 0 or there are trend columns
    /// but no windows.
    pub fn resolve_temporal(&self) -> Result<ResolvedTemporal> {
        let err = |msg: String| Error::Schema(format!("schema `{}`: temporal: {msg}", self.name));
        let spec = self
            .temporal
            .as_ref()
            .ok_or_else(|| err("the schema has no temporal section".into()))?;
        let find = |name: &str| {
            self.feature_index(name)
                .ok_or_else(|| err(format!("`{name}` is not a feature column")))
        };
        let time = find(&spec.time_column)?;
        let mut statics = Vec::with_capacity(spec.static_columns.len());
        for n in &spec.static_columns {
            let j = find(n)?;
            if statics.contains(&j) {
                return Err(err(format!("static column `{n}` is listed twice")));
            }
            statics.push(j);
        }
        let measured: Vec<usize> = (0..self.features.len())
            .filter(|j| *j != time && !statics.contains(j))
            .collect();
        let mut trends = Vec::with_capacity(spec.trend_columns.len());
        for n in &spec.trend_columns {
            let j = find(n)?;
            if !measured.contains(&j) {
                return Err(err(format!(
                    "trend column `{n}` must be a measured variable (not static, not the time column)"
                )));
            }
            if self.features[j].kind != ColumnKind::Numeric {
                return Err(err(format!("trend column `{n}` must be numeric")));
            }
            if trends.contains(&j) {
                return Err(err(format!("trend column `{n}` is listed twice")));
            }
            trends.push(j);
        }
        if spec.windows.contains(&0) {
            return Err(err("windows must be at least 1 hour".into()));
        }
        if !trends.is_empty() && spec.windows.is_empty() {
            return Err(err("trend columns need at least one window".into()));
        }
        Ok(ResolvedTemporal {
            time,
            statics,
            measured,
            trends,
            windows: spec.windows.clone(),
        })
    }

    /// Feature names in model order.
    pub fn feature_names(&self) -> Vec<String> {
        self.features.iter().map(|c| c.name.clone()).collect()
    }

    /// Index of the feature called `name` (canonical name or alias).
    pub fn feature_index(&self, name: &str) -> Option<usize> {
        let key = normalize_name(name);
        self.features.iter().position(|c| {
            normalize_name(&c.name) == key || c.aliases.iter().any(|a| normalize_name(a) == key)
        })
    }

    /// Matches a header against this schema. Duplicate header names that both match the same
    /// schema column are an error.
    pub fn match_header(&self, header: &[String]) -> Result<HeaderMatch> {
        let keys: Vec<String> = header.iter().map(|h| normalize_name(h)).collect();
        let mut used = vec![false; header.len()];
        let mut find = |name: &str, aliases: &[String]| -> Result<Option<usize>> {
            let wanted: Vec<String> = std::iter::once(name)
                .chain(aliases.iter().map(String::as_str))
                .map(normalize_name)
                .collect();
            let hits: Vec<usize> = (0..keys.len())
                .filter(|&i| wanted.contains(&keys[i]))
                .collect();
            match hits.as_slice() {
                [] => Ok(None),
                [i] => {
                    used[*i] = true;
                    Ok(Some(*i))
                }
                many => Err(Error::Header(format!(
                    "column `{name}` appears {} times in the header (columns {})",
                    many.len(),
                    many.iter()
                        .map(|i| (i + 1).to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))),
            }
        };
        let mut features = Vec::with_capacity(self.features.len());
        let mut missing_required = Vec::new();
        for c in &self.features {
            let hit = find(&c.name, &c.aliases)?;
            if hit.is_none() && c.required {
                missing_required.push(c.name.clone());
            }
            features.push(hit);
        }
        let id = match &self.id {
            Some(idc) => find(&idc.name, &idc.aliases)?,
            None => None,
        };
        let label = find(&self.label.name, &self.label.aliases)?;
        let extra = (0..header.len()).filter(|&i| !used[i]).collect();
        Ok(HeaderMatch {
            features,
            id,
            label,
            extra,
            missing_required,
        })
    }

    /// Parses a label value: `Some(true)` positive, `Some(false)` negative, `None` unrecognised.
    pub fn parse_label(&self, raw: &str) -> Option<bool> {
        let v = raw.trim();
        if self
            .label
            .positive
            .iter()
            .any(|p| p.eq_ignore_ascii_case(v))
        {
            Some(true)
        } else if self
            .label
            .negative
            .iter()
            .any(|p| p.eq_ignore_ascii_case(v))
        {
            Some(false)
        } else {
            None
        }
    }
}

/// The built-in schema called `name` (`seed`, `icu`), if any.
pub fn builtin(name: &str) -> Option<Schema> {
    let json = match name {
        "seed" => include_str!("schemas/seed.json"),
        "icu" => include_str!("schemas/icu.json"),
        _ => return None,
    };
    // Built-in schemas are validated by the tests below; a failure here is a build defect.
    Schema::from_json(json).ok()
}

/// Names of the built-in schemas.
pub const BUILTIN_NAMES: &[&str] = &["seed", "icu"];

/// All built-in schemas.
pub fn builtins() -> Vec<Schema> {
    BUILTIN_NAMES.iter().filter_map(|n| builtin(n)).collect()
}

/// The built-in schema whose required columns are all present in `header` and which matches
/// the most feature columns; `None` when no schema fits.
pub fn detect(header: &[String]) -> Option<Schema> {
    builtins()
        .into_iter()
        .filter_map(|s| {
            let m = s.match_header(header).ok()?;
            (m.missing_required.is_empty() && m.matched() > 0).then_some((m.matched(), s))
        })
        .max_by_key(|(n, _)| *n)
        .map(|(_, s)| s)
}

/// What [`choose`] found for a header.
#[derive(Debug, Clone, PartialEq)]
pub enum SchemaChoice {
    /// The schema to read the file with.
    Fits(Box<Schema>),
    /// No candidate fits: `(schema title, missing required columns)` per candidate.
    NoneFits(Vec<(String, Vec<String>)>),
}

/// The schema to read a file with, from its header: `preferred` (a model's own schema) when the
/// header fits it, otherwise the best built-in schema ([`detect`]); otherwise what each
/// candidate (`preferred`, then the built-ins) misses. The app's upload and the CLI's `eda`
/// both choose this way. A header that cannot be matched at all (e.g. a duplicated column) is
/// an error.
pub fn choose(header: &[String], preferred: Option<&Schema>) -> Result<SchemaChoice> {
    let fits = |s: &Schema| {
        s.match_header(header)
            .map(|m| m.missing_required.is_empty())
            .unwrap_or(false)
    };
    if let Some(p) = preferred
        && fits(p)
    {
        return Ok(SchemaChoice::Fits(Box::new(p.clone())));
    }
    if let Some(s) = detect(header) {
        return Ok(SchemaChoice::Fits(Box::new(s)));
    }
    let mut candidates: Vec<Schema> = preferred.cloned().into_iter().collect();
    for s in builtins() {
        if !candidates.iter().any(|c| c.name == s.name) {
            candidates.push(s);
        }
    }
    let mut missing = Vec::new();
    for s in &candidates {
        missing.push((s.title.clone(), s.match_header(header)?.missing_required));
    }
    Ok(SchemaChoice::NoneFits(missing))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn builtins_parse_and_validate() {
        for name in BUILTIN_NAMES {
            let s = builtin(name).unwrap_or_else(|| panic!("builtin {name} invalid"));
            s.validate().unwrap();
        }
    }

    #[test]
    fn seed_schema_has_truthful_meanings() {
        let s = builtin("seed").unwrap();
        assert_eq!(
            s.feature_names(),
            [
                "PRG",
                "PL",
                "PR",
                "SK",
                "TS",
                "M11",
                "BD2",
                "Age",
                "Insurance"
            ]
        );
        let pl = &s.features[s.feature_index("PL").unwrap()];
        assert!(pl.label.to_lowercase().contains("glucose"));
        assert_eq!(pl.missing_values, vec![0.0]);
        let prg = &s.features[s.feature_index("prg").unwrap()];
        assert!(
            prg.missing_values.is_empty(),
            "zero pregnancies is a real zero"
        );
        assert!(s.label.description.to_lowercase().contains("diabetes"));
        assert_eq!(s.parse_label(" positive "), Some(true));
        assert_eq!(s.parse_label("Negative"), Some(false));
        assert_eq!(s.parse_label("maybe"), None);
    }

    #[test]
    fn header_matching_is_case_and_space_insensitive_with_aliases() {
        let s = builtin("seed").unwrap();
        let h = header(&[
            "\u{feff}ID",
            " prg ",
            "Plasma_Glucose",
            "PR",
            "SK",
            "TS",
            "m11",
            "BD2",
            "age",
            "Insurance",
            "Sepssis",
            "ward",
        ]);
        let m = s.match_header(&h).unwrap();
        assert!(m.missing_required.is_empty());
        assert_eq!(m.id, Some(0));
        assert_eq!(m.label, Some(10));
        assert_eq!(m.features[1], Some(2));
        assert_eq!(m.extra, vec![11]);
        assert_eq!(detect(&h).unwrap().name, "seed");
    }

    #[test]
    fn missing_and_duplicate_columns_are_reported() {
        let s = builtin("seed").unwrap();
        let m = s.match_header(&header(&["PRG", "PL", "Age"])).unwrap();
        assert!(m.missing_required.contains(&"PR".to_string()));
        assert!(detect(&header(&["PRG", "PL", "Age"])).is_none());
        let err = s.match_header(&header(&["PL", "pl"])).unwrap_err();
        assert!(err.to_string().contains("appears 2 times"), "{err}");
    }

    #[test]
    fn invalid_schemas_are_rejected() {
        let mut s = builtin("seed").unwrap();
        s.features[1].aliases.push("prg".into());
        assert!(s.validate().is_err());
        assert!(Schema::from_json("{").is_err());
    }
}
