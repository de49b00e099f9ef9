//! One writer at a time, and no writer under a reader: an advisory lock on
//! `chronograph.lock` in the store folder, taken by every handle chronograph
//! opens. A writer (`load`, `link`, `optimize`, `serve --update-token`) holds
//! it exclusively; readers (`query`, `export`, `serve` without a token) share
//! it. Oxigraph documents a read-only open beside a writing process as
//! undefined behaviour, and a bulk load or a compaction deletes files such a
//! reader still reads: so a second writer, or a writer beside a reader, is
//! refused at once with a message that names the holder, instead of waiting
//! or corrupting what the other process sees.
//!
//! The lock is the operating system's (`flock` on Unix), so it goes with the
//! process: a killed holder never leaves the store locked.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use thiserror::Error;

/// The lock file's name in the store folder.
pub const LOCK_FILE: &str = "chronograph.lock";

/// Why the store could not be locked.
#[derive(Debug, Error)]
pub enum LockError {
    /// Another process writes to the store.
    #[error(
        "the store at {} is being written by another process ({holder}); \
         wait for it to finish, or stop it, and run this again",
        .store.display()
    )]
    Writing {
        /// The store folder.
        store: PathBuf,
        /// Who holds the lock, as it wrote itself down.
        holder: String,
    },
    /// Another process reads the store, and this one wants to write.
    #[error(
        "the store at {} is open read-only in another process (such as \
         `chronograph serve` without --update-token, or a long `query` or \
         `export`); writing under a reader is unsafe: stop the reader, or \
         write through the running server's SPARQL Update endpoint (serve \
         --update-token), and run this again",
        .store.display()
    )]
    Reading {
        /// The store folder.
        store: PathBuf,
    },
    /// The lock file could not be created or locked.
    #[error("cannot lock {}: {source}", .path.display())]
    Io {
        /// The lock file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

/// A held lock on a store folder; released when dropped (and when the
/// process ends, however it ends).
#[derive(Debug)]
pub struct StoreLock {
    file: File,
    exclusive: bool,
}

impl Drop for StoreLock {
    fn drop(&mut self) {
        if self.exclusive {
            // The writer's name goes with its lock.
            let _ = self.file.set_len(0);
        }
    }
}

impl StoreLock {
    /// Takes the store's lock for writing: refused while any other handle,
    /// reading or writing, holds it. Creates the folder if needed.
    pub fn exclusive(store: &Path) -> Result<Self, LockError> {
        let (path, mut file) = open_lock_file(store, true)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                // A writer wrote itself down; readers leave the file empty.
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                let holder = holder.trim();
                return Err(if holder.is_empty() {
                    LockError::Reading {
                        store: store.to_owned(),
                    }
                } else {
                    LockError::Writing {
                        store: store.to_owned(),
                        holder: holder.to_owned(),
                    }
                });
            }
            Err(TryLockError::Error(source)) => return Err(LockError::Io { path, source }),
        }
        let me = format!(
            "process {}: {}",
            std::process::id(),
            std::env::args().collect::<Vec<_>>().join(" ")
        );
        let written = file
            .set_len(0)
            .and_then(|()| file.rewind())
            .and_then(|()| file.write_all(me.as_bytes()))
            .and_then(|()| file.flush());
        written.map_err(|source| LockError::Io { path, source })?;
        Ok(Self {
            file,
            exclusive: true,
        })
    }

    /// Takes the store's lock for reading: shared with other readers,
    /// refused while a writer holds it. A folder with no lock file (a store
    /// not written by chronograph, or on a read-only medium) is read
    /// unlocked.
    pub fn shared(store: &Path) -> Result<Option<Self>, LockError> {
        let (path, mut file) = match open_lock_file(store, false) {
            Ok(opened) => opened,
            Err(LockError::Io { source, .. })
                if matches!(
                    source.kind(),
                    std::io::ErrorKind::NotFound
                        | std::io::ErrorKind::PermissionDenied
                        | std::io::ErrorKind::ReadOnlyFilesystem
                ) =>
            {
                return Ok(None)
            }
            Err(e) => return Err(e),
        };
        match file.try_lock_shared() {
            Ok(()) => {
                // No writer holds it: a name left by a killed one is stale.
                let _ = file.set_len(0);
                Ok(Some(Self {
                    file,
                    exclusive: false,
                }))
            }
            Err(TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                Err(LockError::Writing {
                    store: store.to_owned(),
                    holder: holder.trim().to_owned(),
                })
            }
            Err(TryLockError::Error(source)) => Err(LockError::Io { path, source }),
        }
    }
}

fn open_lock_file(store: &Path, create: bool) -> Result<(PathBuf, File), LockError> {
    let path = store.join(LOCK_FILE);
    if create {
        std::fs::create_dir_all(store).map_err(|source| LockError::Io {
            path: path.clone(),
            source,
        })?;
    }
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(create)
        .truncate(false)
        .open(&path)
        .map_err(|source| LockError::Io {
            path: path.clone(),
            source,
        })?;
    Ok((path, file))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_writer_or_many_readers() {
        let dir = tempfile::tempdir().unwrap();
        let writer = StoreLock::exclusive(dir.path()).unwrap();
        let second = StoreLock::exclusive(dir.path()).unwrap_err();
        assert!(
            matches!(&second, LockError::Writing { holder, .. } if holder.contains("process")),
            "{second}"
        );
        assert!(matches!(
            StoreLock::shared(dir.path()),
            Err(LockError::Writing { .. })
        ));
        drop(writer);
        let first = StoreLock::shared(dir.path()).unwrap();
        let second = StoreLock::shared(dir.path()).unwrap();
        assert!(first.is_some() && second.is_some());
        let refused = StoreLock::exclusive(dir.path()).unwrap_err();
        assert!(matches!(refused, LockError::Reading { .. }), "{refused}");
        drop((first, second));
        StoreLock::exclusive(dir.path()).unwrap();
    }
}
