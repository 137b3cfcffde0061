//! One patient's ICU stay as plain data for the timeline page (vital signs and predicted risk
//! by ICU hour, threshold, onset), and the per-patient list of the Predict page.

use crate::core::bundle::{ModelBundle, Prediction};
use crate::core::dataset::{Cell, Dataset};
use crate::core::eda::LABEL_LEAD_HOURS;

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

/// Row indices of patient `id` in time order (stable by the carried-forward time column) and
/// the hour of each.
fn patient_rows(ds: &Dataset, id: &str) -> Vec<(usize, f64)> {
    let time = ds.schema.resolve_temporal().ok().map(|t| t.time);
    let mut clock = 0.0_f64;
    let mut rows: Vec<(usize, f64)> = Vec::new();
    for (i, r) in ds.rows.iter().enumerate() {
        if r.id.as_deref().unwrap_or("") != id {
            continue;
        }
        if let Some(t) = time.map(|t| r.values[t]).filter(|t| t.is_finite()) {
            clock = t;
        }
        rows.push((i, clock));
    }
    // Row indices are unique and ascending: the order of a stable sort (D12).
    rows.sort_unstable_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    rows
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

/// One row per patient, in order of first appearance.
pub fn patient_list(
    bundle: &ModelBundle,
    ds: &Dataset,
    predictions: &[Option<Prediction>],
) -> Vec<PatientRow> {
    let mut out: Vec<PatientRow> = Vec::new();
    let mut index = std::collections::HashMap::new();
    let mut clock: Vec<f64> = Vec::new();
    let time = ds.schema.resolve_temporal().ok().map(|t| t.time);
    for (i, r) in ds.rows.iter().enumerate() {
        let id = r.id.clone().unwrap_or_default();
        let k = *index.entry(id.clone()).or_insert_with(|| {
            out.push(PatientRow {
                id,
                hours: 0,
                max_risk: None,
                first_alert: None,
                septic: None,
            });
            clock.push(0.0);
            out.len() - 1
        });
        let p = &mut out[k];
        p.hours += 1;
        if let Some(t) = time.map(|t| r.values[t]).filter(|t| t.is_finite()) {
            clock[k] = t;
        }
        if let Some(l) = r.label {
            p.septic = Some(p.septic.unwrap_or(false) || l);
        }
        if let Some(pred) = predictions.get(i).and_then(Option::as_ref) {
            p.max_risk = Some(
                p.max_risk
                    .map_or(pred.probability, |m| m.max(pred.probability)),
            );
            if pred.probability >= bundle.threshold && p.first_alert.is_none() {
                p.first_alert = Some(clock[k]);
            }
        }
    }
    out
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
}
