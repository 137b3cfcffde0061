//! Ingestion end to end: CSV bytes -> table -> dataset validated against the seed schema.
//! All fixtures are small synthetic rows written here.

use sepsis_risk::core::csv::{self, CsvTable, LineEnding};
use sepsis_risk::core::dataset::{Cell, Dataset, RowIssue, Severity};
use sepsis_risk::core::schema::{self, Schema};

const HEADER: &str = "ID,PRG,PL,PR,SK,TS,M11,BD2,Age,Insurance,Sepssis";

fn seed() -> Schema {
    schema::builtin("seed").expect("built-in seed schema")
}

fn table(text: &str) -> CsvTable {
    csv::parse(text.as_bytes()).expect("parses")
}

fn load(text: &str) -> Dataset {
    let t = table(text);
    let ds = Dataset::from_table(&t, &seed(), "test.csv").expect("header fits");
    assert_eq!(ds.rows.len(), t.records.len(), "no row is ever dropped");
    ds
}

/// Seed-format file from data rows (header added), LF line endings.
fn file(rows: &[&str]) -> String {
    let mut s = format!("{HEADER}\n");
    for r in rows {
        s.push_str(r);
        s.push('\n');
    }
    s
}

fn col(name: &str) -> usize {
    seed().feature_index(name).expect("feature")
}

fn issues_on(ds: &Dataset, line: usize) -> Vec<&RowIssue> {
    ds.issues_for_line(line).collect()
}

#[test]
fn bom_and_bare_cr_without_final_newline_parse_fully() {
    let text = format!(
        "\u{feff}{HEADER}\rP1,2,110,70,25,90,28.5,0.4,31,1,Negative\rP2,5,160,82,33,0,36.1,0.9,47,0,Positive\rP3,0,95,64,0,0,22.0,0.2,24,1,Negative"
    );
    let t = table(&text);
    assert!(t.had_bom);
    assert_eq!(t.line_ending, LineEnding::Cr);
    assert_eq!(t.header[0], "ID");
    let ds = Dataset::from_table(&t, &seed(), "cr.csv").unwrap();
    assert_eq!(ds.rows.len(), 3);
    assert_eq!(
        ds.rows.iter().map(|r| r.line).collect::<Vec<_>>(),
        [2, 3, 4]
    );
    assert_eq!(ds.rows[2].id.as_deref(), Some("P3"));
    assert_eq!(ds.rows[2].label, Some(false));
    assert_eq!(ds.issue_counts(), (0, 0));
    assert!(ds.has_id_column && ds.has_label_column);
}

#[test]
fn zeros_are_disguised_missing_except_pregnancies() {
    let ds = load(&file(&["Z1,0,0,0,0,0,0,0.5,40,1,Positive"]));
    let r = &ds.rows[0];
    assert_eq!(r.cells[col("PRG")], Cell::Present);
    assert_eq!(r.values[col("PRG")], 0.0);
    for name in ["PL", "PR", "SK", "TS", "M11"] {
        assert_eq!(r.cells[col(name)], Cell::Disguised, "{name}");
        assert!(r.values[col(name)].is_nan(), "{name}");
    }
    assert!(r.is_valid());
    assert!(ds.issues.is_empty(), "{:?}", ds.issues);
}

#[test]
fn non_numeric_value_is_an_error_with_line_and_column() {
    let ds = load(&file(&[
        "A1,1,120,70,20,80,30.0,0.3,35,0,Negative",
        "A2,1,abc,70,20,80,30.0,0.3,35,0,Negative",
    ]));
    assert!(ds.rows[0].is_valid());
    let r = &ds.rows[1];
    assert!(!r.is_valid());
    assert_eq!(r.cells[col("PL")], Cell::Invalid);
    let iss = issues_on(&ds, 3);
    assert_eq!(iss.len(), 1);
    assert_eq!(iss[0].severity, Severity::Error);
    assert_eq!(iss[0].column.as_deref(), Some("PL"));
    assert_eq!(iss[0].value.as_deref(), Some("abc"));
    let msg = iss[0].to_string();
    assert!(
        msg.contains("line 3") && msg.contains("PL") && msg.contains("abc"),
        "{msg}"
    );
    assert_eq!(ds.valid_rows().count(), 1);
}

#[test]
fn out_of_range_is_a_warning_and_missing() {
    let ds = load(&file(&["R1,1,120,70,20,80,300,0.3,35,0,Negative"]));
    let r = &ds.rows[0];
    assert_eq!(r.cells[col("M11")], Cell::OutOfRange);
    assert!(r.values[col("M11")].is_nan());
    assert!(r.is_valid());
    let iss = issues_on(&ds, 2);
    assert_eq!(iss.len(), 1);
    assert_eq!(iss[0].severity, Severity::Warning);
    assert_eq!(iss[0].column.as_deref(), Some("M11"));
    assert!(iss[0].reason.contains("300"), "{}", iss[0].reason);
    assert_eq!(ds.issue_counts(), (0, 1));
}

#[test]
fn wrong_field_count_is_an_error_and_the_row_is_kept() {
    let ds = load(&file(&[
        "F1,1,120,70,20,80,30.0,0.3,35,0",
        "F2,1,120,70,20,80,30.0,0.3,35,0,Negative,surplus",
        "F3,1,120,70,20,80,30.0,0.3,35,0,Negative",
    ]));
    assert_eq!(ds.rows.len(), 3);
    for line in [2, 3] {
        let iss = issues_on(&ds, line);
        assert!(
            iss.iter()
                .any(|i| i.severity == Severity::Error && i.column.is_none()),
            "line {line}: {iss:?}"
        );
        assert!(!ds.rows[line - 2].is_valid());
    }
    assert!(issues_on(&ds, 2)[0].reason.contains("10 fields"));
    assert!(ds.rows[2].is_valid());
    assert_eq!(ds.rows[1].fields.len(), 12);
}

#[test]
fn duplicate_id_is_a_warning_naming_the_first_line() {
    let ds = load(&file(&[
        "D1,1,120,70,20,80,30.0,0.3,35,0,Negative",
        "D2,2,130,72,22,85,31.0,0.4,36,1,Positive",
        "D1,3,140,74,24,90,32.0,0.5,37,0,Negative",
    ]));
    let iss = issues_on(&ds, 4);
    assert_eq!(iss.len(), 1);
    assert_eq!(iss[0].severity, Severity::Warning);
    assert_eq!(iss[0].column.as_deref(), Some("ID"));
    assert!(iss[0].reason.contains("line 2"), "{}", iss[0].reason);
    assert!(ds.rows[2].is_valid());
}

#[test]
fn bad_label_is_a_warning_and_no_label() {
    let ds = load(&file(&[
        "L1,1,120,70,20,80,30.0,0.3,35,0,Maybe",
        "L2,1,120,70,20,80,30.0,0.3,35,0,",
        "L3,1,120,70,20,80,30.0,0.3,35,0, positive ",
    ]));
    assert_eq!(ds.rows[0].label, None);
    assert_eq!(ds.rows[1].label, None);
    assert_eq!(ds.rows[2].label, Some(true));
    for line in [2, 3] {
        let iss = issues_on(&ds, line);
        assert_eq!(iss.len(), 1);
        assert_eq!(iss[0].severity, Severity::Warning);
        assert_eq!(iss[0].column.as_deref(), Some("Sepssis"));
    }
    assert!(ds.rows.iter().all(|r| r.is_valid()));
    let (_, y, idx) = ds.training_data();
    assert_eq!((y, idx), (vec![true], vec![2]));
}

#[test]
fn missing_required_columns_fail_with_a_message_listing_them() {
    let t = table("ID,PRG,PL,Age,Sepssis\nM1,1,120,35,Negative\n");
    let err = Dataset::from_table(&t, &seed(), "short.csv").unwrap_err();
    let msg = err.to_string();
    for name in ["PR", "SK", "TS", "M11", "BD2"] {
        assert!(msg.contains(name), "{name} not in {msg}");
    }
    assert!(msg.contains("short.csv"), "{msg}");
    assert!(!msg.contains("Insurance"), "optional column listed: {msg}");
}

#[test]
fn optional_insurance_may_be_absent() {
    let ds =
        load("ID,PRG,PL,PR,SK,TS,M11,BD2,Age,Sepssis\nO1,1,120,70,20,80,30.0,0.3,35,Positive\n");
    let r = &ds.rows[0];
    assert_eq!(r.cells[col("Insurance")], Cell::Absent);
    assert!(r.values[col("Insurance")].is_nan());
    assert!(r.is_valid());
    assert!(ds.issues.is_empty());
    // An absent column is never silent: one input-wide warning names it.
    assert_eq!(ds.warnings.len(), 1, "{:?}", ds.warnings);
    assert!(
        ds.warnings[0].contains("`Insurance` is absent"),
        "{:?}",
        ds.warnings
    );
}

/// No risk without evidence: a row with no clinical value measured (blank, or only the
/// schema's "not measured" zeros, or only age and pregnancies) is kept and valid for
/// training but not scorable, and its issues say why.
#[test]
fn a_row_without_any_clinical_value_gets_no_risk() {
    let ds = load(&file(&[
        "E1,,,,,,,,,,Positive",
        "E2,3,0,0,0,0,0,,44,1,Negative",
        "E3,,,,,,,0.2,,,Negative",
        "E4,1,120,,,,,,,,Negative",
    ]));
    let scorable: Vec<bool> = ds.rows.iter().map(|r| r.is_scorable()).collect();
    assert_eq!(scorable, [false, false, true, true]);
    assert!(ds.rows.iter().all(|r| r.is_valid()));
    for line in [2, 3] {
        let issues = issues_on(&ds, line);
        assert_eq!(issues.len(), 1, "{issues:?}");
        assert_eq!(issues[0].severity, Severity::Warning);
        assert!(
            issues[0]
                .reason
                .starts_with("no risk given: a prediction needs at least one clinical value"),
            "{}",
            issues[0].reason
        );
    }
    assert!(issues_on(&ds, 4).is_empty());
}

#[test]
fn extra_columns_are_kept_in_fields() {
    let ds = load(
        "ward,ID,PRG,PL,PR,SK,TS,M11,BD2,Age,Insurance,Sepssis,note\n\
         W3,E1,1,120,70,20,80,30.0,0.3,35,0,Negative,\"seen, twice\"\n",
    );
    let r = &ds.rows[0];
    assert!(r.is_valid(), "{:?}", ds.issues);
    assert_eq!(r.fields[0], "W3");
    assert_eq!(r.fields[12], "seen, twice");
    assert_eq!(r.id.as_deref(), Some("E1"));
    assert_eq!(r.values[col("PRG")], 1.0);
}

#[test]
fn original_pima_header_names_are_accepted() {
    let text = "Pregnancies,Glucose,BloodPressure,SkinThickness,Insulin,BMI,DiabetesPedigreeFunction,Age,Outcome\n\
                3,115,66,29,0,27.5,0.45,33,1\n\
                0,99,0,0,0,24.1,0.21,22,0\n";
    let t = table(text);
    assert_eq!(
        schema::detect(&t.header).map(|s| s.name),
        Some("seed".into())
    );
    let ds = load(text);
    assert!(!ds.has_id_column);
    assert!(ds.has_label_column);
    assert_eq!(ds.rows[0].label, Some(true));
    assert_eq!(ds.rows[1].label, Some(false));
    assert_eq!(ds.rows[0].values[col("PL")], 115.0);
    assert_eq!(ds.rows[0].cells[col("TS")], Cell::Disguised);
    assert_eq!(ds.rows[1].cells[col("PR")], Cell::Disguised);
    assert_eq!(ds.rows[1].cells[col("PRG")], Cell::Present);
    assert_eq!(ds.rows[0].cells[col("Insurance")], Cell::Absent);
    assert!(ds.rows.iter().all(|r| r.is_valid() && r.id.is_none()));
}

#[test]
fn semicolon_file_with_decimal_commas() {
    let text = "ID;PRG;PL;PR;SK;TS;M11;BD2;Age;Insurance;Sepssis\r\n\
                S1;2;120;70;20;80;33,6;0,627;35;1;Positive\r\n\
                S2;1;95;60;18;0;26,1;0,35;29;0;Negative\r\n";
    let t = table(text);
    assert_eq!(t.delimiter, b';');
    assert_eq!(t.line_ending, LineEnding::CrLf);
    let ds = load(text);
    assert!(ds.issues.is_empty(), "{:?}", ds.issues);
    assert_eq!(ds.rows[0].values[col("M11")], 33.6);
    assert_eq!(ds.rows[0].values[col("BD2")], 0.627);
    assert_eq!(ds.rows[1].values[col("M11")], 26.1);
}

#[test]
fn quoted_multiline_fields_keep_line_numbers() {
    let ds = load(&file(&[
        "\"Q\n1\",1,120,70,20,80,30.0,0.3,35,0,Negative",
        "Q2,1,xyz,70,20,80,30.0,0.3,35,0,Negative",
    ]));
    assert_eq!(ds.rows[0].id.as_deref(), Some("Q\n1"));
    assert_eq!(ds.rows[1].line, 4);
    assert_eq!(issues_on(&ds, 4).len(), 1);
}

#[test]
fn unreadable_bytes_are_csv_errors() {
    use sepsis_risk::core::Error;
    let e: Error = csv::parse(b"ID,PL\n1,\xFF\n").unwrap_err().into();
    assert!(e.to_string().contains("line 2"), "{e}");
    assert_eq!(csv::parse(b"\n\n"), Err(csv::CsvError::Empty));
}

#[cfg(not(target_arch = "wasm32"))]
mod properties {
    use super::*;
    use proptest::prelude::*;

    /// A cell: usually a plausible value, sometimes garbage (text, missing tokens, quotes,
    /// delimiters, line breaks, unicode, out-of-range numbers).
    fn cell() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => (0u32..200).prop_map(|v| v.to_string()),
            2 => (0.0f64..60.0).prop_map(|v| format!("{v:.1}")),
            1 => Just(String::new()),
            1 => prop_oneof![
                Just("NA"), Just("?"), Just("-"), Just("abc"), Just("1e400"), Just("inf"),
                Just("NaN"), Just("-0"), Just("1,5"), Just("\""), Just("a\nb"), Just("x\r\ny"),
                Just(";"), Just("|"), Just("\t"), Just("Positive"), Just("é🦀"), Just(" 12 "),
            ]
            .prop_map(str::to_string),
            1 => ".{0,6}",
        ]
    }

    /// A seed-format row: 11 cells (sometimes ragged), ID from a small pool so duplicates
    /// happen, label usually valid.
    fn row() -> impl Strategy<Value = Vec<String>> {
        (
            0u8..20,
            proptest::collection::vec(cell(), 9),
            prop_oneof![Just("Positive"), Just("Negative"), Just("1"), Just("bogus")],
            0usize..12,
        )
            .prop_map(|(id, cells, label, ragged)| {
                let mut r = vec![format!("P{id}")];
                r.extend(cells);
                r.push(label.to_string());
                match ragged {
                    0 => {
                        r.pop();
                    }
                    1 => r.push("extra".into()),
                    _ => {}
                }
                r
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Written with proper quoting, any garbage is validated without panicking, and every
        /// record becomes a row.
        #[test]
        fn validation_never_panics_and_keeps_every_row(
            rows in proptest::collection::vec(row(), 0..25),
            d in 0usize..4,
            crlf in any::<bool>(),
        ) {
            let delimiter = csv::CANDIDATE_DELIMITERS[d];
            let ending = if crlf { "\r\n" } else { "\n" };
            let mut text = String::new();
            let header: Vec<&str> = HEADER.split(',').collect();
            let mut push = |fields: &[&str]| {
                csv::write_record_verbatim(&mut text, fields, delimiter);
                text.pop(); // the "\n" the writer appends; quoted line breaks stay intact
                text.push_str(ending);
            };
            push(&header);
            for r in &rows {
                let refs: Vec<&str> = r.iter().map(String::as_str).collect();
                push(&refs);
            }
            let t = csv::parse_with_delimiter(text.as_bytes(), delimiter).unwrap();
            prop_assert_eq!(t.records.len(), rows.len());
            let ds = Dataset::from_table(&t, &seed(), "prop.csv").unwrap();
            prop_assert_eq!(ds.rows.len(), rows.len());
            for (r, want) in ds.rows.iter().zip(&rows) {
                prop_assert_eq!(&r.fields, want);
                prop_assert_eq!(r.values.len(), 9);
                prop_assert_eq!(r.has_error, ds.issues_for_line(r.line).any(|i| i.severity == Severity::Error));
                for (v, c) in r.values.iter().zip(&r.cells) {
                    prop_assert_eq!(v.is_nan(), c.is_missing());
                }
            }
        }

        /// Unquoted garbage (no quotes or line breaks) joined with commas, with blank lines
        /// sprinkled in: rows == non-empty lines minus the header.
        #[test]
        fn rows_equal_non_empty_lines_minus_header(
            lines in proptest::collection::vec(
                prop_oneof![
                    3 => proptest::collection::vec("[^\"\r\n]{0,5}", 1..14).prop_map(|v| v.join(",")),
                    1 => Just(String::new()),
                ],
                0..30,
            ),
            ending in prop_oneof![Just("\n"), Just("\r\n"), Just("\r")],
        ) {
            let mut text = format!("{HEADER}{ending}");
            text.push_str(&lines.join(ending));
            let t = csv::parse_with_delimiter(text.as_bytes(), b',').unwrap();
            let ds = Dataset::from_table(&t, &seed(), "garbage.csv").unwrap();
            let non_empty = lines.iter().filter(|l| !l.is_empty()).count();
            prop_assert_eq!(ds.rows.len(), non_empty);
            // The sniffing parser must never panic either, whatever it decides.
            if let Ok(t) = csv::parse(text.as_bytes()) {
                let _ = Dataset::from_table(&t, &seed(), "garbage.csv");
            }
        }
    }
}
