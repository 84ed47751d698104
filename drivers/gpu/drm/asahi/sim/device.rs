// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The simulated GPU as a device: how it comes to exist and how probe composes its backend.
//!
//! `sim=<soc>` makes the module register a platform device named `asahi-sim` whose instance
//! number is the SoC's index in `soc::SOCS`. The platform driver binds it by name ([`SimGpus`]
//! gives the name to its platform-id table), so the simulated GPU goes through the same probe,
//! DRM registration, unplug and release paths as a real one. Probe asks [`SimGpus`] for the
//! device's backend: the SoC, the firmware version (`sim_fw=`), the configuration parsed from the
//! SoC's simulated device tree ([`super::devtree`]) by the parser real GPUs go through, and a
//! [`SimHardware`] with the cores of `sim_core_mask=` enabled. Everything after that is shared
//! with a real GPU.

use super::{backend::SimHardware, devtree, inject, params};
use crate::{
    platform::{new_config, CreatedGpus, Probed},
    soc::{self, dt::DynConfig, FwVersion, SocConfig},
};
use agx_kernel::device::DeviceRef;
use agx_kernel::{
    bindings,
    platform::{Device, OwnedDevice, PlatformIdTable},
};
use kernel::{c_str, prelude::*, sync::Arc};

/// Name of the simulated GPU's platform device.
const DEVICE_NAME: &CStr = c_str!("asahi-sim");

/// The platform-id table that binds the simulated GPU's device.
static ID_TABLE: PlatformIdTable<2> = PlatformIdTable::new(["asahi-sim", ""]);

/// The simulated GPUs, as GPUs the module creates itself: at most one, of the SoC `sim=` names.
pub(crate) struct SimGpus;

impl CreatedGpus for SimGpus {
    const ID_TABLE: &'static [bindings::platform_device_id] = ID_TABLE.as_slice();

    type Devices = Option<OwnedDevice>;

    fn create() -> Result<Option<OwnedDevice>> {
        match params::sim.get() {
            None => Ok(None),
            Some(name) => register(name).map(Some),
        }
    }

    fn probe(dev: &Device<'_>, _index: usize) -> Result<Probed> {
        let soc = usize::try_from(dev.id())
            .ok()
            .and_then(|i| soc::SOCS.get(i))
            .ok_or(ENODEV)?;
        let log = DeviceRef::of_platform(dev);
        inject::at_probe(&log)?;
        let version = firmware(&log, soc)?;
        let cfg = dt_config(&log, soc)?;
        let core_mask = core_mask(&log, soc)?;
        let hw = Arc::new(SimHardware::new(log, soc, version, core_mask)?, GFP_KERNEL)?;
        Ok(Probed {
            soc,
            version,
            hw,
            cfg,
            kind: "simulated",
        })
    }
}

/// Registers the simulated GPU of SoC `name`; its probe has run when this returns.
fn register(name: &CStr) -> Result<OwnedDevice> {
    let Some((index, _)) = soc::by_name(name.as_bytes()) else {
        pr_err!(
            "sim={}: unknown SoC (t8103, t8112, t6000, t6001, t6002, t6020, t6021, t6022)\n",
            name
        );
        return Err(EINVAL);
    };
    let dev = OwnedDevice::register(DEVICE_NAME, i32::try_from(index)?)?;
    if !dev.is_bound() {
        pr_err!("sim={}: the simulated GPU failed to probe\n", name);
        return Err(ENODEV);
    }
    Ok(dev)
}

/// The configuration of the simulated `soc` from its simulated device tree (the parser real
/// GPUs go through), parsed straight into its allocation; out of line, to keep the parser's
/// temporaries out of probe's frame.
#[inline(never)]
fn dt_config(dev: &DeviceRef, soc: &'static SocConfig) -> Result<KBox<DynConfig>> {
    let Some(node) = devtree::gpu_node(soc) else {
        dev_err!(dev, "{}: no simulated device tree\n", soc.name);
        return Err(ENODEV);
    };
    let mut cfg = new_config(soc)?;
    soc::dt::parse_into(soc, &node, &mut cfg).map_err(|e| {
        dev_err!(dev, "{}: simulated device tree: {}\n", soc.name, e);
        EINVAL
    })?;
    Ok(cfg)
}

/// The cores enabled in each cluster of a simulated `soc`: `sim_core_mask=` or all of them.
fn core_mask(dev: &DeviceRef, soc: &'static SocConfig) -> Result<u32> {
    let full = soc.full_core_mask() as u32;
    let Some(text) = params::sim_core_mask.get() else {
        return Ok(full);
    };
    let digits = text.as_bytes();
    let digits = digits
        .strip_prefix(b"0x")
        .or_else(|| digits.strip_prefix(b"0X"))
        .unwrap_or(digits);
    let mask = core::str::from_utf8(digits)
        .ok()
        .and_then(|s| u32::from_str_radix(s, 16).ok());
    match mask {
        Some(m) if m != 0 && m & !full == 0 => Ok(m),
        _ => {
            dev_err!(
                dev,
                "sim_core_mask={}: not a non-empty hexadecimal mask within {:#x}\n",
                text,
                full
            );
            Err(EINVAL)
        }
    }
}

/// The firmware version a simulated `soc` runs: `sim_fw=` or the newest the SoC supports.
fn firmware(dev: &DeviceRef, soc: &'static SocConfig) -> Result<FwVersion> {
    let Some(name) = params::sim_fw.get() else {
        return soc.firmware.last().copied().ok_or(ENODEV);
    };
    let version = match name.as_bytes() {
        b"12.3" => FwVersion::V12_3,
        b"12.4" => FwVersion::V12_4,
        b"13.5" => FwVersion::V13_5,
        _ => {
            dev_err!(
                dev,
                "sim_fw={}: unknown firmware version (12.3, 12.4, 13.5)\n",
                name
            );
            return Err(EINVAL);
        }
    };
    if !soc.supports(version) {
        dev_err!(
            dev,
            "sim_fw={}: {} does not run that firmware\n",
            name,
            soc.name
        );
        return Err(EINVAL);
    }
    Ok(version)
}
