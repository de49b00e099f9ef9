//! RIS, the reference managers' exchange format (what the archive's "Export
//! RIS" links give): lines `TAG  - value`, one record from `TY  -` to `ER  -`,
//! each record read into a [`Document`].
//!
//! | tag | field |
//! |---|---|
//! | `TY` | `document_type` (the RIS type code as given, e.g. `GEN`) |
//! | `TI`, `T1` | `title` |
//! | `AU`, `A1` | `creators`, one per line, in order (authority headings kept as printed) |
//! | `A2`, `A3`, `A4` | `contributors` |
//! | `DA`, `Y1`, `PY` | `date` (`YYYY/MM/DD/other` read as `YYYY-MM-DD`, `YYYY-MM` or `YYYY`) |
//! | `AB`, `N2` | `summary` |
//! | `AV` | `citation` (the archive location, split like a page's source line) |
//! | `LA` | `languages` (one per line, also split on `;`) |
//! | `KW` | `subjects`, one per line |
//! | `UR` | `url`; a `/document/{digits}` URL gives the Record ID, another URL the slug |
//! | `ID` | `record_id` (wins over the URL's) |
//! | `N1` | `other_fields["Notes"]` |
//! | any other | `other_fields[tag]` |
//!
//! A line without a tag inside a record continues the previous value (joined
//! with a space). A second value of a single-valued field (a second title, a
//! `PY` beside a `DA`) is kept in `other_fields` under its tag, never dropped.
//! A record without a title or a date is rejected, so is a record cut off by
//! the end of the file or by the next `TY` before its `ER`; a non-blank line
//! outside any record is one rejection of its own. Records read = records
//! loaded + records rejected.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use super::jsonl::unparsed_dates;
use super::page_fields::parse_citation;
use super::text::{decode_page, decode_utf8, non_empty};
use super::{LocatedRecord, ReadError, ReadOptions, SourceBatch};
use crate::dates::HistoricalDate;
use crate::ids::slug;
use crate::model::{Document, EntityRef, Record};

/// A tag line: two characters (a capital letter, then a capital or a digit),
/// two spaces, a hyphen, and the value after one space (none for `ER  -`).
static TAG_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<tag>[A-Z][A-Z0-9])  -(?: (?P<value>.*))?$")
        .unwrap_or_else(|e| panic!("RIS tag regex: {e}"))
});

/// A RIS date: `YYYY/MM/DD/other`, every part after the year optional.
static RIS_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<y>\d{4})(?:/(?P<m>\d{1,2})?(?:/(?P<d>\d{1,2})?(?:/(?P<other>.*))?)?)?$")
        .unwrap_or_else(|e| panic!("RIS date regex: {e}"))
});

/// One tag and its value (continuation lines already joined).
#[derive(Debug)]
struct Field {
    tag: String,
    value: String,
}

/// A record being read: where its `TY` was, its fields, what went wrong.
#[derive(Debug)]
struct OpenRecord {
    line: usize,
    fields: Vec<Field>,
    bytes: usize,
    error: Option<ReadError>,
}

impl OpenRecord {
    fn new(line: usize, type_code: &str) -> Self {
        Self {
            line,
            fields: vec![Field {
                tag: "TY".to_owned(),
                value: type_code.to_owned(),
            }],
            bytes: 0,
            error: None,
        }
    }

    /// The record's id as far as its fields tell (for rejections).
    fn id_hint(&self) -> Option<String> {
        let value = |tags: &[&str]| {
            self.fields
                .iter()
                .find(|f| tags.contains(&f.tag.as_str()))
                .and_then(|f| non_empty(&f.value))
        };
        value(&["ID"]).or_else(|| {
            value(&["UR"])
                .and_then(|u| url_keys(&u).0)
                .or_else(|| value(&["TI", "T1"]).map(|t| slug(&t)))
        })
    }
}

/// Reads every record of a RIS file into the batch.
pub fn read_ris(batch: &mut SourceBatch, bytes: &[u8], options: &ReadOptions) {
    // Empty and binary files are one rejection; invalid UTF-8 is found line by line below.
    match decode_page(bytes, usize::MAX) {
        Err(ReadError::InvalidUtf8 { .. }) | Ok(_) => {}
        Err(error) => return batch.reject(None, None, error),
    }
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let mut open: Option<OpenRecord> = None;
    let mut offset = 0usize;
    let mut saw_tag = false;
    for (index, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        let line_no = index + 1;
        let line_offset = offset;
        offset += raw.len() + 1;
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        if let Some(record) = open.as_mut() {
            record.bytes += raw.len() + 1;
        }
        let line = match decode_utf8(raw) {
            Ok(line) => line,
            Err(ReadError::InvalidUtf8 { byte_offset, .. }) => {
                let error = ReadError::InvalidUtf8 {
                    byte_offset: line_offset + byte_offset,
                    line: line_no,
                };
                match open.as_mut() {
                    Some(record) => {
                        record.error.get_or_insert(error);
                    }
                    None => batch.reject(Some(line_no), None, error),
                }
                continue;
            }
            Err(other) => {
                batch.reject(Some(line_no), None, other);
                continue;
            }
        };
        if line.trim().is_empty() {
            continue;
        }
        let tagged = TAG_LINE.captures(line.trim_end()).map(|caps| {
            let tag = caps["tag"].to_owned();
            let value = caps.name("value").map_or("", |m| m.as_str()).trim();
            (tag, value.to_owned())
        });
        saw_tag |= tagged.is_some();
        let Some(record) = open.as_mut() else {
            let message = match &tagged {
                Some((tag, value)) if tag == "TY" => {
                    let mut record = OpenRecord::new(line_no, value);
                    record.bytes = raw.len() + 1;
                    open = Some(record);
                    continue;
                }
                Some((tag, _)) => format!(
                    "a `{tag}` line outside any record (a record starts with `TY  -` and ends with `ER  -`)"
                ),
                None if saw_tag => {
                    "a line outside any record (a record starts with `TY  -` and ends with `ER  -`)"
                        .to_owned()
                }
                None => "not a RIS tag line (`TAG  - value`, records from `TY  -` to `ER  -`)"
                    .to_owned(),
            };
            batch.reject(Some(line_no), None, ReadError::Ris(message));
            continue;
        };
        match tagged {
            Some((tag, value)) if tag == "TY" => {
                let error = ReadError::Ris(format!(
                    "the record that starts at line {} has no `ER  -` line before the next `TY  -` (line {line_no})",
                    record.line
                ));
                batch.reject(Some(record.line), record.id_hint(), error);
                let mut record = OpenRecord::new(line_no, &value);
                record.bytes = raw.len() + 1;
                open = Some(record);
            }
            Some((tag, _)) if tag == "ER" => {
                if let Some(record) = open.take() {
                    finish(batch, record, options);
                }
            }
            Some((tag, value)) => record.fields.push(Field { tag, value }),
            None => {
                // A record always has its TY field, so there is a value to continue.
                if let Some(field) = record.fields.last_mut() {
                    if !field.value.is_empty() {
                        field.value.push(' ');
                    }
                    field.value.push_str(line.trim());
                }
            }
        }
    }
    if let Some(cut) = open {
        let error = ReadError::Ris(format!(
            "the record that starts at line {} runs to the end of the file without its `ER  -` line",
            cut.line
        ));
        batch.reject(Some(cut.line), cut.id_hint(), error);
    }
}

/// Turns a record closed by its `ER` into a document, or a rejection.
fn finish(batch: &mut SourceBatch, record: OpenRecord, options: &ReadOptions) {
    let line = Some(record.line);
    if record.bytes > options.max_record_bytes {
        let error = ReadError::TooLarge {
            size: record.bytes,
            limit: options.max_record_bytes,
        };
        return batch.reject(line, record.id_hint(), error);
    }
    if let Some(error) = record.error.clone() {
        return batch.reject(line, record.id_hint(), error);
    }
    match ris_document(&record.fields) {
        Ok(document) => {
            let record = Record::Document(document);
            let id = record.id().map(str::to_owned);
            for message in unparsed_dates(&record) {
                batch.warn(line, id.clone(), message);
            }
            batch.records.push(LocatedRecord { record, line });
        }
        Err(error) => batch.reject(line, record.id_hint(), error),
    }
}

/// The document of a record's fields; fails when the title or the date is missing.
fn ris_document(fields: &[Field]) -> Result<Document, ReadError> {
    let mut doc = Document::default();
    let mut other: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut id_tag = None;
    let mut dates: Vec<(&str, String)> = Vec::new();
    for Field { tag, value } in fields {
        let Some(value) = non_empty(value) else {
            continue;
        };
        let mut keep =
            |key: &str, value: String| other.entry(key.to_owned()).or_default().push(value);
        match tag.as_str() {
            "TY" => doc.document_type = Some(value),
            "TI" | "T1" if doc.title.is_empty() => doc.title = value,
            "AU" | "A1" => push_ref(&mut doc.creators, value),
            "A2" | "A3" | "A4" => push_ref(&mut doc.contributors, value),
            "DA" | "Y1" | "PY" => dates.push((tag.as_str(), value)),
            "AB" | "N2" if doc.summary.is_none() => doc.summary = Some(value),
            "AV" if doc.citation.is_none() => doc.citation = Some(parse_citation(&value)),
            "LA" => {
                for language in value.split(';').filter_map(non_empty) {
                    push_unique(&mut doc.languages, language);
                }
            }
            "KW" => push_unique(&mut doc.subjects, value),
            "UR" if doc.url.is_none() => doc.url = Some(value),
            "ID" if id_tag.is_none() => id_tag = Some(value),
            "N1" => keep("Notes", value),
            // A line before any tag cannot happen (a record opens with TY); a
            // second title, summary, location, URL or ID is kept under its tag.
            _ => keep(tag.as_str(), value),
        }
    }
    if doc.title.is_empty() {
        return Err(ReadError::MissingField {
            field: "title",
            hint: "the record has no `TI` or `T1` line".to_owned(),
        });
    }
    // The most telling date first: DA (the full date), then Y1, then PY (a year).
    dates.sort_by_key(|(tag, _)| ["DA", "Y1", "PY"].iter().position(|t| t == tag));
    let mut dates = dates.into_iter();
    let Some((_, first)) = dates.next() else {
        return Err(ReadError::MissingField {
            field: "date",
            hint: "the record has no `DA`, `PY` or `Y1` line".to_owned(),
        });
    };
    let (date, rest) = ris_date(&first);
    doc.date = Some(date);
    if let Some(rest) = rest {
        // Words after the day ("1965/03/02/Spring"): the whole text stays.
        other.entry("DA".to_owned()).or_default().push(rest);
    }
    for (tag, value) in dates {
        let (date, _) = ris_date(&value);
        if !doc.date.as_ref().is_some_and(|d| covered_by(d, &date)) {
            other.entry(tag.to_owned()).or_default().push(value);
        }
    }
    let (url_record_id, url_slug) = doc.url.as_deref().map(url_keys).unwrap_or_default();
    doc.record_id = id_tag.or(url_record_id);
    doc.slug = url_slug;
    doc.id = doc.record_id.clone().unwrap_or_else(|| slug(&doc.title));
    doc.other_fields = other
        .into_iter()
        .map(|(key, values)| (key, values.join("; ")))
        .collect();
    Ok(doc)
}

/// Whether `other` says no more than `date` (a `PY  - 1965` beside a `DA  -
/// 1965/03/02/`): it covers every day `date` may mean, or is the same text.
fn covered_by(date: &HistoricalDate, other: &HistoricalDate) -> bool {
    match (
        date.earliest(),
        date.latest(),
        other.earliest(),
        other.latest(),
    ) {
        (Some(start), Some(end), Some(from), Some(to)) => from <= start && end <= to,
        _ => date.original == other.original,
    }
}

fn push_ref(refs: &mut Vec<EntityRef>, name: String) {
    if !refs.iter().any(|r| r.name == name) {
        refs.push(EntityRef::named(name));
    }
}

fn push_unique(items: &mut Vec<String>, item: String) {
    if !items.contains(&item) {
        items.push(item);
    }
}

/// A RIS date read as a [`HistoricalDate`]: `YYYY/MM/DD/other` becomes
/// `YYYY-MM-DD`, `YYYY-MM` or `YYYY` (empty or out-of-range parts drop the
/// parts after them) before parsing; any other text is parsed as it is. The
/// second value is the whole text when it had words after the day, which the
/// converted date leaves out.
pub fn ris_date(text: &str) -> (HistoricalDate, Option<String>) {
    let text = text.trim();
    let Some(caps) = RIS_DATE.captures(text) else {
        return (HistoricalDate::parse(text), None);
    };
    let number = |name: &str| caps.name(name).and_then(|m| m.as_str().parse::<u32>().ok());
    let year = &caps["y"];
    let month = number("m").filter(|m| (1..=12).contains(m));
    let day = number("d").filter(|d| (1..=31).contains(d));
    let converted = match (month, day) {
        (Some(m), Some(d)) => format!("{year}-{m:02}-{d:02}"),
        (Some(m), None) => format!("{year}-{m:02}"),
        (None, _) => year.to_owned(),
    };
    let mut date = HistoricalDate::parse(&converted);
    if !date.is_parsed() {
        // "1965/02/30/": the day does not exist; keep what the text says.
        date = HistoricalDate::parse(text);
    }
    let other = caps
        .name("other")
        .and_then(|m| non_empty(m.as_str()))
        .map(|_| text.to_owned());
    (date, other)
}

/// The Record ID and the slug a document URL gives: the last path segment of
/// `/document/{digits}` is the Record ID; another last segment gives the slug.
fn url_keys(url: &str) -> (Option<String>, Option<String>) {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let path = path
        .split_once("://")
        .map_or(path, |(_, rest)| rest.find('/').map_or("", |i| &rest[i..]));
    let mut segments = path.trim_end_matches('/').rsplit('/');
    let Some(last) = segments.next().filter(|s| !s.is_empty()) else {
        return (None, None);
    };
    let digits = last.bytes().all(|b| b.is_ascii_digit());
    if digits && segments.next() == Some("document") {
        (Some(last.to_owned()), None)
    } else if digits {
        (None, None)
    } else {
        (None, Some(slug(last)))
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::dates::{DateValue, Precision};
    use crate::sources::{read_source_bytes, ReadOptions};

    fn read(text: &str) -> SourceBatch {
        read_source_bytes(
            Path::new("export.ris"),
            text.as_bytes(),
            &ReadOptions::default(),
        )
    }

    fn document(batch: &SourceBatch, index: usize) -> &Document {
        match &batch.records[index].record {
            Record::Document(d) => d,
            other => panic!("not a document: {other:?}"),
        }
    }

    const THREE: &str = "TY  - GEN
TI  - Telegram, Chinese Embassy in North Korea, 'Transmittal of the
  Situation of the Soviet-Korean Talks'
AU  - Mao, Zedong
AU  - Japan. Foreign Ministry
A2  - Kraus, Charles
DA  - 1965/03/02/
PY  - 1965
AB  - Report to the Ministry of Foreign Affairs
on a North Korean student's description of the talks.
AV  - PRC FMA 109-02833-03, 38-40. Translated by Charles Kraus.
LA  - Chinese; English
KW  - Korean War
KW  - Sino-Soviet Split
UR  - https://digitalarchive.wilsoncenter.org/document/134905
N1  - Obtained for CWIHP.
PB  - History and Public Policy Program
ER  - 

TY  - GEN
AU  - Nobody, Anne
DA  - 1966///
ER  - 

TY  - RPRT
T1  - Memorandum on the Berlin Question
PY  - 1961///
ID  - 99018
UR  - https://digitalarchive.wilsoncenter.org/document/memorandum-berlin
ER  - 
";

    #[test]
    fn a_three_record_file_with_one_bad_record() {
        let batch = read(THREE);
        assert_eq!(batch.read_count(), 3);
        assert_eq!(batch.records.len(), 2, "{:?}", batch.rejections);
        assert_eq!(batch.rejections.len(), 1);
        let rejection = &batch.rejections[0];
        assert_eq!(rejection.location.line, Some(20));
        assert!(
            matches!(
                rejection.error,
                ReadError::MissingField { field: "title", .. }
            ),
            "{rejection}"
        );

        let first = document(&batch, 0);
        assert_eq!(batch.records[0].line, Some(1));
        assert_eq!(
            first.title,
            "Telegram, Chinese Embassy in North Korea, 'Transmittal of the Situation of the Soviet-Korean Talks'"
        );
        assert_eq!(first.document_type.as_deref(), Some("GEN"));
        assert_eq!(
            first.creators,
            vec![
                EntityRef::named("Mao, Zedong"),
                EntityRef::named("Japan. Foreign Ministry")
            ]
        );
        assert_eq!(first.contributors, vec![EntityRef::named("Kraus, Charles")]);
        let date = first.date.as_ref().unwrap();
        assert_eq!(date.original, "1965-03-02");
        assert_eq!(date.precision(), Precision::Day);
        assert_eq!(
            first.summary.as_deref(),
            Some("Report to the Ministry of Foreign Affairs on a North Korean student's description of the talks.")
        );
        let citation = first.citation.as_ref().unwrap();
        assert_eq!(
            citation.archive_signature.as_deref(),
            Some("PRC FMA 109-02833-03")
        );
        assert_eq!(citation.pages.as_deref(), Some("38-40"));
        assert_eq!(citation.translators, vec!["Charles Kraus"]);
        assert_eq!(first.languages, vec!["Chinese", "English"]);
        assert_eq!(first.subjects, vec!["Korean War", "Sino-Soviet Split"]);
        assert_eq!(first.record_id.as_deref(), Some("134905"));
        assert_eq!(first.id, "134905");
        assert_eq!(first.slug, None);
        assert_eq!(
            first.url.as_deref(),
            Some("https://digitalarchive.wilsoncenter.org/document/134905")
        );
        assert_eq!(first.other_fields["Notes"], "Obtained for CWIHP.");
        assert_eq!(
            first.other_fields["PB"],
            "History and Public Policy Program"
        );
        // The PY says what the DA says: not kept twice.
        assert!(!first.other_fields.contains_key("PY"));

        let third = document(&batch, 1);
        assert_eq!(batch.records[1].line, Some(25));
        assert_eq!(third.title, "Memorandum on the Berlin Question");
        assert_eq!(third.document_type.as_deref(), Some("RPRT"));
        assert_eq!(third.record_id.as_deref(), Some("99018"));
        assert_eq!(third.id, "99018");
        assert_eq!(third.slug.as_deref(), Some("memorandum-berlin"));
        assert_eq!(third.date.as_ref().unwrap().value, DateValue::Year(1961));
        assert!(batch.warnings.is_empty(), "{:?}", batch.warnings);
    }

    #[test]
    fn crlf_a_byte_order_mark_and_continuation_lines() {
        let text = "\u{feff}TY  - GEN\r\nTI  - A letter\r\n   in two lines\r\nY1  - 1950/07/\r\nKW  - Korean War\r\nER  -\r\n";
        let batch = read(text);
        assert!(batch.rejections.is_empty(), "{:?}", batch.rejections);
        let doc = document(&batch, 0);
        assert_eq!(doc.title, "A letter in two lines");
        assert_eq!(doc.id, "a-letter-in-two-lines");
        assert_eq!(
            doc.date.as_ref().unwrap().value,
            DateValue::Month {
                year: 1950,
                month: 7
            }
        );
        assert_eq!(doc.subjects, vec!["Korean War"]);
    }

    #[test]
    fn a_record_without_er_and_lines_outside_records_are_rejected_with_their_lines() {
        let text = "stray text\nTY  - GEN\nTI  - Cut off by the next TY\nPY  - 1950\nTY  - GEN\nTI  - Fine\nPY  - 1951\nER  - \nTI  - after the end\nTY  - GEN\nTI  - Runs to the end\nPY  - 1952\n";
        let batch = read(text);
        assert_eq!(batch.records.len(), 1);
        assert_eq!(document(&batch, 0).title, "Fine");
        let lines: Vec<Option<usize>> = batch.rejections.iter().map(|r| r.location.line).collect();
        assert_eq!(lines, vec![Some(1), Some(2), Some(9), Some(10)]);
        let messages: Vec<String> = batch
            .rejections
            .iter()
            .map(|r| r.error.to_string())
            .collect();
        assert!(messages[1].contains("before the next `TY"), "{messages:?}");
        assert!(
            messages[2].contains("`TI` line outside any record"),
            "{messages:?}"
        );
        assert!(messages[3].contains("end of the file"), "{messages:?}");
        assert_eq!(
            batch.rejections[3].location.record.as_deref(),
            Some("runs-to-the-end")
        );
        assert_eq!(batch.read_count(), 5);
    }

    #[test]
    fn ris_dates_become_iso_before_parsing() {
        let value = |text: &str| ris_date(text).0.value;
        assert_eq!(value("1965///"), DateValue::Year(1965));
        assert_eq!(value("1965"), DateValue::Year(1965));
        assert_eq!(
            value("1965/03//"),
            DateValue::Month {
                year: 1965,
                month: 3
            }
        );
        assert_eq!(ris_date("1965/03/02/").0.original, "1965-03-02");
        let (date, rest) = ris_date("1965/03/02/Spring session");
        assert_eq!(date.original, "1965-03-02");
        assert_eq!(rest.as_deref(), Some("1965/03/02/Spring session"));
        // Text that is no RIS date is parsed as it is.
        assert_eq!(ris_date("March 2, 1965").0.original, "March 2, 1965");
        assert!(ris_date("March 2, 1965").0.is_parsed());
        assert!(!ris_date("undated").0.is_parsed());
    }

    #[test]
    fn invalid_utf8_rejects_its_record_only_and_an_unparsed_date_warns() {
        let mut bytes = b"TY  - GEN\nTI  - Bad \xff byte\nPY  - 1950\nER  - \n".to_vec();
        bytes.extend_from_slice(b"TY  - GEN\nTI  - Undated\nDA  - sometime\nER  - \n");
        let batch = read_source_bytes(Path::new("x.ris"), &bytes, &ReadOptions::default());
        assert_eq!(batch.records.len(), 1);
        assert!(matches!(
            batch.rejections[0].error,
            ReadError::InvalidUtf8 { line: 2, .. }
        ));
        assert_eq!(batch.warnings.len(), 1, "{:?}", batch.warnings);
        assert!(batch.warnings[0].message.contains("sometime"));
        let empty = read_source_bytes(Path::new("x.ris"), b"\n \n", &ReadOptions::default());
        assert_eq!(empty.rejections[0].error, ReadError::Empty);
    }

    proptest::proptest! {
        /// Any mix of tag lines, continuations, stray text, CRLF and broken
        /// bytes reads without a panic, and every record and rejection has a line.
        #[test]
        fn any_ris_like_text_reads_without_panic(
            lines in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::string::string_regex("(TY|TI|T1|AU|DA|PY|AB|AV|LA|KW|UR|ID|N1|ER|ZZ)  - [ -~]{0,30}").unwrap(),
                    proptest::string::string_regex("[ -~]{0,30}").unwrap(),
                    proptest::strategy::Just("DA  - 1965/13/40/x".to_owned()),
                    proptest::strategy::Just("\u{feff}\r".to_owned()),
                ],
                0..40,
            ),
            bad_byte in proptest::option::of(0usize..400),
        ) {
            let mut bytes = lines.join("\n").into_bytes();
            if let Some(at) = bad_byte.filter(|at| *at < bytes.len()) {
                bytes[at] = 0xff;
            }
            let batch = read_source_bytes(Path::new("any.ris"), &bytes, &ReadOptions::default());
            proptest::prop_assert!(batch.records.iter().all(|r| r.line.is_some()));
            let lines = batch.rejections.iter().filter(|r| r.location.line.is_some()).count();
            // Only a file-level rejection (empty, binary) has no line.
            proptest::prop_assert!(lines == batch.rejections.len() || batch.rejections.len() == 1);
        }
    }
}
