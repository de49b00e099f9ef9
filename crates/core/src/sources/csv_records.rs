//! CSV files: either records of the model (a `type` column, one record per row)
//! or an authority file of names and variants (`id,type,preferred_name,variants,...`).
//!
//! Multi-valued cells separate their values with `|`.

use serde::Deserialize;

use super::jsonl::unparsed_dates;
use super::page_fields::parse_citation;
use super::text::non_empty;
use super::{LocatedRecord, ReadError, ReadOptions, SourceBatch};
use crate::dates::HistoricalDate;
use crate::ids::slug;
use crate::model::{Citation, Document, EntityRef, Event, NamedEntity, Person, Record};

/// Columns a record CSV may have.
pub const RECORD_COLUMNS: [&str; 34] = [
    "type",
    "id",
    "record_id",
    "title",
    "date",
    "sent_by",
    "received_by",
    "level",
    "classification",
    "serial",
    "summary",
    "text",
    "citation",
    "archive_signature",
    "pages",
    "translators",
    "original_archive",
    "rights",
    "languages",
    "uploaded",
    "funders",
    "people",
    "places",
    "organisations",
    "subjects",
    "collections",
    "url",
    "name",
    "variants",
    "life_span",
    "region",
    "description",
    "documents",
    "funding_statement",
];

/// Columns an authority CSV may have.
pub const AUTHORITY_COLUMNS: [&str; 6] = [
    "id",
    "type",
    "preferred_name",
    "variants",
    "life_span",
    "description",
];

/// One row of a record CSV; every column optional except `type`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CsvRow {
    r#type: String,
    id: Option<String>,
    record_id: Option<String>,
    title: Option<String>,
    date: Option<String>,
    sent_by: Option<String>,
    received_by: Option<String>,
    level: Option<String>,
    classification: Option<String>,
    serial: Option<String>,
    summary: Option<String>,
    text: Option<String>,
    citation: Option<String>,
    archive_signature: Option<String>,
    pages: Option<String>,
    translators: Option<String>,
    original_archive: Option<String>,
    rights: Option<String>,
    languages: Option<String>,
    uploaded: Option<String>,
    funders: Option<String>,
    people: Option<String>,
    places: Option<String>,
    organisations: Option<String>,
    subjects: Option<String>,
    collections: Option<String>,
    url: Option<String>,
    name: Option<String>,
    variants: Option<String>,
    life_span: Option<String>,
    region: Option<String>,
    description: Option<String>,
    documents: Option<String>,
    funding_statement: Option<String>,
    preferred_name: Option<String>,
}

/// Reads a CSV file of records or an authority file into the batch.
pub fn read_csv(batch: &mut SourceBatch, bytes: &[u8], options: &ReadOptions) {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => return batch.reject(Some(1), None, ReadError::Csv(e.to_string())),
    };
    if headers.iter().all(str::is_empty) {
        return batch.reject(Some(1), None, ReadError::Empty);
    }
    let authority = headers.iter().any(|h| h == "preferred_name");
    let allowed: &[&str] = if authority {
        &AUTHORITY_COLUMNS
    } else {
        &RECORD_COLUMNS
    };
    let unknown: Vec<&str> = headers.iter().filter(|h| !allowed.contains(h)).collect();
    let missing_type = !headers.iter().any(|h| h == "type");
    if !unknown.is_empty() || missing_type {
        let message = if missing_type {
            "the header has no `type` column".to_owned()
        } else {
            format!(
                "unknown column(s) {} (expected some of: {})",
                unknown.join(", "),
                allowed.join(", ")
            )
        };
        return batch.reject(Some(1), None, ReadError::Csv(message));
    }
    for result in reader.records() {
        let row = match result {
            Ok(row) => row,
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize);
                batch.reject(line, None, ReadError::Csv(csv_message(&e)));
                continue;
            }
        };
        let line = row.position().map(|p| p.line() as usize);
        let id_column = headers.iter().position(|h| h == "id").unwrap_or(usize::MAX);
        let row_id = row.get(id_column).and_then(non_empty);
        if row.len() != headers.len() {
            let message = format!(
                "the row has {} fields but the header has {}",
                row.len(),
                headers.len()
            );
            batch.reject(line, row_id, ReadError::Csv(message));
            continue;
        }
        let size: usize = row.iter().map(str::len).sum();
        if size > options.max_record_bytes {
            let error = ReadError::TooLarge {
                size,
                limit: options.max_record_bytes,
            };
            batch.reject(line, None, error);
            continue;
        }
        let parsed = row
            .deserialize::<CsvRow>(Some(&headers))
            .map_err(|e| ReadError::Csv(csv_message(&e)))
            .and_then(|r| {
                if authority {
                    authority_record(r)
                } else {
                    csv_record(r)
                }
            });
        match parsed {
            Ok(record) => {
                let id = record.id().map(str::to_owned);
                for message in unparsed_dates(&record) {
                    batch.warn(line, id.clone(), message);
                }
                batch.records.push(LocatedRecord { record, line });
            }
            Err(error) => batch.reject(line, row_id, error),
        }
    }
}

fn csv_message(e: &csv::Error) -> String {
    e.to_string()
}

fn list(cell: &Option<String>) -> Vec<String> {
    cell.as_deref()
        .map(|c| c.split('|').filter_map(non_empty).collect())
        .unwrap_or_default()
}

fn entities(cell: &Option<String>) -> Vec<EntityRef> {
    list(cell).into_iter().map(EntityRef::named).collect()
}

fn text(cell: Option<String>) -> Option<String> {
    cell.and_then(|c| (!c.trim().is_empty()).then(|| c.trim().to_owned()))
}

fn date(cell: &Option<String>) -> Option<HistoricalDate> {
    cell.as_deref()
        .and_then(non_empty)
        .map(|d| HistoricalDate::parse(&d))
}

fn required(cell: Option<String>, field: &'static str) -> Result<String, ReadError> {
    text(cell).ok_or(ReadError::MissingField {
        field,
        hint: format!("the `{field}` cell is empty"),
    })
}

fn csv_record(row: CsvRow) -> Result<Record, ReadError> {
    match row.r#type.trim() {
        "document" => csv_document(row).map(Record::Document),
        "event" => Ok(Record::Event(Event {
            id: text(row.id),
            date: date(&row.date).ok_or(ReadError::MissingField { field: "date", hint: "the `date` cell is empty".into() })?,
            text: required(row.text, "text")?,
            people: entities(&row.people),
            places: entities(&row.places),
            organisations: entities(&row.organisations),
            documents: list(&row.documents),
        })),
        "person" => Ok(Record::Person(Person {
            id: text(row.id),
            name: required(row.name, "name")?,
            variants: list(&row.variants),
            life_span: date(&row.life_span),
            region: text(row.region),
            description: text(row.description),
        })),
        kind @ ("place" | "organisation" | "archive") => {
            let entity = NamedEntity {
                id: text(row.id),
                name: required(row.name, "name")?,
                variants: list(&row.variants),
                description: text(row.description),
            };
            Ok(match kind {
                "place" => Record::Place(entity),
                "organisation" => Record::Organisation(entity),
                _ => Record::Archive(entity),
            })
        }
        other => Err(ReadError::Csv(format!(
            "unknown type `{other}` (expected document, event, person, place, organisation or archive)"
        ))),
    }
}

fn csv_document(row: CsvRow) -> Result<Document, ReadError> {
    let title = required(row.title, "title")?;
    let record_id = text(row.record_id);
    let id = text(row.id)
        .or_else(|| record_id.clone())
        .unwrap_or_else(|| slug(&title));
    let citation = match text(row.citation) {
        Some(c) => Some(parse_citation(&c)),
        None => {
            let translators = list(&row.translators);
            let (sig, pages) = (text(row.archive_signature), text(row.pages));
            (sig.is_some() || pages.is_some() || !translators.is_empty()).then(|| Citation {
                text: [sig.clone(), pages.clone()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(", "),
                archive_signature: sig,
                pages,
                translators,
                ..Citation::default()
            })
        }
    };
    Ok(Document {
        id,
        record_id,
        title,
        date: date(&row.date),
        funding_statement: text(row.funding_statement),
        sent_by: list(&row.sent_by),
        received_by: list(&row.received_by),
        level: text(row.level),
        classification: text(row.classification),
        serial: text(row.serial),
        text: text(row.text),
        summary: text(row.summary),
        citation,
        original_archive: text(row.original_archive),
        rights: text(row.rights),
        languages: list(&row.languages),
        uploaded: date(&row.uploaded),
        funders: list(&row.funders),
        people: entities(&row.people),
        places: entities(&row.places),
        organisations: entities(&row.organisations),
        subjects: list(&row.subjects),
        collections: list(&row.collections),
        url: text(row.url),
        ..Document::default()
    })
}

fn authority_record(row: CsvRow) -> Result<Record, ReadError> {
    let id = required(row.id, "id")?;
    let name = required(row.preferred_name, "preferred_name")?;
    let variants = list(&row.variants);
    let description = text(row.description);
    match row.r#type.trim() {
        "person" => Ok(Record::Person(Person {
            id: Some(id),
            name,
            variants,
            life_span: date(&row.life_span),
            region: None,
            description,
        })),
        kind @ ("place" | "organisation" | "archive") => {
            let entity = NamedEntity {
                id: Some(id),
                name,
                variants,
                description,
            };
            Ok(match kind {
                "place" => Record::Place(entity),
                "organisation" => Record::Organisation(entity),
                _ => Record::Archive(entity),
            })
        }
        other => Err(ReadError::Csv(format!(
            "unknown authority type `{other}` (expected person, place, organisation or archive)"
        ))),
    }
}
