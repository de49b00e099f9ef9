//! One polite HTTP fetch: the per-host rate limit, conditional requests,
//! retries with backoff on timeouts, 5xx and 429 (honouring `Retry-After`),
//! and redirects followed by hand so that every hop is rate-limited, checked
//! against the site and `robots.txt`, capped, and loop-checked.

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use reqwest::blocking::Client;
use reqwest::header::{self, HeaderMap};
use url::Url;

use super::HarvestError;
use chronograph_core::http::{backoff, parse_retry_after};

/// Settings of the [`Fetcher`].
#[derive(Debug, Clone)]
pub struct FetchConfig {
    /// The User-Agent sent with every request.
    pub user_agent: String,
    /// Requests per second per host, at most (`Crawl-delay` can lower it further).
    pub rate_per_host: f64,
    /// Timeout of one request.
    pub timeout: Duration,
    /// Retries after a timeout, a 5xx or a 429.
    pub retries: u32,
    /// First backoff wait; doubles with each retry, with jitter.
    pub backoff: Duration,
    /// Longest wait the harvester accepts, `Retry-After` included.
    pub max_wait: Duration,
    /// Redirects followed, at most.
    pub max_redirects: usize,
    /// Longest `Crawl-delay` honoured: a site asking for more (an hour, a
    /// day) is fetched at this pace instead, and the log says so.
    pub max_crawl_delay: Duration,
    /// Largest body kept (bytes).
    pub max_body_bytes: u64,
}

impl Default for FetchConfig {
    fn default() -> Self {
        Self {
            user_agent: chronograph_core::http::default_user_agent(None),
            rate_per_host: 1.0,
            timeout: Duration::from_secs(30),
            retries: 3,
            backoff: Duration::from_secs(1),
            max_wait: Duration::from_secs(120),
            max_redirects: 5,
            max_crawl_delay: Duration::from_secs(30),
            max_body_bytes: 20 * 1024 * 1024,
        }
    }
}

/// Validators of a cached copy, sent as `If-None-Match` / `If-Modified-Since`.
#[derive(Debug, Clone, Default)]
pub struct Validators {
    /// The cached `ETag`.
    pub etag: Option<String>,
    /// The cached `Last-Modified` (or `--since` as an HTTP date).
    pub last_modified: Option<String>,
}

/// What came of fetching one URL.
#[derive(Debug)]
pub enum FetchOutcome {
    /// A 2xx answer with its body.
    Page {
        /// The URL that answered.
        final_url: String,
        /// Its status.
        status: u16,
        /// Its `ETag`.
        etag: Option<String>,
        /// Its `Last-Modified`.
        last_modified: Option<String>,
        /// Its `Content-Type`.
        content_type: Option<String>,
        /// The body.
        body: Vec<u8>,
    },
    /// 304: the cached copy is current.
    NotModified {
        /// The URL that answered.
        final_url: String,
    },
    /// A redirect to a URL the harvester already has or will fetch anyway
    /// (followed no further, so that page is fetched once).
    Alias {
        /// Where it points.
        target: String,
        /// The redirect's status.
        status: u16,
    },
    /// No page: the reason says why (status, loop, timeout, off-site…).
    Failed {
        /// The last URL tried.
        final_url: String,
        /// The last status, 0 when none came.
        status: u16,
        /// Why.
        reason: String,
    },
}

/// Per-host request times: when the last request started, and any pause.
#[derive(Debug, Default)]
struct HostSlots {
    last: HashMap<String, Instant>,
    paused_until: HashMap<String, Instant>,
}

/// Sends requests politely; shared by the harvester's workers.
#[derive(Debug)]
pub struct Fetcher {
    config: FetchConfig,
    http: Client,
    slots: Mutex<HostSlots>,
    intervals: Mutex<HashMap<String, Duration>>,
    requests: std::sync::atomic::AtomicU64,
    retries: std::sync::atomic::AtomicU64,
}

impl Fetcher {
    /// A fetcher with these settings.
    pub fn new(config: FetchConfig) -> Result<Self, HarvestError> {
        let http = Client::builder()
            .user_agent(config.user_agent.clone())
            .timeout(config.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(HarvestError::Client)?;
        Ok(Self {
            config,
            http,
            slots: Mutex::default(),
            intervals: Mutex::default(),
            requests: Default::default(),
            retries: Default::default(),
        })
    }

    /// The settings.
    pub fn config(&self) -> &FetchConfig {
        &self.config
    }

    /// Requests sent so far (every attempt and every redirect hop).
    pub fn requests(&self) -> u64 {
        self.requests.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Retries so far.
    pub fn retries(&self) -> u64 {
        self.retries.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Sets a host's `Crawl-delay`; the slower of it and the rate limit applies.
    pub fn set_crawl_delay(&self, host: &str, delay: Duration) {
        let delay = if delay > self.config.max_crawl_delay {
            tracing::warn!(
                host,
                asked = delay.as_secs_f64(),
                honoured = self.config.max_crawl_delay.as_secs_f64(),
                "robots.txt asks for a Crawl-delay above --max-crawl-delay; using the cap"
            );
            self.config.max_crawl_delay
        } else {
            delay
        };
        lock(&self.intervals).insert(host.to_owned(), delay);
    }

    /// The time between two requests to a host.
    pub fn interval(&self, host: &str) -> Duration {
        let rate = if self.config.rate_per_host > 0.0 {
            Duration::try_from_secs_f64(1.0 / self.config.rate_per_host).unwrap_or(Duration::ZERO)
        } else {
            Duration::ZERO
        };
        lock(&self.intervals)
            .get(host)
            .map_or(rate, |delay| rate.max(*delay))
    }

    /// Waits for the host's next request slot and takes it: an interval
    /// after the last request's slot (the interval as it is now, so a
    /// `Crawl-delay` learnt after the first request applies to the next), and
    /// not before a pause asked by `Retry-After` or a backoff.
    fn wait_for_slot(&self, host: &str) {
        let interval = self.interval(host);
        let slot = {
            let mut slots = lock(&self.slots);
            let mut slot = Instant::now();
            if let Some(last) = slots.last.get(host) {
                slot = slot.max(*last + interval);
            }
            if let Some(until) = slots.paused_until.get(host) {
                slot = slot.max(*until);
            }
            slots.last.insert(host.to_owned(), slot);
            slot
        };
        std::thread::sleep(slot.saturating_duration_since(Instant::now()));
    }

    /// Holds every request to a host until `wait` from now (after a 429, a 503, a backoff).
    fn pause_host(&self, host: &str, wait: Duration) {
        let until = Instant::now() + wait;
        let mut slots = lock(&self.slots);
        let paused = slots.paused_until.entry(host.to_owned()).or_insert(until);
        if *paused < until {
            *paused = until;
        }
    }

    /// Fetches a URL. `follow` decides, for each redirect target, whether to
    /// follow it (`true`), or stop and report it as an alias (`false`); targets
    /// off the site are refused before `follow` is asked.
    pub fn fetch(
        &self,
        url: &Url,
        validators: &Validators,
        follow: &dyn Fn(&Url) -> Result<bool, DisallowedRedirect>,
    ) -> FetchOutcome {
        self.fetch_following(url, validators, follow, false)
    }

    /// Fetches a site's `robots.txt`, following up to the redirect limit
    /// even to another host (`example.org` → `www.example.org`), as RFC 9309
    /// §2.3.1.2 asks.
    pub fn fetch_robots_file(&self, url: &Url, validators: &Validators) -> FetchOutcome {
        self.fetch_following(url, validators, &|_| Ok(true), true)
    }

    fn fetch_following(
        &self,
        url: &Url,
        validators: &Validators,
        follow: &dyn Fn(&Url) -> Result<bool, DisallowedRedirect>,
        across_hosts: bool,
    ) -> FetchOutcome {
        let mut current = url.clone();
        let mut chain: HashSet<String> = HashSet::from([url.to_string()]);
        let mut hops = 0;
        loop {
            let response = match self.send_with_retries(&current, validators) {
                Ok(r) => r,
                Err((status, reason)) => {
                    return FetchOutcome::Failed {
                        final_url: current.to_string(),
                        status,
                        reason,
                    }
                }
            };
            let status = response.status.as_u16();
            if response.status.is_redirection() && status != 304 {
                let Some(target) = location(&current, &response.headers) else {
                    return FetchOutcome::Failed {
                        final_url: current.to_string(),
                        status,
                        reason: format!("redirect {status} without a usable Location"),
                    };
                };
                if !chain.insert(target.to_string()) {
                    return FetchOutcome::Failed {
                        final_url: current.to_string(),
                        status,
                        reason: format!("redirect loop: {current} → {target}"),
                    };
                }
                hops += 1;
                if hops > self.config.max_redirects {
                    return FetchOutcome::Failed {
                        final_url: current.to_string(),
                        status,
                        reason: format!(
                            "more than {} redirects (last to {target})",
                            self.config.max_redirects
                        ),
                    };
                }
                if !across_hosts && !same_site(url, &target) {
                    return FetchOutcome::Failed {
                        final_url: current.to_string(),
                        status,
                        reason: format!("redirect off the site, to {target}; not followed"),
                    };
                }
                match follow(&target) {
                    Ok(true) => {
                        current = target;
                        continue;
                    }
                    Ok(false) => {
                        return FetchOutcome::Alias {
                            target: target.to_string(),
                            status,
                        }
                    }
                    Err(refused) => {
                        return FetchOutcome::Failed {
                            final_url: current.to_string(),
                            status,
                            reason: refused.to_string(),
                        }
                    }
                }
            }
            if status == 304 {
                return FetchOutcome::NotModified {
                    final_url: current.to_string(),
                };
            }
            if !response.status.is_success() {
                return FetchOutcome::Failed {
                    final_url: current.to_string(),
                    status,
                    reason: format!("HTTP {}", response.status),
                };
            }
            let text = |name: header::HeaderName| {
                response
                    .headers
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned)
            };
            return FetchOutcome::Page {
                final_url: current.to_string(),
                status,
                etag: text(header::ETAG),
                last_modified: text(header::LAST_MODIFIED),
                content_type: text(header::CONTENT_TYPE),
                body: response.body,
            };
        }
    }

    /// One URL, with retries: the final response, or the last status and why it failed.
    fn send_with_retries(
        &self,
        url: &Url,
        validators: &Validators,
    ) -> Result<Response, (u16, String)> {
        let host = host_key(url);
        let mut attempt = 0;
        loop {
            self.wait_for_slot(&host);
            self.requests
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let (status, reason, retry_after) = match self.send(url, validators) {
                Ok(response) => {
                    let status = response.status.as_u16();
                    if !(status == 429 || response.status.is_server_error()) {
                        return Ok(response);
                    }
                    let retry_after = response
                        .headers
                        .get(header::RETRY_AFTER)
                        .and_then(|v| v.to_str().ok())
                        .and_then(parse_retry_after);
                    (status, format!("HTTP {}", response.status), retry_after)
                }
                Err(e) => (0, e.to_string(), None),
            };
            if attempt >= self.config.retries {
                let tries = attempt + 1;
                return Err((status, format!("{reason} (after {tries} attempts)")));
            }
            attempt += 1;
            let wait = match retry_after {
                Some(wait) if wait > self.config.max_wait => {
                    return Err((
                        status,
                        format!(
                        "{reason}: Retry-After {} s is longer than the {} s the harvester waits",
                        wait.as_secs(),
                        self.config.max_wait.as_secs()
                    ),
                    ))
                }
                Some(wait) => wait,
                None => backoff(self.config.backoff, attempt, self.config.max_wait),
            };
            tracing::info!(
                %url,
                "{reason}; retry {attempt}/{} in {:.1} s",
                self.config.retries,
                wait.as_secs_f64()
            );
            self.retries
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            self.pause_host(&host, wait);
        }
    }

    /// One HTTP request (no retry).
    fn send(&self, url: &Url, validators: &Validators) -> Result<Response, RequestError> {
        let mut request = self.http.get(url.as_str());
        if let Some(etag) = &validators.etag {
            request = request.header(header::IF_NONE_MATCH, etag);
        }
        if let Some(date) = &validators.last_modified {
            request = request.header(header::IF_MODIFIED_SINCE, date);
        }
        let response = request.send().map_err(RequestError::from_reqwest)?;
        let status = response.status();
        let headers = response.headers().clone();
        let mut body = Vec::new();
        response
            .take(self.config.max_body_bytes + 1)
            .read_to_end(&mut body)
            .map_err(RequestError::Body)?;
        if body.len() as u64 > self.config.max_body_bytes {
            return Err(RequestError::TooLarge(self.config.max_body_bytes));
        }
        Ok(Response {
            status,
            headers,
            body,
        })
    }
}

struct Response {
    status: reqwest::StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

/// Why one HTTP request got no answer to use (a transport error says whether
/// it timed out or could not connect).
#[derive(Debug, thiserror::Error)]
pub enum RequestError {
    /// No answer within the timeout.
    #[error("timed out")]
    Timeout(#[source] reqwest::Error),
    /// No connection.
    #[error("could not connect: {0}")]
    Connect(#[source] reqwest::Error),
    /// Another transport error.
    #[error("{0}")]
    Transport(#[source] reqwest::Error),
    /// The body broke off.
    #[error("reading the body: {0}")]
    Body(#[source] std::io::Error),
    /// The body is larger than the limit.
    #[error("body larger than {0} bytes")]
    TooLarge(u64),
}

impl RequestError {
    fn from_reqwest(error: reqwest::Error) -> Self {
        if error.is_timeout() {
            Self::Timeout(error)
        } else if error.is_connect() {
            Self::Connect(error)
        } else {
            Self::Transport(error)
        }
    }
}

/// A redirect the crawl refuses to follow: robots.txt disallows its target.
#[derive(Debug, thiserror::Error)]
#[error("redirect to {0}, which robots.txt disallows")]
pub struct DisallowedRedirect(pub Url);

/// The `Location` of a redirect, resolved against the URL that sent it.
fn location(base: &Url, headers: &HeaderMap) -> Option<Url> {
    let value = headers.get(header::LOCATION)?.to_str().ok()?;
    let mut target = base.join(value).ok()?;
    target.set_fragment(None);
    Some(target)
}

/// Scheme, host and port: what the rate limit and `robots.txt` are kept per.
pub fn host_key(url: &Url) -> String {
    url.origin().ascii_serialization()
}

/// Whether two URLs are on the same site (same host; http and https count as one).
pub fn same_site(a: &Url, b: &Url) -> bool {
    a.host_str() == b.host_str() && a.port_or_known_default() == b.port_or_known_default()
        || (a.host_str() == b.host_str()
            && matches!(a.scheme(), "http" | "https")
            && matches!(b.scheme(), "http" | "https")
            && a.port().is_none()
            && b.port().is_none())
}

/// Locks a mutex, going on with its data if a holder panicked.
pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_space_requests_to_one_host_by_the_interval() {
        let fetcher = Fetcher::new(FetchConfig {
            rate_per_host: 20.0,
            ..FetchConfig::default()
        })
        .unwrap();
        assert_eq!(fetcher.interval("http://a"), Duration::from_millis(50));
        fetcher.set_crawl_delay("http://a", Duration::from_millis(80));
        assert_eq!(fetcher.interval("http://a"), Duration::from_millis(80));
        assert_eq!(fetcher.interval("http://b"), Duration::from_millis(50));
        let start = Instant::now();
        for _ in 0..4 {
            fetcher.wait_for_slot("http://a");
        }
        // Three intervals after the first, immediate, slot.
        assert!(start.elapsed() >= Duration::from_millis(240));
    }

    #[test]
    fn same_site_compares_host_and_port() {
        let u = |s: &str| Url::parse(s).unwrap();
        assert!(same_site(&u("http://a:80/x"), &u("http://a/y")));
        assert!(same_site(&u("http://a/x"), &u("https://a/y")));
        assert!(!same_site(&u("http://a:8000/x"), &u("http://a:9000/y")));
        assert!(!same_site(&u("http://a/x"), &u("http://b/y")));
    }
}
