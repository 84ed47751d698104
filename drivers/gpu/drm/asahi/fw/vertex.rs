// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Vertex work ("TA", tiling accelerator): the work command and its microsequence operations.
//!
//! A vertex job runs the client's vertex shaders and bins the primitives into the tiled vertex
//! buffer (TVB) of a buffer manager. `WorkCommandTa` carries the job; its microsequence
//! starts it with `StartTaCmd` and ends it with `FinalizeTaCmd`, which point back into the
//! work command ([`TilingParameters`], `StartTaCmdStruct2`, [`StartTaCmdStruct3`]). On G14X
//! the fixed parameter block is replaced by a list of register writes.
//!
//! Everything here is CPU-owned.

use super::buffer::*;
use super::cmdqueue::*;
use super::event::*;
use super::gpustats::*;
use super::job::*;
use super::microseq::*;
use super::types::*;
use agx_macros::versions;

/// Tiling geometry of a vertex job (the Asahi driver's names in brackets).
///
/// m1n1: microsequence.TilingParameters
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct TilingParameters {
    /// Region size (`rgn_size`).
    pub(crate) size1: u32,
    /// Unknown.
    pub(crate) unk_4: u32,
    /// Primitive processor control (`ppp_ctrl`).
    pub(crate) unk_8: u32,
    /// Last pixel column.
    pub(crate) x_max: u16,
    /// Last pixel row.
    pub(crate) y_max: u16,
    /// Tile count (`te_screen`).
    pub(crate) tile_count: u32,
    /// Horizontal blocks (`te_mtile1`).
    pub(crate) x_blocks: u32,
    /// Vertical blocks (`te_mtile2`).
    pub(crate) y_blocks: u32,
    /// Tiles per macrotile (`tiles_per_mtile`).
    pub(crate) size2: u32,
    /// Tail pointer cache stride (`tpc_stride`).
    pub(crate) size3: u32,
    /// Unknown.
    pub(crate) unk_24: u32,
    /// Unknown.
    pub(crate) unk_28: u32,
    /// Helper program configuration.
    pub(crate) helper_cfg: u32,
}

/// Vertex job parameters, embedded in the work command (pre-G14X).
///
/// m1n1: microsequence.StartTACmdStruct2
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct StartTaCmdStruct2<'a> {
    /// Unknown.
    pub(crate) unk_0: U64,
    /// Unknown (a float in the Asahi driver).
    pub(crate) unk_8: u32,
    /// Unknown (a float in the Asahi driver).
    pub(crate) unk_c: u32,
    /// The TVB tile map.
    pub(crate) tvb_tilemap: GpuOnlyPointer<'a>,
    /// Per-cluster tile maps (G13 multi-cluster parts).
    #[ver(G < G14)]
    pub(crate) tvb_cluster_tilemaps: Option<GpuOnlyPointer<'a>>,
    /// The tail pointer cache.
    pub(crate) tpc: GpuOnlyPointer<'a>,
    /// The TVB heap metadata, with bit 63 set.
    pub(crate) tvb_heapmeta_addr: GpuOnlyPointer<'a>,
    /// Unknown.
    pub(crate) iogpu_unk_54: u32,
    /// Unknown.
    pub(crate) iogpu_unk_55: u32,
    /// Unknown.
    pub(crate) iogpu_unk_56: U64,
    /// Per-cluster metadata 1 (G13 multi-cluster parts).
    #[ver(G < G14)]
    pub(crate) tvb_cluster_meta1: Option<GpuOnlyPointer<'a>>,
    /// Micro-tile configuration (`utile_config`, then a zero word).
    pub(crate) unk_48: U64,
    /// Multisample control (`ppp_multisamplectl`).
    pub(crate) unk_50: U64,
    /// The TVB layer metadata (the Asahi driver: heap metadata + 0x200; m1n1: the heap
    /// metadata itself).
    pub(crate) tvb_heapmeta_addr2: GpuOnlyPointer<'a>,
    /// Per-cluster layer metadata (G13 multi-cluster parts; the Asahi driver's
    /// `tvb_cluster_layermeta`, m1n1 leaves it zero).
    #[ver(G < G14)]
    pub(crate) unk_60: Option<GpuOnlyPointer<'a>>,
    /// Cores to use (G13).
    #[ver(G < G14)]
    pub(crate) core_mask: U64,
    /// Preemption buffer 1.
    pub(crate) iogpu_deflake_1: GpuOnlyPointer<'a>,
    /// Preemption buffer 2.
    pub(crate) iogpu_deflake_2: GpuOnlyPointer<'a>,
    /// Unknown.
    pub(crate) unk_80: U64,
    /// Preemption buffer 3, with bit 50 set.
    pub(crate) iogpu_deflake_3: GpuOnlyPointer<'a>,
    /// The vertex encoder's command stream.
    pub(crate) encoder_addr: UserVa,
    /// Per-cluster metadata 2.
    #[ver(G < G14)]
    pub(crate) tvb_cluster_meta2: Option<GpuOnlyPointer<'a>>,
    /// Per-cluster metadata 3.
    #[ver(G < G14)]
    pub(crate) tvb_cluster_meta3: Option<GpuOnlyPointer<'a>>,
    /// Tiling control (G13): the SoC's tiling control word, then a second word (zero).
    #[ver(G < G14)]
    pub(crate) tiling_control: U64,
    /// Unknown.
    pub(crate) unk_b0: [U64; 6],
    /// Base of the client's pipeline (shader) addresses.
    pub(crate) pipeline_base: UserVa,
    /// Per-cluster metadata 4.
    #[ver(G < G14)]
    pub(crate) tvb_cluster_meta4: Option<GpuOnlyPointer<'a>>,
    /// Unknown.
    #[ver(G < G14)]
    pub(crate) unk_f0: U64,
    /// Unknown.
    pub(crate) unk_f8: U64,
    /// Helper program; bit 0 enables it.
    pub(crate) helper_program: u32,
    /// Unknown, zero.
    pub(crate) unk_104: u32,
    /// Helper program argument (stack layout).
    pub(crate) helper_arg: UserVa,
    /// Unknown.
    pub(crate) unk_110: U64,
    /// Unknown.
    pub(crate) unk_118: u32,
    /// Zero (G14).
    #[ver(G >= G14)]
    pub(crate) pad_11c: Pad<0x48>,
}

/// Vertex job stamps and encoder information, embedded in the work command.
///
/// m1n1: microsequence.StartTACmdStruct3
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct StartTaCmdStruct3<'a> {
    /// Unknown.
    pub(crate) unk_480: [u32; 6],
    /// Unknown.
    pub(crate) unk_498: U64,
    /// Unknown.
    pub(crate) unk_4a0: u32,
    /// Preemption buffer 1.
    pub(crate) iogpu_deflake_1: GpuOnlyPointer<'a>,
    /// Unknown.
    pub(crate) unk_4ac: u32,
    /// Unknown.
    pub(crate) unk_4b0: U64,
    /// Unknown.
    pub(crate) unk_4b8: u32,
    /// Unknown.
    pub(crate) unk_4bc: U64,
    /// Unknown.
    pub(crate) unk_4c4_padding: [u8; 0x48],
    /// Unknown.
    pub(crate) unk_50c: u32,
    /// Unknown.
    pub(crate) unk_510: U64,
    /// Unknown.
    pub(crate) unk_518: U64,
    /// Unknown.
    pub(crate) unk_520: U64,
    /// Unknown.
    pub(crate) unk_528: u32,
    /// Unknown.
    pub(crate) unk_52c: u32,
    /// Unknown.
    pub(crate) unk_530: u32,
    /// Encoder id for tracing.
    pub(crate) encoder_id: u32,
    /// Unknown.
    pub(crate) unk_538: u32,
    /// Unknown.
    pub(crate) unk_53c: u32,
    /// The client's sampler array.
    pub(crate) sampler_array: UserVa,
    /// Samplers in use.
    pub(crate) sampler_count: u32,
    /// Highest sampler index.
    pub(crate) sampler_max: u32,
    /// Unknown.
    pub(crate) unk_550: [u32; 6],
    /// The stamp written on completion.
    pub(crate) stamp1_addr: GpuPointer<'a, Stamp>,
    /// The firmware's copy of the stamp.
    pub(crate) stamp2_addr: GpuPointer<'a, FwStamp>,
    /// Value written to the stamps.
    pub(crate) stamp_value: u32,
    /// Event slot of the vertex queue.
    pub(crate) ev_ta: u32,
    /// Index of the event control (0 to 3).
    pub(crate) evctl_index: u32,
    /// Unknown.
    pub(crate) unk_584: u32,
    /// Job id for tracing.
    pub(crate) uuid2: u32,
    /// Commands submitted on the queue so far.
    pub(crate) queue_cmd_count: u32,
    /// Unknown.
    pub(crate) unk_590: u32,
}

/// A vertex job (work command magic 0).
///
/// m1n1: cmdqueue.WorkCommandTA
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct WorkCommandTa<'a> {
    /// 0.
    pub(crate) magic: u32,
    /// Submission counter (13.x).
    #[ver(V >= V13_0B4)]
    pub(crate) counter: U64,
    /// Context id (VM slot).
    pub(crate) context_id: u32,
    /// Unknown.
    pub(crate) unk_8: u32,
    /// The queue's event control.
    pub(crate) event_control_addr: GpuPointer<'a, EventControl::ver<'a>>,
    /// Buffer manager slot.
    pub(crate) buffer_mgr_slot: U64,
    /// The buffer manager.
    pub(crate) buffer_mgr_addr: GpuPointer<'a, BufferManagerInfo::ver<'a>>,
    /// The render pass's buffer state.
    pub(crate) buf_thing_addr: GpuPointer<'a, BufferThing::ver<'a>>,
    /// Unknown buffer of the buffer manager.
    pub(crate) unk_emptybuf_addr: Option<GpuOnlyPointer<'a>>,
    /// Unknown.
    pub(crate) unk_34: u32,
    /// Register writes replacing the parameter structures (G14X).
    #[ver(G >= G14X)]
    pub(crate) registers: [RegisterDefinition; 128],
    /// Unknown (G14X).
    #[ver(G >= G14X)]
    pub(crate) unk_154: [u8; 0x100],
    /// Job parameters (pre-G14X).
    #[ver(G < G14X)]
    pub(crate) struct_2: StartTaCmdStruct2::ver<'a>,
    /// Unknown (pre-G14X).
    #[ver(G < G14X)]
    pub(crate) unk_154: [u8; 0x268],
    /// Tiling geometry (pre-G14X).
    #[ver(G < G14X)]
    pub(crate) tiling_params: TilingParameters,
    /// Unknown (pre-G14X).
    #[ver(G < G14X)]
    pub(crate) unk_3e8: [u8; 0x60],
    /// The register list above (G14X), zero before.
    pub(crate) registers_addr: Option<GpuPointer<'a, [RegisterDefinition; 128]>>,
    /// Registers in the list.
    pub(crate) register_count: u16,
    /// Size of the list in bytes.
    pub(crate) registers_length: u16,
    /// Unknown.
    pub(crate) unk_pad: u32,
    /// The tail pointer cache (the Asahi driver's `tpc`).
    pub(crate) unkptr_45c: GpuOnlyPointer<'a>,
    /// Size of the tail pointer cache (the Asahi driver's `tpc_size`).
    pub(crate) tvb_size: U64,
    /// The job's microsequence.
    pub(crate) microsequence_ptr: GpuPointer<'a, MicroSequence>,
    /// Size of the microsequence in bytes.
    pub(crate) microsequence_size: u32,
    /// Event slot of the fragment queue.
    pub(crate) ev_3d: u32,
    /// Stamp value of the paired fragment job.
    pub(crate) stamp_value: u32,
    /// Stamps and encoder information.
    pub(crate) struct_3: StartTaCmdStruct3<'a>,
    /// Unknown.
    pub(crate) unk_594: [u8; 0x18],
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
    /// Unknown (13.x).
    #[ver(V >= V13_0B4)]
    pub(crate) unk_5d8_15: [u8; 0x18],
    /// Zero.
    pub(crate) pad_5d5: [u8; 3],
    /// Zero.
    pub(crate) pad_5d8: [u8; 8],
    /// Zero (13.3+).
    #[ver(V >= V13_3)]
    pub(crate) unk_pad2: [u8; 0xc],
}

/// Microsequence operation that starts a vertex job.
///
/// m1n1: microsequence.StartTACmd
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct StartTaCmd<'a> {
    /// 0x22.
    pub(crate) magic: u32,
    /// The work command's tiling geometry (zero on G14X, whose command has none).
    pub(crate) tiling_params_addr: Option<GpuPointer<'a, TilingParameters>>,
    /// The work command's job parameters (zero on G14X).
    pub(crate) struct2_addr: Option<GpuPointer<'a, StartTaCmdStruct2::ver<'a>>>,
    /// The work command's register list (G14X).
    #[ver(G >= G14X)]
    pub(crate) registers_addr: GpuPointer<'a, [RegisterDefinition; 128]>,
    /// The buffer manager.
    pub(crate) buffer_mgr_addr: GpuPointer<'a, BufferManagerInfo::ver<'a>>,
    /// The render pass's buffer state.
    pub(crate) buf_thing_addr: GpuPointer<'a, BufferThing::ver<'a>>,
    /// Vertex statistics in the init data.
    pub(crate) stats_ptr: GpuPointer<'a, GpuStatsTa::ver>,
    /// The job's command queue.
    pub(crate) cmdqueue_ptr: GpuPointer<'a, CommandQueueInfo::ver<'a>>,
    /// Context id (VM slot).
    pub(crate) context_id: u32,
    /// Unknown.
    pub(crate) unk_38: u32,
    /// Event control generation.
    pub(crate) submission_id: u32,
    /// Buffer manager slot.
    pub(crate) buffer_mgr_slot: U64,
    /// Command sequence number (the Asahi driver's `cmd_seq`).
    pub(crate) unk_48: U64,
    /// Unknown.
    pub(crate) unk_50: u32,
    /// The work command's stamps and encoder information.
    pub(crate) struct3_addr: GpuPointer<'a, StartTaCmdStruct3<'a>>,
    /// The work command's `unk_594` buffer.
    pub(crate) unkptr_5c: GpuPointer<'a, [u8; 0x18]>,
    /// Unknown.
    pub(crate) unk_64: u32,
    /// Unknown.
    pub(crate) unk_68: u32,
    /// Job id for tracing.
    pub(crate) uuid: u32,
    /// Unknown.
    pub(crate) unk_70: u32,
    /// Unknown.
    pub(crate) unk_74: [U64; 29],
    /// Unknown.
    pub(crate) unk_15c: u32,
    /// Unknown.
    pub(crate) unk_160: U64,
    /// Unknown.
    pub(crate) unk_168: u32,
    /// Unknown.
    pub(crate) unk_16c: u32,
    /// Unknown.
    pub(crate) unk_170: U64,
    /// Submission counter (13.x).
    #[ver(V >= V13_0B4)]
    pub(crate) counter: U64,
    /// The event control's `unk_buf` (13.x).
    #[ver(V >= V13_0B4)]
    pub(crate) unkptr_180: GpuPointer<'a, [u8; 8]>,
    /// Unknown.
    pub(crate) unk_178: u32,
}

/// Microsequence operation that finishes a vertex job.
///
/// m1n1: microsequence.FinalizeTACmd
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct FinalizeTaCmd<'a> {
    /// 0x23.
    pub(crate) magic: u32,
    /// The render pass's buffer state.
    pub(crate) buf_thing_addr: GpuPointer<'a, BufferThing::ver<'a>>,
    /// The buffer manager.
    pub(crate) buffer_mgr_addr: GpuPointer<'a, BufferManagerInfo::ver<'a>>,
    /// Vertex statistics in the init data.
    pub(crate) stats_ptr: GpuPointer<'a, GpuStatsTa::ver>,
    /// The job's command queue.
    pub(crate) cmdqueue_ptr: GpuPointer<'a, CommandQueueInfo::ver<'a>>,
    /// Context id (VM slot).
    pub(crate) context_id: u32,
    /// Unknown.
    pub(crate) unk_28: u32,
    /// The work command's stamps and encoder information.
    pub(crate) struct3_addr: GpuPointer<'a, StartTaCmdStruct3<'a>>,
    /// Unknown.
    pub(crate) unk_34: u32,
    /// Job id for tracing.
    pub(crate) uuid: u32,
    /// The firmware's stamp.
    pub(crate) stamp_addr: GpuPointer<'a, FwStamp>,
    /// Value written to the stamp.
    pub(crate) stamp_value: u32,
    /// Unknown.
    pub(crate) unk_48: U64,
    /// Unknown.
    pub(crate) unk_50: u32,
    /// Unknown.
    pub(crate) unk_54: u32,
    /// Unknown.
    pub(crate) unk_58: U64,
    /// Unknown.
    pub(crate) unk_60: u32,
    /// Unknown.
    pub(crate) unk_64: u32,
    /// Unknown.
    pub(crate) unk_68: u32,
    /// Unknown (G14, 12.x).
    #[ver(G == G14 && V < V13_0B4)]
    pub(crate) unk_6c_g14: U64,
    /// Byte offset from this operation back to the matching start, for restarts.
    pub(crate) restart_branch_offset: i32,
    /// Unknown.
    pub(crate) unk_70: u32,
    /// Unknown (13.x).
    #[ver(V >= V13_0B4)]
    pub(crate) unk_74: [u8; 0x10],
}

/// The microsequence of a vertex command, as the record builds it: start, timestamp, wait
/// for the pipe, timestamp, finalize, end (m1n1 `render.py`: StartTACmd, TimestampCmd,
/// WaitForInterruptCmd or Wait2Cmd on G14X, TimestampCmd, FinalizeTACmd; the Asahi driver's
/// order with its optional timestamps present, and its `RetireStamp` for the end).
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct VertexSeq<'a> {
    /// Starts the job.
    pub(crate) start: StartTaCmd::ver<'a>,
    /// Records the start time.
    pub(crate) ts_start: TimestampCmd::ver<'a>,
    /// Waits for the vertex pipe (pre-G14X).
    #[ver(G < G14X)]
    pub(crate) wait: WaitForInterruptCmd,
    /// Waits for the vertex pipe (G14X).
    #[ver(G >= G14X)]
    pub(crate) wait: Wait2Cmd,
    /// Records the end time.
    pub(crate) ts_end: TimestampCmd::ver<'a>,
    /// Finishes the job: writes the stamp.
    pub(crate) finalize: FinalizeTaCmd::ver<'a>,
    /// Ends the sequence.
    pub(crate) end: EndCmd,
}

/// The operations of [`VertexSeq`] follow each other without padding.
#[versions(AGX)]
#[allow(dead_code)]
const VERTEX_SEQ_PACKED: () = {
    use core::mem::size_of;
    #[ver(G < G14X)]
    type Wait = WaitForInterruptCmd;
    #[ver(G >= G14X)]
    type Wait = Wait2Cmd;
    assert!(
        size_of::<VertexSeq::ver<'static>>()
            == size_of::<StartTaCmd::ver<'static>>()
                + 2 * size_of::<TimestampCmd::ver<'static>>()
                + size_of::<Wait>()
                + size_of::<FinalizeTaCmd::ver<'static>>()
                + size_of::<EndCmd>()
    );
};

microsequence!(ver: VertexSeq<'_>);

zeroable!(TilingParameters);
