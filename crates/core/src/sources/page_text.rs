//! The visible text of a saved or copied page (one block per line), for both
//! document pages and person/collection pages.
//!
//! Plain text has lost the markup, so fields are recognised by their labels and
//! shapes: a leading date line, `Label: value` header lines, the "Document
//! Information" section, life-span lines, "(N) documents", date/paragraph pairs.
//! Person names lost with the markup come from a sidecar `{file}.meta.json`.

use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;

use super::page_fields::{self, is_header_label, DocumentFields, FUNDING_PREFIX};
use super::text::{non_empty, squash_whitespace};
use super::{ParsedPage, ReadError, ReadOptions};
use crate::dates::{HistoricalDate, Precision};
use crate::ids::slug;
use crate::model::{Event, PageKind, PersonCard, PersonPage, Record};

static LIFE_SPAN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\d{3,4}\s*[-–]\s*\d{3,4}|\d{3,4}\s*[-–]|[-–]\s*\d{3,4}|[-–])$")
        .unwrap_or_else(|e| panic!("life span regex: {e}"))
});
static DOCUMENT_COUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\(\s*[\d,]+\s*\)\s*documents?$").unwrap_or_else(|e| panic!("count regex: {e}"))
});

/// Labels of the "Document Information" section that stand on a line of their own.
const INFORMATION_LABELS: [&str; 10] = [
    "Source",
    "Original Archive",
    "Rights",
    "Language",
    "Original Uploaded Date",
    "Original Classification",
    "Record ID",
    "Donors",
    "Funders",
    "Original Language Title",
];

/// Names the text form lost, supplied in a sidecar `{file}.meta.json`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sidecar {
    /// The page subject's name.
    #[serde(default)]
    pub subject: Option<String>,
    /// Index of the subject's card in page order.
    #[serde(default)]
    pub subject_card: Option<usize>,
    /// Card names in page order (`null` where unknown).
    #[serde(default)]
    pub card_names: Vec<Option<String>>,
    /// Where the page was published.
    #[serde(default)]
    pub url: Option<String>,
    /// "person" or "collection".
    #[serde(default)]
    pub page_kind: Option<PageKind>,
}

/// Reads the sidecar of a page file, if there is one.
pub fn read_sidecar(page: &Path) -> Result<Option<Sidecar>, ReadError> {
    let mut name = page.as_os_str().to_owned();
    name.push(".meta.json");
    let path = Path::new(&name);
    if !path.exists() {
        return Ok(None);
    }
    let error = |message: String| ReadError::Sidecar {
        path: path.display().to_string(),
        message,
    };
    let bytes = std::fs::read(path).map_err(|e| error(e.to_string()))?;
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|e| error(e.to_string()))
}

/// Parses a page's text into a document or person-page record.
pub fn parse_text_page(
    text: &str,
    sidecar: Option<Sidecar>,
    options: &ReadOptions,
) -> Result<ParsedPage, ReadError> {
    let squashed: Vec<String> = text.lines().map(squash_whitespace).collect();
    let lines: Vec<&str> = squashed
        .iter()
        .map(String::as_str)
        .filter(|l| !l.is_empty() && !l.eq_ignore_ascii_case("skip to content"))
        .collect();
    if lines.is_empty() {
        return Err(ReadError::Empty);
    }
    let looks_like_person_page = lines
        .iter()
        .take(40)
        .any(|l| LIFE_SPAN.is_match(l) || DOCUMENT_COUNT.is_match(l));
    if looks_like_person_page {
        parse_person_text(&lines, sidecar.unwrap_or_default(), options)
    } else {
        parse_document_text(&lines, sidecar.and_then(|s| s.url))
    }
}

fn is_date_line(line: &str) -> bool {
    line.len() < 60 && HistoricalDate::parse(line).is_parsed()
}

fn parse_document_text(lines: &[&str], url: Option<String>) -> Result<ParsedPage, ReadError> {
    let mut fields = DocumentFields {
        url,
        ..DocumentFields::default()
    };
    let mut rest = lines;
    if let Some((first, tail)) = rest.split_first() {
        if is_date_line(first) {
            fields.date = Some((*first).to_owned());
            rest = tail;
        }
    }
    let Some((title, tail)) = rest.split_first() else {
        return Err(ReadError::MissingField {
            field: "title",
            hint: "the page text has nothing after its date".to_owned(),
        });
    };
    if fields.date.is_none() && !looks_like_document_text(lines) {
        return Err(ReadError::NotAPage(
            "the text starts with neither a date nor a person card and has no Document Information section"
                .to_owned(),
        ));
    }
    fields.title = Some((*title).to_owned());
    rest = tail;
    if let Some(line) = rest.first().filter(|l| l.starts_with(FUNDING_PREFIX)) {
        fields.funding_statement = Some((*line).to_owned());
        rest = &rest[1..];
    }
    while let Some(line) = rest.first() {
        if let Some((label, value)) = line.split_once(':').filter(|(l, _)| is_header_label(l)) {
            fields
                .header
                .push((label.to_owned(), value.trim().to_owned()));
        } else if line.len() < 160
            && line.contains("Serial")
            && page_fields::parse_serial(line).is_some()
        {
            fields.serial_line = Some((*line).to_owned());
        } else {
            break;
        }
        rest = &rest[1..];
    }
    let info_at = rest
        .iter()
        .position(|l| l.eq_ignore_ascii_case("Document Information"));
    let (body, info) = match info_at {
        Some(at) => (&rest[..at], &rest[at + 1..]),
        None => (rest, &[][..]),
    };
    let (summary, body) = match (info_at, body.split_last()) {
        (Some(_), Some((summary, body))) => (Some((*summary).to_owned()), body),
        _ => (None, body),
    };
    fields.summary = summary;
    fields.text = (!body.is_empty()).then(|| body.join("\n\n"));
    read_information_section(info, &mut fields);
    page_fields::build_document(fields)
}

fn looks_like_document_text(lines: &[&str]) -> bool {
    lines
        .iter()
        .any(|l| l.eq_ignore_ascii_case("Document Information"))
}

/// The section after "Document Information": the citation, the rights paragraphs,
/// labelled values, and the funders' line at the end.
fn read_information_section(info: &[&str], fields: &mut DocumentFields) {
    let mut iter = info.iter().peekable();
    let is_label = |line: &str| {
        INFORMATION_LABELS
            .iter()
            .any(|l| l.eq_ignore_ascii_case(line))
    };
    if let Some(first) = iter.next_if(|l| !is_label(l)) {
        fields
            .information
            .push(("Source".to_owned(), (*first).to_owned()));
    }
    let mut rights = Vec::new();
    while let Some(line) = iter.next_if(|l| !is_label(l)) {
        rights.push(*line);
    }
    if !rights.is_empty() {
        fields
            .information
            .push(("Rights".to_owned(), rights.join("\n\n")));
    }
    let mut trailing = Vec::new();
    while let Some(label) = iter.next() {
        let mut values = Vec::new();
        while let Some(line) = iter.next_if(|l| !is_label(l)) {
            values.push(*line);
        }
        let value_fits = |v: &&str| match label.to_ascii_lowercase().as_str() {
            "record id" => v.chars().all(|c| c.is_ascii_digit()),
            "original uploaded date" => is_date_line(v),
            _ => true,
        };
        let split = values
            .iter()
            .position(|v| !value_fits(v))
            .unwrap_or(values.len());
        if split > 0 {
            fields
                .information
                .push(((*label).to_owned(), values[..split].join("\n\n")));
        }
        trailing = values[split..].to_vec();
    }
    // Lines left after the last labelled value are the funders' footer.
    fields
        .funders
        .extend(trailing.iter().filter_map(|l| non_empty(l)));
}

fn parse_person_text(
    lines: &[&str],
    sidecar: Sidecar,
    options: &ReadOptions,
) -> Result<ParsedPage, ReadError> {
    let mut warnings = Vec::new();
    let timeline_at = (0..lines.len())
        .find(|&i| is_timeline_date(lines[i]) && lines.get(i + 1).is_some_and(|n| !is_date_line(n)))
        .unwrap_or(lines.len());
    let mut cards: Vec<PersonCard> = Vec::new();
    // Each "(N) documents" with the card it follows.
    let mut counts: Vec<(usize, u64)> = Vec::new();
    for line in &lines[..timeline_at] {
        if DOCUMENT_COUNT.is_match(line) {
            if let Some(count) = page_fields::parse_document_count(line) {
                if cards.is_empty() {
                    // A count before any card is a card of its own.
                    cards.push(PersonCard::default());
                }
                counts.push((cards.len() - 1, count));
            }
        } else if LIFE_SPAN.is_match(line) {
            let span = (!line.trim_matches(['-', '–', ' ']).is_empty())
                .then(|| HistoricalDate::parse(line));
            if let Some(span) = span.as_ref().filter(|s| !s.is_parsed()) {
                warnings.push(format!(
                    "unparseable life span `{}` kept as text",
                    span.original
                ));
            }
            cards.push(PersonCard {
                life_span: span,
                ..PersonCard::default()
            });
        } else {
            match cards.last_mut() {
                Some(card) if card.region.is_none() => card.region = Some((*line).to_owned()),
                _ => cards.push(PersonCard {
                    region: Some((*line).to_owned()),
                    ..PersonCard::default()
                }),
            }
        }
    }
    let timeline = parse_timeline(&lines[timeline_at..], &mut warnings)?;
    for (card, name) in cards.iter_mut().zip(&sidecar.card_names) {
        card.name = name.clone();
    }
    let subject = options.subject.clone().or(sidecar.subject.clone());
    if let (Some(i), Some(name)) = (sidecar.subject_card, &subject) {
        if let Some(card) = cards.get_mut(i) {
            card.name.get_or_insert_with(|| name.clone());
        }
    }
    let subject_card = sidecar.subject_card.filter(|&i| i < cards.len());
    let document_count = assign_document_counts(&mut cards, &counts, subject_card);
    let id = subject.as_deref().map(slug).unwrap_or_else(|| {
        let first = lines.first().copied().unwrap_or("page");
        format!("page-{}", slug(first))
    });
    let record = PersonPage {
        id,
        page_kind: sidecar.page_kind.unwrap_or_default(),
        subject,
        subject_card,
        cards,
        document_count,
        timeline,
        url: sidecar.url,
    };
    Ok(ParsedPage {
        record: Record::PersonPage(record),
        warnings,
    })
}

/// Gives each "(N) documents" to the card it follows and returns the page's
/// own count: the subject card's. A page with a single count whose subject card
/// is another card shows its own count near the top (the seed's layout): that
/// count is the page's, not the card's.
fn assign_document_counts(
    cards: &mut [PersonCard],
    counts: &[(usize, u64)],
    subject_card: Option<usize>,
) -> Option<u64> {
    if let ([(card, count)], Some(subject)) = (counts, subject_card) {
        if *card != subject {
            return Some(*count);
        }
    }
    for (card, count) in counts {
        if let Some(card) = cards.get_mut(*card) {
            card.document_count = Some(*count);
        }
    }
    match (subject_card, counts) {
        (Some(i), _) => cards.get(i).and_then(|c| c.document_count),
        (None, [(_, count)]) => Some(*count),
        (None, _) => None,
    }
}

fn is_timeline_date(line: &str) -> bool {
    let date = HistoricalDate::parse(line);
    date.is_parsed() && !LIFE_SPAN.is_match(line) && date.precision() != Precision::Unknown
}

fn parse_timeline(lines: &[&str], warnings: &mut Vec<String>) -> Result<Vec<Event>, ReadError> {
    let mut events: Vec<Event> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let date_line = lines[i];
        let text_lines: Vec<&str> = lines[i + 1..]
            .iter()
            .take_while(|l| !is_timeline_date(l))
            .copied()
            .collect();
        if text_lines.is_empty() {
            return Err(ReadError::MissingField {
                field: "event text",
                hint: format!(
                    "timeline entry {} (`{date_line}`) has no paragraph",
                    events.len() + 1
                ),
            });
        }
        let date = HistoricalDate::parse(date_line);
        if !date.is_parsed() {
            warnings.push(format!("unparseable event date `{date_line}` kept as text"));
        }
        events.push(Event {
            date,
            text: text_lines.join("\n\n"),
            ..Event::default()
        });
        i += 1 + text_lines.len();
    }
    Ok(events)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person_page(text: &str, sidecar: Sidecar) -> PersonPage {
        match parse_text_page(text, Some(sidecar), &ReadOptions::default()) {
            Ok(ParsedPage {
                record: Record::PersonPage(page),
                ..
            }) => page,
            other => panic!("not a person page: {other:?}"),
        }
    }

    const TIMELINE: &str =
        "April 14, 1969\nSoviet leader Leonid Brezhnev sought the help of Kim Il Sung.\n";

    #[test]
    fn each_document_count_belongs_to_the_card_it_follows() {
        let text = format!(
            "1912- 1994\nEast Asia\n(372) documents\n1893-1976\nEast Asia\n(611) documents\n1894- 1971\nEastern Europe\n(1,208) documents\n-\n{TIMELINE}"
        );
        let page = person_page(
            &text,
            Sidecar {
                subject: Some("Kim Il Sung".into()),
                subject_card: Some(0),
                ..Sidecar::default()
            },
        );
        let counts: Vec<Option<u64>> = page.cards.iter().map(|c| c.document_count).collect();
        assert_eq!(counts, vec![Some(372), Some(611), Some(1208), None]);
        assert_eq!(page.document_count, Some(372));
        // The subject card decides the page's count, wherever it stands.
        let page = person_page(
            &text,
            Sidecar {
                subject_card: Some(1),
                ..Sidecar::default()
            },
        );
        assert_eq!(page.document_count, Some(611));
        assert_eq!(page.cards[2].document_count, Some(1208));
    }

    #[test]
    fn a_single_count_away_from_the_subject_card_is_the_pages_own() {
        // The seed's layout: a related card, the page's count, then the subject card.
        let text = format!(
            "1893-1976\nEastern Europe\n(372) documents\n1912- 1994\nEast Asia\n{TIMELINE}"
        );
        let page = person_page(
            &text,
            Sidecar {
                subject_card: Some(1),
                ..Sidecar::default()
            },
        );
        assert_eq!(page.document_count, Some(372));
        assert!(page.cards.iter().all(|c| c.document_count.is_none()));
    }
}
