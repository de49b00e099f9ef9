//! What the pages and VoID read from the precomputed statistics (the
//! statistics graph, see `chronograph_core::statistics`) instead of counting
//! the archive on each request: a handful of index lookups each.

use std::collections::BTreeMap;

use chronograph_core::mapping::vocab::{cg, schema};
use chronograph_core::statistics::cube::{read_cells_with, read_dataset};
use chronograph_core::statistics::{Dataset, StatKey, DATASETS};
use chronograph_core::store::ArchiveStore;
use oxigraph::model::{GraphNameRef, NamedNode, Term};
use oxigraph::store::StorageError;

fn dataset(slug: &str) -> &'static Dataset {
    DATASETS
        .iter()
        .find(|d| d.slug == slug)
        .expect("a data set of the statistics")
}

/// The cells of one data set.
pub fn cells(store: &ArchiveStore, slug: &str) -> Result<Vec<(StatKey, i64)>, StorageError> {
    read_dataset(store.oxigraph(), store.base(), dataset(slug))
}

/// Resources of a class.
pub fn class_count(store: &ArchiveStore, class: oxigraph::model::NamedNodeRef<'_>) -> i64 {
    store
        .statistic(&StatKey::ClassEntities(class.into_owned()))
        .unwrap_or(0)
}

/// Statements in the stated graphs (named graphs; the derived ones not counted).
pub fn statements(store: &ArchiveStore) -> Result<i64, StorageError> {
    Ok(cells(store, "triples-per-graph")?
        .into_iter()
        .map(|(_, n)| n)
        .sum())
}

/// People, each with their name and a count.
pub type PeopleCounts = Vec<(NamedNode, String, i64)>;

/// The `n` people with the most events, most first (then by IRI), with
/// their name and count.
pub fn people_with_most_events(
    store: &ArchiveStore,
    n: usize,
) -> Result<PeopleCounts, StorageError> {
    let mut people: Vec<(NamedNode, i64)> = cells(store, "events-per-person")?
        .into_iter()
        .filter_map(|(key, count)| match key {
            StatKey::EventsPerPerson(p) => Some((p, count)),
            _ => None,
        })
        .collect();
    people.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.as_str().cmp(b.0.as_str())));
    people.truncate(n);
    let union = GraphNameRef::NamedNode(store.union_graph().as_ref());
    let mut out = Vec::new();
    for (person, count) in people {
        let name = store
            .oxigraph()
            .quads_for_pattern(
                Some(person.as_ref().into()),
                Some(schema::name),
                None,
                Some(union),
            )
            .next()
            .transpose()?
            .and_then(|q| match q.object {
                Term::Literal(l) => Some(l.value().to_owned()),
                _ => None,
            })
            .unwrap_or_else(|| chronograph_core::query::compact_iri(person.as_str()));
        out.push((person, name, count));
    }
    Ok(out)
}

/// A person's documents per year (documents mentioning them, or sent by or
/// to them, by the year of their earliest date).
pub fn person_documents_per_year(
    store: &ArchiveStore,
    person: &NamedNode,
) -> Result<BTreeMap<i32, usize>, StorageError> {
    let cells = read_cells_with(
        store.oxigraph(),
        store.base(),
        cg::refPerson,
        person.as_ref().into(),
        &[dataset("documents-per-person-and-year")],
    )?;
    let mut per_year = BTreeMap::new();
    for (key, count) in cells {
        if let StatKey::DocumentsPerPersonAndYear(_, year) = key {
            if let (Ok(year), Ok(count)) = (i32::try_from(year), usize::try_from(count)) {
                per_year.insert(year, count);
            }
        }
    }
    Ok(per_year)
}

/// How many documents name a person (mentions, sender, recipient).
pub fn person_documents(store: &ArchiveStore, person: &NamedNode) -> i64 {
    store
        .statistic(&StatKey::DocumentsPerPerson(person.clone()))
        .unwrap_or(0)
}
