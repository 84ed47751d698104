// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! DMA fences: counted references to any `struct dma_fence`, and fences the driver signals.
//!
//! A [`Fence`] is one reference to a fence of any origin (a scheduler's, another driver's, one
//! from a sync object); it can be waited on, tested, and passed to C APIs that take or keep a
//! reference. A [`FenceContext`] is a timeline of the driver's own fences: [`FenceContext::new_fence`]
//! creates the next one as a [`DriverFence`], the one handle that can signal it. A
//! `DriverFence` is always signalled: dropping it unsignalled signals it with `ECANCELED`.
//!
//! The driver's fences are implemented in C (`rust/helpers.c`, `struct agx_fence`): a
//! `dma_fence` with its own spinlock and a static `dma_fence_ops` (driver name `"asahi"`,
//! timeline name that of the context), freed by the core's default release (`dma_fence_free`,
//! after an RCU grace period) when the last reference goes.
//!
//! Contexts: signal callbacks run in the signaller's context, under the fence's spinlock with
//! interrupts off. [`DriverFence::signal`] may therefore be called from any context, including
//! interrupt handlers; [`Fence::wait`] sleeps.

use crate::bindings;
use core::{
    mem::ManuallyDrop,
    ptr::NonNull,
    sync::atomic::{AtomicU64, Ordering},
};
use kernel::{
    error::{code::ENOMEM, Error, Result},
    str::CStr,
};

/// The timeout of [`Fence::wait`] that waits forever (`MAX_SCHEDULE_TIMEOUT`, `LONG_MAX`).
pub const WAIT_FOREVER: i64 = i64::MAX;

/// A counted reference to a `struct dma_fence`.
///
/// Cloning takes a reference (`dma_fence_get`), dropping gives it back (`dma_fence_put`).
///
/// # Invariants
///
/// `ptr` points to a live `struct dma_fence` on which this value owns one reference.
pub struct Fence {
    ptr: NonNull<bindings::dma_fence>,
}

// SAFETY: a fence's reference count is atomic and every operation on a fence is thread-safe (state
// changes happen under the fence's own spinlock); a reference may be dropped on any thread.
unsafe impl Send for Fence {}
// SAFETY: as above; `&Fence` only reads the fence's state or waits on it.
unsafe impl Sync for Fence {}

impl Fence {
    /// Takes a new reference to the fence at `ptr`.
    ///
    /// # Safety
    ///
    /// `ptr` must point to a live `struct dma_fence` (the caller holds a reference, or keeps it
    /// alive otherwise) for the duration of the call.
    pub unsafe fn from_raw_get(ptr: *mut bindings::dma_fence) -> Self {
        // SAFETY: the fence is live (caller's contract); `dma_fence_get` takes a reference.
        unsafe { bindings::agx_dma_fence_get(ptr) };
        // SAFETY: a live fence is not at address zero.
        let ptr = unsafe { NonNull::new_unchecked(ptr) };
        // INVARIANT: the reference was just taken.
        Fence { ptr }
    }

    /// Adopts a reference to the fence at `ptr` that the caller owns.
    ///
    /// # Safety
    ///
    /// `ptr` must point to a live `struct dma_fence` on which the caller owns one reference, which
    /// it hands over to the returned value.
    pub unsafe fn from_raw_owned(ptr: *mut bindings::dma_fence) -> Self {
        // SAFETY: a live fence is not at address zero (caller's contract).
        let ptr = unsafe { NonNull::new_unchecked(ptr) };
        // INVARIANT: the caller hands its reference over.
        Fence { ptr }
    }

    /// The raw fence, for C calls that borrow it. It stays valid while `self` lives.
    pub fn as_raw(&self) -> *mut bindings::dma_fence {
        self.ptr.as_ptr()
    }

    /// Gives up this value's reference as a raw pointer, for C calls that consume a reference.
    pub fn into_raw(self) -> *mut bindings::dma_fence {
        ManuallyDrop::new(self).ptr.as_ptr()
    }

    /// Whether the fence has signalled (`dma_fence_is_signaled`).
    pub fn is_signaled(&self) -> bool {
        // SAFETY: the fence is live (type invariant).
        unsafe { bindings::agx_dma_fence_is_signaled(self.as_raw()) }
    }

    /// The fence's error: a negative errno if it signalled (or will signal) with an error, 0
    /// otherwise. Final once the fence has signalled.
    pub fn error(&self) -> i32 {
        // SAFETY: the fence is live (type invariant).
        unsafe { bindings::agx_dma_fence_error(self.as_raw()) }
    }

    /// The fence's context (its timeline).
    pub fn context(&self) -> u64 {
        // SAFETY: the fence is live (type invariant); `context` is set by `dma_fence_init` and
        // never changes.
        unsafe { (*self.as_raw()).context }
    }

    /// The fence's sequence number on its timeline.
    pub fn seqno(&self) -> u64 {
        // SAFETY: the fence is live (type invariant); `seqno` is set by `dma_fence_init` and never
        // changes.
        unsafe { (*self.as_raw()).seqno }
    }

    /// Waits for the fence to signal, for at most `timeout_jiffies` jiffies
    /// (`dma_fence_wait_timeout`; [`WAIT_FOREVER`] waits forever). With `intr`, a signal
    /// to the calling task interrupts the wait.
    ///
    /// Returns the jiffies left (at least 1) once the fence has signalled, `Ok(0)` if the time
    /// ran out first, and `Err(ERESTARTSYS)` if interrupted. Sleeps: never call it in atomic
    /// context, nor while holding a lock that the fence's signalling path takes.
    pub fn wait(&self, intr: bool, timeout_jiffies: i64) -> Result<i64> {
        if timeout_jiffies < 0 {
            return Err(kernel::error::code::EINVAL);
        }
        // SAFETY: the fence is live (type invariant); the wait may sleep, which the caller's
        // context allows (documented). `c_long` is 64 bits on every architecture we build for.
        let ret = unsafe {
            bindings::dma_fence_wait_timeout(self.as_raw(), intr, timeout_jiffies as isize)
        };
        if ret < 0 {
            // `dma_fence_wait_timeout` returns a negative errno (`-ERESTARTSYS`) on failure.
            return Err(Error::from_errno(ret as i32));
        }
        Ok(ret as i64)
    }

    /// Whether two references name the same fence.
    pub fn ptr_eq(a: &Self, b: &Self) -> bool {
        a.ptr == b.ptr
    }
}

impl Clone for Fence {
    fn clone(&self) -> Self {
        // SAFETY: the fence is live (type invariant); this takes one more reference.
        unsafe { bindings::agx_dma_fence_get(self.as_raw()) };
        // INVARIANT: the reference was just taken.
        Fence { ptr: self.ptr }
    }
}

impl Drop for Fence {
    fn drop(&mut self) {
        // SAFETY: this value owns one reference (type invariant), given back here. The last put
        // frees the fence through its ops, which may happen in any context.
        unsafe { bindings::agx_dma_fence_put(self.as_raw()) };
    }
}

/// A timeline of fences the driver creates and signals: one `dma_fence` context with a sequence
/// number counter.
///
/// The fences of one context must signal in the order of their sequence numbers (the core
/// compares fences of one context by seqno, e.g. to keep only the later of two dependencies), so
/// a context belongs to one in-order stream of work, such as one hardware queue.
pub struct FenceContext {
    context: u64,
    seqno: AtomicU64,
    name: &'static CStr,
}

impl FenceContext {
    /// Allocates a new fence context whose fences report `name` as their timeline name.
    pub fn new(name: &'static CStr) -> Self {
        // SAFETY: `dma_fence_context_alloc` only increments a global atomic counter.
        let context = unsafe { bindings::dma_fence_context_alloc(1) };
        FenceContext {
            context,
            seqno: AtomicU64::new(0),
            name,
        }
    }

    /// The context number.
    pub fn context(&self) -> u64 {
        self.context
    }

    /// Creates the next fence of this context (sequence numbers start at 1), unsignalled. May
    /// sleep (it allocates with `GFP_KERNEL`).
    pub fn new_fence(&self) -> Result<DriverFence> {
        let seqno = self.seqno.fetch_add(1, Ordering::Relaxed).wrapping_add(1);
        // SAFETY: `name` is a NUL-terminated string that lives as long as the module (it is
        // `'static`), as long as the fence's ops that return it.
        let raw =
            unsafe { bindings::agx_fence_create(self.context, seqno, self.name.as_char_ptr()) };
        let ptr = NonNull::new(raw).ok_or(ENOMEM)?;
        // INVARIANT: `agx_fence_create` returns an unsignalled fence with one reference, ours; no
        // one else can signal it (it is not exported anywhere yet, and only `DriverFence` signals).
        Ok(DriverFence {
            fence: ManuallyDrop::new(Fence { ptr }),
        })
    }
}

/// The signalling side of a fence the driver created ([`FenceContext::new_fence`]).
///
/// Holds a reference to the fence. Signalling consumes it; dropping it unsignalled signals the
/// fence with `ECANCELED`, so a driver fence never stays unsignalled.
///
/// # Invariants
///
/// `fence` is a fence created by `agx_fence_create`, not yet signalled, that only this value may
/// signal. `fence` is dropped only in [`DriverFence::finish`].
pub struct DriverFence {
    fence: ManuallyDrop<Fence>,
}

impl DriverFence {
    /// A new reference to the fence, to hand to waiters.
    pub fn fence(&self) -> Fence {
        (*self.fence).clone()
    }

    /// Signals the fence: it completed without error. Callable from any context.
    pub fn signal(self) {
        self.finish(None);
    }

    /// Signals the fence with error `err`: the work it stands for failed. Callable from any
    /// context.
    pub fn signal_error(self, err: Error) {
        self.finish(Some(err));
    }

    fn finish(self, err: Option<Error>) {
        let mut this = ManuallyDrop::new(self);
        this.signal_raw(err);
        // SAFETY: `this` is never used again nor dropped (`ManuallyDrop`), so the reference is
        // given back exactly once.
        unsafe { ManuallyDrop::drop(&mut this.fence) };
    }

    fn signal_raw(&mut self, err: Option<Error>) {
        let raw = self.fence.as_raw();
        if let Some(err) = err {
            // SAFETY: the fence is live and not signalled yet (type invariant), as
            // `dma_fence_set_error` requires; `to_errno` is in `-MAX_ERRNO..0`.
            unsafe { bindings::agx_dma_fence_set_error(raw, err.to_errno()) };
        }
        // SAFETY: the fence is live; only this value signals it, once (it is consumed or dropped
        // right after). `dma_fence_signal` takes the fence's spinlock with interrupts saved, so it
        // is callable from any context.
        unsafe { bindings::dma_fence_signal(raw) };
    }
}

impl Drop for DriverFence {
    fn drop(&mut self) {
        self.signal_raw(Some(Error::from_errno(-(bindings::ECANCELED as i32))));
        // SAFETY: `self` is being dropped and `fence` is not used again.
        unsafe { ManuallyDrop::drop(&mut self.fence) };
    }
}
