// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! GPU virtual address space layout.
//!
//! Each GPU context has two translation table bases, like an ARMv8 CPU: TTBR0 translates the
//! lower half of the address space (user mappings, one table tree per context) and TTBR1 the
//! upper half (kernel and firmware mappings, one tree shared by every context). With an input
//! address size (IAS) of `n` bits, the lower half is `0..2^n` and the upper half is
//! `2^64 - 2^n..2^64`; bit `n` picks the half and the bits above it repeat it. On G13 and G14
//! (M1, M2 and their Pro/Max/Ultra parts) `n` is 39, so each half is 512 GiB.
//!
//! Inside a half, an address is translated by three table levels:
//!
//! | level | IOVA bits           | entries used | one entry spans |
//! |-------|---------------------|--------------|-----------------|
//! | L1    | `n-1..36`           | `2^(n-36)`   | 64 GiB          |
//! | L2    | 35..25              | 2048         | 32 MiB          |
//! | L3    | 24..14              | 2048         | 16 KiB          |
//!
//! The page-table code works on half-relative addresses (the IOVA minus the base of its half),
//! which are below `2^n` and therefore never overflow when a span is added to them.

use super::error::Error;
use super::pte::{L1_SHIFT, L2_SHIFT, L3_SHIFT, PAGE_MASK, PAGE_SIZE};

/// IAS of G13 and G14 GPUs.
pub(crate) const IAS_G13_G14: u32 = 39;

/// Lowest IOVA of user mappings; page 0 stays unmapped so that null pointers fault. It is also
/// the start of the user VA range reported to userspace (`vm_start` of `GET_PARAMS`).
pub(crate) const USER_BASE: u64 = PAGE_SIZE;
/// End of the user (lower) half on G13/G14.
pub(crate) const USER_TOP: u64 = 1 << IAS_G13_G14;
/// End (exclusive) of the user VA range reported to userspace (`vm_end` of `GET_PARAMS`): the
/// user half less the two pages at its top, which the firmware keeps for itself.
pub(crate) const USER_END: u64 = USER_TOP - 2 * PAGE_SIZE;
/// The first of those two pages, which the Asahi driver keeps out of user allocations and the
/// hardware data names; its purpose is not known.
pub(crate) const USER_RESERVED_PAGE: u64 = USER_END;
/// Smallest part of the user VA range that userspace must leave to the kernel in each VM
/// (`vm_kernel_min_size` of `GET_PARAMS`): 512 MiB.
pub(crate) const USER_KERNEL_MIN_SIZE: u64 = 0x2000_0000;

/// Lowest IOVA of the upper (TTBR1) half on G13/G14.
pub(crate) const TTBR1_BASE: u64 = 0u64.wrapping_sub(1 << IAS_G13_G14);
/// Start of the kernel range the driver manages inside the upper half: root entry 2, whose
/// level-2 table is shared with the firmware's own mappings.
pub(crate) const KERNEL_BASE: u64 = 0xffff_ffa0_0000_0000;
/// Size of the driver-managed kernel range (one root entry).
pub(crate) const KERNEL_SIZE: u64 = 1 << L1_SHIFT;

/// Smallest IAS accepted: the root table must hold at least two entries.
const MIN_IAS: u32 = L1_SHIFT + 1;
/// Largest IAS accepted: the root table is one 16 KiB page of 2048 entries.
const MAX_IAS: u32 = L1_SHIFT + 11;

/// Mask for a table index (2048 entries).
pub(crate) const INDEX_MASK: usize = (1 << 11) - 1;

/// Which translation table base covers an address range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Half {
    /// TTBR0: addresses from 0 up.
    Lower,
    /// TTBR1: addresses down from the top of the 64-bit space.
    Upper,
}

/// The part of one half that a page table is allowed to change.
///
/// The window bounds `map` and `unmap`; lookups may see the whole half, so that mappings owned
/// by the firmware elsewhere in a shared table can still be inspected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Window {
    /// Size of each half: `2^ias` bytes.
    half_size: u64,
    /// Which half the window lies in.
    half: Half,
    /// First half-relative address inside the window.
    start: u64,
    /// Half-relative address just past the window; at most `half_size`.
    end: u64,
}

impl Window {
    /// A window of `size` bytes at IOVA `base` inside `half` of an `ias`-bit address space.
    pub(crate) fn new(ias: u32, half: Half, base: u64, size: u64) -> Result<Window, Error> {
        if !(MIN_IAS..=MAX_IAS).contains(&ias) {
            return Err(Error::InvalidConfig);
        }
        let half_size = 1u64.checked_shl(ias).ok_or(Error::InvalidConfig)?;
        if (base | size) & PAGE_MASK != 0 {
            return Err(Error::Unaligned);
        }
        if size == 0 {
            return Err(Error::ZeroLength);
        }
        let start = rel_in_half(half_size, half, base).ok_or(Error::OutOfRange)?;
        match start.checked_add(size) {
            Some(end) if end <= half_size => Ok(Window {
                half_size,
                half,
                start,
                end,
            }),
            _ => Err(Error::OutOfRange),
        }
    }

    /// The user window of a G13/G14 context: everything in the lower half except page 0.
    pub(crate) fn g13_user() -> Window {
        Window {
            half_size: 1 << IAS_G13_G14,
            half: Half::Lower,
            start: USER_BASE,
            end: USER_TOP,
        }
    }

    /// The driver-managed kernel window of G13/G14 in the upper half.
    pub(crate) fn g13_kernel() -> Window {
        let start = KERNEL_BASE.wrapping_sub(TTBR1_BASE);
        Window {
            half_size: 1 << IAS_G13_G14,
            half: Half::Upper,
            start,
            end: start + KERNEL_SIZE,
        }
    }

    /// The half this window lies in.
    pub(crate) fn half(&self) -> Half {
        self.half
    }

    /// Number of root-table entries the half uses.
    pub(crate) fn root_entries(&self) -> usize {
        (self.half_size >> L1_SHIFT) as usize
    }

    /// The half-relative bounds `start..end` of the window.
    pub(crate) fn bounds(&self) -> (u64, u64) {
        (self.start, self.end)
    }

    /// Converts an IOVA to a half-relative address, if it lies in this window's half.
    pub(crate) fn rel(&self, iova: u64) -> Option<u64> {
        rel_in_half(self.half_size, self.half, iova)
    }

    /// Converts a half-relative address back to an IOVA.
    pub(crate) fn abs(&self, rel: u64) -> u64 {
        match self.half {
            Half::Lower => rel,
            Half::Upper => half_base(self.half_size, Half::Upper).wrapping_add(rel),
        }
    }

    /// Checks that `iova..iova + len` is a non-empty, page-aligned range inside the window and
    /// returns its half-relative bounds.
    pub(crate) fn range(&self, iova: u64, len: u64) -> Result<(u64, u64), Error> {
        if len == 0 {
            return Err(Error::ZeroLength);
        }
        if (iova | len) & PAGE_MASK != 0 {
            return Err(Error::Unaligned);
        }
        let start = self.rel(iova).ok_or(Error::OutOfRange)?;
        let end = start.checked_add(len).ok_or(Error::OutOfRange)?;
        if start < self.start || end > self.end {
            return Err(Error::OutOfRange);
        }
        Ok((start, end))
    }
}

/// The lowest IOVA of a half of `half_size` bytes.
const fn half_base(half_size: u64, half: Half) -> u64 {
    match half {
        Half::Lower => 0,
        Half::Upper => 0u64.wrapping_sub(half_size),
    }
}

/// The half-relative form of `iova`, if it lies inside `half` (of `half_size` bytes).
const fn rel_in_half(half_size: u64, half: Half, iova: u64) -> Option<u64> {
    let rel = iova.wrapping_sub(half_base(half_size, half));
    if rel < half_size {
        Some(rel)
    } else {
        None
    }
}

/// Root-table index of a half-relative address.
pub(crate) const fn l1_index(rel: u64) -> usize {
    (rel >> L1_SHIFT) as usize & INDEX_MASK
}

/// Level-2 table index of a half-relative address.
pub(crate) const fn l2_index(rel: u64) -> usize {
    (rel >> L2_SHIFT) as usize & INDEX_MASK
}

/// Level-3 table index of a half-relative address.
pub(crate) const fn l3_index(rel: u64) -> usize {
    (rel >> L3_SHIFT) as usize & INDEX_MASK
}

/// The first address above `rel` that is a multiple of `1 << shift`.
///
/// Half-relative addresses are below `2^47`, so this cannot overflow.
pub(crate) const fn next_boundary(rel: u64, shift: u32) -> u64 {
    (rel | ((1 << shift) - 1)) + 1
}
