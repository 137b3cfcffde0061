//! Headless Chromium driven through chromedriver (fantoccini over plain HTTP on loopback),
//! plus what WebDriver itself does not offer: the browser console and network logs
//! (chromedriver's `/se/log`) and DevTools commands (`/goog/cdp/execute`).

use crate::support::{self, free_port, http_request, temp_dir, tool};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Chromium flags for a machine without network, running as root (see docs/toolchain.md).
const CHROME_ARGS: [&str; 11] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,900",
    "--lang=en-US",
];

/// Runs in every document before its own scripts (DevTools `addScriptToEvaluateOnNewDocument`,
/// which the page's CSP does not apply to): records CSP violations, uncaught errors, and when
/// the app first shows an element with a `data-testid` / the CSV input (time to interactive).
const PROBE: &str = r#"(() => {
  const e2e = { violations: [], errors: [], firstTestId: null, csvInput: null };
  window.__e2e = e2e;
  document.addEventListener('securitypolicyviolation', (e) => {
    e2e.violations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber} ${e.sample || ''}`);
  });
  window.addEventListener('error', (e) => e2e.errors.push(`error: ${e.message} at ${e.filename}:${e.lineno}`));
  window.addEventListener('unhandledrejection', (e) => e2e.errors.push(`unhandled rejection: ${e.reason}`));
  const mark = () => {
    if (e2e.firstTestId === null && document.querySelector('[data-testid]')) e2e.firstTestId = performance.now();
    if (e2e.csvInput === null && document.querySelector('[data-testid="csv-input"]')) e2e.csvInput = performance.now();
  };
  new MutationObserver(mark).observe(document, { childList: true, subtree: true });
})();"#;

/// chromedriver on a free loopback port; stopped when dropped.
pub struct Chromedriver {
    child: Child,
    /// Its port.
    pub port: u16,
}

impl Chromedriver {
    /// Starts chromedriver and waits until it is ready.
    pub fn start() -> Chromedriver {
        let exe = tool(
            "chromedriver",
            "scripts/setup.sh --browser (Debian package chromium-driver)",
        );
        tool(
            "chromium",
            "scripts/setup.sh --browser (Debian package chromium)",
        );
        let port = free_port();
        let log = temp_dir("chromedriver").join("chromedriver.log");
        let mut child = Command::new(&exe)
            .arg(format!("--port={port}"))
            .arg(format!("--log-path={}", log.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", exe.display()));
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(Some(status)) = child.try_wait() {
                panic!(
                    "chromedriver exited at start ({status}); log: {}",
                    log.display()
                );
            }
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                let r = http_request(port, "GET", "/status", &[], None);
                if r.status == 200 && r.text().contains("\"ready\":true") {
                    return Chromedriver { child, port };
                }
            }
            assert!(
                Instant::now() < deadline,
                "chromedriver not ready within 20 s; log: {}",
                log.display()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One browser session with its own profile and download directory.
pub struct Browser {
    /// The WebDriver client.
    pub client: Client,
    driver_port: u16,
    session: String,
    /// Where Chromium saves downloads.
    pub downloads: PathBuf,
}

/// One entry of a chromedriver log.
#[derive(Debug, Clone)]
pub struct LogEntry {
    /// SEVERE, WARNING, INFO, ...
    pub level: String,
    /// The message (for the performance log: a JSON DevTools event).
    pub message: String,
}

impl Browser {
    /// A new headless Chromium session, with console and network logging, downloads going to
    /// a fresh directory, and [`PROBE`] installed in every document.
    pub async fn new(driver: &Chromedriver) -> Browser {
        let profile = temp_dir("chromium-profile");
        let downloads = temp_dir("downloads");
        let mut args: Vec<String> = CHROME_ARGS.iter().map(|s| s.to_string()).collect();
        args.push(format!("--user-data-dir={}", profile.display()));
        let caps = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": tool("chromium", "scripts/setup.sh --browser"),
                "args": args,
                "prefs": {
                    "download.default_directory": downloads,
                    "download.prompt_for_download": false,
                    "download.directory_upgrade": true,
                    "safebrowsing.enabled": false,
                },
                "perfLoggingPrefs": { "enableNetwork": true, "enablePage": false },
            },
            "goog:loggingPrefs": { "browser": "ALL", "performance": "ALL" },
        });
        let Value::Object(caps) = caps else {
            unreachable!()
        };
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = ClientBuilder::new(connector)
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", driver.port))
            .await
            .unwrap_or_else(|e| panic!("cannot open a Chromium session: {e}"));
        let session = client
            .session_id()
            .await
            .expect("session id")
            .expect("session id");
        let browser = Browser {
            client,
            driver_port: driver.port,
            session,
            downloads,
        };
        browser
            .cdp(
                "Browser.setDownloadBehavior",
                json!({ "behavior": "allow", "downloadPath": browser.downloads, "eventsEnabled": true }),
            )
            .ok();
        browser
            .cdp(
                "Page.addScriptToEvaluateOnNewDocument",
                json!({ "source": PROBE }),
            )
            .expect("installing the probe script");
        browser
    }

    fn driver_post(&self, path: &str, body: Value) -> Result<Value, String> {
        let body = serde_json::to_vec(&body).expect("json");
        let r = http_request(
            self.driver_port,
            "POST",
            &format!("/session/{}{path}", self.session),
            &[],
            Some(&body),
        );
        let v: Value = serde_json::from_slice(&r.body)
            .map_err(|e| format!("chromedriver {path}: not JSON ({e}): {}", r.text()))?;
        if r.status != 200 {
            return Err(format!("chromedriver {path}: HTTP {}: {v}", r.status));
        }
        Ok(v["value"].clone())
    }

    /// A DevTools command through chromedriver.
    pub fn cdp(&self, cmd: &str, params: Value) -> Result<Value, String> {
        self.driver_post("/goog/cdp/execute", json!({ "cmd": cmd, "params": params }))
    }

    /// Drains chromedriver's log of `kind` ("browser" = console, "performance" = DevTools
    /// events): each call returns the entries since the previous one.
    pub fn log(&self, kind: &str) -> Vec<LogEntry> {
        let v = self
            .driver_post("/se/log", json!({ "type": kind }))
            .unwrap_or_else(|e| panic!("reading the {kind} log: {e}"));
        v.as_array()
            .map(|a| {
                a.iter()
                    .map(|e| LogEntry {
                        level: e["level"].as_str().unwrap_or("").to_string(),
                        message: e["message"].as_str().unwrap_or("").to_string(),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// URLs of the network requests (http, https, ws, wss) in the performance log since the
    /// last drain; data:, blob: and the browser's own chrome:// pages never leave it.
    pub fn network_requests(&self) -> Vec<String> {
        self.log("performance")
            .into_iter()
            .filter_map(|e| {
                let v: Value = serde_json::from_str(&e.message).ok()?;
                let m = &v["message"];
                (m["method"] == "Network.requestWillBeSent")
                    .then(|| m["params"]["request"]["url"].as_str().map(str::to_string))
                    .flatten()
            })
            .filter(|u| {
                ["http:", "https:", "ws:", "wss:"]
                    .iter()
                    .any(|scheme| u.starts_with(scheme))
            })
            .collect()
    }

    /// Runs `script` (a function body; `arguments` holds `args`) in the page.
    pub async fn js(&self, script: &str, args: Vec<Value>) -> Value {
        self.client
            .execute(script, args)
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// Waits up to `timeout` for `cond` (a JS expression) to be truthy; returns its value.
    pub async fn wait_js(
        &self,
        cond: &str,
        timeout: Duration,
        what: &str,
    ) -> Result<Value, String> {
        let deadline = Instant::now() + timeout;
        let script = format!("return ({cond});");
        loop {
            if let Ok(v) = self.client.execute(&script, vec![]).await
                && !v.is_null()
                && v != Value::Bool(false)
                && v != json!("")
                && v != json!(0)
            {
                return Ok(v);
            }
            if Instant::now() > deadline {
                return Err(format!("timed out after {timeout:?} waiting for {what}"));
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// Waits for the element with `data-testid` = `id`.
    pub async fn wait_testid(&self, id: &str, timeout: Duration) -> Result<Element, String> {
        self.wait_js(
            &format!("document.querySelector('[data-testid=\"{id}\"]') !== null"),
            timeout,
            &format!("[data-testid=\"{id}\"]"),
        )
        .await?;
        self.client
            .find(Locator::Css(&format!("[data-testid=\"{id}\"]")))
            .await
            .map_err(|e| format!("finding {id}: {e}"))
    }

    /// The text of the element with `data-testid` = `id`, if present.
    pub async fn testid_text(&self, id: &str) -> Option<String> {
        let v = self
            .js(
                "const e = document.querySelector(`[data-testid=\"${arguments[0]}\"]`); return e ? e.innerText : null;",
                vec![json!(id)],
            )
            .await;
        v.as_str().map(str::to_string)
    }

    /// The file in the download directory once its download is complete.
    pub async fn wait_download(&self, timeout: Duration) -> Result<PathBuf, String> {
        let deadline = Instant::now() + timeout;
        loop {
            let files: Vec<PathBuf> = std::fs::read_dir(&self.downloads)
                .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
                .unwrap_or_default();
            let partial = files.iter().any(|f| {
                f.extension()
                    .is_some_and(|e| e == "crdownload" || e == "tmp")
            });
            if !partial && let Some(f) = files.into_iter().find(|f| f.is_file()) {
                return Ok(f);
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "no completed download in {} after {timeout:?}",
                    self.downloads.display()
                ));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Empties the download directory.
    pub fn clear_downloads(&self) {
        if let Ok(d) = std::fs::read_dir(&self.downloads) {
            for e in d.flatten() {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
}

impl Drop for Browser {
    /// Ends the session, which closes Chromium (also when a step panicked).
    fn drop(&mut self) {
        let _ = std::panic::catch_unwind(|| {
            http_request(
                self.driver_port,
                "DELETE",
                &format!("/session/{}", self.session),
                &[],
                None,
            )
        });
    }
}

/// Writes `contents` to a new file named `name` and returns its absolute path.
pub fn write_file(name: &str, contents: &str) -> PathBuf {
    let path = temp_dir("e2e-files").join(name);
    std::fs::write(&path, contents).expect("writing a test file");
    path
}

/// The repository's `dist/` (scripts/build-web.sh), or `E2E_DIST`.
pub fn dist() -> PathBuf {
    let dist = std::env::var_os("E2E_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| support::repo().join("dist"));
    assert!(
        dist.join("index.html").is_file(),
        "{} has no index.html: build the app first with scripts/build-web.sh",
        dist.display()
    );
    dist
}

/// The first integer in `text` (digit group separators allowed).
pub fn first_number(text: &str) -> Option<u64> {
    let cleaned: String = text
        .chars()
        .filter(|c| !matches!(c, ',' | '\u{a0}' | '\u{202f}' | '\''))
        .collect();
    let start = cleaned.find(|c: char| c.is_ascii_digit())?;
    let digits: String = cleaned[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// Decodes standard base64 (padding optional; other characters ignored).
pub fn base64_decode(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => continue,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

impl Browser {
    /// A full-page PNG of the current page `width` CSS pixels wide, saved as
    /// `target/e2e-screenshots/<name>.png` (for people to look at; not compared).
    pub fn screenshot(&self, name: &str, width: u32) -> Result<PathBuf, String> {
        self.cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 500 }),
        )?;
        std::thread::sleep(Duration::from_millis(600));
        let shot = self.cdp(
            "Page.captureScreenshot",
            json!({ "format": "png", "captureBeyondViewport": true }),
        );
        self.cdp("Emulation.clearDeviceMetricsOverride", json!({}))?;
        let data = shot?["data"].as_str().unwrap_or_default().to_string();
        let dir = support::repo().join("target/e2e-screenshots");
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        let path = dir.join(format!("{name}-{width}.png"));
        std::fs::write(&path, base64_decode(&data)).map_err(|e| e.to_string())?;
        Ok(path)
    }
}
