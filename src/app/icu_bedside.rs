//! The ICU bedside form as plain data: the current hour (every schema variable, read by the
//! same cell parser as the seed form, [`bedside::check_form`]) and optionally up to
//! [`PREVIOUS_HOURS`] earlier hours of the vital signs (the schema's trend columns), turned
//! into the patient series that `ModelBundle::explain_series` scores: earlier hours first, the
//! current hour last, each earlier hour `k` at ICU hour `current - k`.
//!
//! An empty field is unknown. Earlier hours are used back to the earliest one with any value
//! (hours in between with nothing typed count as hours without measurements); an earlier hour
//! that would fall before ICU admission (hour below 0) is left out and reported.

use crate::app::bedside::{self, FieldCheck, FieldStatus, FormCheck};
use crate::core::schema::Schema;

/// Most earlier hours the form offers.
pub const PREVIOUS_HOURS: usize = 6;

/// The raw text of the form.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IcuForm {
    /// One text per schema feature (the current hour).
    pub current: Vec<String>,
    /// `previous[k - 1][i]`: hour `current - k`, trend column `i` (see [`trend_columns`]).
    pub previous: Vec<Vec<String>>,
}

impl IcuForm {
    /// An empty form for `schema`.
    pub fn new(schema: &Schema) -> Self {
        IcuForm {
            current: vec![String::new(); schema.features.len()],
            previous: vec![vec![String::new(); trend_columns(schema).len()]; PREVIOUS_HOURS],
        }
    }

    /// Sets the current hour's text of schema feature `j`.
    pub fn set_current(&mut self, j: usize, text: String) {
        if self.current.len() <= j {
            self.current.resize(j + 1, String::new());
        }
        self.current[j] = text;
    }

    /// The text of trend column `i` at `k` hours earlier (`k` from 1; "" when not typed).
    pub fn previous_text(&self, k: usize, i: usize) -> &str {
        k.checked_sub(1)
            .and_then(|h| self.previous.get(h))
            .and_then(|h| h.get(i))
            .map_or("", String::as_str)
    }

    /// Sets the text of trend column `i` at `k` hours earlier (`k` from 1).
    pub fn set_previous(&mut self, k: usize, i: usize, text: String) {
        let Some(h) = k.checked_sub(1) else {
            return;
        };
        if self.previous.len() <= h {
            self.previous.resize(h + 1, Vec::new());
        }
        let hour = &mut self.previous[h];
        if hour.len() <= i {
            hour.resize(i + 1, String::new());
        }
        hour[i] = text;
    }
}

/// Schema indices of the variables offered for earlier hours (the temporal spec's trend
/// columns: the vital signs); empty for a schema without a temporal section.
pub fn trend_columns(schema: &Schema) -> Vec<usize> {
    schema
        .resolve_temporal()
        .map(|t| t.trends)
        .unwrap_or_default()
}

/// The checked form.
#[derive(Debug, Clone, PartialEq)]
pub struct IcuCheck {
    /// The current hour, one check per schema feature.
    pub current: FormCheck,
    /// `previous[k - 1][i]` as in [`IcuForm::previous`].
    pub previous: Vec<Vec<FieldCheck>>,
    /// Earlier hours used (0 = the current hour only).
    pub hours_used: usize,
    /// Notes about left-out earlier hours.
    pub notes: Vec<String>,
}

impl IcuCheck {
    /// "Hours used: the current hour and 2 earlier." and the notes.
    pub fn hours_text(&self) -> String {
        let mut s = format!(
            "Hours used: the current hour and {} earlier.",
            self.hours_used
        );
        for n in &self.notes {
            s.push(' ');
            s.push_str(n);
        }
        s
    }

    /// Number of fields with an error.
    pub fn error_count(&self) -> usize {
        self.current.error_count()
            + self
                .previous
                .iter()
                .flatten()
                .filter(|f| matches!(f.status, FieldStatus::Error(_)))
                .count()
    }
}

/// Checks the form and builds the series: `(check, rows)`, rows `None` while a field has an
/// error.
pub fn check(schema: &Schema, form: &IcuForm) -> (IcuCheck, Option<Vec<Vec<f64>>>) {
    let current = bedside::check_form(schema, &form.current);
    let trends = trend_columns(schema);
    let previous: Vec<Vec<FieldCheck>> = (0..PREVIOUS_HOURS)
        .map(|k| {
            trends
                .iter()
                .enumerate()
                .map(|(i, &j)| {
                    let raw = form
                        .previous
                        .get(k)
                        .and_then(|h| h.get(i))
                        .map_or("", String::as_str);
                    bedside::check_field(schema, j, raw)
                })
                .collect()
        })
        .collect();
    let typed = |k: usize| {
        form.previous
            .get(k)
            .is_some_and(|h| h.iter().any(|t| !t.trim().is_empty()))
    };
    let mut hours = (0..PREVIOUS_HOURS)
        .rev()
        .find(|&k| typed(k))
        .map_or(0, |k| k + 1);
    let mut notes = Vec::new();
    let time = schema.resolve_temporal().ok().map(|t| t.time);
    let now = time.map_or(f64::NAN, |t| current.fields[t].value);
    if now.is_finite() && (hours as f64) > now {
        let keep = now.floor().max(0.0) as usize;
        notes.push(format!(
            "Hours before ICU admission left out: the current hour is {now}, so at most {keep} earlier hour{} can be used.",
            if keep == 1 { "" } else { "s" }
        ));
        hours = keep;
    }
    let mut c = IcuCheck {
        current,
        previous,
        hours_used: hours,
        notes,
    };
    if c.error_count() > 0 {
        return (c, None);
    }
    let mut rows = Vec::with_capacity(hours + 1);
    for k in (1..=hours).rev() {
        let mut row = vec![f64::NAN; schema.features.len()];
        for (i, &j) in trends.iter().enumerate() {
            row[j] = c.previous[k - 1][i].value;
        }
        if let Some(t) = time {
            row[t] = now - k as f64;
        }
        rows.push(row);
    }
    rows.push(c.current.values().unwrap_or_default());
    c.hours_used = hours;
    (c, Some(rows))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::model::test_icu_bundle;

    #[test]
    fn series_has_earlier_hours_first_and_matches_the_core() {
        let b = test_icu_bundle();
        let s = &b.schema;
        let mut f = IcuForm::new(s);
        let set = |f: &mut IcuForm, name: &str, v: &str| {
            f.current[s.feature_index(name).unwrap()] = v.into();
        };
        set(&mut f, "ICULOS", "10");
        set(&mut f, "HR", "110");
        set(&mut f, "Lactate", "3.1");
        set(&mut f, "Age", "70");
        let trends = trend_columns(s);
        assert!(!trends.is_empty());
        let hr = trends
            .iter()
            .position(|&j| s.features[j].name == "HR")
            .unwrap();
        f.previous[2][hr] = "90".into(); // 3 hours earlier
        let (c, rows) = check(s, &f);
        let rows = rows.unwrap();
        assert_eq!(c.hours_used, 3);
        assert_eq!(rows.len(), 4);
        let t = s.feature_index("ICULOS").unwrap();
        let hr_j = s.feature_index("HR").unwrap();
        assert_eq!(
            rows.iter().map(|r| r[t]).collect::<Vec<_>>(),
            vec![7.0, 8.0, 9.0, 10.0]
        );
        assert_eq!(rows[0][hr_j], 90.0);
        assert!(rows[1][hr_j].is_nan());
        assert_eq!(rows[3][hr_j], 110.0);
        let refs: Vec<&[f64]> = rows.iter().map(Vec::as_slice).collect();
        let e = b.explain_series(&refs).unwrap();
        let p = b.predict_series(&refs).unwrap();
        assert!((e.prediction.probability - p[3].probability).abs() < 1e-12);

        // Before admission: left out, with a note.
        set(&mut f, "ICULOS", "2");
        let (c, rows) = check(s, &f);
        assert_eq!(c.hours_used, 2);
        assert_eq!(rows.unwrap().len(), 3);
        assert_eq!(c.notes.len(), 1);

        // Errors block the series.
        f.previous[0][hr] = "fast".into();
        let (c, rows) = check(s, &f);
        assert!(rows.is_none());
        assert_eq!(c.error_count(), 1);
        // The current hour alone.
        let (c, rows) = check(s, &IcuForm::new(s));
        assert_eq!((c.hours_used, rows.unwrap().len()), (0, 1));
    }

    #[test]
    fn form_edits_and_hours_text() {
        let s = &test_icu_bundle().schema;
        let mut f = IcuForm::new(s);
        f.set_current(0, "1".into());
        assert_eq!(f.current[0], "1");
        let mut short = IcuForm::default();
        short.set_current(2, "x".into());
        assert_eq!(short.current, vec!["", "", "x"]);
        f.set_previous(2, 1, "95".into());
        assert_eq!(f.previous_text(2, 1), "95");
        assert_eq!(f.previous[1][1], "95");
        assert_eq!(f.previous_text(0, 1), "");
        assert_eq!(f.previous_text(9, 0), "");
        short.set_previous(3, 1, "7".into());
        assert_eq!(short.previous_text(3, 1), "7");
        f.set_previous(0, 0, "ignored".into());
        assert_eq!(f.previous.len(), PREVIOUS_HOURS);

        set_hours(&mut f, s, "2");
        f.set_previous(3, 0, "80".into());
        let (c, _) = check(s, &f);
        let t = c.hours_text();
        assert!(
            t.starts_with("Hours used: the current hour and 2 earlier. Hours before ICU"),
            "{t}"
        );
        let (c, _) = check(s, &IcuForm::new(s));
        assert_eq!(
            c.hours_text(),
            "Hours used: the current hour and 0 earlier."
        );
    }

    fn set_hours(f: &mut IcuForm, s: &Schema, v: &str) {
        f.set_current(s.feature_index("ICULOS").unwrap(), v.into());
    }
}
