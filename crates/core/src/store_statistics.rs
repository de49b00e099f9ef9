//! The statistics graph as a whole: every statistic counted again from the
//! data and written in one transaction: after a bulk load, after an update
//! that rewrites everything (`CLEAR ALL`, `LOAD`), when a store opened for
//! writing finds them pending or missing, and by `chronograph check`. The
//! counts of classes, properties and graphs are SPARQL aggregates (scans
//! that read encoded terms, not strings); the cells of documents and events
//! are their [`crate::statistics::contribution`]s, each record's statements
//! read in one scan, in one thread per core (and handed on, so that the
//! search index is built from the same read). (SPARQL aggregates joining every
//! document with its people took over 15 minutes at a million documents.)

use std::collections::{BTreeSet, HashSet};

use oxigraph::model::{GraphNameRef, NamedNode, NamedNodeRef, Term};

use crate::derived::WriteOutcome;
use crate::mapping::vocab::{cg, rdf, sem};
use crate::query::{select_rows, QueryError, Row};
use crate::statistics::contribution::{add_contribution, StatedRecord};
use crate::statistics::cube::{self, dataset_quads, observation_quads};
use crate::statistics::packed::PackedTally;
use crate::statistics::{StatKey, Tally, DATASETS};
use crate::store::BulkOptions;
use crate::store::{ArchiveStore, StoreError};

impl ArchiveStore {
    /// Counts every statistic again from the data and replaces the
    /// statistics graph with the counts, in one transaction (which also
    /// clears the pending mark and counts as a write).
    pub fn recount_statistics(&self) -> Result<WriteOutcome, StoreError> {
        self.recount_statistics_reading(&[], &|_, _| Ok(()))
    }

    /// [`Self::recount_statistics`], handing each record the recount reads
    /// to `visit` as well: every resource of the class `cg:Document` or
    /// `sem:Event`, or of a class in `also`, with every statement about it
    /// in the union graph (predicate and object), read in one scan. One
    /// read of the archive then serves the statistics and, say, the search
    /// index. `visit` runs in the recount's threads, each record once; its
    /// error ends the recount, with nothing written.
    pub fn recount_statistics_reading(
        &self,
        also: &[NamedNodeRef<'_>],
        visit: &RecordVisit<'_>,
    ) -> Result<WriteOutcome, StoreError> {
        let started = std::time::Instant::now();
        let tally = recount(self, also, visit).map_err(|e| StoreError::Recount(Box::new(e)))?;
        let counted = started.elapsed().as_secs_f64();
        let write_count = self.write_statistics(tally.iter())?;
        tracing::info!(
            cells = tally.len(),
            counting_seconds = counted,
            seconds = started.elapsed().as_secs_f64(),
            "counted the statistics"
        );
        Ok(WriteOutcome {
            records: Vec::new(),
            write_count,
            every_record: false,
        })
    }

    /// Replaces the statistics graph with the cells of `tally`; returns the
    /// write count.
    /// At a million documents the graph holds tens of millions of
    /// statements, more than one transaction holds in bounded memory: the
    /// statistics are marked pending, the old observations removed in
    /// transactions of [`REMOVALS_PER_TRANSACTION`], the new ones written by
    /// the bulk loader, and the mark lifted with the write counted. A crash
    /// in between leaves them pending, to be counted again on the next
    /// writable open.
    fn write_statistics(
        &self,
        tally: impl Iterator<Item = (StatKey, i64)>,
    ) -> Result<u64, StoreError> {
        let base = self.base().clone();
        let graph = base.statistics_graph();
        let pending = cube::pending_quad(&base);
        let mut t = self.oxigraph().start_transaction()?;
        t.insert(&pending);
        t.commit()?;
        let kept = [cg::writeCount, cg::statisticsPending];
        let mut t = self.oxigraph().start_transaction()?;
        let mut removed = 0;
        for quad in self.oxigraph().quads_for_pattern(
            None,
            None,
            None,
            Some(GraphNameRef::NamedNode(graph.as_ref())),
        ) {
            let quad = quad?;
            if kept.contains(&quad.predicate.as_ref()) {
                continue;
            }
            t.remove(&quad);
            removed += 1;
            if removed % REMOVALS_PER_TRANSACTION == 0 {
                t.commit()?;
                t = self.oxigraph().start_transaction()?;
            }
        }
        t.commit()?;
        let quads = dataset_quads(&base)
            .into_iter()
            .chain(tally.flat_map(|(key, count)| observation_quads(&base, &key, count)));
        // The cells are all in memory meanwhile: the loader's batches stay
        // small beside them.
        let mut loader = self.bulk_loader(&BulkOptions {
            memory_mb: STATISTICS_LOADER_MEMORY_MB,
            ..BulkOptions::default()
        });
        loader.load_quads(quads)?;
        loader.commit()?;
        let mut t = self.oxigraph().start_transaction()?;
        t.remove(&pending);
        let write_count = cube::count_write(&mut t, &base)?;
        t.commit()?;
        Ok(write_count)
    }

    /// Whether the statistics must be counted again: marked pending (a bulk
    /// load or a sweeping update that did not finish), or missing from a
    /// store that holds data (one written by an older chronograph).
    pub fn statistics_need_recount(&self) -> Result<bool, StoreError> {
        let base = self.base();
        if cube::is_pending(self.oxigraph(), base)? {
            return Ok(true);
        }
        let graph = base.statistics_graph();
        let has_statistics = self
            .oxigraph()
            .quads_for_pattern(
                None,
                None,
                None,
                Some(GraphNameRef::NamedNode(graph.as_ref())),
            )
            .next()
            .transpose()?
            .is_some();
        let has_data = self
            .oxigraph()
            .quads_for_pattern(
                None,
                None,
                None,
                Some(GraphNameRef::NamedNode(self.union_graph().as_ref())),
            )
            .next()
            .transpose()?
            .is_some();
        // Statistics written by an older version lack the data sets added
        // since (their descriptions are written with the first observation).
        let described = |slug: &str| -> Result<bool, StoreError> {
            Ok(self.oxigraph().contains(oxigraph::model::QuadRef::new(
                base.statistics_iri(slug, "").as_ref(),
                crate::mapping::vocab::rdf::type_,
                crate::mapping::vocab::qb::DataSet,
                GraphNameRef::NamedNode(graph.as_ref()),
            ))?)
        };
        let older = has_statistics
            && described(DATASETS[0].slug)?
            && !DATASETS
                .iter()
                .map(|d| described(d.slug))
                .collect::<Result<Vec<_>, _>>()?
                .into_iter()
                .all(|d| d);
        Ok((!has_statistics && has_data) || older)
    }

    /// The statistics as the statistics graph states them.
    pub fn statistics(&self) -> Result<Tally, StoreError> {
        Ok(cube::read_tally(self.oxigraph(), self.base())?)
    }

    /// How many writes the store has taken (see [`cube::write_count`]).
    pub fn write_count(&self) -> Result<u64, StoreError> {
        Ok(cube::write_count(self.oxigraph(), self.base())?)
    }

    /// One count of the statistics graph: the measure of the observation of
    /// `key`, 0 when there is none.
    pub fn statistic(&self, key: &StatKey) -> Result<i64, StoreError> {
        Ok(cube::cell_count(self.oxigraph(), self.base(), key)?)
    }

    /// Compares the statistics graph with a recount from the data; with
    /// `repair`, replaces it with the recount where they differ. Returns how
    /// many cells differed.
    pub fn check_statistics(&self, repair: bool) -> Result<usize, StoreError> {
        let counted = recount(self, &[], &|_, _| Ok(()))
            .map_err(|e| StoreError::Recount(Box::new(e)))?
            .into_tally();
        let stated = self.statistics()?;
        let differing = counted
            .iter()
            .filter(|(k, v)| stated.get(*k) != Some(*v))
            .count()
            + stated.keys().filter(|k| !counted.contains_key(*k)).count();
        if repair && differing > 0 {
            self.write_statistics(counted.into_iter())?;
        }
        Ok(differing)
    }

    /// Counts the statistics again if they are pending or missing (see
    /// [`Self::statistics_need_recount`]); returns whether it did.
    pub fn recount_statistics_if_needed(&self) -> Result<bool, StoreError> {
        if !self.statistics_need_recount()? {
            return Ok(false);
        }
        tracing::warn!("the statistics are missing or were left pending: counting them again");
        self.recount_statistics()?;
        Ok(true)
    }
}

/// Old observations removed per transaction when the statistics are written
/// whole.
const REMOVALS_PER_TRANSACTION: usize = 100_000;

/// One recount query: its text and how a row becomes a cell.
struct Count {
    query: String,
    cell: fn(&Row) -> Option<StatKey>,
}

fn node(row: &Row, name: &str) -> Option<NamedNode> {
    match row.get(name) {
        Some(Term::NamedNode(n)) => Some(n.clone()),
        _ => None,
    }
}

fn number(row: &Row, name: &str) -> Option<i64> {
    match row.get(name) {
        Some(Term::Literal(l)) => l
            .value()
            .parse::<i64>()
            .ok()
            .or_else(|| l.value().parse::<f64>().ok().map(|f| f as i64)),
        _ => None,
    }
}

fn counts() -> Vec<Count> {
    vec![
        Count {
            query: "SELECT ?k (COUNT(*) AS ?n) WHERE { ?s a ?k FILTER(isIRI(?k)) } GROUP BY ?k"
                .into(),
            cell: |r| node(r, "k").map(StatKey::ClassEntities),
        },
        Count {
            query: "SELECT ?k (COUNT(*) AS ?n) WHERE { ?s ?k ?o } GROUP BY ?k".into(),
            cell: |r| node(r, "k").map(StatKey::PropertyTriples),
        },
    ]
}

/// Why a recount failed.
#[derive(Debug, thiserror::Error)]
enum RecountError {
    #[error(transparent)]
    Query(#[from] QueryError),
    #[error(transparent)]
    Storage(#[from] oxigraph::store::StorageError),
    /// The visitor of the records failed.
    #[error(transparent)]
    Visit(VisitError),
}

/// Why a visitor of the recount's records failed.
pub type VisitError = Box<dyn std::error::Error + Send + Sync>;

/// What [`ArchiveStore::recount_statistics_reading`] hands each record to:
/// its IRI and its statements in the union graph (predicate and object).
pub type RecordVisit<'a> =
    dyn Fn(&NamedNode, &[(NamedNode, Term)]) -> Result<(), VisitError> + Sync + 'a;

fn recount(
    store: &ArchiveStore,
    also: &[NamedNodeRef<'_>],
    visit: &RecordVisit<'_>,
) -> Result<PackedTally, RecountError> {
    // The scans and the records side by side: each scan is one thread of
    // SPARQL evaluation, the records take a thread per core.
    let (scans, records) = std::thread::scope(|scope| {
        let scans: Vec<_> = counts()
            .into_iter()
            .map(|count| scope.spawn(move || timed("scan", || count_cells(store, &count))))
            .chain(std::iter::once(
                scope.spawn(move || timed("graphs", || graph_cells(store))),
            ))
            .collect();
        let records = timed("records", || record_cells(store, also, visit));
        let scans: Vec<_> = scans
            .into_iter()
            .map(|s| {
                s.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect();
        (scans, records)
    });
    // The records' tally, the largest, takes the others' cells.
    let mut tally = records?;
    for cells in scans {
        tally.add_tally(cells?);
    }
    tally.retain_positive();
    tally.derive_pair_rankings();
    Ok(tally)
}

/// Runs one part of the recount, logging its time (at debug level).
fn timed<T>(part: &str, count: impl FnOnce() -> T) -> T {
    let started = std::time::Instant::now();
    let counted = count();
    tracing::debug!(
        part,
        seconds = started.elapsed().as_secs_f64(),
        "counted a part of the statistics"
    );
    counted
}

/// The cells one SPARQL aggregate counts.
fn count_cells(store: &ArchiveStore, count: &Count) -> Result<Tally, RecountError> {
    let mut tally = Tally::new();
    for row in select_rows(store, &count.query)? {
        let Some(key) = (count.cell)(&row) else {
            continue;
        };
        let n = number(&row, "n").unwrap_or(0);
        if n > 0 {
            *tally.entry(key).or_insert(0) += n;
        }
    }
    Ok(tally)
}

/// The statements of each stated named graph, graph by graph (the derived
/// union and statistics graphs, as large as the rest together, not read).
fn graph_cells(store: &ArchiveStore) -> Result<Tally, RecountError> {
    let derived = [store.union_graph().clone(), store.base().statistics_graph()];
    let mut tally = Tally::new();
    for graph in store.oxigraph().named_graphs() {
        let oxigraph::model::NamedOrBlankNode::NamedNode(graph) = graph? else {
            continue;
        };
        if derived.contains(&graph) {
            continue;
        }
        let query = format!(
            "SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{}> {{ ?s ?p ?o }} }}",
            graph.as_str()
        );
        let n = select_rows(store, &query)?
            .first()
            .and_then(|row| number(row, "n"))
            .unwrap_or(0);
        if n > 0 {
            tally.insert(StatKey::GraphTriples(graph), n);
        }
    }
    Ok(tally)
}

/// The cells of every document and event, each record's contribution
/// counted from its statements in the union graph, read in one scan per
/// record (and handed to `visit`), the records shared among one thread per
/// core (at most four).
fn record_cells(
    store: &ArchiveStore,
    also: &[NamedNodeRef<'_>],
    visit: &RecordVisit<'_>,
) -> Result<PackedTally, RecountError> {
    let union = GraphNameRef::NamedNode(store.union_graph().as_ref());
    let subjects_of = |class: NamedNodeRef<'_>, into: &mut BTreeSet<NamedNode>| {
        for quad in store.oxigraph().quads_for_pattern(
            None,
            Some(rdf::type_),
            Some(class.into()),
            Some(union),
        ) {
            if let oxigraph::model::NamedOrBlankNode::NamedNode(subject) = quad?.subject {
                into.insert(subject);
            }
        }
        Ok::<_, oxigraph::store::StorageError>(())
    };
    let mut records = BTreeSet::new();
    for class in [cg::Document, sem::Event].iter().chain(also) {
        subjects_of(*class, &mut records)?;
    }
    let records: Vec<NamedNode> = records.into_iter().collect();
    // The people, known once rather than looked up for every mention.
    let mut people = BTreeSet::new();
    subjects_of(cg::Person, &mut people)?;
    let people: HashSet<NamedNode> = people.into_iter().collect();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    let chunk = records.len().div_ceil(threads).max(1);
    // One tally for all, packed: each worker adds what it counted every
    // MERGE_EVERY records, so that memory holds the cells once (3.4
    // million of them at a million documents), not once per worker.
    let all = std::sync::Mutex::new(PackedTally::new());
    let merge = |part: Tally| {
        all.lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .add_tally(part);
    };
    let count_part = |part: &[NamedNode]| -> Result<(), RecountError> {
        let mut statements = Vec::new();
        for some in part.chunks(MERGE_EVERY) {
            let mut tally = Tally::new();
            for record in some {
                statements.clear();
                for quad in store.oxigraph().quads_for_pattern(
                    Some(record.as_ref().into()),
                    None,
                    None,
                    Some(union),
                ) {
                    let quad = quad?;
                    statements.push((quad.predicate, quad.object));
                }
                let stated = StatedRecord {
                    statements: &statements,
                    is_person: |node: &NamedNode| people.contains(node),
                };
                add_contribution(&stated, 1, &mut tally)?;
                visit(record, &statements).map_err(RecountError::Visit)?;
            }
            merge(tally);
        }
        Ok(())
    };
    std::thread::scope(|scope| {
        let workers: Vec<_> = records
            .chunks(chunk)
            .map(|part| {
                let count_part = &count_part;
                scope.spawn(move || count_part(part))
            })
            .collect();
        workers
            .into_iter()
            .map(|w| {
                w.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect::<Result<Vec<_>, _>>()
    })?;
    Ok(all
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner))
}

/// The memory of the loader that writes the statistics graph, in megabytes
/// (a quarter of a bulk load's: at a million documents the 3.4 million
/// cells it writes take more).
const STATISTICS_LOADER_MEMORY_MB: usize = 64;

/// Records a worker counts before adding them to the shared tally.
const MERGE_EVERY: usize = 5_000;
