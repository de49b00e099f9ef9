//! `harvest`: a polite, resumable crawler of an archive's website into a page
//! cache, and from there into the store.
//!
//! Discovery starts from the site's `robots.txt` (its `Sitemap:` lines), the
//! sitemaps (indexes and gzipped files too; `/sitemap.xml` is tried when
//! `robots.txt` names none), the start page, and the links of every page
//! fetched, keeping only URLs the site profile classifies as document, person
//! or listing pages (listings bring pagination). A URL is fetched at most
//! once per run, and never when `robots.txt` disallows it.
//!
//! Every response goes to the [`cache::PageCache`] with its validators, so the
//! next run sends conditional requests and a 304 costs neither a download nor
//! a parse (the page's links are kept in the manifest). A run killed at any
//! moment is resumed by running the same command: what that run already
//! fetched is taken from the cache.
//!
//! With [`HarvestOptions::fetch_ris`] (`--ris`), every document page's RIS
//! export (`{page URL}.ris`) is fetched after it, through the same fetcher
//! and cache; when the pages are read for loading, the RIS record fills the
//! fields its page leaves empty (see [`read_harvested_pages`]).

pub mod cache;
pub mod fetch;
mod load;
pub mod ris;
pub mod robots;
pub mod sitemap;

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Mutex};
use std::time::Instant;

use chrono::{NaiveDate, SecondsFormat, Utc};
use indicatif::ProgressBar;
use scraper::{Html, Selector};
use serde::{Deserialize, Serialize};
use thiserror::Error;
use url::Url;

use cache::{DiscoveredLink, ManifestEntry, PageCache, RunState};
use chronograph_core::sources::profile::{CompiledProfile, PageKind};
use chronograph_core::sources::{self, ReadOptions, SourceBatch, WebOrigin};
use fetch::{lock, FetchConfig, FetchOutcome, Fetcher, Validators};
pub use load::{load_harvested, read_harvested_pages};
use ris::ris_url;
use robots::RobotsRules;
use sitemap::Sitemap;

/// What stops a harvest as a whole (single pages only fail, and are reported).
#[derive(Debug, Error)]
pub enum HarvestError {
    /// The cache folder or one of its files could not be read or written.
    #[error("page cache {}: {source}", .path.display())]
    Cache {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Another harvester holds the cache.
    #[error("page cache {} is in use by another harvester (its lock is held)", .0.display())]
    CacheBusy(PathBuf),
    /// A manifest line (not the last) is not valid JSON: the cache was edited by hand.
    #[error("{}:{line}: manifest line is not a manifest entry: {message}", .path.display())]
    Manifest {
        /// The manifest.
        path: PathBuf,
        /// Its line.
        line: usize,
        /// Why.
        message: String,
    },
    /// The HTTP client could not be built.
    #[error("cannot build the HTTP client")]
    Client(#[source] reqwest::Error),
    /// The fetching threads ended before the crawl did (one of them panicked).
    #[error("the harvest workers stopped")]
    WorkersStopped,
    /// Loading the harvested pages into the store failed.
    #[error("loading the harvested pages")]
    Load(#[from] chronograph_core::pipeline::LoadError),
    /// A start URL is not an absolute http(s) URL.
    #[error("start URL {url:?}: {message}")]
    StartUrl {
        /// As given.
        url: String,
        /// Why.
        message: String,
    },
    /// `robots.txt` answered with a server error: RFC 9309 says to assume
    /// everything is disallowed, so the harvest does not start.
    #[error(
        "{url}: {reason}; robots.txt unreachable, so the site counts as disallowed (RFC 9309)"
    )]
    RobotsUnreachable {
        /// The robots.txt URL.
        url: String,
        /// Why.
        reason: String,
    },
    /// The previous run in this cache started from other URLs and did not finish.
    #[error(
        "the cache holds an unfinished run from {previous:?}; run that command again to resume it, \
         or use --restart to start a new run"
    )]
    OtherRunUnfinished {
        /// Its start URLs.
        previous: Vec<String>,
    },
}

/// Settings of a harvest.
#[derive(Debug, Clone)]
pub struct HarvestOptions {
    /// Site roots, pages or sitemap URLs to start from.
    pub start: Vec<String>,
    /// HTTP politeness.
    pub fetch: FetchConfig,
    /// Requests in flight at most (over all hosts).
    pub concurrency: usize,
    /// Pages (documents, people, listings) fetched at most in this invocation;
    /// the run stays unfinished, and the next invocation continues it.
    pub max_pages: Option<usize>,
    /// Only pages changed since this date: sitemap entries with an older
    /// `lastmod` are skipped, new pages are asked with `If-Modified-Since`.
    pub since: Option<NaiveDate>,
    /// List what would be fetched; write nothing.
    pub dry_run: bool,
    /// Start a new run even if the last one did not finish.
    pub restart: bool,
    /// Also fetch each document page's RIS export (`{page URL}.ris`); its
    /// record fills the fields the page leaves empty. A document without one
    /// (404) is counted in [`HarvestReport::ris_missing`], not failed.
    pub fetch_ris: bool,
}

impl Default for HarvestOptions {
    fn default() -> Self {
        Self {
            start: Vec::new(),
            fetch: FetchConfig::default(),
            concurrency: 2,
            max_pages: None,
            since: None,
            dry_run: false,
            restart: false,
            fetch_ris: false,
        }
    }
}

/// A URL that gave no page, or a page that gave no record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageFailure {
    /// The URL.
    pub url: String,
    /// Its status (0: no response).
    pub status: u16,
    /// Why.
    pub reason: String,
}

/// A document or person page the harvest holds in its cache.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HarvestedPage {
    /// The URL requested.
    pub url: String,
    /// The URL that answered.
    pub final_url: String,
    /// When it was fetched.
    pub fetched_at: String,
    /// SHA-256 of its body.
    pub sha256: String,
    /// Whether this run got new content (not a 304, not resumed from the cache).
    pub changed: bool,
    /// Why it does not read, when it does not (it then has no graph in the store).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unreadable: Option<String>,
    /// With `--ris`: SHA-256 of the page's RIS export held in the cache
    /// (at [`ris::ris_url`] of `final_url`), when the site had one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ris_sha256: Option<String>,
}

/// What a harvest did. Every URL it considered ends in exactly one of:
/// fetched, not modified, resumed from the cache, alias, failed, disallowed,
/// skipped by `--since`, or left queued by `--max-pages`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct HarvestReport {
    /// The run's number in this cache.
    pub run: u64,
    /// Whether it continued an interrupted run.
    pub resumed: bool,
    /// Whether the run is finished (nothing left in the queue).
    pub finished: bool,
    /// Responses with a body (2xx), this invocation.
    pub fetched: usize,
    /// 304 responses: the cached copy is current.
    pub not_modified: usize,
    /// URLs this run had already fetched before it was interrupted.
    pub from_cache: usize,
    /// Redirects to a URL fetched under its own name.
    pub aliases: usize,
    /// URLs that gave no page (404, redirect loop, timeout…).
    pub failed: Vec<PageFailure>,
    /// URLs `robots.txt` disallows (never requested).
    pub disallowed: Vec<String>,
    /// Sitemap entries older than `--since`.
    pub skipped_since: usize,
    /// With `--ris`: document pages whose RIS export answered 404 or 410 (not failures).
    #[serde(default)]
    pub ris_missing: usize,
    /// URLs left in the queue by `--max-pages`.
    pub left_queued: usize,
    /// Document and person pages that do not parse, with the reason.
    pub unparsed: Vec<PageFailure>,
    /// Document and person pages held in the cache for this run.
    pub pages: Vec<HarvestedPage>,
    /// Dry run: the URLs that would be fetched, and why.
    pub would_fetch: Vec<(String, String)>,
    /// HTTP requests sent (attempts and redirect hops included).
    pub requests: u64,
    /// Retries among them.
    pub retries: u64,
    /// Wall time, seconds.
    pub seconds: f64,
}

/// What the harvester takes a URL for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TaskKind {
    Robots,
    Sitemap,
    Start,
    Page(PageKind),
    /// The RIS export of a document page (`--ris`).
    Ris,
}

impl TaskKind {
    fn name(self) -> &'static str {
        match self {
            Self::Robots => "robots",
            Self::Sitemap => "sitemap",
            Self::Start => "start",
            Self::Page(PageKind::Document) => "document",
            Self::Page(PageKind::Person) => "person",
            Self::Page(PageKind::Listing) => "listing",
            Self::Ris => "ris",
        }
    }

    fn is_record_page(self) -> bool {
        matches!(self, Self::Page(PageKind::Document | PageKind::Person))
    }
}

#[derive(Debug, Clone)]
struct Task {
    url: Url,
    kind: TaskKind,
    /// A guess (`/sitemap.xml` when robots.txt names no sitemap): a 404 is no failure.
    optional: bool,
}

/// How a fetch ended.
enum Outcome {
    /// New content; for document and person pages, the page read into records.
    Page(Option<SourceBatch>),
    NotModified,
    Alias,
    Failed,
}

/// What a worker hands back to the loop.
struct Done {
    task: Task,
    entry: ManifestEntry,
    outcome: Outcome,
}

/// State shared with the workers.
struct Shared<'a> {
    fetcher: Fetcher,
    robots: HashMap<String, RobotsRules>,
    seen: Mutex<HashSet<String>>,
    read: &'a ReadOptions,
    cache_dir: PathBuf,
    run: u64,
}

/// Runs a harvest into the cache at `cache_dir`.
///
/// Returns the report and the document and person pages read as they
/// arrived (load them with [`read_harvested_pages`] and
/// [`chronograph_core::pipeline::load_batches`]). Single pages that fail are reported,
/// never fatal; the error is for what stops the whole harvest.
pub fn harvest(
    cache_dir: &Path,
    options: &HarvestOptions,
    read: &ReadOptions,
    progress: &ProgressBar,
) -> Result<(HarvestReport, Vec<SourceBatch>), HarvestError> {
    let started = Instant::now();
    let starts = parse_start_urls(&options.start)?;
    let mut cache = PageCache::open(cache_dir)?;
    let mut report = HarvestReport::default();
    let start_strings: Vec<String> = starts.iter().map(Url::to_string).collect();
    let run = match cache.run_state()? {
        Some(state) if !state.finished && !options.restart => {
            if state.start != start_strings {
                return Err(HarvestError::OtherRunUnfinished {
                    previous: state.start,
                });
            }
            report.resumed = true;
            state
        }
        other => RunState {
            run: other.map_or(1, |s| s.run + 1),
            started_at: now(),
            start: start_strings,
            finished: false,
        },
    };
    report.run = run.run;
    if !options.dry_run {
        cache.set_run_state(&run)?;
    }

    let mut shared = Shared {
        fetcher: Fetcher::new(options.fetch.clone())?,
        robots: HashMap::new(),
        seen: Mutex::new(HashSet::new()),
        read,
        cache_dir: cache_dir.to_path_buf(),
        run: run.run,
    };
    let mut crawl = Crawl {
        fetch_ris: options.fetch_ris,
        queue: VecDeque::new(),
        report,
        batches: Vec::new(),
        page_fetches: 0,
        ris_of: HashMap::new(),
        since_header: options.since.map(|d| {
            let t = d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
            httpdate::fmt_http_date(std::time::SystemTime::from(t))
        }),
    };

    // robots.txt of each site first: nothing else is asked before it is known.
    for start in &starts {
        let host = fetch::host_key(start);
        if shared.robots.contains_key(&host) {
            continue;
        }
        let rules = crawl.robots(&mut cache, &shared, start, options)?;
        if let Some(delay) = rules.crawl_delay() {
            shared.fetcher.set_crawl_delay(&host, delay);
        }
        let mut sitemaps: Vec<DiscoveredLink> = rules
            .sitemaps()
            .iter()
            .map(|s| DiscoveredLink {
                url: s.clone(),
                lastmod: None,
                sitemap: true,
            })
            .collect();
        shared.robots.insert(host, rules);
        let guess = sitemaps.is_empty();
        if guess {
            sitemaps.extend(start.join("/sitemap.xml").ok().map(|u| DiscoveredLink {
                url: u.to_string(),
                lastmod: None,
                sitemap: true,
            }));
        }
        crawl.enqueue(&shared, &sitemaps, options, guess);
    }
    for start in &starts {
        let link = DiscoveredLink {
            url: start.to_string(),
            lastmod: None,
            sitemap: looks_like_sitemap(start),
        };
        let allowed = shared
            .robots
            .get(&fetch::host_key(start))
            .is_none_or(|rules| rules.allowed(start.as_str()));
        if !allowed {
            tracing::info!(url = %start, "disallowed by robots.txt");
            crawl.report.disallowed.push(start.to_string());
        } else if link.sitemap {
            crawl.enqueue(&shared, &[link], options, false);
        } else if lock(&shared.seen).insert(link.url.clone()) {
            crawl.queue.push_back(Task {
                url: start.clone(),
                kind: TaskKind::Start,
                optional: false,
            });
        }
    }

    let concurrency = options.concurrency.max(1);
    let (task_tx, task_rx) = mpsc::channel::<(Task, Validators)>();
    let task_rx = Mutex::new(task_rx);
    let (done_tx, done_rx) = mpsc::channel::<Done>();
    let shared = &shared;
    std::thread::scope(|scope| -> Result<(), HarvestError> {
        for _ in 0..concurrency {
            let done_tx = done_tx.clone();
            let task_rx = &task_rx;
            scope.spawn(move || loop {
                let next = lock(task_rx).recv();
                let Ok((task, validators)) = next else { break };
                if done_tx.send(work(shared, task, &validators)).is_err() {
                    break;
                }
            });
        }
        drop(done_tx);
        let result = crawl.run(
            &mut cache,
            shared,
            options,
            concurrency,
            &task_tx,
            &done_rx,
            progress,
            started,
        );
        drop(task_tx);
        result
    })?;

    let mut report = crawl.report;
    report.finished = report.left_queued == 0 && !options.dry_run;
    report.requests = shared.fetcher.requests();
    report.retries = shared.fetcher.retries();
    if !options.dry_run {
        if report.finished {
            cache.set_run_state(&RunState {
                finished: true,
                ..run
            })?;
        }
        cache.compact()?;
    }
    report.seconds = started.elapsed().as_secs_f64();
    progress.finish_and_clear();
    Ok((report, crawl.batches))
}

/// The crawl loop's state (kept on the main thread; the cache is written only here).
struct Crawl {
    /// `--ris`: document pages bring their RIS export.
    fetch_ris: bool,
    queue: VecDeque<Task>,
    report: HarvestReport,
    batches: Vec<SourceBatch>,
    page_fetches: usize,
    /// With `--ris`: the RIS export's URL → the indexes in `report.pages` of the pages it belongs to.
    ris_of: HashMap<String, Vec<usize>>,
    since_header: Option<String>,
}

impl Crawl {
    /// Fetches (or, resuming, reads back) a site's robots.txt.
    fn robots(
        &mut self,
        cache: &mut PageCache,
        shared: &Shared<'_>,
        start: &Url,
        options: &HarvestOptions,
    ) -> Result<RobotsRules, HarvestError> {
        let url = start
            .join("/robots.txt")
            .map_err(|e| HarvestError::StartUrl {
                url: start.to_string(),
                message: e.to_string(),
            })?;
        let task = Task {
            url: url.clone(),
            kind: TaskKind::Robots,
            optional: true,
        };
        let entry = match cache.get(url.as_str()).filter(|e| e.run == shared.run) {
            Some(entry) => {
                self.report.from_cache += 1;
                entry.clone()
            }
            None => {
                let validators = validators_for(cache, &task, None);
                let done = work(shared, task, &validators);
                let entry = self.settle(cache, done, options)?;
                if entry.status >= 500 || entry.status == 0 && entry.error.is_some() {
                    return Err(HarvestError::RobotsUnreachable {
                        url: url.to_string(),
                        reason: entry.error.unwrap_or_default(),
                    });
                }
                entry
            }
        };
        if (300..400).contains(&entry.status) && entry.status != 304 {
            // Redirected past the limit, in a loop, or with no Location: RFC
            // 9309 §2.3.1.2 counts it unreachable, so nothing is allowed.
            return Err(HarvestError::RobotsUnreachable {
                url: url.to_string(),
                reason: entry.error.unwrap_or_default(),
            });
        }
        Ok(match cache.body(&entry)? {
            Some(body) if entry.error.is_none() => RobotsRules::parse(&body),
            _ => RobotsRules::AllowAll,
        })
    }

    /// Dispatches tasks to the workers and settles what comes back, until the queue is empty.
    #[allow(clippy::too_many_arguments)]
    fn run(
        &mut self,
        cache: &mut PageCache,
        shared: &Shared<'_>,
        options: &HarvestOptions,
        concurrency: usize,
        task_tx: &mpsc::Sender<(Task, Validators)>,
        done_rx: &mpsc::Receiver<Done>,
        progress: &ProgressBar,
        started: Instant,
    ) -> Result<(), HarvestError> {
        let mut in_flight = 0usize;
        loop {
            while in_flight < concurrency {
                let Some(task) = self.queue.pop_front() else {
                    break;
                };
                if let Some(entry) = cache.get(task.url.as_str()).filter(|e| e.run == shared.run) {
                    // Fetched by this run before it was interrupted: take it from the cache.
                    let entry = entry.clone();
                    self.report.from_cache += 1;
                    lock(&shared.seen).insert(entry.final_url.clone());
                    self.note(&task, &entry, false);
                    self.enqueue(shared, &entry.links, options, false);
                    self.follow_ris(shared, &task, &entry, options, false);
                    continue;
                }
                if matches!(task.kind, TaskKind::Page(_)) {
                    if options
                        .max_pages
                        .is_some_and(|max| self.page_fetches >= max)
                    {
                        self.report.left_queued += 1;
                        continue;
                    }
                    self.page_fetches += 1;
                }
                if options.dry_run && matches!(task.kind, TaskKind::Page(_) | TaskKind::Start) {
                    let why = match cache.get(task.url.as_str()) {
                        Some(e) if e.has_body() => "revalidate (cached)",
                        Some(_) => "retry (failed before)",
                        None => "new",
                    };
                    self.report
                        .would_fetch
                        .push((task.url.to_string(), why.to_owned()));
                    let ris = ris_url(task.url.as_str()).filter(|_| {
                        options.fetch_ris && task.kind == TaskKind::Page(PageKind::Document)
                    });
                    if let Some(ris) = ris {
                        self.report
                            .would_fetch
                            .push((ris, "RIS export of the page".to_owned()));
                    }
                    continue;
                }
                let validators = validators_for(cache, &task, self.since_header.as_deref());
                task_tx
                    .send((task, validators))
                    .map_err(|_| HarvestError::WorkersStopped)?;
                in_flight += 1;
            }
            if in_flight == 0 {
                return Ok(());
            }
            let Ok(done) = done_rx.recv() else {
                return Err(HarvestError::WorkersStopped);
            };
            in_flight -= 1;
            let task = done.task.clone();
            let fresh = matches!(done.outcome, Outcome::Page(_));
            let entry = self.settle(cache, done, options)?;
            self.enqueue(shared, &entry.links, options, false);
            self.follow_ris(shared, &task, &entry, options, fresh);
            if let Some(error) = entry.error.as_ref().filter(|_| !task.optional) {
                progress.println(format!("failed: {} ({error})", entry.url));
            }
            progress.set_message(format!(
                "{} fetched · {} not modified · {} queued · {} failed · {:.1} req/s",
                self.report.fetched,
                self.report.not_modified,
                self.queue.len() + in_flight,
                self.report.failed.len() + self.report.unparsed.len(),
                shared.fetcher.requests() as f64 / started.elapsed().as_secs_f64().max(0.001)
            ));
            progress.tick();
        }
    }

    /// Counts a finished fetch and writes its manifest entry; returns the entry.
    fn settle(
        &mut self,
        cache: &mut PageCache,
        done: Done,
        options: &HarvestOptions,
    ) -> Result<ManifestEntry, HarvestError> {
        let Done {
            task,
            mut entry,
            outcome,
        } = done;
        match outcome {
            Outcome::Page(batch) => {
                self.report.fetched += 1;
                self.batches.extend(batch);
                self.note(&task, &entry, true);
            }
            Outcome::NotModified => {
                self.report.not_modified += 1;
                if let Some(old) = cache.get(task.url.as_str()) {
                    // The cached copy stands: its body, validators and links.
                    entry = ManifestEntry {
                        fetched_at: entry.fetched_at,
                        run: entry.run,
                        ..old.clone()
                    };
                }
                self.note(&task, &entry, false);
            }
            Outcome::Alias => self.report.aliases += 1,
            Outcome::Failed if task.kind == TaskKind::Ris && matches!(entry.status, 404 | 410) => {
                self.report.ris_missing += 1;
            }
            Outcome::Failed => {
                if !(task.optional && entry.status == 404) {
                    self.report.failed.push(PageFailure {
                        url: entry.url.clone(),
                        status: entry.status,
                        reason: entry.error.clone().unwrap_or_default(),
                    });
                }
            }
        }
        if !options.dry_run {
            cache.record(entry.clone())?;
        }
        Ok(entry)
    }

    /// Keeps a document or person page with a body for loading, and reports
    /// it if it does not read (in every run that meets it, changed or not).
    fn note(&mut self, task: &Task, entry: &ManifestEntry, changed: bool) {
        if !task.kind.is_record_page() || entry.error.is_some() {
            return;
        }
        let Some(sha) = &entry.sha256 else {
            return;
        };
        if let Some(reason) = &entry.unreadable {
            self.report.unparsed.push(PageFailure {
                url: entry.url.clone(),
                status: entry.status,
                reason: reason.clone(),
            });
        }
        if self.fetch_ris && task.kind == TaskKind::Page(PageKind::Document) {
            if let Some(ris) = ris_url(&entry.final_url) {
                let index = self.report.pages.len();
                self.ris_of.entry(ris).or_default().push(index);
            }
        }
        self.report.pages.push(HarvestedPage {
            url: entry.url.clone(),
            final_url: entry.final_url.clone(),
            fetched_at: entry.fetched_at.clone(),
            sha256: sha.clone(),
            changed,
            unreadable: entry.unreadable.clone(),
            ris_sha256: None,
        });
    }

    /// Queues the links worth fetching: on a start site, not seen, classified
    /// by the profile (or a sitemap), allowed by robots.txt, not older than `--since`.
    fn enqueue(
        &mut self,
        shared: &Shared<'_>,
        links: &[DiscoveredLink],
        options: &HarvestOptions,
        optional: bool,
    ) {
        for link in links {
            let Ok(mut url) = Url::parse(&link.url) else {
                continue;
            };
            url.set_fragment(None);
            let Some(rules) = shared.robots.get(&fetch::host_key(&url)) else {
                continue; // another site
            };
            let kind = if link.sitemap {
                TaskKind::Sitemap
            } else if url.path().ends_with(".ris") {
                // A RIS export ("Export RIS" links) is no page: `--ris` fetches it with its page.
                continue;
            } else {
                match shared.read.profile.page_kind(&path_and_query(&url)) {
                    Some(kind) => TaskKind::Page(kind),
                    None => continue,
                }
            };
            if !lock(&shared.seen).insert(url.to_string()) {
                continue;
            }
            if !rules.allowed(url.as_str()) {
                tracing::info!(%url, "disallowed by robots.txt");
                self.report.disallowed.push(url.to_string());
                continue;
            }
            if let (Some(since), Some(lastmod)) = (options.since, &link.lastmod) {
                if lastmod_date(lastmod).is_some_and(|d| d < since) {
                    self.report.skipped_since += 1;
                    continue;
                }
            }
            self.queue.push_back(Task {
                url,
                kind,
                optional,
            });
        }
    }
}

/// One fetch, done by a worker: the request, the body into the cache, the
/// links it holds, and (for document and person pages) the page read.
fn work(shared: &Shared<'_>, task: Task, validators: &Validators) -> Done {
    let follow = |target: &Url| -> Result<bool, fetch::DisallowedRedirect> {
        let allowed = shared
            .robots
            .get(&fetch::host_key(target))
            .is_none_or(|rules| rules.allowed(target.as_str()));
        if !allowed {
            return Err(fetch::DisallowedRedirect(target.clone()));
        }
        // A target the crawl already has (or queued) is fetched under its own name.
        Ok(task.kind == TaskKind::Robots || lock(&shared.seen).insert(target.to_string()))
    };
    let outcome = if task.kind == TaskKind::Robots {
        shared.fetcher.fetch_robots_file(&task.url, validators)
    } else {
        shared.fetcher.fetch(&task.url, validators, &follow)
    };
    let mut entry = ManifestEntry {
        url: task.url.to_string(),
        final_url: task.url.to_string(),
        status: 0,
        fetched_at: now(),
        run: shared.run,
        kind: task.kind.name().to_owned(),
        etag: None,
        last_modified: None,
        content_type: None,
        sha256: None,
        bytes: None,
        error: None,
        unreadable: None,
        links: Vec::new(),
    };
    let outcome = match outcome {
        FetchOutcome::Page {
            final_url,
            status,
            etag,
            last_modified,
            content_type,
            body,
        } => {
            entry.final_url = final_url;
            entry.status = status;
            entry.etag = etag;
            entry.last_modified = last_modified;
            entry.content_type = content_type;
            entry.bytes = Some(body.len() as u64);
            match PageCache::put_body_in(&shared.cache_dir, &body)
                .map_err(|e| e.to_string())
                .and_then(|sha| {
                    entry.sha256 = Some(sha);
                    links_in(&task, &entry, &body, &shared.read.profile).map_err(|e| e.to_string())
                }) {
                Ok(links) => {
                    entry.links = links;
                    let batch = task
                        .kind
                        .is_record_page()
                        .then(|| sources::read_web_page(origin(&entry), &body, shared.read));
                    entry.unreadable = batch
                        .as_ref()
                        .and_then(|b| b.rejections.first())
                        .map(|r| r.error.to_string());
                    Outcome::Page(batch)
                }
                Err(reason) => {
                    entry.error = Some(reason);
                    Outcome::Failed
                }
            }
        }
        FetchOutcome::NotModified { final_url } => {
            entry.final_url = final_url;
            entry.status = 304;
            Outcome::NotModified
        }
        FetchOutcome::Alias { target, status } => {
            entry.final_url = target.clone();
            entry.status = status;
            entry.links = vec![DiscoveredLink {
                url: target,
                lastmod: None,
                sitemap: false,
            }];
            Outcome::Alias
        }
        FetchOutcome::Failed {
            final_url,
            status,
            reason,
        } => {
            entry.final_url = final_url;
            entry.status = status;
            entry.error = Some(reason);
            Outcome::Failed
        }
    };
    Done {
        task,
        entry,
        outcome,
    }
}

/// The links of a response the crawl may follow: a sitemap's entries, or an
/// HTML page's links that the profile classifies. A sitemap that does not
/// parse is an error (the URL is reported as failed).
fn links_in(
    task: &Task,
    entry: &ManifestEntry,
    body: &[u8],
    profile: &CompiledProfile,
) -> Result<Vec<DiscoveredLink>, sitemap::SitemapError> {
    match task.kind {
        TaskKind::Robots | TaskKind::Ris => Ok(Vec::new()),
        TaskKind::Sitemap => Ok(match sitemap::parse_sitemap(body)? {
            Sitemap::Index(maps) => maps
                .into_iter()
                .map(|m| DiscoveredLink {
                    url: m.loc,
                    lastmod: m.lastmod,
                    sitemap: true,
                })
                .collect(),
            Sitemap::UrlSet(urls) => urls
                .into_iter()
                .map(|u| DiscoveredLink {
                    url: u.loc,
                    lastmod: u.lastmod,
                    sitemap: false,
                })
                .filter(|l| {
                    Url::parse(&l.url)
                        .is_ok_and(|u| profile.page_kind(&path_and_query(&u)).is_some())
                })
                .collect(),
        }),
        TaskKind::Start | TaskKind::Page(_) => {
            let is_html = entry
                .content_type
                .as_deref()
                .is_none_or(|t| t.contains("html"));
            if !is_html {
                return Ok(Vec::new());
            }
            let Ok(base) = Url::parse(&entry.final_url) else {
                return Ok(Vec::new());
            };
            let html = Html::parse_document(&String::from_utf8_lossy(body));
            let anchors = Selector::parse("a[href]").expect("a valid selector");
            let mut seen = HashSet::new();
            Ok(html
                .select(&anchors)
                .filter_map(|a| base.join(a.value().attr("href")?.trim()).ok())
                .map(|mut u| {
                    u.set_fragment(None);
                    u
                })
                .filter(|u| fetch::same_site(&base, u))
                .filter(|u| profile.page_kind(&path_and_query(u)).is_some())
                .filter(|u| seen.insert(u.to_string()))
                .map(|u| DiscoveredLink {
                    url: u.to_string(),
                    lastmod: None,
                    sitemap: false,
                })
                .collect())
        }
    }
}

/// The conditional-request headers for a task: the cached copy's validators,
/// or `--since` for a document or person page not in the cache.
fn validators_for(cache: &PageCache, task: &Task, since: Option<&str>) -> Validators {
    match cache.get(task.url.as_str()) {
        Some(e) if e.has_body() && e.error.is_none() => Validators {
            etag: e.etag.clone(),
            last_modified: e.last_modified.clone(),
        },
        _ => Validators {
            etag: None,
            last_modified: since
                .filter(|_| task.kind.is_record_page())
                .map(str::to_owned),
        },
    }
}

fn origin(entry: &ManifestEntry) -> WebOrigin {
    WebOrigin {
        url: entry.url.clone(),
        final_url: entry.final_url.clone(),
        fetched_at: entry.fetched_at.clone(),
    }
}

/// The part of a URL the profile's patterns match: path and query.
fn path_and_query(url: &Url) -> String {
    match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_owned(),
    }
}

fn looks_like_sitemap(url: &Url) -> bool {
    let path = url.path().to_ascii_lowercase();
    path.ends_with(".xml") || path.ends_with(".xml.gz")
}

/// The date of a sitemap `<lastmod>` (W3C datetime: a date, maybe a time).
fn lastmod_date(lastmod: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(lastmod.get(..10)?, "%Y-%m-%d").ok()
}

fn parse_start_urls(start: &[String]) -> Result<Vec<Url>, HarvestError> {
    if start.is_empty() {
        return Err(HarvestError::StartUrl {
            url: String::new(),
            message: "give a site, page or sitemap URL to start from".to_owned(),
        });
    }
    start
        .iter()
        .map(|s| {
            let mut url = Url::parse(s).map_err(|e| HarvestError::StartUrl {
                url: s.clone(),
                message: e.to_string(),
            })?;
            if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
                return Err(HarvestError::StartUrl {
                    url: s.clone(),
                    message: "not an http(s) URL with a host".to_owned(),
                });
            }
            url.set_fragment(None);
            Ok(url)
        })
        .collect()
}

fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true)
}

#[cfg(test)]
mod tests;
