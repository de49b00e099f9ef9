//! The tally of a recount in little memory. At a million documents a
//! recount counts 3.4 million cells, most of them pairs of people; as a
//! [`Tally`] each cell holds its IRIs as strings of their own, about 200
//! bytes a cell and 0.6 GB in all, beside the search index being built
//! from the same read. Here each IRI (and language) is written once, in a
//! table of names, and a cell is a few numbers: 32 bytes.

use std::collections::BTreeMap;

use oxigraph::model::NamedNode;
use rustc_hash::FxHashMap;

use super::{leading_threshold, StatKey, Tally};

/// A cell with its IRIs and language as numbers in the tally's table of
/// names: the variant of [`StatKey`], up to two names, and a number (a
/// year, a decade, a count).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct PackedKey {
    kind: Kind,
    first: u32,
    second: u32,
    number: i64,
}

/// The variants of [`StatKey`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    ClassEntities,
    PropertyTriples,
    GraphTriples,
    DocumentsPerYear,
    DocumentsPerDecade,
    EventsPerYear,
    EventsPerDecade,
    DocumentsPerPerson,
    EventsPerPerson,
    DocumentsPerPersonAndYear,
    EventsPerPersonAndYear,
    PeopleNamedTogether,
    DocumentsPerCollection,
    DocumentsPerArchive,
    DocumentsPerTranslator,
    DocumentsPerLanguage,
    PairsPerCount,
    PeopleMostNamedTogether,
}

/// Counts per cell, as [`Tally`], with the names of the cells written once.
#[derive(Debug, Default)]
pub struct PackedTally {
    /// Every IRI and language of the cells, by number.
    names: Vec<Box<str>>,
    /// The number of each name in `names`.
    numbers: FxHashMap<Box<str>, u32>,
    cells: FxHashMap<PackedKey, i64>,
}

impl PackedTally {
    /// An empty tally.
    pub fn new() -> Self {
        Self::default()
    }

    /// Cells in the tally.
    pub fn len(&self) -> usize {
        self.cells.len()
    }

    /// Whether the tally holds no cell.
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// Adds `n` to a cell.
    pub fn add(&mut self, key: StatKey, n: i64) {
        let key = self.pack(key);
        *self.cells.entry(key).or_insert(0) += n;
    }

    /// Adds every cell of a tally.
    pub fn add_tally(&mut self, tally: Tally) {
        for (key, n) in tally {
            self.add(key, n);
        }
    }

    /// Keeps the cells that count more than 0.
    pub fn retain_positive(&mut self) {
        self.cells.retain(|_, n| *n > 0);
    }

    /// The cells and their counts, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (StatKey, i64)> + '_ {
        self.cells.iter().map(|(key, n)| (self.unpack(key), *n))
    }

    /// The cells as a [`Tally`].
    pub fn into_tally(self) -> Tally {
        self.iter().collect()
    }

    /// Adds the cells derived from the pair cells of a whole tally (a
    /// recount): the histogram of pair counts ([`StatKey::PairsPerCount`])
    /// and the leading pairs ([`StatKey::PeopleMostNamedTogether`]). Any
    /// derived cells already in the tally are replaced.
    pub fn derive_pair_rankings(&mut self) {
        self.cells.retain(|key, _| {
            !matches!(
                key.kind,
                Kind::PairsPerCount | Kind::PeopleMostNamedTogether
            )
        });
        let mut histogram = BTreeMap::new();
        for (key, count) in &self.cells {
            if key.kind == Kind::PeopleNamedTogether && *count > 0 {
                *histogram.entry(*count).or_insert(0) += 1;
            }
        }
        let threshold = leading_threshold(&histogram);
        let leading: Vec<(PackedKey, i64)> = self
            .cells
            .iter()
            .filter(|(key, count)| key.kind == Kind::PeopleNamedTogether && **count >= threshold)
            .map(|(key, count)| {
                let leading = PackedKey {
                    kind: Kind::PeopleMostNamedTogether,
                    ..*key
                };
                (leading, *count)
            })
            .collect();
        self.cells.extend(leading);
        self.cells.extend(histogram.into_iter().map(|(count, n)| {
            let key = PackedKey {
                kind: Kind::PairsPerCount,
                first: 0,
                second: 0,
                number: count,
            };
            (key, n)
        }));
    }

    fn number_of(&mut self, name: &str) -> u32 {
        if let Some(number) = self.numbers.get(name) {
            return *number;
        }
        let number = u32::try_from(self.names.len()).expect("fewer than 2^32 distinct names");
        self.names.push(name.into());
        self.numbers.insert(name.into(), number);
        number
    }

    fn pack(&mut self, key: StatKey) -> PackedKey {
        let mut packed = |kind, first: Option<&str>, second: Option<&str>, number| PackedKey {
            kind,
            first: first.map_or(0, |name| self.number_of(name)),
            second: second.map_or(0, |name| self.number_of(name)),
            number,
        };
        match &key {
            StatKey::ClassEntities(c) => packed(Kind::ClassEntities, Some(c.as_str()), None, 0),
            StatKey::PropertyTriples(p) => packed(Kind::PropertyTriples, Some(p.as_str()), None, 0),
            StatKey::GraphTriples(g) => packed(Kind::GraphTriples, Some(g.as_str()), None, 0),
            StatKey::DocumentsPerYear(y) => packed(Kind::DocumentsPerYear, None, None, *y),
            StatKey::DocumentsPerDecade(d) => packed(Kind::DocumentsPerDecade, None, None, *d),
            StatKey::EventsPerYear(y) => packed(Kind::EventsPerYear, None, None, *y),
            StatKey::EventsPerDecade(d) => packed(Kind::EventsPerDecade, None, None, *d),
            StatKey::DocumentsPerPerson(p) => {
                packed(Kind::DocumentsPerPerson, Some(p.as_str()), None, 0)
            }
            StatKey::EventsPerPerson(p) => packed(Kind::EventsPerPerson, Some(p.as_str()), None, 0),
            StatKey::DocumentsPerPersonAndYear(p, y) => {
                packed(Kind::DocumentsPerPersonAndYear, Some(p.as_str()), None, *y)
            }
            StatKey::EventsPerPersonAndYear(p, y) => {
                packed(Kind::EventsPerPersonAndYear, Some(p.as_str()), None, *y)
            }
            StatKey::PeopleNamedTogether(a, b) => packed(
                Kind::PeopleNamedTogether,
                Some(a.as_str()),
                Some(b.as_str()),
                0,
            ),
            StatKey::DocumentsPerCollection(c) => {
                packed(Kind::DocumentsPerCollection, Some(c.as_str()), None, 0)
            }
            StatKey::DocumentsPerArchive(a) => {
                packed(Kind::DocumentsPerArchive, Some(a.as_str()), None, 0)
            }
            StatKey::DocumentsPerTranslator(t) => {
                packed(Kind::DocumentsPerTranslator, Some(t.as_str()), None, 0)
            }
            StatKey::DocumentsPerLanguage(l) => {
                packed(Kind::DocumentsPerLanguage, Some(l.as_str()), None, 0)
            }
            StatKey::PairsPerCount(c) => packed(Kind::PairsPerCount, None, None, *c),
            StatKey::PeopleMostNamedTogether(a, b) => packed(
                Kind::PeopleMostNamedTogether,
                Some(a.as_str()),
                Some(b.as_str()),
                0,
            ),
        }
    }

    fn unpack(&self, key: &PackedKey) -> StatKey {
        let name = |number: u32| -> &str { &self.names[number as usize] };
        // Every IRI of a cell came from a NamedNode.
        let iri = |number: u32| NamedNode::new_unchecked(name(number));
        let (first, second, number) = (key.first, key.second, key.number);
        match key.kind {
            Kind::ClassEntities => StatKey::ClassEntities(iri(first)),
            Kind::PropertyTriples => StatKey::PropertyTriples(iri(first)),
            Kind::GraphTriples => StatKey::GraphTriples(iri(first)),
            Kind::DocumentsPerYear => StatKey::DocumentsPerYear(number),
            Kind::DocumentsPerDecade => StatKey::DocumentsPerDecade(number),
            Kind::EventsPerYear => StatKey::EventsPerYear(number),
            Kind::EventsPerDecade => StatKey::EventsPerDecade(number),
            Kind::DocumentsPerPerson => StatKey::DocumentsPerPerson(iri(first)),
            Kind::EventsPerPerson => StatKey::EventsPerPerson(iri(first)),
            Kind::DocumentsPerPersonAndYear => {
                StatKey::DocumentsPerPersonAndYear(iri(first), number)
            }
            Kind::EventsPerPersonAndYear => StatKey::EventsPerPersonAndYear(iri(first), number),
            Kind::PeopleNamedTogether => StatKey::PeopleNamedTogether(iri(first), iri(second)),
            Kind::DocumentsPerCollection => StatKey::DocumentsPerCollection(iri(first)),
            Kind::DocumentsPerArchive => StatKey::DocumentsPerArchive(iri(first)),
            Kind::DocumentsPerTranslator => StatKey::DocumentsPerTranslator(iri(first)),
            Kind::DocumentsPerLanguage => StatKey::DocumentsPerLanguage(name(first).to_owned()),
            Kind::PairsPerCount => StatKey::PairsPerCount(number),
            Kind::PeopleMostNamedTogether => {
                StatKey::PeopleMostNamedTogether(iri(first), iri(second))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iri(s: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("http://example.org/{s}"))
    }

    /// One cell of every variant.
    fn every_kind() -> Vec<StatKey> {
        vec![
            StatKey::ClassEntities(iri("Class")),
            StatKey::PropertyTriples(iri("p")),
            StatKey::GraphTriples(iri("g")),
            StatKey::DocumentsPerYear(-44),
            StatKey::DocumentsPerDecade(1960),
            StatKey::EventsPerYear(1965),
            StatKey::EventsPerDecade(-50),
            StatKey::DocumentsPerPerson(iri("mao")),
            StatKey::EventsPerPerson(iri("mao")),
            StatKey::DocumentsPerPersonAndYear(iri("mao"), 1958),
            StatKey::EventsPerPersonAndYear(iri("kim"), 1950),
            StatKey::PeopleNamedTogether(iri("kim"), iri("mao")),
            StatKey::DocumentsPerCollection(iri("c")),
            StatKey::DocumentsPerArchive(iri("a")),
            StatKey::DocumentsPerTranslator(iri("t")),
            StatKey::DocumentsPerLanguage("Russian".into()),
            StatKey::PairsPerCount(3),
            StatKey::PeopleMostNamedTogether(iri("kim"), iri("mao")),
        ]
    }

    /// Every variant comes back as it went in, with its count summed.
    #[test]
    fn cells_come_back_as_added() {
        let mut packed = PackedTally::new();
        let mut plain = Tally::new();
        for (i, key) in every_kind().into_iter().enumerate() {
            let n = i as i64 + 1;
            packed.add(key.clone(), n);
            packed.add(key.clone(), n);
            plain.insert(key, 2 * n);
        }
        assert_eq!(packed.len(), plain.len());
        assert_eq!(packed.into_tally(), plain);
    }

    /// The rankings of pairs: with three pairs (fewer than the leading
    /// ones), every pair leads, and the histogram counts pairs per count.
    #[test]
    fn rankings_are_derived_from_the_pairs() {
        let mut packed = PackedTally::new();
        packed.add(StatKey::PeopleNamedTogether(iri("a"), iri("b")), 2);
        packed.add(StatKey::PeopleNamedTogether(iri("a"), iri("c")), 2);
        packed.add(StatKey::PeopleNamedTogether(iri("b"), iri("c")), 5);
        packed.add(StatKey::PairsPerCount(9), 9);
        packed.add(StatKey::DocumentsPerYear(1965), 0);
        packed.retain_positive();
        packed.derive_pair_rankings();
        let tally = packed.into_tally();
        let expected: Tally = [
            (StatKey::PeopleNamedTogether(iri("a"), iri("b")), 2),
            (StatKey::PeopleNamedTogether(iri("a"), iri("c")), 2),
            (StatKey::PeopleNamedTogether(iri("b"), iri("c")), 5),
            (StatKey::PeopleMostNamedTogether(iri("a"), iri("b")), 2),
            (StatKey::PeopleMostNamedTogether(iri("a"), iri("c")), 2),
            (StatKey::PeopleMostNamedTogether(iri("b"), iri("c")), 5),
            (StatKey::PairsPerCount(2), 2),
            (StatKey::PairsPerCount(5), 1),
        ]
        .into_iter()
        .collect();
        assert_eq!(tally, expected);
    }
}
