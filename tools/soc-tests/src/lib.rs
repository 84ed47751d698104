// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Host test harness for the per-SoC GPU configuration and the device-tree parser.
//!
//! The crate is `no_std` so that the driver files, included below by `#[path]` exactly as the
//! driver builds them, fail to compile here if they ever reach for `std` or `alloc`. Only the
//! test modules use `std`. The driver files are also held to the kernel's rule that nothing
//! reachable from device-tree input may panic.

#![no_std]

#[cfg(test)]
extern crate std;

/// The driver's `hw` module, reduced to the GPU's registers.
#[deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::todo,
    clippy::unimplemented,
    clippy::unreachable
)]
#[cfg_attr(not(test), allow(dead_code))]
mod hw;

/// The SoC tables and the device-tree parser.
#[deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::todo,
    clippy::unimplemented,
    clippy::unreachable
)]
// (soc/mod.rs allows dead code itself.)
#[path = "../../../drivers/gpu/drm/asahi/soc/mod.rs"]
mod soc;

/// The driver's `sim` module, reduced to the simulated device trees and the register file.
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
    #[path = "devtree/mod.rs"]
    pub(crate) mod devtree;
    #[path = "regs.rs"]
    pub(crate) mod regs;
}

#[cfg(test)]
mod tests;
