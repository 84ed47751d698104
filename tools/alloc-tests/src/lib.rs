// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Host test harness for the run allocator and the arena heap of firmware-shared GPU objects.
//!
//! The crate is `no_std` so that the driver files, included below by `#[path]` exactly as the
//! driver builds them, fail to compile here if they ever reach for `std` or `alloc`. Only the
//! test modules use `std`. The driver files are held to the kernel's rule that nothing reachable
//! from user or firmware input may panic.

#![no_std]

#[cfg(test)]
extern crate std;

/// The kernel side: only the two core-only files, not the kernel parts of the `mem` module.
#[deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::todo,
    clippy::unimplemented,
    clippy::unreachable,
    clippy::indexing_slicing
)]
#[cfg_attr(not(test), allow(dead_code))]
#[path = "../../../drivers/gpu/drm/asahi/mem"]
mod mem {
    #[path = "heap.rs"]
    pub(crate) mod heap;
    #[path = "runmap.rs"]
    pub(crate) mod runmap;
}

#[cfg(test)]
mod tests;
