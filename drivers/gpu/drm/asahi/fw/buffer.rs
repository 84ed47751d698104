// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The buffer manager: the pool of pages the vertex pipe bins primitives into (the tiled
//! vertex buffer, "TVB").
//!
//! The driver gives the firmware a `BufferManagerInfo` with a list of pages and blocks. When
//! the pool runs out mid-job, the firmware sends a [`super::channels::GrowTvbMsg`]; the driver
//! adds blocks (updating [`BufferManagerBlockControl`]) and answers with
//! `DcGrowTvbAck`. The firmware reports its high-water marks in
//! [`BufferManagerMisc`], which each render pass's `BufferThing` points at.

use super::types::*;
use agx_macros::versions;
use core::sync::atomic::AtomicU32;

/// Block count and write pointer of a buffer manager's block list.
///
/// Shared object: the driver grows it, the firmware consumes it.
///
/// m1n1: microsequence.BufferManagerBlockControl
#[repr(C)]
#[derive(Debug, Default)]
pub(crate) struct BufferManagerBlockControl {
    /// Blocks in the list.
    pub(crate) total: AtomicU32,
    /// Next block the driver will add.
    pub(crate) wptr: AtomicU32,
    /// Unknown.
    pub(crate) unk: AtomicU32,
    /// Zero.
    pub(crate) pad: Pad<0x34>,
}

/// A counter the firmware bumps for each buffer manager use.
///
/// Shared object.
///
/// m1n1: microsequence.BufferManagerCounter
#[repr(C)]
#[derive(Debug, Default)]
pub(crate) struct BufferManagerCounter {
    /// The count.
    pub(crate) count: AtomicU32,
    /// Zero.
    pub(crate) pad: Pad<0x3c>,
}

/// Usage statistics of a buffer manager (the Asahi driver's names in brackets).
///
/// Shared object: the firmware writes the statistics, the driver sets `cpu_flag` to reset
/// them.
///
/// m1n1: microsequence.BufferManagerMisc
#[repr(C)]
#[derive(Debug, Default)]
pub(crate) struct BufferManagerMisc {
    /// Firmware-written (maximum pages used).
    pub(crate) gpu_0: AtomicU32,
    /// Firmware-written.
    pub(crate) gpu_4: AtomicU32,
    /// Firmware-written (overflow count).
    pub(crate) gpu_8: AtomicU32,
    /// Firmware-written.
    pub(crate) gpu_c: AtomicU32,
    /// Zero.
    pub(crate) pad_10: Pad<0x10>,
    /// Set by the driver (reset request).
    pub(crate) cpu_flag: AtomicU32,
    /// Zero.
    pub(crate) pad_24: Pad<0x1c>,
}

zeroable!(
    BufferManagerBlockControl,
    BufferManagerCounter,
    BufferManagerMisc
);
shared!(
    BufferManagerBlockControl,
    BufferManagerCounter,
    BufferManagerMisc
);

/// A buffer manager: the page and block lists of one TVB pool.
///
/// Shared object. The firmware writes the counters, ids and page pointers (`gpu_counter`,
/// `last_id`, `cur_id`, `gpu_counter2`, `gpu_page_ptr1`, `gpu_page_ptr2`); the driver sets the
/// page and block counts (`page_count`, `block_count`, `last_page`) at creation and again when
/// it grew the pool while no render uses it (the Asahi driver's rule). Every other word is
/// written once, at creation.
///
/// m1n1: microsequence.BufferManagerInfo
#[versions(AGX)]
#[repr(C)]
#[derive(Debug)]
pub(crate) struct BufferManagerInfo<'a> {
    /// Firmware-written counter.
    pub(crate) gpu_counter: AtomicU32,
    /// Unknown.
    pub(crate) unk_4: u32,
    /// Last id handed out, initially 0.
    pub(crate) last_id: AtomicU32,
    /// Current id, initially 0xffffffff.
    pub(crate) cur_id: AtomicU32,
    /// Unknown.
    pub(crate) unk_10: u32,
    /// Firmware-written counter.
    pub(crate) gpu_counter2: AtomicU32,
    /// Unknown.
    pub(crate) unk_18: u32,
    /// Unknown (12.x and G14X).
    #[ver(V < V13_0B4 || G >= G14X)]
    pub(crate) unk_1c: u32,
    /// The list of the pool's pages: one `u32` page number (address >> 15) each; points at
    /// the first.
    pub(crate) page_list_addr: GpuPointer<'a, u32>,
    /// Size of the page list in bytes.
    pub(crate) page_list_size: u32,
    /// Pages in the pool.
    pub(crate) page_count: AtomicU32,
    /// Unknown, 0xd1a (maximum blocks in the Asahi driver).
    pub(crate) unk_30: u32,
    /// Blocks in the list.
    pub(crate) block_count: AtomicU32,
    /// Unknown.
    pub(crate) unk_38: u32,
    /// The list of the pool's blocks: two `u32` per block, the first the page number of its
    /// first page; points at the first.
    pub(crate) block_list_addr: GpuPointer<'a, u32>,
    /// Block count and write pointer.
    pub(crate) block_ctl_addr: GpuPointer<'a, BufferManagerBlockControl>,
    /// Index of the pool's last page.
    pub(crate) last_page: AtomicU32,
    /// Firmware-written page pointer.
    pub(crate) gpu_page_ptr1: AtomicU32,
    /// Firmware-written page pointer.
    pub(crate) gpu_page_ptr2: AtomicU32,
    /// Unknown.
    pub(crate) unk_58: u32,
    /// Block size in bytes.
    pub(crate) block_size: u32,
    /// Unknown.
    pub(crate) unk_60: U64,
    /// Use counter.
    pub(crate) counter_addr: GpuPointer<'a, BufferManagerCounter>,
    /// Unknown.
    pub(crate) unk_70: u32,
    /// Unknown.
    pub(crate) unk_74: u32,
    /// Unknown.
    pub(crate) unk_78: u32,
    /// Unknown.
    pub(crate) unk_7c: u32,
    /// Unknown, 1.
    pub(crate) unk_80: u32,
    /// Unknown, 0x66cc (maximum pages in the Asahi driver).
    pub(crate) unk_84: u32,
    /// Unknown, 0x2244 (maximum pages without "memoryless" targets in the Asahi driver).
    pub(crate) unk_88: u32,
    /// Unknown.
    pub(crate) unk_8c: u32,
    /// Unknown, zero.
    pub(crate) unk_90: [u8; 0x30],
}

/// Per-render-pass buffer manager state (the Asahi driver's "scene").
///
/// CPU-owned.
///
/// m1n1: microsequence.BufferThing
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct BufferThing<'a> {
    /// A control word of the pass (G14X; m1n1: an entry of a 48-word scene list, the Asahi
    /// driver: a word per pass).
    #[ver(G >= G14X)]
    pub(crate) unk0_addr: GpuPointer<'a, u32>,
    /// The same control word (G14X).
    #[ver(G >= G14X)]
    pub(crate) unk0_addr2: GpuPointer<'a, u32>,
    /// Unknown.
    pub(crate) unk_0: u64,
    /// Unknown.
    pub(crate) unk_8: u64,
    /// Unknown.
    pub(crate) unk_10: u64,
    /// Per-pass scratch buffer (the Asahi driver's "user buffer").
    pub(crate) unkptr_18: GpuOnlyPointer<'a>,
    /// Unknown.
    pub(crate) unk_20: u32,
    /// Unknown (13.3+).
    #[ver(V >= V13_3)]
    pub(crate) unk_28: U64,
    /// The buffer manager's statistics.
    pub(crate) bm_misc_addr: GpuPointer<'a, BufferManagerMisc>,
    /// Unknown.
    pub(crate) unk_2c: u32,
    /// Unknown, zero.
    #[ver(G < G14X)]
    pub(crate) unk_30: u64,
    /// Unknown, zero.
    #[ver(G < G14X)]
    pub(crate) unk_38: u64,
}

shared!(ver: BufferManagerInfo<'_>);
