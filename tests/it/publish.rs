//! `chronograph publish --to URL` against a real Graph Store Protocol server:
//! `oxigraph serve` (Oxigraph's own server, `tools/oxigraph-cli`, built by
//! `scripts/test.sh`) on 127.0.0.1, behind a small proxy started by the test
//! that asks for Basic authentication, answers 503 to the first requests and
//! can refuse requests after a number of them (an interruption). The pushed
//! graphs, read back from the server's store, are isomorphic to the local ones.
//! A second server, in the test, asks for HTTP Digest (SHA-256, `auth-int`,
//! nonces going stale), as Virtuoso does (scripts/virtuoso.sh pushes to a real one).

use std::collections::BTreeMap;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use base64::Engine as _;
use oxigraph::model::dataset::CanonicalizationAlgorithm;
use oxigraph::model::{Dataset, GraphName, Quad};
use oxigraph::store::Store;

use chronograph_testkit as common;

const USER: &str = "curator";
const PASSWORD: &str = "s3cret";

/// The oxigraph binary next to chronograph's.
fn oxigraph_binary() -> PathBuf {
    let chronograph = PathBuf::from(env!("CARGO_BIN_EXE_chronograph"));
    let binary = chronograph.with_file_name("oxigraph");
    assert!(
        binary.exists(),
        "{} is missing: build Oxigraph's server with `cargo build --workspace` \
         (scripts/test.sh builds the workspace before the tests)",
        binary.display()
    );
    binary
}

/// `oxigraph serve` on a free 127.0.0.1 port, killed on drop.
struct OxigraphServer {
    child: Child,
    port: u16,
}

impl OxigraphServer {
    fn start(location: &Path) -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(oxigraph_binary())
            .args(["serve", "--location"])
            .arg(location)
            .args(["--bind", &format!("127.0.0.1:{port}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start oxigraph serve");
        let server = Self { child, port };
        let started = Instant::now();
        let client = reqwest::blocking::Client::new();
        while client
            .get(format!("http://127.0.0.1:{port}/"))
            .send()
            .is_err()
        {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "oxigraph serve did not answer"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        server
    }

    fn stop(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for OxigraphServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What the proxy does and saw.
#[derive(Default)]
struct ProxyState {
    /// Answer 503 (with `Retry-After: 0`) to this many more requests.
    unavailable: usize,
    /// After this many more forwarded requests, answer 403 to everything.
    refuse_after: Option<usize>,
    /// Requests seen (method and graph), forwarded or not, with their status.
    log: Vec<(String, String, u16)>,
}

struct Proxy {
    state: Arc<Mutex<ProxyState>>,
    port: u16,
    _runtime: tokio::runtime::Runtime,
}

impl Proxy {
    fn start(upstream: u16) -> Self {
        let state = Arc::new(Mutex::new(ProxyState::default()));
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let shared = (Arc::clone(&state), upstream);
        runtime.spawn(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            let app = Router::new().fallback(forward).with_state(Arc::new(shared));
            axum::serve(listener, app).await.unwrap();
        });
        Self {
            state,
            port,
            _runtime: runtime,
        }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/store", self.port)
    }

    fn state(&self) -> std::sync::MutexGuard<'_, ProxyState> {
        self.state.lock().unwrap()
    }
}

async fn forward(
    State(shared): State<Arc<(Arc<Mutex<ProxyState>>, u16)>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (state, upstream) = &*shared;
    let graph = uri
        .query()
        .and_then(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .find(|(k, _)| k == "graph")
                .map(|(_, v)| v.into_owned())
        })
        .unwrap_or_default();
    let expected = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{USER}:{PASSWORD}"))
    );
    let verdict = {
        let mut s = state.lock().unwrap();
        if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(expected.as_str()) {
            Some((StatusCode::UNAUTHORIZED, "wrong or missing credentials"))
        } else if s.unavailable > 0 {
            s.unavailable -= 1;
            Some((StatusCode::SERVICE_UNAVAILABLE, "busy"))
        } else if s.refuse_after == Some(0) {
            Some((StatusCode::FORBIDDEN, "quota exceeded"))
        } else {
            if let Some(n) = s.refuse_after.as_mut() {
                *n -= 1;
            }
            None
        }
    };
    let response = match verdict {
        Some((status, message)) => {
            let mut response = (status, message).into_response();
            if status == StatusCode::SERVICE_UNAVAILABLE {
                response
                    .headers_mut()
                    .insert("retry-after", "0".parse().unwrap());
            }
            response
        }
        None => {
            let client = reqwest::Client::new();
            let url = format!(
                "http://127.0.0.1:{upstream}{}",
                uri.path_and_query().map_or("/", |p| p.as_str())
            );
            let mut request = client.request(method.clone(), url).body(body);
            if let Some(ct) = headers.get("content-type") {
                request = request.header("content-type", ct.clone());
            }
            match request.send().await {
                Ok(answer) => {
                    let status = answer.status();
                    let text = answer.bytes().await.unwrap_or_default();
                    (status, text).into_response()
                }
                Err(e) => (StatusCode::BAD_GATEWAY, e.to_string()).into_response(),
            }
        }
    };
    state
        .lock()
        .unwrap()
        .log
        .push((method.to_string(), graph, response.status().as_u16()));
    response
}

fn publish(store: &Path, to: &str, password: &str, state: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chronograph"))
        .args(["publish", "--store"])
        .arg(store)
        .args([
            "--to",
            to,
            "--batch",
            "150",
            "--user",
            USER,
            "--backoff",
            "0.01",
        ])
        .arg("--state")
        .arg(state)
        .env("CHRONOGRAPH_PUBLISH_PASSWORD", password)
        .output()
        .unwrap()
}

/// Every named graph but the union graph, blank nodes canonicalized.
/// A store's quads but those of the derived graphs (union and statistics,
/// which publish leaves home), canonicalized.
fn dataset(store: &Store, base: &str) -> Dataset {
    let derived = [
        format!("{base}graph/union"),
        format!("{base}graph/statistics"),
    ];
    let mut dataset = Dataset::new();
    for quad in store.iter() {
        let quad: Quad = quad.unwrap();
        if matches!(&quad.graph_name, GraphName::NamedNode(g) if derived.iter().any(|d| d == g.as_str()))
        {
            continue;
        }
        dataset.insert(&quad);
    }
    dataset.canonicalize(CanonicalizationAlgorithm::Unstable);
    dataset
}

#[test]
fn publish_pushes_every_graph_to_oxigraph_serve_with_retries_auth_and_a_resume_point() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let loaded = Command::new(env!("CARGO_BIN_EXE_chronograph"))
        .args(["load", "--store"])
        .arg(&store)
        .arg("--authority")
        .arg(common::repo_path("data/sample/authority.csv"))
        .arg(common::repo_path("data/sample"))
        .output()
        .unwrap();
    assert!(loaded.status.success(), "{loaded:?}");
    let remote = dir.path().join("remote");
    let server = OxigraphServer::start(&remote);
    let proxy = Proxy::start(server.port);
    let state = dir.path().join("publish-state.json");

    // A wrong password: refused, with the server's answer.
    let wrong = publish(&store, &proxy.url(), "guess", &state);
    assert!(!wrong.status.success());
    let stderr = String::from_utf8_lossy(&wrong.stderr);
    assert!(stderr.contains("401"), "{stderr}");

    // Busy at first (retried), then cut off after 12 requests (a 403, not retried).
    {
        let mut s = proxy.state();
        s.log.clear();
        s.unavailable = 3;
        s.refuse_after = Some(12);
    }
    let cut = publish(&store, &proxy.url(), PASSWORD, &state);
    assert!(!cut.status.success());
    let stderr = String::from_utf8_lossy(&cut.stderr);
    assert!(
        stderr.contains("403") && stderr.contains("quota exceeded"),
        "{stderr}"
    );
    let first_log = std::mem::take(&mut proxy.state().log);
    assert_eq!(
        first_log.iter().filter(|(_, _, s)| *s == 503).count(),
        3,
        "{first_log:?}"
    );
    let recorded: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&state).expect("a resume point")).unwrap();
    let done_before: Vec<String> = recorded["endpoints"][proxy.url().as_str()]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert!(!done_before.is_empty(), "no graph finished before the cut");

    // The same command again: resumes, sending nothing for the graphs done.
    proxy.state().refuse_after = None;
    let resumed = publish(&store, &proxy.url(), PASSWORD, &state);
    let stdout = String::from_utf8_lossy(&resumed.stdout);
    assert!(resumed.status.success(), "{resumed:?}");
    println!("{stdout}");
    assert!(
        stdout.contains(&format!(
            "; {} already there and unchanged",
            done_before.len()
        )),
        "{stdout}"
    );
    let second_log = std::mem::take(&mut proxy.state().log);
    for (_, graph, _) in &second_log {
        assert!(!done_before.contains(graph), "{graph} pushed again");
    }
    // The first request of a run is the authentication probe, without credentials
    // (an empty POST, answered 401); the proxy's 401 has no challenge, so Basic follows.
    assert_eq!(second_log[0].0, "POST", "{second_log:?}");
    assert_eq!(second_log[0].2, 401, "{second_log:?}");
    assert_eq!(
        second_log.iter().filter(|(_, _, s)| *s == 401).count(),
        1,
        "{second_log:?}"
    );
    // Big graphs went in several batches: a PUT, then POSTs.
    let mut methods: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (method, graph, _) in second_log.iter().filter(|(_, _, s)| *s != 401) {
        methods.entry(graph).or_default().push(method);
    }
    assert!(methods
        .values()
        .all(|m| m[0] == "PUT" && m[1..].iter().all(|x| *x == "POST")));
    assert!(methods.values().any(|m| m.len() > 1), "{methods:?}");

    // A third run has nothing to do.
    let again = publish(&store, &proxy.url(), PASSWORD, &state);
    let stdout = String::from_utf8_lossy(&again.stdout);
    assert!(stdout.starts_with("pushed 0 of "), "{stdout}");
    assert!(proxy.state().log.is_empty());

    // What the server holds is what the local store holds.
    server.stop();
    let local = Store::open_read_only(&store).unwrap();
    let base = chronograph_core::mapping::iri::DEFAULT_BASE;
    let remote_store = Store::open(&remote).unwrap();
    let (local, remote) = (dataset(&local, base), dataset(&remote_store, base));
    // The derived graphs stayed home.
    for derived in ["graph/union", "graph/statistics"] {
        let graph = oxigraph::model::NamedNode::new(format!("{base}{derived}")).unwrap();
        assert!(
            !remote_store.contains_named_graph(&graph).unwrap()
                || remote_store
                    .quads_for_pattern(None, None, None, Some((&graph).into()))
                    .next()
                    .is_none(),
            "{graph} was pushed"
        );
    }
    let graphs = |d: &Dataset| {
        d.iter()
            .filter_map(|q| match q.graph_name {
                oxigraph::model::GraphNameRef::NamedNode(g) => Some(g.as_str().to_owned()),
                _ => None,
            })
            .collect::<std::collections::BTreeSet<_>>()
    };
    assert!(graphs(&local).len() > 20);
    assert_eq!(graphs(&local), graphs(&remote));
    assert_eq!(local.len(), remote.len());
    assert!(
        local == remote,
        "the pushed dataset is not isomorphic to the local one"
    );
    // The ontology graph, with its blank nodes, made it too.
    assert!(remote.iter().any(|q| matches!(
        q.subject,
        oxigraph::model::NamedOrBlankNodeRef::BlankNode(_)
    )));
}

/// A Graph Store endpoint that asks for HTTP Digest (RFC 7616: SHA-256,
/// `qop=auth-int`), checked here by hand with `sha2`, independently of the
/// client's crate. Its nonce goes stale after every few writes. It keeps what
/// it is sent: PUT replaces a graph's N-Triples, POST appends to them.
#[derive(Default)]
struct DigestState {
    nonce: String,
    /// Nonces issued before the current one (answered `stale=true`).
    old_nonces: Vec<String>,
    /// Writes accepted with the current nonce.
    uses: usize,
    graphs: BTreeMap<String, Vec<u8>>,
    /// Method, graph, status and the Authorization scheme of every request.
    log: Vec<(String, String, u16, String)>,
}

const REALM: &str = "chronograph-test";

fn sha256_hex(data: &[u8]) -> String {
    use sha2::Digest as _;
    hex::encode(sha2::Sha256::digest(data))
}

/// The `key=value` and `key="value"` pairs of a Digest Authorization header.
fn digest_params(header: &str) -> BTreeMap<String, String> {
    let mut params = BTreeMap::new();
    let mut rest = header.trim();
    while !rest.is_empty() {
        let Some((key, after)) = rest.split_once('=') else {
            break;
        };
        let key = key.trim().trim_start_matches(',').trim().to_owned();
        let (value, after) = if let Some(quoted) = after.strip_prefix('"') {
            let end = quoted.find('"').unwrap_or(quoted.len());
            (
                quoted[..end].to_owned(),
                &quoted[(end + 1).min(quoted.len())..],
            )
        } else {
            let end = after.find(',').unwrap_or(after.len());
            (after[..end].trim().to_owned(), &after[end..])
        };
        params.insert(key, value);
        rest = after.trim_start_matches(',').trim();
    }
    params
}

/// `Ok` for a valid Digest answer to the current nonce, else `Err(stale)`.
fn check_digest(
    state: &DigestState,
    method: &str,
    target: &str,
    authorization: &str,
    body: &[u8],
) -> Result<(), bool> {
    let Some(rest) = authorization.strip_prefix("Digest ") else {
        return Err(false);
    };
    let p = digest_params(rest);
    let get = |k: &str| p.get(k).map(String::as_str).unwrap_or("");
    if get("username") != USER || get("realm") != REALM || get("uri") != target {
        return Err(false);
    }
    if get("algorithm") != "SHA-256" || get("qop") != "auth-int" {
        return Err(false);
    }
    let nonce = get("nonce");
    if nonce != state.nonce {
        return Err(state.old_nonces.iter().any(|n| n == nonce));
    }
    let ha1 = sha256_hex(format!("{USER}:{REALM}:{PASSWORD}").as_bytes());
    let ha2 = sha256_hex(format!("{method}:{target}:{}", sha256_hex(body)).as_bytes());
    let expected = sha256_hex(
        format!(
            "{ha1}:{nonce}:{}:{}:auth-int:{ha2}",
            get("nc"),
            get("cnonce")
        )
        .as_bytes(),
    );
    if get("response") == expected {
        Ok(())
    } else {
        Err(false)
    }
}

async fn digest_endpoint(
    State(state): State<Arc<Mutex<DigestState>>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let graph = uri
        .query()
        .and_then(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .find(|(k, _)| k == "graph")
                .map(|(_, v)| v.into_owned())
        })
        .unwrap_or_default();
    let target = uri.path_and_query().map_or("/", |p| p.as_str());
    let authorization = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let scheme = authorization
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_owned();
    let mut s = state.lock().unwrap();
    let verdict = check_digest(&s, method.as_str(), target, authorization, &body);
    let response = match verdict {
        Ok(()) => {
            let stored = s.graphs.entry(graph.clone()).or_default();
            if method == Method::PUT {
                stored.clear();
            }
            stored.extend_from_slice(&body);
            s.uses += 1;
            if s.uses == 5 {
                let next = format!("nonce-{}", s.old_nonces.len() + 1);
                let old = std::mem::replace(&mut s.nonce, next);
                s.old_nonces.push(old);
                s.uses = 0;
            }
            StatusCode::NO_CONTENT.into_response()
        }
        Err(stale) => {
            let mut response = StatusCode::UNAUTHORIZED.into_response();
            let challenge = format!(
                "Digest realm=\"{REALM}\", qop=\"auth-int\", algorithm=SHA-256, nonce=\"{}\", \
                 opaque=\"x\", stale={stale}",
                s.nonce
            );
            response
                .headers_mut()
                .insert("www-authenticate", challenge.parse().unwrap());
            response
        }
    };
    s.log.push((
        method.to_string(),
        graph,
        response.status().as_u16(),
        scheme,
    ));
    response
}

#[test]
fn publish_answers_a_digest_challenge_and_never_sends_the_password_in_the_clear() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let loaded = Command::new(env!("CARGO_BIN_EXE_chronograph"))
        .args(["load", "--store"])
        .arg(&store)
        .arg(common::repo_path("data/sample/people"))
        .output()
        .unwrap();
    assert!(loaded.status.success(), "{loaded:?}");

    let state = Arc::new(Mutex::new(DigestState {
        nonce: "nonce-0".to_owned(),
        ..DigestState::default()
    }));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!(
        "http://127.0.0.1:{}/sparql-graph-crud-auth",
        listener.local_addr().unwrap().port()
    );
    let shared = Arc::clone(&state);
    runtime.spawn(async move {
        let listener = tokio::net::TcpListener::from_std(listener).unwrap();
        let app = Router::new().fallback(digest_endpoint).with_state(shared);
        axum::serve(listener, app).await.unwrap();
    });

    // A wrong password: the Digest answer is refused, with a 401.
    let wrong = publish(&store, &url, "guess", &dir.path().join("wrong.json"));
    assert!(!wrong.status.success());
    let stderr = String::from_utf8_lossy(&wrong.stderr);
    assert!(
        stderr.contains("401") && stderr.contains("credentials were refused"),
        "{stderr}"
    );

    state.lock().unwrap().log.clear();
    let pushed = publish(&store, &url, PASSWORD, &dir.path().join("state.json"));
    assert!(pushed.status.success(), "{pushed:?}");
    let stdout = String::from_utf8_lossy(&pushed.stdout);
    println!("{stdout}");
    let s = state.lock().unwrap();
    // One probe without credentials, then Digest only: never Basic.
    assert_eq!(
        s.log[0],
        (s.log[0].0.clone(), s.log[0].1.clone(), 401, String::new())
    );
    assert!(
        s.log[1..]
            .iter()
            .all(|(_, _, _, scheme)| scheme == "Digest"),
        "{:?}",
        s.log
    );
    // Nonces went stale and were answered again; batches of 150 made POSTs.
    assert!(!s.old_nonces.is_empty());
    assert!(s.log.iter().any(|(m, _, st, _)| m == "POST" && *st == 204));
    let stale_401s = s.log[1..].iter().filter(|(_, _, st, _)| *st == 401).count();
    assert!(stale_401s >= 1, "{:?}", s.log);

    // What the server holds is what the local store holds.
    let mut remote = Dataset::new();
    for (graph, ntriples) in &s.graphs {
        let name = oxigraph::model::NamedNode::new(graph.as_str()).unwrap();
        for quad in oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::NTriples)
            .with_default_graph(name)
            .for_slice(ntriples)
        {
            remote.insert(&quad.unwrap());
        }
    }
    remote.canonicalize(CanonicalizationAlgorithm::Unstable);
    let local = dataset(
        &Store::open_read_only(&store).unwrap(),
        chronograph_core::mapping::iri::DEFAULT_BASE,
    );
    assert!(local.len() > 100);
    assert!(
        local == remote,
        "the pushed dataset is not isomorphic to the local one"
    );
}
