//! The native command-line shell around the core: argument parsing, file I/O, progress bars
//! and tables. No parsing, statistics or prediction logic lives here.
//!
//! Argument errors are clap's (a message and the usage on stderr, exit status 2). Every other
//! failure is one line on stderr naming the file (and row and column where they apply) and
//! exit status 2.

mod args;
mod commands;
mod io;
mod render;
mod table;

use std::process::ExitCode;

use clap::Parser;

use args::{Cli, Command};

/// A failure to report: one line, exit status 2.
#[derive(Debug)]
pub struct CliError(pub String);

impl<E: std::fmt::Display> From<E> for CliError {
    fn from(e: E) -> Self {
        CliError(e.to_string())
    }
}

/// Result type of the CLI commands.
pub type CliResult<T = ()> = Result<T, CliError>;

/// Entry point of the `sepsis-risk` binary.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            // --help and --version are not errors.
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let result = match cli.command {
        Command::Train(a) => commands::train(&a),
        Command::Predict(a) => commands::predict(&a),
        Command::Evaluate(a) => commands::evaluate(&a),
        Command::Eda(a) => commands::eda(&a),
        Command::Demo(a) => commands::demo(&a),
        Command::Recalibrate(a) => commands::recalibrate(&a),
        Command::Fit(a) => commands::fit(&a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(CliError(msg)) => {
            eprintln!("sepsis-risk: {msg}");
            ExitCode::from(2)
        }
    }
}
