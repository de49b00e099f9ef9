//! Turning a page's labelled fields into a [`Document`]: shared by the HTML and
//! the page-text readers, so both agree on what each label means.

use std::sync::LazyLock;

use regex::Regex;

use super::text::{non_empty, split_names};
use super::{ParsedPage, ReadError};
use crate::dates::HistoricalDate;
use crate::mapping::iri::slug;
use crate::model::{Citation, Document, EntityRef, Record};

/// The opening of the archive's funding line.
pub const FUNDING_PREFIX: &str = "This document was made possible with support from";

/// The fields of a document page as the page shows them, before interpretation.
#[derive(Debug, Default, Clone)]
pub struct DocumentFields {
    /// Title text.
    pub title: Option<String>,
    /// Date text.
    pub date: Option<String>,
    /// The funding line.
    pub funding_statement: Option<String>,
    /// Header fields as (label, value).
    pub header: Vec<(String, String)>,
    /// The serial line.
    pub serial_line: Option<String>,
    /// Main text.
    pub text: Option<String>,
    /// Summary.
    pub summary: Option<String>,
    /// Document Information blocks as (label, value).
    pub information: Vec<(String, String)>,
    /// People pills.
    pub people: Vec<EntityRef>,
    /// Place pills.
    pub places: Vec<EntityRef>,
    /// Organisation pills.
    pub organisations: Vec<EntityRef>,
    /// Author pills.
    pub authors: Vec<String>,
    /// Subject pills.
    pub subjects: Vec<String>,
    /// Funders named outside the Document Information blocks.
    pub funders: Vec<String>,
    /// Canonical URL.
    pub url: Option<String>,
    /// Drupal node id.
    pub node_id: Option<String>,
}

static SERIAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\(\d+\)\s*)?No\.\s*[\w\-/]+").unwrap_or_else(|e| panic!("serial regex: {e}"))
});
static PAGES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<sig>.+?),\s*(?:pp?\.\s*|ll?\.\s*)?(?P<pages>\d[\d\s\-–,]*?)$")
        .unwrap_or_else(|e| panic!("pages regex: {e}"))
});
static TRANSLATED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:obtained and )?translated(?: for [^.]*?)? by\s+(?P<who>[^.]+(?:\.[A-Z]\.?[^.]*)*)\.?\s*$")
        .unwrap_or_else(|e| panic!("translator regex: {e}"))
});

/// Builds the document record; fails only when the title or the date is missing.
pub fn build_document(fields: DocumentFields) -> Result<ParsedPage, ReadError> {
    let mut warnings = Vec::new();
    let title = fields.title.clone().ok_or(ReadError::MissingField {
        field: "title",
        hint: "the page has no title heading".to_owned(),
    })?;
    let date_text = fields.date.clone().ok_or(ReadError::MissingField {
        field: "date",
        hint: "the page has no document date".to_owned(),
    })?;
    let date = HistoricalDate::parse(&date_text);
    if !date.is_parsed() {
        warnings.push(format!("unparseable date `{date_text}` kept as text"));
    }
    let mut doc = Document {
        title,
        date: Some(date),
        funding_statement: fields.funding_statement.clone(),
        serial_line: fields.serial_line.clone(),
        serial: fields.serial_line.as_deref().and_then(parse_serial),
        text: fields.text.clone(),
        summary: fields.summary.clone(),
        people: fields.people.clone(),
        places: fields.places.clone(),
        organisations: fields.organisations.clone(),
        subjects: fields.subjects.clone(),
        url: fields.url.clone(),
        node_id: fields.node_id.clone(),
        slug: fields.url.as_deref().and_then(slug_from_url),
        sent_by: fields.authors.clone(),
        ..Document::default()
    };
    apply_header(&mut doc, &fields.header);
    apply_information(&mut doc, &fields.information, &mut warnings);
    let mut funders = fields.funders.clone();
    if funders.is_empty() {
        funders.extend(
            fields
                .funding_statement
                .as_deref()
                .and_then(funder_from_statement),
        );
    }
    funders.append(&mut doc.funders);
    doc.funders = dedup(funders);
    doc.sent_by = dedup(std::mem::take(&mut doc.sent_by));
    doc.id = doc.record_id.clone().unwrap_or_else(|| slug(&doc.title));
    Ok(ParsedPage {
        record: Record::Document(doc),
        warnings,
    })
}

fn dedup(items: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    items
        .into_iter()
        .filter(|i| seen.insert(i.clone()))
        .collect()
}

/// Normalises a field label: lowercase, no trailing colon, single spaces.
pub fn normalise_label(label: &str) -> String {
    non_empty(label)
        .unwrap_or_default()
        .trim_end_matches(':')
        .trim()
        .to_lowercase()
}

/// Whether a label is one of the header fields the readers know.
pub fn is_header_label(label: &str) -> bool {
    matches!(
        normalise_label(label).as_str(),
        "from" | "sent by" | "author" | "received by" | "to" | "level" | "classification"
    )
}

fn apply_header(doc: &mut Document, header: &[(String, String)]) {
    for (label, value) in header {
        match normalise_label(label).as_str() {
            "from" | "sent by" | "author" => doc.sent_by.extend(split_names(value)),
            "received by" | "to" => doc.received_by.extend(split_names(value)),
            "level" => doc.level = non_empty(value),
            "classification" => doc.classification = non_empty(value),
            _ => {
                doc.other_fields
                    .insert(label.trim_end_matches(':').trim().to_owned(), value.clone());
            }
        }
    }
}

fn apply_information(doc: &mut Document, blocks: &[(String, String)], warnings: &mut Vec<String>) {
    for (label, value) in blocks {
        match normalise_label(label).as_str() {
            "source" => doc.citation = Some(parse_citation(value)),
            "original archive" => doc.original_archive = non_empty(value),
            "rights" => doc.rights = Some(value.clone()),
            "language" | "languages" => {
                doc.languages = value.split([';', ',']).filter_map(non_empty).collect()
            }
            "original uploaded date" | "uploaded date" => {
                let date = HistoricalDate::parse(value);
                if !date.is_parsed() {
                    warnings.push(format!("unparseable uploaded date `{value}` kept as text"));
                }
                doc.uploaded = Some(date);
            }
            "record id" => doc.record_id = non_empty(value),
            "original classification" => doc.classification = non_empty(value),
            "donors" | "donor" | "funders" | "funder" => doc.funders.extend(split_names(value)),
            _ => {
                let key = if label.trim().is_empty() {
                    "(unlabelled)"
                } else {
                    label.trim()
                };
                doc.other_fields.insert(key.to_owned(), value.clone());
            }
        }
    }
}

/// The receiving serial ("(65) No. 123") inside a serial line.
pub fn parse_serial(line: &str) -> Option<String> {
    SERIAL.find(line).map(|m| m.as_str().trim().to_owned())
}

/// The funder named by a funding line, when it has the archive's wording.
pub fn funder_from_statement(statement: &str) -> Option<String> {
    let rest = statement.strip_prefix(FUNDING_PREFIX)?;
    non_empty(rest.trim_end_matches('.'))
}

/// The number in "(372) documents".
pub fn parse_document_count(text: &str) -> Option<u64> {
    let digits: String = text
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(|c| c.is_ascii_digit() || *c == ',')
        .filter(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// Splits a source citation into archive signature, pages and translators.
pub fn parse_citation(text: &str) -> Citation {
    let text = non_empty(text).unwrap_or_default();
    let (reference, translators) = match TRANSLATED.captures(&text) {
        Some(caps) => {
            let start = caps.get(0).map_or(text.len(), |m| m.start());
            let who = caps.name("who").map_or("", |m| m.as_str());
            (text[..start].to_owned(), split_translators(who))
        }
        None => (text.clone(), Vec::new()),
    };
    let reference = reference.trim().trim_end_matches('.').trim().to_owned();
    let (archive_signature, pages) = match PAGES.captures(&reference) {
        Some(caps) => (
            caps.name("sig").and_then(|m| non_empty(m.as_str())),
            caps.name("pages").and_then(|m| non_empty(m.as_str())),
        ),
        None => (non_empty(&reference), None),
    };
    Citation {
        text,
        archive_signature,
        pages,
        translators,
    }
}

fn split_translators(who: &str) -> Vec<String> {
    who.trim_end_matches('.')
        .split(" and ")
        .flat_map(|part| part.split(", "))
        .filter_map(non_empty)
        .collect()
}

fn slug_from_url(url: &str) -> Option<String> {
    let path = url.split(['?', '#']).next()?;
    let mut segments = path.trim_end_matches('/').rsplit('/');
    let last = segments.next()?;
    (segments.next() == Some("document"))
        .then(|| last.to_owned())
        .and_then(|s| non_empty(&s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn citation_of_seed_003_splits() {
        let c = parse_citation("PRC FMA 109-02833-03, 38-40. Translated by Charles Kraus.");
        assert_eq!(c.archive_signature.as_deref(), Some("PRC FMA 109-02833-03"));
        assert_eq!(c.pages.as_deref(), Some("38-40"));
        assert_eq!(c.translators, vec!["Charles Kraus"]);
    }

    #[test]
    fn citation_with_two_translators_and_no_pages() {
        let c = parse_citation(
            "AVPRF, fond 0102, opis 16. Translated by James Person and Jong-dae Shin.",
        );
        assert_eq!(
            c.archive_signature.as_deref(),
            Some("AVPRF, fond 0102, opis 16")
        );
        assert_eq!(c.pages, None);
        assert_eq!(c.translators, vec!["James Person", "Jong-dae Shin"]);
        let c = parse_citation("RGANI, f. 5, op. 30, d. 335, ll. 1-5.");
        assert_eq!(c.translators, Vec::<String>::new());
        assert_eq!(c.pages.as_deref(), Some("1-5"));
    }

    #[test]
    fn serial_count_and_funder() {
        assert_eq!(
            parse_serial("[North] Korea Desk Receiving Serial (65) No. 123").as_deref(),
            Some("(65) No. 123")
        );
        assert_eq!(parse_document_count("(372) documents"), Some(372));
        assert_eq!(parse_document_count("documents"), None);
        assert_eq!(
            funder_from_statement(
                "This document was made possible with support from Leon Levy Foundation"
            )
            .as_deref(),
            Some("Leon Levy Foundation")
        );
    }
}
