//! Integration tests of chronograph-core: the readers, the mapping and the
//! store against fixtures in the repository's `tests/data/`, and the patched
//! evaluator's cancellation.

mod cancellation;
mod mini_site_smoke;
mod ontology;
mod queries;
mod statistics;
mod union_upkeep;
mod vendored_patches;
