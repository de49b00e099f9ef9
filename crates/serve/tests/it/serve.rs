//! `chronograph serve`: the SPARQL 1.1 Protocol and dereferenceable IRIs, tested
//! over HTTP on 127.0.0.1 against a server started by the test.

use chronograph_testkit as common;

use std::time::{Duration, Instant};

use chronograph_serve::ServeOptions;
use common::*;
use reqwest::blocking::Client;
use reqwest::StatusCode;

type Server = BackgroundServer;

/// The sample store, served.
fn start(options: ServeOptions) -> Server {
    let (store, report) = sample_store();
    assert_eq!(report.rejected, 0);
    BackgroundServer::start(store, options)
}

fn client() -> Client {
    Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap()
}

const NAMES: &str = "SELECT ?name WHERE { ?p a <https://w3id.org/chronograph/ontology#Person> ; <https://schema.org/name> ?name } ORDER BY ?name LIMIT 3";

#[test]
fn select_results_in_every_format_by_get_and_post() {
    let server = start(ServeOptions::default());
    let c = client();
    for (accept, expected_type, marker) in [
        (
            "application/sparql-results+json",
            "application/sparql-results+json",
            "\"bindings\"",
        ),
        (
            "application/sparql-results+xml",
            "application/sparql-results+xml",
            "<sparql",
        ),
        ("text/csv", "text/csv", "name\r\n"),
        (
            "text/tab-separated-values",
            "text/tab-separated-values",
            "?name\n",
        ),
    ] {
        let response = c
            .get(server.url("/sparql"))
            .query(&[("query", NAMES)])
            .header("Accept", accept)
            .send()
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{accept}");
        assert_eq!(response.headers()["content-type"], expected_type);
        let body = response.text().unwrap();
        assert!(body.contains(marker), "{accept}: {body}");
        assert!(body.contains("Alexander Puzanov"), "{accept}: {body}");
    }
    let form = c
        .post(server.url("/sparql"))
        .form(&[("query", NAMES), ("format", "csv")])
        .send()
        .unwrap();
    assert_eq!(form.status(), StatusCode::OK);
    assert!(form
        .text()
        .unwrap()
        .starts_with("name\r\nAlexander Puzanov"));
    let direct = c
        .post(server.url("/sparql"))
        .header("Content-Type", "application/sparql-query")
        .header("Accept", "application/json")
        .body(NAMES)
        .send()
        .unwrap();
    assert_eq!(direct.status(), StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&direct.text().unwrap()).unwrap();
    assert_eq!(
        json["results"]["bindings"][0]["name"]["value"],
        "Alexander Puzanov"
    );
}

#[test]
fn construct_results_in_rdf_syntaxes_and_dataset_parameters() {
    let server = start(ServeOptions::default());
    let c = client();
    let (store, _) = sample_store();
    let named_people = select(&store, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?p ?n WHERE { ?p a cg:Person ; schema:name ?n } }")[0][0]
        .parse::<usize>()
        .unwrap();
    assert!(named_people >= 20, "{named_people}");
    let construct = "CONSTRUCT { ?p <https://schema.org/name> ?n } WHERE { ?p a <https://w3id.org/chronograph/ontology#Person> ; <https://schema.org/name> ?n }";
    for (accept, format) in [
        ("text/turtle", oxigraph::io::RdfFormat::Turtle),
        ("application/n-triples", oxigraph::io::RdfFormat::NTriples),
        ("application/rdf+xml", oxigraph::io::RdfFormat::RdfXml),
        (
            "application/ld+json",
            oxigraph::io::RdfFormat::JsonLd {
                profile: oxigraph::io::JsonLdProfileSet::empty(),
            },
        ),
    ] {
        let response = c
            .get(server.url("/sparql"))
            .query(&[("query", construct)])
            .header("Accept", accept)
            .send()
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{accept}");
        assert_eq!(response.headers()["content-type"], accept);
        let body = response.bytes().unwrap();
        let triples: Vec<_> = oxigraph::io::RdfParser::from_format(format)
            .for_slice(&body)
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(triples.len(), named_people, "{accept}");
    }
    // default-graph-uri narrows the default graph to one source graph.
    let graph = "http://localhost:7878/graph/source/data/sample/records/events.jsonl";
    let count = "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a <http://semanticweb.cs.vu.nl/2009/11/sem/Event> }";
    let response = c
        .get(server.url("/sparql"))
        .query(&[
            ("query", count),
            ("default-graph-uri", graph),
            ("format", "csv"),
        ])
        .send()
        .unwrap();
    assert_eq!(response.text().unwrap(), "n\r\n3\r\n");
}

#[test]
fn errors_are_clear() {
    let server = start(ServeOptions {
        max_body_bytes: 2048,
        ..ServeOptions::default()
    });
    let c = client();
    let bad = c
        .get(server.url("/sparql"))
        .query(&[("query", "SELECT ?x WHERE { ?x ?y }")])
        .send()
        .unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let message = bad.text().unwrap();
    assert!(
        message.contains("SPARQL syntax error") && message.contains("1:"),
        "{message}"
    );
    let too_big = c
        .post(server.url("/sparql"))
        .header("Content-Type", "application/sparql-query")
        .body(format!(
            "SELECT * WHERE {{ ?s ?p ?o }} # {}",
            "x".repeat(4096)
        ))
        .send()
        .unwrap();
    assert_eq!(too_big.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let update = c
        .post(server.url("/sparql"))
        .form(&[("update", "CLEAR ALL")])
        .send()
        .unwrap();
    assert_eq!(update.status(), StatusCode::FORBIDDEN);
    for path in [
        "/nothing/here",
        "/person/nobody",
        "/document/..%2F..%2Fetc%2Fpasswd",
        "/person/../../etc/passwd",
    ] {
        let r = c
            .get(server.url(path))
            .header("Accept", "text/turtle")
            .send()
            .unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
    }
    // reqwest normalises `..` away before sending: the raw request line goes
    // over TCP as an attacker would write it.
    for path in [
        "/person/../../etc/passwd",
        "/../../../../etc/passwd",
        "/dumps/../../etc/passwd",
    ] {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(server.address).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {}\r\nAccept: text/turtle\r\nConnection: close\r\n\r\n",
            server.address
        )
        .unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        let status_line = answer.lines().next().unwrap_or_default().to_owned();
        assert!(
            status_line.starts_with("HTTP/1.1 404") || status_line.starts_with("HTTP/1.1 400"),
            "{path}: {status_line}"
        );
        assert!(!answer.contains("root:"), "{path}: {answer}");
    }
    let description = c
        .get(server.url("/sparql"))
        .header("Accept", "text/turtle")
        .send()
        .unwrap();
    assert_eq!(description.status(), StatusCode::OK);
    assert!(description
        .text()
        .unwrap()
        .contains("http://www.w3.org/ns/sparql-service-description#Service"));
}

#[test]
fn updates_need_the_token() {
    let server = start(ServeOptions {
        update_token: Some("s3cret".into()),
        ..ServeOptions::default()
    });
    let c = client();
    let insert = "INSERT DATA { GRAPH <http://localhost:7878/graph/curation> { <http://localhost:7878/person/kim-il-sung> <http://www.w3.org/2000/01/rdf-schema#comment> \"checked\" } }";
    let wrong = c
        .post(server.url("/sparql"))
        .bearer_auth("guess")
        .form(&[("update", insert)])
        .send()
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::FORBIDDEN);
    let right = c
        .post(server.url("/sparql"))
        .bearer_auth("s3cret")
        .form(&[("update", insert)])
        .send()
        .unwrap();
    assert_eq!(right.status(), StatusCode::NO_CONTENT, "{:?}", right.text());
    let ask = "ASK { <http://localhost:7878/person/kim-il-sung> <http://www.w3.org/2000/01/rdf-schema#comment> \"checked\" }";
    let seen = c
        .get(server.url("/sparql"))
        .query(&[("query", ask)])
        .header("Accept", "application/sparql-results+json")
        .send()
        .unwrap();
    assert!(seen.text().unwrap().contains("true"));
}

#[test]
fn a_slow_query_is_cut_while_a_cheap_one_answers() {
    let server = start(ServeOptions {
        timeout: Duration::from_secs(2),
        ..ServeOptions::default()
    });
    let slow_url = server.url("/sparql");
    let slow = std::thread::spawn(move || {
        let started = Instant::now();
        let r = client()
            .get(slow_url)
            .query(&[("query", CROSS_PRODUCT)])
            .send()
            .unwrap();
        (r.status(), r.text().unwrap(), started.elapsed())
    });
    std::thread::sleep(Duration::from_millis(300));
    let cheap = client()
        .get(server.url("/sparql"))
        .query(&[("query", "ASK { ?s ?p ?o }")])
        .send()
        .unwrap();
    assert_eq!(cheap.status(), StatusCode::OK);
    let (status, body, elapsed) = slow.join().unwrap();
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(body.contains("time limit"), "{body}");
    assert!(elapsed < Duration::from_secs(30), "{elapsed:?}");
}

const CROSS_PRODUCT: &str = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }";

#[test]
fn a_cut_query_stops_and_frees_its_evaluation_slot() {
    let server = start(ServeOptions {
        timeout: Duration::from_secs(1),
        max_evaluations: 1,
        ..ServeOptions::default()
    });
    let sparql = server.url("/sparql");
    let ask = |c: &Client| {
        let r = c
            .get(&sparql)
            .query(&[("query", "ASK { ?s ?p ?o }")])
            .send()
            .unwrap();
        let retry_after = r.headers().get("retry-after").cloned();
        (r.status(), retry_after, r.text().unwrap())
    };
    let slow = |c: &Client| {
        let r = c
            .get(&sparql)
            .query(&[("query", CROSS_PRODUCT)])
            .send()
            .unwrap();
        (r.status(), r.text().unwrap())
    };
    let c = client();

    // The cross product runs for hours; it is cut at the limit.
    let (status, body) = slow(&c);
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(body.contains("time limit"), "{body}");

    // Its evaluation stops and gives the only slot back: a cheap query is
    // answered again. Were it still running, every query would be told the
    // slots stayed busy, until the deadline below.
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut busy = 0;
    loop {
        let (status, _, body) = ask(&c);
        if status == StatusCode::OK {
            assert!(body.contains("true"), "{body}");
            break;
        }
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
        assert!(body.contains("evaluation slots stayed busy"), "{body}");
        busy += 1;
        assert!(
            Instant::now() < deadline,
            "the cut evaluation still holds the slot after {busy} refused queries"
        );
    }

    // While a slow query holds the only slot, another query waits for it:
    // it is answered only once the slow one is cut and gives the slot back
    // (or, if that comes too late for its own limit, refused with a
    // Retry-After). Either way it never runs beside the slow one.
    std::thread::scope(|scope| {
        let started = Instant::now();
        let holder = scope.spawn(|| slow(&client()));
        std::thread::sleep(Duration::from_millis(300));
        let (status, retry_after, body) = ask(&c);
        let waited = started.elapsed();
        assert!(
            waited >= Duration::from_millis(950),
            "answered after {waited:?}, beside the slow query: {status} {body}"
        );
        if status == StatusCode::OK {
            assert!(body.contains("true"), "{body}");
        } else {
            assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
            assert!(
                body.contains("all 1 evaluation slots stayed busy"),
                "{body}"
            );
            assert_eq!(retry_after.unwrap(), "1");
        }
        let (status, body) = holder.join().unwrap();
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    });
}

#[test]
fn resources_dereference_by_content_negotiation() {
    let server = start(ServeOptions::default());
    let c = client();
    let turtle = c
        .get(server.url("/person/kim-il-sung"))
        .header("Accept", "text/turtle")
        .send()
        .unwrap();
    assert_eq!(turtle.status(), StatusCode::OK);
    assert_eq!(turtle.headers()["vary"], "Accept");
    assert_eq!(turtle.headers()["content-type"], "text/turtle");
    let body = turtle.text().unwrap();
    assert!(body.contains("Kim Il Sung"), "{body}");
    let html = c
        .get(server.url("/person/kim-il-sung"))
        .header("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8")
        .send()
        .unwrap();
    assert!(html.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert!(html.text().unwrap().contains("<h1>Kim Il Sung</h1>"));
    let suffix = c.get(server.url("/person/kim-il-sung.nt")).send().unwrap();
    assert_eq!(suffix.headers()["content-type"], "application/n-triples");
    assert!(suffix.text().unwrap().contains(
        "<http://localhost:7878/person/kim-il-sung> <https://schema.org/name> \"Kim Il Sung\""
    ));
}

#[test]
fn every_iri_of_a_canonical_export_dereferences() {
    let (store, _) = sample_store();
    let mut canonical = Vec::new();
    chronograph_core::export::export_canonical(&store, None, &mut canonical).unwrap();
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
        let r = c
            .get(server.url(path))
            .header("Accept", "application/n-triples")
            .send()
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{iri}");
        let body = r.text().unwrap();
        assert!(
            body.lines().any(|l| l.starts_with(&format!("<{iri}> "))),
            "{iri} is not a subject in:\n{body}"
        );
    }
}

fn html(c: &Client, url: &str) -> String {
    let r = c
        .get(url)
        .header("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8")
        .send()
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{url}");
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    r.text().unwrap()
}

#[test]
fn the_person_page_has_a_timeline_a_chart_and_the_documents() {
    let server = start(ServeOptions::default());
    let c = client();
    let page = html(&c, &server.url("/person/kim-il-sung"));
    assert!(page.contains("<h1>Kim Il Sung</h1>"), "{page}");
    assert!(
        page.contains("1912- 1994") || page.contains("1912-1994"),
        "life span missing"
    );
    // One numbered circle per dated event naming him, in the server-rendered SVG.
    let (store, _) = sample_store();
    let events = select(
        &store,
        "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e sem:hasActor ?p ; sem:hasEarliestBeginTimeStamp ?d . ?p schema:name \"Kim Il Sung\" }",
    );
    let expected: usize = events[0][0].parse().unwrap();
    assert!(expected >= 10, "{expected}");
    let svg_start = page.find("<svg class=\"timeline\"").expect("timeline svg");
    let svg = &page[svg_start..svg_start + page[svg_start..].find("</svg>").unwrap()];
    assert_eq!(
        svg.matches("<circle class=\"event\"").count(),
        expected,
        "{svg}"
    );
    assert!(svg.contains(">1960<"), "a year tick: {svg}");
    // Documents per year chart and the documents table, linked locally.
    assert!(page.contains("<svg class=\"per-year\""));
    assert!(page.contains("<table class=\"documents\">"));
    assert!(
        page.contains("href=\"/document/"),
        "document links are local"
    );
    assert!(page.contains("href=\"/event/"), "event links are local");
}

#[test]
fn document_event_and_other_pages_show_their_fields_and_links() {
    let server = start(ServeOptions::default());
    let c = client();
    let (store, _) = sample_store();
    let rows = select(
        &store,
        "SELECT ?d ?title WHERE { ?d a cg:Document ; dcterms:title ?title ; schema:mentions ?p . ?p a cg:Person } LIMIT 1",
    );
    let document = rows[0][0].trim_start_matches("http://localhost:7878");
    let page = html(&c, &server.url(document));
    let title = rows[0][1].replace('"', "&quot;").replace('\'', "&#x27;");
    assert!(page.contains(&title), "{title} not in {page}");
    assert!(page.contains("<ul class=\"mentioned\">"), "{page}");
    assert!(page.contains("href=\"/person/"), "{page}");
    assert!(page.contains("Every statement about this resource"));

    let event = select(
        &store,
        "SELECT ?e WHERE { ?e a sem:Event ; sem:hasActor ?p } LIMIT 1",
    );
    let page = html(
        &c,
        &server.url(event[0][0].trim_start_matches("http://localhost:7878")),
    );
    assert!(page.contains("Event of "), "{page}");
    assert!(page.contains("href=\"/person/"), "{page}");

    let place = select(&store, "SELECT ?x WHERE { ?x a cg:Place } LIMIT 1");
    let page = html(
        &c,
        &server.url(place[0][0].trim_start_matches("http://localhost:7878")),
    );
    assert!(
        page.contains("<span class=\"badge\">Place</span>"),
        "{page}"
    );
}

#[test]
fn home_search_query_and_ontology_pages() {
    let server = start(ServeOptions::default());
    let c = client();
    let home = html(&c, &server.url("/"));
    assert!(home.contains("<ul class=\"counts\">") && home.contains("documents"));
    assert!(home.contains("name=\"q\""));

    let found = c
        .get(server.url("/search"))
        .query(&[("q", "kim il")])
        .send()
        .unwrap()
        .text()
        .unwrap();
    assert!(found.contains("href=\"/person/kim-il-sung\""), "{found}");
    let none = c
        .get(server.url("/search"))
        .query(&[("q", "zzzz-nothing")])
        .send()
        .unwrap()
        .text()
        .unwrap();
    assert!(none.contains("0 matches"), "{none}");

    let editor = html(&c, &server.url("/query"));
    assert!(editor.contains("<textarea id=\"query-editor\" name=\"query\""));
    assert!(
        editor.contains("/query?sample=documents-per-year"),
        "every sample is offered"
    );
    let sample = html(&c, &server.url("/query?sample=documents-per-year"));
    let table = &sample[sample
        .find("<table class=\"results\">")
        .expect("results table")..];
    assert!(
        table.contains("<td>1960</td>") && table.contains("<td>3</td>"),
        "{table}"
    );
    let bad = c
        .get(server.url("/query"))
        .query(&[("query", "SELECT ?x WHERE {")])
        .send()
        .unwrap()
        .text()
        .unwrap();
    assert!(
        bad.contains("class=\"error\"") && bad.contains("SPARQL syntax error"),
        "{bad}"
    );

    let ontology = html(&c, &server.url("/ontology"));
    assert!(ontology.contains("id=\"Person\"") && ontology.contains("id=\"documentedBy\""));
    let turtle = c
        .get(server.url("/ontology"))
        .header("Accept", "text/turtle")
        .send()
        .unwrap();
    assert_eq!(turtle.headers()["content-type"], "text/turtle");
    let body = turtle.text().unwrap();
    let parsed: Vec<_> = oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::Turtle)
        .for_slice(body.as_bytes())
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(parsed
        .iter()
        .any(|q| q.subject.to_string() == "<https://w3id.org/chronograph/ontology#Person>"));
    let suffix = c.get(server.url("/ontology.nt")).send().unwrap();
    assert_eq!(suffix.headers()["content-type"], "application/n-triples");
}

#[test]
fn void_and_dumps_describe_the_store_and_follow_its_changes() {
    let dumps_dir = tempfile::tempdir().unwrap();
    let server = start(ServeOptions {
        update_token: Some("t0ken".into()),
        dumps_dir: dumps_dir.path().to_owned(),
        ..ServeOptions::default()
    });
    let c = client();
    let void = c
        .get(server.url("/.well-known/void"))
        .header("Accept", "application/n-triples")
        .send()
        .unwrap();
    assert_eq!(void.status(), StatusCode::OK);
    let void = void.text().unwrap();
    for needle in [
        "<http://rdfs.org/ns/void#sparqlEndpoint> <http://localhost:7878/sparql>",
        "<http://rdfs.org/ns/void#dataDump> <http://localhost:7878/dumps/chronograph.ttl.gz>",
        "<http://rdfs.org/ns/void#class> <https://w3id.org/chronograph/ontology#Person>",
        "<http://rdfs.org/ns/void#exampleResource>",
        "<http://rdfs.org/ns/void#subset> <http://localhost:7878/graph/source/data/sample/records/events.jsonl>",
    ] {
        assert!(void.contains(needle), "{needle} not in\n{void}");
    }

    // The served store itself: a second load would differ in its load times.
    let store = server.store.clone();
    let listing: serde_json::Value = c
        .get(server.url("/dumps/"))
        .header("Accept", "application/json")
        .send()
        .unwrap()
        .text()
        .map(|t| serde_json::from_str(&t).unwrap())
        .unwrap();
    let files = listing["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    for file in files {
        let name = file["name"].as_str().unwrap();
        let bytes = c
            .get(server.url(&format!("/dumps/{name}")))
            .send()
            .unwrap()
            .bytes()
            .unwrap();
        assert_eq!(
            bytes.len() as u64,
            file["bytes"].as_u64().unwrap(),
            "{name}"
        );
        assert_eq!(
            hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&bytes)),
            file["sha256"].as_str().unwrap()
        );
        let sum = c
            .get(server.url(&format!("/dumps/{name}.sha256")))
            .send()
            .unwrap()
            .text()
            .unwrap();
        assert_eq!(
            sum,
            format!("{}  {name}\n", file["sha256"].as_str().unwrap())
        );
        let mut text = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut text)
            .unwrap();
        if name.ends_with(".nq.gz") {
            assert!(
                chronograph_testkit::rdf_checks::nquads_match_store(&store, &text),
                "N-Quads dump = store"
            );
        } else {
            assert!(
                chronograph_testkit::rdf_checks::turtle_matches_store(&store, &text),
                "Turtle dump = store"
            );
        }
    }
    assert_eq!(
        c.get(server.url("/dumps/..%2F..%2Fetc%2Fpasswd"))
            .send()
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        c.get(server.url("/dumps/other.gz"))
            .send()
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );

    // A write through the server: dumps and VoID are written again.
    let before = files
        .iter()
        .map(|f| f["statements"].as_u64().unwrap())
        .collect::<Vec<_>>();
    let put = c
        .put(server.url("/rdf-graphs?graph=http%3A%2F%2Flocalhost%3A7878%2Fgraph%2Fcuration"))
        .bearer_auth("t0ken")
        .header("Content-Type", "text/turtle")
        .body("<http://localhost:7878/person/kim-il-sung> <http://www.w3.org/2000/01/rdf-schema#comment> \"checked by a curator\" .")
        .send()
        .unwrap();
    assert_eq!(put.status(), StatusCode::CREATED);
    let listing: serde_json::Value = c
        .get(server.url("/dumps/"))
        .header("Accept", "application/json")
        .send()
        .unwrap()
        .text()
        .map(|t| serde_json::from_str(&t).unwrap())
        .unwrap();
    let after = listing["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["statements"].as_u64().unwrap())
        .collect::<Vec<_>>();
    assert_eq!(
        after
            .iter()
            .zip(&before)
            .map(|(a, b)| a - b)
            .collect::<Vec<_>>(),
        [1, 1]
    );
    let void = c
        .get(server.url("/.well-known/void"))
        .header("Accept", "application/n-triples")
        .send()
        .unwrap()
        .text()
        .unwrap();
    assert!(
        void.contains("<http://rdfs.org/ns/void#subset> <http://localhost:7878/graph/curation>")
    );
}

#[test]
fn the_graph_store_protocol_reads_freely_and_writes_with_the_token() {
    let server = start(ServeOptions {
        update_token: Some("k3y".into()),
        ..ServeOptions::default()
    });
    let c = client();
    let graph = "http://localhost:7878/graph/source/data/sample/records/events.jsonl";
    let read = c
        .get(server.url("/rdf-graphs"))
        .query(&[("graph", graph)])
        .header("Accept", "application/n-triples")
        .send()
        .unwrap();
    assert_eq!(read.status(), StatusCode::OK);
    assert!(read.text().unwrap().lines().count() > 10);
    let missing = c
        .get(server.url("/rdf-graphs"))
        .query(&[("graph", "http://example.org/none")])
        .send()
        .unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);

    let target = "http://localhost:7878/graph/notes";
    let body = "<http://localhost:7878/person/kim-il-sung> <http://www.w3.org/2000/01/rdf-schema#comment> \"note\" .";
    let refused = c
        .put(server.url("/rdf-graphs"))
        .query(&[("graph", target)])
        .header("Content-Type", "text/turtle")
        .body(body)
        .send()
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let wrong = c
        .delete(server.url("/rdf-graphs"))
        .query(&[("graph", graph)])
        .bearer_auth("k3y-not")
        .send()
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::FORBIDDEN);
    let created = c
        .put(server.url("/rdf-graphs"))
        .query(&[("graph", target)])
        .bearer_auth("k3y")
        .header("Content-Type", "text/turtle")
        .body(body)
        .send()
        .unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    let ask = "ASK { <http://localhost:7878/person/kim-il-sung> rdfs:comment \"note\" }";
    let seen = c
        .get(server.url("/sparql"))
        .query(&[("query", ask), ("format", "json")])
        .send()
        .unwrap()
        .text()
        .unwrap();
    assert!(seen.contains("true"), "{seen}");
    let deleted = c
        .delete(server.url("/rdf-graphs"))
        .query(&[("graph", target)])
        .bearer_auth("k3y")
        .send()
        .unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    let gone = c
        .get(server.url("/sparql"))
        .query(&[("query", ask), ("format", "json")])
        .send()
        .unwrap()
        .text()
        .unwrap();
    assert!(gone.contains("false"), "{gone}");
    let union = c
        .put(server.url("/rdf-graphs"))
        .query(&[("graph", "http://localhost:7878/graph/union")])
        .bearer_auth("k3y")
        .header("Content-Type", "text/turtle")
        .body(body)
        .send()
        .unwrap();
    assert_eq!(union.status(), StatusCode::CONFLICT);
    let post_resource = c
        .post(server.url("/person/kim-il-sung"))
        .body("x")
        .send()
        .unwrap();
    assert_eq!(post_resource.status(), StatusCode::METHOD_NOT_ALLOWED);
}

/// An empty or blank update token would make every request without an
/// `Authorization` header a writer: the server refuses to start with one.
#[test]
fn an_empty_update_token_is_refused() {
    for token in ["", "   ", "\n\t"] {
        let (store, _) = sample_store();
        let refused = chronograph_serve::AppState::new(
            store,
            ServeOptions {
                update_token: Some(token.into()),
                ..ServeOptions::default()
            },
        );
        assert!(
            matches!(
                refused,
                Err(chronograph_serve::ServeError::EmptyUpdateToken)
            ),
            "token {token:?} accepted"
        );
    }
}

/// Harvested data and query results never become a live `javascript:` link,
/// and every answer carries a Content Security Policy that runs no script.
#[test]
fn unsafe_links_are_never_live_and_pages_run_no_script() {
    use oxigraph::model::{GraphName, Literal, NamedNode, Quad};
    let (store, _) = sample_store();
    let person = NamedNode::new("http://localhost:7878/person/kim-il-sung").unwrap();
    let graph =
        GraphName::NamedNode(NamedNode::new("http://localhost:7878/graph/curation").unwrap());
    for (predicate, object) in [
        ("https://schema.org/url", "javascript:alert(1)"),
        (
            "http://www.w3.org/2002/07/owl#sameAs",
            "JavaScript:alert(2)",
        ),
        ("https://schema.org/sameAs", "data:text/html,alert(3)"),
    ] {
        let object: oxigraph::model::Term = if predicate.ends_with("url") {
            Literal::new_simple_literal(object).into()
        } else {
            NamedNode::new(object).unwrap().into()
        };
        store
            .write_graph(
                &graph,
                &[Quad::new(
                    person.clone(),
                    NamedNode::new(predicate).unwrap(),
                    object,
                    graph.clone(),
                )],
                false,
            )
            .unwrap();
    }
    let server = BackgroundServer::start(store, ServeOptions::default());
    let c = client();
    let unsafe_href = |html: &str| {
        let lower = html.to_ascii_lowercase();
        lower.contains("href=\"javascript:") || lower.contains("href=\"data:")
    };
    let page = c
        .get(server.url("/person/kim-il-sung"))
        .header("Accept", "text/html")
        .send()
        .unwrap();
    let policy = page
        .headers()
        .get("content-security-policy")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    assert!(policy.contains("default-src 'none'"), "{policy}");
    assert!(!policy.contains("script-src"), "{policy}");
    let html = page.text().unwrap();
    assert!(html.contains("javascript:alert(1)") || html.contains("JavaScript:alert(2)"));
    assert!(!unsafe_href(&html), "a live unsafe link on the person page");
    let query = "SELECT (IRI(\"javascript:alert(1)\") AS ?x) {}";
    let html = c
        .get(server.url("/query"))
        .query(&[("query", query)])
        .send()
        .unwrap()
        .text()
        .unwrap();
    assert!(html.contains("javascript:alert(1)"), "the value is shown");
    assert!(!unsafe_href(&html), "a live unsafe link on the query page");
}
