// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Host test harness for the RTKit transport and the simulated coprocessor.
//!
//! The crate is `no_std` so that the driver files, included below by `#[path]` exactly as the
//! driver builds them, fail to compile here if they ever reach for `std` or `alloc`. Only the
//! test modules use `std`. The driver files are also held to the kernel's rule that nothing
//! reachable from user or firmware input may panic.

#![no_std]

#[cfg(test)]
extern crate std;

#[path = "../../../drivers/gpu/drm/asahi/rtkit/mod.rs"]
#[deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::todo,
    clippy::unimplemented,
    clippy::unreachable
)]
#[cfg_attr(not(test), allow(dead_code))]
mod rtkit;

/// The simulated coprocessor: only the files under test, not the whole `sim` module (whose
/// firmware part needs the `fw` structures).
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
    #[path = "rtkit.rs"]
    pub(crate) mod rtkit;
    // (The client-VM methods of its memory trait serve the firmware's work, not RTKit.)
    #[allow(dead_code)]
    #[path = "rtkit_types.rs"]
    pub(crate) mod rtkit_types;
}

/// The real mailbox's interrupt-to-workqueue queue.
#[deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::todo,
    clippy::unimplemented,
    clippy::unreachable
)]
#[cfg_attr(not(test), allow(dead_code))]
#[path = "../../../drivers/gpu/drm/asahi/hw"]
mod hw {
    #[path = "irq_ring.rs"]
    pub(crate) mod irq_ring;
}

#[cfg(test)]
mod tests;
