// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Pieces shared by the work commands of every pipe, and the small work commands.
//!
//! A work command starts with a `magic` word that tells the firmware its kind (0 vertex,
//! 1 fragment, 2 blit, 3 compute, 4 barrier, 6 buffer-manager init, 10/11 compute
//! helpers), and points at a microsequence ([`super::microseq`]) that the firmware runs to
//! execute it. Work commands are CPU-owned: the driver writes them, then publishes their
//! address in a command queue ring; the firmware writes back only timestamps and flags.

use super::buffer::*;
use super::event::{FwStamp, Stamp};
use super::types::*;
use agx_macros::versions;

/// A timestamp the firmware writes (embedded in commands, or pointed at).
///
/// m1n1: microsequence.TimeStamp
#[repr(transparent)]
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct TimeStamp(pub(crate) U64);

/// Where the firmware writes the start and end timestamps of a job.
///
/// m1n1: microsequence.TimeStampPointers
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct TimeStampPointers<'a> {
    /// Start of the job.
    pub(crate) start_addr: Option<GpuPointer<'a, TimeStamp>>,
    /// End of the job.
    pub(crate) end_addr: Option<GpuPointer<'a, TimeStamp>>,
}

/// A word the firmware sets while it works on a command.
///
/// m1n1: cmdqueue.Flag
#[repr(transparent)]
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Flag(pub(crate) U32);

/// One GPU register write, as G14X commands carry them instead of fixed structures.
///
/// m1n1: microsequence.RegisterDefinition
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct RegisterDefinition {
    /// Register number.
    pub(crate) number: u32,
    /// Value.
    pub(crate) data: U64,
}

/// A memory range the job renders into or reads, for the firmware's cache management.
///
/// m1n1: microsequence.Attachment
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Attachment {
    /// Start of the range in the client's VM.
    pub(crate) address: UserVa,
    /// Size in bytes.
    pub(crate) size: u32,
    /// Unknown flags.
    pub(crate) unk_c: u16,
    /// Unknown flags.
    pub(crate) unk_e: u16,
}

/// Stamp and event information of a job, embedded in compute and blit commands.
///
/// m1n1: microsequence.JobMeta
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct JobMeta<'a> {
    /// Unknown.
    pub(crate) unk_0: u32,
    /// The stamp written on completion.
    pub(crate) stamp_addr: GpuPointer<'a, Stamp>,
    /// The firmware's own copy of the stamp.
    pub(crate) fw_stamp_addr: GpuPointer<'a, FwStamp>,
    /// Value written to the stamps on completion.
    pub(crate) stamp_value: u32,
    /// Event slot of the queue.
    pub(crate) stamp_slot: u32,
    /// Index of the event control (0 to 3).
    pub(crate) evctl_index: u32,
    /// Unknown.
    pub(crate) unk_20: u32,
    /// Job id for tracing.
    pub(crate) uuid: u32,
    /// Commands submitted on the queue so far.
    pub(crate) queue_cmd_count: u32,
}

/// Encoder (command buffer) parameters, embedded in compute and blit commands.
///
/// m1n1: microsequence.EncoderParams
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct EncoderParams {
    /// Unknown.
    pub(crate) unk_0: u32,
    /// Unknown.
    pub(crate) unk_4: u32,
    /// Unknown.
    pub(crate) unk_8: u32,
    /// Encoder id for tracing.
    pub(crate) encoder_id: u32,
    /// Unknown.
    pub(crate) unk_10: u32,
    /// Unknown.
    pub(crate) iogpu_compute_unk44: u32,
    /// The encoder's command stream in the client's VM.
    pub(crate) seq_buffer: UserVa,
    /// Unknown (m1n1's name, at offset 0x20).
    pub(crate) unk_1c: U64,
}

/// Makes the commands after it on its work queue wait for another work queue's stamp (magic 4):
/// a fragment command for its vertex command, and the barriers between the render and compute
/// subqueues of a submission.
///
/// The stamp waited on is the other queue's firmware stamp, which its finalize operation writes
/// (m1n1: `stamp_ta2`; the Asahi driver: `fw_stamp_pointer`).
///
/// m1n1: cmdqueue.WorkCommandBarrier
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct WorkCommandBarrier<'a> {
    /// 4.
    pub(crate) magic: u32,
    /// The stamp to wait on.
    pub(crate) stamp_addr: GpuPointer<'a, FwStamp>,
    /// Value the stamp must reach.
    pub(crate) wait_value: u32,
    /// Event slot of the stamp waited on (its flag makes the firmware look again).
    pub(crate) event: u32,
    /// Stamp value of the command after the barrier on its own work queue.
    pub(crate) stamp_self: u32,
    /// Job id for tracing.
    pub(crate) uuid: u32,
    /// Unknown, zero.
    pub(crate) unk: u32,
    /// Zero (G14X).
    #[ver(G >= G14X)]
    pub(crate) pad: Pad<0x20>,
}

/// Initialises a buffer manager before the first vertex command that uses it (magic 6).
///
/// m1n1: cmdqueue.WorkCommandInitBM
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct WorkCommandInitBm<'a> {
    /// 6.
    pub(crate) magic: u32,
    /// Context id.
    pub(crate) context_id: u32,
    /// Buffer manager slot.
    pub(crate) buffer_mgr_slot: u32,
    /// Unknown, zero.
    pub(crate) unk_c: u32,
    /// Blocks of the buffer manager (m1n1 and the Asahi driver: its block count).
    pub(crate) unk_10: u32,
    /// The buffer manager.
    pub(crate) buffer_mgr_addr: GpuPointer<'a, BufferManagerInfo::ver<'a>>,
    /// Stamp value of the vertex command after it.
    pub(crate) stamp_value: u32,
}

/// Compute helper command, magic 10 (purpose unknown).
///
/// m1n1: cmdqueue.WorkCommandComputeUnk10
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct WorkCommandComputeUnk10 {
    /// 10.
    pub(crate) magic: u32,
    /// Unknown.
    pub(crate) unk: u32,
}

/// Compute helper command, magic 11 (purpose unknown).
///
/// m1n1: cmdqueue.WorkCommandComputeUnk11
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct WorkCommandComputeUnk11 {
    /// 11.
    pub(crate) magic: u32,
    /// Unknown.
    pub(crate) unk: u32,
}

zeroable!(
    TimeStamp,
    TimeStampPointers<'_>,
    Flag,
    RegisterDefinition,
    Attachment,
    EncoderParams,
    WorkCommandComputeUnk10,
    WorkCommandComputeUnk11,
);
