//! Crash trials during SPARQL Update: `chronograph serve --update-token` is
//! killed with SIGKILL at moments spread over a stream of updates (new
//! documents, added summaries, deleted dates, renamed people, cleared
//! graphs). After each kill, an index that opens as current already agrees
//! with the store, and one that does not is reported behind; a reopen (the
//! writable server started again) leaves store, statistics and index in
//! agreement: every acknowledged update is in the store, the statistics equal
//! a plain scan of the store's quads, and for every marker word the updates
//! wrote, the index finds exactly the records whose title or summary the
//! store gives it.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chronograph_core::mapping::iri::{Base, DEFAULT_BASE};
use chronograph_core::store::ArchiveStore;
use chronograph_corpus::{write_corpus, CorpusFormat, CorpusOptions};
use chronograph_search::{SearchError, SearchIndex};
use chronograph_testkit as common;

const TRIALS: usize = 8;
const TOKEN: &str = "crash-trial-secret";
const PREFIXES: &str = "PREFIX cg: <https://w3id.org/chronograph/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX schema: <https://schema.org/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
";

/// `chronograph serve` with updates allowed, on a free port.
fn start_server(store: &Path) -> (Child, u16) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(env!("CARGO_BIN_EXE_chronograph"))
        .args(["serve", "--store"])
        .arg(store)
        .args(["--bind", &format!("127.0.0.1:{port}")])
        .env("CHRONOGRAPH_UPDATE_TOKEN", TOKEN)
        .env("CHRONOGRAPH_BASE", DEFAULT_BASE)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "serve did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    (child, port)
}

/// The `n`th update of trial `trial`, and the marker word it writes, if any.
fn update(
    trial: usize,
    n: usize,
    documents: &[String],
    people: &[String],
) -> (String, Option<String>) {
    let edits = format!("{DEFAULT_BASE}graph/source/edits-{trial}");
    let marker = format!("marker{trial}x{n}");
    let document = &documents[(n * 7 + trial) % documents.len()];
    let person = &people[(n * 3 + trial) % people.len()];
    let (body, marker) = match n % 5 {
        0 => (
            format!(
                "INSERT DATA {{ GRAPH <{edits}> {{ <{DEFAULT_BASE}document/new-{trial}-{n}> a cg:Document ; \
                 dcterms:title \"Report {marker}\" ; dcterms:date \"196{}-02-01\"^^xsd:date ; \
                 schema:mentions <{person}> }} }}",
                n % 10
            ),
            Some(marker),
        ),
        1 => (
            format!("INSERT DATA {{ GRAPH <{edits}> {{ <{document}> dcterms:abstract \"Summary {marker}\" }} }}"),
            Some(marker),
        ),
        2 => (
            format!("DELETE WHERE {{ GRAPH ?g {{ <{document}> dcterms:date ?date }} }}"),
            None,
        ),
        3 => (
            format!(
                "DELETE {{ GRAPH ?g {{ <{person}> schema:name ?name }} }} \
                 INSERT {{ GRAPH <{edits}> {{ <{person}> schema:name \"Person {marker}\" }} }} \
                 WHERE {{ GRAPH ?g {{ <{person}> schema:name ?name }} }}"
            ),
            Some(marker),
        ),
        _ if n % 15 == 14 => (format!("CLEAR SILENT GRAPH <{edits}>"), None),
        _ => (
            format!("DELETE WHERE {{ GRAPH ?g {{ <{document}> schema:mentions ?someone }} }}"),
            None,
        ),
    };
    (format!("{PREFIXES}{body}"), marker)
}

#[test]
fn a_server_killed_during_updates_leaves_index_statistics_and_store_in_agreement() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    write_corpus(
        &CorpusOptions {
            documents: 300,
            people: 20,
            events: 60,
            seed: 23,
            format: CorpusFormat::Jsonl,
        },
        &corpus,
    )
    .unwrap();
    let store_path = dir.path().join("store");
    let loaded = Command::new(env!("CARGO_BIN_EXE_chronograph"))
        .args(["load", "--bulk", "--store"])
        .arg(&store_path)
        .arg("--authority")
        .arg(corpus.join("authority.csv"))
        .arg(&corpus)
        .env("CHRONOGRAPH_BASE", DEFAULT_BASE)
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(loaded.success());
    let (documents, people) = {
        let store = open(&store_path);
        (
            common::column(&store, "SELECT ?d WHERE { ?d a cg:Document } ORDER BY ?d"),
            common::column(&store, "SELECT ?p WHERE { ?p a cg:Person } ORDER BY ?p"),
        )
    };
    assert!(documents.len() >= 300 && people.len() >= 10);
    let client = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();

    let mut acknowledged_in_all = 0;
    let mut behind_after_kill = 0;
    let mut markers_searched = 0;
    for trial in 0..TRIALS {
        let (mut server, port) = start_server(&store_path);
        let stop = Arc::new(AtomicBool::new(false));
        let sender = {
            let (client, stop) = (client.clone(), stop.clone());
            let (documents, people) = (documents.clone(), people.clone());
            std::thread::spawn(move || {
                let mut acknowledged = Vec::new();
                for n in 0.. {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let (body, marker) = update(trial, n, &documents, &people);
                    let answer = client
                        .post(format!("http://127.0.0.1:{port}/sparql"))
                        .header("Content-Type", "application/sparql-update")
                        .bearer_auth(TOKEN)
                        .body(body)
                        .send();
                    match answer {
                        Ok(r) if r.status().is_success() => acknowledged.push((n, marker)),
                        Ok(r) => panic!("trial {trial}: update {n} answered {}", r.status()),
                        Err(_) => break, // the server is gone
                    }
                }
                acknowledged
            })
        };
        // Kill moments from 150 ms to 1.9 s into the stream of updates.
        std::thread::sleep(Duration::from_millis(150 + 250 * trial as u64));
        server.kill().unwrap(); // SIGKILL
        server.wait().unwrap();
        stop.store(true, Ordering::Relaxed);
        let acknowledged = sender.join().unwrap();
        acknowledged_in_all += acknowledged.len();

        // Straight after the kill: a current index already agrees; any
        // other is reported behind, never read as if it followed the store.
        {
            let store = open(&store_path);
            match SearchIndex::open_current(&store, &store_path) {
                Ok(index) => {
                    agree(&store, &index, trial, &acknowledged);
                }
                Err(SearchError::NeedsReindex { state, .. }) => {
                    assert!(state.contains("behind"), "trial {trial}: {state}");
                    behind_after_kill += 1;
                }
                Err(e) => panic!("trial {trial}: {e}"),
            }
        }
        // The reopen: the writable server started again (it brings the
        // index up to date before it serves).
        let (mut server, _) = start_server(&store_path);
        server.kill().unwrap();
        server.wait().unwrap();
        let store = open(&store_path);
        let index = SearchIndex::open_current(&store, &store_path)
            .unwrap_or_else(|e| panic!("trial {trial}: after the reopen: {e}"));
        markers_searched += agree(&store, &index, trial, &acknowledged);
        println!(
            "trial {trial}: killed after {} acknowledged update(s); reopened: store, statistics and index agree",
            acknowledged.len()
        );
    }
    assert!(
        acknowledged_in_all >= TRIALS,
        "only {acknowledged_in_all} update(s) acknowledged before the kills"
    );
    assert!(markers_searched > 0, "no marker word was searched for");
    println!("{behind_after_kill} of {TRIALS} kills left the index behind the store");
}

fn open(path: &Path) -> ArchiveStore {
    ArchiveStore::open_read_only(path, Base::new(DEFAULT_BASE).unwrap()).unwrap()
}

/// Store, statistics and index agree, and the acknowledged updates are in
/// the store; returns how many marker words were searched for.
fn agree(
    store: &ArchiveStore,
    index: &SearchIndex,
    trial: usize,
    acknowledged: &[(usize, Option<String>)],
) -> usize {
    let wrong = chronograph_testkit::statistics_scan::differences(
        &store.statistics().unwrap(),
        &chronograph_testkit::statistics_scan::statistics_by_scan(store),
    );
    assert!(
        wrong.is_empty(),
        "trial {trial}: {} statistics differ from a scan, first {:?}",
        wrong.len(),
        &wrong[..wrong.len().min(3)]
    );
    let records = common::column(
        store,
        "SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { VALUES ?c { cg:Document cg:Event } ?r a ?c }",
    );
    assert_eq!(
        index.len().to_string(),
        records[0],
        "trial {trial}: records in the index"
    );

    // Durability: an acknowledged document or summary is in the store
    // (names may have been renamed again, and cleared graphs take theirs).
    let texts: BTreeSet<String> = common::column(
        store,
        "SELECT ?text WHERE { GRAPH ?g { ?s ?p ?text } FILTER(isLiteral(?text) && CONTAINS(STR(?text), \"marker\")) }",
    )
    .into_iter()
    .collect();
    // The update in flight at the kill may have been applied too.
    let sent = acknowledged.last().map_or(0, |(n, _)| n + 1);
    let cleared_after = |n: usize| (n + 1..=sent).any(|m| m % 15 == 14);
    for (n, marker) in acknowledged {
        let Some(marker) = marker else { continue };
        if n % 5 == 3 || cleared_after(*n) {
            continue;
        }
        assert!(
            texts.iter().any(|t| t.ends_with(&format!(" {marker}"))),
            "trial {trial}: acknowledged update {n} ({marker}) is not in the store"
        );
    }

    // Every marker word in a title or summary, or in the name of someone a
    // record names: the index finds exactly the records the store gives it to.
    let rows = common::select(
        store,
        "SELECT ?record ?text WHERE { VALUES ?c { cg:Document cg:Event } ?record a ?c . \
         { VALUES ?p { dcterms:title dcterms:abstract } ?record ?p ?text } \
         UNION { ?record ?named ?someone . ?someone a cg:Person ; schema:name ?text } \
         FILTER(CONTAINS(STR(?text), \"marker\")) }",
    );
    let mut by_marker: std::collections::BTreeMap<String, BTreeSet<String>> = Default::default();
    for row in rows {
        let word = row[1].rsplit(' ').next().unwrap().to_owned();
        by_marker.entry(word).or_default().insert(row[0].clone());
    }
    for (marker, expected) in &by_marker {
        let found: BTreeSet<String> = index
            .search(store, marker, 1000, 0)
            .unwrap()
            .hits
            .into_iter()
            .map(|h| h.iri)
            .collect();
        assert_eq!(
            &found, expected,
            "trial {trial}: records the index finds for {marker}"
        );
    }
    by_marker.len()
}
