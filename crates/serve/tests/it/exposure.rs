//! What the server exposes, and to whom: CORS only for the origins an
//! operator names, a dumps folder no other user can replace, and update
//! dataset parameters honoured or refused, never ignored.

use chronograph_testkit as common;

use std::time::Duration;

use chronograph_serve::{AppState, ServeError, ServeOptions};
use common::*;
use reqwest::blocking::Client;
use reqwest::StatusCode;

fn client() -> Client {
    Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap()
}

fn start(options: ServeOptions) -> BackgroundServer {
    let (store, _) = sample_store();
    BackgroundServer::start(store, options)
}

fn allowed_origin(server: &BackgroundServer, origin: &str) -> Option<String> {
    let response = client()
        .get(server.url("/sparql"))
        .query(&[("query", "ASK {}")])
        .header("Origin", origin)
        .send()
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response
        .headers()
        .get("access-control-allow-origin")
        .map(|v| v.to_str().unwrap().to_owned())
}

#[test]
fn cors_is_off_unless_an_origin_is_named() {
    let closed = start(ServeOptions::default());
    assert_eq!(allowed_origin(&closed, "https://evil.example"), None);

    let open_to_one = start(ServeOptions {
        cors_origins: vec!["https://yasgui.example".into()],
        ..ServeOptions::default()
    });
    assert_eq!(
        allowed_origin(&open_to_one, "https://yasgui.example").as_deref(),
        Some("https://yasgui.example")
    );
    assert_eq!(allowed_origin(&open_to_one, "https://evil.example"), None);

    let open_to_all = start(ServeOptions {
        cors_origins: vec!["*".into()],
        ..ServeOptions::default()
    });
    assert_eq!(
        allowed_origin(&open_to_all, "https://evil.example").as_deref(),
        Some("*")
    );

    for bad in [
        "yasgui.example",
        "https://yasgui.example/path",
        "javascript:x",
    ] {
        let (store, _) = sample_store();
        let refused = AppState::new(
            store,
            ServeOptions {
                cors_origins: vec![bad.into()],
                ..ServeOptions::default()
            },
        );
        assert!(
            matches!(refused, Err(ServeError::CorsOrigin(_))),
            "{bad} accepted"
        );
    }
}

#[cfg(unix)]
#[test]
fn the_dumps_folder_is_private_and_never_a_link() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let state = |dumps_dir: std::path::PathBuf| {
        let (store, _) = sample_store();
        AppState::new(
            store,
            ServeOptions {
                dumps_dir,
                dumps_on_demand: true,
                ..ServeOptions::default()
            },
        )
    };

    // Created private.
    let fresh = dir.path().join("fresh");
    state(fresh.clone()).unwrap();
    let mode = std::fs::metadata(&fresh).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o700, "{mode:o}");

    // An existing folder of ours, open to all, is narrowed.
    let open = dir.path().join("open");
    std::fs::create_dir(&open).unwrap();
    std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o777)).unwrap();
    state(open.clone()).unwrap();
    let mode = std::fs::metadata(&open).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o700, "{mode:o}");

    // A link put where the folder is expected (another user's trap) is refused.
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    let link = dir.path().join("link");
    std::os::unix::fs::symlink(&elsewhere, &link).unwrap();
    let refused = state(link).err().expect("a symbolic link was accepted");
    assert!(refused.to_string().contains("symbolic link"), "{refused}");

    // A folder owned by another user (root's /, as seen by everyone but
    // root; when the tests run as root, a folder given to `nobody`).
    let foreign = if unsafe { libc::geteuid() } == 0 {
        let foreign = dir.path().join("foreign");
        std::fs::create_dir(&foreign).unwrap();
        std::os::unix::fs::chown(&foreign, Some(65534), Some(65534)).unwrap();
        foreign
    } else {
        std::path::PathBuf::from("/")
    };
    let refused = state(foreign)
        .err()
        .expect("another user's folder was accepted");
    assert!(
        refused.to_string().contains("belongs to another user"),
        "{refused}"
    );
}

#[test]
fn update_dataset_parameters_are_refused_not_ignored() {
    let server = start(ServeOptions {
        update_token: Some("k3y".into()),
        ..ServeOptions::default()
    });
    let graph = "https://example.org/graph/using";
    let update = format!("INSERT {{ GRAPH <{graph}> {{ ?s <urn:p> 1 }} }} WHERE {{ ?s ?p ?o }}");
    for parameter in [
        "using-graph-uri",
        "using-named-graph-uri",
        "default-graph-uri",
    ] {
        let response = client()
            .post(server.url("/sparql"))
            .bearer_auth("k3y")
            .form(&[
                ("update", update.as_str()),
                (parameter, "https://example.org/graph/other"),
            ])
            .send()
            .unwrap();
        let status = response.status();
        let body = response.text().unwrap();
        assert_eq!(status, StatusCode::BAD_REQUEST, "{parameter}: {body}");
        assert!(body.contains(parameter), "{parameter}: {body}");
    }
    // Nothing was written.
    let written = client()
        .get(server.url("/sparql"))
        .query(&[(
            "query",
            format!("ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}").as_str(),
        )])
        .header("Accept", "application/sparql-results+json")
        .send()
        .unwrap()
        .text()
        .unwrap();
    assert!(written.contains("false"), "{written}");
    // A query given an update's parameter is refused too.
    let response = client()
        .get(server.url("/sparql"))
        .query(&[("query", "ASK {}"), ("using-graph-uri", graph)])
        .send()
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}
