//! The store and the exports: idempotent loads, one named graph per source with
//! provenance, exports that re-parse (with sophia) to the store's content, and
//! canonical N-Quads that are byte-identical across exports.

use chronograph_testkit as common;

use chronograph_core::export::{self, ExportFormat};
use common::*;
use indicatif::ProgressBar;
use oxigraph::io::{RdfFormat, RdfParser};

#[test]
fn loading_the_same_inputs_twice_gives_the_same_quad_count() {
    let (store, first) = sample_store();
    assert_eq!(first.rejected, 0, "{:?}", first.rejections);
    assert!(first.store_quads > 1000, "{}", first.store_quads);
    let second = load_into(&store, &["data/sample"]);
    assert_eq!(second.store_quads, first.store_quads);
    assert_eq!(store.quad_count().unwrap(), first.store_quads);
}

#[test]
fn each_source_has_its_graph_and_provenance() {
    let (store, report) = sample_store();
    let loaded_sources = report.sources.iter().filter(|s| s.graph.is_some()).count();
    assert_eq!(loaded_sources, report.sources.len());
    let rows = select(
        &store,
        &format!(
            "{PREFIXES} SELECT ?path ?sha ?when ?version WHERE {{ GRAPH <http://localhost:7878/graph/metadata> {{
               ?g a cg:Source ; cg:sourcePath ?path ; cg:sha256 ?sha ; prov:generatedAtTime ?when ;
                  prov:wasDerivedFrom ?file ; prov:wasGeneratedBy/prov:wasAssociatedWith/schema:softwareVersion ?version }} }} ORDER BY ?path"
        ),
    );
    assert_eq!(rows.len(), loaded_sources);
    let seed = rows
        .iter()
        .find(|r| r[0] == "data/sample/text/003_d393a9c82f758a80.txt")
        .expect("seed 003 provenance");
    let bytes = std::fs::read(repo_path("data/sample/text/003_d393a9c82f758a80.txt")).unwrap();
    use sha2::Digest;
    assert_eq!(seed[1], hex::encode(sha2::Sha256::digest(&bytes)));
    assert_eq!(seed[3], env!("CARGO_PKG_VERSION"));
    // Each source's statements live in its own graph.
    let graphs = column(
        &store,
        &format!("{PREFIXES} SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE {{ ?g a cg:Source }}"),
    );
    assert_eq!(graphs, vec![loaded_sources.to_string()]);
    // The ontology is in its own graph.
    let ontology = column(
        &store,
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/chronograph/ontology> { ?s ?p ?o } }",
    );
    assert!(ontology[0].parse::<usize>().unwrap() > 50, "{ontology:?}");
}

#[test]
fn turtle_and_nquads_exports_are_isomorphic_to_the_store() {
    let (store, _) = sample_store();
    let mut turtle = Vec::new();
    export::export(
        &store,
        ExportFormat::Turtle,
        None,
        &mut turtle,
        &ProgressBar::hidden(),
    )
    .unwrap();
    assert!(String::from_utf8_lossy(&turtle)
        .contains("@prefix cg: <https://w3id.org/chronograph/ontology#>"));
    assert!(chronograph_testkit::rdf_checks::turtle_matches_store(
        &store, &turtle
    ));
    let mut nquads = Vec::new();
    export::export(
        &store,
        ExportFormat::NQuads,
        None,
        &mut nquads,
        &ProgressBar::hidden(),
    )
    .unwrap();
    assert!(chronograph_testkit::rdf_checks::nquads_match_store(
        &store, &nquads
    ));
    // A change is noticed: dropping one line breaks isomorphism.
    let text = String::from_utf8(nquads).unwrap();
    let fewer: String = text.lines().skip(1).map(|l| format!("{l}\n")).collect();
    assert!(!chronograph_testkit::rdf_checks::nquads_match_store(
        &store,
        fewer.as_bytes()
    ));
}

#[test]
fn every_export_syntax_reparses_to_the_same_statement_count() {
    let (store, _) = sample_store();
    let union_triples = column(&store, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER(!STRENDS(STR(?g), \"/graph/statistics\")) } }")[0]
        .parse::<usize>()
        .unwrap();
    let quads = store.quad_count().unwrap();
    for (format, expected) in [
        (ExportFormat::Turtle, union_triples),
        (ExportFormat::RdfXml, union_triples),
        (ExportFormat::NQuads, quads),
        (ExportFormat::TriG, quads),
        (ExportFormat::JsonLd, quads),
    ] {
        let mut bytes = Vec::new();
        export::export(&store, format, None, &mut bytes, &ProgressBar::hidden()).unwrap();
        let parsed = RdfParser::from_format(format.rdf_format())
            .for_slice(&bytes)
            .collect::<Result<std::collections::HashSet<_>, _>>()
            .unwrap_or_else(|e| panic!("{format:?}: {e}"));
        assert_eq!(parsed.len(), expected, "{format:?}");
    }
    let mut nt = Vec::new();
    export::export(
        &store,
        ExportFormat::NTriples,
        None,
        &mut nt,
        &ProgressBar::hidden(),
    )
    .unwrap();
    let parsed: std::collections::HashSet<_> = RdfParser::from_format(RdfFormat::NTriples)
        .for_slice(&nt)
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(parsed.len(), union_triples);
}

#[test]
fn canonical_exports_of_the_same_data_are_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    load_with_cli(&store, "data/sample");
    let canonical = |name: &str| {
        let path = dir.path().join(name);
        let out = chronograph()
            .args(["export", "--canonical", "--store"])
            .arg(&store)
            .arg("-o")
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stderr = String::from_utf8(out.stderr).unwrap();
        let sha = stderr
            .lines()
            .find_map(|l| l.strip_prefix("sha256 "))
            .unwrap()
            .to_owned();
        (sha, std::fs::read(path).unwrap())
    };
    let (sha1, bytes1) = canonical("a.nq");
    let (sha2, bytes2) = canonical("b.nq");
    assert_eq!(sha1, sha2);
    assert_eq!(bytes1, bytes2);
    use sha2::Digest;
    assert_eq!(sha1, hex::encode(sha2::Sha256::digest(&bytes1)));
    // Canonical N-Quads are sorted lines.
    let text = String::from_utf8(bytes1).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut sorted = lines.clone();
    sorted.sort();
    assert_eq!(lines, sorted);
}

#[test]
fn one_graph_can_be_exported_alone() {
    let (store, report) = sample_store();
    let source = report
        .sources
        .iter()
        .find_map(|s| {
            s.graph
                .clone()
                .filter(|_| s.path.ends_with("authority.csv"))
        })
        .unwrap();
    let mut bytes = Vec::new();
    let n = export::export(
        &store,
        ExportFormat::NTriples,
        Some(&source),
        &mut bytes,
        &ProgressBar::hidden(),
    )
    .unwrap();
    let expected = report
        .sources
        .iter()
        .find(|s| s.path.ends_with("authority.csv"))
        .unwrap()
        .quads;
    assert_eq!(n, expected);
}
