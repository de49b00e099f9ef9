//! Argument parsing and printing; every command calls into the library crates.
//!
//! [`local`] holds the commands that work on files and a store on this
//! machine, [`remote`] those that serve or talk to other servers.

mod local;
mod remote;
mod search;

use local::*;
use remote::*;

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use chronograph_core::mapping::iri::{Base, DEFAULT_BASE};
use chronograph_core::pipeline::LoadReport;
use chronograph_core::sources::{ReadOptions, DEFAULT_MAX_RECORD_BYTES};
use chronograph_core::store::ArchiveStore;
use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

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
    /// Check that the derived union graph equals the merge of the other
    /// graphs, and repair any disagreement (a store written by an older
    /// version, or damaged outside chronograph).
    Check(CheckArgs),
    /// Search the documents' and events' words: ranked hits with snippets,
    /// and facets (years, people, places, organisations, collections,
    /// archives, languages).
    Search(search::SearchArgs),
    /// Build the store's full-text index again from the store.
    Reindex(search::ReindexArgs),
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
        Some(include_str!("../../profiles/wilson-center-2022.toml")),
    ),
];

/// Runs the command line and maps errors to an exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    // A server logs its requests (access log) unless told otherwise.
    let serving = matches!(cli.command, Command::Serve(_));
    init_logging(cli.verbose, serving);
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {}", error_chain(&e));
            ExitCode::FAILURE
        }
    }
}

/// An error and its causes, each after a colon, as anyhow's `{:#}` prints
/// them, without a cause that only repeats the end of the one before (a
/// store's I/O error is its own source in Oxigraph's errors).
fn error_chain(error: &anyhow::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in error.chain() {
        let text = cause.to_string();
        if !parts.last().is_some_and(|last| last.ends_with(&text)) {
            parts.push(text);
        }
    }
    parts.join(": ")
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
        Command::Check(args) => check(args),
        Command::Search(args) => search::search(args),
        Command::Reindex(args) => search::reindex(args),
        Command::Profile => {
            print!(
                "{}",
                chronograph_core::sources::SiteProfile::default().to_toml()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
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
        let store = ArchiveStore::open(&args.store, base)
            .with_context(|| format!("opening {}", args.store.display()))?;
        // Statistics left pending by an interrupted bulk load (or missing from
        // a store of an older version) are counted before anything else.
        store
            .recount_statistics_if_needed()
            .with_context(|| format!("counting the statistics of {}", args.store.display()))?;
        Ok(store)
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
        options.profile = chronograph_core::sources::CompiledProfile::compile(profile)
            .with_context(|| format!("site profile {}", path.display()))?;
    }
    Ok(options)
}

/// The profile `--profile` names: a file when there is one at that path, else a built-in profile.
fn site_profile(path: &Path) -> Result<chronograph_core::sources::SiteProfile> {
    use chronograph_core::sources::SiteProfile;
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

fn print_report(report: &LoadReport, store: &Path) -> Result<()> {
    let mut out = io::stdout().lock();
    write_counts(&mut out, report)?;
    writeln!(
        out,
        "store {}: {} quads",
        store.display(),
        report.store_quads
    )?;
    if let Some(seconds) = report.statistics_seconds {
        writeln!(out, "statistics: counted in {seconds:.1} s")?;
    }
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
