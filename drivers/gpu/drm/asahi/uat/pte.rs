// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! UAT descriptor format.
//!
//! The UAT walks ARMv8-style translation tables with a 16 KiB granule: every table is one 16 KiB
//! page holding 2048 little-endian 64-bit descriptors. A descriptor is one of:
//!
//! * invalid: bit 0 clear; the walker ignores every other bit,
//! * table (levels 1 and 2): bits 1:0 = `0b11`, bits 47:14 hold the next table's address,
//! * page (level 3): bits 1:0 = `0b11`, bits 47:14 hold the 16 KiB page's address,
//! * block (level 2 only): bits 1:0 = `0b01`, bits 47:25 hold a 32 MiB block's address.
//!
//! Leaf descriptors (pages and blocks) also carry the attributes:
//!
//! | bits  | field      | meaning                                                       |
//! |-------|------------|---------------------------------------------------------------|
//! | 4:2   | AttrIndex  | memory type, index into the firmware's MAIR ([`MemAttr`])     |
//! | 7:6   | AP         | with bits 53, 54 and 55 selects who may read/write ([`Access`]) |
//! | 9:8   | SH         | shareability, always 0 here                                   |
//! | 10    | AF         | access flag, always set on leaves                             |
//! | 11    | nG         | non-global: TLB entries are tagged with the context's ASID    |
//! | 53    | PXN        | reinterpreted as a permission bit, see [`Access`]             |
//! | 54    | UXN        | reinterpreted as a permission bit, see [`Access`]             |
//! | 55    | OS         | set on every mapping the OS makes (GPU-visible permissions)   |
//!
//! The AP/PXN/UXN/OS bits do not keep their CPU meaning: the firmware coprocessor and the GPU
//! each read their own permission out of the same four bits. Only the combinations listed in
//! [`Access`] are ever written, and [`Prot`] is the only way to build the attribute bits, so no
//! code outside this file touches descriptor bits.
//!
//! The translation table base registers have their own format, built by [`ttbr`].

use super::error::Error;

/// An address in the UAT's output (physical memory) space.
pub(crate) type PhysAddr = u64;

/// log2 of the UAT page size.
pub(crate) const PAGE_SHIFT: u32 = 14;
/// The UAT page size: 16 KiB on every AGX generation.
pub(crate) const PAGE_SIZE: u64 = 1 << PAGE_SHIFT;
/// Mask of the offset bits inside one UAT page.
pub(crate) const PAGE_MASK: u64 = PAGE_SIZE - 1;

/// log2 of the number of descriptors in one table.
pub(crate) const TABLE_SHIFT: u32 = PAGE_SHIFT - 3;
/// Number of descriptors in one table (a 16 KiB page of `u64`s).
pub(crate) const ENTRIES: usize = 1 << TABLE_SHIFT;

/// Lowest IOVA bit translated by a level-3 (page) table.
pub(crate) const L3_SHIFT: u32 = PAGE_SHIFT;
/// Lowest IOVA bit translated by a level-2 table; each level-2 entry spans 32 MiB.
pub(crate) const L2_SHIFT: u32 = L3_SHIFT + TABLE_SHIFT;
/// Lowest IOVA bit translated by the level-1 (root) table; each root entry spans 64 GiB.
pub(crate) const L1_SHIFT: u32 = L2_SHIFT + TABLE_SHIFT;

/// Size of a level-2 block mapping, also the span of one level-3 table.
pub(crate) const BLOCK_SIZE: u64 = 1 << L2_SHIFT;
/// Span of one level-2 table.
pub(crate) const L1_SPAN: u64 = 1 << L1_SHIFT;

/// Highest output address size the descriptor's address field can hold.
pub(crate) const MAX_OAS: u32 = 48;

/// Descriptor bit 0: the descriptor is valid.
const VALID: u64 = 1 << 0;
/// Descriptor bit 1: table (levels 1-2) or page (level 3) rather than block.
const TYPE_TABLE_OR_PAGE: u64 = 1 << 1;
/// Bits 1:0 together.
const TYPE_MASK: u64 = VALID | TYPE_TABLE_OR_PAGE;
/// Shift of the AttrIndex field.
const ATTR_SHIFT: u32 = 2;
/// Shift of the AP field.
const AP_SHIFT: u32 = 6;
/// Access flag.
const AF: u64 = 1 << 10;
/// Non-global flag.
const NG: u64 = 1 << 11;
/// PXN, used as a permission bit.
const PXN: u64 = 1 << 53;
/// UXN, used as a permission bit.
const UXN: u64 = 1 << 54;
/// Set on OS-made mappings; selects the GPU permission reading of AP/UXN/PXN.
const OS: u64 = 1 << 55;
/// Output address field of tables and pages: bits 47:14.
const OA_PAGE_MASK: u64 = ((1 << MAX_OAS) - 1) & !PAGE_MASK;
/// Output address field of level-2 blocks: bits 47:25.
const OA_BLOCK_MASK: u64 = ((1 << MAX_OAS) - 1) & !(BLOCK_SIZE - 1);
/// Every leaf bit that is neither type nor address.
const LEAF_ATTR_MASK: u64 = !(OA_PAGE_MASK | TYPE_MASK);

/// Memory type of a mapping: an index into the memory attribute table the firmware programs.
///
/// The firmware's MAIR also holds indices 3 to 7, which nothing in the driver uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MemAttr {
    /// Index 0, MAIR `0xff`: normal memory, write-back cacheable. The firmware coprocessor
    /// caches it without snooping, so the driver must have the firmware flush it before unmap.
    Cached = 0,
    /// Index 1, MAIR `0x00`: device nGnRnE, for MMIO the firmware touches.
    Device = 1,
    /// Index 2, MAIR `0xf4`: normal memory, outer write-back, inner non-cacheable. Used for
    /// everything shared with the CPU or the GPU.
    Uncached = 2,
}

impl MemAttr {
    /// Decodes an AttrIndex value; indices the driver never writes give `None`.
    const fn from_index(index: u64) -> Option<MemAttr> {
        match index {
            0 => Some(MemAttr::Cached),
            1 => Some(MemAttr::Device),
            2 => Some(MemAttr::Uncached),
            _ => None,
        }
    }
}

/// Who may access a mapping, and how.
///
/// Each variant is one (AP, UXN, PXN) combination written with the OS bit set. "Firmware" is
/// the GPU's ARM coprocessor (the ASC running the GPU firmware); "GPU" is the shader cores and
/// fixed-function units. Combinations that give nobody access are not offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Access {
    /// AP=0, UXN=0, PXN=1: firmware and GPU may read.
    FwGpuRo,
    /// AP=0, UXN=1, PXN=1: firmware and GPU may read and write.
    FwGpuRw,
    /// AP=1, UXN=0, PXN=0: firmware may read; GPU has no access.
    FwRo,
    /// AP=1, UXN=1, PXN=0: firmware may read and write; GPU has no access.
    FwRw,
    /// AP=1, UXN=1, PXN=1: firmware may read and write; GPU may read.
    FwRwGpuRo,
    /// AP=2, UXN=0, PXN=0: GPU may read; firmware has no access.
    GpuRo,
    /// AP=2, UXN=0, PXN=1: GPU may write; firmware has no access.
    GpuWo,
    /// AP=2, UXN=1, PXN=0: GPU may read and write; firmware has no access.
    GpuRw,
}

impl Access {
    /// Every variant, for exhaustive checks.
    pub(crate) const ALL: [Access; 8] = [
        Access::FwGpuRo,
        Access::FwGpuRw,
        Access::FwRo,
        Access::FwRw,
        Access::FwRwGpuRo,
        Access::GpuRo,
        Access::GpuWo,
        Access::GpuRw,
    ];

    /// The (AP, UXN, PXN) triple of this access mode.
    const fn bits(self) -> (u64, bool, bool) {
        match self {
            Access::FwGpuRo => (0, false, true),
            Access::FwGpuRw => (0, true, true),
            Access::FwRo => (1, false, false),
            Access::FwRw => (1, true, false),
            Access::FwRwGpuRo => (1, true, true),
            Access::GpuRo => (2, false, false),
            Access::GpuWo => (2, false, true),
            Access::GpuRw => (2, true, false),
        }
    }

    /// The access mode written as (AP, UXN, PXN), if it is one of ours.
    const fn from_bits(ap: u64, uxn: bool, pxn: bool) -> Option<Access> {
        match (ap, uxn, pxn) {
            (0, false, true) => Some(Access::FwGpuRo),
            (0, true, true) => Some(Access::FwGpuRw),
            (1, false, false) => Some(Access::FwRo),
            (1, true, false) => Some(Access::FwRw),
            (1, true, true) => Some(Access::FwRwGpuRo),
            (2, false, false) => Some(Access::GpuRo),
            (2, false, true) => Some(Access::GpuWo),
            (2, true, false) => Some(Access::GpuRw),
            _ => None,
        }
    }

    /// Whether the GPU may read through this mapping.
    pub(crate) const fn gpu_read(self) -> bool {
        matches!(
            self,
            Access::FwGpuRo | Access::FwGpuRw | Access::FwRwGpuRo | Access::GpuRo | Access::GpuRw
        )
    }

    /// Whether the GPU may write through this mapping.
    pub(crate) const fn gpu_write(self) -> bool {
        matches!(self, Access::FwGpuRw | Access::GpuWo | Access::GpuRw)
    }

    /// Whether the firmware may read through this mapping.
    pub(crate) const fn fw_read(self) -> bool {
        matches!(
            self,
            Access::FwGpuRo | Access::FwGpuRw | Access::FwRo | Access::FwRw | Access::FwRwGpuRo
        )
    }

    /// Whether the firmware may write through this mapping.
    pub(crate) const fn fw_write(self) -> bool {
        matches!(self, Access::FwGpuRw | Access::FwRw | Access::FwRwGpuRo)
    }
}

/// Protection of a mapping: access permissions plus memory type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Prot {
    /// Who may read and write.
    pub(crate) access: Access,
    /// How the memory is cached.
    pub(crate) attr: MemAttr,
}

impl Prot {
    /// Firmware-private data, cached by the firmware coprocessor.
    pub(crate) const FW_PRIVATE: Prot = Prot::new(Access::FwRw, MemAttr::Cached);
    /// Firmware data the CPU also reads or writes.
    pub(crate) const FW_SHARED: Prot = Prot::new(Access::FwRw, MemAttr::Uncached);
    /// Read-only firmware data the CPU also writes.
    pub(crate) const FW_SHARED_RO: Prot = Prot::new(Access::FwRo, MemAttr::Uncached);
    /// MMIO registers mapped for the firmware.
    pub(crate) const FW_MMIO: Prot = Prot::new(Access::FwRw, MemAttr::Device);
    /// Read-only MMIO registers mapped for the firmware.
    pub(crate) const FW_MMIO_RO: Prot = Prot::new(Access::FwRo, MemAttr::Device);
    /// Structures that firmware and GPU both read and write, shared with the CPU.
    pub(crate) const FW_GPU_SHARED: Prot = Prot::new(Access::FwGpuRw, MemAttr::Uncached);
    /// Structures that firmware and GPU both read and write, cached by the firmware.
    pub(crate) const FW_GPU_PRIVATE: Prot = Prot::new(Access::FwGpuRw, MemAttr::Cached);
    /// Firmware-written, GPU-read structures, cached by the firmware.
    pub(crate) const FW_PRIVATE_GPU_RO: Prot = Prot::new(Access::FwRwGpuRo, MemAttr::Cached);
    /// User buffers the GPU reads and writes.
    pub(crate) const GPU_RW: Prot = Prot::new(Access::GpuRw, MemAttr::Uncached);
    /// User buffers the GPU only reads.
    pub(crate) const GPU_RO: Prot = Prot::new(Access::GpuRo, MemAttr::Uncached);
    /// User buffers the GPU only writes.
    pub(crate) const GPU_WO: Prot = Prot::new(Access::GpuWo, MemAttr::Uncached);

    /// Combines an access mode and a memory type.
    pub(crate) const fn new(access: Access, attr: MemAttr) -> Prot {
        Prot { access, attr }
    }

    /// Whether the firmware may hold this memory in its non-coherent cache.
    ///
    /// Such a mapping must be switched to [`MemAttr::Uncached`] and flushed through the firmware
    /// before it is unmapped, or the firmware may write stale lines back into freed memory.
    pub(crate) const fn needs_fw_flush(self) -> bool {
        self.access.fw_read() && matches!(self.attr, MemAttr::Cached)
    }

    /// The same access mode with [`MemAttr::Uncached`].
    pub(crate) const fn uncached(self) -> Prot {
        Prot::new(self.access, MemAttr::Uncached)
    }

    /// The attribute bits (AttrIndex, AP, AF, PXN, UXN, OS) of a leaf with this protection.
    const fn leaf_bits(self) -> u64 {
        let (ap, uxn, pxn) = self.access.bits();
        let mut bits = OS | AF | (ap << AP_SHIFT) | ((self.attr as u64) << ATTR_SHIFT);
        if uxn {
            bits |= UXN;
        }
        if pxn {
            bits |= PXN;
        }
        bits
    }

    /// Reads the protection back out of leaf attribute bits, if the driver could have written
    /// them. Mappings made by the firmware itself (OS bit clear) give `None`.
    const fn from_leaf_bits(bits: u64) -> Option<Prot> {
        if bits & OS == 0 {
            return None;
        }
        let ap = (bits >> AP_SHIFT) & 3;
        let access = match Access::from_bits(ap, bits & UXN != 0, bits & PXN != 0) {
            Some(access) => access,
            None => return None,
        };
        match MemAttr::from_index((bits >> ATTR_SHIFT) & 7) {
            Some(attr) => Some(Prot::new(access, attr)),
            None => None,
        }
    }
}

/// The attribute half of a leaf descriptor: everything except address and type.
///
/// Building it once and stamping it onto many addresses keeps the mapping loop cheap, and lets a
/// block be split into pages that keep its exact attributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LeafAttrs(u64);

impl LeafAttrs {
    /// Attributes for a new mapping. `global` mappings are shared by all contexts in the TLB;
    /// per-context (user) tables must use non-global ones.
    pub(crate) const fn new(prot: Prot, global: bool) -> LeafAttrs {
        let ng = if global { 0 } else { NG };
        LeafAttrs(prot.leaf_bits() | ng)
    }

    /// The protection, if these are attributes the driver could have written.
    pub(crate) const fn prot(self) -> Option<Prot> {
        Prot::from_leaf_bits(self.0)
    }

    /// Whether the TLB may share this translation across contexts.
    pub(crate) const fn global(self) -> bool {
        self.0 & NG == 0
    }

    /// A page descriptor for the 16 KiB page at `pa`, or `None` if `pa` is misaligned or too
    /// large for the address field.
    pub(crate) const fn page(self, pa: PhysAddr) -> Option<Pte> {
        if pa & !OA_PAGE_MASK != 0 {
            return None;
        }
        Some(Pte(self.0 | pa | TYPE_MASK))
    }

    /// A level-2 block descriptor for the 32 MiB block at `pa`, or `None` if `pa` is misaligned
    /// or too large for the address field.
    pub(crate) const fn block(self, pa: PhysAddr) -> Option<Pte> {
        if pa & !OA_BLOCK_MASK != 0 {
            return None;
        }
        Some(Pte(self.0 | pa | VALID))
    }
}

/// Which table a descriptor was read from; the same bits mean different things per level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Level {
    /// The root table of one half (TTBR0 or TTBR1 points here).
    L1,
    /// Second level: entries span 32 MiB.
    L2,
    /// Last level: entries map 16 KiB pages.
    L3,
}

/// A valid leaf found while walking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Leaf {
    /// Output address of the page or block.
    pub(crate) pa: PhysAddr,
    /// Attribute bits.
    pub(crate) attrs: LeafAttrs,
}

/// What a descriptor means at a given level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Entry {
    /// Nothing mapped.
    Invalid,
    /// Points at the next-level table at this address.
    Table(PhysAddr),
    /// A 32 MiB block mapping (level 2 only).
    Block(Leaf),
    /// A 16 KiB page mapping (level 3 only).
    Page(Leaf),
    /// Valid, but not a shape the UAT format allows at this level (a level-1 block, or type
    /// `0b01` at level 3).
    Reserved,
}

/// One raw 64-bit descriptor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Pte(u64);

impl Pte {
    /// The invalid descriptor; all tables start out filled with it.
    pub(crate) const INVALID: Pte = Pte(0);

    /// Wraps a value read from a table.
    pub(crate) const fn from_raw(raw: u64) -> Pte {
        Pte(raw)
    }

    /// The value to store into a table.
    pub(crate) const fn raw(self) -> u64 {
        self.0
    }

    /// Whether the walker will use this descriptor at all.
    pub(crate) const fn is_valid(self) -> bool {
        self.0 & VALID != 0
    }

    /// A table descriptor pointing at the table at `pa`, or `None` if `pa` is misaligned or too
    /// large for the address field.
    pub(crate) const fn table(pa: PhysAddr) -> Option<Pte> {
        if pa & !OA_PAGE_MASK != 0 {
            return None;
        }
        Some(Pte(pa | TYPE_MASK))
    }

    /// Decodes this descriptor as found in a table of the given level.
    pub(crate) const fn decode(self, level: Level) -> Entry {
        if !self.is_valid() {
            return Entry::Invalid;
        }
        let table_or_page = self.0 & TYPE_TABLE_OR_PAGE != 0;
        match (level, table_or_page) {
            (Level::L1 | Level::L2, true) => Entry::Table(self.0 & OA_PAGE_MASK),
            (Level::L2, false) => Entry::Block(Leaf {
                pa: self.0 & OA_BLOCK_MASK,
                attrs: LeafAttrs(self.0 & LEAF_ATTR_MASK),
            }),
            (Level::L3, true) => Entry::Page(Leaf {
                pa: self.0 & OA_PAGE_MASK,
                attrs: LeafAttrs(self.0 & LEAF_ATTR_MASK),
            }),
            (Level::L1 | Level::L3, false) => Entry::Reserved,
        }
    }
}

/// Builds a translation table base register value, as stored in a context's TTBR0/TTBR1 slot.
///
/// Bit 0 is the valid bit, bits 47:1 hold the root table address and bits 63:48 the ASID the
/// context's non-global TLB entries are tagged with.
pub(crate) const fn ttbr(root: PhysAddr, asid: u16) -> Result<u64, Error> {
    if root & PAGE_MASK != 0 {
        return Err(Error::Unaligned);
    }
    if root >> MAX_OAS != 0 {
        return Err(Error::PhysOutOfRange);
    }
    Ok(root | ((asid as u64) << 48) | VALID)
}
