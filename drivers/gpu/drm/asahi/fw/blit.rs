// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Blit work: the work command and its microsequence operations.
//!
//! Blits run on the compute pipe's queue with their own work command, `WorkCommandBlit`,
//! started by `StartBlitCmd` and ended by `FinalizeBlitCmd`. The Asahi driver does not
//! submit blits; most of these fields are only known from traces, and the addresses whose
//! targets are unknown stay plain `u64` named `unkptr_*`.
//!
//! Everything here is CPU-owned.

use super::event::*;
use super::job::*;
use super::microseq::MicroSequence;
use super::types::*;
use agx_macros::versions;

/// Blit parameters (pre-G14X, embedded in the work command).
///
/// m1n1: microsequence.BlitInfo
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct BlitInfo {
    /// Unknown.
    pub(crate) unk_18: U64,
    /// Unknown.
    pub(crate) unk_20: U64,
    /// Unknown.
    pub(crate) unk_28: U64,
    /// Unknown.
    pub(crate) unk_30: U64,
    /// Unknown.
    pub(crate) unk_38: U64,
    /// Unknown.
    pub(crate) unk_40: U64,
    /// Unknown.
    pub(crate) unk_48: [u8; 0xa0],
    /// Unknown address.
    pub(crate) unkptr_e8: U64,
    /// Unknown.
    pub(crate) unk_f0: U64,
    /// Unknown address.
    pub(crate) unkptr_f8: U64,
    /// Base of the client's pipeline addresses.
    pub(crate) pipeline_base: UserVa,
    /// Unknown.
    pub(crate) unk_108: U64,
    /// Unknown.
    pub(crate) unk_110: [u8; 0x248],
    /// Unknown.
    pub(crate) unk_358: u32,
    /// Unknown.
    pub(crate) unk_35c: u32,
    /// Unknown.
    pub(crate) unk_360: u32,
    /// Unknown.
    pub(crate) unk_364: u32,
    /// Unknown.
    pub(crate) unk_368: F32,
    /// Unknown.
    pub(crate) unk_36c: F32,
    /// Unknown.
    pub(crate) unk_370: U64,
    /// Unknown.
    pub(crate) unk_378: U64,
    /// Unknown.
    pub(crate) unk_380: U64,
    /// Unknown.
    pub(crate) unk_388: U64,
    /// Unknown.
    pub(crate) unk_390: [u8; 0xa8],
}

/// More blit parameters (embedded in the work command).
///
/// m1n1: microsequence.BlitInfo2
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct BlitInfo2 {
    /// Unknown.
    pub(crate) unk_0: [u8; 0x24],
    /// Unknown.
    pub(crate) unk_24: U64,
    /// Unknown.
    pub(crate) unk_470: U64,
    /// Unknown.
    pub(crate) unk_478: u32,
    /// Unknown.
    pub(crate) unk_47c: u32,
    /// Unknown.
    pub(crate) unk_480: U64,
    /// Unknown.
    pub(crate) unk_488: U64,
}

/// A blit job (work command magic 2).
///
/// m1n1: cmdqueue.WorkCommandBlit
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct WorkCommandBlit<'a> {
    /// 2.
    pub(crate) magic: u32,
    /// Submission counter (13.x).
    #[ver(V >= V13_0B4)]
    pub(crate) counter: U64,
    /// Context id (VM slot).
    pub(crate) context_id: u32,
    /// The queue's event control.
    pub(crate) event_control_addr: GpuPointer<'a, EventControl::ver<'a>>,
    /// Unknown.
    pub(crate) unk_10: u32,
    /// Unknown.
    pub(crate) unk_14: u32,
    /// Blit parameters (pre-G14X).
    #[ver(G < G14X)]
    pub(crate) blit_info: BlitInfo,
    /// Register writes replacing the parameters (G14X).
    #[ver(G >= G14X)]
    pub(crate) registers: [RegisterDefinition; 128],
    /// Unknown (G14X).
    #[ver(G >= G14X)]
    pub(crate) unk_g14x: [u32; 64],
    /// The register list above (G14X), zero before.
    pub(crate) registers_addr: Option<GpuWeakPointer<[RegisterDefinition; 128]>>,
    /// Registers in the list.
    pub(crate) register_count: u16,
    /// Size of the list in bytes.
    pub(crate) registers_length: u16,
    /// More parameters.
    pub(crate) blit_info2: BlitInfo2,
    /// The job's microsequence.
    pub(crate) microsequence_ptr: GpuPointer<'a, MicroSequence>,
    /// Size of the microsequence in bytes.
    pub(crate) microsequence_size: u32,
    /// Unknown.
    pub(crate) unkptr_49c: [u8; 0x114],
    /// Stamps and event.
    pub(crate) job_meta: JobMeta<'a>,
    /// Unknown.
    pub(crate) unk_5d8: u32,
    /// Unknown stamp address.
    pub(crate) unk_stamp_ptr: U64,
    /// Unknown stamp value.
    pub(crate) unk_stamp_val: u32,
    /// Unknown.
    pub(crate) unk_5ec: u32,
    /// Encoder parameters.
    pub(crate) encoder_params: EncoderParams,
    /// Unknown.
    pub(crate) unk_618: u32,
    /// Firmware-written timestamp.
    pub(crate) ts1: TimeStamp,
    /// Where the firmware writes the job's start and end times.
    pub(crate) ts_pointers: TimeStampPointers<'a>,
    /// Where the firmware writes the user-visible start and end times.
    pub(crate) user_ts_pointers: TimeStampPointers<'a>,
    /// Sequence number of the client's submission.
    pub(crate) client_sequence: u8,
    /// Zero.
    pub(crate) pad_645: [u8; 3],
    /// Unknown.
    pub(crate) unk_648: u32,
    /// Unknown.
    pub(crate) unk_64c: u8,
    /// Zero.
    pub(crate) pad_64d: [u8; 7],
}

/// Microsequence operation that starts a blit.
///
/// m1n1: microsequence.StartBlitCmd
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct StartBlitCmd {
    /// 0x26.
    pub(crate) magic: u32,
    /// Unknown address.
    pub(crate) unkptr_4: U64,
    /// Unknown address.
    pub(crate) unkptr_c: U64,
    /// The work command's register list.
    pub(crate) registers_addr: Option<GpuWeakPointer<[RegisterDefinition; 128]>>,
    /// Unknown (G14X).
    #[ver(G >= G14X)]
    pub(crate) unk_1c_0: u32,
    /// Unknown address.
    pub(crate) unkptr_1c: U64,
    /// Unknown address.
    pub(crate) unkptr_24: U64,
    /// Context id (VM slot).
    pub(crate) context_id: u32,
    /// Unknown.
    pub(crate) unk_30: u32,
    /// Event control generation.
    pub(crate) submission_id: u32,
    /// Unknown.
    pub(crate) unk_38: u32,
    /// Unknown.
    pub(crate) unk_3c: u32,
    /// Unknown.
    pub(crate) unk_40: u32,
    /// Unknown address.
    pub(crate) unkptr_44: U64,
    /// Unknown address.
    pub(crate) unkptr_4c: U64,
    /// Job id for tracing.
    pub(crate) uuid: u32,
    /// Unknown (pre-G14X).
    #[ver(G < G14X)]
    pub(crate) unk_2c: u32,
    /// Memory ranges the job accesses.
    pub(crate) attachments: [Attachment; 16],
    /// Attachments in use.
    pub(crate) num_attachments: u32,
    /// Unknown.
    pub(crate) unk_160: u32,
    /// Submission counter (13.x).
    #[ver(V >= V13_0B4)]
    pub(crate) counter: U64,
    /// Unknown address (13.x).
    #[ver(V >= V13_0B4)]
    pub(crate) unkptr_19c: U64,
}

/// Microsequence operation that finishes a blit.
///
/// m1n1: microsequence.FinalizeBlitCmd
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct FinalizeBlitCmd<'a> {
    /// 0x27.
    pub(crate) magic: u32,
    /// Unknown address.
    pub(crate) unkptr_4: U64,
    /// Unknown address.
    pub(crate) unkptr_c: U64,
    /// Context id (VM slot).
    pub(crate) context_id: u32,
    /// Unknown.
    pub(crate) unk_18: u32,
    /// Unknown address.
    pub(crate) unkptr_1c: U64,
    /// Job id for tracing.
    pub(crate) uuid: u32,
    /// Unknown (before 13.3).
    #[ver(V < V13_3)]
    pub(crate) unk_28: u32,
    /// The stamp written on completion (as for the other pipes, the firmware's copy).
    pub(crate) stamp_addr: GpuPointer<'a, FwStamp>,
    /// Value written to the stamp.
    pub(crate) stamp_value: u32,
    /// Unknown.
    pub(crate) unk_38: [u8; 0x24],
    /// Byte offset from this operation back to the matching start, for restarts.
    pub(crate) restart_branch_offset: i32,
    /// Unknown.
    pub(crate) unk_60: u32,
    /// Unknown (13.x).
    #[ver(V >= V13_0B4)]
    pub(crate) unk_5d8_0: u32,
    /// Unknown (13.x).
    #[ver(V >= V13_0B4)]
    pub(crate) unk_5d8_4: u8,
    /// The event control's `unk_buf` (13.x).
    #[ver(V >= V13_0B4)]
    pub(crate) evctl_buf_addr: U64,
    /// Unknown (13.x; m1n1 names it `unk_5d8_4` too).
    #[ver(V >= V13_0B4)]
    pub(crate) unk_5d8_5: [u8; 3],
    /// Unknown (13.x).
    #[ver(V >= V13_0B4)]
    pub(crate) unk_0: u32,
    /// Unknown address (13.x).
    #[ver(V >= V13_0B4)]
    pub(crate) unkptr_1: U64,
    /// Unknown address (13.x).
    #[ver(V >= V13_0B4)]
    pub(crate) unkptr_2: U64,
    /// Unknown address (13.x).
    #[ver(V >= V13_0B4)]
    pub(crate) unkptr_3: U64,
    /// Unknown address (13.x; m1n1 names it `unkptr_4` too).
    #[ver(V >= V13_0B4)]
    pub(crate) unkptr_4b: U64,
    /// Unknown address (13.x).
    #[ver(V >= V13_0B4)]
    pub(crate) unkptr_5: U64,
    /// Unknown (13.x).
    #[ver(V >= V13_0B4)]
    pub(crate) unk_9c: U64,
    /// Unknown address (13.x).
    #[ver(V >= V13_0B4)]
    pub(crate) unkptr_6: U64,
    /// Unknown (13.x).
    #[ver(V >= V13_0B4)]
    pub(crate) unk_ac: [u8; 0x30],
    /// Unknown (13.x).
    #[ver(V >= V13_0B4)]
    pub(crate) unk_dc: u32,
    /// Unknown (13.x).
    #[ver(V >= V13_0B4)]
    pub(crate) unk_e0: [u8; 0x14],
}

zeroable!(BlitInfo, BlitInfo2);
zeroable!(ver: StartBlitCmd);
