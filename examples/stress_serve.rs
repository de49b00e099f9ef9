//! A bounded abuse test of `chronograph serve` for `bench/stress-serve.sh`
//! (not a test; never run by CI): attackers send the requests that used to
//! exhaust the server while one well-behaved client measures a cheap query.
//!
//! ```text
//! cargo run --release --example stress_serve -- --base http://127.0.0.1:7911 \
//!     --attackers 8 --seconds 60 --probe-file queries/document-fields.rq --time-limit 30
//! ```
//!
//! Each attacker sends, in turn, until the run ends: a cross product of three
//! `VALUES` blocks of 1,000 numbers under `COUNT(*)` (12 KB, never reads the
//! store), `CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }` (the whole store), and
//! `GET /rdf-graphs?default` (the whole union graph), reading every answer to
//! its end or its abort. The probe sends its query every `--probe-every-ms`
//! and records each latency and status. Only loopback addresses are accepted.
//! Prints one JSON object with the figures.

use std::io::Read;
use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use clap::Parser;
use reqwest::blocking::Client;
use serde_json::json;

#[derive(Debug, Parser)]
#[command(
    name = "stress_serve",
    about = "Bounded abuse test of chronograph serve (127.0.0.1 only)"
)]
struct Options {
    /// The server's base URL (a loopback address).
    #[arg(long)]
    base: String,
    /// Attacking clients.
    #[arg(long, default_value_t = 8)]
    attackers: usize,
    /// How long the attack lasts, in seconds.
    #[arg(long, default_value_t = 60)]
    seconds: u64,
    /// The probe's query.
    #[arg(long)]
    probe_file: std::path::PathBuf,
    /// Milliseconds between the probe's requests.
    #[arg(long, default_value_t = 100)]
    probe_every_ms: u64,
    /// The server's time limit in seconds (to check that bad requests end
    /// within it plus one second).
    #[arg(long)]
    time_limit: f64,
}

/// One attacking request's outcome.
struct Attack {
    kind: &'static str,
    seconds: f64,
    status: u16,
    bytes: u64,
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn main() -> Result<()> {
    let options = Options::parse();
    let url = reqwest::Url::parse(&options.base).context("--base")?;
    let loopback = match url.host() {
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        Some(url::Host::Domain(d)) => d == "localhost",
        None => false,
    };
    if !loopback {
        bail!("--base must be a loopback address: this sends abusive traffic");
    }
    let base = options.base.trim_end_matches('/').to_owned();
    let probe_query = std::fs::read_to_string(&options.probe_file)
        .with_context(|| format!("reading {}", options.probe_file.display()))?;
    let client = Client::builder()
        .timeout(Duration::from_secs_f64(options.time_limit + 60.0))
        .build()?;
    let stop = Arc::new(AtomicBool::new(false));
    let attacks: Arc<Mutex<Vec<Attack>>> = Arc::default();
    let cross = chronograph_testkit::values_cross_product(1000);

    let started = Instant::now();
    let mut threads = Vec::new();
    for attacker in 0..options.attackers {
        let (client, stop, attacks, base, cross) = (
            client.clone(),
            Arc::clone(&stop),
            Arc::clone(&attacks),
            base.clone(),
            cross.clone(),
        );
        threads.push(std::thread::spawn(move || {
            let mut turn = attacker;
            while !stop.load(Ordering::Relaxed) {
                let (kind, request) = match turn % 3 {
                    0 => (
                        "values-cross-product",
                        client
                            .post(format!("{base}/sparql"))
                            .form(&[("query", cross.as_str())]),
                    ),
                    1 => (
                        "construct-everything",
                        client
                            .post(format!("{base}/sparql"))
                            .header("Accept", "application/n-triples")
                            .form(&[("query", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")]),
                    ),
                    _ => (
                        "rdf-graphs-default",
                        client
                            .get(format!("{base}/rdf-graphs?default"))
                            .header("Accept", "application/n-triples"),
                    ),
                };
                turn += 1;
                let sent = Instant::now();
                let (status, bytes) = match request.send() {
                    Ok(mut response) => {
                        let status = response.status().as_u16();
                        let mut sink = [0u8; 64 * 1024];
                        let mut bytes = 0u64;
                        loop {
                            match response.read(&mut sink) {
                                Ok(0) | Err(_) => break,
                                Ok(n) => bytes += n as u64,
                            }
                        }
                        (status, bytes)
                    }
                    Err(_) => (0, 0),
                };
                attacks.lock().unwrap().push(Attack {
                    kind,
                    seconds: sent.elapsed().as_secs_f64(),
                    status,
                    bytes,
                });
            }
        }));
    }

    // The probe: its query every probe_every_ms for the attack's duration.
    let mut latencies = Vec::new();
    let mut failures = Vec::new();
    let every = Duration::from_millis(options.probe_every_ms);
    let end = started + Duration::from_secs(options.seconds);
    let mut next = Instant::now();
    while Instant::now() < end {
        let sent = Instant::now();
        let outcome = client
            .get(format!("{base}/sparql"))
            .query(&[("query", probe_query.as_str())])
            .header("Accept", "application/sparql-results+json")
            .send()
            .and_then(|r| {
                let status = r.status();
                r.text().map(|body| (status, body))
            });
        let ms = sent.elapsed().as_secs_f64() * 1000.0;
        match outcome {
            Ok((status, body)) if status.is_success() && body.contains("\"bindings\"") => {
                latencies.push(ms)
            }
            Ok((status, _)) => failures.push(format!("HTTP {status} after {ms:.0} ms")),
            Err(e) => failures.push(format!("{e} after {ms:.0} ms")),
        }
        next += every;
        if let Some(wait) = next.checked_duration_since(Instant::now()) {
            std::thread::sleep(wait);
        }
    }
    stop.store(true, Ordering::Relaxed);
    for thread in threads {
        let _ = thread.join();
    }

    latencies.sort_by(f64::total_cmp);
    let attacks = attacks.lock().unwrap();
    let limit = options.time_limit + 1.0;
    let mut per_kind = serde_json::Map::new();
    for kind in [
        "values-cross-product",
        "construct-everything",
        "rdf-graphs-default",
    ] {
        let mine: Vec<&Attack> = attacks.iter().filter(|a| a.kind == kind).collect();
        let longest = mine.iter().map(|a| a.seconds).fold(0.0, f64::max);
        per_kind.insert(
            kind.to_owned(),
            json!({
                "requests": mine.len(),
                "longest_s": longest,
                "over_limit": mine.iter().filter(|a| a.seconds > limit).count(),
                "statuses": mine.iter().fold(std::collections::BTreeMap::new(), |mut m, a| {
                    *m.entry(a.status.to_string()).or_insert(0usize) += 1;
                    m
                }),
                "mib_read": mine.iter().map(|a| a.bytes).sum::<u64>() as f64 / 1048576.0,
            }),
        );
    }
    let report = json!({
        "attackers": options.attackers,
        "seconds": options.seconds,
        "time_limit_s": options.time_limit,
        "probe": {
            "sent": latencies.len() + failures.len(),
            "answered": latencies.len(),
            "failures": failures,
            "p50_ms": percentile(&latencies, 50.0),
            "p99_ms": percentile(&latencies, 99.0),
            "max_ms": latencies.last().copied().unwrap_or(f64::NAN),
        },
        "attacks": per_kind,
    });
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}
