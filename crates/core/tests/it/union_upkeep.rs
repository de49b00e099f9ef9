//! The union graph after writes that do not go through the loaders (SPARQL
//! Update, Graph Store writes): after each, it equals the merge of every
//! other graph, computed here from the store's own quads, not by the code
//! under test.

use chronograph_core::store::ArchiveStore;
use chronograph_testkit::rdf_checks::union_and_merged_triples;
use chronograph_testkit::sample_store;
use oxigraph::model::{GraphName, NamedNode, Quad};

fn assert_in_step(store: &ArchiveStore, after: &str) {
    let (union, merged) = union_and_merged_triples(store);
    let stale: Vec<_> = union.difference(&merged).take(3).collect();
    let missing: Vec<_> = merged.difference(&union).take(3).collect();
    assert!(
        stale.is_empty() && missing.is_empty(),
        "after {after}: stale in the union {stale:?}, missing from it {missing:?}"
    );
}

#[test]
fn every_update_keeps_the_union_graph_in_step() {
    let (store, _) = sample_store();
    assert_in_step(&store, "the load");
    let name = "https://schema.org/name";
    // A triple several graphs state, and the graphs that state it.
    let shared = chronograph_testkit::select(
        &store,
        &format!(
            "SELECT ?s ?o (COUNT(DISTINCT ?g) AS ?n) WHERE {{ GRAPH ?g {{ ?s <{name}> ?o }} \
             FILTER(?g != <{}>) }} GROUP BY ?s ?o HAVING(COUNT(DISTINCT ?g) > 1) LIMIT 1",
            store.union_graph().as_str()
        ),
    );
    assert!(
        !shared.is_empty(),
        "the sample has a name two sources state"
    );
    let (s, o) = (&shared[0][0], &shared[0][1]);
    let graphs = chronograph_testkit::column(
        &store,
        &format!("SELECT ?g WHERE {{ GRAPH ?g {{ <{s}> <{name}> \"{o}\" }} }}"),
    );
    let one_source = graphs
        .iter()
        .find(|g| g.as_str() != store.union_graph().as_str())
        .unwrap()
        .clone();

    let updates = [
        "INSERT DATA { GRAPH <http://localhost:7878/graph/curation> { <http://localhost:7878/person/x> <https://schema.org/name> \"X\" } }".to_owned(),
        "INSERT DATA { <http://localhost:7878/person/y> <https://schema.org/name> \"In the default graph\" }".to_owned(),
        // Deleted from one source: the others still state it.
        format!("DELETE DATA {{ GRAPH <{one_source}> {{ <{s}> <{name}> \"{o}\" }} }}"),
        "DELETE DATA { GRAPH <http://localhost:7878/graph/curation> { <http://localhost:7878/person/x> <https://schema.org/name> \"X\" } }".to_owned(),
        "DELETE { GRAPH ?g { ?d <http://purl.org/dc/terms/abstract> ?a } } INSERT { GRAPH ?g { ?d <http://purl.org/dc/terms/description> ?a } } WHERE { GRAPH ?g { ?d <http://purl.org/dc/terms/abstract> ?a } }".to_owned(),
        format!("CLEAR GRAPH <{one_source}>"),
        "DROP SILENT GRAPH <http://localhost:7878/graph/curation>".to_owned(),
        "CLEAR DEFAULT".to_owned(),
    ];
    for update in &updates {
        store.apply_update(update).unwrap();
        assert_in_step(&store, update);
    }
    // The deleted shared triple is still in the union: another source states it.
    let still = chronograph_testkit::column(
        &store,
        &format!("SELECT ?o WHERE {{ <{s}> <{name}> ?o FILTER(?o = \"{o}\") }}"),
    );
    assert_eq!(still, std::slice::from_ref(o), "{s} {o}");

    // Graph Store writes: a replace, an add, a delete.
    let graph = GraphName::NamedNode(NamedNode::new("http://localhost:7878/graph/gsp").unwrap());
    let quad = |o: &str| {
        Quad::new(
            NamedNode::new("http://localhost:7878/person/z").unwrap(),
            NamedNode::new(name).unwrap(),
            oxigraph::model::Literal::new_simple_literal(o),
            graph.clone(),
        )
    };
    store.write_graph(&graph, &[quad("Z1")], true).unwrap();
    assert_in_step(&store, "a Graph Store PUT");
    store.write_graph(&graph, &[quad("Z2")], false).unwrap();
    assert_in_step(&store, "a Graph Store POST");
    store.write_graph(&graph, &[quad("Z3")], true).unwrap();
    assert_in_step(&store, "a second PUT");
    store.write_graph(&graph, &[], true).unwrap();
    assert_in_step(&store, "a Graph Store DELETE");

    // The union graph itself is never written.
    let union = store.union_graph().as_str().to_owned();
    for update in [
        format!("INSERT DATA {{ GRAPH <{union}> {{ <http://x/a> <http://x/b> 1 }} }}"),
        format!("CLEAR GRAPH <{union}>"),
    ] {
        let refused = store.apply_update(&update).unwrap_err();
        assert!(refused.to_string().contains("union"), "{refused}");
    }
    assert_in_step(&store, "the refused writes");
}
