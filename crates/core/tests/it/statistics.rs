//! The statistics graph after any sequence of loads, updates, Graph Store
//! writes and deletes equals the statistics counted by a plain scan of the
//! store's quads (`testkit::statistics_scan`, which shares no code with the
//! per-record upkeep or the SPARQL recount).

use chronograph_core::store::ArchiveStore;
use chronograph_testkit::statistics_scan::{differences, statistics_by_scan};
use chronograph_testkit::{column, load_into, sample_store};
use oxigraph::model::{GraphName, NamedNode, Quad};
use proptest::prelude::*;

const CURATION: &str = "http://localhost:7878/graph/curation";

fn assert_statistics_hold(store: &ArchiveStore, after: &str) {
    let stated = store.statistics().unwrap();
    let scanned = statistics_by_scan(store);
    let wrong = differences(&stated, &scanned);
    assert!(
        wrong.is_empty(),
        "after {after}: {} cells differ (cell, stated, scanned), first: {:?}",
        wrong.len(),
        &wrong[..wrong.len().min(5)]
    );
}

#[test]
fn the_recount_and_the_upkeep_agree_with_a_plain_scan_after_the_load() {
    let (store, _) = sample_store();
    assert!(store.statistics().unwrap().len() > 100);
    assert_statistics_hold(&store, "the load (kept by each transaction)");
    store.recount_statistics().unwrap();
    assert_statistics_hold(&store, "a recount");
}

/// One write of the property test, on resources picked from the sample.
#[derive(Debug, Clone)]
enum Write {
    DeleteMentions(usize),
    AddMention(usize, usize),
    Untype(usize),
    Retype(usize),
    DeleteDocument(usize),
    NewDocument(usize, usize, usize, i64),
    NewEvent(usize, usize, usize, i64),
    ChangeDate(usize, i64),
    Rename(usize),
    ClearGraph(usize),
    HalveGraph(usize),
    Reload,
    ClearAll,
}

fn write_strategy() -> impl Strategy<Value = Write> {
    let i = 0usize..1000;
    prop_oneof![
        3 => i.clone().prop_map(Write::DeleteMentions),
        3 => (i.clone(), i.clone()).prop_map(|(d, p)| Write::AddMention(d, p)),
        2 => i.clone().prop_map(Write::Untype),
        2 => i.clone().prop_map(Write::Retype),
        2 => i.clone().prop_map(Write::DeleteDocument),
        3 => (i.clone(), i.clone(), i.clone(), 1940i64..1995).prop_map(|(k, a, b, y)| Write::NewDocument(k, a, b, y)),
        3 => (i.clone(), i.clone(), i.clone(), 1940i64..1995).prop_map(|(k, a, b, y)| Write::NewEvent(k, a, b, y)),
        2 => (i.clone(), 1940i64..1995).prop_map(|(d, y)| Write::ChangeDate(d, y)),
        1 => i.clone().prop_map(Write::Rename),
        1 => i.clone().prop_map(Write::ClearGraph),
        1 => i.clone().prop_map(Write::HalveGraph),
        1 => Just(Write::Reload),
        1 => Just(Write::ClearAll),
    ]
}

struct Sample {
    documents: Vec<String>,
    people: Vec<String>,
    graphs: Vec<String>,
}

fn pick(list: &[String], i: usize) -> &str {
    &list[i % list.len()]
}

fn apply(store: &ArchiveStore, sample: &Sample, write: &Write) {
    let doc = |i| pick(&sample.documents, i);
    let person = |i| pick(&sample.people, i);
    let update = match write {
        Write::DeleteMentions(d) => format!(
            "DELETE WHERE {{ GRAPH ?g {{ <{}> <https://schema.org/mentions> ?p }} }}",
            doc(*d)
        ),
        Write::AddMention(d, p) => format!(
            "INSERT DATA {{ GRAPH <{CURATION}> {{ <{}> <https://schema.org/mentions> <{}> }} }}",
            doc(*d),
            person(*p)
        ),
        Write::Untype(p) => format!("DELETE WHERE {{ GRAPH ?g {{ <{}> a cg:Person }} }}", person(*p)),
        Write::Retype(p) => format!(
            "INSERT DATA {{ GRAPH <{CURATION}> {{ <{}> a cg:Person }} }}",
            person(*p)
        ),
        Write::DeleteDocument(d) => format!("DELETE WHERE {{ GRAPH ?g {{ <{}> ?p ?o }} }}", doc(*d)),
        Write::NewDocument(k, a, b, y) => format!(
            "INSERT DATA {{ GRAPH <{CURATION}> {{ <http://localhost:7878/document/new-{k}> a cg:Document ; \
             cg:earliestDate \"{y}-05-01\"^^xsd:date ; schema:mentions <{}>, <{}> ; \
             dcterms:language \"Russian\" ; dcterms:isPartOf <http://localhost:7878/collection/new> ; \
             schema:translator <{}> }} }}",
            person(*a),
            person(*b),
            person(*b)
        ),
        Write::NewEvent(k, a, b, y) => format!(
            "INSERT DATA {{ GRAPH <{CURATION}> {{ <http://localhost:7878/event/new-{k}> a cg:Event, sem:Event ; \
             sem:hasEarliestBeginTimeStamp \"{y}\"^^xsd:gYear ; sem:hasActor <{}>, <{}> }} }}",
            person(*a),
            person(*b)
        ),
        Write::ChangeDate(d, y) => format!(
            "DELETE {{ GRAPH ?g {{ <{0}> cg:earliestDate ?e }} }} INSERT {{ GRAPH ?g {{ <{0}> cg:earliestDate \"{y}-01-01\"^^xsd:date }} }} \
             WHERE {{ GRAPH ?g {{ <{0}> cg:earliestDate ?e }} }}",
            doc(*d)
        ),
        Write::Rename(p) => format!(
            "DELETE WHERE {{ GRAPH ?g {{ <{}> schema:name ?n }} }}",
            person(*p)
        ),
        Write::ClearGraph(g) => format!("CLEAR SILENT GRAPH <{}>", pick(&sample.graphs, *g)),
        Write::HalveGraph(g) => {
            let graph = NamedNode::new(pick(&sample.graphs, *g)).unwrap();
            let quads: Vec<Quad> = store
                .oxigraph()
                .quads_for_pattern(None, None, None, Some((&graph).into()))
                .map(Result::unwrap)
                .enumerate()
                .filter_map(|(i, q)| (i % 2 == 0).then_some(q))
                .collect();
            store
                .write_graph(&GraphName::NamedNode(graph), &quads, true)
                .unwrap();
            return;
        }
        Write::Reload => {
            load_into(store, &["data/sample"]);
            return;
        }
        Write::ClearAll => "CLEAR ALL".to_owned(),
    };
    let prefixed = format!(
        "PREFIX cg: <https://w3id.org/chronograph/ontology#> PREFIX schema: <https://schema.org/> \
         PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/> PREFIX dcterms: <http://purl.org/dc/terms/> \
         PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> {update}"
    );
    store
        .apply_update(&prefixed)
        .unwrap_or_else(|e| panic!("{e}\n{prefixed}"));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, max_shrink_iters: 20, ..ProptestConfig::default() })]
    #[test]
    fn statistics_equal_a_plain_scan_after_any_writes(writes in proptest::collection::vec(write_strategy(), 1..7)) {
        let (store, _) = sample_store();
        let sample = Sample {
            documents: column(&store, "SELECT ?d WHERE { ?d a cg:Document } ORDER BY ?d"),
            people: column(&store, "SELECT ?p WHERE { ?p a cg:Person } ORDER BY ?p"),
            // The source graphs stating documents (the derived union graph is refused).
            graphs: column(&store, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s a cg:Document } FILTER(!STRENDS(STR(?g), \"/graph/union\")) } ORDER BY ?g"),
        };
        for write in &writes {
            apply(&store, &sample, write);
            assert_statistics_hold(&store, &format!("{write:?}"));
        }
    }
}

/// The count of the least-named pair among the leading ones, as the
/// statistics graph states it.
fn leading_threshold(store: &ArchiveStore) -> i64 {
    store
        .statistics()
        .unwrap()
        .into_iter()
        .filter(|(key, _)| {
            matches!(
                key,
                chronograph_core::statistics::StatKey::PeopleMostNamedTogether(..)
            )
        })
        .map(|(_, n)| n)
        .min()
        .unwrap_or(0)
}

#[test]
fn the_leading_pairs_follow_their_threshold_up_and_down() {
    let (store, _) = sample_store();
    let people = column(&store, "SELECT ?p WHERE { ?p a cg:Person } ORDER BY ?p");
    let sample = Sample {
        documents: Vec::new(),
        people: people.clone(),
        graphs: Vec::new(),
    };
    let before = leading_threshold(&store);
    assert!(before >= 1);
    // Eleven new pairs, each named together by more documents than the
    // tenth pair was: the threshold rises to their count, one write at a time.
    let times = before as usize + 2;
    let mut k = 0;
    for pair in 0..11 {
        for _ in 0..times {
            apply(
                &store,
                &sample,
                &Write::NewDocument(k, 2 * pair, 2 * pair + 1, 1970),
            );
            k += 1;
        }
        assert_statistics_hold(&store, &format!("pair {pair} named {times} times"));
    }
    assert!(
        people.len() >= 22,
        "the sample names {} people",
        people.len()
    );
    assert!(
        leading_threshold(&store) > before,
        "the threshold stayed at {before}"
    );
    // One write removes them all: it falls back, and the pairs between the
    // two thresholds rejoin the ranking.
    store
        .apply_update(&format!("CLEAR GRAPH <{CURATION}>"))
        .unwrap();
    assert_statistics_hold(&store, "clearing the new documents");
    assert_eq!(leading_threshold(&store), before);
}

#[test]
fn statistics_of_an_older_version_are_counted_again() {
    let (store, _) = sample_store();
    assert!(!store.statistics_need_recount().unwrap());
    // As a version before the pair rankings wrote them: without those data
    // sets, their descriptions and observations.
    let graph = store.base().statistics_graph();
    let older: Vec<Quad> = store
        .oxigraph()
        .quads_for_pattern(None, None, None, Some((&graph).into()))
        .map(Result::unwrap)
        .filter(|q| {
            let s = q.subject.to_string();
            s.contains("/statistics/pairs-per-count")
                || s.contains("/statistics/people-most-named-together")
        })
        .collect();
    assert!(!older.is_empty());
    for quad in &older {
        store.oxigraph().remove(quad).unwrap();
    }
    assert!(store.statistics_need_recount().unwrap());
    assert!(store.recount_statistics_if_needed().unwrap());
    assert_statistics_hold(&store, "the recount of older statistics");
    assert!(!store.statistics_need_recount().unwrap());
}
