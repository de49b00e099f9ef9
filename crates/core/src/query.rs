//! SPARQL queries over the store and their results in every standard format,
//! plus a readable table for terminals.
//!
//! The default graph of a query is the store's union graph, the set-semantics
//! merge of every source graph, the metadata and the ontology, unless the query
//! names its own dataset with `FROM` / `FROM NAMED`.

use std::io::Write;

use comfy_table::{presets::UTF8_FULL_CONDENSED, ContentArrangement, Table};
use oxigraph::io::RdfFormat;
use oxigraph::model::{GraphName, NamedNode, Term};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{
    CancellationToken, PreparedSparqlQuery, QueryEvaluationError, QueryResults, SparqlEvaluator,
};
use thiserror::Error;

use std::sync::Arc;

use crate::federation::FederationPolicy;
use crate::mapping::{prefixed_serializer, prefixes};
use crate::store::ArchiveStore;

/// What can go wrong with a query.
#[derive(Debug, Error)]
pub enum QueryError {
    /// The query does not parse; the parser's error carries the position.
    #[error("SPARQL syntax error: {0}")]
    Syntax(#[from] oxigraph::sparql::SparqlSyntaxError),
    /// A prefix of the project's table is not a valid IRI (a bug).
    #[error("bad namespace in the prefix table: {0}")]
    Prefix(#[from] oxigraph::model::IriParseError),
    /// The query failed while running.
    #[error("query evaluation failed: {0}")]
    Evaluation(#[from] QueryEvaluationError),
    /// Writing the results failed.
    #[error("cannot write results: {0}")]
    Io(#[from] std::io::Error),
    /// A variable to bind has no valid name (a bug).
    #[error("bad variable name: {0}")]
    Variable(#[source] oxigraph::sparql::VariableNameParseError),
    /// The query is not of the form the caller needs (a SELECT).
    #[error("not a SELECT query")]
    NotSelect,
}

/// How to print solutions (SELECT) and booleans (ASK).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SolutionsFormat {
    /// An aligned table for people.
    Table,
    /// SPARQL 1.1 Query Results JSON.
    Json,
    /// SPARQL Query Results XML.
    Xml,
    /// SPARQL 1.1 CSV.
    Csv,
    /// SPARQL 1.1 TSV.
    Tsv,
}

/// How to print graphs (CONSTRUCT, DESCRIBE).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphFormat {
    /// Turtle with the ontology's prefixes.
    Turtle,
    /// N-Triples.
    NTriples,
    /// JSON-LD.
    JsonLd,
    /// RDF/XML.
    RdfXml,
}

impl GraphFormat {
    /// The Oxigraph format.
    pub fn rdf_format(self) -> RdfFormat {
        match self {
            Self::Turtle => RdfFormat::Turtle,
            Self::NTriples => RdfFormat::NTriples,
            Self::JsonLd => RdfFormat::JsonLd {
                profile: oxigraph::io::JsonLdProfileSet::empty(),
            },
            Self::RdfXml => RdfFormat::RdfXml,
        }
    }
}

/// Parses a query, with the project's prefixes predeclared, whose default graph is `union`.
pub fn prepare(query: &str, union: &NamedNode) -> Result<PreparedSparqlQuery, QueryError> {
    prepare_cancellable(query, union, None)
}

/// Like [`prepare`], with a token that stops the evaluation when cancelled (time limits).
pub fn prepare_cancellable(
    query: &str,
    union: &NamedNode,
    cancel: Option<CancellationToken>,
) -> Result<PreparedSparqlQuery, QueryError> {
    prepare_with(query, union, cancel, None)
}

/// Like [`prepare_cancellable`]; with a `federation` policy, `SERVICE` calls
/// go out over HTTP to the endpoints it allows (see [`crate::federation`]),
/// else they fail.
pub fn prepare_with(
    query: &str,
    union: &NamedNode,
    cancel: Option<CancellationToken>,
    federation: Option<&FederationPolicy>,
) -> Result<PreparedSparqlQuery, QueryError> {
    prepare_with_services(query, union, cancel, federation, &[])
}

/// Adds a service of the store's own to an evaluator: a `SERVICE <iri>`
/// answered in the process (the full-text search of `chronograph-search`).
pub type LocalService = Arc<dyn Fn(SparqlEvaluator) -> SparqlEvaluator + Send + Sync>;

/// [`prepare_with`], with local services (see [`LocalService`]).
pub fn prepare_with_services(
    query: &str,
    union: &NamedNode,
    cancel: Option<CancellationToken>,
    federation: Option<&FederationPolicy>,
    services: &[LocalService],
) -> Result<PreparedSparqlQuery, QueryError> {
    let mut evaluator = SparqlEvaluator::new();
    for service in services {
        evaluator = service(evaluator);
    }
    if let Some(policy) = federation {
        evaluator = evaluator.with_default_service_handler(
            crate::federation::HttpServiceHandler::new(policy.clone()),
        );
    }
    if let Some(token) = cancel {
        evaluator = evaluator.with_cancellation_token(token);
    }
    for (prefix, ns) in prefixes() {
        evaluator = evaluator.with_prefix(*prefix, *ns)?;
    }
    let mut prepared = evaluator.parse_query(query)?;
    if prepared.dataset().is_default_dataset() {
        prepared
            .dataset_mut()
            .set_default_graph(vec![GraphName::NamedNode(union.clone())]);
    }
    Ok(prepared)
}

/// Runs a query on the store.
pub fn execute<'a>(store: &'a ArchiveStore, query: &str) -> Result<QueryResults<'a>, QueryError> {
    execute_with(store, query, None)
}

/// Runs a query on the store, letting `SERVICE` reach the remote endpoints
/// a `federation` policy allows.
pub fn execute_with<'a>(
    store: &'a ArchiveStore,
    query: &str,
    federation: Option<&FederationPolicy>,
) -> Result<QueryResults<'a>, QueryError> {
    execute_with_services(store, query, federation, &[])
}

/// [`execute_with`], with local services (see [`LocalService`]).
pub fn execute_with_services<'a>(
    store: &'a ArchiveStore,
    query: &str,
    federation: Option<&FederationPolicy>,
    services: &[LocalService],
) -> Result<QueryResults<'a>, QueryError> {
    Ok(
        prepare_with_services(query, store.union_graph(), None, federation, services)?
            .on_store(store.oxigraph())
            .execute()?,
    )
}

/// Writes results: solutions and booleans in `solutions`, graphs in `graph`.
pub fn write_results(
    results: QueryResults<'_>,
    solutions: SolutionsFormat,
    graph: GraphFormat,
    out: &mut impl Write,
) -> Result<usize, QueryError> {
    match results {
        QueryResults::Solutions(iter) => {
            let format = match solutions {
                SolutionsFormat::Table => return write_table(iter, out),
                SolutionsFormat::Json => QueryResultsFormat::Json,
                SolutionsFormat::Xml => QueryResultsFormat::Xml,
                SolutionsFormat::Csv => QueryResultsFormat::Csv,
                SolutionsFormat::Tsv => QueryResultsFormat::Tsv,
            };
            let mut serializer = QueryResultsSerializer::from_format(format)
                .serialize_solutions_to_writer(&mut *out, iter.variables().to_vec())?;
            let mut count = 0;
            for solution in iter {
                serializer.serialize(&solution?)?;
                count += 1;
            }
            serializer.finish()?;
            Ok(count)
        }
        QueryResults::Boolean(value) => {
            let format = match solutions {
                SolutionsFormat::Table => {
                    writeln!(out, "{value}")?;
                    return Ok(1);
                }
                SolutionsFormat::Json => QueryResultsFormat::Json,
                SolutionsFormat::Xml => QueryResultsFormat::Xml,
                SolutionsFormat::Csv => QueryResultsFormat::Csv,
                SolutionsFormat::Tsv => QueryResultsFormat::Tsv,
            };
            QueryResultsSerializer::from_format(format)
                .serialize_boolean_to_writer(&mut *out, value)?;
            Ok(1)
        }
        QueryResults::Graph(triples) => {
            let mut writer = prefixed_serializer(graph.rdf_format())?.for_writer(&mut *out);
            let mut count = 0;
            for triple in triples {
                writer.serialize_triple(&triple?)?;
                count += 1;
            }
            writer.finish()?;
            Ok(count)
        }
    }
}

fn write_table(
    iter: oxigraph::sparql::QuerySolutionIter<'_>,
    out: &mut impl Write,
) -> Result<usize, QueryError> {
    let variables: Vec<String> = iter
        .variables()
        .iter()
        .map(|v| v.as_str().to_owned())
        .collect();
    let mut table = Table::new();
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(&variables);
    if table.width().is_none() {
        // Not a terminal: wrap long values at a readable width rather than never.
        table.set_width(160);
    }
    let mut count = 0;
    for solution in iter {
        let solution = solution?;
        let row: Vec<String> = variables
            .iter()
            .map(|v| {
                solution
                    .get(v.as_str())
                    .map(display_term)
                    .unwrap_or_default()
            })
            .collect();
        table.add_row(row);
        count += 1;
    }
    writeln!(out, "{table}")?;
    writeln!(out, "{count} row(s)")?;
    Ok(count)
}

/// One solution of a SELECT: variable name → value.
pub type Row = std::collections::HashMap<String, Term>;

/// The solutions of a SELECT over the store's union graph, as rows, for code
/// that reads answers (pages, the linker) rather than printing them.
pub fn select_rows(store: &ArchiveStore, query: &str) -> Result<Vec<Row>, QueryError> {
    select_rows_bound(store, query, &[], None)
}

/// [`select_rows`] with variables bound before evaluation (Oxigraph's
/// prepared-query substitution): a query kept as a file, never a string with
/// a value spliced in. The evaluation stops, with an error, once `cancel` is
/// cancelled (the server's time limit).
pub fn select_rows_bound(
    store: &ArchiveStore,
    query: &str,
    bindings: &[(&str, Term)],
    cancel: Option<&CancellationToken>,
) -> Result<Vec<Row>, QueryError> {
    // Bound by a VALUES block joined to the pattern where it can be, which
    // the planner starts from: a substituted variable is only known at
    // evaluation, after the plan (a person's documents took 130 ms that
    // way at 10,000 documents, 2 ms with VALUES).
    let (query, bindings) = match with_values(query, bindings) {
        Some(rewritten) => (std::borrow::Cow::Owned(rewritten), &[][..]),
        None => (std::borrow::Cow::Borrowed(query), bindings),
    };
    let mut prepared = prepare_cancellable(&query, store.union_graph(), cancel.cloned())?
        .on_store(store.oxigraph());
    for (name, term) in bindings {
        let variable = oxigraph::sparql::Variable::new(*name).map_err(QueryError::Variable)?;
        prepared = prepared.substitute_variable(variable, term.clone());
    }
    let QueryResults::Solutions(solutions) = prepared.execute()? else {
        return Err(QueryError::NotSelect);
    };
    let mut rows = Vec::new();
    for solution in solutions {
        rows.push(
            solution?
                .iter()
                .map(|(v, t)| (v.as_str().to_owned(), t.clone()))
                .collect(),
        );
    }
    Ok(rows)
}

/// The query with `bindings` as a `VALUES` block joined to its pattern
/// (under its projection, order and slice), or `None` when that would not
/// mean the same as binding the variables (an aggregate, a blank node, a
/// query that does not parse here or is not a SELECT).
fn with_values(query: &str, bindings: &[(&str, Term)]) -> Option<String> {
    use spargebra::algebra::GraphPattern;
    use spargebra::term::GroundTerm;
    fn join(pattern: GraphPattern, values: GraphPattern) -> Option<GraphPattern> {
        Some(match pattern {
            GraphPattern::Slice {
                inner,
                start,
                length,
            } => GraphPattern::Slice {
                inner: Box::new(join(*inner, values)?),
                start,
                length,
            },
            GraphPattern::Distinct { inner } => GraphPattern::Distinct {
                inner: Box::new(join(*inner, values)?),
            },
            GraphPattern::Reduced { inner } => GraphPattern::Reduced {
                inner: Box::new(join(*inner, values)?),
            },
            GraphPattern::Project { inner, variables } => GraphPattern::Project {
                inner: Box::new(join(*inner, values)?),
                variables,
            },
            GraphPattern::OrderBy { inner, expression } => GraphPattern::OrderBy {
                inner: Box::new(join(*inner, values)?),
                expression,
            },
            GraphPattern::Group { .. } => return None,
            GraphPattern::Extend { ref inner, .. }
                if matches!(**inner, GraphPattern::Group { .. }) =>
            {
                return None
            }
            pattern => push(pattern, values),
        })
    }
    /// Down the required side of the pattern to its first part, where the
    /// values start the evaluation (as a `VALUES` written first would).
    fn push(pattern: GraphPattern, values: GraphPattern) -> GraphPattern {
        match pattern {
            GraphPattern::Join { left, right } => GraphPattern::Join {
                left: Box::new(push(*left, values)),
                right,
            },
            GraphPattern::LeftJoin {
                left,
                right,
                expression,
            } => GraphPattern::LeftJoin {
                left: Box::new(push(*left, values)),
                right,
                expression,
            },
            GraphPattern::Filter { expr, inner } => GraphPattern::Filter {
                expr,
                inner: Box::new(push(*inner, values)),
            },
            GraphPattern::Minus { left, right } => GraphPattern::Minus {
                left: Box::new(push(*left, values)),
                right,
            },
            pattern => GraphPattern::Join {
                left: Box::new(values),
                right: Box::new(pattern),
            },
        }
    }
    if bindings.is_empty() {
        return None;
    }
    let mut variables = Vec::new();
    let mut row = Vec::new();
    for (name, term) in bindings {
        variables.push(oxigraph::sparql::Variable::new(*name).ok()?);
        row.push(Some(match term {
            Term::NamedNode(n) => GroundTerm::NamedNode(n.clone()),
            Term::Literal(l) => GroundTerm::Literal(l.clone()),
            _ => return None,
        }));
    }
    let mut parser = spargebra::SparqlParser::new();
    for (prefix, ns) in prefixes() {
        parser = parser.with_prefix(*prefix, *ns).ok()?;
    }
    let spargebra::Query::Select {
        dataset,
        pattern,
        base_iri,
    } = parser.parse_query(query).ok()?
    else {
        return None;
    };
    let values = GraphPattern::Values {
        variables,
        bindings: vec![row],
    };
    let rewritten = spargebra::Query::Select {
        dataset,
        pattern: join(pattern, values)?,
        base_iri,
    };
    Some(rewritten.to_string())
}

/// A term's plain text: the IRI itself, a literal's lexical form.
pub fn term_text(term: &Term) -> String {
    match term {
        Term::NamedNode(n) => n.as_str().to_owned(),
        Term::Literal(l) => l.value().to_owned(),
        other => other.to_string(),
    }
}

/// A term as a person reads it: prefixed names for IRIs, plain values for literals.
pub fn display_term(term: &Term) -> String {
    match term {
        Term::NamedNode(n) => compact_iri(n.as_str()),
        Term::BlankNode(b) => format!("_:{}", b.as_str()),
        Term::Literal(l) => l.value().to_owned(),
        #[allow(unreachable_patterns)]
        other => other.to_string(),
    }
}

/// `cg:Document` for a term of a known namespace, `<iri>` otherwise.
pub fn compact_iri(iri: &str) -> String {
    for (prefix, ns) in prefixes() {
        if let Some(local) = iri.strip_prefix(ns) {
            if !local.is_empty()
                && local
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
            {
                return format!("{prefix}:{local}");
            }
        }
    }
    format!("<{iri}>")
}
