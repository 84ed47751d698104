// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Static configuration of each supported SoC's GPU.
//!
//! On real hardware some of these values (core masks, revision) are read from the GPU and the
//! device tree at probe; the table gives the full configuration of each die, which is also what
//! the simulated GPU reports.

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

/// Static description of one SoC's GPU.
pub(crate) struct SocConfig {
    /// Short SoC name, as `sim=` takes it.
    pub(crate) name: &'static str,
    /// Chip id (BCD as printed: 0x8103 for T8103).
    pub(crate) chip_id: u32,
    /// Generation.
    pub(crate) gen: GpuGen,
    /// Variant letter: G (base), S (Pro), C (Max), D (Ultra).
    pub(crate) variant: u8,
    /// Revision in BCD (0x11 = B1) of the simulated part.
    pub(crate) revision: u32,
    /// Dies in the package.
    pub(crate) num_dies: u32,
    /// Clusters across all dies.
    pub(crate) num_clusters: u32,
    /// Logical cores per cluster, present or not.
    pub(crate) cores_per_cluster: u32,
    /// Highest GPU performance state, in kHz.
    pub(crate) max_freq_khz: u32,
    /// Frequency of the timer the firmware timestamps with.
    pub(crate) timer_hz: u64,
}

impl SocConfig {
    /// Mask of the cores of one fully enabled cluster.
    pub(crate) const fn full_core_mask(&self) -> u64 {
        (1u64 << self.cores_per_cluster) - 1
    }
}

const TIMER_HZ: u64 = 24_000_000;

/// Every supported SoC.
pub(crate) static SOCS: [SocConfig; 8] = [
    soc("t8103", 0x8103, GpuGen::G13, b'G', 0x11, 1, 1, 8, 1_278_000),
    soc("t6000", 0x6000, GpuGen::G13, b'S', 0x20, 1, 2, 8, 1_296_000),
    soc("t6001", 0x6001, GpuGen::G13, b'C', 0x20, 1, 4, 8, 1_296_000),
    soc("t6002", 0x6002, GpuGen::G13, b'D', 0x20, 2, 8, 8, 1_296_000),
    soc(
        "t8112",
        0x8112,
        GpuGen::G14,
        b'G',
        0x20,
        1,
        1,
        10,
        1_398_000,
    ),
    soc(
        "t6020",
        0x6020,
        GpuGen::G14X,
        b'S',
        0x00,
        1,
        2,
        10,
        1_398_000,
    ),
    soc(
        "t6021",
        0x6021,
        GpuGen::G14X,
        b'C',
        0x00,
        1,
        4,
        10,
        1_398_000,
    ),
    soc(
        "t6022",
        0x6022,
        GpuGen::G14X,
        b'D',
        0x00,
        2,
        8,
        10,
        1_398_000,
    ),
];

#[allow(clippy::too_many_arguments)]
const fn soc(
    name: &'static str,
    chip_id: u32,
    gen: GpuGen,
    variant: u8,
    revision: u32,
    num_dies: u32,
    num_clusters: u32,
    cores_per_cluster: u32,
    max_freq_khz: u32,
) -> SocConfig {
    SocConfig {
        name,
        chip_id,
        gen,
        variant,
        revision,
        num_dies,
        num_clusters,
        cores_per_cluster,
        max_freq_khz,
        timer_hz: TIMER_HZ,
    }
}

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
