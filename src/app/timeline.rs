//! One patient's ICU stay as plain data for the timeline page (vital signs and predicted risk
//! by ICU hour, threshold, onset), and the per-patient list of the Predict page.

use crate::core::bundle::{ModelBundle, Prediction};
use crate::core::dataset::{Cell, Dataset};
use crate::core::eda::LABEL_LEAD_HOURS;
use crate::core::temporal;

/// One drawn variable: `(hour, value)` points of its present values.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Schema column name.
    pub column: String,
    /// Label with unit, e.g. "Heart rate (beats/min)".
    pub label: String,
    /// Present values by hour.
    pub points: Vec<(f64, f64)>,
}

/// One patient's stay.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    /// The patient ID.
    pub id: String,
    /// Rows (hours) of the patient.
    pub hours: usize,
    /// `(hour, calibrated probability)` of the scored rows.
    pub risk: Vec<(f64, f64)>,
    /// The vital signs (the schema's trend columns), in the schema's order.
    pub vitals: Vec<Series>,
    /// The alert threshold.
    pub threshold: f64,
    /// Onset hour (first positive label hour + 6) when the patient has a positive label.
    pub onset: Option<f64>,
    /// Whether any row of the patient has a label.
    pub labelled: bool,
    /// Hour of the first alert (probability at or above the threshold).
    pub first_alert: Option<f64>,
}

/// One row of the patient list.
#[derive(Debug, Clone, PartialEq)]
pub struct PatientRow {
    /// The patient ID.
    pub id: String,
    /// Rows (hours).
    pub hours: usize,
    /// Highest predicted probability.
    pub max_risk: Option<f64>,
    /// Hour of the first alert.
    pub first_alert: Option<f64>,
    /// Whether the patient has a positive label (`None` without labels).
    pub septic: Option<bool>,
}

/// The time column of the dataset's temporal section, or `usize::MAX` without one (no value
/// has that index, so the core's clock reads every row as a blank time: file order, hour 0).
fn time_column(ds: &Dataset) -> usize {
    ds.schema.resolve_temporal().map_or(usize::MAX, |t| t.time)
}

/// Each patient of `ds` with its rows as the core orders and clocks them for the
/// patient-level evaluation ([`temporal::patient_order`], [`temporal::patient_hours`]):
/// `(id, [(row index, ICU hour)])`, patients in order of first appearance, rows in time
/// order, hours carried forward over blanks and never decreasing. The Patient page and the
/// Predict page's patient list both read this, so they agree with each other and with the
/// core's evaluation on the hour of every row.
pub fn patients(ds: &Dataset) -> Vec<(String, Vec<(usize, f64)>)> {
    let time = time_column(ds);
    let (order, ranges) = temporal::patient_order(ds, time);
    ranges
        .into_iter()
        .map(|p| {
            let rows = &order[p.rows];
            let hours =
                temporal::patient_hours(rows.iter().map(|&r| ds.rows[r].values.as_slice()), time);
            (p.id, rows.iter().copied().zip(hours).collect())
        })
        .collect()
}

/// The rows of patient `id` as in [`patients`] (empty for an unknown ID).
pub fn patient_rows(ds: &Dataset, id: &str) -> Vec<(usize, f64)> {
    patients(ds)
        .into_iter()
        .find(|(p, _)| p == id)
        .map(|(_, rows)| rows)
        .unwrap_or_default()
}

/// The timeline of patient `id`; `None` when the dataset has no row of that patient.
pub fn build(
    bundle: &ModelBundle,
    ds: &Dataset,
    predictions: &[Option<Prediction>],
    id: &str,
) -> Option<Timeline> {
    let rows = patient_rows(ds, id);
    if rows.is_empty() {
        return None;
    }
    let trends = ds
        .schema
        .resolve_temporal()
        .map(|t| t.trends)
        .unwrap_or_default();
    let vitals = trends
        .iter()
        .map(|&j| {
            let col = &ds.schema.features[j];
            Series {
                column: col.name.clone(),
                label: if col.unit.is_empty() {
                    col.label.clone()
                } else {
                    format!("{} ({})", col.label, col.unit)
                },
                points: rows
                    .iter()
                    .filter(|&&(i, _)| ds.rows[i].cells[j] == Cell::Present)
                    .map(|&(i, h)| (h, ds.rows[i].values[j]))
                    .collect(),
            }
        })
        .collect();
    let risk: Vec<(f64, f64)> = rows
        .iter()
        .filter_map(|&(i, h)| predictions.get(i)?.as_ref().map(|p| (h, p.probability)))
        .collect();
    let first_alert = risk
        .iter()
        .find(|(_, p)| *p >= bundle.threshold)
        .map(|(h, _)| *h);
    let onset = rows
        .iter()
        .find(|&&(i, _)| ds.rows[i].label == Some(true))
        .map(|&(_, h)| h + LABEL_LEAD_HOURS);
    Some(Timeline {
        id: id.to_string(),
        hours: rows.len(),
        risk,
        vitals,
        threshold: bundle.threshold,
        onset,
        labelled: rows.iter().any(|&(i, _)| ds.rows[i].label.is_some()),
        first_alert,
    })
}

/// One row per patient, in order of first appearance; hours and the first alert by the same
/// clock as the Patient page ([`patients`]).
pub fn patient_list(
    bundle: &ModelBundle,
    ds: &Dataset,
    predictions: &[Option<Prediction>],
) -> Vec<PatientRow> {
    patients(ds)
        .into_iter()
        .map(|(id, rows)| {
            let scored = || {
                rows.iter()
                    .filter_map(|&(i, h)| Some((h, predictions.get(i)?.as_ref()?.probability)))
            };
            PatientRow {
                id,
                hours: rows.len(),
                max_risk: scored().map(|(_, p)| p).reduce(f64::max),
                first_alert: scored()
                    .find(|&(_, p)| p >= bundle.threshold)
                    .map(|(h, _)| h),
                septic: rows
                    .iter()
                    .filter_map(|&(i, _)| ds.rows[i].label)
                    .reduce(|a, b| a || b),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::model::test_icu_bundle;
    use crate::core::{csv, predict, schema};

    #[test]
    fn timeline_and_list_follow_the_data() {
        let icu = test_icu_bundle();
        let s = schema::builtin("icu").unwrap();
        // Patient b's rows are out of order; a becomes septic (label from hour 3).
        let text = "patient_id,ICULOS,HR,MAP,Age,SepsisLabel\n\
                    a,1,80,70,60,0\n\
                    a,2,NaN,72,60,0\n\
                    a,3,95,65,60,1\n\
                    b,2,70,NaN,50,0\n\
                    b,1,72,80,50,0\n";
        let ds = crate::core::dataset::Dataset::from_table(
            &csv::parse(text.as_bytes()).unwrap(),
            &s,
            "t",
        )
        .unwrap();
        let preds = predict::predict_dataset(icu, &ds).unwrap();
        let t = build(icu, &ds, &preds, "a").unwrap();
        assert_eq!(t.hours, 3);
        assert_eq!(t.onset, Some(9.0));
        assert!(t.labelled);
        assert_eq!(t.risk.len(), 3);
        assert_eq!(t.risk[2], (3.0, preds[2].as_ref().unwrap().probability));
        let hr = t.vitals.iter().find(|v| v.column == "HR").unwrap();
        assert_eq!(hr.points, vec![(1.0, 80.0), (3.0, 95.0)]);
        assert!(hr.label.contains("beats/min"));
        let b = build(icu, &ds, &preds, "b").unwrap();
        assert_eq!(
            b.risk.iter().map(|r| r.0).collect::<Vec<_>>(),
            vec![1.0, 2.0]
        );
        assert_eq!(b.onset, None);
        assert!(build(icu, &ds, &preds, "zzz").is_none());
        let list = patient_list(icu, &ds, &preds);
        assert_eq!(list.len(), 2);
        assert_eq!(
            (list[0].id.as_str(), list[0].hours, list[0].septic),
            ("a", 3, Some(true))
        );
        assert_eq!(list[1].septic, Some(false));
        let max_a = preds[..3]
            .iter()
            .flatten()
            .map(|p| p.probability)
            .fold(0.0, f64::max);
        assert_eq!(list[0].max_risk, Some(max_a));
    }

    /// A prediction with probability `p` (the test sets the probabilities by hand).
    fn pred(p: f64, threshold: f64) -> Option<Prediction> {
        Some(Prediction {
            probability: p,
            model_probability: p,
            predicted: p >= threshold,
            band: 0,
        })
    }

    #[test]
    fn patient_page_and_predict_page_agree_on_shuffled_out_of_order_hours() {
        use crate::core::utility::{self, UtilityParams};
        let icu = test_icu_bundle();
        let s = schema::builtin("icu").unwrap();
        // Patients interleaved; a's rows shuffled; b's hours go backwards (5 after 7) and it has
        // a blank hour; c has a blank first hour.
        let text = "patient_id,ICULOS,HR,SepsisLabel\n\
                    a,3,90,0\n\
                    b,7,80,0\n\
                    a,1,85,0\n\
                    c,NaN,70,0\n\
                    a,4,99,1\n\
                    b,5,82,0\n\
                    a,2,88,0\n\
                    b,NaN,81,0\n\
                    c,2,71,0\n\
                    b,6,83,0\n";
        let ds = crate::core::dataset::Dataset::from_table(
            &csv::parse(text.as_bytes()).unwrap(),
            &s,
            "t",
        )
        .unwrap();
        let th = icu.threshold;
        let hi = (th + 1.0) / 2.0;
        let lo = th / 2.0;
        // Alerts (file order): a at hours 3 and 2; b at hours 7 and 6; c at its blank hour.
        let p = [hi, hi, lo, hi, lo, lo, hi, lo, lo, hi];
        let preds: Vec<Option<Prediction>> = p.iter().map(|&p| pred(p, th)).collect();

        // The core's clock: rows in time order, hours never decreasing, blanks carried forward.
        assert_eq!(
            patient_rows(&ds, "a"),
            vec![(2, 1.0), (6, 2.0), (0, 3.0), (4, 4.0)]
        );
        assert_eq!(
            patient_rows(&ds, "b"),
            vec![(5, 5.0), (7, 5.0), (9, 6.0), (1, 7.0)],
            "the blank hour stays after hour 5, the row before it in the file"
        );
        assert_eq!(patient_rows(&ds, "c"), vec![(3, 0.0), (8, 2.0)]);

        // The first alert hour: the Patient page (timeline) and the Predict page (patient
        // list) agree, in time order (not file order: a's first alerting row in the file is
        // hour 3, b's is hour 7).
        let list = patient_list(icu, &ds, &preds);
        let want = [("a", Some(2.0)), ("b", Some(6.0)), ("c", Some(0.0))];
        assert_eq!(list.len(), want.len());
        for (row, (id, first)) in list.iter().zip(want) {
            let t = build(icu, &ds, &preds, id).unwrap();
            assert_eq!(row.id, id);
            assert_eq!((t.first_alert, row.first_alert), (first, first), "{id}");
            assert_eq!(t.hours, row.hours);
        }
        let a = build(icu, &ds, &preds, "a").unwrap();
        assert_eq!(a.onset, Some(10.0), "first positive hour 4 + 6");
        assert_eq!(
            a.risk.iter().map(|r| r.0).collect::<Vec<_>>(),
            vec![1.0, 2.0, 3.0, 4.0]
        );

        // The patient-level evaluation of the Predict page (the core's) equals the one made
        // from the Patient page's rows and hours.
        let core = predict::evaluate_time_series(icu, &ds, &preds)
            .unwrap()
            .unwrap();
        let parts: Vec<(Vec<bool>, Vec<f64>, Vec<f64>)> = list
            .iter()
            .map(|row| {
                let rows = patient_rows(&ds, &row.id);
                let labels = rows
                    .iter()
                    .map(|&(i, _)| ds.rows[i].label.unwrap())
                    .collect();
                let scores = rows
                    .iter()
                    .map(|&(i, _)| preds[i].as_ref().unwrap().probability)
                    .collect();
                (labels, scores, rows.iter().map(|r| r.1).collect())
            })
            .collect();
        let params = UtilityParams::default();
        let pages = utility::evaluate_icu(&parts, th, &params).unwrap();
        assert_eq!(pages, core);
        // Patient a: detected, the first alert 8 hours before onset (hour 2 vs hour 10).
        assert_eq!(core.detected_patients, 1);
        assert_eq!(core.median_hours_early, Some(a.onset.unwrap() - 2.0));
    }
}
