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
