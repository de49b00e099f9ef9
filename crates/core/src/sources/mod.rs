//! Readers: saved pages (HTML or page text), JSON Lines, CSV and RIS files → typed records.
//!
//! Every reader turns one source file into a [`SourceBatch`]: the records it
//! read, each with the line it started on, and the records it rejected, each
//! with a [`ReadError`] saying why. Readers never panic and never drop input
//! silently: records read = records loaded + records rejected.

pub mod csv_records;
pub mod jsonl;
pub mod merge;
pub mod page_fields;
pub mod page_html;
pub mod page_text;
pub mod profile;
pub mod ris;
pub mod stream;
pub mod text;

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::model::Record;
pub use profile::{CompiledProfile, PageKind, PillRole, SiteProfile};

/// Default upper bound on one record's size in bytes (a page, a JSONL line, a CSV row).
pub const DEFAULT_MAX_RECORD_BYTES: usize = 4 * 1024 * 1024;

/// Why a source or one of its records could not be read.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum ReadError {
    /// The file could not be read at all.
    #[error("cannot read file: {0}")]
    Io(String),
    /// The file is empty.
    #[error("empty file")]
    Empty,
    /// The file holds bytes that are not UTF-8 text.
    #[error("invalid UTF-8 at byte {byte_offset} (line {line})")]
    InvalidUtf8 {
        /// Byte offset of the first invalid byte.
        byte_offset: usize,
        /// Line of the first invalid byte (1-based).
        line: usize,
    },
    /// The file looks binary (NUL bytes or a known binary signature).
    #[error("binary content, not a text page ({0})")]
    Binary(String),
    /// The file's extension names no format chronograph reads.
    #[error(
        "unsupported file type `{0}` (expected .html, .htm, .txt, .jsonl, .ndjson, .csv or .ris)"
    )]
    UnsupportedType(String),
    /// A record is larger than the configured limit.
    #[error("record of {size} bytes exceeds the limit of {limit} bytes (--max-record-bytes)")]
    TooLarge {
        /// Size seen (at least).
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// An HTML page ends before its closing `</html>`.
    #[error("truncated HTML: the page ends before its closing </html> tag")]
    TruncatedHtml,
    /// The page is neither a document page nor a person/collection page.
    #[error("not a document or person page: {0}")]
    NotAPage(String),
    /// A required field is missing or empty.
    #[error("missing {field}: {hint}")]
    MissingField {
        /// The field.
        field: &'static str,
        /// What was looked for.
        hint: String,
    },
    /// A JSON Lines line is not a valid record.
    #[error("invalid JSON record: {0}")]
    Json(String),
    /// A CSV row is not a valid record.
    #[error("invalid CSV row: {0}")]
    Csv(String),
    /// A RIS line or record is not valid (a line outside any record, a record without its `ER`).
    #[error("invalid RIS: {0}")]
    Ris(String),
    /// The same record id was read before.
    #[error("duplicate record id `{id}` (first read at {first})")]
    DuplicateId {
        /// The id.
        id: String,
        /// Where it was first read.
        first: String,
    },
    /// A site profile selector does not parse.
    #[error("site profile field `{field}`: bad selector `{selector}`: {message}")]
    BadSelector {
        /// Profile field.
        field: &'static str,
        /// The selector text.
        selector: String,
        /// The parser's message.
        message: String,
    },
    /// A site profile URL pattern is not a valid regular expression.
    #[error("site profile field `{field}`: bad URL pattern `{pattern}`: {message}")]
    BadPattern {
        /// Profile field.
        field: &'static str,
        /// The pattern.
        pattern: String,
        /// The parser's message.
        message: String,
    },
    /// A site profile file cannot be read or is not a valid profile.
    #[error("site profile {path}: {message}")]
    Profile {
        /// The profile file.
        path: String,
        /// What is wrong, with the line and the field.
        message: String,
    },
    /// A sidecar metadata file is not valid.
    #[error("sidecar {path}: {message}")]
    Sidecar {
        /// The sidecar's path.
        path: String,
        /// What is wrong.
        message: String,
    },
}

/// A record read from a source, with where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct LocatedRecord {
    /// The record.
    pub record: Record,
    /// 1-based line where the record starts (JSONL line, CSV row line); `None` for whole pages.
    pub line: Option<usize>,
}

/// Where a rejection or warning happened: a file, and a line or record when known.
#[derive(Debug, Clone, PartialEq)]
pub struct Location {
    /// The source file.
    pub path: PathBuf,
    /// 1-based line.
    pub line: Option<usize>,
    /// The record's id, when known.
    pub record: Option<String>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(record) = &self.record {
            write!(f, " (record `{record}`)")?;
        }
        Ok(())
    }
}

/// A record (or a whole file) that was not loaded, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejection {
    /// Where.
    pub location: Location,
    /// Why.
    pub error: ReadError,
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.error)
    }
}

/// Something worth a curator's attention in a record that was loaded anyway
/// (an unparseable date keeps its text and is reported here).
#[derive(Debug, Clone, PartialEq)]
pub struct Warning {
    /// Where.
    pub location: Location,
    /// What.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// Everything read from one source file.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceBatch {
    /// The file.
    pub path: PathBuf,
    /// Records read successfully, in file order.
    pub records: Vec<LocatedRecord>,
    /// Records (or the whole file) rejected.
    pub rejections: Vec<Rejection>,
    /// Warnings on records that were read.
    pub warnings: Vec<Warning>,
    /// SHA-256 of the file's bytes (hex), when it could be read.
    pub sha256: Option<String>,
    /// Where a harvested page came from (`None` for files given to `load`).
    pub origin: Option<WebOrigin>,
}

/// A harvested page's origin on the web, for its graph's name and provenance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebOrigin {
    /// The URL requested.
    pub url: String,
    /// The URL that answered (after redirects).
    pub final_url: String,
    /// When the response arrived (RFC 3339).
    pub fetched_at: String,
}

impl SourceBatch {
    fn new(path: &Path) -> Self {
        Self {
            path: path.to_path_buf(),
            records: Vec::new(),
            rejections: Vec::new(),
            warnings: Vec::new(),
            sha256: None,
            origin: None,
        }
    }

    /// Records the whole file as one rejected record.
    /// Takes in the next part of the same file (records, rejections and
    /// warnings after its own; its hash, when it has one).
    fn absorb(&mut self, part: SourceBatch) {
        self.records.extend(part.records);
        self.rejections.extend(part.rejections);
        self.warnings.extend(part.warnings);
        if part.sha256.is_some() {
            self.sha256 = part.sha256;
        }
    }

    fn reject_file(mut self, error: ReadError) -> Self {
        self.rejections.push(Rejection {
            location: Location {
                path: self.path.clone(),
                line: None,
                record: None,
            },
            error,
        });
        self
    }

    pub(crate) fn reject(&mut self, line: Option<usize>, record: Option<String>, error: ReadError) {
        self.rejections.push(Rejection {
            location: Location {
                path: self.path.clone(),
                line,
                record,
            },
            error,
        });
    }

    pub fn warn(&mut self, line: Option<usize>, record: Option<String>, message: String) {
        self.warnings.push(Warning {
            location: Location {
                path: self.path.clone(),
                line,
                record,
            },
            message,
        });
    }

    /// Records read from this source, loaded or rejected.
    pub fn read_count(&self) -> usize {
        self.records.len() + self.rejections.len()
    }
}

/// The format of a source file, chosen by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceFormat {
    /// A saved HTML page.
    Html,
    /// The visible text of a page.
    PageText,
    /// JSON Lines records.
    JsonLines,
    /// CSV records or an authority file.
    Csv,
    /// RIS records (reference-manager export), read as documents.
    Ris,
}

impl SourceFormat {
    /// The format for a path, or `None` for an extension chronograph does not read.
    pub fn for_path(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "html" | "htm" | "xhtml" => Some(Self::Html),
            "txt" | "text" => Some(Self::PageText),
            "jsonl" | "ndjson" => Some(Self::JsonLines),
            "csv" => Some(Self::Csv),
            "ris" => Some(Self::Ris),
            _ => None,
        }
    }
}

/// Options shared by all readers.
#[derive(Debug)]
pub struct ReadOptions {
    /// The site profile for HTML pages.
    pub profile: CompiledProfile,
    /// Upper bound on one record's size.
    pub max_record_bytes: usize,
    /// Subject name for person pages whose text lost it (`--subject`).
    pub subject: Option<String>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        Self {
            profile: CompiledProfile::default_profile(),
            max_record_bytes: DEFAULT_MAX_RECORD_BYTES,
            subject: None,
        }
    }
}

/// Whether a path is a sidecar that belongs to another source (not a source itself).
pub fn is_sidecar(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.ends_with(".meta.json"))
}

/// Reads one source file into a batch of records and rejections. Never panics.
pub fn read_source(path: &Path, options: &ReadOptions) -> SourceBatch {
    let batch = SourceBatch::new(path);
    let Some(format) = SourceFormat::for_path(path) else {
        let ext = path
            .extension()
            .map(|e| format!(".{}", e.to_string_lossy()))
            .unwrap_or_else(|| "(no extension)".to_owned());
        return batch.reject_file(ReadError::UnsupportedType(ext));
    };
    if format == SourceFormat::JsonLines {
        // Line by line, each checked against the limit before it is held.
        let mut whole = batch;
        let _: Result<(), std::convert::Infallible> = stream::stream_source(
            path,
            options,
            usize::MAX,
            stream::Wanted::All,
            &mut |part| {
                whole.absorb(part);
                Ok(())
            },
        );
        return whole;
    }
    if matches!(format, SourceFormat::Html | SourceFormat::PageText) {
        // A page is one record: one past the limit is not read at all.
        match fs::metadata(path) {
            Ok(meta) if meta.len() > options.max_record_bytes as u64 => {
                return batch.reject_file(ReadError::TooLarge {
                    size: usize::try_from(meta.len()).unwrap_or(usize::MAX),
                    limit: options.max_record_bytes,
                })
            }
            Ok(_) => {}
            Err(e) => return batch.reject_file(ReadError::Io(e.to_string())),
        }
    }
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => return batch.reject_file(ReadError::Io(e.to_string())),
    };
    read_bytes(batch, format, &bytes, options)
}

/// Reads a source from bytes already in memory (a harvested page, a test fixture).
pub fn read_source_bytes(path: &Path, bytes: &[u8], options: &ReadOptions) -> SourceBatch {
    let batch = SourceBatch::new(path);
    match SourceFormat::for_path(path) {
        Some(format) => read_bytes(batch, format, bytes, options),
        None => batch.reject_file(ReadError::UnsupportedType(path.display().to_string())),
    }
}

/// Reads a harvested HTML page. Rejections and warnings name the page by its
/// URL (kept as the batch's `path`).
pub fn read_web_page(origin: WebOrigin, bytes: &[u8], options: &ReadOptions) -> SourceBatch {
    let mut batch = SourceBatch::new(Path::new(&origin.url));
    batch.origin = Some(origin);
    read_bytes(batch, SourceFormat::Html, bytes, options)
}

fn read_bytes(
    mut batch: SourceBatch,
    format: SourceFormat,
    bytes: &[u8],
    options: &ReadOptions,
) -> SourceBatch {
    batch.sha256 = Some(text::sha256_hex(bytes));
    match format {
        SourceFormat::JsonLines => {
            jsonl::read_jsonl(&mut batch, bytes, options);
            batch
        }
        SourceFormat::Csv => {
            csv_records::read_csv(&mut batch, bytes, options);
            batch
        }
        SourceFormat::Ris => {
            ris::read_ris(&mut batch, bytes, options);
            batch
        }
        SourceFormat::Html | SourceFormat::PageText => {
            let text = match text::decode_page(bytes, options.max_record_bytes) {
                Ok(text) => text,
                Err(e) => return batch.reject_file(e),
            };
            let result = if format == SourceFormat::Html {
                page_html::parse_html_page(&text, &options.profile)
            } else {
                let sidecar = page_text::read_sidecar(&batch.path);
                sidecar.and_then(|sidecar| page_text::parse_text_page(&text, sidecar, options))
            };
            match result {
                Ok(parsed) => {
                    let id = parsed.record.id().map(str::to_owned);
                    for message in parsed.warnings {
                        batch.warn(None, id.clone(), message);
                    }
                    batch.records.push(LocatedRecord {
                        record: parsed.record,
                        line: None,
                    });
                }
                Err(e) => batch = batch.reject_file(e),
            }
            batch
        }
    }
}

/// A page parsed into one record, with warnings about fields kept as text.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedPage {
    /// The record.
    pub record: Record,
    /// Warnings (e.g. an unparseable date, kept as its original text).
    pub warnings: Vec<String>,
}

/// Lists the source files under the given paths (folders are walked, sorted, sidecars skipped).
pub fn collect_source_paths(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, ReadError> {
    let mut out = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let walker = walkdir::WalkDir::new(input).sort_by_file_name();
            for entry in walker {
                let entry = entry.map_err(|e| ReadError::Io(e.to_string()))?;
                let hidden = entry.file_name().to_string_lossy().starts_with('.');
                if entry.file_type().is_file() && !hidden && !is_sidecar(entry.path()) {
                    out.push(entry.into_path());
                }
            }
        } else if input.exists() {
            out.push(input.clone());
        } else {
            return Err(ReadError::Io(format!(
                "{}: no such file or folder",
                input.display()
            )));
        }
    }
    Ok(out)
}
