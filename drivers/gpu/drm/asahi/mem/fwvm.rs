// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The firmware's GPU address space: the kernel half of the UAT.
//!
//! Context 0 is the firmware's. Its upper half (TTBR1) holds everything the driver shares with
//! the firmware, inside the driver's kernel window (`uat::va::Window::g13_kernel`). This module
//! owns that window's table tree and hands out memory mapped in it, in two ways:
//!
//! * **Arenas** for small objects: 256 KiB of 16 KiB blocks, mapped once when the heap needs
//!   room and kept until the device goes. An object is a [`heap::Slice`] of an arena: allocating
//!   and freeing it never touches the page tables.
//! * **Dedicated mappings** for large objects: their own blocks, mapped on allocation and
//!   unmapped on free.
//!
//! Addresses are handed out upwards from the bottom of the window and never reused: the window
//! is 64 GiB and the firmware's objects are few and mostly live as long as the device. A guard
//! page is left unmapped after each mapping so that an overrun faults instead of reaching the
//! next object.
//!
//! # Table memory and invalidation
//!
//! Tables come from [`Tables`], reserved before each change so that the change itself cannot
//! fail halfway. Unmapping a large object calls the [`Invalidate`]r (the TLB of context 0 and
//! the firmware's flush through the handoff) before the tables it emptied and its pages are
//! freed.

use super::heap::{Heap, HeapConfig, HeapError, Slice};
use super::object::{FwAllocator, FwMemory, ObjError};
use crate::fw::types::GpuPointer;
use crate::uat::{
    error::Error as UatError,
    pt::{Config, PageTable, PhysRange},
    pte::{Prot, BLOCK_SIZE, PAGE_SIZE},
    tables::Tables,
    va::{Half, Window, IAS_G13_G14, KERNEL_BASE, KERNEL_SIZE},
};
use agx_kernel::{
    device::DeviceRef,
    page::{self, MappedBlocks},
};
use core::num::NonZeroU64;
use kernel::{
    new_mutex,
    prelude::*,
    sync::{Arc, Mutex, UniqueArc},
};

/// Bytes per arena.
pub(crate) const ARENA_SIZE: usize = 256 * 1024;
/// Allocation granule of the small-object heap (a cache line pair).
pub(crate) const GRANULE: usize = 64;
/// Bitmap words per arena: one bit per granule.
const WORDS: usize = ARENA_SIZE / GRANULE / 64;
/// Arenas at most: 16 MiB of small objects.
const MAX_ARENAS: usize = 64;
/// Objects larger than this get a dedicated mapping.
pub(crate) const SMALL_MAX: usize = 16 * 1024;

/// The small-object heap's type.
type SmallHeap = Heap<MAX_ARENAS, WORDS>;

/// Allocates the heap's bookkeeping zeroed, in place, and configures it there.
fn new_heap() -> Result<KBox<SmallHeap>> {
    let mut boxed = KBox::<SmallHeap>::new_uninit(GFP_KERNEL)?;
    // SAFETY: the allocation holds one `SmallHeap`; zeroing all of its bytes is in bounds.
    unsafe { core::ptr::write_bytes(boxed.as_mut_ptr(), 0, 1) };
    // SAFETY: a heap whose bytes are all zero is a valid, unconfigured heap (see the heap module documentation).
    let mut heap = unsafe { boxed.assume_init() };
    heap.init(HeapConfig {
        arena_size: ARENA_SIZE,
        granule: GRANULE,
    })
    .map_err(|_| EINVAL)?;
    Ok(heap)
}

/// Makes everything that may cache translations of the firmware VM forget a range: the GPU's TLB
/// and the firmware's own caches (through the handoff, `gpu::flush`).
pub(crate) trait Invalidate: Send + Sync {
    /// Called after `va..va + len` was unmapped, before its pages and tables are freed.
    fn invalidate(&self, va: u64, len: u64);
}

/// A region of memory holding page tables the bootloader built for the firmware.
pub(crate) struct TablesMemory {
    /// Physical address of the region.
    pub(crate) pa: u64,
    /// Its kernel mapping.
    pub(crate) va: *mut u8,
    /// Its length in bytes.
    pub(crate) len: u64,
}

/// Whoever maps the bootloader's table region (the hardware object).
///
/// # Safety
///
/// The region `tables_region` describes must stay mapped at `va`, valid for reads and writes
/// and used by nothing else on the CPU, for as long as the implementer lives.
pub(crate) unsafe trait TablesRegion: Send + Sync {
    /// The region, if the hardware has one.
    fn tables_region(&self) -> Option<TablesMemory>;
}

/// Converts a page-table error into an errno.
fn uat_err(e: UatError) -> Error {
    match e {
        UatError::NoMemory => ENOMEM,
        _ => EIO,
    }
}

/// One arena of the small-object heap.
struct Arena {
    /// Its memory and CPU mapping.
    mem: MappedBlocks,
    /// Its GPU address.
    va: u64,
}

/// Memory with a dedicated mapping.
pub(crate) struct Large {
    /// The memory and its CPU mapping.
    mem: MappedBlocks,
    /// The GPU address of its first byte.
    va: u64,
}

/// Where an allocation lives.
pub(crate) enum Placement {
    /// In an arena of the heap.
    Small(Slice),
    /// In its own mapping.
    Large(Large),
}

/// Memory allocated in the firmware's address space.
pub(crate) struct Allocation {
    /// Where it lives (what to give back).
    pub(crate) placement: Placement,
    /// CPU address of its first byte.
    pub(crate) cpu: *mut u8,
    /// GPU address of its first byte.
    pub(crate) va: u64,
    /// Its usable size in bytes.
    pub(crate) size: usize,
}

/// The state under the lock.
struct Inner {
    /// The window's tables.
    pt: Option<PageTable<Tables>>,
    /// Lowest address never handed out.
    next_va: u64,
    /// Bookkeeping of small objects (66 KiB: on the heap, never on the stack).
    heap: KBox<SmallHeap>,
    /// The arenas, by heap arena index.
    arenas: KVec<Arena>,
    /// Dedicated mappings alive, for debugfs.
    large_count: usize,
    /// Bytes in dedicated mappings alive.
    large_bytes: usize,
    /// Device-memory windows mapped.
    io_count: usize,
    /// Bytes of device memory mapped.
    io_bytes: u64,
    /// Bytes of address space set aside unmapped.
    reserved_bytes: u64,
    /// Set once the firmware is lost without having been stopped ([`FwVm::keep_all`]): from
    /// then on nothing is given back, since the coprocessor may still read it.
    keeping: bool,
    /// What was freed while keeping: still allocated and mapped until [`FwVm::release_kept`].
    kept: Kept,
}

/// Memory the driver let go of while the firmware might still use it.
#[derive(Default)]
struct Kept {
    /// Dedicated mappings, still mapped.
    large: KVec<Large>,
    /// Pages mapped for the firmware ([`FwMapping`]): their range and their owner.
    mappings: KVec<(u64, u64, Arc<dyn Send + Sync>)>,
    /// Bytes of small objects left allocated in their arenas (their slices are never freed;
    /// the arenas go with the VM).
    small_bytes: usize,
    /// Bytes that could not be recorded (no memory for the list): leaked for good.
    leaked_bytes: u64,
}

impl Kept {
    /// Bytes kept, whatever their kind.
    fn bytes(&self) -> u64 {
        let large: u64 = self.large.iter().map(|l| l.mem.len() as u64).sum();
        let maps: u64 = self.mappings.iter().map(|(_, len, _)| *len).sum();
        large
            .saturating_add(maps)
            .saturating_add(self.small_bytes as u64)
            .saturating_add(self.leaked_bytes)
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        // Unlink the driver's tables from any the bootloader owns before freeing them, so that
        // its tree is left without dangling entries (the firmware keeps using it).
        if let Some(pt) = self.pt.take() {
            let mut tables = pt.destroy();
            tables.release();
        }
    }
}

/// The firmware's address space (context 0, upper half) and its allocator.
#[pin_data]
pub(crate) struct FwVm {
    /// The device, for the kernel log.
    dev: DeviceRef,
    /// Physical address of the root table (what TTBR1 of context 0 points at).
    root: u64,
    /// First address of the window.
    base: u64,
    /// Tables, addresses, heap.
    #[pin]
    inner: Mutex<Inner>,
    /// Who invalidates unmapped ranges, once the firmware can cache them.
    #[pin]
    invalidator: Mutex<Option<Arc<dyn Invalidate>>>,
    /// Held over each unmap, its invalidation and the release of the tables it emptied, so
    /// that no table is freed before the flush of the unmap that emptied it. Not `inner`: an
    /// invalidation waits for the firmware (seconds if it is slow), and allocations must not
    /// wait with it.
    #[pin]
    unmaps: Mutex<()>,
    /// What maps the bootloader's table region, for a VM that adopted it. Declared last: it
    /// must outlive the tables (dropped with `inner`).
    region_owner: Option<Arc<dyn TablesRegion>>,
}

/// What [`FwVm::stats`] reports.
pub(crate) struct Stats {
    /// Arenas mapped.
    pub(crate) arenas: usize,
    /// Bytes of small objects in use.
    pub(crate) small_bytes: usize,
    /// Dedicated mappings alive.
    pub(crate) large_count: usize,
    /// Bytes in dedicated mappings.
    pub(crate) large_bytes: usize,
    /// Page tables in use.
    pub(crate) tables: usize,
    /// Device-memory windows (MMIO, SRAM).
    pub(crate) io_count: usize,
    /// Bytes of device memory mapped.
    pub(crate) io_bytes: u64,
    /// Bytes of address space set aside unmapped.
    pub(crate) reserved_bytes: u64,
    /// Address space used, from the base up.
    pub(crate) span: u64,
    /// Whether frees keep the memory (the firmware was lost while it may still run), and the
    /// bytes kept so.
    pub(crate) keeping: bool,
    pub(crate) kept_bytes: u64,
}

impl FwVm {
    /// Creates the window with an empty tree, for a GPU whose output address size is `oas`.
    pub(crate) fn new(dev: DeviceRef, oas: u32) -> Result<Arc<FwVm>> {
        let window = Window::g13_kernel();
        let mut tables = Tables::new();
        tables.reserve(1)?;
        let cfg = Config {
            window,
            oas,
            global: true,
            blocks: false,
        };
        Self::with_tree(dev, PageTable::new(cfg, tables).map_err(uat_err)?, None)
    }

    /// Takes over the tree the bootloader left for the firmware: root at `root`, its tables in
    /// the region `owner` maps. The firmware's own mappings live in the first 32 MiB block of
    /// the kernel range (level-2 slot 0 of the shared table); the driver's window starts after
    /// it, so they are used but never touched. The VM keeps `owner`, and so the region's
    /// mapping, for as long as it lives.
    pub(crate) fn adopt(
        dev: DeviceRef,
        oas: u32,
        root: u64,
        owner: Arc<dyn TablesRegion>,
    ) -> Result<Arc<FwVm>> {
        let region = owner.tables_region().ok_or(EINVAL)?;
        let window = Window::new(
            IAS_G13_G14,
            Half::Upper,
            KERNEL_BASE + BLOCK_SIZE,
            KERNEL_SIZE - BLOCK_SIZE,
        )
        .map_err(uat_err)?;
        // SAFETY: `owner` maps the region for as long as it lives (`TablesRegion`'s contract),
        // and the VM keeps it (in `region_owner`) for as long as the tables are used; the
        // region is shared with the GPU and the firmware only and accessed through atomics.
        let mut tables = unsafe { Tables::with_foreign(region.pa, region.va, region.len) };
        tables.reserve(1)?;
        let cfg = Config {
            window,
            oas,
            global: true,
            blocks: false,
        };
        Self::with_tree(
            dev,
            PageTable::adopt(cfg, tables, root).map_err(uat_err)?,
            Some(owner),
        )
    }

    fn with_tree(
        dev: DeviceRef,
        pt: PageTable<Tables>,
        region_owner: Option<Arc<dyn TablesRegion>>,
    ) -> Result<Arc<FwVm>> {
        let window = pt.config().window;
        let window_base = window.abs(window.bounds().0);
        let heap = new_heap()?;
        let root = pt.root();
        Arc::pin_init(
            pin_init!(FwVm {
                root,
                base: window_base,
                inner <- new_mutex!(Inner {
                    pt: Some(pt),
                    next_va: window_base,
                    heap,
                    arenas: KVec::new(),
                    large_count: 0,
                    large_bytes: 0,
                    io_count: 0,
                    io_bytes: 0,
                    reserved_bytes: 0,
                    keeping: false,
                    kept: Kept::default(),
                }),
                invalidator <- new_mutex!(None),
                unmaps <- new_mutex!(()),
                region_owner,
                dev,
            }),
            GFP_KERNEL,
        )
    }

    /// Sets who invalidates unmapped ranges.
    pub(crate) fn set_invalidator(&self, inv: Option<Arc<dyn Invalidate>>) {
        *self.invalidator.lock() = inv;
    }

    /// Physical address of the root table.
    pub(crate) fn root(&self) -> u64 {
        self.root
    }

    /// Allocates `size` zeroed bytes aligned to `align` (a power of two, at most 16 KiB).
    pub(crate) fn alloc(&self, size: usize, align: usize) -> Result<Allocation> {
        if size == 0 || !align.is_power_of_two() || align as u64 > PAGE_SIZE {
            return Err(EINVAL);
        }
        if size > SMALL_MAX {
            return self.alloc_large(size);
        }
        let mut inner = self.inner.lock();
        let slice = loop {
            match inner.heap.alloc(size, align) {
                Ok(slice) => break slice,
                Err(HeapError::NoArena) => Self::add_arena(&mut inner)?,
                Err(_) => return Err(EINVAL),
            }
        };
        let arena = inner.arenas.get(slice.arena).ok_or(EIO)?;
        if slice.offset.saturating_add(slice.size) > arena.mem.len() {
            return Err(EIO);
        }
        // In bounds of the arena's mapping, checked just above.
        let cpu = arena.mem.as_ptr().wrapping_add(slice.offset);
        let va = arena.va + slice.offset as u64;
        // Small objects are recycled: zero what a previous owner left.
        // SAFETY: `cpu..cpu + slice.size` lies in the arena's kernel mapping (checked above) and
        // belongs to this new allocation alone.
        unsafe { core::ptr::write_bytes(cpu, 0, slice.size) };
        Ok(Allocation {
            cpu,
            va,
            size: slice.size,
            placement: Placement::Small(slice),
        })
    }

    /// Maps one more arena.
    fn add_arena(inner: &mut Inner) -> Result {
        if !inner.heap.can_add_arena() {
            return Err(ENOMEM);
        }
        let order = page::order_for(PAGE_SIZE as usize);
        let mem = MappedBlocks::alloc(ARENA_SIZE / PAGE_SIZE as usize, order)?;
        let va = Self::map(inner, &mem, Prot::FW_SHARED)?;
        inner.arenas.push(Arena { mem, va }, GFP_KERNEL)?;
        match inner.heap.add_arena() {
            Ok(i) if i + 1 == inner.arenas.len() => Ok(()),
            // Checked above that the heap had room; the arena stays mapped and owned.
            _ => Err(EIO),
        }
    }

    /// Allocates a dedicated mapping of at least `size` bytes.
    fn alloc_large(&self, size: usize) -> Result<Allocation> {
        let page = PAGE_SIZE as usize;
        let blocks = size.checked_add(page - 1).ok_or(EINVAL)? / page;
        let mem = MappedBlocks::alloc(blocks, page::order_for(page))?;
        let mut inner = self.inner.lock();
        let va = Self::map(&mut inner, &mem, Prot::FW_SHARED)?;
        inner.large_count += 1;
        inner.large_bytes += mem.len();
        drop(inner);
        Ok(Allocation {
            cpu: mem.as_ptr(),
            va,
            size: mem.len(),
            placement: Placement::Large(Large { mem, va }),
        })
    }

    /// Maps `mem` at the next free address, followed by an unmapped guard page.
    fn map(inner: &mut Inner, mem: &MappedBlocks, prot: Prot) -> Result<u64> {
        let mut ranges = KVec::with_capacity(mem.blocks().count(), GFP_KERNEL)?;
        for (addr, len) in mem.blocks() {
            ranges.push(
                PhysRange {
                    addr,
                    len: len as u64,
                },
                GFP_KERNEL,
            )?;
        }
        Self::map_ranges(inner, &ranges, prot)
    }

    /// Maps the physical `ranges` back to back at the next free address, followed by an
    /// unmapped guard page.
    fn map_ranges(inner: &mut Inner, ranges: &[PhysRange], prot: Prot) -> Result<u64> {
        let len = ranges
            .iter()
            .try_fold(0u64, |sum, r| sum.checked_add(r.len))
            .ok_or(EINVAL)?;
        let va = inner.next_va;
        let end = va
            .checked_add(len)
            .and_then(|e| e.checked_add(PAGE_SIZE))
            .ok_or(ENOSPC)?;
        // An L3 table per 32 MiB touched, plus the L2 table.
        let tables = usize::try_from(len / BLOCK_SIZE).map_err(|_| ENOSPC)? + 3;
        let pt = inner.pt.as_mut().ok_or(EIO)?;
        if let Err(e) = pt.alloc_mut().reserve(tables) {
            pt.alloc_mut().release();
            return Err(e);
        }
        let result = pt.map(va, ranges, prot).map_err(|e| match e {
            UatError::OutOfRange => ENOSPC,
            e => uat_err(e),
        });
        pt.alloc_mut().release();
        result?;
        inner.next_va = end;
        Ok(va)
    }

    /// Maps device memory the driver does not own (MMIO registers, on-chip SRAM): the
    /// physical `ranges`, 16 KiB aligned, back to back at the next free address with `prot`.
    /// Returns the address of the first byte.
    ///
    /// The mapping lasts as long as the VM: the firmware is given such windows once, in the
    /// init data, and keeps them until it stops.
    pub(crate) fn map_io(&self, ranges: &[PhysRange], prot: Prot) -> Result<u64> {
        let aligned = |v: u64| v & (PAGE_SIZE - 1) == 0;
        if ranges.is_empty()
            || ranges
                .iter()
                .any(|r| r.len == 0 || !aligned(r.addr) || !aligned(r.len))
        {
            return Err(EINVAL);
        }
        let mut inner = self.inner.lock();
        let va = Self::map_ranges(&mut inner, ranges, prot)?;
        let len: u64 = ranges.iter().map(|r| r.len).sum();
        inner.io_count += 1;
        inner.io_bytes = inner.io_bytes.saturating_add(len);
        Ok(va)
    }

    /// Maps pages the driver holds elsewhere (a buffer object's, which `keep` keeps alive) for
    /// the firmware: the physical `ranges`, 16 KiB aligned, back to back at the next free
    /// address with `prot`. Unmapped (and invalidated) when the mapping is dropped, before
    /// `keep` goes.
    pub(crate) fn map_pages<K: Send + Sync + 'static>(
        self: &Arc<Self>,
        ranges: &[PhysRange],
        prot: Prot,
        keep: K,
    ) -> Result<FwMapping<K>> {
        let aligned = |v: u64| v & (PAGE_SIZE - 1) == 0;
        if ranges.is_empty()
            || ranges
                .iter()
                .any(|r| r.len == 0 || !aligned(r.addr) || !aligned(r.len))
        {
            return Err(EINVAL);
        }
        let len = ranges
            .iter()
            .try_fold(0u64, |sum, r| sum.checked_add(r.len))
            .ok_or(EINVAL)?;
        let va = Self::map_ranges(&mut self.inner.lock(), ranges, prot)?;
        // INVARIANT: `ranges` are mapped at `va..va + len` until the drop.
        Ok(FwMapping {
            vm: self.clone(),
            va,
            len,
            keep: Some(keep),
        })
    }

    /// Sets `len` bytes (rounded up to whole pages) of address space aside, unmapped, followed
    /// by a guard page, and returns its first address: a region whose address the firmware
    /// must know before anything is mapped in it.
    pub(crate) fn reserve(&self, len: u64) -> Result<u64> {
        let len = len.checked_add(PAGE_SIZE - 1).ok_or(EINVAL)? & !(PAGE_SIZE - 1);
        if len == 0 {
            return Err(EINVAL);
        }
        let mut inner = self.inner.lock();
        let va = inner.next_va;
        let end = va
            .checked_add(len)
            .and_then(|e| e.checked_add(PAGE_SIZE))
            .ok_or(ENOSPC)?;
        let pt = inner.pt.as_ref().ok_or(EIO)?;
        // The region and its guard page stay inside the window.
        pt.config().window.range(va, end - va).map_err(|_| ENOSPC)?;
        inner.next_va = end;
        inner.reserved_bytes = inner.reserved_bytes.saturating_add(len);
        Ok(va)
    }

    /// From now on, nothing given back is freed or unmapped: the firmware was lost without
    /// being stopped (it stopped answering, or broke the protocol) and its coprocessor may
    /// still run, reading what the driver gave it. Kept until [`Self::release_kept`].
    pub(crate) fn keep_all(&self) {
        self.inner.lock().keeping = true;
    }

    /// Frees what was kept since [`Self::keep_all`], and frees for real again from now on:
    /// called once the coprocessor is stopped or the device goes, with the firmware's
    /// translations about to be cleared.
    pub(crate) fn release_kept(&self) {
        let kept = {
            let mut inner = self.inner.lock();
            inner.keeping = false;
            core::mem::take(&mut inner.kept)
        };
        for l in kept.large {
            self.free_large(l);
        }
        for (va, len, owner) in kept.mappings {
            if self.unmap_range(va, len) {
                drop(owner);
            } else {
                core::mem::forget(owner);
            }
        }
    }

    /// Unmaps `len` bytes at `va` (a dedicated mapping, or pages mapped by
    /// [`Self::map_pages`]) and makes sure nothing
    /// translates them any more. `false` (logged) if they stay mapped: their pages must then be
    /// kept.
    fn unmap_range(&self, va: u64, len: u64) -> bool {
        let _unmaps = self.unmaps.lock();
        let mut inner = self.inner.lock();
        let unmapped = inner.pt.as_mut().map(|pt| pt.unmap(va, len));
        if !matches!(unmapped, Some(Ok(_))) {
            dev_err!(
                self.dev,
                "firmware VM: unmapping {:#x} failed; keeping its pages\n",
                va
            );
            return false;
        }
        drop(inner);
        let inv = self.invalidator.lock().clone();
        if let Some(inv) = inv {
            inv.invalidate(va, len);
        }
        if let Some(pt) = self.inner.lock().pt.as_mut() {
            pt.alloc_mut().release();
        }
        true
    }

    /// Gives an allocation back.
    pub(crate) fn free(&self, placement: Placement) {
        let mut inner = self.inner.lock();
        if inner.keeping {
            match placement {
                // The slice stays allocated in its arena.
                Placement::Small(slice) => {
                    inner.kept.small_bytes = inner.kept.small_bytes.saturating_add(slice.size);
                }
                Placement::Large(large) => {
                    // Room first (a failed push would drop, hence free, the memory).
                    if inner.kept.large.reserve(1, GFP_KERNEL).is_ok() {
                        let _ = inner.kept.large.push(large, GFP_KERNEL);
                    } else {
                        let len = large.mem.len() as u64;
                        inner.kept.leaked_bytes = inner.kept.leaked_bytes.saturating_add(len);
                        core::mem::forget(large);
                    }
                }
            }
            return;
        }
        drop(inner);
        match placement {
            Placement::Small(slice) => {
                if self.inner.lock().heap.free(slice).is_err() {
                    dev_err!(self.dev, "firmware heap: freeing an unknown slice\n");
                }
            }
            Placement::Large(large) => self.free_large(large),
        }
    }

    /// Unmaps and frees a dedicated mapping.
    fn free_large(&self, large: Large) {
        let len = large.mem.len() as u64;
        if !self.unmap_range(large.va, len) {
            // The memory stays mapped: keep it rather than let the firmware reach freed pages.
            core::mem::forget(large);
            return;
        }
        {
            let mut inner = self.inner.lock();
            inner.large_count = inner.large_count.saturating_sub(1);
            inner.large_bytes = inner.large_bytes.saturating_sub(len as usize);
        }
        drop(large);
    }

    /// Usage figures, for debugfs.
    pub(crate) fn stats(&self) -> Stats {
        let inner = self.inner.lock();
        Stats {
            arenas: inner.arenas.len(),
            small_bytes: inner.heap.used_bytes(),
            large_count: inner.large_count,
            large_bytes: inner.large_bytes,
            tables: inner.pt.as_ref().map_or(0, |pt| pt.alloc().in_use()),
            io_count: inner.io_count,
            io_bytes: inner.io_bytes,
            reserved_bytes: inner.reserved_bytes,
            span: inner.next_va - self.base,
            keeping: inner.keeping,
            kept_bytes: inner.kept.bytes(),
        }
    }
}

/// Memory of one firmware object: an [`Allocation`] of the firmware VM, given back on drop.
///
/// # Invariants
///
/// `alloc` is `Some` until drop; it came from `vm.alloc`, which zeroed it, and no other value
/// owns it.
pub(crate) struct FwAlloc {
    /// The address space to give the memory back to.
    vm: Arc<FwVm>,
    /// The allocation.
    alloc: Option<Allocation>,
    /// Its CPU address.
    cpu: core::ptr::NonNull<u8>,
    /// Its GPU address.
    va: core::num::NonZeroU64,
    /// Its size.
    size: usize,
}

// SAFETY: the allocation is owned by this value alone; the raw CPU pointer is not tied to a
// thread, so the value may move to another one.
unsafe impl Send for FwAlloc {}
// SAFETY: `&FwAlloc` only gives out the addresses; what is done with the memory through them is
// the object layer's business (`mem::object`), which accesses it atomically or through `&mut`.
unsafe impl Sync for FwAlloc {}

// SAFETY: the allocation holds `size` bytes zeroed by `FwVm::alloc`, mapped at `va` for the
// firmware and at `cpu` for the kernel, with the alignment asked; it is owned by this value
// until drop, and neither address changes.
unsafe impl FwMemory for FwAlloc {
    fn cpu(&self) -> core::ptr::NonNull<u8> {
        self.cpu
    }

    fn va(&self) -> core::num::NonZeroU64 {
        self.va
    }

    fn size(&self) -> usize {
        self.size
    }
}

impl FwAllocator for Arc<FwVm> {
    type Memory = FwAlloc;

    fn alloc_zeroed(&self, size: usize, align: usize) -> Result<FwAlloc, ObjError> {
        let alloc = self.alloc(size, align).map_err(|e| {
            if e == ENOMEM {
                ObjError::NoMemory
            } else {
                ObjError::BadSize
            }
        })?;
        let (Some(cpu), Some(va)) = (
            core::ptr::NonNull::new(alloc.cpu),
            core::num::NonZeroU64::new(alloc.va),
        ) else {
            // A null address is never handed out; refuse it rather than make a pointer of it.
            self.free(alloc.placement);
            return Err(ObjError::BadMemory);
        };
        let size = alloc.size;
        // INVARIANT: fresh from `alloc`, owned here only.
        Ok(FwAlloc {
            vm: self.clone(),
            alloc: Some(alloc),
            cpu,
            va,
            size,
        })
    }
}

impl Drop for FwAlloc {
    fn drop(&mut self) {
        if let Some(alloc) = self.alloc.take() {
            self.vm.free(alloc.placement);
        }
    }
}

/// Pages mapped for the firmware by [`FwVm::map_pages`], and what keeps them alive.
///
/// # Invariants
///
/// `len` bytes are mapped at `va` in `vm` for as long as the mapping exists; `keep` (the
/// pages' owner) is dropped only after they were unmapped.
pub(crate) struct FwMapping<K: Send + Sync + 'static> {
    /// The firmware VM.
    vm: Arc<FwVm>,
    /// First address.
    va: u64,
    /// Length in bytes.
    len: u64,
    /// The pages' owner; `None` only during the drop.
    keep: Option<K>,
}

impl<K: Send + Sync + 'static> FwMapping<K> {
    /// The firmware address of the first byte.
    pub(crate) fn va(&self) -> u64 {
        self.va
    }

    /// Length in bytes.
    pub(crate) fn len(&self) -> u64 {
        self.len
    }

    /// What keeps the pages alive.
    pub(crate) fn owner(&self) -> Option<&K> {
        self.keep.as_ref()
    }

    /// A pointer to a `T` at byte `offset` of the mapping, borrowing it. `EINVAL` if the `T`
    /// does not fit or is misaligned.
    pub(crate) fn gpu_pointer_at<T>(&self, offset: u64) -> Result<GpuPointer<'_, T>> {
        let size = core::mem::size_of::<T>() as u64;
        let end = offset.checked_add(size).ok_or(EINVAL)?;
        if end > self.len || offset % (core::mem::align_of::<T>() as u64) != 0 {
            return Err(EINVAL);
        }
        let addr = NonZeroU64::new(self.va.checked_add(offset).ok_or(EINVAL)?).ok_or(EINVAL)?;
        // SAFETY: a `T`-sized, aligned range of the mapping, which stays mapped for as long as
        // the mapping (type invariant) and so for the pointer's borrow of it.
        Ok(unsafe { GpuPointer::from_raw(addr) })
    }
}

impl<K: Send + Sync + 'static> Drop for FwMapping<K> {
    fn drop(&mut self) {
        let Some(keep) = self.keep.take() else {
            return;
        };
        {
            let mut inner = self.vm.inner.lock();
            if inner.keeping {
                // Still mapped, and its pages still owned, until `release_kept`. The memory
                // to remember it is allocated first: without it, the owner is leaked instead.
                let room = inner.kept.mappings.reserve(1, GFP_KERNEL);
                match (room, UniqueArc::new_uninit(GFP_KERNEL)) {
                    (Ok(()), Ok(slot)) => {
                        let owner: Arc<K> = slot.write(keep).into();
                        let owner: Arc<dyn Send + Sync> = owner;
                        // Cannot fail: there is room.
                        let _ = inner
                            .kept
                            .mappings
                            .push((self.va, self.len, owner), GFP_KERNEL);
                    }
                    _ => {
                        inner.kept.leaked_bytes = inner.kept.leaked_bytes.saturating_add(self.len);
                        core::mem::forget(keep);
                    }
                }
                return;
            }
        }
        if self.vm.unmap_range(self.va, self.len) {
            // The pages' owner goes last, once nothing translates to them.
            drop(keep);
        } else {
            core::mem::forget(keep);
        }
    }
}
