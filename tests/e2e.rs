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
use sepsis_risk::core::demo::{demo_csv, demo_icu_patients};
use sepsis_risk::core::files::read_files;
use sepsis_risk::core::predict::{evaluate_time_series, predict_dataset, results_csv};
use serde_json::json;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};
use support::Nginx;

const SEED_MODEL: &str = include_str!("../assets/models/seed.json");
/// The ICU model the app fetches on demand (`/models/icu.json`).
const ICU_MODEL: &str = include_str!("../assets/models/icu.json");
/// ICU demo patients uploaded as `.psv` files, and their seed.
const ICU_PATIENTS: usize = 16;
const ICU_SEED: u64 = 21;
/// App routes and the element that shows each page rendered after a full load.
const PAGES: [(&str, Option<&str>); 8] = [
    ("/", Some("csv-input")),
    ("/explore", None),
    ("/predict", None),
    ("/bedside", Some("bedside-form")),
    ("/model", Some("threshold-slider")),
    // Without data after the reload, the Recalibrate page asks for data.
    ("/recalibrate", Some("need-data")),
    // The Train page: the loaded-data trainer asks for data; the role mapping is one click away.
    ("/train", Some("need-data")),
    // Without data after the reload, the patient page asks for data (and is not a 404).
    ("/patient/demo00001", Some("need-data")),
];
const SHORT: Duration = Duration::from_secs(20);
const LONG: Duration = Duration::from_secs(180);

type Step = Result<(), String>;

struct Ctx {
    b: Browser,
    nginx: Nginx,
    /// The build nginx serves, and its CSP include.
    dist: std::path::PathBuf,
    csp: std::path::PathBuf,
    bundle: ModelBundle,
    measurements: Vec<String>,
    /// Requests seen since the first load finished (should stay empty).
    requests_after_load: Vec<String>,
    /// The file with bad values once uploaded (the download step predicts it).
    bad_file: Option<std::path::PathBuf>,
    /// The ICU bundle (parsed natively from the same file the app fetches).
    icu: ModelBundle,
    /// The uploaded ICU files, sorted by name (as the app reads them).
    icu_files: Vec<(String, Vec<u8>)>,
    /// Screenshots taken.
    screenshots: Vec<String>,
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

    /// Picks the model `key` (`seed` or `icu`) in the header's model picker.
    async fn select_model(&self, key: &str) {
        self.b
            .js(
                "const s = document.querySelector('[data-testid=\"model-picker\"]'); s.value = arguments[0];
                 s.dispatchEvent(new Event('change', { bubbles: true }));",
                vec![json!(key)],
            )
            .await;
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

    /// The last upload's User Timing measures ([`upload_measures`]).
    async fn upload_measures(&self, stages: &[&str]) -> Result<String, String> {
        upload_measures(&self.b, stages).await
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
        let model = support::repo().join("assets/models/seed.json");
        self.download_equals_cli_with(input, &model, timeout).await
    }

    /// Clicks download-results and compares the file with `sepsis-risk predict --model
    /// model` on `input`.
    async fn download_equals_cli_with(
        &self,
        input: &Path,
        model: &Path,
        timeout: Duration,
    ) -> Step {
        let button = self.b.wait_testid("download-results", timeout).await?;
        self.b.clear_downloads();
        button
            .click()
            .await
            .map_err(|e| format!("clicking download-results: {e}"))?;
        let file = self.b.wait_download(timeout).await?;
        let got = std::fs::read(&file).map_err(|e| e.to_string())?;
        let expected = cli_predict(input, model);
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

/// `sepsis-risk predict --model model` (the CLI built with these tests) on `input`, as bytes.
fn cli_predict(input: &Path, model: &Path) -> Vec<u8> {
    let out = input.with_extension("cli-results.csv");
    support::run(
        Command::new(env!("CARGO_BIN_EXE_sepsis-risk"))
            .arg("predict")
            .arg("--model")
            .arg(model)
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
    // Exactly one request is allowed: the same-origin fetch of the ICU model.
    let icu = c.url("/models/icu.json");
    let fetched = c.requests_after_load.iter().filter(|u| **u == icu).count();
    let others: Vec<&String> = c
        .requests_after_load
        .iter()
        .filter(|u| **u != icu)
        .collect();
    if fetched == 1 && others.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "requests after the first load (expected exactly one, {icu}): {:?}",
            c.requests_after_load
        ))
    }
}

/// Takes full-page screenshots of the current page at desktop and phone widths.
fn shots(c: &mut Ctx, name: &str) {
    for w in [1280, 375] {
        match c.b.screenshot(name, w) {
            Ok(p) => c.screenshots.push(p.display().to_string()),
            Err(e) => c
                .measurements
                .push(format!("screenshot {name} at {w}: {e}")),
        }
    }
}

async fn step_icu_upload(c: &mut Ctx) -> Step {
    let schema = c.icu.schema.clone();
    let patients = demo_icu_patients(&schema, ICU_PATIENTS, ICU_SEED).ok_or("no ICU demo")?;
    let dir = support::temp_dir("e2e-icu");
    let mut paths = Vec::new();
    let mut files = Vec::new();
    for p in &patients {
        let name = format!("{}.psv", p.id);
        let path = dir.join(&name);
        std::fs::write(&path, &p.psv).map_err(|e| e.to_string())?;
        paths.push(path.display().to_string());
        files.push((name, p.psv.clone().into_bytes()));
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let ds = read_files(&files, &schema, "icu").map_err(|e| e.to_string())?;
    c.click_link("/").await?;
    let input = c.b.wait_testid("csv-input", SHORT).await?;
    // Several files for one <input multiple>: newline-separated paths.
    input
        .send_keys(&paths.join("\n"))
        .await
        .map_err(|e| format!("choosing the .psv files: {e}"))?;
    c.wait_row_count(ds.rows.len() as u64, LONG).await?;
    let schema_shown = c.b.testid_text("schema-name").await.unwrap_or_default();
    if schema_shown.trim() != "icu" {
        return Err(format!(
            "schema-name shows {schema_shown:?}, expected \"icu\""
        ));
    }
    let patients_shown = c.b.testid_text("patient-count").await.unwrap_or_default();
    if first_number(&patients_shown) != Some(ICU_PATIENTS as u64) {
        return Err(format!("patient-count shows {patients_shown:?}"));
    }
    let picker =
        c.b.js(
            "return document.querySelector('[data-testid=\"model-picker\"]').value;",
            vec![],
        )
        .await;
    if picker != json!("icu") {
        return Err(format!(
            "the model picker shows {picker} after an ICU upload"
        ));
    }
    let t = c.b.js("const e = document.querySelector('[data-testid=\"score-ms\"]'); return [Number(e.dataset.ms), Number(e.dataset.msPerRow)];", vec![]).await;
    c.measurements.push(format!(
        "ICU upload ({ICU_PATIENTS} patients, {} patient-hours): scoring {:.1} ms, {:.4} ms per patient-hour (performance.now() around predict_dataset in the browser: the score stage)",
        ds.rows.len(),
        t[0].as_f64().unwrap_or(f64::NAN),
        t[1].as_f64().unwrap_or(f64::NAN)
    ));
    let stages = c
        .upload_measures(&[
            "read", "parse", "validate", "eda", "score", "results", "render",
        ])
        .await?;
    c.measurements.push(format!(
        "ICU upload ({ICU_PATIENTS} patients): User Timing measures sepsis-risk:upload-* (time in each stage; parse and validate alternate file by file): {stages}"
    ));
    c.icu_files = files;
    let fetched = c
        .b
        .js(
            "return performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/models/icu.json')).map((e) => [e.initiatorType, e.startTime, e.transferSize]);",
            vec![],
        )
        .await;
    c.measurements.push(format!(
        "ICU model fetches seen by the page (initiator, start ms, bytes): {fetched}"
    ));
    shots(c, "icu-upload");
    Ok(())
}

async fn step_icu_explore(c: &mut Ctx) -> Step {
    c.click_link("/explore").await?;
    c.b.wait_testid("icu-overview", SHORT).await?;
    c.drawn_canvases("/explore (ICU)").await?;
    shots(c, "icu-explore");
    Ok(())
}

async fn step_icu_predict_timeline(c: &mut Ctx) -> Step {
    c.click_link("/predict").await?;
    c.b.wait_testid("patient-table", SHORT).await?;
    // The download is the core's results CSV for the same files.
    let button = c.b.wait_testid("download-results", SHORT).await?;
    c.b.clear_downloads();
    button
        .click()
        .await
        .map_err(|e| format!("clicking download-results: {e}"))?;
    let file = c.b.wait_download(SHORT).await?;
    let got = std::fs::read_to_string(&file).map_err(|e| e.to_string())?;
    let ds = read_files(&c.icu_files, &c.icu.schema, "icu").map_err(|e| e.to_string())?;
    let preds = predict_dataset(&c.icu, &ds).map_err(|e| e.to_string())?;
    let expected = results_csv(&c.icu, &ds, &preds);
    if got != expected {
        let diff = got
            .lines()
            .zip(expected.lines())
            .position(|(a, b)| a != b)
            .map_or_else(
                || "lengths differ".to_string(),
                |i| format!("line {}", i + 1),
            );
        return Err(format!(
            "the ICU results CSV differs from the core's ({diff})"
        ));
    }
    // The patient-level evaluation of the labelled upload, with the split of the AUROC.
    let e = evaluate_time_series(&c.icu, &ds, &preds)
        .map_err(|e| e.to_string())?
        .ok_or("the core finds no patient-level evaluation for the labelled upload")?;
    let text = c.b.testid_text("icu-evaluation").await.unwrap_or_default();
    for v in [e.auroc_vs_non_septic, e.auroc_within_septic] {
        let v = v.ok_or("the generated upload gives no hour-ranking AUROC")?;
        if !text.contains(&format!("{v:.3}")) {
            return Err(format!("icu-evaluation does not show {v:.3}: {text:?}"));
        }
    }
    shots(c, "icu-predict");
    let id = ds.rows[0].id.clone().ok_or("no patient ID")?;
    let link =
        c.b.wait_testid(&format!("patient-link-{id}"), SHORT)
            .await?;
    link.click()
        .await
        .map_err(|e| format!("clicking patient-link-{id}: {e}"))?;
    c.b.wait_js(
        &format!("location.pathname === '/patient/{id}'"),
        SHORT,
        "the patient page URL",
    )
    .await?;
    c.b.wait_testid("patient-timeline", SHORT).await?;
    c.b.wait_testid("timeline-chart", SHORT).await?;
    c.b.wait_js(
        "(() => { const c = document.querySelector('[data-testid=\"timeline-chart\"]');
           if (!c || !c.width || !c.height) return false;
           const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
           let n = 0;
           for (let i = 0; i < d.length; i += 4)
             if (d[i + 3] > 0 && (d[i] < 235 || d[i + 1] < 235 || d[i + 2] < 235)) n++;
           return n > 500; })()",
        SHORT,
        "the timeline chart to be drawn (non-blank)",
    )
    .await?;
    c.has_notice("/patient").await?;
    shots(c, "icu-patient");
    Ok(())
}

async fn step_icu_bedside(c: &mut Ctx) -> Step {
    c.click_link("/bedside").await?;
    c.b.wait_testid("field-ICULOS", LONG).await?;
    c.has_notice("/bedside (ICU)").await?;
    let schema = c.icu.schema.clone();
    let ds = read_files(&c.icu_files, &schema, "icu").map_err(|e| e.to_string())?;
    // A patient with at least 24 hours: hour 24 is the current hour, hours 18-23 the earlier
    // hours of the vital signs.
    let mut by_patient: Vec<Vec<&sepsis_risk::core::dataset::Row>> = Vec::new();
    for r in &ds.rows {
        match by_patient.last_mut() {
            Some(v) if v[0].id == r.id => v.push(r),
            _ => by_patient.push(vec![r]),
        }
    }
    let rows = by_patient
        .iter()
        .find(|v| v.len() >= 24)
        .ok_or("no demo patient with 24 hours")?;
    let current = rows[23];
    let trends = schema.resolve_temporal().map_err(|e| e.to_string())?;
    let time = trends.time;
    let trends = trends.trends;
    let text = |v: f64| {
        if v.is_nan() {
            String::new()
        } else {
            format!("{v}")
        }
    };
    let mut typing: Vec<(String, String)> = schema
        .features
        .iter()
        .zip(&current.values)
        .map(|(col, &v)| (format!("field-{}", col.name), text(v)))
        .collect();
    let mut earlier = 0;
    for k in 1..=6 {
        for &j in &trends {
            let v = rows[23 - k].values[j];
            typing.push((format!("field-{}-h{k}", schema.features[j].name), text(v)));
            if !v.is_nan() {
                earlier = earlier.max(k);
            }
        }
    }
    // The same series natively: earlier hours first (vital signs only, ICU hour = current - k).
    let mut series: Vec<Vec<f64>> = Vec::new();
    for k in (1..=earlier).rev() {
        let mut row = vec![f64::NAN; schema.features.len()];
        for &j in &trends {
            row[j] = rows[23 - k].values[j];
        }
        row[time] = current.values[time] - k as f64;
        series.push(row);
    }
    series.push(current.values.clone());
    let refs: Vec<&[f64]> = series.iter().map(Vec::as_slice).collect();
    let expected = c.icu.explain_series(&refs).map_err(|e| e.to_string())?;
    let by_predict = c.icu.predict_series(&refs).map_err(|e| e.to_string())?;
    if (by_predict.last().unwrap().probability - expected.prediction.probability).abs() > 1e-12 {
        return Err("explain_series and predict_series disagree natively".into());
    }
    c.b.js(
        "document.querySelector('details.earlier').open = true;",
        vec![],
    )
    .await;
    for (id, value) in &typing {
        let field = c.b.wait_testid(id, SHORT).await?;
        field
            .clear()
            .await
            .map_err(|e| format!("clearing {id}: {e}"))?;
        if !value.is_empty() {
            field
                .send_keys(value)
                .await
                .map_err(|e| format!("typing into {id}: {e}"))?;
        }
    }
    let p = expected.prediction.probability;
    let got =
        c.b.wait_js(
            &format!(
                "(() => {{ const e = document.querySelector('[data-testid=\"risk-probability\"]');
                   const p = e && Number(e.dataset.probability);
                   return e && Math.abs(p - {p}) <= 1e-9 ? p : false; }})()"
            ),
            SHORT,
            "the ICU risk-probability to equal explain_series",
        )
        .await;
    if let Err(e) = got {
        let shown = c.b.js("const e = document.querySelector('[data-testid=\"risk-probability\"]'); const h = document.querySelector('[data-testid=\"hours-used\"]'); return e && [e.dataset.probability, e.innerText, h && h.innerText];", vec![]).await;
        return Err(format!(
            "{e}; core {p:.12} with {earlier} earlier hours; the page shows {shown}"
        ));
    }
    let band = c.b.testid_text("risk-band").await.unwrap_or_default();
    let want = c.icu.band_name(expected.prediction.band);
    if !band.to_lowercase().contains(&want.to_lowercase()) {
        return Err(format!("risk-band shows {band:?}, the core says {want:?}"));
    }
    let t = c.b.js("const e = document.querySelector('[data-testid=\"explain-ms\"]'); return [Number(e.dataset.ms), Number(e.dataset.hours)];", vec![]).await;
    c.measurements.push(format!(
        "ICU bedside: explain_series of {} hours in {:.2} ms (performance.now() in the browser, one evaluation)",
        t[1], t[0].as_f64().unwrap_or(f64::NAN)
    ));
    shots(c, "icu-bedside");
    Ok(())
}

async fn step_icu_model(c: &mut Ctx) -> Step {
    c.click_link("/model").await?;
    c.b.wait_testid("time-series-card", SHORT).await?;
    c.b.wait_testid("threshold-options", SHORT).await?;
    c.b.wait_testid("slider-utility", SHORT).await?;
    c.has_notice("/model (ICU)").await?;
    c.drawn_canvases("/model (ICU)").await?;
    let text =
        c.b.testid_text("time-series-card")
            .await
            .unwrap_or_default();
    if !text.contains("Utility") {
        return Err(format!("the time-series card shows no utility: {text:?}"));
    }
    // The split of the hour-level AUROC, as the bundle records it.
    let oof = &c
        .icu
        .time_series
        .as_ref()
        .ok_or("the ICU bundle has no time-series report")?
        .oof;
    let ranking = c.b.testid_text("hour-ranking").await.unwrap_or_default();
    for v in [oof.auroc_vs_non_septic, oof.auroc_within_septic] {
        let v = v.ok_or("the ICU bundle has no hour-ranking AUROCs")?;
        if !ranking.contains(&format!("{v:.3}")) {
            return Err(format!("hour-ranking does not show {v:.3}: {ranking:?}"));
        }
    }
    shots(c, "icu-model");
    // Back to the seed model for the steps that follow.
    c.select_model("seed").await;
    Ok(())
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
    let shown = c.b.testid_text("row-count").await.unwrap_or_default();
    if shown != "10,000" {
        return Err(format!("row count shown as {shown:?}, expected \"10,000\""));
    }
    let stages = c
        .upload_measures(&[
            "read", "parse", "validate", "eda", "score", "results", "render",
        ])
        .await?;
    c.measurements.push(format!(
        "10,000 rows: User Timing measures sepsis-risk:upload-* (time in each stage): {stages}"
    ));
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
    step_scroll_results(c, 10_000).await?;
    let start = Instant::now();
    c.download_equals_cli(&file, LONG).await?;
    c.measurements.push(format!(
        "10,000 rows: download of the results CSV {:.0} ms (equal to the CLI's output)",
        start.elapsed().as_secs_f64() * 1000.0
    ));
    Ok(())
}

/// The results table of `rows` rows draws only those in view: with its region scrolled to
/// the end it shows the last row, and the scroll's tasks stay short.
async fn step_scroll_results(c: &mut Ctx, rows: usize) -> Step {
    let table = "document.querySelector('[data-testid=\"results-table\"]')";
    let count =
        c.b.js(
            &format!("return {table}.getAttribute('aria-rowcount');"),
            vec![],
        )
        .await;
    if count != json!((rows + 1).to_string()) {
        return Err(format!(
            "results table aria-rowcount {count}, expected {}",
            rows + 1
        ));
    }
    let drawn = |t: &str| format!("return {t}.querySelectorAll('tbody tr:not(.spacer)').length;");
    let first = c.b.js(&drawn(table), vec![]).await.as_u64().unwrap_or(0);
    start_long_task_probe(c).await;
    let started = Instant::now();
    c.b.js(
        &format!("const r = {table}.closest('.table-scroll'); r.scrollTop = r.scrollHeight;"),
        vec![],
    )
    .await;
    let last =
        c.b.wait_js(
            &format!(
                "(() => {{ const rows = {table}.querySelectorAll('tbody tr:not(.spacer)');
                   const l = rows[rows.length - 1];
                   return l && l.getAttribute('aria-rowindex') === '{}' && rows.length; }})()",
                rows + 1
            ),
            SHORT,
            "the last results row after scrolling to the end",
        )
        .await?;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    // Half way down, the rows drawn are the middle ones, and they stay put: the row height
    // measured again and again must not move the spacers by fractions of a pixel.
    let middle = format!(
        "const r = {table}.closest('.table-scroll'); r.scrollTop = (r.scrollHeight - r.clientHeight) / 2;"
    );
    c.b.js(&middle, vec![]).await;
    let first_index = format!(
        "const row = {table}.querySelector('tbody tr:not(.spacer)'); return row && Number(row.getAttribute('aria-rowindex'));"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    let a = c.b.js(&first_index, vec![]).await.as_u64().unwrap_or(0);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let b = c.b.js(&first_index, vec![]).await.as_u64().unwrap_or(0);
    let centre = a as f64 + 20.0;
    if a != b || (centre - rows as f64 / 2.0).abs() > rows as f64 * 0.02 {
        return Err(format!(
            "half way down the results table drew from row {a}, then {b} (about {} expected, steady)",
            rows / 2
        ));
    }
    let (longest, _) = longest_task(c).await;
    if first == 0 || first > 100 || last.as_u64().unwrap_or(0) > 100 {
        return Err(format!(
            "the results table of {rows} rows drew {first} rows at the top and {last} at the end (at most 100 expected)"
        ));
    }
    if longest > 100.0 {
        return Err(format!(
            "scrolling the results made a task of {longest:.0} ms"
        ));
    }
    c.measurements.push(format!(
        "{rows} rows: the results table draws {first} rows at the top, {last} at the end; scrolled to the end in {ms:.0} ms (WebDriver), longest task {longest:.0} ms"
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
        dist: dist.clone(),
        csp: csp.clone(),
        bundle,
        measurements: Vec::new(),
        requests_after_load: Vec::new(),
        bad_file: None,
        icu: ModelBundle::from_json(ICU_MODEL).expect("the ICU bundle"),
        icu_files: Vec::new(),
        screenshots: Vec::new(),
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
    // E2E_ONLY=a,b runs only the steps whose names contain one of these words (for work on
    // one page; the test command runs every step).
    let only: Vec<String> = std::env::var("E2E_ONLY")
        .map(|v| v.split(',').map(str::to_string).collect())
        .unwrap_or_default();
    macro_rules! step {
        ($name:literal, $f:ident) => {{
            if only.is_empty() || only.iter().any(|w| $name.contains(w.as_str())) {
                let r = $f(&mut c).await;
                let p = c.problems().await;
                report($name, r, p);
            } else {
                eprintln!("e2e: {} ... skipped (E2E_ONLY)", $name);
            }
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
    step!(
        "ICU: upload .psv files, schema icu, ICU model loaded",
        step_icu_upload
    );
    step!("ICU: explore overview, charts drawn", step_icu_explore);
    step!(
        "ICU: download equals the core, patient timeline drawn",
        step_icu_predict_timeline
    );
    step!("ICU: bedside risk equals explain_series", step_icu_bedside);
    step!(
        "ICU: model card, threshold options, utility",
        step_icu_model
    );
    step!("home page by link", step_home_link);
    step!(
        "no network request after the first load",
        step_no_request_after_load
    );
    step!("every page by deep-link reload", step_deep_links);
    step!("predict 10,000 rows", step_ten_thousand_rows);
    step!(
        "bad input of every class: named in the page, next upload works",
        step_bad_inputs
    );
    step!(
        "a corrupt model file is named in the page, which stays usable",
        step_corrupt_model
    );
    step!(
        "own models: download, import, predict = CLI, kept across reloads, bad file named, removed",
        step_own_models
    );
    step!(
        "recalibrate in the page: the same bundle as `sepsis-risk recalibrate`, kept, shown",
        step_recalibrate_in_page
    );
    step!(
        "ICU: a picked folder of stays, recalibrated in the page = `sepsis-risk recalibrate --data folder`",
        step_icu_recalibrate_folder
    );
    step!(
        "train in the page: the same bundle as `sepsis-risk train`, compared on the held-out part, kept",
        step_train_in_page
    );
    step!(
        "train: progress, Cancel ends the worker, the next run works",
        step_train_cancel
    );
    step!(
        "train with a role mapping: roles.json exported, the same bundle as `train --roles`",
        step_train_roles
    );
    step!(
        "offline: works with nginx stopped; a new deployment offers a reload",
        step_offline_and_update
    );

    c.measurements
        .push(format!("screenshots: {}", c.screenshots.join(", ")));
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

/// Uploads `bytes` as `name` and waits until the page shows that file: its load error (the
/// error banner naming it) or its summary (`file-name`). Returns the text shown.
async fn upload_and_wait(c: &Ctx, name: &str, bytes: &[u8]) -> Result<String, String> {
    let dir = support::temp_dir("e2e-bad");
    let path = dir.join(name);
    std::fs::write(&path, bytes).map_err(|e| e.to_string())?;
    c.upload(&path).await?;
    let shown =
        c.b.wait_js(
            &format!(
                "(() => {{ const b = document.querySelector('[data-testid=\"error-banner\"]');
                   if (b && b.innerText.includes({n})) return 'error: ' + b.innerText;
                   const f = document.querySelector('[data-testid=\"file-name\"]');
                   const s = document.querySelector('[data-testid=\"loaded-summary\"]');
                   if (f && f.innerText.trim() === {n} && s) return 'loaded: ' + s.innerText;
                   return null; }})()",
                n = json!(name)
            ),
            LONG,
            &format!("the page to show {name}"),
        )
        .await?;
    Ok(shown.as_str().unwrap_or_default().to_string())
}

/// Each class of bad input the CLI reports, uploaded one after the other in one page: a
/// message naming the file (and row and column where there is one), and the page usable
/// for the next upload (a good file at the end loads and scores).
async fn step_bad_inputs(c: &mut Ctx) -> Step {
    c.b.client
        .goto(&c.url("/"))
        .await
        .map_err(|e| e.to_string())?;
    c.b.wait_testid("csv-input", LONG).await?;
    let header = "PRG,PL,PR,SK,TS,M11,BD2,Age,Insurance";
    let row = "1,150,70,20,0,30,0.5,40,1";
    let mut utf16 = vec![0xFF, 0xFE];
    for u in format!("{header}\n{row}\n").encode_utf16() {
        utf16.extend(u.to_le_bytes());
    }
    let cases: Vec<(&str, Vec<u8>, &[&str])> = vec![
        ("empty.csv", vec![], &["error:", "empty.csv", "empty"]),
        (
            "header-only.csv",
            format!("{header}\n").into_bytes(),
            &[
                "loaded:",
                "header-only.csv: the file has a header but no rows of data",
            ],
        ),
        (
            "mixed-delimiters.csv",
            format!("{header}\n{}\n", row.replace(',', ";")).into_bytes(),
            &["loaded:", "the row has 1 field, the header has 9"],
        ),
        (
            "unknown-columns.csv",
            b"a,b,c\n1,2,3\n".to_vec(),
            &[
                "error:",
                "unknown-columns.csv",
                "PRG, PL, PR",
                "Columns found: a, b, c",
            ],
        ),
        (
            "missing-column.csv",
            b"PRG,PR,SK,TS,M11,BD2,Age\n1,2,3,4,5,6,7\n".to_vec(),
            &["error:", "missing-column.csv", "missing required column PL"],
        ),
        (
            "binary.csv",
            (0u8..=255).cycle().take(3000).collect(),
            &["error:", "binary.csv", "not text"],
        ),
        (
            "utf16.csv",
            utf16,
            &["error:", "utf16.csv", "UTF-16", "CSV UTF-8"],
        ),
        (
            "ragged.csv",
            format!("{header}\n{row}\n1,150,70\n{row},9,9\n").into_bytes(),
            &[
                "loaded:",
                "the row has 3 fields, the header has 9",
                "the row has 11 fields, the header has 9",
            ],
        ),
        (
            "absurd.csv",
            format!("{header}\n1,1e309,70,20,0,30,0.5,500,1\n-3,150,-70,20,0,30,0.5,40,1\n")
                .into_bytes(),
            &[
                "loaded:",
                "1e309",
                "out of range",
                "500",
                "plausible range",
                "-70",
            ],
        ),
    ];
    for (name, bytes, needles) in &cases {
        let shown = upload_and_wait(c, name, bytes).await?;
        // Row-level problems are in the issues table, with line and column.
        let issues = c.b.testid_text("issues-table").await.unwrap_or_default();
        let all = format!("{shown}\n{issues}");
        for n in *needles {
            if !all.contains(n) {
                return Err(format!("{name}: the page does not show {n:?}:\n{all}"));
            }
        }
        if ["ragged.csv", "absurd.csv"].contains(name) {
            for col in ["Row (line)", "Column"] {
                if !issues.contains(col) {
                    return Err(format!("{name}: the issues table has no {col}:\n{issues}"));
                }
            }
        }
    }
    let issues = c.b.testid_text("issues-table").await.unwrap_or_default();
    for (line, column) in [("2", "PL"), ("2", "Age"), ("3", "PR")] {
        if !issues
            .lines()
            .any(|l| l.split('\t').any(|f| f.trim() == line) && l.contains(column))
        {
            return Err(format!(
                "absurd.csv: no issue row with line {line} and column {column}:\n{issues}"
            ));
        }
    }
    // Still usable: a good file loads and is scored.
    let good = demo_csv(&c.bundle.schema, 30, 3).ok_or("no demo data")?;
    upload_and_wait(c, "good-after-bad.csv", good.as_bytes()).await?;
    c.wait_row_count(30, SHORT).await?;
    if c.b.testid_text("error-banner").await.is_some() {
        return Err("an error banner is still shown after a good upload".into());
    }
    c.b.wait_testid("scorable-count", SHORT).await?;
    shots(c, "bad-input");
    Ok(())
}

/// A copy of the served build in a new directory (for variants: a corrupt model, a new
/// deployment), without `sw.js.gz` (nginx would send that stale copy).
fn copy_dist(from: &Path, name: &str) -> Result<std::path::PathBuf, String> {
    let to = support::temp_dir(name).join("dist");
    support::run(Command::new("cp").arg("-a").arg(from).arg(&to));
    let _ = std::fs::remove_file(to.join("sw.js.gz"));
    Ok(to)
}

/// The served build with a truncated ICU model, on another origin: choosing the ICU model
/// shows why it failed, naming the file; the seed model still works.
async fn step_corrupt_model(c: &mut Ctx) -> Step {
    let dist = copy_dist(&c.dist, "e2e-corrupt")?;
    let model = dist.join("models/icu.json");
    let text = std::fs::read_to_string(&model).map_err(|e| e.to_string())?;
    std::fs::write(&model, &text[..text.len() / 2]).map_err(|e| e.to_string())?;
    let _ = std::fs::remove_file(dist.join("models/icu.json.gz"));
    let other = Nginx::start(&dist, &c.csp);
    c.b.client
        .goto(&other.url("/"))
        .await
        .map_err(|e| e.to_string())?;
    c.b.wait_testid("csv-input", LONG).await?;
    c.select_model("icu").await;
    c.b.wait_js(
        "document.querySelector('[data-testid=\"model-status\"]').dataset.state === 'failed'",
        LONG,
        "the model status to say the ICU model failed",
    )
    .await?;
    let status = c.b.testid_text("model-status").await.unwrap_or_default();
    for n in ["/models/icu.json", "could not be loaded", "line 1"] {
        if !status.contains(n) {
            return Err(format!("model-status does not say {n:?}: {status:?}"));
        }
    }
    // The page stays usable: back to the seed model, an upload loads.
    c.select_model("seed").await;
    let good = demo_csv(&c.bundle.schema, 20, 4).ok_or("no demo data")?;
    upload_and_wait(c, "after-corrupt-model.csv", good.as_bytes()).await?;
    c.wait_row_count(20, SHORT).await?;
    drop(other);
    c.b.client
        .goto(&c.url("/"))
        .await
        .map_err(|e| e.to_string())?;
    c.b.wait_testid("csv-input", LONG).await?;
    Ok(())
}

/// The value of the header's model picker.
async fn picker_value(c: &Ctx) -> String {
    c.b.js(
        "return document.querySelector('[data-testid=\"model-picker\"]').value;",
        vec![],
    )
    .await
    .as_str()
    .unwrap_or_default()
    .to_string()
}

/// Whether the model picker offers `key`.
async fn picker_has(c: &Ctx, key: &str) -> bool {
    c.b.js(
        "return [...document.querySelectorAll('[data-testid=\"model-picker\"] option')].some((o) => o.value === arguments[0]);",
        vec![json!(key)],
    )
    .await
        == json!(true)
}

/// Labelled demo data (`rows` rows, `seed`) written as `dir/name`, and the seed model
/// recalibrated on it by `sepsis-risk recalibrate` with `options`: (data path, bundle path).
fn cli_recalibrated(
    c: &Ctx,
    dir: &str,
    name: &str,
    (rows, seed): (usize, u64),
    options: &[&str],
) -> Result<(std::path::PathBuf, std::path::PathBuf), String> {
    let dir = support::temp_dir(dir);
    let local = dir.join(name);
    std::fs::write(
        &local,
        demo_csv(&c.bundle.schema, rows, seed).ok_or("no demo data")?,
    )
    .map_err(|e| e.to_string())?;
    let out = dir.join("recalibrated.json");
    support::run(
        Command::new(env!("CARGO_BIN_EXE_sepsis-risk"))
            .arg("recalibrate")
            .arg("--model")
            .arg(support::repo().join("assets/models/seed.json"))
            .arg("--data")
            .arg(&local)
            .args(options)
            .arg("--out")
            .arg(&out),
    );
    Ok((local, out))
}

/// The last upload's User Timing measures (`sepsis-risk:upload-<stage>`), once the page
/// shows its times by stage: every stage in `stages` must be there, in order, each busy
/// for no longer than its span. Returns `"read 12.0 ms, parse 40.1 ms, ..."` (busy time).
async fn upload_measures(b: &Browser, stages: &[&str]) -> Result<String, String> {
    b
        .wait_js(
            "(() => { const e = document.querySelector('[data-testid=\"upload-times\"]'); return !!e && e.textContent.includes('render'); })()",
            LONG,
            "the upload's times by stage",
        )
        .await?;
    let got = b
        .js(
            "const last = {};
             for (const m of performance.getEntriesByType('measure')) {
               if (m.name.startsWith('sepsis-risk:upload-')) last[m.name.slice(19)] = [m.startTime, m.duration, m.detail && m.detail.busy_ms];
             }
             return last;",
            vec![],
        )
        .await;
    let mut out = Vec::new();
    let mut previous_start = f64::NEG_INFINITY;
    for stage in stages {
        let m = got
            .get(stage)
            .and_then(|v| v.as_array())
            .ok_or_else(|| format!("no measure sepsis-risk:upload-{stage} (got {got})"))?;
        let (start, duration, busy) = (
            m[0].as_f64().unwrap_or(f64::NAN),
            m[1].as_f64().unwrap_or(f64::NAN),
            m[2].as_f64().unwrap_or(f64::NAN),
        );
        if !(start >= previous_start && busy >= 0.0 && busy <= duration + 0.01) {
            return Err(format!(
                "measure sepsis-risk:upload-{stage}: start {start}, duration {duration}, busy {busy} (after a start at {previous_start})"
            ));
        }
        previous_start = start;
        out.push(format!("{stage} {busy:.1} ms"));
    }
    Ok(out.join(", "))
}

/// Starts recording the page's long tasks (over 50 ms, PerformanceObserver `longtask`) into
/// `window.__longTasks`, for [`longest_task`].
async fn start_long_task_probe(c: &Ctx) {
    start_probe(&c.b).await;
}

/// [`start_long_task_probe`] for a bare browser (the benchmarks).
async fn start_probe(b: &Browser) {
    b.js(
        "window.__longTasks = [];
         if (window.__longTaskObserver) window.__longTaskObserver.disconnect();
         window.__longTaskObserver = new PerformanceObserver(list => {
           for (const e of list.getEntries()) window.__longTasks.push(e.duration);
         });
         window.__longTaskObserver.observe({ type: 'longtask' });",
        vec![],
    )
    .await;
}

/// The longest main-thread task since [`start_long_task_probe`], in ms (0 when none was over
/// 50 ms), and the number of long tasks.
async fn longest_task(c: &Ctx) -> (f64, usize) {
    let v =
        c.b.js(
            "const t = window.__longTasks || []; return [Math.max(0, ...t), t.length];",
            vec![],
        )
        .await;
    (
        v[0].as_f64().unwrap_or(f64::NAN),
        v[1].as_u64().unwrap_or(0) as usize,
    )
}

/// Clicks the button `run` with the long-task probe on, waits for the element `result`
/// (`data-ms`: the job's time), records "`job` in the page (`what`): ... ms" (with `digits`
/// decimals) and the page's longest task meanwhile, which must stay within 100 ms.
async fn job_result(
    c: &mut Ctx,
    (run, result): (&str, &str),
    job: &str,
    what: &str,
    digits: usize,
) -> Step {
    start_long_task_probe(c).await;
    let button = c.b.wait_testid(run, SHORT).await?;
    button.click().await.map_err(|e| e.to_string())?;
    c.b.wait_testid(result, LONG).await?;
    let ms =
        c.b.js(
            "return document.querySelector(`[data-testid=\"${arguments[0]}\"]`).dataset.ms;",
            vec![json!(result)],
        )
        .await;
    let (longest, count) = longest_task(c).await;
    c.measurements.push(format!(
        "{job} in the page ({what}): {:.digits$} ms in the worker (reading the files included); \
         page's longest task meanwhile {longest:.0} ms ({count} over 50 ms)",
        ms.as_str()
            .and_then(|m| m.parse::<f64>().ok())
            .unwrap_or(f64::NAN)
    ));
    if longest > 100.0 {
        return Err(format!(
            "a main-thread task of {longest:.0} ms during the {job} job (limit 100 ms)"
        ));
    }
    Ok(())
}

/// Clicks "Recalibrate" with the long-task probe on, waits for the result (run in the Web
/// Worker), records the worker's time and the page's longest task (`what` describing the run)
/// and checks that the before/after table shows each of `rows`.
async fn recalibration_result(c: &mut Ctx, what: &str, rows: &[&str]) -> Step {
    job_result(
        c,
        ("run-recalibration", "recalibrate-result"),
        "recalibrate",
        what,
        1,
    )
    .await?;
    let table =
        c.b.testid_text("recalibration-table")
            .await
            .unwrap_or_default();
    for n in rows {
        if !table.contains(n) {
            return Err(format!("recalibration-table lacks {n:?}: {table:?}"));
        }
    }
    Ok(())
}

/// Ok when `got` and `expected` are the same bytes, else where they first differ.
fn same_bytes(what: &str, got: &[u8], other: &str, expected: &[u8]) -> Step {
    if got == expected {
        return Ok(());
    }
    let (g, e) = (
        String::from_utf8_lossy(got),
        String::from_utf8_lossy(expected),
    );
    let at = g
        .bytes()
        .zip(e.bytes())
        .position(|(a, b)| a != b)
        .unwrap_or(g.len().min(e.len()));
    let from = at.saturating_sub(80);
    let cut = |t: &str| {
        t.get(from..(at + 80).min(t.len()))
            .unwrap_or_default()
            .to_string()
    };
    Err(format!(
        "{what} ({} bytes) differs from {other} ({} bytes) at byte {at}:\n page: {}\n cli:  {}",
        got.len(),
        expected.len(),
        cut(&g),
        cut(&e)
    ))
}

/// Clicks "Download this model" and returns the file's bytes.
async fn download_model(c: &Ctx) -> Result<Vec<u8>, String> {
    let button = c.b.wait_testid("download-model", SHORT).await?;
    c.b.clear_downloads();
    button.click().await.map_err(|e| e.to_string())?;
    let file = c.b.wait_download(SHORT).await?;
    std::fs::read(&file).map_err(|e| e.to_string())
}

/// The user's own models: the shipped model downloads as its file; a model recalibrated by the
/// CLI is imported, joins the picker, scores an upload exactly as `sepsis-risk predict` with
/// it, and is still there after a reload (IndexedDB); a bad model file is named with its
/// problem; a removed model is gone, also after a reload.
async fn step_own_models(c: &mut Ctx) -> Step {
    c.b.client
        .goto(&c.url("/model"))
        .await
        .map_err(|e| e.to_string())?;
    c.b.wait_testid("model-library", LONG).await?;
    c.b.wait_testid("no-own-models", SHORT).await?;
    // The shipped model, byte for byte.
    let got = download_model(c).await?;
    if got != SEED_MODEL.as_bytes() {
        return Err(format!(
            "the downloaded seed model ({} bytes) differs from assets/models/seed.json ({} bytes)",
            got.len(),
            SEED_MODEL.len()
        ));
    }
    // A model recalibrated by the CLI on local labelled data.
    let (_, recal) = cli_recalibrated(
        c,
        "e2e-own-models",
        "local-labelled.csv",
        (400, 31),
        &["--method", "isotonic"],
    )?;
    let recal_json = std::fs::read_to_string(&recal).map_err(|e| e.to_string())?;
    let key = format!(
        "local:{}",
        &sepsis_risk::core::train::sha256_hex(recal_json.as_bytes())[..16]
    );
    let input = c.b.wait_testid("model-import", SHORT).await?;
    input
        .send_keys(&recal.display().to_string())
        .await
        .map_err(|e| format!("choosing {} in model-import: {e}", recal.display()))?;
    c.b.wait_js(
        &format!(
            "document.querySelector('[data-testid=\"model-picker\"]').value === {}",
            json!(key)
        ),
        SHORT,
        "the imported model to be selected in the picker",
    )
    .await?;
    let note =
        c.b.testid_text("model-import-note")
            .await
            .unwrap_or_default();
    if !note.contains("Added") || !note.contains("recalibrated.json") {
        return Err(format!("model-import-note: {note:?}"));
    }
    let title =
        c.b.js("return document.querySelector('h1').innerText;", vec![])
            .await;
    if !title.as_str().unwrap_or_default().contains("recalibrated") {
        return Err(format!(
            "the model page shows {title} for the imported model"
        ));
    }
    // Predictions with it equal the CLI's with it.
    let dir = support::temp_dir("e2e-own-models-data");
    let data = dir.join("to-score.csv");
    std::fs::write(
        &data,
        demo_csv(&c.bundle.schema, 120, 32).ok_or("no demo data")?,
    )
    .map_err(|e| e.to_string())?;
    c.click_link("/").await?;
    c.upload(&data).await?;
    c.wait_row_count(120, LONG).await?;
    if picker_value(c).await != key {
        return Err("the upload did not keep the imported model, which reads its format".into());
    }
    let shown = c.b.testid_text("data-model").await.unwrap_or_default();
    if !shown.contains("imported: recalibrated.json") {
        return Err(format!("data-model shows {shown:?}"));
    }
    c.click_link("/predict").await?;
    c.download_equals_cli_with(&data, &recal, LONG).await?;
    // Kept across a reload.
    c.b.client
        .goto(&c.url("/model"))
        .await
        .map_err(|e| e.to_string())?;
    c.b.wait_testid("own-models", LONG).await?;
    if !picker_has(c, &key).await {
        return Err("after a reload the imported model is not in the picker".into());
    }
    shots(c, "own-models");
    // A bad model file: named, with its problem; nothing else changes.
    let bad = dir.join("bad-threshold.json");
    let start = SEED_MODEL.find("\"threshold\":").ok_or("no threshold")? + 12;
    let end = start + SEED_MODEL[start..].find(',').ok_or("no comma")?;
    std::fs::write(
        &bad,
        format!("{}1.5{}", &SEED_MODEL[..start], &SEED_MODEL[end..]),
    )
    .map_err(|e| e.to_string())?;
    let input = c.b.wait_testid("model-import", SHORT).await?;
    input
        .send_keys(&bad.display().to_string())
        .await
        .map_err(|e| e.to_string())?;
    c.b.wait_testid("model-import-error", SHORT).await?;
    let error =
        c.b.testid_text("model-import-error")
            .await
            .unwrap_or_default();
    for n in ["bad-threshold.json", "threshold 1.5 is outside [0, 1]"] {
        if !error.contains(n) {
            return Err(format!("model-import-error does not say {n:?}: {error:?}"));
        }
    }
    // Removed: gone from the picker, also after a reload.
    c.select_model(&key).await;
    let remove = c.b.wait_testid("remove-model", SHORT).await?;
    remove.click().await.map_err(|e| e.to_string())?;
    c.b.wait_testid("no-own-models", SHORT).await?;
    if picker_has(c, &key).await || picker_value(c).await != "seed" {
        return Err("the removed model is still offered, or the seed model is not selected".into());
    }
    c.b.client
        .goto(&c.url("/model"))
        .await
        .map_err(|e| e.to_string())?;
    c.b.wait_testid("no-own-models", LONG).await?;
    if picker_has(c, &key).await {
        return Err("after a reload the removed model is back".into());
    }
    Ok(())
}

/// Recalibration in the page: labelled data uploaded, the seed model recalibrated with
/// isotonic regression over 4 folds with seed 9; the downloaded bundle is byte for byte the
/// CLI's for the same file and options; kept, it joins the picker and its model card shows the
/// before/after record.
async fn step_recalibrate_in_page(c: &mut Ctx) -> Step {
    let (local, cli_out) = cli_recalibrated(
        c,
        "e2e-recalibrate",
        "hospital-b-labelled.csv",
        (500, 41),
        &["--method", "isotonic", "--folds", "4", "--seed", "9"],
    )?;
    let expected = std::fs::read(&cli_out).map_err(|e| e.to_string())?;
    c.b.client
        .goto(&c.url("/"))
        .await
        .map_err(|e| e.to_string())?;
    c.b.wait_testid("csv-input", LONG).await?;
    c.select_model("seed").await;
    c.upload(&local).await?;
    c.wait_row_count(500, LONG).await?;
    c.click_link("/recalibrate").await?;
    c.b.wait_testid("recalibrate-form", SHORT).await?;
    c.b.js(
        "const set = (id, v, ev) => { const e = document.querySelector(`[data-testid=\"${id}\"]`);
           e.value = v; e.dispatchEvent(new Event(ev, { bubbles: true })); };
         set('recal-method', 'isotonic', 'change');
         set('recal-folds', '4', 'input');
         set('recal-seed', '9', 'input');",
        vec![],
    )
    .await;
    // A bad field is named, nothing runs.
    c.b.js(
        "const e = document.querySelector('[data-testid=\"recal-target\"]'); e.value = '2';
         e.dispatchEvent(new Event('input', { bubbles: true }));
         document.querySelector('[data-testid=\"run-recalibration\"]').click();",
        vec![],
    )
    .await;
    c.b.wait_testid("recalibrate-error", SHORT).await?;
    let error =
        c.b.testid_text("recalibrate-error")
            .await
            .unwrap_or_default();
    if !error.contains("Target sensitivity") {
        return Err(format!("recalibrate-error: {error:?}"));
    }
    c.b.js(
        "const e = document.querySelector('[data-testid=\"recal-target\"]'); e.value = '';
         e.dispatchEvent(new Event('input', { bubbles: true }));",
        vec![],
    )
    .await;
    recalibration_result(
        c,
        "seed model, 500 rows, isotonic, 4 folds",
        &["ECE", "Brier score", "sensitivity", "PPV"],
    )
    .await?;
    c.drawn_canvases("/recalibrate").await?;
    shots(c, "recalibrate");
    let got = download_model(c).await?;
    same_bytes(
        "the page's recalibrated bundle",
        &got,
        "the CLI's",
        &expected,
    )?;
    // Kept: selected in the picker; the Model page shows the record.
    let keep = c.b.wait_testid("keep-recalibrated", SHORT).await?;
    keep.click().await.map_err(|e| e.to_string())?;
    let key = format!(
        "local:{}",
        &sepsis_risk::core::train::sha256_hex(&expected)[..16]
    );
    c.b.wait_js(
        &format!(
            "document.querySelector('[data-testid=\"model-picker\"]').value === {}",
            json!(key)
        ),
        SHORT,
        "the kept model to be selected",
    )
    .await?;
    c.click_link("/model").await?;
    c.b.wait_testid("recalibration-summary", SHORT).await?;
    let summary =
        c.b.testid_text("recalibration-summary")
            .await
            .unwrap_or_default();
    for n in [
        "isotonic regression",
        "4 folds",
        "hospital-b-labelled.csv",
        "500 rows read",
    ] {
        if !summary.contains(n) {
            return Err(format!("recalibration-summary lacks {n:?}: {summary:?}"));
        }
    }
    c.has_notice("/model (recalibrated)").await?;
    // Leave the library empty for the next steps.
    let remove = c.b.wait_testid("remove-model", SHORT).await?;
    remove.click().await.map_err(|e| e.to_string())?;
    c.b.wait_testid("no-own-models", SHORT).await?;
    Ok(())
}

/// The Train page's quick options (logistic regression and gradient boosting, 2 random draws
/// each, 3 folds, seed 9), and the same as `sepsis-risk train` options.
const QUICK_TRAIN_JS: &str =
    "const set = (id, v, ev) => { const e = document.querySelector(`[data-testid=\"${id}\"]`);
       e.value = v; e.dispatchEvent(new Event(ev, { bubbles: true })); };
     const forest = document.querySelector('[data-testid=\"train-family-forest\"]');
     if (forest.checked) forest.click();
     set('train-search', 'random', 'change');
     set('train-draws', '2', 'input');
     set('train-folds', '3', 'input');
     set('train-seed', '9', 'input');";
const QUICK_TRAIN_CLI: [&str; 10] = [
    "--families",
    "logistic,boosting",
    "--search",
    "random",
    "--n-iter",
    "2",
    "--folds",
    "3",
    "--seed",
    "9",
];

/// `sepsis-risk train` with `args`, writing `out`; its bytes.
fn cli_train(args: &[&std::ffi::OsStr], out: &Path) -> Result<Vec<u8>, String> {
    support::run(
        Command::new(env!("CARGO_BIN_EXE_sepsis-risk"))
            .arg("train")
            .args(args)
            .args(QUICK_TRAIN_CLI)
            .arg("--out")
            .arg(out),
    );
    std::fs::read(out).map_err(|e| format!("{}: {e}", out.display()))
}

/// Clicks "Train" with the long-task probe on, waits for the result (trained in the Web
/// Worker) and records the worker's time and the page's longest task.
async fn training_result(c: &mut Ctx, what: &str) -> Step {
    job_result(c, ("run-training", "train-result"), "train", what, 0).await
}

/// Trains on an uploaded seed-format file in the page: byte for byte the bundle of
/// `sepsis-risk train` with the same options; compared with the shipped model on the held-out
/// part; kept, it is selected and has its Model page.
async fn step_train_in_page(c: &mut Ctx) -> Step {
    let dir = support::temp_dir("e2e-train");
    let local = dir.join("hospital-b-train.csv");
    std::fs::write(
        &local,
        demo_csv(&c.bundle.schema, 400, 23).ok_or("no demo data")?,
    )
    .map_err(|e| e.to_string())?;
    let expected = cli_train(
        &[
            "--schema".as_ref(),
            "seed".as_ref(),
            "--data".as_ref(),
            local.as_os_str(),
        ],
        &dir.join("trained.json"),
    )?;
    c.b.client
        .goto(&c.url("/"))
        .await
        .map_err(|e| e.to_string())?;
    c.b.wait_testid("csv-input", LONG).await?;
    c.select_model("seed").await;
    c.upload(&local).await?;
    c.wait_row_count(400, LONG).await?;
    c.click_link("/train").await?;
    c.b.wait_testid("train-loaded", SHORT).await?;
    c.b.wait_testid("run-training", SHORT).await?;
    c.b.js(QUICK_TRAIN_JS, vec![]).await;
    training_result(
        c,
        "seed format, 400 rows, logistic + boosting, 2 random draws, 3 folds",
    )
    .await?;
    let table = c.b.testid_text("held-out-table").await.unwrap_or_default();
    for n in ["ROC AUC", "sensitivity", "ECE"] {
        if !table.contains(n) {
            return Err(format!("held-out-table lacks {n:?}: {table:?}"));
        }
    }
    shots(c, "train");
    let got = download_model(c).await?;
    same_bytes("the page's trained bundle", &got, "the CLI's", &expected)?;
    let keep = c.b.wait_testid("keep-trained", SHORT).await?;
    keep.click().await.map_err(|e| e.to_string())?;
    let key = format!(
        "local:{}",
        &sepsis_risk::core::train::sha256_hex(&expected)[..16]
    );
    c.b.wait_js(
        &format!(
            "document.querySelector('[data-testid=\"model-picker\"]').value === {}",
            json!(key)
        ),
        SHORT,
        "the trained model to be selected",
    )
    .await?;
    c.click_link("/model").await?;
    c.b.wait_testid("threshold-slider", SHORT).await?;
    c.drawn_canvases("/model (trained here)").await?;
    let remove = c.b.wait_testid("remove-model", SHORT).await?;
    remove.click().await.map_err(|e| e.to_string())?;
    c.b.wait_testid("no-own-models", SHORT).await?;
    Ok(())
}

/// A long training (the full default search on 3,000 rows) shows its progress (stage, steps,
/// percent, time left) and stops at Cancel: the workers end at once, nothing arrives later,
/// and the next runs work: with one worker and with the families searched in two workers, the
/// same bundle (and the speed-up is recorded).
async fn step_train_cancel(c: &mut Ctx) -> Step {
    let dir = support::temp_dir("e2e-train-cancel");
    let local = dir.join("big.csv");
    std::fs::write(
        &local,
        demo_csv(&c.bundle.schema, 3000, 5).ok_or("no demo data")?,
    )
    .map_err(|e| e.to_string())?;
    c.b.client
        .goto(&c.url("/"))
        .await
        .map_err(|e| e.to_string())?;
    c.b.wait_testid("csv-input", LONG).await?;
    c.select_model("seed").await;
    c.upload(&local).await?;
    c.wait_row_count(3000, LONG).await?;
    c.click_link("/train").await?;
    start_long_task_probe(c).await;
    let run = c.b.wait_testid("run-training", SHORT).await?;
    run.click().await.map_err(|e| e.to_string())?;
    c.b.wait_js(
        "(() => { const s = document.querySelector('[data-testid=\"job-status\"]');
         return !!s && s.textContent.includes('searching') && s.textContent.includes('%'); })()",
        SHORT,
        "the search's progress",
    )
    .await?;
    tokio::time::sleep(Duration::from_millis(700)).await;
    let status = c.b.testid_text("job-status").await.unwrap_or_default();
    let t =
        c.b.js(
            "const t0 = performance.now();
             document.querySelector('[data-testid=\"cancel-job\"]').click();
             return [t0, performance.now()];",
            vec![],
        )
        .await;
    let click_ms = t[1].as_f64().unwrap_or(f64::NAN) - t[0].as_f64().unwrap_or(f64::NAN);
    c.b.wait_testid("job-cancelled", SHORT).await?;
    let note = c.b.testid_text("job-cancelled").await.unwrap_or_default();
    if !note.starts_with("Cancelled after") {
        return Err(format!("job-cancelled: {note:?}"));
    }
    // Nothing arrives from the ended worker.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let late =
        c.b.js(
            "return !!document.querySelector('[data-testid=\"train-result\"]')
               || !!document.querySelector('[data-testid=\"job-progress\"]');",
            vec![],
        )
        .await;
    if late.as_bool() != Some(false) {
        return Err("a result or a progress bar after Cancel".into());
    }
    let (longest, count) = longest_task(c).await;
    c.measurements.push(format!(
        "train cancel (full default search, 3000 rows): progress before Cancel {status:?}; \
         Cancel's click handler {click_ms:.1} ms (the worker is ended inside it); page's note {note:?}; \
         page's longest task while training {longest:.0} ms ({count} over 50 ms)"
    ));
    if longest > 100.0 {
        return Err(format!(
            "a main-thread task of {longest:.0} ms during training (limit 100 ms)"
        ));
    }
    // The next runs work: the full default search with one worker, then with the families
    // searched in two workers at once: the same bundle, and the speed-up.
    let mut runs = Vec::new();
    for workers in ["1", "2"] {
        c.b.js(
            "const e = document.querySelector('[data-testid=\"train-workers\"]');
             e.value = arguments[0]; e.dispatchEvent(new Event('input', { bubbles: true }));",
            vec![json!(workers)],
        )
        .await;
        let run = c.b.wait_testid("run-training", SHORT).await?;
        let start = Instant::now();
        run.click().await.map_err(|e| e.to_string())?;
        c.b.wait_testid("train-result", LONG).await?;
        let wall = start.elapsed().as_secs_f64();
        runs.push((workers, wall, download_model(c).await?));
    }
    same_bytes(
        "the bundle trained with 2 workers",
        &runs[1].2,
        "the one with 1 worker",
        &runs[0].2,
    )?;
    c.measurements.push(format!(
        "train with families in parallel workers (full default search, 3000 rows, navigator.hardwareConcurrency {}): \
         1 worker {:.1} s, 2 workers {:.1} s, speed-up {:.2}; the same bundle",
        c.b.js("return navigator.hardwareConcurrency;", vec![]).await,
        runs[0].1,
        runs[1].1,
        runs[0].1 / runs[1].1
    ));
    Ok(())
}

/// Data in another format (semicolon CSV, text label, categorical ward, -1 for a lactate not
/// measured): the page's role mapping exports roles.json; trained in the page, the bundle is
/// byte for byte that of `sepsis-risk train --roles roles.json` on the same file.
async fn step_train_roles(c: &mut Ctx) -> Step {
    let dir = support::temp_dir("e2e-train-roles");
    let local = dir.join("wards.csv");
    let mut text = String::from("pid;age;lactate;ward;outcome\n");
    for i in 0..300usize {
        let sick = (i * 7919) % 10 < 3;
        let lactate = if i % 13 == 0 {
            "-1".to_string()
        } else {
            format!(
                "{:.1}",
                if sick { 3.0 } else { 1.3 } + ((i * 31) % 17) as f64 * 0.15
            )
        };
        text.push_str(&format!(
            "w{i:04};{};{lactate};{};{}\n",
            30 + (i * 37) % 60,
            ["north", "south", "east"][(i / 7) % 3],
            if sick { "sepsis" } else { "healthy" }
        ));
    }
    std::fs::write(&local, text).map_err(|e| e.to_string())?;
    c.b.client
        .goto(&c.url("/train"))
        .await
        .map_err(|e| e.to_string())?;
    let source = c.b.wait_testid("train-source-roles", LONG).await?;
    source.click().await.map_err(|e| e.to_string())?;
    let input = c.b.wait_testid("roles-csv-input", SHORT).await?;
    input
        .send_keys(&local.display().to_string())
        .await
        .map_err(|e| e.to_string())?;
    c.b.wait_testid("roles-table", SHORT).await?;
    // The guess: pid the ID, age and lactate numeric, ward categorical, outcome the label;
    // the positive value and lactate's not-measured code are the user's.
    let roles =
        c.b.js(
            "return [0,1,2,3,4].map(i => document.querySelector(`[data-testid=\"role-${i}\"]`).value);",
            vec![],
        )
        .await;
    if roles != json!(["id", "numeric", "numeric", "categorical", "label"]) {
        return Err(format!("the proposed roles: {roles}"));
    }
    c.b.wait_testid("roles-problems", SHORT).await?;
    c.b.js(
        "const set = (id, v) => { const e = document.querySelector(`[data-testid=\"${id}\"]`);
           e.value = v; e.dispatchEvent(new Event('change', { bubbles: true })); };
         set('roles-positive', 'sepsis');
         set('missing-2', '-1');",
        vec![],
    )
    .await;
    c.b.wait_js(
        "!document.querySelector('[data-testid=\"roles-problems\"]')",
        SHORT,
        "a complete mapping",
    )
    .await?;
    let button = c.b.wait_testid("download-roles", SHORT).await?;
    c.b.clear_downloads();
    button.click().await.map_err(|e| e.to_string())?;
    let roles_file = c.b.wait_download(SHORT).await?;
    let roles_path = dir.join("roles.json");
    std::fs::copy(&roles_file, &roles_path).map_err(|e| e.to_string())?;
    let expected = cli_train(
        &[
            "--roles".as_ref(),
            roles_path.as_os_str(),
            "--data".as_ref(),
            local.as_os_str(),
        ],
        &dir.join("trained.json"),
    )?;
    c.b.js(QUICK_TRAIN_JS, vec![]).await;
    training_result(c, "roles file, 300 rows of a semicolon CSV, quick options").await?;
    let got = download_model(c).await?;
    same_bytes(
        "the page's bundle from the role mapping",
        &got,
        "`train --roles`'s",
        &expected,
    )?;
    Ok(())
}

/// ICU stays picked as a folder (`folder-input`): the upload is named by the folder, and the
/// ICU model recalibrated on it in the page (Platt, 3 folds by patient, utility rule) is byte
/// for byte `sepsis-risk recalibrate --data <folder>`'s bundle.
async fn step_icu_recalibrate_folder(c: &mut Ctx) -> Step {
    const STAYS: usize = 60;
    let patients = demo_icu_patients(&c.icu.schema, STAYS, 55).ok_or("no ICU demo data")?;
    let folder = support::temp_dir("e2e-icu-folder").join("hospital-b-stays");
    std::fs::create_dir_all(&folder).map_err(|e| e.to_string())?;
    for p in &patients {
        std::fs::write(
            folder.join(sepsis_risk::core::dataset::patient_file_name(&p.id)),
            &p.psv,
        )
        .map_err(|e| e.to_string())?;
    }
    let cli_out = folder.with_file_name("cli-icu-recalibrated.json");
    support::run(
        Command::new(env!("CARGO_BIN_EXE_sepsis-risk"))
            .arg("recalibrate")
            .arg("--model")
            .arg(support::repo().join("assets/models/icu.json"))
            .arg("--data")
            .arg(&folder)
            .args(["--folds", "3"])
            .arg("--out")
            .arg(&cli_out),
    );
    let expected = std::fs::read(&cli_out).map_err(|e| e.to_string())?;
    c.b.client
        .goto(&c.url("/"))
        .await
        .map_err(|e| e.to_string())?;
    let input = c.b.wait_testid("folder-input", LONG).await?;
    input
        .send_keys(&folder.display().to_string())
        .await
        .map_err(|e| {
            format!(
                "choosing the folder {} in folder-input: {e}",
                folder.display()
            )
        })?;
    c.b.wait_testid("patient-count", LONG).await?;
    let n = c.b.testid_text("patient-count").await.unwrap_or_default();
    let name = c.b.testid_text("file-name").await.unwrap_or_default();
    if first_number(&n) != Some(STAYS as u64) || name != "hospital-b-stays" {
        return Err(format!(
            "the folder upload shows {n:?} patients named {name:?} (expected {STAYS}, \"hospital-b-stays\")"
        ));
    }
    c.click_link("/recalibrate").await?;
    c.b.wait_testid("recalibrate-form", LONG).await?;
    c.b.js(
        "const e = document.querySelector('[data-testid=\"recal-folds\"]'); e.value = '3';
         e.dispatchEvent(new Event('input', { bubbles: true }));",
        vec![],
    )
    .await;
    recalibration_result(
        c,
        &format!("ICU model, {STAYS} demo stays, Platt, 3 folds by patient"),
        &["alerts per patient-day", "utility"],
    )
    .await?;
    let got = download_model(c).await?;
    if got != expected {
        return Err(format!(
            "the page's recalibrated ICU bundle ({} bytes) differs from the CLI's ({} bytes)",
            got.len(),
            expected.len()
        ));
    }
    Ok(())
}

/// The version of the service worker controlling the page (it answers a "version" message).
async fn controlling_version(c: &Ctx, timeout: Duration) -> Result<String, String> {
    c.b.wait_js(
        "navigator.serviceWorker && navigator.serviceWorker.controller !== null",
        timeout,
        "a service worker to control the page",
    )
    .await?;
    c.b.js(
        "window.__swv = null; const ch = new MessageChannel();
         ch.port1.onmessage = (e) => { window.__swv = e.data; };
         navigator.serviceWorker.controller.postMessage('version', [ch.port2]);",
        vec![],
    )
    .await;
    let v =
        c.b.wait_js("window.__swv", SHORT, "the service worker's version")
            .await?;
    Ok(v.as_str().unwrap_or_default().to_string())
}

/// The app's cache names (`caches.keys()`), comma-separated.
async fn cache_names(c: &Ctx) -> Result<String, String> {
    c.b.js(
        "window.__keys = null; caches.keys().then((k) => { window.__keys = k.join(',') || '-'; });",
        vec![],
    )
    .await;
    let v = c.b.wait_js("window.__keys", SHORT, "caches.keys()").await?;
    Ok(v.as_str().unwrap_or_default().to_string())
}

/// The VERSION written into a build's sw.js.
fn build_version(dist: &Path) -> Result<String, String> {
    let sw = std::fs::read_to_string(dist.join("sw.js")).map_err(|e| format!("sw.js: {e}"))?;
    sw.lines()
        .find_map(|l| l.strip_prefix("const VERSION = \""))
        .and_then(|l| l.strip_suffix("\";"))
        .map(str::to_string)
        .ok_or_else(|| "no VERSION in sw.js".into())
}

async fn step_offline_and_update(c: &mut Ctx) -> Step {
    let version = build_version(&c.dist)?;
    c.b.client
        .goto(&c.url("/"))
        .await
        .map_err(|e| e.to_string())?;
    c.b.wait_testid("offline-ready", LONG).await?;
    let got = controlling_version(c, LONG).await?;
    if got != version {
        return Err(format!(
            "the page is controlled by version {got}, the build is {version}"
        ));
    }
    let caches = cache_names(c).await?;
    if caches != format!("sepsis-risk-{version}") {
        return Err(format!("caches: {caches}"));
    }

    // Network off: nginx stopped. The app loads, reads a file, scores it, loads the ICU model
    // and opens a deep link, all from the cache.
    let port = c.nginx.port;
    c.nginx.stop();
    if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
        return Err("nginx still accepts connections after stopping".into());
    }
    let start = Instant::now();
    c.b.client
        .goto(&c.url("/"))
        .await
        .map_err(|e| format!("loading / offline: {e}"))?;
    c.b.wait_testid("csv-input", LONG).await?;
    c.measurements.push(format!(
        "offline (nginx stopped): load to interactive {:.0} ms (WebDriver wall clock)",
        start.elapsed().as_secs_f64() * 1000.0
    ));
    c.has_notice("/ offline").await?;
    let text = demo_csv(&c.bundle.schema, 50, 9).ok_or("no demo data")?;
    upload_and_wait(c, "offline-demo.csv", text.as_bytes()).await?;
    c.wait_row_count(50, SHORT).await?;
    c.click_link("/predict").await?;
    c.b.wait_testid("results-table", SHORT).await?;
    c.select_model("icu").await;
    c.b.wait_js(
        "document.querySelector('[data-testid=\"model-status\"]').dataset.state === 'ready'",
        LONG,
        "the ICU model to load from the cache",
    )
    .await?;
    c.b.client
        .goto(&c.url("/model"))
        .await
        .map_err(|e| format!("deep link /model offline: {e}"))?;
    c.b.wait_testid("threshold-slider", LONG).await?;
    shots(c, "offline");

    // A new deployment (any file changed: a new sw.js) on the same origin: the page offers a
    // reload, which switches to the new version and drops the old cache.
    let next = copy_dist(&c.dist, "e2e-next")?;
    std::fs::write(next.join("release.txt"), "the next deployment\n").map_err(|e| e.to_string())?;
    support::run(Command::new(support::repo().join("scripts/service-worker.sh")).arg(&next));
    let next_version = build_version(&next)?;
    if next_version == version {
        return Err("the new deployment has the same version".into());
    }
    c.nginx = Nginx::start_on(&next, &c.csp, port);
    c.b.client
        .goto(&c.url("/"))
        .await
        .map_err(|e| e.to_string())?;
    c.b.wait_testid("update-notice", LONG).await?;
    let notice = c.b.testid_text("update-notice").await.unwrap_or_default();
    if !notice.contains("new version") {
        return Err(format!("update-notice says {notice:?}"));
    }
    shots(c, "update-notice");
    c.b.wait_testid("update-reload", SHORT)
        .await?
        .click()
        .await
        .map_err(|e| format!("clicking update-reload: {e}"))?;
    let deadline = Instant::now() + LONG;
    loop {
        if let Ok(v) = controlling_version(c, SHORT).await
            && v == next_version
        {
            break;
        }
        if Instant::now() > deadline {
            return Err(format!(
                "the page is not controlled by the new version {next_version} after Reload"
            ));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    c.b.wait_testid("csv-input", LONG).await?;
    if c.b.testid_text("update-notice").await.is_some() {
        return Err("the update notice is still shown after the reload".into());
    }
    let caches = cache_names(c).await?;
    if caches != format!("sepsis-risk-{next_version}") {
        return Err(format!(
            "caches after the update: {caches} (expected only the new one)"
        ));
    }
    Ok(())
}

/// Benchmark, not a correctness test (ignored; `scripts/bench-train-icu-browser.sh` runs it
/// next to the native CLI): the folder `BENCH_ICU_STAYS` of ICU stays picked in the page,
/// then the Train page's defaults (the same as `sepsis-risk train --schema icu`) in the Web
/// Worker. Prints one line `train-bench icu stays=<n> load_ms=<upload shown> ms=<worker>
/// memory_mb=<worker's peak wasm memory> longest_task_ms=<page> sha=<bundle sha256>` and
/// writes the bundle to `target/bench/icu-browser.json`.
#[tokio::test(flavor = "current_thread")]
#[ignore = "benchmark: scripts/bench-train-icu-browser.sh"]
async fn icu_training_benchmark_in_chromium() {
    let folder = std::path::PathBuf::from(
        std::env::var_os("BENCH_ICU_STAYS").expect("BENCH_ICU_STAYS: a folder of .psv stays"),
    );
    let stays = psv_count(&folder);
    let (nginx, _driver, b) = bench_browser("bench-csp").await;
    let hour = Duration::from_secs(3600);
    b.client.goto(&nginx.url("/")).await.expect("the app");
    let input = b.wait_testid("folder-input", hour).await.unwrap();
    let start = Instant::now();
    input
        .send_keys(&folder.display().to_string())
        .await
        .expect("picking the folder");
    b.wait_testid("patient-count", hour).await.unwrap();
    let load_ms = start.elapsed().as_secs_f64() * 1000.0;
    let link = b
        .client
        .find(Locator::Css("a[href=\"/train\"]"))
        .await
        .expect("the Train link");
    link.click().await.expect("to the Train page");
    let run = b.wait_testid("run-training", hour).await.unwrap();
    b.js(
        "window.__longTasks = []; window.__longTaskAt = [];
         new PerformanceObserver(l => { for (const e of l.getEntries()) { window.__longTasks.push(e.duration); window.__longTaskAt.push([Math.round(e.startTime), Math.round(e.duration)]); } })
           .observe({ type: 'longtask' });",
        vec![],
    )
    .await;
    run.click().await.expect("Train");
    b.wait_js(
        "document.querySelector('[data-testid=\"train-result\"], [data-testid=\"train-error\"]')",
        hour,
        "the training's end",
    )
    .await
    .unwrap();
    if let Some(e) = b.testid_text("train-error").await {
        panic!("training failed in the page: {e}");
    }
    let v = b
        .js(
            "const r = document.querySelector('[data-testid=\"train-result\"]');
             return [Number(r.dataset.ms), Number(r.dataset.memory), Math.max(0, ...window.__longTasks)];",
            vec![],
        )
        .await;
    let when = b
        .js(
            "return JSON.stringify({ long: window.__longTaskAt, marks: performance.getEntriesByType('mark')
               .filter(m => m.name.startsWith('sepsis-risk:')).map(m => [m.name, Math.round(m.startTime)]) });",
            vec![],
        )
        .await;
    println!(
        "train-bench long tasks and marks: {}",
        when.as_str().unwrap_or_default()
    );
    let button = b.wait_testid("download-model", hour).await.unwrap();
    b.clear_downloads();
    button.click().await.unwrap();
    let file = b.wait_download(Duration::from_secs(60)).await.unwrap();
    let bytes = std::fs::read(&file).unwrap();
    let out = support::repo().join("target/bench/icu-browser.json");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    std::fs::write(&out, &bytes).unwrap();
    println!(
        "train-bench icu stays={stays} load_ms={load_ms:.0} ms={:.0} memory_mb={:.0} longest_task_ms={:.0} sha={}",
        v[0].as_f64().unwrap_or(f64::NAN),
        v[1].as_f64().unwrap_or(f64::NAN) / 1e6,
        v[2].as_f64().unwrap_or(f64::NAN),
        sepsis_risk::core::train::sha256_hex(&bytes)
    );
    drop(b);
    drop(nginx);
}

/// The largest resident memory of Chromium's renderer processes (the page and its workers)
/// while it runs, sampled every 50 ms from /proc, in MB: [`RendererMemory::peak_mb`].
struct RendererMemory {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    handle: std::thread::JoinHandle<f64>,
}

impl RendererMemory {
    fn start() -> Self {
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = stop.clone();
        let handle = std::thread::spawn(move || {
            let mut peak: f64 = 0.0;
            while !flag.load(std::sync::atomic::Ordering::Relaxed) {
                peak = peak.max(renderer_rss_mb());
                std::thread::sleep(Duration::from_millis(50));
            }
            peak
        });
        RendererMemory { stop, handle }
    }

    fn peak_mb(self) -> f64 {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        self.handle.join().unwrap_or(f64::NAN)
    }
}

/// The resident memory of every Chromium renderer process now, MB.
fn renderer_rss_mb() -> f64 {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return f64::NAN;
    };
    dir.filter_map(Result::ok)
        .filter(|e| {
            std::fs::read(e.path().join("cmdline"))
                .is_ok_and(|c| String::from_utf8_lossy(&c).contains("--type=renderer"))
        })
        .filter_map(|e| std::fs::read_to_string(e.path().join("status")).ok())
        .filter_map(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .sum::<f64>()
        / 1024.0
}

/// Large uploads in the page (issue 14), one after another in one page: generated seed rows
/// (`BENCH_UPLOAD_ROWS`, comma-separated, default 10000,100000,1000000) and folders of ICU
/// stays (`BENCH_UPLOAD_STAYS`, comma-separated: a folder, or a number of generated stays).
/// Prints for each the wall time from the file pick to the row count shown, the User Timing
/// measures, the page's longest task and the renderer's peak resident memory. Run by
/// `scripts/bench-upload-browser.sh` after `scripts/build-web.sh`.
#[tokio::test(flavor = "current_thread")]
#[ignore = "benchmark: scripts/bench-upload-browser.sh"]
async fn upload_benchmark_in_chromium() {
    let list = |name: &str, default: &str| -> Vec<String> {
        std::env::var(name)
            .unwrap_or_else(|_| default.into())
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    };
    let (nginx, _driver, b) = bench_browser("bench-upload-csp").await;
    let hour = Duration::from_secs(3600);
    let bench = support::repo().join("target/bench");
    std::fs::create_dir_all(&bench).unwrap();
    let seed: ModelBundle = ModelBundle::from_json(SEED_MODEL).unwrap();
    let icu: ModelBundle = ModelBundle::from_json(ICU_MODEL).unwrap();
    let stages = [
        "read", "parse", "validate", "eda", "score", "results", "render",
    ];
    let mut uploads: Vec<(String, String, &str, u64)> = Vec::new();
    for rows in list("BENCH_UPLOAD_ROWS", "10000,100000,1000000") {
        let n: usize = rows.parse().expect("BENCH_UPLOAD_ROWS: numbers of rows");
        let path = bench.join(format!("upload-seed-{n}.csv"));
        if !path.exists() {
            std::fs::write(&path, demo_csv(&seed.schema, n, 2024).unwrap()).unwrap();
        }
        uploads.push((
            format!("{n} seed rows"),
            path.display().to_string(),
            "csv-input",
            n as u64,
        ));
    }
    for stays in list("BENCH_UPLOAD_STAYS", "") {
        let folder = match stays.parse::<usize>() {
            Ok(n) => {
                let dir = bench.join(format!("upload-stays-{n}"));
                if !dir.exists() {
                    std::fs::create_dir_all(&dir).unwrap();
                    for p in demo_icu_patients(&icu.schema, n, 7).unwrap() {
                        std::fs::write(dir.join(format!("{}.psv", p.id)), &p.psv).unwrap();
                    }
                }
                dir
            }
            Err(_) => std::path::PathBuf::from(&stays),
        };
        let count = psv_count(&folder);
        uploads.push((
            format!("{count} ICU stays ({})", folder.display()),
            folder.display().to_string(),
            "folder-input",
            0,
        ));
    }
    for (what, path, input, rows) in uploads {
        b.client.goto(&nginx.url("/")).await.expect("the app");
        let input = b.wait_testid(input, hour).await.unwrap();
        start_probe(&b).await;
        let memory = RendererMemory::start();
        let started = Instant::now();
        input.send_keys(&path).await.expect("picking the upload");
        let shown = b
            .wait_js(
                "(() => { const e = document.querySelector('[data-testid=\"row-count\"]'); return e && e.textContent; })()",
                hour,
                "the row count",
            )
            .await
            .unwrap();
        let wall_ms = started.elapsed().as_secs_f64() * 1000.0;
        let measures = upload_measures(&b, &stages).await.unwrap();
        let peak = memory.peak_mb();
        let longest = b
            .js(
                "const t = window.__longTasks || []; return Math.max(0, ...t);",
                vec![],
            )
            .await;
        if rows > 0 {
            assert_eq!(
                first_number(shown.as_str().unwrap_or_default()),
                Some(rows),
                "{what}: the row count shown"
            );
        }
        println!(
            "upload-bench {what}: rows shown {shown}; file pick to row count {wall_ms:.0} ms (WebDriver); {measures}; longest task {:.0} ms; renderer peak RSS {peak:.0} MB",
            longest.as_f64().unwrap_or(f64::NAN)
        );
    }
    drop(b);
    drop(nginx);
}

/// The `.psv` files in `folder`.
fn psv_count(folder: &Path) -> usize {
    std::fs::read_dir(folder)
        .expect("the stays folder")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "psv"))
        })
        .count()
}

/// A benchmark's browser: the release build behind nginx (its CSP include in the temporary
/// folder `name`), chromedriver and one session.
async fn bench_browser(name: &str) -> (Nginx, Chromedriver, Browser) {
    let dist = browser::dist();
    let csp = support::temp_dir(name).join("sepsis-risk-csp.conf");
    support::csp_include(&dist, &csp);
    let nginx = Nginx::start(&dist, &csp);
    let driver = Chromedriver::start();
    let b = Browser::new(&driver).await;
    (nginx, driver, b)
}
