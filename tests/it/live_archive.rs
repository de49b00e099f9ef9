//! The archive as it is published: document pages in the live site's markup
//! (`tests/data/live/`, written from what public scrapers of the site read in
//! 2022–2025: pill blocks under `h3`/`h4` headings and pill lists after `h2`
//! headings, library authority headings for names, subject headings with `--`
//! subdivisions, the source line with its credits) come out with every name
//! typed by evidence and every block mapped to what it is. Expected values are
//! the fixtures' own strings, checked through SPARQL on the store.

use chronograph_testkit as common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::*;

const DOCUMENTS: &str = "tests/data/live/documents";
const PEOPLE: &str = "tests/data/live/people";
const AUTHORITY: &str = "tests/data/live/authority.csv";

fn live_store() -> chronograph_core::store::ArchiveStore {
    let (store, report) = load_store(&[AUTHORITY, DOCUMENTS, PEOPLE]);
    assert_eq!(report.rejected, 0, "{:?}", report.rejections);
    assert_eq!(report.loaded, 2 + 3 + 1);
    store
}

/// The distinct values of the one column of a query.
fn values(store: &chronograph_core::store::ArchiveStore, body: &str) -> BTreeSet<String> {
    column(
        store,
        &format!("{PREFIXES} PREFIX skos: <http://www.w3.org/2004/02/skos/core#> {body}"),
    )
    .into_iter()
    .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// The kinds (cg classes) of the resource named `name`.
fn kinds_of(store: &chronograph_core::store::ArchiveStore, name: &str) -> BTreeSet<String> {
    values(
        store,
        &format!(
            "SELECT DISTINCT ?k WHERE {{ ?x schema:name {name:?} ; a ?c .
               FILTER(STRSTARTS(STR(?c), STR(cg:)) && ?c != cg:Collection) BIND(STRAFTER(STR(?c), \"#\") AS ?k) }}"
        ),
    )
}

#[test]
fn names_are_typed_by_evidence_never_by_the_block_alone() {
    let store = live_store();
    // Inverted personal names, with or without dates, alternate forms and
    // nicknames: people under their natural-order names.
    for person in [
        "Eisaku Satō",
        "Chiang Ching-kuo",
        "Mao Zedong",
        "Deng Xiaoping",
        "Joseph Stalin",
        "Mikhail Sergeevich Gorbachev",
        "Margaret Thatcher",
        "Anthony Charles Lynton Blair",
    ] {
        assert_eq!(kinds_of(&store, person), set(&["Person"]), "{person}");
    }
    // Corporate bodies: dotted hierarchies and words that name a body.
    for body in [
        "Japan. Foreign Ministry. Asian Affairs Bureau",
        "Japan. Foreign Ministry",
        "Japan-China Import-Export Association",
        "China (People's Republic of China). Ministry of Foreign Affairs",
        "Zhongguo gong chan dang. Central Committee",
        "Great Britain. Prime Minister's Office",
        "Soviet Union. Posol'stvo (Great Britain)",
    ] {
        assert_eq!(kinds_of(&store, body), set(&["Organisation"]), "{body}");
    }
    // No evidence: an agent of unknown kind, not a guess.
    assert_eq!(kinds_of(&store, "Primakov"), set(&["Agent"]));
    // Headings that are not names never become people or bodies.
    for not_an_agent in [
        "Japan--Foreign relations--Taiwan",
        "Nuclear weapons--China",
        "Japanese",
        "Chinese",
        "Cold War History",
    ] {
        let kinds = kinds_of(&store, not_an_agent);
        assert!(
            kinds.is_empty(),
            "{not_an_agent} became an agent: {kinds:?}"
        );
    }
    // The heading is kept as an alternative label; variants and life dates from it.
    let sato = "<http://localhost:7878/person/eisaku-sato>";
    assert_eq!(
        values(
            &store,
            &format!("SELECT ?l WHERE {{ {sato} skos:altLabel ?l }}")
        ),
        set(&["Satō, Eisaku"])
    );
    assert_eq!(
        values(
            &store,
            "SELECT ?l WHERE { ?p schema:name \"Chiang Ching-kuo\" ; skos:altLabel ?l }"
        ),
        set(&["Chiang, Ching-kuo (Jiang Jingguo)", "Jiang Jingguo"])
    );
    assert_eq!(
        values(
            &store,
            "SELECT ?l WHERE { ?p schema:name \"Anthony Charles Lynton Blair\" ; skos:altLabel ?l }"
        ),
        set(&["Blair, Anthony Charles Lynton (\"Tony\")", "Tony Blair"])
    );
    assert_eq!(
        select(
            &store,
            &format!(
                "{PREFIXES} SELECT ?b ?d WHERE {{ ?p schema:name \"Joseph Stalin\" ; schema:birthDate ?b ; schema:deathDate ?d }}"
            )
        ),
        vec![vec!["1879".to_owned(), "1953".to_owned()]]
    );
    assert_eq!(
        values(
            &store,
            "SELECT ?b WHERE { ?p schema:name \"Mikhail Sergeevich Gorbachev\" ; schema:birthDate ?b FILTER NOT EXISTS { ?p schema:deathDate ?d } }"
        ),
        set(&["1931"])
    );
    // A subordinate body is a subdivision of the body above it.
    assert_eq!(
        values(
            &store,
            "SELECT ?parent WHERE { ?b schema:name \"Japan. Foreign Ministry. Asian Affairs Bureau\" ;
               rico:isOrWasSubdivisionOf/schema:name ?parent ; schema:parentOrganization/schema:name ?parent }"
        ),
        set(&["Japan. Foreign Ministry"])
    );
}

#[test]
fn every_block_of_the_live_document_page_is_mapped_to_what_it_is() {
    let store = live_store();
    let doc = |id: &str| format!("<http://localhost:7878/document/{id}>");
    // Authors as creators, in RiC-O and Dublin Core.
    assert_eq!(
        values(
            &store,
            &format!(
                "SELECT ?n WHERE {{ {} rico:hasCreator ?a . {} dcterms:creator ?a . ?a schema:name ?n }}",
                doc("300101"),
                doc("300101")
            )
        ),
        set(&["Japan. Foreign Ministry. Asian Affairs Bureau"])
    );
    // Document contributors as participants.
    assert_eq!(
        values(
            &store,
            &format!(
                "SELECT ?n WHERE {{ {} cg:participant/schema:name ?n }}",
                doc("300102")
            )
        ),
        set(&["Mao Zedong", "Deng Xiaoping"])
    );
    // Subjects as SKOS concepts, narrower along the `--` subdivisions.
    assert_eq!(
        values(
            &store,
            &format!(
                "SELECT ?l WHERE {{ {} dcterms:subject ?t . ?t skos:prefLabel ?l }}",
                doc("300101")
            )
        ),
        set(&[
            "Japan--Foreign relations--Taiwan",
            "Japan--Foreign relations--China",
            "Nuclear weapons--China"
        ])
    );
    assert_eq!(
        values(
            &store,
            "SELECT ?up WHERE { ?t skos:prefLabel \"Japan--Foreign relations--Taiwan\" ; skos:broader ?b .
               ?b skos:prefLabel ?up ; skos:broader/skos:prefLabel \"Japan\" }"
        ),
        set(&["Japan--Foreign relations"])
    );
    assert_eq!(
        values(
            &store,
            "SELECT ?up WHERE { ?t skos:prefLabel \"China--History--Cultural Revolution, 1966-1976\" ; skos:broader+ ?b . ?b skos:prefLabel ?up }"
        ),
        set(&["China--History", "China"])
    );
    // Languages, holding archive, donors.
    assert_eq!(
        values(
            &store,
            "SELECT ?l WHERE { ?d a cg:Document ; dcterms:language ?l }"
        ),
        set(&["Japanese", "Chinese", "English"])
    );
    assert_eq!(
        values(
            &store,
            &format!(
                "SELECT ?n WHERE {{ {} schema:holdingArchive ?a . ?a a cg:Archive ; schema:name ?n }}",
                doc("300102")
            )
        ),
        set(&["Central Archives of the Chinese Communist Party"])
    );
    assert_eq!(
        values(
            &store,
            "SELECT ?n WHERE { ?d a cg:Document ; schema:funder ?f . ?f a cg:Organisation ; schema:name ?n }"
        ),
        set(&["Japan Foundation", "Henry Luce Foundation", "Leon Levy Foundation"])
    );
    // Places stay places, the mixed list's names are mentions.
    assert_eq!(
        values(
            &store,
            &format!(
                "SELECT ?n WHERE {{ {} dcterms:spatial/schema:name ?n }}",
                doc("300101")
            )
        ),
        set(&["Japan", "Taiwan", "China"])
    );
    assert_eq!(
        values(
            &store,
            &format!(
                "SELECT ?n WHERE {{ {} schema:mentions/schema:name ?n }}",
                doc("300102")
            )
        ),
        set(&[
            "Mao Zedong",
            "Deng Xiaoping",
            "Joseph Stalin",
            "Primakov",
            "Zhongguo gong chan dang. Central Committee"
        ])
    );
    // An unknown heading is kept as a page field, not typed.
    assert_eq!(
        values(
            &store,
            &format!(
                "SELECT ?v WHERE {{ {} cg:pageField ?f . ?f cg:fieldLabel \"Themes\" ; rdf:value ?v }}",
                doc("300103")
            )
        ),
        set(&["Cold War History"])
    );
}

#[test]
fn the_source_line_is_split_into_archive_signature_pages_and_credits() {
    let store = live_store();
    let row = |id: &str| {
        select(
            &store,
            &format!(
                "{PREFIXES} SELECT ?sig ?pages
                   (GROUP_CONCAT(DISTINCT ?contributor; SEPARATOR='|') AS ?c)
                   (GROUP_CONCAT(DISTINCT ?translator; SEPARATOR='|') AS ?t)
                   (GROUP_CONCAT(DISTINCT ?editor; SEPARATOR='|') AS ?e)
                   (GROUP_CONCAT(DISTINCT ?transcriber; SEPARATOR='|') AS ?s)
                 WHERE {{
                   <http://localhost:7878/document/{id}> cg:archiveSignature ?sig .
                   OPTIONAL {{ <http://localhost:7878/document/{id}> cg:pages ?pages }}
                   OPTIONAL {{ <http://localhost:7878/document/{id}> cg:contributedBy/schema:name ?contributor }}
                   OPTIONAL {{ <http://localhost:7878/document/{id}> schema:translator/schema:name ?translator }}
                   OPTIONAL {{ <http://localhost:7878/document/{id}> schema:editor/schema:name ?editor }}
                   OPTIONAL {{ <http://localhost:7878/document/{id}> cg:transcribedBy/schema:name ?transcriber }}
                 }} GROUP BY ?sig ?pages"
            ),
        )
    };
    let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        row("300101"),
        vec![strings(&[
            "2010-3997",
            "1-15",
            "Yutaka Kanda",
            "Stephen Mercado",
            "",
            ""
        ])]
    );
    let mut r = row("300102");
    // GROUP_CONCAT's order is not fixed: compare the lists as sets.
    for cell in r[0].iter_mut().skip(2) {
        let mut names: Vec<&str> = cell.split('|').collect();
        names.sort();
        *cell = names.join("|");
    }
    assert_eq!(
        r,
        vec![strings(&[
            "202-0-12",
            "33-38",
            "Chen Jian",
            "Lin Wei|Zhang Shu Guang",
            "Lin Wei|Zhang Shu Guang",
            ""
        ])]
    );
    assert_eq!(
        row("300103"),
        vec![strings(&[
            "PREM19/1394, f. 104",
            "",
            "Svetlana Savranskaya",
            "Svetlana Savranskaya",
            "",
            "Svetlana Savranskaya"
        ])]
    );
    // The archive named by the source line is the holding archive's name.
    assert_eq!(
        values(
            &store,
            "SELECT ?n WHERE { <http://localhost:7878/document/300101> schema:holdingArchive/schema:name ?n }"
        ),
        set(&["Diplomatic Archives of the Ministry of Foreign Affairs of Japan"])
    );
}

#[test]
fn a_heading_a_timeline_name_and_a_text_mention_are_the_authority_resource() {
    let store = live_store();
    let mao = "http://localhost:7878/person/mao-zedong";
    // The page's `Mao, Zedong` pill (a mixed list on 300101, a contributor on 300102).
    assert_eq!(
        values(
            &store,
            "SELECT ?p WHERE { <http://localhost:7878/document/300102> cg:participant ?p . ?p skos:altLabel \"Mao, Zedong\" }"
        ),
        set(&[mao])
    );
    // The timeline's "Mao Zedong".
    assert_eq!(
        values(
            &store,
            "SELECT ?p WHERE { ?e a cg:Event ; sem:hasActor ?p . ?p schema:name \"Mao Zedong\" }"
        ),
        set(&[mao])
    );
    // A text mention: "Mao Zedong" in 300101's translation, and the pill of the same page.
    assert_eq!(
        values(
            &store,
            "SELECT ?p WHERE { <http://localhost:7878/document/300101> schema:mentions ?p . ?p schema:name \"Mao Zedong\" }"
        ),
        set(&[mao])
    );
    // One resource in all: nothing else carries the name in any form.
    assert_eq!(
        values(
            &store,
            "SELECT DISTINCT ?p WHERE { ?p (schema:name|skos:altLabel) ?n FILTER(CONTAINS(?n, \"Mao\") && CONTAINS(?n, \"Zedong\")) FILTER(!STRSTARTS(STR(?p), \"http://localhost:7878/collection/\")) }"
        ),
        set(&[mao])
    );
}

#[test]
fn the_load_summary_counts_names_by_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let output = chronograph()
        .args(["load", "--store"])
        .arg(dir.path().join("store"))
        .arg("--authority")
        .arg(repo_path(AUTHORITY))
        .arg(repo_path(DOCUMENTS))
        .arg(repo_path(PEOPLE))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    // By hand from the fixtures' untyped lists (authors, document contributors,
    // "Associated People & Organizations"): 21 names, of which `Mao, Zedong`
    // (×3) and `Deng, Xiaoping` (×2) are in the authority file, `Primakov` has
    // no evidence, and the other 15 are inverted personal names or bodies.
    assert!(
        stdout.contains(
            "names typed by evidence: 5 from the authority file, 0 from person pages, 15 from the heading's form, 1 left as agents of unknown kind"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("unknown heading `Themes`"), "{stdout}");
}

/// A static mini-site of the live markup: `/robots.txt` with no sitemap, a
/// listing in two pages (`/search`, `/search?page=1`) whose results are
/// `td.document a` links, and the document pages at `/document/{record id}`.
struct LiveSite {
    base: String,
    _shutdown: tokio::sync::oneshot::Sender<()>,
}

impl LiveSite {
    fn start(pages: &Path) -> Self {
        use axum::extract::{Request, State};
        use axum::http::StatusCode;
        use axum::response::{Html, IntoResponse, Response};
        let mut ids: Vec<String> = std::fs::read_dir(pages)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "html"))
            .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
            .collect();
        ids.sort();
        let pages = pages.to_path_buf();
        async fn handle(
            State((pages, ids)): State<(PathBuf, Vec<String>)>,
            request: Request,
        ) -> Response {
            let listing = |chunk: &[String], next: Option<&str>| {
                let rows: String = chunk
                    .iter()
                    .map(|id| format!("<tr><td class=\"document\"><a href=\"/document/{id}\">Record {id}</a></td><td class=\"date\">-</td></tr>"))
                    .collect();
                let next = next.map_or(String::new(), |n| {
                    format!("<a class=\"pager__item--next\" href=\"{n}\">Next</a>")
                });
                Html(format!("<!DOCTYPE html><html><head><title>Search</title></head><body><table class=\"views-table\"><tbody>{rows}</tbody></table>{next}</body></html>")).into_response()
            };
            let path = request.uri().path();
            let query = request.uri().query().unwrap_or("");
            let half = ids.len().div_ceil(2);
            match (path, query) {
                ("/robots.txt", _) => "User-agent: *\nAllow: /\n".into_response(),
                ("/search", "") => listing(&ids[..half], Some("/search?page=1")),
                ("/search", "page=1") => listing(&ids[half..], None),
                _ => match path
                    .strip_prefix("/document/")
                    .filter(|id| ids.iter().any(|i| i == id))
                {
                    Some(id) => {
                        Html(std::fs::read_to_string(pages.join(format!("{id}.html"))).unwrap())
                            .into_response()
                    }
                    None => StatusCode::NOT_FOUND.into_response(),
                },
            }
        }
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (shutdown, stop) = tokio::sync::oneshot::channel::<()>();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Runtime::new().unwrap();
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                let app = axum::Router::new()
                    .fallback(handle)
                    .with_state((pages, ids));
                tokio::select! {
                    _ = std::future::IntoFuture::into_future(axum::serve(listener, app)) => {}
                    _ = stop => {}
                }
            });
        });
        Self {
            base,
            _shutdown: shutdown,
        }
    }
}

/// The triples of a store's union graph about the archive's resources (the
/// sources' provenance, which names where each was read, left out).
fn union_triples(store: &Path) -> BTreeSet<String> {
    let store = chronograph_core::store::ArchiveStore::open_read_only(
        store,
        chronograph_core::mapping::iri::Base::new(chronograph_core::mapping::iri::DEFAULT_BASE)
            .unwrap(),
    )
    .unwrap();
    let union = "<http://localhost:7878/graph/union>";
    store
        .oxigraph()
        .iter()
        .map(|q| q.unwrap())
        .filter(|q| q.graph_name.to_string() == union)
        .filter(|q| {
            let subject = q.subject.to_string();
            subject.starts_with("<http://localhost:7878/")
                && !subject.starts_with("<http://localhost:7878/graph/")
        })
        .map(|q| format!("{} {} {}", q.subject, q.predicate, q.object))
        .collect()
}

#[test]
fn a_harvest_of_the_live_markup_gives_the_store_of_the_saved_pages() {
    let site = LiveSite::start(&repo_path(DOCUMENTS));
    let dir = tempfile::tempdir().unwrap();
    let harvested = dir.path().join("harvested");
    let output = chronograph()
        .arg("harvest")
        .arg(format!("{}/search", site.base))
        .arg("--cache")
        .arg(dir.path().join("cache"))
        .args(["--rate", "50", "--retries", "1", "--backoff", "0.05"])
        .args(["--contact", "live-archive-tests@example.org"])
        .arg("--load")
        .arg("--store")
        .arg(&harvested)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("3 loaded, 0 rejected"), "{stdout}");
    let saved = dir.path().join("saved");
    load_with_cli(&saved, DOCUMENTS);
    let (from_web, from_files) = (union_triples(&harvested), union_triples(&saved));
    assert!(from_files.len() > 100, "{}", from_files.len());
    let only_web: Vec<_> = from_web.difference(&from_files).collect();
    let only_files: Vec<_> = from_files.difference(&from_web).collect();
    assert!(
        only_web.is_empty() && only_files.is_empty(),
        "only harvested: {only_web:#?}\nonly saved: {only_files:#?}"
    );
}
