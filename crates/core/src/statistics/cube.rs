//! The statistics as RDF Data Cube observations in the statistics graph:
//!
//! ```turtle
//! <{base}statistics/documents-per-year> a qb:DataSet ;
//!     qb:structure cg:DocumentsPerYear .
//! <{base}statistics/documents-per-year/1965> a qb:Observation ;
//!     qb:dataSet <{base}statistics/documents-per-year> ;
//!     cg:refYear 1965 ; cg:countOfDocuments 412 .
//! ```
//!
//! Observations exist only for cells that count more than 0. The graph also
//! states how many writes the store has taken (`cg:writeCount`, which the
//! search index compares with its own) and, during a bulk load, that the
//! statistics wait for a recount (`cg:statisticsPending`).

use oxigraph::model::{
    GraphNameRef, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term,
};
use oxigraph::store::{StorageError, Transaction};

use super::contribution::QuadRead;
use std::collections::{BTreeMap, HashSet};

use super::{leading_threshold, Dataset, StatKey, Tally, DATASETS};
use crate::ids::short_hash;
use crate::mapping::iri::Base;
use crate::mapping::vocab::{cg, qb, rdf, rdfs, xsd};

fn integer(n: i64) -> Term {
    Literal::new_typed_literal(n.to_string(), xsd::integer).into()
}

fn cg_term(local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{}{local}", cg::NS))
}

/// The key of a cell in its observation's IRI, and its dimensions.
fn key_and_dimensions(key: &StatKey) -> (String, Vec<(NamedNodeRef<'static>, Term)>) {
    let iri = |n: &NamedNode| Term::from(n.clone());
    match key {
        StatKey::ClassEntities(c) => (short_hash(c.as_str()), vec![(cg::refClass, iri(c))]),
        StatKey::PropertyTriples(p) => (short_hash(p.as_str()), vec![(cg::refProperty, iri(p))]),
        StatKey::GraphTriples(g) => (short_hash(g.as_str()), vec![(cg::refGraph, iri(g))]),
        StatKey::DocumentsPerYear(y) | StatKey::EventsPerYear(y) => {
            (y.to_string(), vec![(cg::refYear, integer(*y))])
        }
        StatKey::DocumentsPerDecade(d) | StatKey::EventsPerDecade(d) => {
            (d.to_string(), vec![(cg::refDecade, integer(*d))])
        }
        StatKey::DocumentsPerPerson(p) | StatKey::EventsPerPerson(p) => {
            (short_hash(p.as_str()), vec![(cg::refPerson, iri(p))])
        }
        StatKey::DocumentsPerPersonAndYear(p, y) | StatKey::EventsPerPersonAndYear(p, y) => (
            format!("{}-{y}", short_hash(p.as_str())),
            vec![(cg::refPerson, iri(p)), (cg::refYear, integer(*y))],
        ),
        StatKey::PeopleNamedTogether(a, b) | StatKey::PeopleMostNamedTogether(a, b) => (
            format!("{}-{}", short_hash(a.as_str()), short_hash(b.as_str())),
            vec![(cg::refPerson, iri(a)), (cg::refOtherPerson, iri(b))],
        ),
        StatKey::DocumentsPerCollection(c) => {
            (short_hash(c.as_str()), vec![(cg::refCollection, iri(c))])
        }
        StatKey::DocumentsPerArchive(a) => (short_hash(a.as_str()), vec![(cg::refArchive, iri(a))]),
        StatKey::DocumentsPerTranslator(t) => {
            (short_hash(t.as_str()), vec![(cg::refTranslator, iri(t))])
        }
        StatKey::DocumentsPerLanguage(l) => (
            short_hash(l),
            vec![(cg::refLanguage, Literal::new_simple_literal(l).into())],
        ),
        StatKey::PairsPerCount(c) => (c.to_string(), vec![(cg::refCount, integer(*c))]),
    }
}

/// The statements describing the data sets themselves.
pub fn dataset_quads(base: &Base) -> Vec<Quad> {
    let graph = base.statistics_graph();
    let mut quads = Vec::new();
    for dataset in &DATASETS {
        let iri = base.statistics_iri(dataset.slug, "");
        quads.push(Quad::new(
            iri.clone(),
            rdf::type_,
            qb::DataSet,
            graph.clone(),
        ));
        quads.push(Quad::new(
            iri.clone(),
            qb::structure,
            cg_term(dataset.structure),
            graph.clone(),
        ));
        quads.push(Quad::new(
            iri,
            rdfs::label,
            Literal::new_simple_literal(dataset.slug.replace('-', " ")),
            graph.clone(),
        ));
    }
    quads
}

/// The statements of one observation counting `count`.
pub fn observation_quads(base: &Base, key: &StatKey, count: i64) -> Vec<Quad> {
    let graph = base.statistics_graph();
    let dataset = key.dataset();
    let (local, dimensions) = key_and_dimensions(key);
    let observation = base.statistics_iri(dataset.slug, &local);
    let mut quads = vec![
        Quad::new(
            observation.clone(),
            rdf::type_,
            qb::Observation,
            graph.clone(),
        ),
        Quad::new(
            observation.clone(),
            qb::dataSet,
            base.statistics_iri(dataset.slug, ""),
            graph.clone(),
        ),
    ];
    for (dimension, value) in dimensions {
        quads.push(Quad::new(
            observation.clone(),
            dimension,
            value,
            graph.clone(),
        ));
    }
    quads.push(Quad::new(
        observation,
        cg_term(dataset.measure),
        integer(count),
        graph,
    ));
    quads
}

/// The count a cell's observation states (0 when it has none).
pub fn cell_count(
    read: &(impl QuadRead + ?Sized),
    base: &Base,
    key: &StatKey,
) -> Result<i64, StorageError> {
    let (observation, measure) = observation_and_measure(base, key);
    Ok(stated_count(read, &base.statistics_graph(), &observation, &measure)?.unwrap_or(0))
}

/// A cell's observation IRI and its data set's measure.
fn observation_and_measure(base: &Base, key: &StatKey) -> (NamedNode, NamedNode) {
    let dataset = key.dataset();
    let (local, _) = key_and_dimensions(key);
    (
        base.statistics_iri(dataset.slug, &local),
        cg_term(dataset.measure),
    )
}

/// The count an observation states, if it exists.
fn stated_count(
    read: &(impl QuadRead + ?Sized),
    graph: &NamedNode,
    observation: &NamedNode,
    measure: &NamedNode,
) -> Result<Option<i64>, StorageError> {
    let found = read
        .quads(
            Some(observation.as_ref().into()),
            Some(measure.as_ref()),
            None,
            Some(GraphNameRef::NamedNode(graph.as_ref())),
        )
        .next()
        .transpose()?;
    Ok(found.and_then(|q| match q.object {
        Term::Literal(l) => l.value().parse().ok(),
        _ => None,
    }))
}

/// Adds `delta` to the observations, inside a write's transaction: each
/// changed cell's count is replaced, and a cell falling to 0 (or below,
/// which only a store edited outside chronograph can cause) loses its
/// observation.
pub fn apply_delta(
    t: &mut Transaction<'_>,
    base: &Base,
    delta: &Tally,
) -> Result<(), StorageError> {
    if delta.is_empty() {
        return Ok(());
    }
    // The data sets are described once (a store whose statistics were
    // never recounted gets them with its first write).
    let datasets = dataset_quads(base);
    if !t.contains(&datasets[0])? {
        for quad in &datasets {
            t.insert(quad);
        }
    }
    let mut pair_changes = Vec::new();
    for (key, change) in delta {
        // The rankings follow the pair cells below, whatever the delta says of them.
        if *change == 0 || key.is_pair_ranking() {
            continue;
        }
        let old = cell_count(t, base, key)?;
        let new = old + change;
        if new < 0 {
            tracing::warn!(cell = ?key, old, change, "a statistic fell below 0: run `chronograph check`");
        }
        replace_cell(t, base, key, old, new);
        if let StatKey::PeopleNamedTogether(a, b) = key {
            pair_changes.push(PairChange {
                pair: (a.clone(), b.clone()),
                old: old.max(0),
                new: new.max(0),
            });
        }
    }
    if !pair_changes.is_empty() {
        rank_pairs(t, base, &pair_changes)?;
    }
    Ok(())
}

/// Replaces a cell's observation counting `old` (none when 0) with one
/// counting `new` (none when 0 or less).
fn replace_cell(t: &mut Transaction<'_>, base: &Base, key: &StatKey, old: i64, new: i64) {
    if old == new {
        return;
    }
    for quad in observation_quads(base, key, old) {
        t.remove(&quad);
    }
    if new > 0 {
        for quad in observation_quads(base, key, new) {
            t.insert(&quad);
        }
    }
}

/// A pair cell's count before and after a write.
struct PairChange {
    pair: (NamedNode, NamedNode),
    old: i64,
    new: i64,
}

/// Keeps the histogram of pair counts and the leading pairs in step with
/// the pair cells a write changed: the histogram moves each changed pair
/// from its old count to its new one; the leading pairs are those counting
/// at least the threshold the histogram gives, so the changed pairs are
/// ranked again, and when the threshold moves, the pairs counting between
/// the old and the new threshold (found by their count, an index lookup)
/// join or leave them.
fn rank_pairs(
    t: &mut Transaction<'_>,
    base: &Base,
    changes: &[PairChange],
) -> Result<(), StorageError> {
    let histogram_dataset = super::PAIRS_PER_COUNT;
    let mut before = BTreeMap::new();
    for (key, n) in read_dataset(&*t, base, histogram_dataset)? {
        if let StatKey::PairsPerCount(count) = key {
            before.insert(count, n);
        }
    }
    let mut after = before.clone();
    for change in changes {
        if change.old > 0 {
            *after.entry(change.old).or_insert(0) -= 1;
        }
        if change.new > 0 {
            *after.entry(change.new).or_insert(0) += 1;
        }
    }
    for (count, n) in &after {
        let was = before.get(count).copied().unwrap_or(0);
        replace_cell(t, base, &StatKey::PairsPerCount(*count), was, *n);
    }
    after.retain(|_, n| *n > 0);
    let threshold_before = leading_threshold(&before);
    let threshold_after = leading_threshold(&after);
    let mut changed = HashSet::new();
    for change in changes {
        let (a, b) = &change.pair;
        let key = StatKey::PeopleMostNamedTogether(a.clone(), b.clone());
        let was = if change.old >= threshold_before {
            change.old
        } else {
            0
        };
        let is = if change.new >= threshold_after {
            change.new
        } else {
            0
        };
        replace_cell(t, base, &key, was, is);
        changed.insert(change.pair.clone());
    }
    // The threshold moved: the pairs counting between the two thresholds
    // join the leading pairs (it went down) or leave them (it went up),
    // each found by an index lookup on its count, the measure's value.
    let (counts, joining) = if threshold_after < threshold_before {
        (threshold_after..threshold_before, true)
    } else {
        (threshold_before..threshold_after, false)
    };
    let dataset = if joining {
        super::PEOPLE_NAMED_TOGETHER
    } else {
        super::PEOPLE_MOST_NAMED_TOGETHER
    };
    let measure = cg_term(dataset.measure);
    for count in counts {
        let value = integer(count);
        for (cell, _) in read_cells_with(&*t, base, measure.as_ref(), value.as_ref(), &[dataset])? {
            let (StatKey::PeopleNamedTogether(a, b) | StatKey::PeopleMostNamedTogether(a, b)) =
                cell
            else {
                continue;
            };
            if changed.contains(&(a.clone(), b.clone())) {
                continue;
            }
            let leading = StatKey::PeopleMostNamedTogether(a, b);
            if joining {
                replace_cell(t, base, &leading, 0, count);
            } else {
                replace_cell(t, base, &leading, count, 0);
            }
        }
    }
    Ok(())
}

/// Reads every observation of the statistics graph back into a tally.
pub fn read_tally(read: &(impl QuadRead + ?Sized), base: &Base) -> Result<Tally, StorageError> {
    let mut tally = Tally::new();
    for dataset in &DATASETS {
        tally.extend(read_dataset(read, base, dataset)?);
    }
    Ok(tally)
}

/// The cells of one data set, with their counts.
pub fn read_dataset(
    read: &(impl QuadRead + ?Sized),
    base: &Base,
    dataset: &Dataset,
) -> Result<Vec<(StatKey, i64)>, StorageError> {
    let graph = base.statistics_graph();
    let g = Some(GraphNameRef::NamedNode(graph.as_ref()));
    let dataset_iri = base.statistics_iri(dataset.slug, "");
    let mut cells = Vec::new();
    for quad in read.quads(
        None,
        Some(qb::dataSet),
        Some(dataset_iri.as_ref().into()),
        g,
    ) {
        if let NamedOrBlankNode::NamedNode(observation) = quad?.subject {
            if let Some(cell) = read_observation(read, base, dataset, &observation)? {
                cells.push(cell);
            }
        }
    }
    Ok(cells)
}

/// The cells of the data sets `datasets` whose dimension `dimension` is `value`
/// (a person's documents per year, say), with their counts.
pub fn read_cells_with(
    read: &(impl QuadRead + ?Sized),
    base: &Base,
    dimension: NamedNodeRef<'_>,
    value: oxigraph::model::TermRef<'_>,
    datasets: &[&Dataset],
) -> Result<Vec<(StatKey, i64)>, StorageError> {
    let graph = base.statistics_graph();
    let g = Some(GraphNameRef::NamedNode(graph.as_ref()));
    let mut cells = Vec::new();
    for quad in read.quads(None, Some(dimension), Some(value), g) {
        let NamedOrBlankNode::NamedNode(observation) = quad?.subject else {
            continue;
        };
        for dataset in datasets {
            let prefix = format!("{}/", base.statistics_iri(dataset.slug, "").as_str());
            if observation.as_str().starts_with(&prefix) {
                if let Some(cell) = read_observation(read, base, dataset, &observation)? {
                    cells.push(cell);
                }
            }
        }
    }
    Ok(cells)
}

/// One observation's cell and count.
fn read_observation(
    read: &(impl QuadRead + ?Sized),
    base: &Base,
    dataset: &Dataset,
    observation: &NamedNode,
) -> Result<Option<(StatKey, i64)>, StorageError> {
    let graph = base.statistics_graph();
    let g = Some(GraphNameRef::NamedNode(graph.as_ref()));
    let value = |p: NamedNodeRef<'_>| -> Result<Option<Term>, StorageError> {
        Ok(read
            .quads(Some(observation.as_ref().into()), Some(p), None, g)
            .next()
            .transpose()?
            .map(|q| q.object))
    };
    let node = |p| -> Result<Option<NamedNode>, StorageError> {
        Ok(match value(p)? {
            Some(Term::NamedNode(n)) => Some(n),
            _ => None,
        })
    };
    let number = |p| -> Result<Option<i64>, StorageError> {
        Ok(match value(p)? {
            Some(Term::Literal(l)) => l.value().parse().ok(),
            _ => None,
        })
    };
    let key = match dataset.structure {
        "EntitiesPerClass" => node(cg::refClass)?.map(StatKey::ClassEntities),
        "TriplesPerProperty" => node(cg::refProperty)?.map(StatKey::PropertyTriples),
        "TriplesPerGraph" => node(cg::refGraph)?.map(StatKey::GraphTriples),
        "DocumentsPerYear" => number(cg::refYear)?.map(StatKey::DocumentsPerYear),
        "DocumentsPerDecade" => number(cg::refDecade)?.map(StatKey::DocumentsPerDecade),
        "EventsPerYear" => number(cg::refYear)?.map(StatKey::EventsPerYear),
        "EventsPerDecade" => number(cg::refDecade)?.map(StatKey::EventsPerDecade),
        "DocumentsPerPerson" => node(cg::refPerson)?.map(StatKey::DocumentsPerPerson),
        "EventsPerPerson" => node(cg::refPerson)?.map(StatKey::EventsPerPerson),
        "DocumentsPerPersonAndYear" => node(cg::refPerson)?
            .zip(number(cg::refYear)?)
            .map(|(p, y)| StatKey::DocumentsPerPersonAndYear(p, y)),
        "EventsPerPersonAndYear" => node(cg::refPerson)?
            .zip(number(cg::refYear)?)
            .map(|(p, y)| StatKey::EventsPerPersonAndYear(p, y)),
        "PeopleNamedTogether" => node(cg::refPerson)?
            .zip(node(cg::refOtherPerson)?)
            .map(|(a, b)| StatKey::PeopleNamedTogether(a, b)),
        "DocumentsPerCollection" => node(cg::refCollection)?.map(StatKey::DocumentsPerCollection),
        "DocumentsPerArchive" => node(cg::refArchive)?.map(StatKey::DocumentsPerArchive),
        "DocumentsPerTranslator" => node(cg::refTranslator)?.map(StatKey::DocumentsPerTranslator),
        "DocumentsPerLanguage" => match value(cg::refLanguage)? {
            Some(Term::Literal(l)) => Some(StatKey::DocumentsPerLanguage(l.value().to_owned())),
            _ => None,
        },
        "PairsOfPeoplePerCount" => number(cg::refCount)?.map(StatKey::PairsPerCount),
        "PeopleMostNamedTogether" => node(cg::refPerson)?
            .zip(node(cg::refOtherPerson)?)
            .map(|(a, b)| StatKey::PeopleMostNamedTogether(a, b)),
        _ => None,
    };
    let count = number(cg_term(dataset.measure).as_ref())?;
    Ok(key.zip(count))
}

/// How many writes the statistics graph says the store has taken.
pub fn write_count(read: &(impl QuadRead + ?Sized), base: &Base) -> Result<u64, StorageError> {
    let graph = base.statistics_graph();
    let found = read
        .quads(
            Some(graph.as_ref().into()),
            Some(cg::writeCount),
            None,
            Some(GraphNameRef::NamedNode(graph.as_ref())),
        )
        .next()
        .transpose()?;
    Ok(found
        .and_then(|q| match q.object {
            Term::Literal(l) => l.value().parse().ok(),
            _ => None,
        })
        .unwrap_or(0))
}

/// The statement of the write count.
pub fn write_count_quad(base: &Base, count: u64) -> Quad {
    let graph = base.statistics_graph();
    Quad::new(
        graph.clone(),
        cg::writeCount,
        integer(i64::try_from(count).unwrap_or(i64::MAX)),
        graph,
    )
}

/// Raises the write count by one, inside a write's transaction; returns the new count.
pub fn count_write(t: &mut Transaction<'_>, base: &Base) -> Result<u64, StorageError> {
    let old = write_count(t, base)?;
    t.remove(&write_count_quad(base, old));
    t.insert(&write_count_quad(base, old + 1));
    Ok(old + 1)
}

/// Whether the statistics wait for a recount (a bulk load began and its
/// recount has not ended).
pub fn is_pending(read: &(impl QuadRead + ?Sized), base: &Base) -> Result<bool, StorageError> {
    let graph = base.statistics_graph();
    Ok(read
        .quads(
            Some(graph.as_ref().into()),
            Some(cg::statisticsPending),
            None,
            Some(GraphNameRef::NamedNode(graph.as_ref())),
        )
        .next()
        .transpose()?
        .is_some())
}

/// The statement marking the statistics as waiting for a recount.
pub fn pending_quad(base: &Base) -> Quad {
    let graph = base.statistics_graph();
    Quad::new(
        graph.clone(),
        cg::statisticsPending,
        Literal::from(true),
        graph,
    )
}
