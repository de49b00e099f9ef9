//! Sitemaps (sitemaps.org 0.9): `<urlset>` and `<sitemapindex>`, plain or gzipped.

use std::io::Read;

use quick_xml::events::Event;
use quick_xml::Reader;

/// The most a sitemap may hold uncompressed (the protocol's limit is 50 MiB).
pub const MAX_SITEMAP_BYTES: u64 = 50 * 1024 * 1024;

/// One `<url>` or `<sitemap>` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitemapEntry {
    /// `<loc>`.
    pub loc: String,
    /// `<lastmod>` (W3C datetime), if given.
    pub lastmod: Option<String>,
}

/// A parsed sitemap file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sitemap {
    /// `<sitemapindex>`: more sitemaps.
    Index(Vec<SitemapEntry>),
    /// `<urlset>`: pages.
    UrlSet(Vec<SitemapEntry>),
}

/// Why a sitemap body is not a sitemap.
#[derive(Debug, thiserror::Error)]
pub enum SitemapError {
    /// The gzip stream is broken.
    #[error("gzip: {0}")]
    Gzip(#[from] std::io::Error),
    /// The body unzips to more than the limit.
    #[error("larger than {MAX_SITEMAP_BYTES} bytes uncompressed")]
    TooLarge,
    /// The XML is not well-formed (the position is a byte offset).
    #[error("XML at byte {position}: {source}")]
    Xml {
        /// Byte offset of the error.
        position: u64,
        /// The parser's error.
        #[source]
        source: quick_xml::Error,
    },
    /// A text node does not unescape.
    #[error("XML text: {0}")]
    Text(#[source] quick_xml::Error),
    /// The root element is another one.
    #[error("neither <urlset> nor <sitemapindex>")]
    NotASitemap,
}

/// Parses a sitemap body, gunzipping it first when it starts with the gzip magic bytes.
pub fn parse_sitemap(body: &[u8]) -> Result<Sitemap, SitemapError> {
    let xml;
    let body = if body.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(body)
            .take(MAX_SITEMAP_BYTES + 1)
            .read_to_end(&mut out)?;
        if out.len() as u64 > MAX_SITEMAP_BYTES {
            return Err(SitemapError::TooLarge);
        }
        xml = out;
        &xml[..]
    } else {
        body
    };
    let mut reader = Reader::from_reader(body);
    reader.config_mut().trim_text(true);
    let mut buf = Vec::new();
    let mut root: Option<bool> = None; // Some(true) = index
    let mut entries = Vec::new();
    let mut current: Option<SitemapEntry> = None;
    let mut field: Option<&'static str> = None;
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|source| SitemapError::Xml {
                position: reader.error_position(),
                source,
            })?;
        match event {
            Event::Start(e) => match e.local_name().as_ref() {
                b"sitemapindex" if root.is_none() => root = Some(true),
                b"urlset" if root.is_none() => root = Some(false),
                b"url" | b"sitemap" if root.is_some() => {
                    current = Some(SitemapEntry {
                        loc: String::new(),
                        lastmod: None,
                    })
                }
                b"loc" => field = Some("loc"),
                b"lastmod" => field = Some("lastmod"),
                _ => {}
            },
            Event::Text(t) => {
                if let (Some(name), Some(entry)) = (field, current.as_mut()) {
                    let text = t.unescape().map_err(SitemapError::Text)?;
                    match name {
                        "loc" => entry.loc.push_str(text.trim()),
                        _ => entry.lastmod = Some(text.trim().to_owned()),
                    }
                }
            }
            Event::CData(t) => {
                if let (Some("loc"), Some(entry)) = (field, current.as_mut()) {
                    entry.loc.push_str(String::from_utf8_lossy(&t).trim());
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"url" | b"sitemap" => {
                    if let Some(entry) = current.take().filter(|e| !e.loc.is_empty()) {
                        entries.push(entry);
                    }
                }
                b"loc" | b"lastmod" => field = None,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    match root {
        Some(true) => Ok(Sitemap::Index(entries)),
        Some(false) => Ok(Sitemap::UrlSet(entries)),
        None => Err(SitemapError::NotASitemap),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    const URLSET: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>http://x/document/1?a=1&amp;b=2</loc><lastmod>2024-01-02</lastmod></url>
  <url><loc> http://x/document/2 </loc></url>
</urlset>"#;

    #[test]
    fn urlsets_and_indexes_plain_and_gzipped() {
        let Sitemap::UrlSet(urls) = parse_sitemap(URLSET.as_bytes()).unwrap() else {
            panic!("not a urlset")
        };
        assert_eq!(urls.len(), 2);
        assert_eq!(urls[0].loc, "http://x/document/1?a=1&b=2");
        assert_eq!(urls[0].lastmod.as_deref(), Some("2024-01-02"));
        assert_eq!(urls[1].loc, "http://x/document/2");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(URLSET.as_bytes()).unwrap();
        assert_eq!(
            parse_sitemap(&gz.finish().unwrap()).unwrap(),
            parse_sitemap(URLSET.as_bytes()).unwrap()
        );
        let index = r#"<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
            <sitemap><loc>http://x/s1.xml</loc></sitemap><sitemap><loc>http://x/s2.xml.gz</loc></sitemap>
            </sitemapindex>"#;
        let Sitemap::Index(maps) = parse_sitemap(index.as_bytes()).unwrap() else {
            panic!("not an index")
        };
        assert_eq!(maps.len(), 2);
    }

    #[test]
    fn html_and_broken_xml_are_errors_not_panics() {
        assert!(parse_sitemap(b"<html><body>Not found</body></html>").is_err());
        assert!(parse_sitemap(b"<urlset><url><loc>http://x/</loc></urlset>").is_err());
        assert!(parse_sitemap(&[0x1f, 0x8b, 0, 1, 2]).is_err());
    }
}
