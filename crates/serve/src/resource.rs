//! Dereferenceable IRIs: every IRI the mapping mints under the base answers,
//! with RDF for machines (by `Accept` or a `.ttl`/`.nt`/`.jsonld`/`.rdf` suffix)
//! and HTML for browsers. The same URL serves both, with `Vary: Accept`
//! (200, no redirect: one round trip, and caches keep the variants apart).

use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use oxigraph::model::NamedNode;

use crate::limits::with_time_limit;
use crate::{accept_header, error_response, negotiate, read_model, AppState, HttpError};

/// Answers any path not routed elsewhere: a minted IRI, or 404.
pub async fn dereference(
    State(state): State<Arc<AppState>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let path = uri.path().trim_start_matches('/');
    if path.is_empty()
        || path
            .split('/')
            .any(|s| s == ".." || s == "." || s.is_empty())
        || path.contains('\\')
        || path.to_ascii_lowercase().contains("%2e%2e")
    {
        return error_response(StatusCode::NOT_FOUND, "not found");
    }
    if method != Method::GET && method != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
            "resources are read-only; write with SPARQL Update or the Graph Store Protocol",
        )
            .into_response();
    }
    // A suffix picks a syntax (`/person/x.ttl`), unless the IRI itself ends so
    // (a source graph named after `page.html`).
    let mut candidates = vec![(path.to_owned(), None)];
    if let Some((stem, suffix)) = path.rsplit_once('.') {
        if let Some(media) = negotiate::media_for_suffix(suffix) {
            candidates.push((stem.to_owned(), Some(media)));
        }
    }
    let accept = accept_header(&headers);
    if let Some((_, forced)) = candidates.iter().find(|(p, _)| p == "ontology") {
        return crate::pages::ontology_response(&state, *forced, accept.as_deref());
    }
    let requested = path.to_owned();
    let worker = state.clone();
    let answer = with_time_limit(&state, move |token| {
        let base = worker.store.base().as_str();
        for (path, forced) in candidates {
            let Ok(iri) = NamedNode::new(format!("{base}{path}")) else {
                continue;
            };
            let triples = read_model::describe(&worker.store, &iri, &token)?;
            if triples.is_empty() {
                continue;
            }
            let html = match forced {
                Some(media) => media == "text/html",
                None => negotiate::prefers_html(accept.as_deref()),
            };
            if html {
                let described = crate::pages::Described {
                    iri: &iri,
                    triples: &triples,
                    token: &token,
                };
                return Ok(crate::pages::resource_page(&worker, &described));
            }
            let mut response = negotiate::rdf_response(&triples, accept.as_deref(), forced);
            if let Ok(link) =
                format!("</{path}.html>; rel=\"alternate\"; type=\"text/html\"").parse()
            {
                response.headers_mut().insert(header::LINK, link);
            }
            return Ok(response);
        }
        Err(HttpError::new(
            StatusCode::NOT_FOUND,
            format!("no resource <{base}{requested}> in this store"),
        ))
    })
    .await;
    answer.unwrap_or_else(IntoResponse::into_response)
}
