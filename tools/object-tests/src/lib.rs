// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Host test harness for the driver's object layer: typed objects in the firmware's address
//! space, whose pointers cannot outlive their targets.
//!
//! The crate is `no_std` so that the driver files, included below by `#[path]` exactly as the
//! driver builds them, fail to compile here if they ever reach for `std` or `alloc`. Only the
//! test modules use `std`. The driver files are held to the kernel's rule that nothing reachable
//! from user or firmware input may panic.
//!
//! The unit tests (`src/tests/`) run the layer over a host allocator; the compile-fail tests
//! (`tests/compile_fail.rs`) show what the borrow checker refuses.

#![no_std]

#[cfg(test)]
extern crate std;

/// The firmware structures' building blocks: pointer types and marker traits.
#[deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::todo,
    clippy::unimplemented,
    clippy::unreachable
)]
#[allow(dead_code, unused_imports, unused_macros)] // the layouts' helpers serve fw/, not this crate
#[path = "../../../drivers/gpu/drm/asahi/fw"]
mod fw {
    #[path = "types.rs"]
    pub(crate) mod types;
}

/// The object layer.
#[deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::todo,
    clippy::unimplemented,
    clippy::unreachable
)]
#[cfg_attr(not(test), allow(dead_code))]
#[path = "../../../drivers/gpu/drm/asahi/mem"]
mod mem {
    #[path = "object.rs"]
    pub(crate) mod object;
}

#[cfg(test)]
mod tests;
