//! Site profiles: the selectors are data. A page in other markup reads with a
//! profile file that names its selectors, and a bad profile file is a clear error.

use chronograph_testkit as common;

use common::*;

/// `chronograph read --profile PROFILE PAGE`.
fn read_with_profile(profile: &std::path::Path, page: &std::path::Path) -> std::process::Output {
    chronograph()
        .arg("read")
        .arg("--profile")
        .arg(profile)
        .arg(page)
        .output()
        .unwrap()
}

#[test]
fn a_sister_site_profile_reads_pages_in_other_markup() {
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read_to_string(repo_path(
        "data/sample/documents/134901-soviet-ambassador-puzanov-conversation.html",
    ))
    .unwrap();
    assert!(original.contains(r#"<div class="date">July 24, 1960</div>"#));
    // The sister archive marks its dates up differently.
    let sister = original
        .replace(r#"<div class="date">"#, r#"<p class="record-date">"#)
        .replace("July 24, 1960</div>", "July 24, 1960</p>");
    let page = dir.path().join("sister-134901.html");
    std::fs::write(&page, sister).unwrap();

    // With the built-in profile the date is not found: the page is rejected, and said so.
    let without = chronograph().arg("read").arg(&page).output().unwrap();
    let stderr = String::from_utf8_lossy(&without.stderr);
    assert!(
        stderr.contains("sister-134901.html") && stderr.contains("date"),
        "{stderr}"
    );
    assert!(String::from_utf8_lossy(&without.stdout).trim().is_empty());

    // A profile that names the sister's selector reads it; nothing else changes.
    let profile = dir.path().join("sister.toml");
    std::fs::write(
        &profile,
        "name = \"sister\"\ndocument_date = \".record-date\"\n",
    )
    .unwrap();
    let with = read_with_profile(&profile, &page);
    assert!(
        with.status.success(),
        "{}",
        String::from_utf8_lossy(&with.stderr)
    );
    let record: serde_json::Value =
        serde_json::from_str(String::from_utf8_lossy(&with.stdout).trim()).unwrap();
    assert_eq!(record["date"], "July 24, 1960");
    assert_eq!(
        record["title"],
        "Journal of Soviet Ambassador to the DPRK A.M. Puzanov, Record of a Conversation with Kim Il Sung"
    );
}

#[test]
fn bad_profile_files_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let page =
        repo_path("data/sample/documents/134901-soviet-ambassador-puzanov-conversation.html");
    for (name, text, expected) in [
        ("typo.toml", "document_titel = \"h1\"\n", "document_titel"),
        ("selector.toml", "summary = \"div[[\"\n", "summary"),
        ("syntax.toml", "summary = \n", "line 1"),
    ] {
        let profile = dir.path().join(name);
        std::fs::write(&profile, text).unwrap();
        let output = read_with_profile(&profile, &page);
        assert!(!output.status.success(), "{name}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains(name) && stderr.contains(expected),
            "{name}: {stderr}"
        );
    }
    let missing = chronograph()
        .args(["read", "--profile", "no-such-profile.toml"])
        .arg(&page)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no-such-profile.toml"));
}
