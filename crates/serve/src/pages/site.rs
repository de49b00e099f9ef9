//! The site's own pages: home, search, the query page and the ontology.

use super::*;
use crate::read_statistics;

#[derive(Serialize)]
struct Count {
    label: &'static str,
    count: String,
}

/// GET /: counts, a search box, a few people and documents.
pub async fn home(State(state): State<Arc<AppState>>) -> Response {
    let worker = state.clone();
    let page = with_time_limit(&state, move |token| {
        let store = &worker.store;
        let reader = PageReader {
            store,
            token: &token,
        };
        // Every count from the precomputed statistics: no request counts
        // the archive.
        let count_of = |class: NamedNodeRef<'_>| read_statistics::class_count(store, class).to_string();
        let statements = read_statistics::statements(store).map_err(HttpError::internal)?;
        let counts = vec![
            Count { label: "documents", count: count_of(cg::Document) },
            Count { label: "people", count: count_of(cg::Person) },
            Count { label: "events", count: count_of(cg::Event) },
            Count { label: "places", count: count_of(cg::Place) },
            Count { label: "organisations", count: count_of(cg::Organisation) },
            Count { label: "collections", count: count_of(cg::Collection) },
            Count { label: "sources", count: count_of(cg::Source) },
            Count { label: "statements", count: statements.to_string() },
        ];
        let people: Vec<Link> = worker
            .people_with_most_events()
            .map_err(HttpError::internal)?
            .iter()
            .map(|(iri, name, events)| Link {
                label: name.clone(),
                href: iri.as_str().to_owned(),
                note: Some(format!("{events} events")),
            })
            .collect();
        let documents = earliest_documents(&worker, reader)?;
        Ok(worker.pages.render(
            "home.html",
            context! { title => "chronograph archive", counts, people, documents, endpoint => worker.endpoint() },
        ))
    })
    .await;
    page.unwrap_or_else(IntoResponse::into_response)
}

/// The home page's twelve earliest documents: by the search index's dates
/// when the store has an index (a read of one column), else by the page
/// query (which reads every document).
fn earliest_documents(state: &AppState, reader: PageReader<'_>) -> Result<Vec<Link>, HttpError> {
    let Some(index) = &state.search else {
        return links(reader, PageQuery::HomeDocuments, None);
    };
    let union = oxigraph::model::GraphNameRef::NamedNode(state.store.union_graph().as_ref());
    let first =
        |subject: &NamedNode, predicate: NamedNodeRef<'_>| -> Result<Option<String>, HttpError> {
            let quad = state
                .store
                .oxigraph()
                .quads_for_pattern(
                    Some(subject.as_ref().into()),
                    Some(predicate),
                    None,
                    Some(union),
                )
                .next()
                .transpose()
                .map_err(HttpError::internal)?;
            Ok(quad.map(|q| chronograph_core::query::term_text(&q.object)))
        };
    let mut out = Vec::new();
    for iri in index.earliest_documents(12).map_err(HttpError::internal)? {
        let Ok(document) = NamedNode::new(iri.clone()) else {
            continue;
        };
        out.push(Link {
            label: first(&document, dcterms::title)?.unwrap_or_else(|| compact_iri(&iri)),
            note: first(&document, cg::dateText)?,
            href: iri,
        });
    }
    Ok(out)
}

/// Parameters of the search page.
#[derive(Debug, Deserialize)]
pub struct SearchParams {
    q: Option<String>,
    /// Hits skipped (pagination).
    offset: Option<usize>,
    /// `json` for the JSON answer.
    format: Option<String>,
}

/// Hits on one page of the search.
const HITS_PER_PAGE: usize = 20;

/// A facet value with the link that narrows the search to it.
#[derive(Serialize)]
struct FacetLink {
    value: String,
    count: u64,
    href: String,
}

/// GET /search?q=: the full-text index when the store has one (ranked hits
/// with snippets, facets that narrow the search, pages; JSON with
/// `Accept: application/json` or `format=json`), else names and titles
/// containing the words.
pub async fn search(
    State(state): State<Arc<AppState>>,
    Query(params): Query<SearchParams>,
    headers: HeaderMap,
) -> Response {
    let q = params.q.clone().unwrap_or_default().trim().to_owned();
    if let Some(index) = state.search.clone() {
        let json = params.format.as_deref() == Some("json")
            || accept_header(&headers).is_some_and(|a| a.contains("application/json"));
        let offset = params.offset.unwrap_or(0);
        let worker = state.clone();
        let page = with_time_limit(&state, move |_token| {
            if q.is_empty() {
                return Ok(worker.pages.render(
                    "search.html",
                    context! { title => "Search", q, full_text => true },
                ));
            }
            let found = index.search(&worker.store, &q, HITS_PER_PAGE, offset);
            let results = match found {
                Ok(results) => results,
                Err(chronograph_search::SearchError::Query { message, .. }) => {
                    return Err(HttpError::new(StatusCode::BAD_REQUEST, message))
                }
                Err(e) => return Err(HttpError::internal(e)),
            };
            if json {
                return Ok(axum::Json(results).into_response());
            }
            let facets: Vec<(String, Vec<FacetLink>)> = results
                .facets
                .iter()
                .filter(|(_, values)| !values.is_empty())
                .map(|(facet, values)| {
                    let links = values
                        .iter()
                        .map(|v| FacetLink {
                            value: v.value.clone(),
                            count: v.count,
                            href: search_href(&narrowed(&q, facet, &v.value), 0),
                        })
                        .collect();
                    (facet.clone(), links)
                })
                .collect();
            let shown = results.hits.len();
            let next = (offset + shown < results.total).then(|| search_href(&q, offset + shown));
            let previous =
                (offset > 0).then(|| search_href(&q, offset.saturating_sub(HITS_PER_PAGE)));
            Ok(worker.pages.render(
                "search.html",
                context! {
                    title => "Search", q, full_text => true, total => results.total,
                    first => offset + 1, last => offset + shown, hits => results.hits,
                    facets, next, previous,
                },
            ))
        })
        .await;
        return page.unwrap_or_else(IntoResponse::into_response);
    }
    let worker = state.clone();
    let page = with_time_limit(&state, move |token| {
        let store = &worker.store;
        let needle = q.to_lowercase();
        let words: Vec<&str> = needle.split_whitespace().collect();
        let (matches, truncated) =
            read_model::label_matches(store, &words, MAX_SEARCH_RESULTS, &token)?;
        let mut results: Vec<Link> = matches
            .into_iter()
            .map(|m| Link {
                label: m.label,
                href: m.iri,
                note: m.kind,
            })
            .collect();
        results.sort_by(|a, b| a.note.cmp(&b.note).then(a.label.cmp(&b.label)));
        Ok(worker.pages.render(
            "search.html",
            context! { title => "Search", q, results, truncated },
        ))
    })
    .await;
    page.unwrap_or_else(IntoResponse::into_response)
}

/// The query narrowed to one facet value (`person:"Kim Il Sung"`, `year:1965`).
fn narrowed(q: &str, facet: &str, value: &str) -> String {
    if facet == "year" {
        format!("{q} year:{value}")
    } else {
        format!("{q} {facet}:\"{}\"", value.replace('"', ""))
    }
}

/// The link of a search page.
fn search_href(q: &str, offset: usize) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    query.append_pair("q", q);
    if offset > 0 {
        query.append_pair("offset", &offset.to_string());
    }
    format!("/search?{}", query.finish())
}

/// Parameters of the query page.
#[derive(Debug, Deserialize)]
pub struct QueryPageParams {
    query: Option<String>,
    sample: Option<String>,
}

/// Results of a query laid out for the page.
#[derive(Default)]
struct ResultTable {
    columns: Vec<String>,
    rows: Vec<Vec<Cell>>,
    truncated: bool,
    boolean: Option<bool>,
}

fn result_table(
    state: &AppState,
    text: &str,
    token: oxigraph::sparql::CancellationToken,
) -> Result<ResultTable, query::QueryError> {
    let store = &state.store;
    let prepared = query::prepare_with_services(
        text,
        store.union_graph(),
        Some(token),
        state.options.federation.as_ref(),
        &state.local_services(),
    )?;
    let results = prepared.on_store(store.oxigraph()).execute()?;
    let no_labels = HashMap::new();
    let mut table = ResultTable::default();
    match results {
        QueryResults::Boolean(b) => table.boolean = Some(b),
        QueryResults::Solutions(solutions) => {
            let variables = solutions.variables().to_vec();
            table.columns = variables.iter().map(|v| v.as_str().to_owned()).collect();
            for solution in solutions {
                let solution = solution?;
                if table.rows.len() == MAX_QUERY_ROWS {
                    table.truncated = true;
                    break;
                }
                table.rows.push(
                    variables
                        .iter()
                        .map(|v| match solution.get(v) {
                            Some(term) => Cell::of(term, &no_labels),
                            None => Cell {
                                text: String::new(),
                                href: None,
                                datatype: None,
                            },
                        })
                        .collect(),
                );
            }
        }
        QueryResults::Graph(triples) => {
            table.columns = vec!["subject".into(), "predicate".into(), "object".into()];
            for triple in triples {
                let triple = triple?;
                if table.rows.len() == MAX_QUERY_ROWS {
                    table.truncated = true;
                    break;
                }
                table.rows.push(vec![
                    Cell::of(&Term::from(triple.subject), &no_labels),
                    Cell::of(&Term::NamedNode(triple.predicate), &no_labels),
                    Cell::of(&triple.object, &no_labels),
                ]);
            }
        }
    }
    Ok(table)
}

/// GET /query: an editor prefilled with a sample (or the given query), and the
/// results as a table when there is something to run.
pub async fn query_page(
    State(state): State<Arc<AppState>>,
    Query(params): Query<QueryPageParams>,
) -> Response {
    let sample = params
        .sample
        .as_deref()
        .and_then(|name| state.samples().iter().find(|s| s.name == name))
        .cloned();
    let (text, run) = match (&params.query, &sample) {
        (Some(q), _) if !q.trim().is_empty() => (q.clone(), true),
        (_, Some(s)) => (s.text.clone(), true),
        _ => (
            state
                .samples()
                .first()
                .map(|s| s.text.clone())
                .unwrap_or_else(|| "SELECT * WHERE { ?s ?p ?o } LIMIT 10".into()),
            false,
        ),
    };
    let started = Instant::now();
    let (table, error) = if run {
        let worker = state.clone();
        let query_text = text.clone();
        let outcome = with_time_limit(&state, move |token| {
            Ok(result_table(&worker, &query_text, token))
        })
        .await;
        match outcome {
            Ok(Ok(table)) => (table, None),
            Ok(Err(e)) => (ResultTable::default(), Some(e.to_string())),
            Err(_) => (
                ResultTable::default(),
                Some(format!(
                    "the query was cut after the time limit of {} s",
                    state.options.timeout.as_secs_f32()
                )),
            ),
        }
    } else {
        (ResultTable::default(), None)
    };
    let ctx = context! {
        title => "Query",
        endpoint => state.endpoint(),
        samples => state.samples(),
        sample => sample.as_ref().map(|s| s.name.clone()),
        description => sample.as_ref().map(|s| s.description.clone()),
        query => text,
        ran => run,
        error,
        columns => table.columns,
        rows => table.rows,
        truncated => table.truncated,
        boolean => table.boolean,
        elapsed_ms => started.elapsed().as_millis(),
    };
    state.pages.render("query.html", ctx)
}

/// Parameters of the ontology page.
#[derive(Debug, Deserialize)]
pub struct FormatParam {
    pub format: Option<String>,
}

#[derive(Serialize)]
struct TermView {
    local: String,
    label: String,
    comment: Option<String>,
    other: Vec<OtherView>,
}

#[derive(Serialize)]
struct OtherView {
    label: String,
    text: String,
    href: Option<String>,
}

/// What the ontology says of one of its terms.
#[derive(Default)]
struct TermParts {
    types: Vec<String>,
    label: Option<String>,
    comment: Option<String>,
    other: Vec<OtherView>,
}

#[derive(Serialize)]
struct Section {
    heading: &'static str,
    terms: Vec<TermView>,
}

/// GET /ontology: the ontology as HTML (classes and properties with their
/// comments) or, for machines, as RDF.
pub async fn ontology(
    State(state): State<Arc<AppState>>,
    Query(params): Query<FormatParam>,
    headers: HeaderMap,
) -> Response {
    ontology_response(
        &state,
        params.format.as_deref(),
        accept_header(&headers).as_deref(),
    )
}

/// The ontology document in the syntax asked for (a suffix or `format`, else `Accept`).
pub fn ontology_response(state: &AppState, format: Option<&str>, accept: Option<&str>) -> Response {
    let graph = NamedNodeRef::new_unchecked(ONTOLOGY_GRAPH);
    let triples: Vec<Triple> = state
        .store
        .oxigraph()
        .quads_for_pattern(None, None, None, Some(GraphNameRef::NamedNode(graph)))
        .filter_map(Result::ok)
        .map(Triple::from)
        .collect();
    let html = match format {
        Some(f) => f == "html" || f == "text/html",
        None => negotiate::prefers_html(accept),
    };
    if !html {
        return negotiate::rdf_response(&triples, accept, format);
    }
    let mut terms: BTreeMap<String, TermParts> = BTreeMap::new();
    let mut descriptions = Vec::new();
    for t in &triples {
        let subject = match &t.subject {
            NamedOrBlankNode::NamedNode(n) => n.as_str(),
            _ => continue,
        };
        if subject == ONTOLOGY_GRAPH {
            if t.predicate == rdfs::comment || t.predicate == dcterms::description {
                descriptions.push(term_text(&t.object));
            }
            continue;
        }
        let Some(local) = subject.strip_prefix(cg::NS) else {
            continue;
        };
        let entry = terms.entry(local.to_owned()).or_default();
        if t.predicate == rdf::type_ {
            entry.types.push(term_text(&t.object));
        } else if t.predicate == rdfs::label {
            entry.label = Some(term_text(&t.object));
        } else if t.predicate == rdfs::comment {
            entry.comment = Some(term_text(&t.object));
        } else {
            let (text, href) = match &t.object {
                Term::NamedNode(n) => (compact_iri(n.as_str()), Some(n.as_str().to_owned())),
                other => (term_text(other), None),
            };
            entry.other.push(OtherView {
                label: compact_iri(t.predicate.as_str()),
                text,
                href,
            });
        }
    }
    let mut classes = Vec::new();
    let mut properties = Vec::new();
    for (
        local,
        TermParts {
            types,
            label,
            comment,
            mut other,
        },
    ) in terms
    {
        other.sort_by(|a, b| a.label.cmp(&b.label).then(a.text.cmp(&b.text)));
        let view = TermView {
            label: label.unwrap_or_else(|| local.clone()),
            local,
            comment,
            other,
        };
        if types.iter().any(|t| t.ends_with("#Class")) {
            classes.push(view);
        } else {
            properties.push(view);
        }
    }
    let ctx = context! {
        title => "The chronograph ontology",
        iri => ONTOLOGY_GRAPH,
        descriptions,
        sections => vec![
            Section { heading: "Classes", terms: classes },
            Section { heading: "Properties", terms: properties },
        ],
    };
    state.pages.render("ontology.html", ctx)
}
