//! `/search` with the store's full-text index: ranked hits with snippets,
//! facets whose links narrow the search to the count they showed, pages, and
//! the same results as JSON.

use chronograph_testkit as common;

use std::time::Duration;

use chronograph_serve::ServeOptions;
use common::*;
use reqwest::blocking::Client;
use reqwest::StatusCode;
use serde_json::Value;

fn client() -> Client {
    Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap()
}

#[test]
fn facets_narrow_the_search_to_the_count_they_show() {
    let (store, _) = sample_store();
    let folder = tempfile::tempdir().unwrap();
    let (_, records) = chronograph_search::SearchIndex::rebuild(&store, folder.path()).unwrap();
    assert!(records > 20, "{records}");
    let server = BackgroundServer::start(
        store,
        ServeOptions {
            store_folder: Some(folder.path().to_owned()),
            ..ServeOptions::default()
        },
    );
    let c = client();
    let json = |q: &str| -> Value {
        let response = c
            .get(server.url("/search"))
            .query(&[("q", q), ("format", "json")])
            .send()
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{q}");
        serde_json::from_str(&response.text().unwrap()).unwrap()
    };

    // Words of the translated text, not only names and titles.
    let irrigation = json("irrigation");
    assert!(irrigation["total"].as_u64().unwrap() >= 1, "{irrigation}");
    let snippet = irrigation["hits"][0]["snippet"]
        .as_str()
        .unwrap_or_default();
    let any_snippet = irrigation["hits"].as_array().unwrap().iter().any(|h| {
        h["snippet"]
            .as_str()
            .unwrap_or_default()
            .contains("<b>irrigation</b>")
    });
    assert!(any_snippet, "{snippet}");

    // The HTML page: every facet link narrows to exactly the count shown.
    let page = c
        .get(server.url("/search"))
        .query(&[("q", "Kim Il-sung")])
        .header("Accept", "text/html")
        .send()
        .unwrap()
        .text()
        .unwrap();
    assert!(page.contains("id=\"search-total\""), "{page}");
    let facet_links: Vec<(String, u64)> = page
        .split("<a class=\"facet\" href=\"")
        .skip(1)
        .map(|rest| {
            let href = rest[..rest.find('"').unwrap()]
                .replace("&#x2f;", "/")
                .replace("&quot;", "\"")
                .replace("&#x27;", "'")
                .replace("&amp;", "&");
            let count = rest[rest.find("</a> (").unwrap() + 6..]
                .split(')')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            (href, count)
        })
        .collect();
    assert!(facet_links.len() >= 5, "{page}");
    for (href, count) in facet_links.iter().take(8) {
        let narrowed: Value = c
            .get(format!("{}&format=json", server.url(href)))
            .send()
            .unwrap()
            .text()
            .map(|t| serde_json::from_str(&t).unwrap())
            .unwrap();
        assert_eq!(narrowed["total"].as_u64(), Some(*count), "{href}");
    }

    // Accept: application/json gives the same answer as format=json.
    let by_accept: Value = c
        .get(server.url("/search"))
        .query(&[("q", "revisionism")])
        .header("Accept", "application/json")
        .send()
        .unwrap()
        .text()
        .map(|t| serde_json::from_str(&t).unwrap())
        .unwrap();
    assert_eq!(by_accept, json("revisionism"));

    // A query that does not parse is a 400, not a 500.
    let bad = c
        .get(server.url("/search"))
        .query(&[("q", "year:[1960 TO")])
        .send()
        .unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
}

/// The index follows SPARQL updates made through the server: a document
/// inserted is found by its words, one deleted is not, and after `CLEAR ALL`
/// (which may touch every record) nothing of the old archive is found. The
/// hits are compared with what the store itself holds after each update.
#[test]
fn the_index_follows_updates_through_the_server() {
    let (store, _) = sample_store();
    let folder = tempfile::tempdir().unwrap();
    chronograph_search::SearchIndex::rebuild(&store, folder.path()).unwrap();
    let server = BackgroundServer::start(
        store,
        ServeOptions {
            store_folder: Some(folder.path().to_owned()),
            update_token: Some("k3y".into()),
            ..ServeOptions::default()
        },
    );
    let c = client();
    let hits = |q: &str| -> Vec<String> {
        let body = c
            .get(server.url("/search"))
            .query(&[("q", q), ("format", "json")])
            .send()
            .unwrap()
            .text()
            .unwrap();
        let json: Value = serde_json::from_str(&body).unwrap();
        json["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["iri"].as_str().unwrap().to_owned())
            .collect()
    };
    let update = |text: &str| {
        let response = c
            .post(server.url("/sparql"))
            .bearer_auth("k3y")
            .form(&[("update", text)])
            .send()
            .unwrap();
        assert!(
            response.status().is_success(),
            "{text}: {}",
            response.text().unwrap()
        );
    };
    let ask = |query: &str| -> bool {
        let body = c
            .get(server.url("/sparql"))
            .query(&[("query", query)])
            .header("Accept", "application/sparql-results+json")
            .send()
            .unwrap()
            .text()
            .unwrap();
        serde_json::from_str::<Value>(&body).unwrap()["boolean"]
            .as_bool()
            .unwrap()
    };
    let doc = "http://localhost:7878/document/quetzalcoatl-memo";
    assert!(hits("quetzalcoatl").is_empty());
    update(&format!(
        "INSERT DATA {{ GRAPH <http://localhost:7878/graph/curation> {{ <{doc}> a <https://w3id.org/chronograph/ontology#Document> ; <http://purl.org/dc/terms/title> \"Memorandum on Quetzalcoatl\" }} }}"
    ));
    assert!(ask(&format!("ASK {{ <{doc}> ?p ?o }}")));
    assert_eq!(hits("quetzalcoatl"), vec![doc.to_owned()]);
    update(&format!("DELETE WHERE {{ GRAPH ?g {{ <{doc}> ?p ?o }} }}"));
    assert!(!ask(&format!("ASK {{ <{doc}> ?p ?o }}")));
    assert!(hits("quetzalcoatl").is_empty());
    assert!(!hits("irrigation").is_empty());
    update("CLEAR ALL");
    assert!(!ask(
        "ASK { ?d a <https://w3id.org/chronograph/ontology#Document> }"
    ));
    assert!(
        hits("irrigation").is_empty(),
        "CLEAR ALL left records in the index"
    );
}

/// A huge `offset` on /search, or a huge `cg:limit` in the search SERVICE,
/// is answered like one past the last record: no collector sized by the
/// caller's number.
#[test]
fn huge_offsets_and_limits_cost_no_more_than_the_records() {
    let (store, _) = sample_store();
    let folder = tempfile::tempdir().unwrap();
    chronograph_search::SearchIndex::rebuild(&store, folder.path()).unwrap();
    let server = BackgroundServer::start(
        store,
        ServeOptions {
            store_folder: Some(folder.path().to_owned()),
            ..ServeOptions::default()
        },
    );
    let c = client();
    let response = c
        .get(server.url("/search"))
        .query(&[("q", "revisionism"), ("format", "json")])
        .query(&[("offset", "1000000000000000")])
        .send()
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let page: Value = serde_json::from_str(&response.text().unwrap()).unwrap();
    assert!(page["total"].as_u64().unwrap() >= 2, "{page}");
    assert_eq!(page["hits"].as_array().unwrap().len(), 0, "{page}");

    let query = "PREFIX cg: <https://w3id.org/chronograph/ontology#> \
        SELECT ?doc WHERE { SERVICE <https://w3id.org/chronograph/search> \
        { ?doc cg:matches \"revisionism\" ; cg:limit 1000000000000000 } }";
    let response = c
        .get(server.url("/sparql"))
        .query(&[("query", query)])
        .header("Accept", "text/csv")
        .send()
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let rows = response.text().unwrap().lines().count() - 1;
    assert_eq!(rows as u64, page["total"].as_u64().unwrap());
}

/// The home page's earliest documents come from the index's dates: their
/// dates are the twelve earliest of a plain scan of the store's
/// `cg:earliestDate` quads.
#[test]
fn the_earliest_documents_are_those_of_the_earliest_dates() {
    use chronograph_core::mapping::vocab::cg;
    use oxigraph::model::{GraphNameRef, NamedNode, Term};
    let (store, _) = sample_store();
    let folder = tempfile::tempdir().unwrap();
    let (index, _) = chronograph_search::SearchIndex::rebuild(&store, folder.path()).unwrap();
    let union = GraphNameRef::NamedNode(store.union_graph().as_ref());
    let earliest_of = |document: &NamedNode| -> Vec<String> {
        store
            .oxigraph()
            .quads_for_pattern(
                Some(document.as_ref().into()),
                Some(cg::earliestDate),
                None,
                Some(union),
            )
            .map(|q| match q.unwrap().object {
                Term::Literal(l) => l.value().to_owned(),
                other => other.to_string(),
            })
            .collect()
    };
    let mut scanned: Vec<String> = store
        .oxigraph()
        .quads_for_pattern(None, Some(cg::earliestDate), None, Some(union))
        .map(|q| match q.unwrap().object {
            Term::Literal(l) => l.value().to_owned(),
            other => other.to_string(),
        })
        .collect();
    scanned.sort();
    let listed: Vec<String> = index
        .earliest_documents(12)
        .unwrap()
        .iter()
        .map(|iri| {
            let dates = earliest_of(&NamedNode::new(iri.as_str()).unwrap());
            assert_eq!(dates.len(), 1, "{iri}: {dates:?}");
            dates[0].clone()
        })
        .collect();
    assert_eq!(listed.len(), 12);
    assert_eq!(listed, scanned[..12].to_vec());
}
