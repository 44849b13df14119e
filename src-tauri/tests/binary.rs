//! The `tandem` binary as a person runs it from a shell. Having an integration test here also makes
//! `cargo test` build the binary in the same invocation (and feature resolution) as every other
//! test, so `cargo xtask test` compiles the app's dependencies once, not twice.

use std::process::Command;

fn tandem(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tandem"))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("could not run tandem: {e}"))
}

#[test]
fn version_and_help_answer_without_a_window() {
    let out = tandem(&["--version"]);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("tandem {}", env!("CARGO_PKG_VERSION"))
    );
    let help = tandem(&["--help"]);
    assert!(help.status.success());
    let text = String::from_utf8_lossy(&help.stdout);
    for command in ["search", "sync", "join"] {
        assert!(
            text.contains(command),
            "--help does not list {command}:\n{text}"
        );
    }
}

#[test]
fn an_unknown_command_is_refused_with_a_sentence() {
    let out = tandem(&["frobnicate"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("“frobnicate” is neither a command nor a tandem:// link"),
        "{err}"
    );
}
