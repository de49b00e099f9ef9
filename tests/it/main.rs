//! End-to-end tests of chronograph through its binary and across its crates:
//! one test binary, a module per area; test data lives in `tests/data/`.

mod bad_inputs;
mod bulk_load;
mod cli_reference;
mod corpus;
mod crash_trials;
mod crash_updates;
mod hardening;
mod harvest;
mod harvest_robots;
mod link;
mod live_archive;
mod profiles;
mod publish;
mod readers_never_panic;
mod search;
mod seeds;
mod store_export;
