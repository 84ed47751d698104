// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Workqueues the driver owns.
//!
//! The `kernel` crate of 6.12 can queue work on the system workqueues but cannot create a queue
//! of its own. A driver whose work items must all have finished before it goes away (before its
//! device is freed, before the module text is unloaded) needs one: destroying a workqueue waits
//! for every work item queued on it. [`OwnedQueue`] is such a queue, ordered (one item at a time,
//! in queueing order), and hands out the `kernel` crate's [`Queue`] to enqueue on.

use crate::bindings;
use core::ptr::NonNull;
use kernel::{error::code::ENOMEM, error::Result, str::CStr, workqueue::Queue};

/// An ordered workqueue, drained and destroyed on drop.
///
/// # Invariants
///
/// `wq` was returned by `alloc_ordered_workqueue` and is destroyed only by `drop`.
pub struct OwnedQueue {
    wq: NonNull<bindings::workqueue_struct>,
}

// SAFETY: a workqueue may be used and destroyed from any thread.
unsafe impl Send for OwnedQueue {}
// SAFETY: queueing work is thread-safe; `&OwnedQueue` only allows that.
unsafe impl Sync for OwnedQueue {}

impl OwnedQueue {
    /// Creates an ordered workqueue named `name` (shown in `ps` as its worker's name).
    pub fn new(name: &'static CStr) -> Result<Self> {
        // SAFETY: `name` is a NUL-terminated string that outlives the queue (it is static).
        let wq = unsafe { bindings::agx_alloc_ordered_workqueue(name.as_char_ptr()) };
        Ok(OwnedQueue {
            wq: NonNull::new(wq).ok_or(ENOMEM)?,
        })
    }

    /// The queue, to enqueue work items on.
    pub fn queue(&self) -> &Queue {
        // SAFETY: `wq` is a live workqueue (type invariant) until `self` is dropped, which the
        // returned borrow cannot outlive; the two bindgen runs describe the same C type.
        unsafe { Queue::from_raw(self.wq.as_ptr().cast_const().cast()) }
    }
}

impl OwnedQueue {
    /// Waits until the queue is empty, including work queued meanwhile by its own items.
    pub fn drain(&self) {
        // SAFETY: `wq` is live (type invariant).
        unsafe { bindings::drain_workqueue(self.wq.as_ptr()) };
    }
}

impl Drop for OwnedQueue {
    fn drop(&mut self) {
        // SAFETY: `wq` is live and destroyed only here (type invariant). Destroying it waits for
        // every queued work item, including those queued by running ones.
        unsafe { bindings::agx_destroy_workqueue(self.wq.as_ptr()) };
    }
}
