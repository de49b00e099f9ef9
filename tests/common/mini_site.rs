//! A "mini-site" for integration tests of the harvester: a small imitation of
//! the Wilson Center Digital Archive website on `127.0.0.1` (an ephemeral
//! port), served by axum in a background thread and stopped on drop.
//!
//! Include it from a test with
//! `#[path = "common/mini_site.rs"] mod mini_site;` (or declare it from
//! `tests/common/mod.rs`); it uses nothing from the other test helpers.
//!
//! # Layout of [`MiniSite::start`] (the archive)
//!
//! | path | answer |
//! |---|---|
//! | `/robots.txt` | `User-agent: *`, `Disallow: /private/` and `/document/restricted`, `Crawl-delay`, `Sitemap` |
//! | `/sitemap.xml` | a `<sitemapindex>` of the two sitemaps below |
//! | `/sitemaps/documents-1.xml` | `/document/200001` … `/document/200016` |
//! | `/sitemaps/documents-2.xml.gz` | gzipped: `/document/200017` … `/document/200026`, the three person pages, the special pages, [`PRIVATE_PATH`] and [`RESTRICTED_PATH`] |
//! | `/document/{200001..=200032}` | document pages; 200027–200032 are in no sitemap (only listings and person pages link them) |
//! | `/resource/{kim-il-sung, mao-zedong, nikita-khrushchev}` | person pages |
//! | `/search?page={0..=3}` | listings, 10 documents a page, in id order, with a pager |
//! | `/` | links to `/search?page=0`, the person pages, [`PRIVATE_PATH`] and [`RESTRICTED_PATH`] |
//! | `/private/secret`, `/document/restricted-1` | disallowed by robots.txt; answered (and recorded) if requested |
//! | [`GONE_PATH`] … [`BROKEN_PATH`] | the special pages, see their constants |
//!
//! Every `200` carries a strong `ETag` (the SHA-256 of the body) and a fixed
//! `Last-Modified`; a matching `If-None-Match` (or, without one, an
//! `If-Modified-Since` not earlier than `Last-Modified`) gets `304` with no
//! body. [`MiniSite::touch`] changes a page so both validators change.
//!
//! [`MiniSite::start_sister`] serves a smaller "sister archive" with other
//! markup and other URLs (`/records/{id}`, `/people/{slug}`, `/browse?p=N`),
//! read with the profile `tests/data/harvest/sister-profile.toml`.
//!
//! Every request is recorded ([`RequestRecord`]), whatever its answer.

#![allow(dead_code)]

use std::collections::HashMap;
use std::fmt::Write as _;
use std::future::IntoFuture;
use std::io::Write as _;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime};

use axum::extract::State as AxumState;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use sha2::{Digest, Sha256};

/// Answers `404 Not Found`.
pub const GONE_PATH: &str = "/document/gone";
/// Answers `500` to its first two requests, then `200` with a valid document
/// (record id [`FLAKY_RECORD_ID`]).
pub const FLAKY_PATH: &str = "/document/flaky";
/// Answers `429 Too Many Requests` with `Retry-After: 1` to its first request,
/// then `200` with a valid document (record id [`BUSY_RECORD_ID`]).
pub const BUSY_PATH: &str = "/document/busy";
/// Answers `301` with an absolute `Location` of [`MOVED_TARGET`].
pub const MOVED_PATH: &str = "/document/moved";
/// Where [`MOVED_PATH`] redirects to: a document also served (and listed) under its own URL.
pub const MOVED_TARGET: &str = "/document/200005";
/// Answers `302` with the relative `Location` [`LOOP_B_PATH`].
pub const LOOP_A_PATH: &str = "/document/loop-a";
/// Answers `302` with the relative `Location` [`LOOP_A_PATH`] (not in any sitemap).
pub const LOOP_B_PATH: &str = "/document/loop-b";
/// Waits [`MiniSiteOptions::slow_delay`] before answering `200` with a valid
/// document (record id [`SLOW_RECORD_ID`]); a crawler with a shorter timeout never gets it.
pub const SLOW_PATH: &str = "/document/slow";
/// Answers `200` with broken markup (unclosed tags, no title, no date, no
/// Record ID) that the page reader rejects.
pub const BROKEN_PATH: &str = "/document/broken";
/// The page under the path robots.txt disallows; linked from the home page and
/// listed in a sitemap. A polite crawler never requests it.
pub const PRIVATE_PATH: &str = "/private/secret";
/// A document URL under a disallowed prefix (robots.txt: `Disallow: /document/restricted`):
/// a page the crawler would fetch if robots.txt did not forbid it.
pub const RESTRICTED_PATH: &str = "/document/restricted-1";

/// Record id of the document behind [`FLAKY_PATH`].
pub const FLAKY_RECORD_ID: u32 = 200_033;
/// Record id of the document behind [`BUSY_PATH`].
pub const BUSY_RECORD_ID: u32 = 200_034;
/// Record id of the document behind [`SLOW_PATH`].
pub const SLOW_RECORD_ID: u32 = 200_035;

/// The archive's numbered documents: record ids `FIRST_RECORD_ID..FIRST_RECORD_ID + DOCUMENT_COUNT`.
pub const FIRST_RECORD_ID: u32 = 200_001;
/// How many numbered documents the archive serves.
pub const DOCUMENT_COUNT: u32 = 32;
/// The sister archive's documents: `SISTER_FIRST_RECORD_ID..SISTER_FIRST_RECORD_ID + SISTER_DOCUMENT_COUNT`.
pub const SISTER_FIRST_RECORD_ID: u32 = 300_001;
/// How many documents the sister archive serves.
pub const SISTER_DOCUMENT_COUNT: u32 = 6;

/// The archive's URL prefix of person pages (as on the live site).
pub const PERSON_PREFIX: &str = "/resource/";

/// The three people the documents mention, as (slug, name).
pub const PEOPLE: [(&str, &str); 3] = [
    ("kim-il-sung", "Kim Il Sung"),
    ("mao-zedong", "Mao Zedong"),
    ("nikita-khrushchev", "Nikita Khrushchev"),
];

/// How a mini-site behaves.
#[derive(Debug, Clone)]
pub struct MiniSiteOptions {
    /// The `Crawl-delay` robots.txt announces, in seconds (written like `0.2`).
    pub crawl_delay: f64,
    /// How long [`SLOW_PATH`] waits before it answers.
    pub slow_delay: Duration,
}

impl Default for MiniSiteOptions {
    fn default() -> Self {
        Self {
            crawl_delay: 0.2,
            slow_delay: Duration::from_secs(5),
        }
    }
}

/// One request as the mini-site saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRecord {
    /// `GET`, `HEAD`…
    pub method: String,
    /// The path and query, e.g. `/search?page=2`.
    pub path_and_query: String,
    /// When it arrived.
    pub at: Instant,
    /// The `User-Agent` header.
    pub user_agent: Option<String>,
    /// The `If-None-Match` header.
    pub if_none_match: Option<String>,
    /// The `If-Modified-Since` header.
    pub if_modified_since: Option<String>,
    /// The status answered (decided on arrival: a slow answer is recorded before it is sent).
    pub status: u16,
}

/// A running mini-site; dropping it stops the server.
pub struct MiniSite {
    site: Arc<Site>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl MiniSite {
    /// Starts the archive (see the module documentation for its layout).
    pub fn start(options: MiniSiteOptions) -> Self {
        Self::start_with(Layout::archive(), options)
    }

    /// Starts the sister archive: 6 documents at `/records/{id}` (300001–300006;
    /// the sitemap lists 300001–300004), one person page `/people/kim-il-sung`,
    /// one listing `/browse?p=0` (links in `li.hit a`), the same robots.txt,
    /// [`PRIVATE_PATH`] and [`RESTRICTED_PATH`], and no special pages. Its markup needs
    /// `tests/data/harvest/sister-profile.toml`.
    pub fn start_sister(options: MiniSiteOptions) -> Self {
        Self::start_with(Layout::sister(), options)
    }

    fn start_with(layout: Layout, options: MiniSiteOptions) -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let addr: SocketAddr = listener.local_addr().expect("local address");
        let site = Arc::new(Site {
            base: format!("http://{addr}"),
            options,
            layout,
            state: Mutex::new(SiteState::default()),
        });
        let (shutdown, stop) = tokio::sync::oneshot::channel::<()>();
        let served = Arc::clone(&site);
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("tokio runtime");
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
                let app = Router::new().fallback(handle).with_state(served);
                tokio::select! {
                    result = axum::serve(listener, app).into_future() => {
                        if let Err(e) = result {
                            eprintln!("mini-site stopped: {e}");
                        }
                    }
                    _ = stop => {}
                }
            });
            // Dropping the runtime here cancels the connections still open
            // (a slow answer in progress, idle keep-alive connections).
        });
        Self {
            site,
            shutdown: Some(shutdown),
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        self.site.base.clone()
    }

    /// The absolute URL of a path (`/…`) on the site.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.site.base)
    }

    /// Every request so far, in arrival order.
    pub fn requests(&self) -> Vec<RequestRecord> {
        self.site.state().requests.clone()
    }

    /// The requests for one path and query (e.g. `/document/flaky`), in arrival order.
    pub fn requests_for(&self, path_and_query: &str) -> Vec<RequestRecord> {
        self.site
            .state()
            .requests
            .iter()
            .filter(|r| r.path_and_query == path_and_query)
            .cloned()
            .collect()
    }

    /// Forgets the recorded requests (the special pages' counters are kept).
    pub fn clear_requests(&self) {
        self.site.state().requests.clear();
    }

    /// Changes a page's content (a sentence more in a document's summary, a
    /// person's first timeline event, a listing's notice…), so its `ETag` and
    /// its `Last-Modified` (one day later per touch) change; the sitemap
    /// listing it shows the new `<lastmod>`. Panics if the site serves no page
    /// at `path_and_query` (a typo in a test).
    pub fn touch(&self, path_and_query: &str) {
        let (path, query) = split_query(path_and_query);
        let Some((key, _)) = self.site.layout.route(path, query) else {
            panic!("mini-site: no page to touch at {path_and_query}");
        };
        *self.site.state().revisions.entry(key).or_insert(0) += 1;
    }

    /// The paths of the document pages that answer `200` with a page the
    /// reader parses: the archive's 32 numbered documents, then [`FLAKY_PATH`]
    /// and [`BUSY_PATH`] (whose final answer is a document); the sister's 6.
    /// Not [`SLOW_PATH`] (the tests' crawler times out on it) nor
    /// [`MOVED_PATH`] (its target is already here).
    pub fn document_paths(&self) -> Vec<String> {
        let layout = &self.site.layout;
        let mut paths: Vec<String> = layout
            .document_ids
            .iter()
            .map(|id| format!("{}{id}", layout.document_prefix))
            .collect();
        if layout.flavour == Flavour::Archive {
            paths.push(FLAKY_PATH.to_owned());
            paths.push(BUSY_PATH.to_owned());
        }
        paths
    }

    /// The paths of the person pages.
    pub fn person_paths(&self) -> Vec<String> {
        let layout = &self.site.layout;
        layout
            .people
            .iter()
            .map(|p| layout.person_path(p))
            .collect()
    }

    /// The paths of the listing pages, first to last (`/search?page=0` …).
    pub fn listing_paths(&self) -> Vec<String> {
        let layout = &self.site.layout;
        (0..layout.listing_pages())
            .map(|page| layout.listing_key(page))
            .collect()
    }

    /// The paths robots.txt disallows that the site links to: [`PRIVATE_PATH`]
    /// and [`RESTRICTED_PATH`] (a document URL).
    pub fn disallowed_paths(&self) -> Vec<String> {
        vec![PRIVATE_PATH.to_owned(), RESTRICTED_PATH.to_owned()]
    }

    /// The sitemap index, then the sitemaps it lists.
    pub fn sitemap_paths(&self) -> Vec<String> {
        let mut paths = vec!["/sitemap.xml".to_owned()];
        paths.extend(self.site.layout.sitemaps.iter().map(|s| s.path.to_owned()));
        paths
    }

    /// The names (from [`PEOPLE`]) a document's text mentions, for a path of
    /// [`MiniSite::document_paths`]; empty for other paths.
    pub fn mentions(&self, document_path: &str) -> Vec<&'static str> {
        match self.site.layout.route(document_path, None) {
            Some((_, Page::Document { index, id })) => {
                self.site.layout.document(index, id).mentions
            }
            _ => Vec::new(),
        }
    }

    /// The number of records a complete harvest loads: one per page of
    /// [`MiniSite::document_paths`] and one per person page.
    ///
    /// For the archive that is 32 + 2 + 3 = 37: the 32 numbered documents,
    /// the documents behind [`FLAKY_PATH`] (200033, once a retry gets past the
    /// two 500s) and [`BUSY_PATH`] (200034, after the 429), and the 3 person
    /// pages. Not counted: [`MOVED_PATH`] (it leads to 200005, already counted),
    /// the redirect loop, [`GONE_PATH`], [`BROKEN_PATH`] (rejected by the reader),
    /// [`SLOW_PATH`] (the crawler's timeout in tests is shorter than
    /// `slow_delay`), [`PRIVATE_PATH`] and [`RESTRICTED_PATH`] (disallowed), the listings and the home
    /// page (not records). For the sister archive: 6 documents + 1 person page = 7.
    pub fn expected_records(&self) -> usize {
        self.document_paths().len() + self.person_paths().len()
    }
}

impl Drop for MiniSite {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

// ---------------------------------------------------------------------------
// Serving
// ---------------------------------------------------------------------------

/// The site's fixed layout and its changing state, shared with the server.
struct Site {
    base: String,
    options: MiniSiteOptions,
    layout: Layout,
    state: Mutex<SiteState>,
}

#[derive(Default)]
struct SiteState {
    requests: Vec<RequestRecord>,
    /// Requests per path (without query), for the pages that fail at first.
    hits: HashMap<String, u32>,
    /// Touches per page key.
    revisions: HashMap<String, u32>,
}

impl Site {
    fn state(&self) -> MutexGuard<'_, SiteState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn revision(&self, key: &str) -> u32 {
        self.state().revisions.get(key).copied().unwrap_or(0)
    }

    /// This request's number among the requests for `path` (1 for the first).
    fn count_hit(&self, path: &str) -> u32 {
        let mut state = self.state();
        let hits = state.hits.entry(path.to_owned()).or_insert(0);
        *hits += 1;
        *hits
    }

    /// The answer to a request, decided at once (a slow answer carries its delay).
    fn answer(&self, method: &Method, path_and_query: &str, headers: &HeaderMap) -> Reply {
        if method != Method::GET && method != Method::HEAD {
            return Reply::error(StatusCode::METHOD_NOT_ALLOWED)
                .with_header(header::ALLOW, "GET, HEAD");
        }
        let (path, query) = split_query(path_and_query);
        let hit = self.count_hit(path);
        if self.layout.flavour == Flavour::Archive {
            match path {
                GONE_PATH => return Reply::error(StatusCode::NOT_FOUND),
                FLAKY_PATH if hit <= 2 => return Reply::error(StatusCode::INTERNAL_SERVER_ERROR),
                BUSY_PATH if hit == 1 => {
                    return Reply::error(StatusCode::TOO_MANY_REQUESTS)
                        .with_header(header::RETRY_AFTER, "1")
                }
                MOVED_PATH => {
                    let target = format!("{}{MOVED_TARGET}", self.base);
                    return Reply::redirect(StatusCode::MOVED_PERMANENTLY, &target);
                }
                LOOP_A_PATH => return Reply::redirect(StatusCode::FOUND, LOOP_B_PATH),
                LOOP_B_PATH => return Reply::redirect(StatusCode::FOUND, LOOP_A_PATH),
                _ => {}
            }
        }
        let Some((key, page)) = self.layout.route(path, query) else {
            return Reply::error(StatusCode::NOT_FOUND);
        };
        let (body, content_type) = self.render(&page, &key);
        let last_modified = self.page_last_modified(&page, &key);
        let mut reply = Reply::conditional(body, content_type, last_modified, headers);
        if path == SLOW_PATH {
            reply.delay = self.options.slow_delay;
        }
        reply
    }

    /// The body and content type of a page, as it is now.
    fn render(&self, page: &Page, key: &str) -> (Vec<u8>, &'static str) {
        let revision = self.revision(key);
        let layout = &self.layout;
        let html = |text: String| (text.into_bytes(), HTML);
        match page {
            Page::Robots => (
                self.robots(revision).into_bytes(),
                "text/plain; charset=utf-8",
            ),
            Page::SitemapIndex => (self.sitemap_index(revision).into_bytes(), XML),
            Page::Sitemap(i) => {
                let sitemap = &layout.sitemaps[*i];
                let xml = self.urlset(sitemap, revision);
                if sitemap.gzip {
                    (gzip(xml.as_bytes()), "application/gzip")
                } else {
                    (xml.into_bytes(), XML)
                }
            }
            Page::Home => html(layout.home(revision)),
            Page::Document { index, id } => {
                let doc = layout.document(*index, *id);
                let canonical = format!("{}{key}", self.base);
                html(match layout.flavour {
                    Flavour::Archive => archive_document(&doc, &canonical, revision),
                    Flavour::Sister => sister_document(&doc, &canonical, revision),
                })
            }
            Page::Person(i) => {
                let person = &layout.people[*i];
                let canonical = format!("{}{key}", self.base);
                html(match layout.flavour {
                    Flavour::Archive => archive_person(layout, person, &canonical, revision),
                    Flavour::Sister => sister_person(layout, person, &canonical, revision),
                })
            }
            Page::Listing(n) => html(layout.listing(*n, revision)),
            Page::Broken => html(broken_page(revision)),
            Page::Private => html(private_page(revision)),
        }
    }

    /// `Last-Modified` of a page: a fixed day in early January 2024 chosen by
    /// its key, one day later per touch. A sitemap is as recent as the newest
    /// page it lists, so that it changes with them.
    fn page_last_modified(&self, page: &Page, key: &str) -> SystemTime {
        let own = self.last_modified(key);
        match page {
            Page::Sitemap(i) => self.sitemap_last_modified(*i).max(own),
            Page::SitemapIndex => (0..self.layout.sitemaps.len())
                .map(|i| self.sitemap_last_modified(i))
                .fold(own, SystemTime::max),
            _ => own,
        }
    }

    fn last_modified(&self, key: &str) -> SystemTime {
        // 2024-01-01T12:00:00Z.
        let base = SystemTime::UNIX_EPOCH + Duration::from_secs(1_704_110_400);
        let day = key.bytes().map(u64::from).sum::<u64>() % 9;
        base + Duration::from_secs((day + u64::from(self.revision(key))) * 86_400)
    }

    fn sitemap_last_modified(&self, i: usize) -> SystemTime {
        let sitemap = &self.layout.sitemaps[i];
        sitemap
            .pages
            .iter()
            .map(|p| self.last_modified(p))
            .fold(self.last_modified(sitemap.path), SystemTime::max)
    }

    fn robots(&self, revision: u32) -> String {
        let mut text = String::new();
        if revision > 0 {
            let _ = writeln!(text, "# revision {revision}");
        }
        let _ = write!(
            text,
            "User-agent: *\nDisallow: /private/\nDisallow: /document/restricted\nCrawl-delay: {}\n\nSitemap: {}/sitemap.xml\n",
            self.options.crawl_delay, self.base
        );
        text
    }

    fn sitemap_index(&self, revision: u32) -> String {
        let mut xml = String::from(XML_DECLARATION);
        xml.push_str(&revision_comment(revision));
        xml.push_str("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for (i, sitemap) in self.layout.sitemaps.iter().enumerate() {
            let _ = writeln!(
                xml,
                "  <sitemap><loc>{}{}</loc><lastmod>{}</lastmod></sitemap>",
                self.base,
                sitemap.path,
                w3c_datetime(self.sitemap_last_modified(i))
            );
        }
        xml.push_str("</sitemapindex>\n");
        xml
    }

    fn urlset(&self, sitemap: &SitemapFile, revision: u32) -> String {
        let mut xml = String::from(XML_DECLARATION);
        xml.push_str(&revision_comment(revision));
        xml.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for page in &sitemap.pages {
            let _ = writeln!(
                xml,
                "  <url><loc>{}{page}</loc><lastmod>{}</lastmod></url>",
                self.base,
                w3c_datetime(self.last_modified(page))
            );
        }
        xml.push_str("</urlset>\n");
        xml
    }
}

/// The only handler: records the request, then answers it.
async fn handle(
    AxumState(site): AxumState<Arc<Site>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let at = Instant::now();
    let path_and_query = uri
        .path_and_query()
        .map_or_else(|| uri.path().to_owned(), |pq| pq.as_str().to_owned());
    let reply = site.answer(&method, &path_and_query, &headers);
    let header_text = |name: HeaderName| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    site.state().requests.push(RequestRecord {
        method: method.to_string(),
        path_and_query,
        at,
        user_agent: header_text(header::USER_AGENT),
        if_none_match: header_text(header::IF_NONE_MATCH),
        if_modified_since: header_text(header::IF_MODIFIED_SINCE),
        status: reply.status.as_u16(),
    });
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    reply.into_response()
}

/// An answer before it becomes an HTTP response.
struct Reply {
    status: StatusCode,
    headers: Vec<(HeaderName, String)>,
    body: Vec<u8>,
    delay: Duration,
}

impl Reply {
    /// An error page with the status's reason as its text.
    fn error(status: StatusCode) -> Self {
        let reason = status.canonical_reason().unwrap_or("Error");
        let body = format!(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{reason}</title></head>\n\
             <body><p class=\"error\">{} {reason}</p></body></html>\n",
            status.as_u16()
        );
        Self {
            status,
            headers: vec![(header::CONTENT_TYPE, HTML.to_owned())],
            body: body.into_bytes(),
            delay: Duration::ZERO,
        }
    }

    /// A redirect with an empty body.
    fn redirect(status: StatusCode, location: &str) -> Self {
        Self {
            status,
            headers: vec![(header::LOCATION, location.to_owned())],
            body: Vec::new(),
            delay: Duration::ZERO,
        }
    }

    /// `200` with the body and its validators, or `304` when the request's
    /// validators match.
    fn conditional(
        body: Vec<u8>,
        content_type: &str,
        last_modified: SystemTime,
        request: &HeaderMap,
    ) -> Self {
        let etag = format!("\"{}\"", hex::encode(Sha256::digest(&body)));
        let last_modified_text = httpdate::fmt_http_date(last_modified);
        let validators = vec![
            (header::ETAG, etag.clone()),
            (header::LAST_MODIFIED, last_modified_text),
        ];
        if not_modified(request, &etag, last_modified) {
            return Self {
                status: StatusCode::NOT_MODIFIED,
                headers: validators,
                body: Vec::new(),
                delay: Duration::ZERO,
            };
        }
        let mut headers = validators;
        headers.push((header::CONTENT_TYPE, content_type.to_owned()));
        Self {
            status: StatusCode::OK,
            headers,
            body,
            delay: Duration::ZERO,
        }
    }

    fn with_header(mut self, name: HeaderName, value: &str) -> Self {
        self.headers.push((name, value.to_owned()));
        self
    }

    fn into_response(self) -> Response {
        let mut headers = HeaderMap::new();
        for (name, value) in self.headers {
            // Every value here is ASCII text made by this module.
            if let Ok(value) = HeaderValue::try_from(value) {
                headers.insert(name, value);
            }
        }
        (self.status, headers, self.body).into_response()
    }
}

/// Whether the request's validators match: `If-None-Match` when present
/// (a list, `*`, weak tags compared weakly), else `If-Modified-Since`.
fn not_modified(request: &HeaderMap, etag: &str, last_modified: SystemTime) -> bool {
    let text = |name: HeaderName| request.get(name).and_then(|v| v.to_str().ok());
    if let Some(tags) = text(header::IF_NONE_MATCH) {
        return tags
            .split(',')
            .map(str::trim)
            .any(|tag| tag == "*" || tag.trim_start_matches("W/") == etag);
    }
    text(header::IF_MODIFIED_SINCE)
        .and_then(|since| httpdate::parse_http_date(since).ok())
        .is_some_and(|since| since >= last_modified)
}

const HTML: &str = "text/html; charset=utf-8";
const XML: &str = "application/xml";
const XML_DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

fn revision_comment(revision: u32) -> String {
    if revision > 0 {
        format!("<!-- revision {revision} -->\n")
    } else {
        String::new()
    }
}

/// A W3C datetime (`2024-01-05T12:00:00+00:00`), as sitemaps write `<lastmod>`.
fn w3c_datetime(time: SystemTime) -> String {
    chrono::DateTime::<chrono::Utc>::from(time)
        .format("%Y-%m-%dT%H:%M:%S+00:00")
        .to_string()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing to a Vec cannot fail.
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}

fn split_query(path_and_query: &str) -> (&str, Option<&str>) {
    match path_and_query.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (path_and_query, None),
    }
}

/// Escapes text for HTML content and attribute values.
fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

// ---------------------------------------------------------------------------
// Layout: which pages exist, and under which paths
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flavour {
    /// The Wilson Center Digital Archive's markup and URLs.
    Archive,
    /// The sister archive's markup and URLs.
    Sister,
}

/// A page the site serves with `200` (after any special behaviour).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Page {
    Robots,
    SitemapIndex,
    /// An index into [`Layout::sitemaps`].
    Sitemap(usize),
    Home,
    /// A document: its position in the generated sequence, and its record id.
    Document {
        index: u32,
        id: u32,
    },
    /// An index into [`Layout::people`].
    Person(usize),
    /// A listing page number (0-based).
    Listing(usize),
    Broken,
    Private,
}

struct SitemapFile {
    path: &'static str,
    gzip: bool,
    /// The listed pages' paths.
    pages: Vec<String>,
}

struct PersonData {
    slug: &'static str,
    name: &'static str,
    life_span: &'static str,
    region: &'static str,
    /// Record ids of the documents its timeline events link, newest first.
    timeline: &'static [u32],
}

struct Layout {
    flavour: Flavour,
    /// Record ids of the numbered documents, in order.
    document_ids: Vec<u32>,
    document_prefix: &'static str,
    person_prefix: &'static str,
    people: Vec<PersonData>,
    listing_path: &'static str,
    listing_param: &'static str,
    page_size: usize,
    sitemaps: Vec<SitemapFile>,
}

impl Layout {
    fn archive() -> Self {
        let people = vec![
            PersonData {
                slug: "kim-il-sung",
                name: "Kim Il Sung",
                life_span: "1912-1994",
                region: "East Asia",
                timeline: &[200_030, 200_027, 200_019, 200_011, 200_003],
            },
            PersonData {
                slug: "mao-zedong",
                name: "Mao Zedong",
                life_span: "1893-1976",
                region: "East Asia",
                timeline: &[200_031, 200_028, 200_014, 200_005],
            },
            PersonData {
                slug: "nikita-khrushchev",
                name: "Nikita Khrushchev",
                life_span: "1894-1971",
                region: "Russia",
                timeline: &[200_032, 200_029, 200_024, 200_022, 200_017, 200_009],
            },
        ];
        let doc = |id: u32| format!("/document/{id}");
        let mut second: Vec<String> = (200_017..=200_026).map(doc).collect();
        second.extend(people.iter().map(|p| format!("{PERSON_PREFIX}{}", p.slug)));
        second.extend(
            [
                GONE_PATH,
                FLAKY_PATH,
                BUSY_PATH,
                MOVED_PATH,
                LOOP_A_PATH,
                SLOW_PATH,
                BROKEN_PATH,
                PRIVATE_PATH,
                RESTRICTED_PATH,
            ]
            .map(str::to_owned),
        );
        Self {
            flavour: Flavour::Archive,
            document_ids: (FIRST_RECORD_ID..FIRST_RECORD_ID + DOCUMENT_COUNT).collect(),
            document_prefix: "/document/",
            person_prefix: PERSON_PREFIX,
            people,
            listing_path: "/search",
            listing_param: "page",
            page_size: 10,
            sitemaps: vec![
                SitemapFile {
                    path: "/sitemaps/documents-1.xml",
                    gzip: false,
                    pages: (200_001..=200_016).map(doc).collect(),
                },
                SitemapFile {
                    path: "/sitemaps/documents-2.xml.gz",
                    gzip: true,
                    pages: second,
                },
            ],
        }
    }

    fn sister() -> Self {
        let people = vec![PersonData {
            slug: "kim-il-sung",
            name: "Kim Il Sung",
            life_span: "1912-1994",
            region: "East Asia",
            timeline: &[300_005, 300_003, 300_001],
        }];
        let mut pages: Vec<String> = (300_001..=300_004)
            .map(|id| format!("/records/{id}"))
            .collect();
        pages.extend(people.iter().map(|p| format!("/people/{}", p.slug)));
        pages.push(PRIVATE_PATH.to_owned());
        pages.push(RESTRICTED_PATH.to_owned());
        Self {
            flavour: Flavour::Sister,
            document_ids: (SISTER_FIRST_RECORD_ID..SISTER_FIRST_RECORD_ID + SISTER_DOCUMENT_COUNT)
                .collect(),
            document_prefix: "/records/",
            person_prefix: "/people/",
            people,
            listing_path: "/browse",
            listing_param: "p",
            page_size: 10,
            sitemaps: vec![SitemapFile {
                path: "/sitemaps/records.xml",
                gzip: false,
                pages,
            }],
        }
    }

    /// The page at a path, with its key (the path touches and `Last-Modified`
    /// go by: the path, or for listings the canonical `{listing}?{param}=N`).
    fn route(&self, path: &str, query: Option<&str>) -> Option<(String, Page)> {
        let page = match path {
            "/robots.txt" => Page::Robots,
            "/sitemap.xml" => Page::SitemapIndex,
            "/" => Page::Home,
            PRIVATE_PATH | RESTRICTED_PATH => Page::Private,
            _ if path == self.listing_path => {
                let number = match query {
                    None => 0,
                    Some(query) => query
                        .split('&')
                        .find_map(|pair| pair.strip_prefix(self.listing_param)?.strip_prefix('='))
                        .map_or(Some(0), |n| n.parse().ok())?,
                };
                if number >= self.listing_pages() {
                    return None;
                }
                return Some((self.listing_key(number), Page::Listing(number)));
            }
            _ => self.route_resource(path)?,
        };
        Some((path.to_owned(), page))
    }

    fn route_resource(&self, path: &str) -> Option<Page> {
        if let Some(i) = self.sitemaps.iter().position(|s| s.path == path) {
            return Some(Page::Sitemap(i));
        }
        if let Some(slug) = path.strip_prefix(self.person_prefix) {
            return self
                .people
                .iter()
                .position(|p| p.slug == slug)
                .map(Page::Person);
        }
        if self.flavour == Flavour::Archive {
            let special = |id: u32| Page::Document {
                index: id - FIRST_RECORD_ID,
                id,
            };
            match path {
                FLAKY_PATH => return Some(special(FLAKY_RECORD_ID)),
                BUSY_PATH => return Some(special(BUSY_RECORD_ID)),
                SLOW_PATH => return Some(special(SLOW_RECORD_ID)),
                BROKEN_PATH => return Some(Page::Broken),
                _ => {}
            }
        }
        let id: u32 = path.strip_prefix(self.document_prefix)?.parse().ok()?;
        let index = self.document_ids.iter().position(|&d| d == id)?;
        Some(Page::Document {
            index: u32::try_from(index).ok()?,
            id,
        })
    }

    fn listing_pages(&self) -> usize {
        self.document_ids.len().div_ceil(self.page_size)
    }

    fn listing_key(&self, page: usize) -> String {
        format!("{}?{}={page}", self.listing_path, self.listing_param)
    }

    fn document_path(&self, id: u32) -> String {
        format!("{}{id}", self.document_prefix)
    }

    fn person_path(&self, person: &PersonData) -> String {
        format!("{}{}", self.person_prefix, person.slug)
    }

    /// The documents whose text mentions a person.
    fn mention_count(&self, name: &str) -> usize {
        self.document_ids
            .iter()
            .zip(0..)
            .filter(|(&id, index)| self.document(*index, id).mentions.contains(&name))
            .count()
    }
}

// ---------------------------------------------------------------------------
// Generated content
// ---------------------------------------------------------------------------

const KINDS: [&str; 6] = [
    "Telegram",
    "Memorandum of Conversation",
    "Report",
    "Letter",
    "Cable",
    "Minutes of a Meeting",
];
const SENDERS: [&str; 5] = [
    "Soviet Embassy in Pyongyang",
    "Zhou Enlai",
    "Andrei Gromyko",
    "Peng Dehuai",
    "Chinese Embassy in Moscow",
];
const RECIPIENTS: [&str; 4] = [
    "Central Committee of the CPSU",
    "Ministry of Foreign Affairs of the PRC",
    "Anastas Mikoyan",
    "Korean Workers' Party Central Committee",
];
const TOPICS: [&str; 8] = [
    "the Armistice Negotiations",
    "Economic Aid to the DPRK",
    "the Sino-Soviet Border",
    "the Berlin Question",
    "the Withdrawal of the Chinese People's Volunteers",
    "Nuclear Cooperation",
    "the August Plenum",
    "the Situation in Vietnam",
];
const PLACES: [&str; 7] = [
    "Pyongyang",
    "Beijing",
    "Moscow",
    "Panmunjom",
    "Berlin",
    "Hanoi",
    "Vladivostok",
];
const SUBJECTS: [&str; 6] = [
    "Korean War",
    "Sino-Soviet Split",
    "Economic Aid",
    "Nuclear Weapons",
    "Border Disputes",
    "Diplomacy",
];
const LEVELS: [&str; 3] = ["Urgent", "Secret", "Routine"];
const LANGUAGES: [&str; 4] = ["Russian", "Chinese", "Korean", "German"];
const ARCHIVES: [&str; 4] = [
    "Archive of Foreign Policy of the Russian Federation (AVPRF)",
    "Archive of the Ministry of Foreign Affairs of the People's Republic of China",
    "Political Archive of the Federal Foreign Office, Berlin",
    "Russian State Archive of Contemporary History (RGANI)",
];
const DONORS: [&str; 3] = [
    "Korea Foundation",
    "Leon Levy Foundation",
    "MacArthur Foundation",
];
const TRANSLATORS: [&str; 4] = ["Gary Goldberg", "Charles Kraus", "James Person", "Lin Wei"];
use chronograph::dates::MONTH_NAMES as MONTHS;
const RIGHTS: &str = "The History and Public Policy Program welcomes reuse of Digital Archive \
materials for research and educational purposes.";

/// One generated document, before markup.
struct DocumentData {
    id: u32,
    title: String,
    /// Free-text date in one of four precisions.
    date: String,
    kind: &'static str,
    sender: &'static str,
    recipient: &'static str,
    topic: &'static str,
    level: &'static str,
    places: [&'static str; 2],
    subjects: [&'static str; 2],
    /// Names from [`PEOPLE`] the text mentions.
    mentions: Vec<&'static str>,
    paragraphs: Vec<String>,
    summary: String,
    source: String,
    archive: &'static str,
    language: &'static str,
    uploaded: String,
    /// `None` for every fifth document (no funding line, no Donors block).
    donor: Option<&'static str>,
}

impl Layout {
    /// The document at `index` of the generated sequence, with record id `id`.
    /// Dates run from 1945 (index 0) to 1991 (index 33 and later).
    fn document(&self, index: u32, id: u32) -> DocumentData {
        let i = index as usize;
        let kind = KINDS[i % KINDS.len()];
        let sender = SENDERS[i % SENDERS.len()];
        let recipient = RECIPIENTS[(i * 3 + 1) % RECIPIENTS.len()];
        let topic = TOPICS[i % TOPICS.len()];
        let year = (1945 + index * 46 / 33).min(1991);
        let month = MONTHS[(i * 5 + i / 4) % 12];
        let day = 1 + (i * 11) % 28;
        let date = match i % 4 {
            0 => format!("{month} {day}, {year}"),
            1 => format!("{month} {year}"),
            2 => format!("{year}"),
            _ => format!("c. {year}"),
        };
        // A non-empty subset of the three people, plus everyone whose timeline links here.
        let mask = i % 7 + 1;
        let mentions: Vec<&'static str> = PEOPLE
            .iter()
            .enumerate()
            .filter(|(bit, (slug, _))| {
                mask & (1 << bit) != 0
                    || self
                        .people
                        .iter()
                        .any(|p| p.slug == *slug && p.timeline.contains(&id))
            })
            .map(|(_, (_, name))| *name)
            .collect();
        let places = [PLACES[i % PLACES.len()], PLACES[(i + 3) % PLACES.len()]];
        let subjects = [
            SUBJECTS[i % SUBJECTS.len()],
            SUBJECTS[(i + 2) % SUBJECTS.len()],
        ];
        let remarks = [
            "raised the question at a meeting in",
            "was informed of the discussion and agreed to a further meeting in",
            "is expected to comment on the matter during the next visit to",
        ];
        let mut paragraphs = vec![format!("[To] {recipient}:")];
        paragraphs.push(format!(
            "(1) On the question of {}, the situation remains as reported earlier.",
            topic
        ));
        for (n, name) in mentions.iter().enumerate() {
            paragraphs.push(format!(
                "({}) {name} {} {}.",
                n + 2,
                remarks[n % remarks.len()],
                places[n % 2]
            ));
        }
        paragraphs.push(format!("{sender}, {date}"));
        let summary = format!(
            "{sender} informs {recipient} about {}, with remarks by {}.",
            topic.trim_start_matches("the "),
            mentions.join(", ")
        );
        DocumentData {
            id,
            title: format!("{kind} from {sender} to {recipient} on {topic}"),
            date,
            kind,
            sender,
            recipient,
            topic,
            level: LEVELS[i % LEVELS.len()],
            places,
            subjects,
            mentions,
            paragraphs,
            summary,
            source: format!(
                "Fond {}, opis {}, delo {}, {}-{}. Translated by {}.",
                100 + i,
                1 + i % 9,
                10 + i,
                20 + i,
                23 + i,
                TRANSLATORS[i % TRANSLATORS.len()]
            ),
            archive: ARCHIVES[i % ARCHIVES.len()],
            language: LANGUAGES[i % LANGUAGES.len()],
            uploaded: format!("20{:02}-{:02}-{:02}", 12 + i % 10, 1 + i % 12, 1 + i % 28),
            donor: (i % 5 != 4).then_some(DONORS[i % DONORS.len()]),
        }
    }
}

/// The sentence a touch adds to a page.
fn revision_sentence(revision: u32) -> String {
    if revision > 0 {
        format!(" Catalogue entry revised ({revision}).")
    } else {
        String::new()
    }
}

fn paragraphs_html(paragraphs: &[String]) -> String {
    paragraphs
        .iter()
        .map(|p| format!("      <p>{}</p>\n", esc(p)))
        .collect()
}

/// A slug of one of [`PEOPLE`], by name.
fn person_slug(name: &str) -> Option<&'static str> {
    PEOPLE.iter().find(|(_, n)| *n == name).map(|(s, _)| *s)
}

/// A document page in the archive's markup (as in
/// `data/sample/documents/134905-peng-dehuai-telegram-armistice.html`).
fn archive_document(doc: &DocumentData, canonical: &str, revision: u32) -> String {
    let mut html = String::new();
    let title = esc(&doc.title);
    let _ = write!(
        html,
        r##"<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{title} | Wilson Center Digital Archive</title>
  <link rel="canonical" href="{canonical}">
  <script type="application/json" data-drupal-selector="drupal-settings-json">{{"path":{{"currentPath":"node/{nid}"}}}}</script>
</head>
<body>
<a href="#main-content" class="skip-link">Skip to content</a>
<main id="main-content">
<article class="document">
  <div class="date">{date}</div>
  <h1 class="title">{title}</h1>
"##,
        nid = doc.id - 100_000,
        date = esc(&doc.date),
    );
    if let Some(donor) = doc.donor {
        let _ = writeln!(
            html,
            r##"  <div class="donated">This document was made possible with support from <a href="/funder/{}">{}</a></div>"##,
            slug(donor),
            esc(donor)
        );
    }
    let _ = write!(
        html,
        r##"  <div class="header-fields">
    <div class="header-field"><span class="label">From:</span> <span class="value">{}</span></div>
    <div class="header-field"><span class="label">To:</span> <span class="value">{}</span></div>
    <div class="header-field"><span class="label">Level:</span> <span class="value">{}</span></div>
  </div>
  <ul class="nav nav-tabs"><li class="active"><a href="#translation">English Translation</a></li></ul>
  <div class="tab-content">
    <div class="tab-pane active" id="translation">
{}    </div>
  </div>
  <div class="text-block"><p>{}{}</p></div>

  <h3 class="title">Associated People</h3>
  <div class="pills">
"##,
        esc(doc.sender),
        esc(doc.recipient),
        doc.level,
        paragraphs_html(&doc.paragraphs),
        esc(&doc.summary),
        revision_sentence(revision),
    );
    // The three people link to their pages; other pills are not links, so
    // that every link on the site leads to a page it serves.
    for name in &doc.mentions {
        let href = person_slug(name).map_or_else(String::new, |s| format!("{PERSON_PREFIX}{s}"));
        let _ = writeln!(
            html,
            r##"    <a class="pill" href="{href}"><span class="name"><span>{name}</span></span></a>"##
        );
    }
    html.push_str(
        "  </div>\n  <h3 class=\"title\">Associated Places</h3>\n  <div class=\"pills\">\n",
    );
    for place in doc.places {
        let _ = writeln!(
            html,
            r##"    <span class="pill"><span class="name"><span>{place}</span></span></span>"##
        );
    }
    html.push_str(
        "  </div>\n  <h3 class=\"title\">Subjects Discussed</h3>\n  <div class=\"pills\">\n",
    );
    for subject in doc.subjects {
        let _ = writeln!(html, r##"    <span class="pill-subject">{subject}</span>"##);
    }
    html.push_str(
        "  </div>\n\n  <section class=\"document-information\">\n    <h2 class=\"title\">Document Information</h2>\n",
    );
    let mut blocks = vec![
        ("Source", esc(&doc.source)),
        ("Original Archive", esc(doc.archive)),
        ("Rights", format!("<p>{RIGHTS}</p>")),
        ("Language", doc.language.to_owned()),
        ("Original Uploaded Date", doc.uploaded.clone()),
        ("Record ID", doc.id.to_string()),
    ];
    if let Some(donor) = doc.donor {
        blocks.push(("Donors", esc(donor)));
    }
    for (label, value) in blocks {
        let _ = writeln!(
            html,
            r##"    <div class="information-block"><div class="sub-title">{label}</div><div class="text">{value}</div></div>"##
        );
    }
    html.push_str("  </section>\n</article>\n</main>\n</body>\n</html>\n");
    html
}

/// A person page in the archive's markup (as in `data/sample/people/mao-zedong.html`).
fn archive_person(layout: &Layout, person: &PersonData, canonical: &str, revision: u32) -> String {
    let mut html = String::new();
    let name = person.name;
    let _ = write!(
        html,
        r##"<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{name} | Wilson Center Digital Archive</title>
  <link rel="canonical" href="{canonical}"></head>
<body>
<a href="#main-content" class="skip-link">Skip to content</a>
<main id="main-content">
<article class="person-page" data-kind="person">
  <h1 class="title">{name}</h1>
  <div class="person-card subject">
    <div class="name"><span>{name}</span></div>
    <div class="life-span">{}</div>
    <div class="region">{}</div>
    <div class="document-count">({}) documents</div>
  </div>
  <section class="related-people">
    <h3 class="title">Related People</h3>
"##,
        person.life_span,
        person.region,
        layout.mention_count(name),
    );
    for other in layout.people.iter().filter(|p| p.slug != person.slug) {
        let _ = write!(
            html,
            r##"    <a class="person-card" href="{}">
      <div class="name"><span>{}</span></div>
      <div class="life-span">{}</div>
      <div class="region">{}</div>
      <div class="document-count">({}) documents</div>
    </a>
"##,
            layout.person_path(other),
            other.name,
            other.life_span,
            other.region,
            layout.mention_count(other.name),
        );
    }
    html.push_str(
        "  </section>\n  <section class=\"timeline\">\n    <h3 class=\"title\">Timeline</h3>\n",
    );
    for (n, event) in timeline(layout, person).iter().enumerate() {
        let extra = if n == 0 {
            revision_sentence(revision)
        } else {
            String::new()
        };
        let _ = write!(
            html,
            r##"    <div class="timeline-event">
      <div class="date">{}</div>
      <div class="text"><p>{}{extra}</p></div>
      <a class="document-link" href="{}">Record {}</a>
    </div>
"##,
            esc(&event.date),
            esc(&event.text),
            layout.document_path(event.id),
            event.id,
        );
    }
    html.push_str("  </section>\n</article>\n</main>\n</body>\n</html>\n");
    html
}

/// One timeline event of a person page: the document it links, its date, a sentence.
struct TimelineEvent {
    id: u32,
    date: String,
    text: String,
}

fn timeline(layout: &Layout, person: &PersonData) -> Vec<TimelineEvent> {
    person
        .timeline
        .iter()
        .filter_map(|&id| {
            let index = layout.document_ids.iter().position(|&d| d == id)?;
            let doc = layout.document(u32::try_from(index).ok()?, id);
            Some(TimelineEvent {
                id,
                text: format!(
                    "{} writes to {} about {}; {} is named in the {}.",
                    doc.sender,
                    doc.recipient,
                    doc.topic,
                    person.name,
                    doc.kind.to_lowercase()
                ),
                date: doc.date,
            })
        })
        .collect()
}

impl Layout {
    /// The home page: links to the first listing, the person pages and the private page.
    fn home(&self, revision: u32) -> String {
        let mut html = String::from(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Digital Archive</title></head>\n<body>\n<main id=\"main-content\">\n",
        );
        let _ = writeln!(
            html,
            "<p class=\"intro\">Declassified documents of the Cold War.{}</p>",
            revision_sentence(revision)
        );
        let _ = writeln!(
            html,
            "<p><a href=\"{}\">Browse all documents</a></p>\n<ul class=\"people\">",
            self.listing_key(0)
        );
        for person in &self.people {
            let _ = writeln!(
                html,
                "  <li><a href=\"{}\">{}</a></li>",
                self.person_path(person),
                person.name
            );
        }
        let _ = writeln!(
            html,
            "</ul>\n<p class=\"staff\"><a href=\"{PRIVATE_PATH}\">Staff area</a> <a href=\"{RESTRICTED_PATH}\">Restricted</a></p>\n</main>\n</body>\n</html>"
        );
        html
    }

    /// Listing page `number`: its documents in id order, and a pager.
    fn listing(&self, number: usize, revision: u32) -> String {
        let mut html = String::from(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Search | Digital Archive</title></head>\n<body>\n<main id=\"main-content\">\n",
        );
        let _ = writeln!(
            html,
            "<p class=\"notice\">Page {} of {}.{}</p>",
            number + 1,
            self.listing_pages(),
            revision_sentence(revision)
        );
        let ids = self
            .document_ids
            .iter()
            .zip(0..)
            .skip(number * self.page_size)
            .take(self.page_size);
        match self.flavour {
            Flavour::Archive => {
                html.push_str("<table class=\"search-results\">\n");
                for (&id, index) in ids {
                    let doc = self.document(index, id);
                    // Not class "date": a `.date` would make the reader take the page for a document.
                    let _ = writeln!(
                        html,
                        "  <tr><td class=\"document\"><a href=\"{}\">{}</a></td><td class=\"doc-date\">{}</td></tr>",
                        self.document_path(id),
                        esc(&doc.title),
                        esc(&doc.date)
                    );
                }
                html.push_str("</table>\n");
            }
            Flavour::Sister => {
                html.push_str("<ol class=\"hits\">\n");
                for (&id, index) in ids {
                    let doc = self.document(index, id);
                    let _ = writeln!(
                        html,
                        "  <li class=\"hit\"><a href=\"{}\">{}</a> <small>{}</small></li>",
                        self.document_path(id),
                        esc(&doc.title),
                        esc(&doc.date)
                    );
                }
                html.push_str("</ol>\n");
            }
        }
        html.push_str("<nav class=\"pager\">\n");
        if number > 0 {
            let _ = writeln!(
                html,
                "  <a class=\"prev\" rel=\"prev\" href=\"{}\">Previous</a>",
                self.listing_key(number - 1)
            );
        }
        for page in 0..self.listing_pages() {
            let current = if page == number {
                " aria-current=\"page\""
            } else {
                ""
            };
            let _ = writeln!(
                html,
                "  <a href=\"{}\"{current}>{}</a>",
                self.listing_key(page),
                page + 1
            );
        }
        if number + 1 < self.listing_pages() {
            let _ = writeln!(
                html,
                "  <a class=\"next\" rel=\"next\" href=\"{}\">Next</a>",
                self.listing_key(number + 1)
            );
        }
        html.push_str("</nav>\n</main>\n</body>\n</html>\n");
        html
    }
}

/// A document page with its title, date and Document Information lost, and
/// tags left open: the reader rejects it.
fn broken_page(revision: u32) -> String {
    format!(
        r##"<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Digital Archive</title>
<body>
<main id="main-content">
<article class="document">
  <div class="header-fields">
    <div class="header-field"><span class="label">From:<span class="value">Unknown sender
  <div class="tab-pane active"><p>The text of this record was lost in a migration.{}
  <p>Kim Il Sung
</article>
</html>
"##,
        revision_sentence(revision)
    )
}

fn private_page(revision: u32) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Staff area</title></head>\n\
         <body>\n<main id=\"main-content\">\n<p class=\"private\">Staff only: unpublished accession records.{}</p>\n</main>\n</body>\n</html>\n",
        revision_sentence(revision)
    )
}

/// A document page in the sister archive's markup.
fn sister_document(doc: &DocumentData, canonical: &str, revision: u32) -> String {
    let mut html = String::new();
    let title = esc(&doc.title);
    let _ = write!(
        html,
        r##"<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{title} - Sister Archive</title>
  <link rel="canonical" href="{canonical}">
</head>
<body>
<header class="masthead"><p class="site-name">Sister Archive of the Cold War</p></header>
<div class="record-view">
  <h2 class="record-title">{title}</h2>
  <time class="record-date">{}</time>
"##,
        esc(&doc.date)
    );
    if let Some(donor) = doc.donor {
        let _ = writeln!(
            html,
            r##"  <p class="support">Digitised with support from {}</p>"##,
            esc(donor)
        );
    }
    let _ = write!(
        html,
        r##"  <ul class="parties">
    <li class="party"><b class="party-label">From:</b> <i class="party-name">{}</i></li>
    <li class="party"><b class="party-label">To:</b> <i class="party-name">{}</i></li>
  </ul>
  <div class="body-text">
{}  </div>
  <div class="abstract"><p>{}{}</p></div>
  <h4 class="facet">People</h4>
  <ul class="tags">
"##,
        esc(doc.sender),
        esc(doc.recipient),
        paragraphs_html(&doc.paragraphs),
        esc(&doc.summary),
        revision_sentence(revision),
    );
    for name in &doc.mentions {
        let _ = writeln!(
            html,
            r##"    <li class="tag"><span class="tag-name">{name}</span></li>"##
        );
    }
    html.push_str("  </ul>\n  <h4 class=\"facet\">Places</h4>\n  <ul class=\"tags\">\n");
    for place in doc.places {
        let _ = writeln!(
            html,
            r##"    <li class="tag"><span class="tag-name">{place}</span></li>"##
        );
    }
    html.push_str("  </ul>\n  <p class=\"topics\">");
    for subject in doc.subjects {
        let _ = write!(html, r##"<span class="topic">{subject}</span> "##);
    }
    html.push_str("</p>\n  <dl class=\"meta\">\n");
    let mut pairs = vec![
        ("Source", esc(&doc.source)),
        ("Original Archive", esc(doc.archive)),
        ("Language", doc.language.to_owned()),
        ("Record ID", doc.id.to_string()),
    ];
    if let Some(donor) = doc.donor {
        pairs.push(("Donors", esc(donor)));
    }
    for (label, value) in pairs {
        let _ = writeln!(
            html,
            "    <div class=\"meta-row\"><dt>{label}</dt><dd>{value}</dd></div>"
        );
    }
    html.push_str("  </dl>\n</div>\n</body>\n</html>\n");
    html
}

/// A person page in the sister archive's markup.
fn sister_person(layout: &Layout, person: &PersonData, canonical: &str, revision: u32) -> String {
    let mut html = String::new();
    let name = person.name;
    let _ = write!(
        html,
        r##"<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{name} - Sister Archive</title>
  <link rel="canonical" href="{canonical}"></head>
<body>
<header class="masthead"><p class="site-name">Sister Archive of the Cold War</p></header>
<section class="biography" data-type="person">
  <h2 class="bio-name">{name}</h2>
  <div class="bio-card main">
    <span class="bio-card-name">{name}</span>
    <span class="years">{}</span>
    <span class="area">{}</span>
    <span class="count">{} records</span>
  </div>
  <ol class="chronology">
"##,
        person.life_span,
        person.region,
        layout.mention_count(name),
    );
    for (n, event) in timeline(layout, person).iter().enumerate() {
        let extra = if n == 0 {
            revision_sentence(revision)
        } else {
            String::new()
        };
        let _ = writeln!(
            html,
            r##"    <li class="moment"><time class="when">{}</time><div class="what"><p>{}{extra}</p></div> <a class="record-link" href="{}">Record {}</a></li>"##,
            esc(&event.date),
            esc(&event.text),
            layout.document_path(event.id),
            event.id,
        );
    }
    html.push_str("  </ol>\n</section>\n</body>\n</html>\n");
    html
}

/// Lowercase words joined by `-` ("Korea Foundation" → `korea-foundation`).
fn slug(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join("-")
}
