//! The HTML pages: home, search, query, ontology, and the resource pages
//! (person, document, event, anything else). Data comes from SPARQL over the
//! union graph; the markup lives in `templates/` (minijinja, auto-escaped).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Instant;

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use minijinja::{context, Environment, Value};
use oxigraph::model::{GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNode, Term, Triple};
use oxigraph::sparql::QueryResults;
use serde::{Deserialize, Serialize};

use super::charts::{self, TimelineEvent};
use super::negotiate;
use super::sparql::with_time_limit;
use super::{accept_header, blocking, error_response, AppState, ServeError};
use crate::mapping::vocab::{cg, dcterms, owl, rdf, rdfs, schema};
use crate::query::{self, compact_iri, term_text};
use crate::store::{ArchiveStore, ONTOLOGY_GRAPH};

const TEMPLATES: [(&str, &str); 9] = [
    ("base.html", include_str!("../../templates/base.html")),
    ("macros.html", include_str!("../../templates/macros.html")),
    ("home.html", include_str!("../../templates/home.html")),
    ("search.html", include_str!("../../templates/search.html")),
    ("query.html", include_str!("../../templates/query.html")),
    (
        "ontology.html",
        include_str!("../../templates/ontology.html"),
    ),
    ("person.html", include_str!("../../templates/person.html")),
    (
        "resource.html",
        include_str!("../../templates/resource.html"),
    ),
    ("dumps.html", include_str!("../../templates/dumps.html")),
];

/// Rows shown on the query page at most.
const MAX_QUERY_ROWS: usize = 1000;
/// Search results shown at most.
const MAX_SEARCH_RESULTS: usize = 100;

/// The page templates, parsed once.
pub struct Templates {
    env: Environment<'static>,
}

impl Templates {
    /// Parses the templates; `base` is the IRI prefix that links make local.
    pub fn new(base: &str) -> Result<Self, ServeError> {
        let mut env = Environment::new();
        for (name, source) in TEMPLATES {
            env.add_template(name, source)
                .map_err(|e| ServeError::Template {
                    name: name.to_owned(),
                    message: e.to_string(),
                })?;
        }
        let base = base.to_owned();
        // Links are escaped for attributes here (quotes, <, >, &) and marked safe,
        // so that `/` stays readable in the markup instead of `&#x2f;`.
        env.add_filter("local", move |iri: String| {
            Value::from_safe_string(escape_attribute(&local_link(&base, &iri)))
        });
        env.add_filter("compact", |iri: String| compact_iri(&iri));
        env.add_global("version", env!("CARGO_PKG_VERSION"));
        Ok(Self { env })
    }

    /// Renders a template to an HTML response.
    pub fn render(&self, name: &str, ctx: Value) -> Response {
        let rendered = self
            .env
            .get_template(name)
            .and_then(|template| template.render(ctx));
        match rendered {
            Ok(html) => (
                [
                    (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                    (header::VARY, "Accept"),
                ],
                html,
            )
                .into_response(),
            Err(e) => error_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("page {name}: {e:#}"),
            ),
        }
    }
}

/// A link for the browser: IRIs under the base become paths on this server, the
/// ontology's terms anchors on its page; other IRIs stay as they are.
fn local_link(base: &str, iri: &str) -> String {
    if let Some(rest) = iri.strip_prefix(base) {
        format!("/{rest}")
    } else if let Some(term) = iri.strip_prefix(cg::NS) {
        format!("/ontology#{term}")
    } else if iri == ONTOLOGY_GRAPH {
        "/ontology".to_owned()
    } else {
        iri.to_owned()
    }
}

/// Escapes text for a double-quoted HTML attribute.
fn escape_attribute(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            other => out.push(other),
        }
    }
    out
}

/// A value on a page: text, and where it links to.
#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    text: String,
    href: Option<String>,
    datatype: Option<String>,
}

impl Cell {
    fn of(term: &Term, labels: &HashMap<String, String>) -> Self {
        match term {
            Term::NamedNode(n) => Self {
                text: labels
                    .get(n.as_str())
                    .cloned()
                    .unwrap_or_else(|| compact_iri(n.as_str())),
                href: Some(n.as_str().to_owned()),
                datatype: None,
            },
            Term::Literal(l) => {
                let datatype = l.datatype();
                let plain = l.language().is_some()
                    || datatype == oxigraph::model::vocab::xsd::STRING
                    || datatype == oxigraph::model::vocab::rdf::LANG_STRING;
                Self {
                    text: l.value().to_owned(),
                    href: None,
                    datatype: (!plain).then(|| datatype.as_str().to_owned()),
                }
            }
            other => Self {
                text: other.to_string(),
                href: None,
                datatype: None,
            },
        }
    }
}

/// A link with a label and an optional note.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    label: String,
    href: String,
    note: Option<String>,
}

/// One property of a resource with its values.
#[derive(Debug, Clone, Serialize)]
struct FieldRow {
    property: String,
    label: String,
    values: Vec<Cell>,
}

/// One raw statement.
#[derive(Debug, Clone, Serialize)]
struct StatementRow {
    property: String,
    cell: Cell,
}

/// Readable names of the properties on resource pages, in display order.
/// Properties that only repeat another one (RiC-O twins of schema.org and Dublin
/// Core fields) are left to the "every statement" table.
const FIELD_LABELS: &[(&str, &str)] = &[
    ("http://purl.org/dc/terms/title", "Title"),
    ("https://w3id.org/chronograph/ontology#dateText", "Date"),
    ("http://purl.org/dc/terms/date", "Date (typed)"),
    (
        "http://semanticweb.cs.vu.nl/2009/11/sem/hasTimeStamp",
        "Date (typed)",
    ),
    (
        "https://w3id.org/chronograph/ontology#datePrecision",
        "Date precision",
    ),
    (
        "https://w3id.org/chronograph/ontology#lifeSpanText",
        "Life span",
    ),
    ("https://schema.org/birthDate", "Born"),
    ("https://schema.org/deathDate", "Died"),
    ("https://w3id.org/chronograph/ontology#region", "Region"),
    ("https://schema.org/description", "Description"),
    ("https://schema.org/sender", "From"),
    ("http://purl.org/dc/terms/creator", "Authors"),
    (
        "https://w3id.org/chronograph/ontology#participant",
        "Participants",
    ),
    (
        "https://w3id.org/chronograph/ontology#documentType",
        "Document type",
    ),
    ("https://schema.org/recipient", "To"),
    ("https://w3id.org/chronograph/ontology#level", "Level"),
    (
        "https://w3id.org/chronograph/ontology#classification",
        "Classification",
    ),
    (
        "https://w3id.org/chronograph/ontology#serialNumber",
        "Serial number",
    ),
    (
        "https://w3id.org/chronograph/ontology#serialLine",
        "Serial line",
    ),
    ("http://purl.org/dc/terms/abstract", "Summary"),
    ("https://schema.org/text", "Text"),
    (
        "http://semanticweb.cs.vu.nl/2009/11/sem/hasActor",
        "People and organisations",
    ),
    ("http://semanticweb.cs.vu.nl/2009/11/sem/hasPlace", "Places"),
    (
        "https://w3id.org/chronograph/ontology#documentedBy",
        "Documented by",
    ),
    (
        "https://w3id.org/chronograph/ontology#onTimelineOf",
        "On the timeline of",
    ),
    ("http://purl.org/dc/terms/bibliographicCitation", "Source"),
    (
        "https://w3id.org/chronograph/ontology#archiveSignature",
        "Archive signature",
    ),
    ("https://w3id.org/chronograph/ontology#pages", "Pages"),
    ("https://schema.org/translator", "Translator"),
    (
        "https://w3id.org/chronograph/ontology#contributedBy",
        "Contributed by",
    ),
    (
        "https://w3id.org/chronograph/ontology#transcribedBy",
        "Transcribed by",
    ),
    ("https://schema.org/editor", "Editors"),
    ("https://schema.org/associatedMedia", "PDF"),
    ("http://www.w3.org/2004/02/skos/core#altLabel", "Also named"),
    (
        "http://www.w3.org/2004/02/skos/core#broader",
        "Broader subject",
    ),
    (
        "https://www.ica.org/standards/RiC/ontology#isOrWasSubdivisionOf",
        "Part of",
    ),
    ("https://schema.org/holdingArchive", "Archive"),
    ("http://purl.org/dc/terms/rights", "Rights"),
    ("http://purl.org/dc/terms/language", "Language"),
    ("http://purl.org/dc/terms/dateSubmitted", "Uploaded"),
    ("http://purl.org/dc/terms/identifier", "Record ID"),
    ("https://w3id.org/chronograph/ontology#nodeId", "Node ID"),
    ("https://schema.org/funder", "Funders"),
    (
        "https://w3id.org/chronograph/ontology#fundingStatement",
        "Funding",
    ),
    ("http://purl.org/dc/terms/isPartOf", "Collections"),
    ("http://purl.org/dc/terms/spatial", "Places"),
    ("http://purl.org/dc/terms/subject", "Subjects"),
    ("https://schema.org/mentions", "Mentions"),
    ("https://schema.org/about", "About"),
    (
        "https://w3id.org/chronograph/ontology#relatedPerson",
        "Related people",
    ),
    (
        "https://w3id.org/chronograph/ontology#documentCount",
        "Documents",
    ),
    ("https://schema.org/hasPart", "Documents"),
    ("https://schema.org/url", "Page on the archive's site"),
    ("http://www.w3.org/2002/07/owl#sameAs", "Same as"),
    ("https://schema.org/sameAs", "Same as"),
    (
        "https://w3id.org/chronograph/ontology#earliestDate",
        "Earliest day",
    ),
    (
        "https://w3id.org/chronograph/ontology#latestDate",
        "Latest day",
    ),
    (
        "http://semanticweb.cs.vu.nl/2009/11/sem/hasEarliestBeginTimeStamp",
        "Earliest day",
    ),
    (
        "http://semanticweb.cs.vu.nl/2009/11/sem/hasLatestEndTimeStamp",
        "Latest day",
    ),
];

/// Twins and bookkeeping left out of the fields table (still in "every statement").
const HIDDEN_FIELDS: &[&str] = &[
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
    "http://www.w3.org/2000/01/rdf-schema#label",
    "https://schema.org/name",
    "https://www.ica.org/standards/RiC/ontology#hasSender",
    "https://www.ica.org/standards/RiC/ontology#hasReceiver",
    "https://www.ica.org/standards/RiC/ontology#scopeAndContent",
    "https://www.ica.org/standards/RiC/ontology#conditionsOfUse",
    "https://w3id.org/chronograph/ontology#pageField",
    "https://www.ica.org/standards/RiC/ontology#hasCreator",
    "https://schema.org/parentOrganization",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
];

/// What the resource pages are built from: the statements about a resource and
/// the labels of what they link to.
pub struct Described<'a> {
    /// The resource.
    pub iri: &'a NamedNode,
    /// Statements (see [`super::resource::describe`]).
    pub triples: &'a [Triple],
}

impl Described<'_> {
    fn about(&self) -> impl Iterator<Item = &Triple> {
        self.triples
            .iter()
            .filter(move |t| matches!(&t.subject, NamedOrBlankNode::NamedNode(n) if n == self.iri))
    }

    fn values(&self, predicate: NamedNodeRef<'_>) -> Vec<&Term> {
        self.about()
            .filter(|t| t.predicate == predicate)
            .map(|t| &t.object)
            .collect()
    }

    fn texts(&self, predicate: NamedNodeRef<'_>) -> Vec<String> {
        let mut texts: Vec<String> = self.values(predicate).into_iter().map(term_text).collect();
        texts.dedup();
        texts
    }

    fn first_text(&self, predicate: NamedNodeRef<'_>) -> Option<String> {
        self.texts(predicate).into_iter().next()
    }

    fn has_type(&self, class: NamedNodeRef<'_>) -> bool {
        self.values(rdf::type_)
            .iter()
            .any(|t| matches!(t, Term::NamedNode(n) if n.as_ref() == class))
    }

    /// Labels of every resource the statements name (rdfs:label or schema:name).
    fn labels(&self) -> HashMap<String, String> {
        let mut labels = HashMap::new();
        for t in self.triples {
            if t.predicate == rdfs::label || t.predicate == schema::name {
                if let (NamedOrBlankNode::NamedNode(s), Term::Literal(l)) = (&t.subject, &t.object)
                {
                    labels
                        .entry(s.as_str().to_owned())
                        .or_insert_with(|| l.value().to_owned());
                }
            }
        }
        labels
    }

    fn title(&self) -> String {
        self.first_text(schema::name)
            .or_else(|| self.first_text(dcterms::title))
            .or_else(|| self.first_text(rdfs::label))
            .unwrap_or_else(|| self.iri.as_str().to_owned())
    }

    fn field_rows(&self, store: &ArchiveStore) -> Vec<FieldRow> {
        let labels = self.labels();
        let mut grouped: BTreeMap<(usize, String), Vec<Cell>> = BTreeMap::new();
        for t in self.about() {
            let p = t.predicate.as_str();
            if HIDDEN_FIELDS.contains(&p) {
                continue;
            }
            let rank = FIELD_LABELS
                .iter()
                .position(|(iri, _)| *iri == p)
                .unwrap_or(FIELD_LABELS.len());
            let cells = grouped.entry((rank, p.to_owned())).or_default();
            let cell = Cell::of(&t.object, &labels);
            if !cells
                .iter()
                .any(|c| c.text == cell.text && c.href == cell.href)
            {
                cells.push(cell);
            }
        }
        grouped
            .into_iter()
            .map(|((rank, property), values)| FieldRow {
                label: FIELD_LABELS
                    .get(rank)
                    .map(|(_, label)| (*label).to_owned())
                    .or_else(|| ontology_label(store, &property))
                    .unwrap_or_else(|| compact_iri(&property)),
                property,
                values,
            })
            .collect()
    }

    fn statement_rows(&self) -> Vec<StatementRow> {
        let labels = self.labels();
        self.about()
            .map(|t| StatementRow {
                property: t.predicate.as_str().to_owned(),
                cell: Cell::of(&t.object, &labels),
            })
            .collect()
    }

    fn type_names(&self) -> Vec<String> {
        self.values(rdf::type_)
            .into_iter()
            .filter_map(|t| match t {
                Term::NamedNode(n) if n.as_str().starts_with(cg::NS) => {
                    Some(n.as_str()[cg::NS.len()..].to_owned())
                }
                _ => None,
            })
            .collect()
    }
}

/// The ontology's label of one of its terms.
fn ontology_label(store: &ArchiveStore, iri: &str) -> Option<String> {
    let term = NamedNodeRef::new(iri).ok()?;
    let graph = NamedNodeRef::new_unchecked(ONTOLOGY_GRAPH);
    store
        .oxigraph()
        .quads_for_pattern(
            Some(term.into()),
            Some(rdfs::label),
            None,
            Some(GraphNameRef::NamedNode(graph)),
        )
        .filter_map(Result::ok)
        .find_map(|q| match q.object {
            Term::Literal(l) => Some(l.value().to_owned()),
            _ => None,
        })
}

/// One solution: variable name → value.
type Solution = query::Row;

/// Runs a SELECT over the union graph (for the pages' own queries).
fn select(store: &ArchiveStore, text: &str) -> Result<Vec<Solution>, Response> {
    query::select_rows(store, text)
        .map_err(|e| error_response(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))
}

fn get(solution: &Solution, var: &str) -> Option<String> {
    solution.get(var).map(term_text)
}

fn date_of(solution: &Solution, var: &str) -> Option<NaiveDate> {
    get(solution, var).and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
}

/// Renders the HTML page of a described resource, by its type.
pub fn resource_page(state: &AppState, described: &Described<'_>) -> Response {
    let result = if described.has_type(cg::Person) {
        person_page(state, described)
    } else if described.has_type(cg::Document) {
        document_page(state, described)
    } else if described.has_type(cg::Event) {
        event_page(state, described)
    } else {
        other_page(state, described)
    };
    result.unwrap_or_else(|r| r)
}

#[derive(Serialize)]
struct EventItem {
    href: String,
    date_text: String,
    text: String,
}

#[derive(Serialize)]
struct DocumentItem {
    href: String,
    title: String,
    date_text: String,
    roles: Vec<String>,
}

fn person_page(state: &AppState, d: &Described<'_>) -> Result<Response, Response> {
    let store = &state.store;
    let iri = d.iri.as_str();
    let events = select(
        store,
        &format!(
            "SELECT ?e ?label ?text ?dateText ?start WHERE {{
               ?e sem:hasActor <{iri}> .
               OPTIONAL {{ ?e rdfs:label ?label }}
               OPTIONAL {{ ?e schema:description ?text }}
               OPTIONAL {{ ?e cg:dateText ?dateText }}
               OPTIONAL {{ ?e sem:hasEarliestBeginTimeStamp ?start }}
             }} ORDER BY ?start ?e"
        ),
    )?;
    let mut seen = std::collections::HashSet::new();
    let mut event_items = Vec::new();
    let mut timeline_events = Vec::new();
    for e in &events {
        let Some(href) = get(e, "e") else { continue };
        if !seen.insert(href.clone()) {
            continue;
        }
        let date_text = get(e, "dateText").unwrap_or_default();
        let text = get(e, "text").unwrap_or_default();
        if let Some(start) = date_of(e, "start") {
            timeline_events.push(TimelineEvent {
                start,
                date_text: date_text.clone(),
                label: get(e, "label").unwrap_or_else(|| text.clone()),
                href: href.clone(),
            });
        }
        event_items.push(EventItem {
            href,
            date_text,
            text,
        });
    }
    // The list under the picture follows the picture's numbering (date order;
    // undated events last).
    let timeline = charts::timeline(&timeline_events);
    if let Some(t) = &timeline {
        let order: HashMap<&str, usize> = t
            .points
            .iter()
            .map(|p| (p.href.as_str(), p.number))
            .collect();
        event_items.sort_by_key(|e| order.get(e.href.as_str()).copied().unwrap_or(usize::MAX));
    }

    let documents = select(
        store,
        &format!(
            "SELECT ?d ?title ?dateText ?start ?role WHERE {{
               {{ ?d schema:mentions <{iri}> BIND(\"mentioned\" AS ?role) }}
               UNION {{ ?d schema:sender <{iri}> BIND(\"sender\" AS ?role) }}
               UNION {{ ?d schema:recipient <{iri}> BIND(\"recipient\" AS ?role) }}
               UNION {{ ?d schema:translator <{iri}> BIND(\"translator\" AS ?role) }}
               ?d a cg:Document .
               OPTIONAL {{ ?d dcterms:title ?title }}
               OPTIONAL {{ ?d cg:dateText ?dateText }}
               OPTIONAL {{ ?d cg:earliestDate ?start }}
             }} ORDER BY ?start ?d"
        ),
    )?;
    let mut document_items: Vec<DocumentItem> = Vec::new();
    let mut per_year: BTreeMap<i32, usize> = BTreeMap::new();
    for row in &documents {
        let Some(href) = get(row, "d") else { continue };
        let role = get(row, "role").unwrap_or_default();
        if let Some(existing) = document_items.iter_mut().find(|x| x.href == href) {
            if !existing.roles.contains(&role) {
                existing.roles.push(role);
            }
            continue;
        }
        if let Some(start) = date_of(row, "start") {
            *per_year.entry(start.year()).or_default() += 1;
        }
        document_items.push(DocumentItem {
            title: get(row, "title").unwrap_or_else(|| compact_iri(&href)),
            href,
            date_text: get(row, "dateText").unwrap_or_default(),
            roles: vec![role],
        });
    }

    let collections = links(
        store,
        &format!("SELECT DISTINCT ?x ?label WHERE {{ ?x schema:about <{iri}> ; schema:name ?label }} ORDER BY ?label"),
    )?;
    let related = links(
        store,
        &format!(
            "SELECT DISTINCT ?x ?label ?note WHERE {{
               ?c schema:about <{iri}> ; cg:relatedPerson ?x . ?x schema:name ?label .
               OPTIONAL {{ ?x cg:lifeSpanText ?note }} FILTER(?x != <{iri}>)
             }} ORDER BY ?label"
        ),
    )?;

    let mut links_out = Vec::new();
    for url in d.texts(schema::url) {
        links_out.push(Link {
            label: "the archive's page".into(),
            href: url,
            note: None,
        });
    }
    let mut same: Vec<String> = d.texts(owl::sameAs);
    same.extend(d.texts(schema::sameAs));
    same.sort();
    same.dedup();
    for iri in same {
        let link = match iri.strip_prefix("http://www.wikidata.org/entity/") {
            Some(q) => Link {
                label: format!("Wikidata {q}"),
                href: format!("https://www.wikidata.org/wiki/{q}"),
                note: None,
            },
            None => Link {
                label: iri.clone(),
                href: iri,
                note: None,
            },
        };
        links_out.push(link);
    }

    let ctx = context! {
        title => d.title(),
        iri => d.iri.as_str(),
        life_span => d.first_text(cg::lifeSpanText),
        birth => d.first_text(schema::birthDate),
        death => d.first_text(schema::deathDate),
        regions => d.texts(cg::region),
        document_count => d.texts(cg::documentCount).into_iter().max_by_key(|c| c.parse::<u64>().unwrap_or(0)),
        descriptions => d.texts(schema::description),
        links_out,
        timeline,
        events => event_items,
        per_year => charts::per_year(&per_year),
        documents => document_items,
        collections,
        related,
        rows => d.field_rows(store),
        all => d.statement_rows(),
    };
    Ok(state.pages.render("person.html", ctx))
}

/// Links from a query binding `?x` (target), `?label` and optionally `?note`.
fn links(store: &ArchiveStore, text: &str) -> Result<Vec<Link>, Response> {
    let mut out: Vec<Link> = Vec::new();
    for row in select(store, text)? {
        let Some(href) = get(&row, "x") else { continue };
        if out.iter().any(|l| l.href == href) {
            continue;
        }
        out.push(Link {
            label: get(&row, "label").unwrap_or_else(|| compact_iri(&href)),
            href,
            note: get(&row, "note"),
        });
    }
    Ok(out)
}

/// What links to a resource (documents naming a place, say), at most 500.
fn incoming(store: &ArchiveStore, iri: &str) -> Result<Vec<Link>, Response> {
    links(
        store,
        &format!(
            "SELECT ?x ?label ?note WHERE {{
               ?x ?p <{iri}> . BIND(STR(?p) AS ?note)
               OPTIONAL {{ ?x rdfs:label ?label }}
             }} ORDER BY ?label LIMIT 500"
        ),
    )
}

fn document_page(state: &AppState, d: &Described<'_>) -> Result<Response, Response> {
    let iri = d.iri.as_str();
    let mentioned = links(
        &state.store,
        &format!(
            "SELECT DISTINCT ?x ?label ?note WHERE {{
               {{ <{iri}> schema:mentions ?x }} UNION {{ <{iri}> dcterms:spatial ?x }}
               UNION {{ <{iri}> schema:sender ?x }} UNION {{ <{iri}> schema:recipient ?x }}
               ?x schema:name ?label .
               OPTIONAL {{ ?x a ?class FILTER(?class IN (cg:Person, cg:Organisation, cg:Place, cg:Agent))
                          BIND(STRAFTER(STR(?class), \"#\") AS ?note) }}
             }} ORDER BY ?note ?label"
        ),
    )?;
    let related = links(
        &state.store,
        &format!(
            "SELECT DISTINCT ?x ?label ?note WHERE {{
               ?x cg:documentedBy <{iri}> ; rdfs:label ?label .
             }} ORDER BY ?label"
        ),
    )?;
    let ctx = context! {
        title => d.title(),
        iri,
        types => d.type_names(),
        date => d.first_text(cg::dateText),
        lead => d.first_text(dcterms::abstract_),
        mentioned,
        related_heading => "Events this document records",
        related,
        rows => d.field_rows(&state.store),
        all => d.statement_rows(),
    };
    Ok(state.pages.render("resource.html", ctx))
}

fn event_page(state: &AppState, d: &Described<'_>) -> Result<Response, Response> {
    let iri = d.iri.as_str();
    let mentioned = links(
        &state.store,
        &format!(
            "SELECT DISTINCT ?x ?label ?note WHERE {{
               {{ <{iri}> sem:hasActor ?x }} UNION {{ <{iri}> sem:hasPlace ?x }}
               ?x schema:name ?label .
               OPTIONAL {{ ?x cg:lifeSpanText ?note }}
             }} ORDER BY ?label"
        ),
    )?;
    let related = links(
        &state.store,
        &format!(
            "SELECT DISTINCT ?x ?label WHERE {{
               {{ <{iri}> cg:documentedBy ?x }} UNION {{ <{iri}> cg:onTimelineOf ?x }}
               ?x rdfs:label ?label .
             }} ORDER BY ?label"
        ),
    )?;
    let title = d
        .first_text(cg::dateText)
        .map(|date| format!("Event of {date}"))
        .unwrap_or_else(|| d.title());
    let ctx = context! {
        title,
        iri,
        types => d.type_names(),
        date => d.first_text(cg::datePrecision).map(|p| format!("precision: {p}")),
        lead => d.first_text(schema::description),
        mentioned,
        related_heading => "Documents and timelines",
        related,
        rows => d.field_rows(&state.store),
        all => d.statement_rows(),
    };
    Ok(state.pages.render("resource.html", ctx))
}

fn other_page(state: &AppState, d: &Described<'_>) -> Result<Response, Response> {
    let ctx = context! {
        title => d.title(),
        iri => d.iri.as_str(),
        types => d.type_names(),
        lead => d.first_text(schema::description),
        rows => d.field_rows(&state.store),
        incoming => incoming(&state.store, d.iri.as_str())?,
        all => d.statement_rows(),
    };
    Ok(state.pages.render("resource.html", ctx))
}

#[derive(Serialize)]
struct Count {
    label: &'static str,
    count: String,
}

/// GET /: counts, a search box, a few people and documents.
pub async fn home(State(state): State<Arc<AppState>>) -> Response {
    let worker = state.clone();
    let page = blocking(move || {
        let store = &worker.store;
        let rows = select(
            store,
            "SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {
               VALUES ?class { cg:Document cg:Person cg:Event cg:Place cg:Organisation cg:Collection }
               ?s a ?class } GROUP BY ?class",
        )?;
        let count_of = |class: NamedNodeRef<'_>| {
            rows.iter()
                .find(|r| get(r, "class").as_deref() == Some(class.as_str()))
                .and_then(|r| get(r, "n"))
                .unwrap_or_else(|| "0".into())
        };
        let quads = store
            .quad_count()
            .map_err(|e| error_response(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
        let graphs = store
            .source_graphs()
            .map_err(|e| error_response(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
        let counts = vec![
            Count { label: "documents", count: count_of(cg::Document) },
            Count { label: "people", count: count_of(cg::Person) },
            Count { label: "events", count: count_of(cg::Event) },
            Count { label: "places", count: count_of(cg::Place) },
            Count { label: "organisations", count: count_of(cg::Organisation) },
            Count { label: "collections", count: count_of(cg::Collection) },
            Count { label: "sources", count: graphs.len().to_string() },
            Count { label: "statements", count: quads.to_string() },
        ];
        let people = links(
            store,
            "SELECT ?x ?label (CONCAT(STR(COUNT(DISTINCT ?e)), \" events\") AS ?note) WHERE {
               ?x a cg:Person ; schema:name ?label . ?e sem:hasActor ?x
             } GROUP BY ?x ?label ORDER BY DESC(COUNT(DISTINCT ?e)) ?label LIMIT 12",
        )?;
        let documents = links(
            store,
            "SELECT ?x ?label ?note WHERE {
               ?x a cg:Document ; dcterms:title ?label . OPTIONAL { ?x cg:dateText ?note }
               OPTIONAL { ?x cg:earliestDate ?start }
             } ORDER BY ?start LIMIT 12",
        )?;
        Ok(worker.pages.render(
            "home.html",
            context! { title => "chronograph archive", counts, people, documents, endpoint => worker.endpoint() },
        ))
    })
    .await;
    page.unwrap_or_else(|r| r)
}

/// Parameters of the search page.
#[derive(Debug, Deserialize)]
pub struct SearchParams {
    q: Option<String>,
}

/// GET /search?q=: resources whose name, title or label contains the words.
pub async fn search(
    State(state): State<Arc<AppState>>,
    Query(params): Query<SearchParams>,
) -> Response {
    let q = params.q.unwrap_or_default().trim().to_owned();
    let worker = state.clone();
    let page = blocking(move || {
        let store = &worker.store;
        let needle = q.to_lowercase();
        let words: Vec<&str> = needle.split_whitespace().collect();
        let mut results: Vec<Link> = Vec::new();
        let mut truncated = false;
        let union = GraphNameRef::NamedNode(store.union_graph().as_ref());
        if !words.is_empty() {
            'predicates: for predicate in [schema::name, dcterms::title, rdfs::label] {
                for quad in
                    store
                        .oxigraph()
                        .quads_for_pattern(None, Some(predicate), None, Some(union))
                {
                    let quad = quad.map_err(|e| {
                        error_response(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
                    })?;
                    let (NamedOrBlankNode::NamedNode(s), Term::Literal(l)) =
                        (&quad.subject, &quad.object)
                    else {
                        continue;
                    };
                    let label = l.value().to_lowercase();
                    if !words.iter().all(|w| label.contains(w))
                        || results.iter().any(|r| r.href == s.as_str())
                    {
                        continue;
                    }
                    if results.len() == MAX_SEARCH_RESULTS {
                        truncated = true;
                        break 'predicates;
                    }
                    results.push(Link {
                        label: l.value().to_owned(),
                        href: s.as_str().to_owned(),
                        note: kind_of(store, s),
                    });
                }
            }
        }
        results.sort_by(|a, b| a.note.cmp(&b.note).then(a.label.cmp(&b.label)));
        Ok(worker.pages.render(
            "search.html",
            context! { title => "Search", q, results, truncated },
        ))
    })
    .await;
    page.unwrap_or_else(|r| r)
}

/// The chronograph class of a resource, for search results.
fn kind_of(store: &ArchiveStore, iri: &NamedNode) -> Option<String> {
    let union = GraphNameRef::NamedNode(store.union_graph().as_ref());
    store
        .oxigraph()
        .quads_for_pattern(
            Some(iri.as_ref().into()),
            Some(rdf::type_),
            None,
            Some(union),
        )
        .filter_map(Result::ok)
        .find_map(|q| match q.object {
            Term::NamedNode(n) if n.as_str().starts_with(cg::NS) => {
                Some(n.as_str()[cg::NS.len()..].to_owned())
            }
            _ => None,
        })
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
) -> Result<ResultTable, String> {
    let store = &state.store;
    let prepared = query::prepare_with(
        text,
        store.union_graph(),
        Some(token),
        state.options.federation,
    )
    .map_err(|e| e.to_string())?;
    let results = prepared
        .on_store(store.oxigraph())
        .execute()
        .map_err(|e| e.to_string())?;
    let no_labels = HashMap::new();
    let mut table = ResultTable::default();
    match results {
        QueryResults::Boolean(b) => table.boolean = Some(b),
        QueryResults::Solutions(solutions) => {
            let variables = solutions.variables().to_vec();
            table.columns = variables.iter().map(|v| v.as_str().to_owned()).collect();
            for solution in solutions {
                let solution = solution.map_err(|e| e.to_string())?;
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
                let triple = triple.map_err(|e| e.to_string())?;
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
            Ok(Err(message)) => (ResultTable::default(), Some(message)),
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
        return super::resource::rdf_response(&triples, accept, format);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_under_the_base_become_local() {
        let base = "http://localhost:7878/";
        assert_eq!(
            local_link(base, "http://localhost:7878/person/kim"),
            "/person/kim"
        );
        assert_eq!(
            local_link(base, "https://w3id.org/chronograph/ontology#Person"),
            "/ontology#Person"
        );
        assert_eq!(
            local_link(base, "http://www.wikidata.org/entity/Q1"),
            "http://www.wikidata.org/entity/Q1"
        );
    }

    #[test]
    fn every_template_parses() {
        assert!(Templates::new("http://localhost:7878/").is_ok());
    }
}
