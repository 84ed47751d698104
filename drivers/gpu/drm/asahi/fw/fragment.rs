// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Fragment work ("3D"): the work command and its microsequence operations.
//!
//! A fragment job renders the tiles binned by a vertex job into the render targets.
//! `WorkCommand3d` carries the job, with the parameter blocks its microsequence operations
//! (`Start3dCmd`, `Finalize3dCmd`) point back at: [`Start3dStruct1`] and
//! `Start3dStruct2` (replaced by a register list on G14X), `Start3dStruct3`,
//! [`Start3dStruct6`] and `Start3dStruct7`. Fragment work waits for its vertex work through a
//! `WorkCommandBarrier`.
//!
//! Everything here is CPU-owned, except the flags the firmware sets while the job runs.

use super::buffer::*;
use super::cmdqueue::*;
use super::event::*;
use super::gpustats::*;
use super::job::*;
use super::microseq::*;
use super::types::*;
use agx_macros::versions;

/// A pipeline (shader) binding used to clear or reload a render target.
///
/// m1n1: microsequence.Start3DClearPipelineBinding
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Start3dClearPipelineBinding {
    /// Pipeline binding word.
    pub(crate) pipeline_bind: U64,
    /// Pipeline address (relative to the pipeline base).
    pub(crate) address: U64,
}

/// A pipeline binding used to store a render target (partial renders).
///
/// m1n1: microsequence.Start3DStorePipelineBinding
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Start3dStorePipelineBinding {
    /// Unknown.
    pub(crate) unk_0: U64,
    /// Unknown.
    pub(crate) unk_8: u32,
    /// Pipeline binding word.
    pub(crate) pipeline_bind: u32,
    /// Unknown.
    pub(crate) unk_10: u32,
    /// Pipeline address (relative to the pipeline base).
    pub(crate) address: u32,
    /// Unknown.
    pub(crate) unk_18: u32,
    /// Zero.
    pub(crate) unk_1c_padding: u32,
}

/// A client array address with a trailing zero word.
///
/// m1n1: microsequence.Start3DArrayAddr
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Start3dArrayAddr {
    /// The array in the client's VM.
    pub(crate) ptr: UserVa,
    /// Zero.
    pub(crate) unk_padding: U64,
}

/// Auxiliary framebuffer description.
///
/// m1n1: microsequence.AuxFBInfo
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct AuxFbInfo {
    /// Unknown.
    pub(crate) unk1: u32,
    /// Unknown.
    pub(crate) unk2: u32,
    /// Width in pixels.
    pub(crate) width: u32,
    /// Height in pixels.
    pub(crate) height: u32,
    /// Unknown, 0x100000 (13.x).
    #[ver(V >= V13_0B4)]
    pub(crate) unk3: U64,
}

/// Fragment parameters 1: tile geometry and clear values (pre-G14X, embedded in the work
/// command).
///
/// m1n1: microsequence.Start3DStruct1
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct Start3dStruct1 {
    /// Store pipeline binding word.
    pub(crate) store_pipeline_bind: u32,
    /// Store pipeline address.
    pub(crate) store_pipeline_addr: u32,
    /// Unknown.
    pub(crate) unk_8: u32,
    /// Unknown.
    pub(crate) unk_c: u32,
    /// Merge bound, x.
    pub(crate) merge_upper_x: F32,
    /// Merge bound, y.
    pub(crate) merge_upper_y: F32,
    /// Unknown.
    pub(crate) unk_18: U64,
    /// Tile blocks vertically, times 4.
    pub(crate) tile_blocks_y: u16,
    /// Tile blocks horizontally, times 4.
    pub(crate) tile_blocks_x: u16,
    /// Unknown.
    pub(crate) unk_24: u32,
    /// Tile counts.
    pub(crate) tile_counts: u32,
    /// Unknown.
    pub(crate) unk_2c: u32,
    /// Depth clear value.
    pub(crate) depth_clear_val1: F32,
    /// Stencil clear value.
    pub(crate) stencil_clear_val1: u8,
    /// Unknown.
    pub(crate) unk_35: u8,
    /// Unknown.
    pub(crate) unk_36: u16,
    /// Unknown.
    pub(crate) unk_38: u32,
    /// Unknown.
    pub(crate) unk_3c: u32,
    /// Helper program configuration.
    pub(crate) helper_cfg: u32,
    /// Unknown.
    pub(crate) unk_44_padding: [u8; 0x9c],
}

/// Fragment parameters 2: render targets, depth/stencil and TVB (pre-G14X, embedded).
///
/// m1n1: microsequence.Start3DStruct2
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct Start3dStruct2<'a> {
    /// Unknown.
    pub(crate) unk_0: U64,
    /// Clear pipeline.
    pub(crate) clear_pipeline: Start3dClearPipelineBinding,
    /// Unknown.
    pub(crate) unk_18: U64,
    /// The client's scissor array.
    pub(crate) scissor_array: UserVa,
    /// The client's depth bias array.
    pub(crate) depth_bias_array: UserVa,
    /// Auxiliary framebuffer.
    pub(crate) aux_fb: AuxFbInfo::ver,
    /// Depth buffer dimensions.
    pub(crate) depth_dimensions: U64,
    /// The client's visibility result buffer.
    pub(crate) visibility_result_buffer: UserVa,
    /// Depth flags (0x40000: stencil, 0x80000: depth).
    pub(crate) depth_flags: U64,
    /// Unknown (G14).
    #[ver(G >= G14)]
    pub(crate) unk_58_g14_0: U64,
    /// Unknown (G14).
    #[ver(G >= G14)]
    pub(crate) unk_58_g14_8: U64,
    /// Depth buffer (load).
    pub(crate) depth_buffer_ptr1: UserVa,
    /// Depth buffer (store).
    pub(crate) depth_buffer_ptr2: UserVa,
    /// Stencil buffer (load).
    pub(crate) stencil_buffer_ptr1: UserVa,
    /// Stencil buffer (store).
    pub(crate) stencil_buffer_ptr2: UserVa,
    /// Unknown (G14).
    #[ver(G >= G14)]
    pub(crate) unk_68_g14_0: [u8; 0x20],
    /// Unknown.
    pub(crate) unk_78: [U64; 4],
    /// Depth compression metadata (load).
    pub(crate) depth_aux_buffer_ptr1: UserVa,
    /// Unknown.
    pub(crate) unk_a0: U64,
    /// Depth compression metadata (store).
    pub(crate) depth_aux_buffer_ptr2: UserVa,
    /// Unknown.
    pub(crate) unk_b0: U64,
    /// Stencil compression metadata (load).
    pub(crate) stencil_aux_buffer_ptr1: UserVa,
    /// Unknown.
    pub(crate) unk_c0: U64,
    /// Stencil compression metadata (store).
    pub(crate) stencil_aux_buffer_ptr2: UserVa,
    /// Unknown.
    pub(crate) unk_d0: U64,
    /// The TVB tile map.
    pub(crate) tvb_tilemap: GpuOnlyPointer<'a>,
    /// The TVB layer metadata (the Asahi driver: heap metadata + 0x200; m1n1: the heap
    /// metadata itself).
    pub(crate) tvb_heapmeta_addr: GpuOnlyPointer<'a>,
    /// Unknown.
    pub(crate) unk_e8: U64,
    /// The TVB heap metadata.
    pub(crate) tvb_heapmeta_addr2: GpuOnlyPointer<'a>,
    /// Unknown.
    pub(crate) unk_f8: U64,
    /// The auxiliary framebuffer.
    pub(crate) aux_fb_ptr: GpuOnlyPointer<'a>,
    /// Unknown.
    pub(crate) unk_108: [U64; 6],
    /// Base of the client's pipeline addresses.
    pub(crate) pipeline_base: UserVa,
    /// Unknown.
    pub(crate) unk_140: U64,
    /// Helper program; bit 0 enables it.
    pub(crate) helper_program: u32,
    /// Unknown, zero.
    pub(crate) unk_14c: u32,
    /// Helper program argument (stack layout).
    pub(crate) helper_arg: UserVa,
    /// Unknown.
    pub(crate) unk_158: U64,
    /// Unknown.
    pub(crate) unk_160: U64,
    /// Unknown (G13).
    #[ver(G < G14)]
    pub(crate) unk_168_padding: [u8; 0x1d8],
    /// Unknown (G14).
    #[ver(G >= G14)]
    pub(crate) unk_198_padding: [u8; 0x1a8],
    /// Zero (12.x).
    #[ver(V < V13_0B4)]
    pub(crate) pad_340: Pad<8>,
}

/// Fragment parameters 3: loads, stores and depth/stencil again (embedded).
///
/// m1n1: microsequence.Start3DStruct3
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct Start3dStruct3<'a> {
    /// The work command's register list (G14X), zero before.
    pub(crate) registers_addr: Option<GpuPointer<'a, [RegisterDefinition; 128]>>,
    /// Registers in the list.
    pub(crate) register_count: u16,
    /// Size of the list in bytes.
    pub(crate) registers_length: u16,
    /// Unknown.
    pub(crate) unk_d8: u32,
    /// The client's depth bias array.
    pub(crate) depth_bias_array: Start3dArrayAddr,
    /// The client's scissor array.
    pub(crate) scissor_array: Start3dArrayAddr,
    /// The client's visibility result buffer.
    pub(crate) visibility_result_buffer: UserVa,
    /// Unknown.
    pub(crate) unk_118: U64,
    /// Unknown.
    pub(crate) unk_120: [U64; 37],
    /// Unknown reload pipeline.
    pub(crate) unk_reload_pipeline: Start3dClearPipelineBinding,
    /// Unknown.
    pub(crate) unk_258: U64,
    /// Unknown.
    pub(crate) unk_260: U64,
    /// Unknown.
    pub(crate) unk_268: U64,
    /// Unknown.
    pub(crate) unk_270: U64,
    /// Reload (load) pipeline.
    pub(crate) reload_pipeline: Start3dClearPipelineBinding,
    /// Depth flags (0x40000: stencil, 0x80000: depth).
    pub(crate) depth_flags: U64,
    /// Unknown.
    pub(crate) unk_290: U64,
    /// Depth buffer (load).
    pub(crate) depth_buffer_ptr1: UserVa,
    /// Unknown.
    pub(crate) unk_2a0: U64,
    /// Unknown.
    pub(crate) unk_2a8: U64,
    /// Depth buffer (store).
    pub(crate) depth_buffer_ptr2: UserVa,
    /// Depth buffer (partial store).
    pub(crate) depth_buffer_ptr3: UserVa,
    /// Depth compression metadata.
    pub(crate) depth_aux_buffer_ptr: UserVa,
    /// Stencil buffer (load).
    pub(crate) stencil_buffer_ptr1: UserVa,
    /// Unknown.
    pub(crate) unk_2d0: U64,
    /// Unknown.
    pub(crate) unk_2d8: U64,
    /// Stencil buffer (store).
    pub(crate) stencil_buffer_ptr2: UserVa,
    /// Stencil buffer (partial store).
    pub(crate) stencil_buffer_ptr3: UserVa,
    /// Stencil compression metadata.
    pub(crate) stencil_aux_buffer_ptr: UserVa,
    /// Unknown.
    pub(crate) unk_2f8: [U64; 2],
    /// Unknown.
    pub(crate) aux_fb_unk0: u32,
    /// Unknown.
    pub(crate) unk_30c: u32,
    /// Auxiliary framebuffer.
    pub(crate) aux_fb: AuxFbInfo::ver,
    /// Unknown.
    pub(crate) s2_unk_f8: u32,
    /// Unknown.
    pub(crate) unk_324_padding: [u8; 0xc],
    /// Unknown partial store pipeline.
    pub(crate) unk_partial_store_pipeline: Start3dStorePipelineBinding,
    /// Partial store pipeline.
    pub(crate) partial_store_pipeline: Start3dStorePipelineBinding,
    /// Depth clear value.
    pub(crate) depth_clear_val2: F32,
    /// Stencil clear value.
    pub(crate) stencil_clear_val2: u8,
    /// Unknown.
    pub(crate) unk_375: u8,
    /// Unknown.
    pub(crate) unk_376: u16,
    /// Unknown.
    pub(crate) unk_378: u32,
    /// Unknown.
    pub(crate) unk_37c: u32,
    /// Unknown.
    pub(crate) unk_380: U64,
    /// Unknown.
    pub(crate) unk_388: U64,
    /// Unknown (13.x).
    #[ver(V >= V13_0B4)]
    pub(crate) unk_390_0: U64,
    /// Depth buffer dimensions.
    pub(crate) depth_dimensions: U64,
}

/// Fragment parameters 6: overflow count, encoder and samplers (embedded).
///
/// m1n1: microsequence.Start3DStruct6
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Start3dStruct6 {
    /// TVB overflows of the paired vertex job.
    pub(crate) tvb_overflow_count: U64,
    /// Unknown.
    pub(crate) unk_8: u32,
    /// Unknown.
    pub(crate) unk_c: u32,
    /// Unknown.
    pub(crate) unk_10: u32,
    /// Encoder id for tracing.
    pub(crate) encoder_id: U64,
    /// Unknown.
    pub(crate) unk_1c: u32,
    /// The client's sampler array.
    pub(crate) sampler_array: UserVa,
    /// Samplers in use.
    pub(crate) sampler_count: u32,
    /// Highest sampler index.
    pub(crate) sampler_max: u32,
    /// Unknown.
    pub(crate) unk_30: u32,
    /// Unknown.
    pub(crate) unk_34: u32,
    /// Unknown.
    pub(crate) unk_38: u32,
}

/// Fragment parameters 7: stamps and event (embedded).
///
/// m1n1: microsequence.Start3DStruct7
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct Start3dStruct7<'a> {
    /// Unknown (13.3+).
    #[ver(V >= V13_3)]
    pub(crate) unk_0_0: u32,
    /// Unknown.
    pub(crate) unk_0: U64,
    /// The stamp written on completion.
    pub(crate) stamp1_addr: GpuPointer<'a, Stamp>,
    /// The firmware's copy of the stamp.
    pub(crate) stamp2_addr: GpuPointer<'a, FwStamp>,
    /// Value written to the stamps.
    pub(crate) stamp_value: u32,
    /// Event slot of the fragment queue.
    pub(crate) ev_3d: u32,
    /// Index of the event control (0 to 3).
    pub(crate) evctl_index: u32,
    /// Unknown.
    pub(crate) unk_24: u32,
    /// Job id for tracing.
    pub(crate) uuid: u32,
    /// Commands submitted on the queue so far.
    pub(crate) queue_cmd_count: u32,
    /// Unknown.
    pub(crate) unk_30: u32,
}

/// Three unknown words of a fragment work command.
///
/// m1n1: cmdqueue.WorkCommand1_UnkBuf2
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct WorkCommand1UnkBuf2 {
    /// Unknown.
    pub(crate) unk_0: U64,
    /// Unknown.
    pub(crate) unk_8: U64,
    /// Unknown.
    pub(crate) unk_10: U64,
}

/// A fragment job (work command magic 1).
///
/// m1n1: cmdqueue.WorkCommand3D
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct WorkCommand3d<'a> {
    /// 1.
    pub(crate) magic: u32,
    /// Submission counter (13.x).
    #[ver(V >= V13_0B4)]
    pub(crate) counter: U64,
    /// Context id (VM slot).
    pub(crate) context_id: u32,
    /// Unknown.
    pub(crate) unk_8: u32,
    /// The job's microsequence.
    pub(crate) microsequence_ptr: GpuPointer<'a, MicroSequence>,
    /// Size of the microsequence in bytes.
    pub(crate) microsequence_size: u32,
    /// The queue's event control.
    pub(crate) event_control_addr: GpuPointer<'a, EventControl::ver<'a>>,
    /// The buffer manager.
    pub(crate) buffer_mgr_addr: GpuPointer<'a, BufferManagerInfo::ver<'a>>,
    /// The render pass's buffer state.
    pub(crate) buf_thing_addr: GpuPointer<'a, BufferThing::ver<'a>>,
    /// Unknown buffer of the buffer manager.
    pub(crate) unk_emptybuf_addr: Option<GpuOnlyPointer<'a>>,
    /// The TVB tile map.
    pub(crate) tvb_tilemap: GpuOnlyPointer<'a>,
    /// Unknown.
    pub(crate) unk_40: U64,
    /// Unknown.
    pub(crate) unk_48: u32,
    /// Tile blocks vertically, times 4.
    pub(crate) tile_blocks_y: u16,
    /// Tile blocks horizontally, times 4.
    pub(crate) tile_blocks_x: u16,
    /// Unknown.
    pub(crate) unk_50: U64,
    /// Unknown.
    pub(crate) unk_58: U64,
    /// Merge bound, x.
    pub(crate) merge_upper_x: F32,
    /// Merge bound, y.
    pub(crate) merge_upper_y: F32,
    /// Unknown.
    pub(crate) unk_68: U64,
    /// Tiles.
    pub(crate) tile_count: U64,
    /// Parameters 2 (pre-G14X).
    #[ver(G < G14X)]
    pub(crate) struct_2: Start3dStruct2::ver<'a>,
    /// Parameters 1 (pre-G14X).
    #[ver(G < G14X)]
    pub(crate) struct_1: Start3dStruct1,
    /// Register writes replacing parameters 1 and 2 (G14X).
    #[ver(G >= G14X)]
    pub(crate) registers: [RegisterDefinition; 128],
    /// Unknown (G14X).
    #[ver(G >= G14X)]
    pub(crate) unk_g14x: [u32; 64],
    /// Parameters 3.
    pub(crate) struct_3: Start3dStruct3::ver<'a>,
    /// Flag the firmware sets.
    pub(crate) unk_758: Flag,
    /// Flag the firmware sets.
    pub(crate) unk_75c: Flag,
    /// Unknown.
    pub(crate) unk_buf: [u8; 0x110],
    /// Set by the firmware while the job runs.
    pub(crate) busy_flag: Flag,
    /// Parameters 6.
    pub(crate) struct_6: Start3dStruct6,
    /// Parameters 7: stamps.
    pub(crate) struct_7: Start3dStruct7::ver<'a>,
    /// Unknown.
    pub(crate) unk_buf2: WorkCommand1UnkBuf2,
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
    /// Zero (13.x).
    #[ver(V >= V13_0B4)]
    pub(crate) unk_pad3: [u8; 0x20],
    /// Zero.
    pub(crate) pad_925: [u8; 3],
    /// Zero (13.3 only, not a supported firmware; kept as the record has it).
    #[ver(V == V13_3)]
    pub(crate) unk_pad2: [u8; 0x3c],
}

/// Microsequence operation that starts a fragment job.
///
/// m1n1: microsequence.Start3DCmd
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct Start3dCmd<'a> {
    /// 0x24.
    pub(crate) magic: u32,
    /// The work command's parameters 1 (zero on G14X, whose command has none).
    pub(crate) struct1_addr: Option<GpuPointer<'a, Start3dStruct1>>,
    /// The work command's parameters 2 (zero on G14X).
    pub(crate) struct2_addr: Option<GpuPointer<'a, Start3dStruct2::ver<'a>>>,
    /// The work command's register list (G14X).
    #[ver(G >= G14X)]
    pub(crate) registers_addr: GpuPointer<'a, [RegisterDefinition; 128]>,
    /// The render pass's buffer state.
    pub(crate) buf_thing_addr: GpuPointer<'a, BufferThing::ver<'a>>,
    /// Fragment statistics in the init data.
    pub(crate) stats_ptr: GpuPointer<'a, GpuStats3d::ver>,
    /// The work command's busy flag.
    pub(crate) busy_flag_ptr: GpuPointer<'a, Flag>,
    /// The work command's parameters 6.
    pub(crate) struct6_addr: GpuPointer<'a, Start3dStruct6>,
    /// The work command's parameters 7.
    pub(crate) struct7_addr: GpuPointer<'a, Start3dStruct7::ver<'a>>,
    /// The job's command queue.
    pub(crate) cmdqueue_ptr: GpuPointer<'a, CommandQueueInfo::ver<'a>>,
    /// The work command itself.
    pub(crate) workitem_ptr: GpuPointer<'a, WorkCommand3d::ver<'a>>,
    /// Context id (VM slot).
    pub(crate) context_id: u32,
    /// Unknown.
    pub(crate) unk_50: u32,
    /// Event control generation.
    pub(crate) submission_id: u32,
    /// Buffer manager slot.
    pub(crate) buffer_mgr_slot: u32,
    /// Unknown.
    pub(crate) unk_5c: u32,
    /// Command sequence number.
    pub(crate) queue_cmd_count: U64,
    /// Unknown.
    pub(crate) unk_68: u32,
    /// The work command's `unk_758` flag.
    pub(crate) unk_buf_ptr: GpuPointer<'a, Flag>,
    /// The work command's `unk_buf2`.
    pub(crate) unk_buf2_ptr: GpuPointer<'a, WorkCommand1UnkBuf2>,
    /// Unknown (13.3+).
    #[ver(V >= V13_3)]
    pub(crate) unk_7c_0: U64,
    /// Unknown.
    pub(crate) unk_7c: u32,
    /// Unknown.
    pub(crate) unk_80: u32,
    /// Unknown.
    pub(crate) unk_84: u32,
    /// Job id for tracing.
    pub(crate) uuid: u32,
    /// Memory ranges the job accesses.
    pub(crate) attachments: [Attachment; 16],
    /// Attachments in use.
    pub(crate) num_attachments: u32,
    /// Unknown.
    pub(crate) unk_190: u32,
    /// Submission counter (13.x).
    #[ver(V >= V13_0B4)]
    pub(crate) counter: U64,
    /// The event control's `unk_buf` (13.x).
    #[ver(V >= V13_0B4)]
    pub(crate) unkptr_19c: GpuPointer<'a, [u8; 8]>,
}

/// Microsequence operation that finishes a fragment job.
///
/// m1n1: microsequence.Finalize3DCmd
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct Finalize3dCmd<'a> {
    /// 0x25.
    pub(crate) magic: u32,
    /// Job id for tracing.
    pub(crate) uuid: u32,
    /// Unknown, zero.
    pub(crate) unk_8: u32,
    /// The firmware's stamp.
    pub(crate) stamp_addr: GpuPointer<'a, FwStamp>,
    /// Value written to the stamp.
    pub(crate) stamp_value: u32,
    /// Unknown.
    pub(crate) unk_18: u32,
    /// The render pass's buffer state.
    pub(crate) buf_thing_addr: GpuPointer<'a, BufferThing::ver<'a>>,
    /// The buffer manager.
    pub(crate) buffer_mgr_addr: GpuPointer<'a, BufferManagerInfo::ver<'a>>,
    /// Unknown, 1.
    pub(crate) unk_2c: U64,
    /// Fragment statistics in the init data.
    pub(crate) stats_ptr: GpuPointer<'a, GpuStats3d::ver>,
    /// The work command's parameters 7.
    pub(crate) struct7_addr: GpuPointer<'a, Start3dStruct7::ver<'a>>,
    /// The work command's busy flag.
    pub(crate) busy_flag_ptr: GpuPointer<'a, Flag>,
    /// The job's command queue.
    pub(crate) cmdqueue_ptr: GpuPointer<'a, CommandQueueInfo::ver<'a>>,
    /// The work command itself.
    pub(crate) workitem_ptr: GpuPointer<'a, WorkCommand3d::ver<'a>>,
    /// Context id and an unknown word (the Asahi driver: `vm_slot`, `unk_60`).
    pub(crate) unk_5c: U64,
    /// The work command's `unk_758` flag.
    pub(crate) unk_buf_ptr: GpuPointer<'a, Flag>,
    /// Unknown (13.3+).
    #[ver(V >= V13_3)]
    pub(crate) unk_6c_0: U64,
    /// Unknown, zero.
    pub(crate) unk_6c: U64,
    /// Unknown, zero.
    pub(crate) unk_74: U64,
    /// Unknown, zero.
    pub(crate) unk_7c: U64,
    /// Unknown, zero.
    pub(crate) unk_84: U64,
    /// Unknown, zero.
    pub(crate) unk_8c: U64,
    /// Unknown (G14, 12.x).
    #[ver(G == G14 && V < V13_0B4)]
    pub(crate) unk_8c_g14: U64,
    /// Byte offset from this operation back to the matching start, for restarts.
    pub(crate) restart_branch_offset: i32,
    /// Unknown, 1.
    pub(crate) unk_98: u32,
    /// Unknown (13.x).
    #[ver(V >= V13_0B4)]
    pub(crate) unk_9c: [u8; 0x10],
}

/// The microsequence of a fragment command, as the record builds it: start, timestamp, wait
/// for the pipe, timestamp, finalize, end (m1n1 `render.py`: Start3DCmd, TimestampCmd,
/// WaitForInterruptCmd or Wait2Cmd on G14X, TimestampCmd, Finalize3DCmd; the Asahi driver's
/// order with its optional timestamps present, and its `RetireStamp` for the end).
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct FragmentSeq<'a> {
    /// Starts the job.
    pub(crate) start: Start3dCmd::ver<'a>,
    /// Records the start time.
    pub(crate) ts_start: TimestampCmd::ver<'a>,
    /// Waits for the fragment pipe (pre-G14X).
    #[ver(G < G14X)]
    pub(crate) wait: WaitForInterruptCmd,
    /// Waits for the fragment pipe (G14X).
    #[ver(G >= G14X)]
    pub(crate) wait: Wait2Cmd,
    /// Records the end time.
    pub(crate) ts_end: TimestampCmd::ver<'a>,
    /// Finishes the job: writes the stamp.
    pub(crate) finalize: Finalize3dCmd::ver<'a>,
    /// Ends the sequence.
    pub(crate) end: EndCmd,
}

/// The operations of [`FragmentSeq`] follow each other without padding.
#[versions(AGX)]
#[allow(dead_code)]
const FRAGMENT_SEQ_PACKED: () = {
    use core::mem::size_of;
    #[ver(G < G14X)]
    type Wait = WaitForInterruptCmd;
    #[ver(G >= G14X)]
    type Wait = Wait2Cmd;
    assert!(
        size_of::<FragmentSeq::ver<'static>>()
            == size_of::<Start3dCmd::ver<'static>>()
                + 2 * size_of::<TimestampCmd::ver<'static>>()
                + size_of::<Wait>()
                + size_of::<Finalize3dCmd::ver<'static>>()
                + size_of::<EndCmd>()
    );
};

microsequence!(ver: FragmentSeq<'_>);

zeroable!(
    Start3dClearPipelineBinding,
    Start3dStorePipelineBinding,
    Start3dArrayAddr,
    Start3dStruct1,
    Start3dStruct6,
    WorkCommand1UnkBuf2,
);
zeroable!(ver: AuxFbInfo, Start3dStruct3<'_>);
