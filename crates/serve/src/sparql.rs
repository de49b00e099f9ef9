//! The SPARQL 1.1 Protocol at `/sparql`: query by GET, by POST form and by POST
//! `application/sparql-query`; update only with the bearer token.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode};
use oxigraph::sparql::{CancellationToken, QueryResults};

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
    format: Option<String>,
}

impl Protocol {
    fn parse(pairs: &[u8]) -> Self {
        let mut p = Protocol::default();
        for (key, value) in form_urlencoded::parse(pairs) {
            match key.as_ref() {
                "query" => p.query = Some(value.into_owned()),
                "update" => p.update = Some(value.into_owned()),
                "default-graph-uri" | "using-graph-uri" => {
                    p.default_graphs.push(value.into_owned())
                }
                "named-graph-uri" | "using-named-graph-uri" => {
                    p.named_graphs.push(value.into_owned())
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
            protocol.format = form.format.or(protocol.format);
            match (form.query, form.update) {
                (Some(q), _) => run_query(state, q, protocol, &headers).await,
                (None, Some(u)) => run_update(state, u, &headers).await,
                (None, None) => error_response(StatusCode::BAD_REQUEST, "the form has no `query` or `update`"),
            }
        }
        "application/sparql-query" => match text() {
            Ok(q) => run_query(state, q, protocol, &headers).await,
            Err(e) => e.into_response(),
        },
        "application/sparql-update" => match text() {
            Ok(u) => run_update(state, u, &headers).await,
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

/// Runs `work` on a blocking thread under the server's time limit, once one
/// of the server's evaluation slots is free. Past the limit the token is
/// cancelled, so the evaluation stops, and the client is answered 503 at once;
/// other requests are served all along. The slot is given back only when the
/// work has returned, so cut evaluations still count against the bound.
pub(crate) async fn with_time_limit<T: Send + 'static>(
    state: &Arc<AppState>,
    work: impl FnOnce(CancellationToken) -> Result<T, HttpError> + Send + 'static,
) -> Result<T, HttpError> {
    let limit = state.options.timeout;
    let deadline = tokio::time::Instant::now() + limit;
    let slot =
        match tokio::time::timeout_at(deadline, state.evaluations.clone().acquire_owned()).await {
            Ok(Ok(slot)) => slot,
            Ok(Err(_)) => {
                return Err(HttpError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "the server is shutting down",
                ))
            }
            Err(_) => {
                return Err(HttpError::busy(format!(
                    "all {} evaluation slots stayed busy for the time limit of {} s",
                    state.evaluation_slots(),
                    limit.as_secs_f32()
                )))
            }
        };
    let token = CancellationToken::new();
    let worker_token = token.clone();
    let task = tokio::task::spawn_blocking(move || {
        let result = work(worker_token);
        drop(slot);
        result
    });
    match tokio::time::timeout_at(deadline, task).await {
        Ok(Ok(result)) => result,
        Ok(Err(join)) => Err(HttpError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("query task failed: {join}"),
        )),
        Err(_) => {
            token.cancel();
            Err(HttpError::busy(format!(
                "query cut after the time limit of {} s",
                limit.as_secs_f32()
            )))
        }
    }
}

/// A 503 that asks the client to come back in a second.
/// Runs a query under the time limit and serializes its results.
async fn run_query(
    state: Arc<AppState>,
    text: String,
    protocol: Protocol,
    headers: &HeaderMap,
) -> Response {
    let accept = accept_header(headers);
    let (defaults, named) = match (
        graph_names(&protocol.default_graphs),
        graph_names(&protocol.named_graphs),
    ) {
        (Ok(d), Ok(n)) => (d, n),
        (Err(e), _) | (_, Err(e)) => return e.into_response(),
    };
    let worker_state = state.clone();
    let format = protocol.format.clone();
    let answer = with_time_limit(&state, move |token| {
        Ok(evaluate(
            &worker_state,
            &text,
            defaults,
            named,
            accept.as_deref(),
            format.as_deref(),
            token,
        ))
    })
    .await;
    answer.unwrap_or_else(IntoResponse::into_response)
}

fn evaluate(
    state: &AppState,
    text: &str,
    defaults: Vec<NamedNode>,
    named: Vec<NamedNode>,
    accept: Option<&str>,
    format: Option<&str>,
    token: CancellationToken,
) -> Response {
    let store = &state.store;
    let mut prepared = match query::prepare_with(
        text,
        store.union_graph(),
        Some(token),
        state.options.federation,
    ) {
        Ok(p) => p,
        Err(e) => return error_response(StatusCode::BAD_REQUEST, e.to_string()),
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
        Err(e) => return error_response(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    };
    let is_graph = matches!(results, QueryResults::Graph(_));
    let (media, solutions, graph) = if is_graph {
        match negotiate::choose(accept, format, &GRAPH_TYPES) {
            Some((media, g)) => (media, SolutionsFormat::Json, g),
            None => return not_acceptable(&GRAPH_TYPES),
        }
    } else {
        match negotiate::choose(accept, format, &SOLUTION_TYPES) {
            Some((media, s)) => (media, s, GraphFormat::Turtle),
            None => return not_acceptable(&SOLUTION_TYPES),
        }
    };
    let mut body = Vec::new();
    match query::write_results(results, solutions, graph, &mut body) {
        Ok(_) => ([(header::CONTENT_TYPE, media)], body).into_response(),
        Err(QueryError::Evaluation(e)) => {
            error_response(StatusCode::SERVICE_UNAVAILABLE, e.to_string())
        }
        Err(e) => error_response(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}

fn not_acceptable<T>(offered: &[(&str, T)]) -> Response {
    let list: Vec<&str> = offered.iter().map(|(m, _)| *m).collect();
    error_response(
        StatusCode::NOT_ACCEPTABLE,
        format!("acceptable types: {}", list.join(", ")),
    )
}

async fn run_update(state: Arc<AppState>, text: String, headers: &HeaderMap) -> Response {
    if !state.authorised(headers) {
        return error_response(
            StatusCode::FORBIDDEN,
            "this endpoint is read-only: updates need the server's --update-token as a bearer token",
        );
    }
    let writer = state.clone();
    let task = tokio::task::spawn_blocking(move || writer.store.apply_update(&text));
    match task.await {
        Ok(Ok(())) => {
            state.store_changed();
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
        return not_acceptable(&GRAPH_TYPES);
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
