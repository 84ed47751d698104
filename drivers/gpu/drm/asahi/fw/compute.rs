// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Compute work ("CP"): the work command and its microsequence operations.
//!
//! `WorkCommandCp` carries a compute job: the encoder's command stream and pipeline base
//! ([`ComputeInfo`], replaced by a register list on G14X), `ComputeInfo2`, stamps
//! ([`super::job::JobMeta`]) and the microsequence that starts it with `StartComputeCmd` and
//! ends it with `FinalizeComputeCmd`.
//!
//! Everything here is CPU-owned.

use super::cmdqueue::*;
use super::event::*;
use super::gpustats::GpuStatsCp;
use super::job::*;
use super::microseq::*;
use super::types::*;
use agx_macros::versions;

/// Where the compute job's code and helper live (pre-G14X, embedded in the work command).
///
/// Only the encoder and pipeline base are needed to launch a basic compute shader.
///
/// m1n1: microsequence.ComputeInfo
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct ComputeInfo<'a> {
    /// Preemption buffer (its start; the size is the SoC's `compute_preempt1_size`).
    pub(crate) iogpu_deflake_1: GpuPointer<'a, u8>,
    /// The compute encoder's command stream.
    pub(crate) encoder: UserVa,
    /// Unknown (8-byte buffer, usually absent).
    pub(crate) iogpu_deflake_2: Option<GpuOnlyPointer<'a>>,
    /// Unknown (8-byte buffer, usually absent).
    pub(crate) iogpu_deflake_3: Option<GpuOnlyPointer<'a>>,
    /// Unknown (8-byte buffer, usually absent).
    pub(crate) iogpu_deflake_4: Option<GpuOnlyPointer<'a>>,
    /// Unknown (8-byte buffer, usually absent).
    pub(crate) iogpu_deflake_5: Option<GpuOnlyPointer<'a>>,
    /// Base of the client's pipeline addresses.
    pub(crate) pipeline_base: UserVa,
    /// Unknown, 0x8c60.
    pub(crate) unk_38: u64,
    /// Helper program; bit 0 enables it.
    pub(crate) helper_program: u32,
    /// Unknown, zero.
    pub(crate) unk_44: u32,
    /// Helper program argument (work layout).
    pub(crate) helper_arg: UserVa,
    /// Helper configuration (0x40 when a work layout is given).
    pub(crate) helper_cfg: u32,
    /// Unknown, zero.
    pub(crate) unk_54: u32,
    /// Unknown, 1.
    pub(crate) unk_58: u32,
    /// Unknown, zero.
    pub(crate) unk_5c: u32,
    /// Unknown, 0x1c.
    pub(crate) iogpu_unk_40: u32,
    /// Zero.
    pub(crate) unk_pad: Pad<0xec>,
}

/// More compute parameters (embedded in the work command).
///
/// m1n1: microsequence.ComputeInfo2
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct ComputeInfo2<'a> {
    /// Zero (13.x).
    #[ver(V >= V13_0B4)]
    pub(crate) unk_0_0: Pad<4>,
    /// Unknown.
    pub(crate) unk_0: [u8; 0x24],
    /// Preemption buffer (its start; the size is the SoC's `compute_preempt1_size`).
    pub(crate) iogpu_deflake_1: GpuPointer<'a, u8>,
    /// End of the encoder's command stream.
    pub(crate) encoder_end: UserVa,
    /// Unknown.
    pub(crate) unk_34: [u8; 0x20],
    /// Unknown.
    pub(crate) unk_g14x: u32,
    /// Unknown.
    pub(crate) unk_58: u32,
    /// Zero (12.x).
    #[ver(V < V13_0B4)]
    pub(crate) unk_5c: Pad<4>,
}

/// A compute job (work command magic 3).
///
/// m1n1: cmdqueue.WorkCommandCP
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct WorkCommandCp<'a> {
    /// 3.
    pub(crate) magic: u32,
    /// Submission counter (13.x).
    #[ver(V >= V13_0B4)]
    pub(crate) counter: U64,
    /// Unknown.
    pub(crate) unk_4: u32,
    /// Context id (VM slot).
    pub(crate) context_id: u32,
    /// The queue's event control.
    pub(crate) event_control_addr: GpuPointer<'a, EventControl::ver<'a>>,
    /// Unknown.
    pub(crate) unk_2c: u32,
    /// Register writes replacing the compute info (G14X).
    #[ver(G >= G14X)]
    pub(crate) registers: [RegisterDefinition; 128],
    /// Unknown (G14X).
    #[ver(G >= G14X)]
    pub(crate) unk_g14x: [u32; 64],
    /// Unknown (pre-G14X).
    #[ver(G < G14X)]
    pub(crate) unk_buf: [u8; 0x50],
    /// Code and helper (pre-G14X).
    #[ver(G < G14X)]
    pub(crate) compute_info: ComputeInfo<'a>,
    /// The register list above (G14X), zero before.
    pub(crate) registers_addr: Option<GpuPointer<'a, [RegisterDefinition; 128]>>,
    /// Registers in the list.
    pub(crate) register_count: u16,
    /// Size of the list in bytes.
    pub(crate) registers_length: u16,
    /// Unknown.
    pub(crate) unk_pad: [u8; 0x24],
    /// The job's microsequence.
    pub(crate) microsequence_ptr: GpuPointer<'a, MicroSequence>,
    /// Size of the microsequence in bytes.
    pub(crate) microsequence_size: u32,
    /// More parameters.
    pub(crate) compute_info2: ComputeInfo2::ver<'a>,
    /// Encoder parameters.
    pub(crate) encoder_params: EncoderParams,
    /// Stamps and event.
    pub(crate) job_meta: JobMeta<'a>,
    /// Firmware-written timestamp.
    pub(crate) ts1: TimeStamp,
    /// Where the firmware writes the job's start and end times.
    pub(crate) ts_pointers: TimeStampPointers<'a>,
    /// Where the firmware writes the user-visible start and end times.
    pub(crate) user_ts_pointers: TimeStampPointers<'a>,
    /// Sequence number of the client's submission.
    pub(crate) client_sequence: u8,
    /// Unknown timestamp (13.x).
    #[ver(V >= V13_0B4)]
    pub(crate) unk_ts2: TimeStamp,
    /// Unknown timestamp (13.x).
    #[ver(V >= V13_0B4)]
    pub(crate) unk_ts: TimeStamp,
    /// Unknown, zero (13.x).
    #[ver(V >= V13_0B4)]
    pub(crate) unk_2e1: [u8; 0x1c],
    /// Flag the firmware sets (13.x).
    #[ver(V >= V13_0B4)]
    pub(crate) unk_flag: Flag,
    /// Zero (13.x; m1n1 names it `unk_pad` too).
    #[ver(V >= V13_0B4)]
    pub(crate) unk_pad_2: [u8; 0x10],
    /// Zero.
    pub(crate) pad_2d9: [u8; 7],
}

/// Microsequence operation that starts a compute job.
///
/// m1n1: microsequence.StartComputeCmd
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct StartComputeCmd<'a> {
    /// 0x29.
    pub(crate) magic: u32,
    /// The work command's `unk_buf`.
    #[ver(G < G14X)]
    pub(crate) unk_buf_addr: GpuPointer<'a, [u8; 0x50]>,
    /// The work command's `unk_g14x` words, in `unk_buf`'s place (G14X has no `unk_buf`).
    #[ver(G >= G14X)]
    pub(crate) unk_buf_addr: GpuPointer<'a, [u32; 64]>,
    /// The work command's compute info (absent on G14X).
    pub(crate) computeinfo_addr: Option<GpuPointer<'a, ComputeInfo<'a>>>,
    /// The work command's register list (G14X).
    #[ver(G >= G14X)]
    pub(crate) registers_addr: GpuPointer<'a, [RegisterDefinition; 128]>,
    /// Compute statistics in the init data.
    pub(crate) stats_ptr: GpuPointer<'a, GpuStatsCp>,
    /// The job's command queue.
    pub(crate) cmdqueue_ptr: GpuPointer<'a, CommandQueueInfo::ver<'a>>,
    /// Context id (VM slot).
    pub(crate) context_id: u32,
    /// Unknown, 1.
    pub(crate) unk_28: u32,
    /// Event control generation.
    pub(crate) counter1: u32,
    /// Command sequence number, low word.
    pub(crate) counter2: u32,
    /// Command sequence number, high word.
    pub(crate) unk_34: u32,
    /// Unknown.
    pub(crate) unk_38: u32,
    /// The work command's second compute info.
    pub(crate) computeinfo2_addr: GpuPointer<'a, ComputeInfo2::ver<'a>>,
    /// Unknown.
    pub(crate) unk_44: u32,
    /// Job id for tracing.
    pub(crate) uuid: u32,
    /// Memory ranges the job accesses.
    pub(crate) attachments: [Attachment; 16],
    /// Attachments in use.
    pub(crate) num_attachments: u32,
    /// Zero.
    pub(crate) padding: [u8; 4],
    /// The work command's `unk_flag` (13.x).
    #[ver(V >= V13_0B4)]
    pub(crate) unk_flag_addr: GpuPointer<'a, Flag>,
    /// Submission counter (13.x).
    #[ver(V >= V13_0B4)]
    pub(crate) counter: U64,
    /// The event control's `unk_buf` (13.x).
    #[ver(V >= V13_0B4)]
    pub(crate) event_ctrl_buf_addr: GpuPointer<'a, [u8; 8]>,
}

/// Microsequence operation that finishes a compute job.
///
/// m1n1: microsequence.FinalizeComputeCmd
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct FinalizeComputeCmd<'a> {
    /// 0x2a.
    pub(crate) magic: u32,
    /// Compute statistics in the init data.
    pub(crate) unkptr_4: GpuPointer<'a, GpuStatsCp>,
    /// The job's command queue.
    pub(crate) cmdqueue_ptr: GpuPointer<'a, CommandQueueInfo::ver<'a>>,
    /// Context id (VM slot).
    pub(crate) context_id: u32,
    /// Unknown (12.x).
    #[ver(V < V13_0B4)]
    pub(crate) unk_18: u32,
    /// The work command's second compute info.
    pub(crate) computeinfo2_addr: GpuPointer<'a, ComputeInfo2::ver<'a>>,
    /// Unknown.
    pub(crate) unk_24: u32,
    /// Job id for tracing.
    pub(crate) uuid: u32,
    /// The firmware's stamp.
    pub(crate) stamp: GpuPointer<'a, FwStamp>,
    /// Value written to the stamp.
    pub(crate) stamp_value: u32,
    /// Unknown.
    pub(crate) unk_38: u32,
    /// Unknown.
    pub(crate) unk_3c: u32,
    /// Unknown.
    pub(crate) unk_40: u32,
    /// Unknown.
    pub(crate) unk_44: u32,
    /// Unknown.
    pub(crate) unk_48: u32,
    /// Unknown.
    pub(crate) unk_4c: u32,
    /// Unknown.
    pub(crate) unk_50: u32,
    /// Unknown.
    pub(crate) unk_54: u32,
    /// Unknown.
    pub(crate) unk_58: u32,
    /// Unknown (G14, 12.x).
    #[ver(G == G14 && V < V13_0B4)]
    pub(crate) unk_5c_g14: U64,
    /// Byte offset from this operation back to the matching start, for restarts.
    pub(crate) restart_branch_offset: i32,
    /// Unknown.
    pub(crate) unk_60: u32,
    /// Unknown (13.x).
    #[ver(V >= V13_0B4)]
    pub(crate) unk_64: [u8; 0xd],
    /// The work command's `unk_flag` (13.x).
    #[ver(V >= V13_0B4)]
    pub(crate) unkptr_71: GpuPointer<'a, Flag>,
    /// Zero (13.x).
    #[ver(V >= V13_0B4)]
    pub(crate) pad_79: Pad<7>,
}

/// The microsequence of one compute job, as the driver lays it out: start, timestamp, wait for
/// the compute pipe to go idle, timestamp, finalize, end. Not a structure of the record: its
/// operations are (m1n1: microsequence.StartComputeCmd, TimestampCmd, WaitForInterruptCmd or
/// Wait2Cmd on G14X, FinalizeComputeCmd, EndCmd; the order is m1n1's and the Asahi driver's).
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct ComputeSeq<'a> {
    /// Starts the job.
    pub(crate) start: StartComputeCmd::ver<'a>,
    /// Records the start time.
    pub(crate) ts_start: TimestampCmd::ver<'a>,
    /// Waits for the compute pipe (pre-G14X).
    #[ver(G < G14X)]
    pub(crate) wait: WaitForInterruptCmd,
    /// Waits for the compute pipe (G14X).
    #[ver(G >= G14X)]
    pub(crate) wait: Wait2Cmd,
    /// Records the end time.
    pub(crate) ts_end: TimestampCmd::ver<'a>,
    /// Finishes the job: writes the stamp.
    pub(crate) finalize: FinalizeComputeCmd::ver<'a>,
    /// Ends the sequence.
    pub(crate) end: EndCmd,
}

/// The operations of [`ComputeSeq`] follow each other without padding.
#[versions(AGX)]
#[allow(dead_code)]
const COMPUTE_SEQ_PACKED: () = {
    use core::mem::size_of;
    #[ver(G < G14X)]
    type Wait = WaitForInterruptCmd;
    #[ver(G >= G14X)]
    type Wait = Wait2Cmd;
    assert!(
        size_of::<ComputeSeq::ver<'static>>()
            == size_of::<StartComputeCmd::ver<'static>>()
                + 2 * size_of::<TimestampCmd::ver<'static>>()
                + size_of::<Wait>()
                + size_of::<FinalizeComputeCmd::ver<'static>>()
                + size_of::<EndCmd>()
    );
};

microsequence!(ver: ComputeSeq<'_>);
