//! The on-disk Oxigraph store: one named graph per source, provenance in a
//! metadata graph, the ontology in its own graph, each write in a transaction.
//!
//! The store also keeps a **union graph** (`{base}graph/union`): the merge of
//! every other graph with set semantics, maintained on every write. SPARQL
//! queries use it as their default graph, so a statement made by ten sources
//! (a person's name, say) is one triple there, not ten; Oxigraph's own
//! "union default graph" would repeat it once per graph.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{
    GraphNameRef, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term,
};
use oxigraph::store::{BulkLoader, StorageError, Store, Transaction};
use thiserror::Error;

use crate::derived::{QuadChanges, WriteOutcome};
use crate::mapping::iri::Base;
use crate::mapping::vocab::{cg, prov, rdf, rdfs, schema, xsd};
use crate::store_lock::StoreLock;

/// The ontology shipped with chronograph (`ontology/chronograph.ttl`).
pub const ONTOLOGY_TTL: &str = include_str!("../../../ontology/chronograph.ttl");
/// The ontology's IRI, also the name of the graph it is loaded into.
pub const ONTOLOGY_GRAPH: &str = "https://w3id.org/chronograph/ontology";
/// The IRI standing for chronograph as a software agent in provenance.
pub const SOFTWARE_AGENT: &str = "https://crates.io/crates/chronograph";

/// What can go wrong with the store.
#[derive(Debug, Error)]
pub enum StoreError {
    /// RocksDB or Oxigraph failed.
    #[error("store error: {0}")]
    Storage(#[from] StorageError),
    /// A write named the union graph, which is derived.
    #[error(transparent)]
    UnionWrite(#[from] crate::union_upkeep::UnionWrite),
    /// Another process holds the store (see [`crate::store_lock`]).
    #[error(transparent)]
    Locked(#[from] crate::store_lock::LockError),
    /// The store folder could not be opened.
    #[error("cannot open store at {path}: {source}")]
    Open {
        /// The folder.
        path: String,
        /// Why.
        source: StorageError,
    },
    /// A SPARQL update does not parse.
    #[error("SPARQL update syntax error: {0}")]
    UpdateSyntax(#[source] oxigraph::sparql::SparqlSyntaxError),
    /// A SPARQL update failed while running.
    #[error("SPARQL update failed: {0}")]
    Update(#[from] oxigraph::sparql::UpdateEvaluationError),
    /// Counting the quads failed.
    #[error("counting the store's quads failed: {0}")]
    Count(#[from] oxigraph::sparql::QueryEvaluationError),
    /// A bulk load finished inside a source graph (a defect of the caller).
    #[error("the bulk load finished inside source graph <{0}>: its step was not committed")]
    UnendedSource(String),
    /// Counting the statistics again failed (a query error).
    #[error("counting the statistics failed: {0}")]
    Recount(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// The embedded ontology does not parse (a build defect).
    #[error("the embedded ontology does not parse: {0}")]
    Ontology(#[from] oxigraph::io::RdfSyntaxError),
}

/// How many bulk-loader batches a load may ingest and still leave the store
/// uncompacted (a small bulk load into a large store thus does not rewrite
/// the whole store). Each batch adds
/// one sorted file spanning its whole key range to every index (RocksDB column
/// family) it touches, and until such files are merged every lookup searches
/// each of them: at 1,000,000 documents, 240 files per index made an export
/// read 200 KB/s. Four is RocksDB's own trigger for merging a column family's
/// newest level (its `level0_file_num_compaction_trigger` default), which a
/// store opened read-only, as `serve` and `export` open it, never does.
pub const BATCHES_LEFT_UNCOMPACTED: usize = 4;

/// Where a source graph came from, written as PROV-O in the metadata graph.
#[derive(Debug, Clone)]
pub struct Provenance {
    /// The path as given to `load` (or the URL harvested).
    pub source_path: String,
    /// A dereferenceable IRI for the source (`file:` or `http(s):`), when there is one.
    pub source_iri: Option<NamedNode>,
    /// SHA-256 of the source's bytes.
    pub sha256: Option<String>,
    /// When it was loaded (xsd:dateTime lexical form).
    pub loaded_at: String,
    /// Records it produced.
    pub record_count: usize,
    /// For a harvested page: the HTTP retrieval it came from.
    pub retrieval: Option<Retrieval>,
}

/// The HTTP retrieval of a harvested page, written as a `prov:Activity`.
#[derive(Debug, Clone)]
pub struct Retrieval {
    /// The URL requested (the final URL is the provenance's `source_iri`).
    pub requested: Option<NamedNode>,
    /// When the response arrived (xsd:dateTime lexical form).
    pub fetched_at: String,
}

/// The quads of one source, to replace its named graph.
#[derive(Debug, Clone)]
pub struct SourceGraph {
    /// The graph's name.
    pub graph: NamedNode,
    /// Its quads (all in `graph`).
    pub quads: Vec<Quad>,
    /// Where it came from.
    pub provenance: Provenance,
}

/// Quads removed per transaction by [`ArchiveStore::remove_source_in_steps`].
pub const REMOVAL_STEP: usize = 50_000;

/// Settings of Oxigraph's bulk loader.
#[derive(Debug, Clone)]
pub struct BulkOptions {
    /// Threads building the loader's sorted files.
    pub threads: usize,
    /// A rough bound on the memory the loader's batches take (RocksDB's own not counted).
    pub memory_mb: usize,
    /// The quads of whole source graphs committed in one atomic step: a step
    /// is committed when the graphs ended in it hold this many quads or more
    /// (1: each graph on its own). Each commit ingests the step's sorted files
    /// into the store, where RocksDB then merges them with everything ingested
    /// before: the fewer the steps, the less a large load rewrites.
    pub step_quads: usize,
}

impl Default for BulkOptions {
    fn default() -> Self {
        Self {
            threads: std::thread::available_parallelism().map_or(1, std::num::NonZero::get),
            memory_mb: DEFAULT_BULK_MEMORY_MB,
            step_quads: DEFAULT_STEP_QUADS,
        }
    }
}

/// The default of [`BulkOptions::memory_mb`]: 128,000 quads a batch on two
/// cores (a 1,000,000-document load peaked at 1659 MiB with it; 128 made
/// twice the files for RocksDB to merge).
pub const DEFAULT_BULK_MEMORY_MB: usize = 256;

/// The default of [`BulkOptions::step_quads`]: a million documents (55 million
/// quads) are one step.
pub const DEFAULT_STEP_QUADS: usize = 100_000_000;

impl BulkOptions {
    /// Quads in one of the loader's batches: Oxigraph's own rule (a thousand
    /// quads a megabyte, shared among the threads), which the writer follows so
    /// that it hands over whole batches.
    fn batch_quads(&self) -> usize {
        (self.memory_mb.max(16) * 1000 / self.threads.max(1)).max(1)
    }
}

/// Writes source graphs through Oxigraph's bulk loader (see
/// [`ArchiveStore::bulk_writer`]), one after the other: each is opened with
/// [`begin_source`](Self::begin_source), given its quads in parts with
/// [`add`](Self::add) and closed with [`end_source`](Self::end_source), which
/// adds its provenance. The loader's work is committed in atomic steps of whole
/// source graphs (see [`BulkOptions::step_quads`]), and [`finish`](Self::finish)
/// commits the last; a load killed at any moment thus leaves each source graph
/// whole or absent. The quads given must be distinct (the caller drops the
/// duplicates, with a [`SeenQuads`] per graph): they are counted as given.
#[must_use]
pub struct BulkWriter<'a> {
    store: &'a ArchiveStore,
    options: BulkOptions,
    /// The loader of the current step (none between steps).
    loader: Option<BulkLoader<'a>>,
    /// The source graph being written.
    graph: Option<NamedNode>,
    /// The current source graph's quads so far.
    quad_count: usize,
    /// Quads not yet handed to the loader: it gets whole batches, since each
    /// batch it is given becomes one more file in every index.
    pending: Vec<Quad>,
    batch_quads: usize,
    /// Distinct quads of the source graphs ended in the current step.
    step_quads: usize,
    /// Whether the statistics are marked as waiting for the recount that
    /// [`finish`](BulkWriter::finish) makes.
    marked_pending: bool,
}

/// Deletes the sorted files (`bulk-*.sst`) that Oxigraph's bulk loader writes
/// in the store's folder and moves into the store when it commits: any still
/// there belong to a load that was killed before its commit. Only for a folder
/// this process holds open for writing (RocksDB's lock keeps out any other
/// writer). Returns how many were deleted.
pub fn remove_unused_bulk_files(folder: &Path) -> std::io::Result<usize> {
    let mut removed = 0;
    for entry in std::fs::read_dir(folder)? {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("bulk-") && name.ends_with(".sst") && entry.file_type()?.is_file() {
            std::fs::remove_file(entry.path())?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// A quad with its 128-bit hash (XXH3-128 of the bytes its `Hash` writes):
/// the hash is taken where the quad is made, on the mapping's threads, so
/// that the one thread that tells new quads from duplicates only looks it up.
#[derive(Debug, Clone)]
pub struct HashedQuad {
    /// The quad's hash.
    pub hash: u128,
    /// The quad.
    pub quad: Quad,
}

impl HashedQuad {
    /// Hashes the quad.
    pub fn new(quad: Quad) -> Self {
        thread_local! {
            static BYTES: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        let hash = BYTES.with_borrow_mut(|bytes| {
            bytes.clear();
            quad.hash(&mut ByteWriter(bytes));
            xxhash_rust::xxh3::xxh3_128(bytes)
        });
        Self { hash, quad }
    }
}

/// Collects the bytes a `Hash` implementation writes (hashed at once
/// afterwards: much faster than a streaming hasher fed a piece at a time).
struct ByteWriter<'a>(&'a mut Vec<u8>);

impl Hasher for ByteWriter<'_> {
    fn finish(&self) -> u64 {
        // Never asked: the bytes are hashed by the caller.
        0
    }

    fn write(&mut self, bytes: &[u8]) {
        self.0.extend_from_slice(bytes);
    }
}

/// The quads seen so far, as 128-bit hashes (16 bytes a quad; XXH3-128, a
/// collision among a billion quads has odds of about 1 in 10^20): tells a quad
/// seen before from a new one without keeping the quads.
#[derive(Default)]
pub struct SeenQuads {
    hashes: HashSet<u128, BuildHasherDefault<PreHashed>>,
}

impl SeenQuads {
    /// Records the quad (by its hash); whether it was new.
    pub fn insert(&mut self, quad: &HashedQuad) -> bool {
        self.hashes.insert(quad.hash)
    }

    /// Distinct quads seen.
    pub fn len(&self) -> usize {
        self.hashes.len()
    }

    /// Whether none was seen.
    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty()
    }
}

/// The hasher of a set of values that are hashes already: their low 64 bits.
#[derive(Default)]
pub(crate) struct PreHashed(u64);

impl Hasher for PreHashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only hashes are put in: fold any other input in, to stay correct.
        for chunk in bytes.chunks(8) {
            let mut word = [0; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = self.0.rotate_left(5) ^ u64::from_le_bytes(word);
        }
    }

    fn write_u128(&mut self, value: u128) {
        // The low half of an XXH3-128 hash (truncation intended).
        self.0 = value as u64;
    }
}

impl BulkWriter<'_> {
    /// Starts a source graph (ending none: call [`end_source`](Self::end_source)
    /// first). A graph of the same name already in the store is removed first,
    /// in steps (see [`ArchiveStore::remove_source_in_steps`]).
    pub fn begin_source(&mut self, graph: &NamedNode) -> Result<(), StoreError> {
        if !self.marked_pending {
            self.store.mark_statistics_pending()?;
            self.marked_pending = true;
        }
        if self.store.has_graph(graph)? || self.store.source_sha256(graph)?.is_some() {
            self.store.remove_source_in_steps(graph)?;
        }
        self.graph = Some(graph.clone());
        self.quad_count = 0;
        Ok(())
    }

    /// Adds quads of the current source graph, none of them given before
    /// (each also goes into the union graph). The quads' own graph is kept: it
    /// must be the source graph's.
    pub fn add(&mut self, quads: Vec<Quad>) -> Result<(), StoreError> {
        self.quad_count += quads.len();
        self.pending.reserve(2 * quads.len());
        for quad in quads {
            self.pending.push(self.store.union_copy(&quad));
            self.pending.push(quad);
        }
        self.hand_over(false)
    }

    /// Hands the pending quads to the loader in whole batches, and with `all`
    /// the last, partial one too. The pending buffer keeps its room.
    fn hand_over(&mut self, all: bool) -> Result<(), StoreError> {
        while self.pending.len() >= self.batch_quads || (all && !self.pending.is_empty()) {
            let batch = self.pending.len().min(self.batch_quads);
            let loader = match &mut self.loader {
                Some(loader) => loader,
                None => self.loader.insert(self.store.bulk_loader(&self.options)),
            };
            loader.load_quads(self.pending.drain(..batch))?;
            self.store.bulk_batches.fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    }

    /// Whether a source graph is begun and not ended.
    pub fn in_source(&self) -> bool {
        self.graph.is_some()
    }

    /// Quads added so far to the current source graph.
    pub fn quad_count(&self) -> usize {
        self.quad_count
    }

    /// Ends the current source graph with its provenance, which is committed
    /// with it; commits the step when it holds [`BulkOptions::step_quads`]
    /// quads. Returns the number of quads in the graph (0, writing nothing,
    /// when no source graph is begun).
    pub fn end_source(&mut self, provenance: &Provenance) -> Result<usize, StoreError> {
        let Some(graph) = self.graph.take() else {
            return Ok(0);
        };
        let quad_count = std::mem::take(&mut self.quad_count);
        let metadata = self.store.base.metadata_graph();
        let activity = NamedNode::new_unchecked(format!("{}#load", graph.as_str()));
        let quads = provenance_quads(&graph, provenance, quad_count, &activity, &metadata);
        let copies: Vec<Quad> = quads.iter().map(|q| self.store.union_copy(q)).collect();
        self.pending.extend(quads.into_iter().chain(copies));
        self.step_quads += quad_count;
        if self.step_quads >= self.options.step_quads.max(1) {
            self.commit_step()?;
        }
        Ok(quad_count)
    }

    /// Commits what the loader holds: the source graphs ended since the last
    /// step, in one atomic ingestion.
    fn commit_step(&mut self) -> Result<(), StoreError> {
        self.hand_over(true)?;
        if let Some(loader) = self.loader.take() {
            loader.commit()?;
            tracing::info!(quads = self.step_quads, "committed a bulk-load step");
        }
        self.step_quads = 0;
        Ok(())
    }

    /// Commits the source graphs not committed yet. With a source graph begun
    /// and not ended, nothing of the step is committed (its quads may be in the
    /// loader's batches already): an error.
    pub fn finish(mut self) -> Result<(), StoreError> {
        if let Some(graph) = self.graph.take() {
            return Err(StoreError::UnendedSource(graph.into_string()));
        }
        self.commit_step()
    }

    /// Whether this writer marked the statistics as waiting for a recount
    /// (it did if it began any source): the caller counts them once
    /// [`finish`](Self::finish) has committed (`recount_statistics`).
    pub fn statistics_pending(&self) -> bool {
        self.marked_pending
    }
}

/// chronograph's view of an Oxigraph store.
#[derive(Clone)]
pub struct ArchiveStore {
    store: Store,
    base: Base,
    union: NamedNode,
    statistics: NamedNode,
    /// Batches handed to the bulk loader through this handle (and its clones).
    bulk_batches: Arc<AtomicUsize>,
    /// The folder's lock, held while any clone of this handle lives.
    _lock: Option<Arc<StoreLock>>,
}

impl ArchiveStore {
    fn wrap(store: Store, base: Base, lock: Option<StoreLock>) -> Self {
        let union = base.union_graph();
        let statistics = base.statistics_graph();
        Self {
            store,
            base,
            union,
            statistics,
            bulk_batches: Arc::default(),
            _lock: lock.map(Arc::new),
        }
    }

    /// Opens (or creates) the store in a folder for writing, and deletes the
    /// sorted files a killed bulk load left there unused (see
    /// [`remove_unused_bulk_files`]). Refused ([`StoreError::Locked`]) while
    /// another handle, in this process or another, has the store open.
    pub fn open(path: &Path, base: Base) -> Result<Self, StoreError> {
        let lock = StoreLock::exclusive(path)?;
        let store = Store::open(path).map_err(|source| StoreError::Open {
            path: path.display().to_string(),
            source,
        })?;
        // Opening for writing locks the folder: no other loader is at work.
        match remove_unused_bulk_files(path) {
            Ok(0) => {}
            Ok(files) => tracing::warn!(
                files,
                store = %path.display(),
                "deleted the sorted files of an interrupted bulk load"
            ),
            Err(error) => tracing::warn!(
                %error,
                store = %path.display(),
                "could not delete the sorted files of an interrupted bulk load"
            ),
        }
        Ok(Self::wrap(store, base, Some(lock)))
    }

    /// Opens a store read-only (several readers may share it); refused
    /// ([`StoreError::Locked`]) while a writer has it open.
    pub fn open_read_only(path: &Path, base: Base) -> Result<Self, StoreError> {
        let lock = StoreLock::shared(path)?;
        let store = Store::open_read_only(path).map_err(|source| StoreError::Open {
            path: path.display().to_string(),
            source,
        })?;
        Ok(Self::wrap(store, base, lock))
    }

    /// An in-memory store (tests, dry runs).
    pub fn in_memory(base: Base) -> Result<Self, StoreError> {
        Ok(Self::wrap(Store::new()?, base, None))
    }

    /// The underlying Oxigraph store.
    pub fn oxigraph(&self) -> &Store {
        &self.store
    }

    /// Compacts every index into sorted, non-overlapping files. A bulk load
    /// ingests its sorted files as they come, each spanning the whole key
    /// range, and a store opened read-only never compacts them: every lookup
    /// then searches each of them (at 1,000,000 documents, 240 files per index
    /// made an export read 200 KB/s). Needs a writable store.
    pub fn optimize(&self) -> Result<(), StoreError> {
        Ok(self.store.optimize()?)
    }

    /// Batches handed to the bulk loader so far through this store handle
    /// and its clones (a load compares it before and after with
    /// [`BATCHES_LEFT_UNCOMPACTED`]).
    pub fn bulk_batches(&self) -> usize {
        self.bulk_batches.load(Ordering::Relaxed)
    }

    /// The base IRI resources are minted under.
    pub fn base(&self) -> &Base {
        &self.base
    }

    /// The union graph's name.
    pub fn union_graph(&self) -> &NamedNode {
        &self.union
    }

    /// Number of quads in the stored graphs (the derived union and
    /// statistics graphs not counted).
    pub fn quad_count(&self) -> Result<usize, StoreError> {
        // The counts read keys only: no term is decoded (iterating quads
        // would look up every string, an hour at a million documents).
        let mut derived = 0;
        for graph in [self.union.clone(), self.base.statistics_graph()] {
            let query = format!(
                "SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{}> {{ ?s ?p ?o }} }}",
                graph.as_str()
            );
            let results = oxigraph::sparql::SparqlEvaluator::new()
                .parse_query(&query)
                .expect("the count query parses")
                .on_store(&self.store)
                .execute()?;
            derived += match results {
                oxigraph::sparql::QueryResults::Solutions(mut solutions) => solutions
                    .next()
                    .transpose()?
                    .and_then(|row| match row.get("n") {
                        Some(Term::Literal(l)) => l.value().parse::<usize>().ok(),
                        _ => None,
                    })
                    .unwrap_or(0),
                _ => 0,
            };
        }
        Ok(self.store.len()? - derived)
    }

    /// (Re)loads the ontology into its own graph, in one transaction.
    pub fn load_ontology(&self) -> Result<usize, StoreError> {
        let graph = NamedNode::new_unchecked(ONTOLOGY_GRAPH);
        let quads: Vec<Quad> = RdfParser::from_format(RdfFormat::Turtle)
            .with_base_iri(ONTOLOGY_GRAPH)
            .expect("the ontology graph IRI is valid")
            .without_named_graphs()
            .with_default_graph(graph.clone())
            .for_slice(ONTOLOGY_TTL.as_bytes())
            .collect::<Result<_, _>>()?;
        let mut t = self.store.start_transaction()?;
        let changes = self.replace_graph(&mut t, &graph, &quads)?;
        self.keep_derived(&mut t, &changes)?;
        t.commit()?;
        Ok(quads.len())
    }

    /// Replaces each source's graph and its provenance, all in one transaction:
    /// either every source is replaced or the store is left as it was.
    /// Returns what changed, for the search index.
    pub fn replace_sources(&self, sources: &[SourceGraph]) -> Result<WriteOutcome, StoreError> {
        let mut t = self.store.start_transaction()?;
        let mut changes = QuadChanges::default();
        for source in sources {
            changes.extend(self.replace_graph(&mut t, &source.graph, &source.quads)?);
            changes.extend(self.replace_provenance(&mut t, source)?);
        }
        let outcome = self.keep_derived(&mut t, &changes)?;
        t.commit()?;
        Ok(outcome)
    }

    /// Replaces a graph's content (the derived graphs are the caller's to
    /// keep in step, with the changes returned).
    fn replace_graph(
        &self,
        t: &mut Transaction<'_>,
        graph: &NamedNode,
        quads: &[Quad],
    ) -> Result<QuadChanges, StoreError> {
        let old: HashSet<Quad> = t
            .quads_for_pattern(None, None, None, Some(graph.into()))
            .collect::<Result<_, _>>()?;
        let new: HashSet<Quad> = quads.iter().cloned().collect();
        let changes = QuadChanges::between(&old, &new);
        for quad in &changes.removed {
            t.remove(quad);
        }
        for quad in &changes.added {
            t.insert(quad);
        }
        Ok(changes)
    }

    fn replace_provenance(
        &self,
        t: &mut Transaction<'_>,
        source: &SourceGraph,
    ) -> Result<QuadChanges, StoreError> {
        let metadata = self.base.metadata_graph();
        let (activity, mut changes) = self.remove_provenance(t, &source.graph)?;
        let provenance = provenance_quads(
            &source.graph,
            &source.provenance,
            source.quads.len(),
            &activity,
            &metadata,
        );
        let mut removed: HashSet<Quad> = changes.removed.drain(..).collect();
        for quad in provenance.into_iter().collect::<HashSet<Quad>>() {
            if removed.remove(&quad) {
                // Removed and stated again: no change.
                t.insert(&quad);
            } else if !t.contains(&quad)? {
                t.insert(&quad);
                changes.added.push(quad);
            }
        }
        changes.removed.extend(removed);
        Ok(changes)
    }

    /// Removes what the metadata graph says about a source graph and returns
    /// the IRI of its load activity and the quads removed.
    fn remove_provenance(
        &self,
        t: &mut Transaction<'_>,
        graph: &NamedNode,
    ) -> Result<(NamedNode, QuadChanges), StoreError> {
        let metadata = self.base.metadata_graph();
        let activity = NamedNode::new_unchecked(format!("{}#load", graph.as_str()));
        let retrieval = NamedNode::new_unchecked(format!("{}#retrieval", graph.as_str()));
        let stale: Vec<Quad> = [graph, &activity, &retrieval]
            .into_iter()
            .flat_map(|s| t.quads_for_pattern(Some(s.into()), None, None, Some((&metadata).into())))
            .collect::<Result<_, _>>()?;
        for quad in &stale {
            t.remove(quad);
        }
        let changes = QuadChanges {
            added: Vec::new(),
            removed: stale
                .into_iter()
                .collect::<HashSet<_>>()
                .into_iter()
                .collect(),
        };
        Ok((activity, changes))
    }

    /// Whether a graph holds any quad.
    pub fn has_graph(&self, graph: &NamedNode) -> Result<bool, StoreError> {
        Ok(self
            .store
            .quads_for_pattern(None, None, None, Some(graph.into()))
            .next()
            .transpose()?
            .is_some())
    }

    /// Removes a source graph and its provenance in steps of at most
    /// [`REMOVAL_STEP`] quads, each step its own transaction, keeping the union
    /// graph in step: for graphs too large to remove in one transaction. The
    /// provenance goes first, so a removal that is interrupted leaves a graph
    /// without provenance, which [`remove_incomplete_sources`](Self::remove_incomplete_sources)
    /// finishes removing. Returns the number of quads removed from the graph.
    pub fn remove_source_in_steps(&self, graph: &NamedNode) -> Result<usize, StoreError> {
        let mut t = self.store.start_transaction()?;
        let (_, changes) = self.remove_provenance(&mut t, graph)?;
        self.keep_derived(&mut t, &changes)?;
        t.commit()?;
        let mut removed = 0;
        loop {
            let step: Vec<Quad> = self
                .store
                .quads_for_pattern(None, None, None, Some(graph.into()))
                .take(REMOVAL_STEP)
                .collect::<Result<_, _>>()?;
            if step.is_empty() {
                return Ok(removed);
            }
            let mut t = self.store.start_transaction()?;
            for quad in &step {
                t.remove(quad);
            }
            removed += step.len();
            let changes = QuadChanges {
                added: Vec::new(),
                removed: step,
            };
            self.keep_derived(&mut t, &changes)?;
            t.commit()?;
        }
    }

    /// Removes the source graphs that the metadata graph does not describe: the
    /// leftovers of a bulk replacement that was interrupted (a bulk load itself
    /// is atomic). Returns their names.
    pub fn remove_incomplete_sources(&self) -> Result<Vec<NamedNode>, StoreError> {
        let prefix = self.base.source_graph("");
        let described: HashSet<NamedNode> = self.source_graphs()?.into_iter().collect();
        let mut incomplete = Vec::new();
        for graph in self.store.named_graphs() {
            if let NamedOrBlankNode::NamedNode(graph) = graph? {
                if graph.as_str().starts_with(prefix.as_str()) && !described.contains(&graph) {
                    incomplete.push(graph);
                }
            }
        }
        for graph in &incomplete {
            let removed = self.remove_source_in_steps(graph)?;
            tracing::warn!(%graph, removed, "removed an incomplete source graph");
        }
        Ok(incomplete)
    }

    /// A writer of source graphs through Oxigraph's bulk loader, for loads
    /// too large for transactions (see [`BulkWriter`]).
    pub fn bulk_writer(&self, options: &BulkOptions) -> BulkWriter<'_> {
        BulkWriter {
            store: self,
            options: options.clone(),
            loader: None,
            graph: None,
            quad_count: 0,
            pending: Vec::new(),
            batch_quads: options.batch_quads(),
            step_quads: 0,
            marked_pending: false,
        }
    }

    /// A bulk loader with the options' threads and memory.
    pub(crate) fn bulk_loader(&self, options: &BulkOptions) -> BulkLoader<'_> {
        self.store
            .bulk_loader()
            .with_num_threads(options.threads.max(1))
            .with_max_memory_size_in_megabytes(options.memory_mb.max(16))
    }

    /// Marks the statistics as waiting for a recount (before a bulk load,
    /// whose steps are not transactions that could keep them in step).
    fn mark_statistics_pending(&self) -> Result<(), StoreError> {
        let mut t = self.store.start_transaction()?;
        t.insert(&crate::statistics::cube::pending_quad(&self.base));
        crate::statistics::cube::count_write(&mut t, &self.base)?;
        t.commit()?;
        Ok(())
    }

    /// The derived graphs (union and statistics).
    pub fn derived_graphs(&self) -> crate::derived::DerivedGraphs {
        crate::derived::DerivedGraphs::new(&self.base)
    }

    /// Whether a graph is derived (the union or the statistics graph).
    pub fn is_derived_graph(&self, graph: &NamedNode) -> bool {
        *graph == self.union || *graph == self.statistics
    }

    /// Brings the derived graphs in step with `changes` (already applied in
    /// `t`) and counts the write (see [`crate::derived`]).
    pub(crate) fn keep_derived(
        &self,
        t: &mut Transaction<'_>,
        changes: &QuadChanges,
    ) -> Result<WriteOutcome, StoreError> {
        Ok(self.derived_graphs().keep_derived(t, changes)?)
    }

    /// The same triple in the union graph.
    pub(crate) fn union_copy(&self, q: &Quad) -> Quad {
        Quad::new(
            q.subject.clone(),
            q.predicate.clone(),
            q.object.clone(),
            self.union.clone(),
        )
    }

    /// The SHA-256 recorded for a source graph when it was loaded, if it is in the store.
    pub fn source_sha256(&self, graph: &NamedNode) -> Result<Option<String>, StoreError> {
        let metadata = self.base.metadata_graph();
        let found = self
            .store
            .quads_for_pattern(
                Some(graph.into()),
                Some(cg::sha256),
                None,
                Some((&metadata).into()),
            )
            .next()
            .transpose()?;
        Ok(found.and_then(|q| match q.object {
            Term::Literal(l) => Some(l.value().to_owned()),
            _ => None,
        }))
    }

    /// Names of the graphs holding loaded sources, from the metadata graph.
    pub fn source_graphs(&self) -> Result<Vec<NamedNode>, StoreError> {
        let metadata = self.base.metadata_graph();
        let mut graphs = Vec::new();
        for quad in self.store.quads_for_pattern(
            None,
            Some(rdf::type_),
            Some(cg::Source.into()),
            Some(GraphNameRef::NamedNode((&metadata).into())),
        ) {
            if let NamedOrBlankNode::NamedNode(g) = quad?.subject {
                graphs.push(g);
            }
        }
        Ok(graphs)
    }
}

fn provenance_quads(
    g: &NamedNode,
    p: &Provenance,
    quad_count: usize,
    activity: &NamedNode,
    metadata: &NamedNode,
) -> Vec<Quad> {
    let agent = NamedNode::new_unchecked(SOFTWARE_AGENT);
    let mut out = Vec::new();
    let mut add = |s: &NamedNode, pred: NamedNodeRef<'_>, o: Term| {
        out.push(Quad::new(s.clone(), pred, o, metadata.clone()));
    };
    add(g, rdf::type_, cg::Source.into_owned().into());
    add(g, rdf::type_, prov::Entity.into_owned().into());
    add(
        g,
        cg::sourcePath,
        Literal::new_simple_literal(&p.source_path).into(),
    );
    if let Some(iri) = &p.source_iri {
        add(g, prov::wasDerivedFrom, iri.clone().into());
    }
    if let Some(sha) = &p.sha256 {
        add(g, cg::sha256, Literal::new_simple_literal(sha).into());
    }
    add(
        g,
        prov::generatedAtTime,
        Literal::new_typed_literal(&p.loaded_at, xsd::dateTime).into(),
    );
    add(
        g,
        cg::recordCount,
        Literal::new_typed_literal(p.record_count.to_string(), xsd::integer).into(),
    );
    add(
        g,
        cg::quadCount,
        Literal::new_typed_literal(quad_count.to_string(), xsd::integer).into(),
    );
    add(g, prov::wasGeneratedBy, activity.clone().into());
    add(activity, rdf::type_, prov::Activity.into_owned().into());
    if let Some(r) = &p.retrieval {
        // The HTTP GET the page came from: what was asked for, when it answered.
        let retrieval = NamedNode::new_unchecked(format!("{}#retrieval", g.as_str()));
        add(&retrieval, rdf::type_, prov::Activity.into_owned().into());
        add(
            &retrieval,
            prov::endedAtTime,
            Literal::new_typed_literal(&r.fetched_at, xsd::dateTime).into(),
        );
        add(&retrieval, prov::wasAssociatedWith, agent.clone().into());
        if let Some(requested) = &r.requested {
            add(&retrieval, prov::used, requested.clone().into());
        }
        if let Some(page) = &p.source_iri {
            add(page, rdf::type_, prov::Entity.into_owned().into());
            add(g, prov::hadPrimarySource, page.clone().into());
        }
        add(activity, prov::wasInformedBy, retrieval.into());
    }
    add(activity, prov::wasAssociatedWith, agent.clone().into());
    add(&agent, rdf::type_, prov::SoftwareAgent.into_owned().into());
    add(
        &agent,
        schema::name,
        Literal::new_simple_literal("chronograph").into(),
    );
    add(
        &agent,
        schema::softwareVersion,
        Literal::new_simple_literal(env!("CARGO_PKG_VERSION")).into(),
    );
    add(metadata, rdf::type_, prov::Bundle.into_owned().into());
    add(
        metadata,
        rdfs::label,
        Literal::new_simple_literal("Provenance of every loaded source").into(),
    );
    out
}
