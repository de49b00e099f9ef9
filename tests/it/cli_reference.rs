//! `docs/cli-reference.md` is the binary's own `--help` text, command by
//! command: this test runs the binary and compares. After changing an option,
//! regenerate the page with
//! `CHRONOGRAPH_BLESS=1 cargo test --test it cli_reference`.

use chronograph_testkit::{chronograph, repo_path};

/// The subcommands, in the order `chronograph --help` lists them.
fn subcommands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| {
            let name = l.split_whitespace().next()?;
            (l.starts_with("  ") && !l.starts_with("   ") && name != "help")
                .then(|| name.to_owned())
        })
        .collect()
}

fn help(args: &[&str]) -> String {
    let output = chronograph()
        .args(args)
        .env("COLUMNS", "100")
        .output()
        .unwrap();
    assert!(output.status.success(), "chronograph {args:?} failed");
    String::from_utf8(output.stdout).unwrap()
}

fn reference() -> String {
    let top = help(&["--help"]);
    let mut page = String::from(
        "# Command-line reference\n\n\
         Generated from `chronograph --help` and each command's `--help` by\n\
         `tests/it/cli_reference.rs` (which fails when this page and the binary\n\
         differ). For examples and explanations see [commands.md](commands.md).\n\n",
    );
    page.push_str(&format!("## `chronograph`\n\n```text\n{}```\n", top));
    for command in subcommands(&top) {
        let text = help(&[command.as_str(), "--help"]);
        page.push_str(&format!(
            "\n## `chronograph {command}`\n\n```text\n{text}```\n"
        ));
    }
    page
}

#[test]
fn the_cli_reference_is_the_binarys_help() {
    let expected = reference();
    let path = repo_path("docs/cli-reference.md");
    if std::env::var_os("CHRONOGRAPH_BLESS").is_some() {
        std::fs::write(&path, &expected).unwrap();
    }
    let written = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        subcommands(&help(&["--help"])).len() >= 11,
        "the help lists every command"
    );
    assert!(
        written == expected,
        "docs/cli-reference.md is not the binary's help; regenerate it with \
         CHRONOGRAPH_BLESS=1 cargo test --test it cli_reference"
    );
}
