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
