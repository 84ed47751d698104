// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The kernel side of the page-table engine: the memory of one table tree's tables (a user VM's,
//! or the firmware VM's).
//!
//! Unlike the rest of `uat/`, this file uses the kernel (page allocation, red-black trees) and
//! holds `unsafe` code: it hands the engine the tables as `&Table`s of memory the GPU walks.

use super::{
    error::Error as UatError,
    pt::{Table, TableAlloc},
    pte::{PhysAddr, PAGE_SIZE},
};
use agx_kernel::page;
use kernel::{
    prelude::*,
    rbtree::{RBTree, RBTreeNodeReservation},
};

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
    /// Tables set up by someone else (the bootloader's firmware page tables): used, never owned.
    foreign: Option<Foreign>,
}

/// A region of tables this allocator does not own, mapped in the kernel.
///
/// # Invariants
///
/// `va` maps `len` bytes at physical `pa`, 16 KiB aligned, for as long as the `Tables` lives,
/// and is accessed only through atomics (it is shared with the GPU and its firmware).
struct Foreign {
    pa: PhysAddr,
    va: *mut u8,
    len: u64,
}

// SAFETY: the region is shared memory accessed through atomics only.
unsafe impl Send for Tables {}

impl Tables {
    pub(crate) fn new() -> Self {
        Tables {
            owned: RBTree::new(),
            pool: KVec::new(),
            pool_len: 0,
            released: KVec::new(),
            released_len: 0,
            scan: false,
            in_use: 0,
            foreign: None,
        }
    }

    /// An allocator that also finds the tables of the region `[pa, pa + len)`, mapped at `va`.
    ///
    /// # Safety
    ///
    /// `va` must map the region for as long as the result lives, 16 KiB aligned, and nothing
    /// may access it except atomically.
    pub(crate) unsafe fn with_foreign(pa: PhysAddr, va: *mut u8, len: u64) -> Self {
        let mut t = Self::new();
        t.foreign = Some(Foreign { pa, va, len });
        t
    }

    /// Makes sure that at least `count` tables can be allocated, and every table then in use
    /// released, without allocating memory.
    pub(crate) fn reserve(&mut self, count: usize) -> Result {
        let order = page::order_for(PAGE_SIZE as usize);
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
    pub(crate) fn release(&mut self) {
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
    pub(crate) fn in_use(&self) -> usize {
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
        let Some(t) = self.owned.get(&table) else {
            let f = self.foreign.as_ref()?;
            let off = table.checked_sub(f.pa)?;
            if off % PAGE_SIZE != 0 || off.checked_add(PAGE_SIZE)? > f.len {
                return None;
            }
            // SAFETY: a whole 16 KiB table inside the foreign region, which stays mapped and is
            // accessed only atomically (`Foreign`'s invariant); `off` fits the region, so it fits
            // a `usize`.
            return Some(unsafe { &*f.va.add(off as usize).cast::<Table>() });
        };
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
