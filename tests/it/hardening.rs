//! The operator's mistakes the binary refuses: an empty update token (given on
//! the command line, in the environment or in a blank file) would let every
//! request write, so `serve` does not start with one.

use std::time::Duration;

use chronograph_testkit::{chronograph, load_with_cli};

#[test]
fn serve_refuses_an_empty_update_token_from_every_source() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    load_with_cli(&store, "data/sample/records");
    let blank = dir.path().join("token");
    std::fs::write(&blank, "  \n").unwrap();
    let store_arg = store.to_str().unwrap();
    let cases: Vec<(Vec<String>, Option<&str>)> = vec![
        (vec!["--update-token".into(), String::new()], None),
        (vec!["--update-token".into(), "   ".into()], None),
        (
            vec!["--update-token-file".into(), blank.display().to_string()],
            None,
        ),
        (vec![], Some("")),
    ];
    for (extra, env) in cases {
        let mut command = chronograph();
        command
            .args(["serve", "--store", store_arg, "--bind", "127.0.0.1:0"])
            .args(&extra)
            .timeout(Duration::from_secs(20));
        if let Some(value) = env {
            command.env("CHRONOGRAPH_UPDATE_TOKEN", value);
        }
        let output = command.output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            !output.status.success() && stderr.contains("is empty"),
            "serve started with {extra:?} / env {env:?}: {stderr}"
        );
    }
}

/// A Graph Store endpoint behind a redirect (`http` → `https`, a moved
/// path): reqwest would follow a 301 by turning the write into a GET, the
/// GET's 200 would count as the batch written, and the remote would stay
/// empty. `publish` fails with the URL instead, and the state file does not
/// mark the graph pushed.
#[test]
fn publish_does_not_follow_a_redirect_on_a_write() {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::sync::{Arc, Mutex};

    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let log = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request_line = String::new();
            if reader.read_line(&mut request_line).is_err() {
                continue;
            }
            let mut length = 0usize;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            log.lock().unwrap().push(request_line.trim().to_owned());
            let answer = if request_line.contains(" /store") {
                format!(
                    "HTTP/1.1 301 Moved Permanently\r\nLocation: http://{address}/moved\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                )
            } else {
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".to_owned()
            };
            let _ = stream.write_all(answer.as_bytes());
        }
    });

    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    load_with_cli(&store, "data/sample/records");
    let state = dir.path().join("state.json");
    let output = chronograph()
        .args(["publish", "--store"])
        .arg(&store)
        .args([
            "--to",
            &format!("http://{address}/store"),
            "--retries",
            "0",
            "--state",
        ])
        .arg(&state)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !output.status.success(),
        "publish succeeded behind a redirect"
    );
    assert!(
        stderr.contains(&format!("http://{address}/store")) && stderr.contains("301"),
        "{stderr}"
    );
    let requests = seen.lock().unwrap().clone();
    assert!(
        requests.iter().all(|r| !r.contains("/moved")),
        "the redirect was followed: {requests:?}"
    );
    let pushed = std::fs::read_to_string(&state).unwrap_or_default();
    assert!(
        !pushed.contains("graph/"),
        "a graph is marked pushed: {pushed}"
    );
}

/// `chronograph serve` on a free port, killed on drop.
struct ServeProcess(std::process::Child);

impl ServeProcess {
    fn start(store: &std::path::Path, extra: &[&str]) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_chronograph"))
            .args(["serve", "--store"])
            .arg(store)
            .args(["--bind", &format!("127.0.0.1:{port}")])
            .args(extra)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let server = Self(child);
        let started = std::time::Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "serve did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        server
    }
}

impl Drop for ServeProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn refused(args: &[&str], expected: &str) {
    let output = chronograph()
        .args(args)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !output.status.success() && stderr.contains(expected),
        "{args:?} was not refused with `{expected}`: {stderr}"
    );
}

/// One writer at a time, and no writer under a reader: Oxigraph calls a
/// read-only open beside a writing process undefined behaviour, and a bulk
/// load or a compaction deletes files the reader still reads. Each second
/// process is refused at once, with a message naming the holder; once the
/// holder is gone the same command works.
#[test]
fn a_second_writer_or_a_writer_under_a_reader_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    load_with_cli(&store, "data/sample/records");
    let s = store.to_str().unwrap();

    let reader = ServeProcess::start(&store, &[]);
    for args in [
        vec!["load", "--store", s, "data/sample/records"],
        vec!["load", "--bulk", "--store", s, "data/sample/records"],
        vec!["optimize", "--store", s],
    ] {
        refused(&args, "open read-only in another process");
    }
    // Readers share the store.
    chronograph()
        .args(["query", "--store", s, "ASK { ?s ?p ?o }"])
        .assert()
        .success();
    drop(reader);

    let writer = ServeProcess::start(&store, &["--update-token", "s3cret"]);
    for args in [
        vec!["load", "--store", s, "data/sample/records"],
        vec!["optimize", "--store", s],
        vec!["query", "--store", s, "ASK { ?s ?p ?o }"],
    ] {
        refused(&args, "being written by another process (process");
    }
    drop(writer);

    chronograph()
        .args(["load", "--store", s, "data/sample/records"])
        .assert()
        .success();
}

/// Wikimedia's User-Agent policy asks for a contact: `link` refuses the live
/// Wikidata API without one, before any request, and says how to give it.
#[test]
fn link_refuses_the_live_wikidata_api_without_a_contact() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    load_with_cli(&store, "data/sample/records");
    let output = chronograph()
        .args(["link", "--store", store.to_str().unwrap()])
        .arg("--review-file")
        .arg(dir.path().join("review.tsv"))
        .arg("--cache")
        .arg(dir.path().join("cache"))
        .env_remove("CHRONOGRAPH_CONTACT")
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !output.status.success() && stderr.contains("--contact"),
        "{stderr}"
    );
    assert!(!dir.path().join("review.tsv").exists());
}

/// `chronograph check` finds a union graph that disagrees with the other
/// graphs (a triple removed from it, one no graph states put in it, as a
/// crash of an older version or a hand edit leaves it) and repairs it; the
/// repaired store is compared with the merge of its graphs read here.
#[test]
fn check_finds_and_repairs_a_union_graph_out_of_step() {
    use chronograph_core::mapping::iri::Base;
    use chronograph_core::store::ArchiveStore;
    use oxigraph::model::{GraphName, NamedNode, Quad};

    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    load_with_cli(&store, "data/sample/records");
    let s = store.to_str().unwrap();
    let base = || Base::new(chronograph_core::mapping::iri::DEFAULT_BASE).unwrap();
    {
        let db = ArchiveStore::open(&store, base()).unwrap();
        let union = GraphName::NamedNode(db.union_graph().clone());
        let victim = db
            .oxigraph()
            .quads_for_pattern(None, None, None, Some(union.as_ref()))
            .next()
            .unwrap()
            .unwrap();
        db.oxigraph().remove(&victim).unwrap();
        let stale = Quad::new(
            NamedNode::new("http://localhost:7878/person/nobody").unwrap(),
            NamedNode::new("https://schema.org/name").unwrap(),
            oxigraph::model::Literal::new_simple_literal("Nobody"),
            union,
        );
        db.oxigraph().insert(&stale).unwrap();
    }
    let dry = chronograph()
        .args(["check", "--dry-run", "--store", s])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&dry.stdout);
    assert_eq!(dry.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("1 stale and 1 missing"), "{stdout}");
    let repair = chronograph()
        .args(["check", "--store", s])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&repair.stdout);
    assert!(
        repair.status.success() && stdout.contains("repaired"),
        "{stdout}"
    );

    let db = ArchiveStore::open_read_only(&store, base()).unwrap();
    let (in_union, merged) = chronograph_testkit::rdf_checks::union_and_merged_triples(&db);
    assert_eq!(in_union, merged);
    drop(db);
    let again = chronograph()
        .args(["check", "--dry-run", "--store", s])
        .output()
        .unwrap();
    assert!(
        again.status.success() && String::from_utf8_lossy(&again.stdout).contains("agrees"),
        "{}",
        String::from_utf8_lossy(&again.stdout)
    );
}
