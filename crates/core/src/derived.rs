//! The derived graphs kept in step with every transactional write, inside
//! the write's own transaction: the **union graph** (the set-semantics merge
//! of the stated graphs) and the **statistics graph** (see
//! [`crate::statistics`]). A write states exactly which quads it added to and
//! removed from the stated graphs ([`QuadChanges`]); from them follow the
//! union triples that changed, the documents and events those touch (the
//! records a search index must read again), and each statistic's change: a
//! record's contribution is subtracted as it was and added as it is.

use std::collections::{BTreeSet, HashSet};

use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Quad, Term, Triple};
use oxigraph::store::Transaction;

use oxigraph::store::StorageError;

use crate::mapping::iri::Base;
use crate::mapping::vocab::{cg, rdf, rdfs, schema, sem, skos};
use crate::statistics::contribution::{QuadRead, UnionReader, NAMING_PREDICATES};
use crate::statistics::{bump, cube, StatKey, Tally};

/// The quads a write added to and removed from the stated graphs: exactly
/// those (an added quad was absent before, a removed one present), already
/// applied in the transaction.
#[derive(Debug, Default, Clone)]
pub struct QuadChanges {
    /// Quads that were not in the store and now are.
    pub added: Vec<Quad>,
    /// Quads that were in the store and no longer are.
    pub removed: Vec<Quad>,
}

impl QuadChanges {
    /// Appends another write's changes (within the same transaction).
    pub fn extend(&mut self, other: QuadChanges) {
        self.added.extend(other.added);
        self.removed.extend(other.removed);
    }

    /// The changes between two sets of quads: `before` and `after` a write.
    pub fn between(before: &HashSet<Quad>, after: &HashSet<Quad>) -> Self {
        Self {
            added: after.difference(before).cloned().collect(),
            removed: before.difference(after).cloned().collect(),
        }
    }
}

/// What a committed write changed, for those who follow the store (the
/// search index).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteOutcome {
    /// Documents and events whose statements, or the names and classes of
    /// what they name, changed (whether they still exist or not).
    pub records: Vec<NamedNode>,
    /// The store's write count after the write (see [`cube::write_count`]).
    pub write_count: u64,
    /// Whether the write may have touched any record (`CLEAR ALL`, `LOAD`):
    /// `records` is then not the list of them.
    pub every_record: bool,
}

/// Predicates whose change alters how records naming the subject read: its
/// class and its names.
const DESCRIBING_PREDICATES: [oxigraph::model::NamedNodeRef<'static>; 5] = [
    rdf::type_,
    schema::name,
    skos::prefLabel,
    skos::altLabel,
    rdfs::label,
];

/// The derived graphs of a store.
#[derive(Debug, Clone)]
pub struct DerivedGraphs {
    /// The union graph.
    pub union: NamedNode,
    /// The base IRI (the statistics graph and its observations are under it).
    pub base: Base,
    /// The statistics graph.
    pub statistics: NamedNode,
}

impl DerivedGraphs {
    /// The derived graphs of a store with this base.
    pub fn new(base: &Base) -> Self {
        Self {
            union: base.union_graph(),
            base: base.clone(),
            statistics: base.statistics_graph(),
        }
    }

    /// Whether a graph is derived (the union or the statistics graph).
    pub fn contains(&self, graph: &NamedNode) -> bool {
        *graph == self.union || *graph == self.statistics
    }

    /// Whether a graph is one of the stated ones (not derived).
    pub fn is_stated(&self, graph: &GraphName) -> bool {
        !matches!(graph, GraphName::NamedNode(g) if self.contains(g))
    }

    /// Whether `triple` is stated by a graph other than the derived ones.
    fn stated_anywhere(&self, t: &Transaction<'_>, triple: &Triple) -> Result<bool, StorageError> {
        for quad in t.quads_for_pattern(
            Some(triple.subject.as_ref()),
            Some(triple.predicate.as_ref()),
            Some(triple.object.as_ref()),
            None,
        ) {
            if self.is_stated(&quad?.graph_name) {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Brings the union and statistics graphs in step with `changes`
    /// (already applied in `t`) and counts the write; the caller commits.
    pub fn keep_derived(
        &self,
        t: &mut Transaction<'_>,
        changes: &QuadChanges,
    ) -> Result<WriteOutcome, StorageError> {
        let union = &self.union;
        let base = &self.base;
        let pending = cube::is_pending(&*t, base)?;
        let mut delta = Tally::new();
        for (quads, sign) in [(&changes.added, 1), (&changes.removed, -1)] {
            for quad in quads {
                if let GraphName::NamedNode(g) = &quad.graph_name {
                    bump(&mut delta, StatKey::GraphTriples(g.clone()), sign);
                }
            }
        }
        // The union triples that change.
        let mut union_removed = HashSet::new();
        for quad in &changes.removed {
            let triple = Triple::from(quad.clone());
            if union_removed.contains(&triple) || self.stated_anywhere(t, &triple)? {
                continue;
            }
            if t.contains(&self.union_quad(&triple))? {
                union_removed.insert(triple);
            }
        }
        let mut union_added = HashSet::new();
        for quad in &changes.added {
            let triple = Triple::from(quad.clone());
            if !t.contains(&self.union_quad(&triple))? {
                union_added.insert(triple);
            }
        }
        // The records they touch, read before and after the union changes.
        let mut candidates = BTreeSet::new();
        {
            let reader = UnionReader::new(&*t, union);
            for triple in union_added.iter().chain(&union_removed) {
                let NamedOrBlankNode::NamedNode(subject) = &triple.subject else {
                    continue;
                };
                candidates.insert(subject.clone());
                if DESCRIBING_PREDICATES.contains(&triple.predicate.as_ref()) {
                    for predicate in NAMING_PREDICATES {
                        candidates.extend(reader.subjects(predicate, subject.as_ref().into())?);
                    }
                }
            }
        }
        let mut records = BTreeSet::new();
        self.contributions(&*t, &candidates, -1, pending, &mut delta, &mut records)?;
        for triple in &union_removed {
            t.remove(&self.union_quad(triple));
        }
        for triple in &union_added {
            t.insert(&self.union_quad(triple));
        }
        self.contributions(&*t, &candidates, 1, pending, &mut delta, &mut records)?;
        for (triples, sign) in [(&union_added, 1), (&union_removed, -1)] {
            for triple in triples {
                bump(
                    &mut delta,
                    StatKey::PropertyTriples(triple.predicate.clone()),
                    sign,
                );
                if triple.predicate == rdf::type_ {
                    if let Term::NamedNode(class) = &triple.object {
                        bump(&mut delta, StatKey::ClassEntities(class.clone()), sign);
                    }
                }
            }
        }
        if !pending {
            cube::apply_delta(t, base, &delta)?;
        }
        let write_count = cube::count_write(t, base)?;
        Ok(WriteOutcome {
            records: records.into_iter().collect(),
            write_count,
            every_record: false,
        })
    }

    /// Adds the contributions of the candidates that are records (times
    /// `sign`), and notes which are records.
    fn contributions(
        &self,
        read: &(impl QuadRead + ?Sized),
        candidates: &BTreeSet<NamedNode>,
        sign: i64,
        pending: bool,
        delta: &mut Tally,
        records: &mut BTreeSet<NamedNode>,
    ) -> Result<(), StorageError> {
        let reader = UnionReader::new(read, &self.union);
        for candidate in candidates {
            let mut is_record = false;
            for class in [cg::Document, cg::Event, sem::Event] {
                is_record = is_record || reader.has(candidate, rdf::type_, class.into())?;
            }
            if !is_record {
                continue;
            }
            records.insert(candidate.clone());
            if !pending {
                reader.add_contribution(candidate, sign, delta)?;
            }
        }
        Ok(())
    }

    /// The triple in the union graph.
    pub fn union_quad(&self, triple: &Triple) -> Quad {
        Quad::new(
            triple.subject.clone(),
            triple.predicate.clone(),
            triple.object.clone(),
            self.union.clone(),
        )
    }

    /// The stated quads matching a pattern (every graph but the derived ones).
    pub fn stated_quads(
        &self,
        t: &Transaction<'_>,
        pattern: &crate::union_upkeep::TouchedPattern,
        into: &mut HashSet<Quad>,
    ) -> Result<(), StorageError> {
        for quad in t.quads_for_pattern(
            pattern.subject.as_ref().map(Into::into),
            pattern.predicate.as_ref().map(Into::into),
            pattern.object.as_ref().map(Into::into),
            None,
        ) {
            let quad = quad?;
            if self.is_stated(&quad.graph_name) {
                into.insert(quad);
            }
        }
        Ok(())
    }

    /// The quads of the derived graphs matching a pattern.
    pub fn derived_quads(
        &self,
        t: &Transaction<'_>,
        pattern: &crate::union_upkeep::TouchedPattern,
        into: &mut HashSet<Quad>,
    ) -> Result<(), StorageError> {
        for graph in [&self.union, &self.statistics] {
            for quad in t.quads_for_pattern(
                pattern.subject.as_ref().map(Into::into),
                pattern.predicate.as_ref().map(Into::into),
                pattern.object.as_ref().map(Into::into),
                Some(graph.into()),
            ) {
                into.insert(quad?);
            }
        }
        Ok(())
    }
}
