//! Dereferenceable IRIs: every IRI the mapping mints under the base answers,
//! with RDF for machines (by `Accept` or a `.ttl`/`.nt`/`.jsonld`/`.rdf` suffix)
//! and HTML for browsers. The same URL serves both, with `Vary: Accept`.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use oxigraph::model::{GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNodeRef, Term, Triple};
use serde::Serialize;

use super::negotiate::{self, GRAPH_TYPES};
use super::{error_response, AppState};
use crate::mapping::vocab::{rdfs, schema};
use crate::query::compact_iri;
use crate::store::ArchiveStore;

const RESOURCE_TEMPLATE: &str = include_str!("../../templates/resource.html");

/// Answers any path not routed elsewhere: a minted IRI, or 404.
pub async fn dereference(State(state): State<Arc<AppState>>, uri: Uri, headers: HeaderMap) -> Response {
    let path = uri.path().trim_start_matches('/');
    if path.is_empty() || path.split('/').any(|s| s == ".." || s == "." || s.is_empty()) || path.contains('\\') {
        return error_response(StatusCode::NOT_FOUND, "not found");
    }
    let (path, forced) = match path.rsplit_once('.') {
        Some((stem, suffix)) => match negotiate::media_for_suffix(suffix) {
            Some(media) => (stem, Some(media)),
            None => (path, None),
        },
        None => (path, None),
    };
    let iri = format!("{}{}", state.store.base().as_str(), path);
    let Ok(iri) = NamedNode::new(iri) else {
        return error_response(StatusCode::NOT_FOUND, "not found");
    };
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let worker = state.clone();
    let described = tokio::task::spawn_blocking(move || describe(&worker.store, &iri).map(|t| (iri, t))).await;
    let (iri, triples) = match described {
        Ok(Ok(found)) => found,
        Ok(Err(e)) => return error_response(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
        Err(e) => return error_response(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    };
    if triples.is_empty() {
        return error_response(StatusCode::NOT_FOUND, format!("no resource <{}> in this store", iri.as_str()));
    }
    let html = match forced {
        Some(media) => media == "text/html",
        None => negotiate::prefers_html(accept.as_deref()),
    };
    if html {
        return html_page(&iri, &triples);
    }
    let Some((media, format)) = negotiate::choose(accept.as_deref(), forced, &GRAPH_TYPES) else {
        return error_response(StatusCode::NOT_ACCEPTABLE, "acceptable: text/turtle, application/n-triples, application/ld+json, application/rdf+xml, text/html");
    };
    let mut body = Vec::new();
    let mut serializer = oxigraph::io::RdfSerializer::from_format(format.rdf_format());
    for (prefix, ns) in crate::mapping::prefixes() {
        if let Ok(s) = serializer.clone().with_prefix(*prefix, *ns) {
            serializer = s;
        }
    }
    let mut writer = serializer.for_writer(&mut body);
    for triple in &triples {
        if writer.serialize_triple(triple).is_err() {
            return error_response(StatusCode::INTERNAL_SERVER_ERROR, "serialization failed");
        }
    }
    if writer.finish().is_err() {
        return error_response(StatusCode::INTERNAL_SERVER_ERROR, "serialization failed");
    }
    ([(header::CONTENT_TYPE, media), (header::VARY, "Accept")], body).into_response()
}

/// The statements about a resource (and its `#` parts) in the union graph, plus
/// the names of the resources it links to, so a client can label the links.
pub fn describe(store: &ArchiveStore, iri: &NamedNode) -> Result<Vec<Triple>, oxigraph::store::StorageError> {
    let union = GraphNameRef::NamedNode(store.union_graph().as_ref());
    let ox = store.oxigraph();
    let mut triples: Vec<Triple> = Vec::new();
    for quad in ox.quads_for_pattern(Some(iri.as_ref().into()), None, None, Some(union)) {
        triples.push(Triple::from(quad?));
    }
    let mut labels = Vec::new();
    for t in &triples {
        let Term::NamedNode(object) = &t.object else { continue };
        let part_of_this = object.as_str().starts_with(&format!("{}#", iri.as_str()));
        let predicates: &[NamedNodeRef<'_>] = if part_of_this { &[] } else { &[rdfs::label, schema::name] };
        if part_of_this {
            for quad in ox.quads_for_pattern(Some(NamedOrBlankNodeRef::NamedNode(object.as_ref())), None, None, Some(union)) {
                labels.push(Triple::from(quad?));
            }
        }
        for p in predicates {
            for quad in ox.quads_for_pattern(Some(NamedOrBlankNodeRef::NamedNode(object.as_ref())), Some(*p), None, Some(union)) {
                labels.push(Triple::from(quad?));
            }
        }
    }
    triples.extend(labels);
    triples.dedup();
    Ok(triples)
}

#[derive(Serialize)]
struct Row {
    property: String,
    property_iri: String,
    value: String,
    link: Option<String>,
}

fn html_page(iri: &NamedNode, triples: &[Triple]) -> Response {
    let label = |node: &str| {
        triples
            .iter()
            .find(|t| t.subject.to_string() == format!("<{node}>") && (t.predicate == rdfs::label || t.predicate == schema::name))
            .and_then(|t| match &t.object {
                Term::Literal(l) => Some(l.value().to_owned()),
                _ => None,
            })
    };
    let rows: Vec<Row> = triples
        .iter()
        .filter(|t| t.subject.to_string() == format!("<{}>", iri.as_str()))
        .map(|t| {
            let (value, link) = match &t.object {
                Term::NamedNode(n) => (label(n.as_str()).unwrap_or_else(|| compact_iri(n.as_str())), Some(n.as_str().to_owned())),
                Term::Literal(l) => (l.value().to_owned(), None),
                other => (other.to_string(), None),
            };
            Row {
                property: compact_iri(t.predicate.as_str()),
                property_iri: t.predicate.as_str().to_owned(),
                value,
                link,
            }
        })
        .collect();
    let title = label(iri.as_str()).unwrap_or_else(|| iri.as_str().to_owned());
    let env = minijinja::Environment::new();
    let rendered = env.render_str(
        RESOURCE_TEMPLATE,
        minijinja::context! { title => title, iri => iri.as_str(), rows => rows },
    );
    match rendered {
        Ok(html) => ([(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::VARY, "Accept")], html).into_response(),
        Err(e) => error_response(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}
