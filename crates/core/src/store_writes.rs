//! Writes that do not go through the loaders: SPARQL Update and Graph Store
//! writes (and `link`), each one transaction with the derived graphs kept in
//! step (see [`crate::derived`]).

use std::collections::HashSet;

use oxigraph::model::{GraphName, NamedNode, Quad, Triple};
use oxigraph::store::Transaction;

use crate::derived::{QuadChanges, WriteOutcome};
use crate::statistics;
use crate::store::{ArchiveStore, StoreError};
use crate::union_upkeep::{self, TouchedPattern};

impl ArchiveStore {
    /// Applies a SPARQL update and brings the derived graphs (union and
    /// statistics) up to date in the same transaction (see
    /// [`crate::derived`]): both commit, or neither. The stated quads the
    /// update can touch (those matching its templates, see
    /// [`crate::union_upkeep`]) are read before and after it runs; their
    /// difference is what it changed. An update that writes a derived graph
    /// is refused; one that can touch everything (`CLEAR ALL`, `LOAD`) has
    /// the union rebuilt and the statistics counted again.
    pub fn apply_update(&self, update: &str) -> Result<WriteOutcome, StoreError> {
        let parsed = spargebra::SparqlParser::new()
            .parse_update(update)
            .map_err(StoreError::UpdateSyntax)?;
        let derived = [self.union_graph().clone(), self.base().statistics_graph()];
        let touched = union_upkeep::touched_by(&parsed, &derived)?;
        let prepared = oxigraph::sparql::SparqlEvaluator::new()
            .parse_update(update)
            .map_err(StoreError::UpdateSyntax)?;
        let mut t = self.oxigraph().start_transaction()?;
        let mut patterns: HashSet<TouchedPattern> = touched.patterns.into_iter().collect();
        if patterns.contains(&TouchedPattern::ANY) {
            prepared.on_transaction(&mut t).execute()?;
            self.resync_union(&mut t, &TouchedPattern::ANY)?;
            t.insert(&statistics::cube::pending_quad(self.base()));
            statistics::cube::count_write(&mut t, self.base())?;
            t.commit()?;
            // The recount is a write of its own, after this one.
            let recount = self.recount_statistics()?;
            return Ok(WriteOutcome {
                records: Vec::new(),
                write_count: recount.write_count,
                every_record: true,
            });
        }
        // The triples of graphs the update clears, read before they go.
        for graph in &touched.cleared_graphs {
            for quad in t.quads_for_pattern(None, None, None, Some(graph.into())) {
                let quad = quad?;
                patterns.insert(TouchedPattern {
                    subject: Some(quad.subject),
                    predicate: Some(quad.predicate),
                    object: Some(quad.object),
                });
            }
        }
        let mut before = HashSet::new();
        let mut derived_before = HashSet::new();
        for pattern in &patterns {
            self.derived_graphs()
                .stated_quads(&t, pattern, &mut before)?;
            self.derived_graphs()
                .derived_quads(&t, pattern, &mut derived_before)?;
        }
        prepared.on_transaction(&mut t).execute()?;
        let mut after = HashSet::new();
        let mut derived_after = HashSet::new();
        for pattern in &patterns {
            self.derived_graphs()
                .stated_quads(&t, pattern, &mut after)?;
            self.derived_graphs()
                .derived_quads(&t, pattern, &mut derived_after)?;
        }
        // `GRAPH ?g` ranges over the derived graphs too: what the update did
        // to them directly is undone, and they follow from the stated ones.
        for quad in derived_after.difference(&derived_before) {
            t.remove(quad);
        }
        for quad in derived_before.difference(&derived_after) {
            t.insert(quad);
        }
        let outcome = self.keep_derived(&mut t, &QuadChanges::between(&before, &after))?;
        t.commit()?;
        Ok(outcome)
    }

    /// Replaces a graph (a named one, or the store's own default graph) with
    /// `quads` (which must all be in it), or adds them to it (`replace`
    /// false), with the derived graphs kept in step, in one transaction. The
    /// derived graphs themselves are refused.
    pub fn write_graph(
        &self,
        graph: &GraphName,
        quads: &[Quad],
        replace: bool,
    ) -> Result<WriteOutcome, StoreError> {
        if let GraphName::NamedNode(g) = graph {
            if self.is_derived_graph(g) {
                return Err(union_upkeep::UnionWrite(g.as_str().to_owned()).into());
            }
        }
        let mut t = self.oxigraph().start_transaction()?;
        let old: HashSet<Quad> = if replace {
            t.quads_for_pattern(None, None, None, Some(graph.as_ref()))
                .collect::<Result<_, _>>()?
        } else {
            let mut present = HashSet::new();
            for quad in quads {
                if t.contains(quad)? {
                    present.insert(quad.clone());
                }
            }
            present
        };
        let new: HashSet<Quad> = if replace {
            quads.iter().cloned().collect()
        } else {
            old.iter().cloned().chain(quads.iter().cloned()).collect()
        };
        let changes = QuadChanges::between(&old, &new);
        for quad in &changes.removed {
            t.remove(quad);
        }
        for quad in &changes.added {
            t.insert(quad);
        }
        let outcome = self.keep_derived(&mut t, &changes)?;
        t.commit()?;
        Ok(outcome)
    }

    /// [`Self::write_graph`], replacing a named graph.
    pub fn replace_named_graph(
        &self,
        graph: &NamedNode,
        quads: &[Quad],
    ) -> Result<WriteOutcome, StoreError> {
        self.write_graph(&GraphName::NamedNode(graph.clone()), quads, true)
    }

    /// Brings the union triples matching `pattern` in line with the stated
    /// graphs: removes those no stated graph states, adds those missing.
    fn resync_union(
        &self,
        t: &mut Transaction<'_>,
        pattern: &TouchedPattern,
    ) -> Result<(), StoreError> {
        let (s, p, o) = (
            pattern.subject.as_ref().map(Into::into),
            pattern.predicate.as_ref().map(Into::into),
            pattern.object.as_ref().map(Into::into),
        );
        let in_union: HashSet<Triple> = t
            .quads_for_pattern(s, p, o, Some(self.union_graph().into()))
            .map(|q| q.map(Triple::from))
            .collect::<Result<_, _>>()?;
        let mut stated = HashSet::new();
        for quad in t.quads_for_pattern(s, p, o, None) {
            let quad = quad?;
            if !matches!(&quad.graph_name, GraphName::NamedNode(g) if self.is_derived_graph(g)) {
                stated.insert(Triple::from(quad));
            }
        }
        for triple in in_union.difference(&stated) {
            t.remove(&self.derived_graphs().union_quad(triple));
        }
        for triple in stated.difference(&in_union) {
            t.insert(&self.derived_graphs().union_quad(triple));
        }
        Ok(())
    }
}
