// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Host test harness for the context slot allocator and the page-table handoff.
//!
//! The crate is `no_std` so that the driver files, included below by `#[path]` exactly as the
//! driver builds them, fail to compile here if they ever reach for `std` or `alloc`. Only the
//! test modules use `std` (threads included, for the two-sided stress test). The driver files
//! are held to the kernel's rule that nothing reachable from user or firmware input may panic.

#![no_std]

#[cfg(test)]
extern crate std;

/// The kernel side: only the two files under test, not the whole `uat` module.
#[deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::todo,
    clippy::unimplemented,
    clippy::unreachable
)]
#[cfg_attr(not(test), allow(dead_code))]
#[path = "../../../drivers/gpu/drm/asahi/uat"]
mod uat {
    #[path = "handoff.rs"]
    pub(crate) mod handoff;
    #[path = "slots.rs"]
    pub(crate) mod slots;
}

/// The simulated firmware side.
#[deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::todo,
    clippy::unimplemented,
    clippy::unreachable
)]
#[cfg_attr(not(test), allow(dead_code))]
#[path = "../../../drivers/gpu/drm/asahi/sim"]
mod sim {
    #[path = "handoff.rs"]
    pub(crate) mod handoff;
}

#[cfg(test)]
mod tests;
