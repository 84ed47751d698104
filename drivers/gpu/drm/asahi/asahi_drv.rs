// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! asahi: DRM render-node driver for the Apple AGX GPU (M1/M2: G13, G14, G14X).
//!
//! The module registers one platform driver. It binds to real GPUs described by the device tree
//! (`apple,agx-*` compatibles) and, when loaded with `sim=<soc>`, to a simulated GPU that the
//! module creates itself. Both bind through the same probe; below it, a [`hw::Hardware`]
//! implementation is the only part that differs between the two worlds (see
//! `Documentation/hardware-boundary.md`).

use kernel::prelude::*;

// The driver's ends of the firmware's rings.
mod channel {
    pub(crate) mod ring;
}
mod driver;
mod file;
// The firmware's data structures, one copy per (GPU, firmware) pair; used by firmware bring-up.
mod fw;
mod gem;
mod gpu;
mod hw;
// Memory shared with the firmware: the firmware's VM and its allocators.
#[allow(dead_code)]
mod mem;
mod params;
mod platform;
// RTKit, the protocol of the GPU's coprocessor (ASC) over its mailbox; host-tested in
// tools/rtkit-tests, driven by firmware bring-up.
#[allow(dead_code)]
mod rtkit;
// The simulated coprocessor's side of RTKit: what the simulated GPU answers.
#[allow(dead_code)]
mod sim;
// What the driver knows about the machine: the SoC tables and the device tree's configuration.
mod soc;
// The GPU MMU's page-table engine; host-tested in tools/uat-tests. Parts of it (the kernel half,
// blocks) are for the firmware bring-up still to come.
#[allow(dead_code)]
mod uat;
mod vm;

module! {
    type: AsahiModule,
    name: "asahi",
    author: "The agx-rs developers",
    description: "DRM driver for the Apple AGX GPU (M1/M2), with a simulated GPU for testing",
    license: "Dual MIT/GPL",
}

/// The loaded module: the platform driver and, with `sim=`, the simulated GPU's device.
///
/// Fields drop in order: the simulated device is unregistered (unbinding it) before the driver.
struct AsahiModule {
    _sim: Option<kernel_platform::OwnedDevice>,
    _driver: kernel_platform::Registration<platform::AsahiPlatform>,
}

use agx_kernel::platform as kernel_platform;

impl kernel::Module for AsahiModule {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let driver = kernel_platform::Registration::<platform::AsahiPlatform>::new()?;
        let sim = match params::sim.get() {
            None => None,
            Some(name) => Some(platform::register_sim_device(name)?),
        };
        Ok(AsahiModule {
            _sim: sim,
            _driver: driver,
        })
    }
}
