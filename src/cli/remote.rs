//! The commands that serve or talk to other servers: serve, link, harvest
//! and publish.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use chronograph_core::mapping::iri::DEFAULT_BASE;
use clap::Args;
use indicatif::ProgressBar;
use oxigraph::model::NamedNode;

use super::*;

#[derive(Debug, Args)]
pub(super) struct LinkArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// The MediaWiki API of Wikidata.
    #[arg(long, default_value = chronograph_link::client::DEFAULT_ENDPOINT)]
    endpoint: String,
    /// Language searched, and of the labels shown.
    #[arg(long, default_value = "en")]
    language: String,
    /// A contact (email or URL) for the User-Agent, as Wikimedia asks of bots.
    #[arg(long, env = "CHRONOGRAPH_CONTACT")]
    contact: Option<String>,
    /// Link at or above this score.
    #[arg(long, default_value_t = 0.85)]
    accept: f64,
    /// Send to the review file at or above this score.
    #[arg(long, default_value_t = 0.5)]
    review: f64,
    /// The review file (TSV): the curator's decisions in it are honoured on every run.
    #[arg(long, default_value = "links-review.tsv")]
    review_file: PathBuf,
    /// Cache of API responses (default ~/.cache/chronograph/wikidata).
    #[arg(long)]
    cache: Option<PathBuf>,
    /// Use the cache only; say which requests are missing from it.
    #[arg(long)]
    offline: bool,
    /// Requests in flight at most.
    #[arg(long, default_value_t = 2)]
    concurrency: usize,
    /// The most HTTP requests this run may send.
    #[arg(long)]
    budget: Option<u64>,
    /// `maxlag` sent with every request, in seconds.
    #[arg(long, default_value_t = 5)]
    maxlag: u32,
    /// First wait after a refused request when the server gives no Retry-After, in seconds.
    #[arg(long, default_value_t = 1.0)]
    backoff: f64,
}

#[derive(Debug, Args)]
pub(super) struct ServeArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:7878")]
    bind: std::net::SocketAddr,
    /// Time limit of one query, in seconds.
    #[arg(long, default_value_t = 30.0)]
    timeout: f64,
    /// Allow SPARQL Update for requests bearing this token (env CHRONOGRAPH_UPDATE_TOKEN).
    #[arg(long, env = "CHRONOGRAPH_UPDATE_TOKEN", hide_env_values = true)]
    update_token: Option<String>,
    /// Read the update token from a file instead.
    #[arg(long, conflicts_with = "update_token")]
    update_token_file: Option<PathBuf>,
    /// Largest request body accepted, in bytes.
    #[arg(long, default_value_t = 1024 * 1024)]
    max_body_bytes: usize,
    /// Let `SERVICE` in queries reach remote SPARQL endpoints (off: the server
    /// never calls out); never a loopback or private address unless
    /// --federation-allow names it.
    #[arg(long)]
    federation: bool,
    /// A host `SERVICE` may reach although it is on a loopback or private
    /// address (a local mirror); repeatable. Needs --federation.
    #[arg(long, value_name = "HOST", requires = "federation")]
    federation_allow: Vec<String>,
    /// Most query evaluations running at once; further queries wait within
    /// their time limit (default: two per core).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    max_evaluations: Option<u64>,
    /// Where to write the dumps served under /dumps/ (default: a folder in the
    /// system's temporary directory named after the store).
    #[arg(long)]
    dumps_dir: Option<PathBuf>,
    /// Write the dumps at the first request for /dumps/ instead of in the
    /// background from the start (a large store takes a core for minutes).
    #[arg(long)]
    dumps_on_demand: bool,
    /// Let web pages from this origin (`https://example.org`) call the
    /// endpoint from a browser (CORS); repeat for several, `*` for any. Off by
    /// default: only same-origin pages and non-browser clients.
    #[arg(long = "cors", value_name = "ORIGIN")]
    cors_origins: Vec<String>,
}

#[derive(Debug, Args)]
pub(super) struct HarvestArgs {
    /// Where to start: the site's root, a page, or a sitemap (several allowed).
    #[arg(required = true)]
    start: Vec<String>,
    /// The page cache folder (bodies, manifest, run state).
    #[arg(long)]
    cache: PathBuf,
    /// Load the harvested document and person pages into the store.
    #[arg(long, requires = "store")]
    load: bool,
    /// The store folder, for --load.
    #[arg(long, env = "CHRONOGRAPH_STORE")]
    store: Option<PathBuf>,
    /// Base IRI under which resources are minted.
    #[arg(long, env = "CHRONOGRAPH_BASE", default_value = DEFAULT_BASE)]
    base: String,
    #[command(flatten)]
    reader: ReaderArgs,
    /// Requests per second per host, at most; robots.txt's Crawl-delay can only slow it.
    #[arg(long, default_value_t = 1.0)]
    rate: f64,
    /// Requests in flight at most.
    #[arg(long, default_value_t = 2)]
    concurrency: usize,
    /// Seconds before a request times out.
    #[arg(long, default_value_t = 30.0)]
    timeout: f64,
    /// Retries after a timeout, a 5xx or a 429.
    #[arg(long, default_value_t = 3)]
    retries: u32,
    /// First backoff wait in seconds (doubles with each retry, with jitter).
    #[arg(long, default_value_t = 1.0)]
    backoff: f64,
    /// Longest wait accepted, in seconds (a longer Retry-After fails the page).
    #[arg(long, default_value_t = 120.0)]
    max_wait: f64,
    /// Redirects followed, at most.
    #[arg(long, default_value_t = 5)]
    max_redirects: usize,
    /// Longest robots.txt Crawl-delay honoured, in seconds; a site asking for
    /// more is fetched at this pace (and the log says so).
    #[arg(long, default_value_t = 30.0)]
    max_crawl_delay: f64,
    /// A contact (email or URL) for the User-Agent, so the site can reach you.
    #[arg(long, env = "CHRONOGRAPH_CONTACT")]
    contact: Option<String>,
    /// Fetch at most this many pages now; the next run continues the same harvest.
    #[arg(long)]
    max_pages: Option<usize>,
    /// Only pages changed since this date (YYYY-MM-DD): older sitemap entries
    /// are skipped, new pages are asked with If-Modified-Since.
    #[arg(long)]
    since: Option<chrono::NaiveDate>,
    /// List what would be fetched (robots.txt and sitemaps are read); write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Start a new run even if the last one in this cache did not finish.
    #[arg(long)]
    restart: bool,
    /// Also fetch each document page's RIS export (`{page URL}.ris`): its
    /// record fills the fields the page leaves empty (a missing one is no failure).
    #[arg(long)]
    ris: bool,
    /// Also write the report as JSON to this file.
    #[arg(long)]
    report: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(super) struct PublishArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// The Graph Store Protocol endpoint, e.g. http://host:3030/ds/data (Fuseki),
    /// http://host:7878/store (Oxigraph), http://host:8890/sparql-graph-crud-auth (Virtuoso).
    #[arg(long, value_name = "URL")]
    to: url::Url,
    /// The most triples in one request.
    #[arg(long, default_value_t = 50_000, value_name = "TRIPLES")]
    batch: usize,
    /// User name, sent with the password as HTTP Basic or Digest, whichever the
    /// server's challenge asks for (Virtuoso's /sparql-graph-crud-auth asks for Digest).
    #[arg(long, env = "CHRONOGRAPH_PUBLISH_USER")]
    user: Option<String>,
    /// Password for HTTP Basic or Digest authentication (better from the environment).
    #[arg(
        long,
        env = "CHRONOGRAPH_PUBLISH_PASSWORD",
        hide_env_values = true,
        requires = "user"
    )]
    password: Option<String>,
    /// Bearer token (better from the environment).
    #[arg(
        long,
        env = "CHRONOGRAPH_PUBLISH_TOKEN",
        hide_env_values = true,
        conflicts_with = "user"
    )]
    token: Option<String>,
    /// Only this graph (repeatable); all named graphs by default.
    #[arg(long, value_name = "IRI")]
    graph: Vec<String>,
    /// Also push the derived union graph.
    #[arg(long)]
    include_union: bool,
    /// The resume point [default: STORE.publish.json next to the store].
    #[arg(long, value_name = "FILE")]
    state: Option<PathBuf>,
    /// Forget the resume point and push every graph.
    #[arg(long)]
    restart: bool,
    /// Attempts after the first for a failed request.
    #[arg(long, default_value_t = 5)]
    retries: u32,
    /// First backoff delay in seconds (doubled at each attempt, with jitter).
    #[arg(long, default_value_t = 1.0)]
    backoff: f64,
    /// Time limit of one request, in seconds.
    #[arg(long, default_value_t = 300.0)]
    timeout: f64,
}

pub(super) fn link(args: LinkArgs) -> Result<ExitCode> {
    use chronograph_link::{client, run, score};
    if !(0.0..=1.0).contains(&args.accept) || !(0.0..=args.accept).contains(&args.review) {
        bail!("thresholds must satisfy 0 <= --review <= --accept <= 1");
    }
    let contact = args
        .contact
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    if args.endpoint == client::DEFAULT_ENDPOINT && !args.offline && contact.is_none() {
        bail!(
            "Wikimedia's User-Agent policy asks every tool that calls {} for a way to reach \
             its operator: give --contact EMAIL-or-URL (or set CHRONOGRAPH_CONTACT)",
            client::DEFAULT_ENDPOINT
        );
    }
    if !(args.backoff >= 0.0 && args.backoff.is_finite()) {
        bail!("--backoff must be a number of seconds");
    }
    let store = open_store(&args.store, false)?;
    let cache = match args.cache.clone() {
        Some(dir) => dir,
        None => std::env::var_os("HOME")
            .map(PathBuf::from)
            .unwrap_or_else(std::env::temp_dir)
            .join(".cache/chronograph/wikidata"),
    };
    let config = client::ClientConfig {
        endpoint: args.endpoint.clone(),
        language: args.language.clone(),
        uselang: args.language.clone(),
        user_agent: client::default_user_agent(args.contact.as_deref()),
        maxlag: args.maxlag,
        backoff_base: std::time::Duration::from_secs_f64(args.backoff),
        budget: args.budget,
        concurrency: args.concurrency.max(1),
        cache_dir: Some(cache.clone()),
        offline: args.offline,
        ..client::ClientConfig::default()
    };
    let wikidata = client::WikidataClient::new(config).context("preparing the Wikidata client")?;
    let thresholds = score::Thresholds {
        accept: args.accept,
        review: args.review,
        ..score::Thresholds::default()
    };
    let bar = progress_bar("linking");
    let since = store
        .write_count()
        .context("reading the store's write count")?;
    let (summary, _) = run::run(&store, &wikidata, thresholds, &args.review_file, &bar)
        .with_context(|| format!("linking {}", args.store.store.display()))?;
    // The links name no document or event: the index only notes the write
    // (or is built whole, if it was behind).
    if chronograph_search::SearchIndex::open(&args.store.store).is_ok() {
        chronograph_search::SearchIndex::catch_up(&store, &args.store.store, since, &[])
            .context("updating the search index (run `chronograph reindex`)")?;
    }
    bar.finish_and_clear();
    let stats = wikidata.stats();
    println!(
        "{} people, places and organisations: {} linked ({} by a curator), {} to review in {}, {} without a candidate; {} request(s) made, {} cache hit(s) ({})",
        summary.targets,
        summary.linked,
        summary.by_curator,
        summary.to_review,
        args.review_file.display(),
        summary.no_candidate,
        stats.requests,
        stats.cache_hits,
        cache.display()
    );
    Ok(ExitCode::SUCCESS)
}

pub(super) fn serve(args: ServeArgs) -> Result<ExitCode> {
    let update_token = match &args.update_token_file {
        Some(path) => Some(
            std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?
                .trim()
                .to_owned(),
        ),
        None => args.update_token.clone(),
    };
    if update_token.as_deref().is_some_and(|t| t.trim().is_empty()) {
        let origin = match &args.update_token_file {
            Some(path) => format!("the update token file {}", path.display()),
            None => "--update-token (or CHRONOGRAPH_UPDATE_TOKEN)".to_owned(),
        };
        bail!(
            "{origin} is empty: an empty token would let every request write; \
             give a secret, or leave the token out for a read-only server"
        );
    }
    if !(args.timeout > 0.0 && args.timeout.is_finite()) {
        bail!("--timeout must be a positive number of seconds");
    }
    // A writable store when updates are allowed, else read-only (several servers may share it).
    let store = open_store(&args.store, update_token.is_none())?;
    // A writable server brings an index left behind (by a crash) up to date
    // before serving; a read-only one serves without it (and says so).
    if update_token.is_some()
        && chronograph_search::SearchIndex::open(&args.store.store).is_ok()
        && chronograph_search::SearchIndex::open_current(&store, &args.store.store).is_err()
    {
        eprintln!("the search index is behind the store: building it again");
        chronograph_search::SearchIndex::rebuild(&store, &args.store.store)
            .context("rebuilding the search index")?;
    }
    let dumps_dir = match args.dumps_dir.clone() {
        Some(dir) => dir,
        None => {
            let absolute = std::fs::canonicalize(&args.store.store)
                .unwrap_or_else(|_| args.store.store.clone());
            let key = chronograph_core::ids::short_hash(&absolute.display().to_string());
            std::env::temp_dir().join(format!("chronograph-dumps-{key}"))
        }
    };
    let options = chronograph_serve::ServeOptions {
        bind: args.bind,
        timeout: std::time::Duration::from_secs_f64(args.timeout),
        update_token,
        max_body_bytes: args.max_body_bytes,
        dumps_dir,
        dumps_on_demand: args.dumps_on_demand,
        federation: args
            .federation
            .then(|| chronograph_core::federation::FederationPolicy {
                allowed_hosts: args.federation_allow.clone(),
            }),
        cors_origins: args.cors_origins.clone(),
        store_folder: Some(args.store.store.clone()),
        max_evaluations: args
            .max_evaluations
            .map(|n| n as usize)
            .unwrap_or_else(chronograph_serve::default_max_evaluations),
    };
    let state = std::sync::Arc::new(
        chronograph_serve::AppState::new(store, options).context("preparing the server")?,
    );
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    let served = runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(args.bind)
            .await
            .with_context(|| format!("binding {}", args.bind))?;
        eprintln!(
            "chronograph serving {} on http://{}/ (SPARQL at /sparql)",
            args.store.store.display(),
            listener.local_addr()?
        );
        chronograph_serve::serve_on(listener, state, shutdown_signal())
            .await
            .context("server failed")
    });
    // The requests in flight have been answered. Work left on blocking threads
    // (dumps being written, which take minutes on a large store) ends with the
    // process instead of holding up the shutdown; a half-written dump is a
    // temporary file that the next start removes.
    runtime.shutdown_timeout(std::time::Duration::from_secs(2));
    served?;
    Ok(ExitCode::SUCCESS)
}

/// Resolves on Ctrl-C or SIGTERM, for a graceful shutdown.
pub(super) async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down");
}

pub(super) fn publish_to(args: PublishArgs) -> Result<ExitCode> {
    use chronograph_publish::{Auth, PushOptions};
    use std::time::Duration;
    let store = open_store(&args.store, true)?;
    let seconds = |name: &str, s: f64| {
        Duration::try_from_secs_f64(s).with_context(|| format!("--{name} {s}: not a duration"))
    };
    let auth = match (&args.user, &args.password, &args.token) {
        (Some(user), password, _) => Some(Auth::Password {
            user: user.clone(),
            password: password.clone().unwrap_or_default(),
        }),
        (None, _, Some(token)) => Some(Auth::Bearer(token.clone())),
        (None, _, None) => None,
    };
    let graphs = args
        .graph
        .iter()
        .map(|g| NamedNode::new(g.as_str()).with_context(|| format!("--graph {g}: not an IRI")))
        .collect::<Result<Vec<_>>>()?;
    let state_file = args.state.clone().unwrap_or_else(|| {
        let mut name = args.store.store.clone().into_os_string();
        name.push(".publish.json");
        PathBuf::from(name)
    });
    let options = PushOptions {
        endpoint: args.to.clone(),
        batch_triples: args.batch,
        auth,
        retries: args.retries,
        backoff: seconds("backoff", args.backoff)?,
        max_wait: Duration::from_secs(60),
        timeout: seconds("timeout", args.timeout)?,
        state_file: state_file.clone(),
        restart: args.restart,
        graphs,
        include_union: args.include_union,
        user_agent: chronograph_core::http::default_user_agent(None),
    };
    let bar = progress_bar("pushing");
    let report = chronograph_publish::push(&store, &options, &bar)
        .with_context(|| format!("publishing {} to {}", args.store.store.display(), args.to))?;
    println!(
        "pushed {} of {} graph(s), {} triples in {} request(s) ({} retried) to {}; {} already there and unchanged",
        report.pushed,
        report.graphs,
        report.triples,
        report.requests,
        report.retries,
        args.to,
        report.unchanged
    );
    println!("resume point: {}", state_file.display());
    Ok(ExitCode::SUCCESS)
}

pub(super) fn harvest(args: HarvestArgs) -> Result<ExitCode> {
    use chronograph_harvest::{fetch::FetchConfig, HarvestOptions};
    use std::time::Duration;
    let seconds = |name: &str, s: f64| {
        Duration::try_from_secs_f64(s).with_context(|| format!("--{name} {s}: not a duration"))
    };
    let read = read_options(&args.reader)?;
    let options = HarvestOptions {
        start: args.start.clone(),
        fetch: FetchConfig {
            user_agent: chronograph_core::http::default_user_agent(args.contact.as_deref()),
            rate_per_host: args.rate,
            timeout: seconds("timeout", args.timeout)?,
            retries: args.retries,
            backoff: seconds("backoff", args.backoff)?,
            max_wait: seconds("max-wait", args.max_wait)?,
            max_redirects: args.max_redirects,
            max_crawl_delay: seconds("max-crawl-delay", args.max_crawl_delay)?,
            ..FetchConfig::default()
        },
        concurrency: args.concurrency,
        max_pages: args.max_pages,
        since: args.since,
        dry_run: args.dry_run,
        restart: args.restart,
        fetch_ris: args.ris,
    };
    // Open the store first: a store in use fails before any request is sent.
    let store = match (&args.store, args.load && !args.dry_run) {
        (Some(path), true) => Some(open_store(
            &StoreArgs {
                store: path.clone(),
                base: args.base.clone(),
            },
            false,
        )?),
        _ => None,
    };
    let bar = if io::stderr().is_terminal() {
        let bar = ProgressBar::new_spinner();
        bar.enable_steady_tick(Duration::from_millis(200));
        bar
    } else {
        ProgressBar::hidden()
    };
    let (report, parsed) = chronograph_harvest::harvest(&args.cache, &options, &read, &bar)
        .with_context(|| format!("harvesting into {}", args.cache.display()))?;
    let mut out = io::stdout().lock();
    if args.dry_run {
        for (url, why) in &report.would_fetch {
            writeln!(out, "would fetch {url}  ({why})")?;
        }
        writeln!(
            out,
            "dry run: {} page(s) would be fetched from the sitemaps and start pages; pages \
             linked only from listings are found when those are fetched",
            report.would_fetch.len()
        )?;
    }
    writeln!(
        out,
        "harvest run {}{}: {} fetched, {} not modified, {} from this run's cache, {} alias(es), \
         {} failed, {} disallowed by robots.txt, {} unparsed; {} request(s) ({} retries) in {:.1} s",
        report.run,
        if report.resumed { " (resumed)" } else { "" },
        report.fetched,
        report.not_modified,
        report.from_cache,
        report.aliases,
        report.failed.len(),
        report.disallowed.len(),
        report.unparsed.len(),
        report.requests,
        report.retries,
        report.seconds
    )?;
    if args.ris {
        let with_ris = report
            .pages
            .iter()
            .filter(|p| p.ris_sha256.is_some())
            .count();
        writeln!(
            out,
            "RIS exports: {with_ris} page(s) with one, {} document(s) without (404)",
            report.ris_missing
        )?;
    }
    if report.skipped_since > 0 {
        writeln!(
            out,
            "{} sitemap entries older than --since skipped",
            report.skipped_since
        )?;
    }
    for failure in &report.failed {
        writeln!(out, "failed: {} ({})", failure.url, failure.reason)?;
    }
    for url in &report.disallowed {
        writeln!(out, "disallowed: {url}")?;
    }
    for failure in &report.unparsed {
        writeln!(out, "unparsed: {}: {}", failure.url, failure.reason)?;
    }
    if !report.finished && !args.dry_run {
        writeln!(
            out,
            "{} page(s) left in the queue (--max-pages); run the same command again to continue",
            report.left_queued
        )?;
    }
    drop(out);
    if let Some(path) = &args.report {
        let json = serde_json::to_vec_pretty(&report)?;
        std::fs::write(path, json).with_context(|| format!("writing {}", path.display()))?;
    }
    if let (Some(store), Some(store_path)) = (&store, &args.store) {
        match chronograph_harvest::load_harvested(store, &args.cache, &report, parsed, read)? {
            Some(loaded) => print_report(&loaded, store_path)?,
            None => println!(
                "store {}: up to date, no harvested page changed since it was loaded",
                store_path.display()
            ),
        }
    }
    Ok(ExitCode::SUCCESS)
}
