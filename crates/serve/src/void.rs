//! `/.well-known/void`: a VoID description of the dataset: statements per
//! graph, entities per class, example resources, the SPARQL endpoint and the
//! dump locations. Computed once per store generation, from the precomputed
//! statistics (class and property partitions, statements per graph).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use axum::response::Response;
use oxigraph::model::{
    BlankNode, GraphNameRef, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Term, Triple,
};

use crate::limits::DerivedError;
use crate::negotiate::rdf_response;
use crate::pages::FormatParam;
use crate::{accept_header, dumps, read_statistics, AppState};
use chronograph_core::mapping::vocab::{cg, dcterms, rdf, sem, xsd};
use chronograph_core::statistics::StatKey;

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

    // Every count from the precomputed statistics (no scan of the store).
    let mut per_graph: BTreeMap<String, usize> = BTreeMap::new();
    let mut union_triples = 0;
    let mut property_triples: BTreeMap<String, usize> = BTreeMap::new();
    for slug in ["triples-per-graph", "triples-per-property"] {
        for (key, count) in read_statistics::cells(store, slug)? {
            let count = usize::try_from(count).unwrap_or(0);
            match key {
                StatKey::GraphTriples(g) => {
                    per_graph.insert(g.into_string(), count);
                }
                StatKey::PropertyTriples(p) => {
                    union_triples += count;
                    property_triples.insert(p.into_string(), count);
                }
                _ => {}
            }
        }
    }
    let mut entities: HashMap<NamedNode, (usize, Option<NamedNode>)> = HashMap::new();
    for class in CLASSES {
        let count = usize::try_from(read_statistics::class_count(store, class)).unwrap_or(0);
        if count == 0 {
            continue;
        }
        let example = store
            .oxigraph()
            .quads_for_pattern(
                None,
                Some(rdf::type_),
                Some(class.into()),
                Some(GraphNameRef::NamedNode(union.as_ref())),
            )
            .next()
            .transpose()?
            .and_then(|q| match q.subject {
                NamedOrBlankNode::NamedNode(s) => Some(s),
                _ => None,
            });
        entities.insert(class.into_owned(), (count, example));
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
    add(d(), void("properties"), int(property_triples.len()));
    for (property, count) in &property_triples {
        let partition = BlankNode::default();
        add(d(), void("propertyPartition"), partition.clone().into());
        add(
            partition.clone().into(),
            void("property"),
            NamedNode::new_unchecked(property.as_str()).into(),
        );
        add(partition.into(), void("triples"), int(*count));
    }
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
