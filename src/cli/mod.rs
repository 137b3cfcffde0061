//! The native command-line shell around the core (being written).

/// Entry point of the `sepsis-risk` binary.
pub fn main() -> std::process::ExitCode {
    eprintln!("sepsis-risk: the command-line interface is being written");
    std::process::ExitCode::from(2)
}
