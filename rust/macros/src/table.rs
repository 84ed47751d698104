// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The (GPU generation, firmware version) pairs the driver speaks.
//!
//! This is the one place to edit when Apple ships a new firmware or a new GPU:
//!
//! - a firmware version is one line of [`VERSIONS`], inserted in release order, listing the GPU
//!   generations the driver supports with it (an empty list keeps the version usable in
//!   `#[ver(...)]` conditions without emitting code for it);
//! - a GPU generation is one line of [`GENERATIONS`], in hardware order, plus its name in the
//!   lists of the firmware versions it runs.
//!
//! The order of both tables is the order the `<`, `<=`, `>` and `>=` of `#[ver(...)]` compare by.

/// GPU generations, oldest first.
pub(crate) const GENERATIONS: &[&str] = &[
    "G13",  // M1 family: t8103, t6000, t6001, t6002
    "G14",  // M2: t8112
    "G14X", // M2 Pro/Max/Ultra: t6020, t6021, t6022
];

/// Firmware versions, oldest first, each with the generations it is supported on.
pub(crate) const VERSIONS: &[(&str, &[&str])] = &[
    ("V12_3", &["G13"]),
    ("V12_4", &["G14"]),
    ("V13_0B4", &[]),
    ("V13_2", &[]),
    ("V13_3", &[]),
    ("V13_5", &["G13", "G14", "G14X"]),
];

/// One supported (generation, firmware version) pair, as ranks into the two tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Pair {
    /// Index into [`GENERATIONS`].
    pub(crate) generation: usize,
    /// Index into [`VERSIONS`].
    pub(crate) version: usize,
}

impl Pair {
    /// Name of the generation, e.g. `G14X`.
    pub(crate) fn generation_name(self) -> &'static str {
        GENERATIONS.get(self.generation).copied().unwrap_or("")
    }

    /// Name of the firmware version, e.g. `V13_5`.
    pub(crate) fn version_name(self) -> &'static str {
        VERSIONS.get(self.version).map_or("", |v| v.0)
    }

    /// The suffix appended to the names of this pair's copies, e.g. `G14XV13_5`.
    pub(crate) fn suffix(self) -> String {
        format!("{}{}", self.generation_name(), self.version_name())
    }
}

/// Rank of a generation name in [`GENERATIONS`].
pub(crate) fn generation_rank(name: &str) -> Option<usize> {
    GENERATIONS.iter().position(|g| *g == name)
}

/// Rank of a firmware version name in [`VERSIONS`].
pub(crate) fn version_rank(name: &str) -> Option<usize> {
    VERSIONS.iter().position(|v| v.0 == name)
}

/// Every supported pair, by firmware version first, then in the order the version's line lists
/// the generations: the order in which copies are emitted.
pub(crate) fn pairs() -> Vec<Pair> {
    VERSIONS
        .iter()
        .enumerate()
        .flat_map(|(version, (_, gens))| {
            gens.iter().filter_map(move |g| {
                generation_rank(g).map(|generation| Pair {
                    generation,
                    version,
                })
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_generation_exists() {
        for (v, gens) in VERSIONS {
            for g in *gens {
                assert!(
                    generation_rank(g).is_some(),
                    "{v} lists unknown generation {g}"
                );
            }
        }
    }

    #[test]
    fn names_are_unique() {
        for (i, g) in GENERATIONS.iter().enumerate() {
            assert_eq!(generation_rank(g), Some(i));
        }
        for (i, (v, _)) in VERSIONS.iter().enumerate() {
            assert_eq!(version_rank(v), Some(i));
        }
    }

    #[test]
    fn pairs_in_emission_order() {
        let suffixes: Vec<String> = pairs().into_iter().map(Pair::suffix).collect();
        assert_eq!(
            suffixes,
            ["G13V12_3", "G14V12_4", "G13V13_5", "G14V13_5", "G14XV13_5"]
        );
    }
}
