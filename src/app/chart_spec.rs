//! Every chart the app shows, as plain data: which `charts` function to call with which
//! prepared core results, and how tall to make it for a given width.
//!
//! The same [`ChartSpec::draw`] renders onto the page's canvas and, for "Download SVG", onto
//! plotters' `SVGBackend::with_string` ([`ChartSpec::svg`]), so both downloads show the same
//! chart. Natively the SVG path is unit-tested.

use std::sync::Arc;

use plotters::coord::Shift;
use plotters::drawing::DrawingArea;
use plotters::prelude::DrawingBackend;

use crate::charts::{self, CalPoint, ChartError, ChartSize, ClassNames, RiskCounts};
use crate::core::bundle::RiskHistogram;
use crate::core::eda::{BoxStats, ClassBalance, ColumnSummary, Correlation, Histogram};

/// Class names in legends. The app never calls the label "sepsis": what it means depends on
/// the data (for the seed data it is a diabetes outcome).
pub const CLASS_NAMES: ClassNames<'static> = ClassNames {
    positive: "Positive",
    negative: "Negative",
    unlabeled: "Unlabelled",
};

/// One vital sign of a timeline: label with unit, `(hour, value)` points.
pub type Vital = (String, Vec<(f64, f64)>);

/// Class names of the patient-level label chart.
pub const PATIENT_NAMES: ClassNames<'static> = ClassNames {
    positive: "Septic patients",
    negative: "Other patients",
    unlabeled: "Unlabelled patients",
};

/// One chart with its data.
#[derive(Debug, Clone, PartialEq)]
pub enum ChartSpec {
    /// Label counts.
    ClassBalance(Option<ClassBalance>),
    /// Missing cells per column, by kind.
    Missing(Arc<Vec<ColumnSummary>>),
    /// Histogram of one feature by label.
    Histogram {
        /// The core's histogram.
        hist: Histogram,
        /// Chart title.
        title: String,
        /// X axis description (label and unit).
        x_label: String,
    },
    /// Box plots of one feature by label.
    Boxes {
        /// Chart title.
        title: String,
        /// Y axis description.
        y_label: String,
        /// Positive rows.
        positive: Option<BoxStats>,
        /// Negative rows.
        negative: Option<BoxStats>,
    },
    /// Correlation heatmap.
    Correlation(Arc<Correlation>),
    /// Scatter of two features by label.
    Scatter {
        /// `(x, y, label)` points.
        points: Arc<Vec<(f64, f64, Option<bool>)>>,
        /// X axis description.
        x_label: String,
        /// Y axis description.
        y_label: String,
    },
    /// ROC curve.
    Roc {
        /// `(fpr, tpr)` points.
        points: Arc<Vec<(f64, f64)>>,
        /// Area under the curve.
        auc: Option<f64>,
        /// `(fpr, tpr)` at the current threshold.
        operating_point: Option<(f64, f64)>,
    },
    /// Precision-recall curve.
    Pr {
        /// `(recall, precision)` points.
        points: Arc<Vec<(f64, f64)>>,
        /// Share of positives (the no-skill baseline).
        prevalence: Option<f64>,
        /// Average precision.
        average_precision: Option<f64>,
        /// `(recall, precision)` at the current threshold.
        operating_point: Option<(f64, f64)>,
    },
    /// Calibration plot.
    Calibration {
        /// After calibration.
        after: Arc<Vec<CalPoint>>,
        /// Before calibration.
        before: Option<Arc<Vec<CalPoint>>>,
    },
    /// Calibration of a model on local data before and after recalibration (cross-fitted).
    Recalibration {
        /// The recalibrated model.
        after: Arc<Vec<CalPoint>>,
        /// The model as it was.
        before: Arc<Vec<CalPoint>>,
    },
    /// Histogram of predicted risks.
    Risk {
        /// Counts (positive and negative; all rows in `negative` when not by label).
        hist: Arc<RiskHistogram>,
        /// Whether to draw by label.
        by_label: bool,
        /// Decision threshold line.
        threshold: Option<f64>,
    },
    /// Feature importance bars.
    Importance {
        /// `(label, importance)`, first on top.
        items: Arc<Vec<(String, f64)>>,
        /// Name of the measure.
        x_label: String,
    },
    /// Patients by label (time-series data): septic, other, unlabelled.
    PatientBalance(ClassBalance),
    /// Fraction of patient-hours in which each variable is measured, most measured first.
    MeasuredFraction(Arc<Vec<(String, f64)>>),
    /// One patient's stay: risk, threshold, onset and vital signs by ICU hour.
    Timeline {
        /// `(hour, probability)`.
        risk: Arc<Vec<(f64, f64)>>,
        /// Alert threshold.
        threshold: Option<f64>,
        /// Onset hour.
        onset: Option<f64>,
        /// `(label with unit, (hour, value) points)` per vital sign.
        vitals: Arc<Vec<Vital>>,
    },
    /// Contributions to one prediction.
    Contributions {
        /// `(label with value, contribution)`, first on top.
        items: Arc<Vec<(String, f64)>>,
        /// Unit of the contributions.
        caption: String,
    },
}

impl ChartSpec {
    /// Draws the chart onto `area` (any plotters backend).
    pub fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
    ) -> Result<(), ChartError> {
        match self {
            ChartSpec::ClassBalance(b) => charts::class_balance(area, b.as_ref(), CLASS_NAMES),
            ChartSpec::Missing(cols) => charts::missing_values(area, cols),
            ChartSpec::Histogram {
                hist,
                title,
                x_label,
            } => charts::histogram(area, hist, title, x_label, CLASS_NAMES),
            ChartSpec::Boxes {
                title,
                y_label,
                positive,
                negative,
            } => charts::box_plots(
                area,
                title,
                y_label,
                positive.as_ref(),
                negative.as_ref(),
                CLASS_NAMES,
            ),
            ChartSpec::Correlation(c) => charts::correlation_heatmap(area, c),
            ChartSpec::Scatter {
                points,
                x_label,
                y_label,
            } => charts::scatter(area, points, x_label, y_label, CLASS_NAMES),
            ChartSpec::Roc {
                points,
                auc,
                operating_point,
            } => charts::roc_curve(area, points, *auc, *operating_point),
            ChartSpec::Pr {
                points,
                prevalence,
                average_precision,
                operating_point,
            } => charts::pr_curve(
                area,
                points,
                *prevalence,
                *average_precision,
                *operating_point,
            ),
            ChartSpec::Calibration { after, before } => {
                charts::calibration(area, after, before.as_ref().map(|b| b.as_slice()))
            }
            ChartSpec::Recalibration { after, before } => charts::calibration_named(
                area,
                after,
                Some(before),
                ("Recalibrated (cross-fitted)", "Before, as it was"),
            ),
            ChartSpec::Risk {
                hist,
                by_label,
                threshold,
            } => {
                let counts = if *by_label {
                    RiskCounts::ByLabel {
                        positive: &hist.positive,
                        negative: &hist.negative,
                    }
                } else {
                    RiskCounts::All(&hist.negative)
                };
                charts::risk_histogram(area, &hist.edges, counts, *threshold, CLASS_NAMES)
            }
            ChartSpec::Importance { items, x_label } => {
                charts::feature_importance(area, items, x_label)
            }
            ChartSpec::Contributions { items, caption } => {
                charts::contributions(area, items, caption)
            }
            ChartSpec::PatientBalance(b) => charts::class_balance(area, Some(b), PATIENT_NAMES),
            ChartSpec::MeasuredFraction(items) => charts::measured_fraction(area, items),
            ChartSpec::Timeline {
                risk,
                threshold,
                onset,
                vitals,
            } => {
                let v: Vec<charts::icu::VitalSeries<'_>> = vitals
                    .iter()
                    .map(|(n, p)| (n.as_str(), p.as_slice()))
                    .collect();
                charts::patient_timeline(area, risk, *threshold, *onset, &v)
            }
        }
    }

    /// The chart's size for a container `width` pixels wide.
    pub fn size_for(&self, width: u32) -> ChartSize {
        let width = width.clamp(260, 1200);
        match self {
            ChartSpec::Missing(cols) => ChartSize::for_rows(width, cols.len()),
            ChartSpec::Importance { items, .. }
            | ChartSpec::Contributions { items, .. }
            | ChartSpec::MeasuredFraction(items) => ChartSize::for_rows(width, items.len()),
            ChartSpec::Timeline { vitals, .. } => ChartSize::new(
                width,
                charts::icu::RISK_PANEL
                    + charts::icu::VITAL_PANEL * vitals.len() as u32
                    + if width < ChartSize::COMPACT_WIDTH {
                        110
                    } else {
                        90
                    },
            ),
            ChartSpec::Correlation(c) => {
                let h = width.min(640)
                    + if width < ChartSize::COMPACT_WIDTH {
                        50
                    } else {
                        60
                    };
                ChartSize::new(
                    width,
                    h.max(ChartSize::for_rows(width, c.names.len()).height),
                )
            }
            _ => ChartSize::new(width, (width * 3 / 5).clamp(260, 460)),
        }
    }

    /// The chart as an SVG document of `size`.
    pub fn svg(&self, size: ChartSize) -> Result<String, ChartError> {
        charts::render_svg(size, |a| self.draw(a))
    }
}

/// Converts the core's calibration curve for the chart.
pub fn cal_points(points: &[crate::core::metrics::CalibrationPoint]) -> Vec<CalPoint> {
    points
        .iter()
        .map(|p| CalPoint {
            predicted: p.mean_predicted,
            observed: p.observed_rate,
            lower: p.lower,
            upper: p.upper,
            count: p.count,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::model::seed_bundle;
    use crate::app::state;
    use crate::core::demo;

    fn all_specs() -> Vec<ChartSpec> {
        let b = seed_bundle().unwrap();
        let text = demo::demo_csv(&b.schema, 120, 3).unwrap();
        let l = state::load("demo.csv", text.as_bytes(), Some(b)).unwrap();
        let s = l.scoring.as_ref().unwrap();
        let v = s.validation.as_ref().unwrap().as_ref().unwrap();
        let (pos, neg, _) = crate::core::eda::box_by_label(&l.dataset, 1).unwrap();
        vec![
            ChartSpec::ClassBalance(l.eda.class_balance.clone()),
            ChartSpec::Missing(Arc::new(l.eda.columns.clone())),
            ChartSpec::Histogram {
                hist: l.eda.histograms[1].clone(),
                title: "Glucose".into(),
                x_label: "mg/dL".into(),
            },
            ChartSpec::Boxes {
                title: "Glucose".into(),
                y_label: "mg/dL".into(),
                positive: pos,
                negative: neg,
            },
            ChartSpec::Correlation(Arc::new(l.eda.correlation.clone())),
            ChartSpec::Scatter {
                points: Arc::new(crate::core::eda::scatter(&l.dataset, 1, 5).unwrap()),
                x_label: "a".into(),
                y_label: "b".into(),
            },
            ChartSpec::Roc {
                points: Arc::new(v.roc.iter().map(|p| (p.fpr, p.tpr)).collect()),
                auc: Some(v.metrics.roc_auc),
                operating_point: Some((0.2, 0.8)),
            },
            ChartSpec::Pr {
                points: Arc::new(
                    b.curves
                        .pr
                        .iter()
                        .map(|p| (p.recall, p.precision))
                        .collect(),
                ),
                prevalence: Some(0.35),
                average_precision: Some(b.oof_metrics.pr_auc),
                operating_point: None,
            },
            ChartSpec::Calibration {
                after: Arc::new(cal_points(&b.curves.calibration)),
                before: Some(Arc::new(cal_points(&b.curves.calibration_uncalibrated))),
            },
            ChartSpec::Risk {
                hist: Arc::new(s.histogram.clone()),
                by_label: s.histogram_by_label,
                threshold: Some(b.threshold),
            },
            ChartSpec::Importance {
                items: Arc::new(vec![("Glucose".into(), 0.4), ("BMI".into(), 0.2)]),
                x_label: "share".into(),
            },
            ChartSpec::Contributions {
                items: Arc::new(vec![
                    ("Glucose = 180".into(), 0.4),
                    ("BMI = 20".into(), -0.2),
                ]),
                caption: "log-odds".into(),
            },
        ]
    }

    fn icu_specs() -> Vec<ChartSpec> {
        let icu = crate::app::model::test_icu_bundle();
        let mut files: Vec<(String, Vec<u8>)> =
            crate::core::demo::demo_icu_patients(&icu.schema, 12, 4)
                .unwrap()
                .into_iter()
                .map(|p| {
                    (
                        crate::core::dataset::patient_file_name(&p.id),
                        p.psv.into_bytes(),
                    )
                })
                .collect();
        state::sort_files(&mut files);
        let l = state::load_files(
            &files,
            &icu.schema,
            Some(icu),
            state::StageTimes::new(|| 0.0),
        )
        .unwrap();
        let p = l.patients.as_ref().unwrap();
        let s = l.scoring.as_ref().unwrap();
        let id = l.dataset.rows[0].id.clone().unwrap();
        let t = crate::app::timeline::build(icu, &l.dataset, &s.predictions, &id).unwrap();
        vec![
            ChartSpec::PatientBalance(ClassBalance {
                positive: p.septic_patients,
                negative: p.patients - p.septic_patients,
                unlabeled: 0,
                positive_fraction: p.septic_patients as f64 / p.patients as f64,
            }),
            ChartSpec::MeasuredFraction(Arc::new(
                p.measured
                    .iter()
                    .map(|m| (m.label.clone(), m.fraction))
                    .collect(),
            )),
            ChartSpec::Timeline {
                risk: Arc::new(t.risk.clone()),
                threshold: Some(t.threshold),
                onset: Some(10.0),
                vitals: Arc::new(
                    t.vitals
                        .iter()
                        .map(|v| (v.label.clone(), v.points.clone()))
                        .collect(),
                ),
            },
        ]
    }

    #[test]
    fn every_chart_renders_to_svg_at_phone_and_desktop_widths() {
        for spec in all_specs().into_iter().chain(icu_specs()) {
            for w in [340, 900] {
                let size = spec.size_for(w);
                assert!(size.height >= 220, "{spec:?}");
                let svg = spec.svg(size).unwrap();
                assert!(svg.starts_with("<svg"), "{svg}");
                assert!(!svg.contains(charts::NO_DATA), "no data: {spec:?}");
            }
        }
    }
}
