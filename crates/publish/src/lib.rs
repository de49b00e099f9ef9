//! `chronograph publish --to URL`: pushes the store's named graphs to another
//! triple store over the SPARQL 1.1 Graph Store Protocol (the protocol Fuseki,
//! GraphDB, Virtuoso, Stardog, Amazon Neptune and `oxigraph serve` speak), for
//! collections that outgrow one machine.
//!
//! Each graph goes as N-Triples in batches: the first batch with `PUT
//! {endpoint}?graph={iri}` (which replaces whatever the remote graph held),
//! the others with `POST` (which adds). A graph with blank nodes goes in one
//! request, since a label only means the same node within one document.
//! Connection failures, timeouts, 5xx, 408 and 429 are retried with
//! exponential backoff and jitter (`Retry-After` honoured); other answers stop
//! the push with the server's message. Authentication is optional: a bearer
//! token, or a user name and password sent as HTTP Basic or Digest, as the
//! server's challenge asks (see [`Auth`]). Writes never follow redirects.
//!
//! **Resume point.** After each graph is wholly pushed, a state file records
//! it with its triple count and an order-independent digest of its triples.
//! Running the same command again skips the graphs already there and
//! unchanged, and pushes again (from its `PUT`) a graph that was cut off or
//! has changed since.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use indicatif::ProgressBar;
use oxigraph::model::{GraphNameRef, NamedNode, NamedOrBlankNode, Quad, Term};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use thiserror::Error;

use chronograph_core::store::{ArchiveStore, StoreError};

mod auth;

/// The most of a remote answer's body `publish` reads (for its message).
const ANSWER_READ_BYTES: u64 = 64 * 1024;

/// How to authenticate to the remote endpoint.
#[derive(Debug, Clone)]
pub enum Auth {
    /// A user name and password, sent as HTTP Basic or HTTP Digest (RFC 7616:
    /// MD5, SHA-256 or SHA-512-256, `qop=auth` or `auth-int`), as the server's
    /// `WWW-Authenticate` challenge asks. The first write of a push is preceded
    /// by a probe without credentials (an empty `POST` of N-Triples to the
    /// graph about to be written, which adds nothing) that draws the challenge;
    /// a 401 without one is taken as asking for Basic, so the password is never
    /// sent in the clear to a server that asks for Digest.
    Password {
        /// The user name.
        user: String,
        /// The password.
        password: String,
    },
    /// `Authorization: Bearer {token}`.
    Bearer(String),
}

/// Options of a push.
#[derive(Debug, Clone)]
pub struct PushOptions {
    /// The Graph Store Protocol endpoint (`…/data` for Fuseki, `…/store` for
    /// Oxigraph, `…/sparql-graph-crud-auth` for Virtuoso, `…/rdf-graphs/service` for GraphDB).
    pub endpoint: url::Url,
    /// The most triples in one request.
    pub batch_triples: usize,
    /// Credentials, if the endpoint needs them.
    pub auth: Option<Auth>,
    /// Attempts after the first for a failed request.
    pub retries: u32,
    /// First backoff delay (doubled at each attempt, with jitter).
    pub backoff: Duration,
    /// Longest wait between attempts (also caps `Retry-After`).
    pub max_wait: Duration,
    /// Time limit of one request.
    pub timeout: Duration,
    /// The resume point (see the module documentation).
    pub state_file: PathBuf,
    /// Forget the resume point: push every graph.
    pub restart: bool,
    /// Only these graphs (all named graphs when empty).
    pub graphs: Vec<NamedNode>,
    /// Also push the derived union graph.
    pub include_union: bool,
    /// The User-Agent.
    pub user_agent: String,
}

/// What a push did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PushReport {
    /// Graphs considered.
    pub graphs: usize,
    /// Graphs pushed by this run.
    pub pushed: usize,
    /// Graphs skipped: already pushed to this endpoint and unchanged since.
    pub unchanged: usize,
    /// Triples sent by this run.
    pub triples: usize,
    /// Writes (`PUT` and `POST` of triples) answered with success; the
    /// authentication probe is not counted.
    pub requests: usize,
    /// Requests that were tried again.
    pub retries: usize,
}

/// What can go wrong with a push.
#[derive(Debug, Error)]
pub enum PushError {
    /// The local store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The remote answered with an error that retrying does not fix.
    #[error("{method} {url}: the server answered {status}: {message}")]
    Refused {
        /// PUT or POST.
        method: &'static str,
        /// The request URL.
        url: String,
        /// The HTTP status.
        status: u16,
        /// The start of the server's answer.
        message: String,
    },
    /// The remote answered a write with a redirect, which a write never follows.
    #[error(
        "{method} {url}: the server answered {status} (to {location:?}); writes do not follow \
         redirects, publish to the endpoint's final URL"
    )]
    Redirected {
        /// PUT or POST.
        method: &'static str,
        /// The request URL.
        url: String,
        /// The 3xx status.
        status: u16,
        /// Where it pointed.
        location: String,
    },
    /// The remote could not be reached, or kept failing, after every retry.
    #[error("{method} {url}: gave up after {attempts} attempt(s): {last}")]
    GaveUp {
        /// PUT or POST.
        method: &'static str,
        /// The request URL.
        url: String,
        /// Attempts made.
        attempts: u32,
        /// The last failure.
        last: String,
    },
    /// The state file could not be read or written.
    #[error("resume point {}: {source}", .path.display())]
    State {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        #[source]
        source: std::io::Error,
    },
    /// The state file is not a resume point written by chronograph.
    #[error("resume point {}: not a resume point written by chronograph: {source}", .path.display())]
    StateSyntax {
        /// The file.
        path: PathBuf,
        /// Where the JSON goes wrong.
        #[source]
        source: serde_json::Error,
    },
    /// The server's `WWW-Authenticate` Digest challenge could not be read or answered.
    #[error("{url}: cannot answer the server's Digest challenge: {source}")]
    Challenge {
        /// The request URL.
        url: String,
        /// What is wrong with the challenge.
        #[source]
        source: digest_auth::Error,
    },
    /// The HTTP client could not be built.
    #[error("cannot build the HTTP client")]
    Client(#[source] reqwest::Error),
}

/// The resume point: per endpoint, the graphs wholly pushed.
#[derive(Debug, Default, Serialize, Deserialize)]
struct PushState {
    endpoints: BTreeMap<String, BTreeMap<String, PushedGraph>>,
}

/// A graph wholly pushed to an endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct PushedGraph {
    triples: usize,
    digest: String,
}

impl PushState {
    fn read(path: &Path) -> Result<Self, PushError> {
        match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|source| PushError::StateSyntax {
                path: path.to_path_buf(),
                source,
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(source) => Err(PushError::State {
                path: path.to_path_buf(),
                source,
            }),
        }
    }

    /// Writes the file whole or not at all (temporary file, fsync, rename).
    fn write(&self, path: &Path) -> Result<(), PushError> {
        chronograph_core::files::write_atomically(path, |out| {
            serde_json::to_writer_pretty(out, self).map_err(std::io::Error::other)
        })
        .map_err(|source| PushError::State {
            path: path.to_path_buf(),
            source,
        })
    }
}

/// Pushes the store's named graphs to the endpoint (see the module documentation).
pub fn push(
    store: &ArchiveStore,
    options: &PushOptions,
    progress: &ProgressBar,
) -> Result<PushReport, PushError> {
    // Writes never follow a redirect: reqwest would turn a POST into a GET on
    // a 301 or 302, whose 200 would count as the batch written.
    let client = reqwest::blocking::Client::builder()
        .user_agent(options.user_agent.clone())
        .timeout(options.timeout)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(PushError::Client)?;
    let mut state = if options.restart {
        PushState::default()
    } else {
        PushState::read(&options.state_file)?
    };
    let endpoint_key = options.endpoint.as_str().to_owned();
    let graphs = graphs_to_push(store, options)?;
    let mut auth = auth::Authenticator::new(options.auth.clone());
    let mut report = PushReport {
        graphs: graphs.len(),
        ..PushReport::default()
    };
    progress.set_length(graphs.len() as u64);
    for graph in &graphs {
        progress.set_message(graph.as_str().to_owned());
        let (triples, digest, has_blank_nodes) = summarise(store, graph)?;
        let done = PushedGraph {
            triples,
            digest: digest.clone(),
        };
        let already = state
            .endpoints
            .get(&endpoint_key)
            .and_then(|g| g.get(graph.as_str()));
        if already == Some(&done) {
            report.unchanged += 1;
            progress.inc(1);
            continue;
        }
        let batch_size = if has_blank_nodes {
            usize::MAX
        } else {
            options.batch_triples.max(1)
        };
        let mut body = Vec::new();
        let mut in_body = 0;
        let mut first = true;
        for quad in store
            .oxigraph()
            .quads_for_pattern(None, None, None, Some(graph.into()))
        {
            let quad = quad.map_err(StoreError::from)?;
            write_triple(&mut body, &quad);
            in_body += 1;
            if in_body == batch_size {
                send(
                    &client,
                    options,
                    &mut auth,
                    graph,
                    first,
                    &body,
                    &mut report,
                )?;
                report.triples += in_body;
                body.clear();
                in_body = 0;
                first = false;
            }
        }
        if in_body > 0 || first {
            send(
                &client,
                options,
                &mut auth,
                graph,
                first,
                &body,
                &mut report,
            )?;
            report.triples += in_body;
        }
        state
            .endpoints
            .entry(endpoint_key.clone())
            .or_default()
            .insert(graph.as_str().to_owned(), done);
        state.write(&options.state_file)?;
        report.pushed += 1;
        tracing::info!(%graph, triples, "pushed graph");
        progress.inc(1);
    }
    progress.finish_and_clear();
    Ok(report)
}

/// The named graphs to push, sorted by name.
fn graphs_to_push(
    store: &ArchiveStore,
    options: &PushOptions,
) -> Result<Vec<NamedNode>, PushError> {
    if !options.graphs.is_empty() {
        return Ok(options.graphs.clone());
    }
    let mut graphs = Vec::new();
    for graph in store.oxigraph().named_graphs() {
        if let NamedOrBlankNode::NamedNode(graph) = graph.map_err(StoreError::from)? {
            // The derived graphs stay home (a dump leaves them out too): the
            // union only when asked for, the statistics never (they count
            // this store's writes).
            let wanted = if graph == *store.union_graph() {
                options.include_union
            } else {
                !store.is_derived_graph(&graph)
            };
            if wanted {
                graphs.push(graph);
            }
        }
    }
    graphs.sort();
    Ok(graphs)
}

/// A graph's triple count, an order-independent digest of its triples (the
/// wrapping sum of the first 16 bytes of each N-Triples line's SHA-256; blank
/// node labels are the store's own), and whether it has blank nodes.
fn summarise(store: &ArchiveStore, graph: &NamedNode) -> Result<(usize, String, bool), PushError> {
    let mut count = 0;
    let mut sum: u128 = 0;
    let mut blank = false;
    let mut line = Vec::new();
    for quad in store.oxigraph().quads_for_pattern(
        None,
        None,
        None,
        Some(GraphNameRef::NamedNode(graph.into())),
    ) {
        let quad = quad.map_err(StoreError::from)?;
        blank |= quad.subject.is_blank_node() || matches!(quad.object, Term::BlankNode(_));
        line.clear();
        write_triple(&mut line, &quad);
        let hash = Sha256::digest(&line);
        let mut first = [0u8; 16];
        first.copy_from_slice(&hash[..16]);
        sum = sum.wrapping_add(u128::from_be_bytes(first));
        count += 1;
    }
    Ok((count, format!("{sum:032x}"), blank))
}

/// One N-Triples line.
fn write_triple(out: &mut Vec<u8>, quad: &Quad) {
    // Terms print in N-Triples syntax.
    let _ = writeln!(out, "{} {} {} .", quad.subject, quad.predicate, quad.object);
}

/// Sends one batch (PUT for a graph's first, POST for the others), with
/// retries, preceded by the authentication probe when one is due.
fn send(
    client: &reqwest::blocking::Client,
    options: &PushOptions,
    auth: &mut auth::Authenticator,
    graph: &NamedNode,
    first: bool,
    body: &[u8],
    report: &mut PushReport,
) -> Result<(), PushError> {
    let mut url = options.endpoint.clone();
    url.query_pairs_mut().append_pair("graph", graph.as_str());
    let mut failures = 0u32;
    let mut answered_again = false;
    loop {
        let probing = auth.must_probe();
        let method = if first && !probing { "PUT" } else { "POST" };
        let request = if method == "PUT" {
            client.put(url.clone())
        } else {
            client.post(url.clone())
        };
        let request = request.header(reqwest::header::CONTENT_TYPE, "application/n-triples");
        let request = if probing {
            request.body(Vec::new())
        } else {
            auth.authorize(request, method, &url, body)?
                .body(body.to_vec())
        };
        let (failure, wait) = match request.send() {
            Ok(response) if probing && response.status() == reqwest::StatusCode::UNAUTHORIZED => {
                auth.challenged(&response)?;
                continue;
            }
            Ok(response) if probing && response.status().is_success() => {
                auth.open();
                continue;
            }
            Ok(response) if response.status().is_success() => {
                report.requests += 1;
                return Ok(());
            }
            Ok(response) if response.status().is_redirection() => {
                let location = response
                    .headers()
                    .get(reqwest::header::LOCATION)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_owned();
                return Err(PushError::Redirected {
                    method,
                    url: url.to_string(),
                    status: response.status().as_u16(),
                    location,
                });
            }
            Ok(response)
                if response.status() == reqwest::StatusCode::UNAUTHORIZED
                    && !answered_again
                    && auth.challenged_again(&response)? =>
            {
                answered_again = true;
                continue;
            }
            Ok(response) => {
                let status = response.status();
                let retry_after = response
                    .headers()
                    .get(reqwest::header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(chronograph_core::http::parse_retry_after);
                let challenge = response
                    .headers()
                    .get(reqwest::header::WWW_AUTHENTICATE)
                    .and_then(|v| v.to_str().ok())
                    .map(|v| v.split_whitespace().next().unwrap_or("").to_owned());
                // Only the start of an answer is shown: never read more than
                // 64 KiB of what a remote server sends back.
                let mut raw = Vec::new();
                let _ = std::io::Read::read_to_end(
                    &mut std::io::Read::take(response, ANSWER_READ_BYTES),
                    &mut raw,
                );
                let text = String::from_utf8_lossy(&raw);
                let mut message: String = text.trim().chars().take(300).collect();
                if message.is_empty() && status == reqwest::StatusCode::UNAUTHORIZED {
                    message = match (&options.auth, challenge) {
                        (None, Some(scheme)) => format!("it asks for {scheme} credentials"),
                        (None, None) => "it asks for credentials".to_owned(),
                        (Some(_), _) => "the credentials were refused".to_owned(),
                    };
                }
                let retryable = status.is_server_error()
                    || status == reqwest::StatusCode::TOO_MANY_REQUESTS
                    || status == reqwest::StatusCode::REQUEST_TIMEOUT;
                if !retryable {
                    return Err(PushError::Refused {
                        method,
                        url: url.to_string(),
                        status: status.as_u16(),
                        message,
                    });
                }
                (format!("{status}: {message}"), retry_after)
            }
            Err(e) => {
                auth.connection_failed();
                (e.to_string(), None)
            }
        };
        failures += 1;
        if failures > options.retries {
            return Err(PushError::GaveUp {
                method,
                url: url.to_string(),
                attempts: failures,
                last: failure,
            });
        }
        report.retries += 1;
        let wait = wait
            .unwrap_or_else(|| {
                chronograph_core::http::backoff(options.backoff, failures, options.max_wait)
            })
            .min(options.max_wait);
        tracing::warn!(%url, attempt = failures, ?wait, %failure, "retrying");
        std::thread::sleep(wait);
    }
}
