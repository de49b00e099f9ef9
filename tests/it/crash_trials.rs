//! Crash trials: `chronograph load` killed with SIGKILL at 20 moments, once
//! writing with transactions (HTML pages, a graph each) and twice streaming
//! through the bulk loader (JSON Lines files): committing each source graph in
//! a step of its own, and the whole load in one step (the default at this
//! size). After each kill the store opens, every source graph in it is whole
//! (exactly the quads an uninterrupted load writes for it, with its
//! provenance) or absent, the union graph states exactly what the source
//! graphs state, and running the same load again ends with exactly the quads
//! of an uninterrupted load and no file of the killed load left behind.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use chronograph_core::mapping::iri::DEFAULT_BASE;
use chronograph_corpus::{write_corpus, CorpusFormat, CorpusOptions};

use chronograph_testkit as common;

const TRIALS: usize = 20;

fn load_command(corpus: &Path, store: &Path, mode: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_chronograph"));
    cmd.arg("load")
        .args(mode)
        .arg("--store")
        .arg(store)
        .arg("--authority")
        .arg(corpus.join("authority.csv"))
        .arg(corpus)
        .env("CHRONOGRAPH_BASE", DEFAULT_BASE)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

fn is_source_graph(name: &str) -> bool {
    name.contains("/graph/source/")
}

/// The sorted files of a bulk load not yet moved into the store.
fn bulk_files(store: &Path) -> usize {
    std::fs::read_dir(store).map_or(0, |entries| {
        entries
            .filter(|e| {
                let name = e.as_ref().unwrap().file_name();
                let name = name.to_string_lossy();
                name.starts_with("bulk-") && name.ends_with(".sst")
            })
            .count()
    })
}

/// What the kills must have caught.
#[derive(Clone, Copy, PartialEq)]
enum Expect {
    /// Some kills leave some source graphs written and others not.
    SomeGraphsWritten,
    /// A kill leaves all source graphs or none (one atomic step), and some
    /// kills leave the step's sorted files behind.
    AllOrNone,
}

/// The provenance statements about one source graph.
fn provenance_of<'a>(metadata: &'a BTreeSet<String>, graph: &str) -> BTreeSet<&'a String> {
    metadata
        .iter()
        .filter(|s| s.starts_with(&format!("{graph} ")))
        .collect()
}

#[test]
fn a_transactional_load_killed_at_twenty_moments_leaves_whole_graphs_and_finishes_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let corpus: PathBuf = dir.path().join("corpus");
    write_corpus(
        &CorpusOptions {
            documents: 160,
            people: 16,
            events: 50,
            seed: 20,
            format: CorpusFormat::Html,
        },
        &corpus,
    )
    .unwrap();
    kill_trials(
        dir.path(),
        &corpus,
        &["--transactions"],
        160,
        Expect::SomeGraphsWritten,
    );
}

#[test]
fn a_bulk_load_in_a_step_a_graph_killed_at_twenty_moments_leaves_whole_graphs_and_finishes_the_same(
) {
    let dir = tempfile::tempdir().unwrap();
    let corpus = bulk_corpus(dir.path());
    kill_trials(
        dir.path(),
        &corpus,
        &["--bulk", "--bulk-memory", "16", "--bulk-step", "1"],
        12,
        Expect::SomeGraphsWritten,
    );
}

#[test]
fn a_bulk_load_in_one_step_killed_at_twenty_moments_leaves_all_or_nothing_and_finishes_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = bulk_corpus(dir.path());
    // Small batches: the loader writes sorted files from early in the load.
    kill_trials(
        dir.path(),
        &corpus,
        &["--bulk", "--bulk-memory", "16"],
        12,
        Expect::AllOrNone,
    );
}

/// Twelve JSON Lines files of 100 records (a source graph each) and an authority file.
fn bulk_corpus(dir: &Path) -> PathBuf {
    let generated: PathBuf = dir.join("generated");
    write_corpus(
        &CorpusOptions {
            documents: 1000,
            people: 30,
            events: 200,
            seed: 21,
            format: CorpusFormat::Jsonl,
        },
        &generated,
    )
    .unwrap();
    // Twelve JSON Lines files of 100 records: a source graph each.
    let corpus = dir.join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    std::fs::copy(
        generated.join("authority.csv"),
        corpus.join("authority.csv"),
    )
    .unwrap();
    let mut files = 0;
    for name in ["documents-0001.jsonl", "events-0001.jsonl"] {
        let text = std::fs::read_to_string(generated.join(name)).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for part in lines.chunks(100) {
            files += 1;
            let path = corpus.join(format!("part-{files:03}.jsonl"));
            std::fs::write(path, part.join("\n") + "\n").unwrap();
        }
    }
    assert_eq!(files, 12);
    corpus
}

/// Runs the load once uninterrupted (the reference), then [`TRIALS`] times
/// killed at moments spread over its length, checking the store after each
/// kill and after running the same load again.
fn kill_trials(dir: &Path, corpus: &Path, mode: &[&str], min_sources: usize, expect: Expect) {
    let mode_name = mode.join(" ");
    // The uninterrupted load: the reference, and how long a load takes.
    let reference_store = dir.join("reference");
    let started = Instant::now();
    let status = load_command(corpus, &reference_store, mode)
        .status()
        .unwrap();
    let took = started.elapsed();
    assert!(status.success());
    let reference = common::quads_by_graph(&reference_store);
    let metadata_name = reference
        .keys()
        .find(|g| g.ends_with("/graph/metadata>"))
        .cloned()
        .unwrap();
    let union_name = reference
        .keys()
        .find(|g| g.ends_with("/graph/union>"))
        .cloned()
        .unwrap();
    let sources = reference.keys().filter(|g| is_source_graph(g)).count();
    assert!(sources > min_sources, "{sources} source graphs");

    let mut partial_loads = 0;
    let mut left_files = 0;
    for trial in 0..TRIALS {
        // Kill moments spread over the whole load, reading included.
        let at = took.mul_f64((trial as f64 + 0.5) / TRIALS as f64);
        let store = dir.join(format!("store-{trial}"));
        let mut child = load_command(corpus, &store, mode).spawn().unwrap();
        std::thread::sleep(at);
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let files_after_kill = bulk_files(&store);
        if files_after_kill > 0 {
            left_files += 1;
        }

        let after_kill = common::quads_by_graph(&store);
        let empty = BTreeSet::new();
        let metadata = after_kill.get(&metadata_name).unwrap_or(&empty);
        let mut whole = 0;
        for (graph, quads) in after_kill.iter().filter(|(g, _)| is_source_graph(g)) {
            assert_eq!(
                Some(quads),
                reference.get(graph),
                "trial {trial}: graph {graph} is not whole"
            );
            // Its provenance came in the same transaction.
            let name = graph.trim_start_matches('<').trim_end_matches('>');
            assert_eq!(
                provenance_of(metadata, &format!("<{name}>")),
                provenance_of(&reference[&metadata_name], &format!("<{name}>")),
                "trial {trial}: provenance of {graph}"
            );
            whole += 1;
        }
        let stated: BTreeSet<&String> = after_kill
            .iter()
            .filter(|(g, _)| **g != union_name)
            .flat_map(|(_, quads)| quads)
            .collect();
        let union: BTreeSet<&String> = after_kill
            .get(&union_name)
            .map(|q| q.iter().collect())
            .unwrap_or_default();
        assert_eq!(
            union, stated,
            "trial {trial}: the union graph is out of step"
        );
        if whole > 0 && whole < sources {
            partial_loads += 1;
        }
        if expect == Expect::AllOrNone {
            assert!(
                whole == 0 || whole == sources,
                "trial {trial}: {whole} of {sources} source graphs written in one step"
            );
        }

        // The same load again finishes the job.
        assert!(load_command(corpus, &store, mode)
            .status()
            .unwrap()
            .success());
        assert!(
            common::quads_by_graph(&store) == reference,
            "trial {trial}: the store after the re-run differs from an uninterrupted load"
        );
        assert_eq!(
            bulk_files(&store),
            0,
            "trial {trial}: the killed load's sorted files are still in the store's folder"
        );
        derived_products_agree(&store, trial);
        println!(
            "{mode_name} trial {trial:2}: killed at {:>6.0} ms with {whole:3} of {sources} source graphs \
             written, {files_after_kill} sorted file(s) left; re-run: same quads, none left",
            at.as_secs_f64() * 1000.0
        );
    }
    // The trials must have caught loads in the middle of writing, or they prove little.
    match expect {
        Expect::SomeGraphsWritten => assert!(
            partial_loads >= 3,
            "only {partial_loads} kill(s) landed while graphs were being written (load took {took:?})"
        ),
        Expect::AllOrNone => assert!(
            left_files >= 3,
            "only {left_files} kill(s) landed while the step's sorted files were being written (load took {took:?})"
        ),
    }
}

/// After a re-run, the statistics equal a plain scan of the store's quads,
/// and the search index follows the store's last write and holds one record
/// per document and event.
fn derived_products_agree(store_path: &Path, trial: usize) {
    use chronograph_core::mapping::iri::Base;
    use chronograph_core::store::ArchiveStore;
    let store = ArchiveStore::open_read_only(
        store_path,
        Base::new(chronograph_core::mapping::iri::DEFAULT_BASE).unwrap(),
    )
    .unwrap();
    let wrong = chronograph_testkit::statistics_scan::differences(
        &store.statistics().unwrap(),
        &chronograph_testkit::statistics_scan::statistics_by_scan(&store),
    );
    assert!(
        wrong.is_empty(),
        "trial {trial}: {} statistics differ from a scan, first {:?}",
        wrong.len(),
        &wrong[..wrong.len().min(3)]
    );
    let index = chronograph_search::SearchIndex::open_current(&store, store_path)
        .unwrap_or_else(|e| panic!("trial {trial}: {e}"));
    let records = common::column(
        &store,
        "SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { VALUES ?c { cg:Document cg:Event } ?r a ?c }",
    );
    assert_eq!(
        index.len().to_string(),
        records[0],
        "trial {trial}: records in the index"
    );
}
