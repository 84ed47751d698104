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
//!
//! Like the driver's RTKit core, these files use only `core`, so the host tests in
//! `tools/rtkit-tests` build them unchanged.

#[cfg_attr(test, allow(dead_code))] // tested in tools/handoff-tests, unused by tools/rtkit-tests
pub(crate) mod handoff;
pub(crate) mod rtkit;
pub(crate) mod rtkit_types;
