//! SPARQL 1.1 Federated Query: `SERVICE <endpoint> { … }` sent over the SPARQL
//! Protocol to a remote endpoint (Wikidata's query service, another
//! chronograph). Opt-in (`--federation` on `query` and `serve`): without it a
//! query cannot make the server call out. With it, a query still cannot make
//! the server reach its own network: an endpoint whose host resolves to a
//! loopback, private, link-local or otherwise non-public address is refused
//! unless its host is allowed by name (`--federation-allow HOST`); the
//! connection goes to the address checked (no second lookup a DNS answer
//! could change), redirects are not followed, and answers are capped.

use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
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
    /// The endpoint is not allowed: not http(s), or on a non-public address.
    #[error("SERVICE <{service}>: {reason}")]
    Refused {
        /// The endpoint.
        service: String,
        /// Why.
        reason: String,
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

/// Which SERVICE endpoints a query may call, once federation is on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FederationPolicy {
    /// Hosts (as written in the endpoint URL) that may be called even on a
    /// loopback or private address: a local mirror, a test server.
    pub allowed_hosts: Vec<String>,
}

impl FederationPolicy {
    /// The addresses to connect to for `url`, or why it may not be called.
    pub fn addresses(&self, url: &reqwest::Url) -> Result<Vec<SocketAddr>, EndpointRefused> {
        let refused = |reason: String| EndpointRefused(reason);
        if !matches!(url.scheme(), "http" | "https") {
            return Err(refused(format!(
                "only http and https endpoints, not {}:",
                url.scheme()
            )));
        }
        let host = url.host_str().ok_or_else(|| refused("no host".into()))?;
        let port = url
            .port_or_known_default()
            .ok_or_else(|| refused("no port".into()))?;
        let bare = host.trim_start_matches('[').trim_end_matches(']');
        let addresses: Vec<SocketAddr> = (bare, port)
            .to_socket_addrs()
            .map_err(|e| refused(format!("cannot resolve {host}: {e}")))?
            .collect();
        if addresses.is_empty() {
            return Err(refused(format!("{host} has no address")));
        }
        let allowed = self
            .allowed_hosts
            .iter()
            .any(|h| h.eq_ignore_ascii_case(host));
        if !allowed {
            if let Some(local) = addresses.iter().find(|a| !is_public(a.ip())) {
                return Err(refused(format!(
                    "{host} is at {}, a loopback, private or reserved address; \
                     allow it by name with --federation-allow {host}",
                    local.ip()
                )));
            }
        }
        Ok(addresses)
    }
}

/// Why a SERVICE endpoint may not be called.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{0}")]
pub struct EndpointRefused(pub String);

/// Whether an address is on the public internet (not loopback, private,
/// link-local, shared, documentation, multicast, unspecified or broadcast).
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
                || (a == 198 && (18..20).contains(&b))
                || a >= 240)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || first == 0x2001 && v6.segments()[1] == 0x0db8)
        }
    }
}

/// The largest SERVICE answer read (bytes); a longer one fails the query.
pub const MAX_ANSWER_BYTES: u64 = 64 * 1024 * 1024;

/// Sends each SERVICE pattern as a SELECT query, over HTTP POST, asking for
/// SPARQL JSON results.
#[derive(Debug, Clone)]
pub struct HttpServiceHandler {
    /// Time limit of one call.
    pub timeout: Duration,
    /// The User-Agent sent (Wikidata's query service asks for a descriptive one).
    pub user_agent: String,
    /// Which endpoints may be called.
    pub policy: FederationPolicy,
}

impl HttpServiceHandler {
    /// A handler that calls the endpoints `policy` allows.
    pub fn new(policy: FederationPolicy) -> Self {
        Self {
            timeout: Duration::from_secs(60),
            user_agent: format!(
                "chronograph/{} (SPARQL federation)",
                env!("CARGO_PKG_VERSION")
            ),
            policy,
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
        let refused = |reason: String| FederationError::Refused {
            service: service.clone(),
            reason,
        };
        let url = reqwest::Url::parse(service_name.as_str()).map_err(|e| refused(e.to_string()))?;
        let addresses = self.policy.addresses(&url).map_err(|e| refused(e.0))?;
        let host = url.host_str().unwrap_or_default().to_owned();
        // A client per call: calls run on query threads, never inside the async
        // runtime. It connects to the addresses checked, follows no redirect
        // (which could lead to an address that was not checked).
        let client = reqwest::blocking::Client::builder()
            .timeout(self.timeout)
            .user_agent(self.user_agent.clone())
            .redirect(reqwest::redirect::Policy::none())
            .resolve_to_addrs(&host, &addresses)
            .build()
            .map_err(|e| http(e.to_string()))?;
        let response = client
            .post(url)
            .header(reqwest::header::ACCEPT, "application/sparql-results+json")
            .form(&[("query", query.to_string())])
            .send()
            .map_err(|e| http(e.to_string()))?;
        let status = response.status();
        let body = crate::http::read_body_capped(response, MAX_ANSWER_BYTES)
            .map_err(|e| http(e.to_string()))?
            .ok_or_else(|| http(format!("answer larger than {MAX_ANSWER_BYTES} bytes")))?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_addresses_pass_unless_the_host_is_allowed() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fc00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(!is_public(private.parse().unwrap()), "{private}");
        }
        for public in ["208.80.154.224", "2620:0:861:ed1a::1"] {
            assert!(is_public(public.parse().unwrap()), "{public}");
        }
        let url = |u: &str| reqwest::Url::parse(u).unwrap();
        let closed = FederationPolicy::default();
        let metadata = closed.addresses(&url("http://169.254.169.254/latest/meta-data"));
        assert!(metadata.unwrap_err().0.contains("--federation-allow"));
        assert!(closed.addresses(&url("file:///etc/passwd")).is_err());
        let open = FederationPolicy {
            allowed_hosts: vec!["127.0.0.1".into()],
        };
        assert!(open.addresses(&url("http://127.0.0.1:7878/sparql")).is_ok());
    }
}
