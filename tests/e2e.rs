//! End to end: the release build (dist/, from scripts/build-web.sh) served by Debian's nginx
//! with the repository's config, driven in headless Chromium through chromedriver.
//!
//! One browser session walks through the app like a user: upload, every page by link and by
//! deep-link reload, charts, bedside prediction, download; it checks the results against the
//! core and the CLI, that nothing is fetched after the first load, and that the console shows
//! no error and no CSP violation. It measures the time to an interactive page and to predict
//! 10,000 rows and writes them to target/web-measurements.txt.
//!
//! Run with `cargo test --features web-tests --test e2e` after `scripts/build-web.sh`
//! (scripts/test.sh does both). Missing chromium, chromedriver, nginx or dist/ is a failure.

mod support;

#[path = "e2e/browser.rs"]
mod browser;

use browser::{Browser, Chromedriver, first_number, write_file};
use fantoccini::Locator;
use sepsis_risk::core::bundle::ModelBundle;
use sepsis_risk::core::csv;
use sepsis_risk::core::dataset::Dataset;
use sepsis_risk::core::demo::demo_csv;
use serde_json::json;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};
use support::Nginx;

const SEED_MODEL: &str = include_str!("../assets/models/seed.json");
/// App routes and the element that shows each page rendered after a full load.
const PAGES: [(&str, Option<&str>); 5] = [
    ("/", Some("csv-input")),
    ("/explore", None),
    ("/predict", None),
    ("/bedside", Some("bedside-form")),
    ("/model", Some("threshold-slider")),
];
const SHORT: Duration = Duration::from_secs(20);
const LONG: Duration = Duration::from_secs(180);

type Step = Result<(), String>;

struct Ctx {
    b: Browser,
    nginx: Nginx,
    bundle: ModelBundle,
    measurements: Vec<String>,
    /// Requests seen since the first load finished (should stay empty).
    requests_after_load: Vec<String>,
    /// The file with bad values once uploaded (the download step predicts it).
    bad_file: Option<std::path::PathBuf>,
}

impl Ctx {
    fn url(&self, path: &str) -> String {
        self.nginx.url(path)
    }

    /// Console errors, CSP violations and uncaught exceptions since the last call; repeats are
    /// counted instead of listed, long messages shortened.
    async fn problems(&self) -> Vec<String> {
        let mut raw: Vec<String> = self
            .b
            .log("browser")
            .into_iter()
            .filter(|e| e.level == "SEVERE")
            .map(|e| format!("console {}: {}", e.level, e.message))
            .collect();
        let probe = self
            .b
            .js(
                "const p = window.__e2e; if (!p) return null; return { v: p.violations.splice(0), e: p.errors.splice(0) };",
                vec![],
            )
            .await;
        if probe.is_null() {
            raw.push("the probe script is missing from the page (CDP injection failed)".into());
        } else {
            for v in probe["v"].as_array().into_iter().flatten() {
                raw.push(format!("CSP violation: {}", v.as_str().unwrap_or_default()));
            }
            for v in probe["e"].as_array().into_iter().flatten() {
                raw.push(format!("page {}", v.as_str().unwrap_or_default()));
            }
        }
        let mut counted: Vec<(String, usize)> = Vec::new();
        for m in raw {
            let m: String = if m.chars().count() > 400 {
                m.chars().take(400).collect::<String>() + "..."
            } else {
                m
            };
            match counted.iter_mut().find(|(k, _)| *k == m) {
                Some((_, n)) => *n += 1,
                None => counted.push((m, 1)),
            }
        }
        counted
            .into_iter()
            .map(|(m, n)| if n > 1 { format!("{m} (x{n})") } else { m })
            .collect()
    }

    /// Network requests since the last call, kept for the "no request after load" check.
    fn note_requests(&mut self) {
        let r = self.b.network_requests();
        self.requests_after_load.extend(r);
    }

    async fn click_link(&self, href: &str) -> Step {
        let link = self
            .b
            .client
            .find(Locator::Css(&format!("a[href=\"{href}\"]")))
            .await
            .map_err(|e| format!("no link to {href}: {e}"))?;
        link.click()
            .await
            .map_err(|e| format!("clicking the link to {href}: {e}"))?;
        self.b
            .wait_js(
                &format!("location.pathname === '{href}'"),
                SHORT,
                &format!("the URL to become {href}"),
            )
            .await?;
        Ok(())
    }

    async fn upload(&self, path: &Path) -> Step {
        let input = self.b.wait_testid("csv-input", SHORT).await?;
        input
            .send_keys(&path.display().to_string())
            .await
            .map_err(|e| format!("choosing {} in csv-input: {e}", path.display()))
    }

    async fn wait_row_count(&self, n: u64, timeout: Duration) -> Step {
        self.b.wait_testid("row-count", timeout).await?;
        let deadline = Instant::now() + timeout;
        loop {
            let text = self.b.testid_text("row-count").await.unwrap_or_default();
            if first_number(&text) == Some(n) {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(format!("row-count shows {text:?}, expected {n}"));
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// Non-white pixels per canvas on the page (waits until there is at least one canvas and
    /// every canvas has some, or the timeout).
    async fn drawn_canvases(&self, what: &str) -> Step {
        let script = "return [...document.querySelectorAll('canvas')].map((c) => {
              if (!c.width || !c.height) return 0;
              const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
              let n = 0;
              for (let i = 0; i < d.length; i += 4)
                if (d[i + 3] > 0 && (d[i] < 235 || d[i + 1] < 235 || d[i + 2] < 235)) n++;
              return n;
            });";
        let deadline = Instant::now() + SHORT;
        loop {
            let counts: Vec<u64> = self
                .b
                .js(script, vec![])
                .await
                .as_array()
                .map(|a| a.iter().filter_map(|v| v.as_u64()).collect())
                .unwrap_or_default();
            if !counts.is_empty() && counts.iter().all(|&n| n >= 50) {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "{what}: charts not drawn: non-white pixels per canvas {counts:?}"
                ));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn has_notice(&self, what: &str) -> Step {
        let v = self
            .b
            .js(
                "return document.body.innerText.toLowerCase().includes('not a medical device');",
                vec![],
            )
            .await;
        if v == json!(true) {
            Ok(())
        } else {
            Err(format!("{what}: no visible 'not a medical device' notice"))
        }
    }

    /// Clicks download-results and compares the file with the CLI's output for `input`.
    async fn download_equals_cli(&self, input: &Path, timeout: Duration) -> Step {
        let button = self.b.wait_testid("download-results", timeout).await?;
        self.b.clear_downloads();
        button
            .click()
            .await
            .map_err(|e| format!("clicking download-results: {e}"))?;
        let file = self.b.wait_download(timeout).await?;
        let got = std::fs::read(&file).map_err(|e| e.to_string())?;
        let expected = cli_predict(input);
        if got != expected {
            let g = String::from_utf8_lossy(&got);
            let e = String::from_utf8_lossy(&expected);
            let diff = g
                .lines()
                .zip(e.lines())
                .enumerate()
                .find(|(_, (a, b))| a != b)
                .map(|(i, (a, b))| {
                    format!("first difference on line {}:\n app: {a}\n cli: {b}", i + 1)
                })
                .unwrap_or_else(|| {
                    format!(
                        "same lines but different bytes ({} vs {} bytes, {} vs {} lines)",
                        got.len(),
                        expected.len(),
                        g.lines().count(),
                        e.lines().count()
                    )
                });
            return Err(format!(
                "downloaded {} differs from `sepsis-risk predict` on {}: {diff}",
                file.display(),
                input.display()
            ));
        }
        Ok(())
    }
}

/// `sepsis-risk predict` (the CLI built with these tests) on `input`, as bytes.
fn cli_predict(input: &Path) -> Vec<u8> {
    let out = input.with_extension("cli-results.csv");
    support::run(
        Command::new(env!("CARGO_BIN_EXE_sepsis-risk"))
            .arg("predict")
            .arg("--model")
            .arg(support::repo().join("assets/models/seed.json"))
            .arg("--input")
            .arg(input)
            .arg("--output")
            .arg(&out),
    );
    std::fs::read(out).expect("the CLI's results")
}

/// The seed demo data with unreadable values in two rows (line numbers are file lines).
fn with_bad_values(csv_text: &str) -> String {
    let mut lines: Vec<String> = csv_text.lines().map(str::to_string).collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    let pl = header.iter().position(|h| *h == "PL").expect("PL column");
    let age = header.iter().position(|h| *h == "Age").expect("Age column");
    for (line, col, value) in [(4, pl, "abc"), (7, age, "-7")] {
        let mut fields: Vec<String> = lines[line - 1].split(',').map(str::to_string).collect();
        fields[col] = value.to_string();
        lines[line - 1] = fields.join(",");
    }
    lines.join("\n") + "\n"
}

async fn step_first_load(c: &mut Ctx) -> Step {
    let start = Instant::now();
    c.b.client
        .goto(&c.url("/"))
        .await
        .map_err(|e| format!("loading /: {e}"))?;
    c.b.wait_testid("csv-input", LONG).await?;
    let wall = start.elapsed();
    let t = c
        .b
        .js(
            "const n = performance.getEntriesByType('navigation')[0];
             return { input: window.__e2e && window.__e2e.csvInput, dcl: n.domContentLoadedEventEnd,
                      load: n.loadEventEnd, resources: performance.getEntriesByType('resource').length };",
            vec![],
        )
        .await;
    c.measurements.push(format!(
        "navigation to interactive (csv-input in the DOM, performance.now() from navigation start, MutationObserver): {:.0} ms",
        t["input"].as_f64().unwrap_or(f64::NAN)
    ));
    c.measurements.push(format!(
        "  (DOMContentLoaded {:.0} ms, load event {:.0} ms, WebDriver wall clock goto..input {:.0} ms, {} resources)",
        t["dcl"].as_f64().unwrap_or(f64::NAN),
        t["load"].as_f64().unwrap_or(f64::NAN),
        wall.as_secs_f64() * 1000.0,
        t["resources"]
    ));
    c.has_notice("/").await?;
    // Everything the first load fetched, then a clean slate for "no request after load".
    let first = c.b.network_requests();
    let origin = c.url("/");
    if let Some(foreign) = first.iter().find(|u| !u.starts_with(&origin)) {
        return Err(format!(
            "the first load fetched a third-party URL: {foreign}"
        ));
    }
    Ok(())
}

async fn step_upload_demo(c: &mut Ctx) -> Step {
    let text = demo_csv(&c.bundle.schema, 250, 11).ok_or("no demo data for the seed schema")?;
    let file = write_file("demo-250.csv", &text);
    c.upload(&file).await?;
    c.wait_row_count(250, SHORT).await?;
    let schema = c.b.testid_text("schema-name").await.unwrap_or_default();
    if !schema.contains(&c.bundle.schema.name) {
        return Err(format!(
            "schema-name shows {schema:?}, expected {:?}",
            c.bundle.schema.name
        ));
    }
    c.note_requests();
    Ok(())
}

async fn step_upload_bad_values(c: &mut Ctx) -> Step {
    let text = with_bad_values(&demo_csv(&c.bundle.schema, 120, 5).ok_or("no demo data")?);
    let file = write_file("bad-values.csv", &text);
    c.upload(&file).await?;
    c.wait_row_count(120, SHORT).await?;
    c.b.wait_testid("issues-table", SHORT).await?;
    let issues = c.b.testid_text("issues-table").await.unwrap_or_default();
    for needle in ["PL", "abc", "Age", "-7"] {
        if !issues.contains(needle) {
            return Err(format!(
                "issues-table does not mention {needle:?}:\n{issues}"
            ));
        }
    }
    // Reference: the core finds the same problems (both rows are listed).
    let table = csv::parse(text.as_bytes()).map_err(|e| e.to_string())?;
    let ds = Dataset::from_table(&table, &c.bundle.schema, "bad-values.csv")
        .map_err(|e| e.to_string())?;
    let lines: Vec<usize> = ds.issues.iter().map(|i| i.line).collect();
    if !(lines.contains(&4) && lines.contains(&7)) {
        return Err(format!(
            "the core reports issues on lines {lines:?}, expected 4 and 7"
        ));
    }
    c.note_requests();
    c.bad_file = Some(file);
    Ok(())
}

async fn step_predict_and_download(c: &mut Ctx) -> Step {
    let path = c
        .bad_file
        .clone()
        .ok_or("the bad-values upload step did not run")?;
    c.click_link("/predict").await?;
    c.b.wait_testid("results-table", SHORT).await?;
    c.has_notice("/predict").await?;
    c.download_equals_cli(&path, SHORT).await?;
    c.note_requests();
    Ok(())
}

async fn step_explore(c: &mut Ctx) -> Step {
    c.click_link("/explore").await?;
    c.has_notice("/explore").await?;
    c.drawn_canvases("/explore").await?;
    c.note_requests();
    Ok(())
}

async fn step_model(c: &mut Ctx) -> Step {
    c.click_link("/model").await?;
    c.b.wait_testid("threshold-slider", SHORT).await?;
    c.has_notice("/model").await?;
    c.drawn_canvases("/model").await?;
    // Moving the threshold updates the numbers shown.
    let before =
        c.b.js(
            "return document.querySelector('main, body').innerText;",
            vec![],
        )
        .await;
    c.b.js(
        "const s = document.querySelector('[data-testid=\"threshold-slider\"]');
         const lo = Number(s.min || 0), hi = Number(s.max || 1);
         s.value = String(lo + (hi - lo) * (Number(s.value) > (lo + hi) / 2 ? 0.15 : 0.85));
         s.dispatchEvent(new Event('input', { bubbles: true }));
         s.dispatchEvent(new Event('change', { bubbles: true }));",
        vec![],
    )
    .await;
    c.b.wait_js(
        &format!(
            "document.querySelector('main, body').innerText !== {}",
            serde_json::to_string(&before).unwrap()
        ),
        SHORT,
        "the model page to update after moving the threshold slider",
    )
    .await?;
    c.note_requests();
    Ok(())
}

async fn step_bedside(c: &mut Ctx) -> Step {
    c.click_link("/bedside").await?;
    c.b.wait_testid("bedside-form", SHORT).await?;
    c.has_notice("/bedside").await?;
    // A complete, valid demo row, typed field by field.
    let text = demo_csv(&c.bundle.schema, 50, 3).ok_or("no demo data")?;
    let table = csv::parse(text.as_bytes()).map_err(|e| e.to_string())?;
    let ds = Dataset::from_table(&table, &c.bundle.schema, "demo").map_err(|e| e.to_string())?;
    let row = ds
        .rows
        .iter()
        .find(|r| {
            r.is_valid()
                && r.values.iter().all(|v| v.is_finite())
                && ds.issues_for_line(r.line).next().is_none()
        })
        .ok_or("no complete demo row")?;
    let expected = c
        .bundle
        .predict_values(&row.values)
        .map_err(|e| e.to_string())?;
    for (col, value) in c.bundle.schema.features.iter().zip(&row.values) {
        let id = format!("field-{}", col.name);
        let field = c.b.wait_testid(&id, SHORT).await?;
        let raw = ds
            .header
            .iter()
            .position(|h| *h == col.name)
            .and_then(|i| row.fields.get(i).cloned())
            .unwrap_or_else(|| value.to_string());
        let kind =
            c.b.js(
                "const e = arguments[0]; return e.tagName.toLowerCase() + ':' + (e.type || '');",
                vec![json!(field)],
            )
            .await;
        match kind.as_str().unwrap_or_default() {
            "select:select-one" => {
                c.b.js(
                    "const e = arguments[0]; const want = arguments[1];
                     const opt = [...e.options].find((o) => o.value === want || Number(o.value) === Number(want));
                     if (!opt) throw new Error('no option ' + want);
                     e.value = opt.value; e.dispatchEvent(new Event('change', { bubbles: true }));
                     e.dispatchEvent(new Event('input', { bubbles: true }));",
                    vec![json!(field), json!(raw)],
                )
                .await;
            }
            "input:checkbox" => {
                let checked =
                    c.b.js("return arguments[0].checked;", vec![json!(field)])
                        .await;
                if checked.as_bool() != Some(*value != 0.0) {
                    field.click().await.map_err(|e| format!("{id}: {e}"))?;
                }
            }
            _ => {
                field
                    .clear()
                    .await
                    .map_err(|e| format!("clearing {id}: {e}"))?;
                field
                    .send_keys(&raw)
                    .await
                    .map_err(|e| format!("typing into {id}: {e}"))?;
            }
        }
    }
    let got =
        c.b.wait_js(
            &format!(
                "(() => {{ const e = document.querySelector('[data-testid=\"risk-probability\"]');
                   const p = e && Number(e.dataset.probability);
                   return e && Math.abs(p - {}) <= 1e-9 ? p : false; }})()",
                expected.probability
            ),
            SHORT,
            "risk-probability to equal the core's prediction",
        )
        .await
        .map_err(|e| {
            format!(
                "{e} (core: {:.12} for line {} of the demo data)",
                expected.probability, row.line
            )
        });
    if let Err(e) = got {
        let shown = c
            .b
            .js("const e = document.querySelector('[data-testid=\"risk-probability\"]'); return e && [e.dataset.probability, e.innerText];", vec![])
            .await;
        return Err(format!("{e}; the page shows {shown}"));
    }
    let band = c.b.testid_text("risk-band").await.unwrap_or_default();
    let want = c.bundle.band_name(expected.band);
    if !band.to_lowercase().contains(&want.to_lowercase()) {
        return Err(format!("risk-band shows {band:?}, the core says {want:?}"));
    }
    c.note_requests();
    Ok(())
}

async fn step_home_link(c: &mut Ctx) -> Step {
    c.click_link("/").await?;
    c.b.wait_testid("csv-input", SHORT).await?;
    c.note_requests();
    Ok(())
}

async fn step_no_request_after_load(c: &mut Ctx) -> Step {
    c.note_requests();
    if c.requests_after_load.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "requests after the first load: {:?}",
            c.requests_after_load
        ))
    }
}

async fn step_deep_links(c: &mut Ctx) -> Step {
    for (path, marker) in PAGES {
        c.b.client
            .goto(&c.url(path))
            .await
            .map_err(|e| format!("loading {path}: {e}"))?;
        match marker {
            Some(id) => {
                c.b.wait_testid(id, LONG).await?;
            }
            None => {
                c.b.wait_js(
                    "document.querySelector('[data-testid]') !== null",
                    LONG,
                    "the app",
                )
                .await?;
            }
        }
        let at = c.b.js("return location.pathname;", vec![]).await;
        if at != json!(path) {
            return Err(format!("deep link {path} ended at {at}"));
        }
        c.has_notice(path).await?;
        let problems = c.problems().await;
        if !problems.is_empty() {
            return Err(format!("after loading {path}: {problems:?}"));
        }
    }
    c.b.network_requests();
    Ok(())
}

async fn step_ten_thousand_rows(c: &mut Ctx) -> Step {
    c.b.client
        .goto(&c.url("/"))
        .await
        .map_err(|e| e.to_string())?;
    c.b.wait_testid("csv-input", LONG).await?;
    let text = demo_csv(&c.bundle.schema, 10_000, 2024).ok_or("no demo data")?;
    let file = write_file("demo-10000.csv", &text);
    let start = Instant::now();
    c.upload(&file).await?;
    c.wait_row_count(10_000, LONG).await?;
    let loaded = start.elapsed();
    let start = Instant::now();
    c.click_link("/predict").await?;
    c.b.wait_testid("results-table", LONG).await?;
    c.b.wait_testid("download-results", LONG).await?;
    let predicted = start.elapsed();
    c.measurements.push(format!(
        "10,000 rows: upload to row count {:.0} ms; Predict link to results table {:.0} ms; total {:.0} ms (WebDriver wall clock, polling every 25 ms)",
        loaded.as_secs_f64() * 1000.0,
        predicted.as_secs_f64() * 1000.0,
        (loaded + predicted).as_secs_f64() * 1000.0
    ));
    let start = Instant::now();
    c.download_equals_cli(&file, LONG).await?;
    c.measurements.push(format!(
        "10,000 rows: download of the results CSV {:.0} ms (equal to the CLI's output)",
        start.elapsed().as_secs_f64() * 1000.0
    ));
    Ok(())
}

#[tokio::test(flavor = "current_thread")]
async fn app_in_headless_chromium_behind_nginx() {
    let dist = browser::dist();
    let csp = support::temp_dir("e2e-csp").join("sepsis-risk-csp.conf");
    support::csp_include(&dist, &csp);
    let nginx = Nginx::start(&dist, &csp);
    let driver = Chromedriver::start();
    let b = Browser::new(&driver).await;
    let bundle = ModelBundle::from_json(SEED_MODEL).expect("the seed bundle");
    let mut c = Ctx {
        b,
        nginx,
        bundle,
        measurements: Vec::new(),
        requests_after_load: Vec::new(),
        bad_file: None,
    };
    let mut failures: Vec<String> = Vec::new();
    let mut report = |name: &str, result: Step, problems: Vec<String>| {
        let mut errs: Vec<String> = result.err().into_iter().collect();
        errs.extend(problems);
        if errs.is_empty() {
            eprintln!("e2e: {name} ... ok");
        } else {
            eprintln!("e2e: {name} ... FAILED\n    {}", errs.join("\n    "));
            failures.push(format!("{name}: {}", errs.join("; ")));
        }
    };
    macro_rules! step {
        ($name:literal, $f:ident) => {{
            let r = $f(&mut c).await;
            let p = c.problems().await;
            report($name, r, p);
        }};
    }
    step!("first load", step_first_load);
    step!("upload the demo data", step_upload_demo);
    step!("upload a file with bad values", step_upload_bad_values);
    step!(
        "predict page by link, download equals the CLI",
        step_predict_and_download
    );
    step!("explore page by link, charts drawn", step_explore);
    step!("model page by link, charts, threshold slider", step_model);
    step!("bedside page by link, risk equals the core", step_bedside);
    step!("home page by link", step_home_link);
    step!(
        "no network request after the first load",
        step_no_request_after_load
    );
    step!("every page by deep-link reload", step_deep_links);
    step!("predict 10,000 rows", step_ten_thousand_rows);

    let out = support::repo().join("target/web-measurements.txt");
    let text = c.measurements.join("\n") + "\n";
    eprintln!("e2e measurements (also in {}):\n{text}", out.display());
    std::fs::create_dir_all(out.parent().unwrap()).ok();
    std::fs::write(&out, text).ok();
    drop(c); // ends the browser session, then nginx
    assert!(
        failures.is_empty(),
        "{} e2e step(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
