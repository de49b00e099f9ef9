//! `chronograph link` against a fake Wikidata on 127.0.0.1 serving the real
//! API's response format, with traps: namesakes, a ship, a disambiguation page,
//! right names with wrong dates, a name with no item, an ambiguous pair.

use chronograph_testkit as common;
use chronograph_testkit::fake_wikidata;

use std::collections::BTreeMap;
use std::path::Path;

use chronograph_core::mapping::iri::Base;
use chronograph_core::store::ArchiveStore;
use common::*;
use fake_wikidata::{Failure, FakeWikidata};

/// The expected outcome per sample person (tests/data/wikidata/README.md).
const EXPECTED: &[(&str, Option<&str>)] = &[
    ("Kim Il Sung", Some("Q39364")),
    ("Mao Zedong", Some("Q5816")),
    ("Nikita Khrushchev", Some("Q35314")),
    ("Leonid Brezhnev", Some("Q765165")),
    ("Anastas Mikoyan", Some("Q157043")),
    ("Alexei Kosygin", Some("Q186123")),
    ("Zhou Enlai", Some("Q16977")),
    ("Peng Dehuai", Some("Q312556")),
    ("Alexander Puzanov", Some("Q900000031")),
    ("Choe Yong-gon", Some("Q900000041")),
    ("Pak Chang-ok", None),
    ("Karoly Prath", None),
    ("Pyongyang", Some("Q18808")),
    ("Beijing", Some("Q956")),
    ("Moscow", Some("Q649")),
    ("Hanoi", Some("Q1858")),
];

fn link(store: &Path, fake: &FakeWikidata, dir: &Path, extra: &[&str]) -> String {
    let output = chronograph()
        .args(["link", "--store"])
        .arg(store)
        .args([
            "--endpoint",
            &fake.endpoint(),
            "--backoff",
            "0.05",
            "--contact",
            "tests@example.org",
        ])
        .arg("--cache")
        .arg(dir.join("cache"))
        .arg("--review-file")
        .arg(dir.join("review.tsv"))
        .args(extra)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "link failed:\n{stdout}\n{stderr}");
    stdout
}

/// Our people's (places', organisations') names → the QID the links graph gives them.
fn links(store: &Path) -> BTreeMap<String, String> {
    let store = ArchiveStore::open(store, Base::new("http://localhost:7878/").unwrap()).unwrap();
    select(
        &store,
        "SELECT ?name ?item WHERE { GRAPH <http://localhost:7878/graph/links> { ?p owl:sameAs ?item } ?p schema:name ?name }",
    )
    .into_iter()
    .map(|row| (row[0].clone(), row[1].trim_start_matches("http://www.wikidata.org/entity/").to_owned()))
    .collect()
}

#[test]
fn links_the_right_items_with_evidence_and_honours_the_curator() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    load_with_cli(&store, "data/sample");
    let fake = FakeWikidata::start();
    // Wikidata refuses twice (lagged replicas, then too many requests): the run waits and goes on.
    fake.push_failure(Failure::Maxlag);
    fake.push_failure(Failure::TooManyRequests);
    let summary = link(&store, &fake, dir.path(), &[]);
    assert!(
        summary.contains("linked") && summary.contains("request(s) made"),
        "{summary}"
    );
    let first_requests = fake.requests();
    assert!(first_requests > 10, "{first_requests}");
    assert!(fake
        .user_agents()
        .iter()
        .all(|ua| ua.contains("chronograph/") && ua.contains("tests@example.org")));

    let linked = links(&store);
    let (mut right, mut wrong, mut with_item) = (0, 0, 0);
    let mut missed: Vec<String> = Vec::new();
    for (name, expected) in EXPECTED {
        let got = linked.get(*name);
        if expected.is_some() {
            with_item += 1;
        }
        match (expected, got) {
            (Some(e), Some(g)) if e == g => right += 1,
            (_, Some(g)) => {
                wrong += 1;
                eprintln!("wrong link: {name} → {g}, expected {expected:?}");
            }
            (Some(e), None) => {
                missed.push(format!("{name} → {e}"));
                eprintln!("missed: {name} → {e}");
            }
            (None, None) => {}
        }
    }
    // Nobody outside the table is linked either (translators, organisations' people…).
    for (name, qid) in &linked {
        if !EXPECTED.iter().any(|(n, _)| n == name) {
            wrong += 1;
            eprintln!("unexpected link: {name} → {qid}");
        }
    }
    let precision = right as f64 / (right + wrong).max(1) as f64;
    let recall = right as f64 / with_item as f64;
    println!("linker on the fixtures: precision {precision:.2} ({right} right, {wrong} wrong), recall {recall:.2} ({right} of {with_item} people and places with an item)");
    assert_eq!(wrong, 0, "precision must be 1.0: {linked:?}");
    // Every expected link, not a share of them: a missed one is a defect.
    assert!(missed.is_empty(), "missed {missed:?}; linked {linked:?}");
    assert_eq!(right, with_item);

    // The ambiguous pair went to review; the traps did not get linked or reviewed as winners.
    let review = std::fs::read_to_string(dir.path().join("review.tsv")).unwrap();
    println!("review file after the first run:\n{review}\nsummary: {summary}");
    assert!(
        review.starts_with(
            "iri\tname\tcontext\tcandidate_qid\tlabel\tdescription\tscore\tevidence\tdecision"
        ),
        "{review}"
    );
    assert!(
        review.contains("Q900000051") && review.contains("Q900000052"),
        "{review}"
    );
    for trap in [
        "Q900000011",
        "Q900000012",
        "Q900000014",
        "Q900000019",
        "Q900000021",
        "Q900000042",
        "Q900000061",
        "Q900000062",
    ] {
        assert!(!linked.values().any(|q| q == trap), "trap {trap} linked");
    }

    // Why a link exists: score, evidence, method, time, tool version.
    let opened = ArchiveStore::open(&store, Base::new("http://localhost:7878/").unwrap()).unwrap();
    let why = select(
        &opened,
        "SELECT ?score ?method ?time ?version (GROUP_CONCAT(?evidence; separator=\" | \") AS ?all) WHERE {
           GRAPH <http://localhost:7878/graph/links> {
             ?link a cg:Link ; cg:linkSubject <http://localhost:7878/person/kim-il-sung> ;
                   cg:linkTarget <http://www.wikidata.org/entity/Q39364> ; cg:linkScore ?score ;
                   cg:linkMethod ?method ; cg:linkEvidence ?evidence ;
                   prov:generatedAtTime ?time ; schema:softwareVersion ?version } }
         GROUP BY ?score ?method ?time ?version",
    );
    assert_eq!(why.len(), 1, "{why:?}");
    assert!(why[0][0].parse::<f64>().unwrap() >= 0.85);
    assert_eq!(why[0][1], "scorer");
    assert!(
        why[0][4].contains("birth 1912 agrees") && why[0][4].contains("human"),
        "{}",
        why[0][4]
    );
    drop(opened);

    // The curator: Pak Chang-ok is Q900000052; Kim's link is rejected.
    let edited: String = review
        .lines()
        .map(|line| {
            if line.contains("\tQ900000052\t") {
                assert!(
                    line.ends_with('\t'),
                    "an undecided row ends with an empty decision: {line}"
                );
                format!("{line}accept")
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let kim_reject = "http://localhost:7878/person/kim-il-sung\tKim Il Sung\t\tQ39364\tKim Il-sung\t\t\t\treject";
    std::fs::write(
        dir.path().join("review.tsv"),
        format!("{edited}\n{kim_reject}\n"),
    )
    .unwrap();

    // A second run: the cache answers everything, the curator's word wins, the file keeps it.
    let before = fake.requests();
    let summary = link(&store, &fake, dir.path(), &[]);
    assert_eq!(
        fake.requests(),
        before,
        "the second run makes no request: {summary}"
    );
    assert!(summary.contains(" 0 request(s) made"), "{summary}");
    let linked = links(&store);
    assert_eq!(
        linked.get("Pak Chang-ok").map(String::as_str),
        Some("Q900000052")
    );
    assert_eq!(linked.get("Kim Il Sung"), None, "the curator rejected it");
    let review = std::fs::read_to_string(dir.path().join("review.tsv")).unwrap();
    assert!(
        review
            .lines()
            .any(|l| l.contains("\tQ900000052\t") && l.ends_with("\taccept")),
        "{review}"
    );
    assert!(
        review
            .lines()
            .any(|l| l.contains("\tQ39364\t") && l.ends_with("\treject")),
        "{review}"
    );

    // Offline: from the cache only, same answer.
    let offline = link(&store, &fake, dir.path(), &["--offline"]);
    assert_eq!(fake.requests(), before, "{offline}");
    assert_eq!(
        links(&store).get("Mao Zedong").map(String::as_str),
        Some("Q5816")
    );
}

#[test]
fn offline_without_a_cache_names_what_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    load_with_cli(&store, "data/sample");
    let fake = FakeWikidata::start();
    let output = chronograph()
        .args(["link", "--offline", "--store"])
        .arg(&store)
        .args(["--endpoint", &fake.endpoint()])
        .arg("--cache")
        .arg(dir.path().join("empty-cache"))
        .arg("--review-file")
        .arg(dir.path().join("review.tsv"))
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("cache") && stderr.contains("wbsearchentities"),
        "{stderr}"
    );
    assert_eq!(fake.requests(), 0);
}

#[test]
fn a_federated_query_joins_our_links_with_a_remote_endpoint() {
    use chronograph_serve::ServeOptions;

    // Our store, with two links.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store");
    load_with_cli(&path, "data/sample");
    {
        let store =
            ArchiveStore::open(&path, Base::new("http://localhost:7878/").unwrap()).unwrap();
        store
            .apply_update(
                "INSERT DATA { GRAPH <http://localhost:7878/graph/links> {
                   <http://localhost:7878/person/kim-il-sung> <http://www.w3.org/2002/07/owl#sameAs> <http://www.wikidata.org/entity/Q39364> .
                   <http://localhost:7878/person/mao-zedong> <http://www.w3.org/2002/07/owl#sameAs> <http://www.wikidata.org/entity/Q5816> } }",
            )
            .unwrap();
    }

    // The "remote" endpoint: a second chronograph serving Wikidata-shaped data.
    let remote = ArchiveStore::in_memory(Base::new("http://remote.example/").unwrap()).unwrap();
    remote
        .apply_update(
            "PREFIX wd: <http://www.wikidata.org/entity/> PREFIX wdt: <http://www.wikidata.org/prop/direct/>
             PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
             INSERT DATA { GRAPH <http://remote.example/graph/wikidata> {
               wd:Q39364 wdt:P569 \"1912-04-15\"^^xsd:date ; wdt:P570 \"1994-07-08\"^^xsd:date .
               wd:Q5816 wdt:P569 \"1893-12-26\"^^xsd:date ; wdt:P570 \"1976-09-09\"^^xsd:date .
               wd:Q35314 wdt:P569 \"1894-04-15\"^^xsd:date } }",
        )
        .unwrap();
    let server = BackgroundServer::start(remote, ServeOptions::default());
    let addr = server.address;

    let sample =
        std::fs::read_to_string(repo_path("queries/federated/wikidata-life-dates.rq")).unwrap();
    let query = sample.replace(
        "https://query.wikidata.org/sparql",
        &format!("http://{addr}/sparql"),
    );
    let run = |flags: &[&str]| {
        let mut cmd = chronograph();
        cmd.args(["query", "--format", "csv", "--store"]).arg(&path);
        cmd.args(flags);
        cmd.arg(&query).output().unwrap()
    };
    // A SERVICE on a loopback address is refused unless allowed by name:
    // a query must not make the server reach its own network.
    let local = run(&["--federation"]);
    let stderr = String::from_utf8_lossy(&local.stderr);
    assert!(
        !local.status.success() && stderr.contains("--federation-allow 127.0.0.1"),
        "{stderr}"
    );
    let output = run(&["--federation", "--federation-allow", "127.0.0.1"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        stdout.replace("\r\n", "\n"),
        "name,item,born,died\n\
         Kim Il Sung,http://www.wikidata.org/entity/Q39364,1912-04-15,1994-07-08\n\
         Mao Zedong,http://www.wikidata.org/entity/Q5816,1893-12-26,1976-09-09\n"
    );
    // Without --federation the query may not call out.
    let refused = run(&[]);
    assert!(!refused.status.success());
    drop(server);
}
