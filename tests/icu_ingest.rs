//! ICU (PhysioNet 2019 format) ingestion and time-aware features, end to end: `.psv` files
//! written here (small synthetic patients, never real data) -> tables -> one dataset ->
//! features. Includes the no-look-ahead and patient-independence properties.

use std::path::PathBuf;

use proptest::prelude::*;
use sepsis_risk::core::Error;
use sepsis_risk::core::csv::{self, CsvTable};
use sepsis_risk::core::dataset::{Cell, Dataset, PatientTablesBuilder, Severity};
use sepsis_risk::core::schema::{self, Schema};
use sepsis_risk::core::temporal;

fn icu() -> Schema {
    schema::builtin("icu").expect("built-in icu schema")
}

/// The PhysioNet header: the 40 variables, then SepsisLabel.
fn header() -> Vec<String> {
    let s = icu();
    let mut h = s.feature_names();
    h.push(s.label.name.clone());
    h
}

fn col(name: &str) -> usize {
    icu().feature_index(name).expect("feature")
}

/// One hour: every variable NaN except `set` (name, raw text), with ICULOS and the label.
fn hour(iculos: &str, label: &str, set: &[(&str, &str)]) -> Vec<String> {
    let h = header();
    let mut row = vec!["NaN".to_string(); h.len()];
    row[col("ICULOS")] = iculos.to_string();
    row[h.len() - 1] = label.to_string();
    for (name, v) in set {
        row[col(name)] = v.to_string();
    }
    row
}

fn psv_text(header: &[String], rows: &[Vec<String>]) -> String {
    let mut s = header.join("|");
    s.push('\n');
    for r in rows {
        s.push_str(&r.join("|"));
        s.push('\n');
    }
    s
}

/// A fresh directory for this test's files.
fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("icu_ingest_{}_{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

/// Writes the files, reads them back (in name order, as a directory listing would be sorted)
/// and parses them.
fn write_and_read(d: &PathBuf, files: &[(&str, String)]) -> Vec<(String, CsvTable)> {
    for (name, text) in files {
        std::fs::write(d.join(name), text).expect("write fixture");
    }
    let mut names: Vec<String> = std::fs::read_dir(d)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|n| {
            let bytes = std::fs::read(d.join(&n)).expect("read fixture");
            (n, csv::parse(&bytes).expect("parses"))
        })
        .collect()
}

/// Three synthetic patients of different lengths; p000002 has an unreadable HR on its line 3
/// and an impossible temperature on its line 4.
fn three_patients() -> Vec<(&'static str, String)> {
    let h = header();
    let p1 = vec![
        hour(
            "1",
            "0",
            &[("Age", "64.5"), ("Gender", "1"), ("HospAdmTime", "-2.5")],
        ),
        hour(
            "2",
            "0",
            &[
                ("HR", "88"),
                ("O2Sat", "97"),
                ("Age", "64.5"),
                ("Gender", "1"),
            ],
        ),
        hour(
            "3",
            "0",
            &[
                ("HR", "92"),
                ("Lactate", "2.1"),
                ("Age", "64.5"),
                ("Gender", "1"),
            ],
        ),
    ];
    let p2 = vec![
        hour(
            "1",
            "0",
            &[
                ("HR", "110"),
                ("Age", "71"),
                ("Gender", "0"),
                ("Unit1", "1"),
                ("Unit2", "0"),
            ],
        ),
        hour("2", "1", &[("HR", "abc"), ("Age", "71"), ("Gender", "0")]),
        hour("3", "1", &[("Temp", "55"), ("Age", "71"), ("Gender", "0")]),
        hour(
            "4",
            "1",
            &[
                ("HR", "121"),
                ("Temp", "38.9"),
                ("Age", "71"),
                ("Gender", "0"),
            ],
        ),
        hour("5", "1", &[("FiO2", "0.4"), ("Age", "71"), ("Gender", "0")]),
    ];
    let p3 = vec![hour(
        "1",
        "0",
        &[("HR", "70"), ("Age", "35"), ("Gender", "1")],
    )];
    vec![
        ("p000001.psv", psv_text(&h, &p1)),
        ("p000002.psv", psv_text(&h, &p2)),
        ("p000003.psv", psv_text(&h, &p3)),
    ]
}

#[test]
fn one_psv_file_per_patient_loads_as_one_dataset() {
    let d = dir("load");
    let tables = write_and_read(&d, &three_patients());
    assert!(tables.iter().all(|(_, t)| t.delimiter == b'|'));
    let ds = Dataset::from_patient_tables(&tables, &icu(), "setX").unwrap();
    assert_eq!(ds.rows.len(), 3 + 5 + 1, "no row is ever dropped");
    assert_eq!(ds.header[0], "patient_id");
    assert_eq!(ds.header.len(), 42);
    assert!(ds.has_id_column && ds.has_label_column);
    assert_eq!(ds.delimiter, b'|');
    let ids: Vec<&str> = ds.rows.iter().map(|r| r.id.as_deref().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "p000001", "p000001", "p000001", "p000002", "p000002", "p000002", "p000002", "p000002",
            "p000003"
        ]
    );
    for r in &ds.rows {
        assert_eq!(r.fields.len(), ds.header.len());
        assert_eq!(Some(r.fields[0].as_str()), r.id.as_deref());
        assert_eq!(
            r.file.as_deref(),
            Some(format!("{}.psv", r.fields[0]).as_str())
        );
    }
    // Lines are per file: every file starts at line 2.
    let lines: Vec<usize> = ds.rows.iter().map(|r| r.line).collect();
    assert_eq!(lines, [2, 3, 4, 2, 3, 4, 5, 6, 2]);
    // NaN is missing; values are parsed; labels read.
    let r = &ds.rows[1];
    assert_eq!(r.values[col("HR")], 88.0);
    assert!(r.values[col("Temp")].is_nan());
    assert_eq!(r.cells[col("Temp")], Cell::Blank);
    assert!(r.values[col("EtCO2")].is_nan());
    assert_eq!(ds.rows[4].label, Some(true));
    assert_eq!(ds.rows[0].values[col("HospAdmTime")], -2.5);
    // Repeated IDs are expected here: no duplicate-ID warnings. The one extra warning is
    // p000001's first hour, before any vital sign: no risk is given for it.
    assert_eq!(ds.issue_counts(), (1, 2), "{:#?}", ds.issues);
    assert!(!ds.rows[0].has_evidence && !ds.rows[0].is_scorable());
    assert!(ds.rows[0].is_valid(), "still used for training");
    assert!(
        ds.issues[0].reason.contains("at least one vital sign"),
        "{:?}",
        ds.issues[0]
    );
    assert!(ds.rows[1..].iter().all(|r| r.has_evidence));
}

#[test]
fn bad_values_name_the_file_line_and_column() {
    let d = dir("bad");
    let tables = write_and_read(&d, &three_patients());
    let ds = Dataset::from_patient_tables(&tables, &icu(), "setX").unwrap();
    let err = ds
        .issues
        .iter()
        .find(|i| i.severity == Severity::Error)
        .unwrap();
    assert_eq!(err.file.as_deref(), Some("p000002.psv"));
    assert_eq!((err.line, err.column.as_deref()), (3, Some("HR")));
    assert_eq!(
        err.to_string(),
        "p000002.psv, line 3, column HR: \"abc\" is not a number"
    );
    let bad_row = &ds.rows[4];
    assert!(
        !bad_row.is_valid(),
        "an unreadable value makes the row unscorable"
    );
    let warn = ds
        .issues
        .iter()
        .find(|i| i.severity == Severity::Warning && i.column.is_some())
        .unwrap();
    assert_eq!(warn.file.as_deref(), Some("p000002.psv"));
    assert_eq!((warn.line, warn.column.as_deref()), (4, Some("Temp")));
    assert!(
        warn.to_string()
            .starts_with("p000002.psv, line 4, column Temp: 55 °C is outside"),
        "{warn}"
    );
    let r = &ds.rows[5];
    assert!(
        r.is_valid(),
        "out of range is a warning; the row is kept and usable"
    );
    assert_eq!(r.cells[col("Temp")], Cell::OutOfRange);
    assert!(r.values[col("Temp")].is_nan());
    // Issues are attributed to the right row although line numbers repeat across files.
    let per_row = ds.issues_per_row();
    let counts: Vec<usize> = per_row.iter().map(|i| i.len()).collect();
    assert_eq!(counts, [1, 0, 0, 0, 1, 1, 0, 0, 0]);
    assert_eq!(ds.issues_for_row(&ds.rows[4]).count(), 1);
    assert_eq!(
        ds.issues_for_row(&ds.rows[1]).count(),
        0,
        "p000001 line 3 is clean"
    );
}

#[test]
fn header_mismatch_across_files_is_a_clear_error() {
    let d = dir("mismatch");
    let mut files = three_patients();
    let mut h = header();
    h.swap(2, 3); // Temp and SBP exchanged
    files[1].1 = psv_text(&h, &[hour("1", "0", &[])]);
    let tables = write_and_read(&d, &files);
    let err = Dataset::from_patient_tables(&tables, &icu(), "setX").unwrap_err();
    let Error::Header(msg) = &err else {
        panic!("expected a header error, got {err:?}")
    };
    assert!(msg.starts_with("p000002.psv: "), "{msg}");
    assert!(
        msg.contains("differs from the first file's (p000001.psv)"),
        "{msg}"
    );
    assert!(msg.contains("column 3 is `SBP`, expected `Temp`"), "{msg}");

    // A shorter header.
    let short = psv_text(&header()[..40], &[]);
    let t = csv::parse(short.as_bytes()).unwrap();
    let mut b = PatientTablesBuilder::new(&icu(), "setX").unwrap();
    b.add("a/p1.psv", &tables[0].1).unwrap();
    let msg = b.add("b/p2.psv", &t).unwrap_err().to_string();
    assert!(
        msg.contains("b/p2.psv") && msg.contains("it has 40 columns, expected 41"),
        "{msg}"
    );
}

#[test]
fn other_multi_file_errors() {
    let tables: Vec<(String, CsvTable)> = Vec::new();
    assert!(Dataset::from_patient_tables(&tables, &icu(), "empty").is_err());
    let t = csv::parse(psv_text(&header(), &[hour("1", "0", &[])]).as_bytes()).unwrap();
    // The same patient twice (same file name in two directories).
    let mut b = PatientTablesBuilder::new(&icu(), "dirs").unwrap();
    b.add("a/p000001.psv", &t).unwrap();
    let msg = b.add("b/p000001.psv", &t).unwrap_err().to_string();
    assert!(msg.contains("already read from a/p000001.psv"), "{msg}");
    assert_eq!(b.patients(), 1);
    // A file with its own patient-ID column.
    let mut h = vec!["Patient_ID".to_string()];
    h.extend(header());
    let mut row = vec!["x".to_string()];
    row.extend(hour("1", "0", &[]));
    let with_id = csv::parse(psv_text(&h, &[row]).as_bytes()).unwrap();
    let msg = Dataset::from_patient_tables(&[("p9.psv".into(), with_id)], &icu(), "x")
        .unwrap_err()
        .to_string();
    assert!(msg.contains("own patient ID column"), "{msg}");
    // A schema without an ID column cannot read one file per patient.
    let mut s = icu();
    s.id = None;
    assert!(PatientTablesBuilder::new(&s, "x").is_err());
    assert_eq!(
        sepsis_risk::core::dataset::patient_id_from_file_name("dir/sub/p000123.psv"),
        "p000123"
    );
    assert_eq!(
        sepsis_risk::core::dataset::patient_id_from_file_name("C:\\d\\p7.PSV"),
        "p7"
    );
    assert_eq!(
        sepsis_risk::core::dataset::patient_id_from_file_name("p8"),
        "p8"
    );
}

#[test]
fn one_table_with_a_patient_id_column_works_too() {
    let mut h = vec!["Patient_ID".to_string()];
    h.extend(header());
    let with_id = |id: &str, r: Vec<String>| {
        let mut v = vec![id.to_string()];
        v.extend(r);
        v
    };
    let rows = vec![
        with_id("a", hour("1", "0", &[("HR", "80")])),
        with_id("b", hour("1", "0", &[("HR", "120")])),
        with_id("a", hour("2", "0", &[("HR", "84")])),
        with_id("a", hour("2", "0", &[("HR", "86")])), // repeated hour
        with_id("b", hour("NaN", "1", &[("HR", "125")])), // unknown hour
    ];
    let t = csv::parse(psv_text(&h, &rows).as_bytes()).unwrap();
    assert_eq!(t.delimiter, b'|');
    let s = icu();
    assert_eq!(schema::detect(&t.header).unwrap().name, "icu");
    let ds = Dataset::from_table(&t, &s, "all.psv").unwrap();
    assert!(ds.has_id_column);
    assert_eq!(ds.rows[2].id.as_deref(), Some("a"));
    let msgs: Vec<String> = ds.issues.iter().map(|i| i.to_string()).collect();
    assert_eq!(msgs.len(), 2, "{msgs:#?}");
    assert!(
        msgs[0].starts_with("line 5, column ICULOS: ICULOS 2 is not later than 2 on line 4"),
        "{msgs:#?}"
    );
    assert!(
        msgs[1].starts_with("line 6, column ICULOS: ICULOS is blank"),
        "{msgs:#?}"
    );
    let (m, order, patients) = temporal::dataset_features(&ds).unwrap();
    assert_eq!(order, [0, 2, 3, 1, 4]);
    assert_eq!(patients.len(), 2);
    let names = temporal::feature_names(&s);
    let j = names.iter().position(|n| n == "HR_mean_6h").unwrap();
    assert_eq!(m.get(2, j), (80.0 + 84.0 + 86.0) / 3.0);
    assert_eq!(m.get(4, j), 122.5);
}

#[test]
fn features_of_a_multi_file_dataset() {
    let d = dir("features");
    let tables = write_and_read(&d, &three_patients());
    let ds = Dataset::from_patient_tables(&tables, &icu(), "setX").unwrap();
    let (m, order, patients) = temporal::dataset_features(&ds).unwrap();
    assert_eq!(m.rows(), ds.rows.len());
    assert_eq!(m.cols(), temporal::feature_names(&icu()).len());
    assert_eq!(order, (0..9).collect::<Vec<_>>());
    let ranges: Vec<(&str, std::ops::Range<usize>)> = patients
        .iter()
        .map(|p| (p.id.as_str(), p.rows.clone()))
        .collect();
    assert_eq!(
        ranges,
        [("p000001", 0..3), ("p000002", 3..8), ("p000003", 8..9)]
    );
    let names = temporal::feature_names(&icu());
    let at = |i: usize, n: &str| m.get(i, names.iter().position(|x| x == n).unwrap());
    // p000002: HR 110 at hour 1, unreadable at 2, absent at 3, 121 at 4.
    assert_eq!(at(4, "HR_last"), 110.0);
    assert_eq!(at(4, "HR_measured"), 0.0);
    assert_eq!(at(5, "HR_hours_since"), 2.0);
    assert!(at(6, "HR_delta_6h").is_nan(), "nothing 6 h earlier");
    assert_eq!(at(6, "HR_max_6h"), 121.0);
    assert_eq!(at(6, "HR_measured_frac"), 0.5);
    assert_eq!(
        at(6, "Temp_last"),
        38.9,
        "the impossible 55 was treated as missing"
    );
    assert_eq!(
        at(7, "Unit1"),
        1.0,
        "static columns carry their last known value"
    );
    // p000003 does not see p000002's values.
    assert_eq!(at(8, "HR_last"), 70.0);
    assert!(at(8, "FiO2_last").is_nan());
    assert!(at(8, "Temp_hours_since").is_nan());
}

// ---- properties ----

/// Bitwise equality, NaN equal to NaN.
fn same_row(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| (x.is_nan() && y.is_nan()) || x.to_bits() == y.to_bits())
}

/// A value cell: mostly missing, sometimes a value (also out-of-range ones).
fn cell() -> impl Strategy<Value = f64> {
    prop_oneof![3 => Just(f64::NAN), 2 => -20.0..320.0f64, 1 => (0u8..4).prop_map(f64::from)]
}

/// Rows of one patient with arbitrary values, including arbitrary (even decreasing or
/// missing) times.
fn raw_rows(min: usize, max: usize) -> impl Strategy<Value = Vec<Vec<f64>>> {
    let t = col("ICULOS");
    prop::collection::vec(
        (
            prop::collection::vec(cell(), 40),
            prop_oneof![1 => Just(f64::NAN), 6 => 0.0..400.0f64],
        ),
        min..max,
    )
    .prop_map(move |rows| {
        rows.into_iter()
            .map(|(mut r, time)| {
                r[t] = time;
                r
            })
            .collect()
    })
}

/// Text of one row of a psv file for values (time set by the caller), label 0.
fn text_row(values: &[f64]) -> Vec<String> {
    let mut r: Vec<String> = values
        .iter()
        .map(|v| {
            if v.is_nan() {
                "NaN".to_string()
            } else {
                v.to_string()
            }
        })
        .collect();
    r.push("0".into());
    r
}

/// A patient with increasing hours starting at `start`, in psv text.
fn patient_text(rows: &[Vec<f64>], steps: &[u8], start: f64) -> Vec<Vec<String>> {
    let t = col("ICULOS");
    let mut hour = start;
    rows.iter()
        .zip(steps)
        .map(|(r, &s)| {
            hour += f64::from(s);
            let mut r = r.clone();
            r[t] = hour;
            text_row(&r)
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Appending arbitrary rows never changes the features of earlier rows.
    #[test]
    fn appending_future_rows_never_changes_earlier_features(
        past in raw_rows(0, 30),
        future in raw_rows(0, 12),
    ) {
        let s = icu();
        let all: Vec<&[f64]> = past.iter().chain(&future).map(Vec::as_slice).collect();
        let short = temporal::patient_features(&s, &all[..past.len()]).unwrap();
        let long = temporal::patient_features(&s, &all).unwrap();
        prop_assert_eq!(long.rows(), all.len());
        for i in 0..past.len() {
            prop_assert!(same_row(short.row(i), long.row(i)), "row {} changed", i);
        }
    }

    /// The same through ingestion: a patient file with later hours appended, next to another
    /// patient, gives the same features for the earlier hours.
    #[test]
    fn appending_later_hours_to_a_file_never_changes_earlier_features(
        rows in raw_rows(1, 25),
        steps in prop::collection::vec(1u8..4, 25),
        k in 0usize..25,
        other in raw_rows(0, 6),
        other_steps in prop::collection::vec(1u8..4, 6),
    ) {
        let k = k.min(rows.len());
        let h = header();
        let full = patient_text(&rows, &steps, 0.0);
        let o = patient_text(&other, &other_steps, 0.0);
        let table = |rows: &[Vec<String>]| csv::parse(psv_text(&h, rows).as_bytes()).unwrap();
        let load = |a: &[Vec<String>]| {
            let tables = vec![("pA.psv".to_string(), table(a)), ("pB.psv".to_string(), table(&o))];
            let ds = Dataset::from_patient_tables(&tables, &icu(), "prop").unwrap();
            temporal::dataset_features(&ds).unwrap()
        };
        let (short, _, _) = load(&full[..k]);
        let (long, _, lp) = load(&full);
        prop_assert_eq!(lp[0].rows.clone(), 0..full.len());
        for i in 0..k {
            prop_assert!(same_row(short.row(i), long.row(i)), "hour {} changed", i);
        }
    }

    /// A patient's features do not depend on the other patients in the dataset, nor on how
    /// their rows are interleaved in one table.
    #[test]
    fn patients_are_independent(
        a in raw_rows(0, 15),
        a_steps in prop::collection::vec(1u8..4, 15),
        others in prop::collection::vec((raw_rows(0, 8), prop::collection::vec(1u8..4, 8)), 0..4),
        picks in prop::collection::vec(0usize..5, 60),
    ) {
        let mut h = vec!["patient_id".to_string()];
        h.extend(header());
        let with_id = |id: &str, rows: Vec<Vec<String>>| -> Vec<Vec<String>> {
            rows.into_iter().map(|r| {
                let mut v = vec![id.to_string()];
                v.extend(r);
                v
            }).collect()
        };
        let a_rows = with_id("A", patient_text(&a, &a_steps, 0.0));
        let mut queues: Vec<std::collections::VecDeque<Vec<String>>> = vec![a_rows.clone().into()];
        for (i, (rows, steps)) in others.iter().enumerate() {
            queues.push(with_id(&format!("O{i}"), patient_text(rows, steps, 0.0)).into());
        }
        // Interleave the patients' rows, each patient's rows keeping their order.
        let mut mixed = Vec::new();
        let mut p = picks.iter().cycle();
        while queues.iter().any(|q| !q.is_empty()) {
            let q = *p.next().unwrap() % queues.len();
            let q = (q..q + queues.len()).map(|i| i % queues.len()).find(|&i| !queues[i].is_empty()).unwrap();
            mixed.push(queues[q].pop_front().unwrap());
        }
        let s = icu();
        let feats = |rows: &[Vec<String>]| {
            let t = csv::parse(psv_text(&h, rows).as_bytes()).unwrap();
            let ds = Dataset::from_table(&t, &s, "mixed.psv").unwrap();
            temporal::dataset_features(&ds).unwrap()
        };
        let (alone, _, _) = feats(&a_rows);
        let (m, _, patients) = feats(&mixed);
        if a_rows.is_empty() {
            prop_assert!(patients.iter().all(|p| p.id != "A"));
        } else {
            let pa = patients.iter().find(|p| p.id == "A").unwrap();
            prop_assert_eq!(pa.rows.len(), a_rows.len());
            for (i, r) in pa.rows.clone().enumerate() {
                prop_assert!(same_row(alone.row(i), m.row(r)), "row {} of A changed", i);
            }
        }
    }
}

/// No risk without evidence for ICU stays: hours before the first vital sign of the stay are
/// not scorable (later hours are, even without a vital sign of their own); a file without
/// vital-sign columns, or with every value NaN, has no scorable hour; absent columns are an
/// input-wide warning naming them.
#[test]
fn hours_before_any_vital_sign_get_no_risk() {
    let h = header();
    let rows = vec![
        hour("1", "0", &[("Age", "70"), ("HospAdmTime", "-1")]),
        hour("2", "0", &[("Lactate", "2"), ("Age", "70")]),
        hour("3", "0", &[("Resp", "18"), ("Age", "70")]),
        hour("4", "0", &[("Age", "70")]),
    ];
    let t = csv::parse(psv_text(&h, &rows).as_bytes()).unwrap();
    let ds = Dataset::from_patient_tables(&[("p1.psv".into(), t)], &icu(), "d").unwrap();
    let scorable: Vec<bool> = ds.rows.iter().map(|r| r.is_scorable()).collect();
    assert_eq!(scorable, [false, false, true, true]);
    assert!(
        ds.issues
            .iter()
            .take(2)
            .all(|i| i.reason.contains("vital sign"))
    );
    assert!(ds.warnings.is_empty(), "{:?}", ds.warnings);

    // Only ICULOS (and the label): every other column absent, nothing scorable.
    let only = "ICULOS|SepsisLabel\n1|0\n2|0\n";
    let t = csv::parse(only.as_bytes()).unwrap();
    let ds = Dataset::from_patient_tables(&[("p2.psv".into(), t)], &icu(), "d").unwrap();
    assert!(ds.rows.iter().all(|r| !r.is_scorable()));
    assert_eq!(ds.warnings.len(), 1);
    assert!(
        ds.warnings[0].contains("39 columns are absent (HR, O2Sat"),
        "{:?}",
        ds.warnings
    );

    // All NaN.
    let nan = vec![hour("1", "0", &[]), hour("2", "0", &[])];
    let t = csv::parse(psv_text(&h, &nan).as_bytes()).unwrap();
    let ds = Dataset::from_patient_tables(&[("p3.psv".into(), t)], &icu(), "d").unwrap();
    assert!(ds.rows.iter().all(|r| !r.is_scorable()));

    // Without the HR column: a warning naming it; other vital signs still count.
    let no_hr: Vec<String> = h.iter().filter(|c| *c != "HR").cloned().collect();
    let mut text = no_hr.join("|") + "\n";
    let mut cells = vec!["NaN".to_string(); no_hr.len()];
    cells[no_hr.iter().position(|c| c == "ICULOS").unwrap()] = "1".into();
    cells[no_hr.iter().position(|c| c == "O2Sat").unwrap()] = "97".into();
    cells[no_hr.len() - 1] = "0".into();
    text += &(cells.join("|") + "\n");
    let t = csv::parse(text.as_bytes()).unwrap();
    let ds = Dataset::from_patient_tables(&[("p4.psv".into(), t)], &icu(), "d").unwrap();
    assert!(ds.rows[0].is_scorable());
    assert_eq!(ds.warnings.len(), 1);
    assert!(
        ds.warnings[0].contains("column `HR` is absent"),
        "{:?}",
        ds.warnings
    );
}
