//! `chronograph harvest` against a mini-site on 127.0.0.1 (tests/common/mini_site.rs):
//! discovery, politeness, the cache and its manifest, conditional requests,
//! resuming after SIGKILL, `--load`, and a second site in other markup.

use chronograph_testkit as common;
use chronograph_testkit::mini_site;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chronograph_core::mapping::iri::{Base, DEFAULT_BASE};
use chronograph_core::store::ArchiveStore;
use chronograph_harvest::cache::PageCache;
use chronograph_harvest::HarvestReport;
use mini_site::{MiniSite, MiniSiteOptions};

/// The harvester's timeout in these tests; the slow page takes longer.
const TIMEOUT_SECS: f64 = 1.0;

fn chronograph() -> Command {
    Command::new(env!("CARGO_BIN_EXE_chronograph"))
}

/// The harvest command with the test's politeness settings: a rate limit well
/// above the site's Crawl-delay (so the Crawl-delay is what holds), short
/// timeouts and backoff.
fn harvest_command(site: &MiniSite, cache: &Path, store: Option<&Path>, extra: &[&str]) -> Command {
    let mut cmd = chronograph();
    cmd.arg("harvest")
        .arg(format!("{}/", site.base_url()))
        .arg("--cache")
        .arg(cache)
        .args(["--rate", "50", "--concurrency", "2", "--retries", "2"])
        .args(["--backoff", "0.05", "--timeout", &TIMEOUT_SECS.to_string()])
        .args(["--contact", "harvest-tests@example.org"])
        .arg("--report")
        .arg(cache.with_extension("report.json"));
    if let Some(store) = store {
        cmd.arg("--load").arg("--store").arg(store);
    }
    cmd.args(extra);
    cmd.env("CHRONOGRAPH_BASE", DEFAULT_BASE);
    cmd
}

/// Runs a harvest to completion; returns its report and stdout.
fn harvest(
    site: &MiniSite,
    cache: &Path,
    store: Option<&Path>,
    extra: &[&str],
) -> (HarvestReport, String) {
    let output = harvest_command(site, cache, store, extra).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    eprint!("{stderr}");
    assert!(
        output.status.success(),
        "harvest failed\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    let report: HarvestReport =
        serde_json::from_slice(&std::fs::read(cache.with_extension("report.json")).unwrap())
            .unwrap();
    (report, stdout)
}

fn paths_of(report_urls: impl IntoIterator<Item = String>, site: &MiniSite) -> BTreeSet<String> {
    report_urls
        .into_iter()
        .map(|u| u.strip_prefix(&site.base_url()).unwrap_or(&u).to_owned())
        .collect()
}

/// Requests per path.
fn request_counts(site: &MiniSite) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for r in site.requests() {
        *counts.entry(r.path_and_query.clone()).or_insert(0) += 1;
    }
    counts
}

fn open_store(path: &Path) -> ArchiveStore {
    ArchiveStore::open_read_only(path, Base::new(DEFAULT_BASE).unwrap()).unwrap()
}

fn count(store: &ArchiveStore, sparql: &str) -> usize {
    common::select(store, sparql)[0][0].parse().unwrap()
}

#[test]
fn a_harvest_fetches_every_allowed_page_once_politely_and_loads_them() {
    let site = MiniSite::start(MiniSiteOptions {
        crawl_delay: 0.2,
        slow_delay: Duration::from_secs(3),
    });
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let store = dir.path().join("store");
    let (report, stdout) = harvest(&site, &cache, Some(&store), &[]);
    println!("{stdout}");
    let requests = site.requests();
    let counts = request_counts(&site);

    // Every allowed page fetched exactly once.
    let pages: Vec<String> = site
        .document_paths()
        .into_iter()
        .chain(site.person_paths())
        .chain(site.listing_paths())
        .collect();
    for path in &pages {
        let fetched = requests
            .iter()
            .filter(|r| &r.path_and_query == path && r.status == 200)
            .count();
        assert_eq!(
            fetched, 1,
            "{path} answered 200 {fetched} times; counts {counts:?}"
        );
    }
    // The disallowed paths: never requested; the document URL among them is
    // reported as disallowed (the other is no page the profile knows).
    for path in site.disallowed_paths() {
        assert!(!counts.contains_key(&path), "{path} was requested");
    }
    assert_eq!(
        paths_of(report.disallowed.clone(), &site),
        BTreeSet::from([mini_site::RESTRICTED_PATH.to_owned()])
    );
    assert!(stdout.contains(&format!(
        "disallowed: {}{}",
        site.base_url(),
        mini_site::RESTRICTED_PATH
    )));
    // robots.txt came first; every request named the harvester and its contact.
    assert_eq!(requests[0].path_and_query, "/robots.txt");
    for r in &requests {
        let ua = r.user_agent.as_deref().unwrap_or("");
        assert!(
            ua.starts_with("chronograph/") && ua.contains("harvest-tests@example.org"),
            "{ua}"
        );
    }
    // The rate limit held: Crawl-delay 0.2 s between requests. The server
    // records arrival times, which jitter with thread scheduling on a busy
    // machine (one late arrival shortens the next gap), so: no two requests
    // closer than half the delay, and the whole crawl no faster than one
    // request per 0.2 s on average. Without the limit, gaps are about 1 ms.
    let mut times: Vec<Instant> = requests.iter().map(|r| r.at).collect();
    times.sort();
    let min_gap = times.windows(2).map(|w| w[1] - w[0]).min().unwrap();
    assert!(
        min_gap >= Duration::from_millis(100),
        "two requests {min_gap:?} apart"
    );
    let span = *times.last().unwrap() - times[0];
    let gaps = u32::try_from(times.len() - 1).unwrap();
    assert!(
        span >= Duration::from_millis(195) * gaps,
        "{} requests in {span:?}: faster than one per 0.2 s",
        times.len()
    );

    // 500 twice then 200: it arrives. 429 with Retry-After: waited, then 200.
    assert_eq!(counts[mini_site::FLAKY_PATH], 3, "{counts:?}");
    assert_eq!(counts[mini_site::BUSY_PATH], 2, "{counts:?}");
    let busy: Vec<Instant> = requests
        .iter()
        .filter(|r| r.path_and_query == mini_site::BUSY_PATH)
        .map(|r| r.at)
        .collect();
    assert!(
        busy[1] - busy[0] >= Duration::from_millis(950),
        "Retry-After: 1 not honoured"
    );
    let loaded_pages = paths_of(report.pages.iter().map(|p| p.url.clone()), &site);
    assert!(
        loaded_pages.contains(mini_site::FLAKY_PATH) && loaded_pages.contains(mini_site::BUSY_PATH)
    );

    // The 404, the redirect loop and the slow page are reported, with reasons.
    let failed: BTreeMap<String, String> = report
        .failed
        .iter()
        .map(|f| (f.url.replace(&site.base_url(), ""), f.reason.clone()))
        .collect();
    assert!(failed[mini_site::GONE_PATH].contains("404"), "{failed:?}");
    assert!(
        failed.keys().any(|k| k.starts_with("/document/loop-"))
            && failed.values().any(|r| r.contains("redirect loop")),
        "{failed:?}"
    );
    assert!(
        failed[mini_site::SLOW_PATH].contains("timed out"),
        "{failed:?}"
    );
    for (path, reason) in &failed {
        assert!(
            stdout.contains(&format!("failed: {}{path} ({reason})", site.base_url())),
            "{stdout}"
        );
    }
    assert_eq!(failed.len(), 3, "{failed:?}");
    // The redirect within the site: its target is fetched once, under its own name.
    assert_eq!(counts[mini_site::MOVED_PATH], 1);
    // The broken page: fetched, not parsed, reported with its URL and reason.
    assert_eq!(report.unparsed.len(), 1, "{:?}", report.unparsed);
    assert!(report.unparsed[0].url.ends_with(mini_site::BROKEN_PATH));
    assert!(stdout.contains(&format!(
        "unparsed: {}{}",
        site.base_url(),
        mini_site::BROKEN_PATH
    )));

    // The manifest: one line per URL, each body there and matching its SHA-256.
    let cache_view = PageCache::open(&cache).unwrap();
    let entries: Vec<_> = cache_view.entries().cloned().collect();
    let text = std::fs::read_to_string(cache.join("manifest.jsonl")).unwrap();
    assert_eq!(text.lines().count(), entries.len());
    for entry in &entries {
        if entry.sha256.is_some() {
            let body = cache_view.body(entry).unwrap().unwrap();
            assert_eq!(body.len() as u64, entry.bytes.unwrap());
            assert!(
                entry.etag.is_some() && entry.last_modified.is_some(),
                "{entry:?}"
            );
        }
    }
    drop(cache_view);

    // The store: every record loaded, provenance per page, the sample queries answer.
    assert!(
        stdout.contains(&format!("{} loaded, 1 rejected", site.expected_records())),
        "{stdout}"
    );
    let db = open_store(&store);
    assert_eq!(
        count(&db, "SELECT (COUNT(*) AS ?n) WHERE { ?d a rico:Record }"),
        site.document_paths().len()
    );
    let provenance = common::select(
        &db,
        &format!(
            "SELECT DISTINCT ?url ?at WHERE {{ GRAPH ?meta {{ ?g prov:hadPrimarySource <{}/document/200001> ;
               prov:wasGeneratedBy/prov:wasInformedBy ?r . ?r prov:used ?url ; prov:endedAtTime ?at }} }}",
            site.base_url()
        ),
    );
    assert_eq!(provenance.len(), 1, "{provenance:?}");
    for query in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/queries")).unwrap() {
        let path = query.unwrap().path();
        if path.extension().is_some_and(|e| e == "rq") {
            let text = std::fs::read_to_string(&path).unwrap();
            chronograph_core::query::execute(&db, &text)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        }
    }
    let per_year = common::select(
        &db,
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/queries/documents-per-year.rq"
        ))
        .unwrap(),
    );
    let total: usize = per_year
        .iter()
        .map(|row| row[1].parse::<usize>().unwrap())
        .sum();
    assert_eq!(total, site.document_paths().len(), "{per_year:?}");
    drop(db);

    // A second run: conditional requests only, every page 304, nothing new, nothing parsed.
    site.clear_requests();
    let (second, stdout) = harvest(&site, &cache, Some(&store), &[]);
    assert_eq!(second.fetched, 0, "{stdout}");
    assert!(second.not_modified >= pages.len(), "{stdout}");
    assert!(stdout.contains("up to date"), "second run:\n{stdout}");
    for r in site
        .requests()
        .iter()
        .filter(|r| pages.contains(&r.path_and_query))
    {
        assert_eq!(r.status, 304, "{r:?}");
        assert!(r.if_none_match.is_some(), "{r:?}");
    }

    // A changed page is fetched again and the store follows.
    site.touch("/document/200003");
    let (third, stdout) = harvest(&site, &cache, Some(&store), &[]);
    let changed: Vec<String> = third
        .pages
        .iter()
        .filter(|p| p.changed)
        .map(|p| p.url.replace(&site.base_url(), ""))
        .collect();
    assert_eq!(changed, ["/document/200003"], "{stdout}");
    assert!(stdout.contains("loaded"), "{stdout}");
    // The store holds the page as it is now, once: its summary carries the
    // revision the site added, and the old summary is gone.
    let db = open_store(&store);
    let summaries = common::select(
        &db,
        "SELECT ?summary WHERE { ?d <http://purl.org/dc/terms/abstract> ?summary \
         FILTER(CONTAINS(STR(?d), \"200003\")) }",
    );
    assert_eq!(summaries.len(), 1, "{summaries:?}");
    assert!(
        summaries[0][0].ends_with("Catalogue entry revised (1)."),
        "{summaries:?}"
    );
    assert_eq!(
        count(
            &db,
            "SELECT (COUNT(*) AS ?n) WHERE { ?d <http://purl.org/dc/terms/abstract> ?s \
             FILTER(CONTAINS(?s, \"Catalogue entry revised\")) }"
        ),
        1
    );
}

/// What a harvest leaves behind, with the site's address and the times taken out.
#[derive(Debug, PartialEq, Eq)]
struct Snapshot {
    manifest: BTreeMap<String, (String, u16, Option<String>)>,
    bodies: BTreeSet<String>,
    quads: BTreeSet<String>,
}

fn snapshot(site: &MiniSite, cache: &Path, store: &Path) -> Snapshot {
    let base = site.base_url();
    // In graph names the host's colon is percent-encoded.
    let host = base.trim_start_matches("http://").replace(':', "%3A");
    let strip = |s: &str| s.replace(&base, "SITE").replace(&host, "HOST");
    let view = PageCache::open(cache).unwrap();
    let mut manifest = BTreeMap::new();
    let mut bodies = BTreeSet::new();
    for e in view.entries() {
        manifest.insert(
            strip(&e.url),
            (strip(&e.final_url), e.status, e.error.as_deref().map(strip)),
        );
        if let Some(body) = view.body(e).unwrap() {
            let mut text = String::new();
            if body.starts_with(&[0x1f, 0x8b]) {
                // The gzipped sitemap: compare what it says.
                use std::io::Read;
                flate2::read::GzDecoder::new(&body[..])
                    .read_to_string(&mut text)
                    .unwrap();
            } else {
                text = String::from_utf8_lossy(&body).into_owned();
            }
            bodies.insert(strip(&text));
        }
    }
    drop(view);
    let db = open_store(store);
    let mut nquads = Vec::new();
    chronograph_core::export::export(
        &db,
        chronograph_core::export::ExportFormat::NQuads,
        None,
        &mut nquads,
        &indicatif::ProgressBar::hidden(),
    )
    .unwrap();
    // Times differ from run to run; so do the pages' SHA-256 (each site
    // instance writes its own address into its pages; the bodies are compared
    // above with the address taken out); the ontology's blank nodes (its
    // owl:unionOf lists) get new labels in every store.
    let times = [
        "prov#generatedAtTime",
        "prov#endedAtTime",
        "ontology#sha256",
    ];
    let ontology = "<https://w3id.org/chronograph/ontology> .";
    let quads = String::from_utf8(nquads)
        .unwrap()
        .lines()
        .filter(|l| !times.iter().any(|t| l.contains(&format!("{t}>"))))
        .filter(|l| !(l.contains("_:") && l.ends_with(ontology)))
        .map(strip)
        .collect::<BTreeSet<String>>();
    assert!(
        quads.iter().all(|q| !q.contains("_:")),
        "blank nodes outside the ontology"
    );
    Snapshot {
        manifest,
        bodies,
        quads,
    }
}

/// Asserts two snapshots' parts are equal, printing only what differs.
fn assert_same<T: std::fmt::Debug>(
    resumed: impl IntoIterator<Item = T>,
    reference: impl IntoIterator<Item = T>,
    trial: usize,
    what: &str,
) {
    let a: BTreeSet<String> = resumed.into_iter().map(|x| format!("{x:?}")).collect();
    let b: BTreeSet<String> = reference.into_iter().map(|x| format!("{x:?}")).collect();
    let only_resumed: Vec<_> = a.difference(&b).collect();
    let only_reference: Vec<_> = b.difference(&a).collect();
    assert!(
        only_resumed.is_empty() && only_reference.is_empty(),
        "trial {trial}: {what} differ\nonly after the resumed run: {only_resumed:#?}\nonly after the uninterrupted run: {only_reference:#?}"
    );
}

fn fast_site() -> MiniSite {
    MiniSite::start(MiniSiteOptions {
        crawl_delay: 0.03,
        slow_delay: Duration::from_secs(2),
    })
}

#[test]
fn a_harvest_killed_at_any_moment_resumes_to_the_same_cache_and_store() {
    let dir = tempfile::tempdir().unwrap();
    // The reference: one uninterrupted run.
    let reference = {
        let site = fast_site();
        let cache = dir.path().join("reference-cache");
        let store = dir.path().join("reference-store");
        harvest(&site, &cache, Some(&store), &[]);
        snapshot(&site, &cache, &store)
    };
    assert!(
        reference.manifest.len() > 40,
        "{:?}",
        reference.manifest.keys()
    );
    // Killed with SIGKILL after 3, 20 and 45 requests (robots and sitemaps;
    // documents; near the end), then the same command again.
    for (trial, after) in [3usize, 20, 45].into_iter().enumerate() {
        let site = fast_site();
        let cache = dir.path().join(format!("cache-{trial}"));
        let store = dir.path().join(format!("store-{trial}"));
        let mut child = harvest_command(&site, &cache, Some(&store), &[])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(60);
        while site.requests().len() < after {
            assert!(
                Instant::now() < deadline,
                "trial {trial}: the harvest stalled"
            );
            assert!(
                child.try_wait().unwrap().is_none(),
                "trial {trial}: finished before the kill"
            );
            std::thread::sleep(Duration::from_millis(2));
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let before = site.requests().len();
        // What the killed run had: pages with bodies in its manifest.
        let had: BTreeSet<String> = {
            let view = PageCache::open(&cache).unwrap();
            view.entries()
                .filter(|e| e.sha256.is_some())
                .map(|e| e.url.replace(&site.base_url(), ""))
                .collect()
        };
        let (report, stdout) = harvest(&site, &cache, Some(&store), &[]);
        assert!(report.resumed, "trial {trial}: {stdout}");
        // Nothing the killed run already had was requested again.
        for r in &site.requests()[before..] {
            assert!(
                !had.contains(&r.path_and_query),
                "trial {trial}: {} fetched again",
                r.path_and_query
            );
        }
        let resumed = snapshot(&site, &cache, &store);
        assert_same(
            &resumed.manifest,
            &reference.manifest,
            trial,
            "manifest entries",
        );
        assert_same(&resumed.bodies, &reference.bodies, trial, "cached bodies");
        assert_same(&resumed.quads, &reference.quads, trial, "quads");
        println!("trial {trial}: killed after {before} requests; resumed with {} more; same cache and store", site.requests().len() - before);
    }
}

#[test]
fn a_sister_site_in_other_markup_is_harvested_with_its_profile_file() {
    let profile: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "tests/data/harvest/sister-profile.toml",
    ]
    .iter()
    .collect();
    let site = MiniSite::start_sister(MiniSiteOptions {
        crawl_delay: 0.02,
        ..MiniSiteOptions::default()
    });
    let dir = tempfile::tempdir().unwrap();
    // Without the profile: the default profile takes none of its URLs for a
    // document page, and the person page it does take (`/people/…`) does not read.
    let (plain, _) = harvest(&site, &dir.path().join("plain"), None, &[]);
    assert!(!plain.pages.is_empty(), "{:?}", plain);
    assert!(
        plain.pages.iter().all(|p| p.url.contains("/people/")),
        "{:?}",
        plain.pages
    );
    assert_eq!(
        plain.unparsed.len(),
        plain.pages.len(),
        "{:?}",
        plain.unparsed
    );
    // With it: every page found, read and loaded.
    let store = dir.path().join("store");
    let (report, stdout) = harvest(
        &site,
        &dir.path().join("cache"),
        Some(&store),
        &["--profile", profile.to_str().unwrap()],
    );
    assert!(
        report.unparsed.is_empty() && report.failed.is_empty(),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("{} loaded, 0 rejected", site.expected_records())),
        "{stdout}"
    );
    let db = open_store(&store);
    assert_eq!(
        count(&db, "SELECT (COUNT(*) AS ?n) WHERE { ?d a rico:Record }"),
        site.document_paths().len()
    );
}

#[test]
fn dry_run_max_pages_and_since() {
    let site = fast_site();
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    // --dry-run: robots.txt and sitemaps are read, pages listed, nothing written.
    let (dry, stdout) = harvest(&site, &cache, None, &["--dry-run"]);
    assert!(dry.fetched >= 3, "{stdout}"); // robots.txt, the index, two sitemaps
    assert!(
        stdout.contains(&format!(
            "would fetch {}/document/200001  (new)",
            site.base_url()
        )),
        "{stdout}"
    );
    assert!(
        !cache.join("manifest.jsonl").exists()
            || std::fs::read_to_string(cache.join("manifest.jsonl"))
                .unwrap()
                .is_empty()
    );
    let requested = request_counts(&site);
    assert!(!requested.contains_key("/document/200001"), "{requested:?}");

    // --max-pages: stops after that many pages, and the next invocation continues.
    site.clear_requests();
    let (first, stdout) = harvest(&site, &cache, None, &["--max-pages", "5"]);
    assert!(!first.finished && first.left_queued > 0, "{stdout}");
    assert!(
        stdout.contains("run the same command again to continue"),
        "{stdout}"
    );
    let (rest, stdout) = harvest(&site, &cache, None, &[]);
    assert!(rest.resumed && rest.finished, "{stdout}");
    let doubled: Vec<_> = request_counts(&site)
        .into_iter()
        .filter(|(p, n)| *n > 1 && p.starts_with("/document/2"))
        .collect();
    assert!(doubled.is_empty(), "fetched twice: {doubled:?}");

    // --since after every lastmod: the sitemap entries are all skipped.
    let (since, stdout) = harvest(
        &site,
        &dir.path().join("since"),
        None,
        &["--since", "2100-01-01"],
    );
    assert!(since.skipped_since > 0, "{stdout}");
    let from_sitemaps = paths_of(since.pages.iter().map(|p| p.url.clone()), &site);
    assert!(
        !from_sitemaps.contains("/document/200001"),
        "{from_sitemaps:?}"
    );
}

/// A two-document site for `--ris`: robots.txt, a home page linking both
/// documents, each document page (neither has a summary), and the RIS export
/// of the first only (the second's answers 404). Every request's path is kept.
struct RisSite {
    base: String,
    requests: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// What the RIS export of the first document says: a title the page words
/// otherwise, and the abstract the page lacks.
const RIS_ABSTRACT: &str =
    "Kim Il Sung tells the Chinese ambassador about Kosygin's visit to Pyongyang.";
const PAGE_TITLE: &str = "Telegram from Pyongyang on Kosygin's Visit";

impl RisSite {
    fn start() -> Self {
        use axum::extract::State;
        use axum::http::{header, StatusCode, Uri};
        use axum::response::IntoResponse;
        type Requests = std::sync::Arc<std::sync::Mutex<Vec<String>>>;

        async fn handle(
            State((base, requests)): State<(String, Requests)>,
            uri: Uri,
            headers: axum::http::HeaderMap,
        ) -> axum::response::Response {
            let path = uri.path().to_owned();
            let if_none_match = headers
                .get(header::IF_NONE_MATCH)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            requests.lock().unwrap().push(path.clone());
            let page = |title: &str, date: &str, id: &str| {
                format!(
                    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>\
                     <link rel=\"canonical\" href=\"{base}/document/{id}\"></head><body><article class=\"document\">\
                     <div class=\"date\">{date}</div><h1 class=\"title\">{title}</h1>\
                     <div class=\"tab-pane active\"><p>Kosygin arrived in Pyongyang.</p></div>\
                     <div class=\"information-block\"><h3 class=\"sub-title\">Record ID</h3><div class=\"text\">{id}</div></div>\
                     </article></body></html>\n"
                )
            };
            let (status, kind, body) = match path.as_str() {
                "/robots.txt" => (StatusCode::OK, "text/plain", "User-agent: *\nAllow: /\n".to_owned()),
                "/" => (
                    StatusCode::OK,
                    "text/html",
                    "<!DOCTYPE html><html><body><a href=\"/document/500001\">one</a> \
                     <a href=\"/document/500002\">two</a></body></html>"
                        .to_owned(),
                ),
                "/document/500001" => (StatusCode::OK, "text/html", page(PAGE_TITLE, "February 1965", "500001")),
                "/document/500002" => (StatusCode::OK, "text/html", page("Minutes of a Meeting", "1966", "500002")),
                "/document/500001.ris" => (
                    StatusCode::OK,
                    "application/x-research-info-systems",
                    format!(
                        "TY  - GEN\r\nTI  - Telegram, Chinese Embassy in North Korea, on the Visit of\r\n  Kosygin\r\n\
                         AU  - Kim, Il-sung\r\nDA  - 1965/02/12/\r\nAB  - {RIS_ABSTRACT}\r\n\
                         UR  - {base}/document/500001\r\nER  - \r\n"
                    ),
                ),
                _ => (StatusCode::NOT_FOUND, "text/plain", "not found".to_owned()),
            };
            // A strong ETag, so that the next run's requests are conditional.
            let etag = format!(
                "\"{}\"",
                hex::encode(<sha2::Sha256 as sha2::Digest>::digest(body.as_bytes()))
            );
            if status == StatusCode::OK && if_none_match.as_deref() == Some(etag.as_str()) {
                return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
            }
            (
                status,
                [
                    (header::CONTENT_TYPE, kind.to_owned()),
                    (header::ETAG, etag),
                ],
                body,
            )
                .into_response()
        }

        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let requests = Requests::default();
        let state = (base.clone(), std::sync::Arc::clone(&requests));
        let (shutdown, stop) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                let app = axum::Router::new().fallback(handle).with_state(state);
                tokio::select! {
                    _ = std::future::IntoFuture::into_future(axum::serve(listener, app)) => {}
                    _ = stop => {}
                }
            });
        });
        Self {
            base,
            requests,
            shutdown: Some(shutdown),
            thread: Some(thread),
        }
    }

    fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

impl Drop for RisSite {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn ris_harvest(
    site: &RisSite,
    cache: &Path,
    store: &Path,
    extra: &[&str],
) -> (HarvestReport, String) {
    let report_path = cache.with_extension("report.json");
    let output = chronograph()
        .arg("harvest")
        .arg(format!("{}/", site.base))
        .arg("--cache")
        .arg(cache)
        .args(["--rate", "100", "--timeout", "5", "--retries", "0"])
        .args([
            "--contact",
            "harvest-tests@example.org",
            "--load",
            "--store",
        ])
        .arg(store)
        .arg("--report")
        .arg(&report_path)
        .args(extra)
        .env("CHRONOGRAPH_BASE", DEFAULT_BASE)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "harvest failed\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    let report = serde_json::from_slice(&std::fs::read(report_path).unwrap()).unwrap();
    (report, stdout)
}

#[test]
fn with_ris_a_document_page_takes_what_it_lacks_from_its_ris_export() {
    let abstracts = |store: &Path| {
        common::select(
            &open_store(store),
            "SELECT ?title ?abstract WHERE { ?d a rico:Record ; dcterms:title ?title .
               OPTIONAL { ?d dcterms:abstract ?abstract } } ORDER BY ?title",
        )
    };
    let dir = tempfile::tempdir().unwrap();

    // Without --ris: no RIS export is asked for, and the page has no abstract.
    let site = RisSite::start();
    let plain_store = dir.path().join("plain-store");
    let (plain, stdout) = ris_harvest(&site, &dir.path().join("plain"), &plain_store, &[]);
    assert!(
        site.requests().iter().all(|p| !p.ends_with(".ris")),
        "{:?}",
        site.requests()
    );
    assert_eq!(plain.ris_missing, 0);
    assert!(plain.pages.iter().all(|p| p.ris_sha256.is_none()));
    assert!(stdout.contains("2 loaded, 0 rejected"), "{stdout}");
    assert_eq!(
        abstracts(&plain_store),
        vec![
            vec!["Minutes of a Meeting".to_owned(), String::new()],
            vec![PAGE_TITLE.to_owned(), String::new()],
        ]
    );
    drop(site);

    // With --ris: each document's .ris is fetched once, the missing one is
    // no failure, and the RIS abstract fills the page's record (the page's
    // title stands); still one record per document.
    let site = RisSite::start();
    let cache = dir.path().join("cache");
    let store = dir.path().join("store");
    let (report, stdout) = ris_harvest(&site, &cache, &store, &["--ris"]);
    let requests = site.requests();
    for path in ["/document/500001.ris", "/document/500002.ris"] {
        assert_eq!(
            requests.iter().filter(|p| *p == path).count(),
            1,
            "{requests:?}"
        );
    }
    assert!(report.failed.is_empty(), "{stdout}");
    assert_eq!(report.ris_missing, 1, "{stdout}");
    assert!(
        stdout.contains("RIS exports: 1 page(s) with one, 1 document(s) without (404)"),
        "{stdout}"
    );
    assert!(stdout.contains("2 loaded, 0 rejected"), "{stdout}");
    assert_eq!(
        abstracts(&store),
        vec![
            vec!["Minutes of a Meeting".to_owned(), String::new()],
            vec![PAGE_TITLE.to_owned(), RIS_ABSTRACT.to_owned()],
        ]
    );
    let db = open_store(&store);
    let merged = common::select(
        &db,
        &format!(
            "SELECT ?date (COUNT(DISTINCT ?creator) AS ?creators) WHERE {{
               ?d a rico:Record ; dcterms:title \"{PAGE_TITLE}\" ; dcterms:date ?date ; rico:hasCreator ?creator }}
             GROUP BY ?date"
        ),
    );
    // The page's date stands ("February 1965", not the RIS export's day);
    // the author, which the page does not name, comes from the RIS export.
    assert_eq!(merged, vec![vec!["1965-02".to_owned(), "1".to_owned()]]);
    drop(db);

    // A second run: the RIS export is asked for conditionally and the store is up to date.
    let (second, stdout) = ris_harvest(&site, &cache, &store, &["--ris"]);
    assert_eq!(second.ris_missing, 1, "{stdout}");
    assert!(stdout.contains("up to date"), "{stdout}");
    assert_eq!(abstracts(&store)[1][1], RIS_ABSTRACT);
}
