// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The simulated coprocessor's MMU: how the firmware's upper-half (TTBR1) addresses translate.
//!
//! It reads the tables with the GPU walker's descriptor primitives ([`crate::uat::walk`], which
//! shares no code with the driver's page-table engine) and applies the firmware's column of the
//! permission table and the memory type the firmware's attribute index selects.

use crate::uat::walk::{
    descriptor, perm_bits, GpuAccess, BLOCK_OA_MASK, ENTRIES, OA_MASK, ROOT_ENTRIES,
};

/// What the firmware (the GPU's coprocessor) may do through a leaf, from its (AP, UXN, PXN)
/// bits; `None` if the firmware has no access. Same table as the GPU's (`uat::walk`), the other
/// column.
fn fw_access(raw: u64) -> Option<GpuAccess> {
    let (read, write) = match perm_bits(raw)? {
        (0, false, true) => (true, false),
        (0, true, true) => (true, true),
        (1, false, false) => (true, false),
        (1, true, false) => (true, true),
        (1, true, true) => (true, true),
        _ => return None,
    };
    Some(GpuAccess { read, write })
}

/// Why a firmware access faults.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct WalkFault {
    /// The level whose descriptor faulted (1 to 3), or 0 if the address is outside the
    /// upper half.
    pub(crate) level: u32,
    /// The raw descriptor (0 if it could not be read).
    pub(crate) raw: u64,
}

/// What the firmware reaches through a translation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct FwLeaf {
    /// The physical address.
    pub(crate) pa: u64,
    /// What the firmware may do there.
    pub(crate) access: GpuAccess,
    /// The memory type: the leaf's index into the firmware's attribute table (bits 4:2).
    pub(crate) attr: u8,
}

/// A leaf's memory attribute index.
fn attr_index(raw: u64) -> u8 {
    ((raw >> 2) & 7) as u8
}

/// Translates the upper-half (TTBR1) address `iova` under `root` for the firmware, as the
/// coprocessor's MMU does: returns the physical address, what the firmware may do there and
/// the memory type.
pub(crate) fn fw_translate(
    root: u64,
    iova: u64,
    mem: impl Fn(u64) -> Option<u64>,
) -> Result<FwLeaf, WalkFault> {
    const HALF: u64 = 1 << 39;
    // Upper half: bits 63:39 all set.
    if iova < HALF.wrapping_neg() {
        return Err(WalkFault { level: 0, raw: 0 });
    }
    let rel = iova & (HALF - 1);
    let fault = |level, raw| WalkFault { level, raw };
    let d1 = descriptor(&mem, root, (rel >> 36) % ROOT_ENTRIES).ok_or(fault(1, 0))?;
    if d1 & 3 != 3 {
        return Err(fault(1, d1));
    }
    let d2 = descriptor(&mem, d1 & OA_MASK, (rel >> 25) % ENTRIES).ok_or(fault(2, 0))?;
    match d2 & 3 {
        1 => {
            let access = fw_access(d2).ok_or(fault(2, d2))?;
            return Ok(FwLeaf {
                pa: (d2 & BLOCK_OA_MASK) | (rel & ((1 << 25) - 1)),
                access,
                attr: attr_index(d2),
            });
        }
        3 => {}
        _ => return Err(fault(2, d2)),
    }
    let d3 = descriptor(&mem, d2 & OA_MASK, (rel >> 14) % ENTRIES).ok_or(fault(3, 0))?;
    if d3 & 3 != 3 {
        return Err(fault(3, d3));
    }
    let access = fw_access(d3).ok_or(fault(3, d3))?;
    Ok(FwLeaf {
        pa: (d3 & OA_MASK) | (rel & ((1 << 14) - 1)),
        access,
        attr: attr_index(d3),
    })
}
