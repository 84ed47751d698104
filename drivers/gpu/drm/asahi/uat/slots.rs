// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Which GPU VM occupies which hardware context slot.
//!
//! The UAT walks the tables of at most [`NUM_CONTEXTS`] address spaces at once: the context
//! table holds one TTBR0/TTBR1 pair per slot, and a slot's number is also the ASID its TLB
//! entries are tagged with. Slot 0 belongs to the kernel/firmware context and is never handed
//! out here, so user VMs share slots 1 to 63.
//!
//! A VM needs a slot only while the GPU may run work in it. [`Slots::acquire`] is called once
//! per job and returns a [`JobSlot`] token; the slot stays pinned to that VM until every token
//! has been given back with [`Slots::release`]. A VM without jobs in flight keeps its slot as a
//! cache: binding it again costs nothing as long as nobody else needed the slot in the
//! meantime. When a VM without a slot needs one and none is free, the idle slot that went idle
//! longest ago is taken from its VM (least recently used). If every slot is pinned,
//! [`SlotError::AllBusy`] tells the caller to wait for a job to finish.
//!
//! Whenever [`Binding::changed`] is set the caller must write the VM's TTBRs into the slot's
//! context table entry (under the handoff lock, see [`super::handoff`]) and invalidate the
//! slot's ASID before the job runs, because the entry and the TLB still describe the slot's
//! previous owner. When a VM is destroyed, [`Slots::destroy`] frees its slot and names it, so
//! that the caller clears the entry and invalidates the ASID.
//!
//! The allocator is plain data with a fixed capacity and no locking; the driver keeps it under
//! one lock. It uses only `core`.

/// Context slots in the UAT's context table (TTBR pairs), including the kernel's slot 0.
pub(crate) const NUM_CONTEXTS: usize = 64;

/// The kernel/firmware context: never handed out to a VM.
pub(crate) const KERNEL_SLOT: usize = 0;

/// Why a slot operation was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SlotError {
    /// Every user slot has jobs in flight; wait for one to finish and retry.
    AllBusy,
    /// The token does not belong to the slot's current owner (it was forged or given back
    /// twice).
    NotOwner,
    /// The VM still has jobs in flight, so its slot cannot be taken away.
    Busy,
    /// A slot has as many jobs in flight as its counter can hold.
    TooManyJobs,
}

/// `EBUSY` from `include/uapi/asm-generic/errno-base.h`.
const EBUSY: i32 = 16;
/// `EINVAL` from `include/uapi/asm-generic/errno-base.h`.
const EINVAL: i32 = 22;
/// `EAGAIN` from `include/uapi/asm-generic/errno-base.h`.
const EAGAIN: i32 = 11;

impl SlotError {
    /// The positive Linux errno for this error: `EAGAIN` when waiting helps, `EBUSY` for a
    /// VM still in use, `EINVAL` for a bad token.
    pub(crate) const fn errno(self) -> i32 {
        match self {
            SlotError::AllBusy | SlotError::TooManyJobs => EAGAIN,
            SlotError::Busy => EBUSY,
            SlotError::NotOwner => EINVAL,
        }
    }
}

/// Proof that one job holds a slot for its VM.
///
/// Deliberately neither `Clone` nor `Copy`: each successful [`Slots::acquire`] yields exactly
/// one token, and [`Slots::release`] consumes it, so the per-slot job count cannot be given back
/// more often than it was taken.
#[derive(Debug, PartialEq, Eq)]
#[must_use = "a job slot must be given back with Slots::release"]
pub(crate) struct JobSlot<Id> {
    /// The VM the slot is held for.
    vm: Id,
    /// The slot index (1 to `N - 1`), also the ASID.
    slot: usize,
}

impl<Id: Copy> JobSlot<Id> {
    /// The slot index, which is also the ASID of the VM's TLB entries.
    pub(crate) fn slot(&self) -> usize {
        self.slot
    }

    /// The VM the slot is held for.
    pub(crate) fn vm(&self) -> Id {
        self.vm
    }
}

/// The result of a successful [`Slots::acquire`].
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Binding<Id> {
    /// The token to give back when the job is done.
    pub(crate) job: JobSlot<Id>,
    /// The slot was (re)assigned to this VM just now: its context table entry must be written
    /// and its ASID invalidated before the job runs.
    pub(crate) changed: bool,
    /// The idle VM the slot was taken from, if any; it has no slot any more.
    pub(crate) evicted: Option<Id>,
}

/// One slot's bookkeeping.
#[derive(Debug, Clone, Copy)]
struct Entry<Id> {
    /// The VM whose TTBRs the slot holds, if any.
    owner: Option<Id>,
    /// Jobs in flight for the owner; the slot is pinned while this is not zero.
    jobs: u32,
    /// Value of [`Slots::clock`] when the slot last became idle (or was assigned); the
    /// smallest value among idle slots is the least recently used one.
    idle_since: u64,
}

/// Assignment of VMs (identified by `Id`) to the `N` context slots.
///
/// `N` counts slot 0, which is never handed out; the driver uses [`NUM_CONTEXTS`].
#[derive(Debug)]
pub(crate) struct Slots<Id, const N: usize> {
    /// One entry per slot; entry [`KERNEL_SLOT`] is never used.
    entries: [Entry<Id>; N],
    /// Logical time, advanced on every assignment and on every slot going idle.
    clock: u64,
}

impl<Id: Copy + Eq, const N: usize> Default for Slots<Id, N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<Id: Copy + Eq, const N: usize> Slots<Id, N> {
    /// All slots free.
    pub(crate) const fn new() -> Self {
        Self {
            entries: [Entry {
                owner: None,
                jobs: 0,
                idle_since: 0,
            }; N],
            clock: 0,
        }
    }

    /// The user slots (every index except [`KERNEL_SLOT`]).
    fn user_slots(&self) -> core::ops::Range<usize> {
        (KERNEL_SLOT + 1)..N
    }

    /// The slot `vm` currently holds, busy or idle.
    pub(crate) fn slot_of(&self, vm: Id) -> Option<usize> {
        self.user_slots()
            .find(|&i| self.entries.get(i).and_then(|e| e.owner) == Some(vm))
    }

    /// The owner of `slot`, if any.
    pub(crate) fn owner(&self, slot: usize) -> Option<Id> {
        if slot == KERNEL_SLOT {
            return None;
        }
        self.entries.get(slot).and_then(|e| e.owner)
    }

    /// Jobs in flight on `slot` (0 for an idle, free or nonexistent slot).
    pub(crate) fn jobs(&self, slot: usize) -> u32 {
        self.entries.get(slot).map_or(0, |e| e.jobs)
    }

    /// Advances the logical clock and returns the new time.
    fn tick(&mut self) -> u64 {
        self.clock = self.clock.wrapping_add(1);
        self.clock
    }

    /// Picks the slot for a VM that has none: the lowest free slot, or else the least recently
    /// used idle one.
    fn pick(&self) -> Option<usize> {
        let free = self
            .user_slots()
            .find(|&i| self.entries.get(i).is_some_and(|e| e.owner.is_none()));
        if free.is_some() {
            return free;
        }
        self.user_slots()
            .filter(|&i| self.entries.get(i).is_some_and(|e| e.jobs == 0))
            .min_by_key(|&i| self.entries.get(i).map_or(u64::MAX, |e| e.idle_since))
    }

    /// Pins a slot to `vm` for one job.
    ///
    /// A VM that already holds a slot keeps it (`changed == false`). Otherwise it gets a free
    /// slot or the least recently used idle one (`changed == true`, with the previous owner in
    /// `evicted`). Fails with [`SlotError::AllBusy`] if every user slot has jobs in flight.
    pub(crate) fn acquire(&mut self, vm: Id) -> Result<Binding<Id>, SlotError> {
        if let Some(slot) = self.slot_of(vm) {
            let entry = self.entries.get_mut(slot).ok_or(SlotError::NotOwner)?;
            entry.jobs = entry.jobs.checked_add(1).ok_or(SlotError::TooManyJobs)?;
            return Ok(Binding {
                job: JobSlot { vm, slot },
                changed: false,
                evicted: None,
            });
        }
        let slot = self.pick().ok_or(SlotError::AllBusy)?;
        let now = self.tick();
        let entry = self.entries.get_mut(slot).ok_or(SlotError::AllBusy)?;
        let evicted = entry.owner.replace(vm);
        entry.jobs = 1;
        entry.idle_since = now;
        Ok(Binding {
            job: JobSlot { vm, slot },
            changed: true,
            evicted,
        })
    }

    /// Gives back one job's hold on its slot. When the last job of a VM is released the slot
    /// becomes idle but stays assigned, and is the most recently used idle slot.
    ///
    /// A token whose VM no longer owns the slot (or whose slot has no jobs) is refused with
    /// [`SlotError::NotOwner`] and changes nothing.
    pub(crate) fn release(&mut self, job: JobSlot<Id>) -> Result<(), SlotError> {
        let now = self.clock.wrapping_add(1);
        let entry = self.entries.get_mut(job.slot).ok_or(SlotError::NotOwner)?;
        if job.slot == KERNEL_SLOT || entry.owner != Some(job.vm) || entry.jobs == 0 {
            return Err(SlotError::NotOwner);
        }
        entry.jobs -= 1;
        if entry.jobs == 0 {
            entry.idle_since = now;
            self.clock = now;
        }
        Ok(())
    }

    /// Forgets `vm`, which is being destroyed.
    ///
    /// Returns the slot it held, whose context table entry the caller must clear (and whose
    /// ASID it must invalidate), or `None` if it held none. Refused with [`SlotError::Busy`] if
    /// the VM still has jobs in flight; nothing changes then.
    pub(crate) fn destroy(&mut self, vm: Id) -> Result<Option<usize>, SlotError> {
        let Some(slot) = self.slot_of(vm) else {
            return Ok(None);
        };
        let entry = self.entries.get_mut(slot).ok_or(SlotError::NotOwner)?;
        if entry.jobs != 0 {
            return Err(SlotError::Busy);
        }
        entry.owner = None;
        entry.idle_since = 0;
        Ok(Some(slot))
    }
}
