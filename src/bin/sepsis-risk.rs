//! The `sepsis-risk` command-line tool: see `sepsis-risk --help`.

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    sepsis_risk::cli::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}
