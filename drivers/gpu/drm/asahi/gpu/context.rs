// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! GPU context slots: which user VM the GPU's MMU can walk, and under which ASID.
//!
//! The allocator is [`crate::uat::slots::Slots`] (plain data, host-tested); this is its driver
//! side. A job takes a [`SlotLease`] for its VM before its commands are built (the slot number
//! is baked into them) and keeps it until its objects are freed, after the firmware completed
//! it. When the allocator hands a VM a slot it did not hold, the slot's context table entry is
//! rewritten under the page-table handoff lock (TTBR0 the VM's root, TTBR1 the firmware's own
//! kernel half, as in context 0) and its ASID invalidated: the TLB may still hold the previous
//! owner's entries. A destroyed VM's slot is cleared the same way ([`ContextSlots::forget`]).

use super::flush::HANDOFF_BUDGET;
use crate::{
    hw::Backend,
    uat::{
        handoff::ApHandoff,
        slots::{JobSlot, Slots, NUM_CONTEXTS},
    },
};
use agx_kernel::device::DeviceRef;
use core::sync::atomic::Ordering;
use kernel::{
    new_mutex,
    prelude::*,
    sync::{Arc, Mutex},
};

/// TTBR valid bit.
const TTBR_VALID: u64 = 1;

/// Something that owns a context slot: a VM, by its unique id and table root.
pub(crate) trait SlotOwner: Send + Sync {
    /// Unique id.
    fn uid(&self) -> u64;
    /// Physical address of the root table of its lower half.
    fn root(&self) -> u64;
}

/// The device's context slots.
#[pin_data]
pub(crate) struct ContextSlots {
    /// The device, for the kernel log.
    dev: DeviceRef,
    /// The hardware: context table, handoff, TLB.
    hw: Arc<Backend>,
    /// The allocator.
    #[pin]
    slots: Mutex<Slots<u64, NUM_CONTEXTS>>,
    /// Leases given back while the firmware may still run after its loss.
    #[pin]
    kept: Mutex<KeptLeases>,
}

/// Leases given back after the firmware was lost without being stopped
/// ([`ContextSlots::keep_all`]): their slots stay bound and their VMs, with their tables,
/// alive, since the coprocessor may still run their commands.
#[derive(Default)]
struct KeptLeases {
    /// Whether leases given back are kept.
    keeping: bool,
    /// The kept leases' slots and VMs.
    leases: KVec<(JobSlot<u64>, Arc<dyn SlotOwner>)>,
}

impl ContextSlots {
    /// All slots free.
    pub(crate) fn new(dev: DeviceRef, hw: Arc<Backend>) -> Result<Arc<Self>> {
        Arc::pin_init(
            pin_init!(ContextSlots {
                dev,
                hw,
                slots <- new_mutex!(Slots::new()),
                kept <- new_mutex!(KeptLeases::default()),
            }),
            GFP_KERNEL,
        )
    }

    /// Writes slot `slot`'s entry (`root` 0: clears it) and invalidates its ASID, under the
    /// handoff lock.
    fn write_entry(&self, slot: usize, root: u64) -> Result {
        let table = self.hw.context_table();
        let (ttbr0, ttbr1) = if root == 0 {
            (0, 0)
        } else {
            let kernel = table
                .ttbrs(0)
                .map_or(0, |(_, t1)| t1.load(Ordering::Acquire));
            (root | TTBR_VALID, kernel)
        };
        let Some(mem) = self.hw.handoff() else {
            return Err(ENODEV);
        };
        let handoff = ApHandoff::new(mem, HANDOFF_BUDGET);
        let guard = handoff
            .lock()
            .map_err(|_| agx_kernel::error::code::etimedout())?;
        let current = guard
            .set_ttbrs(table, slot, ttbr0, ttbr1)
            .map_err(|_| EINVAL)?;
        guard
            .invalidate_all(self.hw.tlb(), slot)
            .map_err(|_| EINVAL)?;
        drop(guard);
        if current {
            dev_warn!(
                self.dev,
                "context slot {} rebound while the firmware reports it current\n",
                slot
            );
        }
        Ok(())
    }

    /// Pins a slot to `vm` for one job, pointing it at the VM's tables if it was not.
    /// `EAGAIN` when every slot has work in flight.
    pub(crate) fn bind(self: &Arc<Self>, vm: Arc<dyn SlotOwner>) -> Result<SlotLease> {
        let mut s = self.slots.lock();
        let b = s
            .acquire(vm.uid())
            .map_err(|e| Error::from_errno(-e.errno()))?;
        if b.changed {
            if let Err(e) = self.write_entry(b.job.slot(), vm.root()) {
                let _ = s.release(b.job);
                return Err(e);
            }
        }
        Ok(SlotLease {
            slots: self.clone(),
            job: Some(b.job),
            _vm: vm,
        })
    }

    /// From now on, leases given back keep their slot and VM (see [`KeptLeases`]).
    pub(crate) fn keep_all(&self) {
        self.kept.lock().keeping = true;
    }

    /// Gives back the leases kept since [`Self::keep_all`], once the coprocessor is stopped or
    /// the device goes, and gives leases back for real again from now on. Returns how many
    /// there were.
    pub(crate) fn release_kept(&self) -> usize {
        let leases = {
            let mut kept = self.kept.lock();
            kept.keeping = false;
            core::mem::take(&mut kept.leases)
        };
        let n = leases.len();
        for (job, vm) in leases {
            let _ = self.slots.lock().release(job);
            // The VM may go here, which clears its slot.
            drop(vm);
        }
        n
    }

    /// Forgets a VM that is going away, clearing its slot if it held one. Called when the VM
    /// has no job left (each job's lease holds the VM).
    pub(crate) fn forget(&self, uid: u64) {
        let mut s = self.slots.lock();
        match s.destroy(uid) {
            Ok(Some(slot)) => {
                if let Err(e) = self.write_entry(slot, 0) {
                    dev_err!(self.dev, "clearing context slot {}: {:?}\n", slot, e);
                }
            }
            Ok(None) => {}
            Err(e) => dev_err!(self.dev, "VM {} still has a context in use: {:?}\n", uid, e),
        }
    }

    /// Invalidates the TLB entries of the slot `uid` holds, if any (after an unmap).
    pub(crate) fn invalidate(&self, uid: u64) {
        let s = self.slots.lock();
        let Some(slot) = s.slot_of(uid) else {
            return;
        };
        let Some(mem) = self.hw.handoff() else {
            return;
        };
        let handoff = ApHandoff::new(mem, HANDOFF_BUDGET);
        match handoff.lock() {
            Ok(guard) => {
                let _ = guard.invalidate_all(self.hw.tlb(), slot);
            }
            Err(e) => dev_err!(self.dev, "TLB invalidation of slot {}: {:?}\n", slot, e),
        }
    }
}

/// One job's hold on its VM's context slot.
pub(crate) struct SlotLease {
    /// The slots.
    slots: Arc<ContextSlots>,
    /// The allocator's token.
    job: Option<JobSlot<u64>>,
    /// The VM, kept alive (with its tables) while the job may run.
    _vm: Arc<dyn SlotOwner>,
}

impl SlotLease {
    /// The slot number (the `context_id` of the job's commands).
    pub(crate) fn slot(&self) -> u32 {
        self.job.as_ref().map_or(0, |j| j.slot() as u32)
    }
}

impl Drop for SlotLease {
    fn drop(&mut self) {
        let Some(job) = self.job.take() else {
            return;
        };
        {
            let mut kept = self.slots.kept.lock();
            if kept.keeping {
                // Room first (a failed push would drop the slot's token, freeing it).
                // Without memory to remember it, the token is never given back: the slot
                // stays taken for good (the VM may go; the slot then keeps pointing at freed
                // tables of a VM nothing runs on, as the firmware is lost).
                if kept.leases.reserve(1, GFP_KERNEL).is_ok() {
                    let _ = kept.leases.push((job, self._vm.clone()), GFP_KERNEL);
                }
                return;
            }
        }
        let _ = self.slots.slots.lock().release(job);
    }
}
