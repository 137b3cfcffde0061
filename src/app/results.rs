//! The batch results table as plain data: one row per input record, sorting and filtering.

use crate::core::bundle::{ModelBundle, Prediction};
use crate::core::dataset::Dataset;
use crate::core::predict;

/// One row of the results table.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultRow {
    /// 1-based physical line in the file (the header is line 1).
    pub line: usize,
    /// The row's ID, when the file has an ID column.
    pub id: Option<String>,
    /// Calibrated probability; `None` when the row has errors and could not be scored.
    pub probability: Option<f64>,
    /// Predicted class at the bundle's threshold.
    pub predicted: Option<bool>,
    /// Index of the risk band.
    pub band: Option<usize>,
    /// Name of the risk band ("" when not scored).
    pub band_name: String,
    /// The row's problems, as in the results CSV's `issues` column ("" when clean).
    pub problems: String,
    /// The row's label, when the file has one.
    pub label: Option<bool>,
}

/// Builds the table rows from the core's predictions (same order as the dataset's rows).
pub fn build_rows(
    bundle: &ModelBundle,
    ds: &Dataset,
    predictions: &[Option<Prediction>],
) -> Vec<ResultRow> {
    ds.rows
        .iter()
        .zip(predictions)
        .zip(ds.issues_per_row())
        .map(|((r, p), issues)| ResultRow {
            line: r.line,
            id: r.id.clone(),
            probability: p.as_ref().map(|p| p.probability),
            predicted: p.as_ref().map(|p| p.predicted),
            band: p.as_ref().map(|p| p.band),
            band_name: p
                .as_ref()
                .map_or(String::new(), |p| bundle.band_name(p.band).to_string()),
            problems: predict::format_issues(issues.iter()),
            label: r.label,
        })
        .collect()
}

/// Column to sort the results table by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    /// File line (the file's order).
    Line,
    /// Row ID (text order).
    Id,
    /// Probability (unscored rows last in both directions).
    Probability,
    /// Risk band (by band index).
    Band,
    /// Number of characters of problems text, i.e. rows with problems together.
    Problems,
}

impl SortKey {
    /// Every key, in column order.
    pub const ALL: [SortKey; 5] = [
        SortKey::Line,
        SortKey::Id,
        SortKey::Probability,
        SortKey::Band,
        SortKey::Problems,
    ];

    /// Stable key for the header button's `data-sort`.
    pub fn attr(self) -> &'static str {
        match self {
            SortKey::Line => "line",
            SortKey::Id => "id",
            SortKey::Probability => "probability",
            SortKey::Band => "band",
            SortKey::Problems => "problems",
        }
    }

    /// Column header text.
    pub fn title(self) -> &'static str {
        match self {
            SortKey::Line => "Row (line)",
            SortKey::Id => "ID",
            SortKey::Probability => "Probability",
            SortKey::Band => "Risk band",
            SortKey::Problems => "Problems",
        }
    }

    /// The direction of the first click on the column: risk highest first, the rest
    /// ascending.
    pub fn first_dir(self) -> SortDir {
        match self {
            SortKey::Probability | SortKey::Band => SortDir::Descending,
            _ => SortDir::Ascending,
        }
    }
}

/// The sort after clicking the header of `key` while sorted by `current`: the same column
/// reverses, another column sorts in its first direction ([`SortKey::first_dir`]).
pub fn next_sort(current: (SortKey, SortDir), key: SortKey) -> (SortKey, SortDir) {
    if current.0 == key {
        (key, current.1.flip())
    } else {
        (key, key.first_dir())
    }
}

/// Sort direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortDir {
    /// Smallest first.
    Ascending,
    /// Largest first.
    Descending,
}

impl SortDir {
    /// The other direction.
    pub fn flip(self) -> Self {
        match self {
            SortDir::Ascending => SortDir::Descending,
            SortDir::Descending => SortDir::Ascending,
        }
    }

    /// The `aria-sort` attribute value.
    pub fn aria(self) -> &'static str {
        match self {
            SortDir::Ascending => "ascending",
            SortDir::Descending => "descending",
        }
    }
}

/// Which rows to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    /// Every row.
    All,
    /// Rows at or above the alert threshold.
    HighRisk,
    /// Rows with any problem (errors or warnings).
    Problems,
}

impl Filter {
    /// Every filter, in menu order.
    pub const ALL: [Filter; 3] = [Filter::All, Filter::HighRisk, Filter::Problems];

    /// Stable key for `<option value>`.
    pub fn key(self) -> &'static str {
        match self {
            Filter::All => "all",
            Filter::HighRisk => "high",
            Filter::Problems => "problems",
        }
    }

    /// The filter with `key`, if any.
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.key() == key)
    }

    /// Menu text.
    pub fn title(self) -> &'static str {
        match self {
            Filter::All => "All rows",
            Filter::HighRisk => "High risk (at or above the threshold)",
            Filter::Problems => "Rows with problems",
        }
    }

    /// Whether `row` passes the filter.
    pub fn keeps(self, row: &ResultRow) -> bool {
        match self {
            Filter::All => true,
            Filter::HighRisk => row.predicted == Some(true),
            Filter::Problems => !row.problems.is_empty(),
        }
    }
}

/// Indices into `rows` of the rows passing `filter`, sorted by `key` in `dir` (stable: ties
/// keep file order; rows without a probability or band always come last).
pub fn arrange(rows: &[ResultRow], filter: Filter, key: SortKey, dir: SortDir) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..rows.len())
        .filter(|&i| filter.keeps(&rows[i]))
        .collect();
    let ordered = |a: std::cmp::Ordering| match dir {
        SortDir::Ascending => a,
        SortDir::Descending => a.reverse(),
    };
    // Unstable with the index as the last key: the order of a stable sort (D12).
    idx.sort_unstable_by(|&a, &b| {
        let (ra, rb) = (&rows[a], &rows[b]);
        match key {
            SortKey::Line => ordered(ra.line.cmp(&rb.line)),
            SortKey::Id => ordered(ra.id.cmp(&rb.id)),
            SortKey::Probability => match (ra.probability, rb.probability) {
                (Some(x), Some(y)) => ordered(x.total_cmp(&y)),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            },
            SortKey::Band => match (ra.band, rb.band) {
                (Some(x), Some(y)) => ordered(x.cmp(&y)),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            },
            SortKey::Problems => ordered(
                (!ra.problems.is_empty())
                    .cmp(&!rb.problems.is_empty())
                    .then_with(|| ra.problems.cmp(&rb.problems)),
            ),
        }
        .then(a.cmp(&b))
    });
    idx
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(line: usize, p: Option<f64>, problems: &str) -> ResultRow {
        ResultRow {
            line,
            id: Some(format!("R{line}")),
            probability: p,
            predicted: p.map(|p| p >= 0.5),
            band: p.map(|p| usize::from(p >= 0.5)),
            band_name: String::new(),
            problems: problems.to_string(),
            label: None,
        }
    }

    fn rows() -> Vec<ResultRow> {
        vec![
            row(2, Some(0.2), ""),
            row(3, None, "error: PL: \"x\" is not a number"),
            row(4, Some(0.9), ""),
            row(5, Some(0.6), "warning: PR: out of range"),
        ]
    }

    #[test]
    fn sorts_by_probability_with_unscored_rows_last() {
        let r = rows();
        let desc = arrange(&r, Filter::All, SortKey::Probability, SortDir::Descending);
        assert_eq!(desc, vec![2, 3, 0, 1]);
        let asc = arrange(&r, Filter::All, SortKey::Probability, SortDir::Ascending);
        assert_eq!(asc, vec![0, 3, 2, 1]);
    }

    #[test]
    fn sorts_by_line_and_problems() {
        let r = rows();
        assert_eq!(
            arrange(&r, Filter::All, SortKey::Line, SortDir::Descending),
            vec![3, 2, 1, 0]
        );
        let p = arrange(&r, Filter::All, SortKey::Problems, SortDir::Descending);
        assert_eq!(&p[2..], &[0, 2], "clean rows last, in file order");
    }

    #[test]
    fn header_clicks() {
        let start = (SortKey::Line, SortDir::Ascending);
        let p = next_sort(start, SortKey::Probability);
        assert_eq!(p, (SortKey::Probability, SortDir::Descending));
        assert_eq!(
            next_sort(p, SortKey::Probability),
            (SortKey::Probability, SortDir::Ascending)
        );
        assert_eq!(
            next_sort(start, SortKey::Line),
            (SortKey::Line, SortDir::Descending)
        );
        assert_eq!(next_sort(p, SortKey::Id), (SortKey::Id, SortDir::Ascending));
        assert_eq!(next_sort(start, SortKey::Band).1, SortDir::Descending);
        let attrs: Vec<&str> = SortKey::ALL.iter().map(|k| k.attr()).collect();
        assert_eq!(attrs, ["line", "id", "probability", "band", "problems"]);
        for k in SortKey::ALL {
            assert_eq!(k.attr(), format!("{k:?}").to_lowercase());
            assert!(!k.title().is_empty());
        }
    }

    #[test]
    fn filters() {
        let r = rows();
        assert_eq!(
            arrange(&r, Filter::HighRisk, SortKey::Line, SortDir::Ascending),
            vec![2, 3]
        );
        assert_eq!(
            arrange(&r, Filter::Problems, SortKey::Line, SortDir::Ascending),
            vec![1, 3]
        );
        for f in Filter::ALL {
            assert_eq!(Filter::from_key(f.key()), Some(f));
        }
        assert_eq!(Filter::from_key("nope"), None);
    }

    #[test]
    fn rows_come_from_the_core() {
        use crate::core::{csv, dataset::Dataset, predict};
        let bundle = crate::app::model::seed_bundle().unwrap();
        let text = "ID,PRG,PL,PR,SK,TS,M11,BD2,Age,Insurance\n\
                    a,1,150,70,20,0,30,0.5,40,1\n\
                    b,1,abc,70,20,0,30,0.5,40,1\n";
        let t = csv::parse(text.as_bytes()).unwrap();
        let ds = Dataset::from_table(&t, &bundle.schema, "t.csv").unwrap();
        let preds = predict::predict_dataset(bundle, &ds).unwrap();
        let rows = build_rows(bundle, &ds, &preds);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[0].id.as_deref(), Some("a"));
        assert_eq!(
            rows[0].probability,
            Some(preds[0].as_ref().unwrap().probability)
        );
        assert!(!rows[0].band_name.is_empty());
        assert_eq!(rows[1].probability, None);
        assert!(rows[1].problems.contains("PL"), "{}", rows[1].problems);
    }
}
