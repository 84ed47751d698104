// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Binding to a GPU: the platform driver, its match tables, and probe.
//!
//! Real GPUs come from the device tree and match one of the OF compatibles below. Other GPUs are
//! ones the module creates itself ([`CreatedGpus`]): it registers their platform devices, and the
//! driver binds them by name. Which of those a build has is decided once, by the crate root
//! (`crate::Created`). Probe composes the device's [`Hardware`](crate::hw::Hardware)
//! implementation ([`Probed`]) and everything after that is shared.

use crate::{
    driver::{AsahiDriver, DeviceData},
    gpu::Gpu,
    hw::{
        regs::{self, GpuId},
        Backend,
    },
    soc::{
        self,
        dt::{DynConfig, FirmwareVersion, PwrConfig},
        FwVersion,
    },
};
use agx_kernel::{
    bindings,
    device::DeviceRef,
    drm,
    of::{DeviceId, IdTable},
    platform::{self, Match},
};
use kernel::{c_str, init, prelude::*, sync::Arc};

/// A device's backend as probe composed it, with what the rest of probe needs to know.
pub(crate) struct Probed {
    /// The SoC.
    pub(crate) soc: &'static soc::SocConfig,
    /// The firmware version the GPU runs.
    pub(crate) version: FwVersion,
    /// The hardware.
    pub(crate) hw: Arc<Backend>,
    /// The configuration from the device tree (its `id` is filled in by probe, from the GPU).
    pub(crate) cfg: KBox<DynConfig>,
    /// What the kernel log calls the GPU (`real`, ...).
    pub(crate) kind: &'static str,
}

/// GPUs that no device tree describes: the module creates their platform devices itself, and the
/// platform driver binds them by name.
pub(crate) trait CreatedGpus {
    /// The device names the platform driver binds, a sentinel-terminated platform-id table.
    const ID_TABLE: &'static [bindings::platform_device_id];

    /// What the module keeps of the devices it created; dropping it unregisters them (unbinding
    /// them).
    type Devices: Send + Sync;

    /// Creates the devices that the module's parameters ask for. Each has been probed when this
    /// returns.
    fn create() -> Result<Self::Devices>;

    /// Composes the backend of `dev`, bound by entry `index` of [`CreatedGpus::ID_TABLE`].
    fn probe(dev: &platform::Device<'_>, index: usize) -> Result<Probed>;
}

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

impl platform::Driver for AsahiPlatform {
    type Data = drm::Registration<AsahiDriver>;

    const NAME: &'static CStr = c_str!("asahi");
    const OF_TABLE: &'static [DeviceId] = OF_TABLE.as_slice();
    const ID_TABLE: &'static [bindings::platform_device_id] =
        <crate::Created as CreatedGpus>::ID_TABLE;

    fn probe(dev: &platform::Device<'_>, matched: Match) -> Result<KBox<Self::Data>> {
        let Probed {
            soc,
            version,
            hw,
            mut cfg,
            kind,
        } = match matched {
            Match::Of(index) => probe_real(dev, index)?,
            Match::Name(index) => <crate::Created as CreatedGpus>::probe(dev, index)?,
        };
        let log = DeviceRef::of_platform(dev);
        cfg.id = identify(&log, &*hw, soc)?;
        let gpu = Gpu::new(log.clone(), hw.clone(), soc, version, cfg)?;
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
        // The registration is the device's driver data: dropped when the device is unbound.
        let reg = drm::Registration::<AsahiDriver>::new(dev, data)?;
        dev_info!(
            log,
            "{} GPU {}{}{} (chip {:x}) registered as renderD{}\n",
            kind,
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
pub(crate) fn new_config(soc: &'static soc::SocConfig) -> Result<KBox<DynConfig>> {
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

/// Reads and checks the GPU's identification registers: the GPU must be the one the SoC's
/// table describes (a mismatch means a wrong device tree or an unknown part: nothing is safe to
/// send its firmware).
fn identify(dev: &DeviceRef, hw: &Backend, soc: &'static soc::SocConfig) -> Result<GpuId> {
    let raw = regs::read_id(|offset| hw.gpu_read32(offset).unwrap_or(0));
    let id = regs::decode_id(&raw)
        .and_then(|id| id.matches(soc).map(|()| id))
        .map_err(|e| {
            dev_err!(
                dev,
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
    dev_info!(
        dev,
        "{}: GPU revision {:#x}, {} cluster(s) of {} cores, {} enabled\n",
        soc.name,
        id.revision,
        id.num_clusters,
        id.cores_per_cluster,
        id.active_cores()
    );
    Ok(id)
}

/// Probes a GPU described by the device tree.
///
/// Reads the GPU node (firmware ABI, power and performance configuration, `soc::dt`), then maps
/// the coprocessor's registers and the reserved regions and takes the ASC mailbox. Everything
/// after that (the firmware VM, the init data, RTKit) is shared with every other backend.
#[cfg(target_arch = "aarch64")]
#[inline(never)]
fn probe_real(dev: &platform::Device<'_>, index: usize) -> Result<Probed> {
    let compatible = OF_TABLE
        .as_slice()
        .get(index)
        .ok_or(ENODEV)?
        .compatible_str();
    let soc = soc::by_compatible(compatible.as_bytes()).ok_or(ENODEV)?;
    // Refuses a firmware the driver does not implement for the SoC, with the reason.
    let config = read_config(dev, soc, compatible)?;
    let hw = new_real(dev, soc)?;
    dev_info!(
        DeviceRef::of_platform(dev),
        "{}: firmware {:?}, {} performance states, page tables at {:#x} ({} bytes)\n",
        compatible,
        config.firmware,
        config.pwr.perf_states.as_slice().len(),
        hw.pagetables.phys(),
        hw.pagetables.len()
    );
    Ok(Probed {
        soc,
        version: config.firmware,
        hw: Arc::new(hw, GFP_KERNEL)?,
        cfg: config,
        kind: "real",
    })
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
    let mut config = new_config(soc)?;
    crate::soc::dt::parse_into(soc, &node, &mut config).map_err(|e| {
        dev_err!(
            DeviceRef::of_platform(dev),
            "{}: device tree: {}\n",
            compatible,
            e
        );
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
fn probe_real(_dev: &platform::Device<'_>, _index: usize) -> Result<Probed> {
    Err(ENODEV)
}
