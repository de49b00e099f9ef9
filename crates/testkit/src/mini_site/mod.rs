//! A "mini-site" for integration tests of the harvester: a small imitation of
//! the Wilson Center Digital Archive website on `127.0.0.1` (an ephemeral
//! port), served by axum in a background thread and stopped on drop.
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

mod content;
use content::*;

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
