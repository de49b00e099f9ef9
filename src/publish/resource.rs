//! Dereferenceable IRIs: every IRI the mapping mints under the base answers,
//! with RDF for machines (by `Accept` or a `.ttl`/`.nt`/`.jsonld`/`.rdf` suffix)
//! and HTML for browsers. The same URL serves both, with `Vary: Accept`
//! (200, no redirect: one round trip, and caches keep the variants apart).

use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use oxigraph::model::{GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNodeRef, Term, Triple};

use super::negotiate::{self, GRAPH_TYPES};
use super::{accept_header, blocking, error_response, AppState};
use crate::mapping::vocab::{rdfs, schema};
use crate::store::ArchiveStore;

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
        return super::pages::ontology_response(&state, *forced, accept.as_deref());
    }
    let requested = path.to_owned();
    let worker = state.clone();
    let answer = blocking(move || {
        let base = worker.store.base().as_str();
        for (path, forced) in candidates {
            let Ok(iri) = NamedNode::new(format!("{base}{path}")) else {
                continue;
            };
            let triples = describe(&worker.store, &iri)
                .map_err(|e| error_response(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
            if triples.is_empty() {
                continue;
            }
            let html = match forced {
                Some(media) => media == "text/html",
                None => negotiate::prefers_html(accept.as_deref()),
            };
            if html {
                let described = super::pages::Described {
                    iri: &iri,
                    triples: &triples,
                };
                return Ok(super::pages::resource_page(&worker, &described));
            }
            let mut response = rdf_response(&triples, accept.as_deref(), forced);
            if let Ok(link) =
                format!("</{path}.html>; rel=\"alternate\"; type=\"text/html\"").parse()
            {
                response.headers_mut().insert(header::LINK, link);
            }
            return Ok(response);
        }
        Err(error_response(
            StatusCode::NOT_FOUND,
            format!("no resource <{base}{requested}> in this store"),
        ))
    })
    .await;
    answer.unwrap_or_else(|r| r)
}

/// Triples in the RDF syntax a client asked for (a forced media type first,
/// else its `Accept`), with `Vary: Accept`; 406 when none fits.
pub fn rdf_response(triples: &[Triple], accept: Option<&str>, forced: Option<&str>) -> Response {
    let Some((media, format)) = negotiate::choose(accept, forced, &GRAPH_TYPES) else {
        return error_response(
            StatusCode::NOT_ACCEPTABLE,
            "acceptable: text/turtle, application/n-triples, application/ld+json, application/rdf+xml, text/html",
        );
    };
    let mut body = Vec::new();
    let Ok(serializer) = crate::mapping::prefixed_serializer(format.rdf_format()) else {
        return error_response(
            StatusCode::INTERNAL_SERVER_ERROR,
            "bad namespace in the prefixes",
        );
    };
    let mut writer = serializer.for_writer(&mut body);
    for triple in triples {
        if writer.serialize_triple(triple).is_err() {
            return error_response(StatusCode::INTERNAL_SERVER_ERROR, "serialization failed");
        }
    }
    if writer.finish().is_err() {
        return error_response(StatusCode::INTERNAL_SERVER_ERROR, "serialization failed");
    }
    (
        [(header::CONTENT_TYPE, media), (header::VARY, "Accept")],
        body,
    )
        .into_response()
}

/// The statements about a resource (and its `#` parts) in the union graph, plus
/// the names of the resources it links to, so a client can label the links.
pub fn describe(
    store: &ArchiveStore,
    iri: &NamedNode,
) -> Result<Vec<Triple>, oxigraph::store::StorageError> {
    let union = GraphNameRef::NamedNode(store.union_graph().as_ref());
    let ox = store.oxigraph();
    let mut triples: Vec<Triple> = Vec::new();
    for quad in ox.quads_for_pattern(Some(iri.as_ref().into()), None, None, Some(union)) {
        triples.push(Triple::from(quad?));
    }
    let mut labels = Vec::new();
    for t in &triples {
        let Term::NamedNode(object) = &t.object else {
            continue;
        };
        let part_of_this = object.as_str().starts_with(&format!("{}#", iri.as_str()));
        let predicates: &[NamedNodeRef<'_>] = if part_of_this {
            &[]
        } else {
            &[rdfs::label, schema::name]
        };
        if part_of_this {
            for quad in ox.quads_for_pattern(
                Some(NamedOrBlankNodeRef::NamedNode(object.as_ref())),
                None,
                None,
                Some(union),
            ) {
                labels.push(Triple::from(quad?));
            }
        }
        for p in predicates {
            for quad in ox.quads_for_pattern(
                Some(NamedOrBlankNodeRef::NamedNode(object.as_ref())),
                Some(*p),
                None,
                Some(union),
            ) {
                labels.push(Triple::from(quad?));
            }
        }
    }
    triples.extend(labels);
    triples.dedup();
    Ok(triples)
}
