//! Publishing: `chronograph serve`, a SPARQL 1.1 Protocol endpoint and
//! dereferenceable resource IRIs over the store.
//!
//! Routing is declared here in one place; handlers are small functions over one
//! shared [`AppState`]. Queries run on blocking threads with a time limit, so a
//! slow query never holds up the others.

pub mod negotiate;
pub mod resource;
pub mod sparql;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tower_http::cors::CorsLayer;
use tower_http::trace::TraceLayer;

use crate::store::ArchiveStore;

/// How the server runs.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Address to listen on.
    pub bind: SocketAddr,
    /// Time limit of one query.
    pub timeout: Duration,
    /// Bearer token that allows SPARQL Update (writes are refused without one).
    pub update_token: Option<String>,
    /// Largest request body accepted.
    pub max_body_bytes: usize,
}

impl Default for ServeOptions {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 7878)),
            timeout: Duration::from_secs(30),
            update_token: None,
            max_body_bytes: 1024 * 1024,
        }
    }
}

/// What every handler shares.
pub struct AppState {
    /// The store.
    pub store: ArchiveStore,
    /// The options the server runs with.
    pub options: ServeOptions,
}

/// The routes of the server.
pub fn router(state: Arc<AppState>) -> Router {
    let limit = state.options.max_body_bytes;
    Router::new()
        .route("/sparql", get(sparql::get_sparql).post(sparql::post_sparql))
        .fallback(resource::dereference)
        .layer(DefaultBodyLimit::max(limit))
        .layer(CorsLayer::permissive())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Serves on a bound listener until `shutdown` resolves (Ctrl-C / SIGTERM in the CLI).
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    state: Arc<AppState>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    tracing::info!(address = %listener.local_addr()?, "serving");
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
}

/// A plain-text error response.
pub(crate) fn error_response(status: StatusCode, message: impl Into<String>) -> Response {
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], message.into()).into_response()
}
