use super::*;

#[test]
fn lastmod_dates_and_sitemap_urls() {
    assert_eq!(
        lastmod_date("2024-03-05T10:00:00+00:00"),
        NaiveDate::from_ymd_opt(2024, 3, 5)
    );
    assert_eq!(lastmod_date("2024"), None);
    assert!(looks_like_sitemap(
        &Url::parse("http://a/sitemap.xml").unwrap()
    ));
    assert!(looks_like_sitemap(
        &Url::parse("http://a/s/docs-2.XML.gz").unwrap()
    ));
    assert!(!looks_like_sitemap(&Url::parse("http://a/").unwrap()));
    assert_eq!(
        path_and_query(&Url::parse("http://a/search?page=2#x").unwrap()),
        "/search?page=2"
    );
}

#[test]
fn start_urls_must_be_http() {
    assert!(parse_start_urls(&["ftp://a/".to_owned()]).is_err());
    assert!(parse_start_urls(&["not a url".to_owned()]).is_err());
    assert!(parse_start_urls(&[]).is_err());
    assert!(parse_start_urls(&["http://127.0.0.1:8080/".to_owned()]).is_ok());
}
