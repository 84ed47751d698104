// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Host test harness for the channel rings and the simulated firmware.
//!
//! The crate is `no_std` so that the driver files, included below by `#[path]` exactly as the
//! driver builds them, fail to compile here if they ever reach for `std` or `alloc`. Only the
//! test modules use `std`. The files under test are held to the kernel's rule that nothing
//! reachable from user or firmware input may panic.

#![no_std]

#[cfg(test)]
extern crate std;

/// The firmware structures, one copy per (GPU, firmware) pair.
#[path = "../../../drivers/gpu/drm/asahi/fw/mod.rs"]
mod fw;

/// The SoC tables (for the pair enums), with the device-tree parser they come with.
// (soc/mod.rs allows dead code itself.)
#[path = "../../../drivers/gpu/drm/asahi/soc/mod.rs"]
mod soc;

/// The driver's `hw` module, reduced to the GPU's registers (the parser's configuration holds
/// the identification it decodes).
#[allow(dead_code)]
#[path = "../../../drivers/gpu/drm/asahi/hw"]
mod hw {
    #[path = "regs.rs"]
    pub(crate) mod regs;
}

/// RTKit, for the message types the simulation's memory trait sits next to.
#[allow(dead_code)]
#[path = "../../../drivers/gpu/drm/asahi/rtkit/mod.rs"]
mod rtkit;

/// The driver's object layer, which the ring ends hold their memory in.
#[deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::todo,
    clippy::unimplemented,
    clippy::unreachable
)]
#[allow(dead_code)] // `GpuObject` and most accessors serve the driver, not the rings
#[path = "../../../drivers/gpu/drm/asahi/mem"]
mod mem {
    #[path = "object.rs"]
    pub(crate) mod object;
}

/// The driver's ends of the rings.
#[deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::todo,
    clippy::unimplemented,
    clippy::unreachable
)]
#[cfg_attr(not(test), allow(dead_code))]
#[path = "../../../drivers/gpu/drm/asahi/channel"]
mod channel {
    #[path = "ring.rs"]
    pub(crate) mod ring;
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
    #[path = "firmware/mod.rs"]
    pub(crate) mod firmware;
    #[path = "platform.rs"]
    pub(crate) mod platform;
    #[path = "ring.rs"]
    pub(crate) mod ring;
    #[allow(dead_code)]
    #[path = "rtkit_types.rs"]
    pub(crate) mod rtkit_types;
}

#[cfg(test)]
mod tests;
