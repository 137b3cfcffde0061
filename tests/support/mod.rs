//! Shared by the serving and end-to-end tests: the repository's nginx config rendered into a
//! temporary run directory and started on a free loopback port, and a minimal HTTP/1.1 client
//! (std `TcpStream`) that shows every header and byte exactly as the server sent them.
//!
//! Missing tools are test failures with a message saying how to install them, never skips.
#![allow(dead_code)] // each test crate uses a different part

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The repository root (where Cargo.toml is).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh directory under the cargo target's test temp dir, world-readable (nginx's workers
/// must be able to read it).
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "{name}-{}-{}",
        std::process::id(),
        next_id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("creating {}: {e}", dir.display()));
    dir
}

fn next_id() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

/// A loopback port that was free a moment ago.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("no free loopback port")
}

/// Path of an executable from `PATH` or the usual system directories, or a failure explaining
/// how to install it.
pub fn tool(name: &str, install_hint: &str) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let dirs =
        std::env::split_paths(&path).chain(["/usr/sbin", "/usr/bin", "/sbin"].map(PathBuf::from));
    for dir in dirs {
        let candidate = dir.join(name);
        if candidate.is_file() {
            return candidate;
        }
    }
    panic!("{name} not found: these tests need it; install it with {install_hint}");
}

/// Runs a command, failing the test with its output when it does not succeed.
pub fn run(cmd: &mut Command) -> String {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "{cmd:?} failed ({}):\n{text}",
        out.status
    );
    text
}

/// Writes the CSP include for `dist` with the repository's script (the one the build uses).
pub fn csp_include(dist: &Path, out: &Path) {
    run(Command::new(repo().join("scripts/csp-hashes.sh"))
        .arg(dist)
        .arg(out));
}

/// nginx running in the foreground with the repository's config (rendered by
/// scripts/render-nginx.sh) on a free loopback port; stopped when dropped.
pub struct Nginx {
    child: Child,
    /// The port it listens on (127.0.0.1).
    pub port: u16,
    /// Rendered config, pid file, logs.
    pub rundir: PathBuf,
    /// The rendered main config file.
    pub conf: PathBuf,
}

impl Nginx {
    /// Renders the config for document root `root` and CSP include `csp`, checks it with
    /// `nginx -t`, starts nginx and waits until it accepts connections.
    pub fn start(root: &Path, csp: &Path) -> Nginx {
        Nginx::start_with(root, csp, None)
    }

    /// [`Nginx::start`] on a given port (e.g. the port of a stopped server, for the same origin).
    #[allow(dead_code)] // used by e2e only
    pub fn start_on(root: &Path, csp: &Path, port: u16) -> Nginx {
        Nginx::start_with(root, csp, Some(port))
    }

    /// Stops the server and waits until it has exited and its port refuses connections
    /// (dropping it does the same). Idempotent.
    pub fn stop(&mut self) {
        if let Ok(Some(_)) = self.child.try_wait() {
            return;
        }
        // SIGTERM: the master stops its workers and exits (SIGKILL would orphan the workers).
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait()
                && TcpStream::connect(("127.0.0.1", self.port)).is_err()
            {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    fn start_with(root: &Path, csp: &Path, fixed_port: Option<u16>) -> Nginx {
        let nginx = tool("nginx", "scripts/setup.sh --server (Debian package nginx)");
        let mut last_err = String::new();
        for _attempt in 0..3 {
            let port = fixed_port.unwrap_or_else(free_port);
            let rundir = temp_dir("nginx");
            let conf = PathBuf::from(
                run(Command::new(repo().join("scripts/render-nginx.sh"))
                    .arg("--root")
                    .arg(root)
                    .arg("--rundir")
                    .arg(&rundir)
                    .arg("--listen")
                    .arg(format!("127.0.0.1:{port}"))
                    .arg("--csp")
                    .arg(csp))
                .trim(),
            );
            nginx_t(&nginx, &rundir, &conf);
            let log = std::fs::File::create(rundir.join("stderr.log")).expect("nginx log");
            let mut child = Command::new(&nginx)
                .arg("-p")
                .arg(&rundir)
                .arg("-e")
                .arg(rundir.join("error.log"))
                .arg("-c")
                .arg(&conf)
                .stdin(Stdio::null())
                .stdout(log.try_clone().expect("log"))
                .stderr(log)
                .spawn()
                .unwrap_or_else(|e| panic!("cannot start {}: {e}", nginx.display()));
            let deadline = Instant::now() + Duration::from_secs(15);
            loop {
                if let Ok(Some(status)) = child.try_wait() {
                    last_err = format!(
                        "nginx exited ({status}):\n{}",
                        std::fs::read_to_string(rundir.join("stderr.log")).unwrap_or_default()
                    );
                    break;
                }
                if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                    return Nginx {
                        child,
                        port,
                        rundir,
                        conf,
                    };
                }
                if Instant::now() > deadline {
                    let _ = child.kill();
                    last_err = "nginx did not accept connections within 15 s".into();
                    break;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        panic!("could not start nginx: {last_err}");
    }

    /// `http://127.0.0.1:PORT` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// GET `path` with extra request headers.
    pub fn get(&self, path: &str, headers: &[(&str, &str)]) -> Response {
        http_request(self.port, "GET", path, headers, None)
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        self.stop();
    }
}

/// `nginx -t` on a rendered config; returns its output (nginx prints to stderr).
pub fn nginx_t(nginx: &Path, rundir: &Path, conf: &Path) -> String {
    run(Command::new(nginx)
        .arg("-t")
        .arg("-p")
        .arg(rundir)
        .arg("-e")
        .arg(rundir.join("error.log"))
        .arg("-c")
        .arg(conf))
}

/// An HTTP response as received.
#[derive(Debug)]
pub struct Response {
    /// Status code.
    pub status: u16,
    /// Headers in order, names as sent.
    pub headers: Vec<(String, String)>,
    /// The body after undoing chunked transfer encoding (content encoding left as sent).
    pub body: Vec<u8>,
}

impl Response {
    /// The value of header `name` (case-insensitive), if sent exactly once.
    pub fn header(&self, name: &str) -> Option<&str> {
        let mut found = self
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str());
        let first = found.next();
        assert!(
            found.next().is_none(),
            "header {name} sent more than once: {:?}",
            self.headers
        );
        first
    }

    /// The body as text (lossy).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One HTTP/1.1 request on a fresh connection (`Connection: close`).
pub fn http_request(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> Response {
    let mut stream = TcpStream::connect(("127.0.0.1", port))
        .unwrap_or_else(|e| panic!("connecting to 127.0.0.1:{port}: {e}"));
    stream
        .set_read_timeout(Some(Duration::from_secs(120)))
        .expect("timeout");
    let mut req =
        format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n");
    for (n, v) in headers {
        req.push_str(&format!("{n}: {v}\r\n"));
    }
    if let Some(b) = body {
        req.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n",
            b.len()
        ));
    }
    req.push_str("\r\n");
    stream.write_all(req.as_bytes()).expect("sending request");
    if let Some(b) = body {
        stream.write_all(b).expect("sending body");
    }
    let raw = read_response(&mut stream)
        .unwrap_or_else(|e| panic!("{method} {path}: reading the response: {e}"));
    parse_response(&raw).unwrap_or_else(|| {
        panic!(
            "{method} {path}: malformed response: {:?}",
            String::from_utf8_lossy(&raw)
        )
    })
}

/// Reads one response: up to the end of the body as framed by Content-Length or chunked
/// encoding (some servers, like chromedriver, keep the connection open despite
/// `Connection: close`), or to the end of the stream otherwise.
fn read_response(stream: &mut TcpStream) -> std::io::Result<Vec<u8>> {
    let mut raw = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    loop {
        if let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&raw[..end]).to_ascii_lowercase();
            let body = &raw[end + 4..];
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok());
            if let Some(n) = length
                && body.len() >= n
            {
                raw.truncate(end + 4 + n);
                return Ok(raw);
            }
            if head.contains("transfer-encoding: chunked") && dechunk(body).is_some() {
                return Ok(raw);
            }
            if head.starts_with("http/1.1 204") || head.starts_with("http/1.1 304") {
                return Ok(raw);
            }
        }
        let n = stream.read(&mut buf)?;
        if n == 0 {
            return Ok(raw);
        }
        raw.extend_from_slice(&buf[..n]);
    }
}

fn parse_response(raw: &[u8]) -> Option<Response> {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&raw[..end]).ok()?;
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split_whitespace().nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .map(|l| {
            let (n, v) = l.split_once(':')?;
            Some((n.trim().to_string(), v.trim().to_string()))
        })
        .collect::<Option<_>>()?;
    let rest = &raw[end + 4..];
    let chunked = headers.iter().any(|(n, v)| {
        n.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
    });
    let body = if chunked {
        dechunk(rest)?
    } else {
        rest.to_vec()
    };
    Some(Response {
        status,
        headers,
        body,
    })
}

fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&data[..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(data.get(..size)?);
        data = data.get(size + 2..)?;
    }
}

/// Standard base64 (with padding), for CSP hash sources.
pub fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The inline `<script>` bodies (no `src`) of an HTML page, exactly as written.
pub fn inline_scripts(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else {
            break;
        };
        let attrs = &after[..open_end];
        let body_start = &after[open_end + 1..];
        let Some(close) = body_start.find("</script>") else {
            break;
        };
        if !attrs.contains("src=") {
            out.push(&body_start[..close]);
        }
        rest = &body_start[close..];
    }
    out
}

/// Decompresses gzip data with the system's gzip.
pub fn gunzip(data: &[u8]) -> Vec<u8> {
    let mut child = Command::new("gzip")
        .arg("-dc")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("running gzip -dc");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = data.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().expect("gzip -dc");
    writer.join().expect("writer").expect("writing to gzip");
    assert!(out.status.success(), "gzip -dc failed: not gzip data");
    out.stdout
}
