//! SPARQL 1.1 Federated Query: `SERVICE <endpoint> { … }` sent over the SPARQL
//! Protocol to a remote endpoint (Wikidata's query service, another
//! chronograph). Opt-in (`--federation` on `query` and `serve`): without it a
//! query cannot make the server call out.

use std::sync::Arc;
use std::time::Duration;

use oxigraph::model::NamedNode;
use oxigraph::sparql::results::{
    QueryResultsFormat, QueryResultsParser, SliceQueryResultsParserOutput,
};
use oxigraph::sparql::{DefaultServiceHandler, QuerySolutionIter, Variable};
use oxiri::Iri;
use spargebra::algebra::GraphPattern;
use thiserror::Error;

/// What can go wrong with a SERVICE call.
#[derive(Debug, Error)]
pub enum FederationError {
    /// The HTTP request failed.
    #[error("SERVICE <{service}>: {message}")]
    Http {
        /// The endpoint.
        service: String,
        /// Why.
        message: String,
    },
    /// The endpoint answered with something other than SPARQL results.
    #[error("SERVICE <{service}> answered something that is not SPARQL JSON results: {message}")]
    Results {
        /// The endpoint.
        service: String,
        /// The parser's message.
        message: String,
    },
}

/// Sends each SERVICE pattern as a SELECT query, over HTTP POST, asking for
/// SPARQL JSON results.
#[derive(Debug, Clone)]
pub struct HttpServiceHandler {
    /// Time limit of one call.
    pub timeout: Duration,
    /// The User-Agent sent (Wikidata's query service asks for a descriptive one).
    pub user_agent: String,
}

impl Default for HttpServiceHandler {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(60),
            user_agent: format!(
                "chronograph/{} (SPARQL federation)",
                env!("CARGO_PKG_VERSION")
            ),
        }
    }
}

impl DefaultServiceHandler for HttpServiceHandler {
    type Error = FederationError;

    fn handle(
        &self,
        service_name: &NamedNode,
        pattern: &GraphPattern,
        base_iri: Option<&Iri<String>>,
    ) -> Result<QuerySolutionIter<'static>, FederationError> {
        let service = service_name.as_str().to_owned();
        let http = |message: String| FederationError::Http {
            service: service.clone(),
            message,
        };
        let query = spargebra::Query::Select {
            dataset: None,
            pattern: pattern.clone(),
            base_iri: base_iri.cloned(),
        };
        // A client per call: calls run on query threads, never inside the async runtime.
        let client = reqwest::blocking::Client::builder()
            .timeout(self.timeout)
            .user_agent(self.user_agent.clone())
            .build()
            .map_err(|e| http(e.to_string()))?;
        let response = client
            .post(service_name.as_str())
            .header(reqwest::header::ACCEPT, "application/sparql-results+json")
            .form(&[("query", query.to_string())])
            .send()
            .map_err(|e| http(e.to_string()))?;
        let status = response.status();
        let body = response.bytes().map_err(|e| http(e.to_string()))?;
        if !status.is_success() {
            let text = String::from_utf8_lossy(&body);
            return Err(http(format!(
                "HTTP {status}: {}",
                text.chars().take(300).collect::<String>()
            )));
        }
        let results = |message: String| FederationError::Results {
            service: service.clone(),
            message,
        };
        let parsed = QueryResultsParser::from_format(QueryResultsFormat::Json)
            .for_slice(&body)
            .map_err(|e| results(e.to_string()))?;
        let SliceQueryResultsParserOutput::Solutions(solutions) = parsed else {
            return Err(results("a boolean".into()));
        };
        let variables: Arc<[Variable]> = solutions.variables().into();
        let rows = solutions
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| results(e.to_string()))?;
        Ok(QuerySolutionIter::new(variables, rows.into_iter().map(Ok)))
    }
}
