//! `chronograph serve`: a SPARQL 1.1 Protocol endpoint, a Graph
//! Store Protocol endpoint, dereferenceable resource IRIs with HTML pages for
//! people, documents and events, a VoID description and bulk dumps.
//!
//! Routing is declared here in one place; handlers are small functions over one
//! shared [`AppState`]. Queries run on blocking threads under a time limit, so a
//! slow query never holds up the others. Every write (SPARQL Update, Graph Store
//! PUT/POST/DELETE) needs the server's bearer token, bumps the store's
//! generation and so refreshes the dumps and the VoID description.

// Handlers and their helpers fail with the HTTP response to send (`Result<_,
// Response>`): a response is large, but it is built once per failed request,
// so boxing it would only add noise.
#![allow(clippy::result_large_err)]

pub mod charts;
pub mod dumps;
pub mod graph_store;
pub mod limits;
pub mod negotiate;
pub mod pages;
pub mod read_model;
pub mod read_statistics;
pub mod resource;
pub mod sparql;
pub mod void;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use subtle::ConstantTimeEq;
use thiserror::Error;
use tower_http::cors::CorsLayer;

use chronograph_core::store::ArchiveStore;

include!(concat!(env!("OUT_DIR"), "/sample_queries.rs"));

/// What can stop the server from starting.
#[derive(Debug, Error)]
pub enum ServeError {
    /// The update token is empty or only whitespace: anyone could write.
    #[error("the update token is empty: it would let every request write; give a secret, or no token for a read-only server")]
    EmptyUpdateToken,
    /// A page template does not parse (a build defect).
    #[error("page template {name}: {message}")]
    Template {
        /// The template's file name.
        name: String,
        /// The template engine's message.
        message: String,
    },
    /// A `--cors` origin is not `*` nor `scheme://host[:port]`.
    #[error("bad CORS origin `{0}`: give `*` or an origin such as https://example.org (no path)")]
    CorsOrigin(String),
    /// The dumps folder is not private to this user (another user could
    /// replace the files served).
    #[error("the dumps folder {path} {problem}; give --dumps-dir a folder of your own")]
    DumpsDirUnsafe {
        /// The folder.
        path: String,
        /// What is wrong with it.
        problem: String,
    },
    /// The dumps folder cannot be created.
    #[error("cannot create the dumps folder {path}: {source}")]
    DumpsDir {
        /// The folder.
        path: String,
        /// Why.
        source: std::io::Error,
    },
}

/// How the server runs.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Address to listen on.
    pub bind: SocketAddr,
    /// Time limit of one query.
    pub timeout: Duration,
    /// Bearer token that allows writes (SPARQL Update, Graph Store PUT/POST/DELETE).
    pub update_token: Option<String>,
    /// Largest request body accepted.
    pub max_body_bytes: usize,
    /// Where the dumps are written.
    pub dumps_dir: PathBuf,
    /// Write the dumps at the first request for them rather than in the
    /// background from the start (on a large store that takes a core for minutes).
    pub dumps_on_demand: bool,
    /// Whether (and which) remote endpoints `SERVICE` may call; `None`: none.
    pub federation: Option<chronograph_core::federation::FederationPolicy>,
    /// The store's folder, where its full-text index is (`None` for a store
    /// in memory): `/search` uses the index when there is one.
    pub store_folder: Option<PathBuf>,
    /// Origins whose web pages may call the server from a browser (CORS);
    /// `*` for any. Empty: no CORS headers, so only same-origin pages.
    pub cors_origins: Vec<String>,
    /// Most query evaluations running at once; further queries wait for a
    /// slot (their wait counts towards the time limit). A query cut at the
    /// limit keeps its slot until its evaluation has stopped.
    pub max_evaluations: usize,
}

/// The default bound on concurrent evaluations: eight per core. Evaluations
/// that run long are demoted to the lowest CPU priority (see
/// [`limits::DEMOTE_AFTER`]), so many slots do not let long queries crowd out
/// short ones; the bound is on threads and memory.
pub fn default_max_evaluations() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get()) * 8
}

impl Default for ServeOptions {
    fn default() -> Self {
        let unique = format!(
            "chronograph-dumps-{}-{}",
            std::process::id(),
            DUMP_DIRS.fetch_add(1, Ordering::Relaxed)
        );
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 7878)),
            timeout: Duration::from_secs(30),
            update_token: None,
            max_body_bytes: 1024 * 1024,
            dumps_dir: std::env::temp_dir().join(unique),
            dumps_on_demand: false,
            federation: None,
            store_folder: None,
            cors_origins: Vec::new(),
            max_evaluations: default_max_evaluations(),
        }
    }
}

static DUMP_DIRS: AtomicU64 = AtomicU64::new(0);

/// A sample query offered on the query page.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SampleQuery {
    /// Its file stem in `queries/`.
    pub name: String,
    /// The comment lines at its top.
    pub description: String,
    /// The query text.
    pub text: String,
}

impl SampleQuery {
    fn from_source(name: &str, text: &str) -> Self {
        let description = text
            .lines()
            .take_while(|l| l.starts_with('#'))
            .map(|l| l.trim_start_matches('#').trim())
            .collect::<Vec<_>>()
            .join(" ");
        Self {
            name: name.to_owned(),
            description,
            text: text.to_owned(),
        }
    }
}

/// What every handler shares.
pub struct AppState {
    /// The store.
    pub store: ArchiveStore,
    /// The options the server runs with.
    pub options: ServeOptions,
    pages: pages::Templates,
    samples: Vec<SampleQuery>,
    dumps: dumps::Dumps,
    void_cache: Arc<limits::Derived<Vec<oxigraph::model::Triple>>>,
    generation: AtomicU64,
    evaluations: Arc<tokio::sync::Semaphore>,
    /// The store's full-text index, when it has one (see
    /// [`ServeOptions::store_folder`]).
    search: Option<Arc<chronograph_search::SearchIndex>>,
    /// The home page's people with the most events, and the store
    /// generation they were read at.
    top_people: std::sync::Mutex<Option<(u64, Arc<read_statistics::PeopleCounts>)>>,
}

/// `max_evaluations`, at least one.
fn evaluation_slots(options: &ServeOptions) -> usize {
    options.max_evaluations.max(1)
}

impl AppState {
    /// Prepares the shared state: templates, sample queries, the dumps folder.
    /// An update token that is empty or only whitespace is refused: every
    /// request without an `Authorization` header would carry it.
    pub fn new(store: ArchiveStore, options: ServeOptions) -> Result<Self, ServeError> {
        if options
            .update_token
            .as_deref()
            .is_some_and(|t| t.trim().is_empty())
        {
            return Err(ServeError::EmptyUpdateToken);
        }
        for origin in &options.cors_origins {
            if cors_origin(origin).is_none() && origin != "*" {
                return Err(ServeError::CorsOrigin(origin.clone()));
            }
        }
        let search = match &options.store_folder {
            Some(folder) => match chronograph_search::SearchIndex::open_current(&store, folder) {
                Ok(index) => Some(Arc::new(index)),
                Err(e) => {
                    tracing::warn!("{e}; /search matches names and titles only");
                    None
                }
            },
            None => None,
        };
        let pages = pages::Templates::new(store.base().as_str())?;
        let dumps = dumps::Dumps::new(options.dumps_dir.clone())?;
        let evaluations = Arc::new(tokio::sync::Semaphore::new(evaluation_slots(&options)));
        let samples = SAMPLE_QUERIES
            .iter()
            .map(|(name, text)| SampleQuery::from_source(name, text))
            .collect();
        Ok(Self {
            store,
            options,
            pages,
            samples,
            dumps,
            void_cache: Arc::default(),
            top_people: Default::default(),
            generation: AtomicU64::new(0),
            evaluations,
            search,
        })
    }

    /// The services answered in the process: the full-text search
    /// (`SERVICE <https://w3id.org/chronograph/search>`) when there is an index.
    pub(crate) fn local_services(&self) -> Vec<chronograph_core::query::LocalService> {
        self.search
            .iter()
            .map(|index| {
                chronograph_search::SearchService::new(Arc::clone(index), self.store.clone())
                    .local()
            })
            .collect()
    }

    /// Evaluation slots free now (of [`evaluation_slots`](Self::evaluation_slots)).
    pub fn free_evaluation_slots(&self) -> usize {
        self.evaluations.available_permits()
    }

    /// How many query evaluations may run at once.
    pub fn evaluation_slots(&self) -> usize {
        evaluation_slots(&self.options)
    }

    /// The sample queries offered on the query page.
    pub fn samples(&self) -> &[SampleQuery] {
        &self.samples
    }

    /// The twelve people with the most events (the home page's), read from
    /// the statistics once per store generation: at a million documents
    /// that is twenty thousand observations, too many to read per request.
    pub(crate) fn people_with_most_events(
        &self,
    ) -> Result<Arc<read_statistics::PeopleCounts>, oxigraph::store::StorageError> {
        let generation = self.generation();
        let cached = self
            .top_people
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        if let Some((at, people)) = cached {
            if at == generation {
                return Ok(people);
            }
        }
        let people = Arc::new(read_statistics::people_with_most_events(&self.store, 12)?);
        *self
            .top_people
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) =
            Some((generation, people.clone()));
        Ok(people)
    }

    /// A number that changes whenever the store is written through the server.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Records that the store changed: dumps and VoID are stale from now on.
    pub(crate) fn store_changed(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// After a write: the derived products are stale, and the search index
    /// (if any) reads again the records the write touched. An index that
    /// fails to follow is left behind, which the next writable start finds.
    pub(crate) fn follow_write(&self, outcome: &chronograph_core::derived::WriteOutcome) {
        self.store_changed();
        if let Some(index) = &self.search {
            if let Err(e) = index.follow(&self.store, outcome) {
                tracing::error!("the search index could not follow a write: {e}");
            }
        }
    }

    /// Whether a request carries the write token (compared in constant time).
    pub(crate) fn authorised(&self, headers: &HeaderMap) -> bool {
        let Some(expected) = &self.options.update_token else {
            return false;
        };
        let given = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or("");
        given.as_bytes().ct_eq(expected.as_bytes()).into()
    }

    /// The endpoint URL, under the base IRI.
    pub fn endpoint(&self) -> String {
        format!("{}sparql", self.store.base().as_str())
    }
}

/// The routes of the server.
pub fn router(state: Arc<AppState>) -> Router {
    let limit = state.options.max_body_bytes;
    let cors = cors_layer(&state.options.cors_origins);
    let routes = Router::new()
        .route("/", get(pages::home))
        .route("/search", get(pages::search))
        .route("/query", get(pages::query_page))
        .route("/ontology", get(pages::ontology))
        .route("/sparql", get(sparql::get_sparql).post(sparql::post_sparql))
        .route(
            "/rdf-graphs",
            get(graph_store::get_graph)
                .put(graph_store::put_graph)
                .post(graph_store::post_graph)
                .delete(graph_store::delete_graph),
        )
        .route("/.well-known/void", get(void::void_description))
        .route("/dumps", get(dumps::index))
        .route("/dumps/", get(dumps::index))
        .route("/dumps/{file}", get(dumps::file))
        .fallback(resource::dereference)
        .layer(DefaultBodyLimit::max(limit));
    let routes = match cors {
        Some(cors) => routes.layer(cors),
        None => routes,
    };
    routes
        .layer(middleware::from_fn(security_headers))
        .layer(middleware::from_fn(access_log))
        .with_state(state)
}

/// A browser origin (`https://example.org:8443`) as a header value.
fn cors_origin(origin: &str) -> Option<header::HeaderValue> {
    let (scheme, rest) = origin.split_once("://")?;
    let host_ok = !rest.is_empty()
        && rest
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    if !matches!(scheme, "http" | "https") || !host_ok {
        return None;
    }
    header::HeaderValue::from_str(origin).ok()
}

/// CORS only for the origins given (none by default): reading is allowed
/// to their pages, with the headers a SPARQL client sends; never credentials.
fn cors_layer(origins: &[String]) -> Option<CorsLayer> {
    use tower_http::cors::{AllowOrigin, Any};
    if origins.is_empty() {
        return None;
    }
    let allow = if origins.iter().any(|o| o == "*") {
        AllowOrigin::from(Any)
    } else {
        AllowOrigin::list(origins.iter().filter_map(|o| cors_origin(o)))
    };
    Some(
        CorsLayer::new()
            .allow_origin(allow)
            .allow_methods([axum::http::Method::GET, axum::http::Method::POST])
            .allow_headers([header::ACCEPT, header::CONTENT_TYPE, header::AUTHORIZATION]),
    )
}

/// The Content Security Policy of every answer: the pages run no script and
/// load nothing from elsewhere (their only styles are inline), so a link or
/// markup that slipped through from harvested data could not run code.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; \
     img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// Adds the [`CONTENT_SECURITY_POLICY`] and `X-Content-Type-Options: nosniff`.
async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        header::HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        header::HeaderValue::from_static("nosniff"),
    );
    response
}

/// One `tracing` line per request: method, path, status, duration, client.
async fn access_log(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let uri = request.uri().clone();
    let agent = request
        .headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-")
        .to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    tracing::info!(
        target: "chronograph::access",
        %method,
        uri = %uri,
        status = response.status().as_u16(),
        ms = format!("{:.1}", started.elapsed().as_secs_f64() * 1000.0),
        agent = %agent,
        "request"
    );
    response
}

/// Serves on a bound listener until `shutdown` resolves (Ctrl-C / SIGTERM in the CLI).
/// The dumps are prepared in the background from the start, unless
/// [`ServeOptions::dumps_on_demand`].
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    state: Arc<AppState>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    tracing::info!(address = %listener.local_addr()?, "serving");
    if !state.options.dumps_on_demand {
        dumps::Dumps::warm(&state);
    }
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
}

/// What every handler and helper of the server fails with: a status and a
/// plain-text message, answered as such (`Retry-After: 1` on a busy 503).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpError {
    /// The status to answer.
    pub status: StatusCode,
    /// The message, for people.
    pub message: String,
    /// Whether to ask the client to retry in a second (a full server).
    pub retry_soon: bool,
}

impl HttpError {
    /// An error with this status and message.
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
            retry_soon: false,
        }
    }

    /// A 500: the store or the server failed.
    pub fn internal(error: impl std::fmt::Display) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, error.to_string())
    }

    /// A 503 a client should retry soon.
    pub fn busy(message: impl Into<String>) -> Self {
        Self {
            retry_soon: true,
            ..Self::new(StatusCode::SERVICE_UNAVAILABLE, message)
        }
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let mut response = (
            self.status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            self.message,
        )
            .into_response();
        if self.retry_soon {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from_static("1"));
        }
        response
    }
}

/// A plain-text error response (an [`HttpError`] answered at once).
pub(crate) fn error_response(status: StatusCode, message: impl Into<String>) -> Response {
    HttpError::new(status, message).into_response()
}

/// The Accept header of a request, if readable.
pub(crate) fn accept_header(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// Runs blocking store work off the async threads; a panic becomes a 500.
pub(crate) async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, HttpError> + Send + 'static,
) -> Result<T, HttpError> {
    match tokio::task::spawn_blocking(work).await {
        Ok(result) => result,
        Err(e) => Err(HttpError::internal(format!("task failed: {e}"))),
    }
}
