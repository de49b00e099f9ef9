//! Which triples of the union graph a write can change, so that the store
//! brings them up to date **in the write's own transaction**: a SPARQL Update
//! or a Graph Store write either commits together with its union triples or
//! not at all, and a crash never leaves the two apart.
//!
//! A write only adds or removes triples that match its own templates (an
//! `INSERT DATA` its triples, a `DELETE { ?s <p> ?o } WHERE …` triples with
//! predicate `<p>`, a `CLEAR GRAPH <g>` the triples `<g>` held): the union
//! graph is resynchronised on those patterns only, never rebuilt whole (a
//! `CLEAR ALL` or a `LOAD` is the exception: their pattern is every triple).

use oxigraph::model::{NamedNode, NamedOrBlankNode, Term};
use spargebra::algebra::GraphTarget;
use spargebra::term::{
    GraphName, GraphNamePattern, GroundTermPattern, NamedNodePattern, TermPattern,
};
use spargebra::{GraphUpdateOperation, Update};
use thiserror::Error;

/// A triple pattern: `None` is any term.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TouchedPattern {
    /// The subject, if fixed.
    pub subject: Option<NamedOrBlankNode>,
    /// The predicate, if fixed.
    pub predicate: Option<NamedNode>,
    /// The object, if fixed.
    pub object: Option<Term>,
}

impl TouchedPattern {
    /// Every triple.
    pub const ANY: Self = Self {
        subject: None,
        predicate: None,
        object: None,
    };
}

/// A write that names the union graph, which is derived from the others.
#[derive(Debug, Error)]
#[error(
    "<{0}> is derived from the other graphs (the union graph, or the statistics graph): write to a source graph instead"
)]
pub struct UnionWrite(pub String);

/// What an update can change in the union graph: the patterns to
/// resynchronise after it, and the named graphs it clears or drops (whose
/// triples, read before the update runs, are resynchronised too).
#[derive(Debug, Default)]
pub struct Touched {
    /// Patterns whose union triples may have changed.
    pub patterns: Vec<TouchedPattern>,
    /// Graphs the update clears or drops.
    pub cleared_graphs: Vec<NamedNode>,
}

/// What `update` can change; refuses an update that writes the union graph.
pub fn touched_by(update: &Update, derived: &[NamedNode]) -> Result<Touched, UnionWrite> {
    let union = derived
        .first()
        .cloned()
        .unwrap_or_else(|| NamedNode::new_unchecked("urn:none"));
    let refuse = || UnionWrite(union.as_str().to_owned());
    let is_union =
        |graph: &GraphName| matches!(graph, GraphName::NamedNode(g) if derived.contains(g));
    let is_union_pattern = |graph: &GraphNamePattern| matches!(graph, GraphNamePattern::NamedNode(g) if derived.contains(g));
    let mut touched = Touched::default();
    for operation in &update.operations {
        match operation {
            GraphUpdateOperation::InsertData { data } => {
                for quad in data {
                    if is_union(&quad.graph_name) {
                        return Err(refuse());
                    }
                    touched.patterns.push(TouchedPattern {
                        subject: Some(quad.subject.clone()),
                        predicate: Some(quad.predicate.clone()),
                        object: Some(quad.object.clone()),
                    });
                }
            }
            GraphUpdateOperation::DeleteData { data } => {
                for quad in data {
                    if is_union(&quad.graph_name) {
                        return Err(refuse());
                    }
                    touched.patterns.push(TouchedPattern {
                        subject: Some(quad.subject.clone().into()),
                        predicate: Some(quad.predicate.clone()),
                        object: ground_term(&quad.object),
                    });
                }
            }
            GraphUpdateOperation::DeleteInsert { delete, insert, .. } => {
                for quad in delete {
                    if is_union_pattern(&quad.graph_name) {
                        return Err(refuse());
                    }
                    touched.patterns.push(TouchedPattern {
                        subject: ground_subject(&quad.subject),
                        predicate: named_node(&quad.predicate),
                        object: ground_object(&quad.object),
                    });
                }
                for quad in insert {
                    if is_union_pattern(&quad.graph_name) {
                        return Err(refuse());
                    }
                    touched.patterns.push(TouchedPattern {
                        subject: subject(&quad.subject),
                        predicate: named_node(&quad.predicate),
                        object: object(&quad.object),
                    });
                }
            }
            GraphUpdateOperation::Clear { graph, .. }
            | GraphUpdateOperation::Drop { graph, .. } => match graph {
                GraphTarget::NamedNode(g) if derived.contains(g) => {
                    return Err(UnionWrite(g.as_str().to_owned()))
                }
                GraphTarget::NamedNode(g) => touched.cleared_graphs.push(g.clone()),
                GraphTarget::DefaultGraph | GraphTarget::NamedGraphs | GraphTarget::AllGraphs => {
                    touched.patterns.push(TouchedPattern::ANY)
                }
            },
            GraphUpdateOperation::Load { destination, .. } => {
                if is_union(destination) {
                    return Err(refuse());
                }
                touched.patterns.push(TouchedPattern::ANY);
            }
            GraphUpdateOperation::Create { graph, .. } => {
                if derived.contains(graph) {
                    return Err(refuse());
                }
            }
        }
    }
    Ok(touched)
}

fn named_node(pattern: &NamedNodePattern) -> Option<NamedNode> {
    match pattern {
        NamedNodePattern::NamedNode(n) => Some(n.clone()),
        NamedNodePattern::Variable(_) => None,
    }
}

/// A template's subject: fixed when it is an IRI (a blank node in a template
/// is a fresh one per solution, so it is any term).
fn subject(pattern: &TermPattern) -> Option<NamedOrBlankNode> {
    match pattern {
        TermPattern::NamedNode(n) => Some(n.clone().into()),
        _ => None,
    }
}

fn object(pattern: &TermPattern) -> Option<Term> {
    match pattern {
        TermPattern::NamedNode(n) => Some(n.clone().into()),
        TermPattern::Literal(l) => Some(l.clone().into()),
        _ => None,
    }
}

fn ground_subject(pattern: &GroundTermPattern) -> Option<NamedOrBlankNode> {
    match pattern {
        GroundTermPattern::NamedNode(n) => Some(n.clone().into()),
        _ => None,
    }
}

fn ground_object(pattern: &GroundTermPattern) -> Option<Term> {
    match pattern {
        GroundTermPattern::NamedNode(n) => Some(n.clone().into()),
        GroundTermPattern::Literal(l) => Some(l.clone().into()),
        _ => None,
    }
}

fn ground_term(term: &spargebra::term::GroundTerm) -> Option<Term> {
    match term {
        spargebra::term::GroundTerm::NamedNode(n) => Some(n.clone().into()),
        spargebra::term::GroundTerm::Literal(l) => Some(l.clone().into()),
        #[allow(unreachable_patterns)]
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touched(update: &str) -> Result<Touched, UnionWrite> {
        let union = NamedNode::new("http://x/graph/union").unwrap();
        let update = spargebra::SparqlParser::new().parse_update(update).unwrap();
        touched_by(&update, &[union])
    }

    #[test]
    fn patterns_follow_the_templates() {
        let t =
            touched("INSERT DATA { GRAPH <http://x/g> { <http://x/a> <http://x/p> 1 } }").unwrap();
        assert_eq!(t.patterns.len(), 1);
        assert!(t.patterns[0].object.is_some());
        let t = touched(
            "DELETE { GRAPH ?g { ?s <http://x/p> ?o } } WHERE { GRAPH ?g { ?s <http://x/p> ?o } }",
        )
        .unwrap();
        assert_eq!(
            t.patterns,
            vec![TouchedPattern {
                subject: None,
                predicate: Some(NamedNode::new("http://x/p").unwrap()),
                object: None
            }]
        );
        let t = touched("CLEAR GRAPH <http://x/g> ; CLEAR ALL").unwrap();
        assert_eq!(t.cleared_graphs.len(), 1);
        assert_eq!(t.patterns, vec![TouchedPattern::ANY]);
    }

    #[test]
    fn the_union_graph_is_not_written() {
        for update in [
            "INSERT DATA { GRAPH <http://x/graph/union> { <http://x/a> <http://x/p> 1 } }",
            "DELETE WHERE { GRAPH <http://x/graph/union> { ?s ?p ?o } }",
            "CLEAR GRAPH <http://x/graph/union>",
            "DROP GRAPH <http://x/graph/union>",
        ] {
            assert!(touched(update).is_err(), "{update}");
        }
    }
}
