//! The ontology is valid, documented, and covers every term the mapping emits.

use chronograph_testkit as common;

use std::collections::BTreeSet;

use chronograph_core::mapping::is_standard_term;
use chronograph_core::mapping::vocab::cg;
use chronograph_core::store::{ONTOLOGY_GRAPH, ONTOLOGY_TTL};
use common::*;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Term, Triple};

fn ontology() -> Vec<Triple> {
    RdfParser::from_format(RdfFormat::Turtle)
        .for_slice(ONTOLOGY_TTL.as_bytes())
        .map(|q| q.map(Triple::from))
        .collect::<Result<_, _>>()
        .expect("ontology/chronograph.ttl parses")
}

fn declared() -> BTreeSet<String> {
    let rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
    ontology()
        .into_iter()
        .filter(|t| t.predicate.as_str() == rdf_type)
        .map(|t| t.subject.to_string().trim_matches(['<', '>']).to_owned())
        .collect()
}

#[test]
fn the_ontology_has_a_versioned_header() {
    let triples = ontology();
    let has = |p: &str| {
        triples.iter().any(|t| {
            t.subject.to_string() == format!("<{ONTOLOGY_GRAPH}>") && t.predicate.as_str() == p
        })
    };
    assert!(has("http://www.w3.org/2002/07/owl#versionInfo"));
    assert!(has("http://www.w3.org/2002/07/owl#versionIRI"));
    assert!(has("http://purl.org/dc/terms/title"));
}

#[test]
fn every_cg_term_is_labelled_commented_and_typed() {
    let triples = ontology();
    let terms: BTreeSet<String> = triples
        .iter()
        .filter_map(|t| match &t.subject {
            oxigraph::model::NamedOrBlankNode::NamedNode(n) if n.as_str().starts_with(cg::NS) => {
                Some(n.as_str().to_owned())
            }
            _ => None,
        })
        .collect();
    assert!(terms.len() >= 30, "{terms:?}");
    for term in &terms {
        let about: Vec<&Triple> = triples
            .iter()
            .filter(|t| t.subject.to_string() == format!("<{term}>"))
            .collect();
        for predicate in ["label", "comment"] {
            let p = format!("http://www.w3.org/2000/01/rdf-schema#{predicate}");
            assert!(
                about.iter().any(|t| t.predicate.as_str() == p),
                "{term} has no rdfs:{predicate}"
            );
        }
        let is_property = about.iter().any(|t| {
            matches!(&t.object, Term::NamedNode(n) if n.as_str().ends_with("ObjectProperty") || n.as_str().ends_with("DatatypeProperty"))
        });
        if is_property {
            for predicate in ["domain", "range"] {
                let p = format!("http://www.w3.org/2000/01/rdf-schema#{predicate}");
                assert!(
                    about.iter().any(|t| t.predicate.as_str() == p),
                    "{term} has no rdfs:{predicate}"
                );
            }
        }
    }
}

#[test]
fn the_mapping_emits_only_declared_or_standard_terms() {
    let (store, report) = sample_store();
    assert_eq!(report.rejected, 0);
    let declared = declared();
    let used = column(
        &store,
        "SELECT DISTINCT ?term WHERE {
           { GRAPH ?g { ?s ?term ?o } } UNION { GRAPH ?g { ?s a ?term } }
           FILTER(?g NOT IN (<https://w3id.org/chronograph/ontology>, <http://localhost:7878/graph/union>))
         }",
    );
    assert!(used.len() > 40, "{used:?}");
    let undeclared: Vec<&String> = used
        .iter()
        .filter(|term| !declared.contains(*term) && !is_standard_term(term))
        .collect();
    assert!(
        undeclared.is_empty(),
        "terms neither declared nor standard: {undeclared:?}"
    );
    // And the check can fail: a made-up term is caught.
    assert!(!declared.contains("https://w3id.org/chronograph/ontology#madeUp"));
    assert!(!is_standard_term(
        "https://w3id.org/chronograph/ontology#madeUp"
    ));
    assert!(!is_standard_term("http://example.org/term"));
}

#[test]
fn every_cg_term_the_mapping_can_use_is_declared() {
    let declared = declared();
    let source = std::fs::read_to_string(repo_path("crates/core/src/mapping/vocab.rs")).unwrap();
    let block = source
        .split("cg, \"https://w3id.org/chronograph/ontology#\"")
        .nth(1)
        .unwrap();
    let block = block.split("});").next().unwrap();
    let mut count = 0;
    for line in block.lines() {
        if let Some((_, local)) = line.split_once(" = \"") {
            let local = local.trim_end_matches("\",").trim_end_matches('"');
            assert!(
                declared.contains(&format!("{}{local}", cg::NS)),
                "cg:{local} is not declared"
            );
            count += 1;
        }
    }
    assert!(count >= 30);
}
