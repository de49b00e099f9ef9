//! Full-text search inside SPARQL, as QLever's SPARQL+Text or Jena's
//! `text:query` put it there: a `SERVICE` answered in the process from the
//! index, joined with any graph pattern.
//!
//! ```sparql
//! PREFIX cg: <https://w3id.org/chronograph/ontology#>
//! SELECT ?doc ?title ?score ?snippet WHERE {
//!   SERVICE <https://w3id.org/chronograph/search> {
//!     ?doc cg:matches "hydroelectric plant" ; cg:score ?score ; cg:snippet ?snippet
//!   }
//!   ?doc <http://purl.org/dc/terms/title> ?title
//! } ORDER BY DESC(?score)
//! ```
//!
//! `cg:matches` takes the query in the search box's language
//! ([`crate::query_language`]); `cg:score` (BM25) and `cg:snippet` are
//! optional; `cg:limit` caps the hits (default [`DEFAULT_LIMIT`]).

use std::sync::Arc;

use chronograph_core::query::LocalService;
use chronograph_core::store::ArchiveStore;
use oxigraph::model::{Literal, NamedNode, Term, Variable};
use oxigraph::sparql::{QuerySolution, QuerySolutionIter, ServiceHandler};
use spargebra::algebra::GraphPattern;
use spargebra::term::{NamedNodePattern, TermPattern};

use crate::{SearchError, SearchIndex};

/// The service's IRI.
pub const SEARCH_SERVICE: &str = "https://w3id.org/chronograph/search";
/// The ontology's namespace, where `cg:matches`, `cg:score`, `cg:snippet`
/// and `cg:limit` are.
const CG: &str = "https://w3id.org/chronograph/ontology#";
/// Hits a `SERVICE` call returns unless `cg:limit` says otherwise.
pub const DEFAULT_LIMIT: usize = 10_000;

/// The service, answering from an index and (for snippets) its store.
#[derive(Clone)]
pub struct SearchService {
    index: Arc<SearchIndex>,
    store: ArchiveStore,
}

impl SearchService {
    /// A service over this index of this store.
    pub fn new(index: Arc<SearchIndex>, store: ArchiveStore) -> Self {
        Self { index, store }
    }

    /// The service as a [`LocalService`] for the query functions of
    /// `chronograph-core`.
    pub fn local(self) -> LocalService {
        Arc::new(move |evaluator| {
            evaluator.with_service_handler(NamedNode::new_unchecked(SEARCH_SERVICE), self.clone())
        })
    }
}

/// What a `SERVICE` pattern asks.
struct Request {
    query: String,
    subject: Variable,
    score: Option<Variable>,
    snippet: Option<Variable>,
    limit: usize,
}

fn request(pattern: &GraphPattern) -> Result<Request, SearchError> {
    let bad = |message: &str| SearchError::Query {
        query: pattern.to_string(),
        message: message.to_owned(),
    };
    let GraphPattern::Bgp { patterns } = pattern else {
        return Err(bad("the search SERVICE takes triple patterns only: ?doc cg:matches \"words\" ; cg:score ?score ; cg:snippet ?snippet"));
    };
    let mut query = None;
    let mut subject = None;
    let (mut score, mut snippet, mut limit) = (None, None, DEFAULT_LIMIT);
    for triple in patterns {
        let NamedNodePattern::NamedNode(predicate) = &triple.predicate else {
            return Err(bad("a variable predicate in the search SERVICE"));
        };
        let Some(local) = predicate.as_str().strip_prefix(CG) else {
            return Err(bad(
                "the search SERVICE knows cg:matches, cg:score, cg:snippet and cg:limit",
            ));
        };
        match &triple.subject {
            TermPattern::Variable(v) if subject.as_ref().is_none_or(|s| s == v) => {
                subject = Some(v.clone())
            }
            _ => {
                return Err(bad(
                    "every pattern of the search SERVICE has the same variable as subject",
                ))
            }
        }
        match (local, &triple.object) {
            ("matches", TermPattern::Literal(l)) => query = Some(l.value().to_owned()),
            ("score", TermPattern::Variable(v)) => score = Some(v.clone()),
            ("snippet", TermPattern::Variable(v)) => snippet = Some(v.clone()),
            ("limit", TermPattern::Literal(l)) => {
                limit = l
                    .value()
                    .parse()
                    .map_err(|_| bad("cg:limit takes a number"))?
            }
            _ => return Err(bad(
                "cg:matches takes a string; cg:score and cg:snippet a variable; cg:limit a number",
            )),
        }
    }
    match (query, subject) {
        (Some(query), Some(subject)) => Ok(Request {
            query,
            subject,
            score,
            snippet,
            limit,
        }),
        _ => Err(bad("the search SERVICE needs ?doc cg:matches \"words\"")),
    }
}

impl ServiceHandler for SearchService {
    type Error = SearchError;

    fn handle(
        &self,
        pattern: &GraphPattern,
        _base_iri: Option<&oxiri::Iri<String>>,
    ) -> Result<QuerySolutionIter<'static>, SearchError> {
        let request = request(pattern)?;
        let hits = self.index.ranked(
            &self.store,
            &request.query,
            request.limit,
            request.snippet.is_some(),
        )?;
        let mut variables = vec![request.subject.clone()];
        variables.extend(request.score.clone());
        variables.extend(request.snippet.clone());
        let variables: Arc<[Variable]> = variables.into();
        let rows: Vec<_> = hits
            .into_iter()
            .filter_map(|hit| {
                let mut values = vec![Some(Term::NamedNode(NamedNode::new(hit.iri).ok()?))];
                if request.score.is_some() {
                    values.push(Some(Literal::from(f64::from(hit.score)).into()));
                }
                if request.snippet.is_some() {
                    values.push(Some(Literal::new_simple_literal(hit.snippet).into()));
                }
                Some(Ok::<_, oxigraph::sparql::QueryEvaluationError>(
                    QuerySolution::from((Arc::clone(&variables), values)),
                ))
            })
            .collect();
        Ok(QuerySolutionIter::new(variables, rows))
    }
}
