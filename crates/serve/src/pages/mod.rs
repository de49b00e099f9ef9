//! The HTML pages: home, search, query, ontology, and the resource pages
//! (person, document, event, anything else). Data comes from SPARQL over the
//! union graph; the markup lives in `templates/` (minijinja, auto-escaped).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Instant;

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use minijinja::{context, Environment, Value};
use oxigraph::model::{GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNode, Term, Triple};
use oxigraph::sparql::{CancellationToken, QueryResults};
use serde::{Deserialize, Serialize};

mod resource_pages;
mod site;

pub use resource_pages::resource_page;
pub use site::{
    home, ontology, ontology_response, query_page, search, FormatParam, QueryPageParams,
    SearchParams,
};

use crate::charts::{self, TimelineEvent};
use crate::limits::with_time_limit;
use crate::negotiate;
use crate::read_model::{self, ontology_label, PageQuery};
use crate::{accept_header, error_response, AppState, HttpError, ServeError};
use chronograph_core::mapping::vocab::{cg, dcterms, owl, rdf, rdfs, schema};
use chronograph_core::query::{self, compact_iri, term_text};
use chronograph_core::store::{ArchiveStore, ONTOLOGY_GRAPH};

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
    } else if is_web_link(iri) {
        iri.to_owned()
    } else {
        // `javascript:`, `data:` and every other scheme from harvested pages,
        // API answers or query results never becomes a live link.
        String::new()
    }
}

/// Whether an IRI may be a link's target as it is: `http` or `https` only.
fn is_web_link(iri: &str) -> bool {
    let lower = iri.trim_start().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
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
                // Other schemes (`javascript:`, `data:`) are shown, not linked.
                href: is_web_link(n.as_str()).then(|| n.as_str().to_owned()),
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
    /// Statements (see [`read_model::describe`]).
    pub triples: &'a [Triple],
    /// Cancelled at the request's time limit: the page's queries stop.
    pub token: &'a CancellationToken,
}

/// The store as a page reads it: every query stops once the request's token
/// is cancelled at the time limit.
#[derive(Clone, Copy)]
pub struct PageReader<'a> {
    /// The store.
    pub store: &'a ArchiveStore,
    /// The request's token.
    pub token: &'a CancellationToken,
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

/// One solution: variable name → value.
type Solution = query::Row;

/// Runs one of the pages' queries ([`read_model::PageQuery`]).
fn select(
    reader: PageReader<'_>,
    page_query: PageQuery,
    this: Option<&NamedNode>,
) -> Result<Vec<Solution>, HttpError> {
    Ok(read_model::select(
        reader.store,
        page_query,
        this,
        reader.token,
    )?)
}

fn get(solution: &Solution, var: &str) -> Option<String> {
    solution.get(var).map(term_text)
}

fn date_of(solution: &Solution, var: &str) -> Option<NaiveDate> {
    get(solution, var).and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
}

/// Links from a query binding `?x` (target), `?label` and optionally `?note`.
fn links(
    reader: PageReader<'_>,
    page_query: PageQuery,
    this: Option<&NamedNode>,
) -> Result<Vec<Link>, HttpError> {
    let mut out: Vec<Link> = Vec::new();
    for row in select(reader, page_query, this)? {
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
