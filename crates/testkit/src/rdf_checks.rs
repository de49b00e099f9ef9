//! Checks of exports against the store's own quads, read by sophia: an RDF
//! implementation independent of the Oxigraph serializers that wrote them.

use chronograph_core::export::insert_quad;
use chronograph_core::store::ArchiveStore;
use oxigraph::model::{GraphName, NamedOrBlankNode};
use sophia_api::graph::MutableGraph;
use sophia_api::parser::{QuadParser, TripleParser};
use sophia_api::source::{QuadSource, TripleSource};
use sophia_api::term::{BnodeId, IriRef, LanguageTag, SimpleTerm};
use sophia_api::MownStr;
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

/// The store's quads (every graph but the derived union graph), straight from
/// its indexes, as a sophia dataset.
pub fn store_dataset(store: &ArchiveStore) -> LightDataset {
    let union = store.union_graph().clone();
    let mut dataset = LightDataset::new();
    for quad in store.oxigraph().iter() {
        let quad = quad.expect("the store reads");
        if matches!(&quad.graph_name, GraphName::NamedNode(g) if *g == union) {
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
        let subject = match &quad.subject {
            NamedOrBlankNode::NamedNode(n) => iri(n.as_str()),
            NamedOrBlankNode::BlankNode(b) => bnode(b.as_str()),
        };
        let object = match &quad.object {
            oxigraph::model::Term::NamedNode(n) => iri(n.as_str()),
            oxigraph::model::Term::BlankNode(b) => bnode(b.as_str()),
            oxigraph::model::Term::Literal(l) => match l.language() {
                Some(lang) => SimpleTerm::LiteralLanguage(
                    MownStr::from(l.value().to_owned()),
                    LanguageTag::new_unchecked(MownStr::from(lang.to_owned())),
                    None,
                ),
                None => SimpleTerm::LiteralDatatype(
                    MownStr::from(l.value().to_owned()),
                    IriRef::new_unchecked(MownStr::from(l.datatype().as_str().to_owned())),
                ),
            },
            #[allow(unreachable_patterns)]
            other => panic!("a triple term in the store: {other}"),
        };
        graph
            .insert(subject, iri(quad.predicate.as_str()), object)
            .expect("the graph takes the triple");
    }
    graph
}

fn iri(iri: &str) -> SimpleTerm<'static> {
    SimpleTerm::Iri(IriRef::new_unchecked(MownStr::from(iri.to_owned())))
}

fn bnode(id: &str) -> SimpleTerm<'static> {
    SimpleTerm::BlankNode(BnodeId::new_unchecked(MownStr::from(id.to_owned())))
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
