//! The streaming load, for loads too large to hold in memory: records stream
//! from the readers, in chunks, through mention resolution and the mapping
//! (on every core) into Oxigraph's bulk loader, one source graph at a time.
//!
//! Two passes over the sources: the first reads only the records that name
//! entities (authority records, person pages) to build the gazetteer; the
//! second reads everything, resolves, maps and writes. Memory is bounded by the
//! chunk size, the bulk loader's batches and the gazetteer, not by the input.
//!
//! Each source graph is written by one [`BulkSourceWriter`]: its quads, their
//! copies in the union graph and its provenance are ingested in one atomic
//! step, so a load killed at any moment leaves each source graph whole or
//! absent. Counting is as exact as in the transactional load: every record
//! read is loaded or rejected, and every rejection is reported.

use std::path::PathBuf;
use std::sync::mpsc::sync_channel;

use chrono::{SecondsFormat, Utc};
use indicatif::ProgressBar;
use oxigraph::model::{NamedNode, Quad};

use super::{file_iri, finish, graph_key, reject_duplicates_in, FirstSeen, LoadError, LoadOptions};
use super::{LoadReport, SourceReport};
use crate::mapping::Mapper;
use crate::mentions::{annotate, Gazetteer};
use crate::sources::stream::{stream_source, Wanted};
use crate::sources::{LocatedRecord, SourceBatch};
use crate::store::{ArchiveStore, BulkOptions, Provenance};

/// Records per chunk handed from the reader to the mapping.
pub const CHUNK_RECORDS: usize = 2_000;

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
    let mapper = Mapper::new(store.base(), &gazetteer);
    let loaded_at = Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true);
    let bulk = BulkOptions {
        memory_mb: options.bulk_memory_mb,
        ..BulkOptions::default()
    };
    let threads = bulk.threads;
    let mut first_seen = FirstSeen::new();
    progress.set_length(paths.len() as u64);
    progress.set_position(0);
    for path in paths {
        progress.set_message(format!("loading {}", path.display()));
        let key = graph_key(path);
        let graph = store.base().source_graph(&key);
        let mut writer = None;
        let mut source = SourceReport {
            path: path.clone(),
            graph: None,
            read: 0,
            loaded: 0,
            quads: 0,
        };
        let mut sha256 = None;
        let (sender, receiver) = sync_channel::<SourceBatch>(2);
        let read = &options.read;
        std::thread::scope(|scope| -> Result<(), LoadError> {
            scope.spawn(move || {
                // The receiver going away (a store error) ends the reading.
                let _ = stream_source(path, read, CHUNK_RECORDS, Wanted::All, &mut |batch| {
                    sender.send(batch).map_err(|_| ())
                });
            });
            for mut batch in receiver {
                reject_duplicates_in(&mut first_seen, &mut batch);
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
                let quads = map_records(&mapper, &gazetteer, &graph, batch.records, threads);
                if writer.is_none() {
                    writer = Some(store.bulk_writer(&graph, &bulk)?);
                }
                if let Some(writer) = writer.as_mut() {
                    writer.add(quads)?;
                }
                progress.tick();
            }
            Ok(())
        })?;
        report.read += source.read;
        report.loaded += source.loaded;
        if let Some(writer) = writer {
            let provenance = Provenance {
                source_path: key,
                source_iri: file_iri(path),
                sha256,
                loaded_at: loaded_at.clone(),
                record_count: source.loaded,
                retrieval: None,
            };
            source.quads = writer.commit(&provenance)?;
            source.graph = Some(graph.clone());
            tracing::info!(%graph, quads = source.quads, "bulk-loaded source graph");
        }
        report.sources.push(source);
        progress.inc(1);
    }
    finish(store, report, progress)
}

/// Resolves mentions in and maps a chunk of records, split over `threads` threads.
fn map_records(
    mapper: &Mapper<'_>,
    gazetteer: &Gazetteer,
    graph: &NamedNode,
    mut records: Vec<LocatedRecord>,
    threads: usize,
) -> Vec<Quad> {
    let map_part = |part: &mut [LocatedRecord]| {
        let mut quads = Vec::new();
        for located in part {
            annotate(&mut located.record, gazetteer);
            mapper.map_record(&located.record, graph, &mut quads);
        }
        quads
    };
    if threads <= 1 || records.len() < 64 {
        return map_part(&mut records);
    }
    let part_len = records.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let parts: Vec<_> = records
            .chunks_mut(part_len)
            .map(|part| scope.spawn(|| map_part(part)))
            .collect();
        let mut quads = Vec::new();
        for part in parts {
            match part.join() {
                Ok(mut part) => quads.append(&mut part),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        quads
    })
}
