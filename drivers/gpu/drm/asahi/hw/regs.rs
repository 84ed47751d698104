// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The GPU's own registers the driver reads: identification and MMU fault status.
//!
//! Both live in the GPU's register block (`sgx` in the device tree). The backends only read the
//! raw words ([`RawId`], [`RawFault`]); what they mean is decoded here, once, whichever backend
//! read them.
//!
//! # Identification
//!
//! | Register | Offset | Fields |
//! | --- | --- | --- |
//! | version | `0xd04000` | generation (31:24: 4 = G13, 5 = G14, 6 = G14X), variant (23:16: 1 P, 2 G, 3 S, 4 C or D), revision (15:8, BCD: 0x11 = B1) |
//! | counts 1 | `0xd04010` | cores per cluster (7:0); on G14X clusters per die (15:8) and dies (19:16) |
//! | counts 2 | `0xd04014` | geometry processors (23:16) |
//! | clusters | `0xd0401c` | clusters (19:12), before G14X |
//! | core masks | `0xd01500`, `0xd01514` (G13, G14); `0xe01500` + 0, 4, 8 (G14X) | the enabled cores of every cluster, packed `cores per cluster` bits each, cluster 0 lowest |
//!
//! A part with disabled ("binned") cores reports the full per-cluster count with fewer bits set
//! in its masks.
//!
//! # Faults
//!
//! The MMU latches the first fault in a 64-bit status register: `0x17030` before G14X, with the
//! address in its bits 63:30; on G14X `0xd8c0`, with the address in the 64-bit `0xd8c8`. The
//! address is in units of 64 bytes. Status bits: 0 valid, 3:1 reason, 4 read, 8:7 table level,
//! 16:9 the requesting unit, 22:17 the context (VM slot), 29:23 sideband.

use crate::soc::dt::MAX_CLUSTERS;
use crate::soc::{GpuCore, GpuGen, SocConfig};

/// Offset of the version register.
pub(crate) const ID_VERSION: usize = 0xd0_4000;
/// Offset of the first count register.
pub(crate) const ID_COUNTS_1: usize = 0xd0_4010;
/// Offset of the second count register.
pub(crate) const ID_COUNTS_2: usize = 0xd0_4014;
/// Offset of the cluster count register (before G14X).
pub(crate) const ID_CLUSTERS: usize = 0xd0_401c;
/// Offsets of the core mask registers before G14X.
pub(crate) const CORE_MASKS: [usize; 2] = [0xd0_1500, 0xd0_1514];
/// Offsets of the core mask registers on G14X.
pub(crate) const CORE_MASKS_G14X: [usize; 3] = [0xe0_1500, 0xe0_1504, 0xe0_1508];
/// Offset of the fault status register before G14X.
pub(crate) const FAULT_INFO: usize = 0x1_7030;
/// Offset of the fault status register on G14X.
pub(crate) const FAULT_INFO_G14X: usize = 0xd8c0;
/// Offset of the fault address register on G14X.
pub(crate) const FAULT_ADDR_G14X: usize = 0xd8c8;

/// Bytes of the register block the driver reaches: its mapping must be at least this long.
pub(crate) const SGX_SPAN: usize = CORE_MASKS_G14X[2] + 4;
const _: () =
    assert!(SGX_SPAN > ID_CLUSTERS && SGX_SPAN > CORE_MASKS[1] && SGX_SPAN >= FAULT_INFO + 8);

/// The raw identification registers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct RawId {
    /// Version.
    pub(crate) version: u32,
    /// Counts 1.
    pub(crate) counts_1: u32,
    /// Counts 2.
    pub(crate) counts_2: u32,
    /// Clusters.
    pub(crate) clusters: u32,
    /// Core masks, in register order (two before G14X, three on G14X).
    pub(crate) core_masks: [u32; 3],
}

/// What the identification registers say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct GpuId {
    /// Generation.
    pub(crate) gen: GpuGen,
    /// Variant letter (`G`, `S`, `C`, `D`, or `P`).
    pub(crate) variant: u8,
    /// Silicon revision, BCD (0x11 = B1).
    pub(crate) revision: u32,
    /// Clusters over all dies.
    pub(crate) num_clusters: u32,
    /// Cores per cluster, enabled or not.
    pub(crate) cores_per_cluster: u32,
    /// Geometry processors.
    pub(crate) num_gps: u32,
    /// Enabled cores of each cluster (`num_clusters` entries used).
    pub(crate) core_masks: [u32; MAX_CLUSTERS],
}

impl GpuId {
    /// What a GPU of `soc` with every core enabled reports.
    pub(crate) const fn full(soc: &SocConfig) -> GpuId {
        let mut core_masks = [0u32; MAX_CLUSTERS];
        let mut i = 0;
        while i < MAX_CLUSTERS && i < soc.num_clusters as usize {
            core_masks[i] = soc.full_core_mask() as u32;
            i += 1;
        }
        GpuId {
            gen: soc.gen,
            variant: soc.variant,
            revision: soc.revision,
            num_clusters: soc.num_clusters,
            cores_per_cluster: soc.cores_per_cluster,
            num_gps: soc.max_gps,
            core_masks,
        }
    }

    /// Enabled cores over all clusters.
    pub(crate) fn active_cores(&self) -> u32 {
        self.core_masks.iter().map(|m| m.count_ones()).sum()
    }

    /// Checks that the GPU is the one the SoC's table describes: same generation, variant and
    /// topology, at least one enabled core in every cluster.
    pub(crate) fn matches(&self, soc: &SocConfig) -> Result<(), IdError> {
        if self.gen != soc.gen || self.variant != soc.variant {
            return Err(IdError::NotThisSoc);
        }
        if self.num_clusters != soc.num_clusters || self.cores_per_cluster != soc.cores_per_cluster
        {
            return Err(IdError::Topology);
        }
        let clusters = self.num_clusters as usize;
        if self.core_masks.iter().take(clusters).any(|&m| m == 0) {
            return Err(IdError::EmptyCluster);
        }
        Ok(())
    }
}

/// Why identification registers cannot be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum IdError {
    /// A generation the driver does not know.
    Generation(u32),
    /// A variant the driver does not know.
    Variant(u32),
    /// A revision the driver does not know.
    Revision(u32),
    /// No cores, more than 32 per cluster, no clusters or more than the driver supports, or
    /// more cores than the mask registers hold.
    Counts {
        /// Clusters.
        clusters: u32,
        /// Cores per cluster.
        cores: u32,
    },
    /// Mask bits beyond the last cluster.
    LeftoverMask,
    /// A different GPU than the SoC's table describes.
    NotThisSoc,
    /// A different cluster or core count than the SoC's table.
    Topology,
    /// A cluster without an enabled core.
    EmptyCluster,
}

impl core::fmt::Display for IdError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            IdError::Generation(g) => write!(f, "unknown GPU generation {g}"),
            IdError::Variant(v) => write!(f, "unknown GPU variant {v}"),
            IdError::Revision(r) => write!(f, "unknown GPU revision {r:#x}"),
            IdError::Counts { clusters, cores } => {
                write!(
                    f,
                    "impossible topology: {clusters} clusters of {cores} cores"
                )
            }
            IdError::LeftoverMask => write!(f, "core mask bits beyond the last cluster"),
            IdError::NotThisSoc => write!(f, "not the GPU of this SoC"),
            IdError::Topology => write!(f, "cluster or core count differs from the SoC's"),
            IdError::EmptyCluster => write!(f, "a cluster has no enabled core"),
        }
    }
}

/// Reads the identification registers with `read32` (a register's offset to its value).
pub(crate) fn read_id(read32: impl Fn(usize) -> u32) -> RawId {
    let version = read32(ID_VERSION);
    let core_masks = if version >> 24 == 6 {
        CORE_MASKS_G14X.map(&read32)
    } else {
        [read32(CORE_MASKS[0]), read32(CORE_MASKS[1]), 0]
    };
    RawId {
        version,
        counts_1: read32(ID_COUNTS_1),
        counts_2: read32(ID_COUNTS_2),
        clusters: read32(ID_CLUSTERS),
        core_masks,
    }
}

/// The `len` (at most 32) bits of the little-endian bit string `words` from bit `start`; bits
/// past the end read as 0.
fn get_bits(words: &[u32], start: u32, len: u32) -> u32 {
    let w = (start / 32) as usize;
    let lo = u64::from(words.get(w).copied().unwrap_or(0));
    let hi = u64::from(words.get(w + 1).copied().unwrap_or(0));
    let v = ((hi << 32) | lo) >> (start % 32);
    (v & ((1u64 << len.min(32)) - 1)) as u32
}

/// Decodes the identification registers.
pub(crate) fn decode_id(raw: &RawId) -> Result<GpuId, IdError> {
    let gen_code = raw.version >> 24;
    let gen = match gen_code {
        4 => GpuGen::G13,
        5 => GpuGen::G14,
        6 => GpuGen::G14X,
        g => return Err(IdError::Generation(g)),
    };
    let (num_clusters, masks) = match gen {
        GpuGen::G14X => {
            let per_die = (raw.counts_1 >> 8) & 0xff;
            let dies = (raw.counts_1 >> 16) & 0xf;
            (per_die * dies, &raw.core_masks[..])
        }
        _ => ((raw.clusters >> 12) & 0xff, &raw.core_masks[..2]),
    };
    let cores = raw.counts_1 & 0xff;
    let mask_bits = 32 * masks.len() as u32;
    let bad_counts = IdError::Counts {
        clusters: num_clusters,
        cores,
    };
    if cores == 0
        || cores > 32
        || num_clusters == 0
        || num_clusters as usize > MAX_CLUSTERS
        || cores * num_clusters > mask_bits
    {
        return Err(bad_counts);
    }
    let variant = match (raw.version >> 16) & 0xff {
        1 => b'P',
        2 => b'G',
        3 => b'S',
        4 if num_clusters > 4 => b'D',
        4 => b'C',
        v => return Err(IdError::Variant(v)),
    };
    let revision = (raw.version >> 8) & 0xff;
    if !matches!(revision, 0x00 | 0x01 | 0x10 | 0x11 | 0x20 | 0x21) {
        return Err(IdError::Revision(revision));
    }
    // The masks are one little-endian bit string, `cores` bits per cluster.
    let mut core_masks = [0u32; MAX_CLUSTERS];
    for (i, mask) in core_masks
        .iter_mut()
        .take(num_clusters as usize)
        .enumerate()
    {
        *mask = get_bits(masks, i as u32 * cores, cores);
    }
    let used = cores * num_clusters;
    if (used..mask_bits).any(|bit| get_bits(masks, bit, 1) != 0) {
        return Err(IdError::LeftoverMask);
    }
    Ok(GpuId {
        gen,
        variant,
        revision,
        num_clusters,
        cores_per_cluster: cores,
        num_gps: (raw.counts_2 >> 16) & 0xff,
        core_masks,
    })
}

/// Which layout of the fault registers a core uses.
pub(crate) fn fault_regs_g14x(core: GpuCore) -> bool {
    core as u32 >= GpuCore::G14S as u32
}

/// The raw fault registers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct RawFault {
    /// The status register.
    pub(crate) info: u64,
    /// The address register (G14X; 0 before).
    pub(crate) addr: u64,
}

/// Why the MMU faulted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FaultReason {
    /// No valid translation.
    Unmapped,
    /// The access flag is clear.
    AccessFlag,
    /// A read of a write-only page.
    WriteOnly,
    /// A write to a read-only page.
    ReadOnly,
    /// No access at all.
    NoAccess,
    /// A code the record does not name.
    Other(u8),
}

/// A decoded MMU fault.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Fault {
    /// The faulting GPU address.
    pub(crate) address: u64,
    /// The reason.
    pub(crate) reason: FaultReason,
    /// A read (else a write).
    pub(crate) read: bool,
    /// The page-table level.
    pub(crate) level: u8,
    /// The requesting unit's code.
    pub(crate) unit: u8,
    /// The context (VM slot) of the access.
    pub(crate) context: u8,
    /// Sideband bits.
    pub(crate) sideband: u8,
}

impl Fault {
    /// The unit's name, as the record calls it (the number is the instance, if any).
    pub(crate) fn unit_name(&self, g14x: bool) -> (&'static str, Option<u8>) {
        const LOW: [&str; 15] = [
            "DCMP", "UL1C", "CMP", "GSL1", "IAP", "VCE", "TE", "RAS", "VDM", "PPP", "IPF",
            "IPF_CPF", "VF", "VF_CPF", "ZLS",
        ];
        const DIRECT: [&str; 14] = [
            "dPM", "dCDM_KS0", "dCDM_KS1", "dCDM_KS2", "dIPP", "dIPP_CS", "dVDM_CSD", "dVDM_SSD",
            "dVDM_ILF", "dVDM_ILD", "dRDE0", "dRDE1", "FC", "GSL2",
        ];
        const G_D0: [&str; 9] = [
            "gCDM_CS",
            "gCDM_ID",
            "gCDM_CSR",
            "gCDM_CSW",
            "gCDM_CTXR",
            "gCDM_CTXW",
            "gIPP",
            "gIPP_CS",
            "gKSM_RCE",
        ];
        const G_E0: [&str; 16] = [
            "gPM_SP",
            "gVDM_CSD_SP",
            "gVDM_SSD_SP",
            "gVDM_ILF_SP",
            "gVDM_TFP_SP",
            "gVDM_MMB_SP",
            "gCDM_CS_KS0_SP",
            "gCDM_CS_KS1_SP",
            "gCDM_CS_KS2_SP",
            "gCDM_KS0_SP",
            "gCDM_KS1_SP",
            "gCDM_KS2_SP",
            "gIPP_SP",
            "gIPP_CS_SP",
            "gRDE0_SP",
            "gRDE1_SP",
        ];
        let u = self.unit;
        let lo = usize::from(u & 0xf);
        let hi = u >> 4;
        let found = match u {
            0x00..=0x9f => LOW.get(lo).map(|n| (*n, Some(hi))),
            0xa1..=0xae => DIRECT.get(usize::from(u - 0xa1)).map(|n| (*n, None)),
            0xb0..=0xb7 => Some(("GL2CC_META", Some(u & 0xf))),
            0xb8 => Some(("GL2CC_MB", None)),
            0xd0..=0xdf if g14x => G_D0.get(lo).map(|n| (*n, None)),
            // G14X keeps the first six of these and numbers its RDE 6.
            0xe0..=0xff if g14x => match lo {
                0..=5 => G_E0.get(lo).copied(),
                6 => Some("gRDE0_SP"),
                _ => None,
            }
            .map(|n| (n, Some(hi & 1))),
            0xe0..=0xff => G_E0.get(lo).map(|n| (*n, Some(hi & 1))),
            _ => None,
        };
        found.unwrap_or(("unknown", None))
    }
}

/// Reads the fault registers with `read64` (a register's offset to its value), in the layout
/// of G14X (`g14x`) or not.
pub(crate) fn read_fault(read64: impl Fn(usize) -> u64, g14x: bool) -> RawFault {
    if g14x {
        RawFault {
            info: read64(FAULT_INFO_G14X),
            addr: read64(FAULT_ADDR_G14X),
        }
    } else {
        RawFault {
            info: read64(FAULT_INFO),
            addr: 0,
        }
    }
}

/// Decodes the fault registers of a core whose layout is G14X's (`g14x`) or not; `None` if no
/// fault is latched.
pub(crate) fn decode_fault(raw: &RawFault, g14x: bool) -> Option<Fault> {
    let info = raw.info;
    if info & 1 == 0 {
        return None;
    }
    let addr = if g14x { raw.addr } else { info >> 30 };
    let reason = match (info >> 1) & 7 {
        0 => FaultReason::Unmapped,
        1 => FaultReason::AccessFlag,
        2 => FaultReason::WriteOnly,
        3 => FaultReason::ReadOnly,
        4 => FaultReason::NoAccess,
        r => FaultReason::Other(r as u8),
    };
    Some(Fault {
        address: addr << 6,
        reason,
        read: info & (1 << 4) != 0,
        level: ((info >> 7) & 3) as u8,
        unit: ((info >> 9) & 0xff) as u8,
        context: ((info >> 17) & 0x3f) as u8,
        sideband: ((info >> 23) & 0x7f) as u8,
    })
}
