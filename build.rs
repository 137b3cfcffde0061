//! Writes a minified copy of the shipped seed bundle (`assets/models/seed.json`) to OUT_DIR
//! for the browser app to embed: whitespace outside strings is dropped, every token (and so
//! every number, digit for digit) is kept, so the parsed bundle is identical.

use std::path::PathBuf;

fn minify(json: &str) -> String {
    let mut out = String::with_capacity(json.len() / 2);
    let mut in_string = false;
    let mut escaped = false;
    for c in json.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !matches!(c, ' ' | '\n' | '\r' | '\t') {
            out.push(c);
        }
    }
    out
}

fn main() {
    let src = "assets/models/seed.json";
    println!("cargo::rerun-if-changed={src}");
    let json = std::fs::read_to_string(src).expect("assets/models/seed.json is readable");
    let out =
        PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR is set")).join("seed.min.json");
    std::fs::write(out, minify(&json)).expect("OUT_DIR is writable");
}
