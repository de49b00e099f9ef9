//! The page cache: every response the harvester received, on disk, with a manifest.
//!
//! Layout of a cache folder:
//!
//! ```text
//! manifest.jsonl        one JSON object per response (the last line for a URL wins)
//! state.json            the current run: its number, start time, start URLs, whether it finished
//! bodies/ab/abcd….gz    response bodies, gzip-compressed, named by the SHA-256 of the body
//! lock                  held (flock) while a harvester runs
//! ```
//!
//! Crash safety: a body is written to a temporary file, synced and renamed
//! before its manifest line is appended, so a manifest line always points at a
//! whole body. A crash can leave a body no line points at (removed when the
//! manifest is compacted) or a half-written last manifest line (ignored and cut
//! off on the next open). Compaction rewrites the manifest (one line per URL,
//! sorted) to a temporary file and renames it.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use serde::{Deserialize, Serialize};

use chronograph_core::files::{write_atomically, write_bytes_atomically};

use crate::HarvestError;

/// One response, as the manifest records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestEntry {
    /// The URL requested.
    pub url: String,
    /// The URL that answered, after redirects.
    pub final_url: String,
    /// The HTTP status of the final response (0 when none came: timeout, refused…).
    pub status: u16,
    /// When the response arrived (RFC 3339, UTC).
    pub fetched_at: String,
    /// The run that fetched it (see `state.json`).
    pub run: u64,
    /// What the harvester took the URL for: robots, sitemap, document, person, listing, start.
    pub kind: String,
    /// `ETag` of the response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    /// `Last-Modified` of the response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
    /// `Content-Type` of the response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// SHA-256 (hex) of the body, which names the body file; `None` when no body was kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// Body size in bytes (uncompressed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bytes: Option<u64>,
    /// Why the URL gave no page (status, redirect loop, timeout…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Why the page does not read as a document or person page, when it does not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unreadable: Option<String>,
    /// The links of the response the harvester follows (classified by the site
    /// profile, or sitemaps), so that a 304 or a resumed run needs no parse.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<DiscoveredLink>,
}

/// A link found in a page or a sitemap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiscoveredLink {
    /// Absolute URL, without fragment.
    pub url: String,
    /// The sitemap's `<lastmod>`, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lastmod: Option<String>,
    /// Whether it is a sitemap (from a sitemap index).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub sitemap: bool,
}

impl ManifestEntry {
    /// Whether a body is kept for this URL.
    pub fn has_body(&self) -> bool {
        self.sha256.is_some()
    }
}

/// The state of the current run, kept in `state.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunState {
    /// Run number, from 1.
    pub run: u64,
    /// When it started (RFC 3339).
    pub started_at: String,
    /// The start URLs it was given.
    pub start: Vec<String>,
    /// Whether it finished; an unfinished run is resumed by the same command.
    pub finished: bool,
}

/// An open page cache (held exclusively while open).
#[derive(Debug)]
pub struct PageCache {
    dir: PathBuf,
    entries: BTreeMap<String, ManifestEntry>,
    manifest: File,
    _lock: File,
    /// Manifest lines that could not be read (a crash mid-write), dropped on open.
    pub damaged_lines: usize,
}

impl PageCache {
    /// Opens (or creates) a cache folder, taking its lock and reading its manifest.
    pub fn open(dir: &Path) -> Result<Self, HarvestError> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| HarvestError::Cache { path, source }
        };
        std::fs::create_dir_all(dir.join("bodies")).map_err(io(dir))?;
        let lock_path = dir.join("lock");
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(io(&lock_path))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(HarvestError::CacheBusy(dir.to_path_buf()))
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(io(&lock_path)(e)),
        }
        let manifest_path = dir.join("manifest.jsonl");
        let (entries, damaged_lines, good_len) = read_manifest(&manifest_path)?;
        let manifest = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&manifest_path)
            .map_err(io(&manifest_path))?;
        // Cut off a torn last line so the next append starts on a line of its own.
        if manifest.metadata().map_err(io(&manifest_path))?.len() != good_len {
            manifest.set_len(good_len).map_err(io(&manifest_path))?;
        }
        let mut cache = Self {
            dir: dir.to_path_buf(),
            entries,
            manifest,
            _lock: lock,
            damaged_lines,
        };
        // A line whose body is missing cannot be trusted: forget it (it is refetched).
        let missing: Vec<String> = cache
            .entries
            .values()
            .filter(|e| {
                e.sha256
                    .as_ref()
                    .is_some_and(|s| !cache.body_path(s).is_file())
            })
            .map(|e| e.url.clone())
            .collect();
        for url in missing {
            tracing::warn!(%url, "cached body missing; the page will be fetched again");
            cache.entries.remove(&url);
        }
        Ok(cache)
    }

    /// The cache folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The latest entry for a URL.
    pub fn get(&self, url: &str) -> Option<&ManifestEntry> {
        self.entries.get(url)
    }

    /// Every entry, by URL.
    pub fn entries(&self) -> impl Iterator<Item = &ManifestEntry> {
        self.entries.values()
    }

    /// Where a body with this SHA-256 lives.
    pub fn body_path(&self, sha256: &str) -> PathBuf {
        body_path_in(&self.dir, sha256)
    }

    /// Stores a body (compressed, atomically) and returns its SHA-256.
    /// Bodies are content-addressed, so storing the same bytes twice is a no-op.
    pub fn put_body(&self, body: &[u8]) -> Result<String, HarvestError> {
        Self::put_body_in(&self.dir, body)
    }

    /// [`Self::put_body`] for a worker that has the cache's folder, not the cache.
    pub fn put_body_in(dir: &Path, body: &[u8]) -> Result<String, HarvestError> {
        let sha = chronograph_core::sources::text::sha256_hex(body);
        let path = body_path_in(dir, &sha);
        if path.is_file() {
            return Ok(sha);
        }
        write_atomically(&path, |out| {
            let mut encoder = GzEncoder::new(out, flate2::Compression::default());
            encoder.write_all(body)?;
            encoder.finish().map(drop)
        })
        .map_err(|source| HarvestError::Cache {
            path: path.clone(),
            source,
        })?;
        Ok(sha)
    }

    /// Reads a body back (uncompressed), checking its SHA-256.
    pub fn body(&self, entry: &ManifestEntry) -> Result<Option<Vec<u8>>, HarvestError> {
        let Some(sha) = &entry.sha256 else {
            return Ok(None);
        };
        let path = self.body_path(sha);
        let error = |source| HarvestError::Cache {
            path: path.clone(),
            source,
        };
        let mut body = Vec::new();
        GzDecoder::new(File::open(&path).map_err(error)?)
            .read_to_end(&mut body)
            .map_err(error)?;
        if chronograph_core::sources::text::sha256_hex(&body) != *sha {
            return Err(error(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("body does not match its SHA-256 {sha}"),
            )));
        }
        Ok(Some(body))
    }

    /// Appends an entry to the manifest (one line, synced) and makes it current.
    pub fn record(&mut self, entry: ManifestEntry) -> Result<(), HarvestError> {
        let path = self.dir.join("manifest.jsonl");
        let mut line = serde_json::to_vec(&entry).map_err(|e| HarvestError::Cache {
            path: path.clone(),
            source: std::io::Error::other(e),
        })?;
        line.push(b'\n');
        self.manifest
            .write_all(&line)
            .and_then(|()| self.manifest.sync_data())
            .map_err(|source| HarvestError::Cache { path, source })?;
        self.entries.insert(entry.url.clone(), entry);
        Ok(())
    }

    /// The run state, if a run was ever started in this cache.
    pub fn run_state(&self) -> Result<Option<RunState>, HarvestError> {
        let path = self.dir.join("state.json");
        match std::fs::read(&path) {
            Ok(bytes) => {
                serde_json::from_slice(&bytes)
                    .map(Some)
                    .map_err(|e| HarvestError::Cache {
                        path,
                        source: std::io::Error::new(std::io::ErrorKind::InvalidData, e),
                    })
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(HarvestError::Cache { path, source }),
        }
    }

    /// Writes the run state atomically.
    pub fn set_run_state(&self, state: &RunState) -> Result<(), HarvestError> {
        let json = serde_json::to_vec_pretty(state).map_err(|e| HarvestError::Cache {
            path: self.dir.join("state.json"),
            source: std::io::Error::other(e),
        })?;
        self.write_atomically("state.json", &json)
    }

    /// Rewrites the manifest with one line per URL, sorted by URL, and removes
    /// bodies no entry points at.
    pub fn compact(&mut self) -> Result<(), HarvestError> {
        let mut text = Vec::new();
        for entry in self.entries.values() {
            serde_json::to_writer(&mut text, entry).map_err(|e| HarvestError::Cache {
                path: self.dir.join("manifest.jsonl"),
                source: std::io::Error::other(e),
            })?;
            text.push(b'\n');
        }
        self.write_atomically("manifest.jsonl", &text)?;
        let path = self.dir.join("manifest.jsonl");
        self.manifest = OpenOptions::new()
            .append(true)
            .open(&path)
            .map_err(|source| HarvestError::Cache { path, source })?;
        let wanted: std::collections::HashSet<PathBuf> = self
            .entries
            .values()
            .filter_map(|e| e.sha256.as_deref())
            .map(|sha| self.body_path(sha))
            .collect();
        for file in walkdir::WalkDir::new(self.dir.join("bodies"))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
        {
            if !wanted.contains(file.path()) {
                tracing::debug!(path = %file.path().display(), "removing unreferenced body");
                let _ = std::fs::remove_file(file.path());
            }
        }
        Ok(())
    }

    fn write_atomically(&self, name: &str, bytes: &[u8]) -> Result<(), HarvestError> {
        let path = self.dir.join(name);
        write_bytes_atomically(&path, bytes).map_err(|source| HarvestError::Cache { path, source })
    }
}

fn body_path_in(dir: &Path, sha256: &str) -> PathBuf {
    let prefix = sha256.get(..2).unwrap_or("00");
    dir.join("bodies").join(prefix).join(format!("{sha256}.gz"))
}

/// Reads the manifest: the entries (last line per URL wins), the number of
/// unreadable lines, and the length of the readable prefix.
fn read_manifest(
    path: &Path,
) -> Result<(BTreeMap<String, ManifestEntry>, usize, u64), HarvestError> {
    let mut entries = BTreeMap::new();
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((entries, 0, 0)),
        Err(source) => {
            return Err(HarvestError::Cache {
                path: path.to_path_buf(),
                source,
            })
        }
    };
    let mut reader = BufReader::new(file);
    let mut damaged = 0;
    let mut good_len = 0u64;
    let mut offset = 0u64;
    let mut line = Vec::new();
    let mut number = 0;
    loop {
        line.clear();
        let n = reader
            .read_until(b'\n', &mut line)
            .map_err(|source| HarvestError::Cache {
                path: path.to_path_buf(),
                source,
            })?;
        if n == 0 {
            break;
        }
        number += 1;
        offset += n as u64;
        let complete = line.ends_with(b"\n");
        match serde_json::from_slice::<ManifestEntry>(&line) {
            Ok(entry) if complete => {
                entries.insert(entry.url.clone(), entry);
                good_len = offset;
            }
            _ if !complete => {
                tracing::warn!(
                    path = %path.display(),
                    line = number,
                    "dropping a manifest line cut short by a crash"
                );
                damaged += 1;
            }
            Err(e) => {
                return Err(HarvestError::Manifest {
                    path: path.to_path_buf(),
                    line: number,
                    message: e.to_string(),
                })
            }
            Ok(_) => unreachable!("complete is checked above"),
        }
    }
    Ok((entries, damaged, good_len))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(url: &str, sha: Option<String>) -> ManifestEntry {
        ManifestEntry {
            url: url.to_owned(),
            final_url: url.to_owned(),
            status: 200,
            fetched_at: "2026-01-01T00:00:00Z".to_owned(),
            run: 1,
            kind: "document".to_owned(),
            etag: Some("\"x\"".to_owned()),
            last_modified: None,
            content_type: Some("text/html".to_owned()),
            sha256: sha,
            bytes: Some(5),
            error: None,
            unreadable: None,
            links: Vec::new(),
        }
    }

    #[test]
    fn bodies_and_entries_survive_reopening_and_a_torn_last_line() {
        let dir = tempfile::tempdir().unwrap();
        {
            let mut cache = PageCache::open(dir.path()).unwrap();
            let sha = cache.put_body(b"hello").unwrap();
            cache.record(entry("http://a/1", Some(sha))).unwrap();
            cache.record(entry("http://a/2", None)).unwrap();
        }
        // A crash in the middle of the next line.
        let manifest = dir.path().join("manifest.jsonl");
        let mut f = OpenOptions::new().append(true).open(&manifest).unwrap();
        f.write_all(br#"{"url":"http://a/3","final_ur"#).unwrap();
        drop(f);
        let mut cache = PageCache::open(dir.path()).unwrap();
        assert_eq!(cache.damaged_lines, 1);
        assert_eq!(cache.entries().count(), 2);
        let body = cache.body(cache.get("http://a/1").unwrap()).unwrap();
        assert_eq!(body.as_deref(), Some(&b"hello"[..]));
        // The torn line is gone: a new line starts cleanly.
        cache.record(entry("http://a/4", None)).unwrap();
        drop(cache);
        let cache = PageCache::open(dir.path()).unwrap();
        assert_eq!(cache.damaged_lines, 0);
        assert_eq!(cache.entries().count(), 3);
    }

    #[test]
    fn a_second_harvester_on_the_same_cache_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let _first = PageCache::open(dir.path()).unwrap();
        assert!(matches!(
            PageCache::open(dir.path()),
            Err(HarvestError::CacheBusy(_))
        ));
    }

    #[test]
    fn compaction_keeps_one_line_per_url_and_drops_orphan_bodies() {
        let dir = tempfile::tempdir().unwrap();
        let mut cache = PageCache::open(dir.path()).unwrap();
        let old = cache.put_body(b"old").unwrap();
        cache
            .record(entry("http://a/1", Some(old.clone())))
            .unwrap();
        let new = cache.put_body(b"new").unwrap();
        cache
            .record(entry("http://a/1", Some(new.clone())))
            .unwrap();
        let orphan = cache.put_body(b"orphan").unwrap();
        cache.compact().unwrap();
        let text = std::fs::read_to_string(dir.path().join("manifest.jsonl")).unwrap();
        assert_eq!(text.lines().count(), 1);
        assert!(cache.body_path(&new).is_file());
        assert!(!cache.body_path(&old).exists());
        assert!(!cache.body_path(&orphan).exists());
    }

    #[test]
    fn an_entry_whose_body_vanished_is_forgotten() {
        let dir = tempfile::tempdir().unwrap();
        let sha;
        {
            let mut cache = PageCache::open(dir.path()).unwrap();
            sha = cache.put_body(b"gone soon").unwrap();
            cache
                .record(entry("http://a/1", Some(sha.clone())))
                .unwrap();
            std::fs::remove_file(cache.body_path(&sha)).unwrap();
        }
        let cache = PageCache::open(dir.path()).unwrap();
        assert!(cache.get("http://a/1").is_none());
    }
}
