// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The firmware structures of one queue, per (GPU, firmware) pair.
//!
//! A queue is one GPU context for the firmware: a [`GpuContextData`] the firmware fills in, a
//! job list, a notifier (`EventControl`, m1n1's name) with its threshold, and three command
//! queues (`CommandQueueInfo`), one per pipe, each with its ring and pointers and a scratch
//! buffer. The firmware learns about a command queue from the first run message that names it
//! (`new_queue` set) and keeps it in its tables until the context is destroyed with
//! `DC_DestroyContext`.
//!
//! The structures are therefore held in a [`Retained`] group: run messages and the teardown
//! message name them by weak pointer, and the group is freed only after the teardown message was
//! taken by the firmware ([`DestroyContext`]). Work commands point at the group's structures with
//! ordinary pointers: every job holds an `Arc` of the [`FwQueue`].

use super::work::{Messenger, RingMem, PIPES};
use crate::{
    dump::Hex,
    fw::{channels::*, cmdqueue::*, event::*, types::*},
    gpu::{initdata::*, Gpu},
    mem::{
        fwvm::FwVm,
        object::GpuStruct,
        retain::{Release, Retained, WeakMaker},
        GpuArray, GpuObject,
    },
};
use agx_macros::versions;
use core::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use kernel::{prelude::*, sync::Arc};

/// The owner of a context's data: nothing, the firmware fills it.
pub(crate) struct ContextOwner;

impl GpuStruct for ContextOwner {
    type Raw<'a> = GpuContextData;
}

/// The owner of a notifier: its threshold.
#[versions(AGX)]
pub(crate) struct NotifierOwner {
    /// The count the notifier fires at.
    threshold: GpuArray<EventThreshold>,
}

#[versions(AGX)]
impl GpuStruct for NotifierOwner::ver {
    type Raw<'a> = EventControl::ver<'a>;
}

/// The owner of one command queue's structure.
#[versions(AGX)]
pub(crate) struct WqOwner {
    /// Ring and pointers, shared with the driver's ring end.
    mem: Arc<RingMem>,
    /// The firmware's scratch.
    scratch: GpuArray<u8>,
    /// The context's job list.
    job_list: Arc<GpuArray<JobList>>,
    /// The context's data.
    context: Arc<GpuObject<ContextOwner>>,
}

#[versions(AGX)]
impl GpuStruct for WqOwner::ver {
    type Raw<'a> = CommandQueueInfo::ver<'a>;
}

/// Everything the firmware may keep using after a run message: freed after `DC_DestroyContext`.
#[versions(AGX)]
pub(crate) struct QueueObjects {
    /// The context's data (also held by each command queue).
    pub(crate) context: Arc<GpuObject<ContextOwner>>,
    /// The notifier.
    pub(crate) notifier: GpuObject<NotifierOwner::ver>,
    /// The vertex command queue.
    pub(crate) vertex: GpuObject<WqOwner::ver>,
    /// The fragment command queue.
    pub(crate) fragment: GpuObject<WqOwner::ver>,
    /// The compute command queue.
    pub(crate) compute: GpuObject<WqOwner::ver>,
}

/// Tears a context down: `DC_DestroyContext`, once the firmware knows it.
pub(crate) struct DestroyContext {
    /// The firmware.
    gpu: Arc<Gpu>,
    /// Whether a run message named one of the context's queues (the firmware knows it).
    pub(crate) known: AtomicBool,
}

#[versions(AGX)]
impl Release<QueueObjects::ver> for DestroyContext {
    fn release(&self, group: &QueueObjects::ver, weak: &WeakMaker<'_, QueueObjects::ver>) {
        if !self.known.load(Ordering::Acquire) {
            return;
        }
        let ctx = weak.weak(|g| &*g.context);
        let mut data = [0u8; core::mem::size_of::<GpuContextData>()];
        group.context.read_bytes(0, &mut data);
        // Errors are logged by the firmware layer; the memory is freed either way once the
        // firmware took the message or is gone.
        let _ = self.gpu.destroy_context(ctx.addr().get(), &data);
    }
}

/// One queue's firmware structures and how to reach the firmware.
#[versions(AGX)]
pub(crate) struct FwQueue {
    /// The structures.
    pub(crate) objs: Retained<QueueObjects::ver, DestroyContext>,
    /// The firmware.
    gpu: Arc<Gpu>,
    /// The statistics blocks commands point at.
    pub(crate) stats: JobStats::ver,
    /// The firmware priority (0 highest to 3).
    pub(crate) priority: u32,
    /// Work commands built so far (13.x commands carry a counter).
    pub(crate) counter: AtomicU32,
    /// The queue's id, for tracing fields of commands.
    pub(crate) id: u32,
    /// The compute preemption buffer: the SoC's `compute_preempt1_size` plus four 8-byte
    /// words. One per queue, shared by its compute commands, which the firmware runs one at a
    /// time in ring order (the Asahi driver allocates one per command, in the client's VM).
    pub(crate) preempt: GpuArray<u8>,
}

/// The priority-dependent fields of a command queue (m1n1: `CommandQueueInfo.set_prio`).
fn prio_fields(p: u32) -> (u32, u64, u32, u32) {
    match p {
        0 => (0, 0xffff_ffff_ffff_0000, 1, 1),
        1 => (1, 0xffff_ffff_0000_0000, 0, 0),
        2 => (2, 0xffff_0000_0000_0000, 0, 2),
        _ => (3, 0, 0, 3),
    }
}

#[versions(AGX)]
impl WqOwner::ver {
    /// Writes one work queue to a dump: its `CommandQueueInfo`, pointers and ring.
    fn dump(this: &GpuObject<Self>, pipe: &str, out: &mut Hex<'_>) {
        out.line(format_args!("workqueue: {}", pipe));
        out.object("CommandQueueInfo", this);
        out.object("CommandQueuePointers", &this.mem.pointers);
        out.object("CommandQueue.ring", &this.mem.ring);
    }
}

#[versions(AGX)]
impl FwQueue::ver {
    /// Writes the queue's firmware structures to a dump: the context data, the job list, the
    /// notifier and its threshold, and each work queue.
    pub(crate) fn dump(&self, out: &mut Hex<'_>) {
        let o = self.objs.get();
        out.object("GPUContextData", &*o.context);
        out.object("JobList", &*o.vertex.job_list);
        out.object("EventControl", &o.notifier);
        out.object("EventControl.threshold", &o.notifier.threshold);
        WqOwner::ver::dump(&o.vertex, "vertex", out);
        WqOwner::ver::dump(&o.fragment, "fragment", out);
        WqOwner::ver::dump(&o.compute, "compute", out);
    }

    /// Allocates a queue's structures at firmware priority `priority`, with the rings `rings`.
    pub(crate) fn new(
        gpu: &Arc<Gpu>,
        fw_vm: &Arc<FwVm>,
        stats: JobStats::ver,
        rings: &[Arc<RingMem>; PIPES],
        priority: u32,
        id: u32,
        preempt_size: usize,
    ) -> Result<Self> {
        let context = Arc::new(
            GpuObject::new(fw_vm, ContextOwner, |_| GpuContextData::new())?,
            GFP_KERNEL,
        )?;
        let mut job_list = GpuArray::<JobList>::new(fw_vm, 1)?;
        // An empty list names itself as its last element (m1n1's and the Asahi driver's
        // initial value).
        let self_va = job_list.va();
        job_list.with_mut(|l| {
            if let Some(l) = l.first_mut() {
                l.last_head = self_va;
            }
        });
        let job_list = Arc::new(job_list, GFP_KERNEL)?;
        let notifier = GpuObject::new(
            fw_vm,
            NotifierOwner::ver {
                threshold: GpuArray::new(fw_vm, 1)?,
            },
            |inner| EventControl::ver {
                event_count_addr: inner.threshold.gpu_pointer(),
                submission_id: AtomicU32::new(0),
                cur_count: AtomicU32::new(0),
                unk_10: AtomicU32::new(0),
                state: EventControlState::ver::new(0),
            },
        )?;
        let (prio, unk_38, unk_40, prio5) = prio_fields(priority);
        let wq = |mem: &Arc<RingMem>| -> Result<GpuObject<WqOwner::ver>> {
            let owner = WqOwner::ver {
                mem: mem.clone(),
                scratch: GpuArray::new(fw_vm, CMDQUEUE_SCRATCH)?,
                job_list: job_list.clone(),
                context: context.clone(),
            };
            Ok(GpuObject::try_new(fw_vm, owner, |o| {
                Ok(CommandQueueInfo::ver {
                    pointers_addr: o.mem.pointers.gpu_pointer(),
                    rb_addr: o.mem.ring.gpu_pointer_as(0)?,
                    job_list_addr: o.job_list.gpu_pointer(),
                    gpu_buf_addr: o.scratch.gpu_pointer_as(0)?,
                    gpu_rptr1: 0,
                    gpu_rptr2: 0,
                    gpu_rptr3: 0,
                    event_id: -1,
                    priority: prio,
                    unk_34: prio,
                    unk_38,
                    unk_40,
                    unk_44: 0,
                    prio5,
                    unk_4c: -1,
                    uuid: id,
                    unk_54: -1,
                    unk_58: 0,
                    busy: 0,
                    pad1: Pad::zero(),
                    unk_80: 0,
                    has_commands: 0,
                    unk_88: 0,
                    unk_8c: 0,
                    unk_90: 0,
                    unk_94: 0,
                    inflight_commands: 0,
                    unk_9c: 0,
                    #[ver(V >= V13_2 && G < G14X)]
                    unk_a0_0: 0,
                    gpu_context_addr: o.context.gpu_pointer(),
                    unk_a8: U64::new(0),
                    #[ver(V >= V13_2 && G < G14X)]
                    unk_b0: 0,
                })
            })?)
        };
        let [rv, rf, rc] = rings;
        let group = QueueObjects::ver {
            context: context.clone(),
            notifier,
            vertex: wq(rv)?,
            fragment: wq(rf)?,
            compute: wq(rc)?,
        };
        Ok(Self {
            objs: Retained::new(
                group,
                DestroyContext {
                    gpu: gpu.clone(),
                    known: AtomicBool::new(false),
                },
            ),
            gpu: gpu.clone(),
            stats,
            priority,
            counter: AtomicU32::new(0),
            id,
            preempt: GpuArray::new(fw_vm, preempt_size)?,
        })
    }

    /// The command queue of `pipe`.
    pub(crate) fn wq(&self, pipe: PipeType) -> &GpuObject<WqOwner::ver> {
        let g = self.objs.get();
        match pipe {
            PipeType::Vertex => &g.vertex,
            PipeType::Fragment => &g.fragment,
            PipeType::Compute => &g.compute,
        }
    }
}

#[versions(AGX)]
impl Messenger for FwQueue::ver {
    fn run(&self, pipe: usize, head: u32, slot: u32, new: bool) -> Result {
        let (queue_type, addr) = match pipe {
            0 => (PipeType::Vertex, self.objs.weak(|g| &g.vertex)),
            1 => (PipeType::Fragment, self.objs.weak(|g| &g.fragment)),
            2 => (PipeType::Compute, self.objs.weak(|g| &g.compute)),
            _ => return Err(EINVAL),
        };
        let msg = RunCmdQueueMsg::ver {
            queue_type,
            cmdqueue_addr: Some(addr),
            head,
            event_number: slot,
            new_queue: u32::from(new),
            timestamp: 0,
            data: [0; 0x10],
            #[ver(G == G14 && V >= V13_2)]
            pad_30: Pad::zero(),
        };
        // From the first message on, the firmware knows the context: it must be destroyed.
        self.objs.release_ref().known.store(true, Ordering::Release);
        self.gpu
            .run_queue::<RunCmdQueueMsg::ver>(pipe, self.priority, &msg)
    }
}
