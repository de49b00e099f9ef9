//! JSON Lines: one [`Record`] per line, tagged by `"type"` (schema in docs/inputs.md).

use super::text::decode_utf8;
use super::{LocatedRecord, ReadError, ReadOptions, SourceBatch};
use crate::dates::HistoricalDate;
use crate::model::Record;

/// Reads every line of a JSON Lines file into the batch; bad lines are rejected with their line number.
pub fn read_jsonl(batch: &mut SourceBatch, bytes: &[u8], options: &ReadOptions) {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    for (index, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        read_jsonl_line(batch, index + 1, raw, options);
    }
}

/// Reads one line (without its `\n`) of a JSON Lines file into the batch: a
/// record, a rejection with the line number, or nothing for a blank line.
pub(crate) fn read_jsonl_line(
    batch: &mut SourceBatch,
    line_no: usize,
    raw: &[u8],
    options: &ReadOptions,
) {
    let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
    if raw.iter().all(u8::is_ascii_whitespace) {
        return;
    }
    if raw.len() > options.max_record_bytes {
        let error = ReadError::TooLarge {
            size: raw.len(),
            limit: options.max_record_bytes,
        };
        batch.reject(Some(line_no), None, error);
        return;
    }
    let line = match decode_utf8(raw) {
        Ok(line) => line,
        Err(ReadError::InvalidUtf8 { byte_offset, .. }) => {
            let error = ReadError::InvalidUtf8 {
                byte_offset,
                line: line_no,
            };
            batch.reject(Some(line_no), None, error);
            return;
        }
        Err(other) => {
            batch.reject(Some(line_no), None, other);
            return;
        }
    };
    if let Some(kind) = not_an_object(line) {
        let error = ReadError::Json(format!(
            "expected a JSON object with a \"type\", found {kind}"
        ));
        batch.reject(Some(line_no), None, error);
        return;
    }
    match serde_json::from_str::<Record>(line) {
        Ok(record) => {
            let id = record.id().map(str::to_owned);
            for message in unparsed_dates(&record) {
                batch.warn(Some(line_no), id.clone(), message);
            }
            batch.records.push(LocatedRecord {
                record,
                line: Some(line_no),
            });
        }
        Err(e) => {
            let id = record_id_of(line);
            batch.reject(Some(line_no), id, ReadError::Json(describe_json_error(&e)));
        }
    }
}

/// serde_json's message without its "at line 1 column N" suffix, with the column kept.
fn describe_json_error(e: &serde_json::Error) -> String {
    let message = e.to_string();
    let message = message
        .rsplit_once(" at line ")
        .map_or(message.as_str(), |(head, _)| head);
    match e.column() {
        0 => message.to_owned(),
        column => format!("{message} (column {column})"),
    }
}

/// What a line holds when it is not a JSON object (`None` when it starts like one).
fn not_an_object(line: &str) -> Option<&'static str> {
    match line.trim_start().chars().next()? {
        '{' => None,
        '[' => Some("an array"),
        '"' => Some("a string"),
        't' | 'f' => Some("a boolean"),
        'n' => Some("null"),
        c if c == '-' || c.is_ascii_digit() => Some("a number"),
        _ => Some("text that is not JSON"),
    }
}

/// The `id` of a line that failed to parse as a record, when it is at least a JSON object.
fn record_id_of(line: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(line).ok()?;
    match value.get("id")? {
        serde_json::Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// Warnings for dates in a record that did not parse (they are kept as text).
pub(crate) fn unparsed_dates(record: &Record) -> Vec<String> {
    let mut dates: Vec<(&str, &HistoricalDate)> = Vec::new();
    match record {
        Record::Document(d) => {
            dates.extend(d.date.iter().map(|x| ("date", x)));
            dates.extend(d.uploaded.iter().map(|x| ("uploaded date", x)));
        }
        Record::Event(e) => dates.push(("event date", &e.date)),
        Record::PersonPage(p) => {
            dates.extend(p.timeline.iter().map(|e| ("event date", &e.date)));
            dates.extend(
                p.cards
                    .iter()
                    .filter_map(|c| c.life_span.as_ref())
                    .map(|x| ("life span", x)),
            );
        }
        Record::Person(p) => dates.extend(p.life_span.iter().map(|x| ("life span", x))),
        _ => {}
    }
    dates
        .into_iter()
        .filter(|(_, d)| !d.is_parsed())
        .map(|(what, d)| format!("unparseable {what} `{}` kept as text", d.original))
        .collect()
}
