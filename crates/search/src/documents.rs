//! What the index holds for each document and event, read from the store's
//! union graph: the words of its title, summary, text, citation, signature
//! and translators, the names (with every variant the authority file gives)
//! of the people, places and organisations it names, and its facets.

use std::collections::BTreeSet;

use chronograph_core::mapping::vocab::{cg, dcterms, rdf, rdfs, rico, schema, sem, skos};
use chronograph_core::store::ArchiveStore;
use oxigraph::model::{GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNodeRef, Term};
use oxigraph::store::StorageError;

/// One searchable record: a document or an event.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IndexedRecord {
    /// Its IRI.
    pub iri: String,
    /// `document` or `event`.
    pub kind: String,
    /// Title (documents) or label (events).
    pub title: String,
    /// The date as written in the store (`1965-03-02`, `1965`, …), if any.
    pub date: Option<String>,
    /// The year, for filters and the year facet.
    pub year: Option<u64>,
    /// The earliest day it may date from, as `YYYYMMDD` (`19650300` for
    /// March 1965), for the earliest documents.
    pub earliest: Option<u64>,
    /// Summary, or an event's description.
    pub summary: String,
    /// The full translated text.
    pub text: String,
    /// Source citation, archive signature and translators' names.
    pub citation: String,
    /// Names (and their variants) of everything the record names.
    pub names: String,
    /// Facets: the people named (preferred names).
    pub people: BTreeSet<String>,
    /// Facets: the places.
    pub places: BTreeSet<String>,
    /// Facets: the organisations.
    pub organisations: BTreeSet<String>,
    /// Facets: the collections it belongs to.
    pub collections: BTreeSet<String>,
    /// Facets: the holding archive.
    pub archives: BTreeSet<String>,
    /// Facets: the languages.
    pub languages: BTreeSet<String>,
}

/// Reads the documents and events of the store, handing each to `sink`, in
/// as many threads as the machine has cores (at most four; reading a
/// record is decoding its quads, and the sink, the index writer, indexes in
/// threads of its own). Returns how many records were read.
pub fn read_records(
    store: &ArchiveStore,
    sink: &(dyn Fn(IndexedRecord) -> Result<(), crate::SearchError> + Sync),
) -> Result<usize, crate::SearchError> {
    let union = GraphNameRef::NamedNode(store.union_graph().as_ref());
    let mut subjects: Vec<(NamedNode, &'static str)> = Vec::new();
    for (class, kind) in [(cg::Document, "document"), (cg::Event, "event")] {
        for quad in store.oxigraph().quads_for_pattern(
            None,
            Some(rdf::type_),
            Some(class.into()),
            Some(union),
        ) {
            if let oxigraph::model::NamedOrBlankNode::NamedNode(subject) = quad?.subject {
                subjects.push((subject, kind));
            }
        }
    }
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    let part = subjects.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let readers: Vec<_> = subjects
            .chunks(part)
            .map(|records| {
                scope.spawn(move || {
                    let reader = RecordReader::new(store);
                    for (subject, kind) in records {
                        sink(reader.record(subject, kind)?)?;
                    }
                    Ok::<_, crate::SearchError>(())
                })
            })
            .collect();
        for reader in readers {
            reader
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
        }
        Ok(subjects.len())
    })
}

/// Reads one record, by IRI, if it is a document or an event.
pub fn read_record(
    store: &ArchiveStore,
    iri: &NamedNode,
) -> Result<Option<IndexedRecord>, StorageError> {
    let reader = RecordReader::new(store);
    for (class, kind) in [(cg::Document, "document"), (cg::Event, "event")] {
        if reader.has(iri, rdf::type_, class.into())? {
            return reader.record(iri, kind).map(Some);
        }
    }
    Ok(None)
}

/// What the index needs of a named resource: its preferred name, every
/// variant, and its classes.
#[derive(Clone)]
struct Named {
    preferred: Option<String>,
    variants: Vec<String>,
    classes: Vec<Term>,
}

/// The statements about one subject: predicate and object.
struct Statements<'a>(&'a [(NamedNode, Term)]);

impl Statements<'_> {
    /// The objects of `p`.
    fn objects<'a>(&'a self, p: NamedNodeRef<'a>) -> impl Iterator<Item = &'a Term> + 'a {
        self.0
            .iter()
            .filter(move |(predicate, _)| predicate.as_ref() == p)
            .map(|(_, object)| object)
    }

    /// The literal values of `p`.
    fn texts(&self, p: NamedNodeRef<'_>) -> Vec<String> {
        self.objects(p)
            .filter_map(|t| match t {
                Term::Literal(l) => Some(l.value().to_owned()),
                _ => None,
            })
            .collect()
    }
}

/// A resource's preferred name and every variant.
fn names(statements: &Statements) -> (Option<String>, Vec<String>) {
    let preferred = statements
        .texts(schema::name)
        .into_iter()
        .chain(statements.texts(skos::prefLabel))
        .chain(statements.texts(rdfs::label))
        .next();
    let mut all = Vec::new();
    for p in [schema::name, skos::prefLabel, skos::altLabel, rdfs::label] {
        all.extend(statements.texts(p));
    }
    (preferred, all)
}

/// Reads records for the index, remembering the names of what they name
/// (shared by the threads that read).
pub struct RecordReader<'a> {
    store: &'a ArchiveStore,
    /// People, places, organisations… are named by many records: read once.
    named: std::sync::Mutex<std::collections::HashMap<NamedNode, Named>>,
}

impl<'a> RecordReader<'a> {
    /// A reader of the store's records.
    pub fn new(store: &'a ArchiveStore) -> Self {
        Self {
            store,
            named: Default::default(),
        }
    }

    /// The record `s` is, from its statements in the union graph
    /// (predicate and object) read beforehand: a document or an event by
    /// its classes, or `None`.
    pub fn stated_record(
        &self,
        s: &NamedNode,
        statements: &[(NamedNode, Term)],
    ) -> Result<Option<IndexedRecord>, StorageError> {
        let statements = Statements(statements);
        let is = |class: NamedNodeRef<'_>| {
            statements
                .objects(rdf::type_)
                .any(|c| *c == Term::from(class))
        };
        let kind = if is(cg::Document) {
            "document"
        } else if is(cg::Event) {
            "event"
        } else {
            return Ok(None);
        };
        self.record_from(s, kind, &statements).map(Some)
    }

    fn remembered(&self) -> std::sync::MutexGuard<'_, std::collections::HashMap<NamedNode, Named>> {
        self.named
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn named(&self, node: &NamedNode) -> Result<Named, StorageError> {
        if let Some(named) = self.remembered().get(node) {
            return Ok(named.clone());
        }
        let statements = self.statements(node)?;
        let statements = Statements(&statements);
        let (preferred, variants) = names(&statements);
        let named = Named {
            preferred,
            variants,
            classes: statements.objects(rdf::type_).cloned().collect(),
        };
        self.remembered().insert(node.clone(), named.clone());
        Ok(named)
    }

    fn union(&self) -> GraphNameRef<'_> {
        GraphNameRef::NamedNode(self.store.union_graph().as_ref())
    }

    fn has(&self, s: &NamedNode, p: NamedNodeRef<'_>, o: Term) -> Result<bool, StorageError> {
        Ok(self
            .store
            .oxigraph()
            .quads_for_pattern(
                Some(NamedOrBlankNodeRef::NamedNode(s.as_ref())),
                Some(p),
                Some(o.as_ref()),
                Some(self.union()),
            )
            .next()
            .transpose()?
            .is_some())
    }

    /// Every statement about `s`, read in one scan of the union graph
    /// (one seek per record, not one per property).
    fn statements(&self, s: &NamedNode) -> Result<Vec<(NamedNode, Term)>, StorageError> {
        self.store
            .oxigraph()
            .quads_for_pattern(
                Some(NamedOrBlankNodeRef::NamedNode(s.as_ref())),
                None,
                None,
                Some(self.union()),
            )
            .map(|q| q.map(|q| (q.predicate, q.object)))
            .collect()
    }

    fn record(&self, s: &NamedNode, kind: &str) -> Result<IndexedRecord, StorageError> {
        let statements = self.statements(s)?;
        self.record_from(s, kind, &Statements(&statements))
    }

    fn record_from(
        &self,
        s: &NamedNode,
        kind: &str,
        statements: &Statements<'_>,
    ) -> Result<IndexedRecord, StorageError> {
        let join = |v: Vec<String>| v.join("\n");
        let mut record = IndexedRecord {
            iri: s.as_str().to_owned(),
            kind: kind.to_owned(),
            ..IndexedRecord::default()
        };
        let date_predicate = if kind == "event" {
            sem::hasTimeStamp
        } else {
            dcterms::date
        };
        record.date = statements.texts(date_predicate).into_iter().next();
        let earliest = if kind == "event" {
            sem::hasEarliestBeginTimeStamp
        } else {
            cg::earliestDate
        };
        let earliest = statements.texts(earliest);
        record.earliest = earliest.iter().find_map(|d| day_of(d));
        record.year = record
            .date
            .clone()
            .into_iter()
            .chain(earliest)
            .find_map(|d| year_of(&d));
        if kind == "event" {
            record.title = join(statements.texts(rdfs::label));
            record.summary = join(
                statements
                    .texts(schema::description)
                    .into_iter()
                    .chain(statements.texts(dcterms::description))
                    .collect(),
            );
        } else {
            record.title = join(statements.texts(dcterms::title));
            record.summary = join(statements.texts(dcterms::abstract_));
            record.text = join(statements.texts(schema::text));
            let mut citation = statements.texts(dcterms::bibliographicCitation);
            citation.extend(statements.texts(cg::archiveSignature));
            for translator in statements.objects(schema::translator) {
                if let Term::NamedNode(t) = translator {
                    citation.extend(self.named(t)?.variants);
                }
            }
            record.citation = join(citation);
            record.languages.extend(statements.texts(dcterms::language));
        }
        let mut names = Vec::new();
        let named_predicates: &[NamedNodeRef<'_>] = &[
            schema::mentions,
            rico::hasSender,
            rico::hasReceiver,
            rico::hasCreator,
            cg::participant,
            dcterms::spatial,
            dcterms::subject,
            sem::hasActor,
            sem::hasPlace,
            dcterms::isPartOf,
            schema::holdingArchive,
        ];
        for predicate in named_predicates {
            for object in statements.objects(*predicate) {
                let Term::NamedNode(node) = object else {
                    continue;
                };
                let Named {
                    preferred,
                    variants,
                    classes,
                } = self.named(node)?;
                names.extend(variants);
                let Some(preferred) = preferred else { continue };
                let is = |class: NamedNodeRef<'_>| classes.iter().any(|c| c == &Term::from(class));
                if *predicate == dcterms::isPartOf {
                    record.collections.insert(preferred);
                } else if *predicate == schema::holdingArchive {
                    record.archives.insert(preferred);
                } else if is(cg::Person) {
                    record.people.insert(preferred);
                } else if is(cg::Place) {
                    record.places.insert(preferred);
                } else if is(cg::Organisation) {
                    record.organisations.insert(preferred);
                }
            }
        }
        record.names = join(names);
        Ok(record)
    }
}

/// The year at the start of an ISO date (`1965-03-02`, `1965-03`, `1965`).
pub fn year_of(date: &str) -> Option<u64> {
    let digits: String = date.chars().take_while(char::is_ascii_digit).collect();
    (digits.len() == 4).then(|| digits.parse().ok()).flatten()
}

/// An ISO date (`1965-03-02`, `1965-03`, `1965`) as the number `YYYYMMDD`
/// (month and day 0 when not given), which orders as the dates do.
pub fn day_of(date: &str) -> Option<u64> {
    let mut parts = date.splitn(3, '-');
    let year = year_of(parts.next()?)?;
    let mut number = |most: u64| -> Option<u64> {
        match parts.next() {
            None => Some(0),
            Some(part) => {
                let digits: String = part.chars().take_while(char::is_ascii_digit).collect();
                digits.parse().ok().filter(|n| (1..=most).contains(n))
            }
        }
    };
    let month = number(12)?;
    let day = number(31)?;
    Some(year * 10_000 + month * 100 + day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_order_as_dates() {
        assert_eq!(day_of("1965-03-02"), Some(19_650_302));
        assert_eq!(day_of("1965-03"), Some(19_650_300));
        assert_eq!(day_of("1965"), Some(19_650_000));
        assert_eq!(day_of("1965-13-01"), None);
        assert_eq!(day_of("n.d."), None);
        assert!(day_of("1964-12-31") < day_of("1965"));
    }
}
