//! Checks of exports against the store's own quads, read by sophia: an RDF
//! implementation independent of the Oxigraph serializers that wrote them.

use chronograph_core::export::{insert_quad, sophia_terms};
use chronograph_core::store::ArchiveStore;
use oxigraph::model::GraphName;
use sophia_api::graph::MutableGraph;
use sophia_api::parser::{QuadParser, TripleParser};
use sophia_api::source::{QuadSource, TripleSource};
use sophia_inmem::dataset::LightDataset;
use sophia_inmem::graph::LightGraph;

/// Parses N-Quads with sophia.
pub fn parse_nquads(bytes: &[u8]) -> LightDataset {
    let text = std::str::from_utf8(bytes).expect("N-Quads are UTF-8");
    sophia_turtle::parser::nq::NQuadsParser::new()
        .parse_str(text)
        .collect_quads()
        .unwrap_or_else(|e| panic!("sophia cannot read the N-Quads: {e}"))
}

/// Parses Turtle with sophia.
pub fn parse_turtle(bytes: &[u8]) -> LightGraph {
    let text = std::str::from_utf8(bytes).expect("Turtle is UTF-8");
    sophia_turtle::parser::turtle::TurtleParser::new()
        .parse_str(text)
        .collect_triples()
        .unwrap_or_else(|e| panic!("sophia cannot read the Turtle: {e}"))
}

/// The store's quads (every graph but the derived ones, union and
/// statistics), straight from its indexes, as a sophia dataset.
pub fn store_dataset(store: &ArchiveStore) -> LightDataset {
    let mut dataset = LightDataset::new();
    for quad in store.oxigraph().iter() {
        let quad = quad.expect("the store reads");
        if matches!(&quad.graph_name, GraphName::NamedNode(g) if store.is_derived_graph(g)) {
            continue;
        }
        insert_quad(&mut dataset, &quad).expect("the dataset takes the quad");
    }
    dataset
}

/// The store's union graph (the merge of every graph), straight from its
/// indexes, as a sophia graph.
pub fn store_union_graph(store: &ArchiveStore) -> LightGraph {
    let union = GraphName::NamedNode(store.union_graph().clone());
    let mut graph = LightGraph::new();
    for quad in store
        .oxigraph()
        .quads_for_pattern(None, None, None, Some(union.as_ref()))
    {
        let quad = quad.expect("the store reads");
        let ([subject, predicate, object], _) = sophia_terms(&quad);
        graph
            .insert(subject, predicate, object)
            .expect("the graph takes the triple");
    }
    graph
}

/// Whether a Turtle document is isomorphic to the store's union graph.
pub fn turtle_matches_store(store: &ArchiveStore, turtle: &[u8]) -> bool {
    sophia_isomorphism::isomorphic_graphs(&parse_turtle(turtle), &store_union_graph(store))
        .expect("graphs compare")
}

/// Whether an N-Quads or TriG export is isomorphic to the store's quads.
pub fn nquads_match_store(store: &ArchiveStore, nquads: &[u8]) -> bool {
    sophia_isomorphism::isomorphic_datasets(&parse_nquads(nquads), &store_dataset(store))
        .expect("datasets compare")
}

/// The union graph's triples and the merge of every other graph's triples
/// (the store's own default graph included), read from the store's quads,
/// each as its N-Triples line: what the union graph should equal.
pub fn union_and_merged_triples(
    store: &ArchiveStore,
) -> (
    std::collections::BTreeSet<String>,
    std::collections::BTreeSet<String>,
) {
    let union = GraphName::NamedNode(store.union_graph().clone());
    let (mut in_union, mut merged) = (
        std::collections::BTreeSet::new(),
        std::collections::BTreeSet::new(),
    );
    for quad in store.oxigraph().iter() {
        let quad = quad.expect("a readable store");
        if matches!(&quad.graph_name, GraphName::NamedNode(g) if *g == store.base().statistics_graph())
        {
            continue;
        }
        let is_union = quad.graph_name == union;
        let triple = oxigraph::model::Triple::from(quad).to_string();
        if is_union {
            in_union.insert(triple);
        } else {
            merged.insert(triple);
        }
    }
    (in_union, merged)
}
