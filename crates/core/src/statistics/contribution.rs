//! What one document or event adds to the statistics, read from the union
//! graph: a write subtracts the contribution of each record it touches as it
//! was, and adds it as it is. The rules here are those of
//! `crate::store_statistics`'s recount queries, which count the same cells over the whole
//! store.

use std::collections::BTreeSet;

use oxigraph::model::{
    GraphNameRef, Literal, NamedNode, NamedNodeRef, NamedOrBlankNodeRef, Term, TermRef,
};
use oxigraph::store::{QuadIter, StorageError, Store, Transaction};

use super::{decade_of, StatKey, Tally};
use crate::mapping::vocab::{cg, dcterms, rdf, schema, sem, xsd};

/// Reading quads by pattern, from a store or inside a transaction (which
/// sees its own writes).
pub trait QuadRead {
    /// The quads matching the pattern.
    fn quads(
        &self,
        subject: Option<NamedOrBlankNodeRef<'_>>,
        predicate: Option<NamedNodeRef<'_>>,
        object: Option<TermRef<'_>>,
        graph: Option<GraphNameRef<'_>>,
    ) -> QuadIter<'_>;
}

impl QuadRead for Store {
    fn quads(
        &self,
        subject: Option<NamedOrBlankNodeRef<'_>>,
        predicate: Option<NamedNodeRef<'_>>,
        object: Option<TermRef<'_>>,
        graph: Option<GraphNameRef<'_>>,
    ) -> QuadIter<'_> {
        self.quads_for_pattern(subject, predicate, object, graph)
    }
}

impl QuadRead for Transaction<'_> {
    fn quads(
        &self,
        subject: Option<NamedOrBlankNodeRef<'_>>,
        predicate: Option<NamedNodeRef<'_>>,
        object: Option<TermRef<'_>>,
        graph: Option<GraphNameRef<'_>>,
    ) -> QuadIter<'_> {
        self.quads_for_pattern(subject, predicate, object, graph)
    }
}

/// Predicates by which a document or event names a resource: when such a
/// resource changes class or name, the records naming it change too.
pub const NAMING_PREDICATES: [NamedNodeRef<'static>; 16] = [
    schema::mentions,
    schema::sender,
    schema::recipient,
    schema::translator,
    schema::holdingArchive,
    sem::hasActor,
    sem::hasPlace,
    dcterms::isPartOf,
    dcterms::spatial,
    dcterms::subject,
    crate::mapping::vocab::rico::hasSender,
    crate::mapping::vocab::rico::hasReceiver,
    crate::mapping::vocab::rico::hasCreator,
    cg::participant,
    cg::contributedBy,
    cg::transcribedBy,
];

/// Reads one resource's statements in the union graph.
pub struct UnionReader<'a, R: QuadRead + ?Sized> {
    read: &'a R,
    union: GraphNameRef<'a>,
}

impl<'a, R: QuadRead + ?Sized> UnionReader<'a, R> {
    /// A reader of the union graph `union`.
    pub fn new(read: &'a R, union: &'a NamedNode) -> Self {
        Self {
            read,
            union: GraphNameRef::NamedNode(union.as_ref()),
        }
    }

    /// The objects of `subject predicate`.
    pub fn objects(
        &self,
        subject: &NamedNode,
        predicate: NamedNodeRef<'_>,
    ) -> Result<Vec<Term>, StorageError> {
        self.read
            .quads(
                Some(subject.as_ref().into()),
                Some(predicate),
                None,
                Some(self.union),
            )
            .map(|q| q.map(|q| q.object))
            .collect()
    }

    /// Whether `subject predicate object` is stated.
    pub fn has(
        &self,
        subject: &NamedNode,
        predicate: NamedNodeRef<'_>,
        object: TermRef<'_>,
    ) -> Result<bool, StorageError> {
        Ok(self
            .read
            .quads(
                Some(subject.as_ref().into()),
                Some(predicate),
                Some(object),
                Some(self.union),
            )
            .next()
            .transpose()?
            .is_some())
    }

    /// The subjects stating `? predicate object`.
    pub fn subjects(
        &self,
        predicate: NamedNodeRef<'_>,
        object: TermRef<'_>,
    ) -> Result<Vec<NamedNode>, StorageError> {
        let mut out = Vec::new();
        for quad in self
            .read
            .quads(None, Some(predicate), Some(object), Some(self.union))
        {
            if let oxigraph::model::NamedOrBlankNode::NamedNode(s) = quad?.subject {
                out.push(s);
            }
        }
        Ok(out)
    }

    fn is_person(&self, node: &NamedNode) -> Result<bool, StorageError> {
        self.has(node, rdf::type_, cg::Person.into())
    }

    /// The people among the named objects of `subject` by `predicates`.
    fn people(
        &self,
        subject: &NamedNode,
        predicates: &[NamedNodeRef<'_>],
    ) -> Result<BTreeSet<NamedNode>, StorageError> {
        let mut people = BTreeSet::new();
        for predicate in predicates {
            for object in self.objects(subject, *predicate)? {
                if let Term::NamedNode(node) = object {
                    if self.is_person(&node)? {
                        people.insert(node);
                    }
                }
            }
        }
        Ok(people)
    }

    fn named_objects(
        &self,
        subject: &NamedNode,
        predicate: NamedNodeRef<'_>,
    ) -> Result<BTreeSet<NamedNode>, StorageError> {
        Ok(self
            .objects(subject, predicate)?
            .into_iter()
            .filter_map(|t| match t {
                Term::NamedNode(n) => Some(n),
                _ => None,
            })
            .collect())
    }

    fn years(
        &self,
        subject: &NamedNode,
        predicate: NamedNodeRef<'_>,
    ) -> Result<BTreeSet<i64>, StorageError> {
        Ok(self
            .objects(subject, predicate)?
            .iter()
            .filter_map(|t| match t {
                Term::Literal(l) => year_of_date(l),
                _ => None,
            })
            .collect())
    }

    /// Adds what `item` contributes to the cells, times `sign` (1 or -1).
    /// Resources that are neither a document nor an event contribute
    /// nothing.
    pub fn add_contribution(
        &self,
        item: &NamedNode,
        sign: i64,
        tally: &mut Tally,
    ) -> Result<(), StorageError> {
        let mut add = |key: StatKey| super::bump(tally, key, sign);
        let is_document = self.has(item, rdf::type_, cg::Document.into())?;
        let is_event = self.has(item, rdf::type_, sem::Event.into())?;
        let mut pairs = BTreeSet::new();
        if is_document {
            add_dated(
                &self.years(item, cg::earliestDate)?,
                &self.people(item, &[schema::mentions, schema::sender, schema::recipient])?,
                &DOCUMENT_CELLS,
                &mut add,
            );
            collect_pairs(&self.people(item, &[schema::mentions])?, &mut pairs);
            for collection in self.named_objects(item, dcterms::isPartOf)? {
                add(StatKey::DocumentsPerCollection(collection));
            }
            for archive in self.named_objects(item, schema::holdingArchive)? {
                add(StatKey::DocumentsPerArchive(archive));
            }
            for translator in self.named_objects(item, schema::translator)? {
                add(StatKey::DocumentsPerTranslator(translator));
            }
            let languages: BTreeSet<String> = self
                .objects(item, dcterms::language)?
                .into_iter()
                .filter_map(|t| match t {
                    Term::Literal(l) => Some(l.value().to_owned()),
                    _ => None,
                })
                .collect();
            for language in languages {
                add(StatKey::DocumentsPerLanguage(language));
            }
        }
        if is_event {
            let actors = self.people(item, &[sem::hasActor])?;
            add_dated(
                &self.years(item, sem::hasEarliestBeginTimeStamp)?,
                &actors,
                &EVENT_CELLS,
                &mut add,
            );
            collect_pairs(&actors, &mut pairs);
        }
        for (first, second) in pairs {
            add(StatKey::PeopleNamedTogether(first, second));
        }
        Ok(())
    }
}

/// The cells a dated record of one kind (documents, events) counts in.
struct DatedCells {
    per_year: fn(i64) -> StatKey,
    per_decade: fn(i64) -> StatKey,
    per_person: fn(NamedNode) -> StatKey,
    per_person_and_year: fn(NamedNode, i64) -> StatKey,
}

const DOCUMENT_CELLS: DatedCells = DatedCells {
    per_year: StatKey::DocumentsPerYear,
    per_decade: StatKey::DocumentsPerDecade,
    per_person: StatKey::DocumentsPerPerson,
    per_person_and_year: StatKey::DocumentsPerPersonAndYear,
};

const EVENT_CELLS: DatedCells = DatedCells {
    per_year: StatKey::EventsPerYear,
    per_decade: StatKey::EventsPerDecade,
    per_person: StatKey::EventsPerPerson,
    per_person_and_year: StatKey::EventsPerPersonAndYear,
};

/// Adds a record's cells by year, decade, person, and person and year.
fn add_dated(
    years: &BTreeSet<i64>,
    people: &BTreeSet<NamedNode>,
    cells: &DatedCells,
    add: &mut impl FnMut(StatKey),
) {
    let decades: BTreeSet<i64> = years.iter().map(|y| decade_of(*y)).collect();
    for year in years {
        add((cells.per_year)(*year));
    }
    for decade in decades {
        add((cells.per_decade)(decade));
    }
    for person in people {
        add((cells.per_person)(person.clone()));
        for year in years {
            add((cells.per_person_and_year)(person.clone(), *year));
        }
    }
}

/// Every pair of distinct people, the smaller IRI first.
fn collect_pairs(people: &BTreeSet<NamedNode>, pairs: &mut BTreeSet<(NamedNode, NamedNode)>) {
    let people: Vec<&NamedNode> = people.iter().collect();
    for (i, first) in people.iter().enumerate() {
        for second in &people[i + 1..] {
            let (a, b) = if first.as_str() < second.as_str() {
                (first, second)
            } else {
                (second, first)
            };
            pairs.insert(((*a).clone(), (*b).clone()));
        }
    }
}

/// The year of a date literal, as SPARQL's `YEAR()` reads it: only for the
/// date types it accepts (`xsd:date`, `xsd:dateTime`, `xsd:gYear`,
/// `xsd:gYearMonth`); anything else has no year.
pub fn year_of_date(literal: &Literal) -> Option<i64> {
    let datatype = literal.datatype();
    if ![xsd::date, xsd::dateTime, xsd::gYear, xsd::gYearMonth].contains(&datatype) {
        return None;
    }
    let value = literal.value();
    let (sign, digits) = match value.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, value),
    };
    let year: String = digits.chars().take_while(char::is_ascii_digit).collect();
    if year.len() < 4 {
        return None;
    }
    year.parse::<i64>().ok().map(|y| sign * y)
}
