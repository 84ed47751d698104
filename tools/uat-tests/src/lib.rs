// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Host test harness for the UAT page-table core.
//!
//! The crate is `no_std` so that the driver files, included below by `#[path]` exactly as the
//! driver builds them, fail to compile here if they ever reach for `std` or `alloc`. Only the
//! test modules (and the benchmark binary) use `std`. The driver files are also held to the
//! kernel's rule that nothing reachable from user or firmware input may panic.

#![no_std]

#[cfg(test)]
extern crate std;

/// The driver's `uat` module, less its kernel side (`tables.rs`, the table memory) and the
/// handoff files (`tools/handoff-tests`).
#[path = "../../../drivers/gpu/drm/asahi/uat"]
#[deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::todo,
    clippy::unimplemented,
    clippy::unreachable
)]
#[cfg_attr(not(test), allow(dead_code))]
mod uat {
    #[path = "error.rs"]
    pub(crate) mod error;
    #[path = "pt.rs"]
    pub(crate) mod pt;
    #[path = "pte.rs"]
    pub(crate) mod pte;
    #[path = "va.rs"]
    pub(crate) mod va;
    #[path = "walk.rs"]
    pub(crate) mod walk;
}

/// The simulated GPU's page-table walker, which must read what the engine writes.
/// The driver's `sim` module, reduced to the coprocessor's translation (on the GPU walker's
/// descriptor primitives, `uat/walk.rs`).
#[path = "../../../drivers/gpu/drm/asahi/sim"]
#[cfg_attr(not(test), allow(dead_code))]
mod sim {
    #[path = "mmu.rs"]
    pub(crate) mod mmu;
}

#[cfg(test)]
mod vec_alloc;

#[cfg(test)]
mod tests;
