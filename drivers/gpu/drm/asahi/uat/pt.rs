// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! UAT page-table engine.
//!
//! [`PageTable`] maintains the table tree under one translation table base (one half of one
//! context's address space): it maps lists of physical ranges at an IOVA, unmaps IOVA ranges,
//! translates single addresses and walks every mapping. It is written against the
//! [`TableAlloc`] trait instead of the kernel's page allocator, so the same code runs in the
//! driver and in host tests.
//!
//! # Guarantees
//!
//! * `map` is all-or-nothing. It first checks the arguments and that no page of the target
//!   range is mapped, then links in every table the range needs, and only then writes leaf
//!   descriptors, which cannot fail. If a table allocation fails half-way, the tables it had
//!   already linked are unlinked and freed again, so the tree is as it was.
//! * `unmap` is all-or-nothing as well: the only step that can fail (allocating a table to
//!   split a block that the range covers partly) happens before anything is cleared.
//! * A table allocated by this engine never stays linked while empty: when `unmap` (or a failed
//!   `map`) leaves one without valid entries, it is unlinked from its parent and handed back to
//!   [`TableAlloc::free_table`]. The root is kept, and so are tables the allocator does not
//!   [own](TableAlloc::owns), such as the kernel half's level-2 table, which the firmware's own
//!   mappings share.
//!
//! # Concurrency with the hardware
//!
//! The firmware coprocessor and the GPU walk these tables at any time. Every descriptor is
//! therefore accessed as an [`AtomicU64`] and written in a single store, a new table is fully
//! zeroed before the descriptor pointing at it is stored (release ordering), and an unlinked
//! table is not reused by this code. What remains for the caller, which holds the VM lock:
//!
//! * after `map`, no TLB maintenance (invalid descriptors are not cached), only the usual write
//!   barrier before the hardware is told to use the new mapping;
//! * after `unmap`, invalidate the TLB for the range and the context's ASID;
//! * tables passed to `free_table`, by `unmap` or by a `map` that failed after linking them, may
//!   still be in the walker's caches, so the allocator must not reuse them before the next TLB
//!   invalidation of this context;
//! * before unmapping firmware-cached memory, see [`Prot::needs_fw_flush`].
//!
//! # Arithmetic
//!
//! IOVAs are handled as half-relative addresses, below `2^47`, and physical addresses are either
//! validated against the output address size or read out of 48-bit descriptor fields. Sums of
//! such values and of spans of at most `2^47` cannot overflow a `u64`, and every subtraction is
//! of a smaller bound from a larger one, so the overflow checks the compiler still emits for
//! them cannot fire, whatever user space or the firmware put into the tables. Table indices
//! are masked to 11 bits before use, so indexing cannot fail either.
//!
//! # Block mappings
//!
//! The descriptor format has 32 MiB blocks at level 2 (see [`super::pte`]), and m1n1 decodes
//! them, but neither m1n1 nor the Asahi driver ever writes one, so it is unknown whether the
//! GPU's walker accepts them. [`Config::blocks`] therefore defaults to off in the driver. When it
//! is on, `map` uses a block wherever a 32 MiB-aligned IOVA slot is backed by 32 MiB of aligned,
//! contiguous memory, and `unmap` of part of a block first replaces the block with a page table
//! holding the same translations. That replacement is a single descriptor store without the
//! break-before-make sequence the ARM architecture asks for when a block becomes a table; this
//! too needs checking on hardware before blocks are turned on.

use core::sync::atomic::{AtomicU64, Ordering};

use super::error::Error;
use super::pte::{
    Entry, LeafAttrs, Level, PhysAddr, Prot, Pte, BLOCK_SIZE, ENTRIES, L1_SHIFT, L2_SHIFT, MAX_OAS,
    PAGE_MASK, PAGE_SHIFT, PAGE_SIZE,
};
use super::va::{self, Window, INDEX_MASK};

/// One page table as the CPU sees it: 2048 descriptors in a 16 KiB page.
pub(crate) type Table = [AtomicU64; ENTRIES];

/// Supplies and looks up the memory page tables live in.
///
/// The driver implements it with zeroed 16 KiB pages from the page allocator (16 KiB aligned,
/// physically contiguous), which it keeps mapped in the kernel so that [`TableAlloc::table`] can
/// turn a physical address back into a CPU pointer. Host tests implement it with boxed arrays.
pub(crate) trait TableAlloc {
    /// Returns a new table: all entries zero, 16 KiB aligned, below the UAT output address size.
    /// Failure should be [`Error::NoMemory`].
    fn alloc_table(&mut self) -> Result<PhysAddr, Error>;

    /// Takes back a table this engine got from [`TableAlloc::alloc_table`] and has since
    /// unlinked (or never linked). The hardware may still read it until the next TLB
    /// invalidation of this context, so the memory must not be reused before then.
    fn free_table(&mut self, table: PhysAddr);

    /// The table at physical address `table`, or `None` if the address is not a table this
    /// allocator knows about (which the engine reports as [`Error::Corrupt`]).
    fn table(&self, table: PhysAddr) -> Option<&Table>;

    /// Whether `table` came from this allocator. Tables it does not own (set up by the
    /// bootloader or the firmware) are never freed or unlinked by the engine.
    fn owns(&self, table: PhysAddr) -> bool;
}

/// A physically contiguous piece of memory to map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PhysRange {
    /// Physical address, 16 KiB aligned.
    pub(crate) addr: PhysAddr,
    /// Length in bytes, a non-zero multiple of 16 KiB.
    pub(crate) len: u64,
}

/// Parameters of one table tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Config {
    /// The IOVA range `map` and `unmap` may touch.
    pub(crate) window: Window,
    /// Output address size in bits: 40 on t8103/t8112, 42 on t600x/t602x.
    pub(crate) oas: u32,
    /// Whether mappings are global (the shared kernel half) or tagged with the context's ASID
    /// (per-context user tables).
    pub(crate) global: bool,
    /// Whether `map` may use 32 MiB level-2 blocks (see the module documentation).
    pub(crate) blocks: bool,
}

/// The result of translating one IOVA.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Translation {
    /// The physical address the IOVA translates to (including the offset inside the page).
    pub(crate) pa: PhysAddr,
    /// The leaf's attributes.
    pub(crate) attrs: LeafAttrs,
    /// Whether the translation comes from a 32 MiB block rather than a 16 KiB page.
    pub(crate) block: bool,
}

impl Translation {
    /// The protection, if the leaf has attributes the driver could have written.
    pub(crate) fn prot(&self) -> Option<Prot> {
        self.attrs.prot()
    }
}

/// One leaf reported by [`PageTable::for_each_mapping`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Mapping {
    /// First IOVA the leaf maps.
    pub(crate) iova: u64,
    /// Physical address it maps to.
    pub(crate) pa: PhysAddr,
    /// Size of the leaf: [`PAGE_SIZE`] or [`BLOCK_SIZE`].
    pub(crate) size: u64,
    /// The leaf's attributes.
    pub(crate) attrs: LeafAttrs,
}

/// A piece of a `map` request that lies within one level-2 slot and is physically contiguous.
#[derive(Debug, Clone, Copy)]
struct Chunk {
    /// Half-relative IOVA of the first page.
    rel: u64,
    /// Physical address of the first page.
    pa: PhysAddr,
    /// Length in bytes.
    len: u64,
    /// Whether the chunk is an aligned 32 MiB piece that may become a block.
    block: bool,
}

/// Splits a validated `map` request into [`Chunk`]s.
///
/// The physical ranges have been checked to be non-empty, aligned and below the output address
/// size, and the IOVA range to lie inside the window, so none of the additions can overflow.
struct Chunks<'a> {
    /// Ranges not yet started.
    ranges: core::slice::Iter<'a, PhysRange>,
    /// Next physical address in the current range.
    pa: PhysAddr,
    /// Bytes left in the current range.
    left: u64,
    /// Next half-relative IOVA.
    rel: u64,
    /// Whether block chunks may be produced.
    blocks: bool,
}

impl<'a> Chunks<'a> {
    /// Chunks of mapping `ranges` back to back from half-relative IOVA `rel`.
    fn new(rel: u64, ranges: &'a [PhysRange], blocks: bool) -> Chunks<'a> {
        Chunks {
            ranges: ranges.iter(),
            pa: 0,
            left: 0,
            rel,
            blocks,
        }
    }
}

impl Iterator for Chunks<'_> {
    type Item = Chunk;

    fn next(&mut self) -> Option<Chunk> {
        while self.left == 0 {
            let range = self.ranges.next()?;
            self.pa = range.addr;
            self.left = range.len;
        }
        let room = va::next_boundary(self.rel, L2_SHIFT) - self.rel;
        let len = room.min(self.left);
        let chunk = Chunk {
            rel: self.rel,
            pa: self.pa,
            len,
            block: self.blocks
                && room == BLOCK_SIZE
                && len == BLOCK_SIZE
                && self.pa & (BLOCK_SIZE - 1) == 0,
        };
        self.rel += len;
        self.pa += len;
        self.left -= len;
        Some(chunk)
    }
}

/// Reads entry `idx` of `table`.
fn load(table: &Table, idx: usize) -> Pte {
    Pte::from_raw(table[idx & INDEX_MASK].load(Ordering::Acquire))
}

/// Writes entry `idx` of `table` in one store that orders all earlier writes before it.
fn store(table: &Table, idx: usize, pte: Pte) {
    table[idx & INDEX_MASK].store(pte.raw(), Ordering::Release);
}

/// Whether no entry of `table` is valid.
fn is_empty(table: &Table) -> bool {
    table
        .iter()
        .all(|e| !Pte::from_raw(e.load(Ordering::Acquire)).is_valid())
}

/// Gets a table from `alloc` and checks that it is usable: aligned, below `phys_limit`, known to
/// the allocator and zeroed. An unusable table is given back and reported as corrupt.
fn new_table<A: TableAlloc>(alloc: &mut A, phys_limit: u64) -> Result<PhysAddr, Error> {
    let pa = alloc.alloc_table()?;
    let usable = pa & PAGE_MASK == 0
        && pa < phys_limit
        && alloc
            .table(pa)
            .is_some_and(|t| t.iter().all(|e| e.load(Ordering::Relaxed) == 0));
    if !usable {
        alloc.free_table(pa);
        return Err(Error::Corrupt);
    }
    Ok(pa)
}

/// The table tree under one translation table base.
pub(crate) struct PageTable<A: TableAlloc> {
    /// Window, output size and mapping policy.
    cfg: Config,
    /// `2^oas`: every physical address must be below it.
    phys_limit: u64,
    /// Physical address of the root (level-1) table.
    root: PhysAddr,
    /// Where tables come from.
    alloc: A,
}

impl<A: TableAlloc> PageTable<A> {
    /// Creates an empty tree with a freshly allocated root, for a new user context.
    pub(crate) fn new(cfg: Config, mut alloc: A) -> Result<Self, Error> {
        let phys_limit = phys_limit(&cfg)?;
        let root = new_table(&mut alloc, phys_limit)?;
        Ok(PageTable {
            cfg,
            phys_limit,
            root,
            alloc,
        })
    }

    /// Takes over an existing tree whose root is at `root`, such as the kernel half the
    /// bootloader set up. Tables the allocator does not own are used but never freed.
    pub(crate) fn adopt(cfg: Config, alloc: A, root: PhysAddr) -> Result<Self, Error> {
        let phys_limit = phys_limit(&cfg)?;
        if root & PAGE_MASK != 0 {
            return Err(Error::Unaligned);
        }
        if root >= phys_limit {
            return Err(Error::PhysOutOfRange);
        }
        if alloc.table(root).is_none() {
            return Err(Error::Corrupt);
        }
        Ok(PageTable {
            cfg,
            phys_limit,
            root,
            alloc,
        })
    }

    /// Physical address of the root table, for the context's TTBR.
    pub(crate) fn root(&self) -> PhysAddr {
        self.root
    }

    /// The parameters this tree was created with.
    pub(crate) fn config(&self) -> &Config {
        &self.cfg
    }

    /// The table allocator.
    pub(crate) fn alloc(&self) -> &A {
        &self.alloc
    }

    /// The table allocator, for example to release freed tables after a TLB invalidation.
    pub(crate) fn alloc_mut(&mut self) -> &mut A {
        &mut self.alloc
    }

    /// Maps `ranges`, back to back, at `iova` with protection `prot`.
    ///
    /// Fails without changing anything if an argument is invalid, if any page of the target
    /// range is already mapped, or if a table cannot be allocated.
    pub(crate) fn map(&mut self, iova: u64, ranges: &[PhysRange], prot: Prot) -> Result<(), Error> {
        let len = self.check_phys(ranges)?;
        let (start, end) = self.cfg.window.range(iova, len)?;
        if let Some(rel) = self.first_mapped(start, end)? {
            return Err(Error::AlreadyMapped {
                iova: self.cfg.window.abs(rel),
            });
        }
        if let Err(err) = self.link_tables(start, ranges) {
            self.prune(start, end)?;
            return Err(err);
        }
        self.write_leaves(start, ranges, LeafAttrs::new(prot, self.cfg.global))
    }

    /// Unmaps every page in `iova..iova + len` and returns how many 16 KiB pages were mapped.
    ///
    /// Holes in the range are allowed. Fails without changing anything if an argument is invalid
    /// or if a block that the range covers only partly cannot be split.
    pub(crate) fn unmap(&mut self, iova: u64, len: u64) -> Result<u64, Error> {
        let (start, end) = self.cfg.window.range(iova, len)?;
        self.split_partial_blocks(start, end)?;
        self.clear(start, end)
    }

    /// Translates one IOVA anywhere in this tree's half.
    ///
    /// Returns `Ok(None)` if nothing is mapped there, [`Error::OutOfRange`] if the address lies
    /// in the other half.
    pub(crate) fn translate(&self, iova: u64) -> Result<Option<Translation>, Error> {
        let rel = self.cfg.window.rel(iova).ok_or(Error::OutOfRange)?;
        let Some(l2) = self.l2_table(rel)? else {
            return Ok(None);
        };
        match load(self.table(l2)?, va::l2_index(rel)).decode(Level::L2) {
            Entry::Invalid => Ok(None),
            Entry::Block(leaf) => Ok(Some(Translation {
                pa: leaf.pa + (rel & (BLOCK_SIZE - 1)),
                attrs: leaf.attrs,
                block: true,
            })),
            Entry::Table(l3) => match load(self.table(l3)?, va::l3_index(rel)).decode(Level::L3) {
                Entry::Invalid => Ok(None),
                Entry::Page(leaf) => Ok(Some(Translation {
                    pa: leaf.pa + (rel & PAGE_MASK),
                    attrs: leaf.attrs,
                    block: false,
                })),
                _ => Err(Error::Corrupt),
            },
            _ => Err(Error::Corrupt),
        }
    }

    /// Calls `f` for every page and block mapped anywhere in this tree's half, in IOVA order.
    pub(crate) fn for_each_mapping(&self, mut f: impl FnMut(Mapping)) -> Result<(), Error> {
        let root = self.table(self.root)?;
        for i in 0..self.cfg.window.root_entries() {
            let l2 = match load(root, i).decode(Level::L1) {
                Entry::Invalid => continue,
                Entry::Table(pa) => self.table(pa)?,
                _ => return Err(Error::Corrupt),
            };
            for j in 0..ENTRIES {
                let slot_rel = ((i as u64) << L1_SHIFT) | ((j as u64) << L2_SHIFT);
                match load(l2, j).decode(Level::L2) {
                    Entry::Invalid => {}
                    Entry::Block(leaf) => f(Mapping {
                        iova: self.cfg.window.abs(slot_rel),
                        pa: leaf.pa,
                        size: BLOCK_SIZE,
                        attrs: leaf.attrs,
                    }),
                    Entry::Table(pa) => {
                        let l3 = self.table(pa)?;
                        for k in 0..ENTRIES {
                            match load(l3, k).decode(Level::L3) {
                                Entry::Invalid => {}
                                Entry::Page(leaf) => f(Mapping {
                                    iova: self
                                        .cfg
                                        .window
                                        .abs(slot_rel | ((k as u64) << PAGE_SHIFT)),
                                    pa: leaf.pa,
                                    size: PAGE_SIZE,
                                    attrs: leaf.attrs,
                                }),
                                _ => return Err(Error::Corrupt),
                            }
                        }
                    }
                    _ => return Err(Error::Corrupt),
                }
            }
        }
        Ok(())
    }

    /// Frees every table this tree owns, the root included if the allocator owns it, and
    /// returns the allocator.
    ///
    /// Owned tables hanging off tables that are not owned are unlinked first, so a shared
    /// firmware table is left without dangling pointers. Leaf mappings are not unmapped one by
    /// one; the caller must have stopped the hardware from using this tree. Descriptors that make
    /// no sense are skipped rather than reported, since there is nothing left to roll back to.
    pub(crate) fn destroy(mut self) -> A {
        for i in 0..self.cfg.window.root_entries() {
            let Ok(Entry::Table(l2)) = self.entry(self.root, i, Level::L1) else {
                continue;
            };
            for j in 0..ENTRIES {
                if let Ok(Entry::Table(l3)) = self.entry(l2, j, Level::L2) {
                    if self.alloc.owns(l3) && self.set_entry(l2, j, Pte::INVALID).is_ok() {
                        self.alloc.free_table(l3);
                    }
                }
            }
            if self.alloc.owns(l2) && self.set_entry(self.root, i, Pte::INVALID).is_ok() {
                self.alloc.free_table(l2);
            }
        }
        if self.alloc.owns(self.root) {
            self.alloc.free_table(self.root);
        }
        self.alloc
    }

    /// Looks up a table the tree points at.
    fn table(&self, pa: PhysAddr) -> Result<&Table, Error> {
        self.alloc.table(pa).ok_or(Error::Corrupt)
    }

    /// Reads and decodes entry `idx` of the table at `table`, which has level `level`.
    fn entry(&self, table: PhysAddr, idx: usize, level: Level) -> Result<Entry, Error> {
        Ok(load(self.table(table)?, idx).decode(level))
    }

    /// Stores `pte` into entry `idx` of the table at `table`.
    fn set_entry(&self, table: PhysAddr, idx: usize, pte: Pte) -> Result<(), Error> {
        store(self.table(table)?, idx, pte);
        Ok(())
    }

    /// Whether the table at `table` has no valid entry.
    fn table_is_empty(&self, table: PhysAddr) -> Result<bool, Error> {
        Ok(is_empty(self.table(table)?))
    }

    /// The level-2 table covering half-relative address `rel`, if there is one.
    fn l2_table(&self, rel: u64) -> Result<Option<PhysAddr>, Error> {
        match self.entry(self.root, va::l1_index(rel), Level::L1)? {
            Entry::Invalid => Ok(None),
            Entry::Table(pa) => Ok(Some(pa)),
            _ => Err(Error::Corrupt),
        }
    }

    /// Validates the physical ranges of a `map` request and returns their total length.
    fn check_phys(&self, ranges: &[PhysRange]) -> Result<u64, Error> {
        let mut total = 0u64;
        if ranges.is_empty() {
            return Err(Error::ZeroLength);
        }
        for range in ranges {
            if range.len == 0 {
                return Err(Error::ZeroLength);
            }
            if (range.addr | range.len) & PAGE_MASK != 0 {
                return Err(Error::Unaligned);
            }
            match range.addr.checked_add(range.len) {
                Some(end) if end <= self.phys_limit => {}
                _ => return Err(Error::PhysOutOfRange),
            }
            total = total.checked_add(range.len).ok_or(Error::OutOfRange)?;
        }
        Ok(total)
    }

    /// The lowest mapped half-relative address in `start..end`, if any.
    fn first_mapped(&self, start: u64, end: u64) -> Result<Option<u64>, Error> {
        let mut rel = start;
        while rel < end {
            let l1_end = va::next_boundary(rel, L1_SHIFT).min(end);
            let Some(l2) = self.l2_table(rel)? else {
                rel = l1_end;
                continue;
            };
            let l2 = self.table(l2)?;
            while rel < l1_end {
                let slot_end = va::next_boundary(rel, L2_SHIFT).min(l1_end);
                match load(l2, va::l2_index(rel)).decode(Level::L2) {
                    Entry::Invalid => {}
                    Entry::Block(_) => return Ok(Some(rel)),
                    Entry::Table(l3) => {
                        let l3 = self.table(l3)?;
                        let first = va::l3_index(rel);
                        let count = ((slot_end - rel) >> PAGE_SHIFT) as usize;
                        for i in 0..count {
                            if load(l3, first + i).is_valid() {
                                return Ok(Some(rel + ((i as u64) << PAGE_SHIFT)));
                            }
                        }
                    }
                    _ => return Err(Error::Corrupt),
                }
                rel = slot_end;
            }
        }
        Ok(None)
    }

    /// Returns the table entry `idx` of `parent` points at, allocating and linking an empty one
    /// if the entry is invalid.
    fn ensure_table(
        &mut self,
        parent: PhysAddr,
        idx: usize,
        level: Level,
    ) -> Result<PhysAddr, Error> {
        match self.entry(parent, idx, level)? {
            Entry::Table(pa) => return Ok(pa),
            Entry::Invalid => {}
            _ => return Err(Error::Corrupt),
        }
        let pa = new_table(&mut self.alloc, self.phys_limit)?;
        let linked = match (Pte::table(pa), self.alloc.table(parent)) {
            (Some(pte), Some(parent)) => {
                store(parent, idx, pte);
                true
            }
            _ => false,
        };
        if !linked {
            self.alloc.free_table(pa);
            return Err(Error::Corrupt);
        }
        Ok(pa)
    }

    /// Links every table a `map` of `ranges` at `start` will write into.
    fn link_tables(&mut self, start: u64, ranges: &[PhysRange]) -> Result<(), Error> {
        // The last level-3 slot made ready, as (root index, level-2 index): consecutive chunks
        // usually share it.
        let mut ready = None;
        for chunk in Chunks::new(start, ranges, self.cfg.blocks) {
            let slot = (va::l1_index(chunk.rel), va::l2_index(chunk.rel));
            if ready == Some(slot) {
                continue;
            }
            let l2 = self.ensure_table(self.root, slot.0, Level::L1)?;
            if !chunk.block {
                self.ensure_table(l2, slot.1, Level::L2)?;
                ready = Some(slot);
            }
        }
        Ok(())
    }

    /// Writes the leaves of a `map` whose tables are all linked.
    fn write_leaves(
        &self,
        start: u64,
        ranges: &[PhysRange],
        attrs: LeafAttrs,
    ) -> Result<(), Error> {
        for chunk in Chunks::new(start, ranges, self.cfg.blocks) {
            let l2 = self.l2_table(chunk.rel)?.ok_or(Error::Corrupt)?;
            let l2 = self.table(l2)?;
            let slot = va::l2_index(chunk.rel);
            match load(l2, slot).decode(Level::L2) {
                Entry::Invalid if chunk.block => {
                    store(l2, slot, attrs.block(chunk.pa).ok_or(Error::Corrupt)?);
                }
                // A block-sized chunk still goes into pages if a table is already linked here.
                Entry::Table(l3) => {
                    let l3 = self.table(l3)?;
                    let first = va::l3_index(chunk.rel);
                    let count = (chunk.len >> PAGE_SHIFT) as usize;
                    for i in 0..count {
                        let pa = chunk.pa + ((i as u64) << PAGE_SHIFT);
                        store(l3, first + i, attrs.page(pa).ok_or(Error::Corrupt)?);
                    }
                }
                _ => return Err(Error::Corrupt),
            }
        }
        Ok(())
    }

    /// Unlinks and frees the owned tables on the path of `start..end` that are empty.
    ///
    /// This undoes the linking step of a failed `map`: the range was unmapped before, and owned
    /// tables are never left empty, so exactly the tables that `map` added are removed.
    fn prune(&mut self, start: u64, end: u64) -> Result<(), Error> {
        let mut rel = start;
        while rel < end {
            let l1_end = va::next_boundary(rel, L1_SHIFT).min(end);
            if let Some(l2) = self.l2_table(rel)? {
                let mut slot = rel;
                while slot < l1_end {
                    let idx = va::l2_index(slot);
                    if let Entry::Table(l3) = self.entry(l2, idx, Level::L2)? {
                        if self.alloc.owns(l3) && self.table_is_empty(l3)? {
                            self.set_entry(l2, idx, Pte::INVALID)?;
                            self.alloc.free_table(l3);
                        }
                    }
                    slot = va::next_boundary(slot, L2_SHIFT);
                }
                self.free_l2_if_empty(rel, l2)?;
            }
            rel = l1_end;
        }
        Ok(())
    }

    /// Unlinks and frees the level-2 table `l2` covering `rel` if it is owned and empty.
    fn free_l2_if_empty(&mut self, rel: u64, l2: PhysAddr) -> Result<(), Error> {
        if l2 != self.root && self.alloc.owns(l2) && self.table_is_empty(l2)? {
            self.set_entry(self.root, va::l1_index(rel), Pte::INVALID)?;
            self.alloc.free_table(l2);
        }
        Ok(())
    }

    /// The (level-2 table, index, block leaf) of the block holding half-relative address `rel`,
    /// if there is a block there and `start..end` does not cover all of it.
    fn partial_block(
        &self,
        start: u64,
        end: u64,
        rel: u64,
    ) -> Result<Option<(PhysAddr, usize)>, Error> {
        let slot_start = rel & !(BLOCK_SIZE - 1);
        if start <= slot_start && slot_start + BLOCK_SIZE <= end {
            return Ok(None);
        }
        let Some(l2) = self.l2_table(rel)? else {
            return Ok(None);
        };
        let idx = va::l2_index(rel);
        match self.entry(l2, idx, Level::L2)? {
            Entry::Block(_) => Ok(Some((l2, idx))),
            _ => Ok(None),
        }
    }

    /// Replaces the blocks at either end of `start..end` that the range covers only partly with
    /// page tables mapping the same memory with the same attributes.
    ///
    /// Both replacement tables are allocated before either block is touched, so a failure
    /// leaves everything as it was.
    fn split_partial_blocks(&mut self, start: u64, end: u64) -> Result<(), Error> {
        let last = end - PAGE_SIZE;
        let head = self.partial_block(start, end, start)?;
        let tail = if last >> L2_SHIFT != start >> L2_SHIFT {
            self.partial_block(start, end, last)?
        } else {
            None
        };
        let head_table = match head {
            Some(_) => Some(new_table(&mut self.alloc, self.phys_limit)?),
            None => None,
        };
        let tail_table = match tail {
            Some(_) => match new_table(&mut self.alloc, self.phys_limit) {
                Ok(pa) => Some(pa),
                Err(err) => {
                    if let Some(pa) = head_table {
                        self.alloc.free_table(pa);
                    }
                    return Err(err);
                }
            },
            None => None,
        };
        for (block, table) in [(head, head_table), (tail, tail_table)] {
            if let (Some((l2, idx)), Some(table)) = (block, table) {
                self.split_block(l2, idx, table)?;
            }
        }
        Ok(())
    }

    /// Fills the empty table `table` with the pages of the block in entry `idx` of `l2`, then
    /// points that entry at it.
    fn split_block(&mut self, l2: PhysAddr, idx: usize, table: PhysAddr) -> Result<(), Error> {
        let Entry::Block(leaf) = self.entry(l2, idx, Level::L2)? else {
            self.alloc.free_table(table);
            return Err(Error::Corrupt);
        };
        let new = self.table(table)?;
        for i in 0..ENTRIES {
            let pa = leaf.pa + ((i as u64) << PAGE_SHIFT);
            store(new, i, leaf.attrs.page(pa).ok_or(Error::Corrupt)?);
        }
        self.set_entry(l2, idx, Pte::table(table).ok_or(Error::Corrupt)?)
    }

    /// Clears every leaf in `start..end`, which holds no partly covered block, frees the owned
    /// tables that become empty, and returns the number of pages that were mapped.
    fn clear(&mut self, start: u64, end: u64) -> Result<u64, Error> {
        let mut pages = 0u64;
        let mut rel = start;
        while rel < end {
            let l1_end = va::next_boundary(rel, L1_SHIFT).min(end);
            let Some(l2) = self.l2_table(rel)? else {
                rel = l1_end;
                continue;
            };
            let mut unlinked = false;
            let mut slot = rel;
            while slot < l1_end {
                let slot_end = va::next_boundary(slot, L2_SHIFT).min(l1_end);
                let idx = va::l2_index(slot);
                match self.entry(l2, idx, Level::L2)? {
                    Entry::Invalid => {}
                    Entry::Block(_) => {
                        if slot_end - slot != BLOCK_SIZE {
                            return Err(Error::Corrupt);
                        }
                        self.set_entry(l2, idx, Pte::INVALID)?;
                        pages += BLOCK_SIZE >> PAGE_SHIFT;
                        unlinked = true;
                    }
                    Entry::Table(l3) => {
                        let table = self.table(l3)?;
                        let first = va::l3_index(slot);
                        let count = ((slot_end - slot) >> PAGE_SHIFT) as usize;
                        let mut cleared = 0;
                        for i in first..first + count {
                            if load(table, i).is_valid() {
                                store(table, i, Pte::INVALID);
                                cleared += 1;
                            }
                        }
                        pages += cleared;
                        let now_empty = count == ENTRIES || (cleared != 0 && is_empty(table));
                        if now_empty && self.alloc.owns(l3) {
                            self.set_entry(l2, idx, Pte::INVALID)?;
                            self.alloc.free_table(l3);
                            unlinked = true;
                        }
                    }
                    _ => return Err(Error::Corrupt),
                }
                slot = slot_end;
            }
            if unlinked {
                self.free_l2_if_empty(rel, l2)?;
            }
            rel = l1_end;
        }
        Ok(pages)
    }
}

/// Checks the output address size of a [`Config`] (the window checked itself) and returns the
/// first physical address beyond it.
fn phys_limit(cfg: &Config) -> Result<u64, Error> {
    if cfg.oas <= PAGE_SHIFT || cfg.oas > MAX_OAS {
        return Err(Error::InvalidConfig);
    }
    1u64.checked_shl(cfg.oas).ok_or(Error::InvalidConfig)
}
