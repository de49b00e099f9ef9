//! The server's bounds hold for every kind of request: work that never reads
//! the store stops at the time limit, large answers are streamed (and cut at
//! the limit), and the Graph Store, the pages and VoID wait for an
//! evaluation slot like `/sparql` does.

use chronograph_testkit as common;

use std::collections::HashSet;
use std::io::Read;
use std::time::{Duration, Instant};

use chronograph_serve::ServeOptions;
use common::*;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphNameRef, NamedNode, Triple};
use reqwest::blocking::Client;
use reqwest::StatusCode;

/// A CONSTRUCT that writes triples for hours: every triple, once per triple.
const ENDLESS_CONSTRUCT: &str = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o . ?x ?y ?z }";

fn client() -> Client {
    Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap()
}

/// The sample store served with one slot and a limit of one second, and the
/// triples of its union graph read from the store itself.
fn one_slot_one_second() -> (BackgroundServer, HashSet<Triple>) {
    let (store, report) = sample_store();
    assert_eq!(report.rejected, 0);
    let union = union_triples(&store);
    let server = BackgroundServer::start(
        store,
        ServeOptions {
            timeout: Duration::from_secs(1),
            max_evaluations: 1,
            ..ServeOptions::default()
        },
    );
    (server, union)
}

/// Asks `ASK {}` until it is answered 200; fails if the slot is not given
/// back within `patience`.
fn slot_comes_back(server: &BackgroundServer, patience: Duration) {
    let deadline = Instant::now() + patience;
    loop {
        let response = client()
            .get(server.url("/sparql"))
            .query(&[("query", "ASK {}")])
            .send()
            .unwrap();
        if response.status() == StatusCode::OK {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the only evaluation slot was still held after {patience:?}: {}",
            response.text().unwrap()
        );
    }
}

fn union_triples(store: &chronograph_core::store::ArchiveStore) -> HashSet<Triple> {
    let union: &NamedNode = store.union_graph();
    store
        .oxigraph()
        .quads_for_pattern(
            None,
            None,
            None,
            Some(GraphNameRef::NamedNode(union.as_ref())),
        )
        .map(|q| Triple::from(q.unwrap()))
        .collect()
}

#[test]
fn a_cross_product_of_values_is_cut_and_gives_its_slot_back() {
    let (server, _) = one_slot_one_second();
    let started = Instant::now();
    let response = client()
        .post(server.url("/sparql"))
        .form(&[("query", values_cross_product(1000))])
        .send()
        .unwrap();
    let status = response.status();
    let body = response.text().unwrap();
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(body.contains("time limit"), "{body}");
    assert!(started.elapsed() < Duration::from_secs(10));
    // Upstream, the evaluation went on (it never reads the store, where the
    // token was checked) and kept the slot for hours.
    slot_comes_back(&server, Duration::from_secs(10));
}

#[test]
fn a_large_construct_is_streamed_whole_and_equals_the_store() {
    let (store, _) = sample_store();
    let expected = union_triples(&store);
    let server = BackgroundServer::start(store, ServeOptions::default());
    let response = client()
        .get(server.url("/sparql"))
        .query(&[("query", "CONSTRUCT WHERE { ?s ?p ?o }")])
        .header("Accept", "application/n-triples")
        .send()
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers().get("content-length").is_none(),
        "a large answer is streamed, not buffered whole"
    );
    let body = response.bytes().unwrap();
    assert!(
        body.len() > 256 * 1024,
        "only {} bytes: not streamed",
        body.len()
    );
    let got: HashSet<Triple> = RdfParser::from_format(RdfFormat::NTriples)
        .for_slice(&body)
        .map(|q| Triple::from(q.unwrap()))
        .collect();
    assert_eq!(got.len(), expected.len());
    assert_eq!(got, expected);
}

#[test]
fn a_streamed_answer_is_cut_at_the_time_limit() {
    let (server, _) = one_slot_one_second();
    let started = Instant::now();
    let response = client()
        .get(server.url("/sparql"))
        .query(&[("query", ENDLESS_CONSTRUCT)])
        .header("Accept", "application/n-triples")
        .send()
        .unwrap();
    // The answer began (the first chunk was full) before the limit ...
    assert_eq!(response.status(), StatusCode::OK);
    let mut body = Vec::new();
    let read = response.take(64 * 1024 * 1024).read_to_end(&mut body);
    // ... and is aborted there, never ended as if it were whole.
    assert!(read.is_err(), "read {} bytes and a clean end", body.len());
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    slot_comes_back(&server, Duration::from_secs(10));
}

#[test]
fn graph_store_reads_pages_and_void_wait_for_an_evaluation_slot() {
    let (server, union) = one_slot_one_second();
    let graph_url = server.url("/rdf-graphs?default");
    // Alone, each is served.
    for path in [
        "/rdf-graphs?default",
        "/",
        "/person/kim-il-sung",
        "/search?q=kim",
    ] {
        let response = client()
            .get(server.url(path))
            .header("Accept", "text/html, text/turtle;q=0.9")
            .send()
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
    }
    let turtle = client().get(&graph_url).send().unwrap().text().unwrap();
    let read: HashSet<Triple> = RdfParser::from_format(RdfFormat::Turtle)
        .for_slice(turtle.as_bytes())
        .map(|q| Triple::from(q.unwrap()))
        .collect();
    assert_eq!(
        read, union,
        "GET /rdf-graphs?default differs from the store"
    );

    // While a query holds the only slot, none of them runs beside it.
    for path in [
        "/rdf-graphs?default",
        "/",
        "/person/kim-il-sung",
        "/search?q=kim",
    ] {
        std::thread::scope(|scope| {
            let started = Instant::now();
            let holder = scope.spawn(|| {
                client()
                    .post(server.url("/sparql"))
                    .form(&[("query", values_cross_product(1000))])
                    .send()
                    .unwrap()
                    .status()
            });
            std::thread::sleep(Duration::from_millis(300));
            let response = client()
                .get(server.url(path))
                .header("Accept", "text/html, text/turtle;q=0.9")
                .send()
                .unwrap();
            let waited = started.elapsed();
            let status = response.status();
            assert!(
                waited >= Duration::from_millis(950),
                "{path} answered {status} after {waited:?}, beside the query holding the slot"
            );
            assert!(
                status == StatusCode::OK || status == StatusCode::SERVICE_UNAVAILABLE,
                "{path}: {status}"
            );
            assert_eq!(holder.join().unwrap(), StatusCode::SERVICE_UNAVAILABLE);
        });
        slot_comes_back(&server, Duration::from_secs(10));
    }
}
