//! Argument parsing and printing; every command calls into the library.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use chronograph::export::{self, ExportFormat};
use chronograph::mapping::iri::{Base, DEFAULT_BASE};
use chronograph::pipeline::{self, LoadError, LoadOptions, LoadReport, WriteMode};
use chronograph::query::{self, GraphFormat, SolutionsFormat};
use chronograph::sources::{self, ReadOptions, DEFAULT_MAX_RECORD_BYTES};
use chronograph::store::ArchiveStore;
use clap::{Args, Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use oxigraph::model::NamedNode;

/// chronograph: archive pages → typed records → RDF → an embedded SPARQL store.
#[derive(Debug, Parser)]
#[command(name = "chronograph", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// More log output (-v info, -vv debug); CHRONOGRAPH_LOG overrides.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    verbose: u8,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Read pages, JSONL, CSV or RIS files and folders into an on-disk store.
    Load(LoadArgs),
    /// Run a SPARQL query against a store.
    Query(QueryArgs),
    /// Write the store (or one graph) in a standard RDF syntax.
    Export(ExportArgs),
    /// Map sources to RDF without a store: the triples a load would write
    /// (N-Triples by default), streamed to a file or standard output.
    Map(MapArgs),
    /// Parse sources (pages, JSONL, CSV, RIS) and print their records as JSON Lines, without a store.
    Read(ReadArgs),
    /// Serve the store: a SPARQL 1.1 endpoint and dereferenceable resource IRIs.
    Serve(ServeArgs),
    /// Link people to Wikidata items: candidates, scores with evidence, a review file.
    Link(LinkArgs),
    /// Harvest an archive's website politely into a page cache (and the store,
    /// with --load); resumable: run the same command again after an interruption.
    Harvest(HarvestArgs),
    /// Print the built-in site profile as TOML: the start of a profile for
    /// another site's markup (see profiles/).
    Profile,
    /// Generate a deterministic synthetic corpus in the archive's structure
    /// (authority file, documents, events) for benchmarks and tests.
    GenCorpus(GenCorpusArgs),
    /// Push the store's named graphs to another triple store over the SPARQL 1.1
    /// Graph Store Protocol (Fuseki, GraphDB, Virtuoso, Stardog, Neptune,
    /// oxigraph serve): in batches, with retries, optional authentication and a
    /// resume point (run the same command again after an interruption).
    Publish(PublishArgs),
    /// Compact a store's indexes (a bulk load does it unless --no-optimize):
    /// lookups, exports and queries then read one sorted file per level.
    Optimize(OptimizeArgs),
}

#[derive(Debug, Args)]
struct GenCorpusArgs {
    /// Documents to generate.
    #[arg(long, default_value_t = 1000)]
    documents: usize,
    /// People in the authority file (one in 25 of them, at most 60, are translators).
    #[arg(long, default_value_t = 200)]
    people: usize,
    /// Dated events, each naming two to four people.
    #[arg(long, default_value_t = 500)]
    events: usize,
    /// The seed: the same options and seed give byte-identical files.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// JSON Lines records (documents-NNNN.jsonl, events-NNNN.jsonl) or the
    /// archive's HTML pages (documents/NNN/ID.html, people/ID.html).
    #[arg(long, value_enum, default_value = "jsonl")]
    format: GenCorpusFormat,
    /// Output folder (created; an earlier corpus in it is replaced, any other
    /// non-empty folder refused).
    #[arg(long, default_value = "out/corpus")]
    out: PathBuf,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum GenCorpusFormat {
    Jsonl,
    Html,
}

#[derive(Debug, Args)]
struct LinkArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// The MediaWiki API of Wikidata.
    #[arg(long, default_value = chronograph::linking::client::DEFAULT_ENDPOINT)]
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
struct ServeArgs {
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
    /// Let `SERVICE` in queries reach remote SPARQL endpoints (off: the server never calls out).
    #[arg(long)]
    federation: bool,
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
}

#[derive(Debug, Args)]
struct OptimizeArgs {
    #[command(flatten)]
    store: StoreArgs,
}

#[derive(Debug, Args)]
struct StoreArgs {
    /// The store folder (created if missing).
    #[arg(long, env = "CHRONOGRAPH_STORE")]
    store: PathBuf,
    /// Base IRI under which resources are minted.
    #[arg(long, env = "CHRONOGRAPH_BASE", default_value = DEFAULT_BASE)]
    base: String,
}

#[derive(Debug, Args)]
struct ReaderArgs {
    /// Subject's name for person pages whose text lost it.
    #[arg(long)]
    subject: Option<String>,
    /// Largest record accepted, in bytes (a page, a JSONL line, a CSV row).
    #[arg(long, default_value_t = DEFAULT_MAX_RECORD_BYTES)]
    max_record_bytes: usize,
    /// Site profile with the selectors of another site's markup: a TOML file,
    /// or a built-in name: `wilson-center` (the default, also in
    /// profiles/default.toml) or `wilson-center-2022` (the site's 2022 markup,
    /// profiles/wilson-center-2022.toml).
    #[arg(long, value_name = "FILE|NAME")]
    profile: Option<PathBuf>,
}

/// The built-in site profiles by name: the TOML of each (`None`: the code's default).
const BUILT_IN_PROFILES: [(&str, Option<&str>); 2] = [
    ("wilson-center", None),
    (
        "wilson-center-2022",
        Some(include_str!("../profiles/wilson-center-2022.toml")),
    ),
];

#[derive(Debug, Args)]
struct HarvestArgs {
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
struct PublishArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// The Graph Store Protocol endpoint, e.g. http://host:3030/ds/data (Fuseki),
    /// http://host:7878/store (Oxigraph), http://host:8890/sparql-graph-crud-auth (Virtuoso).
    #[arg(long, value_name = "URL")]
    to: url::Url,
    /// The most triples in one request.
    #[arg(long, default_value_t = 50_000, value_name = "TRIPLES")]
    batch: usize,
    /// User name for HTTP Basic authentication.
    #[arg(long, env = "CHRONOGRAPH_PUBLISH_USER")]
    user: Option<String>,
    /// Password for HTTP Basic authentication (better from the environment).
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

#[derive(Debug, Args)]
struct LoadArgs {
    #[command(flatten)]
    store: StoreArgs,
    #[command(flatten)]
    reader: ReaderArgs,
    /// Authority file(s) of names and variants, read before the other sources.
    #[arg(long)]
    authority: Vec<PathBuf>,
    /// Fail the whole load, leaving the store unchanged, if any record is rejected
    /// (written with transactions).
    #[arg(long, conflicts_with = "bulk")]
    strict: bool,
    /// Stream the records into Oxigraph's bulk loader (bounded memory; atomic
    /// ingestions of whole source graphs, see --bulk-step). Chosen by itself
    /// when the inputs reach 256 MiB.
    #[arg(long, conflicts_with = "transactions")]
    bulk: bool,
    /// Read everything, then write each source graph in a transaction, whatever the size.
    #[arg(long)]
    transactions: bool,
    /// A rough bound on the bulk loader's batches, in megabytes (RocksDB's own memory not counted).
    #[arg(long, default_value_t = chronograph::store::DEFAULT_BULK_MEMORY_MB, value_name = "MB")]
    bulk_memory: usize,
    /// A bulk load commits whole source graphs in atomic steps of this many
    /// quads or more (1: each graph on its own). Fewer steps rewrite less.
    #[arg(long, default_value_t = chronograph::store::DEFAULT_STEP_QUADS, value_name = "QUADS")]
    bulk_step: usize,
    /// After a bulk load, leave the store uncompacted (faster to finish,
    /// much slower to read until `chronograph optimize` runs). Without it a
    /// bulk load compacts when it ingested more than 4 loader batches.
    #[arg(long)]
    no_optimize: bool,
    /// Files and folders to load.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum QueryFormat {
    Table,
    Json,
    Xml,
    Csv,
    Tsv,
    Turtle,
    Ntriples,
    Jsonld,
    Rdfxml,
}

#[derive(Debug, Args)]
struct QueryArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// Read the query from a file (e.g. queries/timeline.rq).
    #[arg(long, short = 'f', conflicts_with = "query")]
    file: Option<PathBuf>,
    /// Output format; default: a table on a terminal, TSV (or Turtle for graphs) otherwise.
    #[arg(long)]
    format: Option<QueryFormat>,
    /// Let `SERVICE` reach remote SPARQL endpoints (e.g. Wikidata's query service).
    #[arg(long)]
    federation: bool,
    /// The query text.
    query: Option<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ExportSyntax {
    Turtle,
    Ntriples,
    Nquads,
    Trig,
    Jsonld,
    Rdfxml,
}

#[derive(Debug, Args)]
struct ExportArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// The syntax to write.
    #[arg(long, value_enum, default_value = "turtle")]
    format: ExportSyntax,
    /// Only this named graph.
    #[arg(long)]
    graph: Option<String>,
    /// Output file (default: standard output).
    #[arg(long, short = 'o')]
    output: Option<PathBuf>,
    /// RDFC-1.0 canonical N-Quads; prints their SHA-256 on standard error.
    #[arg(long, conflicts_with = "format")]
    canonical: bool,
}

#[derive(Debug, Args)]
struct MapArgs {
    #[command(flatten)]
    reader: ReaderArgs,
    /// Base IRI under which resources are minted.
    #[arg(long, env = "CHRONOGRAPH_BASE", default_value = DEFAULT_BASE)]
    base: String,
    /// Authority file(s) of names and variants, read before the other sources.
    #[arg(long)]
    authority: Vec<PathBuf>,
    /// The syntax to write (N-Quads, TriG and JSON-LD keep each source's named graph).
    #[arg(long, value_enum, default_value = "ntriples")]
    format: ExportSyntax,
    /// Output file (default: standard output).
    #[arg(long, short = 'o')]
    output: Option<PathBuf>,
    /// Files and folders to map.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
}

#[derive(Debug, Args)]
struct ReadArgs {
    #[command(flatten)]
    reader: ReaderArgs,
    /// Files and folders to read.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
}

/// Runs the command line and maps errors to an exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    // A server logs its requests (access log) unless told otherwise.
    let serving = matches!(cli.command, Command::Serve(_));
    init_logging(cli.verbose, serving);
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging(verbose: u8, serving: bool) {
    let default = match verbose {
        0 if serving => "warn,chronograph=info",
        0 => "warn",
        1 => "info",
        _ => "debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("CHRONOGRAPH_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(io::stderr)
        .with_ansi(io::stderr().is_terminal())
        .with_target(false)
        .init();
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Load(args) => load(args),
        Command::Query(args) => run_query(args),
        Command::Export(args) => run_export(args),
        Command::Read(args) => read(args),
        Command::Map(args) => map(args),
        Command::Serve(args) => serve(args),
        Command::Link(args) => link(args),
        Command::Harvest(args) => harvest(args),
        Command::GenCorpus(args) => gen_corpus(args),
        Command::Publish(args) => publish_to(args),
        Command::Optimize(args) => optimize(args),
        Command::Profile => {
            print!("{}", chronograph::sources::SiteProfile::default().to_toml());
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn link(args: LinkArgs) -> Result<ExitCode> {
    use chronograph::linking::{client, run, score};
    if !(0.0..=1.0).contains(&args.accept) || !(0.0..=args.accept).contains(&args.review) {
        bail!("thresholds must satisfy 0 <= --review <= --accept <= 1");
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
    let (summary, _) = run::run(&store, &wikidata, thresholds, &args.review_file, &bar)
        .with_context(|| format!("linking {}", args.store.store.display()))?;
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

fn serve(args: ServeArgs) -> Result<ExitCode> {
    let update_token = match &args.update_token_file {
        Some(path) => Some(
            std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?
                .trim()
                .to_owned(),
        ),
        None => args.update_token.clone(),
    };
    if !(args.timeout > 0.0 && args.timeout.is_finite()) {
        bail!("--timeout must be a positive number of seconds");
    }
    // A writable store when updates are allowed, else read-only (several servers may share it).
    let store = open_store(&args.store, update_token.is_none())?;
    let dumps_dir = match args.dumps_dir.clone() {
        Some(dir) => dir,
        None => {
            let absolute = std::fs::canonicalize(&args.store.store)
                .unwrap_or_else(|_| args.store.store.clone());
            let key = chronograph::mapping::iri::short_hash(&absolute.display().to_string());
            std::env::temp_dir().join(format!("chronograph-dumps-{key}"))
        }
    };
    let options = chronograph::publish::ServeOptions {
        bind: args.bind,
        timeout: std::time::Duration::from_secs_f64(args.timeout),
        update_token,
        max_body_bytes: args.max_body_bytes,
        dumps_dir,
        dumps_on_demand: args.dumps_on_demand,
        federation: args.federation,
        max_evaluations: args
            .max_evaluations
            .map(|n| n as usize)
            .unwrap_or_else(chronograph::publish::default_max_evaluations),
    };
    let state = std::sync::Arc::new(
        chronograph::publish::AppState::new(store, options).context("preparing the server")?,
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
        chronograph::publish::serve_on(listener, state, shutdown_signal())
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
async fn shutdown_signal() {
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

fn optimize(args: OptimizeArgs) -> Result<ExitCode> {
    if !args.store.store.exists() {
        bail!("no store at {}", args.store.store.display());
    }
    let store = open_store(&args.store, false)?;
    let started = std::time::Instant::now();
    store
        .optimize()
        .with_context(|| format!("compacting {}", args.store.store.display()))?;
    println!(
        "compacted {} in {:.1} s",
        args.store.store.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

fn open_store(args: &StoreArgs, read_only: bool) -> Result<ArchiveStore> {
    let base = Base::new(&args.base)?;
    if read_only {
        if !args.store.exists() {
            bail!(
                "no store at {} (run `chronograph load --store {} ...` first)",
                args.store.display(),
                args.store.display()
            );
        }
        ArchiveStore::open_read_only(&args.store, base)
            .with_context(|| format!("opening {}", args.store.display()))
    } else {
        ArchiveStore::open(&args.store, base)
            .with_context(|| format!("opening {}", args.store.display()))
    }
}

fn progress_bar(what: &str) -> ProgressBar {
    if !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(0);
    let style = ProgressStyle::with_template("{msg:>8} [{bar:40}] {pos}/{len} ({per_sec}, {eta})")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    bar.set_style(style);
    bar.set_message(what.to_owned());
    bar
}

fn read_options(args: &ReaderArgs) -> Result<ReadOptions> {
    let mut options = ReadOptions {
        subject: args.subject.clone(),
        max_record_bytes: args.max_record_bytes,
        ..ReadOptions::default()
    };
    if let Some(path) = &args.profile {
        let profile = site_profile(path)?;
        options.profile = chronograph::sources::CompiledProfile::compile(profile)
            .with_context(|| format!("site profile {}", path.display()))?;
    }
    Ok(options)
}

/// The profile `--profile` names: a file when there is one at that path, else a built-in profile.
fn site_profile(path: &Path) -> Result<chronograph::sources::SiteProfile> {
    use chronograph::sources::SiteProfile;
    if path.is_file() {
        return Ok(SiteProfile::read_file(path)?);
    }
    let name = path.to_string_lossy();
    match BUILT_IN_PROFILES.iter().find(|(n, _)| *n == name) {
        Some((_, None)) => Ok(SiteProfile::default()),
        Some((n, Some(toml))) => Ok(SiteProfile::from_toml(
            toml,
            &format!("built-in profile {n}"),
        )?),
        None => {
            let names: Vec<&str> = BUILT_IN_PROFILES.iter().map(|(n, _)| *n).collect();
            bail!(
                "--profile {name}: no such file, nor a built-in profile (built-in: {})",
                names.join(", ")
            )
        }
    }
}

fn load(args: LoadArgs) -> Result<ExitCode> {
    let store = open_store(&args.store, false)?;
    let options = LoadOptions {
        read: read_options(&args.reader)?,
        strict: args.strict,
        authority: args.authority.clone(),
        write_mode: match (args.bulk, args.transactions) {
            (true, _) => WriteMode::Bulk,
            (false, true) => WriteMode::Transactions,
            (false, false) => WriteMode::Auto,
        },
        bulk_memory_mb: args.bulk_memory,
        bulk_step_quads: args.bulk_step,
        optimize_after_bulk: !args.no_optimize,
    };
    let bar = progress_bar("reading");
    match pipeline::load(&store, &args.inputs, &options, &bar) {
        Ok(report) => {
            print_report(&report, &args.store.store)?;
            Ok(ExitCode::SUCCESS)
        }
        Err(LoadError::Strict(report)) => {
            bar.finish_and_clear();
            print_report(&report, &args.store.store)?;
            eprintln!("error: {} record(s) rejected; --strict: nothing was written, the store is unchanged", report.rejected);
            Ok(ExitCode::FAILURE)
        }
        Err(e) => Err(e).context("load failed"),
    }
}

fn publish_to(args: PublishArgs) -> Result<ExitCode> {
    use chronograph::publish::push::{self, Auth, PushOptions};
    use std::time::Duration;
    let store = open_store(&args.store, true)?;
    let seconds = |name: &str, s: f64| {
        Duration::try_from_secs_f64(s).with_context(|| format!("--{name} {s}: not a duration"))
    };
    let auth = match (&args.user, &args.password, &args.token) {
        (Some(user), password, _) => Some(Auth::Basic {
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
        user_agent: chronograph::http::default_user_agent(None),
    };
    let bar = progress_bar("pushing");
    let report = push::push(&store, &options, &bar)
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

fn print_report(report: &LoadReport, store: &Path) -> Result<()> {
    let mut out = io::stdout().lock();
    write_counts(&mut out, report)?;
    writeln!(
        out,
        "store {}: {} quads",
        store.display(),
        report.store_quads
    )?;
    Ok(())
}

/// The counts of a load or map, every rejection and warning, and the names
/// left out of mention matching.
fn write_counts(out: &mut impl Write, report: &LoadReport) -> Result<()> {
    writeln!(
        out,
        "read {} record(s) from {} source file(s): {} loaded, {} rejected, {} warning(s)",
        report.read,
        report.sources.len(),
        report.loaded,
        report.rejected,
        report.warnings.len()
    )?;
    if !report.rejections.is_empty() {
        writeln!(out, "rejected:")?;
        for rejection in &report.rejections {
            writeln!(out, "  {rejection}")?;
        }
    }
    if !report.warnings.is_empty() {
        writeln!(out, "warnings:")?;
        for warning in &report.warnings {
            writeln!(out, "  {warning}")?;
        }
    }
    let typing = &report.name_typing;
    if typing.total() > 0 {
        writeln!(
            out,
            "names typed by evidence: {} from the authority file, {} from person pages, {} from the heading's form, {} left as agents of unknown kind",
            typing.from_authority, typing.from_person_pages, typing.from_heading, typing.unknown
        )?;
    }
    if !report.ambiguous_variants.is_empty() {
        writeln!(
            out,
            "note: names shared by several entities, not used to find mentions: {}",
            report.ambiguous_variants.join(", ")
        )?;
    }
    Ok(())
}

fn harvest(args: HarvestArgs) -> Result<ExitCode> {
    use chronograph::harvest::{self, fetch::FetchConfig, HarvestOptions};
    use std::time::Duration;
    let seconds = |name: &str, s: f64| {
        Duration::try_from_secs_f64(s).with_context(|| format!("--{name} {s}: not a duration"))
    };
    let read = read_options(&args.reader)?;
    let options = HarvestOptions {
        start: args.start.clone(),
        fetch: FetchConfig {
            user_agent: chronograph::http::default_user_agent(args.contact.as_deref()),
            rate_per_host: args.rate,
            timeout: seconds("timeout", args.timeout)?,
            retries: args.retries,
            backoff: seconds("backoff", args.backoff)?,
            max_wait: seconds("max-wait", args.max_wait)?,
            max_redirects: args.max_redirects,
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
    let (report, parsed) = harvest::harvest(&args.cache, &options, &read, &bar)
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
        // Nothing to do when no page changed and the store holds each readable
        // page as it is in the cache (so a 304 costs no parse).
        let unchanged = report.pages.iter().all(|p| {
            let graph = store
                .base()
                .source_graph(&pipeline::web_graph_key(&p.final_url));
            !p.changed
                && (p.unreadable.is_some()
                    || store.source_sha256(&graph).ok().flatten() == Some(p.source_sha256()))
        });
        if unchanged {
            println!(
                "store {}: up to date, no harvested page changed since it was loaded",
                store_path.display()
            );
        } else {
            let batches = harvest::read_harvested_pages(&args.cache, &report, parsed, &read)?;
            let options = LoadOptions {
                read,
                ..LoadOptions::default()
            };
            let report = pipeline::load_batches(store, batches, &options, &ProgressBar::hidden())?;
            print_report(&report, store_path)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn run_query(args: QueryArgs) -> Result<ExitCode> {
    let text = match (&args.file, &args.query) {
        (Some(file), _) => {
            std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?
        }
        (None, Some(q)) => q.clone(),
        (None, None) => bail!("give a query or --file FILE"),
    };
    let store = open_store(&args.store, true)?;
    let results = match query::execute_with(&store, &text, args.federation) {
        Ok(results) => results,
        Err(e) => {
            let origin = args
                .file
                .as_ref()
                .map_or("query".to_owned(), |f| f.display().to_string());
            eprintln!("error: {origin}: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    let terminal = io::stdout().is_terminal();
    let (solutions, graph) = match args.format {
        Some(QueryFormat::Table) => (SolutionsFormat::Table, GraphFormat::Turtle),
        Some(QueryFormat::Json) => (SolutionsFormat::Json, GraphFormat::JsonLd),
        Some(QueryFormat::Xml) => (SolutionsFormat::Xml, GraphFormat::RdfXml),
        Some(QueryFormat::Csv) => (SolutionsFormat::Csv, GraphFormat::NTriples),
        Some(QueryFormat::Tsv) => (SolutionsFormat::Tsv, GraphFormat::NTriples),
        Some(QueryFormat::Turtle) => (SolutionsFormat::Table, GraphFormat::Turtle),
        Some(QueryFormat::Ntriples) => (SolutionsFormat::Tsv, GraphFormat::NTriples),
        Some(QueryFormat::Jsonld) => (SolutionsFormat::Json, GraphFormat::JsonLd),
        Some(QueryFormat::Rdfxml) => (SolutionsFormat::Xml, GraphFormat::RdfXml),
        None if terminal => (SolutionsFormat::Table, GraphFormat::Turtle),
        None => (SolutionsFormat::Tsv, GraphFormat::Turtle),
    };
    let mut out = BufWriter::new(io::stdout().lock());
    query::write_results(results, solutions, graph, &mut out)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn export_format(syntax: ExportSyntax) -> ExportFormat {
    match syntax {
        ExportSyntax::Turtle => ExportFormat::Turtle,
        ExportSyntax::Ntriples => ExportFormat::NTriples,
        ExportSyntax::Nquads => ExportFormat::NQuads,
        ExportSyntax::Trig => ExportFormat::TriG,
        ExportSyntax::Jsonld => ExportFormat::JsonLd,
        ExportSyntax::Rdfxml => ExportFormat::RdfXml,
    }
}

fn run_export(args: ExportArgs) -> Result<ExitCode> {
    let store = open_store(&args.store, true)?;
    let graph = args
        .graph
        .as_deref()
        .map(NamedNode::new)
        .transpose()
        .context("--graph must be an absolute IRI")?;
    let mut out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(BufWriter::new(
            File::create(path).with_context(|| format!("creating {}", path.display()))?,
        )),
        None => Box::new(BufWriter::new(io::stdout().lock())),
    };
    if args.canonical {
        let sha = export::export_canonical(&store, graph.as_ref(), &mut out)?;
        out.flush()?;
        eprintln!("sha256 {sha}");
        return Ok(ExitCode::SUCCESS);
    }
    let format = export_format(args.format);
    let bar = progress_bar("export");
    if !bar.is_hidden() {
        // Counting is a scan of the whole store: only for a bar that shows.
        bar.set_length(store.quad_count()? as u64);
    }
    let count = export::export(&store, format, graph.as_ref(), &mut out, &bar)?;
    bar.finish_and_clear();
    out.flush()?;
    if let Some(path) = &args.output {
        eprintln!("wrote {count} statements to {}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}

fn map(args: MapArgs) -> Result<ExitCode> {
    let base = Base::new(&args.base)?;
    let options = LoadOptions {
        read: read_options(&args.reader)?,
        authority: args.authority.clone(),
        ..LoadOptions::default()
    };
    let out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(BufWriter::with_capacity(
            1 << 20,
            File::create(path).with_context(|| format!("creating {}", path.display()))?,
        )),
        None => Box::new(BufWriter::with_capacity(1 << 20, io::stdout().lock())),
    };
    let bar = progress_bar("mapping");
    let (report, mut out) = pipeline::map_sources(
        &args.inputs,
        &base,
        &options,
        export_format(args.format),
        out,
        &bar,
    )
    .context("map failed")?;
    out.flush().context("writing the RDF")?;
    let mut err = io::stderr().lock();
    write_counts(&mut err, &report)?;
    let statements: usize = report.sources.iter().map(|s| s.quads).sum();
    let target = args
        .output
        .as_ref()
        .map_or("standard output".to_owned(), |p| p.display().to_string());
    writeln!(err, "wrote {statements} statement(s) to {target}")?;
    Ok(ExitCode::SUCCESS)
}

fn read(args: ReadArgs) -> Result<ExitCode> {
    let options = read_options(&args.reader)?;
    let paths = sources::collect_source_paths(&args.inputs)?;
    let mut out = BufWriter::new(io::stdout().lock());
    let (mut read, mut rejected) = (0, 0);
    for path in paths {
        let batch = sources::read_source(&path, &options);
        read += batch.read_count();
        rejected += batch.rejections.len();
        for record in &batch.records {
            serde_json::to_writer(&mut out, &record.record)?;
            writeln!(out)?;
        }
        for rejection in &batch.rejections {
            eprintln!("rejected: {rejection}");
        }
        for warning in &batch.warnings {
            eprintln!("warning: {warning}");
        }
    }
    out.flush()?;
    eprintln!(
        "read {read} record(s): {} parsed, {rejected} rejected",
        read - rejected
    );
    Ok(ExitCode::SUCCESS)
}

fn gen_corpus(args: GenCorpusArgs) -> Result<ExitCode> {
    use chronograph::corpus::{self, CorpusFormat, CorpusOptions};
    let options = CorpusOptions {
        documents: args.documents,
        people: args.people,
        events: args.events,
        seed: args.seed,
        format: match args.format {
            GenCorpusFormat::Jsonl => CorpusFormat::Jsonl,
            GenCorpusFormat::Html => CorpusFormat::Html,
        },
    };
    let started = std::time::Instant::now();
    let summary = corpus::write_corpus(&options, &args.out)?;
    let seconds = started.elapsed().as_secs_f64();
    let mib = summary.bytes as f64 / (1024.0 * 1024.0);
    println!(
        "gen-corpus: {} documents, {} people, {} events ({}, seed {}) in {}",
        summary.documents,
        summary.people,
        summary.events,
        options.format,
        options.seed,
        args.out.display()
    );
    println!(
        "wrote {} file(s), {} bytes ({mib:.1} MiB) in {seconds:.2} s ({:.1} MiB/s, {:.0} documents/s)",
        summary.files,
        summary.bytes,
        mib / seconds.max(1e-9),
        summary.documents as f64 / seconds.max(1e-9)
    );
    println!(
        "load it with: chronograph load --store STORE --authority {} {}",
        args.out.join("authority.csv").display(),
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}
