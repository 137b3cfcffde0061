//! Exports the time-aware ICU features of a directory of PhysioNet 2019 `.psv` files for
//! experiments outside the crate (`scripts/icu-experiments.py`, docs/decisions.md D11).
//!
//! `cargo run --release --example export_icu_features -- DIR PREFIX` writes, rows in the
//! order of `temporal::dataset_features` (patients by file name, hours in time order):
//! - `PREFIX.features.f32`: the feature matrix, row-major little-endian `f32`;
//! - `PREFIX.raw.f32`: the 40 input variables of the same rows, likewise;
//! - `PREFIX.rows.csv`: `patient,label` per row (patient index; label 1, 0 or -1 unknown);
//! - `PREFIX.features.txt` and `PREFIX.raw.txt`: the column names, one per line.
//!
//! The outputs are derived from the data: keep them out of the repository.

use std::error::Error;
use std::fs::File;
use std::io::{BufWriter, Write};

use sepsis_risk::core::{files, schema, temporal};

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
    let [dir, prefix] = args.as_slice() else {
        return Err("usage: export_icu_features DIR PREFIX".into());
    };
    let icu = schema::builtin("icu").ok_or("no built-in icu schema")?;
    let mut paths: Vec<_> = std::fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    paths.retain(|p| files::is_patient_file(&p.display().to_string()));
    paths.sort();
    let mut named = Vec::with_capacity(paths.len());
    for p in &paths {
        named.push((p.display().to_string(), std::fs::read(p)?));
    }
    let ds = files::read_files(&named, &icu, dir)?;
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
    let mut w = BufWriter::new(File::create(format!("{prefix}.rows.csv"))?);
    for (i, p) in patients.iter().enumerate() {
        for o in p.rows.clone() {
            let label = ds.rows[order[o]].label.map_or(-1, i32::from);
            writeln!(w, "{i},{label}")?;
        }
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
