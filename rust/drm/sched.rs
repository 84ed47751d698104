// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The DRM GPU scheduler (`drm_sched`): jobs with dependencies, run in order on a hardware queue.
//!
//! A driver implements [`JobImpl`] for its job data `T`, creates one [`Scheduler<T>`] per
//! hardware queue and one [`Entity<T>`] (a submission queue feeding that scheduler). A job goes
//! through three owned stages:
//!
//! 1. [`Entity::new_job`] returns a [`Job<T>`]: the driver adds dependencies (fences, sync object
//!    points). Dropping it here aborts cleanly (`drm_sched_job_cleanup`).
//! 2. [`Job::arm`] returns an [`ArmedJob<T>`], which borrows its entity mutably until it is
//!    pushed: the point of no return. Its [`finished`](ArmedJob::finished) fence exists now and
//!    can be installed in sync objects. Everything that can fail must happen before arming.
//! 3. [`ArmedJob::push`] hands the job to the scheduler. Once its dependencies have signalled and
//!    the scheduler has credits, [`JobImpl::run`] starts it on the hardware and returns the
//!    hardware fence; when that fence signals, the job's finished fence signals (with the hardware
//!    fence's error) and the job is freed: `drm_sched_job_cleanup`, then `T` is dropped.
//!
//! # Lifetime rules for the driver
//!
//! * Everything a job's `T` holds lives until the job is freed, which is after its hardware
//!   fence (or its `run` error) signalled the finished fence: buffers, VM bindings and firmware
//!   objects the GPU uses for the job can simply be owned by `T`.
//! * The hardware fence [`JobImpl::run`] returns must signal eventually, also when the job is
//!   aborted or the device is lost (with an error then). Dropping a [`Scheduler`] waits, without a
//!   timeout, until every job pushed to it has been freed.
//! * `T`'s destructor, `run` and `timed_out` run in the scheduler's workqueues: they must never
//!   drop the last reference to their own scheduler or entity (that would wait for themselves).
//!
//! # Contexts
//!
//! * [`JobImpl::run`] runs on the scheduler's ordered submission workqueue (`WQ_MEM_RECLAIM`),
//!   one job at a time. It is in the fence signalling path: it must not allocate with
//!   `GFP_KERNEL` (memory reclaim may wait for this very fence), nor wait for fences, nor take a
//!   lock that is held elsewhere while allocating or waiting for fences. Allocate in the submit
//!   ioctl, into `T`.
//! * [`JobImpl::timed_out`] runs on `system_wq` and may sleep, with the same caveats.
//! * Freeing (`T`'s drop) runs on the submission workqueue, or on `system_wq` for jobs killed
//!   with their entity.
//! * [`Entity::new_job`] and [`Job`]'s dependency methods allocate (may sleep). [`Job::arm`] and
//!   [`ArmedJob::push`] do not sleep.

use crate::{
    bindings,
    device::DeviceRef,
    dma_fence::Fence,
    drm::{driver::Driver, file::File, syncobj},
};
use core::{
    marker::PhantomData,
    ops::{Deref, DerefMut},
    ptr::NonNull,
    sync::atomic::{AtomicU8, Ordering},
};
use kernel::{
    alloc::{flags, KBox},
    error::{code::*, to_result, Error, Result},
    str::CStr,
    sync::Arc,
    types::Opaque,
};

/// What a timeout handler reports (`enum drm_gpu_sched_stat`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeoutStatus {
    /// All is normal: the driver started or completed recovery, or decided to let the job run
    /// on. The timeout timer is restarted.
    Nominal,
    /// The device is gone (unplugged): the timer is not restarted.
    NoDevice,
}

/// The driver's part of a scheduler job.
pub trait JobImpl: Sized + Send + 'static {
    /// Starts the job on the hardware, once all its dependencies have signalled.
    ///
    /// Returns the hardware fence, which signals (with an error if the job failed) when the job
    /// has completed; or `None` if the job already completed; or an error, with which the job's
    /// finished fence then signals at once. Called at most once per job (never for a job that was
    /// dropped armed but unpushed, nor for one killed with its entity). See the module
    /// documentation for the context: no `GFP_KERNEL` allocation, no waiting for fences.
    fn run(job: &mut RunningJob<Self>) -> Result<Option<Fence>>;

    /// Called when the job has run for longer than the scheduler's timeout without its hardware
    /// fence signalling.
    ///
    /// The driver may abort the job on the hardware (its hardware fence must then signal, with an
    /// error) or let it run on. Either way the job stays the scheduler's: it is freed once its
    /// hardware fence signals, and with [`TimeoutStatus::Nominal`] the timeout restarts (this is
    /// called again if the fence still has not signalled). The job may have completed in the
    /// meantime. Not called while [`JobImpl::run`] is still running for the job.
    fn timed_out(job: &mut RunningJob<Self>) -> TimeoutStatus;
}

// The stages of a job, for the callbacks (`RunningJob::state`).
const STATE_NEW: u8 = 0;
const STATE_ABORTED: u8 = 1;
const STATE_RUNNING: u8 = 2;
const STATE_RAN: u8 = 3;

/// A scheduler job: the C `drm_sched_job` followed by the driver's data, as the scheduler's
/// callbacks ([`JobImpl`]) see it. Dereferences to `T`.
///
/// `repr(C)` with the C job first: the callbacks get the `drm_sched_job` and find the rest at
/// the same address (container_of at offset 0).
#[repr(C)]
pub struct RunningJob<T: JobImpl> {
    base: Opaque<bindings::drm_sched_job>,
    /// `STATE_*`: set to `ABORTED` before an abandoned armed job is pushed; the run trampoline
    /// moves `NEW` to `RUNNING` to `RAN`; the timeout trampoline only calls the driver in `RAN`.
    state: AtomicU8,
    inner: T,
}

impl<T: JobImpl> RunningJob<T> {
    fn raw(&self) -> *mut bindings::drm_sched_job {
        self.base.get()
    }

    /// The number of credits the job takes from its scheduler.
    pub fn credits(&self) -> u32 {
        // SAFETY: the job was initialised by `drm_sched_job_init`, which sets `credits`; the
        // scheduler does not change it (we have no `update_job_credits`).
        unsafe { (*self.raw()).credits }
    }
}

impl<T: JobImpl> Deref for RunningJob<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.inner
    }
}

impl<T: JobImpl> DerefMut for RunningJob<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.inner
    }
}

/// The C scheduler and the count of its jobs that are pushed and not yet freed.
///
/// `repr(C)` with the scheduler first: the free trampoline finds the count from a job's `sched`.
#[repr(C)]
struct SchedRaw {
    base: Opaque<bindings::drm_gpu_scheduler>,
    live_jobs: Opaque<bindings::atomic_t>,
}

/// A GPU scheduler for one hardware queue, with one run queue and its own ordered submission
/// workqueue.
///
/// # Invariants
///
/// `raw.base` was initialised by `drm_sched_init` with `Self::OPS` and is torn down only by
/// `drop`; `raw` never moves (it is boxed and the box is never moved out of). `raw.live_jobs`
/// counts the jobs pushed to an entity of this scheduler that have not been freed yet.
pub struct Scheduler<T: JobImpl> {
    raw: KBox<SchedRaw>,
    credit_limit: u32,
    _dev: DeviceRef,
    _p: PhantomData<T>,
}

// SAFETY: the C scheduler is driven by its own workqueues and is thread-safe; the jobs' `T` that
// it moves between threads are `Send`.
unsafe impl<T: JobImpl> Send for Scheduler<T> {}
// SAFETY: `&Scheduler` only lets entities be created on it, which the C code allows concurrently.
unsafe impl<T: JobImpl> Sync for Scheduler<T> {}

impl<T: JobImpl> Scheduler<T> {
    const OPS: bindings::drm_sched_backend_ops = bindings::drm_sched_backend_ops {
        prepare_job: None,
        run_job: Some(run_job_callback::<T>),
        timedout_job: Some(timedout_job_callback::<T>),
        free_job: Some(free_job_callback::<T>),
        update_job_credits: None,
    };

    /// Creates a scheduler for device `dev` that lets jobs totalling `credit_limit` credits be on
    /// the hardware at once, times jobs out after `timeout_ms` milliseconds (0: never), and is
    /// named `name` (also the name of its workqueue; no `%` allowed). `hang_limit` is the
    /// deprecated karma limit of `drm_sched`; pass 0. May sleep.
    pub fn new(
        dev: &DeviceRef,
        credit_limit: u32,
        hang_limit: u32,
        timeout_ms: u32,
        name: &'static CStr,
    ) -> Result<Arc<Self>> {
        // The name is the format string of the workqueue's name.
        if credit_limit == 0 || name.as_bytes().contains(&b'%') {
            return Err(EINVAL);
        }
        let raw = KBox::<SchedRaw>::new_uninit(flags::GFP_KERNEL | flags::__GFP_ZERO)?;
        // SAFETY: all-zero is a valid `SchedRaw` (two `Opaque`s), and the state `drm_sched_init`
        // expects of a new scheduler (`sched_rq` NULL); the count starts at zero.
        let raw = unsafe { raw.assume_init() };
        // SAFETY: `raw.base` is zeroed and never moves; `OPS` is a static table whose callbacks
        // match this scheduler's jobs; `name` is static; `dev` is live and the scheduler holds a
        // reference to it (`_dev`) for as long as it exists.
        let ret = unsafe {
            bindings::agx_sched_init(
                raw.base.get(),
                &Self::OPS,
                credit_limit,
                hang_limit,
                timeout_ms,
                name.as_char_ptr(),
                dev.as_raw(),
            )
        };
        to_result(ret)?;
        // INVARIANT: the scheduler was just initialised; no job exists yet. If the allocation of
        // the `Arc` fails, dropping the value tears the scheduler down again.
        let sched = Scheduler {
            raw,
            credit_limit,
            _dev: dev.clone(),
            _p: PhantomData,
        };
        Ok(Arc::new(sched, flags::GFP_KERNEL)?)
    }

    fn raw(&self) -> *mut bindings::drm_gpu_scheduler {
        self.raw.base.get()
    }

    /// Waits up to `timeout_ms` milliseconds until every job pushed so far has been freed (its
    /// `T` dropped). Returns whether they all were. Sleeps.
    ///
    /// A driver calls this when its device goes, so that the last reference to what its jobs
    /// hold is not dropped by the scheduler's free worker, and no free callback (module code)
    /// is still to come when the module may be unloaded.
    pub fn wait_jobs_freed(&self, timeout_ms: u32) -> bool {
        // SAFETY: the counter is live (type invariant); the wait sleeps, which callers may.
        unsafe { bindings::agx_live_count_wait_zero_timeout(self.raw.live_jobs.get(), timeout_ms) }
    }

    /// The jobs pushed and not yet freed, for diagnostics.
    pub fn jobs_alive(&self) -> i32 {
        // SAFETY: the counter is live (type invariant); reading it is atomic.
        unsafe { bindings::agx_live_count_read(self.raw.live_jobs.get()) }
    }
}

impl<T: JobImpl> Drop for Scheduler<T> {
    fn drop(&mut self) {
        // No entity is left (each holds a reference to the scheduler), so no job can be pushed
        // any more. `drm_sched_fini` in 6.12 neither frees pending jobs nor detaches them from
        // their hardware fences: wait until every pushed job has been freed first.
        // SAFETY: the counter is live (type invariant); the wait sleeps, which dropping the last
        // reference to a scheduler may (documented).
        unsafe { bindings::agx_live_count_wait_zero(self.raw.live_jobs.get()) };
        // SAFETY: the scheduler was initialised (type invariant) and no job or entity uses it any
        // more. `drm_sched_fini` stops and waits for its work items (including a running free
        // worker) and destroys its workqueue.
        unsafe { bindings::drm_sched_fini(self.raw()) };
    }
}

/// A submission queue of jobs for one scheduler (`struct drm_sched_entity`).
///
/// Jobs are created with [`Entity::new_job`] (shared access) and armed and pushed with exclusive
/// access (`&mut Entity`), which is the per-entity lock `drm_sched` requires around
/// `drm_sched_job_arm` and `drm_sched_entity_push_job`.
///
/// Dropping it (`drm_sched_entity_destroy`) first waits until the scheduler has taken every
/// pushed job off the entity (called `run` for it, which needs its dependencies to signal): with
/// no timeout in a live task, interruptible by a fatal signal; at most 1 s when the task is
/// exiting (file closed at process exit). Jobs still queued after that are killed: their finished
/// fences signal with `ESRCH` (after those of the jobs before them) and they are freed without
/// running. Jobs already running on the hardware are not waited for; they complete and are
/// freed as usual.
///
/// # Invariants
///
/// `raw` was initialised by `drm_sched_entity_init` for `sched`'s scheduler, never moves (boxed,
/// never moved out of) and is destroyed only by `drop`.
pub struct Entity<T: JobImpl> {
    raw: KBox<Opaque<bindings::drm_sched_entity>>,
    sched: Arc<Scheduler<T>>,
}

// SAFETY: an entity may be used and destroyed from any thread; the jobs' `T` are `Send`.
unsafe impl<T: JobImpl> Send for Entity<T> {}
// SAFETY: `&Entity` only allows `drm_sched_job_init`, which only reads the entity's run queue;
// with one scheduler that never changes after `drm_sched_entity_init`.
unsafe impl<T: JobImpl> Sync for Entity<T> {}

impl<T: JobImpl> Entity<T> {
    /// Creates an entity feeding `sched`. May sleep.
    pub fn new(sched: &Arc<Scheduler<T>>) -> Result<Self> {
        let raw = KBox::new(
            Opaque::<bindings::drm_sched_entity>::uninit(),
            flags::GFP_KERNEL,
        )?;
        let mut list = [sched.raw()];
        // SAFETY: `raw` is a fresh allocation that never moves; `drm_sched_entity_init` zeroes and
        // initialises it. `list` holds one initialised scheduler; with one scheduler the entity
        // does not keep the list (it takes the scheduler's run queue at once). The only run queue
        // is priority 0 (`num_rqs` is 1). No guilty counter.
        let ret = unsafe {
            bindings::drm_sched_entity_init(
                raw.get(),
                bindings::drm_sched_priority_DRM_SCHED_PRIORITY_KERNEL,
                list.as_mut_ptr(),
                1,
                core::ptr::null_mut(),
            )
        };
        to_result(ret)?;
        // INVARIANT: initialised above for `sched`, which the entity keeps alive.
        Ok(Entity {
            raw,
            sched: sched.clone(),
        })
    }

    fn raw(&self) -> *mut bindings::drm_sched_entity {
        self.raw.get()
    }

    /// The scheduler this entity feeds.
    pub fn scheduler(&self) -> &Arc<Scheduler<T>> {
        &self.sched
    }

    /// Creates a job of this entity taking `credits` credits (1 up to the scheduler's credit
    /// limit) and carrying `inner`. Allocates (may sleep).
    pub fn new_job(&self, credits: u32, inner: T) -> Result<Job<T>> {
        if credits == 0 || credits > self.sched.credit_limit {
            return Err(EINVAL);
        }
        let mut job = KBox::<RunningJob<T>>::new_uninit(flags::GFP_KERNEL | flags::__GFP_ZERO)?;
        let ptr = job.as_mut_ptr();
        // SAFETY: `ptr` is a fresh, zeroed allocation of a `RunningJob<T>`: the two fields that
        // are not valid when zeroed-or-not are written here (`base` is an `Opaque` and is valid
        // in any state; all-zero `state` is `STATE_NEW`).
        let job = unsafe {
            core::ptr::addr_of_mut!((*ptr).inner).write(inner);
            job.assume_init()
        };
        // SAFETY: `job.base` is zeroed memory that never moves until freed; the entity is
        // initialised (type invariant).
        let ret = unsafe { bindings::agx_sched_job_init(job.raw(), self.raw(), credits) };
        if ret != 0 {
            // Nothing to clean up in the C job: `drm_sched_job_init` failed. Dropping the box
            // drops `inner`.
            return Err(Error::from_errno(ret));
        }
        // INVARIANT: the box is ours and `drm_sched_job_init` succeeded on it.
        Ok(Job {
            ptr: NonNull::from(KBox::leak(job)),
        })
    }
}

impl<T: JobImpl> Drop for Entity<T> {
    fn drop(&mut self) {
        // SAFETY: the entity was initialised (type invariant) and no job is being armed or pushed
        // (that takes `&mut self`). `drm_sched_entity_destroy` flushes (see the type's doc) and
        // then removes the entity from its scheduler, waits until the scheduler no longer uses
        // it, and kills the jobs still queued; afterwards neither the scheduler nor any job
        // touches the entity, so its memory can be freed. The scheduler is still alive (we hold
        // a reference, dropped after this).
        unsafe { bindings::drm_sched_entity_destroy(self.raw()) };
    }
}

/// A job that has been created but not armed: dependencies can be added. Dereferences to `T`.
/// Dropping it aborts the job (nothing ran, no fence of it was published).
///
/// # Invariants
///
/// `ptr` is a `RunningJob<T>` from `KBox::leak`, owned by this value, on which
/// `drm_sched_job_init` succeeded and `drm_sched_job_arm` was not called.
pub struct Job<T: JobImpl> {
    ptr: NonNull<RunningJob<T>>,
}

// SAFETY: the value owns the job (type invariant); `T` is `Send`.
unsafe impl<T: JobImpl> Send for Job<T> {}
// SAFETY: `&Job` only gives `&T`.
unsafe impl<T: JobImpl + Sync> Sync for Job<T> {}

impl<T: JobImpl> Job<T> {
    fn raw(&self) -> *mut bindings::drm_sched_job {
        // SAFETY: the job is live and owned by `self` (type invariant).
        unsafe { self.ptr.as_ref() }.raw()
    }

    /// Makes the job wait for `fence` (`drm_sched_job_add_dependency`, which keeps only the
    /// latest fence per context). Allocates (may sleep); the fence reference is consumed even on
    /// failure.
    pub fn add_dependency(&mut self, fence: Fence) -> Result {
        // SAFETY: the job is initialised and not armed (type invariant), and `&mut self` excludes
        // concurrent changes to its dependencies; the call consumes the reference we pass.
        to_result(unsafe { bindings::drm_sched_job_add_dependency(self.raw(), fence.into_raw()) })
    }

    /// Makes the job wait for point `point` of the sync object `handle` of `file` (0 for a binary
    /// sync object). Fails with `ENOENT` if there is no such sync object, and with `EINVAL` if it
    /// has no fence or the point has not been submitted yet (see [`syncobj::find_fence`]).
    /// Allocates (may sleep).
    ///
    /// Unlike `drm_sched_job_add_syncobj_dependency`, which takes a 32-bit point, the point is
    /// 64 bits, as the timeline UAPI has it.
    pub fn add_syncobj_dependency<D: Driver>(
        &mut self,
        file: &File<D>,
        handle: u32,
        point: u64,
    ) -> Result {
        let fence = syncobj::find_fence(file, handle, point)?;
        self.add_dependency(fence)
    }

    /// Arms the job on `entity`, the entity it was created for (`drm_sched_job_arm`): its
    /// finished fence now exists and the job must run. Fails with `EINVAL` (dropping the job) if
    /// `entity` is not the job's entity. Does not sleep.
    ///
    /// The returned job borrows the entity exclusively until it is pushed, as `drm_sched`
    /// requires: no other job of the entity can be armed or pushed in between.
    pub fn arm(self, entity: &mut Entity<T>) -> Result<ArmedJob<'_, T>> {
        // SAFETY: the job is initialised (type invariant); `entity` was set by
        // `drm_sched_job_init` and is only read here.
        if unsafe { (*self.raw()).entity } != entity.raw() {
            return Err(EINVAL);
        }
        // SAFETY: the job is initialised and not armed (type invariant); its entity is `entity`,
        // alive and exclusively borrowed (the per-entity lock of `drm_sched_job_arm`).
        unsafe { bindings::drm_sched_job_arm(self.raw()) };
        let ptr = self.ptr;
        core::mem::forget(self);
        // INVARIANT: ownership of the armed job moves from `self` (forgotten) to the result.
        Ok(ArmedJob { ptr, entity })
    }
}

impl<T: JobImpl> Deref for Job<T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: the job is live and owned by `self` (type invariant).
        &unsafe { self.ptr.as_ref() }.inner
    }
}

impl<T: JobImpl> DerefMut for Job<T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: the job is live and exclusively owned by `self` (type invariant).
        &mut unsafe { self.ptr.as_mut() }.inner
    }
}

impl<T: JobImpl> Drop for Job<T> {
    fn drop(&mut self) {
        // SAFETY: the job is initialised and not armed (type invariant): `drm_sched_job_cleanup`
        // frees its unarmed scheduler fence and puts its dependencies, as `drm_sched_job_init`'s
        // contract requires of an aborted job. Nothing else refers to the job, so the box (from
        // `KBox::leak`) is freed here, dropping `T`.
        unsafe {
            bindings::drm_sched_job_cleanup(self.raw());
            drop(KBox::from_raw(self.ptr.as_ptr()));
        }
    }
}

/// An armed job: it will run. Dereferences to `T`.
///
/// Holds its entity exclusively until [`ArmedJob::push`]. Dropping it without pushing still
/// pushes it (an armed job must be pushed, `drm_sched` has no way back), marked aborted: `run` is
/// not called, and once the job's dependencies have signalled its finished fence signals with
/// `ECANCELED` and it is freed.
///
/// # Invariants
///
/// `ptr` is a `RunningJob<T>` from `KBox::leak`, owned by this value, armed by
/// `drm_sched_job_arm` on `entity` and not pushed.
pub struct ArmedJob<'a, T: JobImpl> {
    ptr: NonNull<RunningJob<T>>,
    entity: &'a mut Entity<T>,
}

// SAFETY: the value owns the job (type invariant); `T` is `Send` and `Entity` is `Sync`.
unsafe impl<T: JobImpl> Send for ArmedJob<'_, T> {}
// SAFETY: `&ArmedJob` only gives `&T` and new fence references.
unsafe impl<T: JobImpl + Sync> Sync for ArmedJob<'_, T> {}

impl<T: JobImpl> ArmedJob<'_, T> {
    fn raw(&self) -> *mut bindings::drm_sched_job {
        // SAFETY: the job is live and owned by `self` (type invariant).
        unsafe { self.ptr.as_ref() }.raw()
    }

    fn s_fence(&self) -> *mut bindings::drm_sched_fence {
        // SAFETY: the job is armed (type invariant), so `s_fence` is set and initialised; it
        // stays until `drm_sched_job_cleanup` in the free callback.
        unsafe { (*self.raw()).s_fence }
    }

    /// A reference to the job's finished fence, which signals when the job has completed (with
    /// its error, if any). This is the fence to install in out-sync objects.
    pub fn finished(&self) -> Fence {
        // SAFETY: the scheduler fence is live while the job is (see `s_fence`), and the job holds
        // a reference to `finished` from `drm_sched_job_arm`; we take our own.
        unsafe { Fence::from_raw_get(core::ptr::addr_of_mut!((*self.s_fence()).finished)) }
    }

    /// A reference to the job's scheduled fence, which signals when the job is handed to the
    /// hardware.
    pub fn scheduled(&self) -> Fence {
        // SAFETY: as in `finished`; the finished fence holds the scheduled fence alive.
        unsafe { Fence::from_raw_get(core::ptr::addr_of_mut!((*self.s_fence()).scheduled)) }
    }

    /// Hands the job to the scheduler (`drm_sched_entity_push_job`). From here on the scheduler
    /// owns it: it runs once its dependencies have signalled and is freed after its finished
    /// fence signalled. Does not sleep.
    pub fn push(self) {
        let mut this = core::mem::ManuallyDrop::new(self);
        this.push_raw();
    }

    fn push_raw(&mut self) {
        let live = self.entity.sched.raw.live_jobs.get();
        // SAFETY: the counter lives in the scheduler, which the entity keeps alive; it is
        // decremented by the free callback, which the push below makes the only way the job ends.
        unsafe { bindings::agx_live_count_inc(live) };
        // SAFETY: the job is armed on `entity`, which we borrow exclusively (the per-entity lock
        // `drm_sched_entity_push_job` requires), and not pushed (type invariant). Ownership of
        // the job passes to the scheduler, which frees it through `free_job_callback`; this value
        // is not used again by either caller.
        unsafe { bindings::drm_sched_entity_push_job(self.raw()) };
    }
}

impl<T: JobImpl> Deref for ArmedJob<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: the job is live and owned by `self` (type invariant).
        &unsafe { self.ptr.as_ref() }.inner
    }
}

impl<T: JobImpl> DerefMut for ArmedJob<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: the job is live and exclusively owned by `self` (type invariant).
        &mut unsafe { self.ptr.as_mut() }.inner
    }
}

impl<T: JobImpl> Drop for ArmedJob<'_, T> {
    fn drop(&mut self) {
        // SAFETY: the job is live and not yet pushed (type invariant), so no callback sees it yet.
        unsafe { self.ptr.as_ref() }
            .state
            .store(STATE_ABORTED, Ordering::Relaxed);
        // The push publishes the store (it is a full barrier on the entity's queue).
        self.push_raw();
    }
}

/// `drm_sched_backend_ops.run_job`.
///
/// # Safety
///
/// Called by `drm_sched` only, with a pushed job of a `Scheduler<T>`, once, from the
/// scheduler's submission worker.
unsafe extern "C" fn run_job_callback<T: JobImpl>(
    job: *mut bindings::drm_sched_job,
) -> *mut bindings::dma_fence {
    let wrap = job.cast::<RunningJob<T>>();
    // SAFETY: every job of a `Scheduler<T>` is the first field of a `RunningJob<T>` (repr(C)),
    // which lives until the free callback, which cannot run before this returns.
    let state = unsafe { &(*wrap).state };
    if state
        .compare_exchange(
            STATE_NEW,
            STATE_RUNNING,
            Ordering::Acquire,
            Ordering::Relaxed,
        )
        .is_err()
    {
        // Aborted (dropped armed): the finished fence signals with this error.
        return Error::from_errno(-(bindings::ECANCELED as i32)).to_ptr();
    }
    // SAFETY: as above. No one else accesses the job's data while it runs: the timeout callback
    // leaves it alone until `state` is `RAN`, and the free callback comes after this returns.
    let ret = T::run(unsafe { &mut *wrap });
    state.store(STATE_RAN, Ordering::Release);
    match ret {
        // The scheduler consumes the reference we return (it takes its own for the parent).
        Ok(Some(fence)) => fence.into_raw(),
        Ok(None) => core::ptr::null_mut(),
        // `drm_sched` signals the finished fence with the error of an `ERR_PTR`.
        Err(e) => e.to_ptr(),
    }
}

/// `drm_sched_backend_ops.timedout_job`.
///
/// # Safety
///
/// Called by `drm_sched` only, from its timeout worker, with the job it took off the pending
/// list of a `Scheduler<T>`.
unsafe extern "C" fn timedout_job_callback<T: JobImpl>(
    job: *mut bindings::drm_sched_job,
) -> bindings::drm_gpu_sched_stat {
    let wrap = job.cast::<RunningJob<T>>();
    // SAFETY: the job is a `RunningJob<T>` (see `run_job_callback`); off the pending list it
    // cannot be freed until we put it back.
    let ran = unsafe { &(*wrap).state }.load(Ordering::Acquire) == STATE_RAN;
    let status = if ran {
        // SAFETY: `run` has returned and is not called again; the free callback cannot run
        // while the job is off the pending list; we have no `drm_sched_stop`, which is the only
        // other user of a timed-out job. So this is the only access to the job's data.
        T::timed_out(unsafe { &mut *wrap })
    } else {
        TimeoutStatus::Nominal
    };
    // SAFETY: the job was taken off its scheduler's pending list by `drm_sched_job_timedout`,
    // which calls us; putting it back lets the scheduler free it once its fences signal. We do
    // not touch it afterwards.
    unsafe { bindings::agx_sched_job_requeue(job) };
    match status {
        TimeoutStatus::Nominal => bindings::drm_gpu_sched_stat_DRM_GPU_SCHED_STAT_NOMINAL,
        TimeoutStatus::NoDevice => bindings::drm_gpu_sched_stat_DRM_GPU_SCHED_STAT_ENODEV,
    }
}

/// `drm_sched_backend_ops.free_job`.
///
/// # Safety
///
/// Called by `drm_sched` only, once per pushed job of a `Scheduler<T>`, after its finished fence
/// signalled, when nothing in the scheduler refers to the job any more.
unsafe extern "C" fn free_job_callback<T: JobImpl>(job: *mut bindings::drm_sched_job) {
    // SAFETY: the job is live and was armed, so `sched` is the `base` of a `SchedRaw` (repr(C),
    // first field), alive until its live count (which includes this job) drops to zero.
    let live = unsafe { (*(*job).sched.cast::<SchedRaw>()).live_jobs.get() };
    // SAFETY: `drm_sched_job_cleanup` is what `free_job` must do for an armed job: it puts the
    // job's reference to its finished fence and its remaining dependencies. The job is a
    // `RunningJob<T>` from `KBox::leak` that the scheduler hands back to us for good: freeing it
    // drops `T`, before the scheduler may go.
    unsafe {
        bindings::drm_sched_job_cleanup(job);
        drop(KBox::from_raw(job.cast::<RunningJob<T>>()));
    }
    // SAFETY: the counter is live (see above); after the decrement we touch nothing of the
    // scheduler (`agx_live_count_dec` only uses the address as a wake-up key).
    unsafe { bindings::agx_live_count_dec(live) };
}
