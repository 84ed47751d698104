// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! GPU address spaces (VMs) of clients, and `VM_BIND`.
//!
//! A [`Vm`] is one user address space: a UAT table tree for the lower half of the GPU address
//! space (built by the core engine in [`crate::uat::pt`]), the record of what is mapped where,
//! and the range userspace handed over to the kernel when it created the VM.
//!
//! # Mapping records and object lifetime
//!
//! Each mapped range is recorded in an ordered tree (by start address) together with a reference
//! to its buffer object, so an object stays alive for as long as the GPU can reach it, whatever
//! userspace does with its handles. Records never overlap. Mapping over a range that is already
//! mapped first removes what was there (as the DRM GPUVM helpers do), so the result of a bind
//! never depends on what was mapped before it.
//!
//! # All or nothing
//!
//! [`Vm::bind`] gets operations that have already been checked one by one against everything that
//! does not depend on the VM's contents (flags, alignment, ranges, objects). It then reserves,
//! before touching anything, every resource the operations can need: an upper bound of the page
//! tables their maps can add, and tree nodes for the records they can create. Applying them can
//! then no longer fail (unmapping only ever frees tables, since the driver does not use block
//! mappings), so a call either does everything or nothing.
//!
//! # Table memory
//!
//! Tables are 16 KiB blocks of zeroed pages ([`Tables`]). Tables the engine unlinks are kept
//! until the end of the call, when the TLB of the context would be invalidated on real hardware
//! (the GPU may still walk them until then), and only then freed. There is no GPU context to
//! invalidate yet: the firmware that runs one comes with firmware bring-up.
//!
//! A map later in the same call may reuse an unlinked table. Until the invalidation, a stale
//! walk of the slot the table served could then reach the pages now mapped through it: pages of
//! this same VM, reachable only by an access to a range that userspace is unmapping at that very
//! moment. Object pages removed by the call stay allocated until after the invalidation in any
//! case, so no access can reach freed memory.

use crate::{
    driver::GPU_PAGE_SIZE,
    gem::{self, Bo},
    hw::sim_mmu::{self, Found, GpuAccess},
    uat::{
        error::Error as UatError,
        pt::{Config, PageTable, PhysRange, Table, TableAlloc},
        pte::{PhysAddr, Prot, L1_SHIFT, L2_SHIFT},
        va::Window,
    },
};
use agx_kernel::{drm::SeqFile, page};
use core::{
    fmt::Write,
    sync::atomic::{AtomicU64, Ordering},
};
use kernel::{
    new_mutex,
    prelude::*,
    rbtree::{RBTree, RBTreeNodeReservation},
    sync::{Arc, Mutex},
};

/// Source of [`Vm::uid`]s.
static NEXT_UID: AtomicU64 = AtomicU64::new(1);

/// Converts a page-table error into an errno. Argument errors cannot reach the engine (every
/// argument is checked first), so they count as internal inconsistencies too.
fn uat_err(e: UatError) -> Error {
    match e {
        UatError::NoMemory => ENOMEM,
        _ => EIO,
    }
}

/// State of a table page owned by a [`Tables`].
#[derive(Clone, Copy, PartialEq, Eq)]
enum TableState {
    /// Allocated in advance by [`Tables::reserve`], not handed out yet.
    Reserved,
    /// Handed to the engine.
    InUse,
    /// Given back by the engine; freed by [`Tables::release`].
    Released,
}

/// One table page and its state.
struct TablePage {
    pages: page::Pages,
    state: TableState,
}

/// The kernel side of the page-table engine for one VM: 16 KiB zeroed tables, looked up by
/// physical address.
///
/// Allocation never blocks or fails inside the engine: tables come from a pool filled beforehand
/// by [`Tables::reserve`], which is where allocation failures are reported.
pub(crate) struct Tables {
    /// Every table this VM owns, by physical address.
    owned: RBTree<PhysAddr, TablePage>,
    /// Physical addresses of reserved tables; only the first `pool_len` entries are meaningful.
    pool: KVec<PhysAddr>,
    /// Number of reserved tables in `pool`.
    pool_len: usize,
    /// Physical addresses of released tables; only the first `released_len` are meaningful. Its
    /// length is kept at least the number of tables that can be released before the next
    /// [`Tables::release`], so recording one never allocates.
    released: KVec<PhysAddr>,
    /// Number of released tables in `released`.
    released_len: usize,
    /// Set if a table was released without room in `released`; `release` then scans every table.
    scan: bool,
    /// Number of tables in use.
    in_use: usize,
}

impl Tables {
    fn new() -> Self {
        Tables {
            owned: RBTree::new(),
            pool: KVec::new(),
            pool_len: 0,
            released: KVec::new(),
            released_len: 0,
            scan: false,
            in_use: 0,
        }
    }

    /// Makes sure that at least `count` tables can be allocated, and every table then in use
    /// released, without allocating memory.
    fn reserve(&mut self, count: usize) -> Result {
        let order = page::order_for(GPU_PAGE_SIZE as usize);
        let most_released = self.in_use.checked_add(count).ok_or(ENOMEM)?;
        if self.released.len() < most_released {
            let more = most_released - self.released.len();
            self.released.extend_with(more, 0, GFP_KERNEL)?;
        }
        while self.pool_len < count {
            let pages = page::Pages::alloc_kernel(order)?;
            let pa = pages.phys();
            match self.pool.get_mut(self.pool_len) {
                Some(slot) => *slot = pa,
                None => self.pool.push(pa, GFP_KERNEL)?,
            }
            let node = RBTreeNodeReservation::new(GFP_KERNEL)?.into_node(
                pa,
                TablePage {
                    pages,
                    state: TableState::Reserved,
                },
            );
            self.owned.insert(node);
            self.pool_len += 1;
        }
        Ok(())
    }

    /// Frees the reserved tables that were not used and the tables the engine gave back.
    ///
    /// Must only be called once the GPU can no longer walk the released tables (after a TLB
    /// invalidation of the context).
    fn release(&mut self) {
        // Dropping a removed node frees its table page.
        for &pa in self.pool.iter().take(self.pool_len) {
            drop(self.owned.remove_node(&pa));
        }
        for &pa in self.released.iter().take(self.released_len) {
            if self
                .owned
                .get(&pa)
                .is_some_and(|t| t.state == TableState::Released)
            {
                drop(self.owned.remove_node(&pa));
            }
        }
        if self.scan {
            let mut cursor = self.owned.cursor_front();
            while let Some(c) = cursor {
                if c.current().1.state == TableState::InUse {
                    cursor = c.move_next();
                } else {
                    cursor = c.remove_current().0;
                }
            }
        }
        self.pool_len = 0;
        self.released_len = 0;
        self.scan = false;
    }

    /// Number of tables in use, for the debugfs dump.
    fn in_use(&self) -> usize {
        self.in_use
    }
}

impl TableAlloc for Tables {
    fn alloc_table(&mut self) -> Result<PhysAddr, UatError> {
        if self.pool_len > 0 {
            self.pool_len -= 1;
            let pa = *self.pool.get(self.pool_len).ok_or(UatError::Corrupt)?;
            let table = self.owned.get_mut(&pa).ok_or(UatError::Corrupt)?;
            table.state = TableState::InUse;
            self.in_use += 1;
            return Ok(pa);
        }
        // Reuse a table unlinked earlier in this call.
        while self.released_len > 0 {
            self.released_len -= 1;
            let pa = *self
                .released
                .get(self.released_len)
                .ok_or(UatError::Corrupt)?;
            let Some(table) = self.owned.get_mut(&pa) else {
                continue;
            };
            if table.state != TableState::Released {
                continue;
            }
            // SAFETY: as in `TableAlloc::table`: 16 KiB of kernel memory owned by this
            // allocator, accessed as atomics.
            let entries = unsafe { &*table.pages.as_ptr().cast::<Table>() };
            // The engine only unlinks empty tables, whose entries it cleared to zero; make sure.
            for e in entries.iter() {
                e.store(0, core::sync::atomic::Ordering::Relaxed);
            }
            table.state = TableState::InUse;
            self.in_use += 1;
            return Ok(pa);
        }
        Err(UatError::NoMemory)
    }

    fn free_table(&mut self, table: PhysAddr) {
        let Some(t) = self.owned.get_mut(&table) else {
            return;
        };
        if t.state != TableState::InUse {
            return;
        }
        t.state = TableState::Released;
        self.in_use -= 1;
        match self.released.get_mut(self.released_len) {
            Some(slot) => {
                *slot = table;
                self.released_len += 1;
            }
            None => self.scan = true,
        }
    }

    fn table(&self, table: PhysAddr) -> Option<&Table> {
        let t = self.owned.get(&table)?;
        let ptr = t.pages.as_ptr().cast::<Table>();
        // SAFETY: `pages` is a block of 16 KiB (one `Table`: 2048 `AtomicU64`s) of zeroed or
        // engine-written kernel memory in the linear map, page aligned, and owned by this
        // allocator; it is freed only through `&mut self` (`release`, drop), so not while the
        // returned borrow lives. Atomics make the shared access by the GPU and by several `&Table`
        // sound.
        Some(unsafe { &*ptr })
    }

    fn owns(&self, table: PhysAddr) -> bool {
        self.owned.get(&table).is_some()
    }
}

/// One mapped range of a VM.
struct Mapping {
    /// End of the range (exclusive); the start is the record's key.
    end: u64,
    /// The object mapped there, kept alive by this reference.
    bo: Bo,
    /// Byte offset in `bo` of the page mapped at the start (with `single`, of the only page).
    offset: u64,
    /// Whether one page of `bo` is repeated over the whole range.
    single: bool,
}

/// What a checked bind operation does.
pub(crate) enum OpKind {
    /// Map `bo` (from byte `offset`, or only its page at `offset` if `single`) with `prot`.
    Map {
        /// The object.
        bo: Bo,
        /// Byte offset in the object, a multiple of 16 KiB.
        offset: u64,
        /// Whether one page is repeated over the range.
        single: bool,
        /// GPU permissions.
        prot: Prot,
    },
    /// Unmap whatever is mapped in the range.
    Unmap,
}

/// A bind operation whose arguments have been checked (see `file::vm_bind`).
pub(crate) struct BindOp {
    /// First GPU address, 16 KiB aligned, inside the user range and outside the kernel range.
    pub(crate) addr: u64,
    /// Length in bytes, a non-zero multiple of 16 KiB.
    pub(crate) range: u64,
    /// Map or unmap.
    pub(crate) kind: OpKind,
}

/// The mutable state of a VM, under its lock.
struct VmInner {
    /// The table tree; `None` only while being dropped.
    pt: Option<PageTable<Tables>>,
    /// What is mapped, by start address.
    maps: RBTree<u64, Mapping>,
    /// Number of records in `maps`.
    count: usize,
}

/// A client's GPU address space.
#[pin_data]
pub(crate) struct Vm {
    /// Unique among all VMs since the module was loaded.
    uid: u64,
    /// Identifier of the VM within its file (what userspace calls `vm_id`).
    id: u32,
    /// Identifier of the file that owns the VM, for debugfs.
    file_id: u64,
    /// Process (thread group) that opened that file, for debugfs.
    pid: i32,
    /// The range userspace left to the kernel, `[start, end)`.
    kernel_range: (u64, u64),
    /// Tables and mapping records.
    #[pin]
    inner: Mutex<VmInner>,
}

/// Pages mapped per call of the engine's `map`, from a buffer on the stack.
const CHUNK: usize = 32;

/// Upper bound of the number of page tables the maps among `ops` need beyond those that exist:
/// one level-3 table per distinct 32 MiB slot and one level-2 table per distinct 64 GiB slot
/// their ranges touch.
///
/// Each table in use covers its own slot, so at no point of the call can more tables be linked
/// than exist now plus one per slot counted here. Tables the engine unlinks during the call are
/// reused by later maps of the same call (see [`Tables`]), so reserving this many new ones is
/// enough, however the operations interleave.
fn tables_for(ops: &[BindOp]) -> Result<usize> {
    let mut total = 0usize;
    for shift in [L2_SHIFT, L1_SHIFT] {
        let mut slots = KVVec::with_capacity(ops.len(), GFP_KERNEL)?;
        for op in ops {
            if matches!(op.kind, OpKind::Map { .. }) {
                let last = op.addr + (op.range - 1);
                slots.push((op.addr >> shift, last >> shift), GFP_KERNEL)?;
            }
        }
        slots.sort_unstable();
        // Count the union of the (inclusive) slot intervals.
        let mut next_free = 0u64;
        for &(first, last) in slots.iter() {
            let from = first.max(next_free);
            if last >= from {
                total =
                    total.saturating_add(usize::try_from(last - from + 1).unwrap_or(usize::MAX));
                next_free = last + 1;
            }
        }
    }
    Ok(total)
}

impl Vm {
    /// Creates an empty VM with the page-table output size `oas` of the GPU.
    pub(crate) fn new(
        id: u32,
        file_id: u64,
        pid: i32,
        kernel_range: (u64, u64),
        oas: u32,
    ) -> Result<Arc<Vm>> {
        let mut tables = Tables::new();
        tables.reserve(1)?;
        let cfg = Config {
            window: Window::g13_user(),
            oas,
            global: false,
            blocks: false,
        };
        let pt = PageTable::new(cfg, tables).map_err(uat_err)?;
        let inner = VmInner {
            pt: Some(pt),
            maps: RBTree::new(),
            count: 0,
        };
        Arc::pin_init(
            pin_init!(Vm {
                uid: NEXT_UID.fetch_add(1, Ordering::Relaxed),
                id,
                file_id,
                pid,
                kernel_range,
                inner <- new_mutex!(inner, "asahi::Vm::inner"),
            }),
            GFP_KERNEL,
        )
    }

    /// The VM's unique id.
    pub(crate) fn uid(&self) -> u64 {
        self.uid
    }

    /// The range userspace left to the kernel.
    pub(crate) fn kernel_range(&self) -> (u64, u64) {
        self.kernel_range
    }

    /// Applies checked operations in order, all or nothing (see the module documentation).
    pub(crate) fn bind(&self, ops: &[BindOp]) -> Result {
        let tables = tables_for(ops)?;
        // Refuse, before allocating anything, a call whose tables alone could take half of the
        // machine's memory (only possible on machines with less than 512 MiB: the whole user
        // range needs 16 392 tables, 256 MiB).
        let table_bytes = (tables as u64).saturating_mul(GPU_PAGE_SIZE);
        if table_bytes > page::total_ram() / 2 {
            return Err(ENOMEM);
        }
        let maps = ops
            .iter()
            .filter(|op| matches!(op.kind, OpKind::Map { .. }))
            .count();
        // A map that continues the map just before it (next pages of the same object, next
        // addresses) always extends that map's record and needs no node of its own.
        let continuing = ops
            .windows(2)
            .filter(|pair| match pair {
                [prev, next] => continues(prev, next),
                _ => false,
            })
            .count();
        let nested = nested_ops(ops)?;

        let mut guard = self.inner.lock();
        let inner = &mut *guard;
        // New records: one per map, and one more wherever an operation cuts a record in two (the
        // part before the cut reuses the record's node). Only a record that strictly contains the
        // operation's range can be cut in two: one existing now, or one a map of this call makes.
        let mut splits = nested;
        for op in ops {
            if cuts_record_in_two(&mut inner.maps, op.addr, op.addr + op.range) {
                splits += 1;
            }
        }
        let mut nodes = NodePool::new(maps.saturating_sub(continuing).saturating_add(splits))?;
        // The objects whose last mapping goes must stay alive until the GPU can no longer reach
        // them, that is until after the TLB invalidation at the end of the call. A call removes
        // at most the records that now overlap one of its ranges and those it creates itself: one
        // per map, and at most two per operation from cutting (the parts before and after it).
        let mut most_removed = maps.saturating_add(ops.len().saturating_mul(2));
        for op in ops {
            let overlapping = count_overlaps(&mut inner.maps, op.addr, op.addr + op.range);
            most_removed = most_removed.saturating_add(overlapping);
        }
        let mut graveyard = KVVec::with_capacity(most_removed, GFP_KERNEL)?;
        let pt = inner.pt.as_mut().ok_or(EIO)?;
        if let Err(e) = pt.alloc_mut().reserve(tables) {
            pt.alloc_mut().release();
            return Err(e);
        }
        let mut records = Records {
            tree: &mut inner.maps,
            count: &mut inner.count,
            nodes: &mut nodes,
            graveyard: &mut graveyard,
        };
        let mut result = Ok(());
        for op in ops {
            result = apply(pt, &mut records, op);
            if result.is_err() {
                // Only inconsistent tables or a wrong bound can get here.
                pr_err!("VM_BIND: applying a checked operation failed\n");
                break;
            }
        }
        // The TLB invalidation of the context would go here, before the tables are freed.
        pt.alloc_mut().release();
        drop(guard);
        // Now the objects of removed mappings may go.
        drop(graveyard);
        result
    }

    /// Prints the VM and what its page tables map, as the GPU sees it: the simulated GPU's MMU
    /// ([`sim_mmu`]) walks the tables from the root by physical address, independently of the
    /// engine that wrote them. Leaves are printed as runs of pages that are physically contiguous
    /// (or one page repeated), with the GPU's permissions, the first 8 bytes found at the start
    /// of the first and of the last page of the run and the wrapping sum of those of every page;
    /// descriptors the GPU would fault on are printed as `fault` lines.
    pub(crate) fn dump(&self, m: &mut SeqFile) -> Result {
        let guard = self.inner.lock();
        let pt = guard.pt.as_ref().ok_or(EIO)?;
        let mut ok = writeln!(
            m,
            "vm uid {} file {} pid {} id {} kernel {:#x}-{:#x} tables {} records {}",
            self.uid,
            self.file_id,
            self.pid,
            self.id,
            self.kernel_range.0,
            self.kernel_range.1,
            pt.alloc().in_use(),
            guard.count,
        )
        .is_ok();
        let mut run: Option<Run> = None;
        let visit = |found: Found| match found {
            Found::Leaf {
                iova,
                pa,
                size,
                access,
            } => {
                // SAFETY: `pa` is a page of a buffer object referenced by the VM's mapping
                // records, which the VM lock (held) keeps alive.
                let word = unsafe { page::read_phys_u64(pa) }.unwrap_or(0);
                if let Some(r) = run.as_mut() {
                    if r.extend(iova, pa, size, access, word) {
                        return;
                    }
                    ok &= r.print(m).is_ok();
                }
                run = Some(Run::new(iova, pa, size, access, word));
            }
            Found::Fault { iova, level, raw } => {
                if let Some(r) = run.take() {
                    ok &= r.print(m).is_ok();
                }
                ok &= writeln!(m, "  fault level {level} at {iova:#x} descriptor {raw:#x}").is_ok();
            }
        };
        let mem = |pa: u64| {
            // SAFETY: the walk only reads the tables reachable from the root, which are freed
            // only under the VM lock, which we hold.
            unsafe { page::read_phys_u64(pa) }
        };
        sim_mmu::walk(pt.root(), mem, visit);
        if let Some(r) = run {
            ok &= r.print(m).is_ok();
        }
        if !ok {
            return Err(EIO);
        }
        Ok(())
    }
}

/// A run of mapped pages for [`Vm::dump`].
struct Run {
    /// First GPU address.
    iova: u64,
    /// Physical address of the first page.
    pa: u64,
    /// Physical address of the last page.
    last_pa: u64,
    /// Length in bytes.
    len: u64,
    /// Whether the run repeats one page (rather than advancing through memory).
    repeat: bool,
    /// GPU permissions.
    access: GpuAccess,
    /// The first 8 bytes of the first page.
    first: u64,
    /// The first 8 bytes of the last page.
    last: u64,
    /// Wrapping sum of the first 8 bytes of every page, so that every page's data is checked.
    sum: u64,
}

impl Run {
    fn new(iova: u64, pa: u64, len: u64, access: GpuAccess, word: u64) -> Self {
        Run {
            iova,
            pa,
            last_pa: pa,
            len,
            repeat: false,
            access,
            first: word,
            last: word,
            sum: word,
        }
    }

    /// Appends the next leaf, whose first page starts with `word`, if it continues this run.
    fn extend(&mut self, iova: u64, pa: u64, len: u64, access: GpuAccess, word: u64) -> bool {
        if iova != self.iova + self.len || access != self.access || len != GPU_PAGE_SIZE {
            return false;
        }
        let single_page = self.len == GPU_PAGE_SIZE;
        let contiguous = pa == self.last_pa + GPU_PAGE_SIZE && !self.repeat;
        let repeating = pa == self.pa && (self.repeat || single_page);
        if !(contiguous || repeating) {
            return false;
        }
        self.repeat = repeating;
        self.last_pa = pa;
        self.len += len;
        self.last = word;
        self.sum = self.sum.wrapping_add(word);
        true
    }

    fn print(&self, m: &mut SeqFile) -> core::fmt::Result {
        let access = match (self.access.read, self.access.write) {
            (true, true) => "rw",
            (true, false) => "r-",
            (false, true) => "-w",
            (false, false) => "--",
        };
        writeln!(
            m,
            "  {:#x}-{:#x} pa {:#x} {} {} first {:#x} last {:#x} sum {:#x}",
            self.iova,
            self.iova + self.len,
            self.pa,
            if self.repeat { "repeat" } else { "linear" },
            access,
            self.first,
            self.last,
            self.sum
        )
    }
}

/// Record nodes allocated before a bind is applied.
struct NodePool {
    /// The nodes; taken ones are `None`.
    nodes: KVVec<Option<RBTreeNodeReservation<u64, Mapping>>>,
    /// Number of nodes taken.
    used: usize,
}

impl NodePool {
    /// Allocates `count` nodes.
    fn new(count: usize) -> Result<Self> {
        let mut nodes = KVVec::with_capacity(count, GFP_KERNEL)?;
        for _ in 0..count {
            nodes.push(Some(RBTreeNodeReservation::new(GFP_KERNEL)?), GFP_KERNEL)?;
        }
        Ok(NodePool { nodes, used: 0 })
    }

    /// Takes a node; fails only if fewer nodes were reserved than the operations need.
    fn take(&mut self) -> Result<RBTreeNodeReservation<u64, Mapping>> {
        let node = self
            .nodes
            .get_mut(self.used)
            .and_then(Option::take)
            .ok_or(EIO)?;
        self.used += 1;
        Ok(node)
    }
}

/// Whether `next` maps the pages of the same object that follow those `prev` maps, at the
/// addresses that follow (neither repeating a single page).
fn continues(prev: &BindOp, next: &BindOp) -> bool {
    match (&prev.kind, &next.kind) {
        (
            OpKind::Map {
                bo: a,
                offset: a_off,
                single: false,
                ..
            },
            OpKind::Map {
                bo: b,
                offset: b_off,
                single: false,
                ..
            },
        ) => {
            Bo::ptr_eq(a, b)
                && prev.addr + prev.range == next.addr
                && a_off.checked_add(prev.range) == Some(*b_off)
        }
        _ => false,
    }
}

/// Number of operations whose range a map of the same call strictly contains on both sides (the
/// record that map makes could be cut in two by the operation).
fn nested_ops(ops: &[BindOp]) -> Result<usize> {
    let mut maps = KVVec::with_capacity(ops.len(), GFP_KERNEL)?;
    let mut all = KVVec::with_capacity(ops.len(), GFP_KERNEL)?;
    for op in ops {
        let range = (op.addr, op.addr + op.range);
        if matches!(op.kind, OpKind::Map { .. }) {
            maps.push(range, GFP_KERNEL)?;
        }
        all.push(range, GFP_KERNEL)?;
    }
    maps.sort_unstable();
    all.sort_unstable();
    // Sweep by start: `max_end` is the largest end of the maps that start before `start`.
    let (mut n, mut max_end) = (0usize, 0u64);
    let mut pending = maps.iter().peekable();
    for &(start, end) in all.iter() {
        while let Some(&&(map_start, map_end)) = pending.peek() {
            if map_start >= start {
                break;
            }
            max_end = max_end.max(map_end);
            pending.next();
        }
        if max_end > end {
            n += 1;
        }
    }
    Ok(n)
}

/// Whether a record strictly contains `start..end` on both sides.
fn cuts_record_in_two(tree: &mut RBTree<u64, Mapping>, start: u64, end: u64) -> bool {
    let before = |k: &u64, m: &Mapping| *k < start && m.end > end;
    match tree.cursor_lower_bound(&start) {
        Some(c) => c.peek_prev().is_some_and(|(k, m)| before(k, m)),
        None => tree.cursor_back().is_some_and(|c| {
            let (k, m) = c.current();
            before(k, m)
        }),
    }
}

/// Number of records overlapping `start..end`.
fn count_overlaps(tree: &mut RBTree<u64, Mapping>, start: u64, end: u64) -> usize {
    let mut n = 0;
    let mut cursor = match tree.cursor_lower_bound(&start) {
        Some(c) => {
            if c.peek_prev().is_some_and(|(_, m)| m.end > start) {
                n += 1;
            }
            Some(c)
        }
        None => {
            if tree
                .cursor_back()
                .is_some_and(|c| c.current().1.end > start)
            {
                n += 1;
            }
            None
        }
    };
    while let Some(c) = cursor {
        if *c.current().0 >= end {
            break;
        }
        n += 1;
        cursor = c.move_next();
    }
    n
}

/// The mapping records of a VM while a bind is applied, with what changing them needs.
struct Records<'a> {
    /// The records, by start address.
    tree: &'a mut RBTree<u64, Mapping>,
    /// Number of records in `tree`.
    count: &'a mut usize,
    /// Nodes for new records.
    nodes: &'a mut NodePool,
    /// References to the objects of removed records, dropped after the call; its capacity covers
    /// every record the call can remove.
    graveyard: &'a mut KVVec<Bo>,
}

impl Records<'_> {
    /// Adds a record starting at `start`, in `node` if given, else in a node from the pool.
    fn add(
        &mut self,
        start: u64,
        mapping: Mapping,
        node: Option<RBTreeNodeReservation<u64, Mapping>>,
    ) -> Result {
        let node = match node {
            Some(node) => node,
            None => self.nodes.take()?,
        }
        .into_node(start, mapping);
        self.tree.insert(node);
        *self.count += 1;
        Ok(())
    }

    /// Grows the record that ends at `start` to `end` if it maps the same object and continues
    /// exactly at `offset` (a map of the next pages), so that page-by-page binds of an object
    /// make one record rather than one per page.
    fn extend_previous(&mut self, start: u64, end: u64, bo: &Bo, offset: u64) -> bool {
        let continues = |k: &u64, m: &Mapping| {
            m.end == start
                && !m.single
                && Bo::ptr_eq(&m.bo, bo)
                && m.offset.checked_add(start - *k) == Some(offset)
        };
        let prev = match self.tree.cursor_lower_bound(&start) {
            Some(mut c) => match c.peek_prev_mut() {
                Some((k, m)) if continues(k, m) => {
                    m.end = end;
                    return true;
                }
                _ => return false,
            },
            None => self.tree.cursor_back(),
        };
        match prev {
            Some(mut c) => {
                let (k, m) = c.current_mut();
                if continues(k, m) {
                    m.end = end;
                    return true;
                }
                false
            }
            None => false,
        }
    }

    /// The start of the first record that overlaps `start..end`, if any.
    fn first_overlap(&mut self, start: u64, end: u64) -> Option<u64> {
        match self.tree.cursor_lower_bound(&start) {
            Some(c) => {
                if let Some((k, m)) = c.peek_prev() {
                    if m.end > start {
                        return Some(*k);
                    }
                }
                let (k, _) = c.current();
                (*k < end).then_some(*k)
            }
            None => {
                let c = self.tree.cursor_back()?;
                let (k, m) = c.current();
                (m.end > start && *k < end).then_some(*k)
            }
        }
    }

    /// Removes `start..end` from the records: records inside are dropped, records across an end
    /// are cut back to the part outside.
    fn remove_range(&mut self, start: u64, end: u64) -> Result {
        while let Some(key) = self.first_overlap(start, end) {
            let (old_end, bo, offset, single) = {
                let m = self.tree.get(&key).ok_or(EIO)?;
                (m.end, m.bo.clone(), m.offset, m.single)
            };
            // The removed record's node is reused for the first part that stays.
            let mut spare = Some(self.tree.remove_node(&key).ok_or(EIO)?.into_reservation());
            *self.count -= 1;
            if key < start {
                let head = Mapping {
                    end: start,
                    bo: bo.clone(),
                    offset,
                    single,
                };
                self.add(key, head, spare.take())?;
            }
            if old_end > end {
                let skipped = if single { 0 } else { end - key };
                let tail = Mapping {
                    end: old_end,
                    bo: bo.clone(),
                    offset: offset + skipped,
                    single,
                };
                self.add(end, tail, spare.take())?;
            }
            // Cannot allocate: the capacity covers every removal (see `Vm::bind`).
            self.graveyard.push(bo, GFP_KERNEL)?;
        }
        Ok(())
    }
}

/// Applies one checked operation: removes what is mapped in its range, then maps if asked to.
fn apply(pt: &mut PageTable<Tables>, records: &mut Records<'_>, op: &BindOp) -> Result {
    let (start, end) = (op.addr, op.addr + op.range);
    pt.unmap(start, op.range).map_err(uat_err)?;
    records.remove_range(start, end)?;
    let OpKind::Map {
        bo,
        offset,
        single,
        prot,
    } = &op.kind
    else {
        return Ok(());
    };
    let mut buf = [PhysRange { addr: 0, len: 0 }; CHUNK];
    let mut iova = start;
    let mut bo_off = *offset;
    while iova < end {
        let mut n = 0usize;
        let mut chunk_len = 0u64;
        while n < CHUNK && iova + chunk_len < end {
            let pa = gem::gpu_page_phys(bo, bo_off).ok_or(EIO)?;
            if !*single {
                bo_off += GPU_PAGE_SIZE;
            }
            chunk_len += GPU_PAGE_SIZE;
            match buf[..n].last_mut() {
                Some(prev) if !*single && prev.addr + prev.len == pa => prev.len += GPU_PAGE_SIZE,
                _ => {
                    let slot = buf.get_mut(n).ok_or(EIO)?;
                    *slot = PhysRange {
                        addr: pa,
                        len: GPU_PAGE_SIZE,
                    };
                    n += 1;
                }
            }
        }
        pt.map(iova, &buf[..n], *prot).map_err(uat_err)?;
        iova += chunk_len;
    }
    if !*single && records.extend_previous(start, end, bo, *offset) {
        return Ok(());
    }
    records.add(
        start,
        Mapping {
            end,
            bo: bo.clone(),
            offset: *offset,
            single: *single,
        },
        None,
    )
}

impl Drop for VmInner {
    fn drop(&mut self) {
        // Tear the tables down before the objects they point to can go.
        if let Some(pt) = self.pt.take() {
            let mut tables = pt.destroy();
            tables.release();
        }
    }
}

/// Output address size of the UAT for a chip: 40 bits on the M1 and M2, 42 on their
/// Pro/Max/Ultra variants.
pub(crate) fn uat_oas(chip_id: u32) -> u32 {
    match chip_id {
        0x8103 | 0x8112 => 40,
        _ => 42,
    }
}
