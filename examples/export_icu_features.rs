//! Exports the time-aware ICU features of a directory of PhysioNet 2019 `.psv` files for
//! experiments outside the crate (`scripts/icu-experiments.py`, docs/decisions.md D11).
//!
//! `cargo run --release --example export_icu_features -- DIR PREFIX` writes, rows in the
//! order of `temporal::dataset_features` (patients by file name, hours in time order):
//! - `PREFIX.features.f32`: the feature matrix, row-major little-endian `f32`;
//! - `PREFIX.raw.f32`: the 40 input variables of the same rows, likewise;
//! - `PREFIX.rows.csv`: `patient,label,fold` per row (patient index; label 1, 0 or -1
//!   unknown; the patient's fold of five, stratified by whether the patient is ever septic,
//!   seed 0 — the engine benchmark holds out fold 0);
//! - `PREFIX.features.txt` and `PREFIX.raw.txt`: the column names, one per line.
//!
//! `-- --demo N PREFIX` writes the same files for `N` invented ICU stays
//! (`core::demo::demo_icu_patients`, seed 7) instead: a matrix of the same width, for
//! machines without the data (about 39 hours per stay, so 17,652 stays give about as many
//! rows as set A).
//!
//! `sepsis-risk fit --matrix PREFIX` fits one model on it (scripts/bench-engine.sh).
//! The outputs are derived from the data: keep them out of the repository.

use std::error::Error;
use std::fs::File;
use std::io::{BufWriter, Write};

use sepsis_risk::core::{demo, files, sampling, schema, temporal};

fn write_f32(path: &str, rows: impl Iterator<Item = Vec<f64>>) -> std::io::Result<()> {
    let mut w = BufWriter::new(File::create(path)?);
    for row in rows {
        for v in row {
            w.write_all(&(v as f32).to_le_bytes())?;
        }
    }
    w.flush()
}

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let icu = schema::builtin("icu").ok_or("no built-in icu schema")?;
    let (named, dir, prefix) = match args.as_slice() {
        [flag, n, prefix] if flag == "--demo" => {
            let n: usize = n.parse().map_err(|_| format!("--demo {n}: not a number"))?;
            let patients = demo::demo_icu_patients(&icu, n, 7).ok_or("no icu demo generator")?;
            let named: Vec<(String, Vec<u8>)> = patients
                .into_iter()
                .map(|p| (format!("{}.psv", p.id), p.psv.into_bytes()))
                .collect();
            (named, format!("{n} demo stays"), prefix)
        }
        [dir, prefix] => {
            let mut paths: Vec<_> = std::fs::read_dir(dir)?
                .map(|e| e.map(|e| e.path()))
                .collect::<Result<_, _>>()?;
            paths.retain(|p| files::is_patient_file(&p.display().to_string()));
            paths.sort();
            let mut named = Vec::with_capacity(paths.len());
            for p in &paths {
                named.push((p.display().to_string(), std::fs::read(p)?));
            }
            (named, dir.clone(), prefix)
        }
        _ => return Err("usage: export_icu_features (DIR | --demo N) PREFIX".into()),
    };
    let ds = files::read_files_without_fields(&named, &icu, &dir)?;
    drop(named);
    let (m, order, patients) = temporal::dataset_features(&ds)?;
    std::fs::write(
        format!("{prefix}.features.txt"),
        temporal::feature_names(&icu).join("\n"),
    )?;
    std::fs::write(format!("{prefix}.raw.txt"), icu.feature_names().join("\n"))?;
    write_f32(
        &format!("{prefix}.features.f32"),
        (0..m.rows()).map(|r| m.row(r).to_vec()),
    )?;
    write_f32(
        &format!("{prefix}.raw.f32"),
        order.iter().map(|&o| ds.rows[o].values.clone()),
    )?;
    let label = |o: usize| ds.rows[order[o]].label;
    let patient: Vec<usize> = patients
        .iter()
        .enumerate()
        .flat_map(|(i, p)| p.rows.clone().map(move |_| i))
        .collect();
    let septic_row: Vec<bool> = (0..order.len()).map(|o| label(o) == Some(true)).collect();
    let mut fold_of = vec![0usize; order.len()];
    for (f, fold) in sampling::stratified_group_kfold(&septic_row, &patient, 5, 0)?
        .iter()
        .enumerate()
    {
        for &r in &fold.valid {
            fold_of[r] = f;
        }
    }
    let mut w = BufWriter::new(File::create(format!("{prefix}.rows.csv"))?);
    for o in 0..order.len() {
        let l = label(o).map_or(-1, i32::from);
        writeln!(w, "{},{l},{}", patient[o], fold_of[o])?;
    }
    w.flush()?;
    eprintln!(
        "{} rows, {} features, {} patients",
        m.rows(),
        m.cols(),
        patients.len()
    );
    Ok(())
}
