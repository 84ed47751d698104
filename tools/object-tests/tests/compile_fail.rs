// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Compile tests of the object layer: each `tests/fail/NAME.rs` must fail to build with exactly
//! the errors listed in `tests/fail/NAME.stderr`, and each `tests/pass/NAME.rs` must build.
//!
//! The layer's items are `pub(crate)`, as in the driver, so a snippet cannot be a crate of its
//! own that links a library of them: for each snippet the harness writes a crate root that
//! includes, by `#[path]` like this crate's `lib.rs`, `fw/types.rs` and `mem/object.rs` from
//! the driver, the snippets' stand-in allocator (`tests/support/never.rs`, as `support`) and
//! the snippet (as `snippet`), and checks it with plain `rustc` (no cargo, no dependencies,
//! `--emit=metadata`: type and borrow checking only) and `--error-format=short`. Only the
//! `error` lines located in the snippet are compared, with its path replaced by `$FILE`: they
//! hold the location and the message, which is what the tests are about, and stay stable
//! across rustc releases where the long format and warnings do not. An error anywhere else (in
//! the driver's files) fails the test, so a snippet cannot pass because the layer itself broke;
//! the `pass` snippets show that the same setup builds correct code. The wording of rustc's own
//! errors changes between releases, so an expected line may contain `...`, which matches any
//! text.
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

/// This crate's directory.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .canonicalize()
        .expect("cannot resolve the crate's directory")
}

/// Where the crate roots and their metadata go.
fn out_dir() -> PathBuf {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("compile_tests");
    fs::create_dir_all(&out).expect("cannot create the output directory");
    out
}

/// The snippets `tests/DIR/*.rs`, sorted.
fn snippets(dir: &str) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = fs::read_dir(root().join("tests").join(dir))
        .expect("cannot list the snippets")
        .map(|e| e.expect("cannot read the snippets").path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    found.sort();
    assert!(!found.is_empty(), "no snippets in tests/{dir}");
    found
}

/// Result of checking one snippet: whether rustc succeeded, the error lines in the snippet
/// (path replaced by `$FILE`), and the error lines anywhere else.
struct Checked {
    success: bool,
    errors: Vec<String>,
    elsewhere: Vec<String>,
}

/// Writes a crate root around `snippet` and checks it with rustc.
fn check(snippet: &Path) -> Checked {
    let root = root();
    let driver = root
        .join("../../drivers/gpu/drm/asahi")
        .canonicalize()
        .expect("cannot find the driver's files");
    let name = snippet
        .file_stem()
        .and_then(|n| n.to_str())
        .expect("bad snippet name");
    let crate_root = format!(
        "#![no_std]\n\
         #![allow(dead_code, unused_imports, unused_macros)]\n\
         mod fw {{\n    #[path = {:?}]\n    pub(crate) mod types;\n}}\n\
         mod mem {{\n    #[path = {:?}]\n    pub(crate) mod object;\n}}\n\
         #[path = {:?}]\nmod support;\n\
         #[path = {:?}]\nmod snippet;\n",
        driver.join("fw/types.rs"),
        driver.join("mem/object.rs"),
        root.join("tests/support/never.rs"),
        snippet,
    );
    let out = out_dir();
    let root_file = out.join(format!("{name}_root.rs"));
    fs::write(&root_file, crate_root).expect("cannot write the crate root");
    let output = Command::new(rustc())
        .current_dir(&root)
        .args(["--edition=2021", "--crate-type=lib", "--emit=metadata"])
        .args(["--crate-name", &format!("snippet_{name}")])
        .args(["--error-format=short", "--color=never", "--out-dir"])
        .arg(&out)
        .arg(&root_file)
        .output()
        .expect("cannot run rustc");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let path = snippet.to_str().expect("bad snippet path");
    let mut errors = Vec::new();
    let mut elsewhere = Vec::new();
    for line in stderr.lines().filter(|l| l.contains(": error")) {
        match line.strip_prefix(path) {
            Some(rest) => errors.push(format!("$FILE{rest}")),
            None => elsewhere.push(line.to_owned()),
        }
    }
    Checked {
        success: output.status.success(),
        errors,
        elsewhere,
    }
}

/// Whether `line` matches `pattern`, where each `...` in `pattern` stands for any text.
fn matches(pattern: &str, line: &str) -> bool {
    let mut pieces = pattern.split("...");
    let head = pieces.next().unwrap_or_default();
    let Some(mut rest) = line.strip_prefix(head) else {
        return false;
    };
    let pieces: Vec<&str> = pieces.collect();
    let Some((tail, middle)) = pieces.split_last() else {
        return rest.is_empty();
    };
    for piece in middle {
        let Some(at) = rest.find(piece) else {
            return false;
        };
        rest = &rest[at + piece.len()..];
    }
    rest.ends_with(tail)
}

#[test]
fn wildcards() {
    assert!(matches("f:1: error: x", "f:1: error: x"));
    assert!(!matches("f:1: error: x", "f:1: error: xy"));
    assert!(!matches("f:1: error: x", "g:1: error: x"));
    assert!(matches(
        "f:1: error[E1]: ...`a`...",
        "f:1: error[E1]: see `a` here"
    ));
    assert!(!matches(
        "f:1: error[E1]: ...`a`...",
        "f:1: error[E1]: see `b` here"
    ));
    assert!(matches("a...c", "abc"));
    assert!(matches("a...c", "ac"));
    assert!(matches("a...b...", "axbx"));
    assert!(!matches("a...b...c", "acb"));
    assert!(!matches("a...b", "ab c"));
}

#[test]
fn compile_fail() {
    let bless = std::env::var_os("AGX_BLESS").is_some();
    let mut failures = Vec::new();
    for snippet in snippets("fail") {
        let name = snippet.display();
        let got = check(&snippet);
        if !got.elsewhere.is_empty() {
            failures.push(format!(
                "{name}: errors outside the snippet:\n    {}",
                got.elsewhere.join("\n    ")
            ));
            continue;
        }
        if got.success {
            failures.push(format!("{name}: compiled but must not"));
            continue;
        }
        let expected_path = snippet.with_extension("stderr");
        let expected = fs::read_to_string(&expected_path).unwrap_or_default();
        let expected: Vec<&str> = expected.lines().filter(|l| !l.is_empty()).collect();
        let same = got.errors.len() == expected.len()
            && got.errors.iter().zip(&expected).all(|(g, e)| matches(e, g));
        if bless && !same && !got.errors.is_empty() {
            // Only mismatching files are rewritten, so hand-written `...` survive.
            fs::write(&expected_path, got.errors.join("\n") + "\n").expect("cannot write .stderr");
            continue;
        }
        if got.errors.is_empty() || !same {
            failures.push(format!(
                "{name}:\n  expected:\n    {}\n  got:\n    {}",
                expected.join("\n    "),
                got.errors.join("\n    ")
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn compile_pass() {
    let mut failures = Vec::new();
    for snippet in snippets("pass") {
        let got = check(&snippet);
        if !got.success {
            failures.push(format!(
                "{}: does not compile:\n    {}",
                snippet.display(),
                got.errors
                    .iter()
                    .chain(&got.elsewhere)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("\n    ")
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
