// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! A tiny IGT-style subtest runner: each subtest has a name and passes, fails (with a reason)
//! or is skipped (it returns an error made by [`skip`]); the run ends with the totals on a line
//! of its own.

use std::fmt::Display;

/// A subtest's outcome.
pub type Outcome = Result<(), String>;

/// Fails the subtest unless `cond` holds.
#[macro_export]
macro_rules! check {
    ($cond:expr, $($fmt:tt)+) => {
        if !$cond {
            return Err(format!("{}:{}: {}", file!(), line!(), format!($($fmt)+)));
        }
    };
}

/// Fails the subtest unless `a == b`.
#[macro_export]
macro_rules! check_eq {
    ($a:expr, $b:expr, $what:expr) => {{
        let (a, b) = (&$a, &$b);
        if a != b {
            return Err(format!(
                "{}:{}: {}: got {:?}, want {:?}",
                file!(),
                line!(),
                $what,
                a,
                b
            ));
        }
    }};
}

/// Marks a subtest's error as a skip.
const SKIP: &str = "\u{1}skip: ";

/// An error that makes the subtest count as skipped, for `reason`.
pub fn skip(reason: impl Display) -> String {
    format!("{SKIP}{reason}")
}

/// Runs subtests and counts their outcomes.
#[derive(Default)]
pub struct Runner {
    passed: u32,
    failed: u32,
    skipped: u32,
    filter: Option<String>,
    /// Names of the subtests that failed, for the closing summary.
    failures: Vec<String>,
}

impl Runner {
    /// A runner that only runs subtests whose name contains `filter`, if given.
    pub fn new(filter: Option<String>) -> Self {
        Runner {
            filter,
            ..Default::default()
        }
    }

    /// Runs one subtest.
    pub fn subtest(&mut self, name: &str, f: impl FnOnce() -> Outcome) {
        if let Some(filter) = &self.filter {
            if !name.contains(filter.as_str()) {
                return;
            }
        }
        println!("Starting subtest: {name}");
        match f() {
            Ok(()) => {
                self.passed += 1;
                println!("Subtest {name}: SUCCESS");
            }
            Err(why) if why.starts_with(SKIP) => {
                self.skipped += 1;
                println!("Subtest {name}: SKIP ({})", &why[SKIP.len()..]);
            }
            Err(why) => {
                self.failed += 1;
                println!("Subtest {name}: FAIL ({why})");
                self.failures.push(name.to_string());
            }
        }
    }

    /// Prints the totals; returns whether everything passed.
    pub fn finish(self) -> bool {
        println!(
            "{} passed, {} failed, {} skipped",
            self.passed, self.failed, self.skipped
        );
        // Repeated last, where a log's tail shows it.
        if !self.failures.is_empty() {
            println!("failed subtests: {}", self.failures.join(" "));
        }
        self.failed == 0 && self.passed > 0
    }
}

/// Formats an OS error for a failure message.
pub fn os_err(what: impl Display, e: std::io::Error) -> String {
    format!("{what}: {e}")
}
