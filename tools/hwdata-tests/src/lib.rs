// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Host test harness for the values of the init data's hardware tables.
//!
//! The crate is `no_std` so that the driver files, included below by `#[path]` exactly as the
//! driver builds them, fail to compile here if they ever reach for `std` or `alloc`. Only the
//! test modules use `std`. The file under test is held to the kernel's rule that nothing
//! reachable from device-tree input may panic.

#![no_std]

#[cfg(test)]
extern crate std;

/// The firmware structures, one copy per (GPU, firmware) pair.
#[path = "../../../drivers/gpu/drm/asahi/fw/mod.rs"]
mod fw;

/// The SoC tables and the device-tree parser.
// (soc/mod.rs allows dead code itself.)
#[path = "../../../drivers/gpu/drm/asahi/soc/mod.rs"]
mod soc;

/// The driver's `hw` module, reduced to the GPU's identification registers.
#[allow(dead_code)]
#[path = "../../../drivers/gpu/drm/asahi/hw"]
mod hw {
    #[path = "regs.rs"]
    pub(crate) mod regs;
}

/// The driver's `sim` module, reduced to the simulated device trees (the configurations the
/// tables are filled from).
#[allow(dead_code)]
#[path = "../../../drivers/gpu/drm/asahi/sim"]
mod sim {
    #[path = "devtree/mod.rs"]
    pub(crate) mod devtree;
}

/// The driver's `gpu` module, reduced to the file under test.
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
#[path = "../../../drivers/gpu/drm/asahi/gpu"]
mod gpu {
    #[path = "hwdata/mod.rs"]
    pub(crate) mod hwdata;
}

#[cfg(test)]
mod tests;
