//! `robots.txt` as RFC 9309 has it, against a small site on 127.0.0.1 that
//! answers under two host names (`127.0.0.1` and `localhost`, one port): a
//! robots.txt that redirects to the other host is followed there; one that
//! redirects more than five times, or in a loop, disallows everything; and a
//! Crawl-delay of an hour is capped instead of stalling the harvest.

use std::path::Path;
use std::process::Output;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

/// What the site answers for a host, a path and its own port.
type Routes = fn(&str, &str, &str) -> Response;

/// The requests seen (`host path`).
type Requests = Arc<Mutex<Vec<String>>>;

/// The site: every request's `host path` is kept.
struct Site {
    port: u16,
    requests: Requests,
    _runtime: tokio::runtime::Runtime,
}

impl Site {
    fn start(routes: Routes) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let state = (Arc::clone(&requests), routes, port);
        runtime.spawn(async move {
            async fn handle(
                State((requests, routes, port)): State<(Requests, Routes, u16)>,
                uri: Uri,
                headers: HeaderMap,
            ) -> Response {
                let host = headers
                    .get(header::HOST)
                    .and_then(|h| h.to_str().ok())
                    .unwrap_or_default()
                    .split(':')
                    .next()
                    .unwrap_or_default()
                    .to_owned();
                requests
                    .lock()
                    .unwrap()
                    .push(format!("{host} {}", uri.path()));
                routes(&host, uri.path(), &port.to_string())
            }
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            let app = axum::Router::new().fallback(handle).with_state(state);
            axum::serve(listener, app).await.unwrap();
        });
        Self {
            port,
            requests,
            _runtime: runtime,
        }
    }

    fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }

    fn harvest(&self, cache: &Path, extra: &[&str]) -> Output {
        assert_cmd::Command::new(env!("CARGO_BIN_EXE_chronograph"))
            .arg("harvest")
            .arg(format!("http://127.0.0.1:{}/", self.port))
            .arg("--cache")
            .arg(cache)
            .args(["--rate", "50", "--retries", "0", "--timeout", "5"])
            .args(["--contact", "harvest-tests@example.org"])
            .args(extra)
            .timeout(Duration::from_secs(120))
            .output()
            .unwrap()
    }
}

fn html(body: &str) -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/html")],
        format!("<!DOCTYPE html><html><body>{body}</body></html>"),
    )
        .into_response()
}

fn text(body: &str) -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/plain")],
        body.to_owned(),
    )
        .into_response()
}

fn moved(to: String) -> Response {
    (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, to)]).into_response()
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "not found").into_response()
}

/// The home page links two document pages; robots.txt may forbid the second.
fn pages(path: &str) -> Response {
    match path {
        "/" => html("<a href=\"/document/500001\">open</a> <a href=\"/document/500002\">secret</a>"),
        "/document/500001" | "/document/500002" => html(
            "<article class=\"document\"><h1 class=\"title\">A page</h1>\
             <div class=\"information-block\"><h3 class=\"sub-title\">Record ID</h3><div class=\"text\">1</div></div></article>",
        ),
        _ => not_found(),
    }
}

#[test]
fn robots_txt_redirected_to_another_host_is_followed_there() {
    fn routes(host: &str, path: &str, port: &str) -> Response {
        match (host, path) {
            ("127.0.0.1", "/robots.txt") => moved(format!("http://localhost:{port}/robots.txt")),
            ("localhost", "/robots.txt") => text("User-agent: *\nDisallow: /document/500002\n"),
            _ => pages(path),
        }
    }
    let site = Site::start(routes);
    let dir = tempfile::tempdir().unwrap();
    let output = site.harvest(&dir.path().join("cache"), &[]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let requests = site.requests();
    assert!(
        requests.contains(&"localhost /robots.txt".to_owned()),
        "{requests:?}"
    );
    // Upstream the redirect counted as "no robots.txt", which allows all.
    assert!(
        !requests.iter().any(|r| r.ends_with("/document/500002")),
        "robots.txt forbids /document/500002: {requests:?}"
    );
    assert!(
        requests.iter().any(|r| r.ends_with("/document/500001")),
        "{requests:?}"
    );
}

#[test]
fn robots_txt_past_five_redirects_disallows_everything() {
    fn routes(_host: &str, path: &str, port: &str) -> Response {
        let hop = |n: u32| format!("http://127.0.0.1:{port}/robots-{n}.txt");
        match path {
            "/robots.txt" => moved(hop(1)),
            p if p.starts_with("/robots-") => {
                let n: u32 = p["/robots-".len()..p.len() - ".txt".len()].parse().unwrap();
                if n < 6 {
                    moved(hop(n + 1))
                } else {
                    text("User-agent: *\nAllow: /\n")
                }
            }
            _ => pages(path),
        }
    }
    let site = Site::start(routes);
    let dir = tempfile::tempdir().unwrap();
    let output = site.harvest(&dir.path().join("cache"), &[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !output.status.success() && stderr.contains("robots.txt unreachable"),
        "{stderr}"
    );
    let requests = site.requests();
    // Five redirects followed (RFC 9309 asks for at least five), then no more.
    assert!(
        requests.contains(&"127.0.0.1 /robots-5.txt".to_owned()),
        "{requests:?}"
    );
    let fetched: Vec<&String> = requests.iter().filter(|r| !r.contains("/robots")).collect();
    assert!(
        fetched.is_empty(),
        "robots.txt was unreachable, so nothing may be fetched: {fetched:?}"
    );
}

#[test]
fn an_hour_of_crawl_delay_is_capped() {
    fn routes(_host: &str, path: &str, _port: &str) -> Response {
        match path {
            "/robots.txt" => text("User-agent: *\nCrawl-delay: 3600\n"),
            _ => pages(path),
        }
    }
    let site = Site::start(routes);
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let output = site.harvest(&dir.path().join("cache"), &["--max-crawl-delay", "0.2"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--max-crawl-delay"), "{stderr}");
    let requests = site.requests();
    assert!(
        requests.iter().any(|r| r.ends_with("/document/500002")),
        "{requests:?}"
    );
    // Four requests after robots.txt at 0.2 s each, not an hour each.
    assert!(
        started.elapsed() < Duration::from_secs(100),
        "{:?}",
        started.elapsed()
    );
}
