//! The streaming bulk load (`load --bulk`, chosen by itself for large inputs)
//! writes exactly what the transactional load writes, replaces graphs the same
//! way, and counts and reports every record the same way.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chronograph_core::mapping::iri::{Base, DEFAULT_BASE};
use chronograph_core::pipeline::{self, LoadOptions, LoadReport, WriteMode};
use chronograph_core::store::{ArchiveStore, DEFAULT_STEP_QUADS};
use chronograph_corpus::{write_corpus, CorpusFormat, CorpusOptions};

use chronograph_testkit as common;

fn load(store: &Path, inputs: &[PathBuf], authority: &[PathBuf], mode: WriteMode) -> LoadReport {
    load_in_steps(store, inputs, authority, mode, DEFAULT_STEP_QUADS)
}

/// A load whose bulk steps are `step_quads` quads (see `--bulk-step`).
fn load_in_steps(
    store: &Path,
    inputs: &[PathBuf],
    authority: &[PathBuf],
    mode: WriteMode,
    step_quads: usize,
) -> LoadReport {
    let archive = ArchiveStore::open(store, Base::new(DEFAULT_BASE).unwrap()).unwrap();
    let options = LoadOptions {
        authority: authority.to_vec(),
        write_mode: mode,
        // Small batches, so that even these small loads go through several.
        bulk_memory_mb: 16,
        bulk_step_quads: step_quads,
        ..LoadOptions::default()
    };
    pipeline::load(
        &archive,
        inputs,
        &options,
        &indicatif::ProgressBar::hidden(),
    )
    .unwrap()
}

fn corpus(dir: &Path, documents: usize, seed: u64) -> PathBuf {
    let path = dir.join(format!("corpus-{seed}"));
    write_corpus(
        &CorpusOptions {
            documents,
            people: 60,
            events: 400,
            seed,
            format: CorpusFormat::Jsonl,
        },
        &path,
    )
    .unwrap();
    path
}

/// What a report says, in a form to compare: counts, per-source figures, rejections, warnings.
fn summary(report: &LoadReport) -> (usize, usize, usize, Vec<String>, Vec<String>, Vec<String>) {
    (
        report.read,
        report.loaded,
        report.rejected,
        report
            .sources
            .iter()
            .map(|s| {
                format!(
                    "{} read {} loaded {} quads {} graph {:?}",
                    s.path.display(),
                    s.read,
                    s.loaded,
                    s.quads,
                    s.graph.as_ref().map(|g| g.as_str().to_owned())
                )
            })
            .collect(),
        report.rejections.iter().map(ToString::to_string).collect(),
        report.warnings.iter().map(ToString::to_string).collect(),
    )
}

#[test]
fn bulk_and_transactions_write_the_same_quads_and_reports() {
    let dir = tempfile::tempdir().unwrap();
    let generated = corpus(dir.path(), 3000, 5);
    let inputs = vec![
        generated.clone(),
        common::repo_path("data/sample"),
        common::repo_path("tests/data/bad"),
    ];
    let authority = vec![
        generated.join("authority.csv"),
        common::repo_path("data/sample/authority.csv"),
    ];
    let bulk = load(
        &dir.path().join("bulk"),
        &inputs,
        &authority,
        WriteMode::Bulk,
    );
    let transactions = load(
        &dir.path().join("transactions"),
        &inputs,
        &authority,
        WriteMode::Transactions,
    );
    // Each source graph committed in a step of its own.
    let stepped = load_in_steps(
        &dir.path().join("stepped"),
        &inputs,
        &authority,
        WriteMode::Bulk,
        1,
    );
    assert!(
        bulk.loaded > 3000 && bulk.rejected > 10,
        "{:?}",
        summary(&bulk)
    );
    assert_eq!(bulk.read, bulk.loaded + bulk.rejected);
    assert_eq!(summary(&bulk), summary(&transactions));
    assert_eq!(summary(&stepped), summary(&transactions));
    assert_eq!(bulk.store_quads, transactions.store_quads);
    assert_eq!(stepped.store_quads, transactions.store_quads);
    let transaction_quads = common::quads_by_graph(&dir.path().join("transactions"));
    for written in ["bulk", "stepped"] {
        let bulk_quads = common::quads_by_graph(&dir.path().join(written));
        assert_eq!(bulk_quads.len(), transaction_quads.len());
        for (graph, quads) in &transaction_quads {
            assert!(
                bulk_quads.get(graph) == Some(quads),
                "graph {graph} differs between {written} and transactions"
            );
        }
    }
    // The statistics: counted by SPARQL after the bulk loads, kept record by
    // record by the transactions; the same cells, and a plain scan's.
    let statistics = |name: &str| {
        let store =
            ArchiveStore::open_read_only(&dir.path().join(name), Base::new(DEFAULT_BASE).unwrap())
                .unwrap();
        let stated = store.statistics().unwrap();
        let scanned = chronograph_testkit::statistics_scan::statistics_by_scan(&store);
        let wrong = chronograph_testkit::statistics_scan::differences(&stated, &scanned);
        assert!(
            wrong.is_empty(),
            "{name}: {:?}",
            &wrong[..wrong.len().min(3)]
        );
        stated
    };
    let kept = statistics("transactions");
    assert!(kept.len() > 1000, "{} cells", kept.len());
    for written in ["bulk", "stepped"] {
        assert!(statistics(written) == kept, "{written}: statistics differ");
    }
}

#[test]
fn a_bulk_reload_replaces_each_graph_and_the_union_follows() {
    let dir = tempfile::tempdir().unwrap();
    let first = corpus(dir.path(), 1200, 7);
    let second = corpus(dir.path(), 900, 8);
    // The same file names with other content: the second load replaces the first's graphs.
    let data = dir.path().join("data");
    let copy = |from: &Path| {
        let _ = std::fs::remove_dir_all(&data);
        std::fs::create_dir(&data).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), data.join(entry.file_name())).unwrap();
        }
    };
    let authority = vec![data.join("authority.csv")];
    let replaced = dir.path().join("replaced");
    copy(&first);
    load(
        &replaced,
        std::slice::from_ref(&data),
        &authority,
        WriteMode::Bulk,
    );
    copy(&second);
    let report = load(
        &replaced,
        std::slice::from_ref(&data),
        &authority,
        WriteMode::Bulk,
    );
    let fresh = dir.path().join("fresh");
    let fresh_report = load(
        &fresh,
        std::slice::from_ref(&data),
        &authority,
        WriteMode::Transactions,
    );
    assert_eq!(summary(&report), summary(&fresh_report));
    let replaced: BTreeMap<_, _> = common::quads_by_graph(&replaced);
    let fresh: BTreeMap<_, _> = common::quads_by_graph(&fresh);
    assert_eq!(
        replaced.keys().collect::<Vec<_>>(),
        fresh.keys().collect::<Vec<_>>()
    );
    for (graph, quads) in &fresh {
        assert!(replaced[graph] == *quads, "graph {graph} after the reload");
    }
}

#[test]
fn a_graph_left_without_provenance_is_removed_by_the_next_load() {
    let dir = tempfile::tempdir().unwrap();
    let generated = corpus(dir.path(), 300, 9);
    let authority = vec![generated.join("authority.csv")];
    let store_path = dir.path().join("store");
    load(
        &store_path,
        std::slice::from_ref(&generated),
        &authority,
        WriteMode::Bulk,
    );
    let before = common::quads_by_graph(&store_path);
    {
        // What an interrupted bulk replacement leaves: a source graph with no
        // provenance, its triples in the union graph too.
        let store = ArchiveStore::open(&store_path, Base::new(DEFAULT_BASE).unwrap()).unwrap();
        let stray = store.base().source_graph("stray/half-removed.jsonl");
        store
            .apply_update(&format!(
                "INSERT DATA {{ GRAPH {stray} {{ <urn:x:a> <urn:x:b> \"left over\" }} }}"
            ))
            .unwrap();
    }
    assert_ne!(common::quads_by_graph(&store_path), before);
    load(
        &store_path,
        std::slice::from_ref(&generated),
        &authority,
        WriteMode::Bulk,
    );
    assert!(
        common::quads_by_graph(&store_path) == before,
        "the stray graph (or its triple in the union graph) is still there"
    );
}

/// `chronograph map` streams the triples a load writes, without a store: its
/// N-Quads hold exactly each source graph of a loaded store, its N-Triples
/// their merge, and it counts and reports records as the load does.
#[test]
fn map_writes_what_a_load_puts_in_the_source_graphs() {
    let dir = tempfile::tempdir().unwrap();
    let generated = corpus(dir.path(), 800, 11);
    let bad = common::repo_path("tests/data/bad");
    let authority = generated.join("authority.csv");
    let store_path = dir.path().join("store");
    let report = load(
        &store_path,
        &[generated.clone(), bad.clone()],
        std::slice::from_ref(&authority),
        WriteMode::Bulk,
    );
    assert!(report.loaded > 800 && report.rejected > 5);
    let loaded = common::quads_by_graph(&store_path);
    let source_graphs: BTreeMap<&String, &std::collections::BTreeSet<String>> = loaded
        .iter()
        .filter(|(graph, _)| graph.contains("/graph/source/"))
        .collect();
    assert!(source_graphs.len() > 3, "{:?}", loaded.keys());

    let map = |format: &str| {
        let out = dir.path().join(format!("mapped.{format}"));
        let assert = common::chronograph()
            .args(["map", "--format", format, "--authority"])
            .arg(&authority)
            .arg("-o")
            .arg(&out)
            .arg(&generated)
            .arg(&bad)
            .assert()
            .success();
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
        (std::fs::read(&out).unwrap(), stderr)
    };
    let (nquads, stderr) = map("nquads");
    assert!(
        stderr.contains(&format!(
            "{} loaded, {} rejected",
            report.loaded, report.rejected
        )),
        "{stderr}"
    );
    for rejection in &report.rejections {
        assert!(
            stderr.contains(&rejection.to_string()),
            "{rejection} not reported"
        );
    }
    let mut mapped: BTreeMap<String, std::collections::BTreeSet<String>> = BTreeMap::new();
    for quad in
        oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::NQuads).for_slice(&nquads)
    {
        let quad = quad.unwrap();
        mapped
            .entry(quad.graph_name.to_string())
            .or_default()
            .insert(format!(
                "{} {} {}",
                quad.subject, quad.predicate, quad.object
            ));
    }
    assert_eq!(
        mapped.keys().collect::<Vec<_>>(),
        source_graphs.keys().copied().collect::<Vec<_>>()
    );
    for (graph, quads) in &source_graphs {
        assert!(
            mapped[*graph] == **quads,
            "graph {graph} differs from the load"
        );
    }
    let written: usize = mapped.values().map(std::collections::BTreeSet::len).sum();
    assert!(
        stderr.contains(&format!("wrote {written} statement(s)")),
        "{stderr}"
    );

    let (ntriples, _) = map("ntriples");
    let triples: std::collections::BTreeSet<String> =
        oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::NTriples)
            .for_slice(&ntriples)
            .map(|q| {
                let q = q.unwrap();
                format!("{} {} {}", q.subject, q.predicate, q.object)
            })
            .collect();
    let merged: std::collections::BTreeSet<String> = source_graphs
        .values()
        .flat_map(|q| q.iter().cloned())
        .collect();
    assert!(
        triples == merged,
        "the N-Triples are not the merge of the source graphs"
    );
}

/// The store's RocksDB table files.
fn table_files(store: &Path) -> usize {
    std::fs::read_dir(store)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "sst")
        })
        .count()
}

#[test]
fn a_bulk_load_compacts_the_store_and_optimize_compacts_it_later() {
    let dir = tempfile::tempdir().unwrap();
    let generated = corpus(dir.path(), 600, 5);
    let authority = generated.join("authority.csv");
    // Loads the corpus and returns what the load printed and logged (-v: info).
    let bulk_load = |store: &Path, extra: &[&str]| {
        let assert = common::chronograph()
            .args(["load", "-v", "--bulk", "--bulk-memory", "16", "--store"])
            .arg(store)
            .args(extra)
            .arg("--authority")
            .arg(&authority)
            .arg(&generated)
            .assert()
            .success();
        let output = assert.get_output();
        format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    };
    // Eleven indexes (column families); each compacted one is a single file at this size.
    const COMPACTED_AT_MOST: usize = 11;

    let uncompacted = dir.path().join("uncompacted");
    let log = bulk_load(&uncompacted, &["--no-optimize"]);
    assert!(
        log.contains("left the store uncompacted (--no-optimize)"),
        "{log}"
    );
    // The loader's files are left as they are; RocksDB may already have
    // merged some of them in its background threads while the load went on
    // (how many depends on the machine's timing), so only the compaction's
    // own outcome is checked below.
    let files_before = table_files(&uncompacted);
    assert!(files_before > 0, "{files_before} table files");
    let quads_before = common::quads_by_graph(&uncompacted);

    let assert = common::chronograph()
        .args(["optimize", "--store"])
        .arg(&uncompacted)
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert!(stdout.starts_with("compacted "), "{stdout}");
    let files_after = table_files(&uncompacted);
    assert!(
        files_after <= COMPACTED_AT_MOST,
        "{files_after} table files after optimize (were {files_before})"
    );
    assert_eq!(common::quads_by_graph(&uncompacted), quads_before);

    let compacted = dir.path().join("compacted");
    let log = bulk_load(&compacted, &[]);
    assert!(log.contains("compacted the store"), "{log}");
    // With the index, the statistics are counted from the read of the
    // records that builds the index (without it, the load's last step says
    // how long they took: below).
    assert!(
        log.contains("indexed in ")
            && log.contains("with the statistics counted from the same read"),
        "{log}"
    );
    assert!(!log.contains("statistics: counted in "), "{log}");
    // The statistics are counted after the compaction (with the search
    // index, from the compacted store) and written as one loader
    // batch between two small transactions (the pending mark lifted, the
    // write counted): at most three more files per index, which RocksDB
    // merges in its own time in a writable store. (An uncompacted load
    // leaves at least one file per index per loader batch: 86 at 100,000
    // documents.)
    let files = table_files(&compacted);
    assert!(
        files <= COMPACTED_AT_MOST + 3 * COMPACTED_AT_MOST,
        "{files} table files after a compacting bulk load"
    );
    assert_eq!(common::quads_by_graph(&compacted), quads_before);

    // A small bulk load into that store leaves its few new files to RocksDB
    // (which merges them in its own time in a writable store) rather than
    // rewriting the whole store.
    let small = corpus(dir.path(), 3, 6).join("documents-0001.jsonl");
    let assert = common::chronograph()
        .args([
            "load",
            "-v",
            "--bulk",
            "--no-index",
            "--bulk-memory",
            "16",
            "--store",
        ])
        .arg(&compacted)
        .arg(&small)
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert!(stdout.contains("statistics: counted in "), "{stdout}");
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains("few loader batches: the store was not compacted"),
        "{stderr}"
    );
    assert!(!stderr.contains("compacted the store"), "{stderr}");
    let quads_now = common::quads_by_graph(&compacted);
    assert!(quads_now.len() > quads_before.len());
    for (graph, quads) in quads_before
        .iter()
        .filter(|(g, _)| g.contains("/graph/source/"))
    {
        assert_eq!(quads_now.get(graph), Some(quads), "{graph}");
    }

    let missing = dir.path().join("missing");
    common::chronograph()
        .args(["optimize", "--store"])
        .arg(&missing)
        .assert()
        .failure()
        .stderr(predicates::str::contains("no store at"));
}
