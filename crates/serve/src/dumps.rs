//! `/dumps/`: the store as gzip Turtle (the union graph) and gzip N-Quads (every
//! named graph), each with its size and SHA-256, written to disk in the
//! background and written again whenever the store changes through the server.
//! Files are written under a temporary name and renamed, so a download never
//! sees half a dump.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use flate2::write::GzEncoder;
use flate2::Compression;
use minijinja::context;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::limits::{Derived, DerivedError};
use crate::{accept_header, error_response, negotiate, AppState, HttpError, ServeError};
use chronograph_core::export::{self, ExportFormat};

/// The dump files: name, syntax, what they hold.
const FILES: [(&str, ExportFormat, &str); 2] = [
    (
        "chronograph.ttl.gz",
        ExportFormat::Turtle,
        "Turtle, gzip (the union of every graph)",
    ),
    (
        "chronograph.nq.gz",
        ExportFormat::NQuads,
        "N-Quads, gzip (every named graph)",
    ),
];

/// One written dump.
#[derive(Debug, Clone, Serialize)]
pub struct DumpFile {
    /// File name under `/dumps/`.
    pub name: String,
    /// Syntax and content.
    pub syntax: String,
    /// Statements written.
    pub statements: usize,
    /// Size of the compressed file.
    pub bytes: u64,
    /// SHA-256 of the compressed file.
    pub sha256: String,
}

/// The dumps of one state of the store.
#[derive(Debug, Clone, Serialize)]
pub struct DumpSet {
    /// The store generation they were written from.
    pub generation: u64,
    /// When (xsd:dateTime).
    pub generated_at: String,
    /// The files.
    pub files: Vec<DumpFile>,
}

/// The dumps folder and what is in it now.
pub struct Dumps {
    dir: PathBuf,
    current: Arc<Derived<DumpSet>>,
}

/// A writer that hashes and counts what passes through it.
struct HashingWriter<W: Write> {
    inner: W,
    hasher: Sha256,
    bytes: u64,
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

impl Dumps {
    /// Uses (and creates) `dir` for the dump files.
    /// The folder must be private to this user (see [`private_folder`]).
    pub fn new(dir: PathBuf) -> Result<Self, ServeError> {
        private_folder(&dir)?;
        remove_abandoned_temporaries(&dir);
        Ok(Self {
            dir,
            current: Arc::default(),
        })
    }

    /// Starts writing the dumps of the store as it is now in the background,
    /// unless they are there or being written.
    pub(crate) fn warm(state: &Arc<AppState>) {
        let worker = state.clone();
        let generation = state.generation();
        state.dumps.current.warm(generation, move || {
            worker
                .dumps
                .write_all(&worker, generation)
                .map_err(|e| DerivedError(e.to_string()))
        });
    }

    /// Writes the dumps of the store as it is now (generation `generation`).
    fn write_all(&self, state: &AppState, generation: u64) -> Result<DumpSet, DumpError> {
        let started = std::time::Instant::now();
        let mut files = Vec::new();
        for (name, format, syntax) in FILES {
            files.push(self.write(state, name, format, syntax)?);
        }
        tracing::info!(
            generation,
            ms = started.elapsed().as_millis() as u64,
            "dumps written to {}",
            self.dir.display()
        );
        let set = DumpSet {
            generation,
            generated_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            files,
        };
        Ok(set)
    }

    fn write(
        &self,
        state: &AppState,
        name: &str,
        format: ExportFormat,
        syntax: &str,
    ) -> Result<DumpFile, DumpError> {
        let target = self.dir.join(name);
        let temporary = self.dir.join(format!(".{name}.{}.tmp", std::process::id()));
        let fail = |source: std::io::Error| DumpError {
            path: target.clone(),
            source,
        };
        let file = File::create(&temporary).map_err(fail)?;
        let hashing = HashingWriter {
            inner: BufWriter::new(file),
            hasher: Sha256::new(),
            bytes: 0,
        };
        // The serializers write a statement at a time; flate2 zeroes its
        // 32 KiB output buffer on every write, so it is fed whole blocks.
        let mut gzip =
            BufWriter::with_capacity(256 * 1024, GzEncoder::new(hashing, Compression::default()));
        let statements = export::export(
            &state.store,
            format,
            None,
            &mut gzip,
            &indicatif::ProgressBar::hidden(),
        )
        .map_err(|e| fail(std::io::Error::other(e)))?;
        let gzip = gzip.into_inner().map_err(|e| fail(e.into_error()))?;
        let mut hashing = gzip.finish().map_err(fail)?;
        hashing.flush().map_err(fail)?;
        let HashingWriter {
            inner,
            hasher,
            bytes,
        } = hashing;
        drop(inner);
        let sha256 = hex::encode(hasher.finalize());
        std::fs::rename(&temporary, &target).map_err(fail)?;
        std::fs::write(
            self.dir.join(format!("{name}.sha256")),
            format!("{sha256}  {name}\n"),
        )
        .map_err(fail)?;
        Ok(DumpFile {
            name: name.to_owned(),
            syntax: syntax.to_owned(),
            statements,
            bytes,
            sha256,
        })
    }
}

/// Makes sure `dir` is a folder only this user can write: created with mode
/// 0700 when missing; when it exists, a real folder (not a symbolic link)
/// owned by this user, its mode narrowed to 0700. The default folder sits in
/// the shared temporary directory under a name anyone can predict, so another
/// user could otherwise create it first, or put a link there, and replace the
/// dumps the server offers.
pub fn private_folder(dir: &std::path::Path) -> Result<(), ServeError> {
    let io = |source: std::io::Error| ServeError::DumpsDir {
        path: dir.display().to_string(),
        source,
    };
    let unsafe_because = |problem: &str| ServeError::DumpsDirUnsafe {
        path: dir.display().to_string(),
        problem: problem.to_owned(),
    };
    if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    let mut builder = std::fs::DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    match builder.create(dir) {
        Ok(()) => return Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(io(e)),
    }
    let metadata = std::fs::symlink_metadata(dir).map_err(io)?;
    if metadata.file_type().is_symlink() {
        return Err(unsafe_because("is a symbolic link"));
    }
    if !metadata.is_dir() {
        return Err(unsafe_because("is not a folder"));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        // SAFETY: geteuid has no preconditions and cannot fail.
        let me = unsafe { libc::geteuid() };
        if metadata.uid() != me {
            return Err(unsafe_because(&format!(
                "belongs to another user (uid {}, not {me})",
                metadata.uid()
            )));
        }
        if metadata.mode() & 0o077 != 0 {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(io)?;
        }
    }
    Ok(())
}

/// Removes the half-written dumps (`.NAME.PID.tmp`) of servers that have
/// exited: a server stopping while it writes its dumps leaves one behind.
/// Those of a server still running (several may share the folder) are kept.
/// A dump file could not be written.
#[derive(Debug, thiserror::Error)]
#[error("writing {}: {source}", .path.display())]
pub struct DumpError {
    /// The dump file.
    pub path: std::path::PathBuf,
    /// Why (an export error is kept as the I/O error's cause).
    #[source]
    pub source: std::io::Error,
}

fn remove_abandoned_temporaries(dir: &std::path::Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(stem) = name.strip_prefix('.').and_then(|n| n.strip_suffix(".tmp")) else {
            continue;
        };
        let Some(pid) = stem
            .rsplit_once('.')
            .and_then(|(_, pid)| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && !process_is_running(pid) {
            if let Err(e) = std::fs::remove_file(entry.path()) {
                tracing::warn!("cannot remove {}: {e}", entry.path().display());
            }
        }
    }
}

/// Whether a process with this id runs (Linux's /proc; elsewhere assumed so).
fn process_is_running(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        std::path::Path::new(&format!("/proc/{pid}")).exists()
    } else {
        true
    }
}

/// The absolute IRIs of the dump files, for VoID.
pub fn dump_iris(base: &str) -> Vec<String> {
    FILES
        .iter()
        .map(|(name, _, _)| format!("{base}dumps/{name}"))
        .collect()
}

/// The dumps of the store as it is now, written first (in the background) if
/// they are missing or stale; 503 with `Retry-After` while that takes longer
/// than the time limit.
async fn current(state: &Arc<AppState>) -> Result<Arc<DumpSet>, HttpError> {
    let worker = state.clone();
    let generation = state.generation();
    state
        .dumps
        .current
        .get(generation, state.options.timeout, move || {
            worker
                .dumps
                .write_all(&worker, generation)
                .map_err(|e| DerivedError(e.to_string()))
        })
        .await
}

/// GET /dumps/: the files with their sizes and SHA-256 (HTML, or JSON by Accept).
pub async fn index(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    let set = match current(&state).await {
        Ok(set) => set,
        Err(e) => return e.into_response(),
    };
    let accept = accept_header(&headers);
    if !negotiate::prefers_html(accept.as_deref())
        && accept.as_deref().is_some_and(|a| a.contains("json"))
    {
        return axum::Json(&*set).into_response();
    }
    state.pages.render(
        "dumps.html",
        context! { title => "Dumps", generated_at => set.generated_at.clone(), files => set.files.clone() },
    )
}

/// GET /dumps/{file}: one dump (or its `.sha256`), streamed from disk.
pub async fn file(State(state): State<Arc<AppState>>, Path(name): Path<String>) -> Response {
    let known = FILES
        .iter()
        .any(|(file, _, _)| name == *file || name == format!("{file}.sha256"));
    if !known {
        return error_response(StatusCode::NOT_FOUND, "no such dump");
    }
    if let Err(e) = current(&state).await {
        return e.into_response();
    }
    let path = state.dumps.dir.join(&name);
    let file = match tokio::fs::File::open(&path).await {
        Ok(f) => f,
        Err(e) => return error_response(StatusCode::INTERNAL_SERVER_ERROR, format!("{name}: {e}")),
    };
    let length = file.metadata().await.map(|m| m.len()).ok();
    let media = if name.ends_with(".sha256") {
        "text/plain; charset=utf-8"
    } else {
        "application/gzip"
    };
    let mut response = Body::from_stream(tokio_util::io::ReaderStream::new(file)).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static(media),
    );
    if let Some(length) = length {
        headers.insert(header::CONTENT_LENGTH, length.into());
    }
    if let Ok(value) = format!("attachment; filename=\"{name}\"").parse() {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abandoned_temporaries_go_and_live_ones_stay() {
        let dir = tempfile::tempdir().unwrap();
        // No process has id 4,000,000,000 (Linux caps ids at 2^22).
        let abandoned = dir.path().join(".chronograph.nq.gz.4000000000.tmp");
        let ours = dir
            .path()
            .join(format!(".chronograph.ttl.gz.{}.tmp", std::process::id()));
        let dump = dir.path().join("chronograph.nq.gz");
        let other = dir.path().join(".notes.tmp");
        for path in [&abandoned, &ours, &dump, &other] {
            std::fs::write(path, b"x").unwrap();
        }
        Dumps::new(dir.path().to_owned()).unwrap();
        assert_eq!(!abandoned.exists(), cfg!(target_os = "linux"));
        assert!(ours.exists() && dump.exists() && other.exists());
    }
}
