//! Turning a page's labelled fields into a [`Document`]: shared by the HTML and
//! the page-text readers, so both agree on what each label means.

use std::sync::LazyLock;

use regex::Regex;

use super::text::{non_empty, split_names};
use super::{ParsedPage, ReadError};
use crate::dates::HistoricalDate;
use crate::ids::slug;
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
    /// Names of a list mixing people and bodies, not typed yet.
    pub agents: Vec<EntityRef>,
    /// Author pills.
    pub creators: Vec<EntityRef>,
    /// Document contributor pills (the main participants).
    pub contributors: Vec<EntityRef>,
    /// Subject pills.
    pub subjects: Vec<String>,
    /// Language pills.
    pub languages: Vec<String>,
    /// Holding-archive pills.
    pub archives: Vec<String>,
    /// Pills under headings the profile does not know, as (heading, names).
    pub unknown_lists: Vec<(String, Vec<String>)>,
    /// Link to the document's PDF.
    pub pdf_url: Option<String>,
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
    // Pages are the last part: after `pp.`/`ll.` a list ("pp. 12, 15-17"),
    // without them one number or range ("33-38", not "202-0-12, 33-38").
    Regex::new(
        r"^(?P<sig>.+?),\s*(?:(?:pp?|ll?)\.\s*(?P<listed>\d[\d\s\-–,]*)|(?P<pages>\d[\d\s\-–]*))$",
    )
    .unwrap_or_else(|e| panic!("pages regex: {e}"))
});
/// Where the credits of a source line begin: the first role word that opens a
/// sentence or follows a semicolon ("Contributed by", "Obtained by", "Translated by").
static CREDITS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:^|[.;]\s+)(?P<start>(?:contributed|obtained|transcribed|translated|edited)\b)",
    )
    .unwrap_or_else(|e| panic!("credits regex: {e}"))
});
/// A role word inside a credit clause.
static ROLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(contributed|obtained|transcribed|translated|edited)\b")
        .unwrap_or_else(|e| panic!("role regex: {e}"))
});
/// Where one credit clause ends and the next begins inside a `;`-separated
/// part: ` and ` before a role word ("Contributed by X and translated by Y");
/// the next clause starts at the role word.
static CLAUSE_BREAK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i),?\s+and\s+(?:(?:was|were)\s+)?(?P<next>contributed|obtained|transcribed|translated|edited)\b")
        .unwrap_or_else(|e| panic!("clause regex: {e}"))
});
/// Words that make the first part of a source line the holding archive's name.
const ARCHIVE_WORDS: [&str; 11] = [
    "archive",
    "archives",
    "ministry",
    "library",
    "institute",
    "center",
    "centre",
    "museum",
    "office",
    "collection",
    "foundation",
];

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
        creators: dedup_refs(fields.creators.clone()),
        contributors: dedup_refs(fields.contributors.clone()),
        agents: dedup_refs(fields.agents.clone()),
        pdf_url: fields.pdf_url.clone(),
        ..Document::default()
    };
    apply_header(&mut doc, &fields.header);
    apply_information(&mut doc, &fields.information, &mut warnings);
    doc.languages.extend(fields.languages.iter().cloned());
    doc.languages = dedup(std::mem::take(&mut doc.languages));
    let mut archives = fields.archives.iter();
    if doc.original_archive.is_none() {
        doc.original_archive = archives.next().cloned();
    }
    for other in archives.filter(|a| doc.original_archive.as_ref() != Some(*a)) {
        warnings.push(format!(
            "a second original archive `{other}` kept as a page field (the record has one holding archive)"
        ));
        doc.other_fields
            .entry("Original Archive".to_owned())
            .and_modify(|v| {
                v.push_str("; ");
                v.push_str(other);
            })
            .or_insert_with(|| other.clone());
    }
    for (heading, names) in &fields.unknown_lists {
        warnings.push(format!(
            "pills under the unknown heading `{heading}` ({} name(s)) kept as a page field, not typed; add the heading to the profile's pill_roles",
            names.len()
        ));
        doc.other_fields.insert(heading.clone(), names.join("; "));
    }
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

/// The items in order, each name once (the first kept).
fn dedup_by_name<T>(items: Vec<T>, name: impl Fn(&T) -> &str) -> Vec<T> {
    let mut seen = std::collections::HashSet::new();
    items
        .into_iter()
        .filter(|i| seen.insert(name(i).to_owned()))
        .collect()
}

fn dedup_refs(items: Vec<EntityRef>) -> Vec<EntityRef> {
    dedup_by_name(items, |r| &r.name)
}

fn dedup(items: Vec<String>) -> Vec<String> {
    dedup_by_name(items, String::as_str)
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
            "type" | "document type" => doc.document_type = non_empty(value),
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

/// Splits a source line into archive, signature, pages and credits:
/// `{archive}, {signature}, {pages}. Contributed by X and translated by Y.`
/// Each part is optional; the credits may also read "Obtained by X; translated
/// and edited by Y" or "Contributed, transcribed, and translated by X".
pub fn parse_citation(text: &str) -> Citation {
    let text = non_empty(text).unwrap_or_default();
    let credits_at = CREDITS
        .captures(&text)
        .and_then(|c| c.name("start"))
        .map_or(text.len(), |m| m.start());
    let mut citation = Citation {
        text: text.clone(),
        ..Citation::default()
    };
    read_credits(&text[credits_at..], &mut citation);
    let reference = text[..credits_at]
        .trim()
        .trim_end_matches(['.', ';'])
        .trim();
    let (reference, pages) = match PAGES.captures(reference) {
        Some(caps) => (
            caps.name("sig").map_or(reference, |m| m.as_str()),
            caps.name("listed")
                .or_else(|| caps.name("pages"))
                .and_then(|m| non_empty(m.as_str())),
        ),
        None => (reference, None),
    };
    citation.pages = pages;
    let (archive, signature) = match reference.split_once(", ") {
        Some((first, rest)) if names_an_archive(first) => (non_empty(first), non_empty(rest)),
        _ if names_an_archive(reference) && !reference.contains(',') => {
            (non_empty(reference), None)
        }
        _ => (None, non_empty(reference)),
    };
    citation.archive = archive;
    citation.archive_signature = signature;
    citation
}

/// Whether a part of a source line is an archive's name: words, no digits, one
/// of them a word institutions are named with.
fn names_an_archive(part: &str) -> bool {
    !part.chars().any(|c| c.is_ascii_digit())
        && part
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| ARCHIVE_WORDS.contains(&w.to_lowercase().as_str()))
}

/// Reads the credit clauses of a source line into the citation's roles.
fn read_credits(credits: &str, citation: &mut Citation) {
    let credits = credits.trim().trim_end_matches('.');
    let mut pending_roles: Vec<String> = Vec::new();
    for clause in credit_clauses(credits) {
        let (roles_part, names_part) = match clause.rsplit_once(" by ") {
            Some((roles, names)) => (roles, Some(names)),
            None => (clause, None),
        };
        pending_roles.extend(
            ROLE.find_iter(roles_part)
                .map(|m| m.as_str().to_lowercase()),
        );
        let Some(names_part) = names_part else {
            continue;
        };
        let names = split_translators(names_part);
        for role in pending_roles.drain(..) {
            let list = match role.as_str() {
                "contributed" | "obtained" => &mut citation.contributors,
                "transcribed" => &mut citation.transcribers,
                "translated" => &mut citation.translators,
                _ => &mut citation.editors,
            };
            for name in &names {
                if !list.contains(name) {
                    list.push(name.clone());
                }
            }
        }
    }
}

/// The clauses of a source line's credits: split at `;` and at ` and `
/// before a role word.
fn credit_clauses(credits: &str) -> Vec<&str> {
    let mut clauses = Vec::new();
    for part in credits.split(';') {
        let mut start = 0;
        for caps in CLAUSE_BREAK.captures_iter(part) {
            let (Some(whole), Some(next)) = (caps.get(0), caps.name("next")) else {
                continue;
            };
            clauses.push(part[start..whole.start()].trim());
            start = next.start();
        }
        clauses.push(part[start..].trim());
    }
    clauses.retain(|c| !c.is_empty());
    clauses
}

fn split_translators(who: &str) -> Vec<String> {
    who.trim_end_matches('.')
        .split(" and ")
        .flat_map(|part| part.split(", "))
        .map(|name| name.trim().trim_start_matches("and ").trim())
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
    fn live_source_lines_split_into_archive_signature_pages_and_credits() {
        let c = parse_citation(
            "Diplomatic Archives of the Ministry of Foreign Affairs of Japan, 2014-4152, pp. 1-12. Contributed by Yutaka Kanda and translated by Stephen Mercado.",
        );
        assert_eq!(
            c.archive.as_deref(),
            Some("Diplomatic Archives of the Ministry of Foreign Affairs of Japan")
        );
        assert_eq!(c.archive_signature.as_deref(), Some("2014-4152"));
        assert_eq!(c.pages.as_deref(), Some("1-12"));
        assert_eq!(c.contributors, vec!["Yutaka Kanda"]);
        assert_eq!(c.translators, vec!["Stephen Mercado"]);
        let c = parse_citation(
            "National Archives of Korea, 725.1JA, 1965. Obtained by Charles Kraus; translated and edited by Jong-dae Shin and Lin Wei.",
        );
        assert_eq!(c.contributors, vec!["Charles Kraus"]);
        assert_eq!(c.translators, vec!["Jong-dae Shin", "Lin Wei"]);
        assert_eq!(c.editors, vec!["Jong-dae Shin", "Lin Wei"]);
        assert_eq!(c.archive.as_deref(), Some("National Archives of Korea"));
        let c = parse_citation(
            "RGANI, f. 5, op. 30, d. 335. Contributed, transcribed, and translated by Sergey Radchenko.",
        );
        assert_eq!(c.archive, None);
        assert_eq!(
            c.archive_signature.as_deref(),
            Some("RGANI, f. 5, op. 30, d. 335")
        );
        assert_eq!(c.contributors, vec!["Sergey Radchenko"]);
        assert_eq!(c.transcribers, vec!["Sergey Radchenko"]);
        assert_eq!(c.translators, vec!["Sergey Radchenko"]);
        assert!(c.editors.is_empty());
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
