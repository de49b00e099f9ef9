//! The streaming load, for loads too large to hold in memory: records stream
//! from the readers, in chunks, through mention resolution and the mapping
//! (on every core) into Oxigraph's bulk loader, one source graph at a time.
//!
//! Two passes over the sources: the first reads only the records that name
//! entities (authority records, person pages) to build the gazetteer; the
//! second reads everything, resolves, maps and writes. Memory is bounded by the
//! chunk size, the bulk loader's batches and the gazetteer, not by the input.
//!
//! The source graphs are written by one [`BulkWriter`]: a graph's quads, their
//! copies in the union graph and its provenance are always ingested in the
//! same atomic step (a step holds whole graphs, by default every graph of a
//! load of up to 100 million quads), so a load killed at any moment leaves
//! each source graph whole or absent. Counting is as exact as in the transactional load: every record
//! read is loaded or rejected, and every rejection is reported.

use std::io::Write;
use std::path::PathBuf;
use std::sync::mpsc::sync_channel;

use chrono::{SecondsFormat, Utc};
use indicatif::ProgressBar;
use oxigraph::model::{NamedNode, Quad};

use super::{file_iri, finish, graph_key, reject_duplicates_in, FirstSeen, LoadError, LoadOptions};
use super::{LoadReport, SourceReport};
use crate::mapping::iri::Base;
use crate::mapping::Mapper;
use crate::mentions::{annotate, Gazetteer, NameTyping};
use crate::sources::stream::{stream_source, Wanted};
use crate::sources::{LocatedRecord, SourceBatch};
use crate::statements::{ExportFormat, StatementWriter};
use crate::store::{ArchiveStore, BulkOptions, BulkWriter, HashedQuad, Provenance, SeenQuads};

/// Records per chunk handed from the reader to the mapping.
pub const CHUNK_RECORDS: usize = 2_000;

/// Where the streaming pass puts each source's mapped quads.
pub(super) trait MappedSink {
    /// Takes the next chunk of one source graph's quads, none of them given before.
    fn add(&mut self, graph: &NamedNode, quads: Vec<Quad>) -> Result<(), LoadError>;
    /// Ends a source that produced quads; returns the quads written for it.
    fn end_source(
        &mut self,
        graph: &NamedNode,
        provenance: &Provenance,
    ) -> Result<usize, LoadError>;
}

/// Writes the source graphs through a [`BulkWriter`] (see the module
/// documentation).
struct StoreSink<'a> {
    writer: BulkWriter<'a>,
}

impl MappedSink for StoreSink<'_> {
    fn add(&mut self, graph: &NamedNode, quads: Vec<Quad>) -> Result<(), LoadError> {
        if !self.writer.in_source() {
            self.writer.begin_source(graph)?;
        }
        Ok(self.writer.add(quads)?)
    }

    fn end_source(
        &mut self,
        graph: &NamedNode,
        provenance: &Provenance,
    ) -> Result<usize, LoadError> {
        // A source that produced no quads was never begun: nothing to write.
        let quads = self.writer.end_source(provenance)?;
        tracing::info!(%graph, quads, "bulk-loaded source graph");
        Ok(quads)
    }
}

/// Writes the mapped quads in an RDF syntax as they come (triples, without
/// their graph, in the triple syntaxes).
struct RdfWriterSink<W: Write> {
    writer: StatementWriter<W>,
    /// Quads written of the current source.
    written: usize,
}

impl<W: Write> MappedSink for RdfWriterSink<W> {
    fn add(&mut self, _graph: &NamedNode, quads: Vec<Quad>) -> Result<(), LoadError> {
        for quad in &quads {
            self.writer.write(quad.as_ref()).map_err(LoadError::Write)?;
        }
        self.written += quads.len();
        Ok(())
    }

    fn end_source(&mut self, _: &NamedNode, _: &Provenance) -> Result<usize, LoadError> {
        Ok(std::mem::take(&mut self.written))
    }
}

/// Maps the files to RDF without a store: records stream through the same
/// readers, mention resolution and mapping as a load, and each source's quads
/// are written to `out` as they come (N-Quads and TriG with each source's
/// graph, the other syntaxes as triples). Provenance is not written. Returns
/// the report (each source's `quads`: the distinct quads written for it) and
/// the writer.
pub fn map_sources<W: Write>(
    inputs: &[PathBuf],
    base: &Base,
    options: &LoadOptions,
    format: ExportFormat,
    out: W,
    progress: &ProgressBar,
) -> Result<(LoadReport, W), LoadError> {
    let paths = super::source_paths(inputs, options)?;
    let mut sink = RdfWriterSink {
        writer: StatementWriter::new(format, out).map_err(|e| LoadError::Options(e.to_string()))?,
        written: 0,
    };
    let report = stream_mapped(&paths, options, base, progress, &mut sink)?;
    let out = sink.writer.finish().map_err(LoadError::Write)?;
    progress.finish_and_clear();
    Ok((report, out))
}

/// Loads the files through the bulk loader (see the module documentation).
pub(super) fn load_streaming(
    store: &ArchiveStore,
    paths: &[PathBuf],
    options: &LoadOptions,
    progress: &ProgressBar,
) -> Result<LoadReport, LoadError> {
    store.load_ontology()?;
    let incomplete = store.remove_incomplete_sources()?;
    if !incomplete.is_empty() {
        tracing::warn!(
            graphs = incomplete.len(),
            "removed source graphs an interrupted load left without provenance"
        );
    }
    let bulk = BulkOptions {
        memory_mb: options.bulk_memory_mb,
        step_quads: options.bulk_step_quads,
        ..BulkOptions::default()
    };
    let mut sink = StoreSink {
        writer: store.bulk_writer(&bulk),
    };
    let batches_before = store.bulk_batches();
    let report = stream_mapped(paths, options, store.base(), progress, &mut sink)?;
    progress.set_message("committing");
    let statistics_pending = sink.writer.statistics_pending();
    sink.writer.finish()?;
    let batches = store.bulk_batches() - batches_before;
    if !options.optimize_after_bulk {
        tracing::info!(batches, "left the store uncompacted (--no-optimize)");
    } else if batches > crate::store::BATCHES_LEFT_UNCOMPACTED {
        progress.set_message("compacting");
        let started = std::time::Instant::now();
        store.optimize()?;
        tracing::info!(
            batches,
            seconds = started.elapsed().as_secs_f64(),
            "compacted the store"
        );
    } else {
        tracing::info!(batches, "few loader batches: the store was not compacted");
    }
    let mut report = report;
    if statistics_pending && options.count_statistics_after_bulk {
        progress.set_message("counting");
        let started = std::time::Instant::now();
        store.recount_statistics()?;
        report.statistics_seconds = Some(started.elapsed().as_secs_f64());
    } else {
        report.statistics_pending = statistics_pending;
    }
    finish(store, report, progress)
}

/// Reads, resolves and maps the files a chunk at a time into `sink`, one
/// source after the other, and counts as [`load`](super::load) does (the
/// report's `store_quads` is left at 0).
pub(super) fn stream_mapped(
    paths: &[PathBuf],
    options: &LoadOptions,
    base: &Base,
    progress: &ProgressBar,
    sink: &mut impl MappedSink,
) -> Result<LoadReport, LoadError> {
    // Pass 1: the names.
    progress.set_message("reading names");
    // Duplicates are left out as pass 2 rejects them, the first read winning
    // (naming records' kinds are never those of documents or events, so the
    // naming records alone decide which of them are duplicates).
    let mut naming = Vec::new();
    let mut naming_seen = FirstSeen::new();
    for path in paths {
        let _: Result<(), std::convert::Infallible> = stream_source(
            path,
            &options.read,
            CHUNK_RECORDS,
            Wanted::Names,
            &mut |mut batch| {
                reject_duplicates_in(&mut naming_seen, &mut batch);
                naming.extend(batch.records.into_iter().map(|r| r.record));
                Ok(())
            },
        );
    }
    let gazetteer = Gazetteer::from_records(&naming);
    drop((naming, naming_seen));

    // Pass 2: everything, a source at a time.
    let mut report = LoadReport {
        ambiguous_variants: gazetteer.ambiguous_variants().iter().cloned().collect(),
        ..LoadReport::default()
    };
    let mapper = Mapper::new(base, &gazetteer);
    let loaded_at = Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true);
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let mut first_seen = FirstSeen::new();
    progress.set_length(paths.len() as u64);
    progress.set_position(0);
    for path in paths {
        progress.set_message(format!("mapping {}", path.display()));
        let key = graph_key(path);
        let graph = base.source_graph(&key);
        let mut source = SourceReport {
            path: path.clone(),
            graph: None,
            read: 0,
            loaded: 0,
            quads: 0,
        };
        let mut sha256 = None;
        // Three stages, each on its own thread: reading, mapping (itself on
        // every core) with the dropping of duplicates, and the sink, so that
        // writing one chunk overlaps mapping the next.
        let read = &options.read;
        let (mapper, gazetteer, graph_ref) = (&mapper, &gazetteer, &graph);
        let first_seen = &mut first_seen;
        std::thread::scope(|scope| -> Result<(), LoadError> {
            let (batches, batch_receiver) = sync_channel::<SourceBatch>(2);
            let (mapped, mapped_receiver) = sync_channel::<(SourceBatch, Vec<Quad>, NameTyping)>(2);
            scope.spawn(move || {
                // A receiver going away (a sink error) ends the reading.
                let _ = stream_source(path, read, CHUNK_RECORDS, Wanted::All, &mut |batch| {
                    batches.send(batch).map_err(|_| ())
                });
            });
            scope.spawn(move || {
                // The source's quads so far: each is passed on once (the
                // duplicates are dropped here, off the writing thread).
                let mut seen = SeenQuads::default();
                for mut batch in batch_receiver {
                    reject_duplicates_in(first_seen, &mut batch);
                    let mut typing = NameTyping::default();
                    let quads = if batch.records.is_empty() {
                        Vec::new()
                    } else {
                        let (mapped, typed) =
                            map_records(mapper, gazetteer, graph_ref, &mut batch.records, threads);
                        typing = typed;
                        let mut distinct = Vec::with_capacity(mapped.len());
                        for hashed in mapped {
                            if seen.insert(&hashed) {
                                distinct.push(hashed.quad);
                            }
                        }
                        distinct
                    };
                    if mapped.send((batch, quads, typing)).is_err() {
                        break;
                    }
                }
            });
            for (mut batch, quads, typing) in mapped_receiver {
                report.name_typing += typing;
                source.read += batch.read_count();
                source.loaded += batch.records.len();
                report.rejected += batch.rejections.len();
                report.rejections.append(&mut batch.rejections);
                report.warnings.append(&mut batch.warnings);
                if batch.sha256.is_some() {
                    sha256 = batch.sha256.take();
                }
                if batch.records.is_empty() {
                    continue;
                }
                // The records go on being dropped here, off the mapping thread.
                drop(batch);
                sink.add(&graph, quads)?;
                progress.tick();
            }
            Ok(())
        })?;
        report.read += source.read;
        report.loaded += source.loaded;
        if source.loaded > 0 {
            let provenance = Provenance {
                source_path: key,
                source_iri: file_iri(path),
                sha256,
                loaded_at: loaded_at.clone(),
                record_count: source.loaded,
                retrieval: None,
            };
            source.quads = sink.end_source(&graph, &provenance)?;
            source.graph = Some(graph.clone());
        }
        report.sources.push(source);
        progress.inc(1);
    }
    Ok(report)
}

/// Resolves mentions in, maps and hashes a chunk of records, split over
/// `threads` threads; also says how the untyped lists' names were typed.
fn map_records(
    mapper: &Mapper<'_>,
    gazetteer: &Gazetteer,
    graph: &NamedNode,
    records: &mut [LocatedRecord],
    threads: usize,
) -> (Vec<HashedQuad>, NameTyping) {
    let map_part = |part: &mut [LocatedRecord]| {
        let mut quads = Vec::new();
        let mut typing = NameTyping::default();
        for located in part {
            typing += annotate(&mut located.record, gazetteer);
            mapper.map_record(&located.record, graph, &mut quads);
        }
        let hashed = quads.into_iter().map(HashedQuad::new).collect::<Vec<_>>();
        (hashed, typing)
    };
    if threads <= 1 || records.len() < 64 {
        return map_part(records);
    }
    let part_len = records.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let parts: Vec<_> = records
            .chunks_mut(part_len)
            .map(|part| scope.spawn(|| map_part(part)))
            .collect();
        let mut quads = Vec::new();
        let mut typing = NameTyping::default();
        for part in parts {
            match part.join() {
                Ok((mut part, typed)) => {
                    quads.append(&mut part);
                    typing += typed;
                }
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        (quads, typing)
    })
}
