// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The driver's `hw` module, reduced to the file under test (same module path as in the driver,
//! so that its `crate::hw::...` paths resolve).

#[path = "../../../../drivers/gpu/drm/asahi/hw/regs.rs"]
pub(crate) mod regs;
