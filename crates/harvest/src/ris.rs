//! `harvest --ris`: a document page's RIS export (`{page URL}.ris`), fetched
//! right after its page through the same fetcher and cache, and merged into
//! the page's record when the pages are read (the page's values stand where
//! both have one; see [`chronograph_core::model::Document::fill_missing_from`]).

use std::path::Path;

use url::Url;

use super::cache::{ManifestEntry, PageCache};
use super::fetch::{self, lock};
use super::{Crawl, HarvestError, HarvestOptions, HarvestedPage, Shared, Task, TaskKind};
use chronograph_core::sources::profile::PageKind;
use chronograph_core::sources::{self, ReadOptions, SourceBatch};

impl HarvestedPage {
    /// The SHA-256 its graph in the store is loaded from: the page's body's,
    /// or with a RIS export, one of the two bodies' SHA-256 together (so a
    /// changed RIS export reloads the page too).
    pub fn source_sha256(&self) -> String {
        match &self.ris_sha256 {
            None => self.sha256.clone(),
            Some(ris) => chronograph_core::sources::text::sha256_hex(
                format!("{}\n{ris}", self.sha256).as_bytes(),
            ),
        }
    }
}

/// The URL of a document page's RIS export: the page's path with `.ris`
/// appended (`/document/134905` → `/document/134905.ris`), query kept.
pub fn ris_url(page_url: &str) -> Option<String> {
    let mut url = Url::parse(page_url).ok()?;
    url.set_fragment(None);
    let path = url.path().trim_end_matches('/');
    if path.is_empty() {
        return None;
    }
    let path = format!("{path}.ris");
    url.set_path(&path);
    Some(url.to_string())
}

impl Crawl {
    /// With `--ris`: after a document page with a body, queues its RIS export
    /// (at the front: it comes right after its page); after a RIS export with
    /// a body, marks it on its pages (a new one makes them changed).
    pub(super) fn follow_ris(
        &mut self,
        shared: &Shared<'_>,
        task: &Task,
        entry: &ManifestEntry,
        options: &HarvestOptions,
        fresh: bool,
    ) {
        if !options.fetch_ris || entry.error.is_some() || !entry.has_body() {
            return;
        }
        match task.kind {
            TaskKind::Page(PageKind::Document) => {
                let Some(url) = ris_url(&entry.final_url).and_then(|u| Url::parse(&u).ok()) else {
                    return;
                };
                if !lock(&shared.seen).insert(url.to_string()) {
                    return;
                }
                let allowed = shared
                    .robots
                    .get(&fetch::host_key(&url))
                    .is_none_or(|rules| rules.allowed(url.as_str()));
                if !allowed {
                    tracing::info!(%url, "disallowed by robots.txt");
                    self.report.disallowed.push(url.to_string());
                    return;
                }
                self.queue.push_front(Task {
                    url,
                    kind: TaskKind::Ris,
                    optional: true,
                });
            }
            TaskKind::Ris => {
                for &index in self.ris_of.get(&entry.url).into_iter().flatten() {
                    if let Some(page) = self.report.pages.get_mut(index) {
                        page.ris_sha256.clone_from(&entry.sha256);
                        page.changed |= fresh;
                    }
                }
            }
            _ => {}
        }
    }
}

/// A page's batch with its RIS export merged into its document, when it has one.
pub(super) fn with_ris(
    cache: &PageCache,
    page: &HarvestedPage,
    mut batch: SourceBatch,
    read: &ReadOptions,
) -> Result<SourceBatch, HarvestError> {
    let Some(ris_sha) = &page.ris_sha256 else {
        return Ok(batch);
    };
    let Some(url) = ris_url(&page.final_url) else {
        return Ok(batch);
    };
    let Some(chronograph_core::model::Record::Document(document)) =
        batch.records.first_mut().map(|r| &mut r.record)
    else {
        return Ok(batch); // the page did not read: it is reported as unparsed
    };
    let id = Some(document.id.clone());
    let body = match cache.get(&url) {
        Some(entry) if entry.sha256.as_ref() == Some(ris_sha) => cache.body(entry)?,
        _ => None,
    };
    let Some(body) = body else {
        batch.warn(None, id, format!("RIS export {url}: not in the page cache"));
        return Ok(batch);
    };
    let ris = sources::read_source_bytes(Path::new(&url), &body, read);
    let mut documents = ris.records.into_iter().filter_map(|r| match r.record {
        chronograph_core::model::Record::Document(d) => Some(d),
        _ => None,
    });
    let at = |line: Option<usize>| line.map_or_else(|| url.clone(), |l| format!("{url}:{l}"));
    let mut warnings: Vec<String> = ris
        .rejections
        .iter()
        .map(|r| format!("RIS export {}: {}", at(r.location.line), r.error))
        .collect();
    warnings.extend(
        ris.warnings
            .iter()
            .map(|w| format!("RIS export {}: {}", at(w.location.line), w.message)),
    );
    match documents.next() {
        Some(first) => document.fill_missing_from(first),
        None if warnings.is_empty() => warnings.push(format!("RIS export {url}: no record")),
        None => {}
    }
    let more = documents.count();
    if more > 0 {
        warnings.push(format!(
            "RIS export {url}: {more} record(s) after the first, not used (a page is one document)"
        ));
    }
    let id = batch
        .records
        .first()
        .and_then(|r| r.record.id().map(str::to_owned));
    for message in warnings {
        batch.warn(None, id.clone(), message);
    }
    batch.sha256 = Some(page.source_sha256());
    Ok(batch)
}
