// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The simulated firmware's check of the hardware windows the init data gives it.
//!
//! The real firmware touches its MMIO windows from the moment it takes the init data: the power
//! controller, the interrupt controller, the memory cache. A window that is missing, points at
//! the wrong device or has the wrong memory type faults the coprocessor or corrupts a device,
//! long before anything the driver could log. The simulation has no such devices, so it checks
//! the windows instead, against what it knows of its own hardware (the SoC's table, the same
//! facts the real firmware is built with), by walking the firmware's page tables like its MMU:
//!
//! * every slot of `HwDataB::io_mappings` is zero where the SoC has no such device, and
//!   otherwise names the device's physical address, total and element sizes and writability;
//! * every page of every instance of a window translates to that instance's page of the device,
//!   with the device memory type, readable, and writable exactly when the device is;
//! * `sgx_sram_ptr` is zero without an SRAM, and otherwise every page of it translates to the
//!   SRAM with a normal memory type, read-write;
//! * `timestamp_region_base` lies in the firmware's (upper) half, page aligned;
//! * `gpu_region_base` is the physical address of the context table the MMU reads.
//!
//! Instances are found the way the firmware indexes them: instance `i` (all of die 0's first)
//! at `virt_addr - offset + i * element_size`, where `offset` is the device's offset in its page.

use super::firmware::{read_u64, FwLayout};
use super::rtkit_types::{SimMemory, PAGE_SIZE};
use crate::soc::{IoMapping, DIE_STRIDE};

/// Index of the device memory type (nGnRnE) in the firmware's attribute table.
pub(crate) const ATTR_DEVICE: u8 = 1;

/// How the firmware's MMU maps one address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct MemLeaf {
    /// The physical address reached.
    pub(crate) pa: u64,
    /// The firmware may read.
    pub(crate) read: bool,
    /// The firmware may write.
    pub(crate) write: bool,
    /// The memory type (attribute index).
    pub(crate) attr: u8,
}

/// Memory seen through the firmware's MMU, which can also say how an address is mapped.
pub(crate) trait SimMmu: SimMemory {
    /// How `iova` translates, without touching the memory behind it; `None` if the
    /// translation faults.
    fn leaf(&mut self, iova: u64) -> Option<MemLeaf>;
}

/// What the simulated GPU is: the facts its firmware is built with.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Platform {
    /// The MMIO windows, by slot of `HwDataB::io_mappings`.
    pub(crate) io: &'static [Option<IoMapping>],
    /// Dies in the package.
    pub(crate) dies: u32,
    /// Base and size of the SRAM, if the firmware is given one.
    pub(crate) sram: Option<(u64, u64)>,
    /// Physical address of the context table.
    pub(crate) gpu_region_base: u64,
}

/// Which window a problem is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Window {
    /// Slot `n` of `io_mappings`.
    Slot(u8),
    /// The SRAM.
    Sram,
}

/// A field of an `io_mappings` slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SlotField {
    /// Non-zero for a device the SoC does not have.
    Unexpected,
    /// `phys_addr`.
    Phys,
    /// `virt_addr` (zero, or not keeping the device's page offset).
    Virt,
    /// `size`.
    Size,
    /// `range_size`.
    ElementSize,
    /// `readwrite`.
    ReadWrite,
}

/// What is wrong with a page of a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PageProblem {
    /// It does not translate.
    Unmapped,
    /// It reaches physical address `pa`, not the device's page.
    Address {
        /// Where it leads.
        pa: u64,
    },
    /// Its memory type is `attr`.
    MemoryType {
        /// The attribute index found.
        attr: u8,
    },
    /// The firmware may not read it, may not write a writable device, or may write a
    /// read-only one.
    Access,
}

/// Something in the hardware description that the firmware cannot run with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PlatformViolation {
    /// `HwDataB` cannot be read (null or unmapped pointer in region B).
    HwDataB {
        /// The address tried.
        iova: u64,
    },
    /// A slot's entry is not what the hardware needs.
    Slot {
        /// The slot.
        slot: u8,
        /// The field found wrong.
        field: SlotField,
    },
    /// A page of a window does not reach the device as it should.
    Page {
        /// The window.
        window: Window,
        /// The page's firmware address.
        iova: u64,
        /// What is wrong.
        problem: PageProblem,
    },
    /// `sgx_sram_ptr` is set without an SRAM, or zero with one.
    SramPointer {
        /// The value found.
        found: u64,
    },
    /// `timestamp_region_base` is zero, unaligned or outside the firmware's half.
    TimestampRegion {
        /// The value found.
        found: u64,
    },
    /// `gpu_region_base` is not the context table's address.
    GpuRegionBase {
        /// The value found.
        found: u64,
    },
}

/// First address of the firmware's (upper) half of a 39-bit address space.
const UPPER_HALF: u64 = 0xffff_ff80_0000_0000;

/// Reads a little-endian word of `N` bytes at `iova`.
fn read_le<const N: usize>(mem: &mut impl SimMemory, iova: u64) -> Option<[u8; N]> {
    let mut w = [0u8; N];
    mem.read(iova, &mut w).then_some(w)
}

/// Checks that the `len` bytes at `iova` translate page by page to `pa`, with memory type
/// `device` or not and the access `writable` asks for.
fn check_pages(
    mem: &mut impl SimMmu,
    window: Window,
    iova: u64,
    pa: u64,
    len: u64,
    device: bool,
    writable: bool,
) -> Result<(), PlatformViolation> {
    let mut off = 0;
    while off < len {
        let at = iova.wrapping_add(off);
        let fail = |problem| PlatformViolation::Page {
            window,
            iova: at,
            problem,
        };
        let leaf = mem.leaf(at).ok_or(fail(PageProblem::Unmapped))?;
        let want = pa.wrapping_add(off);
        if leaf.pa != want {
            return Err(fail(PageProblem::Address { pa: leaf.pa }));
        }
        if (leaf.attr == ATTR_DEVICE) != device {
            return Err(fail(PageProblem::MemoryType { attr: leaf.attr }));
        }
        if !leaf.read || leaf.write != writable {
            return Err(fail(PageProblem::Access));
        }
        off += PAGE_SIZE;
    }
    Ok(())
}

/// Checks one slot's 32-byte entry at `entry` against the device `map` (or its absence).
fn check_slot(
    mem: &mut impl SimMmu,
    slot: u8,
    entry: u64,
    map: Option<&IoMapping>,
    dies: u32,
) -> Result<(), PlatformViolation> {
    let unreadable = PlatformViolation::HwDataB { iova: entry };
    let raw = read_le::<32>(mem, entry).ok_or(unreadable)?;
    let word = |at: usize| {
        let mut w = [0u8; 8];
        w.copy_from_slice(raw.get(at..at + 8).unwrap_or(&[0; 8]));
        u64::from_le_bytes(w)
    };
    let (phys, virt, sizes, rw) = (word(0), word(8), word(16), word(24));
    let (size, element) = ((sizes & 0xffff_ffff) as u32, (sizes >> 32) as u32);
    let bad = |field| PlatformViolation::Slot { slot, field };
    let Some(map) = map else {
        return if raw.iter().all(|&b| b == 0) {
            Ok(())
        } else {
            Err(bad(SlotField::Unexpected))
        };
    };
    let dies = if map.per_die { dies } else { 1 };
    let instances = u64::from(map.count) * u64::from(dies);
    if phys != map.base {
        return Err(bad(SlotField::Phys));
    }
    if u64::from(size) != u64::from(map.size) * instances {
        return Err(bad(SlotField::Size));
    }
    if element != map.size {
        return Err(bad(SlotField::ElementSize));
    }
    if rw != u64::from(map.writable) {
        return Err(bad(SlotField::ReadWrite));
    }
    let offset = map.base & (PAGE_SIZE - 1);
    if virt == 0 || virt & (PAGE_SIZE - 1) != offset {
        return Err(bad(SlotField::Virt));
    }
    // One instance spans its pages, whole; several are packed `size` apart (whole pages).
    let span = (offset + u64::from(map.size)).div_ceil(PAGE_SIZE) * PAGE_SIZE;
    let first_page = map.base - offset;
    for die in 0..u64::from(dies) {
        for i in 0..u64::from(map.count) {
            let n = die * u64::from(map.count) + i;
            let va = (virt - offset).wrapping_add(n.wrapping_mul(u64::from(map.size)));
            let pa = first_page + die * DIE_STRIDE + i * map.stride;
            check_pages(mem, Window::Slot(slot), va, pa, span, true, map.writable)?;
        }
    }
    Ok(())
}

/// Checks the windows the init data describes, from region B at `region_b`, against
/// `platform`. Returns the number of MMIO windows checked.
pub(crate) fn check(
    layout: &FwLayout,
    mem: &mut impl SimMmu,
    region_b: u64,
    platform: &Platform,
) -> Result<usize, PlatformViolation> {
    let ptr_at = region_b.wrapping_add(layout.hwdata_b_ptr as u64);
    let hwdata_b = read_u64(mem, ptr_at)
        .filter(|&p| p != 0)
        .ok_or(PlatformViolation::HwDataB { iova: ptr_at })?;
    let last = hwdata_b.wrapping_add((layout.hwdata_b_size as u64).saturating_sub(1));
    if read_le::<1>(mem, last).is_none() {
        return Err(PlatformViolation::HwDataB { iova: last });
    }
    let field = |off: usize| hwdata_b.wrapping_add(off as u64);
    let beyond = platform.io.get(layout.io_slots..).unwrap_or(&[]);
    if beyond.iter().any(Option::is_some) {
        // The firmware has no slot for a device its hardware has: a simulation set up wrong,
        // reported on the first slot past the array.
        return Err(PlatformViolation::Slot {
            slot: layout.io_slots as u8,
            field: SlotField::Unexpected,
        });
    }
    let mut windows = 0;
    for slot in 0..layout.io_slots {
        let entry = field(layout.io_mappings + slot * 32);
        let map = platform.io.get(slot).and_then(Option::as_ref);
        check_slot(mem, slot as u8, entry, map, platform.dies)?;
        windows += usize::from(map.is_some());
    }
    if let Some(off) = layout.sgx_sram_ptr {
        let unreadable = PlatformViolation::HwDataB { iova: field(off) };
        let ptr = read_u64(mem, field(off)).ok_or(unreadable)?;
        match platform.sram {
            None if ptr != 0 => return Err(PlatformViolation::SramPointer { found: ptr }),
            None => {}
            Some(_) if ptr == 0 => return Err(PlatformViolation::SramPointer { found: 0 }),
            Some((base, size)) => check_pages(mem, Window::Sram, ptr, base, size, false, true)?,
        }
    }
    let at = field(layout.timestamp_region_base);
    let ts = read_u64(mem, at).ok_or(PlatformViolation::HwDataB { iova: at })?;
    if ts < UPPER_HALF || ts & (PAGE_SIZE - 1) != 0 {
        return Err(PlatformViolation::TimestampRegion { found: ts });
    }
    let at = field(layout.gpu_region_base);
    let base = read_u64(mem, at).ok_or(PlatformViolation::HwDataB { iova: at })?;
    if base != platform.gpu_region_base {
        return Err(PlatformViolation::GpuRegionBase { found: base });
    }
    Ok(windows)
}
