//! The architecture's rules, checked on the source tree (docs/architecture.md, "Boundaries"):
//! imports go one way, the core stays free of browser and file-system code, and functions and
//! core files stay small enough to read.

use std::fs;
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    if dir.is_file() {
        return vec![dir.to_path_buf()];
    }
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn src(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(rel)
}

/// The file's code before its `#[cfg(test)]` module, without comment lines.
fn code(path: &Path) -> Vec<String> {
    let text = fs::read_to_string(path).unwrap();
    text.lines()
        .take_while(|l| !l.trim_start().starts_with("#[cfg(test)]"))
        .filter(|l| !l.trim_start().starts_with("//"))
        .map(str::to_string)
        .collect()
}

fn offenders(dir: &str, forbidden: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for f in rust_files(&src(dir)) {
        for (i, line) in code(&f).iter().enumerate() {
            if let Some(word) = forbidden.iter().find(|w| line.contains(*w)) {
                out.push(format!("{}:{}: {word}", f.display(), i + 1));
            }
        }
    }
    out
}

#[test]
fn the_core_has_no_browser_or_file_system_imports() {
    let bad = offenders(
        "core",
        &[
            "leptos",
            "web_sys",
            "wasm_bindgen",
            "std::fs",
            "crate::app",
            "crate::cli",
        ],
    );
    assert!(bad.is_empty(), "{bad:#?}");
}

#[test]
fn pages_and_components_never_import_the_router() {
    let mut bad = offenders("app/pages", &["app::app"]);
    bad.extend(offenders("app/components", &["app::app"]));
    assert!(bad.is_empty(), "{bad:#?}");
}

#[test]
fn configuration_bundle_and_training_import_one_way() {
    let bundle = offenders("core/bundle.rs", &["core::train"]);
    assert!(bundle.is_empty(), "{bundle:#?}");
    let config = offenders("core/config.rs", &["core::train", "core::bundle"]);
    assert!(config.is_empty(), "{config:#?}");
}

/// Lines of each `fn` body (from the `fn` line to its closing brace), by brace counting on
/// code with string and character literals blanked.
fn function_lengths(path: &Path) -> Vec<(usize, String, usize)> {
    let lines = code(path);
    let clean: Vec<String> = lines.iter().map(|l| blank_literals(l)).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < clean.len() {
        let l = clean[i].trim_start();
        let is_fn = [
            "fn ",
            "pub fn ",
            "pub(crate) fn ",
            "pub(super) fn ",
            "async fn ",
            "pub async fn ",
        ]
        .iter()
        .any(|p| l.starts_with(p));
        if !is_fn {
            i += 1;
            continue;
        }
        let name = l
            .split("fn ")
            .nth(1)
            .unwrap_or("")
            .split(['(', '<'])
            .next()
            .unwrap_or("");
        let (mut depth, mut started, mut j) = (0i64, false, i);
        while j < clean.len() {
            let opens = clean[j].matches('{').count() as i64;
            depth += opens - clean[j].matches('}').count() as i64;
            started |= opens > 0;
            if (started && depth <= 0) || (!started && clean[j].trim_end().ends_with(';')) {
                break;
            }
            j += 1;
        }
        out.push((i + 1, name.to_string(), j - i + 1));
        i = if started { j + 1 } else { i + 1 };
    }
    out
}

fn blank_literals(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars().peekable();
    let mut in_str = false;
    while let Some(c) = chars.next() {
        match (in_str, c) {
            (true, '\\') => {
                chars.next();
            }
            (true, '"') => in_str = false,
            (true, _) => {}
            (false, '"') => in_str = true,
            (false, '\'') => {
                // A char literal such as '{' (not a lifetime): skip it.
                let rest: String = chars.clone().take(3).collect();
                if rest.len() >= 2 && rest.chars().nth(1) == Some('\'') {
                    chars.next();
                    chars.next();
                } else if rest.starts_with('\\') {
                    for n in chars.by_ref() {
                        if n == '\'' {
                            break;
                        }
                    }
                }
            }
            (false, '/') if chars.peek() == Some(&'/') => break,
            (false, c) => out.push(c),
        }
    }
    out
}

#[test]
fn no_function_in_src_is_over_150_lines() {
    let mut long = Vec::new();
    for f in rust_files(&src("")) {
        for (line, name, n) in function_lengths(&f) {
            if n > 150 {
                long.push(format!("{}:{line}: {name} ({n} lines)", f.display()));
            }
        }
    }
    assert!(long.is_empty(), "{long:#?}");
}

#[test]
fn no_core_file_is_over_900_lines_before_its_tests() {
    let mut big = Vec::new();
    for f in rust_files(&src("core")) {
        let text = fs::read_to_string(&f).unwrap();
        let n = text
            .lines()
            .take_while(|l| !l.trim_start().starts_with("#[cfg(test)]"))
            .count();
        if n > 900 {
            big.push(format!("{}: {n} lines", f.display()));
        }
    }
    assert!(big.is_empty(), "{big:#?}");
}

#[test]
fn the_function_length_check_sees_a_long_function() {
    let dir = std::env::temp_dir().join(format!("arch-test-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let f = dir.join("long.rs");
    let body: String = (0..160)
        .map(|i| format!("    let _x{i} = \"{{\";\n"))
        .collect();
    fs::write(&f, format!("fn short() {{}}\n\nfn long() {{\n{body}}}\n")).unwrap();
    let lengths = function_lengths(&f);
    fs::remove_dir_all(&dir).unwrap();
    assert_eq!(lengths.len(), 2, "{lengths:?}");
    assert_eq!(lengths[0].2, 1);
    assert_eq!((lengths[1].1.as_str(), lengths[1].2), ("long", 162));
}
