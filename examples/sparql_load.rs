//! A small, bounded SPARQL 1.1 Protocol load generator for the benchmark in
//! `bench/serve-vs-oxigraph.sh` (not a test; never run by CI).
//!
//! ```text
//! cargo run --release --example sparql_load -- check --endpoint http://127.0.0.1:7901/sparql \
//!     --endpoint http://127.0.0.1:7902/query --default-graph-uri http://localhost:7878/graph/union \
//!     --query-file queries/*.rq
//! cargo run --release --example sparql_load -- run --label chronograph --endpoint http://127.0.0.1:7901/sparql \
//!     --default-graph-uri http://localhost:7878/graph/union --concurrency 4 --requests 1000 --json \
//!     --query-file queries/*.rq
//! cargo run --release --example sparql_load -- report --results cg.jsonl --rss-kb 30000 \
//!     --results ox.jsonl --rss-kb 25000
//! ```
//!
//! Every request is a `GET ?query=…&default-graph-uri=…` with
//! `Accept: application/sparql-results+json`, sent to 127.0.0.1 or another
//! loopback address only. `run` measures one endpoint: per query, a few
//! warm-up requests (whose results give the row count), then `--requests`
//! requests from `--concurrency` threads, stopped early after `--max-seconds`.
//! Measured responses are read in full but not parsed, to keep the client's
//! share of the CPU small.

use std::collections::BTreeMap;
use std::fs;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};
use clap::{Args, Parser, Subcommand};
use reqwest::blocking::Client;
use serde_json::{json, Value};

#[derive(Debug, Parser)]
#[command(
    name = "sparql_load",
    about = "Bounded SPARQL protocol load generator (127.0.0.1 only)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Measure one endpoint: throughput and latency per query.
    Run(RunArgs),
    /// Ask every endpoint each query once and compare the results (fails on a row-count mismatch).
    Check(CheckArgs),
    /// Turn the JSON lines of two `run`s into a markdown comparison (first / second).
    Report(ReportArgs),
}

#[derive(Debug, Args)]
struct Target {
    /// `default-graph-uri` protocol parameter sent with every query.
    #[arg(long)]
    default_graph_uri: Option<String>,
    /// Query files (.rq), each measured on its own.
    #[arg(long = "query-file", num_args = 1..)]
    query_files: Vec<PathBuf>,
}

#[derive(Debug, Args)]
struct RunArgs {
    /// SPARQL query endpoint, e.g. http://127.0.0.1:7901/sparql (loopback only).
    #[arg(long)]
    endpoint: String,
    /// Name of the server in the output.
    #[arg(long, default_value = "server")]
    label: String,
    #[command(flatten)]
    target: Target,
    /// Concurrent client threads (each with one keep-alive connection).
    #[arg(long, default_value_t = 4)]
    concurrency: usize,
    /// Measured requests per query.
    #[arg(long, default_value_t = 1000)]
    requests: usize,
    /// Unmeasured warm-up requests per query, sent first.
    #[arg(long, default_value_t = 10)]
    warmup: usize,
    /// Hard time cap for the measured requests of one query, in seconds.
    #[arg(long, default_value_t = 60.0)]
    max_seconds: f64,
    /// Print one JSON object per query (and one for all queries) instead of text.
    #[arg(long)]
    json: bool,
    /// A page of the same server to measure as well, by a plain GET of its
    /// path (e.g. `search-one-word=/search?q=plant&format=json`); the row
    /// count shown is the JSON answer's `total`, if it has one.
    #[arg(long = "page", value_name = "NAME=PATH")]
    pages: Vec<String>,
    /// `Accept` header of the pages' requests.
    #[arg(long, default_value = "application/json")]
    page_accept: String,
}

#[derive(Debug, Args)]
struct CheckArgs {
    /// The endpoints to compare (two or more); the first is the reference.
    #[arg(long = "endpoint", required = true, num_args = 1..)]
    endpoints: Vec<String>,
    #[command(flatten)]
    target: Target,
    /// Also fail when the rows differ in their values (not only in number).
    #[arg(long)]
    strict_values: bool,
}

#[derive(Debug, Args)]
struct ReportArgs {
    /// JSON-lines output of `run --json`: first the numerator server, then the denominator.
    #[arg(long = "results", required = true, num_args = 1..)]
    results: Vec<PathBuf>,
    /// Peak resident memory of each server in KiB, in the order of --results.
    #[arg(long = "rss-kb", num_args = 1..)]
    rss_kb: Vec<u64>,
    /// CPU seconds each server used during its run (warm-up included), in the order of --results.
    #[arg(long = "cpu-seconds", num_args = 1..)]
    cpu_seconds: Vec<f64>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Run(args) => run(args),
        Command::Check(args) => check(args),
        Command::Report(args) => report(args),
    };
    match outcome {
        Ok(code) => code,
        Err(e) => {
            eprintln!("sparql_load: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// A query file's name (without `.rq`) and text.
struct Query {
    name: String,
    text: String,
}

fn read_queries(files: &[PathBuf]) -> Result<Vec<Query>> {
    files
        .iter()
        .map(|f| {
            let text = fs::read_to_string(f).with_context(|| format!("reading {}", f.display()))?;
            let name = f.file_stem().map_or_else(
                || f.display().to_string(),
                |s| s.to_string_lossy().into_owned(),
            );
            Ok(Query { name, text })
        })
        .collect()
}

/// Refuses endpoints that are not on a loopback address: this tool only loads local servers.
fn loopback_endpoint(endpoint: &str) -> Result<String> {
    let url =
        reqwest::Url::parse(endpoint).with_context(|| format!("bad endpoint URL `{endpoint}`"))?;
    if url.scheme() != "http" {
        bail!("endpoint `{endpoint}`: only plain http:// to a loopback address is allowed");
    }
    let host = url
        .host_str()
        .ok_or_else(|| anyhow!("endpoint `{endpoint}` has no host"))?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let loopback = host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback());
    if !loopback {
        bail!("endpoint `{endpoint}` is not a loopback address; this load generator only talks to 127.0.0.1");
    }
    Ok(url.to_string())
}

/// The GET URL of one query with its protocol parameters.
fn request_url(endpoint: &str, query: &str, default_graph: Option<&str>) -> String {
    let mut params = form_urlencoded::Serializer::new(String::new());
    params.append_pair("query", query);
    if let Some(g) = default_graph {
        params.append_pair("default-graph-uri", g);
    }
    let sep = if endpoint.contains('?') { '&' } else { '?' };
    format!("{endpoint}{sep}{}", params.finish())
}

fn client(timeout: Duration, pool: usize) -> Result<Client> {
    Client::builder()
        .timeout(timeout)
        .pool_max_idle_per_host(pool.max(1))
        .no_proxy()
        .build()
        .context("building the HTTP client")
}

const ACCEPT: &str = "application/sparql-results+json";

/// Sends one query and returns the parsed JSON results.
/// A page's answer: its JSON when it is JSON, else `null` (an HTML page).
fn fetch_page(client: &Client, url: &str, accept: &str) -> Result<Value> {
    let response = client.get(url).header("Accept", accept).send()?;
    let status = response.status();
    let body = response.text()?;
    if !status.is_success() {
        bail!("HTTP {status}: {}", &body[..body.len().min(200)]);
    }
    Ok(serde_json::from_str(&body).unwrap_or(Value::Null))
}

fn fetch_results(client: &Client, url: &str) -> Result<Value> {
    let response = client.get(url).header("Accept", ACCEPT).send()?;
    let status = response.status();
    let body = response.text()?;
    if !status.is_success() {
        let snippet: String = body.chars().take(300).collect();
        bail!("HTTP {status}: {snippet}");
    }
    serde_json::from_str(&body).context("the response is not SPARQL JSON results")
}

/// Number of result rows (1 for an ASK).
fn row_count(results: &Value) -> Result<usize> {
    if let Some(rows) = results
        .pointer("/results/bindings")
        .and_then(Value::as_array)
    {
        Ok(rows.len())
    } else if results.get("boolean").is_some() {
        Ok(1)
    } else {
        bail!("neither results.bindings nor boolean in the response")
    }
}

/// The rows as a sorted list of canonical strings: blank node labels are
/// blanked out and the order of rows and of variables is ignored.
fn canonical_rows(results: &Value) -> Vec<String> {
    let Some(rows) = results
        .pointer("/results/bindings")
        .and_then(Value::as_array)
    else {
        return vec![results
            .get("boolean")
            .map(Value::to_string)
            .unwrap_or_default()];
    };
    let mut out: Vec<String> = rows
        .iter()
        .map(|row| {
            let mut cells: BTreeMap<&str, String> = BTreeMap::new();
            if let Some(obj) = row.as_object() {
                for (var, term) in obj {
                    let kind = term.get("type").and_then(Value::as_str).unwrap_or("");
                    let value = if kind == "bnode" {
                        ""
                    } else {
                        term.get("value").and_then(Value::as_str).unwrap_or("")
                    };
                    let datatype = term.get("datatype").and_then(Value::as_str).unwrap_or("");
                    let lang = term.get("xml:lang").and_then(Value::as_str).unwrap_or("");
                    cells.insert(var, format!("{kind}|{value}|{datatype}|{lang}"));
                }
            }
            cells
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("\t")
        })
        .collect();
    out.sort();
    out
}

/// What one measured run of one query gave.
#[derive(Default)]
struct Measure {
    ok: usize,
    errors: usize,
    first_error: Option<String>,
    latencies: Vec<Duration>,
    bytes: u64,
    elapsed: Duration,
    capped: bool,
}

fn percentile_ms(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    // Nearest rank.
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1].as_secs_f64() * 1000.0
}

fn measure(
    client: &Client,
    url: &str,
    accept: &str,
    concurrency: usize,
    requests: usize,
    cap: Duration,
) -> Measure {
    let next = AtomicUsize::new(0);
    let result = Mutex::new(Measure::default());
    let start = Instant::now();
    let deadline = start + cap;
    std::thread::scope(|scope| {
        for _ in 0..concurrency.max(1) {
            scope.spawn(|| {
                let mut local = Measure::default();
                loop {
                    if Instant::now() >= deadline {
                        local.capped = true;
                        break;
                    }
                    if next.fetch_add(1, Ordering::Relaxed) >= requests {
                        break;
                    }
                    let t0 = Instant::now();
                    let outcome = client
                        .get(url)
                        .header("Accept", accept)
                        .send()
                        .and_then(|r| {
                            let status = r.status();
                            r.bytes().map(|b| (status, b))
                        });
                    let took = t0.elapsed();
                    match outcome {
                        Ok((status, body)) if status.is_success() => {
                            local.ok += 1;
                            local.bytes += body.len() as u64;
                            local.latencies.push(took);
                        }
                        Ok((status, body)) => {
                            local.errors += 1;
                            local.first_error.get_or_insert_with(|| {
                                format!(
                                    "HTTP {status}: {}",
                                    String::from_utf8_lossy(&body[..body.len().min(200)])
                                )
                            });
                        }
                        Err(e) => {
                            local.errors += 1;
                            local.first_error.get_or_insert_with(|| e.to_string());
                        }
                    }
                }
                let mut total = result.lock().unwrap();
                total.ok += local.ok;
                total.errors += local.errors;
                total.bytes += local.bytes;
                total.capped |= local.capped;
                total.latencies.extend(local.latencies);
                if total.first_error.is_none() {
                    total.first_error = local.first_error;
                }
            });
        }
    });
    let mut m = result.into_inner().unwrap();
    m.elapsed = start.elapsed();
    m.latencies.sort();
    m
}

fn summary(
    label: &str,
    query: &str,
    m: &Measure,
    rows: Option<usize>,
    concurrency: usize,
) -> Value {
    let secs = m.elapsed.as_secs_f64();
    json!({
        "server": label,
        "query": query,
        "concurrency": concurrency,
        "requests": m.ok + m.errors,
        "ok": m.ok,
        "errors": m.errors,
        "seconds": secs,
        "rps": if secs > 0.0 { m.ok as f64 / secs } else { 0.0 },
        "p50_ms": percentile_ms(&m.latencies, 0.50),
        "p99_ms": percentile_ms(&m.latencies, 0.99),
        "mean_ms": if m.latencies.is_empty() { f64::NAN } else {
            m.latencies.iter().map(Duration::as_secs_f64).sum::<f64>() * 1000.0 / m.latencies.len() as f64
        },
        "rows": rows,
        "bytes_per_response": if m.ok > 0 { m.bytes / m.ok as u64 } else { 0 },
        "capped": m.capped,
        "first_error": m.first_error,
    })
}

fn run(args: RunArgs) -> Result<ExitCode> {
    let endpoint = loopback_endpoint(&args.endpoint)?;
    let queries = read_queries(&args.target.query_files)?;
    let cap = Duration::from_secs_f64(args.max_seconds);
    let client = client(cap + Duration::from_secs(5), args.concurrency)?;
    let mut all = Measure::default();
    let mut any_errors = false;
    // The readable table goes to standard output, or to standard error with --json.
    let say = |line: String| {
        if args.json {
            eprintln!("{line}");
        } else {
            println!("{line}");
        }
    };
    say(format!(
        "{:<28} {:>6} {:>6} {:>9} {:>9} {:>9} {:>6}",
        "query", "reqs", "errors", "req/s", "p50 ms", "p99 ms", "rows"
    ));
    if queries.is_empty() && args.pages.is_empty() {
        bail!("give --query-file or --page");
    }
    let mut targets: Vec<(String, String, bool)> = queries
        .iter()
        .map(|q| {
            let url = request_url(&endpoint, &q.text, args.target.default_graph_uri.as_deref());
            (q.name.clone(), url, true)
        })
        .collect();
    let origin = reqwest::Url::parse(&endpoint)?;
    for page in &args.pages {
        let (name, path) = page
            .split_once('=')
            .ok_or_else(|| anyhow!("--page `{page}`: give NAME=PATH"))?;
        targets.push((name.to_owned(), origin.join(path)?.to_string(), false));
    }
    for (name, url, is_query) in &targets {
        let accept = if *is_query { ACCEPT } else { &args.page_accept };
        // Warm-up, sequential; the first answer gives the row count.
        let mut rows = None;
        for i in 0..args.warmup.max(1) {
            let fetched = if *is_query {
                fetch_results(&client, url)
            } else {
                fetch_page(&client, url, accept)
            };
            match fetched {
                Ok(results) if i == 0 && *is_query => rows = Some(row_count(&results)?),
                Ok(answer) if i == 0 => rows = answer["total"].as_u64().map(|n| n as usize),
                Ok(_) => {}
                Err(e) => {
                    // Measured all the same (up to the cap): its failures
                    // are the figures of this query on this server.
                    eprintln!(
                        "warning: {name}: warm-up request failed on {}: {e:#}",
                        args.label
                    );
                    any_errors = true;
                    break;
                }
            }
        }
        let m = measure(&client, url, accept, args.concurrency, args.requests, cap);
        any_errors |= m.errors > 0;
        let line = summary(&args.label, name, &m, rows, args.concurrency);
        if args.json {
            println!("{line}");
        }
        say(format!(
            "{:<28} {:>6} {:>6} {:>9.1} {:>9.2} {:>9.2} {:>6}{}",
            name,
            m.ok + m.errors,
            m.errors,
            line["rps"].as_f64().unwrap_or(0.0),
            line["p50_ms"].as_f64().unwrap_or(f64::NAN),
            line["p99_ms"].as_f64().unwrap_or(f64::NAN),
            rows.map_or("-".into(), |r| r.to_string()),
            if m.capped { "  (time cap hit)" } else { "" }
        ));
        if let Some(e) = &m.first_error {
            eprintln!("{}: {name}: first error: {e}", args.label);
        }
        all.ok += m.ok;
        all.errors += m.errors;
        all.bytes += m.bytes;
        all.capped |= m.capped;
        all.elapsed += m.elapsed;
        all.latencies.extend(m.latencies);
    }
    all.latencies.sort();
    let line = summary(&args.label, "(all)", &all, None, args.concurrency);
    if args.json {
        println!("{line}");
    }
    say(format!(
        "{:<28} {:>6} {:>6} {:>9.1} {:>9.2} {:>9.2}",
        "(all)",
        all.ok + all.errors,
        all.errors,
        line["rps"].as_f64().unwrap_or(0.0),
        line["p50_ms"].as_f64().unwrap_or(f64::NAN),
        line["p99_ms"].as_f64().unwrap_or(f64::NAN),
    ));
    Ok(if any_errors {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    })
}

fn check(args: CheckArgs) -> Result<ExitCode> {
    if args.endpoints.len() < 2 {
        bail!("give at least two --endpoint to compare");
    }
    let endpoints = args
        .endpoints
        .iter()
        .map(|e| loopback_endpoint(e))
        .collect::<Result<Vec<_>>>()?;
    let queries = read_queries(&args.target.query_files)?;
    if queries.is_empty() {
        bail!("give --query-file");
    }
    let client = client(Duration::from_secs(120), 1)?;
    let mut failed = false;
    println!("{:<28} {:>14}  check", "query", "rows");
    for q in &queries {
        let mut counts = Vec::new();
        let mut canon = Vec::new();
        for e in &endpoints {
            let url = request_url(e, &q.text, args.target.default_graph_uri.as_deref());
            let results =
                fetch_results(&client, &url).with_context(|| format!("{}: {e}", q.name))?;
            counts.push(row_count(&results)?);
            canon.push(canonical_rows(&results));
        }
        let same_count = counts.iter().all(|c| *c == counts[0]);
        let same_values = canon.iter().all(|c| *c == canon[0]);
        let verdict = match (same_count, same_values) {
            (true, true) => "ok (same rows)",
            (true, false) => "ok count, VALUES DIFFER",
            (false, _) => "ROW COUNT MISMATCH",
        };
        failed |= !same_count || (args.strict_values && !same_values);
        let counts_text = counts
            .iter()
            .map(usize::to_string)
            .collect::<Vec<_>>()
            .join(" / ");
        println!("{:<28} {:>14}  {verdict}", q.name, counts_text);
    }
    if failed {
        eprintln!("sparql_load: the endpoints do not give the same results; not benchmarking");
        return Ok(ExitCode::from(4));
    }
    Ok(ExitCode::SUCCESS)
}

fn read_jsonl(path: &Path) -> Result<Vec<Value>> {
    fs::read_to_string(path)
        .with_context(|| format!("reading {}", path.display()))?
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            serde_json::from_str(l).with_context(|| format!("{}: bad JSON line", path.display()))
        })
        .collect()
}

fn num(v: &Value, key: &str) -> f64 {
    v.get(key).and_then(Value::as_f64).unwrap_or(f64::NAN)
}

fn ratio(a: f64, b: f64) -> String {
    if a.is_finite() && b.is_finite() && b > 0.0 {
        format!("{:.2}", a / b)
    } else {
        "–".into()
    }
}

fn fixed(x: f64, digits: usize) -> String {
    if x.is_finite() {
        format!("{x:.digits$}")
    } else {
        "–".into()
    }
}

fn report(args: ReportArgs) -> Result<ExitCode> {
    if args.results.len() != 2 {
        bail!("give exactly two --results files (numerator first)");
    }
    let a = read_jsonl(&args.results[0])?;
    let b = read_jsonl(&args.results[1])?;
    let name = |rows: &[Value]| {
        rows.first()
            .and_then(|r| r["server"].as_str())
            .unwrap_or("?")
            .to_owned()
    };
    let (na, nb) = (name(&a), name(&b));
    let by_query: BTreeMap<String, &Value> = b
        .iter()
        .filter_map(|r| Some((r["query"].as_str()?.to_owned(), r)))
        .collect();
    let mut out = String::new();
    out.push_str(&format!(
        "| Query | Rows | Requests ({na} / {nb}) | Errors ({na} / {nb}) | req/s {na} | req/s {nb} | req/s ratio | p50 ms {na} | p50 ms {nb} | p50 ratio | p99 ms {na} | p99 ms {nb} | p99 ratio |\n"
    ));
    out.push_str("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
    let mut mismatch = false;
    for ra in &a {
        let q = ra["query"].as_str().unwrap_or("?");
        let Some(rb) = by_query.get(q) else {
            bail!(
                "query {q} is in {} but not in {}",
                args.results[0].display(),
                args.results[1].display()
            );
        };
        let rows = match (ra["rows"].as_u64(), rb["rows"].as_u64()) {
            (Some(x), Some(y)) if x == y => x.to_string(),
            (Some(x), Some(y)) => {
                mismatch = true;
                format!("**{x} ≠ {y}**")
            }
            _ => String::new(),
        };
        let bold = if q == "(all)" { "**" } else { "" };
        out.push_str(&format!(
            "| {bold}{q}{bold} | {rows} | {} / {} | {} / {} | {} | {} | {bold}{}{bold} | {} | {} | {bold}{}{bold} | {} | {} | {bold}{}{bold} |\n",
            ra["requests"],
            rb["requests"],
            ra["errors"],
            rb["errors"],
            fixed(num(ra, "rps"), 0),
            fixed(num(rb, "rps"), 0),
            ratio(num(ra, "rps"), num(rb, "rps")),
            fixed(num(ra, "p50_ms"), 2),
            fixed(num(rb, "p50_ms"), 2),
            ratio(num(ra, "p50_ms"), num(rb, "p50_ms")),
            fixed(num(ra, "p99_ms"), 2),
            fixed(num(rb, "p99_ms"), 2),
            ratio(num(ra, "p99_ms"), num(rb, "p99_ms")),
        ));
    }
    if args.rss_kb.len() == 2 || args.cpu_seconds.len() == 2 {
        out.push_str(&format!(
            "\n| Server process | {na} | {nb} | ratio |\n|---|--:|--:|--:|\n"
        ));
    }
    if args.rss_kb.len() == 2 {
        let (x, y) = (args.rss_kb[0] as f64, args.rss_kb[1] as f64);
        out.push_str(&format!(
            "| peak RSS (VmHWM) | {:.1} MiB | {:.1} MiB | {} |\n",
            x / 1024.0,
            y / 1024.0,
            ratio(x, y)
        ));
    }
    if args.cpu_seconds.len() == 2 {
        let (x, y) = (args.cpu_seconds[0], args.cpu_seconds[1]);
        let total = |rows: &[Value]| {
            rows.iter()
                .find(|r| r["query"] == "(all)")
                .map_or(f64::NAN, |r| num(r, "requests"))
        };
        let (rx, ry) = (total(&a), total(&b));
        out.push_str(&format!(
            "| CPU time during the run | {:.2} s | {:.2} s | {} |\n| CPU per request | {} ms | {} ms | {} |\n",
            x,
            y,
            ratio(x, y),
            fixed(x * 1000.0 / rx, 3),
            fixed(y * 1000.0 / ry, 3),
            ratio(x / rx, y / ry)
        ));
    }
    out.push_str(&format!(
        "\nRatios are {na} / {nb}: above 1 means {na} has more throughput, or higher (worse) latency and memory.\n"
    ));
    print!("{out}");
    if mismatch {
        eprintln!("sparql_load: row counts differ between the two runs");
        return Ok(ExitCode::from(4));
    }
    Ok(ExitCode::SUCCESS)
}
