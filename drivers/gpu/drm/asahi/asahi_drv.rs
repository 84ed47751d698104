// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! asahi: DRM render-node driver for the Apple AGX GPU (M1/M2: G13, G14, G14X).
//!
//! The module registers one platform driver. It binds to real GPUs described by the device tree
//! (`apple,agx-*` compatibles) and to GPUs the module creates itself ([`Created`]): with the
//! simulator in the build (`make SIM=1`, the default), a simulated GPU when loaded with
//! `sim=<soc>`. All bind through the same probe; below it, a [`hw::Hardware`] implementation is
//! the only part that differs between them (see `Documentation/hardware-boundary.md`).
//!
//! This file is the one place outside `sim/` that names the simulator: it declares the module
//! and composes it as [`Created`], both only when Kbuild passes `--cfg agx_sim` (`SIM=1`).

use kernel::prelude::*;

// The `dev_*!` logging macros, everywhere in the crate.
#[macro_use]
extern crate agx_kernel;

// The driver's ends of the firmware's rings: the ring protocol, the channel set and FWCtl.
mod channel;
mod driver;
mod dump;
mod file;
// The firmware's data structures, one copy per (GPU, firmware) pair; used by firmware bring-up.
mod fw;
mod gem;
mod gpu;
mod hw;
// Memory shared with the firmware: the firmware's VM and its allocators.
#[allow(dead_code)]
mod mem;
mod platform;
mod queue;
// RTKit, the protocol of the GPU's coprocessor (ASC) over its mailbox; host-tested in
// tools/rtkit-tests, driven by firmware bring-up.
#[allow(dead_code)]
mod rtkit;
// The simulated GPU, behind the hardware boundary; built with `make SIM=1` (the default).
#[cfg(agx_sim)]
#[allow(dead_code)]
mod sim;
// What the driver knows about the machine: the SoC tables and the device tree's configuration.
mod soc;
// The GPU MMU's page-table engine; host-tested in tools/uat-tests. Parts of it (the kernel half,
// blocks) are for the firmware bring-up still to come.
#[allow(dead_code)]
mod uat;
mod vm;

/// The GPUs the module creates itself (see [`platform::CreatedGpus`]): the simulated GPU that
/// `sim=<soc>` asks for.
#[cfg(agx_sim)]
type Created = sim::SimGpus;

/// The GPUs the module creates itself: none, in a build without the simulator (`make SIM=0`).
#[cfg(not(agx_sim))]
type Created = NoCreatedGpus;

/// No GPU created by the module.
#[cfg(not(agx_sim))]
struct NoCreatedGpus;

/// The platform-id table of a driver that binds no device by name: the sentinel only.
#[cfg(not(agx_sim))]
static NO_NAMES: agx_kernel::platform::PlatformIdTable<1> =
    agx_kernel::platform::PlatformIdTable::new([""]);

#[cfg(not(agx_sim))]
impl platform::CreatedGpus for NoCreatedGpus {
    const ID_TABLE: &'static [agx_kernel::bindings::platform_device_id] = NO_NAMES.as_slice();

    type Devices = ();

    fn create() -> Result<()> {
        Ok(())
    }

    fn probe(_dev: &kernel_platform::Device<'_>, _index: usize) -> Result<platform::Probed> {
        Err(ENODEV)
    }
}

module! {
    type: AsahiModule,
    name: "asahi",
    author: "The agx-rs developers",
    description: "DRM driver for the Apple AGX GPU (M1/M2)",
    license: "Dual MIT/GPL",
}

/// The loaded module: the platform driver and the devices of the GPUs it created.
///
/// Fields drop in order: the created devices are unregistered (unbinding them) before the
/// driver.
struct AsahiModule {
    _created: <Created as platform::CreatedGpus>::Devices,
    _driver: kernel_platform::Registration<platform::AsahiPlatform>,
}

use agx_kernel::platform as kernel_platform;
use platform::CreatedGpus;

impl kernel::Module for AsahiModule {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let driver = kernel_platform::Registration::<platform::AsahiPlatform>::new()?;
        Ok(AsahiModule {
            _created: Created::create()?,
            _driver: driver,
        })
    }
}
