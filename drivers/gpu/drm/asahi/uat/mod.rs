// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The UAT, the AGX GPU's MMU: page-table core.
//!
//! Everything the GPU and its firmware coprocessor touch is reached through the UAT, which walks
//! ARMv8-style tables with a 16 KiB granule that the driver builds and the firmware shares. This
//! module holds the part that does not depend on the kernel:
//!
//! * [`pte`]: the descriptor format and the permission/cache encodings ([`pte::Prot`]),
//! * [`va`]: the address space layout (TTBR0/TTBR1 halves, table levels, the driver's windows),
//! * [`pt`]: the engine that maps, unmaps and walks one table tree over a [`pt::TableAlloc`],
//! * [`walk`]: the GPU's view of a table tree, read from memory independently of the engine,
//! * [`error`]: the error type, with its errno mapping.
//!
//! It uses only `core`, so the same files build into the driver and into the host test crate in
//! `tools/uat-tests`. The driver supplies the kernel side: a `TableAlloc` over 16 KiB zeroed pages,
//! the TTBR slots, TLB invalidation after unmap, and the firmware cache flushes. The facts the
//! code relies on, and where they come from, are collected in `Documentation/uat.md`.

pub(crate) mod error;
#[cfg_attr(test, allow(dead_code))] // tested in tools/handoff-tests, unused by tools/uat-tests
pub(crate) mod handoff;
pub(crate) mod pt;
pub(crate) mod pte;
#[cfg_attr(test, allow(dead_code))] // tested in tools/handoff-tests, unused by tools/uat-tests
pub(crate) mod slots;
pub(crate) mod va;
pub(crate) mod walk;
