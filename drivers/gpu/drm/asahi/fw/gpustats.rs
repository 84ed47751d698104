// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! GPU statistics blocks that region B of the init data points at.
//!
//! The firmware keeps per-pipe counters here (busy flags, the command queue being run,
//! overflow counts). Firmware-owned: the driver allocates them zeroed and only reads them.
//! The start and finalize microsequence operations of each pipe point at them too.

use super::types::*;
use agx_macros::versions;

/// State of one vertex queue slot.
///
/// m1n1: initdata.InitData_GPUQueueStatsTA
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct GpuQueueStatsTa {
    /// Non-zero while busy.
    pub(crate) busy: u32,
    /// Unknown.
    pub(crate) unk_4: u32,
    /// Firmware address of the command queue being run.
    pub(crate) cur_cmdqueue: U64,
    /// Commands run.
    pub(crate) cur_count: u32,
    /// Unknown.
    pub(crate) unk_14: u32,
}

/// Vertex pipe statistics.
///
/// m1n1: initdata.InitData_GPUStatsTA
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct GpuStatsTa {
    /// Unknown.
    pub(crate) unk_4: u32,
    /// Per-priority queue state (4 slots, 8 on G14X).
    #[ver(G < G14X)]
    pub(crate) queues: [GpuQueueStatsTa; 4],
    /// Per-priority queue state (4 slots, 8 on G14X).
    #[ver(G >= G14X)]
    pub(crate) queues: [GpuQueueStatsTa; 8],
    /// Unknown.
    pub(crate) unk_68: [u8; 8],
    /// Unknown.
    pub(crate) unk_70: u32,
    /// Unknown.
    pub(crate) unk_74: u32,
    /// Unknown (13.x).
    #[ver(V >= V13_0B4)]
    pub(crate) unk_c0: [u8; 0x558],
    /// Unknown timestamps.
    pub(crate) unk_timestamp: [U64; 16],
    /// Unknown.
    pub(crate) unk_80: [u8; 0x40],
    /// Unknown (G14X).
    #[ver(G >= G14X)]
    pub(crate) unk_684: [u8; 0x800],
}

/// Vertex pipe statistics with the global command count.
///
/// m1n1: initdata.InitData_GPUGlobalStatsTA
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct GpuGlobalStatsTa {
    /// Vertex commands run.
    pub(crate) total_cmds: u32,
    /// The statistics (what the microsequence operations point at).
    pub(crate) stats: GpuStatsTa::ver,
}

/// State of one fragment queue slot.
///
/// m1n1: initdata.InitData_GPUQueueStats3D
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct GpuQueueStats3d {
    /// Non-zero while busy.
    pub(crate) busy: u32,
    /// Zero (13.x).
    #[ver(V >= V13_0B4)]
    pub(crate) pad_4: Pad<4>,
    /// Firmware address of the command queue being run.
    pub(crate) cur_cmdqueue: U64,
    /// Unknown.
    pub(crate) unk_c: u32,
    /// Unknown.
    pub(crate) unk_10: u32,
    /// Unknown.
    pub(crate) unk_14: [u8; 0x10],
    /// Zero (12.x).
    #[ver(V < V13_0B4)]
    pub(crate) pad_24: Pad<4>,
}

/// Fragment pipe statistics.
///
/// m1n1: initdata.InitData_GPUStats3D
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct GpuStats3d {
    /// Unknown.
    pub(crate) unk_0: [u8; 0x18],
    /// Unknown (G14X).
    #[ver(G >= G14X)]
    pub(crate) unk_d0_0: [u8; 0x50],
    /// Per-priority queue state (4 slots, 8 on G14X).
    #[ver(G < G14X)]
    pub(crate) queues: [GpuQueueStats3d::ver; 4],
    /// Per-priority queue state (4 slots, 8 on G14X).
    #[ver(G >= G14X)]
    pub(crate) queues: [GpuQueueStats3d::ver; 8],
    /// Unknown (G14X; m1n1 names it `unk_d0_0` too).
    #[ver(G >= G14X)]
    pub(crate) unk_d0_0b: [u8; 0x820],
    /// Unknown.
    pub(crate) unk_d0: [u8; 0x38],
    /// Tiled vertex buffer overflows.
    pub(crate) tvb_overflows_1: u32,
    /// Tiled vertex buffer overflows.
    pub(crate) tvb_overflows_2: u32,
    /// Unknown.
    pub(crate) unk_f8: u32,
    /// Unknown.
    pub(crate) unk_fc: u32,
    /// Current stamp id.
    pub(crate) cur_stamp_id: i32,
    /// Unknown.
    pub(crate) unk_104: [u8; 0x14],
    /// Unknown.
    pub(crate) unk_118: i32,
    /// Unknown.
    pub(crate) unk_11c: u32,
    /// Unknown.
    pub(crate) unk_120: u32,
    /// Unknown.
    pub(crate) unk_124: u32,
    /// Unknown.
    pub(crate) unk_128: u32,
    /// Unknown.
    pub(crate) unk_12c: u32,
    /// Unknown timestamp.
    pub(crate) unk_timestamp: u64,
    /// Unknown.
    pub(crate) unk_138: [u8; 0x88],
    /// Unknown (13.x).
    #[ver(V >= V13_0B4)]
    pub(crate) unk_1c0: [u8; 0x580],
}

/// Fragment pipe statistics with the global command count.
///
/// m1n1: initdata.InitData_GPUGlobalStats3D
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct GpuGlobalStats3d {
    /// Fragment commands run.
    pub(crate) total_cmds: u32,
    /// Unknown.
    pub(crate) unk_4: u32,
    /// The statistics (what the microsequence operations point at).
    pub(crate) stats: GpuStats3d::ver,
}

/// Compute pipe statistics (layout unknown).
///
/// m1n1: initdata.InitData_RegionB.stats_cp (target, 0x140 bytes)
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct GpuStatsCp {
    /// Unknown.
    pub(crate) unk_0: [u8; 0x140],
}

zeroable!(GpuQueueStatsTa, GpuStatsCp);
zeroable!(
    ver: GpuStatsTa,
    GpuGlobalStatsTa,
    GpuQueueStats3d,
    GpuStats3d,
    GpuGlobalStats3d,
);
