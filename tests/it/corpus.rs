//! `gen-corpus`: a small corpus in both formats is byte-identical when generated
//! twice, loads through the real pipeline with no rejection, holds exactly the
//! documents, events and people it says, covers every date precision over
//! 1945–1991, names at least two people per event, has realistic text lengths,
//! and its pages read back to the same records as its JSON Lines.

use chronograph_testkit as common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chronograph_core::mapping::iri::{Base, DEFAULT_BASE};
use chronograph_core::mentions::{EntityKind, Gazetteer};
use chronograph_core::model::{Document, Event, Record};
use chronograph_core::pipeline::{self, LoadOptions};
use chronograph_core::sources::{self, ReadOptions};
use chronograph_core::store::ArchiveStore;
use chronograph_corpus::{write_corpus, CorpusFormat, CorpusOptions, CorpusSummary};
use sha2::{Digest, Sha256};

const DOCUMENTS: usize = 200;
const PEOPLE: usize = 30;
const EVENTS: usize = 60;

fn options(format: CorpusFormat, seed: u64) -> CorpusOptions {
    CorpusOptions {
        documents: DOCUMENTS,
        people: PEOPLE,
        events: EVENTS,
        seed,
        format,
    }
}

fn generate(format: CorpusFormat, seed: u64) -> (tempfile::TempDir, CorpusSummary) {
    let dir = tempfile::tempdir().unwrap();
    let summary = write_corpus(&options(format, seed), dir.path()).unwrap();
    (dir, summary)
}

/// Every file under a folder (hidden ones too) → SHA-256, by relative path.
fn hashes(root: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                let relative = path.strip_prefix(root).unwrap().display().to_string();
                out.insert(relative, hex::encode(Sha256::digest(&bytes)));
            }
        }
    }
    out
}

fn total_bytes(root: &Path) -> u64 {
    let mut total = 0;
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let entry = entry.unwrap();
            if entry.path().is_dir() {
                stack.push(entry.path());
            } else {
                total += entry.metadata().unwrap().len();
            }
        }
    }
    total
}

/// Every record of every source under the folder, read as `load` reads them.
fn records(root: &Path) -> Vec<Record> {
    let paths = sources::collect_source_paths(&[root.to_path_buf()]).unwrap();
    let options = ReadOptions::default();
    let mut out = Vec::new();
    for path in paths {
        let batch = sources::read_source(&path, &options);
        assert!(batch.rejections.is_empty(), "{:?}", batch.rejections);
        assert!(batch.warnings.is_empty(), "{:?}", batch.warnings);
        out.extend(batch.records.into_iter().map(|r| r.record));
    }
    out
}

fn count(store: &ArchiveStore, class: &str) -> usize {
    let sparql = format!(
        "{}SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a {class} }}",
        common::PREFIXES
    );
    common::column(store, &sparql)[0].parse().unwrap()
}

/// Loads a generated corpus as `chronograph load --authority OUT/authority.csv OUT` does.
fn load(dir: &Path) -> ArchiveStore {
    let store = ArchiveStore::in_memory(Base::new(DEFAULT_BASE).unwrap()).unwrap();
    let options = LoadOptions {
        authority: vec![dir.join("authority.csv")],
        ..Default::default()
    };
    let report = pipeline::load(
        &store,
        &[dir.to_path_buf()],
        &options,
        &indicatif::ProgressBar::hidden(),
    )
    .unwrap();
    assert_eq!(report.rejected, 0, "{:#?}", report.rejections);
    assert!(report.warnings.is_empty(), "{:#?}", report.warnings);
    assert!(
        report.ambiguous_variants.is_empty(),
        "{:?}",
        report.ambiguous_variants
    );
    assert_eq!(report.read, report.loaded);
    store
}

/// What a loaded corpus must hold, whatever its format.
fn check_store(store: &ArchiveStore) {
    assert_eq!(count(store, "cg:Document"), DOCUMENTS);
    assert_eq!(count(store, "cg:Event"), EVENTS);
    assert_eq!(count(store, "cg:Person"), PEOPLE);
    // Every sender and receiver resolves to a known person or organisation.
    assert_eq!(count(store, "cg:Agent"), 0);

    let precisions = common::column(
        store,
        &format!(
            "{}SELECT DISTINCT ?p WHERE {{ ?d a cg:Document ; cg:datePrecision ?p }} ORDER BY ?p",
            common::PREFIXES
        ),
    );
    assert_eq!(precisions, ["day", "month", "range", "year"]);
    let approximate = common::column(
        store,
        &format!(
            "{}SELECT (COUNT(?d) AS ?n) WHERE {{ ?d a cg:Document ; cg:approximateDate true }}",
            common::PREFIXES
        ),
    );
    assert!(approximate[0].parse::<usize>().unwrap() > 0);
    for (class, earliest, latest) in [
        ("cg:Document", "cg:earliestDate", "cg:latestDate"),
        (
            "cg:Event",
            "sem:hasEarliestBeginTimeStamp",
            "sem:hasLatestEndTimeStamp",
        ),
    ] {
        let rows = common::select(
            store,
            &format!(
                "{}SELECT (MIN(?e) AS ?first) (MAX(?l) AS ?last) (MIN(?y) AS ?y0) (MAX(?y) AS ?y1) \
                 WHERE {{ ?x a {class} ; {earliest} ?e ; {latest} ?l BIND(YEAR(?e) AS ?y) }}",
                common::PREFIXES
            ),
        );
        let [first, last, y0, y1] = &rows[0][..] else {
            panic!("{rows:?}")
        };
        assert!(
            first.as_str() >= "1945-01-01" && last.as_str() <= "1991-12-31",
            "{rows:?}"
        );
        // The dates spread over the period.
        assert!(
            y0.parse::<i32>().unwrap() <= 1952 && y1.parse::<i32>().unwrap() >= 1982,
            "{rows:?}"
        );
    }
    let actors = common::select(
        store,
        &format!(
            "{}SELECT (AVG(?n) AS ?avg) (MIN(?n) AS ?min) (MAX(?n) AS ?max) WHERE {{ \
             {{ SELECT ?e (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?e a cg:Event ; sem:hasActor ?p . ?p a cg:Person }} GROUP BY ?e }} }}",
            common::PREFIXES
        ),
    );
    let average: f64 = actors[0][0].parse().unwrap();
    assert!(average >= 2.3, "{actors:?}");
    assert_eq!(actors[0][1], "2");
    assert_eq!(actors[0][2], "4");
    let documented = common::column(
        store,
        &format!(
            "{}SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ ?e a cg:Event ; cg:documentedBy ?d . ?d a cg:Document }}",
            common::PREFIXES
        ),
    );
    assert!(documented[0].parse::<usize>().unwrap() >= EVENTS / 2);
}

#[test]
fn a_jsonl_corpus_is_deterministic_and_loads_exactly() {
    let (a, summary) = generate(CorpusFormat::Jsonl, 7);
    let (b, _) = generate(CorpusFormat::Jsonl, 7);
    let (c, _) = generate(CorpusFormat::Jsonl, 8);
    let files = hashes(a.path());
    assert_eq!(
        files.keys().collect::<Vec<_>>(),
        [
            ".corpus.json",
            "authority.csv",
            "documents-0001.jsonl",
            "events-0001.jsonl"
        ]
    );
    assert_eq!(files, hashes(b.path()), "same seed, same bytes");
    let other = hashes(c.path());
    assert_ne!(files["documents-0001.jsonl"], other["documents-0001.jsonl"]);
    assert_ne!(files["authority.csv"], other["authority.csv"]);
    assert_eq!(
        summary,
        CorpusSummary {
            files: 4,
            documents: DOCUMENTS,
            people: PEOPLE,
            events: EVENTS,
            bytes: total_bytes(a.path()),
        }
    );

    let store = load(a.path());
    check_store(&store);

    let texts = records(a.path())
        .iter()
        .filter(|r| matches!(r, Record::Document(d) if d.text.is_some()))
        .count();
    assert_eq!(texts, DOCUMENTS);
}

#[test]
fn text_lengths_are_log_normal_with_a_median_of_a_few_kilobytes() {
    let dir = tempfile::tempdir().unwrap();
    let options = CorpusOptions {
        documents: 2_000,
        events: 0,
        ..options(CorpusFormat::Jsonl, 7)
    };
    write_corpus(&options, dir.path()).unwrap();
    let mut lengths: Vec<usize> = records(dir.path())
        .iter()
        .filter_map(|r| match r {
            Record::Document(d) => d.text.as_ref().map(String::len),
            _ => None,
        })
        .collect();
    assert_eq!(lengths.len(), 2_000);
    lengths.sort_unstable();
    let at = |q: usize| lengths[lengths.len() * q / 100];
    let (median, p95, max) = (at(50), at(95), lengths[lengths.len() - 1]);
    println!(
        "text bytes: p5 {}, median {median}, p95 {p95}, max {max}",
        at(5)
    );
    assert!((3_000..=5_000).contains(&median), "median {median}");
    assert!((10_000..=25_000).contains(&p95), "p95 {p95}");
    assert!(max > 40_000, "max {max}");
    assert!(at(5) < 1_500, "p5 {}", at(5));
}

#[test]
fn an_html_corpus_is_deterministic_and_loads_exactly() {
    let (a, summary) = generate(CorpusFormat::Html, 7);
    let (b, _) = generate(CorpusFormat::Html, 7);
    let files = hashes(a.path());
    assert_eq!(files, hashes(b.path()), "same seed, same bytes");
    let documents = files.keys().filter(|f| f.starts_with("documents/")).count();
    let people = files.keys().filter(|f| f.starts_with("people/")).count();
    assert_eq!((documents, people), (DOCUMENTS, PEOPLE));
    assert!(files.contains_key("documents/000/200001.html"));
    assert_eq!(summary.files, files.len());
    assert_eq!(summary.bytes, total_bytes(a.path()));
    let store = load(a.path());
    check_store(&store);
    // One person page (a collection about the person) per person.
    assert_eq!(count(&store, "cg:Collection"), PEOPLE);
}

/// Events as (date, text, documents), the part both formats print.
fn event_keys<'a>(
    events: impl Iterator<Item = &'a Event>,
) -> BTreeSet<(String, String, Vec<String>)> {
    events
        .map(|e| (e.date.original.clone(), e.text.clone(), e.documents.clone()))
        .collect()
}

#[test]
fn pages_read_back_to_the_jsonl_records_and_name_exactly_their_people() {
    let (jsonl, _) = generate(CorpusFormat::Jsonl, 21);
    let (html, _) = generate(CorpusFormat::Html, 21);
    let from_jsonl = records(jsonl.path());
    let from_html = records(html.path());
    let documents = |records: &[Record]| -> BTreeMap<String, Document> {
        records
            .iter()
            .filter_map(|r| match r {
                Record::Document(d) => Some((d.id.clone(), d.clone())),
                _ => None,
            })
            .collect()
    };
    let (a, b) = (documents(&from_jsonl), documents(&from_html));
    assert_eq!(a.len(), DOCUMENTS);
    for (id, doc) in &a {
        assert_eq!(Some(doc), b.get(id), "document {id}");
    }
    let jsonl_events: Vec<&Event> = from_jsonl
        .iter()
        .filter_map(|r| match r {
            Record::Event(e) => Some(e),
            _ => None,
        })
        .collect();
    let timeline_events: Vec<&Event> = from_html
        .iter()
        .filter_map(|r| match r {
            Record::PersonPage(p) => Some(p.timeline.iter()),
            _ => None,
        })
        .flatten()
        .collect();
    assert_eq!(jsonl_events.len(), EVENTS);
    assert!(timeline_events.len() >= EVENTS);
    assert_eq!(
        event_keys(jsonl_events.iter().copied()),
        event_keys(timeline_events.iter().copied())
    );

    // The mention finder, given the authority file, finds in each text exactly
    // the people the record lists: every name and variant used names one person.
    let authority: Vec<Record> = records(&jsonl.path().join("authority.csv"));
    let gazetteer = Gazetteer::from_records(&authority);
    assert!(gazetteer.ambiguous_variants().is_empty());
    let people_in = |texts: &[&str]| -> BTreeSet<String> {
        texts
            .iter()
            .flat_map(|t| gazetteer.find_in(t))
            .filter(|e| e.kind == EntityKind::Person)
            .map(|e| e.name.clone())
            .collect()
    };
    let mut variants_used = 0;
    for event in &jsonl_events {
        let listed: BTreeSet<String> = event.people.iter().map(|p| p.name.clone()).collect();
        assert_eq!(people_in(&[&event.text]), listed, "{}", event.text);
        if listed
            .iter()
            .any(|name| !event.text.contains(name.as_str()))
        {
            variants_used += 1;
        }
    }
    assert!(variants_used > 0, "some events name people by a variant");
    for doc in a.values() {
        let listed: BTreeSet<String> = doc.people.iter().map(|p| p.name.clone()).collect();
        let mut texts = vec![doc.title.as_str(), doc.text.as_deref().unwrap_or_default()];
        texts.extend(doc.summary.as_deref());
        let found = people_in(&texts);
        assert!(
            found.is_subset(&listed),
            "{}: {found:?} not in {listed:?}",
            doc.id
        );
        for sender in doc.sent_by.iter().chain(&doc.received_by) {
            assert!(gazetteer.resolve(sender).is_some(), "{}: {sender}", doc.id);
        }
        for translator in &doc.citation.as_ref().unwrap().translators {
            assert!(gazetteer.resolve(translator).is_some(), "{translator}");
        }
    }
}

#[test]
fn the_binary_generates_a_corpus_and_refuses_a_foreign_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("corpus");
    let run = |out: &PathBuf| {
        assert_cmd::Command::new(env!("CARGO_BIN_EXE_chronograph"))
            .args([
                "gen-corpus",
                "--documents",
                "50",
                "--people",
                "10",
                "--events",
                "20",
            ])
            .args(["--seed", "7", "--format", "jsonl", "--out"])
            .arg(out)
            .assert()
    };
    let output = run(&out).success().get_output().stdout.clone();
    let stdout = String::from_utf8(output).unwrap();
    println!("{stdout}");
    assert!(
        stdout.contains("gen-corpus: 50 documents, 10 people, 20 events (jsonl, seed 7)"),
        "{stdout}"
    );
    assert!(stdout.contains("wrote 4 file(s), "), "{stdout}");
    assert!(stdout.contains(" s ("), "{stdout}");
    let first = hashes(&out);
    // Running again replaces the earlier corpus with the same bytes.
    run(&out).success();
    assert_eq!(first, hashes(&out));

    let foreign = dir.path().join("foreign");
    std::fs::create_dir(&foreign).unwrap();
    std::fs::write(foreign.join("notes.txt"), "mine").unwrap();
    let output = run(&foreign).failure().get_output().stderr.clone();
    let stderr = String::from_utf8(output).unwrap();
    assert!(stderr.contains("not empty"), "{stderr}");
    assert!(stderr.contains(&foreign.display().to_string()), "{stderr}");
    assert!(foreign.join("notes.txt").exists());

    let output = assert_cmd::Command::new(env!("CARGO_BIN_EXE_chronograph"))
        .args(["gen-corpus", "--people", "2", "--out"])
        .arg(dir.path().join("tiny"))
        .assert()
        .failure()
        .get_output()
        .stderr
        .clone();
    assert!(String::from_utf8(output)
        .unwrap()
        .contains("--people must be at least 4"));
}
