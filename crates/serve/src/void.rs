//! `/.well-known/void`: a VoID description of the dataset: statements per
//! graph, entities per class, example resources, the SPARQL endpoint and the
//! dump locations. Computed once per store generation.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use axum::response::Response;
use oxigraph::model::{
    BlankNode, GraphName, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Term, Triple,
};

use crate::limits::DerivedError;
use crate::negotiate::rdf_response;
use crate::pages::FormatParam;
use crate::{accept_header, dumps, AppState};
use chronograph_core::mapping::vocab::{cg, dcterms, rdf, sem, xsd};

const VOID: &str = "http://rdfs.org/ns/void#";

fn void(local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{VOID}{local}"))
}

/// The classes whose entities are counted and exemplified.
const CLASSES: [NamedNodeRef<'static>; 6] = [
    cg::Person,
    cg::Document,
    cg::Event,
    cg::Place,
    cg::Organisation,
    cg::Collection,
];

fn describe_dataset(state: &AppState) -> Result<Vec<Triple>, oxigraph::store::StorageError> {
    let store = &state.store;
    let base = store.base().as_str();
    let union = store.union_graph();
    let dataset = NamedNode::new_unchecked(format!("{base}.well-known/void#dataset"));
    let mut out = Vec::new();
    let mut add = |s: NamedOrBlankNode, p: NamedNode, o: Term| out.push(Triple::new(s, p, o));
    let d = || NamedOrBlankNode::from(dataset.clone());
    let int = |n: usize| Term::from(Literal::new_typed_literal(n.to_string(), xsd::integer));

    let mut per_graph: BTreeMap<String, usize> = BTreeMap::new();
    let mut union_triples = 0;
    let mut entities: HashMap<NamedNode, (usize, Option<NamedNode>)> = HashMap::new();
    let mut properties = std::collections::HashSet::new();
    for quad in store.oxigraph().iter() {
        let quad = quad?;
        match &quad.graph_name {
            GraphName::NamedNode(g) if g == union => {
                union_triples += 1;
                properties.insert(quad.predicate.clone());
                if quad.predicate == rdf::type_ {
                    if let (Term::NamedNode(class), NamedOrBlankNode::NamedNode(s)) =
                        (&quad.object, &quad.subject)
                    {
                        if CLASSES.iter().any(|c| *c == class.as_ref()) {
                            let entry = entities.entry(class.clone()).or_default();
                            entry.0 += 1;
                            entry.1.get_or_insert_with(|| s.clone());
                        }
                    }
                }
            }
            GraphName::NamedNode(g) => *per_graph.entry(g.as_str().to_owned()).or_default() += 1,
            GraphName::BlankNode(_) => {}
            GraphName::DefaultGraph => *per_graph.entry(String::new()).or_default() += 1,
        }
    }

    add(d(), rdf::type_.into_owned(), void("Dataset").into());
    add(
        d(),
        dcterms::title.into_owned(),
        Literal::new_language_tagged_literal_unchecked("chronograph archive", "en").into(),
    );
    add(
        d(),
        dcterms::description.into_owned(),
        Literal::new_language_tagged_literal_unchecked(
            "Translated archival documents, the people, places and organisations they name, and dated events, published by chronograph.",
            "en",
        )
        .into(),
    );
    add(
        d(),
        void("uriSpace"),
        Literal::new_simple_literal(base).into(),
    );
    add(
        d(),
        void("sparqlEndpoint"),
        NamedNode::new_unchecked(state.endpoint()).into(),
    );
    add(
        d(),
        void("rootResource"),
        NamedNode::new_unchecked(base).into(),
    );
    for dump in dumps::dump_iris(base) {
        add(d(), void("dataDump"), NamedNode::new_unchecked(dump).into());
    }
    add(d(), void("triples"), int(union_triples));
    add(d(), void("properties"), int(properties.len()));
    for ns in [
        cg::NS,
        "https://schema.org/",
        dcterms::NS,
        sem::NS,
        "https://www.ica.org/standards/RiC/ontology#",
        "http://www.w3.org/ns/prov#",
    ] {
        add(d(), void("vocabulary"), NamedNode::new_unchecked(ns).into());
    }
    for class in CLASSES {
        let Some((count, example)) = entities.get(&class.into_owned()) else {
            continue;
        };
        let partition = BlankNode::default();
        add(d(), void("classPartition"), partition.clone().into());
        add(
            partition.clone().into(),
            void("class"),
            class.into_owned().into(),
        );
        add(partition.into(), void("entities"), int(*count));
        if let Some(example) = example {
            add(d(), void("exampleResource"), example.clone().into());
        }
    }
    for (graph, count) in per_graph {
        if graph.is_empty() {
            continue;
        }
        let subset = NamedNode::new_unchecked(graph);
        add(d(), void("subset"), subset.clone().into());
        add(
            subset.clone().into(),
            rdf::type_.into_owned(),
            void("Dataset").into(),
        );
        add(subset.into(), void("triples"), int(count));
    }
    Ok(out)
}

/// GET /.well-known/void: the description, in the RDF syntax asked for
/// (Turtle for browsers and by default).
pub async fn void_description(
    State(state): State<Arc<AppState>>,
    Query(params): Query<FormatParam>,
    headers: HeaderMap,
) -> Response {
    let accept = accept_header(&headers);
    let worker = state.clone();
    let triples = state
        .void_cache
        .get(state.generation(), state.options.timeout, move || {
            describe_dataset(&worker).map_err(|e| DerivedError(e.to_string()))
        })
        .await;
    let triples = match triples {
        Ok(triples) => triples,
        Err(e) => return e.into_response(),
    };
    // Browsers get Turtle too: it is the readable one.
    let accept = match accept.as_deref() {
        Some(a) if super::negotiate::prefers_html(Some(a)) => None,
        other => other.map(str::to_owned),
    };
    rdf_response(&triples, accept.as_deref(), params.format.as_deref())
}
