//! `chronograph serve`: the SPARQL 1.1 Protocol and dereferenceable IRIs, tested
//! over HTTP on 127.0.0.1 against a server started by the test.

mod common;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chronograph::publish::{serve_on, AppState, ServeOptions};
use common::*;
use reqwest::blocking::Client;
use reqwest::StatusCode;

struct Server {
    address: SocketAddr,
    _shutdown: tokio::sync::oneshot::Sender<()>,
}

impl Server {
    fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.address, path)
    }
}

fn start(options: ServeOptions) -> Server {
    let (store, report) = sample_store();
    assert_eq!(report.rejected, 0);
    let state = Arc::new(AppState { store, options });
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let (addr_tx, addr_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            addr_tx.send(listener.local_addr().unwrap()).unwrap();
            serve_on(listener, state, async {
                let _ = rx.await;
            })
            .await
            .unwrap();
        });
    });
    let address = addr_rx.recv_timeout(Duration::from_secs(10)).unwrap();
    Server { address, _shutdown: tx }
}

fn client() -> Client {
    Client::builder().timeout(Duration::from_secs(60)).build().unwrap()
}

const NAMES: &str = "SELECT ?name WHERE { ?p a <https://w3id.org/chronograph/ontology#Person> ; <https://schema.org/name> ?name } ORDER BY ?name LIMIT 3";

#[test]
fn select_results_in_every_format_by_get_and_post() {
    let server = start(ServeOptions::default());
    let c = client();
    for (accept, expected_type, marker) in [
        ("application/sparql-results+json", "application/sparql-results+json", "\"bindings\""),
        ("application/sparql-results+xml", "application/sparql-results+xml", "<sparql"),
        ("text/csv", "text/csv", "name\r\n"),
        ("text/tab-separated-values", "text/tab-separated-values", "?name\n"),
    ] {
        let response = c.get(server.url("/sparql")).query(&[("query", NAMES)]).header("Accept", accept).send().unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{accept}");
        assert_eq!(response.headers()["content-type"], expected_type);
        let body = response.text().unwrap();
        assert!(body.contains(marker), "{accept}: {body}");
        assert!(body.contains("Alexander Puzanov"), "{accept}: {body}");
    }
    let form = c.post(server.url("/sparql")).form(&[("query", NAMES), ("format", "csv")]).send().unwrap();
    assert_eq!(form.status(), StatusCode::OK);
    assert!(form.text().unwrap().starts_with("name\r\nAlexander Puzanov"));
    let direct = c
        .post(server.url("/sparql"))
        .header("Content-Type", "application/sparql-query")
        .header("Accept", "application/json")
        .body(NAMES)
        .send()
        .unwrap();
    assert_eq!(direct.status(), StatusCode::OK);
    let json: serde_json::Value = direct.json().unwrap();
    assert_eq!(json["results"]["bindings"][0]["name"]["value"], "Alexander Puzanov");
}

#[test]
fn construct_results_in_rdf_syntaxes_and_dataset_parameters() {
    let server = start(ServeOptions::default());
    let c = client();
    let construct = "CONSTRUCT { ?p <https://schema.org/name> ?n } WHERE { ?p a <https://w3id.org/chronograph/ontology#Person> ; <https://schema.org/name> ?n }";
    for (accept, format) in [
        ("text/turtle", oxigraph::io::RdfFormat::Turtle),
        ("application/n-triples", oxigraph::io::RdfFormat::NTriples),
        ("application/rdf+xml", oxigraph::io::RdfFormat::RdfXml),
        ("application/ld+json", oxigraph::io::RdfFormat::JsonLd { profile: oxigraph::io::JsonLdProfileSet::empty() }),
    ] {
        let response = c.get(server.url("/sparql")).query(&[("query", construct)]).header("Accept", accept).send().unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{accept}");
        assert_eq!(response.headers()["content-type"], accept);
        let body = response.bytes().unwrap();
        let triples: Vec<_> = oxigraph::io::RdfParser::from_format(format).for_slice(&body).collect::<Result<_, _>>().unwrap();
        assert!(triples.len() > 20, "{accept}: {}", triples.len());
    }
    // default-graph-uri narrows the default graph to one source graph.
    let graph = "http://localhost:7878/graph/source/data/sample/records/events.jsonl";
    let count = "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a <http://semanticweb.cs.vu.nl/2009/11/sem/Event> }";
    let response = c.get(server.url("/sparql")).query(&[("query", count), ("default-graph-uri", graph), ("format", "csv")]).send().unwrap();
    assert_eq!(response.text().unwrap(), "n\r\n3\r\n");
}

#[test]
fn errors_are_clear() {
    let server = start(ServeOptions { max_body_bytes: 2048, ..ServeOptions::default() });
    let c = client();
    let bad = c.get(server.url("/sparql")).query(&[("query", "SELECT ?x WHERE { ?x ?y }")]).send().unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let message = bad.text().unwrap();
    assert!(message.contains("SPARQL syntax error") && message.contains("1:"), "{message}");
    let too_big = c
        .post(server.url("/sparql"))
        .header("Content-Type", "application/sparql-query")
        .body(format!("SELECT * WHERE {{ ?s ?p ?o }} # {}", "x".repeat(4096)))
        .send()
        .unwrap();
    assert_eq!(too_big.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let update = c.post(server.url("/sparql")).form(&[("update", "CLEAR ALL")]).send().unwrap();
    assert_eq!(update.status(), StatusCode::FORBIDDEN);
    for path in ["/nothing/here", "/person/nobody", "/document/..%2F..%2Fetc%2Fpasswd", "/person/../../etc/passwd"] {
        let r = c.get(server.url(path)).header("Accept", "text/turtle").send().unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let description = c.get(server.url("/sparql")).header("Accept", "text/turtle").send().unwrap();
    assert_eq!(description.status(), StatusCode::OK);
    assert!(description.text().unwrap().contains("http://www.w3.org/ns/sparql-service-description#Service"));
}

#[test]
fn updates_need_the_token() {
    let server = start(ServeOptions { update_token: Some("s3cret".into()), ..ServeOptions::default() });
    let c = client();
    let insert = "INSERT DATA { GRAPH <http://localhost:7878/graph/curation> { <http://localhost:7878/person/kim-il-sung> <http://www.w3.org/2000/01/rdf-schema#comment> \"checked\" } }";
    let wrong = c.post(server.url("/sparql")).bearer_auth("guess").form(&[("update", insert)]).send().unwrap();
    assert_eq!(wrong.status(), StatusCode::FORBIDDEN);
    let right = c.post(server.url("/sparql")).bearer_auth("s3cret").form(&[("update", insert)]).send().unwrap();
    assert_eq!(right.status(), StatusCode::NO_CONTENT, "{:?}", right.text());
    let ask = "ASK { <http://localhost:7878/person/kim-il-sung> <http://www.w3.org/2000/01/rdf-schema#comment> \"checked\" }";
    let seen = c.get(server.url("/sparql")).query(&[("query", ask)]).header("Accept", "application/sparql-results+json").send().unwrap();
    assert!(seen.text().unwrap().contains("true"));
}

#[test]
fn a_slow_query_is_cut_while_a_cheap_one_answers() {
    let server = start(ServeOptions { timeout: Duration::from_secs(2), ..ServeOptions::default() });
    let slow_url = server.url("/sparql");
    let slow = std::thread::spawn(move || {
        let started = Instant::now();
        let r = client()
            .get(slow_url)
            .query(&[("query", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")])
            .send()
            .unwrap();
        (r.status(), r.text().unwrap(), started.elapsed())
    });
    std::thread::sleep(Duration::from_millis(300));
    let cheap = client().get(server.url("/sparql")).query(&[("query", "ASK { ?s ?p ?o }")]).send().unwrap();
    assert_eq!(cheap.status(), StatusCode::OK);
    let (status, body, elapsed) = slow.join().unwrap();
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(body.contains("time limit"), "{body}");
    assert!(elapsed < Duration::from_secs(30), "{elapsed:?}");
}

#[test]
fn resources_dereference_by_content_negotiation() {
    let server = start(ServeOptions::default());
    let c = client();
    let turtle = c.get(server.url("/person/kim-il-sung")).header("Accept", "text/turtle").send().unwrap();
    assert_eq!(turtle.status(), StatusCode::OK);
    assert_eq!(turtle.headers()["vary"], "Accept");
    assert_eq!(turtle.headers()["content-type"], "text/turtle");
    let body = turtle.text().unwrap();
    assert!(body.contains("Kim Il Sung"), "{body}");
    let html = c.get(server.url("/person/kim-il-sung")).header("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8").send().unwrap();
    assert!(html.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    assert!(html.text().unwrap().contains("<h1>Kim Il Sung</h1>"));
    let suffix = c.get(server.url("/person/kim-il-sung.nt")).send().unwrap();
    assert_eq!(suffix.headers()["content-type"], "application/n-triples");
    assert!(suffix.text().unwrap().contains("<http://localhost:7878/person/kim-il-sung> <https://schema.org/name> \"Kim Il Sung\""));
}

#[test]
fn every_iri_of_a_canonical_export_dereferences() {
    let (store, _) = sample_store();
    let mut canonical = Vec::new();
    chronograph::export::export_canonical(&store, None, &mut canonical).unwrap();
    let text = String::from_utf8(canonical).unwrap();
    let mut iris: Vec<String> = text
        .split(['<', '>'])
        .filter(|s| s.starts_with("http://localhost:7878/"))
        .map(|s| s.split('#').next().unwrap_or(s).to_owned())
        .collect();
    iris.sort();
    iris.dedup();
    assert!(iris.len() > 100, "{}", iris.len());
    let server = start(ServeOptions::default());
    let c = client();
    for iri in &iris {
        let path = iri.trim_start_matches("http://localhost:7878");
        let r = c.get(server.url(path)).header("Accept", "application/n-triples").send().unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{iri}");
        let body = r.text().unwrap();
        assert!(body.lines().any(|l| l.starts_with(&format!("<{iri}> "))), "{iri} is not a subject in:\n{body}");
    }
}
