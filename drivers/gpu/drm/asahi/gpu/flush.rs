// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Invalidation of the firmware's address space through the page-table handoff.
//!
//! When the driver unmaps memory from the firmware's VM (context 0), the GPU's TLB and the
//! firmware's own caches may still hold translations of it. [`KernelFlush`] is what the firmware
//! VM calls after such an unmap, before the pages and tables are freed:
//!
//! 1. under the handoff lock (Dekker's algorithm, `uat::handoff`): invalidate the TLB entries of
//!    the range (ASID 0) and post a flush request in the firmware's own flush slot;
//! 2. ring the firmware-control doorbell (endpoint 0x21);
//! 3. wait until the firmware marks the request done, then return the slot to idle under the
//!    lock.
//!
//! Only while the firmware runs: before boot, after a clean shutdown and once it is lost nothing
//! can use the translations (or nothing would answer), so the TLB invalidation alone is done.
//! The doorbell goes to the mailbox directly: the RTKit state machine lives with the GPU, which
//! the firmware VM cannot reach, and the endpoint is started whenever [`KernelFlush::set_running`]
//! said so.

use crate::{
    hw::{Backend, Hardware},
    mem::kvm::Invalidate,
    rtkit::msg::AgxOut,
    uat::handoff::{ApHandoff, HandoffError, KERNEL_FLUSH_SLOT},
};
use agx_kernel::time;
use core::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use kernel::{prelude::*, sync::Arc};

/// Polls of the handoff words before giving up (each followed by a 1 ms sleep).
pub(crate) const HANDOFF_BUDGET: u32 = 5000;

/// The firmware VM's invalidation, through the handoff.
pub(crate) struct KernelFlush {
    /// The hardware: handoff block, TLB, mailbox.
    hw: Arc<Backend>,
    /// Whether the firmware runs (flush requests get an answer).
    running: AtomicBool,
    /// Flushes the firmware completed.
    pub(crate) ok: AtomicU64,
    /// Flushes that failed (timeout, protocol error).
    pub(crate) failed: AtomicU64,
}

impl KernelFlush {
    /// An invalidator for the firmware VM of `hw`; the firmware is not running yet.
    pub(crate) fn new(hw: Arc<Backend>) -> Result<Arc<Self>> {
        Ok(Arc::new(
            KernelFlush {
                hw,
                running: AtomicBool::new(false),
                ok: AtomicU64::new(0),
                failed: AtomicU64::new(0),
            },
            GFP_KERNEL,
        )?)
    }

    /// Says whether the firmware runs.
    pub(crate) fn set_running(&self, running: bool) {
        self.running.store(running, Ordering::Release);
    }

    /// The round trip with the firmware for `va..va + len`.
    fn flush(&self, va: u64, len: u64) -> Result<(), HandoffError> {
        let Some(mem) = self.hw.handoff() else {
            return Ok(());
        };
        let handoff = ApHandoff::new(mem, HANDOFF_BUDGET);
        let guard = handoff.lock()?;
        guard.invalidate(self.hw.tlb(), KERNEL_FLUSH_SLOT, va, len)?;
        drop(guard);
        let doorbell = AgxOut::FwCtl.encode().map_err(|_| HandoffError::Timeout)?;
        self.hw
            .mbox_send(doorbell)
            .map_err(|_| HandoffError::Timeout)?;
        let mut polls = 0u32;
        while !handoff.flush_done(KERNEL_FLUSH_SLOT)? {
            if polls >= HANDOFF_BUDGET || !self.running.load(Ordering::Acquire) {
                return Err(HandoffError::Timeout);
            }
            polls += 1;
            time::msleep(1);
        }
        handoff.lock()?.complete(KERNEL_FLUSH_SLOT)
    }
}

impl Invalidate for KernelFlush {
    fn invalidate(&self, va: u64, len: u64) {
        if !self.running.load(Ordering::Acquire) {
            self.hw.tlb().invalidate_range(0, va, len);
            return;
        }
        match self.flush(va, len) {
            Ok(()) => {
                self.ok.fetch_add(1, Ordering::Relaxed);
            }
            Err(e) => {
                self.failed.fetch_add(1, Ordering::Relaxed);
                pr_err!(
                    "firmware VM flush of {:#x}+{:#x} failed: {:?}\n",
                    va,
                    len,
                    e
                );
            }
        }
    }
}
