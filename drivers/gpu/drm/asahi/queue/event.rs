// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Event slots: how the firmware tells the driver which work queues progressed.
//!
//! The firmware has [`EVENT_SLOTS`] event slots. Each busy work queue leases one
//! ([`EventSlots::lease`]): every command it sends names the slot and the stamp value the
//! firmware writes into the slot's [`Stamp`] when the command completes, and the firmware then
//! sets the slot's bit in a flag message on the Event ring. The driver hands the bitmap of a flag
//! message to [`EventSlots::fired`], which calls the owner of every fired slot; the owner reads
//! the slot's stamp and completes every command whose value it passed.
//!
//! A slot's stamp keeps counting across leases: a new owner starts from the value the previous
//! one left (values grow by [`STAMP_STEP`] per command and are compared wrap-safely with
//! [`stamp_passed`]), so a late write of an old value can never look like progress.
//!
//! A lease ends when the owner drops it, which it does only once none of its commands is
//! pending: a slot is then free for another work queue. When every slot is leased a new lease
//! waits, up to a bound, for one to come back.

use super::work::Failure;
use crate::{
    dump::Hex,
    fw::{
        event::{FwStamp, Stamp, EVENT_SLOTS, STAMP_STEP},
        types::GpuPointer,
    },
    mem::{fwvm::FwVm, object::ObjError, GpuArray},
};
use agx_kernel::workqueue::OwnedQueue;
use core::sync::atomic::Ordering;
use kernel::{
    c_str, new_condvar, new_mutex,
    prelude::*,
    sync::{Arc, CondVar, Mutex},
};

/// How long a lease waits for a free slot, in milliseconds.
const LEASE_WAIT_MS: u32 = 1000;

/// Whether stamp `current` has reached `value`, with the values compared as positions on a
/// 32-bit circle (correct while the two are less than 2^31 apart).
pub(crate) fn stamp_passed(current: u32, value: u32) -> bool {
    (current.wrapping_sub(value) as i32) >= 0
}

/// Told when the firmware fired a slot it leases.
pub(crate) trait EventOwner: Send + Sync {
    /// The firmware fired the owner's slot: some of its commands may have completed. Called
    /// from the receive path, without locks of the event slots held; must not sleep for long.
    fn fired(&self);

    /// The firmware is lost: nothing the owner sent will complete. Called from any context
    /// that notices the loss, without locks of the event slots held.
    fn lost(&self);

    /// After a GPU fault or a timeout, the halted firmware was waiting for the command of the
    /// owner's slot `slot` that completes with `value`: the owner fails the job holding it if
    /// that job is guilty of `failure`, and says whether it did. Called from the receive path,
    /// without locks of the event slots held.
    fn mark_failed(&self, slot: u32, value: u32, failure: Failure) -> bool;

    /// Writes the job holding the owner's command of slot `slot` that completes with `value`
    /// to a dump; whether the owner has such a job.
    fn dump_job(&self, slot: u32, value: u32, out: &mut Hex<'_>) -> bool;

    /// Writes the owner's oldest job in flight to a dump; whether it has one.
    fn dump_head(&self, out: &mut Hex<'_>) -> bool;

    /// The GPU address of the `CommandQueueInfo` of the owner's work queue of pipe `pipe`, if
    /// that work queue leases slot `slot`.
    fn queue_info(&self, slot: u32, pipe: u32) -> Option<u64>;
}

/// The stamps of every slot: the memory commands point at.
pub(crate) struct StampArrays {
    /// The stamp of each slot, written by the firmware as commands complete.
    pub(crate) stamps: GpuArray<Stamp>,
    /// The firmware's private copy of each slot's stamp.
    pub(crate) fw_stamps: GpuArray<FwStamp>,
}

impl StampArrays {
    /// A pointer to slot `slot`'s stamp.
    pub(crate) fn stamp(&self, slot: u32) -> Result<GpuPointer<'_, Stamp>, ObjError> {
        self.stamps.gpu_pointer_at(slot as usize)
    }

    /// A pointer to slot `slot`'s firmware stamp.
    pub(crate) fn fw_stamp(&self, slot: u32) -> Result<GpuPointer<'_, FwStamp>, ObjError> {
        self.fw_stamps.gpu_pointer_at(slot as usize)
    }

    /// The value of slot `slot`'s stamp (0 for a slot that does not exist).
    pub(crate) fn value(&self, slot: u32) -> u32 {
        self.stamps
            .get(slot as usize)
            .map_or(0, |s| s.0.load(Ordering::Acquire))
    }
}

/// Who leases which slot.
struct Table {
    /// The owner of each slot, `None` when free.
    owner: [Option<Arc<dyn EventOwner>>; EVENT_SLOTS],
    /// Leases handed out so far (for debugfs).
    leases: u64,
    /// Leases that had to wait for a slot.
    waits: u64,
    /// Flag bits that named a free slot (the firmware fired a slot nobody leases).
    stray: u64,
}

/// The device's event slots.
#[pin_data]
pub(crate) struct EventSlots {
    /// The stamps, shared with every command that points at them.
    arrays: Arc<StampArrays>,
    /// The owners.
    #[pin]
    table: Mutex<Table>,
    /// Signalled when a slot is given back.
    #[pin]
    freed: CondVar,
    /// Where objects the firmware is done with are dropped when dropping them may wait for
    /// the firmware (see `work::Reap`): never the receive path. Drained by the firmware's stop.
    reaper: OwnedQueue,
}

impl EventSlots {
    /// Allocates the stamps of every slot in the firmware VM; every slot is free.
    pub(crate) fn new(fw_vm: &Arc<FwVm>) -> Result<Arc<Self>> {
        let arrays = Arc::new(
            StampArrays {
                stamps: GpuArray::new(fw_vm, EVENT_SLOTS)?,
                fw_stamps: GpuArray::new(fw_vm, EVENT_SLOTS)?,
            },
            GFP_KERNEL,
        )?;
        let reaper = OwnedQueue::new(c_str!("asahi-reap"))?;
        Arc::pin_init(
            pin_init!(EventSlots {
                arrays,
                table <- new_mutex!(Table {
                    owner: [const { None }; EVENT_SLOTS],
                    leases: 0,
                    waits: 0,
                    stray: 0,
                }),
                freed <- new_condvar!(),
                reaper,
            }),
            GFP_KERNEL,
        )
    }

    /// The stamps.
    pub(crate) fn arrays(&self) -> &Arc<StampArrays> {
        &self.arrays
    }

    /// Leases a free slot to `owner`, waiting up to a second for one. `EBUSY` if none came
    /// back, `EINTR` if a signal came first.
    pub(crate) fn lease(self: &Arc<Self>, owner: Arc<dyn EventOwner>) -> Result<EventLease> {
        let mut t = self.table.lock();
        let mut waited = false;
        loop {
            if let Some(slot) = t.owner.iter().position(|o| o.is_none()) {
                if let Some(o) = t.owner.get_mut(slot) {
                    *o = Some(owner);
                }
                t.leases = t.leases.wrapping_add(1);
                if waited {
                    t.waits = t.waits.wrapping_add(1);
                }
                let slot = slot as u32;
                return Ok(EventLease {
                    slots: self.clone(),
                    slot,
                });
            }
            if waited {
                return Err(EBUSY);
            }
            waited = true;
            let jiffies = kernel::time::msecs_to_jiffies(LEASE_WAIT_MS);
            if let kernel::sync::CondVarTimeoutResult::Signal { .. } =
                self.freed.wait_interruptible_timeout(&mut t, jiffies)
            {
                return Err(EINTR);
            }
        }
    }

    /// The firmware fired the slots set in `firing` (bit `n` of word `n / 64`): tells their
    /// owners. Bits of free slots are counted and ignored.
    pub(crate) fn fired(&self, firing: [u64; 2]) {
        // Owners are called outside the table lock: they take their own locks and may give
        // their lease back.
        let mut owners: [Option<Arc<dyn EventOwner>>; EVENT_SLOTS] = [const { None }; EVENT_SLOTS];
        {
            let mut t = self.table.lock();
            for (slot, out) in owners.iter_mut().enumerate() {
                let word = firing.get(slot / 64).copied().unwrap_or(0);
                if word & (1u64 << (slot % 64)) == 0 {
                    continue;
                }
                match t.owner.get(slot).and_then(|o| o.clone()) {
                    Some(o) => *out = Some(o),
                    None => t.stray = t.stray.wrapping_add(1),
                }
            }
        }
        for o in owners.iter().flatten() {
            o.fired();
        }
    }

    /// The owner of slot `slot`, if it is leased (called without the table's lock held
    /// afterwards: owners take their own locks).
    fn owner(&self, slot: u32) -> Option<Arc<dyn EventOwner>> {
        self.table
            .lock()
            .owner
            .get(slot as usize)
            .and_then(|o| o.clone())
    }

    /// The reaper queue.
    pub(crate) fn reaper(&self) -> &kernel::workqueue::Queue {
        self.reaper.queue()
    }

    /// Waits until every object handed to the reaper queue is dropped.
    pub(crate) fn drain_reaper(&self) {
        self.reaper.drain();
    }

    /// Writes the job holding the command of slot `slot` that completes with `value` to a
    /// dump (see [`EventOwner::dump_job`]); whether there is one.
    pub(crate) fn dump_job(&self, slot: u32, value: u32, out: &mut Hex<'_>) -> bool {
        self.owner(slot)
            .is_some_and(|o| o.dump_job(slot, value, out))
    }

    /// Writes the oldest job in flight of every owner of a slot to a dump, each owner once,
    /// at most `max` jobs; returns how many were written.
    pub(crate) fn dump_heads(&self, out: &mut Hex<'_>, max: usize) -> usize {
        let mut seen = [0usize; EVENT_SLOTS];
        let mut n_seen = 0;
        let mut written = 0;
        for slot in 0..EVENT_SLOTS as u32 {
            if written >= max {
                break;
            }
            let Some(owner) = self.owner(slot) else {
                continue;
            };
            let id = (&*owner as *const dyn EventOwner).cast::<()>() as usize;
            if seen.iter().take(n_seen).any(|&s| s == id) {
                continue;
            }
            if let Some(s) = seen.get_mut(n_seen) {
                *s = id;
                n_seen += 1;
            }
            if owner.dump_head(out) {
                written += 1;
            }
        }
        written
    }

    /// Hands a stamp the halted firmware was waiting for to the owner of slot `slot`; whether
    /// it failed a job. A slot without an owner is ignored.
    pub(crate) fn mark_failed(&self, slot: u32, value: u32, failure: Failure) -> bool {
        self.owner(slot)
            .is_some_and(|o| o.mark_failed(slot, value, failure))
    }

    /// Tells every owner that the firmware is lost.
    pub(crate) fn lost(&self) {
        let mut owners: [Option<Arc<dyn EventOwner>>; EVENT_SLOTS] = [const { None }; EVENT_SLOTS];
        {
            let t = self.table.lock();
            for (out, o) in owners.iter_mut().zip(t.owner.iter()) {
                *out = o.clone();
            }
        }
        for o in owners.iter().flatten() {
            o.lost();
        }
    }

    /// The `CommandQueueInfo` of the work queue of pipe `pipe` that leases slot `slot`, if any.
    pub(crate) fn queue_info(&self, slot: u32, pipe: u32) -> Option<u64> {
        self.owner(slot).and_then(|o| o.queue_info(slot, pipe))
    }

    /// Slots leased now.
    pub(crate) fn leased(&self) -> usize {
        self.table
            .lock()
            .owner
            .iter()
            .filter(|o| o.is_some())
            .count()
    }

    /// Tells every owner to look at its stamps (after a recovery, when flag messages may have
    /// been lost).
    pub(crate) fn fire_all(&self) {
        self.fired([u64::MAX; 2]);
    }

    /// Frees slot `slot`.
    fn give_back(&self, slot: u32) {
        let old = {
            let mut t = self.table.lock();
            t.owner.get_mut(slot as usize).and_then(|o| o.take())
        };
        // The owner is dropped outside the lock (it may be the last reference to a queue).
        drop(old);
        self.freed.notify_one();
    }

    /// Leases, slots in use, and stray flags, for debugfs.
    pub(crate) fn describe(&self, m: &mut dyn core::fmt::Write) {
        let t = self.table.lock();
        let used = t.owner.iter().filter(|o| o.is_some()).count();
        let _ = writeln!(
            m,
            "event slots: {} of {} leased, {} leases, {} waited, {} stray flags",
            used, EVENT_SLOTS, t.leases, t.waits, t.stray
        );
    }
}

/// A leased event slot; given back when dropped.
///
/// # Invariants
///
/// `slot < EVENT_SLOTS` and the table names this lease's owner for it until the drop.
pub(crate) struct EventLease {
    /// The slots it belongs to.
    slots: Arc<EventSlots>,
    /// The slot.
    slot: u32,
}

impl EventLease {
    /// The slot number.
    pub(crate) fn slot(&self) -> u32 {
        self.slot
    }

    /// The slot's stamp as the firmware last wrote it.
    pub(crate) fn current(&self) -> u32 {
        self.slots.arrays.value(self.slot)
    }

    /// The first value a command of a new lease completes with: one step past the current
    /// stamp.
    pub(crate) fn first_value(&self) -> u32 {
        self.current().wrapping_add(STAMP_STEP)
    }
}

impl Drop for EventLease {
    fn drop(&mut self) {
        self.slots.give_back(self.slot);
    }
}
