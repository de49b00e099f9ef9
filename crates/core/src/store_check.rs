//! `chronograph check`: the derived union graph compared with the merge of
//! every other graph, and repaired where they disagree (a store written by an
//! older version that kept the union in a second transaction, or edited
//! outside chronograph).

use std::collections::HashSet;

use oxigraph::model::{Quad, Triple};

use crate::store::{ArchiveStore, StoreError, REMOVAL_STEP};

/// What [`crate::store::ArchiveStore::check_union`] found (and repaired).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UnionCheck {
    /// Quads read (every graph, the union included).
    pub quads_read: usize,
    /// Union triples no other graph states (removed when repairing).
    pub stale: Vec<Triple>,
    /// Triples other graphs state that the union lacked (added when repairing).
    pub missing: Vec<Triple>,
    /// Whether the disagreements were repaired.
    pub repaired: bool,
}

impl UnionCheck {
    /// Whether the union graph agreed with the other graphs.
    pub fn agreed(&self) -> bool {
        self.stale.is_empty() && self.missing.is_empty()
    }
}

impl ArchiveStore {
    /// Compares the union graph with the merge of every other graph, reading
    /// each quad once (the store is not changed meanwhile: the caller holds
    /// the store's write lock), and with `repair` removes the stale union
    /// triples and adds the missing ones, [`REMOVAL_STEP`] at a time. Memory
    /// grows with the disagreements, not with the store.
    pub fn check_union(&self, repair: bool) -> Result<UnionCheck, StoreError> {
        let union = oxigraph::model::GraphName::NamedNode(self.union_graph().clone());
        let statistics = oxigraph::model::GraphName::NamedNode(self.base().statistics_graph());
        let mut check = UnionCheck::default();
        let mut missing = HashSet::new();
        for quad in self.oxigraph().iter() {
            let quad = quad?;
            check.quads_read += 1;
            if quad.graph_name == statistics {
                continue;
            }
            if quad.graph_name == union {
                let stated = self
                    .oxigraph()
                    .quads_for_pattern(
                        Some((&quad.subject).into()),
                        Some((&quad.predicate).into()),
                        Some((&quad.object).into()),
                        None,
                    )
                    .map(|q| q.map(|q| q.graph_name != union && q.graph_name != statistics))
                    .collect::<Result<Vec<bool>, _>>()?
                    .into_iter()
                    .any(|other| other);
                if !stated {
                    check.stale.push(Triple::from(quad));
                }
            } else if !self.oxigraph().contains(&self.union_copy(&quad))? {
                let triple = Triple::from(quad);
                if missing.insert(triple.clone()) {
                    check.missing.push(triple);
                }
            }
        }
        if repair && !check.agreed() {
            let in_union = |t: &Triple| {
                Quad::new(
                    t.subject.clone(),
                    t.predicate.clone(),
                    t.object.clone(),
                    self.union_graph().clone(),
                )
            };
            for step in check.stale.chunks(REMOVAL_STEP) {
                let mut t = self.oxigraph().start_transaction()?;
                for triple in step {
                    t.remove(&in_union(triple));
                }
                t.commit()?;
            }
            for step in check.missing.chunks(REMOVAL_STEP) {
                let mut t = self.oxigraph().start_transaction()?;
                for triple in step {
                    t.insert(&in_union(triple));
                }
                t.commit()?;
            }
            check.repaired = true;
        }
        Ok(check)
    }
}
