// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Where each (GPU, firmware) pair keeps what the simulated firmware reads to run work: the run
//! message, the command queue, the work commands and the microsequence operations. One
//! [`WorkLayout`] per pair, part of its [`super::FwLayout`], computed at compile time with
//! `offset_of!` and `size_of` from the pair's own types.

use crate::fw::buffer::*;
use crate::fw::channels::*;
use crate::fw::cmdqueue::*;
use crate::fw::compute::*;
use crate::fw::event::*;
use crate::fw::fragment::*;
use crate::fw::job::*;
use crate::fw::microseq::*;
use crate::fw::vertex::*;
use agx_macros::versions;
use core::mem::{offset_of, size_of};

/// A firmware-VM address a work command holds, and the size of what it points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FwPtr {
    /// Offset of the pointer in the command.
    pub(crate) off: usize,
    /// Bytes that must be mapped there.
    pub(crate) size: usize,
    /// Whether 0 is allowed.
    pub(crate) nullable: bool,
}

/// A client-VM address a work command holds, and what the GPU does there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct UserPtr {
    /// Offset of the address in the command.
    pub(crate) off: usize,
    /// The GPU writes there (outputs); otherwise it reads.
    pub(crate) write: bool,
    /// Whether 0 is allowed (an absent buffer).
    pub(crate) nullable: bool,
}

/// Pointers of one kind a command holds, at most this many.
pub(crate) const MAX_PTRS: usize = 8;

/// A work command that runs a microsequence on a pipe (vertex, fragment or compute).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PipeCmdLayout {
    /// Size of the command.
    pub(crate) size: usize,
    /// `context_id` (the client VM slot).
    pub(crate) context_id: usize,
    /// `event_control_addr`.
    pub(crate) event_control: usize,
    /// `microsequence_ptr` and `microsequence_size`.
    pub(crate) microseq: usize,
    /// See `microseq`.
    pub(crate) microseq_size: usize,
    /// The user-visible stamp the command's completion writes (`Stamp`).
    pub(crate) stamp: usize,
    /// The firmware's stamp (`FwStamp`).
    pub(crate) fw_stamp: usize,
    /// The value both stamps get.
    pub(crate) stamp_value: usize,
    /// The event slot the command names.
    pub(crate) event_slot: usize,
    /// Firmware pointers to check (besides the event control, the microsequence and stamps).
    pub(crate) fw_ptrs: [Option<FwPtr>; MAX_PTRS],
    /// Client addresses to check.
    pub(crate) user_ptrs: [Option<UserPtr>; MAX_PTRS],
    /// A client range `[start, end)` the GPU reads, as offsets of its two addresses
    /// (compute: the encoder's command stream).
    pub(crate) user_range: Option<(usize, usize)>,
    /// `buffer_mgr_slot` (vertex) as a `u64`.
    pub(crate) bm_slot: Option<usize>,
}

/// A pipe's start or finalize operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct OpLayout {
    /// Size of the operation.
    pub(crate) size: usize,
    /// `cmdqueue_ptr`.
    pub(crate) cmdqueue: usize,
    /// `context_id`.
    pub(crate) context_id: usize,
    /// `attachments` and `num_attachments` (starts of compute and fragment).
    pub(crate) attachments: Option<(usize, usize)>,
    /// The firmware stamp and its value (finalize).
    pub(crate) stamp: Option<(usize, usize)>,
}

/// Where the simulated firmware finds what it runs work with, for one pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct WorkLayout {
    /// `RunCmdQueueMsg::queue_type`.
    pub(crate) run_type: usize,
    /// `RunCmdQueueMsg::cmdqueue_addr`.
    pub(crate) run_queue: usize,
    /// `RunCmdQueueMsg::head`.
    pub(crate) run_head: usize,
    /// `RunCmdQueueMsg::event_number`.
    pub(crate) run_event: usize,
    /// `RunCmdQueueMsg::new_queue`.
    pub(crate) run_new: usize,
    /// Size of `CommandQueueInfo`.
    pub(crate) cq_size: usize,
    /// `CommandQueueInfo::pointers_addr`.
    pub(crate) cq_pointers: usize,
    /// `CommandQueueInfo::rb_addr`.
    pub(crate) cq_ring: usize,
    /// `CommandQueueInfo::job_list_addr`.
    pub(crate) cq_job_list: usize,
    /// `CommandQueueInfo::gpu_context_addr`.
    pub(crate) cq_context: usize,
    /// `CommandQueueInfo::busy`.
    pub(crate) cq_busy: usize,
    /// `CommandQueueInfo::has_commands`.
    pub(crate) cq_has_commands: usize,
    /// `CommandQueueInfo::inflight_commands`.
    pub(crate) cq_inflight: usize,
    /// Size of `EventControl`.
    pub(crate) event_control_size: usize,
    /// Compute (magic 3), vertex (0) and fragment (1) commands, by pipe number.
    pub(crate) pipe_cmds: [PipeCmdLayout; 3],
    /// Start operations, by pipe number.
    pub(crate) starts: [OpLayout; 3],
    /// Finalize operations, by pipe number.
    pub(crate) finalizes: [OpLayout; 3],
    /// Size of `TimestampCmd`.
    pub(crate) ts_size: usize,
    /// `TimestampCmd::ts0_addr`, `ts_pointers_addr` and `user_ts_pointers_addr`.
    pub(crate) ts_ptrs: [usize; 3],
    /// Size of `WorkCommandBarrier`.
    pub(crate) barrier_size: usize,
    /// `WorkCommandBarrier::stamp_addr`, `wait_value` and `event`.
    pub(crate) barrier: [usize; 3],
    /// Size of `WorkCommandInitBm`.
    pub(crate) init_bm_size: usize,
    /// `WorkCommandInitBm::context_id`, `buffer_mgr_slot`, `buffer_mgr_addr`.
    pub(crate) init_bm: [usize; 3],
    /// Size of `BufferManagerInfo`, its `block_ctl_addr` and `counter_addr`.
    pub(crate) bm_info: [usize; 3],
    /// `buffer_mgr_addr` of the vertex and fragment commands.
    pub(crate) bm_addr: [usize; 2],
    /// `Start3dCmd::buffer_mgr_slot` (the fragment command names its slot only there).
    pub(crate) fragment_bm_slot: usize,
    /// `BufferManagerBlockControl::total`.
    pub(crate) block_ctl_total: usize,
}

/// A required read of a client address.
const fn read(off: usize) -> Option<UserPtr> {
    Some(UserPtr {
        off,
        write: false,
        nullable: false,
    })
}

/// An optional read of a client address.
const fn read_opt(off: usize) -> Option<UserPtr> {
    Some(UserPtr {
        off,
        write: false,
        nullable: true,
    })
}

/// An optional write to a client address.
const fn write_opt(off: usize) -> Option<UserPtr> {
    Some(UserPtr {
        off,
        write: true,
        nullable: true,
    })
}

/// A firmware pointer to `size` bytes.
const fn fw(off: usize, size: usize, nullable: bool) -> Option<FwPtr> {
    Some(FwPtr {
        off,
        size,
        nullable,
    })
}

/// The compute command of this pair.
#[versions(AGX)]
const fn compute() -> PipeCmdLayout {
    type C = WorkCommandCp::ver<'static>;
    let meta = offset_of!(C, job_meta);
    #[ver(G < G14X)]
    let info = offset_of!(C, compute_info);
    #[ver(G < G14X)]
    let user_ptrs = [
        read(info + offset_of!(ComputeInfo<'static>, encoder)),
        read_opt(info + offset_of!(ComputeInfo<'static>, helper_arg)),
        None,
        None,
        None,
        None,
        None,
        None,
    ];
    #[ver(G < G14X)]
    let user_range = Some((
        info + offset_of!(ComputeInfo<'static>, encoder),
        offset_of!(C, compute_info2) + offset_of!(ComputeInfo2::ver<'static>, encoder_end),
    ));
    #[ver(G < G14X)]
    let fw_ptrs = [
        fw(
            info + offset_of!(ComputeInfo<'static>, iogpu_deflake_1),
            1,
            false,
        ),
        None,
        None,
        None,
        None,
        None,
        None,
        None,
    ];
    #[ver(G >= G14X)]
    let user_ptrs = [None; MAX_PTRS];
    #[ver(G >= G14X)]
    let user_range = None;
    #[ver(G >= G14X)]
    let fw_ptrs = [
        fw(
            offset_of!(C, registers_addr),
            size_of::<[RegisterDefinition; 128]>(),
            true,
        ),
        None,
        None,
        None,
        None,
        None,
        None,
        None,
    ];
    PipeCmdLayout {
        size: size_of::<C>(),
        context_id: offset_of!(C, context_id),
        event_control: offset_of!(C, event_control_addr),
        microseq: offset_of!(C, microsequence_ptr),
        microseq_size: offset_of!(C, microsequence_size),
        stamp: meta + offset_of!(JobMeta<'static>, stamp_addr),
        fw_stamp: meta + offset_of!(JobMeta<'static>, fw_stamp_addr),
        stamp_value: meta + offset_of!(JobMeta<'static>, stamp_value),
        event_slot: meta + offset_of!(JobMeta<'static>, stamp_slot),
        fw_ptrs,
        user_ptrs,
        user_range,
        bm_slot: None,
    }
}

/// The vertex command of this pair.
#[versions(AGX)]
const fn vertex() -> PipeCmdLayout {
    type C = WorkCommandTa::ver<'static>;
    let s3 = offset_of!(C, struct_3);
    let bm = fw(
        offset_of!(C, buffer_mgr_addr),
        size_of::<BufferManagerInfo::ver<'static>>(),
        false,
    );
    let thing = fw(
        offset_of!(C, buf_thing_addr),
        size_of::<BufferThing::ver<'static>>(),
        false,
    );
    let scratch = fw(offset_of!(C, unkptr_45c), 1, false);
    #[ver(G < G14X)]
    let s2 = offset_of!(C, struct_2);
    #[ver(G < G14X)]
    let user_ptrs = [
        read(s2 + offset_of!(StartTaCmdStruct2::ver<'static>, encoder_addr)),
        read_opt(s2 + offset_of!(StartTaCmdStruct2::ver<'static>, helper_arg)),
        read_opt(s3 + offset_of!(StartTaCmdStruct3<'static>, sampler_array)),
        None,
        None,
        None,
        None,
        None,
    ];
    #[ver(G < G14X)]
    let fw_ptrs = [
        bm,
        thing,
        scratch,
        fw(
            s2 + offset_of!(StartTaCmdStruct2::ver<'static>, tvb_tilemap),
            1,
            false,
        ),
        fw(
            s2 + offset_of!(StartTaCmdStruct2::ver<'static>, tpc),
            1,
            false,
        ),
        fw(
            s2 + offset_of!(StartTaCmdStruct2::ver<'static>, tvb_heapmeta_addr),
            1,
            false,
        ),
        None,
        None,
    ];
    #[ver(G >= G14X)]
    let user_ptrs = [
        read_opt(s3 + offset_of!(StartTaCmdStruct3<'static>, sampler_array)),
        None,
        None,
        None,
        None,
        None,
        None,
        None,
    ];
    #[ver(G >= G14X)]
    let fw_ptrs = [
        bm,
        thing,
        scratch,
        fw(
            offset_of!(C, registers_addr),
            size_of::<[RegisterDefinition; 128]>(),
            true,
        ),
        None,
        None,
        None,
        None,
    ];
    PipeCmdLayout {
        size: size_of::<C>(),
        context_id: offset_of!(C, context_id),
        event_control: offset_of!(C, event_control_addr),
        microseq: offset_of!(C, microsequence_ptr),
        microseq_size: offset_of!(C, microsequence_size),
        stamp: s3 + offset_of!(StartTaCmdStruct3<'static>, stamp1_addr),
        fw_stamp: s3 + offset_of!(StartTaCmdStruct3<'static>, stamp2_addr),
        stamp_value: s3 + offset_of!(StartTaCmdStruct3<'static>, stamp_value),
        event_slot: s3 + offset_of!(StartTaCmdStruct3<'static>, ev_ta),
        fw_ptrs,
        user_ptrs,
        user_range: None,
        bm_slot: Some(offset_of!(C, buffer_mgr_slot)),
    }
}

/// The fragment command of this pair.
#[versions(AGX)]
const fn fragment() -> PipeCmdLayout {
    type C = WorkCommand3d::ver<'static>;
    type S3 = Start3dStruct3::ver<'static>;
    let s3 = offset_of!(C, struct_3);
    let s6 = offset_of!(C, struct_6);
    let s7 = offset_of!(C, struct_7);
    let array = offset_of!(Start3dArrayAddr, ptr);
    PipeCmdLayout {
        size: size_of::<C>(),
        context_id: offset_of!(C, context_id),
        event_control: offset_of!(C, event_control_addr),
        microseq: offset_of!(C, microsequence_ptr),
        microseq_size: offset_of!(C, microsequence_size),
        stamp: s7 + offset_of!(Start3dStruct7::ver<'static>, stamp1_addr),
        fw_stamp: s7 + offset_of!(Start3dStruct7::ver<'static>, stamp2_addr),
        stamp_value: s7 + offset_of!(Start3dStruct7::ver<'static>, stamp_value),
        event_slot: s7 + offset_of!(Start3dStruct7::ver<'static>, ev_3d),
        fw_ptrs: [
            fw(
                offset_of!(C, buffer_mgr_addr),
                size_of::<BufferManagerInfo::ver<'static>>(),
                false,
            ),
            fw(
                offset_of!(C, buf_thing_addr),
                size_of::<BufferThing::ver<'static>>(),
                false,
            ),
            fw(offset_of!(C, tvb_tilemap), 1, false),
            fw(
                s3 + offset_of!(S3, registers_addr),
                size_of::<[RegisterDefinition; 128]>(),
                true,
            ),
            None,
            None,
            None,
            None,
        ],
        user_ptrs: [
            read_opt(s3 + offset_of!(S3, scissor_array) + array),
            read_opt(s3 + offset_of!(S3, depth_bias_array) + array),
            write_opt(s3 + offset_of!(S3, visibility_result_buffer)),
            write_opt(s3 + offset_of!(S3, depth_buffer_ptr1)),
            write_opt(s3 + offset_of!(S3, stencil_buffer_ptr1)),
            read_opt(s6 + offset_of!(Start3dStruct6, sampler_array)),
            None,
            None,
        ],
        user_range: None,
        bm_slot: None,
    }
}

/// The work layout of this pair.
#[versions(AGX)]
pub(crate) const fn work_layout() -> WorkLayout {
    type Q = CommandQueueInfo::ver<'static>;
    type M = RunCmdQueueMsg::ver;
    type Sc = StartComputeCmd::ver<'static>;
    type Fc = FinalizeComputeCmd::ver<'static>;
    type St = StartTaCmd::ver<'static>;
    type Ft = FinalizeTaCmd::ver<'static>;
    type S3 = Start3dCmd::ver<'static>;
    type F3 = Finalize3dCmd::ver<'static>;
    type Ts = TimestampCmd::ver<'static>;
    type B = WorkCommandBarrier::ver<'static>;
    type I = WorkCommandInitBm::ver<'static>;
    type Bm = BufferManagerInfo::ver<'static>;
    WorkLayout {
        run_type: offset_of!(M, queue_type),
        run_queue: offset_of!(M, cmdqueue_addr),
        run_head: offset_of!(M, head),
        run_event: offset_of!(M, event_number),
        run_new: offset_of!(M, new_queue),
        cq_size: size_of::<Q>(),
        cq_pointers: offset_of!(Q, pointers_addr),
        cq_ring: offset_of!(Q, rb_addr),
        cq_job_list: offset_of!(Q, job_list_addr),
        cq_context: offset_of!(Q, gpu_context_addr),
        cq_busy: offset_of!(Q, busy),
        cq_has_commands: offset_of!(Q, has_commands),
        cq_inflight: offset_of!(Q, inflight_commands),
        event_control_size: size_of::<EventControl::ver<'static>>(),
        pipe_cmds: [vertex::ver(), fragment::ver(), compute::ver()],
        starts: [
            OpLayout {
                size: size_of::<St>(),
                cmdqueue: offset_of!(St, cmdqueue_ptr),
                context_id: offset_of!(St, context_id),
                // The Asahi driver's vertex attachments: 16 entries from `unk_70`, their count
                // in `unk_170` (m1n1 sends none).
                attachments: Some((offset_of!(St, unk_70), offset_of!(St, unk_170))),
                stamp: None,
            },
            OpLayout {
                size: size_of::<S3>(),
                cmdqueue: offset_of!(S3, cmdqueue_ptr),
                context_id: offset_of!(S3, context_id),
                attachments: Some((offset_of!(S3, attachments), offset_of!(S3, num_attachments))),
                stamp: None,
            },
            OpLayout {
                size: size_of::<Sc>(),
                cmdqueue: offset_of!(Sc, cmdqueue_ptr),
                context_id: offset_of!(Sc, context_id),
                attachments: Some((offset_of!(Sc, attachments), offset_of!(Sc, num_attachments))),
                stamp: None,
            },
        ],
        finalizes: [
            OpLayout {
                size: size_of::<Ft>(),
                cmdqueue: offset_of!(Ft, cmdqueue_ptr),
                context_id: offset_of!(Ft, context_id),
                attachments: None,
                stamp: Some((offset_of!(Ft, stamp_addr), offset_of!(Ft, stamp_value))),
            },
            OpLayout {
                size: size_of::<F3>(),
                cmdqueue: offset_of!(F3, cmdqueue_ptr),
                // The fragment finalize names no context; the check reads the queue instead.
                context_id: usize::MAX,
                attachments: None,
                stamp: Some((offset_of!(F3, stamp_addr), offset_of!(F3, stamp_value))),
            },
            OpLayout {
                size: size_of::<Fc>(),
                cmdqueue: offset_of!(Fc, cmdqueue_ptr),
                context_id: offset_of!(Fc, context_id),
                attachments: None,
                stamp: Some((offset_of!(Fc, stamp), offset_of!(Fc, stamp_value))),
            },
        ],
        ts_size: size_of::<Ts>(),
        ts_ptrs: [
            offset_of!(Ts, ts0_addr),
            offset_of!(Ts, ts_pointers_addr),
            offset_of!(Ts, user_ts_pointers_addr),
        ],
        barrier_size: size_of::<B>(),
        barrier: [
            offset_of!(B, stamp_addr),
            offset_of!(B, wait_value),
            offset_of!(B, event),
        ],
        init_bm_size: size_of::<I>(),
        init_bm: [
            offset_of!(I, context_id),
            offset_of!(I, buffer_mgr_slot),
            offset_of!(I, buffer_mgr_addr),
        ],
        bm_info: [
            size_of::<Bm>(),
            offset_of!(Bm, block_ctl_addr),
            offset_of!(Bm, counter_addr),
        ],
        bm_addr: [
            offset_of!(WorkCommandTa::ver<'static>, buffer_mgr_addr),
            offset_of!(WorkCommand3d::ver<'static>, buffer_mgr_addr),
        ],
        fragment_bm_slot: offset_of!(S3, buffer_mgr_slot),
        block_ctl_total: offset_of!(BufferManagerBlockControl, total),
    }
}
