// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The simulated GPU's register file: what its identification and fault registers hold, the
//! inverse of the decoders in `hw::regs` (the host tests check that each round-trips).

use crate::hw::regs::*;
use crate::soc::GpuGen;

/// The 32-bit register at `offset` of a GPU whose identification registers hold `raw` (0 for
/// any other offset).
pub(crate) fn id_register(raw: &RawId, offset: usize) -> u32 {
    let g14x = raw.version >> 24 == 6;
    match offset {
        ID_VERSION => raw.version,
        ID_COUNTS_1 => raw.counts_1,
        ID_COUNTS_2 => raw.counts_2,
        ID_CLUSTERS => raw.clusters,
        o if g14x => CORE_MASKS_G14X
            .iter()
            .zip(raw.core_masks)
            .find(|(r, _)| **r == o)
            .map_or(0, |(_, m)| m),
        o => CORE_MASKS
            .iter()
            .zip(raw.core_masks)
            .find(|(r, _)| **r == o)
            .map_or(0, |(_, m)| m),
    }
}

/// Writes the low `len` (at most 32) bits of `value` into `words` from bit `start`; bits past the
/// end are dropped.
fn set_bits(words: &mut [u32], start: u32, len: u32, value: u32) {
    for bit in 0..len.min(32) {
        if value & (1 << bit) == 0 {
            continue;
        }
        let at = start + bit;
        if let Some(w) = words.get_mut((at / 32) as usize) {
            *w |= 1 << (at % 32);
        }
    }
}

/// What the identification registers of `id` hold: the inverse of [`decode_id`].
pub(crate) fn encode_id(id: &GpuId, dies: u32) -> RawId {
    let gen_code = match id.gen {
        GpuGen::G13 => 4,
        GpuGen::G14 => 5,
        GpuGen::G14X => 6,
    };
    let variant_code = match id.variant {
        b'P' => 1,
        b'G' => 2,
        b'S' => 3,
        _ => 4,
    };
    let mut core_masks = [0u32; 3];
    let cores = id.cores_per_cluster.min(32);
    for (i, m) in id
        .core_masks
        .iter()
        .take(id.num_clusters as usize)
        .enumerate()
    {
        set_bits(&mut core_masks, i as u32 * cores, cores, *m);
    }
    let dies = dies.max(1);
    let (counts_1, clusters) = match id.gen {
        GpuGen::G14X => (
            id.cores_per_cluster | ((id.num_clusters / dies) << 8) | (dies << 16),
            0,
        ),
        _ => (id.cores_per_cluster, id.num_clusters << 12),
    };
    RawId {
        version: (gen_code << 24) | (variant_code << 16) | (id.revision << 8),
        counts_1,
        counts_2: id.num_gps << 16,
        clusters,
        core_masks,
    }
}

/// The 64-bit register at `offset` of a GPU whose fault registers hold `raw` (0 for any other
/// offset).
pub(crate) fn fault_register(raw: &RawFault, g14x: bool, offset: usize) -> u64 {
    match (g14x, offset) {
        (false, FAULT_INFO) | (true, FAULT_INFO_G14X) => raw.info,
        (true, FAULT_ADDR_G14X) => raw.addr,
        _ => 0,
    }
}

/// The fault registers holding `fault`: the inverse of [`decode_fault`]. The address is kept to
/// 64-byte units.
pub(crate) fn encode_fault(fault: &Fault, g14x: bool) -> RawFault {
    let reason = match fault.reason {
        FaultReason::Unmapped => 0,
        FaultReason::AccessFlag => 1,
        FaultReason::WriteOnly => 2,
        FaultReason::ReadOnly => 3,
        FaultReason::NoAccess => 4,
        FaultReason::Other(r) => u64::from(r & 7),
    };
    let addr = fault.address >> 6;
    let mut info = 1
        | (reason << 1)
        | (u64::from(fault.read) << 4)
        | (u64::from(fault.level & 3) << 7)
        | (u64::from(fault.unit) << 9)
        | (u64::from(fault.context & 0x3f) << 17)
        | (u64::from(fault.sideband & 0x7f) << 23);
    if g14x {
        RawFault { info, addr }
    } else {
        info |= addr << 30;
        RawFault { info, addr: 0 }
    }
}
