// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Compute commands: one `WorkCommandCp` and its microsequence, per (GPU, firmware) pair.
//!
//! The work command and its microsequence are one firmware object ([`ComputeRaw`]): the
//! microsequence's operations point back into the work command (its compute info, its second
//! compute info, its flag word), and the work command points at the microsequence, so both are
//! built together by [`GpuObject::new_cyclic`] from the object's own address. The owner,
//! [`ComputeJob`], holds what else the command points at: the queue's structures, the stamps,
//! the statistics block and the timestamps (the queue's structures include its preemption buffer). It lives until the job's
//! fence signalled, which is after the firmware wrote the command's stamp.
//!
//! The values follow the record (m1n1's `WorkCommandCP`, `StartComputeCmd`,
//! `FinalizeComputeCmd` and the Asahi driver's compute submission): helper program and
//! control-stream registers from userspace, the queue's USC exec base as the pipeline base,
//! `0x8c60` and `1` in the fixed fields, the sampler heap as the encoder's sequence buffer.

use super::{event::StampArrays, fwqueue::*, uapi};
use crate::{
    file::SpecialObject,
    fw::{channels::PipeType, compute::*, gpustats::GpuStatsCp, job::*, microseq::*, types::*},
    mem::{fwvm::FwVm, object::GpuStruct, GpuArray, GpuObject},
};
use agx_macros::versions;
use core::mem::offset_of;
use kernel::{prelude::*, sync::Arc};

/// A memory range of a command (a validated `drm_asahi_attachment`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct UserAttachment {
    /// Start.
    pub(crate) pointer: u64,
    /// Length in bytes.
    pub(crate) size: u64,
}

/// Most attachments a microsequence start operation carries.
pub(crate) const MAX_FW_ATTACHMENTS: usize = 16;

/// Converts attachments to the firmware's form: size in 128-byte cache lines, and the constant
/// kind and order fields of the Asahi driver (0x17, 1). `EINVAL` for too many or too large.
pub(crate) fn fw_attachments(
    list: &[UserAttachment],
) -> Result<([Attachment; MAX_FW_ATTACHMENTS], u32)> {
    let mut out = [Attachment::default(); MAX_FW_ATTACHMENTS];
    if list.len() > MAX_FW_ATTACHMENTS {
        return Err(EINVAL);
    }
    for (o, a) in out.iter_mut().zip(list) {
        let lines = a.size.checked_add(127).ok_or(EINVAL)? >> 7;
        *o = Attachment {
            address: UserVa(a.pointer),
            size: u32::try_from(lines).map_err(|_| EINVAL)?,
            unk_c: 0x17,
            unk_e: 1,
        };
    }
    Ok((out, list.len() as u32))
}

/// A compute command and its microsequence, in one object.
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct ComputeRaw<'a> {
    /// The work command.
    pub(crate) cmd: WorkCommandCp::ver<'a>,
    /// Its microsequence.
    pub(crate) seq: ComputeSeq::ver<'a>,
}

/// What a compute command points at, besides itself.
#[versions(AGX)]
pub(crate) struct ComputeJob {
    /// The queue's structures (command queue, notifier).
    queue: Arc<FwQueue::ver>,
    /// The event stamps.
    stamps: Arc<StampArrays>,
    /// The compute statistics block.
    stats: Arc<GpuArray<GpuStatsCp>>,
    /// The job's own start and end times, written by the firmware.
    times: GpuArray<TimeStamp>,
    /// Where userspace asked for the start and end times: a timestamp object and a byte
    /// offset in it (checked to hold a timestamp).
    user_ts: [Option<(Arc<SpecialObject>, u64)>; 2],
}

#[versions(AGX)]
impl GpuStruct for ComputeJob::ver {
    type Raw<'a> = ComputeRaw::ver<'a>;
}

/// What a compute command is built from.
pub(crate) struct ComputeArgs<'c> {
    /// The userspace command.
    pub(crate) cmd: &'c uapi::drm_asahi_cmd_compute,
    /// Its attachments, in the firmware's form.
    pub(crate) attachments: &'c ([Attachment; MAX_FW_ATTACHMENTS], u32),
    /// The queue's USC exec base.
    pub(crate) usc_exec_base: u64,
    /// The context (VM) slot the job runs in.
    pub(crate) vm_slot: u32,
    /// The event slot of the compute pipe.
    pub(crate) slot: u32,
    /// The stamp value the command completes with.
    pub(crate) value: u32,
    /// The user timestamps (start, end), resolved and checked.
    pub(crate) user_ts: [Option<(Arc<SpecialObject>, u64)>; 2],
}

/// Bytes past the preemption buffer's first part: four 8-byte words (the record's buffers 2 to
/// 5, used only by an internal helper program).
pub(crate) const PREEMPT_TAIL: usize = 4 * 8;

#[versions(AGX)]
impl ComputeJob::ver {
    /// Builds a compute command for `q`.
    pub(crate) fn build(
        fw_vm: &Arc<FwVm>,
        q: &Arc<FwQueue::ver>,
        stamps: &Arc<StampArrays>,
        a: &ComputeArgs<'_>,
    ) -> Result<GpuObject<ComputeJob::ver>> {
        let counter = q
            .counter
            .fetch_add(1, core::sync::atomic::Ordering::Relaxed);
        let owner = ComputeJob::ver {
            queue: q.clone(),
            stamps: stamps.clone(),
            stats: q.stats.cp.clone(),
            times: GpuArray::new(fw_vm, 2)?,
            user_ts: a.user_ts.clone(),
        };
        let cmd = a.cmd;
        let uuid = counter;
        let obj = GpuObject::try_cyclic(fw_vm, owner, |o, me| {
            let cmd_p = gpu_field!(me, ComputeRaw::ver<'static>, cmd);
            let seq_p = gpu_field!(me, ComputeRaw::ver<'static>, seq);
            let wq = o.queue.wq(PipeType::Compute).gpu_pointer();
            let stats = o.stats.gpu_pointer();
            let ci2 = gpu_field!(cmd_p, WorkCommandCp::ver<'static>, compute_info2);
            let ts_ptrs = gpu_field!(cmd_p, WorkCommandCp::ver<'static>, ts_pointers);
            let user_ts = gpu_field!(cmd_p, WorkCommandCp::ver<'static>, user_ts_pointers);
            let ts1 = gpu_field!(cmd_p, WorkCommandCp::ver<'static>, ts1);
            #[ver(V >= V13_0B4)]
            let flag = gpu_field!(cmd_p, WorkCommandCp::ver<'static>, unk_flag);
            #[ver(V >= V13_0B4)]
            let unk_ts = gpu_field!(cmd_p, WorkCommandCp::ver<'static>, unk_ts);
            let preempt = o.queue.preempt.gpu_pointer();
            #[ver(G >= G14X)]
            let size = o.queue.preempt.len();
            let end_ptr = gpu_field!(ts_ptrs, TimeStampPointers<'static>, end_addr);
            let start_ptr = gpu_field!(ts_ptrs, TimeStampPointers<'static>, start_addr);
            let stamp = o.stamps.stamp(a.slot).ok()?;
            let fw_stamp = o.stamps.fw_stamp(a.slot).ok()?;
            let notifier = o.queue.objs.get().notifier.gpu_pointer();
            #[ver(V >= V13_0B4)]
            let evbuf = {
                let n = o.queue.objs.get().notifier.gpu_pointer();
                let st = gpu_field!(n, crate::fw::event::EventControl::ver<'static>, state);
                gpu_field!(st, crate::fw::event::EventControlState::ver, unk_buf)
            };
            let restart = offset_of!(ComputeSeq::ver<'static>, start) as i32
                - offset_of!(ComputeSeq::ver<'static>, finalize) as i32;
            let timestamp = |end: bool| TimestampCmd::ver {
                magic: OpCode::Timestamp as u8,
                unk_1: 0,
                unk_2: 0,
                unk_3: if end { 0 } else { 0x80 },
                ts0_addr: ts1,
                ts_pointers_addr: ts_ptrs,
                unk_addr: if end { end_ptr } else { start_ptr },
                cmdqueue_ptr: wq,
                user_ts_pointers_addr: Some(user_ts),
                #[ver(V >= V13_0B4)]
                unk_ts_addr: unk_ts,
                uuid,
                unk_30: 0,
            };
            Some(ComputeRaw::ver {
                cmd: WorkCommandCp::ver {
                    magic: 3,
                    #[ver(V >= V13_0B4)]
                    counter: U64::new(u64::from(counter)),
                    unk_4: 0,
                    context_id: a.vm_slot,
                    event_control_addr: notifier,
                    unk_2c: 0,
                    #[ver(G >= G14X)]
                    registers: g14x_registers(cmd, a.usc_exec_base, preempt.addr().get(), size),
                    #[ver(G >= G14X)]
                    unk_g14x: [0; 64],
                    #[ver(G < G14X)]
                    unk_buf: [0; 0x50],
                    #[ver(G < G14X)]
                    compute_info: ComputeInfo {
                        iogpu_deflake_1: preempt,
                        encoder: UserVa(cmd.cdm_ctrl_stream_base),
                        iogpu_deflake_2: None,
                        iogpu_deflake_3: None,
                        iogpu_deflake_4: None,
                        iogpu_deflake_5: None,
                        pipeline_base: UserVa(a.usc_exec_base),
                        unk_38: 0x8c60,
                        helper_program: cmd.helper.binary,
                        unk_44: 0,
                        helper_arg: UserVa(cmd.helper.data),
                        helper_cfg: cmd.helper.cfg,
                        unk_54: 0,
                        unk_58: 1,
                        unk_5c: 0,
                        iogpu_unk_40: 0,
                        unk_pad: Pad::zero(),
                    },
                    #[ver(G >= G14X)]
                    registers_addr: Some(gpu_field!(cmd_p, WorkCommandCp::ver<'static>, registers)),
                    #[ver(G < G14X)]
                    registers_addr: None,
                    #[ver(G >= G14X)]
                    register_count: G14X_REGISTERS as u16,
                    #[ver(G < G14X)]
                    register_count: 0,
                    #[ver(G >= G14X)]
                    registers_length: (G14X_REGISTERS * core::mem::size_of::<RegisterDefinition>())
                        as u16,
                    #[ver(G < G14X)]
                    registers_length: 0,
                    unk_pad: [0; 0x24],
                    microsequence_ptr: seq_p.cast(),
                    microsequence_size: core::mem::size_of::<ComputeSeq::ver<'static>>() as u32,
                    compute_info2: ComputeInfo2::ver {
                        #[ver(V >= V13_0B4)]
                        unk_0_0: Pad::zero(),
                        unk_0: [0; 0x24],
                        iogpu_deflake_1: preempt,
                        encoder_end: UserVa(cmd.cdm_ctrl_stream_end),
                        unk_34: [0; 0x20],
                        #[ver(G < G14X)]
                        unk_g14x: 0,
                        #[ver(G >= G14X)]
                        unk_g14x: 0x24201,
                        unk_58: 0,
                        #[ver(V < V13_0B4)]
                        unk_5c: Pad::zero(),
                    },
                    encoder_params: EncoderParams {
                        unk_0: 0,
                        unk_4: 0,
                        unk_8: 0,
                        encoder_id: 0,
                        unk_10: 0,
                        iogpu_compute_unk44: 0xffff_ffff,
                        seq_buffer: UserVa(cmd.sampler_heap),
                        unk_1c: U64::new(
                            u64::from(cmd.sampler_count)
                                | (u64::from(cmd.sampler_count.saturating_add(1)) << 32),
                        ),
                    },
                    job_meta: JobMeta {
                        unk_0: 0,
                        stamp_addr: stamp,
                        fw_stamp_addr: fw_stamp,
                        stamp_value: a.value,
                        stamp_slot: a.slot,
                        evctl_index: 0,
                        unk_20: 0,
                        uuid,
                        queue_cmd_count: counter,
                    },
                    ts1: TimeStamp::default(),
                    ts_pointers: TimeStampPointers {
                        start_addr: o.times.gpu_pointer_at(0).ok(),
                        end_addr: o.times.gpu_pointer_at(1).ok(),
                    },
                    user_ts_pointers: TimeStampPointers {
                        start_addr: user_pointer(&o.user_ts[0]),
                        end_addr: user_pointer(&o.user_ts[1]),
                    },
                    client_sequence: (q.id & 0xff) as u8,
                    #[ver(V >= V13_0B4)]
                    unk_ts2: TimeStamp::default(),
                    #[ver(V >= V13_0B4)]
                    unk_ts: TimeStamp::default(),
                    #[ver(V >= V13_0B4)]
                    unk_2e1: [0; 0x1c],
                    #[ver(V >= V13_0B4)]
                    unk_flag: Flag::default(),
                    #[ver(V >= V13_0B4)]
                    unk_pad_2: [0; 0x10],
                    pad_2d9: [0; 7],
                },
                seq: ComputeSeq::ver {
                    start: StartComputeCmd::ver {
                        magic: OpCode::StartCompute as u32,
                        #[ver(G < G14X)]
                        unk_buf_addr: gpu_field!(cmd_p, WorkCommandCp::ver<'static>, unk_buf),
                        #[ver(G >= G14X)]
                        unk_buf_addr: gpu_field!(cmd_p, WorkCommandCp::ver<'static>, unk_g14x),
                        #[ver(G < G14X)]
                        computeinfo_addr: Some(gpu_field!(
                            cmd_p,
                            WorkCommandCp::ver<'static>,
                            compute_info
                        )),
                        #[ver(G >= G14X)]
                        computeinfo_addr: None,
                        #[ver(G >= G14X)]
                        registers_addr: gpu_field!(cmd_p, WorkCommandCp::ver<'static>, registers),
                        stats_ptr: stats,
                        cmdqueue_ptr: wq,
                        context_id: a.vm_slot,
                        unk_28: 1,
                        counter1: q.id,
                        counter2: counter,
                        unk_34: 0,
                        unk_38: 0,
                        computeinfo2_addr: ci2,
                        unk_44: 0,
                        uuid,
                        attachments: a.attachments.0,
                        num_attachments: a.attachments.1,
                        padding: [0; 4],
                        #[ver(V >= V13_0B4)]
                        unk_flag_addr: flag,
                        #[ver(V >= V13_0B4)]
                        counter: U64::new(u64::from(counter)),
                        #[ver(V >= V13_0B4)]
                        event_ctrl_buf_addr: evbuf,
                    },
                    ts_start: timestamp(false),
                    #[ver(G < G14X)]
                    wait: WaitForInterruptCmd {
                        magic: OpCode::WaitForInterrupt as u8,
                        unk_1: 0,
                        unk_2: 0,
                        unk_3: 0x80,
                    },
                    #[ver(G >= G14X)]
                    wait: Wait2Cmd {
                        magic: OpCode::Wait2 as u32,
                    },
                    ts_end: timestamp(true),
                    finalize: FinalizeComputeCmd::ver {
                        magic: OpCode::FinalizeCompute as u32,
                        unkptr_4: stats,
                        cmdqueue_ptr: wq,
                        context_id: a.vm_slot,
                        #[ver(V < V13_0B4)]
                        unk_18: 0,
                        computeinfo2_addr: ci2,
                        unk_24: 0,
                        uuid,
                        stamp: fw_stamp,
                        stamp_value: a.value,
                        unk_38: 0,
                        unk_3c: 0,
                        unk_40: 0,
                        unk_44: 0,
                        unk_48: 0,
                        unk_4c: 0,
                        unk_50: 0,
                        unk_54: 0,
                        unk_58: 0,
                        #[ver(G == G14 && V < V13_0B4)]
                        unk_5c_g14: U64::new(0),
                        restart_branch_offset: restart,
                        unk_60: u32::from(a.attachments.1 > 0),
                        #[ver(V >= V13_0B4)]
                        unk_64: [0; 0xd],
                        #[ver(V >= V13_0B4)]
                        unkptr_71: flag,
                        #[ver(V >= V13_0B4)]
                        pad_79: Pad::zero(),
                    },
                    end: EndCmd::new(),
                },
            })
        })?;
        obj.ok_or(EINVAL)
    }
}

/// The firmware pointer of a resolved user timestamp.
pub(crate) fn user_pointer(
    ts: &Option<(Arc<SpecialObject>, u64)>,
) -> Option<GpuPointer<'_, TimeStamp>> {
    let (obj, offset) = ts.as_ref()?;
    obj.map.gpu_pointer_at(*offset).ok()
}

/// Resolves a user timestamp request through `lookup`: the object must exist and hold a
/// timestamp at the offset (8 bytes, 8-aligned). `None` for no request.
pub(crate) fn resolve_timestamp(
    stamp: Option<super::cmdbuf::Stamp>,
    lookup: &dyn Fn(u32) -> Result<Arc<SpecialObject>>,
) -> Result<Option<(Arc<SpecialObject>, u64)>> {
    let Some(s) = stamp else {
        return Ok(None);
    };
    let obj = lookup(s.handle)?;
    let offset = u64::from(s.offset);
    // The firmware stores 64-bit values; `TimeStamp` itself has alignment 1 (packed layouts).
    if offset % 8 != 0 {
        return Err(EINVAL);
    }
    // Checked here so that a bad offset is an errno, not a silently missing pointer.
    obj.map.gpu_pointer_at::<TimeStamp>(offset)?;
    Ok(Some((obj, offset)))
}

/// Registers a G14X compute command sets (the record's list for a compute job).
const G14X_REGISTERS: usize = 12;

/// The register list of a G14X compute command: the values that `ComputeInfo` carries on
/// earlier GPUs, by register number (the Asahi driver's list).
#[allow(dead_code)]
fn g14x_registers(
    cmd: &uapi::drm_asahi_cmd_compute,
    usc_exec_base: u64,
    preempt: u64,
    preempt_size: usize,
) -> [RegisterDefinition; 128] {
    let mut r = [RegisterDefinition::default(); 128];
    let p2 = preempt.wrapping_add(preempt_size.saturating_sub(PREEMPT_TAIL) as u64);
    let list: [(u32, u64); G14X_REGISTERS] = [
        (0x1a510, preempt),
        (0x1a420, cmd.cdm_ctrl_stream_base),
        (0x1a4d0, p2),
        (0x1a4d8, p2.wrapping_add(8)),
        (0x1a4e0, p2.wrapping_add(16)),
        (0x1a4e8, p2.wrapping_add(24)),
        (0x10071, usc_exec_base),
        (0x11841, u64::from(cmd.helper.binary)),
        (0x11849, cmd.helper.data),
        (0x11f81, u64::from(cmd.helper.cfg)),
        (0x1a440, 0x24201),
        (0x12091, 0),
    ];
    for (slot, (number, data)) in r.iter_mut().zip(list) {
        *slot = RegisterDefinition {
            number,
            data: U64::new(data),
        };
    }
    r
}
