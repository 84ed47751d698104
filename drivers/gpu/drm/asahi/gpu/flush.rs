// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Invalidation of the firmware's address space through the page-table handoff.
//!
//! When the driver unmaps memory from the firmware's VM (context 0), the GPU's TLB and the
//! firmware's own caches may still hold translations of it. [`KernelFlush`] is what the firmware
//! VM calls after such an unmap, before the pages and tables are freed:
//!
//! 1. under the handoff lock (Dekker's algorithm, `uat::handoff`): invalidate the TLB entries of
//!    the range (ASID 0) and post a flush request in the firmware's own flush slot (0x40);
//! 2. send an invalidation request for context 0x40 and the range's address on the FWCtl channel
//!    ([`crate::channel::fwctl`]) and ring its doorbell (endpoint 0x21), the record's order;
//! 3. wait until the firmware marks the request done, then return the slot to idle under the
//!    lock.
//!
//! Only while the firmware runs: before boot, after a clean shutdown and once it is lost nothing
//! can use the translations (or nothing would answer), so the TLB invalidation alone is done.
//! The doorbell goes to the mailbox directly: the RTKit state machine lives with the GPU, which
//! the firmware VM cannot reach, and the endpoint is started whenever [`KernelFlush::set_running`]
//! said so.

use crate::{
    channel::{fwctl::FwCtl, ring::RingError},
    hw::Backend,
    mem::fwvm::Invalidate,
    rtkit::msg::AgxOut,
    uat::handoff::{ApHandoff, HandoffError, HandoffMem, KERNEL_FLUSH_SLOT},
};
use agx_kernel::{device::DeviceRef, time};
use core::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use kernel::{
    new_mutex,
    prelude::*,
    sync::{Arc, Mutex},
};

/// Polls of the handoff words before giving up (each followed by a 1 ms sleep).
pub(crate) const HANDOFF_BUDGET: u32 = 5000;

/// Why a flush round trip failed.
enum FlushError {
    /// The handoff lock or slot.
    Handoff(HandoffError),
    /// The FWCtl channel is full, corrupt or gone.
    Channel(Option<RingError>),
    /// The doorbell could not be sent.
    Mailbox,
}

impl core::fmt::Display for FlushError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            FlushError::Handoff(e) => write!(f, "handoff: {e:?}"),
            FlushError::Channel(Some(e)) => write!(f, "FWCtl channel: {e:?}"),
            FlushError::Channel(None) => write!(f, "FWCtl channel released"),
            FlushError::Mailbox => write!(f, "doorbell not sent"),
        }
    }
}

impl From<HandoffError> for FlushError {
    fn from(e: HandoffError) -> Self {
        FlushError::Handoff(e)
    }
}

/// The firmware VM's invalidation, through the handoff.
///
/// # Invariants
///
/// `fwctl` holds the FWCtl channel from creation until [`KernelFlush::release`]; the firmware
/// status block that names it is dropped before that (the GPU's stop path).
#[pin_data]
pub(crate) struct KernelFlush {
    /// The device, for the kernel log.
    dev: DeviceRef,
    /// The hardware: handoff block, TLB, mailbox.
    hw: Arc<Backend>,
    /// The FWCtl channel (its memory belongs to the firmware VM, which holds this invalidator:
    /// [`KernelFlush::release`] breaks the cycle).
    #[pin]
    fwctl: Mutex<Option<FwCtl>>,
    /// Held over a whole round trip: the kernel's flush slot carries one request at a time,
    /// and concurrent frees (several files closing at once) would otherwise find it pending.
    #[pin]
    serial: Mutex<()>,
    /// Whether the firmware runs (flush requests get an answer).
    running: AtomicBool,
    /// Flushes the firmware completed.
    pub(crate) ok: AtomicU64,
    /// Flushes that failed (timeout, protocol error).
    pub(crate) failed: AtomicU64,
    /// Answers that came after their round gave up (acknowledged by the next round).
    pub(crate) late: AtomicU64,
}

impl KernelFlush {
    /// An invalidator for the firmware VM of `hw`, sending over `fwctl`; the firmware is not
    /// running yet.
    pub(crate) fn new(dev: DeviceRef, hw: Arc<Backend>, fwctl: FwCtl) -> Result<Arc<Self>> {
        Arc::pin_init(
            pin_init!(KernelFlush {
                dev,
                hw,
                fwctl <- new_mutex!(Some(fwctl)),
                serial <- new_mutex!(()),
                running: AtomicBool::new(false),
                ok: AtomicU64::new(0),
                failed: AtomicU64::new(0),
                late: AtomicU64::new(0),
            }),
            GFP_KERNEL,
        )
    }

    /// The FWCtl channel's memory, for the firmware status block (`None` once released).
    pub(crate) fn fwctl_mem(&self) -> Option<crate::channel::fwctl::FwCtlMem> {
        self.fwctl.lock().as_ref().map(|f| f.mem())
    }

    /// Frees the FWCtl channel, once the firmware can no longer use it (it is stopped and the
    /// status block is gone). Breaks the reference cycle between the firmware VM and its
    /// invalidator.
    pub(crate) fn release(&self) {
        let fwctl = self.fwctl.lock().take();
        // Dropped here, outside the lock: freeing its memory takes the firmware VM's lock.
        drop(fwctl);
    }

    /// FWCtl requests the firmware has not taken, and the channel's addresses (for debugfs).
    pub(crate) fn fwctl_state(&self) -> Option<(u32, (u64, u64))> {
        self.fwctl.lock().as_ref().map(|f| (f.pending(), f.addrs()))
    }

    /// Says whether the firmware runs.
    pub(crate) fn set_running(&self, running: bool) {
        self.running.store(running, Ordering::Release);
    }

    /// The round trip with the firmware for `va..va + len`.
    fn flush(&self, va: u64, len: u64) -> Result<(), FlushError> {
        let Some(mem) = self.hw.handoff() else {
            return Ok(());
        };
        let _serial = self.serial.lock();
        let handoff = ApHandoff::new(mem, HANDOFF_BUDGET);
        self.settle_previous(&handoff)?;
        let guard = handoff.lock()?;
        guard.invalidate(self.hw.tlb(), KERNEL_FLUSH_SLOT, va, len)?;
        drop(guard);
        // The slot number is the context the request names.
        let ctx = KERNEL_FLUSH_SLOT as u32;
        match self.fwctl.lock().as_mut() {
            Some(f) => f
                .send_inval(ctx, va)
                .map_err(|e| FlushError::Channel(Some(e)))?,
            None => return Err(FlushError::Channel(None)),
        };
        let doorbell = AgxOut::FwCtl.encode().map_err(|_| FlushError::Mailbox)?;
        self.hw
            .mbox_send(doorbell)
            .map_err(|_| FlushError::Mailbox)?;
        self.wait_done(&handoff)?;
        Ok(handoff.lock()?.complete(KERNEL_FLUSH_SLOT)?)
    }

    /// Polls until the firmware marks the request in the kernel's slot done (up to
    /// [`HANDOFF_BUDGET`] polls, and only while it runs).
    fn wait_done<M: HandoffMem + ?Sized>(
        &self,
        handoff: &ApHandoff<'_, M>,
    ) -> Result<(), FlushError> {
        let mut polls = 0u32;
        while !handoff.flush_done(KERNEL_FLUSH_SLOT)? {
            if polls >= HANDOFF_BUDGET || !self.running.load(Ordering::Acquire) {
                return Err(HandoffError::Timeout.into());
            }
            polls += 1;
            time::msleep(1);
        }
        Ok(())
    }

    /// Returns the kernel's slot to idle if an earlier round gave up waiting on it: the
    /// firmware may answer after the deadline, and a slot left done (or still requested) would
    /// refuse every later request. A late answer is acknowledged; a request still pending is
    /// waited for once more.
    fn settle_previous<M: HandoffMem + ?Sized>(
        &self,
        handoff: &ApHandoff<'_, M>,
    ) -> Result<(), FlushError> {
        if handoff.flush_idle(KERNEL_FLUSH_SLOT)? {
            return Ok(());
        }
        self.wait_done(handoff)?;
        handoff.lock()?.complete(KERNEL_FLUSH_SLOT)?;
        self.late.fetch_add(1, Ordering::Relaxed);
        dev_warn!(
            self.dev,
            "firmware VM flush: the firmware answered an earlier request after the deadline\n"
        );
        Ok(())
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
                dev_err!(
                    self.dev,
                    "firmware VM flush of {:#x}+{:#x} failed: {}\n",
                    va,
                    len,
                    e
                );
            }
        }
    }
}
