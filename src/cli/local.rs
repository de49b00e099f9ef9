//! The commands on files and a store on this machine: load, query, export,
//! map, read, optimize and gen-corpus.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use chronograph_core::export::{self, ExportFormat};
use chronograph_core::mapping::iri::{Base, DEFAULT_BASE};
use chronograph_core::pipeline::{self, LoadError, LoadOptions, WriteMode};
use chronograph_core::query::{self, GraphFormat, SolutionsFormat};
use chronograph_core::sources::{self};
use clap::{Args, ValueEnum};
use oxigraph::model::NamedNode;

use super::*;

#[derive(Debug, Args)]
pub(super) struct GenCorpusArgs {
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
pub(super) enum GenCorpusFormat {
    Jsonl,
    Html,
}

#[derive(Debug, Args)]
pub(super) struct OptimizeArgs {
    #[command(flatten)]
    store: StoreArgs,
}

#[derive(Debug, Args)]
pub(super) struct CheckArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// Report the disagreements without repairing them (exit code 1 if any).
    #[arg(long)]
    dry_run: bool,
}

#[derive(Debug, Args)]
pub(super) struct LoadArgs {
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
    #[arg(long, default_value_t = chronograph_core::store::DEFAULT_BULK_MEMORY_MB, value_name = "MB")]
    bulk_memory: usize,
    /// A bulk load commits whole source graphs in atomic steps of this many
    /// quads or more (1: each graph on its own). Fewer steps rewrite less.
    #[arg(long, default_value_t = chronograph_core::store::DEFAULT_STEP_QUADS, value_name = "QUADS")]
    bulk_step: usize,
    /// After a bulk load, leave the store uncompacted (faster to finish,
    /// much slower to read until `chronograph optimize` runs). Without it a
    /// bulk load compacts when it ingested more than 4 loader batches.
    #[arg(long)]
    no_optimize: bool,
    /// Leave the search index as it is (bring it up to date later with
    /// `chronograph reindex`); by default the load indexes what it wrote.
    #[arg(long)]
    no_index: bool,
    /// Files and folders to load.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(super) enum QueryFormat {
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
pub(super) struct QueryArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// Read the query from a file (e.g. queries/timeline.rq).
    #[arg(long, short = 'f', conflicts_with = "query")]
    file: Option<PathBuf>,
    /// Output format; default: a table on a terminal, TSV (or Turtle for graphs) otherwise.
    #[arg(long)]
    format: Option<QueryFormat>,
    /// Let `SERVICE` reach remote SPARQL endpoints (e.g. Wikidata's query
    /// service); never a loopback or private address unless --federation-allow names it.
    #[arg(long)]
    federation: bool,
    /// A host `SERVICE` may reach although it is on a loopback or private
    /// address (a local mirror); repeatable. Needs --federation.
    #[arg(long, value_name = "HOST", requires = "federation")]
    federation_allow: Vec<String>,
    /// The query text.
    query: Option<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(super) enum ExportSyntax {
    Turtle,
    Ntriples,
    Nquads,
    Trig,
    Jsonld,
    Rdfxml,
}

#[derive(Debug, Args)]
pub(super) struct ExportArgs {
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
pub(super) struct MapArgs {
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
pub(super) struct ReadArgs {
    #[command(flatten)]
    reader: ReaderArgs,
    /// Files and folders to read.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
}

pub(super) fn optimize(args: OptimizeArgs) -> Result<ExitCode> {
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

pub(super) fn check(args: CheckArgs) -> Result<ExitCode> {
    if !args.store.store.exists() {
        bail!("no store at {}", args.store.store.display());
    }
    let store = open_store(&args.store, false)?;
    let started = std::time::Instant::now();
    let check = store
        .check_union(!args.dry_run)
        .with_context(|| format!("checking {}", args.store.store.display()))?;
    let statistics = store
        .check_statistics(!args.dry_run)
        .with_context(|| format!("checking the statistics of {}", args.store.store.display()))?;
    if statistics > 0 {
        eprintln!(
            "{statistics} statistic(s) differ from a recount{}",
            if args.dry_run { "" } else { "; counted again" }
        );
    }
    let seconds = started.elapsed().as_secs_f64();
    if check.agreed() {
        println!(
            "checked {} quads in {seconds:.1} s: the union graph agrees with the other graphs",
            check.quads_read
        );
        return Ok(if statistics > 0 && args.dry_run {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        });
    }
    for triple in check.stale.iter().take(10) {
        eprintln!("stale in the union graph (no other graph states it): {triple}");
    }
    for triple in check.missing.iter().take(10) {
        eprintln!("missing from the union graph: {triple}");
    }
    println!(
        "checked {} quads in {seconds:.1} s: {} stale and {} missing union triple(s){}",
        check.quads_read,
        check.stale.len(),
        check.missing.len(),
        if check.repaired {
            "; repaired"
        } else {
            "; not repaired (--dry-run)"
        }
    );
    Ok(if check.repaired {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

pub(super) fn load(args: LoadArgs) -> Result<ExitCode> {
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
        // With the index, a bulk load's statistics are counted after the
        // index is built from the settled store (see the option).
        count_statistics_after_bulk: args.no_index,
    };
    let bar = progress_bar("reading");
    let since = store
        .write_count()
        .context("reading the store's write count")?;
    match pipeline::load(&store, &args.inputs, &options, &bar) {
        Ok(report) => {
            print_report(&report, &args.store.store)?;
            let graphs: Vec<_> = report
                .sources
                .iter()
                .filter_map(|s| s.graph.clone())
                .collect();
            if args.no_index {
                println!(
                    "search index: left as it was (--no-index); `chronograph reindex --store {}` brings it up to date",
                    args.store.store.display()
                );
                return Ok(ExitCode::SUCCESS);
            }
            let started = std::time::Instant::now();
            if report.statistics_pending {
                // A bulk load leaves the statistics to count: they and the
                // index come from one read of the records. A crash from
                // here on leaves the statistics pending (counted on the next
                // writable open) and the index behind (rebuilt).
                let (_, records, _) = chronograph_search::SearchIndex::after_bulk_load(
                    &store,
                    &args.store.store,
                    since,
                    &graphs,
                )
                .context("counting the statistics and updating the search index (run `chronograph reindex`)")?;
                println!(
                    "search index: {records} documents and events indexed in {:.1} s, with the statistics counted from the same read",
                    started.elapsed().as_secs_f64()
                );
            } else {
                let (_, records) = chronograph_search::SearchIndex::after_load(
                    &store,
                    &args.store.store,
                    since,
                    &graphs,
                )
                .context("updating the search index (run `chronograph reindex`)")?;
                println!(
                    "search index: {records} documents and events indexed in {:.1} s",
                    started.elapsed().as_secs_f64()
                );
            }
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

pub(super) fn run_query(args: QueryArgs) -> Result<ExitCode> {
    let text = match (&args.file, &args.query) {
        (Some(file), _) => {
            std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?
        }
        (None, Some(q)) => q.clone(),
        (None, None) => bail!("give a query or --file FILE"),
    };
    let store = open_store(&args.store, true)?;
    let federation = args
        .federation
        .then(|| chronograph_core::federation::FederationPolicy {
            allowed_hosts: args.federation_allow.clone(),
        });
    // SERVICE <https://w3id.org/chronograph/search> when the store has an index.
    let services: Vec<query::LocalService> =
        match chronograph_search::SearchIndex::open_current(&store, &args.store.store) {
            Ok(index) => vec![chronograph_search::SearchService::new(
                std::sync::Arc::new(index),
                store.clone(),
            )
            .local()],
            Err(_) => Vec::new(),
        };
    let results = match query::execute_with_services(&store, &text, federation.as_ref(), &services)
    {
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

pub(super) fn export_format(syntax: ExportSyntax) -> ExportFormat {
    match syntax {
        ExportSyntax::Turtle => ExportFormat::Turtle,
        ExportSyntax::Ntriples => ExportFormat::NTriples,
        ExportSyntax::Nquads => ExportFormat::NQuads,
        ExportSyntax::Trig => ExportFormat::TriG,
        ExportSyntax::Jsonld => ExportFormat::JsonLd,
        ExportSyntax::Rdfxml => ExportFormat::RdfXml,
    }
}

pub(super) fn run_export(args: ExportArgs) -> Result<ExitCode> {
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

pub(super) fn map(args: MapArgs) -> Result<ExitCode> {
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

pub(super) fn read(args: ReadArgs) -> Result<ExitCode> {
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

pub(super) fn gen_corpus(args: GenCorpusArgs) -> Result<ExitCode> {
    use chronograph_corpus::{CorpusFormat, CorpusOptions};
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
    let summary = chronograph_corpus::write_corpus(&options, &args.out)?;
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
