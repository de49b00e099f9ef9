//! A polite, cached, blocking client for Wikidata's MediaWiki API.
//!
//! Politeness as Wikimedia asks: a descriptive User-Agent with a contact,
//! `maxlag=5` and `format=json` on every request, and on a `maxlag` error or an
//! HTTP 429/503 a wait for `Retry-After` (else exponential backoff with jitter),
//! up to a number of retries. Every thread waits out a pause that one of them was
//! told to take. A concurrency cap bounds the requests in flight (the client is
//! `Sync`: share it between at most that many threads, or use
//! [`WikidataClient::search_many`]), and a request budget bounds the total.
//!
//! Every successful answer is kept in an on-disk cache: the key is the SHA-256 of
//! the canonical request (endpoint and sorted parameters, without `maxlag`), the
//! value the response body, written atomically. A cache hit makes no request; in
//! offline mode a miss is [`ClientError::NotInCache`], naming the request.
//!
//! The client uses `reqwest::blocking`: call it from plain threads, not from
//! inside an async runtime.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use super::wikidata::{ApiEntity, Entity, ErrorResponse, GetEntitiesResponse, SearchResponse};

/// The public Wikidata API endpoint.
pub const DEFAULT_ENDPOINT: &str = "https://www.wikidata.org/w/api.php";
/// The most ids `wbgetentities` accepts in one request (for normal users).
pub const MAX_IDS_PER_REQUEST: usize = 50;
/// The properties asked of `wbgetentities`.
pub const ENTITY_PROPS: &str = "labels|aliases|descriptions|claims";

pub use chronograph_core::http::default_user_agent;
use chronograph_core::http::{backoff, parse_retry_after};

/// Settings of a [`WikidataClient`].
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// The `api.php` endpoint.
    pub endpoint: String,
    /// `language` of `wbsearchentities`: the language searched.
    pub language: String,
    /// `uselang`: the language of labels and descriptions in search hits.
    pub uselang: String,
    /// `languages` of `wbgetentities`: the languages of labels, aliases, descriptions.
    pub languages: Vec<String>,
    /// `limit` of `wbsearchentities` (the API allows 1–50).
    pub search_limit: u32,
    /// The User-Agent header.
    pub user_agent: String,
    /// `maxlag` in seconds.
    pub maxlag: u32,
    /// Retries after a `maxlag` error, HTTP 429/5xx or a transport error.
    pub max_retries: u32,
    /// First backoff wait when the server gives no `Retry-After`; doubles each retry.
    pub backoff_base: Duration,
    /// Cap on any single wait, `Retry-After` included.
    pub max_wait: Duration,
    /// The most HTTP requests this client may send (retries count); `None`: no limit.
    pub budget: Option<u64>,
    /// The most requests in flight at once (at least 1).
    pub concurrency: usize,
    /// Per-request timeout.
    pub timeout: Duration,
    /// The cache directory; `None`: no cache.
    pub cache_dir: Option<PathBuf>,
    /// Answer from the cache only; a miss is an error.
    pub offline: bool,
    /// The largest answer read, in bytes (a longer one is an error, and is
    /// never held whole).
    pub max_answer_bytes: u64,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            endpoint: DEFAULT_ENDPOINT.to_owned(),
            language: "en".to_owned(),
            uselang: "en".to_owned(),
            languages: ["en", "ru", "zh", "ko", "de", "fr"]
                .map(str::to_owned)
                .to_vec(),
            search_limit: 10,
            user_agent: default_user_agent(None),
            maxlag: 5,
            max_retries: 5,
            backoff_base: Duration::from_secs(1),
            max_wait: Duration::from_secs(60),
            budget: None,
            concurrency: 2,
            timeout: Duration::from_secs(30),
            cache_dir: None,
            offline: false,
            max_answer_bytes: MAX_ANSWER_BYTES,
        }
    }
}

/// What went wrong talking to the API. Every variant names the request.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The HTTP client could not be built (e.g. TLS backend).
    #[error("cannot build the HTTP client: {0}")]
    Build(#[source] reqwest::Error),
    /// An id that is not a Wikidata entity id (`Q123`, `P31`, `L1`).
    #[error("not a Wikidata entity id: {0:?}")]
    InvalidId(String),
    /// The connection failed or timed out, and retries did not help.
    #[error("{request}: {source}")]
    Transport {
        /// The request.
        request: String,
        /// The cause.
        #[source]
        source: reqwest::Error,
    },
    /// An HTTP status other than 200 that is not retried, or still there after the retries.
    #[error("{request}: HTTP status {status}")]
    Http {
        /// The request.
        request: String,
        /// The status code.
        status: u16,
    },
    /// The API answered with an error (after the retries, for `maxlag`).
    #[error("{request}: API error {code}: {info}")]
    Api {
        /// The request.
        request: String,
        /// The error code, e.g. `maxlag`, `toomanyvalues`.
        code: String,
        /// The explanation.
        info: String,
    },
    /// The answer is not the JSON expected.
    #[error("{request}: unexpected response: {source}")]
    Json {
        /// The request.
        request: String,
        /// The parse error.
        #[source]
        source: serde_json::Error,
    },
    /// The request budget is spent.
    /// A 200 whose body is not the answer asked for (an empty `{}` from a
    /// proxy, an HTML page, a body past the size cap): retried, never cached.
    #[error("{request}: not a Wikidata API answer: {reason}")]
    Malformed {
        /// What was asked.
        request: String,
        /// What was wrong.
        reason: String,
    },
    #[error("request budget of {budget} request(s) spent; not sent: {request}")]
    BudgetExhausted {
        /// The budget.
        budget: u64,
        /// The request that was not sent.
        request: String,
    },
    /// Offline, and the answer is not in the cache.
    #[error("offline and not in the cache: {request}")]
    NotInCache {
        /// The request.
        request: String,
        /// The cache file that would hold it (if there is a cache).
        path: Option<PathBuf>,
    },
    /// The cache could not be read or written.
    #[error("cache file {path}: {source}")]
    Cache {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
}

/// Counters of a client, for the final summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClientStats {
    /// HTTP requests sent (retries included).
    pub requests: u64,
    /// Answers taken from the cache.
    pub cache_hits: u64,
    /// Retries after `maxlag`, 429/5xx or transport errors.
    pub retries: u64,
    /// Total time spent waiting before retries.
    pub waited: Duration,
}

/// A polite, cached client for the Wikidata API. `Sync`: share it by reference.
#[derive(Debug)]
pub struct WikidataClient {
    config: ClientConfig,
    http: reqwest::blocking::Client,
    requests: AtomicU64,
    cache_hits: AtomicU64,
    retries: AtomicU64,
    waited_ms: AtomicU64,
    in_flight: Mutex<usize>,
    slot_free: Condvar,
    /// No request is sent before this instant (set by `maxlag`, 429, 503).
    pause_until: Mutex<Option<Instant>>,
}

/// Why an attempt failed.
enum AttemptError {
    /// Worth another try: after this long (from `Retry-After`), or a backoff if `None`.
    Retry(Option<Duration>, ClientError),
    /// Final.
    Fatal(ClientError),
}

impl WikidataClient {
    /// A client with these settings.
    pub fn new(config: ClientConfig) -> Result<Self, ClientError> {
        let http = reqwest::blocking::Client::builder()
            .user_agent(config.user_agent.clone())
            .timeout(config.timeout)
            .build()
            .map_err(ClientError::Build)?;
        Ok(WikidataClient {
            config,
            http,
            requests: AtomicU64::new(0),
            cache_hits: AtomicU64::new(0),
            retries: AtomicU64::new(0),
            waited_ms: AtomicU64::new(0),
            in_flight: Mutex::new(0),
            slot_free: Condvar::new(),
            pause_until: Mutex::new(None),
        })
    }

    /// The settings.
    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// The counters so far.
    pub fn stats(&self) -> ClientStats {
        ClientStats {
            requests: self.requests.load(Ordering::Relaxed),
            cache_hits: self.cache_hits.load(Ordering::Relaxed),
            retries: self.retries.load(Ordering::Relaxed),
            waited: Duration::from_millis(self.waited_ms.load(Ordering::Relaxed)),
        }
    }

    /// `wbsearchentities` for one name, in the configured `language`.
    pub fn search(&self, name: &str) -> Result<SearchResponse, ClientError> {
        self.search_in(name, &self.config.language)
    }

    /// `wbsearchentities` for one name in a given language (items only).
    pub fn search_in(&self, name: &str, language: &str) -> Result<SearchResponse, ClientError> {
        let limit = self.config.search_limit.clamp(1, 50).to_string();
        let params = [
            ("action", "wbsearchentities"),
            ("search", name),
            ("language", language),
            ("uselang", self.config.uselang.as_str()),
            ("type", "item"),
            ("limit", limit.as_str()),
        ];
        let body = self.call(&params)?;
        let mut response: SearchResponse =
            serde_json::from_slice(&body).map_err(|source| ClientError::Json {
                request: describe(&params),
                source,
            })?;
        // Ids become IRIs: one that is not `Q` and digits never does.
        response.search.retain(|hit| {
            let valid = is_entity_id(&hit.id);
            if !valid {
                tracing::warn!(id = %hit.id, "search hit with an invalid entity id dropped");
            }
            valid
        });
        Ok(response)
    }

    /// `wbsearchentities` for many names on at most `concurrency` threads; the
    /// answers are in the order of the names.
    pub fn search_many<S: AsRef<str> + Sync>(
        &self,
        names: &[S],
    ) -> Vec<Result<SearchResponse, ClientError>> {
        let workers = self.config.concurrency.max(1).min(names.len().max(1));
        let next = AtomicU64::new(0);
        let next = &next;
        let mut answers: Vec<(usize, Result<SearchResponse, ClientError>)> =
            std::thread::scope(|scope| {
                let handles: Vec<_> = (0..workers)
                    .map(|_| {
                        scope.spawn(move || {
                            let mut mine = Vec::new();
                            loop {
                                let i = next.fetch_add(1, Ordering::Relaxed) as usize;
                                let Some(name) = names.get(i) else { break };
                                mine.push((i, self.search(name.as_ref())));
                            }
                            mine
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
                    .collect()
            });
        answers.sort_by_key(|(i, _)| *i);
        answers.into_iter().map(|(_, r)| r).collect()
    }

    /// `wbgetentities` for any number of ids, in batches of at most 50 (duplicates
    /// asked once), with `props=labels|aliases|descriptions|claims` in the
    /// configured languages. The map is keyed as the API keys it (the requested
    /// id; see [`ApiEntity::redirects`]); missing entities are included, marked.
    pub fn get_entities<S: AsRef<str>>(
        &self,
        ids: &[S],
    ) -> Result<BTreeMap<String, ApiEntity>, ClientError> {
        let mut unique: Vec<&str> = Vec::new();
        for id in ids {
            let id = id.as_ref();
            if !is_entity_id(id) {
                return Err(ClientError::InvalidId(id.to_owned()));
            }
            if !unique.contains(&id) {
                unique.push(id);
            }
        }
        let languages = self.config.languages.join("|");
        let mut out = BTreeMap::new();
        for batch in unique.chunks(MAX_IDS_PER_REQUEST) {
            let joined = batch.join("|");
            let mut params = vec![
                ("action", "wbgetentities"),
                ("ids", joined.as_str()),
                ("props", ENTITY_PROPS),
            ];
            if !languages.is_empty() {
                params.push(("languages", languages.as_str()));
            }
            let body = self.call(&params)?;
            let response: GetEntitiesResponse =
                serde_json::from_slice(&body).map_err(|source| ClientError::Json {
                    request: describe(&params),
                    source,
                })?;
            out.extend(response.entities);
        }
        Ok(out)
    }

    /// [`Self::get_entities`] distilled: the entities that exist, by their id
    /// (after redirects).
    pub fn entities<S: AsRef<str>>(
        &self,
        ids: &[S],
    ) -> Result<BTreeMap<String, Entity>, ClientError> {
        Ok(self
            .get_entities(ids)?
            .values()
            .filter_map(Entity::from_api)
            .map(|e| (e.id.clone(), e))
            .collect())
    }

    /// The cache file of a request (whether or not it exists), if there is a cache.
    pub fn cache_path(&self, params: &[(&str, &str)]) -> Option<PathBuf> {
        let key = cache_key(&self.config.endpoint, params);
        self.config
            .cache_dir
            .as_ref()
            .map(|dir| dir.join(&key[..2]).join(format!("{key}.json")))
    }

    /// One API request (`format=json` and `maxlag` are added): the response body,
    /// from the cache or the network. Only answers that are not API errors are
    /// cached.
    pub fn call(&self, params: &[(&str, &str)]) -> Result<Vec<u8>, ClientError> {
        let request = describe(params);
        let path = self.cache_path(params);
        if let Some(path) = &path {
            if let Some(body) = read_cache(path, self.config.offline)? {
                self.cache_hits.fetch_add(1, Ordering::Relaxed);
                return Ok(body);
            }
        }
        if self.config.offline {
            return Err(ClientError::NotInCache { request, path });
        }
        let body = self.fetch(params, &request)?;
        if let Some(path) = &path {
            write_atomically(path, &body)?;
        }
        Ok(body)
    }

    /// Sends a request, retrying politely.
    fn fetch(&self, params: &[(&str, &str)], request: &str) -> Result<Vec<u8>, ClientError> {
        let maxlag = self.config.maxlag.to_string();
        let mut query: Vec<(&str, &str)> = params.to_vec();
        query.push(("format", "json"));
        query.push(("maxlag", maxlag.as_str()));
        let url = format!(
            "{}?{}",
            self.config.endpoint,
            form_urlencoded::Serializer::new(String::new())
                .extend_pairs(&query)
                .finish()
        );
        let mut attempt: u32 = 0;
        let action = params
            .iter()
            .find(|(k, _)| *k == "action")
            .map_or("", |(_, v)| *v);
        loop {
            let (wait, error) = match self.attempt(&url, request) {
                Ok(body) => match answer_shape_problem(action, &body) {
                    None => return Ok(body),
                    Some(reason) => (
                        None,
                        ClientError::Malformed {
                            request: request.to_owned(),
                            reason,
                        },
                    ),
                },
                Err(AttemptError::Fatal(error)) => return Err(error),
                Err(AttemptError::Retry(wait, error)) => (wait, error),
            };
            if attempt >= self.config.max_retries {
                return Err(error);
            }
            attempt += 1;
            let wait = wait
                .unwrap_or_else(|| self.backoff(attempt))
                .min(self.config.max_wait);
            tracing::warn!(
                "{request}: {error}; retry {attempt}/{} in {:.1} s",
                self.config.max_retries,
                wait.as_secs_f64()
            );
            self.retries.fetch_add(1, Ordering::Relaxed);
            self.pause_all(wait);
        }
    }

    /// One HTTP attempt: the body, a retryable failure, or a final error.
    fn attempt(&self, url: &str, request: &str) -> Result<Vec<u8>, AttemptError> {
        self.wait_for_pause();
        self.spend_budget(request).map_err(AttemptError::Fatal)?;
        let _slot = self.slot();
        let response = match self.http.get(url).send() {
            Ok(r) => r,
            Err(source) => {
                let error = ClientError::Transport {
                    request: request.to_owned(),
                    source,
                };
                return Err(AttemptError::Retry(None, error));
            }
        };
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_retry_after);
        let max = self.config.max_answer_bytes;
        let body = match chronograph_core::http::read_body_capped(response, max) {
            Ok(Some(body)) => body,
            Ok(None) => {
                return Err(AttemptError::Fatal(ClientError::Malformed {
                    request: request.to_owned(),
                    reason: format!("the body is larger than {max} bytes"),
                }))
            }
            Err(source) => {
                let error = ClientError::Malformed {
                    request: request.to_owned(),
                    reason: format!("the body could not be read: {source}"),
                };
                return Err(AttemptError::Retry(None, error));
            }
        };
        if status != 200 {
            let error = ClientError::Http {
                request: request.to_owned(),
                status,
            };
            return Err(if matches!(status, 429 | 500 | 502 | 503 | 504) {
                AttemptError::Retry(retry_after, error)
            } else {
                AttemptError::Fatal(error)
            });
        }
        if let Some(api_error) = ErrorResponse::from_body(&body) {
            let maxlag = api_error.is_maxlag();
            let error = ClientError::Api {
                request: request.to_owned(),
                code: api_error.code,
                info: api_error.info,
            };
            return Err(if maxlag {
                AttemptError::Retry(retry_after, error)
            } else {
                AttemptError::Fatal(error)
            });
        }
        Ok(body)
    }

    /// Counts a request against the budget, or refuses it.
    fn spend_budget(&self, request: &str) -> Result<(), ClientError> {
        let budget = self.config.budget;
        self.requests
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| match budget {
                Some(b) if n >= b => None,
                _ => Some(n + 1),
            })
            .map(drop)
            .map_err(|_| ClientError::BudgetExhausted {
                budget: budget.unwrap_or(0),
                request: request.to_owned(),
            })
    }

    /// Exponential backoff with jitter (see [`chronograph_core::http::backoff`]).
    fn backoff(&self, attempt: u32) -> Duration {
        backoff(self.config.backoff_base, attempt, self.config.max_wait)
    }

    /// Makes every thread wait `wait` from now before its next request.
    fn pause_all(&self, wait: Duration) {
        let until = Instant::now() + wait;
        {
            let mut pause = lock(&self.pause_until);
            if pause.is_none_or(|p| p < until) {
                *pause = Some(until);
            }
        }
        self.waited_ms
            .fetch_add(wait.as_millis() as u64, Ordering::Relaxed);
    }

    /// Sleeps until the shared pause, if any, is over.
    fn wait_for_pause(&self) {
        loop {
            let until = *lock(&self.pause_until);
            match until {
                Some(until) if until > Instant::now() => {
                    std::thread::sleep(until.saturating_duration_since(Instant::now()));
                }
                _ => return,
            }
        }
    }

    /// Takes one of the `concurrency` request slots until the guard drops.
    fn slot(&self) -> SlotGuard<'_> {
        let cap = self.config.concurrency.max(1);
        let mut in_flight = lock(&self.in_flight);
        while *in_flight >= cap {
            in_flight = self
                .slot_free
                .wait(in_flight)
                .unwrap_or_else(|p| p.into_inner());
        }
        *in_flight += 1;
        SlotGuard { client: self }
    }
}

/// Gives a request slot back on drop.
struct SlotGuard<'a> {
    client: &'a WikidataClient,
}

impl Drop for SlotGuard<'_> {
    fn drop(&mut self) {
        let mut in_flight = lock(&self.client.in_flight);
        *in_flight = in_flight.saturating_sub(1);
        self.client.slot_free.notify_one();
    }
}

/// Locks a mutex, ignoring poisoning (the data stays consistent: counters and instants).
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Whether `id` is a Wikidata entity id: `Q`, `P` or `L` and digits.
pub fn is_entity_id(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some('Q' | 'P' | 'L'))
        && id.len() > 1
        && chars.all(|c| c.is_ascii_digit())
}

/// The cache key of a request: SHA-256 (hex) of the endpoint and the sorted
/// parameters, without `maxlag` and `format` (which the client adds to every
/// request), as `endpoint?k1=v1&k2=v2` URL-encoded.
pub fn cache_key(endpoint: &str, params: &[(&str, &str)]) -> String {
    let mut sorted: Vec<(&str, &str)> = params
        .iter()
        .copied()
        .filter(|(k, _)| *k != "maxlag" && *k != "format")
        .collect();
    sorted.sort_unstable();
    let canonical = format!(
        "{endpoint}?{}",
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&sorted)
            .finish()
    );
    hex::encode(Sha256::digest(canonical.as_bytes()))
}

/// A short description of a request for messages: `action k=v …`.
fn describe(params: &[(&str, &str)]) -> String {
    let action = params
        .iter()
        .find(|(k, _)| *k == "action")
        .map_or("request", |(_, v)| *v);
    let rest: Vec<String> = params
        .iter()
        .filter(|(k, _)| *k == "search" || *k == "ids" || *k == "language")
        .map(|(k, v)| format!("{k}={v:?}"))
        .collect();
    format!("{action} {}", rest.join(" "))
}

/// The default largest API answer read (a batch of 50 entities with their
/// claims is a few megabytes).
pub const MAX_ANSWER_BYTES: u64 = 64 * 1024 * 1024;

/// Why a 200 body is not an answer to `action`, if it is not: each action's
/// answer carries its own member (`search`, `entities`); a body without it
/// (`{}` from a proxy, a login page) would otherwise read as "no hits" and
/// be cached as such.
fn answer_shape_problem(action: &str, body: &[u8]) -> Option<String> {
    let member = match action {
        "wbsearchentities" => "search",
        "wbgetentities" => "entities",
        _ => return None,
    };
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(serde_json::Value::Object(object)) if object.contains_key(member) => None,
        Ok(_) => Some(format!("no `{member}` member in the JSON answer")),
        Err(e) => Some(format!("not JSON: {e}")),
    }
}

/// Reads a cached body; a file that is not JSON is a miss (online) or an error
/// (offline, where it cannot be replaced).
fn read_cache(path: &Path, offline: bool) -> Result<Option<Vec<u8>>, ClientError> {
    match std::fs::read(path) {
        Ok(body) => match serde_json::from_slice::<serde::de::IgnoredAny>(&body) {
            Ok(_) => Ok(Some(body)),
            Err(source) if offline => Err(ClientError::Cache {
                path: path.to_owned(),
                source: std::io::Error::new(std::io::ErrorKind::InvalidData, source),
            }),
            Err(_) => Ok(None),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(ClientError::Cache {
            path: path.to_owned(),
            source,
        }),
    }
}

/// Writes a cache entry whole or not at all.
fn write_atomically(path: &Path, body: &[u8]) -> Result<(), ClientError> {
    chronograph_core::files::write_bytes_atomically(path, body).map_err(|source| {
        ClientError::Cache {
            path: path.to_owned(),
            source,
        }
    })
}

#[cfg(test)]
mod tests;
