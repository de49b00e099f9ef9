//! chronograph search: a full-text index of the archive's documents and
//! events, kept beside the store in its folder (`STORE/search-index`),
//! built with tantivy (embedded: nothing to install or start).
//!
//! - **What is indexed** ([`documents`]): each document's title, summary,
//!   text, citation, signature and translators, and the names, with every
//!   variant, of what it names; each event's label and description; the year,
//!   and the facets (people, places, organisations, collections, archives,
//!   languages).
//! - **Analysis** ([`analysis`]): words split at anything that is not a
//!   letter or digit (so `[irrigation]` is `irrigation`, and `Kim Il-sung`
//!   is `kim il sung`), lower-cased, diacritics folded (`Khrushchëv` =
//!   `Khrushchev`), English stems.
//! - **Queries** ([`query_language`]): words ANDed, `"phrases"`, `OR`,
//!   `-exclusion`, `prefix*`, and field filters such as `person:`,
//!   `year:1965`, `year:1960..1965`; two-word phrases answered from
//!   indexed pairs of adjacent terms ([`phrases`]); ranked by BM25, with highlighted
//!   snippets and facet counts ([`index::SearchIndex::search`],
//!   [`facets`]).

pub mod analysis;
pub mod documents;
pub mod facets;
pub mod index;
pub mod phrases;
pub mod query_language;
pub mod service;
pub mod writer;

pub use index::{Facet, FacetValue, Hit, SearchIndex, SearchResults, INDEX_FOLDER};
pub use service::{SearchService, SEARCH_SERVICE};

/// What can go wrong with the index.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// tantivy failed (opening, writing, searching).
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    /// The store could not be read.
    #[error("reading the store: {0}")]
    Storage(#[from] oxigraph::store::StorageError),
    /// The store could not be read (through chronograph's store).
    #[error("reading the store: {0}")]
    Store(#[source] Box<chronograph_core::store::StoreError>),
    /// The query does not parse.
    #[error("search query `{query}`: {message}")]
    Query {
        /// The query as given.
        query: String,
        /// What is wrong with it.
        message: String,
    },
    /// The index folder could not be prepared.
    #[error("search index folder {path}: {source}")]
    Folder {
        /// The folder.
        path: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The index is missing or was built for another version of the schema.
    #[error("the search index of {store} is {state}: run `chronograph reindex --store {store}`")]
    NeedsReindex {
        /// The store folder.
        store: String,
        /// `missing`, or what is out of date.
        state: String,
    },
}
