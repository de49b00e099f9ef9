//! # chronograph-core
//!
//! The core of chronograph, a linked-data publishing pipeline for archives of
//! historical documents: everything from reading a source to querying and
//! exporting the store. Serving, linking, harvesting and publishing are crates
//! of their own that build on this one; data flows one way, one module per stage:
//!
//! ```text
//! sources (pages, JSONL, CSV, RIS) ──► model records ──► mentions (gazetteer)
//!        ──► mapping (RDF quads, ontology terms) ──► store (Oxigraph on disk)
//!        ──► query (SPARQL) / export (Turtle, N-Quads, canonical RDFC-1.0, ...)
//! ```
//!
//! - [`ids`]: slugs and short hashes, the keys every stage mints (a leaf).
//! - [`sources`]: readers for saved HTML pages, page text, JSON Lines, CSV and RIS.
//! - [`model`]: the typed records (documents, person pages, events, people, ...).
//! - [`dates`]: historical dates with explicit precision and the original text.
//! - [`headings`]: authority headings as printed (`Mao, Zedong`, `Japan. Foreign Ministry`) read into their parts.
//! - [`mentions`]: names and variants → the people, places, organisations a text names.
//! - [`mapping`]: records → quads with deterministic IRIs under a base.
//! - [`store`]: the embedded Oxigraph store, one named graph per source, PROV-O provenance.
//! - [`derived`]: the union and statistics graphs kept in step with each write, in its transaction.
//! - [`statistics`]: precomputed counts as RDF Data Cube observations.
//! - [`pipeline`]: the load pipeline tying the stages together, with exact counts.
//! - [`query`]: SPARQL over the store, results in every standard format.
//! - [`statements`]: statements written in an RDF syntax as they come (export and `map`).
//! - [`export`]: bulk dumps and canonical N-Quads.
//! - [`federation`]: SPARQL `SERVICE` calls to remote endpoints (opt-in).
//! - [`files`]: files written whole or not at all (the one atomic-write helper).
//! - [`http`]: politeness shared by the HTTP clients (User-Agent, `Retry-After`, backoff).

pub mod dates;
pub mod derived;
pub mod export;
pub mod federation;
pub mod files;
pub mod headings;
pub mod http;
pub mod ids;
pub mod line_syntax;
pub mod mapping;
pub mod mentions;
pub mod model;
pub mod pipeline;
pub mod query;
pub mod sources;
pub mod statements;
pub mod statistics;
pub mod store;
pub mod store_check;
pub mod store_lock;
pub mod store_statistics;
pub mod store_writes;
pub mod union_upkeep;
