//! What can stop a linking run, each failure with its cause kept.

use std::path::PathBuf;

use chronograph_core::query::QueryError;
use chronograph_core::store::StoreError;
use thiserror::Error;

use crate::client::ClientError;

/// What can stop a linking run.
#[derive(Debug, Error)]
pub enum LinkError {
    /// Reading what to link from the store failed.
    #[error("reading the store")]
    Query(#[from] QueryError),
    /// Writing the links graph failed.
    #[error("writing the links graph")]
    Store(#[from] StoreError),
    /// Wikidata (or the cache) failed.
    #[error("asking Wikidata")]
    Wikidata(#[from] ClientError),
    /// The review file cannot be read or written.
    #[error("review file {}: {source}", .path.display())]
    Review {
        /// The file.
        path: PathBuf,
        /// What is wrong, with the line.
        #[source]
        source: ReviewError,
    },
}

/// What is wrong with a review file.
#[derive(Debug, Error)]
pub enum ReviewError {
    /// The file system failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// A row is not a review row (the error names its line).
    #[error(transparent)]
    Csv(#[from] csv::Error),
    /// A decision cell holds something else than a decision.
    #[error("line {line}: decision `{cell}`: write accept, reject or a QID such as Q39364")]
    Decision {
        /// The line of the file (the header is line 1).
        line: usize,
        /// The cell as written.
        cell: String,
    },
}
