//! The SPARQL 1.1 Protocol at `/sparql`: query by GET, by POST form and by POST
//! `application/sparql-query`; update only with the bearer token.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode};
use oxigraph::sparql::{CancellationToken, QueryResults};

use crate::limits::{streamed, AnswerWriter};
use crate::negotiate::{self, GRAPH_TYPES, SOLUTION_TYPES};
use crate::{accept_header, error_response, AppState, HttpError};
use chronograph_core::query::{self, GraphFormat, QueryError, SolutionsFormat};

/// A request's protocol parameters.
#[derive(Debug, Default)]
struct Protocol {
    query: Option<String>,
    update: Option<String>,
    default_graphs: Vec<String>,
    named_graphs: Vec<String>,
    /// `using-graph-uri` and `using-named-graph-uri` (update parameters).
    using_graphs: Vec<String>,
    format: Option<String>,
}

impl Protocol {
    fn parse(pairs: &[u8]) -> Self {
        let mut p = Protocol::default();
        for (key, value) in form_urlencoded::parse(pairs) {
            match key.as_ref() {
                "query" => p.query = Some(value.into_owned()),
                "update" => p.update = Some(value.into_owned()),
                "default-graph-uri" => p.default_graphs.push(value.into_owned()),
                "named-graph-uri" => p.named_graphs.push(value.into_owned()),
                "using-graph-uri" | "using-named-graph-uri" => {
                    p.using_graphs.push(value.into_owned())
                }
                "format" | "output" => {
                    p.format = Some(match p.format.take() {
                        Some(earlier) => format!("{earlier},{value}"),
                        None => value.into_owned(),
                    })
                }
                _ => {}
            }
        }
        p
    }
}

/// GET /sparql: a query, or the service description when there is none.
pub async fn get_sparql(
    State(state): State<Arc<AppState>>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Response {
    let protocol = Protocol::parse(raw.unwrap_or_default().as_bytes());
    match protocol.query.clone() {
        Some(text) => run_query(state, text, protocol, &headers).await,
        None => service_description(&state, &headers),
    }
}

/// POST /sparql: a form (query or update) or a direct query/update body.
pub async fn post_sparql(
    State(state): State<Arc<AppState>>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let mut protocol = Protocol::parse(raw.unwrap_or_default().as_bytes());
    let text = || {
        String::from_utf8(body.to_vec())
            .map_err(|_| error_response(StatusCode::BAD_REQUEST, "the body is not UTF-8"))
    };
    match content_type.as_str() {
        "application/x-www-form-urlencoded" => {
            let form = Protocol::parse(&body);
            protocol.default_graphs.extend(form.default_graphs);
            protocol.named_graphs.extend(form.named_graphs);
            protocol.using_graphs.extend(form.using_graphs);
            protocol.format = form.format.or(protocol.format);
            match (form.query, form.update) {
                (Some(q), _) => run_query(state, q, protocol, &headers).await,
                (None, Some(u)) => run_update(state, u, protocol, &headers).await,
                (None, None) => error_response(StatusCode::BAD_REQUEST, "the form has no `query` or `update`"),
            }
        }
        "application/sparql-query" => match text() {
            Ok(q) => run_query(state, q, protocol, &headers).await,
            Err(e) => e.into_response(),
        },
        "application/sparql-update" => match text() {
            Ok(u) => run_update(state, u, protocol, &headers).await,
            Err(e) => e.into_response(),
        },
        other => error_response(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!("unsupported content type `{other}`: use application/x-www-form-urlencoded, application/sparql-query or application/sparql-update"),
        ),
    }
}

fn graph_names(iris: &[String]) -> Result<Vec<NamedNode>, HttpError> {
    iris.iter()
        .map(|iri| {
            NamedNode::new(iri).map_err(|e| {
                HttpError::new(
                    StatusCode::BAD_REQUEST,
                    format!("bad graph IRI `{iri}`: {e}"),
                )
            })
        })
        .collect()
}

/// Runs a query under the time limit and serializes its results.
async fn run_query(
    state: Arc<AppState>,
    text: String,
    protocol: Protocol,
    headers: &HeaderMap,
) -> Response {
    let accept = accept_header(headers);
    if !protocol.using_graphs.is_empty() {
        return error_response(
            StatusCode::BAD_REQUEST,
            "using-graph-uri and using-named-graph-uri are update parameters; a query takes default-graph-uri and named-graph-uri",
        );
    }
    let (defaults, named) = match (
        graph_names(&protocol.default_graphs),
        graph_names(&protocol.named_graphs),
    ) {
        (Ok(d), Ok(n)) => (d, n),
        (Err(e), _) | (_, Err(e)) => return e.into_response(),
    };
    let worker_state = state.clone();
    let request = QueryRequest {
        text,
        defaults,
        named,
        accept,
        format: protocol.format.clone(),
    };
    streamed(&state, move |token, out| {
        evaluate(&worker_state, request, token, out)
    })
    .await
}

/// A query with its protocol dataset and the answer's negotiation.
struct QueryRequest {
    text: String,
    defaults: Vec<NamedNode>,
    named: Vec<NamedNode>,
    accept: Option<String>,
    format: Option<String>,
}

fn evaluate(
    state: &AppState,
    request: QueryRequest,
    token: CancellationToken,
    out: &mut AnswerWriter,
) -> Result<(), HttpError> {
    let QueryRequest {
        text,
        defaults,
        named,
        accept,
        format,
    } = request;
    let (text, accept, format) = (text.as_str(), accept.as_deref(), format.as_deref());
    let store = &state.store;
    let mut prepared = match query::prepare_with_services(
        text,
        store.union_graph(),
        Some(token),
        state.options.federation.as_ref(),
        &state.local_services(),
    ) {
        Ok(p) => p,
        Err(e) => return Err(HttpError::new(StatusCode::BAD_REQUEST, e.to_string())),
    };
    if !defaults.is_empty() {
        prepared
            .dataset_mut()
            .set_default_graph(defaults.into_iter().map(GraphName::NamedNode).collect());
    }
    if !named.is_empty() {
        prepared.dataset_mut().set_available_named_graphs(
            named.into_iter().map(NamedOrBlankNode::NamedNode).collect(),
        );
    }
    let results = match prepared.on_store(store.oxigraph()).execute() {
        Ok(r) => r,
        Err(e) => return Err(HttpError::internal(e)),
    };
    let is_graph = matches!(results, QueryResults::Graph(_));
    let (media, solutions, graph) = if is_graph {
        match negotiate::choose(accept, format, &GRAPH_TYPES) {
            Some((media, g)) => (media, SolutionsFormat::Json, g),
            None => return Err(not_acceptable(&GRAPH_TYPES)),
        }
    } else {
        match negotiate::choose(accept, format, &SOLUTION_TYPES) {
            Some((media, s)) => (media, s, GraphFormat::Turtle),
            None => return Err(not_acceptable(&SOLUTION_TYPES)),
        }
    };
    out.set_content_type(media);
    match query::write_results(results, solutions, graph, out) {
        Ok(_) => Ok(()),
        Err(QueryError::Evaluation(e)) => Err(HttpError::busy(e.to_string())),
        Err(e) => Err(HttpError::internal(e)),
    }
}

fn not_acceptable<T>(offered: &[(&str, T)]) -> HttpError {
    let list: Vec<&str> = offered.iter().map(|(m, _)| *m).collect();
    HttpError::new(
        StatusCode::NOT_ACCEPTABLE,
        format!("acceptable types: {}", list.join(", ")),
    )
}

async fn run_update(
    state: Arc<AppState>,
    text: String,
    protocol: Protocol,
    headers: &HeaderMap,
) -> Response {
    if !state.authorised(headers) {
        return error_response(
            StatusCode::FORBIDDEN,
            "this endpoint is read-only: updates need the server's --update-token as a bearer token",
        );
    }
    // Never ignored: an update run on another dataset than the one asked
    // for would write where the client did not mean to.
    if !protocol.using_graphs.is_empty() {
        return error_response(
            StatusCode::BAD_REQUEST,
            "using-graph-uri and using-named-graph-uri are not supported: write USING <graph> or USING NAMED <graph> in the update itself",
        );
    }
    if !protocol.default_graphs.is_empty() || !protocol.named_graphs.is_empty() {
        return error_response(
            StatusCode::BAD_REQUEST,
            "default-graph-uri and named-graph-uri are query parameters; an update takes USING in its text",
        );
    }
    let writer = state.clone();
    let task = tokio::task::spawn_blocking(move || writer.store.apply_update(&text));
    match task.await {
        Ok(Ok(outcome)) => {
            let follower = state.clone();
            // Reading the touched records again is blocking work.
            let _ = tokio::task::spawn_blocking(move || follower.follow_write(&outcome)).await;
            StatusCode::NO_CONTENT.into_response()
        }
        Ok(Err(e)) => error_response(StatusCode::BAD_REQUEST, e.to_string()),
        Err(join) => error_response(StatusCode::INTERNAL_SERVER_ERROR, join.to_string()),
    }
}

/// The SPARQL 1.1 Service Description of the endpoint, in Turtle (or another RDF syntax).
fn service_description(state: &AppState, headers: &HeaderMap) -> Response {
    let accept = accept_header(headers);
    let Some((media, format)) = negotiate::choose(accept.as_deref(), None, &GRAPH_TYPES) else {
        return not_acceptable(&GRAPH_TYPES).into_response();
    };
    let endpoint = state.endpoint();
    let union = state.store.union_graph().as_str().to_owned();
    let turtle = format!(
        "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .\n\
         @prefix void: <http://rdfs.org/ns/void#> .\n\
         <{endpoint}> a sd:Service ;\n\
           sd:endpoint <{endpoint}> ;\n\
           sd:supportedLanguage sd:SPARQL11Query{update} ;\n\
           sd:resultFormat <http://www.w3.org/ns/formats/SPARQL_Results_JSON>, <http://www.w3.org/ns/formats/SPARQL_Results_XML>,\n\
             <http://www.w3.org/ns/formats/SPARQL_Results_CSV>, <http://www.w3.org/ns/formats/SPARQL_Results_TSV>,\n\
             <http://www.w3.org/ns/formats/Turtle>, <http://www.w3.org/ns/formats/N-Triples>,\n\
             <http://www.w3.org/ns/formats/JSON-LD>, <http://www.w3.org/ns/formats/RDF_XML> ;\n\
           sd:feature sd:UnionDefaultGraph ;\n\
           void:uriSpace \"{base}\" ;\n\
           sd:defaultDataset [ a sd:Dataset ; sd:defaultGraph [ a sd:Graph ; void:sparqlEndpoint <{endpoint}> ] ;\n\
             sd:namedGraph [ a sd:NamedGraph ; sd:name <{union}> ] ] .\n",
        update = if state.options.update_token.is_some() { ", sd:SPARQL11Update" } else { "" },
        base = state.store.base().as_str(),
    );
    let triples = oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::Turtle)
        .for_slice(turtle.as_bytes())
        .collect::<Result<Vec<_>, _>>();
    let Ok(quads) = triples else {
        return error_response(
            StatusCode::INTERNAL_SERVER_ERROR,
            "service description does not parse",
        );
    };
    let mut out = Vec::new();
    let mut writer =
        oxigraph::io::RdfSerializer::from_format(format.rdf_format()).for_writer(&mut out);
    for quad in quads {
        if writer
            .serialize_triple(&oxigraph::model::Triple::from(quad))
            .is_err()
        {
            return error_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                "cannot write the service description",
            );
        }
    }
    if writer.finish().is_err() {
        return error_response(
            StatusCode::INTERNAL_SERVER_ERROR,
            "cannot write the service description",
        );
    }
    ([(header::CONTENT_TYPE, media)], out).into_response()
}
