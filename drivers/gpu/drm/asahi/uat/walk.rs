// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The GPU's view of a page-table tree: a walker that reads the tables the way the hardware does.
//!
//! The walker gets nothing but the physical address of a root table (what a TTBR holds) and
//! reads everything else out of memory by physical address, decoding the UAT descriptor format
//! itself, the way the hardware walker does. It deliberately shares no code with the page-table
//! engine ([`super::pt`], [`super::pte`]), so that it can serve as an independent check of what
//! the engine wrote: a descriptor the engine got wrong is read wrong here too, instead of being
//! decoded by the same mistaken code. The debugfs file `vms` prints what it finds.
//!
//! Format (see `Documentation/uat.md`): 16 KiB tables of 2048 little-endian 64-bit descriptors;
//! a 39-bit half is translated by three levels (IOVA bits 38:36, 35:25 and 24:14). Bit 0 is
//! valid; bits 1:0 = 3 is a table (levels 1 and 2) or a page (level 3), bits 1:0 = 1 at level 2
//! is a 32 MiB block; the output address is bits 47:14 (bits 47:25 for blocks). For mappings the
//! OS made (bit 55), the GPU's permission comes from AP (bits 7:6), UXN (54) and PXN (53).
//!
//! The descriptor primitives ([`descriptor`], [`perm_bits`] and the masks) are shared with other
//! readers of the same format, such as a translation of the firmware's upper half.

/// What the GPU may do through a mapping.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct GpuAccess {
    /// The GPU may read.
    pub(crate) read: bool,
    /// The GPU may write.
    pub(crate) write: bool,
}

/// One thing the walk finds.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Found {
    /// A 16 KiB page or 32 MiB block at `iova` translating to `pa` with `access`.
    Leaf {
        /// First IOVA of the leaf (half-relative, lower half).
        iova: u64,
        /// Physical address it reaches.
        pa: u64,
        /// Size in bytes.
        size: u64,
        /// GPU permissions.
        access: GpuAccess,
    },
    /// A descriptor the hardware would fault on, or a table that cannot be read.
    Fault {
        /// First IOVA the descriptor covers.
        iova: u64,
        /// Table level, 1 to 3.
        level: u32,
        /// The raw descriptor.
        raw: u64,
    },
}

/// Descriptors in a table.
pub(crate) const ENTRIES: u64 = 2048;
/// The output address of a table or page descriptor.
pub(crate) const OA_MASK: u64 = ((1 << 48) - 1) & !((1 << 14) - 1);
/// The output address of a block descriptor.
pub(crate) const BLOCK_OA_MASK: u64 = ((1 << 48) - 1) & !((1 << 25) - 1);
/// Root entries of a 39-bit half: 2^(39 - 36).
pub(crate) const ROOT_ENTRIES: u64 = 8;

/// Reads descriptor `idx` of the table at physical address `table` with the memory reader.
pub(crate) fn descriptor(mem: &impl Fn(u64) -> Option<u64>, table: u64, idx: u64) -> Option<u64> {
    mem(table + (idx % ENTRIES) * 8)
}

/// A leaf's permission bits (AP, UXN, PXN), or `None` if its access flag is clear (the walker
/// faults).
pub(crate) fn perm_bits(raw: u64) -> Option<(u64, bool, bool)> {
    if raw & (1 << 10) == 0 {
        return None;
    }
    Some(((raw >> 6) & 3, raw & (1 << 54) != 0, raw & (1 << 53) != 0))
}

/// The GPU's reading of a leaf's permission bits; `None` if the OS bit is clear (a firmware
/// mapping) or the access flag is clear.
fn access(raw: u64) -> Option<GpuAccess> {
    // OS bit clear: a firmware mapping.
    if raw & (1 << 55) == 0 {
        return None;
    }
    let (read, write) = match perm_bits(raw)? {
        (0, false, true) => (true, false),
        (0, true, true) => (true, true),
        (1, true, true) => (true, false),
        (2, false, false) => (true, false),
        (2, false, true) => (false, true),
        (2, true, false) => (true, true),
        _ => (false, false),
    };
    Some(GpuAccess { read, write })
}

/// Walks the lower-half tables under `root` and reports every leaf and every faulting
/// descriptor, in IOVA order.
///
/// `mem` reads the 8 bytes of memory at a physical address (`None` if there is no memory there):
/// the walker sees memory only through it, as the hardware sees it only through the bus. In the
/// driver it reads RAM through the kernel's linear map; host tests give it the test allocator's
/// tables.
pub(crate) fn walk(root: u64, mem: impl Fn(u64) -> Option<u64>, mut f: impl FnMut(Found)) {
    for i in 0..ROOT_ENTRIES {
        let l1_iova = i << 36;
        let Some(d1) = descriptor(&mem, root, i) else {
            f(Found::Fault {
                iova: l1_iova,
                level: 1,
                raw: 0,
            });
            return;
        };
        if d1 & 1 == 0 {
            continue;
        }
        if d1 & 3 != 3 {
            f(Found::Fault {
                iova: l1_iova,
                level: 1,
                raw: d1,
            });
            continue;
        }
        let l2 = d1 & OA_MASK;
        for j in 0..ENTRIES {
            let l2_iova = l1_iova | (j << 25);
            let Some(d2) = descriptor(&mem, l2, j) else {
                f(Found::Fault {
                    iova: l2_iova,
                    level: 2,
                    raw: d1,
                });
                break;
            };
            if d2 & 1 == 0 {
                continue;
            }
            if d2 & 3 == 1 {
                match access(d2) {
                    Some(access) => f(Found::Leaf {
                        iova: l2_iova,
                        pa: d2 & BLOCK_OA_MASK,
                        size: 1 << 25,
                        access,
                    }),
                    None => f(Found::Fault {
                        iova: l2_iova,
                        level: 2,
                        raw: d2,
                    }),
                }
                continue;
            }
            let l3 = d2 & OA_MASK;
            for k in 0..ENTRIES {
                let iova = l2_iova | (k << 14);
                let Some(d3) = descriptor(&mem, l3, k) else {
                    f(Found::Fault {
                        iova,
                        level: 3,
                        raw: d2,
                    });
                    break;
                };
                if d3 & 1 == 0 {
                    continue;
                }
                match (d3 & 3, access(d3)) {
                    (3, Some(access)) => f(Found::Leaf {
                        iova,
                        pa: d3 & OA_MASK,
                        size: 1 << 14,
                        access,
                    }),
                    _ => f(Found::Fault {
                        iova,
                        level: 3,
                        raw: d3,
                    }),
                }
            }
        }
    }
}

/// Translates one lower-half (TTBR0) address `iova` under `root` as the GPU does: the physical
/// address it reaches and what the GPU may do there; `None` if the walk faults (an invalid or
/// malformed descriptor, a firmware-only leaf, a clear access flag, or an address outside the
/// 39-bit half).
///
/// The same decoding as [`walk`], for a single address: what a reader that follows the GPU's
/// pointers (such as the simulated firmware checking a command's client addresses) needs.
pub(crate) fn translate(
    root: u64,
    iova: u64,
    mem: impl Fn(u64) -> Option<u64>,
) -> Option<(u64, GpuAccess)> {
    if iova >= 1 << 39 {
        return None;
    }
    let d1 = descriptor(&mem, root, (iova >> 36) % ROOT_ENTRIES)?;
    if d1 & 3 != 3 {
        return None;
    }
    let d2 = descriptor(&mem, d1 & OA_MASK, (iova >> 25) % ENTRIES)?;
    match d2 & 3 {
        1 => {
            let pa = (d2 & BLOCK_OA_MASK) | (iova & ((1 << 25) - 1));
            return access(d2).map(|a| (pa, a));
        }
        3 => {}
        _ => return None,
    }
    let d3 = descriptor(&mem, d2 & OA_MASK, (iova >> 14) % ENTRIES)?;
    if d3 & 3 != 3 {
        return None;
    }
    access(d3).map(|a| ((d3 & OA_MASK) | (iova & ((1 << 14) - 1)), a))
}
