//! `chronograph search` against a plain scan of the JSON Lines files it was
//! loaded from: for single words of the corpus's vocabulary, the documents
//! found are exactly those whose title, summary or text contains the word.
//! Two-word phrases find exactly the documents where the two words stand
//! side by side in one field. The facet counts equal SPARQL aggregates over
//! the store.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use chronograph_testkit::chronograph;
use serde_json::Value;

/// The words of a text as a reader sees them: split at anything that is not
/// a letter or digit, lower-cased (the corpus is ASCII).
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

fn strings(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
        Value::Object(map) => map.values().for_each(|v| strings(v, out)),
        _ => {}
    }
}

fn search_json(store: &Path, query: &str) -> Value {
    let output = chronograph()
        .args(["search", "--format", "json", "--limit", "10000", "--store"])
        .arg(store)
        .arg(query)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// The record ids of a search's hits.
fn record_ids<'a>(results: &Value, ids: &'a BTreeMap<String, String>) -> BTreeSet<&'a String> {
    results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|hit| ids.get(hit["iri"].as_str().unwrap()))
        .collect()
}

#[test]
fn single_words_find_exactly_the_documents_a_plain_scan_finds() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let store = dir.path().join("store");
    chronograph()
        .args([
            "gen-corpus",
            "--documents",
            "300",
            "--events",
            "60",
            "--people",
            "20",
        ])
        .args(["--seed", "3", "--format", "jsonl", "--out"])
        .arg(&corpus)
        .assert()
        .success();
    // Loaded without indexing, the store's index is missing: a search is
    // refused with the command that builds it, which then does.
    let load = chronograph()
        .args(["load", "--no-index", "--store"])
        .arg(&store)
        .arg(&corpus)
        .output()
        .unwrap();
    assert!(load.status.success());
    assert!(
        String::from_utf8_lossy(&load.stdout).contains("left as it was (--no-index)"),
        "{}",
        String::from_utf8_lossy(&load.stdout)
    );
    let refused = chronograph()
        .args(["search", "--store"])
        .arg(&store)
        .arg("the")
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("chronograph reindex --store"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    chronograph()
        .args(["reindex", "--store"])
        .arg(&store)
        .assert()
        .success();

    // The plain scan: per document id, the words of its title, summary and
    // text; and every word found anywhere else (other fields, other records,
    // the authority file), which the test's words must avoid.
    let mut searched: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    // Per document id, the words of each of its title, summary and text in
    // order (phrases do not run from one field into the next).
    let mut in_order: BTreeMap<String, Vec<Vec<String>>> = BTreeMap::new();
    let mut elsewhere: BTreeSet<String> = BTreeSet::new();
    let mut vocabulary: BTreeSet<String> = BTreeSet::new();
    for entry in std::fs::read_dir(&corpus).unwrap() {
        let path = entry.unwrap().path();
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        if path.extension().is_some_and(|e| e == "csv") {
            elsewhere.extend(words(&text));
            continue;
        }
        if path.extension().is_none_or(|e| e != "jsonl") {
            continue;
        }
        for line in text.lines() {
            let record: Value = serde_json::from_str(line).unwrap();
            let mut in_fields = BTreeSet::new();
            let mut sequences = Vec::new();
            let mut other = Vec::new();
            for (key, value) in record.as_object().unwrap() {
                if record["type"] == "document"
                    && matches!(key.as_str(), "title" | "summary" | "text")
                {
                    let sequence: Vec<String> = words(value.as_str().unwrap_or_default()).collect();
                    in_fields.extend(sequence.iter().cloned());
                    sequences.push(sequence);
                } else {
                    strings(value, &mut other);
                }
            }
            for text in &other {
                elsewhere.extend(words(text));
            }
            vocabulary.extend(in_fields.iter().cloned());
            if record["type"] == "document" {
                in_order.insert(record["record_id"].as_str().unwrap().to_owned(), sequences);
                searched.insert(record["record_id"].as_str().unwrap().to_owned(), in_fields);
            } else {
                elsewhere.extend(in_fields);
            }
        }
    }
    // Words whose stem no other word of the corpus shares (so that stemming
    // cannot widen the match), found nowhere but in documents' title,
    // summary and text.
    let alone = |w: &String| {
        let stem = &w[..w.len() - 2];
        vocabulary
            .iter()
            .chain(elsewhere.iter())
            .all(|other| other == w || !other.starts_with(stem))
    };
    let eligible: BTreeSet<&String> = vocabulary
        .iter()
        .filter(|w| w.len() >= 6 && w.chars().all(|c| c.is_ascii_lowercase()))
        .filter(|w| !elsewhere.contains(*w) && alone(w))
        .collect();
    let chosen: Vec<String> = eligible.iter().take(12).map(|w| (*w).clone()).collect();
    assert!(chosen.len() >= 5, "too few test words: {chosen:?}");

    // Document IRIs to record ids, from the store.
    let ids_output = chronograph()
        .args(["query", "--format", "csv", "--store"])
        .arg(&store)
        .arg("SELECT ?d ?id WHERE { ?d a <https://w3id.org/chronograph/ontology#Document> ; <http://purl.org/dc/terms/identifier> ?id }")
        .output()
        .unwrap();
    let ids: BTreeMap<String, String> = String::from_utf8(ids_output.stdout)
        .unwrap()
        .lines()
        .skip(1)
        .filter_map(|l| l.trim().split_once(','))
        .map(|(d, id)| (d.to_owned(), id.to_owned()))
        .collect();
    assert_eq!(ids.len(), 300);

    for word in &chosen {
        let expected: BTreeSet<&String> = searched
            .iter()
            .filter(|(_, w)| w.contains(word))
            .map(|(id, _)| id)
            .collect();
        let results = search_json(&store, word);
        let found = record_ids(&results, &ids);
        assert!(!expected.is_empty(), "{word}");
        assert_eq!(found, expected, "documents with `{word}`");
    }

    // A bulk load builds the index from the read of the records that
    // counts the statistics: the same documents for each word.
    let bulk = dir.path().join("bulk");
    let loaded = chronograph()
        .args(["load", "--bulk", "--store"])
        .arg(&bulk)
        .arg(&corpus)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&loaded.stdout);
    assert!(
        loaded.status.success()
            && stdout.contains("with the statistics counted from the same read"),
        "{stdout}{}",
        String::from_utf8_lossy(&loaded.stderr)
    );
    for word in &chosen {
        let expected: BTreeSet<&String> = searched
            .iter()
            .filter(|(_, w)| w.contains(word))
            .map(|(id, _)| id)
            .collect();
        let found = record_ids(&search_json(&bulk, word), &ids);
        assert_eq!(found, expected, "documents with `{word}`, bulk-loaded");
    }

    // Two-word phrases of such words: found exactly where the two stand
    // side by side in one field, not where both are apart.
    let mut phrases: BTreeSet<(String, String)> = BTreeSet::new();
    for sequence in in_order.values().flatten() {
        for pair in sequence.windows(2) {
            if pair[0] != pair[1] && eligible.contains(&pair[0]) && eligible.contains(&pair[1]) {
                phrases.insert((pair[0].clone(), pair[1].clone()));
            }
        }
    }
    assert!(phrases.len() >= 5, "too few test phrases: {phrases:?}");
    // And phrases of such a word with a stop word, which no pair holds:
    // matched by positions. Stop words are common, so the word must share
    // its first letters with no other word (`discussion the` would find
    // `discussed the`, of the same stem).
    let stop = ["the", "of"];
    let unlike_any_other = |w: &String| {
        let prefix = &w[..(w.len() - 4).max(5).min(w.len())];
        vocabulary
            .iter()
            .chain(elsewhere.iter())
            .all(|other| other == w || !other.starts_with(prefix))
    };
    let mut stop_phrases: BTreeSet<(String, String)> = BTreeSet::new();
    for sequence in in_order.values().flatten() {
        for pair in sequence.windows(2) {
            let (a, b) = (pair[0].as_str(), pair[1].as_str());
            if (stop.contains(&a) && eligible.contains(&pair[1]) && unlike_any_other(&pair[1]))
                || (eligible.contains(&pair[0]) && unlike_any_other(&pair[0]) && stop.contains(&b))
            {
                stop_phrases.insert((pair[0].clone(), pair[1].clone()));
            }
        }
    }
    assert!(
        stop_phrases.len() >= 3,
        "too few phrases with a stop word: {stop_phrases:?}"
    );
    let mut apart = 0;
    for (first, second) in phrases.iter().take(40).chain(stop_phrases.iter().take(10)) {
        let side_by_side = |sequence: &Vec<String>| {
            sequence
                .windows(2)
                .any(|pair| &pair[0] == first && &pair[1] == second)
        };
        let expected: BTreeSet<&String> = in_order
            .iter()
            .filter(|(_, sequences)| sequences.iter().any(side_by_side))
            .map(|(id, _)| id)
            .collect();
        apart += searched
            .iter()
            .filter(|(id, w)| w.contains(first) && w.contains(second) && !expected.contains(id))
            .count();
        let results = search_json(&store, &format!("\"{first} {second}\""));
        let found = record_ids(&results, &ids);
        assert_eq!(found, expected, "documents with `{first} {second}`");
        assert_eq!(results["total"].as_u64(), Some(expected.len() as u64));
    }
    eprintln!(
        "{} phrases checked ({} with a stop word); {apart} documents held both words of one apart",
        phrases.len().min(40) + stop_phrases.len().min(10),
        stop_phrases.len().min(10)
    );

    // Facets equal SPARQL aggregates over the store: the years of the hits
    // of a word (the date's year, else the earliest possible date's),
    // counted by a query.
    let word = &chosen[0];
    let results = search_json(&store, word);
    let hit_iris: Vec<String> = results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| format!("<{}>", h["iri"].as_str().unwrap()))
        .collect();
    let counted = chronograph()
        .args(["query", "--format", "csv", "--store"])
        .arg(&store)
        .arg(format!(
            "SELECT ?year (COUNT(DISTINCT ?d) AS ?n) WHERE {{ VALUES ?d {{ {} }} \
             OPTIONAL {{ ?d <http://purl.org/dc/terms/date> ?date }} \
             OPTIONAL {{ ?d <https://w3id.org/chronograph/ontology#earliestDate> ?earliest }} \
             BIND(SUBSTR(STR(COALESCE(?date, ?earliest)), 1, 4) AS ?year) FILTER(BOUND(?year)) }} \
             GROUP BY ?year ORDER BY ?year",
            hit_iris.join(" ")
        ))
        .output()
        .unwrap();
    let by_sparql: BTreeMap<String, u64> = String::from_utf8(counted.stdout)
        .unwrap()
        .lines()
        .skip(1)
        .filter_map(|l| l.trim().split_once(','))
        .map(|(y, n)| (y.to_owned(), n.parse().unwrap()))
        .collect();
    let by_facet: BTreeMap<String, u64> = results["facets"]["year"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["value"].as_str().unwrap().to_owned(),
                v["count"].as_u64().unwrap(),
            )
        })
        .collect();
    // The facet lists the ten most frequent years.
    for (year, count) in &by_facet {
        assert_eq!(
            by_sparql.get(year),
            Some(count),
            "year {year}: {by_sparql:?}"
        );
    }
    assert_eq!(by_facet.len(), by_sparql.len().min(10));
}

/// `SERVICE <https://w3id.org/chronograph/search>` in SPARQL finds the same
/// documents as `chronograph search` (the sample query
/// queries/search/full-text.rq), and joins them with the graph.
#[test]
fn the_search_service_in_sparql_finds_what_search_finds() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    // `load` builds the index.
    let loaded = chronograph()
        .args(["load", "--store"])
        .arg(&store)
        .arg("data/sample")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&loaded.stdout);
    assert!(stdout.contains("search index:"), "{stdout}");

    let searched = search_json(&store, "revisionism");
    let by_search: BTreeSet<String> = searched["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["iri"].as_str().unwrap().to_owned())
        .collect();
    assert!(by_search.len() >= 2, "{searched}");

    let output = chronograph()
        .args(["query", "--format", "csv", "--store"])
        .arg(&store)
        .args(["--file", "queries/search/full-text.rq"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let csv = String::from_utf8(output.stdout).unwrap();
    let mut reader = csv_rows(&csv);
    let header = reader.remove(0);
    assert_eq!(header[..4], ["doc", "title", "date", "score"]);
    let by_sparql: BTreeSet<String> = reader.iter().map(|row| row[0].clone()).collect();
    // Every hit is a document here (the sample's events do not use the word).
    assert_eq!(by_sparql, by_search);
    assert!(
        reader.iter().all(|row| row[4].contains("<b>")),
        "every row has a highlighted snippet: {csv}"
    );
}

/// CSV rows (quoted cells with commas and doubled quotes), by a small reader
/// of the test's own.
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(std::mem::take(&mut cell)),
            ('\r', false) => {}
            ('\n', false) => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (c, _) => cell.push(c),
        }
    }
    if !cell.is_empty() || !row.is_empty() {
        row.push(cell);
        rows.push(row);
    }
    rows
}

/// Each `statistics-*.rq` sample (reading the precomputed statistics)
/// returns the rows of its slow twin (counting the data) on a generated
/// corpus whose documents came by the bulk loader (statistics recounted
/// after the load) and whose events came in transactions (statistics kept
/// up in each write), both through `chronograph query`.
#[test]
fn statistics_samples_give_the_rows_of_their_slow_twins_on_a_generated_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let store = dir.path().join("store");
    chronograph()
        .args(["gen-corpus", "--documents", "600", "--events", "150"])
        .args([
            "--people", "30", "--seed", "5", "--format", "jsonl", "--out",
        ])
        .arg(&corpus)
        .assert()
        .success();
    // The events first: the bulk load of the documents then counts the
    // statistics and indexes its records into a store indexed already.
    for (mode, file) in [
        ("--transactions", "events-0001.jsonl"),
        ("--bulk", "documents-0001.jsonl"),
    ] {
        chronograph()
            .args(["load", mode, "--store"])
            .arg(&store)
            .arg("--authority")
            .arg(corpus.join("authority.csv"))
            .arg(corpus.join(file))
            .assert()
            .success();
    }
    // The bulk-loaded documents are in the index: each word of a
    // document's title finds it among the hits.
    let first: Value = serde_json::from_str(
        std::fs::read_to_string(corpus.join("documents-0001.jsonl"))
            .unwrap()
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    let title = first["title"].as_str().unwrap();
    let iri = &csv_rows(
        &String::from_utf8(
            chronograph()
                .args(["query", "--format", "csv", "--store"])
                .arg(&store)
                .arg(format!(
                    "SELECT ?d WHERE {{ ?d <http://purl.org/dc/terms/identifier> \"{}\" }}",
                    first["record_id"].as_str().unwrap()
                ))
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap(),
    )[1][0];
    let hits = search_json(&store, &format!("\"{title}\""));
    assert!(
        hits["hits"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["iri"].as_str() == Some(iri.as_str())),
        "{title}: {hits}"
    );
    // The per-person samples ask for someone of the corpus.
    let person = &csv_rows(&String::from_utf8(
        chronograph()
            .args(["query", "--format", "csv", "--store"])
            .arg(&store)
            .arg("SELECT ?name WHERE { ?d schema:mentions ?p . ?p a cg:Person ; schema:name ?name } ORDER BY ?name LIMIT 1")
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap())[1][0];
    let rows = |query: &str| {
        let text = std::fs::read_to_string(format!("queries/{query}"))
            .unwrap()
            .replace("\"Kim Il Sung\"", &format!("\"{person}\""));
        let file = dir.path().join(query);
        std::fs::write(&file, text).unwrap();
        let output = chronograph()
            .args(["query", "--format", "csv", "--store"])
            .arg(&store)
            .arg("--file")
            .arg(&file)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{query}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        csv_rows(&String::from_utf8(output.stdout).unwrap())
    };
    for (fast, slow) in [
        ("statistics-documents-per-year.rq", "documents-per-year.rq"),
        ("statistics-events-per-decade.rq", "events-per-decade.rq"),
        (
            "statistics-people-mentioned-together.rq",
            "people-mentioned-together.rq",
        ),
        (
            "statistics-resources-per-class.rq",
            "resources-per-class.rq",
        ),
        (
            "statistics-documents-per-person-and-year.rq",
            "documents-per-person-and-year.rq",
        ),
    ] {
        let slow_rows = rows(slow);
        assert!(slow_rows.len() > 5, "{slow}: {slow_rows:?}");
        assert_eq!(rows(fast), slow_rows, "{fast} against {slow}");
    }
}
