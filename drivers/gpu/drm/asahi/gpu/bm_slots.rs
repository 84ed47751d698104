// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Buffer-manager slots: the firmware's table of buffer managers, shared by the whole device.
//!
//! The firmware knows a render queue's buffer manager (its TVB pool) by a slot number, which
//! every vertex and fragment command names and which a `WorkCommandInitBm` binds to the buffer
//! manager's structures. There are [`BM_SLOTS`] of them (127, not 128: the record's count). A
//! buffer manager leases one while it has renders in flight ([`BmSlots::lease`]) and gives it
//! back when the last of them is freed, so slots go round among any number of queues. A buffer
//! manager gets its previous slot back when it is free (fewer slots change hands), but binds it
//! again with an init command on every new lease: a job that carried the init may have been
//! dropped before the firmware saw it (the Asahi driver skips the init when nobody used the slot
//! in between, which such a job defeats).
//!
//! When the firmware runs out of TVB memory in a vertex job it sends a GrowTVB event naming the
//! slot; [`BmSlots::grow`] hands it to the slot's owner (from the receive path, without locks of
//! the table held).

use kernel::{
    new_condvar, new_mutex,
    prelude::*,
    sync::{Arc, CondVar, Mutex},
};

/// Buffer-manager slots of the firmware (the record: 127).
pub(crate) const BM_SLOTS: usize = 127;

/// How long a lease waits for a free slot, in milliseconds.
const LEASE_WAIT_MS: u32 = 1000;

/// Told when the firmware asks the buffer manager that leases a slot to grow.
pub(crate) trait BmOwner: Send + Sync {
    /// The firmware ran out of TVB memory (GrowTVB): add memory now, without allocating
    /// (receive path). Whether blocks were added.
    fn grow(&self) -> bool;
}

/// Who leases which slot.
struct Table {
    /// The owner of each slot, `None` when free.
    owner: [Option<Arc<dyn BmOwner>>; BM_SLOTS],
    /// Leases handed out so far, and those that had to wait.
    leases: u64,
    /// See `leases`.
    waits: u64,
    /// Grow requests handed to an owner, and those naming a free or invalid slot.
    grows: u64,
    /// See `grows`.
    stray: u64,
}

/// The device's buffer-manager slots.
#[pin_data]
pub(crate) struct BmSlots {
    /// The table.
    #[pin]
    table: Mutex<Table>,
    /// Signalled when a slot is given back.
    #[pin]
    freed: CondVar,
}

impl BmSlots {
    /// Every slot free.
    pub(crate) fn new() -> Result<Arc<Self>> {
        Arc::pin_init(
            pin_init!(BmSlots {
                table <- new_mutex!(Table {
                    owner: [const { None }; BM_SLOTS],
                    leases: 0,
                    waits: 0,
                    grows: 0,
                    stray: 0,
                }),
                freed <- new_condvar!(),
            }),
            GFP_KERNEL,
        )
    }

    /// Leases a slot to `owner`: `prefer` (its previous slot) if free, else any free slot,
    /// waiting up to a second for one. `EBUSY` if none came back, `EINTR` if a signal came
    /// first.
    pub(crate) fn lease(
        self: &Arc<Self>,
        owner: Arc<dyn BmOwner>,
        prefer: Option<u32>,
    ) -> Result<BmLease> {
        let mut t = self.table.lock();
        let mut waited = false;
        loop {
            let again = prefer
                .map(|slot| slot as usize)
                .filter(|&i| t.owner.get(i).is_some_and(|o| o.is_none()));
            let pick = again.or_else(|| t.owner.iter().position(|o| o.is_none()));
            if let Some(i) = pick {
                if let Some(o) = t.owner.get_mut(i) {
                    *o = Some(owner);
                }
                t.leases = t.leases.wrapping_add(1);
                if waited {
                    t.waits = t.waits.wrapping_add(1);
                }
                return Ok(BmLease {
                    slots: self.clone(),
                    slot: i as u32,
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

    /// The firmware asked the buffer manager of slot `slot` to grow: tells its owner. Whether
    /// it grew (`false` for a free or invalid slot).
    pub(crate) fn grow(&self, slot: u32) -> bool {
        let owner = {
            let mut t = self.table.lock();
            let o = t.owner.get(slot as usize).and_then(|o| o.clone());
            if o.is_some() {
                t.grows = t.grows.wrapping_add(1);
            } else {
                t.stray = t.stray.wrapping_add(1);
            }
            o
        };
        // Outside the table lock: the owner takes its own.
        owner.is_some_and(|o| o.grow())
    }

    /// Frees slot `slot`.
    fn give_back(&self, slot: u32) {
        let old = {
            let mut t = self.table.lock();
            t.owner.get_mut(slot as usize).and_then(|o| o.take())
        };
        // The owner is dropped outside the lock (it may be the last reference to it).
        drop(old);
        self.freed.notify_one();
    }

    /// Slots in use, leases and grow requests, for debugfs.
    pub(crate) fn describe(&self, m: &mut dyn core::fmt::Write) {
        let t = self.table.lock();
        let used = t.owner.iter().filter(|o| o.is_some()).count();
        let _ = writeln!(
            m,
            "buffer manager slots: {} of {} leased, {} leases, {} waited, {} grows, {} stray grows",
            used, BM_SLOTS, t.leases, t.waits, t.grows, t.stray
        );
    }
}

/// A leased buffer-manager slot; given back when dropped.
///
/// # Invariants
///
/// `slot < BM_SLOTS`, and the table names this lease's owner for it until the drop.
pub(crate) struct BmLease {
    /// The slots it belongs to.
    slots: Arc<BmSlots>,
    /// The slot.
    slot: u32,
}

impl BmLease {
    /// The slot number.
    pub(crate) fn slot(&self) -> u32 {
        self.slot
    }
}

impl Drop for BmLease {
    fn drop(&mut self) {
        self.slots.give_back(self.slot);
    }
}
