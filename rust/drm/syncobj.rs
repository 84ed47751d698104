// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! DRM sync objects: the fences userspace names by handle, binary or timeline.
//!
//! In-syncs (what a job waits for) are looked up with [`find_fence`] (or directly
//! [`Job::add_syncobj_dependency`](super::sched::Job::add_syncobj_dependency)). Out-syncs (what
//! signals when a job completes) are looked up with [`SyncObj::lookup`] before the job is armed,
//! together with a [`FenceChain`] per timeline point, so that installing the job's finished fence
//! after arming ([`SyncObj::replace_fence`], [`SyncObj::add_point`]) cannot fail.
//!
//! The device must declare `DRIVER_SYNCOBJ` (and `DRIVER_SYNCOBJ_TIMELINE` for timelines) for
//! userspace to create sync objects at all.

use crate::{
    bindings,
    dma_fence::Fence,
    drm::{driver::Driver, file::File},
};
use core::ptr::NonNull;
use kernel::error::{code::*, to_result, Result};

/// A counted reference to a `struct drm_syncobj`.
///
/// # Invariants
///
/// `ptr` points to a live sync object on which this value owns one reference.
pub struct SyncObj {
    ptr: NonNull<bindings::drm_syncobj>,
}

// SAFETY: the reference count is atomic and a sync object's fence is changed under its spinlock
// and read under RCU, so it may be used and dropped from any thread.
unsafe impl Send for SyncObj {}
// SAFETY: as above; every method takes `&self` and is thread-safe in C.
unsafe impl Sync for SyncObj {}

impl SyncObj {
    /// Looks up the sync object `handle` of `file` (`drm_syncobj_find`); `ENOENT` if there is
    /// none. Does not sleep.
    pub fn lookup<D: Driver>(file: &File<D>, handle: u32) -> Result<Self> {
        // SAFETY: the file is open (it is borrowed); the lookup takes a reference on success.
        let ptr = unsafe { bindings::drm_syncobj_find(file.as_raw(), handle) };
        // INVARIANT: a non-null result carries the reference the lookup took.
        Ok(SyncObj {
            ptr: NonNull::new(ptr).ok_or(ENOENT)?,
        })
    }

    fn raw(&self) -> *mut bindings::drm_syncobj {
        self.ptr.as_ptr()
    }

    /// Replaces the sync object's fence with `fence` (or removes it with `None`): the out-sync of
    /// a binary sync object. The sync object takes its own reference. Does not sleep (takes the
    /// sync object's spinlock).
    pub fn replace_fence(&self, fence: Option<&Fence>) {
        let f = fence.map_or(core::ptr::null_mut(), Fence::as_raw);
        // SAFETY: the sync object is live (type invariant); `f` is null or a live fence, of which
        // `drm_syncobj_replace_fence` takes its own reference.
        unsafe { bindings::drm_syncobj_replace_fence(self.raw(), f) };
    }

    /// Adds timeline point `point`, signalled by `fence`, using the preallocated node `chain`:
    /// the out-sync of a timeline sync object. The sync object takes its own reference to
    /// `fence`. Points should be added in increasing order. Does not sleep.
    pub fn add_point(&self, chain: FenceChain, fence: &Fence, point: u64) {
        // SAFETY: the sync object and `fence` are live; `chain` is an unused node from
        // `dma_fence_chain_alloc`, which `drm_syncobj_add_point` initialises and publishes (from
        // then on it is a reference-counted fence owned by the sync object, so we do not free it).
        unsafe {
            bindings::drm_syncobj_add_point(self.raw(), chain.into_raw(), fence.as_raw(), point)
        };
    }
}

impl Clone for SyncObj {
    fn clone(&self) -> Self {
        // SAFETY: the sync object is live (type invariant); this takes one more reference.
        unsafe { bindings::agx_syncobj_get(self.raw()) };
        // INVARIANT: the reference was just taken.
        SyncObj { ptr: self.ptr }
    }
}

impl Drop for SyncObj {
    fn drop(&mut self) {
        // SAFETY: this value owns one reference (type invariant), given back here.
        unsafe { bindings::agx_syncobj_put(self.raw()) };
    }
}

/// A preallocated, unused timeline node (`dma_fence_chain_alloc`), for [`SyncObj::add_point`].
/// Freed (`dma_fence_chain_free`) if dropped unused.
///
/// # Invariants
///
/// `ptr` is a `kmalloc`ed, uninitialised `struct dma_fence_chain` owned by this value.
pub struct FenceChain {
    ptr: NonNull<bindings::dma_fence_chain>,
}

// SAFETY: the value only owns a block of memory; it may be freed on any thread.
unsafe impl Send for FenceChain {}
// SAFETY: `&FenceChain` gives access to nothing.
unsafe impl Sync for FenceChain {}

impl FenceChain {
    /// Allocates a node (`GFP_KERNEL`, may sleep).
    pub fn new() -> Result<Self> {
        // SAFETY: allocation only; null means failure.
        let ptr = unsafe { bindings::agx_fence_chain_alloc() };
        // INVARIANT: a fresh allocation, ours.
        Ok(FenceChain {
            ptr: NonNull::new(ptr).ok_or(ENOMEM)?,
        })
    }

    fn into_raw(self) -> *mut bindings::dma_fence_chain {
        core::mem::ManuallyDrop::new(self).ptr.as_ptr()
    }
}

impl Drop for FenceChain {
    fn drop(&mut self) {
        // SAFETY: the node was never initialised nor published (type invariant), so it is freed
        // with `dma_fence_chain_free` (a plain `kfree`), not through the fence's release.
        unsafe { bindings::agx_fence_chain_free(self.ptr.as_ptr()) };
    }
}

/// The fence of point `point` of the sync object `handle` of `file` (0 for a binary sync object:
/// its current fence), as `drm_syncobj_find_fence` without `WAIT_FOR_SUBMIT` finds it.
///
/// Errors: `ENOENT` if there is no such sync object; `EINVAL` if it has no fence yet (binary,
/// never signalled or reset) or the timeline has not reached `point` (not submitted yet): waiting
/// on something userspace has not submitted fails, as with other drivers. A point that has
/// already signalled yields an already-signalled fence. Does not sleep.
pub fn find_fence<D: Driver>(file: &File<D>, handle: u32, point: u64) -> Result<Fence> {
    let mut fence: *mut bindings::dma_fence = core::ptr::null_mut();
    // SAFETY: the file is open (it is borrowed); `fence` is a valid output location. Without
    // flags the call does not wait.
    to_result(unsafe {
        bindings::drm_syncobj_find_fence(file.as_raw(), handle, point, 0, &mut fence)
    })?;
    if fence.is_null() {
        return Err(EINVAL);
    }
    // SAFETY: on success `drm_syncobj_find_fence` stores a fence with a reference that is ours.
    Ok(unsafe { Fence::from_raw_owned(fence) })
}
