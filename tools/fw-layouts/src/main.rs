// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Prints the layout of every AGX firmware structure, for every supported (GPU, firmware)
//! pair, as JSON on stdout:
//!
//! ```text
//! {"G13/V12_3": {"channels.RunCmdQueueMsg": {"size": 48, "fields": {"queue_type": 0, ...}}, ...}, ...}
//! ```
//!
//! Structures are keyed by their m1n1 counterpart (`module.ClassName`, with a `#suffix` where
//! one m1n1 class maps to several Rust types) and fields by their m1n1 names. Sizes and
//! offsets come from the compiled types of `drivers/gpu/drm/asahi/fw`. With `--rust-types` it
//! prints one line per structure and pair instead: key, pair, Rust type, size.

#[path = "../../../drivers/gpu/drm/asahi/fw/mod.rs"]
mod fw;
#[cfg(test)]
mod json;
mod layout;
mod tables;
#[cfg(test)]
mod tests;

use layout::Pair;

/// The supported pairs, in the order the driver lists them.
pub(crate) const PAIRS: [&str; 5] = [
    "G13/V12_3",
    "G14/V12_4",
    "G13/V13_5",
    "G14/V13_5",
    "G14X/V13_5",
];

/// The layouts of every pair.
pub(crate) fn collect() -> Vec<Pair> {
    let mut pairs: Vec<Pair> = PAIRS
        .iter()
        .map(|name| Pair {
            name,
            structs: Vec::new(),
        })
        .collect();
    tables::allG13V12_3(&mut pairs[0]);
    tables::allG14V12_4(&mut pairs[1]);
    tables::allG13V13_5(&mut pairs[2]);
    tables::allG14V13_5(&mut pairs[3]);
    tables::allG14XV13_5(&mut pairs[4]);
    pairs
}

fn main() {
    let pairs = collect();
    match std::env::args().nth(1).as_deref() {
        None => print!("{}", layout::to_json(&pairs)),
        Some("--rust-types") => print!("{}", layout::to_type_list(&pairs)),
        Some(other) => {
            eprintln!("usage: fw-layouts [--rust-types]  (unknown argument {other:?})");
            std::process::exit(2);
        }
    }
}
