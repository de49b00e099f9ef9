//! The index's writer, and how it merges segments.
//!
//! tantivy merges segments by reading the merged ones through memory maps,
//! and every page it reads stays in the process's resident memory until
//! the merge ends. With its default policy, building the index of a million
//! documents ended with one merge of 850,000 of them: 1.5 GB of mapped
//! pages on top of the writer's own memory, 2.1 GB in all. Here merges are
//! bounded ([`BoundedMerges`]: at most [`MOST_MERGED_DOCS`] records come out
//! of one merge) and run one at a time, so what a merge maps stays a
//! fraction of the index.

use std::collections::HashMap;

use tantivy::index::{SegmentId, SegmentMeta};
use tantivy::indexer::{IndexWriterOptions, LogMergePolicy};
use tantivy::merge_policy::{MergeCandidate, MergePolicy, NoMergePolicy};
use tantivy::{Index, IndexWriter};

/// Memory of the index writer, split between its threads.
pub const WRITER_MEMORY: usize = 128 * 1024 * 1024;

/// The most records a merge writes into one segment. At about 2 KB of index
/// per record, a merge maps at most about half a gigabyte.
pub const MOST_MERGED_DOCS: u32 = 250_000;

/// tantivy's smallest memory budget of one indexing thread.
const LEAST_THREAD_MEMORY: usize = 15 * 1024 * 1024;

/// Memory of a writer that indexes while the statistics are counted (see
/// [`open_writer_beside_recount`]).
pub const WRITER_MEMORY_BESIDE_RECOUNT: usize = 64 * 1024 * 1024;

/// Opens the writer of an index: one indexing thread per core (at most
/// eight, as tantivy's own default), [`WRITER_MEMORY`] between them, one
/// merge at a time under [`BoundedMerges`].
pub fn open_writer(index: &Index) -> tantivy::Result<IndexWriter> {
    let writer = writer_of(index, WRITER_MEMORY)?;
    writer.set_merge_policy(Box::new(BoundedMerges::default()));
    Ok(writer)
}

/// Opens a writer that indexes while the statistics are counted, whose
/// cells then fill the memory: [`WRITER_MEMORY_BESIDE_RECOUNT`], and no
/// merge (a merge maps its segments into memory) until
/// [`merge_from_now`], once the count is done.
pub fn open_writer_beside_recount(index: &Index) -> tantivy::Result<IndexWriter> {
    let writer = writer_of(index, WRITER_MEMORY_BESIDE_RECOUNT)?;
    writer.set_merge_policy(Box::new(NoMergePolicy));
    Ok(writer)
}

/// Lets a writer of [`open_writer_beside_recount`] merge as
/// [`open_writer`]'s does, from its next commit on.
pub fn merge_from_now(writer: &IndexWriter) {
    writer.set_merge_policy(Box::new(BoundedMerges::default()));
}

fn writer_of(index: &Index, memory: usize) -> tantivy::Result<IndexWriter> {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let threads = cores.min(8).clamp(1, memory / LEAST_THREAD_MEMORY);
    let options = IndexWriterOptions::builder()
        .memory_budget_per_thread(memory / threads)
        .num_worker_threads(threads)
        .num_merge_threads(1)
        .build();
    index.writer_with_options(options)
}

/// tantivy's log merge policy (segments of about the same size merged when
/// eight of them are there), with each of its merges split into merges of at
/// most `most_docs` records, and segments above half of it never merged
/// again.
#[derive(Debug, Clone)]
pub struct BoundedMerges {
    log: LogMergePolicy,
    most_docs: u32,
}

impl Default for BoundedMerges {
    fn default() -> Self {
        Self::new(MOST_MERGED_DOCS)
    }
}

impl BoundedMerges {
    /// Merges of at most `most_docs` records.
    pub fn new(most_docs: u32) -> Self {
        let mut log = LogMergePolicy::default();
        log.set_max_docs_before_merge(most_docs as usize / 2);
        Self { log, most_docs }
    }
}

impl MergePolicy for BoundedMerges {
    fn compute_merge_candidates(&self, segments: &[SegmentMeta]) -> Vec<MergeCandidate> {
        let records: HashMap<SegmentId, u32> =
            segments.iter().map(|s| (s.id(), s.max_doc())).collect();
        let mut merges = Vec::new();
        for MergeCandidate(candidate) in self.log.compute_merge_candidates(segments) {
            let mut merge: Vec<SegmentId> = Vec::new();
            let mut merged = 0u32;
            for id in candidate {
                let docs = records.get(&id).copied().unwrap_or(0);
                if merged.saturating_add(docs) > self.most_docs && !merge.is_empty() {
                    if merge.len() >= 2 {
                        merges.push(MergeCandidate(std::mem::take(&mut merge)));
                    }
                    merge.clear();
                    merged = 0;
                }
                merge.push(id);
                merged = merged.saturating_add(docs);
            }
            if merge.len() >= 2 {
                merges.push(MergeCandidate(merge));
            }
        }
        merges
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Twenty segments of one level, which tantivy's policy merges in one
    /// go, are merged in groups of at most the bound; a segment above half
    /// the bound is left alone.
    #[test]
    fn merges_stay_under_the_bound() {
        let index = Index::create_in_ram(tantivy::schema::Schema::builder().build());
        let mut segments: Vec<SegmentMeta> = (0..20)
            .map(|_| index.new_segment_meta(SegmentId::generate_random(), 30_000))
            .collect();
        let large = index.new_segment_meta(SegmentId::generate_random(), 130_000);
        segments.push(large.clone());
        let unbounded = LogMergePolicy::default().compute_merge_candidates(&segments);
        assert_eq!(unbounded.len(), 1);
        assert_eq!(unbounded[0].0.len(), 20);

        let merges = BoundedMerges::new(250_000).compute_merge_candidates(&segments);
        let sizes: Vec<usize> = merges.iter().map(|m| m.0.len()).collect();
        assert_eq!(sizes, [8, 8, 4]);
        let merged: std::collections::HashSet<SegmentId> =
            merges.iter().flat_map(|m| m.0.iter().copied()).collect();
        assert_eq!(merged.len(), 20);
        assert!(!merged.contains(&large.id()));
    }
}
