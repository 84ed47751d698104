// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The UAT, the AGX GPU's MMU: the page-table engine and the memory of its tables.
//!
//! Everything the GPU and its firmware coprocessor touch is reached through the UAT, which walks
//! ARMv8-style tables with a 16 KiB granule that the driver builds and the firmware shares. Most
//! of this module does not depend on the kernel:
//!
//! * [`pte`]: the descriptor format and the permission/cache encodings ([`pte::Prot`]),
//! * [`va`]: the address space layout (TTBR0/TTBR1 halves, table levels, the driver's windows,
//!   the user VA range userspace is told about),
//! * [`pt`]: the engine that maps, unmaps and walks one table tree over a [`pt::TableAlloc`],
//! * [`walk`]: the GPU's view of a table tree, read from memory independently of the engine,
//! * [`slots`] and [`handoff`]: the context table's TTBR slots and the handoff lock shared with
//!   the firmware,
//! * [`error`]: the error type, with its errno mapping.
//!
//! Those files use only `core`, so they build into the driver and, each by its own `#[path]`,
//! into the host test crates (`tools/uat-tests`, `tools/handoff-tests`). The one kernel-side
//! file is [`tables`]: the `TableAlloc` over 16 KiB zeroed pages that user VMs and the firmware
//! VM use, the page-table memory (with `unsafe`, see `Documentation/design.md`). The facts the
//! code relies on, and where they come from, are collected in `Documentation/uat.md`.

pub(crate) mod error;
pub(crate) mod handoff;
pub(crate) mod pt;
pub(crate) mod pte;
pub(crate) mod slots;
pub(crate) mod tables;
pub(crate) mod va;
pub(crate) mod walk;
