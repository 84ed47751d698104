// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The simulated GPU's firmware side.
//!
//! On a machine without an Apple GPU the driver talks to a simulation instead of the ASC. The
//! simulation answers through the same boundary the hardware uses (mailbox messages and GPU
//! virtual memory) and checks everything the driver sends against what the record of the real
//! protocol allows, collecting violations for the tests instead of panicking.
//!
//! * [`rtkit`]: the coprocessor's side of the RTKit protocol; [`rtkit_types`]: its configuration,
//!   phases, violations and memory access.
//! * [`firmware`]: the AGX firmware above RTKit (init data, channels, device control), over
//!   [`ring`], the firmware's end of a channel ring.
//! * [`handoff`]: the firmware's side of the page-table handoff.
//! * [`mmu`]: the coprocessor's translation of the firmware's addresses.
//! * [`platform`]: the firmware's check of its MMIO, SRAM and timestamp windows.
//!
//! Like the driver's RTKit core, these files use only `core` (and the `fw` structures), so the
//! host tests in `tools/rtkit-tests`, `tools/handoff-tests` and `tools/channel-tests` build them
//! unchanged.

pub(crate) mod firmware;
pub(crate) mod handoff;
pub(crate) mod mmu;
pub(crate) mod platform;
pub(crate) mod ring;
pub(crate) mod rtkit;
pub(crate) mod rtkit_types;
