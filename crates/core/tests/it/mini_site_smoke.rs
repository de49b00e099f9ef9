//! The mini-site the harvest tests crawl (`chronograph_testkit::mini_site`) behaves
//! as documented: robots.txt, sitemaps (one gzipped), validators and 304s,
//! the special pages, listings, request recording; and its pages read with
//! the crate's reader (the sister archive's with its profile only).
//!
//! Set `MINI_SITE_SAVE_TO=DIR` to keep the saved pages (for `chronograph read`).

use chronograph_testkit::mini_site;

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chronograph_core::model::Record;
use chronograph_core::sources::profile::{CompiledProfile, PageKind, SiteProfile};
use chronograph_core::sources::{read_source, ReadOptions};
use mini_site::*;
use reqwest::blocking::{Client, Response};
use reqwest::header::{
    CONTENT_TYPE, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED, LOCATION, RETRY_AFTER,
};

const USER_AGENT: &str = "chronograph-smoke-test/1.0";

fn client() -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(USER_AGENT)
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
}

fn fast_options() -> MiniSiteOptions {
    MiniSiteOptions {
        slow_delay: Duration::from_millis(300),
        ..MiniSiteOptions::default()
    }
}

fn get(client: &Client, url: &str) -> Response {
    client
        .get(url)
        .send()
        .unwrap_or_else(|e| panic!("{url}: {e}"))
}

fn header(response: &Response, name: reqwest::header::HeaderName) -> String {
    response
        .headers()
        .get(&name)
        .unwrap_or_else(|| panic!("{}: no {name} header", response.url()))
        .to_str()
        .unwrap()
        .to_owned()
}

/// GET, retrying (at once) the pages that fail at first with 500 or 429.
fn get_ok(client: &Client, url: &str) -> Vec<u8> {
    for _ in 0..3 {
        let response = get(client, url);
        match response.status().as_u16() {
            200 => return response.bytes().unwrap().to_vec(),
            429 | 500 => continue,
            other => panic!("{url}: status {other}"),
        }
    }
    panic!("{url}: no 200 after 3 attempts");
}

/// The `<loc>`s of a sitemap or sitemap index; panics unless it is well-formed
/// XML with the sitemaps.org root element `root`.
fn sitemap_locs(xml: &[u8], root: &str) -> Vec<String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let (mut locs, mut in_loc, mut root_seen, mut lastmods) = (Vec::new(), false, false, 0);
    let mut in_lastmod = false;
    loop {
        match reader.read_event_into(&mut buf).expect("well-formed XML") {
            Event::Start(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if !root_seen {
                    assert_eq!(name, root);
                    let namespace = e
                        .try_get_attribute("xmlns")
                        .unwrap()
                        .expect("xmlns attribute");
                    assert_eq!(
                        namespace.value.as_ref(),
                        b"http://www.sitemaps.org/schemas/sitemap/0.9"
                    );
                    root_seen = true;
                }
                in_loc = name == "loc";
                in_lastmod = name == "lastmod";
            }
            Event::Text(t) if in_loc => locs.push(t.unescape().unwrap().into_owned()),
            Event::Text(t) if in_lastmod => {
                let lastmod = t.unescape().unwrap().into_owned();
                assert!(
                    lastmod.len() == 25 && lastmod.starts_with("2024-01-"),
                    "W3C datetime: {lastmod}"
                );
                lastmods += 1;
            }
            Event::End(_) => (in_loc, in_lastmod) = (false, false),
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    assert!(root_seen, "no <{root}>");
    assert_eq!(lastmods, locs.len(), "every entry has a <lastmod>");
    locs
}

#[test]
fn robots_txt_and_sitemaps() {
    let site = MiniSite::start(MiniSiteOptions::default());
    let client = client();
    assert!(!site.base_url().ends_with('/'));
    assert_eq!(
        site.url("/robots.txt"),
        format!("{}/robots.txt", site.base_url())
    );

    let robots = get(&client, &site.url("/robots.txt")).text().unwrap();
    let lines: Vec<&str> = robots.lines().collect();
    assert!(lines.contains(&"User-agent: *"), "{robots}");
    assert!(lines.contains(&"Disallow: /private/"), "{robots}");
    assert!(
        lines.contains(&"Disallow: /document/restricted"),
        "{robots}"
    );
    assert!(lines.contains(&"Crawl-delay: 0.2"), "{robots}");
    let sitemap_line = format!("Sitemap: {}/sitemap.xml", site.base_url());
    assert!(lines.contains(&sitemap_line.as_str()), "{robots}");

    let index = get(&client, &site.url("/sitemap.xml"));
    assert_eq!(header(&index, CONTENT_TYPE), "application/xml");
    let children = sitemap_locs(&index.bytes().unwrap(), "sitemapindex");
    assert_eq!(
        children,
        [
            site.url("/sitemaps/documents-1.xml"),
            site.url("/sitemaps/documents-2.xml.gz")
        ]
    );
    assert_eq!(site.sitemap_paths().len(), 3);

    let first = get(&client, &site.url("/sitemaps/documents-1.xml"));
    assert_eq!(header(&first, CONTENT_TYPE), "application/xml");
    let first = sitemap_locs(&first.bytes().unwrap(), "urlset");
    let expected: Vec<String> = (200_001..=200_016)
        .map(|id| site.url(&format!("/document/{id}")))
        .collect();
    assert_eq!(first, expected);

    let second = get(&client, &site.url("/sitemaps/documents-2.xml.gz"));
    assert_eq!(second.status(), 200);
    assert_eq!(header(&second, CONTENT_TYPE), "application/gzip");
    let compressed = second.bytes().unwrap();
    assert_eq!(&compressed[..2], [0x1f, 0x8b], "gzip magic bytes");
    let mut xml = Vec::new();
    flate2::read::GzDecoder::new(&compressed[..])
        .read_to_end(&mut xml)
        .unwrap();
    let second = sitemap_locs(&xml, "urlset");
    let mut expected: Vec<String> = (200_017..=200_026)
        .map(|id| site.url(&format!("/document/{id}")))
        .collect();
    expected.extend(site.person_paths().iter().map(|p| site.url(p)));
    for special in [
        GONE_PATH,
        FLAKY_PATH,
        BUSY_PATH,
        MOVED_PATH,
        LOOP_A_PATH,
        SLOW_PATH,
        BROKEN_PATH,
        PRIVATE_PATH,
        RESTRICTED_PATH,
    ] {
        expected.push(site.url(special));
    }
    assert_eq!(second, expected);

    // 200027–200032 are in no sitemap; nor are the listings.
    let listed: BTreeSet<String> = first.into_iter().chain(second).collect();
    for id in 200_027..=200_032 {
        assert!(!listed.contains(&site.url(&format!("/document/{id}"))));
    }
    for listing in site.listing_paths() {
        assert!(!listed.contains(&site.url(&listing)));
    }
}

#[test]
fn validators_give_304_and_touch_changes_them() {
    let site = MiniSite::start(fast_options());
    let client = client();
    let url = site.url("/document/200007");

    let first = get(&client, &url);
    assert_eq!(first.status(), 200);
    assert_eq!(header(&first, CONTENT_TYPE), "text/html; charset=utf-8");
    let etag = header(&first, ETAG);
    let last_modified = header(&first, LAST_MODIFIED);
    assert!(
        etag.starts_with('"') && etag.ends_with('"') && etag.len() == 66,
        "{etag}"
    );
    assert!(
        last_modified.ends_with("Jan 2024 12:00:00 GMT"),
        "{last_modified}"
    );
    let body = first.text().unwrap();

    // The same body again: the same validators.
    let again = get(&client, &url);
    assert_eq!(header(&again, ETAG), etag);
    assert_eq!(again.text().unwrap(), body);

    let by_etag = client
        .get(&url)
        .header(IF_NONE_MATCH, &etag)
        .send()
        .unwrap();
    assert_eq!(by_etag.status(), 304);
    assert_eq!(header(&by_etag, ETAG), etag);
    assert!(by_etag.bytes().unwrap().is_empty());

    let by_date = client
        .get(&url)
        .header(IF_MODIFIED_SINCE, &last_modified)
        .send()
        .unwrap();
    assert_eq!(by_date.status(), 304);
    let earlier = client
        .get(&url)
        .header(IF_MODIFIED_SINCE, "Sun, 31 Dec 2023 00:00:00 GMT")
        .send()
        .unwrap();
    assert_eq!(earlier.status(), 200);
    // If-None-Match wins over If-Modified-Since.
    let other_tag = client
        .get(&url)
        .header(IF_NONE_MATCH, "\"something-else\"")
        .header(IF_MODIFIED_SINCE, &last_modified)
        .send()
        .unwrap();
    assert_eq!(other_tag.status(), 200);

    // Sitemaps have validators too.
    let sitemap = site.url("/sitemaps/documents-1.xml");
    let sitemap_etag = header(&get(&client, &sitemap), ETAG);
    let cached = client
        .get(&sitemap)
        .header(IF_NONE_MATCH, &sitemap_etag)
        .send()
        .unwrap();
    assert_eq!(cached.status(), 304);

    // A touched page changes its body, ETag and Last-Modified (and its sitemap's lastmod).
    site.touch("/document/200007");
    let changed = client
        .get(&url)
        .header(IF_NONE_MATCH, &etag)
        .send()
        .unwrap();
    assert_eq!(changed.status(), 200);
    let new_etag = header(&changed, ETAG);
    let new_last_modified = header(&changed, LAST_MODIFIED);
    assert_ne!(new_etag, etag);
    let parse = |d: &str| httpdate::parse_http_date(d).unwrap();
    assert!(parse(&new_last_modified) > parse(&last_modified));
    let new_body = changed.text().unwrap();
    assert!(new_body.contains("Catalogue entry revised (1)."));
    assert_ne!(new_body, body);
    let stale_date = client
        .get(&url)
        .header(IF_MODIFIED_SINCE, &last_modified)
        .send()
        .unwrap();
    assert_eq!(stale_date.status(), 200);
    let sitemap_changed = client
        .get(&sitemap)
        .header(IF_NONE_MATCH, &sitemap_etag)
        .send()
        .unwrap();
    assert_eq!(sitemap_changed.status(), 200);

    // Person pages and listings can be touched as well.
    for path in [
        site.person_paths()[0].clone(),
        site.listing_paths()[1].clone(),
    ] {
        let before = header(&get(&client, &site.url(&path)), ETAG);
        site.touch(&path);
        assert_ne!(
            header(&get(&client, &site.url(&path)), ETAG),
            before,
            "{path}"
        );
    }
}

#[test]
fn special_pages_behave_and_every_request_is_recorded() {
    let site = MiniSite::start(fast_options());
    let client = client();
    let status = |path: &str| get(&client, &site.url(path)).status().as_u16();

    assert_eq!(status(FLAKY_PATH), 500);
    assert_eq!(status(FLAKY_PATH), 500);
    assert_eq!(status(FLAKY_PATH), 200);
    assert_eq!(status(FLAKY_PATH), 200);

    let busy = get(&client, &site.url(BUSY_PATH));
    assert_eq!(busy.status(), 429);
    assert_eq!(header(&busy, RETRY_AFTER), "1");
    assert_eq!(status(BUSY_PATH), 200);

    let moved = get(&client, &site.url(MOVED_PATH));
    assert_eq!(moved.status(), 301);
    assert_eq!(header(&moved, LOCATION), site.url(MOVED_TARGET));
    assert_eq!(status(MOVED_TARGET), 200);

    let loop_a = get(&client, &site.url(LOOP_A_PATH));
    assert_eq!(loop_a.status(), 302);
    assert_eq!(header(&loop_a, LOCATION), LOOP_B_PATH);
    let loop_b = get(&client, &site.url(LOOP_B_PATH));
    assert_eq!(loop_b.status(), 302);
    assert_eq!(header(&loop_b, LOCATION), LOOP_A_PATH);

    assert_eq!(status(GONE_PATH), 404);
    assert_eq!(status("/document/999999"), 404);
    assert_eq!(status("/search?page=4"), 404);
    assert_eq!(status(BROKEN_PATH), 200);

    let started = Instant::now();
    assert_eq!(status(SLOW_PATH), 200);
    assert!(started.elapsed() >= Duration::from_millis(300));
    // A client that gives up first gets nothing, and the request is still recorded.
    let impatient = client
        .get(site.url(SLOW_PATH))
        .timeout(Duration::from_millis(100))
        .send();
    assert!(impatient.is_err_and(|e| e.is_timeout()));

    assert_eq!(status(PRIVATE_PATH), 200);
    assert_eq!(site.disallowed_paths(), [PRIVATE_PATH, RESTRICTED_PATH]);
    // The restricted page is a document URL by the default profile: a crawler
    // would fetch it, were it not for robots.txt.
    assert_eq!(
        CompiledProfile::default_profile().page_kind(&site.url(RESTRICTED_PATH)),
        Some(PageKind::Document)
    );

    let flaky: Vec<u16> = site
        .requests_for(FLAKY_PATH)
        .iter()
        .map(|r| r.status)
        .collect();
    assert_eq!(flaky, [500, 500, 200, 200]);
    let requests = site.requests();
    assert_eq!(requests.len(), 17);
    assert!(requests.windows(2).all(|w| w[0].at <= w[1].at));
    assert!(requests.iter().all(|r| r.method == "GET"
        && r.user_agent.as_deref() == Some(USER_AGENT)
        && r.if_none_match.is_none()
        && r.if_modified_since.is_none()));
    let slow: Vec<u16> = site
        .requests_for(SLOW_PATH)
        .iter()
        .map(|r| r.status)
        .collect();
    assert_eq!(slow, [200, 200]);
    assert_eq!(site.requests_for(PRIVATE_PATH).len(), 1);
    assert_eq!(site.requests_for("/search?page=4")[0].status, 404);

    // Clearing the log keeps the counters: flaky stays healthy.
    site.clear_requests();
    assert!(site.requests().is_empty());
    assert_eq!(status(FLAKY_PATH), 200);
    assert_eq!(site.requests().len(), 1);

    // A new site starts over.
    let fresh = MiniSite::start(fast_options());
    assert_eq!(get(&client, &fresh.url(FLAKY_PATH)).status(), 500);
}

#[test]
fn listings_home_and_person_pages_link_every_document() {
    let site = MiniSite::start(fast_options());
    let client = client();
    let html = |path: &str| {
        let text = String::from_utf8(get_ok(&client, &site.url(path))).unwrap();
        scraper::Html::parse_document(&text)
    };
    let hrefs = |page: &scraper::Html, selector: &str| -> Vec<String> {
        let selector = scraper::Selector::parse(selector).unwrap();
        page.select(&selector)
            .map(|a| a.attr("href").unwrap().to_owned())
            .collect()
    };

    let listings = site.listing_paths();
    assert_eq!(
        listings,
        [
            "/search?page=0",
            "/search?page=1",
            "/search?page=2",
            "/search?page=3"
        ]
    );
    let mut listed = Vec::new();
    for (n, listing) in listings.iter().enumerate() {
        let page = html(listing);
        let links = hrefs(&page, "td.document a");
        assert_eq!(links.len(), if n == 3 { 2 } else { 10 }, "{listing}");
        listed.extend(links);
        let pager: BTreeSet<String> = hrefs(&page, "nav.pager a").into_iter().collect();
        let numbered: BTreeSet<String> = listings.iter().cloned().collect();
        assert_eq!(
            pager, numbered,
            "{listing}: numbered, next and previous links"
        );
        assert_eq!(hrefs(&page, "nav.pager a.next").len(), usize::from(n < 3));
        assert_eq!(hrefs(&page, "nav.pager a.prev").len(), usize::from(n > 0));
    }
    let numbered: Vec<String> = site.document_paths()[..32].to_vec();
    assert_eq!(
        listed, numbered,
        "all 32 documents, in id order, as relative links"
    );

    let home = html("/");
    let links = hrefs(&home, "a");
    assert!(links.contains(&"/search?page=0".to_owned()));
    for path in site.disallowed_paths() {
        assert!(links.contains(&path), "{path}");
    }
    for person in site.person_paths() {
        assert!(links.contains(&person));
    }

    let people = site.person_paths();
    assert_eq!(
        people,
        [
            "/resource/kim-il-sung",
            "/resource/mao-zedong",
            "/resource/nikita-khrushchev"
        ]
    );
    let mut linked = BTreeSet::new();
    for person in &people {
        let page = html(person);
        let events = hrefs(&page, ".timeline-event a.document-link");
        assert!((4..=6).contains(&events.len()), "{person}: {events:?}");
        linked.extend(events);
        let related: BTreeSet<String> = hrefs(&page, "a.person-card").into_iter().collect();
        let others: BTreeSet<String> = people.iter().filter(|p| *p != person).cloned().collect();
        assert_eq!(related, others);
    }
    for id in 200_027..=200_032 {
        assert!(
            linked.contains(&format!("/document/{id}")),
            "{id} has no person page link"
        );
    }
    // The pages a timeline links mention the person.
    assert!(site.mentions("/document/200027").contains(&"Kim Il Sung"));
    assert!(site.mentions("/document/200028").contains(&"Mao Zedong"));
    assert!(site
        .mentions("/document/200029")
        .contains(&"Nikita Khrushchev"));
    for path in site.document_paths() {
        assert!(!site.mentions(&path).is_empty(), "{path} mentions nobody");
    }
}

/// Saves pages under `dir`, named after their paths; returns the files.
fn save_pages(site: &MiniSite, paths: &[String], dir: &Path) -> Vec<(String, PathBuf)> {
    let client = client();
    paths
        .iter()
        .map(|path| {
            let file = dir.join(format!(
                "{}.html",
                path.trim_start_matches('/').replace('/', "_")
            ));
            std::fs::write(&file, get_ok(&client, &site.url(path))).unwrap();
            (path.clone(), file)
        })
        .collect()
}

fn save_dir(name: &str) -> (Option<tempfile::TempDir>, PathBuf) {
    match std::env::var_os("MINI_SITE_SAVE_TO") {
        Some(dir) => {
            let dir = PathBuf::from(dir).join(name);
            std::fs::create_dir_all(&dir).unwrap();
            (None, dir)
        }
        None => {
            let temp = tempfile::tempdir().unwrap();
            let dir = temp.path().to_path_buf();
            (Some(temp), dir)
        }
    }
}

#[test]
fn the_reader_parses_every_good_page_and_rejects_the_broken_one() {
    let site = MiniSite::start(fast_options());
    let (_temp, dir) = save_dir("archive");
    let mut paths = site.document_paths();
    assert_eq!(paths.len(), 34);
    paths.extend(site.person_paths());
    let saved = save_pages(&site, &paths, &dir);
    let options = ReadOptions::default();
    let mut ids = BTreeSet::new();
    for (path, file) in &saved {
        let batch = read_source(file, &options);
        assert!(
            batch.rejections.is_empty(),
            "{path}: {:?}",
            batch.rejections
        );
        assert_eq!(batch.records.len(), 1, "{path}");
        let record = &batch.records[0].record;
        match record {
            Record::Document(doc) => {
                assert!(path.starts_with("/document/"), "{path}");
                assert!(doc.record_id.is_some() && !doc.title.is_empty(), "{path}");
                let date = doc.date.as_ref().expect("a date");
                assert!(date.is_parsed(), "{path}: {}", date.original);
                for name in site.mentions(path) {
                    assert!(
                        doc.text.as_deref().unwrap_or("").contains(name),
                        "{path}: {name}"
                    );
                }
            }
            Record::PersonPage(person) => {
                assert!(path.starts_with(PERSON_PREFIX), "{path}");
                assert!((4..=6).contains(&person.timeline.len()), "{path}");
                assert_eq!(person.cards.len(), 3, "{path}");
            }
            other => panic!("{path}: unexpected record {}", other.kind()),
        }
        ids.insert(record.id().unwrap().to_owned());
    }
    assert_eq!(ids.len(), site.expected_records());
    assert_eq!(site.expected_records(), 37);
    for id in [FLAKY_RECORD_ID, BUSY_RECORD_ID] {
        assert!(ids.contains(&id.to_string()));
    }

    let broken = save_pages(&site, &[BROKEN_PATH.to_owned()], &dir);
    let batch = read_source(&broken[0].1, &options);
    assert!(batch.records.is_empty());
    assert_eq!(batch.rejections.len(), 1);
}

#[test]
fn the_sister_archive_reads_with_its_profile_only() {
    let site = MiniSite::start_sister(fast_options());
    let client = client();
    let (_temp, dir) = save_dir("sister");
    let profile_path = chronograph_testkit::repo_path("tests/data/harvest/sister-profile.toml");
    let profile = CompiledProfile::compile(SiteProfile::read_file(&profile_path).unwrap()).unwrap();

    // The same layout logic: robots.txt, a sitemap index, listings.
    let robots = get(&client, &site.url("/robots.txt")).text().unwrap();
    assert!(robots.contains("Disallow: /private/") && robots.contains("Crawl-delay: 0.2"));
    let index = get(&client, &site.url("/sitemap.xml")).bytes().unwrap();
    let sitemaps = sitemap_locs(&index, "sitemapindex");
    assert_eq!(sitemaps, [site.url("/sitemaps/records.xml")]);
    let urls = sitemap_locs(&get(&client, &sitemaps[0]).bytes().unwrap(), "urlset");
    assert_eq!(urls.len(), 7, "{urls:?}");
    assert!(!urls.contains(&site.url("/records/300005")));
    assert_eq!(site.listing_paths(), ["/browse?p=0"]);
    assert_eq!(site.person_paths(), ["/people/kim-il-sung"]);
    assert_eq!(site.expected_records(), 7);

    // URLs classified by the sister profile.
    for path in site.document_paths() {
        assert_eq!(
            profile.page_kind(&site.url(&path)),
            Some(PageKind::Document),
            "{path}"
        );
    }
    for path in site.person_paths() {
        assert_eq!(
            profile.page_kind(&site.url(&path)),
            Some(PageKind::Person),
            "{path}"
        );
    }
    for path in site.listing_paths() {
        assert_eq!(
            profile.page_kind(&site.url(&path)),
            Some(PageKind::Listing),
            "{path}"
        );
    }
    assert_eq!(profile.page_kind(&site.url(PRIVATE_PATH)), None);
    assert_eq!(profile.page_kind(&site.url("/")), None);

    // The listing links every document, through `li.hit a`.
    let listing = String::from_utf8(get_ok(&client, &site.url("/browse?p=0"))).unwrap();
    let listing = scraper::Html::parse_document(&listing);
    let hits: Vec<String> = listing
        .select(&scraper::Selector::parse(&profile.profile.listing_link).unwrap())
        .map(|a| a.attr("href").unwrap().to_owned())
        .collect();
    assert_eq!(hits, site.document_paths());

    let mut paths = site.document_paths();
    paths.extend(site.person_paths());
    let saved = save_pages(&site, &paths, &dir);
    let with_profile = ReadOptions {
        profile,
        ..ReadOptions::default()
    };
    let without_profile = ReadOptions::default();
    for (path, file) in &saved {
        let batch = read_source(file, &with_profile);
        assert!(
            batch.rejections.is_empty(),
            "{path}: {:?}",
            batch.rejections
        );
        assert_eq!(batch.records.len(), 1, "{path}");
        match &batch.records[0].record {
            Record::Document(doc) => {
                let id = path.trim_start_matches("/records/");
                assert_eq!(doc.record_id.as_deref(), Some(id));
                assert!(doc.date.as_ref().is_some_and(|d| d.is_parsed()), "{path}");
                assert!(doc.text.is_some() && doc.summary.is_some(), "{path}");
                assert!(
                    !doc.sent_by.is_empty() && !doc.received_by.is_empty(),
                    "{path}"
                );
                assert!(!doc.people.is_empty() && !doc.places.is_empty(), "{path}");
                assert!(!doc.subjects.is_empty() && doc.citation.is_some(), "{path}");
            }
            Record::PersonPage(person) => {
                assert_eq!(person.subject.as_deref(), Some("Kim Il Sung"));
                assert_eq!(person.timeline.len(), 3);
                assert!(person.document_count.is_some());
            }
            other => panic!("{path}: unexpected record {}", other.kind()),
        }

        let batch = read_source(file, &without_profile);
        assert!(
            batch.records.is_empty(),
            "{path} parsed without the profile"
        );
        assert_eq!(batch.rejections.len(), 1, "{path}");
    }
}

#[test]
fn dropping_the_site_stops_the_server() {
    let site = MiniSite::start(fast_options());
    let address = site.base_url().trim_start_matches("http://").to_owned();
    assert_eq!(get(&client(), &site.url("/")).status(), 200);
    drop(site);
    assert!(std::net::TcpStream::connect(&address).is_err());
}
