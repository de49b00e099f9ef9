//! The SPARQL 1.1 Graph Store HTTP Protocol at `/rdf-graphs`: `?graph=IRI` or
//! `?default`. Reading is open; PUT, POST and DELETE need the write token.
//! The default graph read here is the union graph, as for queries; writes to
//! `?default` go to the store's own default graph. The union graph is derived
//! and cannot be written.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphName, GraphNameRef, NamedNode, Quad, Triple};

use crate::limits::streamed;
use crate::negotiate::{self, GRAPH_TYPES};
use crate::{accept_header, blocking, error_response, AppState, HttpError};

/// Which graph a request is about.
enum Target {
    Default,
    Named(NamedNode),
}

fn target(raw: Option<&str>) -> Result<(Target, Option<String>), HttpError> {
    let mut graph = None;
    let mut default = false;
    let mut format = None;
    for (key, value) in form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        match key.as_ref() {
            "graph" => graph = Some(value.into_owned()),
            "default" => default = true,
            "format" => format = Some(value.into_owned()),
            _ => {}
        }
    }
    let target = match (graph, default) {
        (Some(_), true) | (None, false) => {
            return Err(HttpError::new(
                StatusCode::BAD_REQUEST,
                "give exactly one of ?graph=IRI and ?default",
            ))
        }
        (None, true) => Target::Default,
        (Some(iri), false) => Target::Named(NamedNode::new(&iri).map_err(|e| {
            HttpError::new(
                StatusCode::BAD_REQUEST,
                format!("bad graph IRI `{iri}`: {e}"),
            )
        })?),
    };
    Ok((target, format))
}

/// GET /rdf-graphs: a graph in the RDF syntax asked for; 404 if it is empty.
pub async fn get_graph(
    State(state): State<Arc<AppState>>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Response {
    let (target, format) = match target(raw.as_deref()) {
        Ok(t) => t,
        Err(e) => return e.into_response(),
    };
    let accept = accept_header(&headers);
    let worker = state.clone();
    streamed(&state, move |token, out| {
        let graph = match &target {
            Target::Default => worker.store.union_graph().clone(),
            Target::Named(g) => g.clone(),
        };
        let mut quads = worker
            .store
            .oxigraph()
            .quads_for_pattern(
                None,
                None,
                None,
                Some(GraphNameRef::NamedNode(graph.as_ref())),
            )
            .peekable();
        if quads.peek().is_none() {
            return Err(HttpError::new(
                StatusCode::NOT_FOUND,
                format!("no graph <{}> in this store", graph.as_str()),
            ));
        }
        let Some((media, format)) =
            negotiate::choose(accept.as_deref(), format.as_deref(), &GRAPH_TYPES)
        else {
            return Err(HttpError::new(
                StatusCode::NOT_ACCEPTABLE,
                "acceptable: text/turtle, application/n-triples, application/ld+json, application/rdf+xml",
            ));
        };
        out.set_content_type(media);
        let serializer = chronograph_core::mapping::prefixed_serializer(format.rdf_format())
            .map_err(HttpError::internal)?;
        let mut writer = serializer.for_writer(out);
        for quad in quads {
            if token.is_cancelled() {
                return Err(HttpError::busy("the graph was cut at the time limit"));
            }
            let triple = Triple::from(quad.map_err(HttpError::internal)?);
            writer
                .serialize_triple(&triple)
                .map_err(HttpError::internal)?;
        }
        writer.finish().map_err(HttpError::internal)?;
        Ok(())
    })
    .await
}

#[derive(Clone, Copy, PartialEq)]
enum Write {
    Replace,
    Add,
    Delete,
}

/// PUT /rdf-graphs: replace a graph with the body.
pub async fn put_graph(
    state: State<Arc<AppState>>,
    raw: RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    write(state, raw, headers, body, Write::Replace).await
}

/// POST /rdf-graphs: add the body's statements to a graph.
pub async fn post_graph(
    state: State<Arc<AppState>>,
    raw: RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    write(state, raw, headers, body, Write::Add).await
}

/// DELETE /rdf-graphs: remove a graph.
pub async fn delete_graph(
    state: State<Arc<AppState>>,
    raw: RawQuery,
    headers: HeaderMap,
) -> Response {
    write(state, raw, headers, Bytes::new(), Write::Delete).await
}

async fn write(
    State(state): State<Arc<AppState>>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    body: Bytes,
    kind: Write,
) -> Response {
    if !state.authorised(&headers) {
        return error_response(
            StatusCode::FORBIDDEN,
            "this endpoint is read-only: writes need the server's --update-token as a bearer token",
        );
    }
    let (target, _) = match target(raw.as_deref()) {
        Ok(t) => t,
        Err(e) => return e.into_response(),
    };
    let graph =
        match target {
            Target::Default => GraphName::DefaultGraph,
            Target::Named(g) if state.store.is_derived_graph(&g) => return error_response(
                StatusCode::CONFLICT,
                "the union and statistics graphs are derived from the others; write those instead",
            ),
            Target::Named(g) => GraphName::NamedNode(g),
        };
    let quads = if kind == Write::Delete {
        Vec::new()
    } else {
        let media = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let Some(format) = RdfFormat::from_media_type(media) else {
            return error_response(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!("cannot read `{media}`: send Turtle, N-Triples, RDF/XML or JSON-LD"),
            );
        };
        match parse(&body, format, &graph) {
            Ok(q) => q,
            Err(e) => return error_response(StatusCode::BAD_REQUEST, e.to_string()),
        }
    };
    let worker = state.clone();
    let answer = blocking(move || {
        let ox = worker.store.oxigraph();
        let existed = ox
            .quads_for_pattern(None, None, None, Some(graph.as_ref()))
            .next()
            .is_some();
        if kind == Write::Delete && !existed {
            return Err(HttpError::new(StatusCode::NOT_FOUND, "no such graph"));
        }
        // The graph and its union triples in one transaction.
        let outcome = worker
            .store
            .write_graph(&graph, &quads, kind != Write::Add)
            .map_err(HttpError::internal)?;
        worker.follow_write(&outcome);
        Ok(if existed || kind == Write::Delete {
            StatusCode::NO_CONTENT.into_response()
        } else {
            StatusCode::CREATED.into_response()
        })
    })
    .await;
    answer.unwrap_or_else(IntoResponse::into_response)
}

/// Why a Graph Store request body is refused.
#[derive(Debug, thiserror::Error)]
enum BodyError {
    /// The graph's IRI cannot be the body's base (it always can: a named node
    /// is an absolute IRI).
    #[error("the graph IRI is not a base IRI: {0}")]
    Base(#[from] oxigraph::model::IriParseError),
    /// The body is not in the syntax its content type says.
    #[error("the body does not parse: {0}")]
    Syntax(#[from] oxigraph::io::RdfSyntaxError),
}

fn parse(body: &[u8], format: RdfFormat, graph: &GraphName) -> Result<Vec<Quad>, BodyError> {
    let mut parser = RdfParser::from_format(format);
    if let GraphName::NamedNode(g) = graph {
        parser = parser.with_base_iri(g.as_str())?;
    }
    Ok(parser
        .without_named_graphs()
        .with_default_graph(graph.clone())
        .for_slice(body)
        .collect::<Result<Vec<_>, _>>()?)
}
