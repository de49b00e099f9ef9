//! # chronograph-link
//!
//! `chronograph link`: links the store's people, places and organisations to
//! Wikidata items with evidence a curator reviews. Candidates come from the
//! Wikidata API through a polite, cached client; each is scored on names,
//! dates and kind; links above the threshold go into the store's links graph,
//! the uncertain ones into a review file whose decisions the next run applies.
//!
//! - [`wikidata`]: `wbsearchentities` / `wbgetentities` / error JSON, and the
//!   distilled [`wikidata::Entity`] view (labels, dates, citizenship, …).
//! - [`client`]: the blocking HTTP client: User-Agent, `maxlag`, retries with
//!   `Retry-After` and backoff, concurrency cap, budget, on-disk cache, offline mode.
//! - [`score`]: candidates scored with their evidence.
//! - [`run`]: a linking run over the store; [`review`]: the curator's file;
//!   [`error`]: what can stop a run.

pub mod client;
pub mod error;
pub mod review;
pub mod run;
pub mod score;
pub mod wikidata;

use client::WikidataClient;
pub use error::{LinkError, ReviewError};
use run::CandidateSource;
use score::Candidate;

/// The Wikidata client (and its cache) as a source of candidates.
impl CandidateSource for WikidataClient {
    fn search(&self, name: &str) -> Result<Vec<String>, LinkError> {
        let response = WikidataClient::search(self, name)?;
        Ok(response.search.into_iter().map(|hit| hit.id).collect())
    }

    fn entities(&self, qids: &[String]) -> Result<Vec<Candidate>, LinkError> {
        let language = self.config().language.clone();
        let entities = WikidataClient::entities(self, qids)?;
        Ok(entities
            .into_values()
            .map(|e| {
                let year = |t: &Option<wikidata::WikidataTime>| {
                    t.as_ref()
                        .filter(|t| t.precision >= wikidata::TimePrecision::Year)
                        .and_then(|t| i32::try_from(t.year).ok())
                };
                let mut labels: Vec<String> = e.labels.values().cloned().collect();
                labels.sort();
                labels.dedup();
                // The label in the run's language first: it is the one shown.
                if let Some(main) = e.label(&language) {
                    labels.retain(|l| l != main);
                    labels.insert(0, main.to_owned());
                }
                let mut instance_of = e.instance_of.clone();
                if e.is_disambiguation && !instance_of.iter().any(|c| c == score::DISAMBIGUATION) {
                    instance_of.push(score::DISAMBIGUATION.to_owned());
                }
                Candidate {
                    qid: e.id.clone(),
                    aliases: e.aliases.values().flatten().cloned().collect(),
                    description: e
                        .description(&language)
                        .or_else(|| e.descriptions.values().next().map(String::as_str))
                        .map(str::to_owned),
                    citizenship: e.citizenship.clone(),
                    birth_year: year(&e.birth),
                    death_year: year(&e.death),
                    instance_of,
                    labels,
                }
            })
            .collect())
    }
}
