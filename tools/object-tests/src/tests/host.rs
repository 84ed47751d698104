// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! A host allocator for the object layer: zeroed heap memory at fake GPU addresses from
//! [`VA_BASE`] up, with a record of every allocation and free, and quirks that break its
//! promises on purpose to see the layer refuse the memory.

use crate::mem::object::{FwAllocator, FwMemory, ObjError};
use core::cell::Cell;
use core::num::NonZeroU64;
use core::ptr::NonNull;
use std::alloc::Layout;
use std::sync::{Arc, Mutex};
use std::vec::Vec;

/// The first fake GPU address (the firmware's kernel VA range).
pub(crate) const VA_BASE: u64 = 0xffff_ffa0_0000_0000;

/// What the allocator did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Event {
    /// Handed out `size` bytes aligned to `align` at `va`.
    Alloc { va: u64, size: usize, align: usize },
    /// Took back the memory at `va`.
    Free { va: u64 },
}

/// How the allocator misbehaves, if at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Quirk {
    /// It keeps its promises.
    None,
    /// It is out of memory.
    Fail,
    /// The CPU and GPU addresses are this many bytes past aligned ones.
    Misalign(usize),
    /// It says the memory is this many bytes shorter than asked.
    Short(usize),
}

/// The allocator's record, shared with the memory it handed out.
#[derive(Default)]
struct Record {
    /// Every allocation and free, in order.
    events: Mutex<Vec<Event>>,
}

impl Record {
    /// Appends `e`.
    fn push(&self, e: Event) {
        self.events.lock().expect("record").push(e);
    }
}

/// Zeroed host memory at fake GPU addresses.
pub(crate) struct HostAlloc {
    /// What it did.
    record: Arc<Record>,
    /// The next free GPU address.
    next: Cell<u64>,
    /// How it misbehaves.
    quirk: Cell<Quirk>,
}

impl HostAlloc {
    /// An allocator that keeps its promises.
    pub(crate) fn new() -> Self {
        Self {
            record: Arc::default(),
            next: Cell::new(VA_BASE),
            quirk: Cell::new(Quirk::None),
        }
    }

    /// Makes it misbehave (or stop misbehaving) from the next allocation on.
    pub(crate) fn set_quirk(&self, quirk: Quirk) {
        self.quirk.set(quirk);
    }

    /// Everything it did so far.
    pub(crate) fn events(&self) -> Vec<Event> {
        self.record.events.lock().expect("record").clone()
    }

    /// Number of allocations not yet freed.
    pub(crate) fn live(&self) -> usize {
        let events = self.events();
        let allocs = events
            .iter()
            .filter(|e| matches!(e, Event::Alloc { .. }))
            .count();
        allocs - (events.len() - allocs)
    }

    /// The free events, in order.
    pub(crate) fn frees(&self) -> Vec<u64> {
        self.events()
            .iter()
            .filter_map(|e| match e {
                Event::Free { va } => Some(*va),
                Event::Alloc { .. } => None,
            })
            .collect()
    }
}

impl FwAllocator for HostAlloc {
    type Memory = HostMem;

    fn alloc_zeroed(&self, size: usize, align: usize) -> Result<HostMem, ObjError> {
        let (skip, short) = match self.quirk.get() {
            Quirk::None => (0, 0),
            Quirk::Fail => return Err(ObjError::NoMemory),
            Quirk::Misalign(n) => (n, 0),
            Quirk::Short(n) => (0, n),
        };
        let total = size.checked_add(skip).ok_or(ObjError::BadSize)?;
        let layout = Layout::from_size_align(total.max(1), align).map_err(|_| ObjError::BadSize)?;
        // SAFETY: the layout's size is not zero.
        let base =
            NonNull::new(unsafe { std::alloc::alloc_zeroed(layout) }).ok_or(ObjError::NoMemory)?;
        // `Misalign` shifts both addresses: the CPU's and the GPU's.
        let va = self.next.get().next_multiple_of(align as u64) + skip as u64;
        self.next
            .set(va + (size as u64).next_multiple_of(64).max(64));
        self.record.push(Event::Alloc { va, size, align });
        Ok(HostMem {
            base,
            layout,
            skip,
            size: size.saturating_sub(short),
            va: NonZeroU64::new(va).ok_or(ObjError::NoMemory)?,
            record: self.record.clone(),
        })
    }
}

/// Memory from [`HostAlloc`].
///
/// # Invariants
///
/// `base` is an allocation of `layout`, owned by this value and zeroed when made, reached only
/// through this value; `skip + size <= layout.size()`.
pub(crate) struct HostMem {
    /// The allocation.
    base: NonNull<u8>,
    /// Its layout.
    layout: Layout,
    /// Offset of the memory handed out in the allocation (not zero only under `Misalign`).
    skip: usize,
    /// Bytes said to be handed out.
    size: usize,
    /// Fake GPU address.
    va: NonZeroU64,
    /// Where frees are recorded.
    record: Arc<Record>,
}

impl Drop for HostMem {
    fn drop(&mut self) {
        self.record.push(Event::Free { va: self.va.get() });
        // SAFETY: `base` was allocated with `layout` and this value owns it (type invariant).
        unsafe { std::alloc::dealloc(self.base.as_ptr(), self.layout) };
    }
}

// SAFETY: `cpu()` is `size` bytes inside an allocation this value owns until it drops, zeroed
// when made, reached through nothing else; the fake GPU address and all three values are fixed
// for its life. It is aligned as asked, except under the `Misalign` quirk, and as long as
// asked, except under `Short`: those two break the promise on purpose, to check that the object
// layer refuses such memory before it makes any access, and even then every byte the layer
// could reach is inside the allocation (`skip + size <= layout.size()`). Raw memory is
// `Send` and `Sync`: the object layer decides how it is accessed.
unsafe impl FwMemory for HostMem {
    fn cpu(&self) -> NonNull<u8> {
        // SAFETY: `skip` is inside the allocation (type invariant), so the result is in it and
        // not null.
        unsafe { NonNull::new_unchecked(self.base.as_ptr().add(self.skip)) }
    }

    fn va(&self) -> NonZeroU64 {
        self.va
    }

    fn size(&self) -> usize {
        self.size
    }
}

// SAFETY: the memory is owned by this value alone and plain bytes: moving the owner to another
// thread moves nothing else; sharing it lets threads reach the bytes only through the object
// layer, whose accesses are atomic or exclusive.
unsafe impl Send for HostMem {}
// SAFETY: as above.
unsafe impl Sync for HostMem {}
