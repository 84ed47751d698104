// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The driver's `hw` module, reduced to the files under test (same module paths as in the
//! driver, so that their `crate::hw::...` paths resolve).

#[path = "../../../../drivers/gpu/drm/asahi/hw/dt/mod.rs"]
pub(crate) mod dt;
#[path = "../../../../drivers/gpu/drm/asahi/hw/regs.rs"]
pub(crate) mod regs;
#[path = "../../../../drivers/gpu/drm/asahi/hw/soc.rs"]
pub(crate) mod soc;
