//! Reading a source in chunks, for loads too large to hold in memory.
//!
//! JSON Lines files stream from disk a line at a time, so a file of any size
//! is read in bounded memory; the other formats (pages, CSV) are small and are
//! read whole, as one chunk. Every chunk is a [`SourceBatch`] of the same file,
//! with the rejections and warnings of its own lines; the last chunk carries the
//! file's SHA-256.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::jsonl::read_jsonl_line;
use super::{read_source, ReadError, ReadOptions, SourceBatch, SourceFormat};
use crate::model::Record;

/// Which records a pass over the sources wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wanted {
    /// Every record, rejection and warning.
    All,
    /// Only the records that name entities (authority records and person pages),
    /// for the gazetteer; nothing else is parsed, counted or rejected.
    Names,
}

/// Whether a record gives names to the gazetteer (see [`crate::mentions::Gazetteer::from_records`]).
pub fn names_entities(record: &Record) -> bool {
    matches!(
        record,
        Record::Person(_)
            | Record::Place(_)
            | Record::Organisation(_)
            | Record::Archive(_)
            | Record::PersonPage(_)
    )
}

/// The `"type"` tags of the records [`names_entities`] accepts.
const NAMING_TYPES: [&str; 5] = ["person", "place", "organisation", "archive", "person_page"];

/// Just the `"type"` of a JSON Lines record, to skip the others without building them.
#[derive(Deserialize)]
struct TypeOnly<'a> {
    #[serde(rename = "type", borrow)]
    kind: std::borrow::Cow<'a, str>,
}

/// Reads one source in chunks of at most `chunk_records` records and hands each
/// chunk to `sink`, in file order. Every source gives at least one chunk (the
/// last, with the file's SHA-256 when it could be read); a file that cannot be
/// read gives one chunk holding its rejection. Stops at the first error of `sink`.
pub fn stream_source<E>(
    path: &Path,
    options: &ReadOptions,
    chunk_records: usize,
    wanted: Wanted,
    sink: &mut dyn FnMut(SourceBatch) -> Result<(), E>,
) -> Result<(), E> {
    if SourceFormat::for_path(path) != Some(SourceFormat::JsonLines) {
        let mut batch = read_source(path, options);
        if wanted == Wanted::Names {
            batch.records.retain(|r| names_entities(&r.record));
        }
        return sink(batch);
    }
    let chunk_records = chunk_records.max(1);
    let file = match File::open(path) {
        Ok(file) => file,
        Err(e) => return sink(SourceBatch::new(path).reject_file(ReadError::Io(e.to_string()))),
    };
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut hasher = Sha256::new();
    let mut batch = SourceBatch::new(path);
    let mut line = Vec::with_capacity(1 << 16);
    let mut line_no = 0usize;
    loop {
        line.clear();
        // A line past the limit is hashed and skipped, never held whole.
        let keep = options.max_record_bytes.saturating_add(2);
        let length = match read_bounded_line(&mut reader, &mut line, keep, &mut hasher) {
            Ok(None) => break,
            Ok(Some(length)) => length,
            Err(e) => {
                // Whatever was read stays read; the rest of the file is one rejection.
                let error = ReadError::Io(format!("after line {line_no}: {e}"));
                batch.reject(Some(line_no + 1), None, error);
                return sink(batch);
            }
        };
        line_no += 1;
        if length > line.len() {
            let error = ReadError::TooLarge {
                size: length,
                limit: options.max_record_bytes,
            };
            if wanted == Wanted::All {
                batch.reject(Some(line_no), None, error);
            }
            continue;
        }
        let mut raw = line.strip_suffix(b"\n").unwrap_or(&line);
        if line_no == 1 {
            raw = raw.strip_prefix(b"\xef\xbb\xbf").unwrap_or(raw);
        }
        if wanted == Wanted::Names && !names_entities_line(raw) {
            continue;
        }
        read_jsonl_line(&mut batch, line_no, raw, options);
        if wanted == Wanted::Names {
            batch.rejections.clear();
            batch.warnings.clear();
        }
        if batch.records.len() >= chunk_records {
            let full = std::mem::replace(&mut batch, SourceBatch::new(path));
            sink(full)?;
        }
    }
    batch.sha256 = Some(hex::encode(hasher.finalize()));
    sink(batch)
}

/// Reads the next line (through its `\n`) into `line`, hashing every byte,
/// but keeps at most `keep` bytes of it: the rest of a longer line is read
/// and hashed in the reader's buffer-sized pieces, never gathered. Returns
/// the line's whole length (more than `line.len()` when it was cut), or
/// `None` at the end of the file.
fn read_bounded_line(
    reader: &mut impl BufRead,
    line: &mut Vec<u8>,
    keep: usize,
    hasher: &mut Sha256,
) -> std::io::Result<Option<usize>> {
    let mut length = 0usize;
    loop {
        let buffer = reader.fill_buf()?;
        if buffer.is_empty() {
            return Ok((length > 0).then_some(length));
        }
        let (piece, ends) = match buffer.iter().position(|&b| b == b'\n') {
            Some(end) => (&buffer[..=end], true),
            None => (buffer, false),
        };
        hasher.update(piece);
        length += piece.len();
        if line.len() + piece.len() <= keep {
            line.extend_from_slice(piece);
        } else if line.len() < keep {
            // Over the limit: what is kept no longer matters.
            line.clear();
            line.shrink_to(1 << 16);
        }
        let consumed = piece.len();
        reader.consume(consumed);
        if ends {
            return Ok(Some(length));
        }
    }
}

/// Whether a JSON Lines line is a record that names entities (judged by its
/// `"type"` alone; lines that are not JSON objects are not).
fn names_entities_line(raw: &[u8]) -> bool {
    serde_json::from_slice::<TypeOnly<'_>>(raw)
        .is_ok_and(|t| NAMING_TYPES.contains(&t.kind.as_ref()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(text: &str, chunk: usize, wanted: Wanted) -> Vec<SourceBatch> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("records.jsonl");
        std::fs::write(&path, text).unwrap();
        let mut out = Vec::new();
        stream_source(&path, &ReadOptions::default(), chunk, wanted, &mut |b| {
            out.push(b);
            Ok::<_, ()>(())
        })
        .unwrap();
        out
    }

    const LINES: &str = "\u{feff}{\"type\":\"person\",\"id\":\"p1\",\"name\":\"Kim Il Sung\"}\n\
        {\"type\":\"event\",\"id\":\"e1\",\"date\":\"1950\",\"text\":\"x\"}\n\
        \n\
        not json\n\
        {\"type\":\"place\",\"id\":\"pl1\",\"name\":\"Pyongyang\"}\r\n\
        {\"type\":\"event\",\"id\":\"e2\",\"date\":\"1951\",\"text\":\"y\"}";

    #[test]
    fn chunks_read_what_the_whole_file_reads() {
        let whole = {
            let mut b = SourceBatch::new(Path::new("x.jsonl"));
            super::super::jsonl::read_jsonl(&mut b, LINES.as_bytes(), &ReadOptions::default());
            b
        };
        let parts = chunks(LINES, 2, Wanted::All);
        assert_eq!(parts.len(), 3, "2 + 2 records, then the rest");
        let records: Vec<_> = parts.iter().flat_map(|b| b.records.clone()).collect();
        let rejections: Vec<_> = parts.iter().flat_map(|b| b.rejections.clone()).collect();
        assert_eq!(records, whole.records);
        assert_eq!(rejections.len(), 1);
        assert_eq!(rejections[0].location.line, Some(4));
        assert_eq!(rejections[0].error, whole.rejections[0].error);
        assert!(parts[..2].iter().all(|b| b.sha256.is_none()));
        assert_eq!(
            parts[2].sha256.as_deref(),
            Some(super::super::text::sha256_hex(LINES.as_bytes()).as_str())
        );
    }

    #[test]
    fn the_names_pass_keeps_only_naming_records() {
        let parts = chunks(LINES, 100, Wanted::Names);
        let ids: Vec<_> = parts
            .iter()
            .flat_map(|b| &b.records)
            .map(|r| r.record.id().unwrap().to_owned())
            .collect();
        assert_eq!(ids, ["p1", "pl1"]);
        assert!(parts.iter().all(|b| b.rejections.is_empty()));
    }

    #[test]
    fn a_line_past_the_limit_is_rejected_without_being_held() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("records.jsonl");
        let huge = format!(
            "{{\"type\":\"document\",\"id\":\"d2\",\"title\":\"{}\"}}",
            "x".repeat(5 << 20)
        );
        let text = format!(
            "{{\"type\":\"document\",\"id\":\"d1\",\"title\":\"One\"}}\n{huge}\n{{\"type\":\"document\",\"id\":\"d3\",\"title\":\"Three\"}}\n"
        );
        std::fs::write(&path, &text).unwrap();
        let options = ReadOptions {
            max_record_bytes: 1 << 20,
            ..ReadOptions::default()
        };
        let mut batches = Vec::new();
        let _: Result<(), std::convert::Infallible> =
            stream_source(&path, &options, 100, Wanted::All, &mut |b| {
                batches.push(b);
                Ok(())
            });
        let records: usize = batches.iter().map(|b| b.records.len()).sum();
        let rejections: Vec<_> = batches.iter().flat_map(|b| &b.rejections).collect();
        assert_eq!(records, 2);
        assert_eq!(rejections.len(), 1, "{rejections:?}");
        let shown = format!("{:?}", rejections[0]);
        assert!(
            shown.contains("TooLarge") && shown.contains("Some(2)"),
            "{shown}"
        );
        // The file's hash covers every byte, the skipped line's included.
        let expected = hex::encode(Sha256::digest(text.as_bytes()));
        assert_eq!(
            batches.last().unwrap().sha256.as_deref(),
            Some(expected.as_str())
        );
    }

    /// A page file past the record limit is refused from its size alone:
    /// a sparse file of 64 GiB would otherwise be read whole into memory.
    #[test]
    fn a_page_file_past_the_limit_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("huge.html");
        let file = std::fs::File::create(&path).unwrap();
        file.set_len(64 << 30).unwrap();
        drop(file);
        let batch = read_source(&path, &ReadOptions::default());
        assert!(batch.records.is_empty());
        let shown = format!("{:?}", batch.rejections);
        assert!(shown.contains("TooLarge"), "{shown}");
    }

    #[test]
    fn a_missing_file_is_one_rejection() {
        let mut out = Vec::new();
        stream_source(
            Path::new("/nonexistent/records.jsonl"),
            &ReadOptions::default(),
            10,
            Wanted::All,
            &mut |b| {
                out.push(b);
                Ok::<_, ()>(())
            },
        )
        .unwrap();
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].rejections.len(), 1);
    }
}
