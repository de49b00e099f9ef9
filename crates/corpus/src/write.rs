//! Writing: byte-counting writers, JSON Lines files, the authority file, documents in parallel chunks.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use chronograph_core::model::Record;

use crate::templates::Templates;
use crate::world::World;
use crate::{
    io_error, CorpusError, CorpusFormat, CorpusOptions, MARKER, MAX_PEOPLE, MIN_PEOPLE,
    PAGES_PER_FOLDER, RECORDS_PER_FILE,
};

/// A writer that counts the bytes through it.
pub(crate) struct Counting<W> {
    pub(crate) inner: W,
    pub(crate) bytes: u64,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// What has been written so far.
#[derive(Default)]
pub(crate) struct Written {
    pub(crate) files: usize,
    pub(crate) bytes: u64,
}

impl Written {
    pub(crate) fn file(&mut self, path: &Path, contents: &[u8]) -> Result<(), CorpusError> {
        fs::write(path, contents).map_err(io_error(path))?;
        self.files += 1;
        self.bytes += contents.len() as u64;
        Ok(())
    }
}

/// JSON Lines files of at most [`RECORDS_PER_FILE`] records: `{stem}-0001.jsonl`, …
pub(crate) struct JsonlSink<'a> {
    pub(crate) dir: &'a Path,
    pub(crate) stem: &'static str,
    pub(crate) current: Option<(PathBuf, Counting<BufWriter<File>>)>,
    pub(crate) records_in_file: usize,
    pub(crate) files: usize,
    pub(crate) line: Vec<u8>,
}

impl<'a> JsonlSink<'a> {
    pub(crate) fn new(dir: &'a Path, stem: &'static str) -> Self {
        Self {
            dir,
            stem,
            current: None,
            records_in_file: 0,
            files: 0,
            line: Vec::with_capacity(64 * 1024),
        }
    }

    pub(crate) fn write<T: serde::Serialize>(
        &mut self,
        record: &T,
        written: &mut Written,
    ) -> Result<(), CorpusError> {
        self.open_if_full(written)?;
        self.line.clear();
        serde_json::to_writer(&mut self.line, record)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
            .map_err(io_error(self.dir))?;
        self.line.push(b'\n');
        if let Some((path, writer)) = &mut self.current {
            writer.write_all(&self.line).map_err(io_error(path))?;
        }
        self.records_in_file += 1;
        Ok(())
    }

    /// Starts the next file when there is none yet or the current one is full.
    pub(crate) fn open_if_full(&mut self, written: &mut Written) -> Result<(), CorpusError> {
        if self.current.is_none() || self.records_in_file >= RECORDS_PER_FILE {
            self.finish(written)?;
            self.files += 1;
            let path = self
                .dir
                .join(format!("{}-{:04}.jsonl", self.stem, self.files));
            let file = File::create(&path).map_err(io_error(&path))?;
            let writer = Counting {
                inner: BufWriter::with_capacity(1 << 20, file),
                bytes: 0,
            };
            self.current = Some((path, writer));
            self.records_in_file = 0;
        }
        Ok(())
    }

    /// Appends `records` whole lines (never more than fit in the current file).
    pub(crate) fn write_lines(
        &mut self,
        lines: &[u8],
        records: usize,
        written: &mut Written,
    ) -> Result<(), CorpusError> {
        if records == 0 {
            return Ok(());
        }
        self.open_if_full(written)?;
        if let Some((path, writer)) = &mut self.current {
            writer.write_all(lines).map_err(io_error(path))?;
        }
        self.records_in_file += records;
        Ok(())
    }

    pub(crate) fn finish(&mut self, written: &mut Written) -> Result<(), CorpusError> {
        if let Some((path, mut writer)) = self.current.take() {
            writer.flush().map_err(io_error(&path))?;
            written.files += 1;
            written.bytes += writer.bytes;
        }
        Ok(())
    }
}

/// Empties the output folder of an earlier corpus, or refuses a folder with other files.
pub(crate) fn prepare_output(out: &Path) -> Result<(), CorpusError> {
    if out.exists() {
        let entries: Vec<fs::DirEntry> = fs::read_dir(out)
            .map_err(io_error(out))?
            .collect::<Result<_, _>>()
            .map_err(io_error(out))?;
        if !entries.is_empty() {
            if !out.join(MARKER).is_file() {
                return Err(CorpusError::NotEmpty(out.to_path_buf()));
            }
            for entry in entries {
                let path = entry.path();
                let name = entry.file_name().to_string_lossy().into_owned();
                let ours = name == MARKER
                    || name == "authority.csv"
                    || name == "documents"
                    || name == "people"
                    || ((name.starts_with("documents-") || name.starts_with("events-"))
                        && name.ends_with(".jsonl"));
                if !ours {
                    continue;
                }
                if path.is_dir() {
                    fs::remove_dir_all(&path).map_err(io_error(&path))?;
                } else {
                    fs::remove_file(&path).map_err(io_error(&path))?;
                }
            }
        }
    }
    fs::create_dir_all(out).map_err(io_error(out))
}

pub(crate) fn write_authority(
    world: &World,
    out: &Path,
    written: &mut Written,
) -> Result<(), CorpusError> {
    let path = out.join("authority.csv");
    let file = File::create(&path).map_err(io_error(&path))?;
    let counting = Counting {
        inner: BufWriter::new(file),
        bytes: 0,
    };
    let mut csv = csv::Writer::from_writer(counting);
    let csv_error = |e: csv::Error| match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    };
    let mut row = |fields: [&str; 6]| {
        csv.write_record(fields)
            .map_err(csv_error)
            .map_err(io_error(&path))
    };
    row(chronograph_core::sources::csv_records::AUTHORITY_COLUMNS)?;
    for p in &world.people {
        row([
            &p.id,
            "person",
            &p.name,
            &p.variants.join("|"),
            p.life_span.as_deref().unwrap_or(""),
            &p.description,
        ])?;
    }
    let kinds = [
        ("place", &world.places),
        ("organisation", &world.organisations),
        ("archive", &world.archives),
    ];
    for (kind, entities) in kinds {
        for e in entities {
            row([
                &e.id,
                kind,
                &e.name,
                &e.variants.join("|"),
                "",
                e.description.as_deref().unwrap_or(""),
            ])?;
        }
    }
    let mut counting = csv
        .into_inner()
        .map_err(|e| io::Error::other(e.to_string()))
        .map_err(io_error(&path))?;
    counting.flush().map_err(io_error(&path))?;
    written.files += 1;
    written.bytes += counting.bytes;
    Ok(())
}

pub(crate) fn check(options: &CorpusOptions) -> Result<(), CorpusError> {
    if options.people < MIN_PEOPLE {
        return Err(CorpusError::Options(format!(
            "--people must be at least {MIN_PEOPLE} (a translator and people for events to name), not {}",
            options.people
        )));
    }
    if options.people > MAX_PEOPLE {
        return Err(CorpusError::Options(format!(
            "--people must be at most {MAX_PEOPLE}, not {}",
            options.people
        )));
    }
    if options.events > u32::MAX as usize || options.documents > u32::MAX as usize {
        return Err(CorpusError::Options(
            "--documents and --events must each be below 2^32".to_owned(),
        ));
    }
    Ok(())
}

/// Documents per chunk of work (a divisor of [`RECORDS_PER_FILE`] and
/// [`PAGES_PER_FOLDER`], so a chunk never straddles two files or folders).
pub(crate) const CHUNK: usize = 500;

/// What a chunk of documents produced.
#[derive(Default)]
pub(crate) struct Chunk {
    /// JSON Lines, one document per line (JSON Lines format).
    pub(crate) lines: Vec<u8>,
    pub(crate) records: usize,
    /// Pages written (HTML format).
    pub(crate) files: usize,
    pub(crate) bytes: u64,
    /// For each document, the people it names and its translators.
    pub(crate) people: Vec<u32>,
}

/// Documents `chunk * CHUNK ..` : serialized (JSON Lines) or written as pages (HTML).
pub(crate) fn document_chunk(
    world: &World,
    options: &CorpusOptions,
    templates: &Templates,
    out: &Path,
    chunk: usize,
) -> Result<Chunk, CorpusError> {
    let first = chunk * CHUNK;
    let last = (first + CHUNK).min(options.documents);
    let mut done = Chunk::default();
    let mut page = String::new();
    for index in first..last {
        let doc = world.document(options.seed, index, templates);
        done.people.extend(doc.people.iter().map(|&p| p as u32));
        for name in &doc.citation.translators {
            if let Some(t) =
                (world.historical..world.people.len()).find(|&t| &world.people[t].name == name)
            {
                done.people.push(t as u32);
            }
        }
        match options.format {
            CorpusFormat::Jsonl => {
                let record = Record::Document(world.document_record(doc));
                serde_json::to_writer(&mut done.lines, &record)
                    .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
                    .map_err(io_error(out))?;
                done.lines.push(b'\n');
                done.records += 1;
            }
            CorpusFormat::Html => {
                page.clear();
                world.document_html(&doc, &mut page);
                let path = out
                    .join("documents")
                    .join(format!("{:03}", index / PAGES_PER_FOLDER))
                    .join(format!("{}.html", doc.record_id));
                fs::write(&path, page.as_bytes()).map_err(io_error(&path))?;
                done.files += 1;
                done.bytes += page.len() as u64;
            }
        }
    }
    Ok(done)
}

/// Worker threads for the documents: one per core, at most 8.
pub(crate) fn worker_threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8)
}

/// Runs `work` on chunks `0..chunks` on `threads` threads and hands the results
/// to `consume` in chunk order, with a bounded number of chunks in flight.
pub(crate) fn in_parallel<W, C>(
    chunks: usize,
    threads: usize,
    work: W,
    mut consume: C,
) -> Result<(), CorpusError>
where
    W: Fn(usize) -> Result<Chunk, CorpusError> + Sync,
    C: FnMut(Chunk) -> Result<(), CorpusError>,
{
    let threads = threads.clamp(1, chunks.max(1));
    std::thread::scope(|scope| {
        let receivers: Vec<_> = (0..threads)
            .map(|worker| {
                let (send, receive) = std::sync::mpsc::sync_channel(2);
                let work = &work;
                scope.spawn(move || {
                    for chunk in (worker..chunks).step_by(threads) {
                        let result = work(chunk);
                        let failed = result.is_err();
                        if send.send(result).is_err() || failed {
                            break;
                        }
                    }
                });
                receive
            })
            .collect();
        for chunk in 0..chunks {
            match receivers[chunk % threads].recv() {
                Ok(result) => consume(result?)?,
                // The worker panicked; leaving the scope re-raises its panic.
                Err(_) => return Ok(()),
            }
        }
        Ok(())
    })
}
