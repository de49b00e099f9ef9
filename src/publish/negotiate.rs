//! Content negotiation: an `Accept` header (or a `format` parameter) → a result syntax.

use crate::query::{GraphFormat, SolutionsFormat};

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

/// Short names accepted by the `format` parameter and file suffixes.
fn short_name(name: &str) -> Option<&'static str> {
    Some(match name.to_ascii_lowercase().as_str() {
        "json" | "srj" => "application/sparql-results+json",
        "xml" | "srx" => "application/sparql-results+xml",
        "csv" => "text/csv",
        "tsv" => "text/tab-separated-values",
        "turtle" | "ttl" | "n3" | "text/n3" => "text/turtle",
        "ntriples" | "nt" => "application/n-triples",
        "jsonld" | "json-ld" => "application/ld+json",
        "rdfxml" | "rdf" | "xml-rdf" => "application/rdf+xml",
        "html" => "text/html",
        _ => return None,
    })
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
        // Common aliases clients send.
        let alias = match range.as_str() {
            "application/json" => "application/sparql-results+json",
            "application/xml" | "text/xml" => "application/sparql-results+xml",
            "application/x-turtle" => "text/turtle",
            "text/plain" => "application/n-triples",
            _ => continue,
        };
        if let Some(found) = offered.iter().copied().find(|(media, _)| *media == alias) {
            return Some(found);
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
    fn browsers_get_html_and_machines_rdf() {
        let firefox = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
        assert!(prefers_html(Some(firefox)));
        assert!(!prefers_html(Some("text/turtle, text/html;q=0.5")));
        assert!(!prefers_html(Some("*/*")));
        assert!(!prefers_html(None));
    }
}
