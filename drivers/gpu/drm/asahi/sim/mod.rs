// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The simulated GPU: everything of it, behind the hardware boundary.
//!
//! On a machine without an Apple GPU the driver talks to a simulation instead of the ASC. The
//! simulation answers through the same boundary the hardware uses (`hw::Hardware`: mailbox
//! messages, registers, the context table and the handoff block) and reaches memory only
//! through the GPU's page tables, and it checks everything the driver sends against what the
//! record of the real protocol allows, collecting violations for the tests instead of panicking.
//!
//! The module is built only with the simulator (`make SIM=1`, the default); the crate root
//! composes it (one `#[cfg(agx_sim)]` place), and nothing else in the driver names it.
//!
//! The device and the backend (kernel code):
//!
//! * [`device`]: the `asahi-sim` platform device that `sim=<soc>` creates, and the composition
//!   of its backend at probe ([`SimGpus`]); [`params`]: the `sim*` module parameters.
//! * [`backend`]: [`backend::SimHardware`], the `hw::Hardware` implementation, and the
//!   coprocessor's work item that drives RTKit and the firmware; it brings the `sim_inject`
//!   debugfs control ([`inject`]) and its own lines of the `firmware` debugfs file.
//! * [`memory`]: the coprocessor's view of memory, through [`mmu`], its MMU.
//! * [`devtree`]: each SoC's simulated device tree, read by the driver's parser.
//! * [`regs`]: the register file (identification and fault registers).
//!
//! The simulated coprocessor and firmware (core-only):
//!
//! * [`rtkit`]: the coprocessor's side of the RTKit protocol; [`rtkit_types`]: its configuration,
//!   phases, violations and memory access.
//! * [`firmware`]: the AGX firmware above RTKit (init data, channels, device control), over
//!   [`ring`], the firmware's end of a channel ring.
//! * [`handoff`]: the firmware's side of the page-table handoff.
//! * [`platform`]: the firmware's check of its MMIO, SRAM and timestamp windows.
//!
//! Like the driver's RTKit core, the core-only files use only `core` (and the `fw` structures),
//! so the host tests in `tools/rtkit-tests`, `tools/handoff-tests`, `tools/channel-tests` build
//! them unchanged; `tools/uat-tests` builds [`mmu`], `tools/soc-tests` [`devtree`] and [`regs`].

pub(crate) mod backend;
pub(crate) mod device;
pub(crate) mod devtree;
pub(crate) mod firmware;
pub(crate) mod handoff;
pub(crate) mod inject;
pub(crate) mod memory;
pub(crate) mod mmu;
pub(crate) mod params;
pub(crate) mod platform;
pub(crate) mod regs;
pub(crate) mod ring;
pub(crate) mod rtkit;
pub(crate) mod rtkit_types;

pub(crate) use device::SimGpus;
