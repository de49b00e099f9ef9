//! Property tests for the readers (pages, JSON Lines, CSV) and the harvester's
//! parsers (sitemaps, robots.txt): arbitrary bytes never panic, and every
//! input is either read into records or rejected with a reason (never dropped).

use std::path::Path;

use chronograph_core::sources::{read_source_bytes, ReadOptions};
use proptest::prelude::*;

fn check(name: &str, bytes: &[u8]) {
    let batch = read_source_bytes(Path::new(name), bytes, &ReadOptions::default());
    for rejection in &batch.rejections {
        assert!(!rejection.to_string().is_empty());
        assert!(rejection.to_string().starts_with(name), "{rejection}");
    }
    let nonblank_lines = bytes
        .split(|&b| b == b'\n')
        .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
        .count();
    match name {
        // A page is one record: read or rejected.
        n if n.ends_with(".html") || n.ends_with(".txt") => assert_eq!(batch.read_count(), 1),
        // Every non-blank line of JSON Lines is one record: read or rejected.
        n if n.ends_with(".jsonl") => assert_eq!(batch.read_count(), nonblank_lines),
        // A CSV yields at least a verdict on its header or rows, unless it is blank.
        _ => assert!(batch.read_count() >= usize::from(nonblank_lines > 0)),
    }
}

fn html_like() -> impl Strategy<Value = String> {
    let parts = prop::collection::vec(
        prop_oneof![
            Just("<h1 class=\"title\">T</h1>".to_owned()),
            Just("<div class=\"date\">March 2, 1965</div>".to_owned()),
            Just("<div class=\"information-block\"><div class=\"sub-title\">Record ID</div><div class=\"text\">1</div></div>".to_owned()),
            Just("<article class=\"person-page\">".to_owned()),
            Just("<div class=\"timeline-event\"><div class=\"date\">1960</div><div class=\"text\">x</div></div>".to_owned()),
            Just("<div class=\"person-card\"><div class=\"life-span\">1912- 1994</div></div>".to_owned()),
            Just("</html>".to_owned()),
            "[ -~]{0,20}",
        ],
        0..12,
    );
    parts.prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        for name in ["x.html", "x.txt", "x.jsonl", "x.csv"] {
            check(name, &bytes);
        }
    }

    #[test]
    fn html_fragments_never_panic(html in html_like()) {
        check("x.html", html.as_bytes());
    }

    #[test]
    fn jsonl_lines_each_count(lines in prop::collection::vec(prop_oneof![
        Just("{\"type\":\"event\",\"date\":\"1960\",\"text\":\"t\"}".to_owned()),
        Just("{\"type\":\"document\",\"id\":\"1\",\"title\":\"t\"}".to_owned()),
        Just("{\"type\":\"event\"".to_owned()),
        "[ -~]{0,30}",
    ], 0..20)) {
        check("x.jsonl", lines.join("\n").as_bytes());
    }

    #[test]
    fn text_pages_never_panic(lines in prop::collection::vec(prop_oneof![
        Just("March 2, 1965".to_owned()),
        Just("1912- 1994".to_owned()),
        Just("(372) documents".to_owned()),
        Just("Document Information".to_owned()),
        Just("Record ID".to_owned()),
        Just("Level: Urgent".to_owned()),
        "[ -~]{0,40}",
    ], 0..25)) {
        check("x.txt", lines.join("\n").as_bytes());
    }

    #[test]
    fn csv_rows_each_count(rows in prop::collection::vec(prop_oneof![
        Just("event,e1,,,1960,,,,,Kim Il Sung visits Beijing.,,,,,,,,,".to_owned()),
        Just("document,7,7,A title,\"July 1, 1961\",A,B,Secret,s,t,,,,,,,,,".to_owned()),
        Just("document,8,8,Too few columns".to_owned()),
        Just("event,e2,,,not a date,,,,,text,,,,,,,,,".to_owned()),
        "[a-z0-9 ]{1,30}",
    ], 0..20)) {
        let header = "type,id,record_id,title,date,sent_by,received_by,level,summary,text,\
                      archive_signature,pages,translators,rights,languages,uploaded,funders,people,subjects";
        let text = format!("{header}\n{}", rows.join("\n"));
        let batch = read_source_bytes(Path::new("x.csv"), text.as_bytes(), &ReadOptions::default());
        // Every row after the header is one record, read or rejected (a row
        // of spaces too: it is a row with too few fields, not nothing).
        prop_assert_eq!(batch.read_count(), rows.len());
    }

    #[test]
    fn sitemaps_and_robots_files_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let _ = chronograph_harvest::sitemap::parse_sitemap(&bytes);
        let rules = chronograph_harvest::robots::RobotsRules::parse(&bytes);
        let _ = rules.allowed("/document/1");
        let _ = rules.crawl_delay();
    }

    #[test]
    fn sitemap_fragments_never_panic(parts in prop::collection::vec(prop_oneof![
        Just("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">".to_owned()),
        Just("<sitemapindex>".to_owned()),
        Just("<url><loc>http://x/document/1</loc>".to_owned()),
        Just("<lastmod>2024-01-01</lastmod></url>".to_owned()),
        Just("</urlset>".to_owned()),
        Just("<![CDATA[http://x/]]>".to_owned()),
        "[ -~]{0,20}",
    ], 0..12)) {
        let _ = chronograph_harvest::sitemap::parse_sitemap(parts.concat().as_bytes());
    }
}
