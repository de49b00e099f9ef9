//! Every field of the two seed pages comes back from SPARQL with its exact value,
//! and the HTML renditions of the seeds read to the same records as their text.

use chronograph_testkit as common;

use chronograph_core::model::Record;
use chronograph_core::sources::{read_source, ReadOptions};
use common::*;

const SEED_DOCUMENT: &str = "data/sample/text/003_d393a9c82f758a80.txt";
const SEED_PERSON: &str = "data/sample/text/000_777d053b5a96d75e.txt";

fn seed_store() -> chronograph_core::store::ArchiveStore {
    let (store, report) = load_store(&[SEED_DOCUMENT, SEED_PERSON, "data/sample/authority.csv"]);
    assert_eq!(report.rejected, 0, "{:?}", report.rejections);
    store
}

#[test]
fn seed_003_fields_are_recovered_exactly() {
    let store = seed_store();
    let rows = select(
        &store,
        &format!(
            "{PREFIXES} SELECT DISTINCT ?date ?dt ?sig ?pages ?translator ?serial ?level ?receiver ?funder ?precision WHERE {{
              ?d a cg:Document ; dcterms:title ?title ; dcterms:date ?date ; cg:archiveSignature ?sig ;
                 cg:pages ?pages ; schema:translator/schema:name ?translator ; cg:serialNumber ?serial ;
                 cg:level ?level ; rico:hasReceiver/schema:name ?receiver ; schema:funder/schema:name ?funder ;
                 cg:datePrecision ?precision .
              BIND(DATATYPE(?date) AS ?dt)
              FILTER(STRSTARTS(?title, \"Telegram, Chinese Embassy in North Korea\"))
            }}"
        ),
    );
    assert_eq!(
        rows,
        vec![vec![
            "1965-03-02",
            "http://www.w3.org/2001/XMLSchema#date",
            "PRC FMA 109-02833-03",
            "38-40",
            "Charles Kraus",
            "(65) No. 123",
            "Urgent",
            "Ministry of Foreign Affairs",
            "Leon Levy Foundation",
            "day",
        ]]
    );
    let texts = select(
        &store,
        &format!(
            "{PREFIXES} SELECT DISTINCT ?title ?summary ?rights ?text ?dateText ?funding ?serialLine WHERE {{
              ?d a cg:Document ; dcterms:title ?title ; dcterms:abstract ?summary ; dcterms:rights ?rights ;
                 schema:text ?text ; cg:dateText ?dateText ; cg:fundingStatement ?funding ; cg:serialLine ?serialLine .
            }}"
        ),
    );
    assert_eq!(texts.len(), 1);
    let [title, summary, rights, text, date_text, funding, serial_line] = &texts[0][..] else {
        panic!("{texts:?}")
    };
    assert_eq!(
        title,
        "Telegram, Chinese Embassy in North Korea, 'Transmittal of the Situation of the Soviet-Korean Talks' and the Discussion between Kim Il Sung and Kosygin"
    );
    assert_eq!(
        summary,
        "Report to the Ministry of Foreign Affairs on a North Korean student's very negative description of the discussions between Kim Il Sung and Alexei Kosygin in Pyongyang in February 1965."
    );
    assert!(
        rights.starts_with("The History and Public Policy Program welcomes reuse"),
        "{rights}"
    );
    assert!(
        rights.contains("\n\nTo enquire about this document's rights status"),
        "{rights}"
    );
    assert!(text.starts_with("Transmittal of the Situation of the Korean-Soviet Talks\n\n[To the] Ministry of Foreign Affairs:"));
    assert!(
        text.ends_with("[Chinese] Embassy in [North] Korea\n\n2 March 1965"),
        "{text}"
    );
    assert_eq!(date_text, "March 2, 1965");
    assert_eq!(
        funding,
        "This document was made possible with support from Leon Levy Foundation"
    );
    assert_eq!(
        serial_line,
        "[North] Korea Desk Receiving Serial (65) No. 123"
    );
    // Empty fields on the page are absent, not empty strings.
    let empty = column(
        &store,
        &format!("{PREFIXES} SELECT (COUNT(*) AS ?n) WHERE {{ ?d a cg:Document . {{ ?d dcterms:dateSubmitted ?x }} UNION {{ ?d dcterms:identifier ?x }} }}"),
    );
    assert_eq!(empty, vec!["0"]);
}

/// A query over the seed person page's own graph only.
fn seed_person_graph_query(variables: &str, body: &str) -> String {
    format!(
        "{PREFIXES} SELECT DISTINCT {variables} WHERE {{ ?g cg:sourcePath \"{SEED_PERSON}\" . GRAPH ?g {{ {body} }} }}"
    )
}

#[test]
fn seed_000_cards_and_count_are_recovered() {
    let store = seed_store();
    let mut spans = column(
        &store,
        &seed_person_graph_query("?span", "?p cg:lifeSpanText ?span"),
    )
    .into_iter()
    .collect::<Vec<_>>();
    spans.sort();
    assert_eq!(
        spans,
        vec![
            "1883- 1954",
            "1893- 1976",
            "1893-1976",
            "1894- 1971",
            "1912- 1994",
            "1915- 1976"
        ]
    );
    let mut regions = column(
        &store,
        &seed_person_graph_query("?region", "?p cg:region ?region"),
    );
    regions.sort();
    assert_eq!(regions, vec!["East Asia", "Eastern Europe"]);
    let kim = select(
        &store,
        &seed_person_graph_query(
            "?count ?c ?p ?name ?span ?region ?born ?died",
            "?c cg:documentCount ?count ; schema:about ?p . ?p schema:name ?name ; cg:lifeSpanText ?span ; cg:region ?region ; schema:birthDate ?born ; schema:deathDate ?died",
        ),
    );
    assert_eq!(
        kim,
        vec![vec![
            "372",
            "http://localhost:7878/collection/kim-il-sung",
            "http://localhost:7878/person/kim-il-sung",
            "Kim Il Sung",
            "1912- 1994",
            "East Asia",
            "1912",
            "1994"
        ]
        .into_iter()
        .map(String::from)
        .collect::<Vec<_>>()]
    );
}

#[test]
fn seed_000_events_have_their_dates_and_people() {
    let store = seed_store();
    let rows = select(
        &store,
        &seed_person_graph_query(
            "?date ?text ?name",
            "?e a sem:Event ; sem:hasTimeStamp ?date ; cg:dateText ?text ; schema:description ?d ; sem:hasActor ?p . ?p a cg:Person ; schema:name ?name",
        ),
    );
    let mut events: std::collections::BTreeMap<(String, String), Vec<String>> = Default::default();
    for row in rows {
        let (date, text, name) = (row[0].clone(), row[1].clone(), row[2].clone());
        events.entry((date, text)).or_default().push(name);
    }
    let mut got: Vec<(String, String, Vec<String>)> = events
        .into_iter()
        .map(|((date, text), mut names)| {
            names.sort();
            names.dedup();
            (date, text, names)
        })
        .collect();
    got.sort();
    let expected = [
        (
            "1956-09-21",
            "September 21, 1956",
            vec!["Anastas Mikoyan", "Kim Il Sung"],
        ),
        (
            "1956-09-23",
            "September 23, 1956",
            vec!["Anastas Mikoyan", "Kim Il Sung"],
        ),
        (
            "1960-06-15",
            "June 15, 1960",
            vec!["Kim Il Sung", "Mao Zedong", "Nikita Khrushchev"],
        ),
        (
            "1960-06-16",
            "June 16, 1960",
            vec!["Kim Il Sung", "Mao Zedong"],
        ),
        (
            "1960-06-25",
            "June 25, 1960",
            vec!["Kim Il Sung", "Mao Zedong"],
        ),
        (
            "1960-07-24",
            "July 24, 1960",
            vec!["Alexander Puzanov", "Kim Il Sung", "Nikita Khrushchev"],
        ),
        (
            "1960-08-08",
            "August 8, 1960",
            vec!["Alexander Puzanov", "Karoly Prath", "Kim Il Sung"],
        ),
        (
            "1960-08-16",
            "August 16, 1960",
            vec!["Alexander Puzanov", "Kim Il Sung"],
        ),
        (
            "1960-08-18",
            "August 18, 1960",
            vec!["Alexander Puzanov", "Kim Il Sung"],
        ),
        (
            "1969-04-14",
            "April 14, 1969",
            vec!["Kim Il Sung", "Leonid Brezhnev"],
        ),
    ];
    let expected: Vec<(String, String, Vec<String>)> = expected
        .iter()
        .map(|(d, t, n)| {
            (
                d.to_string(),
                t.to_string(),
                n.iter().map(|s| s.to_string()).collect(),
            )
        })
        .collect();
    assert_eq!(got, expected);
    // The typo is kept as published.
    let typo = column(
        &store,
        &format!("{PREFIXES} SELECT ?d WHERE {{ ?e schema:description ?d FILTER(CONTAINS(?d, \"a the proposed visit\")) }}"),
    );
    assert_eq!(typo.len(), 1);
}

#[test]
fn html_and_text_renditions_of_the_seeds_agree() {
    let options = ReadOptions::default();
    let record = |path: &str| {
        let batch = read_source(&repo_path(path), &options);
        assert!(
            batch.rejections.is_empty(),
            "{path}: {:?}",
            batch.rejections
        );
        batch.records.into_iter().next().unwrap().record
    };
    let (Record::Document(text), Record::Document(html)) = (
        record(SEED_DOCUMENT),
        record("tests/data/seed-html/003_d393a9c82f758a80.html"),
    ) else {
        panic!("seed 003 is not read as a document")
    };
    assert_eq!(text.title, html.title);
    assert_eq!(text.date, html.date);
    assert_eq!(text.received_by, html.received_by);
    assert_eq!(text.level, html.level);
    assert_eq!(text.serial, html.serial);
    assert_eq!(text.serial_line, html.serial_line);
    assert_eq!(text.text, html.text);
    assert_eq!(text.summary, html.summary);
    assert_eq!(text.citation, html.citation);
    assert_eq!(text.funders, html.funders);
    assert_eq!(text.record_id, None);
    assert_eq!(html.record_id, None);
    assert_eq!(text.uploaded, None);
    assert_eq!(
        text.rights.as_deref().map(str::len),
        html.rights.as_deref().map(str::len)
    );

    let (Record::PersonPage(text), Record::PersonPage(html)) = (
        record(SEED_PERSON),
        record("tests/data/seed-html/000_777d053b5a96d75e.html"),
    ) else {
        panic!("seed 000 is not read as a person page")
    };
    assert_eq!(text.timeline, html.timeline);
    assert_eq!(text.timeline.len(), 10);
    assert_eq!(text.document_count, Some(372));
    assert_eq!(html.document_count, Some(372));
    // Every card is there in both forms: six life spans, and one card whose life span is "-".
    assert_eq!(text.cards.len(), 7);
    assert_eq!(html.cards.len(), 7);
    let spans = |p: &chronograph_core::model::PersonPage| {
        let mut s: Vec<String> = p
            .cards
            .iter()
            .filter_map(|c| c.life_span.as_ref().map(|d| d.original.clone()))
            .collect();
        s.sort();
        s
    };
    assert_eq!(spans(&text), spans(&html));
    assert_eq!(text.subject.as_deref(), Some("Kim Il Sung"));
    assert_eq!(html.subject.as_deref(), Some("Kim Il Sung"));
}

/// A document page in the archive's 2022 markup reads with the built-in
/// profile `wilson-center-2022` (profiles/wilson-center-2022.toml), and
/// `--profile` takes that name as well as a file.
#[test]
fn a_2022_page_reads_with_the_2022_profile() {
    use chronograph_core::sources::{CompiledProfile, SiteProfile};
    const PAGE: &str = "tests/data/live/2022/document.html";
    let profile = SiteProfile::read_file(&repo_path("profiles/wilson-center-2022.toml")).unwrap();
    let options = ReadOptions {
        profile: CompiledProfile::compile(profile).unwrap(),
        ..ReadOptions::default()
    };
    let batch = read_source(&repo_path(PAGE), &options);
    assert!(batch.rejections.is_empty(), "{:?}", batch.rejections);
    assert!(batch.warnings.is_empty(), "{:?}", batch.warnings);
    let Record::Document(doc) = &batch.records[0].record else {
        panic!("{PAGE} is not read as a document: {:?}", batch.records)
    };
    assert_eq!(doc.title, "Telegram from Pyongyang to Beijing, No. 123");
    assert_eq!(doc.date.as_ref().unwrap().original, "March 2, 1965");
    assert_eq!(doc.document_type.as_deref(), Some("Telegram"));
    assert_eq!(doc.languages, vec!["Chinese"]);
    assert_eq!(doc.record_id.as_deref(), Some("134908"));
    assert_eq!(doc.id, "134908");
    assert_eq!(doc.subjects, vec!["Sino-Soviet Split", "Korean War"]);
    assert_eq!(
        doc.pdf_url.as_deref(),
        Some("https://digitalarchive.wilsoncenter.org/download/134908/telegram-pyongyang-beijing.pdf")
    );
    assert!(doc.other_fields.is_empty(), "{:?}", doc.other_fields);

    // The default profile does not see the 2022 metadata block.
    let plain = read_source(&repo_path(PAGE), &ReadOptions::default());
    let Record::Document(plain) = &plain.records[0].record else {
        panic!("{PAGE} is not read as a document")
    };
    assert_eq!(plain.document_type, None);
    assert_eq!(plain.record_id, None);

    // `chronograph read --profile wilson-center-2022`: the built-in by name.
    let read = |profile: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_chronograph"))
            .args(["read", "--profile", profile])
            .arg(repo_path(PAGE))
            .output()
            .unwrap()
    };
    let output = read("wilson-center-2022");
    assert!(output.status.success(), "{output:?}");
    let line: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(line["document_type"], "Telegram");
    assert_eq!(line["record_id"], "134908");
    let output = read("wilson-center");
    assert!(output.status.success(), "{output:?}");
    let output = read("wilson-center-1999");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("wilson-center-1999")
            && stderr.contains("wilson-center, wilson-center-2022"),
        "{stderr}"
    );
}
