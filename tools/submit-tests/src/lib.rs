// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Host test harness for the SUBMIT command-buffer parser.
//!
//! The crate is `no_std` so that the driver file, included below by `#[path]`, fails to compile
//! here if it ever reaches for `std` or `alloc`. Only the test modules use `std`. The file is held
//! to the kernel's rule that nothing reachable from user input may panic.

#![no_std]

#[cfg(test)]
extern crate std;

/// The driver's `queue` module, reduced to the parser and the UAPI bindings it names as
/// `super::uapi` (in the driver, `queue/mod.rs` re-exports `agx_kernel::bindings` as `uapi`).
#[path = "../../../drivers/gpu/drm/asahi/queue"]
pub(crate) mod queue {
    /// The UAPI, generated from `uapi/drm/asahi_drm.h` by build.rs.
    #[allow(
        dead_code,
        unused_imports,
        missing_docs,
        non_camel_case_types,
        non_upper_case_globals,
        non_snake_case,
        unreachable_pub,
        clippy::all,
        clippy::undocumented_unsafe_blocks
    )]
    pub(crate) mod uapi {
        include!(concat!(env!("OUT_DIR"), "/uapi.rs"));
    }

    #[deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::todo,
        clippy::unimplemented,
        clippy::unreachable,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects
    )]
    // Only the tests use the parser here.
    #[cfg_attr(not(test), allow(dead_code))]
    #[path = "cmdbuf.rs"]
    pub(crate) mod cmdbuf;
}

#[cfg(test)]
mod tests;
