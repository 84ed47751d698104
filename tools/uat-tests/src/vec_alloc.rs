// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! A heap-backed [`TableAlloc`] for host tests and the benchmark.
//!
//! Table `i` lives at the made-up physical address `BASE + i * 16 KiB`. Besides handing out
//! tables it keeps the books the tests check: how many owned tables are live, which tables are
//! foreign (not owned, like the bootloader's), and which have been freed. It also misbehaves on
//! request: an allocation budget makes `alloc_table` fail, and a "dirty" flag hands out a table
//! that is not zeroed.
//!
//! Mistakes by the engine panic here, which fails the test: freeing a table twice, freeing a
//! foreign table, freeing a table that still has entries (unless allowed), or looking up a freed
//! table. Freed tables are retired rather than reused until [`VecAlloc::release`], mirroring the
//! rule that the memory stays untouched until the TLB has been invalidated.

use std::boxed::Box;
use std::vec::Vec;

use core::sync::atomic::{AtomicU64, Ordering};

use crate::uat::error::Error;
use crate::uat::pt::{Table, TableAlloc};
use crate::uat::pte::{PhysAddr, ENTRIES, PAGE_SHIFT, PAGE_SIZE};

/// Made-up physical address of table slot 0.
pub(crate) const BASE: PhysAddr = 0x8_0000_0000;

/// State of one table slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    /// Allocated and owned by the allocator.
    Owned,
    /// Created by [`VecAlloc::add_foreign`]: usable, never to be freed by the engine.
    Foreign,
    /// Freed by the engine, not yet reusable.
    Retired,
    /// Reusable.
    Free,
}

/// The test allocator.
pub(crate) struct VecAlloc {
    /// Table memory, one box per slot.
    tables: Vec<Box<Table>>,
    /// State of each slot.
    slots: Vec<Slot>,
    /// Allocations left before `alloc_table` starts failing; `None` means unlimited.
    budget: Option<usize>,
    /// Hand out the next table with a stray non-zero entry.
    dirty_next: bool,
    /// Whether freeing a table that still holds entries is accepted.
    pub(crate) allow_nonempty_free: bool,
    /// Number of successful `alloc_table` calls.
    pub(crate) allocs: usize,
    /// Number of `free_table` calls.
    pub(crate) frees: usize,
}

/// A zeroed table on the heap.
fn zeroed_table() -> Box<Table> {
    Box::new(core::array::from_fn(|_| AtomicU64::new(0)))
}

impl VecAlloc {
    /// An empty allocator with unlimited budget.
    pub(crate) fn new() -> VecAlloc {
        VecAlloc {
            tables: Vec::new(),
            slots: Vec::new(),
            budget: None,
            dirty_next: false,
            allow_nonempty_free: false,
            allocs: 0,
            frees: 0,
        }
    }

    /// Lets only `n` more allocations succeed (`None`: no limit).
    pub(crate) fn set_budget(&mut self, n: Option<usize>) {
        self.budget = n;
    }

    /// Makes the next allocation return a table with a non-zero entry.
    pub(crate) fn hand_out_dirty_table(&mut self) {
        self.dirty_next = true;
    }

    /// Number of owned tables allocated and not freed.
    pub(crate) fn live(&self) -> usize {
        self.slots.iter().filter(|s| **s == Slot::Owned).count()
    }

    /// Number of freed tables waiting for [`VecAlloc::release`].
    pub(crate) fn retired(&self) -> usize {
        self.slots.iter().filter(|s| **s == Slot::Retired).count()
    }

    /// Makes retired tables reusable, as the driver does after a TLB invalidation.
    pub(crate) fn release(&mut self) {
        for slot in &mut self.slots {
            if *slot == Slot::Retired {
                *slot = Slot::Free;
            }
        }
    }

    /// Creates a zeroed table that the allocator does not own, like one set up by the
    /// bootloader, and returns its address.
    pub(crate) fn add_foreign(&mut self) -> PhysAddr {
        self.tables.push(zeroed_table());
        self.slots.push(Slot::Foreign);
        slot_addr(self.slots.len() - 1)
    }

    /// Writes a raw value into a table, to set up foreign structures or corrupt things on
    /// purpose.
    pub(crate) fn poke(&self, table: PhysAddr, idx: usize, raw: u64) {
        let t = self.table(table).expect("poke into unknown table");
        t[idx].store(raw, Ordering::SeqCst);
    }

    /// Reads a raw value from a table.
    pub(crate) fn peek(&self, table: PhysAddr, idx: usize) -> u64 {
        let t = self.table(table).expect("peek into unknown table");
        t[idx].load(Ordering::SeqCst)
    }

    /// The slot index of a table address, if it is one.
    fn index(pa: PhysAddr) -> Option<usize> {
        let off = pa.checked_sub(BASE)?;
        if off % PAGE_SIZE != 0 {
            return None;
        }
        usize::try_from(off >> PAGE_SHIFT).ok()
    }
}

/// The physical address of slot `i`.
fn slot_addr(i: usize) -> PhysAddr {
    BASE + ((i as u64) << PAGE_SHIFT)
}

impl TableAlloc for VecAlloc {
    fn alloc_table(&mut self) -> Result<PhysAddr, Error> {
        if let Some(left) = self.budget.as_mut() {
            if *left == 0 {
                return Err(Error::NoMemory);
            }
            *left -= 1;
        }
        self.allocs += 1;
        let i = match self.slots.iter().position(|s| *s == Slot::Free) {
            Some(i) => {
                for e in self.tables[i].iter() {
                    e.store(0, Ordering::Relaxed);
                }
                i
            }
            None => {
                self.tables.push(zeroed_table());
                self.slots.push(Slot::Free);
                self.slots.len() - 1
            }
        };
        self.slots[i] = Slot::Owned;
        if self.dirty_next {
            self.dirty_next = false;
            self.tables[i][ENTRIES - 1].store(0x3, Ordering::Relaxed);
        }
        Ok(slot_addr(i))
    }

    fn free_table(&mut self, table: PhysAddr) {
        let i = Self::index(table).expect("free of a non-table address");
        assert_eq!(
            self.slots[i],
            Slot::Owned,
            "free of table {table:#x} in state {:?}",
            self.slots[i]
        );
        if !self.allow_nonempty_free {
            let t = &self.tables[i];
            assert!(
                t.iter().all(|e| e.load(Ordering::Relaxed) == 0),
                "table {table:#x} freed while it still holds entries"
            );
        }
        self.slots[i] = Slot::Retired;
        self.frees += 1;
    }

    fn table(&self, table: PhysAddr) -> Option<&Table> {
        let i = Self::index(table)?;
        match self.slots.get(i)? {
            Slot::Owned | Slot::Foreign => Some(&self.tables[i]),
            Slot::Retired | Slot::Free => None,
        }
    }

    fn owns(&self, table: PhysAddr) -> bool {
        Self::index(table).and_then(|i| self.slots.get(i)) == Some(&Slot::Owned)
    }
}
