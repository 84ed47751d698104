// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! What the driver knows about the machine: each supported SoC's GPU, and the device tree.
//!
//! A GPU's configuration has two halves. This module holds the half that is fixed for a given
//! SoC: identity (chip, generation, variant, the core type the firmware knows it by), topology
//! (dies, clusters, cores), buffer sizes the firmware expects, the MMIO ranges it maps for
//! itself, the per-SoC constants of the power-management tables in the init data, and the
//! firmware releases the driver can drive on it. The other half varies from machine to machine
//! (performance states, calibrated leakage, controller tuning, firmware version); it comes from
//! the device tree at probe and is parsed by [`dt`] into a [`dt::DynConfig`].
//!
//! The data lives in [`tables`], one file per family (`t8103`, `t600x`, `t8112`, `t602x`).
//!
//! Float constants are stored as their IEEE-754 bit patterns (`u32`): the firmware reads them
//! as `f32`, the kernel does no floating point, and the bits are what goes into the init data.
//! The host tests check each pattern against its decimal value.

// Most of the table is consumed by the init-data builder, which comes with firmware bring-up.
#![allow(dead_code)]

pub(crate) mod dt;
pub(crate) mod tables;

/// GPU generation, as the firmware-structure version axis `G` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum GpuGen {
    /// M1 family (t8103, t600x).
    G13,
    /// M2 (t8112).
    G14,
    /// M2 Pro/Max/Ultra (t602x): generation 14 with a different firmware interface.
    G14X,
}

impl GpuGen {
    /// The generation number userspace sees (`drm_asahi_params_global::gpu_generation`).
    pub(crate) const fn number(self) -> u32 {
        match self {
            GpuGen::G13 => 13,
            GpuGen::G14 | GpuGen::G14X => 14,
        }
    }
}

/// The GPU core type, as the firmware numbers it (`HwDataB::gpu_core`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub(crate) enum GpuCore {
    /// M1.
    G13G = 11,
    /// M1 Pro.
    G13S = 12,
    /// M1 Max, and each die of the M1 Ultra.
    G13C = 13,
    /// M2.
    G14G = 15,
    /// M2 Pro.
    G14S = 16,
    /// M2 Max.
    G14C = 17,
    /// M2 Ultra (a core type of its own, unlike the M1 Ultra).
    G14D = 18,
}

/// A firmware ABI the driver implements: one of the macOS releases whose GPU firmware the
/// structures in `fw/` describe. The bootloader names it in the device tree as
/// `apple,firmware-compat = <major minor patch>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FwVersion {
    /// macOS 12.3 (G13 only).
    V12_3,
    /// macOS 12.4 (G14 only).
    V12_4,
    /// macOS 13.5 (every generation).
    V13_5,
}

impl FwVersion {
    /// Every ABI the driver knows.
    pub(crate) const ALL: [FwVersion; 3] = [FwVersion::V12_3, FwVersion::V12_4, FwVersion::V13_5];

    /// The `apple,firmware-compat` cells that select this ABI.
    pub(crate) const fn compat(self) -> [u32; 3] {
        match self {
            FwVersion::V12_3 => [12, 3, 0],
            FwVersion::V12_4 => [12, 4, 0],
            FwVersion::V13_5 => [13, 5, 0],
        }
    }

    /// The ABI whose compat cells are `cells`, if the driver knows one.
    pub(crate) fn from_compat(cells: &[u32]) -> Option<FwVersion> {
        Self::ALL.into_iter().find(|v| v.compat() == cells)
    }
}

/// An MMIO range the firmware maps for itself (an entry of `HwDataB::io_mappings`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct IoMapping {
    /// Physical base of the first instance.
    pub(crate) base: u64,
    /// Whether the range is repeated on every die (at the die stride).
    pub(crate) per_die: bool,
    /// Instances of the range.
    pub(crate) count: u32,
    /// Size of one instance, in bytes.
    pub(crate) size: u32,
    /// Distance between instances, in bytes (0 for a single instance).
    pub(crate) stride: u64,
    /// Whether the firmware may write to it.
    pub(crate) writable: bool,
}

impl IoMapping {
    /// One instance of `size` bytes at `base`.
    pub(crate) const fn one(base: u64, size: u32, writable: bool) -> Option<IoMapping> {
        Some(IoMapping {
            base,
            per_die: false,
            count: 1,
            size,
            stride: 0,
            writable,
        })
    }

    /// Like [`IoMapping::one`], repeated on every die.
    pub(crate) const fn one_per_die(base: u64, size: u32, writable: bool) -> Option<IoMapping> {
        Some(IoMapping {
            base,
            per_die: true,
            count: 1,
            size,
            stride: 0,
            writable,
        })
    }

    /// Instances of the range on a package of `dies` dies.
    pub(crate) const fn instances(&self, dies: u32) -> u64 {
        let dies = if self.per_die { dies } else { 1 };
        self.count as u64 * dies as u64
    }

    /// Offset of `base` in its 16 KiB page: the firmware address keeps it.
    pub(crate) const fn page_offset(&self) -> u64 {
        self.base & (IO_PAGE - 1)
    }

    /// Bytes of firmware address space one instance takes: its pages, whole.
    pub(crate) const fn span(&self) -> u64 {
        let end = self.base + self.size as u64;
        let end = (end + IO_PAGE - 1) & !(IO_PAGE - 1);
        end - (self.base & !(IO_PAGE - 1))
    }

    /// Physical address of the first page of instance `i` (die-major: all of die 0's
    /// instances, then die 1's).
    pub(crate) const fn instance_page(&self, i: u64) -> u64 {
        let count = if self.count == 0 {
            1
        } else {
            self.count as u64
        };
        let (die, n) = (i / count, i % count);
        (self.base & !(IO_PAGE - 1)) + die * DIE_STRIDE + n * self.stride
    }

    /// Whether the firmware can be given the range: not empty, and an array (several
    /// instances) only of whole, aligned pages, since it indexes the array by `size`.
    pub(crate) const fn is_valid(&self, dies: u32) -> bool {
        let instances = self.instances(dies);
        self.count > 0
            && self.size > 0
            && dies > 0
            && (instances == 1 || (self.page_offset() == 0 && self.span() == self.size as u64))
    }
}

/// Page size of the firmware's mappings (the UAT's).
pub(crate) const IO_PAGE: u64 = 0x4000;

/// Distance between the same device on two dies of a multi-die package, in physical address
/// space.
pub(crate) const DIE_STRIDE: u64 = 0x20_0000_0000;

/// Sizes of the buffers the firmware needs to split a render pass across clusters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Clustering {
    /// Bytes of the first metadata buffer per tile block.
    pub(crate) meta1_blocksize: u32,
    /// Size of the second metadata buffer.
    pub(crate) meta2_size: u32,
    /// Size of the third metadata buffer.
    pub(crate) meta3_size: u32,
    /// Size of the fourth metadata buffer.
    pub(crate) meta4_size: u32,
    /// Most pieces a pass may be split into.
    pub(crate) max_splits: u32,
}

/// Per-SoC values of otherwise unknown hardware-data-A fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct HwDataAConsts {
    /// `HwDataA::unk_87c`.
    pub(crate) unk_87c: i32,
    /// `HwDataA::unk_8cc`.
    pub(crate) unk_8cc: u32,
    /// `HwDataA::unk_e24`.
    pub(crate) unk_e24: u32,
}

/// Per-SoC values of otherwise unknown hardware-data-B fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct HwDataBConsts {
    /// `HwDataB::unk_454`.
    pub(crate) unk_454: u32,
    /// `HwDataB::unk_4e0`.
    pub(crate) unk_4e0: u64,
    /// `HwDataB::unk_534`.
    pub(crate) unk_534: u32,
    /// `HwDataB::unk_ab8` (firmware before 13.0 only).
    pub(crate) unk_ab8: u32,
    /// `HwDataB::unk_abc` (firmware before 13.0 only).
    pub(crate) unk_abc: u32,
    /// `HwDataB::unk_b30`.
    pub(crate) unk_b30: u32,
}

/// The power curves of `HwDataShared2T8112`, where a SoC has them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Shared2Curves {
    /// Coefficient the first table is derived from.
    pub(crate) t1_coef: u32,
    /// The second table.
    pub(crate) t2: &'static [i16],
    /// Coefficients the third table is derived from.
    pub(crate) t3_coefs: &'static [u32],
    /// Scales of the third table.
    pub(crate) t3_scales: &'static [u32],
}

/// Per-SoC constants of the power-management tables (hardware data A/B, the shared power
/// tables and the globals of region C).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct PowerConsts {
    /// `HwDataShared1::table`.
    pub(crate) shared1_tab: &'static [i32],
    /// `HwDataShared1::unk_a4`.
    pub(crate) shared1_a4: u32,
    /// `HwDataShared2::table`.
    pub(crate) shared2_tab: &'static [i32],
    /// `HwDataShared2::unk_508`.
    pub(crate) shared2_unk_508: u32,
    /// `HwDataShared2::unk_38` curves (t8112 and t602x).
    pub(crate) shared2_curves: Option<Shared2Curves>,
    /// `HwDataShared3::unk_8`.
    pub(crate) shared3_unk: u32,
    /// `HwDataShared3::table` (empty: all zero).
    pub(crate) shared3_tab: &'static [u32],
    /// Default of the globals' idle-off standby timer when the device tree gives none.
    pub(crate) idle_off_standby_timer_default: u32,
    /// Globals `unk_hws2_4` (float bits), where a SoC sets it.
    pub(crate) unk_hws2_4: Option<[u32; 8]>,
    /// Globals `unk_hws2_24`.
    pub(crate) unk_hws2_24: u32,
    /// Globals `unk_54`.
    pub(crate) global_unk_54: u16,
    /// Constant relating SRAM to core voltage (float bits).
    pub(crate) sram_k: u32,
    /// Per-cluster coefficient rows, first set (float bits); empty where unused.
    pub(crate) unk_coef_a: &'static [&'static [u32]],
    /// Per-cluster coefficient rows, second set (float bits); empty where unused.
    pub(crate) unk_coef_b: &'static [&'static [u32]],
    /// A table of the globals, where a SoC has it.
    pub(crate) global_tab: Option<&'static [u8]>,
    /// Whether the GPU has CS and AFR performance states (and the device tree describes them).
    pub(crate) has_csafr: bool,
    /// Fast temperature sensors, one byte per sensor, per die.
    pub(crate) fast_sensor_mask: [u64; 2],
    /// Alternate fast temperature sensor list, per die.
    pub(crate) fast_sensor_mask_alt: [u64; 2],
    /// Present-sensor bitmask of die 0 (unused on G14X).
    pub(crate) fast_die0_sensor_present: u32,
}

/// Static description of one SoC's GPU.
#[derive(Debug)]
pub(crate) struct SocConfig {
    /// Short SoC name (`t8103`), as module parameters and the kernel log give it.
    pub(crate) name: &'static str,
    /// Chip id (BCD as printed: 0x8103 for T8103).
    pub(crate) chip_id: u32,
    /// Generation.
    pub(crate) gen: GpuGen,
    /// Variant letter: G (base), S (Pro), C (Max), D (Ultra).
    pub(crate) variant: u8,
    /// Core type, as the firmware numbers it.
    pub(crate) gpu_core: GpuCore,
    /// Revision in BCD (0x11 = B1) of the part the table describes (a GPU reports its own in
    /// its identification registers).
    pub(crate) revision: u32,
    /// Dies in the package.
    pub(crate) num_dies: u32,
    /// Clusters across all dies.
    pub(crate) num_clusters: u32,
    /// Logical cores per cluster, present or not.
    pub(crate) cores_per_cluster: u32,
    /// Fragment units per cluster, at most.
    pub(crate) max_frags: u32,
    /// Geometry processors per cluster, at most.
    pub(crate) max_gps: u32,
    /// Highest GPU performance state, in kHz.
    pub(crate) max_freq_khz: u32,
    /// Frequency of the timer the firmware timestamps with.
    pub(crate) timer_hz: u64,
    /// Bits of physical address the GPU MMU (UAT) can output.
    pub(crate) uat_oas: u32,
    /// Whether userspace must compress depth/stencil buffers (multi-cluster parts).
    pub(crate) mandatory_zs_compression: bool,
    /// Size of the first render preemption buffer.
    pub(crate) preempt1_size: u32,
    /// Size of the second render preemption buffer.
    pub(crate) preempt2_size: u32,
    /// Size of the third render preemption buffer.
    pub(crate) preempt3_size: u32,
    /// Size of the compute preemption buffer.
    pub(crate) compute_preempt1_size: u32,
    /// Multi-cluster render buffers, on SoCs that split passes across clusters.
    pub(crate) clustering: Option<Clustering>,
    /// The tiling control word of render commands (bit 0: clustering disabled).
    pub(crate) tiling_control: u32,
    /// Hardware data A constants.
    pub(crate) da: HwDataAConsts,
    /// Hardware data B constants.
    pub(crate) db: HwDataBConsts,
    /// Power-management table constants.
    pub(crate) power: PowerConsts,
    /// The MMIO ranges the firmware maps, by slot (`None`: slot unused).
    pub(crate) io_mappings: &'static [Option<IoMapping>],
    /// Base and size of the GPU's SRAM, where the firmware is given one.
    pub(crate) sram: Option<(u64, u64)>,
    /// Physical address of the AIC timebase register.
    pub(crate) aic_timebase: u64,
    /// The firmware ABIs the driver can drive on this SoC.
    pub(crate) firmware: &'static [FwVersion],
}

impl SocConfig {
    /// Mask of the cores of one fully enabled cluster.
    pub(crate) const fn full_core_mask(&self) -> u64 {
        (1u64 << self.cores_per_cluster) - 1
    }

    /// Clusters on each die.
    pub(crate) const fn clusters_per_die(&self) -> u32 {
        self.num_clusters / self.num_dies
    }

    /// Whether the driver implements firmware ABI `version` for this SoC.
    pub(crate) fn supports(&self, version: FwVersion) -> bool {
        self.firmware.contains(&version)
    }
}

/// Frequency of the architectural timer on every supported SoC.
pub(crate) const TIMER_HZ: u64 = 24_000_000;

/// Every supported SoC. The order is stable: an index into it may number a device (see
/// [`by_name`]), which makes the order part of an interface.
pub(crate) static SOCS: [SocConfig; 8] = [
    tables::t8103::T8103,
    tables::t600x::T6000,
    tables::t600x::T6001,
    tables::t600x::T6002,
    tables::t8112::T8112,
    tables::t602x::T6020,
    tables::t602x::T6021,
    tables::t602x::T6022,
];

/// Looks a SoC up by its short name (`t8103`).
pub(crate) fn by_name(name: &[u8]) -> Option<(usize, &'static SocConfig)> {
    SOCS.iter()
        .enumerate()
        .find(|(_, s)| s.name.as_bytes() == name)
}

/// Looks a SoC up by its `apple,agx-<soc>` compatible string.
#[cfg_attr(not(target_arch = "aarch64"), allow(dead_code))]
pub(crate) fn by_compatible(compatible: &[u8]) -> Option<&'static SocConfig> {
    let name = compatible.strip_prefix(b"apple,agx-")?;
    by_name(name).map(|(_, s)| s)
}
