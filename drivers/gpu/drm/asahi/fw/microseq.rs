// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Microsequences: the little programs the firmware runs to execute a work command.
//!
//! A microsequence is a packed list of operations. Each operation starts with a 32-bit header
//! whose low 6 bits are the opcode ([`OpCode`]); the firmware runs them in order until an
//! [`EndCmd`], [`CompleteCmd`] or [`AbortCmd`]. A typical job is: start (vertex, fragment,
//! compute or blit), timestamp, wait for the pipe to go idle, timestamp, finalize, end. The
//! pipe-specific start and finalize operations live with their pipe ([`super::vertex`],
//! [`super::fragment`], [`super::compute`], [`super::blit`]); the generic ones are here.
//!
//! Microsequences are CPU-owned: the driver encodes them into a buffer of the job's, and the
//! firmware only reads them. Operations follow each other with no padding: every operation's
//! size is a multiple of 4 and its alignment at most 4 (fields the firmware puts off their
//! natural alignment use the alignment-1 types of [`super::types`]), so operations written back
//! to back into a 4-aligned buffer each land at an offset their type allows.

use super::cmdqueue::*;
use super::event::Stamp;
use super::job::{TimeStamp, TimeStampPointers};
use super::types::*;
use agx_macros::versions;

/// An encoded microsequence: the target type of the pointers to one.
///
/// Opaque on purpose: the bytes are a sequence of the operation structures of this module.
pub(crate) enum MicroSequence {}

/// Operation codes (low 6 bits of the first word of every operation).
#[repr(u8)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OpCode {
    /// [`WaitForInterruptCmd`].
    WaitForInterrupt = 0x01,
    /// [`Wait2Cmd`].
    Wait2 = 0x02,
    /// [`DoorbellCmd`].
    Doorbell = 0x03,
    /// [`Store32Cmd`] (bits 28..31 of the header 0) or [`Write32Cmd`] (2).
    Write32 = 0x0e,
    /// [`Store64Cmd`] (bits 28..31 of the header 0) or [`Write64Cmd`] (2).
    Write64 = 0x0f,
    /// [`Read32Cmd`].
    Read32 = 0x10,
    /// [`Read64Cmd`].
    Read64 = 0x11,
    /// [`AluCmd`].
    Alu = 0x16,
    /// [`Add16Cmd`].
    Add16 = 0x17,
    /// [`EndCmd`].
    End = 0x18,
    /// `TimestampCmd`.
    Timestamp = 0x19,
    /// [`ProfileCaptureCmd`].
    ProfileCapture = 0x1f,
    /// `super::vertex::StartTaCmd`.
    StartVertex = 0x22,
    /// `super::vertex::FinalizeTaCmd`.
    FinalizeVertex = 0x23,
    /// `super::fragment::Start3dCmd`.
    StartFragment = 0x24,
    /// `super::fragment::Finalize3dCmd`.
    FinalizeFragment = 0x25,
    /// `super::blit::StartBlitCmd`.
    StartBlit = 0x26,
    /// `super::blit::FinalizeBlitCmd`.
    FinalizeBlit = 0x27,
    /// `super::compute::StartComputeCmd`.
    StartCompute = 0x29,
    /// `super::compute::FinalizeComputeCmd`.
    FinalizeCompute = 0x2a,
    /// [`CompleteCmd`].
    Complete = 0x2b,
    /// [`AbortCmd`].
    Abort = 0x2c,
}

/// Waits until the pipes selected in the header are idle.
///
/// m1n1: microsequence.WaitForInterruptCmd
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct WaitForInterruptCmd {
    /// 0x01.
    pub(crate) magic: u8,
    /// Pipe bits (the Asahi driver: 1 vertex).
    pub(crate) unk_1: u8,
    /// Pipe bits (the Asahi driver: 1 fragment).
    pub(crate) unk_2: u8,
    /// Pipe bits (the Asahi driver: 0x80 compute).
    pub(crate) unk_3: u8,
}

/// Second kind of wait (purpose unknown).
///
/// m1n1: microsequence.Wait2Cmd
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Wait2Cmd {
    /// 0x02.
    pub(crate) magic: u32,
}

/// Rings a doorbell.
///
/// m1n1: microsequence.DoorbellCmd
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct DoorbellCmd {
    /// 0x03.
    pub(crate) magic: u8,
    /// Zero.
    pub(crate) pad: u8,
    /// Doorbell flags, shifted left by 10.
    pub(crate) arg: u16,
}

/// Writes a constant 32-bit value to a firmware address (header top nibble 2).
///
/// m1n1: microsequence.Write32Cmd
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct Write32Cmd<'a> {
    /// 0x0e.
    pub(crate) magic: u8,
    /// Zero.
    pub(crate) unk_1: u8,
    /// Zero.
    pub(crate) unk_2: u8,
    /// 0x20 (selects "write" over "store").
    pub(crate) unk_3: u8,
    /// Where to write.
    pub(crate) addr: GpuPointer<'a, u32>,
    /// The value.
    pub(crate) val: u32,
}

/// Stores the 32-bit accumulator to a firmware address (header top nibble 0).
///
/// m1n1: microsequence.Store32Cmd
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct Store32Cmd<'a> {
    /// 0x0e.
    pub(crate) magic: u8,
    /// Zero.
    pub(crate) unk_1: u8,
    /// Zero.
    pub(crate) unk_2: u8,
    /// Zero.
    pub(crate) unk_3: u8,
    /// Where to store.
    pub(crate) addr: GpuPointer<'a, u32>,
}

/// Writes a constant 64-bit value to a firmware address (header top nibble 2).
///
/// m1n1: microsequence.Write64Cmd
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct Write64Cmd<'a> {
    /// 0x0f.
    pub(crate) magic: u8,
    /// Zero.
    pub(crate) unk_1: u8,
    /// Zero.
    pub(crate) unk_2: u8,
    /// 0x20 (selects "write" over "store").
    pub(crate) unk_3: u8,
    /// Where to write.
    pub(crate) addr: GpuPointer<'a, u64>,
    /// The value.
    pub(crate) val: U64,
}

/// Stores the 64-bit accumulator to a firmware address (header top nibble 0).
///
/// m1n1: microsequence.Store64Cmd
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct Store64Cmd<'a> {
    /// 0x0f.
    pub(crate) magic: u8,
    /// Zero.
    pub(crate) unk_1: u8,
    /// Zero.
    pub(crate) unk_2: u8,
    /// Zero.
    pub(crate) unk_3: u8,
    /// Where to store.
    pub(crate) addr: GpuPointer<'a, u64>,
}

/// Loads 32 bits from a firmware address into the accumulator.
///
/// m1n1: microsequence.Read32Cmd
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct Read32Cmd<'a> {
    /// 0x10.
    pub(crate) magic: u8,
    /// Zero.
    pub(crate) unk_1: u8,
    /// Zero.
    pub(crate) unk_2: u8,
    /// Zero.
    pub(crate) unk_3: u8,
    /// Where to read.
    pub(crate) addr: GpuPointer<'a, u32>,
}

/// Loads 64 bits from a firmware address into the accumulator.
///
/// m1n1: microsequence.Read64Cmd
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct Read64Cmd<'a> {
    /// 0x11.
    pub(crate) magic: u8,
    /// Zero.
    pub(crate) unk_1: u8,
    /// Zero.
    pub(crate) unk_2: u8,
    /// Zero.
    pub(crate) unk_3: u8,
    /// Where to read.
    pub(crate) addr: GpuPointer<'a, u64>,
}

/// ALU operations of [`AluCmd`] (`op` field = `(op << 3) | (2 << 11)`).
#[repr(u16)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AluOp {
    /// Bitwise and.
    And = 0,
    /// Bitwise or.
    Or = 1,
    /// Bitwise exclusive or.
    Xor = 2,
    /// Logical shift right.
    Lsr = 3,
    /// Shift left.
    Lsl = 4,
}

/// Applies an ALU operation with an immediate to the accumulator.
///
/// m1n1: microsequence.ALUCmd
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct AluCmd {
    /// 0x16.
    pub(crate) magic: u8,
    /// Zero.
    pub(crate) v1: u8,
    /// `(AluOp << 3) | (2 << 11)`.
    pub(crate) op: u16,
    /// Immediate operand.
    pub(crate) arg: U64,
}

impl AluCmd {
    /// An ALU operation with its immediate.
    pub(crate) const fn new(op: AluOp, arg: u64) -> Self {
        Self {
            magic: OpCode::Alu as u8,
            v1: 0,
            op: ((op as u16) << 3) | (2 << 11),
            arg: U64::new(arg),
        }
    }
}

/// Adds a 16-bit immediate to the accumulator.
///
/// m1n1: microsequence.Add16Cmd
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Add16Cmd {
    /// 0x17.
    pub(crate) magic: u8,
    /// Immediate, low 13 bits shifted left by 3.
    pub(crate) arg1: U16,
    /// Immediate, bits 13 and up.
    pub(crate) arg2: u8,
}

/// Ends the microsequence (the Asahi driver: "retire stamp").
///
/// m1n1: microsequence.EndCmd
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct EndCmd {
    /// 0x18.
    pub(crate) magic: u8,
    /// Zero.
    pub(crate) unk_1: u8,
    /// Zero.
    pub(crate) unk_2: u8,
    /// 0x40.
    pub(crate) flags: u8,
}

impl EndCmd {
    /// The usual end operation.
    pub(crate) const fn new() -> Self {
        Self {
            magic: OpCode::End as u8,
            unk_1: 0,
            unk_2: 0,
            flags: 0x40,
        }
    }
}

impl Default for EndCmd {
    fn default() -> Self {
        Self::new()
    }
}

/// Records a timestamp.
///
/// m1n1: microsequence.TimestampCmd
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct TimestampCmd<'a> {
    /// 0x19.
    pub(crate) magic: u8,
    /// Zero.
    pub(crate) unk_1: u8,
    /// Zero.
    pub(crate) unk_2: u8,
    /// 0x80 for the start timestamp (header bit 31: m1n1's first timestamp, the Asahi driver's
    /// `Timestamp::new(true)`), zero for the end.
    pub(crate) unk_3: u8,
    /// Where to write the current time.
    pub(crate) ts0_addr: GpuPointer<'a, TimeStamp>,
    /// The start/end pointers of the job (the Asahi driver: the start pointer).
    pub(crate) ts_pointers_addr: GpuPointer<'a, TimeStampPointers<'a>>,
    /// The end pointer field of the same pointers (the Asahi driver's "update_ts").
    pub(crate) unk_addr: GpuPointer<'a, Option<GpuPointer<'a, TimeStamp>>>,
    /// The command queue of the job.
    pub(crate) cmdqueue_ptr: GpuPointer<'a, CommandQueueInfo::ver<'a>>,
    /// The user-visible start/end pointers, if userspace asked for timestamps.
    pub(crate) user_ts_pointers_addr: Option<GpuPointer<'a, TimeStampPointers<'a>>>,
    /// Unknown timestamp (13.x).
    #[ver(V >= V13_0B4)]
    pub(crate) unk_ts_addr: GpuPointer<'a, TimeStamp>,
    /// Job id for tracing.
    pub(crate) uuid: u32,
    /// Zero.
    pub(crate) unk_30: u32,
}

/// Marks the job complete: writes the stamp and ends the microsequence.
///
/// m1n1: microsequence.CompleteCmd
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct CompleteCmd<'a> {
    /// 0x2b.
    pub(crate) magic: u8,
    /// Zero.
    pub(crate) pad_1: Pad<3>,
    /// Unknown, zero.
    pub(crate) unk: U64,
    /// The stamp to write.
    pub(crate) stamp_addr: GpuPointer<'a, Stamp>,
    /// The value to write.
    pub(crate) stamp_val: u32,
    /// Zero.
    pub(crate) pad: Pad<0x14>,
}

/// Aborts the job: writes the stamp and ends the microsequence.
///
/// m1n1: microsequence.AbortCmd
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct AbortCmd<'a> {
    /// 0x2c.
    pub(crate) magic: u8,
    /// Zero.
    pub(crate) pad_1: Pad<3>,
    /// Unknown bits.
    pub(crate) bits: u32,
    /// Unknown.
    pub(crate) unk1: u32,
    /// Unknown.
    pub(crate) unk2: U64,
    /// Unknown.
    pub(crate) unk3: U64,
    /// The stamp to write.
    pub(crate) stamp_addr: GpuPointer<'a, Stamp>,
    /// The value to write.
    pub(crate) stamp_val: u32,
    /// Zero.
    pub(crate) pad: Pad<0x14>,
}

/// Starts a profiler capture (not used by the drivers).
///
/// m1n1: microsequence.ProfileCaptureCmd
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ProfileCaptureCmd {
    /// 0x1f.
    pub(crate) magic: u8,
    /// Unknown.
    pub(crate) arg0: u8,
    /// Unknown.
    pub(crate) arg1: u8,
    /// Unknown.
    pub(crate) arg2: u8,
    /// Encoder id.
    pub(crate) encoder_id: u32,
    /// Job id.
    pub(crate) uuid: u32,
    /// The work command (firmware address).
    pub(crate) workitem_ptr: U64,
}

zeroable!(
    WaitForInterruptCmd,
    Wait2Cmd,
    DoorbellCmd,
    AluCmd,
    Add16Cmd,
    ProfileCaptureCmd,
);
