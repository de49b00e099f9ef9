//! Content negotiation: an `Accept` header (or a `format` parameter) → a result syntax.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use chronograph_core::query::{GraphFormat, SolutionsFormat};
use oxigraph::io::RdfFormat;
use oxigraph::model::Triple;
use oxigraph::sparql::results::QueryResultsFormat;

use crate::error_response;

/// A syntax for solutions (SELECT, ASK) with its media type.
pub const SOLUTION_TYPES: [(&str, SolutionsFormat); 4] = [
    ("application/sparql-results+json", SolutionsFormat::Json),
    ("application/sparql-results+xml", SolutionsFormat::Xml),
    ("text/csv", SolutionsFormat::Csv),
    ("text/tab-separated-values", SolutionsFormat::Tsv),
];

/// A syntax for graphs (CONSTRUCT, DESCRIBE, resources) with its media type.
pub const GRAPH_TYPES: [(&str, GraphFormat); 4] = [
    ("text/turtle", GraphFormat::Turtle),
    ("application/n-triples", GraphFormat::NTriples),
    ("application/ld+json", GraphFormat::JsonLd),
    ("application/rdf+xml", GraphFormat::RdfXml),
];

/// The media type of a short name of the `format` parameter or a file
/// suffix: a few words of our own (`turtle`, `jsonld`, `html`), else the
/// upstream tables of file extensions (SPARQL results first, then RDF).
fn short_name(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    Some(match lower.as_str() {
        "turtle" | "n3" | "text/n3" => "text/turtle",
        "ntriples" => "application/n-triples",
        "json-ld" => "application/ld+json",
        "rdfxml" | "xml-rdf" => "application/rdf+xml",
        "html" => "text/html",
        _ => QueryResultsFormat::from_extension(&lower)
            .map(QueryResultsFormat::media_type)
            .or_else(|| RdfFormat::from_extension(&lower).map(RdfFormat::media_type))
            .map(without_parameters)?,
    })
}

/// The canonical media types a media type clients send under another name
/// may stand for (`application/json`, `text/xml`, `application/x-turtle`,
/// `text/plain`), from the upstream tables: a SPARQL results syntax and an
/// RDF syntax. `text/plain` is N-Triples only (not CSV).
fn canonical_media_types(media: &str) -> [Option<&'static str>; 2] {
    let results = QueryResultsFormat::from_media_type(media)
        .filter(|_| !media.eq_ignore_ascii_case("text/plain"))
        .map(|f| without_parameters(f.media_type()));
    let rdf = RdfFormat::from_media_type(media).map(|f| without_parameters(f.media_type()));
    [results, rdf]
}

/// A media type without its parameters (`text/csv; charset=utf-8` → `text/csv`).
fn without_parameters(media: &'static str) -> &'static str {
    media.split(';').next().unwrap_or(media).trim()
}

/// Media ranges of an Accept header, best first (quality, then order), without q=0.
pub fn accepted(accept: &str) -> Vec<String> {
    let mut ranges: Vec<(f32, usize, String)> = accept
        .split(',')
        .enumerate()
        .filter_map(|(i, part)| {
            let mut pieces = part.split(';');
            let media = pieces.next()?.trim().to_ascii_lowercase();
            let q = pieces
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            (!media.is_empty() && q > 0.0).then_some((q, i, media))
        })
        .collect();
    ranges.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    ranges.into_iter().map(|(_, _, m)| m).collect()
}

fn matches(range: &str, media: &str) -> bool {
    range == media
        || range == "*/*"
        || range
            .strip_suffix("/*")
            .is_some_and(|major| media.starts_with(&format!("{major}/")))
}

/// Picks a media type among `offered` for an Accept header or a `format` override.
/// `format` may be a short name (`json`, `ttl`), a media type, or several of
/// them separated by commas (some clients send a list, or the parameter twice):
/// the first one offered wins; when none is, the Accept header decides.
/// `None` means nothing acceptable (406).
pub fn choose<'a, T: Copy>(
    accept: Option<&str>,
    format: Option<&str>,
    offered: &'a [(&'a str, T)],
) -> Option<(&'a str, T)> {
    if let Some(format) = format {
        let found = format.split(',').find_map(|name| {
            let name = name.trim();
            let wanted = short_name(name).unwrap_or(name);
            offered
                .iter()
                .copied()
                .find(|(media, _)| media.eq_ignore_ascii_case(wanted))
        });
        if found.is_some() {
            return found;
        }
    }
    let Some(accept) = accept.filter(|a| !a.trim().is_empty()) else {
        return offered.first().copied();
    };
    for range in accepted(accept) {
        if let Some(found) = offered
            .iter()
            .copied()
            .find(|(media, _)| matches(&range, media))
        {
            return Some(found);
        }
        // Other names clients send for the syntaxes offered.
        for alias in canonical_media_types(&range).into_iter().flatten() {
            if let Some(found) = offered.iter().copied().find(|(media, _)| *media == alias) {
                return Some(found);
            }
        }
    }
    None
}

/// Whether a browser-like client prefers HTML over every RDF syntax.
pub fn prefers_html(accept: Option<&str>) -> bool {
    let Some(accept) = accept else { return false };
    for range in accepted(accept) {
        if range == "text/html" || range == "application/xhtml+xml" {
            return true;
        }
        if GRAPH_TYPES.iter().any(|(media, _)| matches(&range, media)) && range != "*/*" {
            return false;
        }
    }
    false
}

/// The media type for a file suffix (`.ttl`, `.nt`, `.jsonld`, `.rdf`, `.html`).
pub fn media_for_suffix(suffix: &str) -> Option<&'static str> {
    match suffix {
        "ttl" | "nt" | "jsonld" | "rdf" | "html" => short_name(suffix),
        _ => None,
    }
}

/// Triples in the RDF syntax a client asked for (a forced media type first,
/// else its `Accept`), with `Vary: Accept`; 406 when none fits.
pub fn rdf_response(triples: &[Triple], accept: Option<&str>, forced: Option<&str>) -> Response {
    let Some((media, format)) = choose(accept, forced, &GRAPH_TYPES) else {
        return error_response(
            StatusCode::NOT_ACCEPTABLE,
            "acceptable: text/turtle, application/n-triples, application/ld+json, application/rdf+xml, text/html",
        );
    };
    let mut body = Vec::new();
    let Ok(serializer) = chronograph_core::mapping::prefixed_serializer(format.rdf_format()) else {
        return error_response(
            StatusCode::INTERNAL_SERVER_ERROR,
            "bad namespace in the prefixes",
        );
    };
    let mut writer = serializer.for_writer(&mut body);
    for triple in triples {
        if writer.serialize_triple(triple).is_err() {
            return error_response(StatusCode::INTERNAL_SERVER_ERROR, "serialization failed");
        }
    }
    if writer.finish().is_err() {
        return error_response(StatusCode::INTERNAL_SERVER_ERROR, "serialization failed");
    }
    (
        [(header::CONTENT_TYPE, media), (header::VARY, "Accept")],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quality_and_order_decide() {
        let got = choose(
            Some("text/csv;q=0.5, application/sparql-results+xml"),
            None,
            &SOLUTION_TYPES,
        );
        assert_eq!(got.map(|g| g.0), Some("application/sparql-results+xml"));
        let got = choose(Some("application/json"), None, &SOLUTION_TYPES);
        assert_eq!(got.map(|g| g.0), Some("application/sparql-results+json"));
        assert!(choose(Some("image/png"), None, &SOLUTION_TYPES).is_none());
        assert_eq!(
            choose(None, Some("tsv"), &SOLUTION_TYPES).map(|g| g.0),
            Some("text/tab-separated-values")
        );
        assert_eq!(
            choose(Some("*/*"), None, &GRAPH_TYPES).map(|g| g.0),
            Some("text/turtle")
        );
    }

    #[test]
    fn the_offered_media_types_are_the_upstream_ones() {
        for (media, format) in SOLUTION_TYPES {
            let upstream = match format {
                SolutionsFormat::Json => QueryResultsFormat::Json,
                SolutionsFormat::Xml => QueryResultsFormat::Xml,
                SolutionsFormat::Csv => QueryResultsFormat::Csv,
                SolutionsFormat::Tsv => QueryResultsFormat::Tsv,
                SolutionsFormat::Table => unreachable!("not offered over HTTP"),
            };
            assert_eq!(media, without_parameters(upstream.media_type()));
        }
        for (media, format) in GRAPH_TYPES {
            assert_eq!(media, without_parameters(format.rdf_format().media_type()));
        }
        for (alias, offered, canonical) in [
            (
                "application/json",
                &SOLUTION_TYPES[..],
                "application/sparql-results+json",
            ),
            (
                "text/xml",
                &SOLUTION_TYPES[..],
                "application/sparql-results+xml",
            ),
        ] {
            assert_eq!(
                choose(Some(alias), None, offered).map(|g| g.0),
                Some(canonical)
            );
        }
        for (alias, canonical) in [
            ("application/x-turtle", "text/turtle"),
            ("text/plain", "application/n-triples"),
        ] {
            assert_eq!(
                choose(Some(alias), None, &GRAPH_TYPES).map(|g| g.0),
                Some(canonical)
            );
        }
        assert!(choose(Some("text/plain"), None, &SOLUTION_TYPES).is_none());
        assert_eq!(short_name("ttl"), Some("text/turtle"));
        assert_eq!(short_name("srj"), Some("application/sparql-results+json"));
        assert_eq!(short_name("xml"), Some("application/sparql-results+xml"));
        assert_eq!(short_name("rdf"), Some("application/rdf+xml"));
        assert_eq!(short_name("jsonld"), Some("application/ld+json"));
    }

    #[test]
    fn browsers_get_html_and_machines_rdf() {
        let firefox = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
        assert!(prefers_html(Some(firefox)));
        assert!(!prefers_html(Some("text/turtle, text/html;q=0.5")));
        assert!(!prefers_html(Some("*/*")));
        assert!(!prefers_html(None));
    }
}
