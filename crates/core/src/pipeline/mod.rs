//! The load pipeline: read every source, reject duplicates, resolve mentions,
//! map to quads and replace each source's graph in the store.
//!
//! Counting is exact: every record read is either loaded or rejected, and the
//! [`LoadReport`] lists every rejection with its file, line and reason.
//!
//! Two ways to write: small loads read everything, then replace each source's
//! graph in a transaction; large loads stream (see [`streaming`]) through
//! Oxigraph's bulk loader in bounded memory. [`WriteMode::Auto`] picks by size.

mod streaming;

pub use streaming::{map_sources, CHUNK_RECORDS};

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{SecondsFormat, Utc};
use indicatif::ProgressBar;
use oxigraph::model::NamedNode;
use thiserror::Error;

use crate::mapping::iri::Base;
use crate::mapping::Mapper;
use crate::mentions::{annotate, Gazetteer, NameTyping};
use crate::sources::{self, ReadError, ReadOptions, Rejection, SourceBatch, Warning};
use crate::store::{ArchiveStore, Provenance, Retrieval, SourceGraph, StoreError};

/// Options of a load.
#[derive(Debug)]
pub struct LoadOptions {
    /// Reader options (site profile, size limit, subject name).
    pub read: ReadOptions,
    /// Any rejection fails the whole load and leaves the store unchanged
    /// (always written with transactions).
    pub strict: bool,
    /// Authority files read before the other sources.
    pub authority: Vec<PathBuf>,
    /// How to write.
    pub write_mode: WriteMode,
    /// A rough bound on the bulk loader's batches, in megabytes.
    pub bulk_memory_mb: usize,
    /// The bulk load's atomic steps, in quads (see
    /// [`BulkOptions::step_quads`](crate::store::BulkOptions::step_quads)).
    pub bulk_step_quads: usize,
    /// Compact the store after a bulk load of many batches (see
    /// [`ArchiveStore::optimize`] and [`BATCHES_LEFT_UNCOMPACTED`]).
    ///
    /// [`BATCHES_LEFT_UNCOMPACTED`]: crate::store::BATCHES_LEFT_UNCOMPACTED
    pub optimize_after_bulk: bool,
    /// Count the statistics at the end of a bulk load. When false they are
    /// left pending ([`LoadReport::statistics_pending`]) for the caller to
    /// count with [`ArchiveStore::recount_statistics`], or with
    /// [`ArchiveStore::recount_statistics_reading`] when it reads the
    /// records too (the search index, built from the same read); a store
    /// left pending is counted on its next writable open.
    pub count_statistics_after_bulk: bool,
}

impl Default for LoadOptions {
    fn default() -> Self {
        Self {
            read: ReadOptions::default(),
            strict: false,
            authority: Vec::new(),
            write_mode: WriteMode::Auto,
            bulk_memory_mb: crate::store::BulkOptions::default().memory_mb,
            bulk_step_quads: crate::store::DEFAULT_STEP_QUADS,
            optimize_after_bulk: true,
            count_statistics_after_bulk: true,
        }
    }
}

/// How a load writes to the store.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum WriteMode {
    /// Streaming and bulk when the inputs are at least [`AUTO_BULK_BYTES`]
    /// (and the load is not `strict`), transactions otherwise.
    #[default]
    Auto,
    /// Read everything, then one transaction per source graph (all of them
    /// in one when `strict`): the store never shows a half-replaced graph.
    Transactions,
    /// Stream the records into Oxigraph's bulk loader, committed in atomic
    /// steps of whole source graphs (see [`LoadOptions::bulk_step_quads`]);
    /// memory stays bounded whatever the input size. A source graph that is
    /// replaced is first removed in transactions.
    Bulk,
}

/// Inputs at least this large are loaded in [`WriteMode::Bulk`] by [`WriteMode::Auto`].
pub const AUTO_BULK_BYTES: u64 = 256 * 1024 * 1024;

/// What went wrong with a load as a whole.
#[derive(Debug, Error)]
pub enum LoadError {
    /// An input path does not exist or a folder cannot be walked.
    #[error("{0}")]
    Input(ReadError),
    /// The store failed; sources committed before the failure stay loaded.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// `--strict` and at least one record was rejected: nothing was written.
    #[error("{} record(s) rejected; --strict leaves the store unchanged", .0.rejected)]
    Strict(Box<LoadReport>),
    /// Options that cannot go together.
    #[error("{0}")]
    Options(String),
    /// Writing the mapped RDF failed (`map_sources`).
    #[error("cannot write the RDF: {0}")]
    Write(std::io::Error),
}

/// The outcome of one source file.
#[derive(Debug, Clone)]
pub struct SourceReport {
    /// The file.
    pub path: PathBuf,
    /// Its named graph, when anything from it was loaded.
    pub graph: Option<NamedNode>,
    /// Records read.
    pub read: usize,
    /// Records loaded.
    pub loaded: usize,
    /// Quads written into its graph.
    pub quads: usize,
}

/// The outcome of a load: counts, rejections with reasons, warnings.
#[derive(Debug, Clone, Default)]
pub struct LoadReport {
    /// Per source.
    pub sources: Vec<SourceReport>,
    /// Records read (= loaded + rejected).
    pub read: usize,
    /// Records loaded.
    pub loaded: usize,
    /// Records rejected.
    pub rejected: usize,
    /// Every rejection, with where and why.
    pub rejections: Vec<Rejection>,
    /// Warnings on loaded records.
    pub warnings: Vec<Warning>,
    /// Quads in the store after the load.
    pub store_quads: usize,
    /// Variants left out of mention matching because they name two entities.
    pub ambiguous_variants: Vec<String>,
    /// How the names of lists that do not say what they are (authors,
    /// contributors, mixed lists) were typed.
    pub name_typing: NameTyping,
    /// The statistics wait for a recount (a bulk load with
    /// [`LoadOptions::count_statistics_after_bulk`] off).
    pub statistics_pending: bool,
    /// Seconds spent counting the statistics after a bulk load (a step of
    /// its own, at the end), when the load counted them.
    pub statistics_seconds: Option<f64>,
}

/// Loads files and folders into the store.
pub fn load(
    store: &ArchiveStore,
    inputs: &[PathBuf],
    options: &LoadOptions,
    progress: &ProgressBar,
) -> Result<LoadReport, LoadError> {
    let paths = source_paths(inputs, options)?;
    let bulk = match (options.write_mode, options.strict) {
        (WriteMode::Bulk, true) => {
            return Err(LoadError::Options(
                "--strict needs transactions: it cannot be used with bulk writing".to_owned(),
            ))
        }
        (WriteMode::Bulk, false) => true,
        (WriteMode::Transactions, _) | (WriteMode::Auto, true) => false,
        (WriteMode::Auto, false) => {
            let bytes: u64 = paths
                .iter()
                .filter_map(|p| std::fs::metadata(p).ok())
                .map(|m| m.len())
                .sum();
            bytes >= AUTO_BULK_BYTES
        }
    };
    if bulk {
        tracing::info!(
            sources = paths.len(),
            "streaming load through the bulk loader"
        );
        return streaming::load_streaming(store, &paths, options, progress);
    }
    store.remove_incomplete_sources()?;
    progress.set_length(paths.len() as u64);
    progress.set_message("reading");
    let mut batches: Vec<SourceBatch> = Vec::with_capacity(paths.len());
    for path in &paths {
        let batch = sources::read_source(path, &options.read);
        tracing::debug!(
            path = %path.display(),
            records = batch.records.len(),
            rejected = batch.rejections.len(),
            "read source"
        );
        batches.push(batch);
        progress.inc(1);
    }
    load_batches(store, batches, options, progress)
}

/// The source files of the inputs, authority files first, each once.
fn source_paths(inputs: &[PathBuf], options: &LoadOptions) -> Result<Vec<PathBuf>, LoadError> {
    let mut paths = sources::collect_source_paths(&options.authority).map_err(LoadError::Input)?;
    paths.extend(sources::collect_source_paths(inputs).map_err(LoadError::Input)?);
    let mut seen = std::collections::HashSet::new();
    paths.retain(|p| seen.insert(std::path::absolute(p).unwrap_or_else(|_| p.clone())));
    Ok(paths)
}

/// Loads sources that were already read (files, or pages a harvest fetched):
/// rejects duplicate ids, resolves mentions against every record given, maps
/// and replaces each source's graph. The counting and reporting are those of
/// [`load`].
pub fn load_batches(
    store: &ArchiveStore,
    mut batches: Vec<SourceBatch>,
    options: &LoadOptions,
    progress: &ProgressBar,
) -> Result<LoadReport, LoadError> {
    reject_duplicates(&mut batches);
    let gazetteer = Gazetteer::from_records(
        batches
            .iter()
            .flat_map(|b| b.records.iter().map(|r| &r.record)),
    );
    let mut name_typing = NameTyping::default();
    for batch in &mut batches {
        for located in &mut batch.records {
            name_typing += annotate(&mut located.record, &gazetteer);
        }
    }
    let mut report = LoadReport {
        ambiguous_variants: gazetteer.ambiguous_variants().iter().cloned().collect(),
        name_typing,
        ..LoadReport::default()
    };
    let graphs = map_batches(store.base(), &gazetteer, &batches);
    for batch in &batches {
        report.read += batch.read_count();
        report.loaded += batch.records.len();
        report.rejected += batch.rejections.len();
        report.rejections.extend(batch.rejections.iter().cloned());
        report.warnings.extend(batch.warnings.iter().cloned());
    }
    if options.strict && report.rejected > 0 {
        report.store_quads = store.quad_count()?;
        return Err(LoadError::Strict(Box::new(report)));
    }
    progress.set_message("writing");
    store.load_ontology()?;
    let mut sources_out = Vec::new();
    if options.strict {
        store.replace_sources(&graphs.iter().filter_map(|g| g.clone()).collect::<Vec<_>>())?;
    }
    for (batch, graph) in batches.iter().zip(&graphs) {
        if let (false, Some(graph)) = (options.strict, graph) {
            store.replace_sources(std::slice::from_ref(graph))?;
            tracing::info!(graph = %graph.graph, quads = graph.quads.len(), "replaced source graph");
        }
        sources_out.push(SourceReport {
            path: batch.path.clone(),
            graph: graph.as_ref().map(|g| g.graph.clone()),
            read: batch.read_count(),
            loaded: batch.records.len(),
            quads: graph.as_ref().map_or(0, |g| g.quads.len()),
        });
    }
    report.sources = sources_out;
    finish(store, report, progress)
}

/// Counts the store's quads into the report and logs the totals.
fn finish(
    store: &ArchiveStore,
    mut report: LoadReport,
    progress: &ProgressBar,
) -> Result<LoadReport, LoadError> {
    report.store_quads = store.quad_count()?;
    progress.finish_and_clear();
    tracing::info!(
        read = report.read,
        loaded = report.loaded,
        rejected = report.rejected,
        "load finished"
    );
    Ok(report)
}

/// Maps each batch with records to its source graph.
fn map_batches(
    base: &Base,
    gazetteer: &Gazetteer,
    batches: &[SourceBatch],
) -> Vec<Option<SourceGraph>> {
    let mapper = Mapper::new(base, gazetteer);
    let loaded_at = Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true);
    batches
        .iter()
        .map(|batch| {
            if batch.records.is_empty() {
                return None;
            }
            let key = match &batch.origin {
                Some(origin) => web_graph_key(&origin.final_url),
                None => graph_key(&batch.path),
            };
            let graph = base.source_graph(&key);
            let mut quads = Vec::new();
            for located in &batch.records {
                mapper.map_record(&located.record, &graph, &mut quads);
            }
            let mut seen = std::collections::HashSet::with_capacity(quads.len());
            quads.retain(|q| seen.insert(q.clone()));
            let provenance = match &batch.origin {
                Some(origin) => Provenance {
                    source_path: origin.url.clone(),
                    source_iri: NamedNode::new(&origin.final_url).ok(),
                    sha256: batch.sha256.clone(),
                    loaded_at: loaded_at.clone(),
                    record_count: batch.records.len(),
                    retrieval: Some(Retrieval {
                        requested: NamedNode::new(&origin.url).ok(),
                        fetched_at: origin.fetched_at.clone(),
                    }),
                },
                None => Provenance {
                    source_path: key,
                    source_iri: file_iri(&batch.path),
                    sha256: batch.sha256.clone(),
                    loaded_at: loaded_at.clone(),
                    record_count: batch.records.len(),
                    retrieval: None,
                },
            };
            Some(SourceGraph {
                graph,
                quads,
                provenance,
            })
        })
        .collect()
}

/// The key of a source's graph: its path relative to the working folder when it
/// is under it (so the same file loaded twice replaces the same graph).
pub fn graph_key(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let relative = std::env::current_dir()
        .ok()
        .and_then(|cwd| absolute.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or(absolute);
    relative
        .components()
        .filter_map(|c| match c {
            std::path::Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The key of a harvested page's graph: `web/{host[:port]}/{path}`, with the
/// query kept as a last segment (`?` encoded), so each URL has its own graph.
pub fn web_graph_key(url: &str) -> String {
    let Ok(parsed) = url::Url::parse(url) else {
        return format!("web/{url}");
    };
    let mut key = format!("web/{}", parsed.host_str().unwrap_or("unknown"));
    if let Some(port) = parsed.port() {
        key.push_str(&format!(":{port}"));
    }
    key.push_str(parsed.path());
    if let Some(query) = parsed.query() {
        key.push_str(&format!("/?{query}"));
    }
    key
}

fn file_iri(path: &Path) -> Option<NamedNode> {
    let absolute = std::path::absolute(path).ok()?;
    let mut iri = String::from("file://");
    for component in absolute.components() {
        if let std::path::Component::Normal(s) = component {
            iri.push('/');
            for b in s.to_string_lossy().bytes() {
                if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                    iri.push(b as char);
                } else {
                    iri.push_str(&format!("%{b:02X}"));
                }
            }
        }
    }
    NamedNode::new(iri).ok()
}

/// Where each (kind, id) read so far was first read.
type FirstSeen = HashMap<(&'static str, String), String>;

/// Moves records whose (kind, id) was already read into the rejections.
fn reject_duplicates(batches: &mut [SourceBatch]) {
    let mut first_seen = FirstSeen::new();
    for batch in batches.iter_mut() {
        reject_duplicates_in(&mut first_seen, batch);
    }
}

/// Moves the records of one batch whose (kind, id) was already read (in an
/// earlier batch or earlier in this one) into its rejections.
fn reject_duplicates_in(first_seen: &mut FirstSeen, batch: &mut SourceBatch) {
    let mut kept = Vec::with_capacity(batch.records.len());
    for located in std::mem::take(&mut batch.records) {
        let Some(id) = located.record.id().map(str::to_owned) else {
            kept.push(located);
            continue;
        };
        let key = (located.record.kind(), id.clone());
        match first_seen.get(&key) {
            Some(first) => {
                let error = ReadError::DuplicateId {
                    id: id.clone(),
                    first: first.clone(),
                };
                batch.reject(located.line, Some(id), error);
            }
            None => {
                let where_ = match located.line {
                    Some(line) => format!("{}:{line}", batch.path.display()),
                    None => batch.path.display().to_string(),
                };
                first_seen.insert(key, where_);
                kept.push(located);
            }
        }
    }
    batch.records = kept;
}
