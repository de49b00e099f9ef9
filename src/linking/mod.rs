//! Linking to Wikidata: the API layer (serde types of the real responses, a
//! polite cached client) on which candidates, scoring and curation are built.
//!
//! - [`wikidata`]: `wbsearchentities` / `wbgetentities` / error JSON, and the
//!   distilled [`wikidata::Entity`] view (labels, dates, citizenship, …).
//! - [`client`]: the blocking HTTP client: User-Agent, `maxlag`, retries with
//!   `Retry-After` and backoff, concurrency cap, budget, on-disk cache, offline mode.

pub mod client;
pub mod review;
pub mod run;
pub mod score;
pub mod wikidata;

use client::WikidataClient;
use run::{CandidateSource, LinkError};
use score::Candidate;

/// The Wikidata client (and its cache) as a source of candidates.
impl CandidateSource for WikidataClient {
    fn search(&self, name: &str) -> Result<Vec<String>, LinkError> {
        let response =
            WikidataClient::search(self, name).map_err(|e| LinkError::Source(e.to_string()))?;
        Ok(response.search.into_iter().map(|hit| hit.id).collect())
    }

    fn entities(&self, qids: &[String]) -> Result<Vec<Candidate>, LinkError> {
        let language = self.config().language.clone();
        let entities =
            WikidataClient::entities(self, qids).map_err(|e| LinkError::Source(e.to_string()))?;
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
