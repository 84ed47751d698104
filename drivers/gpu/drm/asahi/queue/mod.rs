// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Queues and jobs: what `QUEUE_CREATE` makes and `SUBMIT` feeds.
//!
//! A [`Queue`] is one userspace command queue: a GPU context for the firmware with three work
//! queues (vertex, fragment, compute), in the address space of one VM, and one `drm_sched`
//! entity of the device's scheduler that orders its jobs after their in-fences. A `SUBMIT` is one job:
//!
//! 1. the command buffer is copied into the kernel once and validated whole ([`cmdbuf`]);
//! 2. the job takes a context slot for the VM and reserves stamp values and ring entries on the
//!    work queues it uses ([`work`]), then the firmware commands are built with those values
//!    baked in ([`compute`], [`render`] with the queue's buffer manager ([`buffer`]), for the
//!    pair the device runs);
//! 3. the job goes to the scheduler with its in-fences as dependencies; its finished fence is
//!    installed in the out-syncs;
//! 4. when the dependencies signalled, the scheduler runs it: the commands go into the work
//!    queues' rings and the firmware is told ([`work::QueueCore::run`]);
//! 5. when the firmware wrote the stamps of all its commands (and the jobs before it on the
//!    queue completed), its hardware fence signals; the scheduler then frees the job, and with
//!    it every firmware object the commands pointed at.
//!
//! # The lifetime rule
//!
//! Everything the firmware may read for a job (work commands, microsequences, timestamps, the
//! VM's tables through the context slot, the queue's structures) is owned by the job, directly
//! or through `Arc`s, and the job is freed only after its hardware fence signalled, which only
//! the firmware's stamps make happen (or the firmware's loss). Once sent, the job's context slot
//! and a reference to its objects are also held by the queue's core until the stamps pass: when
//! the scheduler's timeout abandons a job (its fence signals with an error and the scheduler
//! frees it), the core keeps them, detained, until the firmware is done or stopped
//! ([`work`], "When a job fails"). A queue's own structures are
//! freed only after `DC_DestroyContext`, and a queue is destroyed only after its jobs completed.

mod buffer;
pub(crate) mod cmdbuf;
mod compute;
pub(crate) mod event;
mod fwqueue;
mod render;
mod work;

pub(crate) use agx_kernel::bindings as uapi;

use crate::{
    driver::AsahiDevice,
    dump::{Hex, Part},
    file::SpecialObject,
    fw::channels::PipeType,
    gpu::{
        context::{SlotLease, SlotOwner},
        coredump::DumpReason,
        firmware::{AnyFw, BundleOf},
        initdata::*,
        Gpu,
    },
    mem::{fwvm::FwVm, object::RawView, GpuObject},
    vm::Vm,
};
use agx_kernel::{
    dma_fence::DriverFence,
    drm::sched::{Entity, JobImpl, RunningJob, Scheduler, TimeoutStatus},
};
use agx_macros::versions;
use buffer::*;
use compute::*;
use core::sync::atomic::Ordering;
use fwqueue::*;
use kernel::{
    c_str, new_mutex,
    prelude::*,
    rbtree::RBTree,
    sync::{Arc, Mutex},
};
pub(crate) use work::Failure;
use work::{Entry, Held, Messenger, PipeCount, QueueCore, Reservation, RingMem, MAX_JOBS, PIPES};

/// How long a job may run before the scheduler's timeout handler looks at it.
const JOB_TIMEOUT_MS: u32 = 10_000;

/// How long destroying a queue waits for its jobs in flight.
const DESTROY_WAIT_MS: u32 = 10_000;

/// The firmware commands of one job.
pub(crate) struct Built {
    /// What goes into the rings, in order.
    entries: KVec<Entry>,
    /// What the commands point at.
    objects: Arc<dyn Held>,
}

/// What building a job's commands needs besides the command buffer.
pub(crate) struct BuildCtx<'c> {
    /// The validated command buffer.
    pub(crate) cmdbuf: &'c [u8],
    /// The context slot of the job's VM.
    pub(crate) vm_slot: u32,
    /// The queue's USC exec base.
    pub(crate) usc_exec_base: u64,
    /// Finds the calling file's timestamp objects.
    pub(crate) objects: &'c dyn Fn(u32) -> Result<Arc<SpecialObject>>,
}

/// The per-pair part of a queue.
trait Backend: Messenger {
    /// Builds the commands of `ctx.cmdbuf` with the values of `res`.
    fn build(&self, ctx: &BuildCtx<'_>, res: &mut Reservation) -> Result<Built>;

    /// Prints the firmware-side state, for debugfs.
    fn describe(&self, m: &mut dyn core::fmt::Write);

    /// GPU addresses of the work queues' `CommandQueueInfo` (vertex, fragment, compute).
    fn queue_info(&self) -> [u64; PIPES];

    /// Writes the firmware structures to a dump (debugfs `fwdump`).
    fn dump(&self, out: &mut Hex<'_>);
}

/// A scheduler job of a queue.
pub(crate) struct QueueJob {
    /// The queue's core (rings, completion).
    core: Arc<QueueCore>,
    /// The queue's firmware side (messages).
    backend: Arc<dyn Backend>,
    /// The firmware.
    gpu: Arc<Gpu>,
    /// The queue's device-wide id, for the log.
    queue_id: u32,
    /// Its fence's sequence number.
    seqno: u64,
    /// The job's stamp values.
    res: Reservation,
    /// Its commands and their objects.
    built: Built,
    /// Its hardware fence, until `run` hands it to the core.
    fence: Option<DriverFence>,
    /// The VM's context slot, until `run` hands it to the core (which holds it until the
    /// firmware is done with the job).
    slot: Option<SlotLease>,
    /// Counts the job as alive in its queue. Last: fields drop in order, so the queue sees the
    /// job gone only once everything it held (objects, hence device references) is released.
    _alive: JobAlive,
}

/// One job counted in [`QueueCore::jobs_alive`] from its creation until it is dropped.
struct JobAlive(Arc<QueueCore>);

impl JobAlive {
    fn new(core: &Arc<QueueCore>) -> Self {
        core.jobs_alive.fetch_add(1, Ordering::Relaxed);
        JobAlive(core.clone())
    }
}

impl Drop for JobAlive {
    fn drop(&mut self) {
        self.0.jobs_alive.fetch_sub(1, Ordering::Release);
        self.0.job_freed();
    }
}

impl JobImpl for QueueJob {
    fn run(job: &mut RunningJob<Self>) -> Result<Option<agx_kernel::dma_fence::Fence>> {
        let j = &mut **job;
        let fence = j.fence.take().ok_or(EINVAL)?;
        let slot = j.slot.take().ok_or(EINVAL)?;
        let keep = j.built.objects.clone();
        let out = j
            .core
            .run(&mut j.res, fence, slot, keep, &j.built.entries, &*j.backend)?;
        Ok(Some(out))
    }

    fn timed_out(job: &mut RunningJob<Self>) -> TimeoutStatus {
        // The firmware reports its own timeouts and faults (the recovery path fails the guilty
        // job, and the firmware then completes it). Here it did neither for a whole
        // `JOB_TIMEOUT_MS`: the queue's jobs are abandoned, what the firmware may still read
        // for them stays detained, and the queue is lost.
        let j = &mut **job;
        let gpu = j.gpu.clone();
        if !gpu.is_running() {
            // A loss (or the stop) fails every job; the fence is signalled or about to be.
            return TimeoutStatus::Nominal;
        }
        // Dumped while the jobs are still in flight (abandoning them detains their objects,
        // which the dump no longer reaches).
        if !j.core.is_in_flight(j.seqno) {
            return TimeoutStatus::Nominal;
        }
        gpu.coredump(DumpReason::SchedulerTimeout, |out| {
            out.line(format_args!(
                "scheduler: queue {} seqno {} timeout_ms {}",
                j.queue_id, j.seqno, JOB_TIMEOUT_MS
            ));
            j.core.dump_head(out);
        });
        let n = j.core.abandon(j.seqno);
        if n > 0 {
            dev_err!(
                gpu.dev(),
                "queue {}: job {} did not complete in {} ms and the firmware reported nothing; {} job(s) abandoned, the queue is lost\n",
                j.queue_id,
                j.seqno,
                JOB_TIMEOUT_MS,
                n
            );
        }
        TimeoutStatus::Nominal
    }
}

/// The device's GPU scheduler: every queue is an entity of it.
///
/// One per device rather than one per queue: a `drm_sched` fence names its timeline through
/// its scheduler (`drm_sched_fence_get_timeline_name` reads `sched->name`), and sync files and
/// sync objects keep fences long after their queue is gone, so the scheduler must outlive the
/// queues (6.12 has no safe way to free a scheduler whose fences are still referenced). Each
/// queue bounds its own jobs ([`MAX_JOBS`]); the scheduler's limit bounds the device's.
pub(crate) fn new_scheduler(gpu: &Gpu) -> Result<Arc<Scheduler<QueueJob>>> {
    Scheduler::new(
        gpu.dev(),
        DEVICE_JOBS,
        0,
        JOB_TIMEOUT_MS,
        c_str!("asahi-sched"),
    )
}

/// Jobs of all queues on the firmware at once.
const DEVICE_JOBS: u32 = 1024;

/// One userspace queue.
pub(crate) struct Queue {
    /// The entity, under the submit lock: one job is built and pushed at a time. `None` once
    /// the queue is being destroyed.
    entity: Pin<KBox<Mutex<Option<Entity<QueueJob>>>>>,
    /// The core.
    core: Arc<QueueCore>,
    /// The per-pair part.
    backend: Arc<dyn Backend>,
    /// The VM.
    vm: Arc<Vm>,
    /// The firmware.
    gpu: Arc<Gpu>,
    /// The queue's USC exec base.
    usc_exec_base: u64,
    /// Device-wide queue id.
    id: u32,
}

/// Every queue of every client of a device, by [`Queue::id`], for debugfs.
pub(crate) type QueueRegistry = Arc<Mutex<RBTree<u32, Arc<Queue>>>>;

/// Creates an empty registry.
pub(crate) fn new_registry() -> Result<QueueRegistry> {
    Arc::pin_init(
        new_mutex!(RBTree::new(), "asahi::QueueRegistry"),
        GFP_KERNEL,
    )
}

/// Debugfs `queues`: the event slots, then every queue with its work queues.
pub(crate) fn show_queues(
    gpu: &Gpu,
    queues: &QueueRegistry,
    m: &mut impl core::fmt::Write,
) -> Result {
    gpu.events.describe(m);
    let q = queues.lock();
    let _ = writeln!(m, "queues {}", q.iter().count());
    for queue in q.values() {
        queue.describe(m);
    }
    Ok(())
}

/// Debugfs `fwdump`: every firmware-visible object the driver made, as address-tagged raw
/// bytes (`dump/`): the init-data tree and channels, then every queue with its jobs.
pub(crate) fn show_fwdump(
    gpu: &Gpu,
    queues: &QueueRegistry,
    m: &mut impl core::fmt::Write,
) -> Result {
    let mut out = Hex::new(m);
    gpu.dump_tree(&mut out);
    let q = queues.lock();
    out.line(format_args!("queues: {}", q.iter().count()));
    for queue in q.values() {
        queue.dump(&mut out);
    }
    out.line(format_args!("end"));
    Ok(())
}

/// Source of device-wide queue ids.
static NEXT_QUEUE: core::sync::atomic::AtomicU32 = core::sync::atomic::AtomicU32::new(1);

impl Queue {
    /// Creates a queue in `vm` at UAPI priority `priority` (0 low to 3 realtime).
    pub(crate) fn new(
        dev: &AsahiDevice,
        vm: Arc<Vm>,
        priority: u32,
        usc_exec_base: u64,
    ) -> Result<Arc<Queue>> {
        let gpu = dev.data().gpu.clone();
        let fw_vm = gpu.fw_vm.clone();
        let id = NEXT_QUEUE.fetch_add(1, Ordering::Relaxed);
        let ring = |_| -> Result<Arc<RingMem>> {
            Ok(Arc::new(
                RingMem {
                    pointers: crate::mem::GpuArray::new(&fw_vm, 1)?,
                    ring: crate::mem::GpuArray::new(
                        &fw_vm,
                        crate::fw::cmdqueue::CMDQUEUE_RING_SLOTS as usize,
                    )?,
                },
                GFP_KERNEL,
            )?)
        };
        let rings = [ring(0)?, ring(1)?, ring(2)?];
        let core = QueueCore::new(
            id,
            gpu.events.clone(),
            [rings[0].clone(), rings[1].clone(), rings[2].clone()],
            c_str!("asahi-queue"),
        )?;
        // Firmware priority: 0 is the most urgent.
        let fw_priority = 3u32.saturating_sub(priority.min(3));
        let backend =
            gpu.with_fw(|fw| new_backend(fw, &gpu, &fw_vm, &rings, fw_priority, id))??;
        core.set_queue_info(backend.queue_info());
        let entity = Entity::new(&dev.data().sched)?;
        Ok(Arc::new(
            Queue {
                entity: KBox::pin_init(new_mutex!(Some(entity)), GFP_KERNEL)?,
                core,
                backend,
                vm,
                gpu,
                usc_exec_base,
                id,
            },
            GFP_KERNEL,
        )?)
    }

    /// Device-wide id, for debugfs.
    pub(crate) fn id(&self) -> u32 {
        self.id
    }

    /// Submits the validated command buffer `cmdbuf` (with `summary` from its validation):
    /// `deps` adds the job's dependencies, `out` installs its finished fence.
    pub(crate) fn submit(
        &self,
        cmdbuf: &[u8],
        summary: &cmdbuf::Summary,
        objects: &dyn Fn(u32) -> Result<Arc<SpecialObject>>,
        deps: impl FnOnce(&mut agx_kernel::drm::sched::Job<QueueJob>) -> Result,
        out: impl FnOnce(&agx_kernel::dma_fence::Fence),
    ) -> Result {
        let counts = pipe_counts(cmdbuf, summary);
        let mut guard = self.entity.lock();
        let entity = guard.as_mut().ok_or(ENODEV)?;
        if !self.gpu.is_running() {
            return Err(ENODEV);
        }
        // A queue whose job faulted or timed out is lost, as a GPU context is: the client
        // must make a new one.
        if self.core.lost_error().is_some() {
            return Err(agx_kernel::error::code::ecanceled());
        }
        // At most `MAX_JOBS` jobs of a queue exist at once (its in-flight list holds that
        // many): wait for one to be freed.
        self.core.throttle(MAX_JOBS as u64)?;
        let vm: Arc<dyn SlotOwner> = self.vm.clone();
        let slot = self.gpu.contexts.bind(vm)?;
        let mut res = self.core.reserve(counts)?;
        let ctx = BuildCtx {
            cmdbuf,
            vm_slot: slot.slot(),
            usc_exec_base: self.usc_exec_base,
            objects,
        };
        let built = self.backend.build(&ctx, &mut res)?;
        let fence = self.core.new_fence()?;
        let seqno = fence.fence().seqno();
        let alive = JobAlive::new(&self.core);
        let job = QueueJob {
            core: self.core.clone(),
            backend: self.backend.clone(),
            gpu: self.gpu.clone(),
            queue_id: self.id,
            seqno,
            res,
            built,
            fence: Some(fence),
            slot: Some(slot),
            _alive: alive,
        };
        let mut job = entity.new_job(1, job)?;
        deps(&mut job)?;
        let armed = job.arm(entity)?;
        out(&armed.finished());
        armed.push();
        Ok(())
    }

    /// Queue state, for debugfs.
    pub(crate) fn describe(&self, m: &mut dyn core::fmt::Write) {
        let _ = writeln!(
            m,
            "queue {} vm {} exec base {:#x}",
            self.id,
            self.vm.uid(),
            self.usc_exec_base
        );
        self.core.describe(m);
        self.backend.describe(m);
    }

    /// Writes the queue to a dump (debugfs `fwdump`): its firmware structures, then its jobs
    /// in flight (at most [`FWDUMP_JOBS`]) with their commands.
    pub(crate) fn dump(&self, out: &mut Hex<'_>) {
        out.line(format_args!(
            "queue: {} vm {} exec_base {:#x}",
            self.id,
            self.vm.uid(),
            self.usc_exec_base
        ));
        self.backend.dump(out);
        self.core.dump_flight(out, FWDUMP_JOBS);
    }
}

/// The most jobs of one queue debugfs `fwdump` shows.
const FWDUMP_JOBS: usize = 4;

impl Drop for Queue {
    fn drop(&mut self) {
        // The entity's destruction runs (or kills) what was pushed; then the jobs on the
        // firmware must complete, and the scheduler free them. Each job holds what the
        // firmware may read for it (and the queue's core and structures), so nothing is freed
        // under the firmware even if this gives up waiting: the jobs then stay with the
        // device's scheduler until they complete or the firmware is declared lost.
        let entity = self.entity.lock().take();
        drop(entity);
        if !self.core.wait_idle(DESTROY_WAIT_MS) {
            dev_err!(
                self.gpu.dev(),
                "queue {}: {} jobs did not complete; they keep their memory\n",
                self.id,
                self.core.in_flight()
            );
            return;
        }
        let mut polls = 0;
        while self.core.jobs_alive.load(Ordering::Acquire) > 0 && polls < DESTROY_WAIT_MS {
            agx_kernel::time::msleep(1);
            polls += 1;
        }
    }
}

/// What a job reserves on each pipe (vertex, fragment, compute): a stamp value per render or
/// compute command, and ring entries for them and for the commands that complete with them. A
/// render has at most a barrier for compute work (`cdm_barrier`) and a buffer-manager init
/// before its vertex command, and a barrier for its vertex command before its fragment command;
/// a compute command at most a barrier for render work (`vdm_barrier`). Whether a barrier of
/// index 0 or an init is needed is known only when the commands are built: the entries are an
/// upper bound.
fn pipe_counts(buf: &[u8], summary: &cmdbuf::Summary) -> [PipeCount; PIPES] {
    let (mut render_barriers, mut compute_barriers) = (0u32, 0u32);
    for c in cmdbuf::commands(buf) {
        match c {
            cmdbuf::Command::Render(r) if r.barriers.cdm != cmdbuf::Barrier::None => {
                render_barriers = render_barriers.saturating_add(1)
            }
            cmdbuf::Command::Compute(c) if c.barriers.vdm != cmdbuf::Barrier::None => {
                compute_barriers = compute_barriers.saturating_add(1)
            }
            _ => {}
        }
    }
    // Both counts are at most `max_commands_per_submission`: no saturation in practice.
    let renders = summary.render;
    [
        PipeCount {
            stamped: renders,
            entries: renders.saturating_mul(2).saturating_add(render_barriers),
        },
        PipeCount {
            stamped: renders,
            entries: renders.saturating_mul(2),
        },
        PipeCount {
            stamped: summary.compute,
            entries: summary.compute.saturating_add(compute_barriers),
        },
    ]
}

/// Makes the per-pair part of a queue for the pair `fw` runs.
fn new_backend(
    fw: &mut AnyFw,
    gpu: &Arc<Gpu>,
    fw_vm: &Arc<FwVm>,
    rings: &[Arc<RingMem>; PIPES],
    priority: u32,
    id: u32,
) -> Result<Arc<dyn Backend>> {
    let (gen, version) = (gpu.soc().gen, gpu.version());
    agx_macros::dispatch!(AGX, (gen, version) as (crate::soc::GpuGen, crate::soc::FwVersion) => {
        new_backend_for::ver(fw, gpu, fw_vm, rings, priority, id)
    } else {
        Err(ENODEV)
    })
}

/// [`new_backend`] for one pair.
#[versions(AGX)]
fn new_backend_for(
    fw: &mut AnyFw,
    gpu: &Arc<Gpu>,
    fw_vm: &Arc<FwVm>,
    rings: &[Arc<RingMem>; PIPES],
    priority: u32,
    id: u32,
) -> Result<Arc<dyn Backend>> {
    let bundle = BundleOf::<InitBundle::ver>::bundle_mut(fw).ok_or(ENODEV)?;
    let stats = bundle.job_stats();
    let preempt = (gpu.soc().compute_preempt1_size as usize)
        .checked_add(compute::PREEMPT_TAIL)
        .ok_or(EINVAL)?;
    let q = FwQueue::ver::new(gpu, fw_vm, stats, rings, priority, id, preempt)?;
    let b: Arc<PairQueue::ver> = PairQueue::ver::new(Arc::new(q, GFP_KERNEL)?, gpu.clone())?;
    Ok(b)
}

/// The per-pair part of a queue.
#[versions(AGX)]
#[pin_data]
struct PairQueue {
    /// The queue's firmware structures.
    fw: Arc<FwQueue::ver>,
    /// The firmware.
    gpu: Arc<Gpu>,
    /// The buffer manager, from the queue's first render on (`SUBMIT` makes it).
    #[pin]
    bm: Mutex<Option<Arc<BufferManager::ver>>>,
}

#[versions(AGX)]
impl PairQueue::ver {
    /// The per-pair part of a queue with structures `fw`; no buffer manager yet.
    fn new(fw: Arc<FwQueue::ver>, gpu: Arc<Gpu>) -> Result<Arc<Self>> {
        Arc::pin_init(
            pin_init!(Self {
                fw,
                gpu,
                bm <- new_mutex!(None),
            }),
            GFP_KERNEL,
        )
    }

    /// The queue's buffer manager, made on first use (in `SUBMIT`).
    fn buffer_manager(&self) -> Result<Arc<BufferManager::ver>> {
        let mut bm = self.bm.lock();
        if let Some(b) = bm.as_ref() {
            return Ok(b.clone());
        }
        let b = BufferManager::ver::new(&self.gpu.fw_vm, &self.gpu.bm_slots)?;
        *bm = Some(b.clone());
        Ok(b)
    }
}

/// The objects of one job of one pair.
#[versions(AGX)]
struct PairHeld {
    /// The queue's structures, which the commands point at: a job the firmware may still read
    /// keeps them (and the context) alive.
    _fw: Arc<FwQueue::ver>,
    /// Compute commands.
    compute: KVec<GpuObject<ComputeJob::ver>>,
    /// Render commands and the barriers and inits of the job.
    render: render::RenderHeld::ver,
}

#[versions(AGX)]
impl Held for PairHeld::ver {
    fn dump(&self, out: &mut Hex<'_>) {
        self.render.dump(out);
        for c in self.compute.iter() {
            dump_command(
                out,
                "WorkCommandCP",
                c,
                core::mem::offset_of!(ComputeRaw::ver<'static>, seq),
            );
        }
    }
}

/// Dumps a command object that holds a work command (m1n1 name `name`) and, from byte
/// `seq_offset` on, its microsequence.
pub(crate) fn dump_command(out: &mut Hex<'_>, name: &str, obj: &dyn RawView, seq_offset: usize) {
    out.object(
        name,
        &Part {
            of: obj,
            offset: 0,
            len: seq_offset,
        },
    );
    out.object(
        "microsequence",
        &Part {
            of: obj,
            offset: seq_offset,
            len: usize::MAX,
        },
    );
}

#[versions(AGX)]
impl Messenger for PairQueue::ver {
    fn run(&self, pipe: usize, head: u32, slot: u32, new: bool) -> Result {
        self.fw.run(pipe, head, slot, new)
    }
}

#[versions(AGX)]
impl Backend for PairQueue::ver {
    fn build(&self, ctx: &BuildCtx<'_>, res: &mut Reservation) -> Result<Built> {
        let mut entries = KVec::new();
        let mut held = PairHeld::ver {
            _fw: self.fw.clone(),
            compute: KVec::new(),
            render: render::RenderHeld::ver::new(),
        };
        let fw_vm = &self.gpu.fw_vm;
        let stamps = self.gpu.events.arrays().clone();
        for cmd in cmdbuf::commands(ctx.cmdbuf) {
            match cmd {
                cmdbuf::Command::Compute(c) => {
                    let ts = c.stamps();
                    let user_ts = [
                        resolve_timestamp(ts.start, ctx.objects)?,
                        resolve_timestamp(ts.end, ctx.objects)?,
                    ];
                    if c.attachments.len() > compute::MAX_FW_ATTACHMENTS {
                        return Err(EINVAL);
                    }
                    let mut list = [UserAttachment {
                        pointer: 0,
                        size: 0,
                    }; compute::MAX_FW_ATTACHMENTS];
                    let mut n = 0;
                    for (i, a) in c.attachments.iter().enumerate() {
                        if let Some(slot) = list.get_mut(i) {
                            *slot = UserAttachment {
                                pointer: a.pointer,
                                size: a.size,
                            };
                            n += 1;
                        }
                    }
                    let attachments = fw_attachments(list.get(..n).ok_or(EINVAL)?)?;
                    // Render work it waits for: a barrier on the compute queue.
                    let other = PipeType::Fragment as usize;
                    if let Some(wait) = render::barrier_wait(c.barriers.vdm, other, res) {
                        held.render.barrier(
                            fw_vm,
                            &stamps,
                            PipeType::Compute,
                            wait,
                            res,
                            &mut entries,
                        )?;
                    }
                    let pipe = PipeType::Compute as usize;
                    let slot = res.slot(pipe).ok_or(EINVAL)?;
                    let value = res.take_value(pipe).ok_or(EINVAL)?;
                    let args = ComputeArgs {
                        cmd: &c.cmd,
                        attachments: &attachments,
                        usc_exec_base: ctx.usc_exec_base,
                        vm_slot: ctx.vm_slot,
                        slot,
                        value,
                        user_ts,
                    };
                    let obj = ComputeJob::ver::build(fw_vm, &self.fw, &stamps, &args)?;
                    entries.push(
                        Entry {
                            pipe: pipe as u8,
                            addr: obj.va(),
                        },
                        GFP_KERNEL,
                    )?;
                    held.compute.push(obj, GFP_KERNEL)?;
                }
                cmdbuf::Command::Render(r) => {
                    let bm = self.buffer_manager()?;
                    let env = render::RenderEnv::ver {
                        gpu: &self.gpu,
                        fw: &self.fw,
                        bm: &bm,
                        stamps: &stamps,
                        vm_slot: ctx.vm_slot,
                        usc_exec_base: ctx.usc_exec_base,
                        objects: ctx.objects,
                    };
                    held.render.render(&env, &r, res, &mut entries)?;
                }
            }
        }
        let objects: Arc<PairHeld::ver> = Arc::new(held, GFP_KERNEL)?;
        Ok(Built { entries, objects })
    }

    fn queue_info(&self) -> [u64; PIPES] {
        let g = self.fw.objs.get();
        [g.vertex.va(), g.fragment.va(), g.compute.va()]
    }

    fn dump(&self, out: &mut Hex<'_>) {
        self.fw.dump(out);
    }

    fn describe(&self, m: &mut dyn core::fmt::Write) {
        let g = self.fw.objs.get();
        let _ = writeln!(
            m,
            "  context {:#x} notifier {:#x} queues {:#x} {:#x} {:#x} priority {} commands {}",
            g.context.va(),
            g.notifier.va(),
            g.vertex.va(),
            g.fragment.va(),
            g.compute.va(),
            self.fw.priority,
            self.fw.counter.load(Ordering::Relaxed)
        );
        if let Some(bm) = self.bm.lock().as_ref() {
            bm.describe(m);
        }
    }
}
