//! The serving layer: Debian's nginx with the repository's config (deploy/nginx/, rendered by
//! scripts/render-nginx.sh, CSP hashes by scripts/csp-hashes.sh) serving a small dist/ that
//! looks like Trunk's output. Checks the headers, MIME types, compression, caching, the
//! single-page fallback, real 404s and /healthz over plain HTTP/1.1.
//!
//! Run with `cargo test --features web-tests --test serving` (scripts/test.sh does). A missing
//! nginx is a failure, not a skip.

mod support;

use sha2::{Digest, Sha256};
use std::path::PathBuf;
use support::{Nginx, Response};

const JS: &str = "app-0123456789abcdef.js";
const WASM: &str = "app-0123456789abcdef_bg.wasm";
const CSS: &str = "style-fedcba9876543210.css";
/// A stand-in for the ICU bundle's JSON.
const ICU_JSON: &str = "{\"format\":\"sepsis-risk-model\",\"format_version\":1}\n";
/// Trunk's loader, byte for byte the shape `trunk build --release` writes.
const LOADER: &str = "\nimport init, * as bindings from '/app-0123456789abcdef.js';\nconst wasm = await init({ module_or_path: '/app-0123456789abcdef_bg.wasm' });\n\n\nwindow.wasmBindings = bindings;\n\n\ndispatchEvent(new CustomEvent(\"TrunkApplicationStarted\", {detail: {wasm}}));\n\n";

struct Fixture {
    dist: PathBuf,
    nginx: Nginx,
    wasm: Vec<u8>,
    js: String,
}

/// A dist/ like Trunk's (hashed js/wasm/css, an inline module loader, a non-hashed file, one
/// precompressed file as scripts/build-web.sh writes them) served by nginx.
fn fixture() -> Fixture {
    let dir = support::temp_dir("serving");
    let dist = dir.join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    let index = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>sepsis-risk</title>\n\
         <link rel=\"stylesheet\" href=\"/{CSS}\"/>\n<script type=\"module\">{LOADER}</script>\n\
         <link rel=\"modulepreload\" href=\"/{JS}\"><link rel=\"preload\" href=\"/{WASM}\" as=\"fetch\" type=\"application/wasm\">\
         </head><body><noscript>app shell</noscript></body></html>\n"
    );
    std::fs::write(dist.join("index.html"), index).unwrap();
    // A valid wasm header followed by compressible bytes, well above gzip_min_length.
    let mut wasm = b"\0asm\x01\0\0\0".to_vec();
    wasm.extend((0..20_000u32).map(|i| (i % 7) as u8));
    std::fs::write(dist.join(WASM), &wasm).unwrap();
    let js = "export default function init() { return 42; }\n".repeat(100);
    std::fs::write(dist.join(JS), &js).unwrap();
    std::fs::write(dist.join(CSS), "body { margin: 0; }\n".repeat(50)).unwrap();
    std::fs::write(dist.join("robots.txt"), "User-agent: *\nDisallow: /\n").unwrap();
    // The on-demand ICU bundle (not hashed: Trunk copies it to dist/models/), with its
    // precompressed copy as scripts/build-web.sh writes it.
    std::fs::create_dir_all(dist.join("models")).unwrap();
    std::fs::write(dist.join("models/icu.json"), ICU_JSON.repeat(40)).unwrap();
    support::run(
        std::process::Command::new("gzip")
            .args(["-9", "-k", "-n"])
            .arg(dist.join("models/icu.json")),
    );
    // Precompressed copy of the css, as scripts/build-web.sh does (gzip -9 -k -n).
    support::run(
        std::process::Command::new("gzip")
            .args(["-9", "-k", "-n"])
            .arg(dist.join(CSS)),
    );
    // The service worker, as scripts/build-web.sh writes it.
    support::run(
        std::process::Command::new(support::repo().join("scripts/service-worker.sh")).arg(&dist),
    );
    let csp = dir.join("sepsis-risk-csp.conf");
    support::csp_include(&dist, &csp);
    let nginx = Nginx::start(&dist, &csp);
    Fixture {
        dist,
        nginx,
        wasm,
        js,
    }
}

fn expected_script_hash() -> String {
    format!(
        "'sha256-{}'",
        support::base64(&Sha256::digest(LOADER.as_bytes()))
    )
}

/// Every security header, with the exact policy.
fn assert_security_headers(r: &Response, what: &str) {
    let csp = r
        .header("Content-Security-Policy")
        .unwrap_or_else(|| panic!("{what}: no Content-Security-Policy: {:?}", r.headers));
    let directives: Vec<&str> = csp.split(';').map(str::trim).collect();
    let expected = [
        "default-src 'self'".to_string(),
        format!(
            "script-src 'self' 'wasm-unsafe-eval' {}",
            expected_script_hash()
        ),
        "style-src 'self'".to_string(),
        // plotters measures chart text with a styled <span> (docs/decisions.md, D9).
        "style-src-attr 'unsafe-inline'".to_string(),
        "img-src 'self' data: blob:".to_string(),
        "connect-src 'self'".to_string(),
        // The service worker (/sw.js) of offline use.
        "worker-src 'self'".to_string(),
        "object-src 'none'".to_string(),
        "base-uri 'none'".to_string(),
        "frame-ancestors 'none'".to_string(),
        "form-action 'none'".to_string(),
    ];
    for e in &expected {
        assert!(
            directives.contains(&e.as_str()),
            "{what}: CSP lacks `{e}`: {csp}"
        );
    }
    // No inline scripts, no eval, no inline <style> elements: only style *attributes*.
    for d in &directives {
        if d.starts_with("script-src")
            || d.starts_with("style-src ")
            || d.starts_with("default-src")
        {
            assert!(
                !d.contains("unsafe-inline"),
                "{what}: `{d}` allows inline code: {csp}"
            );
        }
    }
    assert!(
        !csp.contains("'unsafe-eval'"),
        "{what}: CSP allows eval: {csp}"
    );
    for (name, value) in [
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    ] {
        assert_eq!(r.header(name), Some(value), "{what}: {name}");
    }
    let pp = r
        .header("Permissions-Policy")
        .unwrap_or_else(|| panic!("{what}: no Permissions-Policy"));
    for feature in [
        "camera",
        "microphone",
        "geolocation",
        "payment",
        "usb",
        "serial",
        "bluetooth",
        "hid",
        "midi",
        "display-capture",
    ] {
        assert!(
            pp.split(',').any(|p| p.trim() == format!("{feature}=()")),
            "{what}: Permissions-Policy does not deny {feature}: {pp}"
        );
    }
}

#[test]
fn nginx_t_passes_on_the_rendered_config() {
    let f = fixture();
    let nginx = support::tool("nginx", "scripts/setup.sh --server");
    let out = support::nginx_t(&nginx, &f.nginx.rundir, &f.nginx.conf);
    assert!(out.contains("test is successful"), "nginx -t said: {out}");
}

#[test]
fn csp_include_hashes_the_inline_loader() {
    let f = fixture();
    let html = std::fs::read_to_string(f.dist.join("index.html")).unwrap();
    let scripts = support::inline_scripts(&html);
    assert_eq!(scripts, [LOADER]);
    let r = f.nginx.get("/", &[]);
    let csp = r.header("Content-Security-Policy").unwrap();
    assert!(csp.contains(&expected_script_hash()), "{csp}");
}

#[test]
fn security_headers_on_every_response() {
    let f = fixture();
    for (path, status) in [
        ("/", 200),
        ("/index.html", 200),
        ("/model", 200),
        (&format!("/{JS}") as &str, 200),
        (&format!("/{WASM}"), 200),
        (&format!("/{CSS}"), 200),
        ("/robots.txt", 200),
        ("/healthz", 200),
        ("/missing-0123456789abcdef_bg.wasm", 404),
        ("/missing.js", 404),
    ] {
        for gzip in [false, true] {
            let headers: &[(&str, &str)] = if gzip {
                &[("Accept-Encoding", "gzip")]
            } else {
                &[]
            };
            let r = f.nginx.get(path, headers);
            assert_eq!(r.status, status, "GET {path}: {r:?}");
            assert_security_headers(&r, &format!("GET {path} (gzip: {gzip})"));
        }
    }
}

#[test]
fn wasm_is_application_wasm_and_gzipped_when_asked() {
    let f = fixture();
    let path = format!("/{WASM}");
    let plain = f.nginx.get(&path, &[]);
    assert_eq!(plain.status, 200);
    assert_eq!(plain.header("Content-Type"), Some("application/wasm"));
    assert_eq!(plain.header("Content-Encoding"), None);
    assert_eq!(plain.body, f.wasm);

    let gz = f
        .nginx
        .get(&path, &[("Accept-Encoding", "gzip, deflate, br")]);
    assert_eq!(gz.status, 200);
    assert_eq!(gz.header("Content-Type"), Some("application/wasm"));
    assert_eq!(gz.header("Content-Encoding"), Some("gzip"));
    assert_eq!(gz.header("Vary"), Some("Accept-Encoding"));
    assert!(gz.body.len() < f.wasm.len() / 4, "wasm barely compressed");
    assert_eq!(support::gunzip(&gz.body), f.wasm);
}

#[test]
fn js_css_html_are_gzipped_and_precompressed_files_are_used() {
    let f = fixture();
    let js = f
        .nginx
        .get(&format!("/{JS}"), &[("Accept-Encoding", "gzip")]);
    assert!(
        js.header("Content-Type").is_some_and(
            |t| t.starts_with("application/javascript") || t.starts_with("text/javascript")
        ),
        "{js:?}"
    );
    assert_eq!(js.header("Content-Encoding"), Some("gzip"));
    assert_eq!(support::gunzip(&js.body), f.js.as_bytes());

    // The css has a .gz sibling: gzip_static sends it with a Content-Length (on-the-fly gzip
    // would be chunked).
    let css = f
        .nginx
        .get(&format!("/{CSS}"), &[("Accept-Encoding", "gzip")]);
    assert!(css.header("Content-Type").unwrap().starts_with("text/css"));
    assert_eq!(css.header("Content-Encoding"), Some("gzip"));
    let gz_file = std::fs::read(f.dist.join(format!("{CSS}.gz"))).unwrap();
    assert_eq!(
        css.header("Content-Length"),
        Some(&*gz_file.len().to_string())
    );
    assert_eq!(css.body, gz_file);

    let html = f.nginx.get("/", &[("Accept-Encoding", "gzip")]);
    assert!(
        html.header("Content-Type")
            .unwrap()
            .starts_with("text/html")
    );
    assert_eq!(html.header("Content-Encoding"), Some("gzip"));
}

#[test]
fn hashed_assets_are_cached_for_a_year_and_the_shell_is_not() {
    let f = fixture();
    for asset in [JS, WASM, CSS] {
        let r = f
            .nginx
            .get(&format!("/{asset}"), &[("Accept-Encoding", "gzip")]);
        assert_eq!(
            r.header("Cache-Control"),
            Some("public, max-age=31536000, immutable"),
            "{asset}"
        );
    }
    for path in ["/", "/index.html", "/bedside", "/robots.txt"] {
        let r = f.nginx.get(path, &[]);
        assert_eq!(r.header("Cache-Control"), Some("no-cache"), "{path}");
    }
    // An error is never cached for a year.
    let r = f.nginx.get("/missing-0123456789abcdef_bg.wasm", &[]);
    assert_eq!(r.header("Cache-Control"), None);
}

#[test]
fn the_icu_bundle_is_json_with_the_security_headers_and_revalidated() {
    let f = fixture();
    let r = f.nginx.get("/models/icu.json", &[]);
    assert_eq!(r.status, 200);
    assert!(
        r.header("Content-Type")
            .is_some_and(|t| t.starts_with("application/json")),
        "{r:?}"
    );
    assert_eq!(r.header("Cache-Control"), Some("no-cache"));
    assert_eq!(r.body, ICU_JSON.repeat(40).as_bytes());
    assert_security_headers(&r, "/models/icu.json");
    let gz = f
        .nginx
        .get("/models/icu.json", &[("Accept-Encoding", "gzip")]);
    assert_eq!(gz.header("Content-Encoding"), Some("gzip"));
    assert_eq!(support::gunzip(&gz.body), ICU_JSON.repeat(40).as_bytes());
    assert_security_headers(&gz, "/models/icu.json (gzip)");
    // A missing model is a real 404, never the app shell.
    assert_eq!(f.nginx.get("/models/missing.json", &[]).status, 404);
}

#[test]
fn deep_links_return_the_app() {
    let f = fixture();
    let index = std::fs::read(f.dist.join("index.html")).unwrap();
    for path in [
        "/explore",
        "/predict",
        "/bedside",
        "/model",
        "/model/",
        "/bedside?x=1",
        "/unknown/route",
    ] {
        let r = f.nginx.get(path, &[]);
        assert_eq!(r.status, 200, "{path}");
        assert!(r.header("Content-Type").unwrap().starts_with("text/html"));
        assert_eq!(r.body, index, "{path} did not return index.html");
    }
}

#[test]
fn missing_files_with_an_extension_are_real_404s() {
    let f = fixture();
    for path in [
        "/missing-0123456789abcdef_bg.wasm",
        "/app-ffffffffffffffff.js",
        "/style-0000000000000000.css",
        "/missing.wasm",
        "/missing.js",
        "/missing.css",
        "/favicon.ico",
        "/model/app.js",
    ] {
        let r = f.nginx.get(path, &[]);
        assert_eq!(r.status, 404, "{path}: {r:?}");
        assert!(!r.text().contains("app shell"), "{path} returned the app");
    }
}

#[test]
fn healthz_answers_ok() {
    let f = fixture();
    let r = f.nginx.get("/healthz", &[]);
    assert_eq!(r.status, 200);
    assert_eq!(r.text().trim(), "ok");
    assert!(r.header("Content-Type").unwrap().starts_with("text/plain"));
}

/// The version and file list written into a service worker by scripts/service-worker.sh.
fn service_worker_manifest(sw: &str) -> (String, Vec<String>) {
    let version = sw
        .lines()
        .find_map(|l| l.strip_prefix("const VERSION = \""))
        .and_then(|l| l.strip_suffix("\";"))
        .expect("a VERSION line")
        .to_string();
    let files = sw
        .lines()
        .find_map(|l| l.strip_prefix("const FILES = "))
        .and_then(|l| l.strip_suffix(';'))
        .expect("a FILES line");
    let files: Vec<String> = serde_json::from_str(files).expect("FILES is a JSON list");
    (version, files)
}

#[test]
fn the_service_worker_is_revalidated_javascript_listing_every_file_of_the_build() {
    let f = fixture();
    let r = f.nginx.get("/sw.js", &[]);
    assert_eq!(r.status, 200);
    assert!(
        r.header("Content-Type").is_some_and(
            |t| t.starts_with("application/javascript") || t.starts_with("text/javascript")
        ),
        "{r:?}"
    );
    // Revalidated on every check, so a new deployment is seen on the next load.
    assert_eq!(r.header("Cache-Control"), Some("no-cache"));
    assert_security_headers(&r, "/sw.js");
    let sw = r.text();
    assert!(!sw.contains("__SEPSIS_"), "placeholders left in sw.js");
    let (version, files) = service_worker_manifest(&sw);
    assert!(
        version.len() == 16 && version.bytes().all(|b| b.is_ascii_hexdigit()),
        "{version}"
    );
    let mut expected = vec![
        "/index.html".to_string(),
        format!("/{JS}"),
        format!("/{WASM}"),
        "/models/icu.json".into(),
        "/robots.txt".into(),
        format!("/{CSS}"),
    ];
    expected.sort();
    assert_eq!(files, expected, "every file but sw.js and the .gz copies");
    // Every listed file is served (an install caches all or nothing).
    for file in &files {
        assert_eq!(f.nginx.get(file, &[]).status, 200, "{file}");
    }

    // Deterministic, and any change to any file is a new version.
    let rerun = |dist: &std::path::Path| {
        support::run(
            std::process::Command::new(support::repo().join("scripts/service-worker.sh")).arg(dist),
        );
        service_worker_manifest(&std::fs::read_to_string(dist.join("sw.js")).unwrap())
    };
    assert_eq!(rerun(&f.dist), (version.clone(), files.clone()));
    std::fs::write(f.dist.join("models/icu.json"), "{}\n").unwrap();
    let (changed, same_files) = rerun(&f.dist);
    assert_ne!(
        changed, version,
        "a retrained model must make a new version"
    );
    assert_eq!(same_files, files);
}
