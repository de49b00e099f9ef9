//! From a harvest to the store: the harvested pages read (again from the cache
//! where the run did not read them) and loaded.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use chronograph_core::pipeline::{self, LoadOptions, LoadReport};
use chronograph_core::sources::{self, ReadOptions, SourceBatch};
use chronograph_core::store::ArchiveStore;
use indicatif::ProgressBar;

use crate::cache::PageCache;
use crate::ris::with_ris;
use crate::{origin, HarvestError, HarvestReport, HarvestedPage};

/// Brings a store up to date with a harvest: loads the harvested document and
/// person pages ([`read_harvested_pages`]) unless no page changed and the store
/// already holds each readable page as it is in the cache (so a run of 304s
/// costs no parse). `None` when the store was up to date.
pub fn load_harvested(
    store: &ArchiveStore,
    cache_dir: &Path,
    report: &HarvestReport,
    parsed: Vec<SourceBatch>,
    read: ReadOptions,
) -> Result<Option<LoadReport>, HarvestError> {
    let unchanged = report.pages.iter().all(|p| {
        let graph = store
            .base()
            .source_graph(&pipeline::web_graph_key(&p.final_url));
        !p.changed
            && (p.unreadable.is_some()
                || store.source_sha256(&graph).ok().flatten() == Some(p.source_sha256()))
    });
    if unchanged {
        return Ok(None);
    }
    let batches = read_harvested_pages(cache_dir, report, parsed, &read)?;
    let options = LoadOptions {
        read,
        ..LoadOptions::default()
    };
    let report = pipeline::load_batches(store, batches, &options, &ProgressBar::hidden())?;
    Ok(Some(report))
}

/// Reads the harvested document and person pages for loading: the pages read
/// as they arrived and, from the cache, those the run did not read (304s and
/// pages fetched before an interruption). A page reached under two URLs is read once.
///
/// A page harvested with its RIS export (`--ris`) is one record still: the RIS
/// record fills the fields the page's record leaves empty (the page's values
/// stand where both have one, see [`chronograph_core::model::Document::fill_missing_from`]);
/// what in the RIS export does not read is a warning on the page.
pub fn read_harvested_pages(
    cache_dir: &Path,
    report: &HarvestReport,
    parsed: Vec<SourceBatch>,
    read: &ReadOptions,
) -> Result<Vec<SourceBatch>, HarvestError> {
    let cache = PageCache::open(cache_dir)?;
    let mut by_url: HashMap<String, SourceBatch> = parsed
        .into_iter()
        .filter_map(|b| Some((b.origin.as_ref()?.url.clone(), b)))
        .collect();
    let mut finals = HashSet::new();
    let mut pages: Vec<&HarvestedPage> = report.pages.iter().collect();
    pages.sort_by(|a, b| a.final_url.cmp(&b.final_url).then(a.url.cmp(&b.url)));
    let mut out = Vec::new();
    for page in pages {
        if !finals.insert(page.final_url.clone()) {
            continue;
        }
        let batch = match by_url.remove(&page.url) {
            Some(batch) => batch,
            None => {
                let Some(entry) = cache.get(&page.url) else {
                    continue;
                };
                let Some(body) = cache.body(entry)? else {
                    continue;
                };
                sources::read_web_page(origin(entry), &body, read)
            }
        };
        out.push(with_ris(&cache, page, batch, read)?);
    }
    Ok(out)
}
