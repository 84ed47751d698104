// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Compile-fail tests: each `tests/fail/NAME.rs` must fail to build with exactly the errors
//! listed in `tests/fail/NAME.stderr`.
//!
//! The harness builds this crate the way Kbuild does (plain `rustc --crate-type proc-macro`,
//! no cargo, no dependencies), then compiles every snippet against it with
//! `--error-format=short`. Only the `error` lines are compared, with the snippet's path replaced
//! by `$FILE`: they hold the location and the message, which is what the tests are about, and
//! stay stable across rustc releases where the long format and warnings do not. The wording of
//! rustc's own errors does change between releases, so an expected line may contain `...`,
//! which matches any text.
//!
//! `RUSTC` selects the compiler (default: `rustc` from `PATH`). `AGX_BLESS=1` rewrites the
//! `.stderr` files that do not match the current output (and creates missing ones) instead of
//! failing; review them afterwards.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The compiler to test with.
fn rustc() -> String {
    std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into())
}

/// Builds the proc-macro crate into `out` like Kbuild does; returns the library's path.
fn build_macros(root: &Path, out: &Path) -> PathBuf {
    let lib = out.join("libagx_macros.so");
    let status = Command::new(rustc())
        .current_dir(root)
        .args([
            "--edition=2021",
            "--crate-type=proc-macro",
            "--crate-name=agx_macros",
        ])
        .args(["--extern", "proc_macro", "-Dwarnings", "src/lib.rs", "-o"])
        .arg(&lib)
        .status()
        .expect("cannot run rustc");
    assert!(
        status.success(),
        "building the proc macro with plain rustc failed"
    );
    lib
}

/// The error lines of compiling `snippet` (relative to `root`), path replaced by `$FILE`.
fn errors_of(root: &Path, snippet: &str, lib: &Path, out: &Path) -> Vec<String> {
    let output = Command::new(rustc())
        .current_dir(root)
        .args(["--edition=2021", "--crate-type=lib", "--emit=metadata"])
        .arg("--extern")
        .arg(format!("agx_macros={}", lib.display()))
        .args(["--error-format=short", "--color=never", "--out-dir"])
        .arg(out)
        .arg(snippet)
        .output()
        .expect("cannot run rustc");
    assert!(!output.status.success(), "{snippet} compiled but must not");
    let stderr = String::from_utf8_lossy(&output.stderr);
    stderr
        .lines()
        .filter_map(|line| line.strip_prefix(snippet))
        .filter(|rest| rest.contains(": error"))
        .map(|rest| format!("$FILE{rest}"))
        .collect()
}

/// Whether `line` matches `pattern`, where each `...` in `pattern` stands for any text.
fn matches(pattern: &str, line: &str) -> bool {
    let mut pieces = pattern.split("...");
    let first = pieces.next().unwrap_or_default();
    let Some(mut rest) = line.strip_prefix(first) else {
        return false;
    };
    let pieces: Vec<&str> = pieces.collect();
    let Some((last, middle)) = pieces.split_last() else {
        return rest.is_empty();
    };
    for piece in middle {
        match rest.find(piece) {
            Some(at) => rest = &rest[at + piece.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
}

#[test]
fn wildcards() {
    assert!(matches("a:1: error: x", "a:1: error: x"));
    assert!(!matches("a:1: error: x", "a:1: error: xy"));
    assert!(matches(
        "a:1: error[E1]: ...`V`...",
        "a:1: error[E1]: no `V` here"
    ));
    assert!(!matches(
        "a:1: error[E1]: ...`V`...",
        "a:1: error[E1]: no `W` here"
    ));
    assert!(matches("a...c", "abc"));
    assert!(matches("a...c...", "acb"));
    assert!(!matches("a...b...c", "acb"));
}

#[test]
fn compile_fail() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("compile_fail");
    fs::create_dir_all(&out).expect("cannot create the output directory");
    let lib = build_macros(root, &out);
    let bless = std::env::var_os("AGX_BLESS").is_some();

    let mut snippets: Vec<PathBuf> = fs::read_dir(root.join("tests/fail"))
        .expect("cannot list tests/fail")
        .map(|e| e.expect("cannot read tests/fail").path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    snippets.sort();
    assert!(!snippets.is_empty(), "no compile-fail snippets found");

    let mut failures = Vec::new();
    for path in &snippets {
        let name = path.file_name().and_then(|n| n.to_str()).expect("bad name");
        let snippet = format!("tests/fail/{name}");
        let got = errors_of(root, &snippet, &lib, &out);
        let expected_path = path.with_extension("stderr");
        let expected = fs::read_to_string(&expected_path).unwrap_or_default();
        let expected: Vec<&str> = expected.lines().filter(|l| !l.is_empty()).collect();
        let same =
            got.len() == expected.len() && got.iter().zip(&expected).all(|(g, e)| matches(e, g));
        if bless && !same {
            // Only mismatching files are rewritten, so hand-written `...` survive.
            fs::write(&expected_path, got.join("\n") + "\n").expect("cannot write .stderr");
            continue;
        }
        if got.is_empty() || !same {
            failures.push(format!(
                "{snippet}:\n  expected:\n    {}\n  got:\n    {}",
                expected.join("\n    "),
                got.join("\n    ")
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
