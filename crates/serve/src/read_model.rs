//! The read model behind the pages: what each page shows, read from the
//! store without HTTP. The page queries are SPARQL files in
//! `crates/serve/page-queries/`, each taking the resource as `?this`, bound
//! with Oxigraph's prepared-query substitution (no value is ever spliced into
//! query text); the rest are index lookups.

use chronograph_core::mapping::vocab::{cg, dcterms, rdf, rdfs, schema};
use chronograph_core::query::{self, QueryError, Row};
use chronograph_core::store::{ArchiveStore, ONTOLOGY_GRAPH};
use oxigraph::model::{
    GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Term, Triple,
};
use oxigraph::sparql::{CancellationToken, QueryEvaluationError};
use oxigraph::store::StorageError;
use thiserror::Error;

use crate::HttpError;

/// The pages' SPARQL queries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageQuery {
    /// A person's events, in date order.
    PersonEvents,
    /// The documents naming a person, with the person's role.
    PersonDocuments,
    /// The collections about a person.
    PersonCollections,
    /// The people related to a person.
    PersonRelated,
    /// What links to a resource (at most 500).
    Incoming,
    /// Who and what a document names.
    DocumentMentioned,
    /// The events a document records.
    DocumentEvents,
    /// An event's people and places.
    EventMentioned,
    /// An event's documents and timelines.
    EventRelated,

    /// The earliest documents.
    HomeDocuments,
}

impl PageQuery {
    /// Every page query.
    pub const ALL: [Self; 10] = [
        Self::PersonEvents,
        Self::PersonDocuments,
        Self::PersonCollections,
        Self::PersonRelated,
        Self::Incoming,
        Self::DocumentMentioned,
        Self::DocumentEvents,
        Self::EventMentioned,
        Self::EventRelated,
        Self::HomeDocuments,
    ];

    /// The query's SPARQL text (its file in `page-queries/`).
    pub fn text(self) -> &'static str {
        match self {
            Self::PersonEvents => include_str!("../page-queries/person-events.rq"),
            Self::PersonDocuments => include_str!("../page-queries/person-documents.rq"),
            Self::PersonCollections => include_str!("../page-queries/person-collections.rq"),
            Self::PersonRelated => include_str!("../page-queries/person-related.rq"),
            Self::Incoming => include_str!("../page-queries/incoming.rq"),
            Self::DocumentMentioned => include_str!("../page-queries/document-mentioned.rq"),
            Self::DocumentEvents => include_str!("../page-queries/document-events.rq"),
            Self::EventMentioned => include_str!("../page-queries/event-mentioned.rq"),
            Self::EventRelated => include_str!("../page-queries/event-related.rq"),
            Self::HomeDocuments => include_str!("../page-queries/home-documents.rq"),
        }
    }
}

/// Runs a page query, `?this` bound to `this` when given.
pub fn select(
    store: &ArchiveStore,
    page_query: PageQuery,
    this: Option<&NamedNode>,
    token: &CancellationToken,
) -> Result<Vec<Row>, ReadError> {
    let bindings = match this {
        Some(iri) => vec![("this", Term::NamedNode(iri.clone()))],
        None => Vec::new(),
    };
    Ok(query::select_rows_bound(
        store,
        page_query.text(),
        &bindings,
        Some(token),
    )?)
}

/// Why a read for a page failed.
#[derive(Debug, Error)]
pub enum ReadError {
    /// A page query failed (or was cut: [`ReadError::was_cut`]).
    #[error(transparent)]
    Query(#[from] QueryError),
    /// The store could not be read.
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// The read was cut at the time limit.
    #[error("the read was cut at the time limit")]
    Cancelled,
}

impl ReadError {
    /// Whether the read stopped because its token was cancelled.
    pub fn was_cut(&self) -> bool {
        matches!(
            self,
            Self::Cancelled | Self::Query(QueryError::Evaluation(QueryEvaluationError::Cancelled))
        )
    }
}

impl From<ReadError> for HttpError {
    fn from(error: ReadError) -> Self {
        if error.was_cut() {
            HttpError::busy(error.to_string())
        } else {
            HttpError::internal(error)
        }
    }
}

/// Fails once the token is cancelled (checked once per quad of a scan).
fn alive(token: &CancellationToken) -> Result<(), ReadError> {
    if token.is_cancelled() {
        Err(ReadError::Cancelled)
    } else {
        Ok(())
    }
}

/// The statements about a resource (and its `#` parts) in the union graph, plus
/// the names of the resources it links to, so a client can label the links.
pub fn describe(
    store: &ArchiveStore,
    iri: &NamedNode,
    token: &CancellationToken,
) -> Result<Vec<Triple>, ReadError> {
    let union = GraphNameRef::NamedNode(store.union_graph().as_ref());
    let ox = store.oxigraph();
    let mut triples: Vec<Triple> = Vec::new();
    for quad in ox.quads_for_pattern(Some(iri.as_ref().into()), None, None, Some(union)) {
        alive(token)?;
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
                alive(token)?;
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
                alive(token)?;
                labels.push(Triple::from(quad?));
            }
        }
    }
    triples.extend(labels);
    triples.dedup();
    Ok(triples)
}

/// The ontology's label of one of its terms.
pub fn ontology_label(store: &ArchiveStore, iri: &str) -> Option<String> {
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

/// The chronograph class of a resource (`Person`, `Document`, ...).
pub fn kind_of(store: &ArchiveStore, iri: &NamedNode) -> Option<String> {
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

/// A resource whose name, title or label matched a search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelMatch {
    /// The resource.
    pub iri: String,
    /// The label that matched.
    pub label: String,
    /// Its chronograph class.
    pub kind: Option<String>,
}

/// Resources whose name, title or label contains every word (lower case), at
/// most `limit`; `true` with them when there were more.
pub fn label_matches(
    store: &ArchiveStore,
    words: &[&str],
    limit: usize,
    token: &CancellationToken,
) -> Result<(Vec<LabelMatch>, bool), ReadError> {
    let mut results: Vec<LabelMatch> = Vec::new();
    if words.is_empty() {
        return Ok((results, false));
    }
    let union = GraphNameRef::NamedNode(store.union_graph().as_ref());
    for predicate in [schema::name, dcterms::title, rdfs::label] {
        for quad in store
            .oxigraph()
            .quads_for_pattern(None, Some(predicate), None, Some(union))
        {
            alive(token)?;
            let quad = quad?;
            let (NamedOrBlankNode::NamedNode(s), Term::Literal(l)) = (&quad.subject, &quad.object)
            else {
                continue;
            };
            let label = l.value().to_lowercase();
            if !words.iter().all(|w| label.contains(w))
                || results.iter().any(|r| r.iri == s.as_str())
            {
                continue;
            }
            if results.len() == limit {
                return Ok((results, true));
            }
            results.push(LabelMatch {
                iri: s.as_str().to_owned(),
                label: l.value().to_owned(),
                kind: kind_of(store, s),
            });
        }
    }
    Ok((results, false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_query_parses_and_binds_this() {
        for page_query in PageQuery::ALL {
            let text = page_query.text();
            assert!(
                oxigraph::sparql::SparqlEvaluator::new()
                    .parse_query(text)
                    .is_ok(),
                "{page_query:?} does not parse"
            );
            assert!(
                !text.contains('{')
                    || text.contains("?this")
                    || format!("{page_query:?}").starts_with("Home"),
                "{page_query:?} takes no ?this"
            );
        }
    }
}
