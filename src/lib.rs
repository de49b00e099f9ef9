//! # chronograph
//!
//! A linked-data publishing pipeline for archives of historical documents.
//! Data flows one way, one module per stage:
//!
//! ```text
//! sources (pages, JSONL, CSV, RIS) ──► model records ──► mentions (gazetteer)
//!        ──► mapping (RDF quads, ontology terms) ──► store (Oxigraph on disk)
//!        ──► query (SPARQL) / export (Turtle, N-Quads, canonical RDFC-1.0, ...)
//! ```
//!
//! - [`sources`]: readers for saved HTML pages, page text, JSON Lines, CSV and RIS.
//! - [`model`]: the typed records (documents, person pages, events, people, ...).
//! - [`dates`]: historical dates with explicit precision and the original text.
//! - [`headings`]: authority headings as printed (`Mao, Zedong`, `Japan. Foreign Ministry`) read into their parts.
//! - [`mentions`]: names and variants → the people, places, organisations a text names.
//! - [`mapping`]: records → quads with deterministic IRIs under a base.
//! - [`store`]: the embedded Oxigraph store, one named graph per source, PROV-O provenance.
//! - [`pipeline`]: the load pipeline tying the stages together, with exact counts.
//! - [`query`]: SPARQL over the store, results in every standard format.
//! - [`export`]: bulk dumps and canonical N-Quads.
//! - [`federation`]: SPARQL `SERVICE` calls to remote endpoints (opt-in).
//! - [`linking`]: links to Wikidata: the API types and a polite, cached client.
//! - [`harvest`]: a polite, resumable crawler of the archive's website into a page cache.
//! - [`http`]: politeness shared by the HTTP clients (User-Agent, `Retry-After`, backoff).
//! - [`publish`]: `serve`: the SPARQL 1.1 Protocol and dereferenceable IRIs.
//! - [`corpus`]: `gen-corpus`: deterministic synthetic corpora (JSON Lines or pages) for benchmarks.

pub mod corpus;
pub mod dates;
pub mod export;
pub mod federation;
pub mod harvest;
pub mod headings;
pub mod http;
pub mod line_syntax;
pub mod linking;
pub mod mapping;
pub mod mentions;
pub mod model;
pub mod pipeline;
pub mod publish;
pub mod query;
pub mod sources;
pub mod store;
