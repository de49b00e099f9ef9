//! chronograph's test kit, a dev-dependency of the workspace's crates and never
//! part of the product: a store loaded from the repository's fixtures, SPARQL
//! answers as plain strings, `chronograph serve` in a background thread, the
//! binary under test, checks of exports against the store read by an
//! independent RDF implementation ([`rdf_checks`]), a fake Wikidata API
//! ([`fake_wikidata`]) and a mini archive website ([`mini_site`]), both real
//! HTTP servers on 127.0.0.1.

pub mod fake_wikidata;
pub mod mini_site;
pub mod rdf_checks;
pub mod statistics_scan;

use std::path::{Path, PathBuf};

use chronograph_core::mapping::iri::{Base, DEFAULT_BASE};
use chronograph_core::pipeline::{self, LoadOptions, LoadReport};
use chronograph_core::query;
use chronograph_core::store::ArchiveStore;
use oxigraph::sparql::QueryResults;

/// The repository root (this crate lives in `crates/testkit`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the repository root exists")
}

/// A path under the repository root.
pub fn repo_path(relative: &str) -> PathBuf {
    root().join(relative)
}

/// An in-memory store loaded with the given inputs (paths relative to the repo root).
pub fn load_store(inputs: &[&str]) -> (ArchiveStore, LoadReport) {
    let store = ArchiveStore::in_memory(Base::new(DEFAULT_BASE).unwrap()).unwrap();
    let report = load_into(&store, inputs);
    (store, report)
}

/// Loads inputs into an existing store. The inputs are read from the
/// repository root as the working directory, so their source graphs are named
/// by their paths in the repository (`graph/source/data/sample/...`) whichever
/// crate's tests run (cargo starts each in its own crate's folder).
pub fn load_into(store: &ArchiveStore, inputs: &[&str]) -> LoadReport {
    std::env::set_current_dir(root()).expect("the repository root is a folder");
    let inputs: Vec<PathBuf> = inputs.iter().map(PathBuf::from).collect();
    pipeline::load(
        store,
        &inputs,
        &LoadOptions::default(),
        &indicatif::ProgressBar::hidden(),
    )
    .unwrap()
}

/// The sample data set, loaded.
pub fn sample_store() -> (ArchiveStore, LoadReport) {
    load_store(&["data/sample"])
}

/// Rows of a SELECT query, each value as its lexical form ("" when unbound).
pub fn select(store: &ArchiveStore, sparql: &str) -> Vec<Vec<String>> {
    select_columns(store, sparql, &[])
}

/// Rows of a SELECT query restricted to the named columns (all when empty), in that order.
pub fn select_columns(store: &ArchiveStore, sparql: &str, columns: &[&str]) -> Vec<Vec<String>> {
    let results = query::execute(store, sparql).unwrap_or_else(|e| panic!("{e}\n{sparql}"));
    let QueryResults::Solutions(solutions) = results else {
        panic!("not a SELECT query: {sparql}");
    };
    let wanted: Vec<String> = if columns.is_empty() {
        solutions
            .variables()
            .iter()
            .map(|v| v.as_str().to_owned())
            .collect()
    } else {
        columns.iter().map(|c| c.to_string()).collect()
    };
    solutions
        .map(|s| {
            let s = s.unwrap();
            wanted
                .iter()
                .map(|v| match s.get(v.as_str()) {
                    Some(oxigraph::model::Term::Literal(l)) => l.value().to_owned(),
                    Some(oxigraph::model::Term::NamedNode(n)) => n.as_str().to_owned(),
                    Some(other) => other.to_string(),
                    None => String::new(),
                })
                .collect()
        })
        .collect()
}

/// The single column of a SELECT query's rows.
pub fn column(store: &ArchiveStore, sparql: &str) -> Vec<String> {
    select(store, sparql)
        .into_iter()
        .map(|mut r| r.remove(0))
        .collect()
}

/// Reads a query file from queries/.
pub fn query_file(name: &str) -> String {
    std::fs::read_to_string(repo_path(&format!("queries/{name}"))).unwrap()
}

/// Standard prefixes for inline test queries.
pub const PREFIXES: &str = "PREFIX cg: <https://w3id.org/chronograph/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
PREFIX rico: <https://www.ica.org/standards/RiC/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
";

/// The `chronograph` binary, with no store or base taken from the environment.
pub fn chronograph() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("chronograph").unwrap();
    cmd.env_remove("CHRONOGRAPH_STORE")
        .env_remove("CHRONOGRAPH_BASE");
    cmd
}

/// Loads a repository path into an on-disk store through the binary.
pub fn load_with_cli(store: &Path, input: &str) {
    chronograph()
        .args(["load", "--store"])
        .arg(store)
        .arg(repo_path(input))
        .assert()
        .success();
}

/// A running `chronograph serve` of a store, on a free 127.0.0.1 port, in a
/// background thread; dropping it stops the server.
pub struct BackgroundServer {
    /// Where it listens.
    pub address: std::net::SocketAddr,
    /// A handle on the store it serves (the same data).
    pub store: ArchiveStore,
    _shutdown: tokio::sync::oneshot::Sender<()>,
}

impl BackgroundServer {
    /// Serves `store` with `options`.
    pub fn start(store: ArchiveStore, options: chronograph_serve::ServeOptions) -> Self {
        let served = store.clone();
        let state = std::sync::Arc::new(chronograph_serve::AppState::new(store, options).unwrap());
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Runtime::new().unwrap();
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                addr_tx.send(listener.local_addr().unwrap()).unwrap();
                chronograph_serve::serve_on(listener, state, async {
                    let _ = rx.await;
                })
                .await
                .unwrap();
            });
        });
        let address = addr_rx
            .recv_timeout(std::time::Duration::from_secs(10))
            .unwrap();
        Self {
            address,
            store: served,
            _shutdown: tx,
        }
    }

    /// The URL of a path on the server.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.address, path)
    }
}

/// A store's quads by graph (each as `s p o` in N-Triples terms), load times
/// taken out (they differ from load to load) and blank nodes left out (the
/// ontology's `owl:unionOf` lists get new labels in every store; the function
/// fails the test if the data has any).
pub fn quads_by_graph(
    store: &Path,
) -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
    let store = ArchiveStore::open(store, Base::new(DEFAULT_BASE).unwrap())
        .unwrap_or_else(|e| panic!("the store does not open: {e}"));
    let mut out: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> =
        std::collections::BTreeMap::new();
    let statistics = store.base().statistics_graph();
    for quad in store.oxigraph().iter() {
        let quad = quad.unwrap();
        if quad.predicate.as_str() == "http://www.w3.org/ns/prov#generatedAtTime" {
            continue;
        }
        // The statistics graph counts writes too, which differ between two
        // runs of the same load: compare it with `statistics_scan` instead.
        if matches!(&quad.graph_name, oxigraph::model::GraphName::NamedNode(g) if *g == statistics)
        {
            continue;
        }
        if quad.subject.is_blank_node() || quad.object.is_blank_node() {
            let graph = quad.graph_name.to_string();
            assert!(
                graph.contains("w3id.org/chronograph/ontology") || graph.ends_with("/graph/union>"),
                "a blank node in the data: {quad}"
            );
            continue;
        }
        out.entry(quad.graph_name.to_string())
            .or_default()
            .insert(format!(
                "{} {} {}",
                quad.subject, quad.predicate, quad.object
            ));
    }
    out
}

/// A query that never reads the store and runs for hours: `COUNT(*)` over
/// the cross product of three `VALUES` blocks of `n` numbers (`n`³ rows; at
/// 1,000 a 12 KB request). For tests and the stress run of the server's
/// time limit.
pub fn values_cross_product(n: usize) -> String {
    let block = |var: &str| {
        let numbers: Vec<String> = (1..=n).map(|i| i.to_string()).collect();
        format!("VALUES ?{var} {{ {} }}", numbers.join(" "))
    };
    format!(
        "SELECT (COUNT(*) AS ?n) WHERE {{ {} {} {} }}",
        block("a"),
        block("b"),
        block("c")
    )
}
