//! `chronograph search` and `chronograph reindex`: the full-text index
//! beside the store (crates/search).

use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};

use super::{open_store, StoreArgs};
use chronograph_search::SearchIndex;

#[derive(Debug, Args)]
pub(super) struct SearchArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// Hits shown.
    #[arg(long, default_value_t = 10)]
    limit: usize,
    /// Hits skipped (the next page: --offset 10).
    #[arg(long, default_value_t = 0)]
    offset: usize,
    /// A table for people, or JSON ({"total", "hits", "facets"}).
    #[arg(long, value_enum, default_value_t = SearchFormat::Table)]
    format: SearchFormat,
    /// Words (ANDed), "phrases", OR, -exclusion, prefix*, and filters such as
    /// person:"Kim Il Sung", place:Pyongyang, year:1965, year:1960..1965.
    #[arg(required = true)]
    query: Vec<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(super) enum SearchFormat {
    Table,
    Json,
}

#[derive(Debug, Args)]
pub(super) struct ReindexArgs {
    #[command(flatten)]
    store: StoreArgs,
}

pub(super) fn search(args: SearchArgs) -> Result<ExitCode> {
    let store = open_store(&args.store, true)?;
    let index = SearchIndex::open_current(&store, &args.store.store)?;
    let query = args.query.join(" ");
    let results = index
        .search(&store, &query, args.limit, args.offset)
        .with_context(|| format!("searching {}", args.store.store.display()))?;
    match args.format {
        SearchFormat::Json => println!("{}", serde_json::to_string_pretty(&results)?),
        SearchFormat::Table => {
            println!(
                "{} hit(s) for {query}; {} to {}:",
                results.total,
                args.offset + usize::from(!results.hits.is_empty()),
                args.offset + results.hits.len()
            );
            for hit in &results.hits {
                println!(
                    "\n{:>6.2}  {}  {}\n        {}\n        {}",
                    hit.score,
                    hit.date.as_deref().unwrap_or("(no date)"),
                    hit.title,
                    hit.iri,
                    hit.snippet.replace("<b>", "*").replace("</b>", "*")
                );
            }
            for (facet, values) in &results.facets {
                if values.is_empty() {
                    continue;
                }
                let shown: Vec<String> = values
                    .iter()
                    .map(|v| format!("{} ({})", v.value, v.count))
                    .collect();
                println!("\n{facet}: {}", shown.join(", "));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) fn reindex(args: ReindexArgs) -> Result<ExitCode> {
    if !args.store.store.exists() {
        bail!("no store at {}", args.store.store.display());
    }
    // The write lock: no load changes the store while it is read whole.
    let store = open_store(&args.store, false)?;
    let started = std::time::Instant::now();
    let (index, records) = SearchIndex::rebuild(&store, &args.store.store)
        .with_context(|| format!("indexing {}", args.store.store.display()))?;
    println!(
        "indexed {records} documents and events of {} in {:.1} s into {}",
        args.store.store.display(),
        started.elapsed().as_secs_f64(),
        index.folder().display()
    );
    Ok(ExitCode::SUCCESS)
}
