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
        match reader.read_until(b'\n', &mut line) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => {
                // Whatever was read stays read; the rest of the file is one rejection.
                let error = ReadError::Io(format!("after line {line_no}: {e}"));
                batch.reject(Some(line_no + 1), None, error);
                return sink(batch);
            }
        }
        hasher.update(&line);
        line_no += 1;
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
