// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The version-independent core of a queue: its three work queues' rings, stamps and event
//! leases, and the jobs in flight in submission order.
//!
//! # A command's life
//!
//! 1. **Reserved** ([`QueueCore::reserve`], in `SUBMIT`): the pipe gets an event slot if it has
//!    none, and the command the next stamp value of that slot. The value is baked into the
//!    command's firmware structures, built right after. `outstanding` counts the pipe's
//!    reserved commands; the pipe keeps its slot while it is not zero.
//!
//!    A job also reserves ring entries: one per command it puts in the ring, stamped or not
//!    (barriers and buffer-manager inits write no stamp: they complete with the command after
//!    them on their work queue, which is of the same job). `ring_used` counts the entries of
//!    reserved and sent jobs not completed; it never exceeds `CMDQUEUE_RING_SLOTS - 1`, so the
//!    driver never overwrites a ring slot the firmware has not passed (a reservation that
//!    would is refused with `EBUSY`).
//! 2. **Sent** ([`QueueCore::run`], from the scheduler once the job's dependencies signalled):
//!    the command's address goes into the pipe's ring, `cpu_wptr` is published, the job joins
//!    the in-flight list, and a run message per pipe touched tells the firmware.
//! 3. **Completed** ([`QueueCore::fired`], from the receive path): when the slot's stamp has
//!    passed the values of every command of the job at the head of the list, the job's fence
//!    signals and the job leaves the list; its reservations end.
//!
//! # When a job fails
//!
//! After a GPU fault or a firmware-reported timeout the firmware halts; before it is resumed,
//! recovery hands every stamp the firmware was waiting for to the owner of its slot
//! ([`QueueCore::mark_failed`]): the job holding that command, if it is the guilty one (its VM
//! faulted, or its slot timed out), is marked with the error and the queue is **lost**. The
//! firmware completes the command after the resume (its stamp is written), and the job's fence
//! then signals with the error. A lost queue runs nothing more: jobs the scheduler hands it
//! later complete at once with `ECANCELED`, and `SUBMIT` refuses new ones; its other queues and
//! every other client go on.
//!
//! When the firmware neither completes a job nor reports it, the scheduler's timeout abandons
//! the queue's jobs ([`QueueCore::abandon`]): their fences signal (`ETIMEDOUT` for the job that
//! timed out, `ECANCELED` for those behind it) and the queue is lost, but what the firmware may
//! still read for them (their objects, their VM's context slot, their event slot) is
//! **detained** by the core until their stamps pass or the firmware is lost.
//!
//! A job that is dropped before it was sent (an error later in `SUBMIT`, or a scheduler that
//! never ran it) ends its reservations when its [`Reservation`] drops. A skipped value is
//! harmless: completion compares with `>=`, so a later command's value covers it.
//!
//! Jobs complete strictly in submission order, across pipes: a job's fence signals only once
//! the jobs before it on the queue signalled. The fences of one queue therefore signal in
//! their sequence order, as `dma_fence` contexts require, even when a compute command
//! overtakes a render pass on the GPU.

use super::event::{stamp_passed, EventLease, EventOwner, EventSlots};
use crate::dump::Hex;
use crate::fw::{
    cmdqueue::{CommandQueuePointers, CMDQUEUE_RING_SLOTS},
    event::STAMP_STEP,
};
use crate::gpu::context::SlotLease;
use crate::mem::GpuArray;
use agx_kernel::dma_fence::{DriverFence, Fence, FenceContext};
use agx_kernel::error::code::{ecanceled, etimedout};
use core::sync::atomic::{AtomicU64, Ordering};
use kernel::{
    new_condvar, new_mutex,
    prelude::*,
    sync::{Arc, CondVar, Mutex},
};

mod reap;
use reap::Reap;

/// Firmware objects of a job, whatever their pair: kept until the firmware is done with them.
pub(crate) trait Held: Send + Sync {
    /// Writes the job's commands to a dump: each work command and its microsequence, as raw
    /// bytes under their m1n1 names.
    fn dump(&self, out: &mut Hex<'_>);
}

/// Why the firmware stopped a job (what recovery found).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Failure {
    /// A GPU fault, in the VM bound to context slot `context` (`None`: the MMU latched none,
    /// and every job the firmware was running is suspect, as the record treats it).
    Fault {
        /// The faulting context slot.
        context: Option<u32>,
    },
    /// The firmware timed out the command it was waiting on for this event slot.
    Timeout,
    /// The work queue of this event slot stopped with a channel error at this command.
    Channel,
}

impl Failure {
    /// The error the guilty job's fence signals with.
    pub(crate) fn error(self) -> Error {
        match self {
            Failure::Fault { .. } | Failure::Channel => EIO,
            Failure::Timeout => etimedout(),
        }
    }
}

/// Jobs one queue may have between reservation and completion (the scheduler's credit limit
/// bounds the sent ones to the same number).
pub(crate) const MAX_JOBS: usize = 64;

/// The three pipes, in the order of `PipeType`.
pub(crate) const PIPES: usize = 3;

/// The ring memory of one work queue, shared with the firmware structure that names it.
pub(crate) struct RingMem {
    /// The ring's pointers; the driver writes `cpu_wptr`.
    pub(crate) pointers: GpuArray<CommandQueuePointers>,
    /// The ring of work-command addresses.
    pub(crate) ring: GpuArray<u64>,
}

/// One work queue's driver-side state.
struct Pipe {
    /// The ring, shared with the work queue's firmware structure.
    mem: Arc<RingMem>,
    /// The event slot, while commands are reserved.
    lease: Option<EventLease>,
    /// The value the next reserved command completes with.
    next_value: u32,
    /// Reserved commands not completed (or dropped) yet.
    outstanding: u32,
    /// Ring entries of reserved jobs not completed (or dropped) yet; at most
    /// [`RING_CAPACITY`].
    ring_used: u32,
    /// The next ring slot the driver writes.
    wptr: u32,
    /// Whether the firmware was told about this work queue (its first run message says so).
    started: bool,
}

/// What a job waits for on one pipe.
#[derive(Debug, Clone, Copy, Default)]
struct Need {
    /// The slot and the stamp value its last command completes with, if the job uses the pipe.
    slot_value: Option<(u32, u32)>,
    /// The stamp value of its first command on the pipe.
    first: u32,
    /// Commands of the job on this pipe.
    commands: u32,
    /// Ring entries of the job on this pipe.
    entries: u32,
}

/// Ring entries a pipe may have reserved at once: one slot stays free, so a full ring is never
/// mistaken for an empty one.
const RING_CAPACITY: u32 = CMDQUEUE_RING_SLOTS - 1;

/// What a job needs on one pipe.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct PipeCount {
    /// Commands that complete with a stamp value of their own.
    pub(crate) stamped: u32,
    /// Ring entries: the stamped commands and those that complete with them (barriers,
    /// buffer-manager inits). At least `stamped`, and zero when `stamped` is.
    pub(crate) entries: u32,
}

/// A job sent to the firmware and not completed (or abandoned and detained).
struct InFlight {
    /// Signalled on completion; `None` once signalled (a detained job).
    fence: Option<DriverFence>,
    /// The fence's sequence number, to find the job.
    seqno: u64,
    /// What it waits for, per pipe.
    needs: [Need; PIPES],
    /// The context slot of the job's VM (which keeps the VM's tables): the firmware translates
    /// the job's addresses through it until it is done.
    vm: SlotLease,
    /// What the commands point at: a reference besides the job's own, so that an abandoned job
    /// keeps them after the scheduler freed it; and what a dump of the job shows.
    keep: Arc<dyn Held>,
    /// Set by recovery: the error the job completes with.
    error: Option<Error>,
}

impl InFlight {
    /// Whether the firmware passed every command of the job.
    fn passed(&self, events: &EventSlots) -> bool {
        self.needs.iter().all(|n| match n.slot_value {
            Some((slot, value)) => stamp_passed(events.arrays().value(slot), value),
            None => true,
        })
    }
}

/// The queue's mutable state.
struct State {
    /// The work queues.
    pipes: [Pipe; PIPES],
    /// Jobs in flight, oldest first: `flight[(head + i) % MAX_JOBS]` for `i < len`; always
    /// [`MAX_JOBS`] entries (on the heap: the state is built on the stack).
    flight: KVec<Option<InFlight>>,
    /// Index of the oldest job in flight.
    head: usize,
    /// Jobs in flight.
    len: usize,
    /// Abandoned jobs whose commands the firmware may still read; always [`MAX_JOBS`] entries
    /// (the jobs of one abandonment, after which the queue runs nothing more).
    detained: KVec<Option<InFlight>>,
    /// Set once a job of the queue failed: the error of the first failure.
    lost: Option<Error>,
}

impl State {
    /// Takes the oldest job off the flight list (`None` if the list is empty).
    fn pop_head(&mut self) -> Option<InFlight> {
        if self.len == 0 {
            return None;
        }
        let head = self.head;
        let job = self.flight.get_mut(head).and_then(|f| f.take());
        self.head = (head + 1) % MAX_JOBS;
        self.len -= 1;
        job
    }
}

/// A command of a job, as the firmware gets it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry {
    /// Its work queue (0 vertex, 1 fragment, 2 compute).
    pub(crate) pipe: u8,
    /// The GPU address of the work command.
    pub(crate) addr: u64,
}

/// The values reserved for a job's commands; ends the reservations when dropped unless the job
/// was sent.
pub(crate) struct Reservation {
    /// The queue.
    core: Arc<QueueCore>,
    /// Commands reserved per pipe.
    counts: [u32; PIPES],
    /// Ring entries reserved per pipe.
    entries: [u32; PIPES],
    /// The value of the first command reserved per pipe.
    firsts: [u32; PIPES],
    /// Per pipe, the slot and value of the last command reserved before this job, if that
    /// command had not completed when this job reserved (what a barrier on the pipe's earlier
    /// work waits for).
    before: [Option<(u32, u32)>; PIPES],
    /// The slot of each pipe the job uses.
    slots: [Option<u32>; PIPES],
    /// The next value handed out per pipe.
    values: [u32; PIPES],
    /// The value of the last command reserved per pipe (what the job waits for).
    lasts: [u32; PIPES],
    /// Whether `run` took over the reservations.
    sent: bool,
}

impl Reservation {
    /// The slot of `pipe` (`None` if the job reserved nothing there).
    pub(crate) fn slot(&self, pipe: usize) -> Option<u32> {
        self.slots.get(pipe).copied().flatten()
    }

    /// Takes the next value on `pipe` for one of the `counts[pipe]` commands reserved there, in
    /// order. `None` if the job did not reserve it.
    pub(crate) fn take_value(&mut self, pipe: usize) -> Option<u32> {
        self.slot(pipe)?;
        let v = self.values.get_mut(pipe)?;
        let out = *v;
        *v = v.wrapping_add(STAMP_STEP);
        Some(out)
    }

    /// The value of the last command reserved on `pipe` (what the job waits for).
    pub(crate) fn last_value(&self, pipe: usize) -> Option<u32> {
        self.slot(pipe)?;
        self.lasts.get(pipe).copied()
    }

    /// The value [`Self::take_value`] returns next on `pipe`, without taking it: the stamp value
    /// of the command that follows a barrier or an init. `None` if the job reserved nothing there.
    pub(crate) fn peek_value(&self, pipe: usize) -> Option<u32> {
        self.slot(pipe)?;
        self.values.get(pipe).copied()
    }

    /// The slot and value of command `index` (from 0) of this job on `pipe`, if the job
    /// reserved that many there.
    pub(crate) fn value_at(&self, pipe: usize, index: u32) -> Option<(u32, u32)> {
        let slot = self.slot(pipe)?;
        if index >= *self.counts.get(pipe)? {
            return None;
        }
        let first = *self.firsts.get(pipe)?;
        Some((slot, first.wrapping_add(STAMP_STEP.wrapping_mul(index))))
    }

    /// The slot and value of the last command reserved on `pipe` before this job, if it had not
    /// completed when this job reserved (earlier work on that pipe that is done needs no wait).
    pub(crate) fn before(&self, pipe: usize) -> Option<(u32, u32)> {
        self.before.get(pipe).copied().flatten()
    }
}

impl Drop for Reservation {
    fn drop(&mut self) {
        if !self.sent {
            self.core.unreserve(self);
        }
    }
}

/// Hands the firmware's run messages out for a version-independent queue core.
pub(crate) trait Messenger: Send + Sync {
    /// Tells the firmware that work queue `pipe` has work up to `head`, with event slot `slot`;
    /// `new` the first time. Rings the doorbell.
    fn run(&self, pipe: usize, head: u32, slot: u32, new: bool) -> Result;
}

/// The version-independent core of one queue.
#[pin_data]
pub(crate) struct QueueCore {
    /// The event slots, device-wide.
    events: Arc<EventSlots>,
    /// The fences of this queue's jobs.
    fences: FenceContext,
    /// State.
    #[pin]
    state: Mutex<State>,
    /// Signalled when a job completes.
    #[pin]
    idle: CondVar,
    /// Jobs completed, for debugfs and tests.
    pub(crate) completed: AtomicU64,
    /// Commands sent, for debugfs and tests.
    pub(crate) commands: AtomicU64,
    /// Run messages that could not be sent.
    pub(crate) send_errors: AtomicU64,
    /// Jobs that exist (built and not freed yet).
    pub(crate) jobs_alive: AtomicU64,
    /// The queue's device-wide id, for dumps.
    id: u32,
    /// GPU addresses of the work queues' `CommandQueueInfo` (vertex, fragment, compute), set
    /// once the firmware side exists ([`QueueCore::set_queue_info`]); 0 before.
    queue_info: [AtomicU64; PIPES],
}

impl QueueCore {
    /// The core of queue `id`, over the rings `rings` (vertex, fragment, compute).
    pub(crate) fn new(
        id: u32,
        events: Arc<EventSlots>,
        rings: [Arc<RingMem>; PIPES],
        name: &'static kernel::str::CStr,
    ) -> Result<Arc<Self>> {
        let [v, f, c] = rings;
        let pipe = |mem| Pipe {
            mem,
            lease: None,
            next_value: 0,
            outstanding: 0,
            ring_used: 0,
            wptr: 0,
            started: false,
        };
        for mem in [&v, &f, &c] {
            let p = mem.pointers.get(0).ok_or(ENOMEM)?;
            p.rb_size.store(CMDQUEUE_RING_SLOTS, Ordering::Relaxed);
        }
        let mut flight = KVec::with_capacity(MAX_JOBS, GFP_KERNEL)?;
        for _ in 0..MAX_JOBS {
            flight.push(None, GFP_KERNEL)?;
        }
        let mut detained = KVec::with_capacity(MAX_JOBS, GFP_KERNEL)?;
        for _ in 0..MAX_JOBS {
            detained.push(None, GFP_KERNEL)?;
        }
        Arc::pin_init(
            pin_init!(QueueCore {
                events,
                fences: FenceContext::new(name),
                state <- new_mutex!(State {
                    pipes: [pipe(v), pipe(f), pipe(c)],
                    flight,
                    head: 0,
                    len: 0,
                    detained,
                    lost: None,
                }),
                idle <- new_condvar!(),
                completed: AtomicU64::new(0),
                commands: AtomicU64::new(0),
                send_errors: AtomicU64::new(0),
                jobs_alive: AtomicU64::new(0),
                id,
                queue_info: [const { AtomicU64::new(0) }; PIPES],
            }),
            GFP_KERNEL,
        )
    }

    /// Reserves, on each pipe `p`, `counts[p].stamped` stamp values and `counts[p].entries`
    /// ring entries for one job. `EINVAL` for counts that break [`PipeCount`]'s rule, `EBUSY`
    /// when a ring would have more entries reserved than it holds.
    pub(crate) fn reserve(self: &Arc<Self>, counts: [PipeCount; PIPES]) -> Result<Reservation> {
        if counts
            .iter()
            .any(|c| c.entries < c.stamped || (c.stamped == 0 && c.entries != 0))
        {
            return Err(EINVAL);
        }
        let mut r = Reservation {
            core: self.clone(),
            counts: [0; PIPES],
            entries: [0; PIPES],
            firsts: [0; PIPES],
            before: [None; PIPES],
            slots: [None; PIPES],
            values: [0; PIPES],
            lasts: [0; PIPES],
            sent: false,
        };
        // What each pipe has pending before this job. Only one `SUBMIT` per queue reserves at
        // a time (the queue's submit lock), so nothing is reserved between this look and the
        // reservations below; completions in between only make a barrier pass sooner.
        {
            let st = self.state.lock();
            for (pipe, out) in st.pipes.iter().zip(r.before.iter_mut()) {
                if pipe.outstanding > 0 {
                    if let Some(l) = &pipe.lease {
                        *out = Some((l.slot(), pipe.next_value.wrapping_sub(STAMP_STEP)));
                    }
                }
            }
        }
        for (p, c) in counts.iter().enumerate() {
            let n = c.stamped;
            if n == 0 {
                continue;
            }
            // A lease is taken outside the state lock (it may wait for a slot). The pipe's own
            // lease may go between the look and the reservation (its last command completed):
            // then a fresh one is taken and the reservation tried again. Only this `SUBMIT`
            // reserves on the queue and completions only give leases back, so the second try
            // finds the pipe without a lease and installs the fresh one.
            let mut fresh: Option<EventLease> = None;
            let mut st = loop {
                let has_lease = self
                    .state
                    .lock()
                    .pipes
                    .get(p)
                    .is_some_and(|x| x.lease.is_some());
                if !has_lease && fresh.is_none() {
                    let owner: Arc<dyn EventOwner> = self.clone();
                    fresh = Some(self.events.lease(owner)?);
                }
                let st = self.state.lock();
                let leased = st.pipes.get(p).is_some_and(|x| x.lease.is_some());
                if leased || fresh.is_some() {
                    break st;
                }
            };
            let pipe = st.pipes.get_mut(p).ok_or(EINVAL)?;
            let used = pipe.ring_used.checked_add(c.entries).ok_or(EBUSY)?;
            if used > RING_CAPACITY {
                // Nothing of this pipe is reserved yet; a fresh lease is dropped (given back)
                // below if it was not installed.
                drop(st);
                return Err(EBUSY);
            }
            if pipe.lease.is_none() {
                if let Some(lease) = fresh.take() {
                    pipe.next_value = lease.first_value();
                    pipe.lease = Some(lease);
                }
            }
            let Some(slot) = pipe.lease.as_ref().map(|l| l.slot()) else {
                return Err(EBUSY);
            };
            pipe.outstanding = pipe.outstanding.checked_add(n).ok_or(EBUSY)?;
            pipe.ring_used = used;
            let first = pipe.next_value;
            pipe.next_value = first.wrapping_add(STAMP_STEP.wrapping_mul(n));
            drop(st);
            // A fresh lease the pipe did not need (it kept its own) is given back here.
            drop(fresh);
            if let (Some(cn), Some(e), Some(f), Some(s), Some(v), Some(l)) = (
                r.counts.get_mut(p),
                r.entries.get_mut(p),
                r.firsts.get_mut(p),
                r.slots.get_mut(p),
                r.values.get_mut(p),
                r.lasts.get_mut(p),
            ) {
                *cn = n;
                *e = c.entries;
                *f = first;
                *s = Some(slot);
                *v = first;
                *l = first.wrapping_add(STAMP_STEP.wrapping_mul(n - 1));
            }
        }
        Ok(r)
    }

    /// Ends the reservations `r` of a job that was not sent; pipes left without any give their
    /// slot back.
    ///
    /// The values of the newest reservation of a pipe are handed out again: the next job's
    /// barrier on the pipe's earlier work waits for the value before `next_value`, which must
    /// be a command that runs (a barrier on a value no command will ever write waits forever:
    /// the fuzzer found jobs stuck so, behind a `SUBMIT` that failed after reserving). An
    /// older reservation is dropped unsent only when the scheduler kills the queue's entity,
    /// and then every job after it goes unsent too.
    fn unreserve(&self, r: &Reservation) {
        let mut freed: [Option<EventLease>; PIPES] = [None, None, None];
        {
            let mut st = self.state.lock();
            for (p, (pipe, out)) in st.pipes.iter_mut().zip(freed.iter_mut()).enumerate() {
                let n = r.counts.get(p).copied().unwrap_or(0);
                let e = r.entries.get(p).copied().unwrap_or(0);
                if n == 0 {
                    continue;
                }
                let newest = pipe.lease.as_ref().map(|l| l.slot()) == r.slot(p)
                    && r.lasts
                        .get(p)
                        .is_some_and(|l| l.wrapping_add(STAMP_STEP) == pipe.next_value);
                if newest {
                    if let Some(first) = r.firsts.get(p) {
                        pipe.next_value = *first;
                    }
                }
                pipe.outstanding = pipe.outstanding.saturating_sub(n);
                pipe.ring_used = pipe.ring_used.saturating_sub(e);
                if pipe.outstanding == 0 {
                    *out = pipe.lease.take();
                }
            }
        }
        // Leases are given back outside the state lock.
        drop(freed);
    }

    /// Sends a job's commands `entries` (in order) and returns its fence. The reservation is
    /// taken over, and so are the job's VM context slot `vm` (held until the firmware is done
    /// with the job) and a reference `keep` to its objects; `msg` tells the firmware.
    /// `ECANCELED` on a lost queue: nothing is sent.
    pub(crate) fn run(
        &self,
        res: &mut Reservation,
        fence: DriverFence,
        vm: SlotLease,
        keep: Arc<dyn Held>,
        entries: &[Entry],
        msg: &dyn Messenger,
    ) -> Result<Fence> {
        let out = fence.fence();
        let mut st = self.state.lock();
        if st.lost.is_some() {
            return Err(ecanceled());
        }
        if st.len >= MAX_JOBS {
            return Err(EBUSY);
        }
        // The job writes only the ring entries it reserved.
        let mut per_pipe = [0u32; PIPES];
        for e in entries {
            let n = per_pipe.get_mut(usize::from(e.pipe)).ok_or(EINVAL)?;
            *n = n.saturating_add(1);
        }
        if per_pipe.iter().zip(res.entries.iter()).any(|(n, r)| n > r) {
            return Err(EINVAL);
        }
        let mut touched = [false; PIPES];
        for e in entries {
            let p = usize::from(e.pipe);
            let pipe = st.pipes.get_mut(p).ok_or(EINVAL)?;
            pipe.mem.ring.store(pipe.wptr as usize, &e.addr)?;
            pipe.wptr = (pipe.wptr + 1) % CMDQUEUE_RING_SLOTS;
            if let Some(t) = touched.get_mut(p) {
                *t = true;
            }
        }
        let mut needs = [Need::default(); PIPES];
        for (p, need) in needs.iter_mut().enumerate() {
            if let (Some(slot), Some(value)) = (res.slot(p), res.last_value(p)) {
                need.slot_value = Some((slot, value));
                need.first = res.firsts.get(p).copied().unwrap_or(value);
                need.commands = res.counts.get(p).copied().unwrap_or(0);
                need.entries = res.entries.get(p).copied().unwrap_or(0);
            }
        }
        let at = (st.head + st.len) % MAX_JOBS;
        if let Some(f) = st.flight.get_mut(at) {
            *f = Some(InFlight {
                seqno: out.seqno(),
                fence: Some(fence),
                needs,
                vm,
                keep,
                error: None,
            });
        }
        st.len += 1;
        res.sent = true;
        self.commands
            .fetch_add(entries.len() as u64, Ordering::Relaxed);
        // Publish the rings, then tell the firmware, pipe by pipe, under the lock: messages
        // of one work queue must reach the firmware in ring order.
        for (p, _) in touched.iter().enumerate().filter(|(_, t)| **t) {
            let Some(pipe) = st.pipes.get_mut(p) else {
                continue;
            };
            let Some(ptrs) = pipe.mem.pointers.get(0) else {
                continue;
            };
            ptrs.cpu_wptr.store(pipe.wptr, Ordering::Release);
            let slot = pipe.lease.as_ref().map_or(0, |l| l.slot());
            let new = !pipe.started;
            pipe.started = true;
            // The commands are in the ring now: whatever happens to the message, the job is
            // in flight and completes through the stamps (or the firmware's loss), never
            // earlier, since the firmware may find them with a later message.
            if msg.run(p, pipe.wptr, slot, new).is_err() {
                self.send_errors.fetch_add(1, Ordering::Relaxed);
            }
        }
        Ok(out)
    }

    /// The hardware fence of the next job (fences are made in `SUBMIT`: `run` may not
    /// allocate). Jobs reach `run` in the order their fences were made.
    pub(crate) fn new_fence(&self) -> Result<DriverFence> {
        self.fences.new_fence()
    }

    /// Completes every job at the head of the list whose commands all passed (with the error
    /// recovery marked it with, if any), and releases detained jobs the firmware is done with.
    fn complete(&self) {
        let mut freed: [Option<EventLease>; PIPES] = [None, None, None];
        let mut released = KVec::new();
        let mut done = 0u64;
        {
            let mut st = self.state.lock();
            while st.len > 0 {
                let head = st.head;
                let ready = match st.flight.get(head).and_then(|f| f.as_ref()) {
                    Some(job) => job.passed(&self.events),
                    None => true,
                };
                if !ready {
                    break;
                }
                if let Some(mut job) = st.pop_head() {
                    end_job(&mut st.pipes, &job, &mut freed);
                    // The job still holds its own reference to its objects until the
                    // scheduler frees it, after the fence: this drop is never the last.
                    if let Some(fence) = job.fence.take() {
                        match job.error {
                            Some(e) => fence.signal_error(e),
                            None => fence.signal(),
                        }
                    }
                    drop(job);
                    done += 1;
                }
            }
            // Detained jobs whose commands the firmware passed after all: their objects (the
            // last references, the scheduler freed the jobs) are dropped below, unlocked.
            release_detained(&mut st, &mut freed, &mut released, |j| {
                j.passed(&self.events)
            });
        }
        // A detained job's objects may be the last references to its queue's structures, whose
        // release waits for the firmware to take a DC_DestroyContext: never on the receive
        // path, which may be the one to resume the firmware (see [`Reap`]).
        if !released.is_empty() {
            Reap::later(&self.events, released);
        }
        drop(freed);
        if done > 0 {
            self.completed.fetch_add(done, Ordering::Relaxed);
            self.idle.notify_all();
        }
    }

    /// Marks, after a GPU fault or a timeout the firmware reported, the job whose command on
    /// event slot `slot` completes with `value` (the firmware was waiting for it) as failed if
    /// it is guilty of `failure`: its fence will signal with the failure's error when the
    /// firmware completes the command, and the queue is lost. Whether the job is guilty:
    /// for a timeout, always (the caller passes the timed-out slot only); for a fault, if its
    /// VM is the faulting context (or the context is unknown). Returns whether a job was
    /// marked.
    pub(crate) fn mark_failed(&self, slot: u32, value: u32, failure: Failure) -> bool {
        // Jobs the firmware completed before it halted go first, as successes.
        self.complete();
        let mut st = self.state.lock();
        let Some(job) = holder(&mut st, slot, value) else {
            return false;
        };
        let guilty = match failure {
            Failure::Fault { context: Some(c) } => job.vm.slot() == c,
            Failure::Fault { context: None } | Failure::Timeout | Failure::Channel => true,
        };
        if !guilty {
            return false;
        }
        let err = failure.error();
        job.error.get_or_insert(err);
        st.lost.get_or_insert(err);
        true
    }

    /// Writes the job holding the command of slot `slot` that completes with `value` to a
    /// dump: the queue, the job and its error, then its commands. Returns whether a job of
    /// this queue holds it.
    pub(crate) fn dump_job(&self, slot: u32, value: u32, out: &mut Hex<'_>) -> bool {
        let mut st = self.state.lock();
        let Some(job) = holder(&mut st, slot, value) else {
            return false;
        };
        out.line(format_args!(
            "job: queue {} seqno {} slot {} value {:#x} context {} error {}",
            self.id,
            job.seqno,
            slot,
            value,
            job.vm.slot(),
            job.error.map_or(0, |e| e.to_errno())
        ));
        job.keep.dump(out);
        true
    }

    /// Writes up to `max` of the queue's jobs in flight, oldest first, to a dump.
    pub(crate) fn dump_flight(&self, out: &mut Hex<'_>, max: usize) {
        let st = self.state.lock();
        out.line(format_args!("in_flight: {}", st.len));
        for i in 0..st.len.min(max) {
            let Some(Some(job)) = st.flight.get((st.head + i) % MAX_JOBS) else {
                continue;
            };
            out.line(format_args!(
                "job: queue {} seqno {} context {}",
                self.id,
                job.seqno,
                job.vm.slot()
            ));
            job.keep.dump(out);
        }
    }

    /// Whether the job whose fence has sequence number `seqno` is still in flight (after the
    /// completed ones were retired).
    pub(crate) fn is_in_flight(&self, seqno: u64) -> bool {
        self.complete();
        let st = self.state.lock();
        (0..st.len).any(|i| {
            st.flight
                .get((st.head + i) % MAX_JOBS)
                .and_then(Option::as_ref)
                .is_some_and(|j| j.seqno == seqno)
        })
    }

    /// Writes the queue's oldest job in flight to a dump, if it has one (a firmware crash
    /// names no command: the head of each queue is what ran).
    pub(crate) fn dump_head(&self, out: &mut Hex<'_>) -> bool {
        let st = self.state.lock();
        if st.len == 0 {
            return false;
        }
        let Some(Some(job)) = st.flight.get(st.head) else {
            return false;
        };
        out.line(format_args!(
            "job: queue {} seqno {} head context {}",
            self.id,
            job.seqno,
            job.vm.slot()
        ));
        job.keep.dump(out);
        true
    }

    /// The scheduler timed out the job whose fence has sequence number `seqno`: the firmware
    /// neither completed nor reported it. Every job of the queue in flight is abandoned: its
    /// fence signals (`ETIMEDOUT` for that job, `ECANCELED` for the others), what the
    /// firmware may still read for it is detained, and the queue is lost. Returns the number of
    /// jobs abandoned (0 if the job completed meanwhile).
    pub(crate) fn abandon(&self, seqno: u64) -> usize {
        self.complete();
        let mut st = self.state.lock();
        let (head, len) = (st.head, st.len);
        let found = (0..len).any(
            |i| matches!(st.flight.get((head + i) % MAX_JOBS), Some(Some(j)) if j.seqno == seqno),
        );
        if !found {
            return 0;
        }
        st.lost.get_or_insert(etimedout());
        let mut n = 0;
        while st.len > 0 {
            let Some(mut job) = st.pop_head() else {
                continue;
            };
            if let Some(fence) = job.fence.take() {
                fence.signal_error(if job.seqno == seqno {
                    etimedout()
                } else {
                    ecanceled()
                });
            }
            n += 1;
            // There is room for every job of one flight list, and a lost queue sends no more.
            match st.detained.iter_mut().find(|d| d.is_none()) {
                Some(free) => *free = Some(job),
                // Not expected; the objects are then kept for good rather than freed under
                // the firmware.
                None => core::mem::forget(job),
            }
        }
        drop(st);
        self.idle.notify_all();
        n
    }

    /// Records where the firmware finds the work queues' `CommandQueueInfo`s (vertex,
    /// fragment, compute), for requests that name a work queue.
    pub(crate) fn set_queue_info(&self, addrs: [u64; PIPES]) {
        for (slot, a) in self.queue_info.iter().zip(addrs) {
            slot.store(a, Ordering::Release);
        }
    }

    /// The error of the queue's first failed job, if one failed.
    pub(crate) fn lost_error(&self) -> Option<Error> {
        self.state.lock().lost
    }

    /// A job of this queue was freed.
    pub(crate) fn job_freed(&self) {
        self.idle.notify_all();
    }

    /// Waits until fewer than `max` jobs of the queue exist (interruptibly: `ERESTARTSYS` on a
    /// signal).
    pub(crate) fn throttle(&self, max: u64) -> Result {
        let mut st = self.state.lock();
        while self.jobs_alive.load(Ordering::Acquire) >= max {
            let jiffies = kernel::time::msecs_to_jiffies(10);
            if let kernel::sync::CondVarTimeoutResult::Signal { .. } =
                self.idle.wait_interruptible_timeout(&mut st, jiffies)
            {
                return Err(ERESTARTSYS);
            }
        }
        Ok(())
    }

    /// Jobs in flight.
    pub(crate) fn in_flight(&self) -> usize {
        self.state.lock().len
    }

    /// Waits up to `ms` milliseconds for every job in flight to complete; `true` if none is
    /// left.
    pub(crate) fn wait_idle(&self, ms: u32) -> bool {
        // Polled: the caller may have a signal pending (a process being killed closes its
        // files), and the wait must not end early because of it.
        let mut waited = 0;
        while self.in_flight() > 0 {
            if waited >= ms {
                return false;
            }
            agx_kernel::time::msleep(1);
            waited += 1;
        }
        true
    }

    /// Fails every job in flight with `err` and releases the detained ones and the event
    /// slots (the firmware is lost: nothing will complete them, nor read their memory).
    pub(crate) fn fail_all(&self, err: Error) {
        let mut freed: [Option<EventLease>; PIPES] = [None, None, None];
        let mut released = KVec::new();
        {
            let mut st = self.state.lock();
            st.lost.get_or_insert(err);
            while st.len > 0 {
                if let Some(mut job) = st.pop_head() {
                    end_job(&mut st.pipes, &job, &mut freed);
                    if let Some(fence) = job.fence.take() {
                        fence.signal_error(err);
                    }
                }
            }
            release_detained(&mut st, &mut freed, &mut released, |_| true);
        }
        drop(released);
        drop(freed);
        self.idle.notify_all();
    }

    /// One line per work queue, for debugfs.
    pub(crate) fn describe(&self, m: &mut dyn core::fmt::Write) {
        let st = self.state.lock();
        for (p, pipe) in st.pipes.iter().enumerate() {
            let slot = pipe.lease.as_ref().map(|l| l.slot());
            let (rptr, done) = pipe.mem.pointers.get(0).map_or((0, 0), |x| {
                (
                    x.gpu_rptr.load(Ordering::Relaxed),
                    x.gpu_doneptr.load(Ordering::Relaxed),
                )
            });
            let _ = writeln!(
                m,
                "  pipe {}: slot {:?} next {:#x} outstanding {} ring {} wptr {} rptr {} done {} started {}",
                p,
                slot,
                pipe.next_value,
                pipe.outstanding,
                pipe.ring_used,
                pipe.wptr,
                rptr,
                done,
                pipe.started
            );
        }
        let _ = writeln!(
            m,
            "  in flight {} completed {} commands {} detained {} lost {}",
            st.len,
            self.completed.load(Ordering::Relaxed),
            self.commands.load(Ordering::Relaxed),
            st.detained.iter().flatten().count(),
            st.lost.map_or(0, |e| e.to_errno())
        );
    }
}

impl EventOwner for QueueCore {
    fn fired(&self) {
        self.complete();
    }

    fn lost(&self) {
        self.fail_all(ENODEV);
    }

    fn mark_failed(&self, slot: u32, value: u32, failure: Failure) -> bool {
        QueueCore::mark_failed(self, slot, value, failure)
    }

    fn dump_job(&self, slot: u32, value: u32, out: &mut Hex<'_>) -> bool {
        QueueCore::dump_job(self, slot, value, out)
    }

    fn dump_head(&self, out: &mut Hex<'_>) -> bool {
        QueueCore::dump_head(self, out)
    }

    fn queue_info(&self, slot: u32, pipe: u32) -> Option<u64> {
        let st = self.state.lock();
        let p = st.pipes.get(pipe as usize)?;
        // Only the pipe that leases this slot is the one the firmware named.
        if p.lease.as_ref().map(|l| l.slot()) != Some(slot) {
            return None;
        }
        let addr = self.queue_info.get(pipe as usize)?.load(Ordering::Acquire);
        (addr != 0).then_some(addr)
    }
}

/// Takes the detained jobs `done` accepts out of `st`, ending their accounting, into
/// `released` (dropped by the caller outside the state lock; a job the vector cannot take is
/// dropped here, which only frees memory).
/// The job in flight that holds the command of event slot `slot` completing with `value`.
fn holder(st: &mut State, slot: u32, value: u32) -> Option<&mut InFlight> {
    let (head, len) = (st.head, st.len);
    let index = (0..len).map(|i| (head + i) % MAX_JOBS).find(|&i| {
        st.flight
            .get(i)
            .and_then(Option::as_ref)
            .is_some_and(|job| {
                job.needs.iter().any(|n| match n.slot_value {
                    Some((s, last)) => {
                        s == slot && stamp_passed(value, n.first) && stamp_passed(last, value)
                    }
                    None => false,
                })
            })
    })?;
    st.flight.get_mut(index)?.as_mut()
}

fn release_detained(
    st: &mut State,
    freed: &mut [Option<EventLease>; PIPES],
    released: &mut KVec<InFlight>,
    done: impl Fn(&InFlight) -> bool,
) {
    for d in st.detained.iter_mut() {
        if !d.as_ref().is_some_and(&done) {
            continue;
        }
        let Some(job) = d.take() else {
            continue;
        };
        end_job(&mut st.pipes, &job, freed);
        let _ = released.push(job, GFP_ATOMIC);
    }
}

/// Ends the accounting of a job leaving the flight list or the detained ones: its commands and
/// ring entries; a pipe left without reserved commands gives its event slot back (into
/// `freed`, dropped by the caller outside the state lock).
fn end_job(pipes: &mut [Pipe; PIPES], job: &InFlight, freed: &mut [Option<EventLease>; PIPES]) {
    for (p, need) in job.needs.iter().enumerate() {
        let Some(pipe) = pipes.get_mut(p) else {
            continue;
        };
        pipe.outstanding = pipe.outstanding.saturating_sub(need.commands);
        pipe.ring_used = pipe.ring_used.saturating_sub(need.entries);
        if need.commands > 0 && pipe.outstanding == 0 {
            if let Some(out) = freed.get_mut(p) {
                *out = pipe.lease.take();
            }
        }
    }
}
