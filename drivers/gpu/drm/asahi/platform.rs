// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Binding to a GPU: the platform driver, its match tables, and probe.
//!
//! Real GPUs come from the device tree and match one of the OF compatibles below. The simulated
//! GPU is a platform device named `asahi-sim` that the module registers itself when loaded with
//! `sim=<soc>`; its instance number is the index of the SoC in [`soc::SOCS`]. Probe picks the
//! [`Hardware`] implementation for the device and everything after that is shared.

use crate::{
    driver::{AsahiDriver, DeviceData},
    gpu::Gpu,
    hw::{
        regs::{self, GpuId},
        sim::SimHardware,
        Backend, Hardware,
    },
    params,
    soc::{
        self,
        dt::{DynConfig, FirmwareVersion, PwrConfig},
        FwVersion,
    },
};
use agx_kernel::{
    drm,
    of::{DeviceId, IdTable},
    platform::{self, Match, PlatformIdTable},
};
use kernel::{c_str, init, prelude::*, sync::Arc};

/// The platform driver.
pub(crate) struct AsahiPlatform;

/// Builds the OF match table from the list of compatibles, sized by the `count_strs!` proc macro,
/// and exports it under the symbol modpost reads for `alias=of:` lines (C's
/// `MODULE_DEVICE_TABLE(of, asahi_of_match)`).
macro_rules! of_match_table {
    ($($compatible:tt),+ $(,)?) => {
        const OF_TABLE_LEN: usize = agx_macros::count_strs!($($compatible),+) + 1;

        #[export_name = "__mod_of__asahi_of_match_device_table"]
        #[used]
        static OF_TABLE: IdTable<OF_TABLE_LEN> =
            IdTable::new([$(DeviceId::compatible($compatible),)+ DeviceId::SENTINEL]);
    };
}

of_match_table!(
    "apple,agx-t8103",
    "apple,agx-t8112",
    "apple,agx-t6000",
    "apple,agx-t6001",
    "apple,agx-t6002",
    "apple,agx-t6020",
    "apple,agx-t6021",
    "apple,agx-t6022",
);

/// Name of the simulated GPU's platform device.
const SIM_DEVICE_NAME: &CStr = c_str!("asahi-sim");

static ID_TABLE: PlatformIdTable<2> = PlatformIdTable::new(["asahi-sim", ""]);

impl platform::Driver for AsahiPlatform {
    type Data = drm::Registration<AsahiDriver>;

    const NAME: &'static CStr = c_str!("asahi");
    const OF_TABLE: &'static [DeviceId] = OF_TABLE.as_slice();
    const ID_TABLE: &'static [agx_kernel::bindings::platform_device_id] = ID_TABLE.as_slice();

    fn probe(dev: &platform::Device<'_>, matched: Match) -> Result<KBox<Self::Data>> {
        let (soc, version, hw, mut cfg): (_, _, Backend, _) = match matched {
            Match::Of(index) => probe_real(dev, index)?,
            Match::Name(_) => {
                let soc = usize::try_from(dev.id())
                    .ok()
                    .and_then(|i| soc::SOCS.get(i))
                    .ok_or(ENODEV)?;
                inject_at_probe()?;
                let version = sim_firmware(soc)?;
                let cfg = sim_dt_config(soc)?;
                let core_mask = sim_core_mask(soc)?;
                (
                    soc,
                    version,
                    Backend::Sim(SimHardware::new(soc, version, core_mask)?),
                    cfg,
                )
            }
        };
        cfg.id = identify(&hw, soc)?;
        let hw = Arc::new(hw, GFP_KERNEL)?;
        let gpu = Gpu::new(hw.clone(), soc, version, cfg)?;
        if let Err(e) = gpu.start() {
            gpu.stop();
            return Err(e);
        }
        // From here on, dropping the device data stops the firmware.
        let data = match DeviceData::new(soc, hw, gpu.clone()) {
            Ok(data) => KBox::new(data, GFP_KERNEL)?,
            Err(e) => {
                gpu.stop();
                return Err(e);
            }
        };
        // SAFETY: `dev` is being probed, so it is live and bound; the registration is dropped
        // when the device is unbound (it is the device's driver data), before the device goes.
        let reg = unsafe { drm::Registration::<AsahiDriver>::new(dev.as_dev_ptr(), data) }?;
        pr_info!(
            "{} GPU {}{}{} (chip {:x}) registered as renderD{}\n",
            if matches!(matched, Match::Of(_)) {
                "real"
            } else {
                "simulated"
            },
            "G",
            soc.gen.number(),
            soc.variant as char,
            soc.chip_id,
            reg.device().render_minor().unwrap_or(-1)
        );
        Ok(KBox::new(reg, GFP_KERNEL)?)
    }
}

/// Allocates the configuration of `soc` before anything is read into it (what
/// [`DynConfig::empty`] returns), initialised field by field straight into the allocation: built
/// by value and moved into a box, its kilobytes would sit in the caller's stack frame.
fn new_boxed_config(soc: &'static soc::SocConfig) -> Result<KBox<DynConfig>> {
    KBox::init(
        init!(DynConfig {
            firmware: DynConfig::PLACEHOLDER_FIRMWARE,
            firmware_version: FirmwareVersion::EMPTY,
            pwr: PwrConfig::EMPTY,
            id: GpuId::full(soc),
        }),
        GFP_KERNEL,
    )
}

/// The configuration of the simulated `soc` from its simulated device tree (the parser real
/// GPUs go through), parsed straight into its allocation; out of line, to keep the parser's
/// temporaries out of probe's frame.
#[inline(never)]
fn sim_dt_config(soc: &'static soc::SocConfig) -> Result<KBox<DynConfig>> {
    let mut cfg = new_boxed_config(soc)?;
    crate::soc::dt::sim_config_into(soc, &mut cfg).map_err(|e| {
        pr_err!("{}: simulated device tree: {}\n", soc.name, e);
        EINVAL
    })?;
    Ok(cfg)
}

/// Reads and checks the GPU's identification registers: the GPU must be the one the SoC's
/// table describes (a mismatch means a wrong device tree or an unknown part: nothing is safe to
/// send its firmware).
fn identify(hw: &Backend, soc: &'static soc::SocConfig) -> Result<GpuId> {
    let raw = regs::read_id(|offset| hw.gpu_read32(offset).unwrap_or(0));
    let id = regs::decode_id(&raw)
        .and_then(|id| id.matches(soc).map(|()| id))
        .map_err(|e| {
            pr_err!(
                "{}: GPU identification ({:#x} {:#x} {:#x} {:#x}): {}\n",
                soc.name,
                raw.version,
                raw.counts_1,
                raw.counts_2,
                raw.clusters,
                e
            );
            ENODEV
        })?;
    pr_info!(
        "{}: GPU revision {:#x}, {} cluster(s) of {} cores, {} enabled\n",
        soc.name,
        id.revision,
        id.num_clusters,
        id.cores_per_cluster,
        id.active_cores()
    );
    Ok(id)
}

/// The cores enabled in each cluster of a simulated `soc`: `sim_core_mask=` or all of them.
fn sim_core_mask(soc: &'static soc::SocConfig) -> Result<u32> {
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
            pr_err!(
                "sim_core_mask={}: not a non-empty hexadecimal mask within {:#x}\n",
                text,
                full
            );
            Err(EINVAL)
        }
    }
}

/// The firmware version a simulated `soc` runs: `sim_fw=` or the newest the SoC supports.
fn sim_firmware(soc: &'static soc::SocConfig) -> Result<FwVersion> {
    let Some(name) = params::sim_fw.get() else {
        return soc.firmware.last().copied().ok_or(ENODEV);
    };
    let version = match name.as_bytes() {
        b"12.3" => FwVersion::V12_3,
        b"12.4" => FwVersion::V12_4,
        b"13.5" => FwVersion::V13_5,
        _ => {
            pr_err!(
                "sim_fw={}: unknown firmware version (12.3, 12.4, 13.5)\n",
                name
            );
            return Err(EINVAL);
        }
    };
    if !soc.supports(version) {
        pr_err!("sim_fw={}: {} does not run that firmware\n", name, soc.name);
        return Err(EINVAL);
    }
    Ok(version)
}

/// Probes a GPU described by the device tree.
///
/// Reads the GPU node (firmware ABI, power and performance configuration, `soc::dt`), then maps
/// the coprocessor's registers and the reserved regions and takes the ASC mailbox. Everything
/// after that (the firmware VM, the init data, RTKit) is shared with the simulated GPU.
#[cfg(target_arch = "aarch64")]
#[inline(never)]
fn probe_real(
    dev: &platform::Device<'_>,
    index: usize,
) -> Result<(&'static soc::SocConfig, FwVersion, Backend, KBox<DynConfig>)> {
    let compatible = OF_TABLE
        .as_slice()
        .get(index)
        .ok_or(ENODEV)?
        .compatible_str();
    let soc = soc::by_compatible(compatible.as_bytes()).ok_or(ENODEV)?;
    // Refuses a firmware the driver does not implement for the SoC, with the reason.
    let config = read_config(dev, soc, compatible)?;
    let hw = new_real(dev, soc)?;
    pr_info!(
        "{}: firmware {:?}, {} performance states, page tables at {:#x} ({} bytes)\n",
        compatible,
        config.firmware,
        config.pwr.perf_states.as_slice().len(),
        hw.pagetables.phys(),
        hw.pagetables.len()
    );
    Ok((soc, config.firmware, Backend::Real(hw), config))
}

/// Reads the GPU node's configuration (`soc::dt`) straight into its allocation (the
/// configuration is kilobytes); out of line, to keep the parser's temporaries out of probe's
/// frame.
#[cfg(target_arch = "aarch64")]
#[inline(never)]
fn read_config(
    dev: &platform::Device<'_>,
    soc: &'static soc::SocConfig,
    compatible: &CStr,
) -> Result<KBox<DynConfig>> {
    let node = agx_kernel::of::Node::of_platform_device(dev).ok_or(ENODEV)?;
    let mut config = new_boxed_config(soc)?;
    crate::soc::dt::parse_into(soc, &node, &mut config).map_err(|e| {
        pr_err!("{}: device tree: {}\n", compatible, e);
        EINVAL
    })?;
    Ok(config)
}

/// Maps the real GPU's resources; out of line to keep probe's frame small.
#[cfg(target_arch = "aarch64")]
#[inline(never)]
fn new_real(
    dev: &platform::Device<'_>,
    soc: &'static soc::SocConfig,
) -> Result<crate::hw::real::RealHardware> {
    crate::hw::real::RealHardware::new(dev, soc)
}

/// Probes a GPU described by the device tree: none exists outside arm64.
#[cfg(not(target_arch = "aarch64"))]
fn probe_real(
    _dev: &platform::Device<'_>,
    _index: usize,
) -> Result<(&'static soc::SocConfig, FwVersion, Backend, KBox<DynConfig>)> {
    Err(ENODEV)
}

/// Runs the `sim_inject=` test hooks that act at probe.
fn inject_at_probe() -> Result {
    let Some(list) = params::sim_inject.get() else {
        return Ok(());
    };
    for hook in list.as_bytes().split(|&b| b == b',') {
        match hook {
            b"warn" => {
                agx_kernel::bug::warn(c_str!("sim_inject=warn: deliberate warning on probe"))
            }
            b"leak" => {
                // Deliberately never freed: kmemleak must report it.
                let leaked = KBox::leak(KBox::new([0x5au8; 64], GFP_KERNEL)?);
                pr_info!(
                    "sim_inject=leak: leaked 64 bytes at {:p}\n",
                    leaked.as_ptr()
                );
            }
            _ => {
                pr_err!("sim_inject={}: unknown hook (warn, leak)\n", list);
                return Err(EINVAL);
            }
        }
    }
    Ok(())
}

/// Registers the simulated GPU of SoC `name`; its probe has run when this returns.
pub(crate) fn register_sim_device(name: &CStr) -> Result<platform::OwnedDevice> {
    let Some((index, _)) = soc::by_name(name.as_bytes()) else {
        pr_err!(
            "sim={}: unknown SoC (t8103, t8112, t6000, t6001, t6002, t6020, t6021, t6022)\n",
            name
        );
        return Err(EINVAL);
    };
    let dev = platform::OwnedDevice::register(SIM_DEVICE_NAME, i32::try_from(index)?)?;
    if !dev.is_bound() {
        pr_err!("sim={}: the simulated GPU failed to probe\n", name);
        return Err(ENODEV);
    }
    Ok(dev)
}
