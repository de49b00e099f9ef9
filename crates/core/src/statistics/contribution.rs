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

    /// Adds what `item` contributes to the cells, times `sign` (1 or -1).
    /// Resources that are neither a document nor an event contribute
    /// nothing.
    pub fn add_contribution(
        &self,
        item: &NamedNode,
        sign: i64,
        tally: &mut Tally,
    ) -> Result<(), StorageError> {
        add_contribution(
            &UnionRecord {
                reader: self,
                subject: item,
            },
            sign,
            tally,
        )
    }
}

/// What the rules need to know of one record: its statements by
/// predicate, and which resources are people.
pub trait RecordFacts {
    /// The objects of the record's statements with `predicate`.
    fn objects(&self, predicate: NamedNodeRef<'_>) -> Result<Vec<Term>, StorageError>;
    /// Whether `node` is a `cg:Person`.
    fn is_person(&self, node: &NamedNode) -> Result<bool, StorageError>;
}

/// A record's facts read from the union graph by index lookups, a
/// predicate at a time.
struct UnionRecord<'r, 'a, R: QuadRead + ?Sized> {
    reader: &'r UnionReader<'a, R>,
    subject: &'r NamedNode,
}

impl<R: QuadRead + ?Sized> RecordFacts for UnionRecord<'_, '_, R> {
    fn objects(&self, predicate: NamedNodeRef<'_>) -> Result<Vec<Term>, StorageError> {
        self.reader.objects(self.subject, predicate)
    }

    fn is_person(&self, node: &NamedNode) -> Result<bool, StorageError> {
        self.reader.is_person(node)
    }
}

/// A record's facts from its statements read beforehand (every statement
/// about it in the union graph, in one scan), with the people known.
pub struct StatedRecord<'a, P: Fn(&NamedNode) -> bool> {
    /// The record's statements: predicate and object.
    pub statements: &'a [(NamedNode, Term)],
    /// Whether a resource is a `cg:Person`.
    pub is_person: P,
}

impl<P: Fn(&NamedNode) -> bool> RecordFacts for StatedRecord<'_, P> {
    fn objects(&self, predicate: NamedNodeRef<'_>) -> Result<Vec<Term>, StorageError> {
        Ok(self
            .statements
            .iter()
            .filter(|(p, _)| p.as_ref() == predicate)
            .map(|(_, o)| o.clone())
            .collect())
    }

    fn is_person(&self, node: &NamedNode) -> Result<bool, StorageError> {
        Ok((self.is_person)(node))
    }
}

/// The people among the named objects of a record by `predicates`.
fn people(
    record: &impl RecordFacts,
    predicates: &[NamedNodeRef<'_>],
) -> Result<BTreeSet<NamedNode>, StorageError> {
    let mut people = BTreeSet::new();
    for predicate in predicates {
        for object in record.objects(*predicate)? {
            if let Term::NamedNode(node) = object {
                if record.is_person(&node)? {
                    people.insert(node);
                }
            }
        }
    }
    Ok(people)
}

fn named_objects(
    record: &impl RecordFacts,
    predicate: NamedNodeRef<'_>,
) -> Result<BTreeSet<NamedNode>, StorageError> {
    Ok(record
        .objects(predicate)?
        .into_iter()
        .filter_map(|t| match t {
            Term::NamedNode(n) => Some(n),
            _ => None,
        })
        .collect())
}

fn years(
    record: &impl RecordFacts,
    predicate: NamedNodeRef<'_>,
) -> Result<BTreeSet<i64>, StorageError> {
    Ok(record
        .objects(predicate)?
        .iter()
        .filter_map(|t| match t {
            Term::Literal(l) => year_of_date(l),
            _ => None,
        })
        .collect())
}

/// Adds what a record contributes to the cells, times `sign` (1 or -1):
/// the rules of the statistics, whichever way the record's facts are read.
/// Resources that are neither a document nor an event contribute nothing.
pub fn add_contribution(
    record: &impl RecordFacts,
    sign: i64,
    tally: &mut Tally,
) -> Result<(), StorageError> {
    let mut add = |key: StatKey| super::bump(tally, key, sign);
    let classes = record.objects(rdf::type_)?;
    let is = |class: NamedNodeRef<'_>| classes.iter().any(|c| *c == Term::from(class));
    let (is_document, is_event) = (is(cg::Document), is(sem::Event));
    let mut pairs = BTreeSet::new();
    if is_document {
        let mentioned = people(record, &[schema::mentions])?;
        let mut named = mentioned.clone();
        named.extend(people(record, &[schema::sender, schema::recipient])?);
        add_dated(
            &years(record, cg::earliestDate)?,
            &named,
            &DOCUMENT_CELLS,
            &mut add,
        );
        collect_pairs(&mentioned, &mut pairs);
        for collection in named_objects(record, dcterms::isPartOf)? {
            add(StatKey::DocumentsPerCollection(collection));
        }
        for archive in named_objects(record, schema::holdingArchive)? {
            add(StatKey::DocumentsPerArchive(archive));
        }
        for translator in named_objects(record, schema::translator)? {
            add(StatKey::DocumentsPerTranslator(translator));
        }
        let languages: BTreeSet<String> = record
            .objects(dcterms::language)?
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
        let actors = people(record, &[sem::hasActor])?;
        add_dated(
            &years(record, sem::hasEarliestBeginTimeStamp)?,
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
