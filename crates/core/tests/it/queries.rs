//! Every sample query in queries/ gives its exact answer on the sample data.

use chronograph_testkit as common;

use std::sync::OnceLock;

use chronograph_core::store::ArchiveStore;
use common::*;

fn store() -> &'static ArchiveStore {
    static STORE: OnceLock<ArchiveStore> = OnceLock::new();
    STORE.get_or_init(|| {
        let (store, report) = sample_store();
        assert_eq!(report.rejected, 0, "{:?}", report.rejections);
        store
    })
}

/// Runs queries/{file} and keeps the named columns (all when empty), in order.
fn answer(file: &str, columns: &[&str]) -> Vec<Vec<String>> {
    let text = query_file(file);
    let first_line = text.lines().next().unwrap_or_default();
    assert!(
        first_line.starts_with("# "),
        "{file} must open with a comment saying what it answers"
    );
    select_columns(store(), &text, columns)
}

fn expect(rows: &[&[&str]]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| r.iter().map(|v| v.to_string()).collect())
        .collect()
}

#[test]
fn the_timeline_of_a_person_is_in_date_order() {
    let expected = expect(&[
        &[
            "1953-07-30",
            "July 30, 1953",
            "day",
            "http://localhost:7878/event/fde7e27f87c86fca",
        ],
        &[
            "1956-09-20",
            "September 20, 1956",
            "day",
            "http://localhost:7878/event/6cf036c962c57d1b",
        ],
        &[
            "1956-09-20",
            "September 20, 1956",
            "day",
            "http://localhost:7878/event/aeeb662bdb7be35a",
        ],
        &[
            "1956-09-21",
            "September 21, 1956",
            "day",
            "http://localhost:7878/event/bddf832818aac04b",
        ],
        &[
            "1956-09-23",
            "September 23, 1956",
            "day",
            "http://localhost:7878/event/792e484953f29e4b",
        ],
        &[
            "1957-11-14",
            "November 14, 1957",
            "day",
            "http://localhost:7878/event/fdb707e4112488d2",
        ],
        &[
            "1960-01-01",
            "c. 1960",
            "year",
            "http://localhost:7878/event/0096ada6db3bba2e",
        ],
        &[
            "1960-06-15",
            "June 15, 1960",
            "day",
            "http://localhost:7878/event/1a0c3a339edc6c90",
        ],
        &[
            "1960-06-16",
            "June 16, 1960",
            "day",
            "http://localhost:7878/event/e4c13c2de4eb4a33",
        ],
        &[
            "1960-06-25",
            "June 25, 1960",
            "day",
            "http://localhost:7878/event/62491c37da071429",
        ],
        &[
            "1960-07-24",
            "July 24, 1960",
            "day",
            "http://localhost:7878/event/b8746011571cd34e",
        ],
        &[
            "1960-07-24",
            "July 24, 1960",
            "day",
            "http://localhost:7878/event/141fbe82539270e9",
        ],
        &[
            "1960-08-08",
            "August 8, 1960",
            "day",
            "http://localhost:7878/event/0f71b57512f45eb8",
        ],
        &[
            "1960-08-16",
            "August 16, 1960",
            "day",
            "http://localhost:7878/event/930b4091195b1f17",
        ],
        &[
            "1960-08-18",
            "August 18, 1960",
            "day",
            "http://localhost:7878/event/d8b09bf1824b1eb0",
        ],
        &[
            "1961-07-11",
            "July 11, 1961",
            "day",
            "http://localhost:7878/event/event-1961-07-11-sino-korean-treaty",
        ],
        &[
            "1962-01-01",
            "1962",
            "year",
            "http://localhost:7878/event/event-1962-cuban-crisis-criticism",
        ],
        &[
            "1965-03-01",
            "March 1965",
            "month",
            "http://localhost:7878/event/08ecd4fa2b126a7b",
        ],
        &[
            "1965-03-01",
            "March 1965",
            "month",
            "http://localhost:7878/event/320ea670f6cd1e26",
        ],
        &[
            "1969-04-14",
            "April 14, 1969",
            "day",
            "http://localhost:7878/event/77661045d6a7e2c4",
        ],
        &[
            "1969-04-21",
            "April 21, 1969",
            "day",
            "http://localhost:7878/event/f47ad88875396264",
        ],
        &[
            "1975-04-18",
            "April 18, 1975",
            "day",
            "http://localhost:7878/event/523ec0bb26289f33",
        ],
        &[
            "1979-02-28",
            "February 28, 1979",
            "day",
            "http://localhost:7878/event/e8e5864b747b5a2b",
        ],
    ]);
    assert_eq!(
        answer(
            "person-timeline.rq",
            &["start", "date", "precision", "event"]
        ),
        expected
    );
}

#[test]
fn events_that_name_two_people() {
    let expected = expect(&[
        &[
            "1956-09-20",
            "September 20, 1956",
            "http://localhost:7878/event/6cf036c962c57d1b",
        ],
        &[
            "1957-11-14",
            "November 14, 1957",
            "http://localhost:7878/event/fdb707e4112488d2",
        ],
        &[
            "1960-06-15",
            "June 15, 1960",
            "http://localhost:7878/event/1a0c3a339edc6c90",
        ],
        &[
            "1960-07-24",
            "July 24, 1960",
            "http://localhost:7878/event/b8746011571cd34e",
        ],
        &[
            "1960-07-24",
            "July 24, 1960",
            "http://localhost:7878/event/141fbe82539270e9",
        ],
        &[
            "1962-01-01",
            "1962",
            "http://localhost:7878/event/event-1962-cuban-crisis-criticism",
        ],
        &[
            "1965-03-01",
            "March 1965",
            "http://localhost:7878/event/08ecd4fa2b126a7b",
        ],
    ]);
    assert_eq!(
        answer("events-with-two-people.rq", &["start", "date", "event"]),
        expected
    );
}

#[test]
fn people_mentioned_together_most_often() {
    let expected = expect(&[
        &["Kim Il Sung", "Mao Zedong", "17"],
        &["Kim Il Sung", "Nikita Khrushchev", "15"],
        &["Alexander Puzanov", "Kim Il Sung", "7"],
        &["Anastas Mikoyan", "Kim Il Sung", "7"],
        &["Choe Yong-gon", "Kim Il Sung", "7"],
        &["Mao Zedong", "Nikita Khrushchev", "7"],
        &["Alexei Kosygin", "Nikita Khrushchev", "6"],
        &["Kim Il Sung", "Leonid Brezhnev", "6"],
        &["Choe Yong-gon", "Nikita Khrushchev", "5"],
        &["Kim Il Sung", "Peng Dehuai", "5"],
    ]);
    assert_eq!(answer("people-mentioned-together.rq", &[]), expected);
}

#[test]
fn documents_between_two_dates() {
    let expected = expect(&[
        &["1960-01-01", "c. 1960", "year", "Report, Soviet Embassy in the DPRK, 'On Chinese Propaganda among Korean Workers' Party Cadres'"],
        &["1960-07-24", "July 24, 1960", "day", "Journal of Soviet Ambassador to the DPRK A.M. Puzanov, Record of a Conversation with Kim Il Sung"],
        &["1960-08-08", "August 8, 1960", "day", "Report, Hungarian Embassy in the DPRK, 'Conversation with Soviet Ambassador Puzanov on the New Restrictions on Foreign Embassies'"],
        &["1961-07-01", "July 1, 1961", "day", "Memorandum of Conversation between Kim Il Sung and A.I. Mikoyan on the Treaty of Friendship"],
        &["1962-11-01", "November 1962", "month", "Telegram, Chinese Embassy in North Korea, 'Choe Yong-gon on the Cuban Missile Crisis'"],
        &["1964-10-20", "October 20, 1964", "day", "Telegram, Chinese Embassy in the Soviet Union, 'Reactions in Moscow to the Removal of Khrushchev'"],
        &["1965-02-14", "14 February 1965", "day", "Telegram, Chinese Embassy in North Korea, 'Kim Il Sung Receives Kosygin'"],
        &["1965-03-01", "March 1965", "month", "Information of the CPSU Central Committee on the Talks of A.N. Kosygin in Hanoi, Peking and Pyongyang"],
        &["1965-03-02", "March 2, 1965", "day", "Telegram, Chinese Embassy in North Korea, 'Transmittal of the Situation of the Soviet-Korean Talks' and the Discussion between Kim Il Sung and Kosygin"],
    ]);
    assert_eq!(
        answer(
            "documents-between-dates.rq",
            &["earliest", "date", "precision", "title"]
        ),
        expected
    );
}

#[test]
fn documents_by_translator() {
    let expected = expect(&[
        &["Anna Horvath", "August 8, 1960", "Report, Hungarian Embassy in the DPRK, 'Conversation with Soviet Ambassador Puzanov on the New Restrictions on Foreign Embassies'"],
        &["Charles Kraus", "1955", "Summary of Conversations between Premier Zhou Enlai and DPRK Deputy Premier Choe Yong-gon"],
        &["Charles Kraus", "November 1962", "Telegram, Chinese Embassy in North Korea, 'Choe Yong-gon on the Cuban Missile Crisis'"],
        &["Charles Kraus", "October 20, 1964", "Telegram, Chinese Embassy in the Soviet Union, 'Reactions in Moscow to the Removal of Khrushchev'"],
        &["Charles Kraus", "14 February 1965", "Telegram, Chinese Embassy in North Korea, 'Kim Il Sung Receives Kosygin'"],
        &["Charles Kraus", "March 2, 1965", "Telegram, Chinese Embassy in North Korea, 'Transmittal of the Situation of the Soviet-Korean Talks' and the Discussion between Kim Il Sung and Kosygin"],
        &["Gary Goldberg", "November 14, 1957", "Record of Conversation between N.S. Khrushchev and Kim Il Sung in Moscow"],
        &["Gary Goldberg", "July 24, 1960", "Journal of Soviet Ambassador to the DPRK A.M. Puzanov, Record of a Conversation with Kim Il Sung"],
        &["Gary Goldberg", "July 1, 1961", "Memorandum of Conversation between Kim Il Sung and A.I. Mikoyan on the Treaty of Friendship"],
        &["James Person", "April 21, 1969", "Report, Korean Central Intelligence Agency, 'North Korea's Position on the Sino-Soviet Border Clashes'"],
        &["Jong-dae Shin", "April 21, 1969", "Report, Korean Central Intelligence Agency, 'North Korea's Position on the Sino-Soviet Border Clashes'"],
        &["Lin Wei", "July 30, 1953", "Telegram from Peng Dehuai to Mao Zedong on the Signing of the Armistice Agreement"],
        &["Sergey Radchenko", "September 20, 1956", "Record of Conversation between A.I. Mikoyan, Peng Dehuai and Kim Il Sung"],
        &["Sergey Radchenko", "July 1, 1961", "Memorandum of Conversation between Kim Il Sung and A.I. Mikoyan on the Treaty of Friendship"],
        &["Sergey Radchenko", "March 1965", "Information of the CPSU Central Committee on the Talks of A.N. Kosygin in Hanoi, Peking and Pyongyang"],
    ]);
    assert_eq!(answer("documents-by-translator.rq", &[]), expected);
}

#[test]
fn documents_per_year() {
    let expected = expect(&[
        &["1953", "1"],
        &["1955", "1"],
        &["1956", "1"],
        &["1957", "1"],
        &["1960", "3"],
        &["1961", "1"],
        &["1962", "1"],
        &["1964", "1"],
        &["1965", "3"],
        &["1969", "1"],
        &["1979", "1"],
    ]);
    assert_eq!(answer("documents-per-year.rq", &[]), expected);
}

#[test]
fn events_per_decade() {
    let expected = expect(&[&["1950s", "8"], &["1960s", "18"], &["1970s", "2"]]);
    assert_eq!(answer("events-per-decade.rq", &[]), expected);
}

#[test]
fn people_with_life_spans() {
    let expected = expect(&[
        &["Kim Il Sung", "1912", "1994", "23"],
        &["Mao Zedong", "1893", "1976", "12"],
        &["Nikita Khrushchev", "1894", "1971", "10"],
        &["Leonid Brezhnev", "1906", "1982", "5"],
        &["Anastas Mikoyan", "1895", "1978", "3"],
        &["Alexei Kosygin", "1904", "1980", "2"],
        &["Peng Dehuai", "1898", "1974", "2"],
        &["Zhou Enlai", "1898", "1976", "2"],
    ]);
    assert_eq!(answer("people-life-spans.rq", &[]), expected);
}

#[test]
fn all_fields_of_one_document() {
    let rows = answer("document-fields.rq", &[]);
    let has = |field: &str, value: &str| rows.iter().any(|r| r[0] == field && r[1] == value);
    let fields = [
        ("http://purl.org/dc/terms/date", "1965-03-02"),
        (
            "http://purl.org/dc/terms/bibliographicCitation",
            "PRC FMA 109-02833-03, 38-40. Translated by Charles Kraus.",
        ),
        (
            "https://w3id.org/chronograph/ontology#archiveSignature",
            "PRC FMA 109-02833-03",
        ),
        ("https://w3id.org/chronograph/ontology#pages", "38-40"),
        ("https://schema.org/translator", "Charles Kraus"),
        (
            "https://w3id.org/chronograph/ontology#serialNumber",
            "(65) No. 123",
        ),
        (
            "https://w3id.org/chronograph/ontology#serialLine",
            "[North] Korea Desk Receiving Serial (65) No. 123",
        ),
        ("https://w3id.org/chronograph/ontology#level", "Urgent"),
        (
            "https://www.ica.org/standards/RiC/ontology#hasReceiver",
            "Ministry of Foreign Affairs",
        ),
        ("https://schema.org/funder", "Leon Levy Foundation"),
        (
            "https://w3id.org/chronograph/ontology#dateText",
            "March 2, 1965",
        ),
        ("https://w3id.org/chronograph/ontology#datePrecision", "day"),
        ("https://schema.org/mentions", "Kim Il Sung"),
        ("https://schema.org/mentions", "Alexei Kosygin"),
        ("https://schema.org/mentions", "Nikita Khrushchev"),
        ("http://purl.org/dc/terms/spatial", "Pyongyang"),
    ];
    for (field, value) in fields {
        assert!(has(field, value), "missing {field} = {value} in {rows:#?}");
    }
    assert_eq!(rows.len(), 36, "{rows:#?}");
}

#[test]
fn every_source_with_its_provenance() {
    let rows = answer(
        "source-provenance.rq",
        &["path", "records", "sha256", "loaded"],
    );
    assert_eq!(rows.len(), 20);
    // Paths are recorded relative to the working directory when under it
    // (this test runs in crates/core, the sample is at the repository root).
    let relative = |path: &str| -> String {
        path.find("data/sample/")
            .map_or(path.to_owned(), |i| path[i..].to_owned())
    };
    let paths: Vec<String> = rows.iter().map(|r| relative(&r[0])).collect();
    assert_eq!(paths[0], "data/sample/authority.csv");
    assert_eq!(paths[19], "data/sample/text/003_d393a9c82f758a80.txt");
    let records: usize = rows.iter().map(|r| r[1].parse::<usize>().unwrap()).sum();
    assert_eq!(records, 56);
    use sha2::Digest;
    for row in &rows {
        let bytes = std::fs::read(repo_path(&relative(&row[0]))).unwrap();
        assert_eq!(
            row[2],
            hex::encode(sha2::Sha256::digest(&bytes)),
            "{}",
            row[0]
        );
        assert!(row[3].ends_with('Z') && row[3].contains('T'), "{}", row[3]);
    }
}

#[test]
fn every_query_file_is_tested_here() {
    let this = std::fs::read_to_string(repo_path("crates/core/tests/it/queries.rs")).unwrap();
    for entry in std::fs::read_dir(repo_path("queries")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name.ends_with(".rq") {
            assert!(
                this.contains(&format!("\"{name}\"")),
                "queries/{name} has no test"
            );
        }
    }
}

/// Each `statistics-*.rq` sample reads the precomputed statistics; its slow
/// twin counts the data. On the sample data both give the same rows.
#[test]
fn statistics_samples_give_the_rows_of_their_slow_twins() {
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
        let slow_rows = answer(slow, &[]);
        assert!(
            !slow_rows.is_empty(),
            "{slow} answers nothing on the sample"
        );
        assert_eq!(answer(fast, &[]), slow_rows, "{fast} against {slow}");
    }
}

#[test]
fn resources_per_class() {
    let expected = common::select(
        store(),
        "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { VALUES ?c { cg:Document cg:Person cg:Event cg:Place cg:Organisation cg:Collection } ?s a ?c } GROUP BY ?c ORDER BY ?c",
    );
    assert_eq!(expected.len(), 6, "{expected:?}");
    assert_eq!(answer("resources-per-class.rq", &[]), expected);
}

#[test]
fn documents_per_person_and_year() {
    let rows = answer("documents-per-person-and-year.rq", &[]);
    assert!(rows.len() >= 3, "{rows:?}");
    assert!(rows.iter().all(|r| r[0] == "Kim Il Sung"), "{rows:?}");
    let documents: usize = rows.iter().map(|r| r[2].parse::<usize>().unwrap()).sum();
    let named = common::column(
        store(),
        "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?p schema:name \"Kim Il Sung\" . \
         { ?d schema:mentions ?p } UNION { ?d schema:sender ?p } UNION { ?d schema:recipient ?p } \
         ?d a cg:Document ; cg:earliestDate ?e }",
    );
    assert_eq!(documents.to_string(), named[0]);
}
