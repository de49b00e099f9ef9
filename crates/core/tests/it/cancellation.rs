//! A cancelled SPARQL evaluation stops reading the store: checked on
//! Oxigraph's evaluator (`spareval`, patched in `vendor/spareval`) over a
//! dataset that counts the quads it hands out and cancels the query itself
//! after a set number. This is what lets `serve` bound its evaluations: a
//! query cut at the time limit gives its slot back at once.

use std::cell::Cell;
use std::rc::Rc;

use oxigraph::model::{Dataset, GraphName, Literal, NamedNode, Quad, Term};
use spareval::{
    CancellationToken, InternalQuad, QueryEvaluationError, QueryEvaluator, QueryResults,
    QueryableDataset,
};
use spargebra::SparqlParser;

/// Quads in the dataset: far more than the evaluation may read once cancelled.
const QUADS: usize = 50_000;
/// The query is cancelled when this many quads have been handed out.
const CANCEL_AFTER: usize = 1_000;

/// A dataset that hands out the quads of `inner`, counting them, and cancels
/// `token` when the count reaches `cancel_after`.
struct Counting<'a> {
    inner: &'a Dataset,
    handed_out: Rc<Cell<usize>>,
    cancel_after: usize,
    token: CancellationToken,
}

type Inner<'a> = &'a Dataset;

impl<'a> QueryableDataset<'a> for Counting<'a> {
    type InternalTerm = <Inner<'a> as QueryableDataset<'a>>::InternalTerm;
    type Error = <Inner<'a> as QueryableDataset<'a>>::Error;

    fn internal_quads_for_pattern(
        &self,
        subject: Option<&Self::InternalTerm>,
        predicate: Option<&Self::InternalTerm>,
        object: Option<&Self::InternalTerm>,
        graph_name: Option<Option<&Self::InternalTerm>>,
    ) -> impl Iterator<Item = Result<InternalQuad<Self::InternalTerm>, Self::Error>> + use<'a> {
        let handed_out = Rc::clone(&self.handed_out);
        let token = self.token.clone();
        let cancel_after = self.cancel_after;
        self.inner
            .internal_quads_for_pattern(subject, predicate, object, graph_name)
            .inspect(move |_| {
                let n = handed_out.get() + 1;
                handed_out.set(n);
                if n == cancel_after {
                    token.cancel();
                }
            })
    }

    fn internalize_term(&self, term: Term) -> Result<Self::InternalTerm, Self::Error> {
        self.inner.internalize_term(term)
    }

    fn externalize_term(&self, term: Self::InternalTerm) -> Result<Term, Self::Error> {
        self.inner.externalize_term(term)
    }
}

/// `QUADS` quads about documents, each with a year, in the default graph.
fn dataset() -> Dataset {
    let year = NamedNode::new("https://w3id.org/chronograph/ontology#year").unwrap();
    (0..QUADS)
        .map(|i| {
            Quad::new(
                NamedNode::new(format!("https://example.org/document/{i}")).unwrap(),
                year.clone(),
                Literal::from(1945 + (i % 47) as i64),
                GraphName::DefaultGraph,
            )
        })
        .collect()
}

/// Evaluates `query` with a token cancelled after `CANCEL_AFTER` quads; returns
/// the outcome of reading every solution and the number of quads handed out.
fn evaluate_cancelled(dataset: &Dataset, query: &str) -> (Result<usize, String>, usize) {
    let token = CancellationToken::new();
    let handed_out = Rc::new(Cell::new(0));
    let counting = Counting {
        inner: dataset,
        handed_out: Rc::clone(&handed_out),
        cancel_after: CANCEL_AFTER,
        token: token.clone(),
    };
    let query = SparqlParser::new().parse_query(query).unwrap();
    let evaluator = QueryEvaluator::new().with_cancellation_token(token);
    let outcome = match evaluator.prepare(&query).execute(counting) {
        Ok(QueryResults::Solutions(solutions)) => solutions
            .collect::<Result<Vec<_>, QueryEvaluationError>>()
            .map(|rows| rows.len())
            .map_err(|e| e.to_string()),
        Ok(_) => Err("not a SELECT".into()),
        Err(e) => Err(e.to_string()),
    };
    (outcome, handed_out.get())
}

fn assert_stops_soon_after_cancellation(query: &str) {
    let dataset = dataset();
    let (outcome, handed_out) = evaluate_cancelled(&dataset, query);
    assert!(
        matches!(&outcome, Err(e) if e.contains("cancel")),
        "{query}: {outcome:?}"
    );
    // One more quad per open scan at most; upstream read all QUADS.
    assert!(
        handed_out <= CANCEL_AFTER + 10,
        "{query}: {handed_out} of {QUADS} quads read although cancelled after {CANCEL_AFTER}"
    );
}

#[test]
fn an_uncancelled_aggregate_reads_everything_and_answers() {
    let dataset = dataset();
    let token = CancellationToken::new();
    let handed_out = Rc::new(Cell::new(0));
    let counting = Counting {
        inner: &dataset,
        handed_out: Rc::clone(&handed_out),
        cancel_after: usize::MAX,
        token: token.clone(),
    };
    let query = SparqlParser::new()
        .parse_query("SELECT ?y (COUNT(*) AS ?n) WHERE { ?d ?p ?y } GROUP BY ?y")
        .unwrap();
    let evaluator = QueryEvaluator::new().with_cancellation_token(token);
    let Ok(QueryResults::Solutions(solutions)) = evaluator.prepare(&query).execute(counting) else {
        panic!("no solutions");
    };
    let rows = solutions.collect::<Result<Vec<_>, _>>().unwrap();
    assert_eq!(rows.len(), 47);
    assert_eq!(handed_out.get(), QUADS);
}

#[test]
fn a_cancelled_aggregate_stops_reading() {
    assert_stops_soon_after_cancellation(
        "SELECT ?y (COUNT(*) AS ?n) WHERE { ?d ?p ?y } GROUP BY ?y",
    );
}

#[test]
fn a_cancelled_join_stops_reading() {
    assert_stops_soon_after_cancellation(
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?y . ?b ?p ?y FILTER(?a != ?b) }",
    );
}

#[test]
fn a_cancelled_sort_stops_reading() {
    assert_stops_soon_after_cancellation("SELECT ?d WHERE { ?d ?p ?y } ORDER BY DESC(?y) LIMIT 5");
}

/// A query that never reads the store: a cross product of three `VALUES`
/// blocks, filtered by a function that counts its calls and cancels the
/// token after `CANCEL_AFTER` of them. Upstream checked the token only inside
/// index scans, so this ran to its end (1,000,000 calls) whatever the token.
#[test]
fn a_cancelled_cross_product_of_values_stops() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    let values = |var: &str| {
        let numbers: Vec<String> = (1..=100).map(|i| i.to_string()).collect();
        format!("VALUES ?{var} {{ {} }}", numbers.join(" "))
    };
    let text = format!(
        "SELECT (COUNT(*) AS ?n) WHERE {{ {} {} {} FILTER(<urn:tick>(?a, ?b, ?c)) }}",
        values("a"),
        values("b"),
        values("c")
    );
    let token = CancellationToken::new();
    let calls = Arc::new(AtomicUsize::new(0));
    let (counter, canceller) = (Arc::clone(&calls), token.clone());
    let evaluator = QueryEvaluator::new()
        .with_cancellation_token(token)
        .with_custom_function(NamedNode::new("urn:tick").unwrap(), move |_| {
            if counter.fetch_add(1, Ordering::Relaxed) + 1 == CANCEL_AFTER {
                canceller.cancel();
            }
            Some(Term::from(Literal::from(true)))
        });
    let query = SparqlParser::new().parse_query(&text).unwrap();
    let outcome = match evaluator.prepare(&query).execute(&Dataset::new()) {
        Ok(QueryResults::Solutions(solutions)) => solutions
            .collect::<Result<Vec<_>, QueryEvaluationError>>()
            .map(|rows| format!("{rows:?}"))
            .map_err(|e| e.to_string()),
        Ok(_) => Err("not a SELECT".into()),
        Err(e) => Err(e.to_string()),
    };
    assert!(
        matches!(&outcome, Err(e) if e.contains("cancel")),
        "{outcome:?}"
    );
    let calls = calls.load(Ordering::Relaxed);
    assert!(
        calls <= CANCEL_AFTER + 10,
        "{calls} of 1,000,000 tuples filtered although cancelled after {CANCEL_AFTER}"
    );
}
