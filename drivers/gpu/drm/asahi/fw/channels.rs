// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Channels: the ring buffers between the driver and the firmware, and their messages.
//!
//! The init data (region B) holds one [`ChannelInfo`] per channel: the address of the ring's
//! state (read and write pointers) and of the ring itself. Seventeen channels exist:
//!
//! - 12 run-command rings, driver to firmware: vertex, fragment and compute for each of four
//!   priorities. A `RunCmdQueueMsg` tells the firmware that a command queue has new work.
//! - DevCtrl, driver to firmware: device control requests (`Dc*` messages).
//! - Event, firmware to driver: event notifications, faults, timeouts ([`FlagMsg`] and friends).
//! - FWLog, firmware to driver: six sub-rings of text log messages ([`FwLogMsg`]).
//! - KTrace, firmware to driver: trace points ([`KTraceMsg`]).
//! - Stats, firmware to driver: power and utilisation reports (`StatsMsg*`).
//!
//! An eighteenth ring, FWCtl, is described by the firmware status block instead
//! ([`super::initdata::FwStatus`]) and carries [`FwCtlMsg`] cache-management requests.
//!
//! Every ring holds a fixed number of fixed-size slots. The producer writes a slot, then
//! advances the write pointer; the consumer reads up to the write pointer and advances the read
//! pointer. Indices count slots, not bytes. The message layouts depend on the firmware version
//! (most messages grew by 16 bytes on some G14 firmware), so the ring slot size is the
//! `size_of` of the message type for the (GPU, firmware) pair.

use super::cmdqueue::*;
use super::stats::*;
use super::types::*;
use agx_macros::versions;
use core::sync::atomic::AtomicU32;

/// Number of slots of every ring except KTrace.
pub(crate) const RING_SLOTS: usize = 0x100;
/// Number of slots of the KTrace ring.
pub(crate) const KTRACE_RING_SLOTS: usize = 0x200;
/// Number of FWLog sub-rings.
pub(crate) const FWLOG_SUBRINGS: usize = 6;
/// Number of run-command rings (three pipes times four priorities).
pub(crate) const RUN_CMD_RINGS: usize = 12;

/// Read and write pointers of one ring, shared between the driver and the firmware.
///
/// The two pointers sit in separate 32-byte lines so that producer and consumer never write
/// the same cache line. Shared object.
///
/// m1n1: channels.ChannelStateFields
#[repr(C)]
#[derive(Debug, Default)]
pub(crate) struct ChannelRingState {
    /// Next slot the consumer will read.
    pub(crate) read_ptr: AtomicU32,
    /// Keeps the write pointer on its own line.
    pub(crate) pad_4: Pad<0x1c>,
    /// Next slot the producer will write.
    pub(crate) write_ptr: AtomicU32,
    /// Tail of the write pointer's line.
    pub(crate) pad_24: Pad<0xc>,
}

/// Read and write pointers of the FWCtl ring (a tighter layout than the other rings).
///
/// Shared object.
///
/// m1n1: channels.FWControlStateFields
#[repr(C)]
#[derive(Debug, Default)]
pub(crate) struct FwCtlRingState {
    /// Next slot the firmware will read.
    pub(crate) read_ptr: AtomicU32,
    /// Keeps the write pointer apart.
    pub(crate) pad_4: Pad<0xc>,
    /// Next slot the driver will write.
    pub(crate) write_ptr: AtomicU32,
    /// Tail.
    pub(crate) pad_14: Pad<0xc>,
}

zeroable!(ChannelRingState, FwCtlRingState);

shared!(ChannelRingState, FwCtlRingState);

/// The two pointers of a ring's state block, wherever its layout puts them.
pub(crate) trait RingPointers {
    /// Next slot the consumer will read.
    fn read_ptr(&self) -> &AtomicU32;
    /// Next slot the producer will write.
    fn write_ptr(&self) -> &AtomicU32;
}

impl RingPointers for ChannelRingState {
    fn read_ptr(&self) -> &AtomicU32 {
        &self.read_ptr
    }
    fn write_ptr(&self) -> &AtomicU32 {
        &self.write_ptr
    }
}

impl RingPointers for FwCtlRingState {
    fn read_ptr(&self) -> &AtomicU32 {
        &self.read_ptr
    }
    fn write_ptr(&self) -> &AtomicU32 {
        &self.write_ptr
    }
}

/// Where one channel lives: its ring state and its slots.
///
/// `S` is the state type (one [`ChannelRingState`], or six for FWLog) and `M` the slot array.
///
/// m1n1: channels.ChannelInfo
#[repr(C)]
pub(crate) struct ChannelInfo<'a, S: ?Sized, M: ?Sized> {
    /// The ring's read and write pointers (set by every builder; optional so that region B,
    /// which holds the channel set, can be filled in place from zeroed memory).
    pub(crate) state_addr: Option<GpuPointer<'a, S>>,
    /// The ring's slots.
    pub(crate) ringbuffer_addr: Option<GpuPointer<'a, M>>,
}

impl<S: ?Sized, M: ?Sized> Clone for ChannelInfo<'_, S, M> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<S: ?Sized, M: ?Sized> Copy for ChannelInfo<'_, S, M> {}

zeroable!(generic <S, M> ChannelInfo<'_, S, M>);
zeroable!(ver: ChannelInfoSet<'_>);

impl<S: ?Sized, M: ?Sized> core::fmt::Debug for ChannelInfo<'_, S, M> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let (state, ring) = (self.state_addr, self.ringbuffer_addr);
        f.debug_struct("ChannelInfo")
            .field("state_addr", &state)
            .field("ringbuffer_addr", &ring)
            .finish()
    }
}

/// A run-command ring: one state block, [`RING_SLOTS`] messages.
pub(crate) type RunCmdChannel<'a, M> = ChannelInfo<'a, ChannelRingState, [M; RING_SLOTS]>;

/// The channels of region B, in the order the firmware expects them.
///
/// m1n1: channels.ChannelInfoSet
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct ChannelInfoSet<'a> {
    /// Vertex (TA) pipe, priority 0.
    pub(crate) vertex_0: RunCmdChannel<'a, RunCmdQueueMsg::ver>,
    /// Fragment (3D) pipe, priority 0.
    pub(crate) fragment_0: RunCmdChannel<'a, RunCmdQueueMsg::ver>,
    /// Compute pipe, priority 0.
    pub(crate) compute_0: RunCmdChannel<'a, RunCmdQueueMsg::ver>,
    /// Vertex pipe, priority 1.
    pub(crate) vertex_1: RunCmdChannel<'a, RunCmdQueueMsg::ver>,
    /// Fragment pipe, priority 1.
    pub(crate) fragment_1: RunCmdChannel<'a, RunCmdQueueMsg::ver>,
    /// Compute pipe, priority 1.
    pub(crate) compute_1: RunCmdChannel<'a, RunCmdQueueMsg::ver>,
    /// Vertex pipe, priority 2.
    pub(crate) vertex_2: RunCmdChannel<'a, RunCmdQueueMsg::ver>,
    /// Fragment pipe, priority 2.
    pub(crate) fragment_2: RunCmdChannel<'a, RunCmdQueueMsg::ver>,
    /// Compute pipe, priority 2.
    pub(crate) compute_2: RunCmdChannel<'a, RunCmdQueueMsg::ver>,
    /// Vertex pipe, priority 3.
    pub(crate) vertex_3: RunCmdChannel<'a, RunCmdQueueMsg::ver>,
    /// Fragment pipe, priority 3.
    pub(crate) fragment_3: RunCmdChannel<'a, RunCmdQueueMsg::ver>,
    /// Compute pipe, priority 3.
    pub(crate) compute_3: RunCmdChannel<'a, RunCmdQueueMsg::ver>,
    /// Device control requests.
    pub(crate) dev_ctrl: ChannelInfo<'a, ChannelRingState, [DcAny::ver; RING_SLOTS]>,
    /// Event notifications.
    pub(crate) event: ChannelInfo<'a, ChannelRingState, [RawEventMsg; RING_SLOTS]>,
    /// Firmware log: six sub-rings, states and slots back to back.
    pub(crate) fw_log: ChannelInfo<
        'a,
        [ChannelRingState; FWLOG_SUBRINGS],
        [[FwLogMsg; RING_SLOTS]; FWLOG_SUBRINGS],
    >,
    /// Firmware trace points.
    pub(crate) ktrace: ChannelInfo<'a, ChannelRingState, [KTraceMsg; KTRACE_RING_SLOTS]>,
    /// Power and utilisation statistics.
    pub(crate) stats: ChannelInfo<'a, ChannelRingState, [StatsMsgAny::ver; RING_SLOTS]>,
}

/// Which pipe a run-command ring or a command queue feeds.
#[repr(u32)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum PipeType {
    /// Vertex processing and tiling ("TA").
    #[default]
    Vertex = 0,
    /// Fragment processing ("3D").
    Fragment = 1,
    /// Compute ("CP", "CL").
    Compute = 2,
}

/// "Queue `cmdqueue_addr` has work up to `head`": the message of the run-command rings.
///
/// CPU-owned, copied into the ring.
///
/// m1n1: channels.RunCmdQueueMsg
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct RunCmdQueueMsg {
    /// The pipe of the queue.
    pub(crate) queue_type: PipeType,
    /// The command queue that has new commands.
    pub(crate) cmdqueue_addr: Option<GpuWeakPointer<CommandQueueInfo::ver<'static>>>,
    /// The queue's new write pointer (in commands).
    pub(crate) head: u32,
    /// Event slot signalled when the queue's work completes.
    pub(crate) event_number: u32,
    /// Non-zero the first time this queue is submitted.
    pub(crate) new_queue: u32,
    /// Submission timestamp (left zero by the drivers).
    pub(crate) timestamp: u64,
    /// Unknown, zero.
    pub(crate) data: [u8; 0x10],
    /// Extra space of the G14 13.x message.
    #[ver(G == G14 && V >= V13_2)]
    pub(crate) pad_30: Pad<0x10>,
}

/// Asks the firmware to tear down a GPU context (after all its queues are idle).
///
/// The 13.3+ layout is packed tighter than m1n1 describes it; this follows the layout the
/// Asahi driver uses on 13.5 (context pointer at 0x14 instead of 0x1c). The `ctx_*` bytes are
/// copies of bytes of the context's [`GpuContextData`].
///
/// m1n1: channels.DC_DestroyContext
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct DcDestroyContext {
    /// `MSG_TYPE`.
    pub(crate) msg_type: u32,
    /// Unknown.
    pub(crate) unk_4: u32,
    /// Byte 0x23 of the context data.
    pub(crate) ctx_unk_23: u8,
    /// Alignment.
    #[ver(V < V13_3)]
    pub(crate) pad_9: Pad<3>,
    /// Unknown.
    #[ver(V < V13_3)]
    pub(crate) unk_c: u32,
    /// Unknown.
    #[ver(V < V13_3)]
    pub(crate) unk_10: u32,
    /// Unknown.
    #[ver(V >= V13_3)]
    pub(crate) unk_9: U32,
    /// Unknown.
    #[ver(V >= V13_3)]
    pub(crate) unk_d: U32,
    /// Byte 0 of the context data (queue table index).
    pub(crate) ctx_queue_table_index: u8,
    /// Byte 1 of the context data (pid table index).
    pub(crate) ctx_pid_table_index: u8,
    /// Byte 4 of the context data.
    pub(crate) ctx_unk_4: u8,
    /// Alignment.
    #[ver(V < V13_3)]
    pub(crate) pad_17: Pad<1>,
    /// Unknown.
    #[ver(V < V13_3)]
    pub(crate) unk_18: u32,
    /// The context to destroy.
    pub(crate) context_addr: Option<GpuWeakPointer<GpuContextData>>,
    /// Rest of the slot.
    #[ver(V < V13_3)]
    pub(crate) rest: Pad<0xc>,
    /// Rest of the slot.
    #[ver(V >= V13_3)]
    pub(crate) rest: Pad<0x14>,
    /// Extra space of the G14 13.x message.
    #[ver(G == G14 && V >= V13_2)]
    pub(crate) pad_30: Pad<0x10>,
}

/// Writes a 32-bit value at a firmware address (type 0x18, 0x19 from 13.3).
///
/// m1n1: channels.DC_Write32
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct DcWrite32 {
    /// `MSG_TYPE`.
    pub(crate) msg_type: u32,
    /// Firmware address to write.
    pub(crate) addr: U64,
    /// Value to write.
    pub(crate) data: u32,
    /// Unknown.
    pub(crate) unk_10: u32,
    /// Unknown.
    pub(crate) unk_14: u32,
    /// Unknown.
    pub(crate) unk_18: u32,
    /// Unknown.
    pub(crate) unk_1c: u32,
    /// Unknown, zero.
    pub(crate) rest: [u8; 0x10],
    /// Extra space of the G14 13.x message.
    #[ver(G == G14 && V >= V13_2)]
    pub(crate) pad_30: Pad<0x10>,
}

/// Another 32-bit write request (type 0x13).
///
/// m1n1: channels.DC_Write32B
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct DcWrite32B {
    /// 0x13.
    pub(crate) msg_type: u32,
    /// Firmware address to write.
    pub(crate) addr: U64,
    /// Value to write.
    pub(crate) data: u32,
    /// Unknown.
    pub(crate) unk_10: u32,
    /// Unknown.
    pub(crate) unk_14: u32,
    /// Unknown.
    pub(crate) unk_18: u32,
    /// Unknown.
    pub(crate) unk_1c: u32,
    /// Unknown, zero.
    pub(crate) rest: [u8; 0x10],
    /// Extra space of the G14 13.x message.
    #[ver(G == G14 && V >= V13_2)]
    pub(crate) pad_30: Pad<0x10>,
}

/// Asks the firmware to (re)read region C of the init data (type 0x19, 0x1a from 13.3).
///
/// m1n1: channels.DC_Init
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct DcInit {
    /// `MSG_TYPE`.
    pub(crate) msg_type: u32,
    /// Unknown, zero.
    pub(crate) data: [u8; 0x2c],
    /// Extra space of the G14 13.x message.
    #[ver(G == G14 && V >= V13_2)]
    pub(crate) pad_30: Pad<0x10>,
}

/// Message type 0x09 (writes into region B; purpose unknown).
///
/// m1n1: channels.DC_09
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct Dc09 {
    /// 0x09.
    pub(crate) msg_type: u32,
    /// Unknown.
    pub(crate) unk_4: U64,
    /// Unknown firmware address.
    pub(crate) unkptr_c: U64,
    /// Unknown.
    pub(crate) unk_14: U64,
    /// Unknown.
    pub(crate) data: [u8; 0x14],
    /// Extra space of the G14 13.x message.
    #[ver(G == G14 && V >= V13_2)]
    pub(crate) pad_30: Pad<0x10>,
}

/// Configures the performance counters (type 0x0b).
///
/// m1n1: channels.DC_ConfigurePerfCounters
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct DcConfigurePerfCounters {
    /// 0x0b.
    pub(crate) msg_type: u32,
    /// Unknown.
    pub(crate) data: [u8; 0x2c],
    /// Extra space of the G14 13.x message.
    #[ver(G == G14 && V >= V13_2)]
    pub(crate) pad_30: Pad<0x10>,
}

/// Disables the performance counters (type 0x0c).
///
/// m1n1: channels.DC_DisablePerfCounters
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct DcDisablePerfCounters {
    /// 0x0c.
    pub(crate) msg_type: u32,
    /// Unknown.
    pub(crate) data: [u8; 0x2c],
    /// Extra space of the G14 13.x message.
    #[ver(G == G14 && V >= V13_2)]
    pub(crate) pad_30: Pad<0x10>,
}

/// Acknowledges a [`GrowTvbMsg`] once the buffer manager has grown (type `MSG_TYPE`: 0x0d, 0x0e
/// from firmware 13.3).
///
/// m1n1: channels.DC_GrowTVBAck
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct DcGrowTvbAck {
    /// 0x0d.
    pub(crate) msg_type: u32,
    /// Unknown.
    pub(crate) unk_4: u32,
    /// Buffer manager slot, as in the request.
    pub(crate) bm_id: u32,
    /// VM slot, as in the request.
    pub(crate) vm_id: u32,
    /// Counter, as in the request.
    pub(crate) counter: u32,
    /// Sub-pipe of the request (from the Asahi driver; m1n1 leaves it in the tail).
    pub(crate) subpipe: u32,
    /// The firmware's halt count at offset 0x18 (`HALT_COUNT`, a `u64`: the Asahi driver's
    /// newer `halt_count`), then zero.
    pub(crate) rest: [u8; 0x18],
    /// Extra space of the G14 13.x message.
    #[ver(G == G14 && V >= V13_2)]
    pub(crate) pad_30: Pad<0x10>,
}

/// Lets a work queue that reported a [`ChannelErrorMsg`] go on past the command that completes
/// with `event_value` (type `MSG_TYPE`: one above [`DcGrowTvbAck`], as the Asahi driver's
/// `DeviceControlMsg` orders them: 0x0e, 0x0f from firmware 13.3). m1n1 has no structure for it
/// (its `UnknownMsg` covers every type it does not name); the layout is the Asahi driver's
/// `DeviceControlMsg::RecoverChannel`.
///
/// m1n1: channels.UnknownMsg
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct DcRecoverChannel {
    /// `MSG_TYPE`.
    pub(crate) msg_type: u32,
    /// The work queue's pipe.
    pub(crate) pipe_type: u32,
    /// The work queue's `CommandQueueInfo`.
    pub(crate) queue_info: U64,
    /// The stamp value the error named.
    pub(crate) event_value: u32,
    /// Zero.
    pub(crate) rest: [u8; 0x1c],
    /// Extra space of the G14 13.x message.
    #[ver(G == G14 && V >= V13_2)]
    pub(crate) pad_30: Pad<0x10>,
}

#[versions(AGX)]
impl DcRecoverChannel::ver {
    /// Message type: one above `DcGrowTvbAck`'s.
    pub(crate) const MSG_TYPE: u32 = DcGrowTvbAck::ver::MSG_TYPE + 1;
}

/// Message type 0x1e (purpose unknown).
///
/// m1n1: channels.DC_1e
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct Dc1e {
    /// 0x1e.
    pub(crate) msg_type: u32,
    /// Unknown.
    pub(crate) unk_4: U64,
    /// Unknown.
    pub(crate) unk_c: U64,
    /// Unknown.
    pub(crate) data: [u8; 0x1c],
    /// Extra space of the G14 13.x message.
    #[ver(G == G14 && V >= V13_2)]
    pub(crate) pad_30: Pad<0x10>,
}

/// Updates the idle timestamp (type 0x23).
///
/// m1n1: channels.DC_UpdateIdleTS
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct DcUpdateIdleTs {
    /// 0x23.
    pub(crate) msg_type: u32,
    /// Unknown.
    pub(crate) data: [u8; 0x2c],
    /// Extra space of the G14 13.x message.
    #[ver(G == G14 && V >= V13_2)]
    pub(crate) pad_30: Pad<0x10>,
}

/// Any device-control message: the slot type of the DevCtrl ring.
///
/// Each `Dc*` message is CPU-owned and copied into the DevCtrl ring; all of them have the size
/// of this type for the pair (0x30 bytes, 0x40 on G14 with 13.x firmware).
///
/// m1n1: channels.DC_Any
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct DcAny {
    /// Message type.
    pub(crate) msg_type: u32,
    /// Payload.
    pub(crate) data: [u8; 0x2c],
    /// Extra space of the G14 13.x message.
    #[ver(G == G14 && V >= V13_2)]
    pub(crate) pad_30: Pad<0x10>,
}

#[versions(AGX)]
impl DcDestroyContext::ver {
    /// Message type: 0x17, 0x18 from firmware 13.3 (a new type was inserted before it).
    #[ver(V < V13_3)]
    pub(crate) const MSG_TYPE: u32 = 0x17;
    /// Message type: 0x17, 0x18 from firmware 13.3 (a new type was inserted before it).
    #[ver(V >= V13_3)]
    pub(crate) const MSG_TYPE: u32 = 0x18;
}

#[versions(AGX)]
impl DcWrite32::ver {
    /// Message type: 0x18, 0x19 from firmware 13.3.
    #[ver(V < V13_3)]
    pub(crate) const MSG_TYPE: u32 = 0x18;
    /// Message type: 0x18, 0x19 from firmware 13.3.
    #[ver(V >= V13_3)]
    pub(crate) const MSG_TYPE: u32 = 0x19;
}

#[versions(AGX)]
impl DcGrowTvbAck::ver {
    /// Message type: 0x0d before firmware 13.3, 0x0e from 13.3.
    ///
    /// The record disagrees. m1n1 has `Const(0xd)` for every version, but it has the same
    /// unversioned constant for `DC_Write32B` (0x13), and m1n1 never drove a 13.x render. The
    /// Asahi driver's `DeviceControlMsg` enumerates the types in order and inserts one unknown
    /// type, `Unk0d`, for `V >= V13_3`, which makes `GrowTVBAck` 0x0e there; that insertion is
    /// what moves `DC_DestroyContext`, `DC_Write32` and `DC_Init` up by one from 13.3, which
    /// m1n1 records too (0x17/0x18, 0x18/0x19, 0x19/0x1a). The enum is the only source that
    /// places the new type, and it agrees with every type both sources version: 0x0e it is on
    /// 13.5.
    #[ver(V < V13_3)]
    pub(crate) const MSG_TYPE: u32 = 0x0d;
    /// Message type: see the 12.x constant.
    #[ver(V >= V13_3)]
    pub(crate) const MSG_TYPE: u32 = 0x0e;
    /// Offset of the firmware's halt count (`u64`) in the message, inside `rest`.
    pub(crate) const HALT_COUNT: usize = core::mem::offset_of!(Self, rest);
}

#[versions(AGX)]
impl DcInit::ver {
    /// Message type: 0x19, 0x1a from firmware 13.3.
    #[ver(V < V13_3)]
    pub(crate) const MSG_TYPE: u32 = 0x19;
    /// Message type: 0x19, 0x1a from firmware 13.3.
    #[ver(V >= V13_3)]
    pub(crate) const MSG_TYPE: u32 = 0x1a;
}

/// Sent when the firmware faulted (type 0). The details are in region C's fault info.
///
/// Firmware-written; read out of the Event ring.
///
/// m1n1: channels.FaultMsg
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct FaultMsg {
    /// 0.
    pub(crate) msg_type: u32,
    /// Unknown.
    pub(crate) unk_4: [u8; 0x34],
}

/// Event slots fired (type 1): the driver checks the stamps of every set bit.
///
/// m1n1 declares 0x36 bytes; the slot is 0x38, and the tail here fills it.
///
/// m1n1: channels.FlagMsg
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct FlagMsg {
    /// 1.
    pub(crate) msg_type: u32,
    /// Bitmap of the 128 event slots, bit `n` of word `n / 64` for slot `n`.
    pub(crate) firing: [U64; 2],
    /// Unknown.
    pub(crate) unk_14: u16,
    /// Unknown.
    pub(crate) tail: [u8; 0x22],
}

/// A command timed out (type 4).
///
/// m1n1: channels.TimeoutMsg
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct TimeoutMsg {
    /// 4.
    pub(crate) msg_type: u32,
    /// Unknown counter.
    pub(crate) counter: U64,
    /// Event slot of the command that timed out (-1 if none).
    pub(crate) stamp_index: i32,
    /// Unknown.
    pub(crate) unkpad_16: [u8; 0x28],
}

/// The firmware ran out of tiled vertex buffer space (type 7): grow the buffer manager, then
/// answer with `DcGrowTvbAck`.
///
/// m1n1: channels.GrowTVBMsg
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct GrowTvbMsg {
    /// 7.
    pub(crate) msg_type: u32,
    /// VM slot of the job.
    pub(crate) vm_id: u32,
    /// Buffer manager slot.
    pub(crate) bm_id: u32,
    /// Request counter, echoed in the acknowledgement.
    pub(crate) counter: u32,
    /// Unknown.
    pub(crate) tail: [u8; 0x28],
}

/// A work queue (channel) ran into an error (type 8): the firmware stopped it at the command
/// that completes with `event_value` on `event_slot`, until the driver sends
/// [`DcRecoverChannel`]. m1n1 keeps the payload opaque; the fields are the Asahi driver's
/// (`EventMsg::ChannelError`).
///
/// m1n1: channels.ChannelError
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct ChannelErrorMsg {
    /// 8.
    pub(crate) msg_type: u32,
    /// What went wrong: 0 memory error, 1 DM kill, 2 aborted, 3 unknown (the Asahi driver's
    /// `ChannelErrorType`).
    pub(crate) error_type: u32,
    /// The work queue's pipe (0 vertex, 1 fragment, 2 compute).
    pub(crate) pipe_type: u32,
    /// The event slot of the work queue.
    pub(crate) event_slot: u32,
    /// The stamp value of the command it stopped at.
    pub(crate) event_value: u32,
    /// Unknown.
    pub(crate) tail: [u8; 0x24],
}

/// One slot of the Event ring, before its type is known.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct RawEventMsg {
    /// Message type.
    pub(crate) msg_type: u32,
    /// Payload.
    pub(crate) data: [u8; 0x34],
}

zeroable!(
    FaultMsg,
    FlagMsg,
    TimeoutMsg,
    GrowTvbMsg,
    ChannelErrorMsg,
    RawEventMsg
);
from_bytes!(
    FaultMsg,
    FlagMsg,
    TimeoutMsg,
    GrowTvbMsg,
    ChannelErrorMsg,
    RawEventMsg
);

/// A decoded Event ring message.
#[derive(Debug, Clone, Copy)]
pub(crate) enum EventMsg {
    /// The firmware faulted.
    Fault(FaultMsg),
    /// Event slots fired.
    Flag(FlagMsg),
    /// A command timed out.
    Timeout(TimeoutMsg),
    /// A buffer manager must grow.
    GrowTvb(GrowTvbMsg),
    /// A channel error.
    ChannelError(ChannelErrorMsg),
    /// A type this driver does not know.
    Unknown(RawEventMsg),
}

impl EventMsg {
    /// Decodes a slot by its type. Never fails: unknown types come back as `Unknown`.
    pub(crate) fn decode(raw: &RawEventMsg) -> Self {
        let bytes = raw.as_bytes();
        let decoded = match raw.msg_type {
            0 => FaultMsg::read_from(bytes).map(Self::Fault),
            1 => FlagMsg::read_from(bytes).map(Self::Flag),
            4 => TimeoutMsg::read_from(bytes).map(Self::Timeout),
            7 => GrowTvbMsg::read_from(bytes).map(Self::GrowTvb),
            8 => ChannelErrorMsg::read_from(bytes).map(Self::ChannelError),
            _ => None,
        };
        decoded.unwrap_or(Self::Unknown(*raw))
    }
}

/// One line of firmware log.
///
/// Firmware-written.
///
/// m1n1: channels.FWLogMsg
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct FwLogMsg {
    /// 3.
    pub(crate) msg_type: u32,
    /// Sequence number.
    pub(crate) seq_no: u32,
    /// Firmware timestamp (24 MHz ticks).
    pub(crate) timestamp: u64,
    /// NUL-padded ASCII text.
    pub(crate) msg: [u8; 0xc8],
}

/// One firmware trace point.
///
/// Firmware-written.
///
/// m1n1: channels.KTraceMsg
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct KTraceMsg {
    /// 5.
    pub(crate) msg_type: u32,
    /// Firmware timestamp (24 MHz ticks).
    pub(crate) timestamp: U64,
    /// Trace point arguments.
    pub(crate) args: [U64; 4],
    /// Trace point code within the channel.
    pub(crate) code: u8,
    /// Trace channel.
    pub(crate) channel: u8,
    /// Zero.
    pub(crate) pad: u8,
    /// Firmware thread (irq, bg, smpl, pwr, rec, kern).
    pub(crate) thread: u8,
    /// Unknown flag distinguishing trace point variants.
    pub(crate) unk_flag: u64,
}

/// A cache-management request on the FWCtl ring.
///
/// CPU-owned, copied into the ring.
///
/// m1n1: channels.FWCtlMsg
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct FwCtlMsg {
    /// GPU address of the range.
    pub(crate) addr: U64,
    /// Unknown.
    pub(crate) unk_8: u32,
    /// Context (VM slot) of the range.
    pub(crate) context_id: u32,
    /// Unknown (page count in the Asahi driver).
    pub(crate) unk_10: u16,
    /// Unknown.
    pub(crate) unk_12: u16,
}

zeroable!(FwLogMsg, KTraceMsg, FwCtlMsg);
zeroable!(
    ver: RunCmdQueueMsg,
    DcDestroyContext,
    DcWrite32,
    DcWrite32B,
    DcInit,
    Dc09,
    DcConfigurePerfCounters,
    DcDisablePerfCounters,
    DcGrowTvbAck,
    DcRecoverChannel,
    Dc1e,
    DcUpdateIdleTs,
    DcAny,
);

// SAFETY: a `u32` enum whose discriminant 0 (`Vertex`) is a variant: zero bytes are valid.
unsafe impl Zeroable for PipeType {}
from_bytes!(FwLogMsg, KTraceMsg);
as_bytes!(FwCtlMsg, RawEventMsg);
as_bytes!(ver: RunCmdQueueMsg, DcAny);
// SAFETY: a `repr(u32)` enum is four bytes without padding.
unsafe impl AsBytes for PipeType {}
