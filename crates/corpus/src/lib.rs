//! A deterministic generator of synthetic corpora in the archive's structure,
//! so that benchmarks and tests run on the same data everywhere
//! (`chronograph gen-corpus`).
//!
//! [`write_corpus`] writes, into one folder:
//!
//! - `authority.csv`: the people (names with variants: transliterations,
//!   initials, reversed order, diacritics, typos; life spans; descriptions), plus
//!   the places, organisations and holding archives the documents name;
//! - with [`CorpusFormat::Jsonl`], `documents-0001.jsonl`, … (at most
//!   [`RECORDS_PER_FILE`] documents each) and `events-0001.jsonl`, …;
//! - with [`CorpusFormat::Html`], one document page per document
//!   (`documents/000/200001.html`, at most [`PAGES_PER_FOLDER`] per folder) in
//!   the archive's markup, and one person page per person (`people/{id}.html`)
//!   whose timeline carries the events that name the person;
//! - `.corpus.json`, a hidden note of the options (readers skip hidden files).
//!
//! Both formats hold the same content: a document page reads back to exactly the
//! record of the JSON Lines file, a timeline event to the same date, text and
//! documents. Every record is drawn from its own random stream, seeded from the
//! seed, the kind of record and its number, so the same options give
//! byte-identical files (on any 64-bit platform: draws use no math-library
//! function) whatever the number of cores, documents are generated in
//! chunks on every core and written in order, and an event can look at the
//! document it cites without keeping documents in memory: memory stays constant
//! apart from the people and a few bytes per event (measured: 69 MB peak for a
//! million documents, 200,000 events and 20,000 people). Output is streamed
//! through buffered writers.
//!
//! What the data looks like: dates over 1945–1991 in every form and precision
//! the date parser reads (days, months, years, approximate dates, ranges), text
//! lengths drawn from a log-normal distribution (median about 3.7 KB, a long
//! tail up to some hundred KB), people chosen by a Zipf-like popularity and only
//! while they were active, events naming two to four people and citing the
//! document that mentions them. Names in text and titles use a person's
//! preferred name or one of their variants; every variant names exactly one
//! entity (variants two entities would share are left out of the authority), so
//! the mention finder links every name it meets to the intended person.
//!
//! The vocabulary (nations, places, organisations, archives, naming cultures,
//! phrases, text templates, date forms) is kept in plain text files in the
//! crate's `data/` folder (tab-separated tables and a small subset of TOML, each
//! with a header comment on its columns), compiled in and read once; the order
//! of their rows is the order of the draws, so editing them changes the corpus
//! every seed gives.

mod data;
mod dates;
mod documents;
mod events;
mod html;
mod names;
mod random;
mod tables;
mod templates;
mod text;
mod world;
mod write;

#[cfg(test)]
mod tests;

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use thiserror::Error;

use chronograph_core::model::Record;

use crate::events::GenEvent;
use crate::templates::Templates;
use crate::world::World;
use crate::write::{
    check, document_chunk, in_parallel, prepare_output, worker_threads, write_authority, Chunk,
    JsonlSink, Written, CHUNK,
};

/// At most this many records go into one JSON Lines file (`documents-0001.jsonl`, …):
/// each file is one source graph and one transaction when loaded.
pub const RECORDS_PER_FILE: usize = 100_000;

/// At most this many document pages go into one folder (`documents/000/`, …).
pub const PAGES_PER_FOLDER: usize = 1_000;

/// The most events shown on one person page's timeline (an event naming several
/// people is shown on each of their pages while there is room, and always on at
/// least one page).
pub const TIMELINE_CAP: usize = 250;

/// The record id of the first document (ids are consecutive from here).
pub const FIRST_RECORD_ID: u64 = 200_001;

/// The fewest people a corpus can have (some are translators; events name two or more).
pub const MIN_PEOPLE: usize = 4;

/// The most people a corpus can have.
pub const MAX_PEOPLE: usize = 2_000_000;

/// The first and last year of the documents and events.
pub const YEARS: (i32, i32) = (1945, 1991);

const SITE: &str = "https://digitalarchive.wilsoncenter.org";
const MARKER: &str = ".corpus.json";

/// Which files the corpus is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CorpusFormat {
    /// The archive's HTML pages: document pages and person pages.
    Html,
    /// JSON Lines records: documents and events.
    Jsonl,
}

impl CorpusFormat {
    /// The format's name on the command line: `html` or `jsonl`.
    pub fn as_str(&self) -> &'static str {
        match self {
            CorpusFormat::Html => "html",
            CorpusFormat::Jsonl => "jsonl",
        }
    }
}

impl fmt::Display for CorpusFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusOptions {
    /// Documents (records, or document pages).
    pub documents: usize,
    /// People in the authority file, a few of them translators (at least [`MIN_PEOPLE`]).
    pub people: usize,
    /// Dated events, each naming two to four people.
    pub events: usize,
    /// The seed: the same options give byte-identical files; another seed, other data.
    pub seed: u64,
    /// JSON Lines records or HTML pages.
    pub format: CorpusFormat,
}

/// What was written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CorpusSummary {
    /// Files written (the authority file, the data files and the hidden options note).
    pub files: usize,
    /// Documents.
    pub documents: usize,
    /// People (each a `cg:Person` once loaded).
    pub people: usize,
    /// Events.
    pub events: usize,
    /// Bytes written, all files together.
    pub bytes: u64,
}

/// Why a corpus could not be written.
#[derive(Debug, Error)]
pub enum CorpusError {
    /// A file or folder could not be created or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The error.
        #[source]
        source: io::Error,
    },
    /// The output folder holds other files than an earlier corpus.
    #[error(
        "{}: the folder is not empty and holds no earlier corpus (no {MARKER}); give an empty or new folder",
        .0.display()
    )]
    NotEmpty(PathBuf),
    /// The options cannot make a corpus.
    #[error("invalid corpus options: {0}")]
    Options(String),
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> CorpusError + '_ {
    move |source| CorpusError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes a corpus into `out` (created if missing; an earlier corpus there is
/// replaced, a folder with other files is refused) and says what was written.
///
/// The same options give byte-identical files. See the module documentation for
/// the files and what they hold.
pub fn write_corpus(options: &CorpusOptions, out: &Path) -> Result<CorpusSummary, CorpusError> {
    check(options)?;
    prepare_output(out)?;
    let world = World::new(options);
    let templates = Templates::new();
    let mut written = Written::default();
    write_authority(&world, out, &mut written)?;

    // Documents, generated in chunks on every core and written in order; counted
    // per person (the documents that name them or that they translated).
    let mut counts = vec![0u32; world.people.len()];
    if options.format == CorpusFormat::Html {
        for folder in 0..options.documents.div_ceil(PAGES_PER_FOLDER) {
            let path = out.join("documents").join(format!("{folder:03}"));
            fs::create_dir_all(&path).map_err(io_error(&path))?;
        }
    }
    let mut jsonl = JsonlSink::new(out, "documents");
    let work = |chunk: usize| document_chunk(&world, options, &templates, out, chunk);
    let chunks = options.documents.div_ceil(CHUNK);
    in_parallel(chunks, worker_threads(), work, |done: Chunk| {
        for p in done.people {
            counts[p as usize] += 1;
        }
        match options.format {
            CorpusFormat::Jsonl => jsonl.write_lines(&done.lines, done.records, &mut written),
            CorpusFormat::Html => {
                written.files += done.files;
                written.bytes += done.bytes;
                Ok(())
            }
        }
    })?;
    jsonl.finish(&mut written)?;

    // Events: each unique by date and text (so that pages, which give no ids, keep them apart).
    let mut seen: HashSet<u64> = HashSet::with_capacity(options.events);
    // Per event, the attempt that made it unique (pages draw events again from it).
    let mut attempts: Vec<u8> = Vec::new();
    let mut timelines: Vec<Vec<u32>> = match options.format {
        CorpusFormat::Html => vec![Vec::new(); world.people.len()],
        CorpusFormat::Jsonl => Vec::new(),
    };
    let mut jsonl = JsonlSink::new(out, "events");
    for index in 0..options.events {
        let mut attempt = 0u8;
        let event = loop {
            let event = world.event(options, index, attempt, &templates);
            if seen.insert(event.key()) || attempt == u8::MAX {
                break event;
            }
            attempt += 1;
        };
        match options.format {
            CorpusFormat::Jsonl => jsonl.write(
                &Record::Event(world.event_record(index, &event)),
                &mut written,
            )?,
            CorpusFormat::Html => {
                attempts.push(attempt);
                let mut shown = false;
                for &p in &event.people {
                    if timelines[p].len() < TIMELINE_CAP {
                        timelines[p].push(index as u32);
                        shown = true;
                    }
                }
                if !shown {
                    let least = event
                        .people
                        .iter()
                        .copied()
                        .min_by_key(|&p| (timelines[p].len(), p))
                        .unwrap_or(0);
                    timelines[least].push(index as u32);
                }
            }
        }
    }
    jsonl.finish(&mut written)?;

    // Person pages.
    if options.format == CorpusFormat::Html {
        let folder = out.join("people");
        fs::create_dir_all(&folder).map_err(io_error(&folder))?;
        let mut page = String::new();
        for (p, events) in timelines.iter().enumerate() {
            let mut timeline: Vec<(u32, u32, GenEvent)> = events
                .iter()
                .map(|&i| {
                    let event = world.event(options, i as usize, attempts[i as usize], &templates);
                    (event.date.sort_key(), i, event)
                })
                .collect();
            timeline.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            let mut together: HashMap<usize, u32> = HashMap::new();
            for (_, _, event) in &timeline {
                for &other in event.people.iter().filter(|&&o| o != p) {
                    *together.entry(other).or_default() += 1;
                }
            }
            let mut related: Vec<(usize, u32)> = together.into_iter().collect();
            related.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            let related: Vec<usize> = related.into_iter().take(6).map(|(o, _)| o).collect();
            let timeline: Vec<GenEvent> = timeline.into_iter().map(|(_, _, e)| e).collect();
            page.clear();
            world.person_html(p, &counts, &related, &timeline, &mut page);
            let path = folder.join(format!("{}.html", world.people[p].id));
            written.file(&path, page.as_bytes())?;
        }
    }

    let note = serde_json::json!({
        "generator": "chronograph gen-corpus",
        "version": env!("CARGO_PKG_VERSION"),
        "format": options.format.as_str(),
        "seed": options.seed,
        "documents": options.documents,
        "people": options.people,
        "events": options.events,
    });
    let mut note = serde_json::to_vec_pretty(&note)
        .map_err(|e| io::Error::other(e.to_string()))
        .map_err(io_error(out))?;
    note.push(b'\n');
    written.file(&out.join(MARKER), &note)?;

    Ok(CorpusSummary {
        files: written.files,
        documents: options.documents,
        people: world.people.len(),
        events: options.events,
        bytes: written.bytes,
    })
}
