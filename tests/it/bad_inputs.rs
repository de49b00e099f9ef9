//! Every bad input gets a clear error naming its file (and line or record), the
//! rest of the batch still loads, counts add up, and `--strict` changes nothing.

use chronograph_testkit as common;

use std::path::Path;

use common::{chronograph, load_with_cli, repo_path};

/// A copy of tests/data/bad plus a generated JSON Lines file with one 10 MB line.
fn bad_folder(dir: &Path) -> std::path::PathBuf {
    let folder = dir.join("bad");
    std::fs::create_dir_all(&folder).unwrap();
    for entry in std::fs::read_dir(repo_path("tests/data/bad")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), folder.join(entry.file_name())).unwrap();
    }
    let huge_text = "x".repeat(10 * 1024 * 1024);
    let line = format!("{{\"type\":\"event\",\"date\":\"1960\",\"text\":\"{huge_text}\"}}\n");
    std::fs::write(folder.join("huge-line.jsonl"), line).unwrap();
    folder
}

fn count_quads(store: &Path) -> u64 {
    let out = chronograph()
        .args(["query", "--format", "tsv", "--store"])
        .arg(store)
        .arg("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let value = text.lines().nth(1).unwrap();
    value.split('"').nth(1).unwrap_or(value).parse().unwrap()
}

#[test]
fn every_bad_input_is_reported_and_the_rest_loads() {
    let dir = tempfile::tempdir().unwrap();
    let folder = bad_folder(dir.path());
    let store = dir.path().join("store");
    let out = chronograph()
        .arg("load")
        .arg("--store")
        .arg(&store)
        .arg(&folder)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "stdout:\n{stdout}\nstderr:\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let f = |name: &str| folder.join(name).display().to_string();
    let expected: Vec<(String, &str)> = vec![
        (format!("{}: empty file", f("empty.html")), ""),
        (format!("{}: invalid UTF-8 at byte", f("invalid-utf8.txt")), "(line 5)"),
        (format!("{}: binary content", f("binary.html")), "PNG image"),
        (format!("{}: truncated HTML", f("truncated.html")), "</html>"),
        (format!("{}: missing title", f("no-title.html")), ""),
        (format!("{}: missing date", f("no-date.html")), ""),
        (format!("{}: not a document or person page", f("wrong-kind.html")), "listing"),
        (format!("{}:2: invalid JSON record", f("broken-line.jsonl")), "column"),
        (format!("{}:1", f("unknown-field.jsonl")), "unknown field `colour`"),
        (format!("{}:2 (record `139003`): duplicate record id `139003`", f("duplicate-ids.jsonl")), "duplicate-ids.jsonl:1"),
        (format!("{}:1: invalid JSON record", f("not-an-object.jsonl")), "found an array"),
        (format!("{}:2: invalid JSON record", f("not-an-object.jsonl")), "found a number"),
        (format!("{}:1", f("unknown-type.jsonl")), "unknown variant `spaceship`"),
        (format!("{}:1", f("bad-count.jsonl")), "\"many\""),
        (format!("{}:4 (record `139006`): invalid CSV row: the row has 12 fields but the header has 19", f("missing-column.csv")), ""),
        (format!("{}:2 (record `139007`): invalid CSV row", f("unclosed-quote.csv")), "fields but the header has 19"),
        (format!("{}: binary content", f("nul-bytes.txt")), "NUL byte"),
        (format!("{}: unsupported file type `.pdf`", f("notes.pdf")), ""),
        (format!("{}: not a document or person page", f("person-no-timeline.txt")), ""),
        (format!("{}:1: record of", f("huge-line.jsonl")), "exceeds the limit"),
    ];
    for (start, detail) in &expected {
        let line = stdout
            .lines()
            .find(|l| l.trim_start().starts_with(start.as_str()))
            .unwrap_or_else(|| panic!("no rejection starting with {start:?} in:\n{stdout}"));
        assert!(line.contains(detail), "{line:?} lacks {detail:?}");
    }
    let warning = stdout
        .lines()
        .find(|l| l.contains("bad-date.html"))
        .unwrap_or_else(|| panic!("no warning for bad-date.html:\n{stdout}"));
    assert!(
        warning.contains("unparseable date `Spring of the Year of the Horse` kept as text"),
        "{warning}"
    );

    // The summary adds up: read = loaded + rejected, and nothing is unaccounted for.
    let summary = stdout.lines().next().unwrap();
    let numbers: Vec<usize> = summary
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap())
        .collect();
    let (read, loaded, rejected) = (numbers[0], numbers[2], numbers[3]);
    assert_eq!(read, loaded + rejected, "{summary}");
    let rejection_lines = stdout
        .lines()
        .skip_while(|l| *l != "rejected:")
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .count();
    assert_eq!(rejection_lines, rejected, "{stdout}");
    // Loaded: bad-date (1), broken-line (3 good lines), duplicate-ids (first), not-an-object (line 3),
    // missing-column (2 good rows).
    assert_eq!(loaded, 8, "{stdout}");
    // The README in the folder is reported as unsupported, not silently skipped.
    assert!(
        stdout.contains("README.md: unsupported file type `.md`"),
        "{stdout}"
    );
    assert!(count_quads(&store) > 0);
}

#[test]
fn strict_rejects_the_whole_batch_and_leaves_the_store_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let folder = bad_folder(dir.path());
    let store = dir.path().join("store");
    load_with_cli(&store, "data/sample/records");
    let before = count_quads(&store);
    assert!(before > 0);
    let out = chronograph()
        .args(["load", "--strict", "--store"])
        .arg(&store)
        .arg(&folder)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--strict: nothing was written, the store is unchanged"),
        "{stderr}"
    );
    assert_eq!(count_quads(&store), before);
}

#[test]
fn a_bad_query_prints_the_parser_position_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    load_with_cli(&store, "data/sample/records");
    let out = chronograph()
        .args(["query", "--store"])
        .arg(&store)
        .arg("SELECT ?x WHERE { ?x ?y }")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("SPARQL syntax error"), "{stderr}");
    assert!(stderr.contains("1:"), "no position in {stderr}");
}

#[test]
fn a_missing_input_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = chronograph()
        .args(["load", "--store"])
        .arg(dir.path().join("store"))
        .arg(dir.path().join("nope"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("nope: no such file or folder"), "{stderr}");
}

#[test]
fn a_store_rocksdb_cannot_open_is_an_error_not_a_crash() {
    // A store whose CURRENT names a manifest that is not there: RocksDB
    // refuses to open it. The error it returns was once freed with the
    // wrong allocator, killing the process (SIGSEGV) after the message.
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    load_with_cli(&store, "data/sample");
    std::fs::write(store.join("CURRENT"), "MANIFEST-999999\n").unwrap();
    for command in [
        &["query", "ASK {}"][..],
        &["check"][..],
        &["load", "data/sample"][..],
    ] {
        let out = chronograph()
            .current_dir(repo_path("."))
            .arg(command[0])
            .arg("--store")
            .arg(&store)
            .args(&command[1..])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{command:?} ended with {:?}: {stderr}",
            out.status
        );
        assert!(
            stderr.contains(&store.display().to_string()) && stderr.contains("MANIFEST-999999"),
            "{command:?}: {stderr}"
        );
        // Said once, though Oxigraph's error is its own cause.
        assert_eq!(
            stderr.matches("IO error").count(),
            1,
            "{command:?}: {stderr}"
        );
    }
}
