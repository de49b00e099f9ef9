//! Precomputed statistics: the counts the pages, VoID and the analytical
//! samples need, kept in the graph `{base}graph/statistics` as W3C RDF Data
//! Cube observations and maintained by every write in its own transaction
//! (see [`crate::derived`]), so that no request counts the archive.
//!
//! - [`StatKey`]: one cell of one data set (documents in 1965, the pair of
//!   people Mao and Khrushchev, the triples of `schema:name`, …).
//! - [`contribution`]: what one document or event adds to the cells, read
//!   from the union graph (for writes, before and after).
//! - `crate::store_statistics`: every cell counted again from the data with
//!   SPARQL aggregates (after a bulk load, by `chronograph check`).
//! - [`cube`]: the cells as RDF, read back and written as deltas.
//! - [`packed`]: the tally of a recount, its millions of cells in little
//!   memory.

pub mod contribution;
pub mod cube;
pub mod packed;

use std::collections::{BTreeMap, HashMap};

use oxigraph::model::NamedNode;

/// One cell of one statistics data set.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StatKey {
    /// Resources with the class (`rdf:type` statements in the union graph).
    ClassEntities(NamedNode),
    /// Statements of the property in the union graph.
    PropertyTriples(NamedNode),
    /// Statements in the named graph (the union and statistics graphs not counted).
    GraphTriples(NamedNode),
    /// Documents whose earliest date falls in the year.
    DocumentsPerYear(i64),
    /// Documents whose earliest date falls in the decade (its first year).
    DocumentsPerDecade(i64),
    /// Events (`sem:Event`) whose earliest begin falls in the year.
    EventsPerYear(i64),
    /// Events whose earliest begin falls in the decade.
    EventsPerDecade(i64),
    /// Documents mentioning the person or sent by or to them.
    DocumentsPerPerson(NamedNode),
    /// Events the person is an actor of.
    EventsPerPerson(NamedNode),
    /// [`StatKey::DocumentsPerPerson`] per year of the document's earliest date.
    DocumentsPerPersonAndYear(NamedNode, i64),
    /// [`StatKey::EventsPerPerson`] per year of the event's earliest begin.
    EventsPerPersonAndYear(NamedNode, i64),
    /// Documents (`schema:mentions`) and events (`sem:hasActor`) naming both
    /// people; the first is the smaller IRI.
    PeopleNamedTogether(NamedNode, NamedNode),
    /// Documents part of the collection.
    DocumentsPerCollection(NamedNode),
    /// Documents held by the archive.
    DocumentsPerArchive(NamedNode),
    /// Documents translated by the translator.
    DocumentsPerTranslator(NamedNode),
    /// Documents in the language (as written).
    DocumentsPerLanguage(String),
    /// Pairs of people named together exactly this many times (a histogram
    /// of the [`StatKey::PeopleNamedTogether`] cells, derived from them).
    PairsPerCount(i64),
    /// A [`StatKey::PeopleNamedTogether`] cell again, for the pairs named
    /// together at least as often as the pair ranked [`LEADING_PAIRS`]th
    /// (every pair, when there are fewer): the ranking of co-mentions,
    /// read without reading every pair. Derived from the pair cells.
    PeopleMostNamedTogether(NamedNode, NamedNode),
}

/// How many pairs of people [`StatKey::PeopleMostNamedTogether`] holds at
/// least (ties with the last one included).
pub const LEADING_PAIRS: i64 = 10;

/// A data set: its slug (in observation IRIs), its structure in the
/// ontology, and its measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dataset {
    /// Path segment of its IRI: `{base}statistics/{slug}`.
    pub slug: &'static str,
    /// Local name of its `qb:DataStructureDefinition` in the ontology.
    pub structure: &'static str,
    /// Local name of its measure property.
    pub measure: &'static str,
}

/// Every data set, in the order the statistics graph lists them.
pub const DATASETS: [Dataset; 18] = [
    Dataset {
        slug: "entities-per-class",
        structure: "EntitiesPerClass",
        measure: "countOfEntities",
    },
    Dataset {
        slug: "triples-per-property",
        structure: "TriplesPerProperty",
        measure: "countOfTriples",
    },
    Dataset {
        slug: "triples-per-graph",
        structure: "TriplesPerGraph",
        measure: "countOfTriples",
    },
    Dataset {
        slug: "documents-per-year",
        structure: "DocumentsPerYear",
        measure: "countOfDocuments",
    },
    Dataset {
        slug: "documents-per-decade",
        structure: "DocumentsPerDecade",
        measure: "countOfDocuments",
    },
    Dataset {
        slug: "events-per-year",
        structure: "EventsPerYear",
        measure: "countOfEvents",
    },
    Dataset {
        slug: "events-per-decade",
        structure: "EventsPerDecade",
        measure: "countOfEvents",
    },
    Dataset {
        slug: "documents-per-person",
        structure: "DocumentsPerPerson",
        measure: "countOfDocuments",
    },
    Dataset {
        slug: "events-per-person",
        structure: "EventsPerPerson",
        measure: "countOfEvents",
    },
    Dataset {
        slug: "documents-per-person-and-year",
        structure: "DocumentsPerPersonAndYear",
        measure: "countOfDocuments",
    },
    Dataset {
        slug: "events-per-person-and-year",
        structure: "EventsPerPersonAndYear",
        measure: "countOfEvents",
    },
    Dataset {
        slug: "people-named-together",
        structure: "PeopleNamedTogether",
        measure: "countOfItems",
    },
    Dataset {
        slug: "documents-per-collection",
        structure: "DocumentsPerCollection",
        measure: "countOfDocuments",
    },
    Dataset {
        slug: "documents-per-archive",
        structure: "DocumentsPerArchive",
        measure: "countOfDocuments",
    },
    Dataset {
        slug: "documents-per-translator",
        structure: "DocumentsPerTranslator",
        measure: "countOfDocuments",
    },
    Dataset {
        slug: "documents-per-language",
        structure: "DocumentsPerLanguage",
        measure: "countOfDocuments",
    },
    Dataset {
        slug: "pairs-per-count",
        structure: "PairsOfPeoplePerCount",
        measure: "countOfPairs",
    },
    Dataset {
        slug: "people-most-named-together",
        structure: "PeopleMostNamedTogether",
        measure: "countOfItems",
    },
];

/// The data set of the co-mention cells ([`StatKey::PeopleNamedTogether`]).
pub const PEOPLE_NAMED_TOGETHER: &Dataset = &DATASETS[11];
/// The histogram of the co-mention counts ([`StatKey::PairsPerCount`]).
pub const PAIRS_PER_COUNT: &Dataset = &DATASETS[16];
/// The leading co-mentions ([`StatKey::PeopleMostNamedTogether`]).
pub const PEOPLE_MOST_NAMED_TOGETHER: &Dataset = &DATASETS[17];

impl StatKey {
    /// The data set the cell belongs to.
    pub fn dataset(&self) -> &'static Dataset {
        let index = match self {
            Self::ClassEntities(_) => 0,
            Self::PropertyTriples(_) => 1,
            Self::GraphTriples(_) => 2,
            Self::DocumentsPerYear(_) => 3,
            Self::DocumentsPerDecade(_) => 4,
            Self::EventsPerYear(_) => 5,
            Self::EventsPerDecade(_) => 6,
            Self::DocumentsPerPerson(_) => 7,
            Self::EventsPerPerson(_) => 8,
            Self::DocumentsPerPersonAndYear(..) => 9,
            Self::EventsPerPersonAndYear(..) => 10,
            Self::PeopleNamedTogether(..) => return PEOPLE_NAMED_TOGETHER,
            Self::DocumentsPerCollection(_) => 12,
            Self::DocumentsPerArchive(_) => 13,
            Self::DocumentsPerTranslator(_) => 14,
            Self::DocumentsPerLanguage(_) => 15,
            Self::PairsPerCount(_) => return PAIRS_PER_COUNT,
            Self::PeopleMostNamedTogether(..) => return PEOPLE_MOST_NAMED_TOGETHER,
        };
        &DATASETS[index]
    }

    /// Whether the cell is one of the rankings derived from the pair cells
    /// ([`StatKey::PairsPerCount`], [`StatKey::PeopleMostNamedTogether`]),
    /// which no document or event contributes to directly.
    pub fn is_pair_ranking(&self) -> bool {
        matches!(
            self,
            Self::PairsPerCount(_) | Self::PeopleMostNamedTogether(..)
        )
    }
}

/// Counts per cell (cells absent count 0). As a delta, counts may be negative.
pub type Tally = HashMap<StatKey, i64>;

/// Adds `change` to one cell, dropping the cell when it falls to 0.
pub fn bump(tally: &mut Tally, key: StatKey, change: i64) {
    let entry = tally.entry(key.clone()).or_insert(0);
    *entry += change;
    if *entry == 0 {
        tally.remove(&key);
    }
}

/// The decade of a year, as its first year (`-44` is in the decade `-50`).
pub fn decade_of(year: i64) -> i64 {
    year.div_euclid(10) * 10
}

/// The threshold of [`StatKey::PeopleMostNamedTogether`] given the
/// histogram of pair counts (count → pairs named together that many times):
/// the count of the pair ranked [`LEADING_PAIRS`]th, or 1 when there are
/// fewer pairs.
pub fn leading_threshold(histogram: &BTreeMap<i64, i64>) -> i64 {
    let mut pairs = 0;
    for (count, n) in histogram.iter().rev() {
        pairs += n;
        if pairs >= LEADING_PAIRS {
            return (*count).max(1);
        }
    }
    1
}
