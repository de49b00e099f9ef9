//! A fake Wikidata API for tests: a tiny HTTP/1.1 server on 127.0.0.1 that answers
//! `GET /w/api.php?action=wbsearchentities&search=…` and
//! `GET /w/api.php?action=wbgetentities&ids=Q1|Q2…` from the JSON fixtures in
//! `tests/data/wikidata/` (see the README there), in the real response format.
//!
//! It records every request (time, action, parameters, User-Agent,
//! status), counts them, can be told to fail the next requests as the real API
//! does under load ([`Failure`]), can delay answers, and reports the most requests
//! it had in flight at once.
//!
//! Like the real API it refuses requests without a User-Agent (403), more than 50
//! ids (`toomanyvalues`), and filters `props` and `languages` of `wbgetentities`.
//! A name with no search fixture gets an empty `search: []`; an id with no entity
//! fixture is `missing`.

use std::collections::{BTreeSet, VecDeque};
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde_json::{json, Map, Value};

/// The default number of search hits, as on the real API.
const DEFAULT_SEARCH_LIMIT: usize = 7;

/// A failure to answer the next request with, as the real API does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// HTTP 200 with a `maxlag` API error and `Retry-After: 1`.
    Maxlag,
    /// HTTP 429 Too Many Requests with `Retry-After: 1`.
    TooManyRequests,
    /// HTTP 503 with an optional `Retry-After` (seconds).
    Unavailable {
        /// The `Retry-After` header, if any.
        retry_after: Option<u64>,
    },
    /// HTTP 200 with `{}`, as a misbehaving proxy or cache answers.
    EmptyObject,
    /// HTTP 200 with a search answer whose one hit has an id that is not
    /// `Q` and digits but N-Triples (an API answer is untrusted input).
    InjectedId,
}

/// The id [`Failure::InjectedId`] answers with.
pub const INJECTED_ID: &str =
    "Q1> <http://example.org/x> <http://example.org/y> .\n<http://example.org/z";

/// One request as the fake saw it.
#[derive(Debug, Clone)]
pub struct RecordedRequest {
    /// When it arrived (after its headers were read).
    pub at: Instant,
    /// The path, e.g. `/w/api.php`.
    pub path: String,
    /// The `action` parameter (empty if none).
    pub action: String,
    /// All query parameters, decoded, in order.
    pub params: Vec<(String, String)>,
    /// The User-Agent header (empty if none).
    pub user_agent: String,
    /// The HTTP status answered.
    pub status: u16,
}

impl RecordedRequest {
    /// The first value of a query parameter.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
struct State {
    log: Vec<RecordedRequest>,
    failures: VecDeque<Failure>,
    delay: Duration,
    in_flight: usize,
    max_in_flight: usize,
}

/// A running fake Wikidata; stops when dropped.
pub struct FakeWikidata {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

/// The fixture directory of this repository: `tests/data/wikidata`.
pub fn fixtures_dir() -> PathBuf {
    crate::repo_path("tests/data/wikidata")
}

/// The fixture file stem of a searched name: lowercase, every run of characters
/// other than letters and digits replaced by one `-` ("Kim Il-sung" → `kim-il-sung`).
pub fn search_key(name: &str) -> String {
    let mut key = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            key.push(c);
        } else if !key.is_empty() && !key.ends_with('-') {
            key.push('-');
        }
    }
    while key.ends_with('-') {
        key.pop();
    }
    key
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(|p| p.into_inner())
}

impl FakeWikidata {
    /// Starts a fake serving the repository's fixtures.
    pub fn start() -> Self {
        Self::start_with(fixtures_dir())
    }

    /// Starts a fake serving the fixtures in `dir` (`search/`, `entities/`).
    pub fn start_with(dir: PathBuf) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        let state = Arc::new(Mutex::new(State::default()));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (state, stop, dir) = (Arc::clone(&state), Arc::clone(&stop), Arc::new(dir));
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let (state, dir) = (Arc::clone(&state), Arc::clone(&dir));
                    std::thread::spawn(move || handle(stream, &state, &dir));
                }
            })
        };
        FakeWikidata {
            addr,
            state,
            stop,
            thread: Some(thread),
        }
    }

    /// The endpoint URL, `http://127.0.0.1:PORT/w/api.php`.
    pub fn endpoint(&self) -> String {
        format!("http://{}/w/api.php", self.addr)
    }

    /// The address listened on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Answers the next request (of any action) with this failure; failures queue up.
    pub fn push_failure(&self, failure: Failure) {
        lock(&self.state).failures.push_back(failure);
    }

    /// Delays every answer by this long (to observe concurrency).
    pub fn set_delay(&self, delay: Duration) {
        lock(&self.state).delay = delay;
    }

    /// Every request so far, in arrival order.
    pub fn log(&self) -> Vec<RecordedRequest> {
        lock(&self.state).log.clone()
    }

    /// How many requests arrived.
    pub fn requests(&self) -> usize {
        lock(&self.state).log.len()
    }

    /// How many requests of one action arrived (failed ones included).
    pub fn requests_for(&self, action: &str) -> usize {
        lock(&self.state)
            .log
            .iter()
            .filter(|r| r.action == action)
            .count()
    }

    /// How many `wbsearchentities` requests arrived.
    pub fn search_requests(&self) -> usize {
        self.requests_for("wbsearchentities")
    }

    /// How many `wbgetentities` requests arrived.
    pub fn entity_requests(&self) -> usize {
        self.requests_for("wbgetentities")
    }

    /// The User-Agent headers seen, in order.
    pub fn user_agents(&self) -> Vec<String> {
        lock(&self.state)
            .log
            .iter()
            .map(|r| r.user_agent.clone())
            .collect()
    }

    /// The most requests that were being answered at the same time.
    pub fn max_in_flight(&self) -> usize {
        lock(&self.state).max_in_flight
    }

    /// Forgets the log and the in-flight maximum (queued failures stay).
    pub fn reset(&self) {
        let mut state = lock(&self.state);
        state.log.clear();
        state.max_in_flight = 0;
    }
}

impl Drop for FakeWikidata {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop.
        let _ = TcpStream::connect(self.addr);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// An answer: status, extra headers, body.
struct Answer {
    status: u16,
    headers: Vec<(&'static str, String)>,
    content_type: &'static str,
    body: Vec<u8>,
}

impl Answer {
    fn json(value: &Value) -> Self {
        Answer {
            status: 200,
            headers: Vec::new(),
            content_type: "application/json; charset=utf-8",
            body: value.to_string().into_bytes(),
        }
    }

    fn text(status: u16, text: &str) -> Self {
        Answer {
            status,
            headers: Vec::new(),
            content_type: "text/plain; charset=utf-8",
            body: text.as_bytes().to_vec(),
        }
    }
}

fn handle(stream: TcpStream, state: &Mutex<State>, dir: &Path) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let Ok(read_half) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(read_half);
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
        return; // the wake-up connection of Drop, or a closed one
    }
    let mut user_agent = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            break;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.trim().eq_ignore_ascii_case("user-agent") {
                user_agent = value.trim().to_owned();
            }
        }
    }
    let at = Instant::now();
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or("").to_owned();
    let target = parts.next().unwrap_or("").to_owned();
    let (path, query) = target.split_once('?').unwrap_or((target.as_str(), ""));
    let params: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    let action = params
        .iter()
        .find(|(k, _)| k == "action")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();

    let (failure, delay) = {
        let mut s = lock(state);
        s.in_flight += 1;
        s.max_in_flight = s.max_in_flight.max(s.in_flight);
        (s.failures.pop_front(), s.delay)
    };
    if !delay.is_zero() {
        std::thread::sleep(delay);
    }
    let answer = if method != "GET" {
        Answer::text(405, "Method Not Allowed")
    } else if path != "/w/api.php" {
        Answer::text(404, "Not Found")
    } else if user_agent.is_empty() {
        Answer::text(
            403,
            "Please set a user-agent and respect our robot policy \
             https://w.wiki/4wJS. See also https://phabricator.wikimedia.org/T400119.",
        )
    } else if let Some(failure) = failure {
        failure_answer(failure)
    } else {
        api_answer(&action, &params, dir)
    };
    {
        // The request stops counting as in flight once its answer is ready:
        // a client holding a slot until it has read the answer may send its
        // next request before this thread would get back from writing it.
        let mut s = lock(state);
        s.in_flight = s.in_flight.saturating_sub(1);
        s.log.push(RecordedRequest {
            at,
            path: path.to_owned(),
            action,
            params,
            user_agent,
            status: answer.status,
        });
    }
    let mut stream = stream;
    let reason = match answer.status {
        200 => "OK",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        429 => "Too Many Requests",
        503 => "Service Unavailable",
        _ => "Error",
    };
    let mut head = format!(
        "HTTP/1.1 {} {reason}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n",
        answer.status,
        answer.content_type,
        answer.body.len()
    );
    for (name, value) in &answer.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&answer.body);
    let _ = stream.flush();
}

fn failure_answer(failure: Failure) -> Answer {
    match failure {
        Failure::EmptyObject => Answer::json(&json!({})),
        Failure::InjectedId => Answer::json(&json!({
            "searchinfo": { "search": "Mao Zedong" },
            "search": [{
                "id": INJECTED_ID,
                "title": INJECTED_ID,
                "concepturi": format!("http://www.wikidata.org/entity/{INJECTED_ID}"),
                "label": "Mao Zedong",
                "match": { "type": "label", "language": "en", "text": "Mao Zedong" }
            }],
            "success": 1
        })),
        Failure::Maxlag => {
            let mut answer = Answer::json(&json!({
                "error": {
                    "code": "maxlag",
                    "info": "Waiting for 10.64.16.27: 7 seconds lagged.",
                    "host": "10.64.16.27",
                    "lag": 7,
                    "type": "db",
                    "*": "See https://www.wikidata.org/w/api.php for API usage. Subscribe to the mediawiki-api-announce mailing list at &lt;https://lists.wikimedia.org/postorius/lists/mediawiki-api-announce.lists.wikimedia.org/&gt; for notice of API deprecations and breaking changes."
                },
                "servedby": "mw1380"
            }));
            answer.headers = vec![
                ("Retry-After", "1".to_owned()),
                ("X-Database-Lag", "7".to_owned()),
                ("MediaWiki-API-Error", "maxlag".to_owned()),
            ];
            answer
        }
        Failure::TooManyRequests => {
            let mut answer = Answer::text(429, "Too many requests. Please slow down.");
            answer.headers = vec![("Retry-After", "1".to_owned())];
            answer
        }
        Failure::Unavailable { retry_after } => {
            let mut answer = Answer::text(503, "Service Temporarily Unavailable");
            if let Some(seconds) = retry_after {
                answer.headers = vec![("Retry-After", seconds.to_string())];
            }
            answer
        }
    }
}

fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn api_error(code: &str, info: &str) -> Answer {
    let mut answer = Answer::json(&json!({
        "error": {
            "code": code,
            "info": info,
            "*": "See https://www.wikidata.org/w/api.php for API usage."
        },
        "servedby": "mw1380"
    }));
    answer
        .headers
        .push(("MediaWiki-API-Error", code.to_owned()));
    answer
}

fn read_json(path: &Path) -> Option<Value> {
    let body = std::fs::read(path).ok()?;
    serde_json::from_slice(&body).ok()
}

fn api_answer(action: &str, params: &[(String, String)], dir: &Path) -> Answer {
    match action {
        "wbsearchentities" => search_answer(params, dir),
        "wbgetentities" => entities_answer(params, dir),
        "" => api_error("missingparam", "The \"action\" parameter must be set."),
        other => api_error(
            "badvalue",
            &format!("Unrecognized value for parameter \"action\": {other}."),
        ),
    }
}

fn search_answer(params: &[(String, String)], dir: &Path) -> Answer {
    let Some(search) = param(params, "search") else {
        return api_error("missingparam", "The \"search\" parameter must be set.");
    };
    let limit = param(params, "limit")
        .and_then(|l| l.parse::<usize>().ok())
        .unwrap_or(DEFAULT_SEARCH_LIMIT)
        .clamp(1, 50);
    let offset = param(params, "continue")
        .and_then(|c| c.parse::<usize>().ok())
        .unwrap_or(0);
    let file = dir
        .join("search")
        .join(format!("{}.json", search_key(search)));
    let mut response = read_json(&file).unwrap_or_else(|| json!({"search": [], "success": 1}));
    let hits: Vec<Value> = response
        .get("search")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let page: Vec<Value> = hits.iter().skip(offset).take(limit).cloned().collect();
    let more = hits.len() > offset + limit;
    if let Some(object) = response.as_object_mut() {
        let mut out = Map::new();
        out.insert("searchinfo".into(), json!({ "search": search }));
        out.insert("search".into(), Value::Array(page));
        if more {
            out.insert("search-continue".into(), json!(offset + limit));
        }
        for (k, v) in object.iter() {
            if !matches!(k.as_str(), "searchinfo" | "search" | "search-continue") {
                out.insert(k.clone(), v.clone());
            }
        }
        *object = out;
    }
    Answer::json(&response)
}

fn is_entity_id(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some('Q' | 'P' | 'L'))
        && id.len() > 1
        && chars.all(|c| c.is_ascii_digit())
}

fn entities_answer(params: &[(String, String)], dir: &Path) -> Answer {
    let Some(ids) = param(params, "ids") else {
        return api_error(
            "param-missing",
            "Either provide the item \"ids\" or pairs of \"sites\" and \"titles\" for corresponding pages.",
        );
    };
    let ids: Vec<&str> = ids.split('|').filter(|i| !i.is_empty()).collect();
    if ids.len() > 50 {
        let mut answer = api_error(
            "toomanyvalues",
            "Too many values supplied for parameter \"ids\". The limit is 50.",
        );
        answer.body = {
            let mut v: Value = serde_json::from_slice(&answer.body).unwrap_or(Value::Null);
            v["error"]["limit"] = json!(50);
            v["error"]["lowlimit"] = json!(50);
            v["error"]["highlimit"] = json!(500);
            v.to_string().into_bytes()
        };
        return answer;
    }
    let props: BTreeSet<String> = param(params, "props")
        .unwrap_or("info|sitelinks|aliases|labels|descriptions|claims|datatype")
        .split('|')
        .map(str::to_owned)
        .collect();
    let languages: Option<BTreeSet<String>> =
        param(params, "languages").map(|l| l.split('|').map(str::to_owned).collect());
    let mut entities = Map::new();
    for id in ids {
        if !is_entity_id(id) {
            return api_error(
                "no-such-entity",
                &format!("Could not find an entity with the ID \"{id}\"."),
            );
        }
        let file = dir.join("entities").join(format!("{id}.json"));
        let entity = read_json(&file)
            .and_then(|v| v.get("entities").and_then(|e| e.get(id)).cloned())
            .map(|e| filter_entity(e, &props, languages.as_ref()))
            .unwrap_or_else(|| json!({"id": id, "missing": ""}));
        entities.insert(id.to_owned(), entity);
    }
    Answer::json(&json!({"entities": entities, "success": 1}))
}

fn filter_entity(
    entity: Value,
    props: &BTreeSet<String>,
    languages: Option<&BTreeSet<String>>,
) -> Value {
    let Value::Object(object) = entity else {
        return entity;
    };
    let info = ["pageid", "ns", "title", "lastrevid", "modified"];
    let mut out = Map::new();
    for (k, v) in object {
        let keep = match k.as_str() {
            "type" | "id" | "redirects" | "missing" => true,
            key if info.contains(&key) => props.contains("info"),
            "sitelinks" => props.iter().any(|p| p.starts_with("sitelinks")),
            key => props.contains(key),
        };
        if !keep {
            continue;
        }
        let v = match (k.as_str(), languages, v) {
            ("labels" | "descriptions" | "aliases", Some(langs), Value::Object(by_lang)) => {
                Value::Object(
                    by_lang
                        .into_iter()
                        .filter(|(l, _)| langs.contains(l))
                        .collect(),
                )
            }
            (_, _, v) => v,
        };
        out.insert(k, v);
    }
    Value::Object(out)
}
