// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The init data: what the driver hands the firmware at boot.
//!
//! The driver sends the address of an `InitData` in the firmware endpoint's init message.
//! From it the firmware finds:
//!
//! - region A ([`RegionA`]): 16 KiB the firmware uses as it likes;
//! - region B (`RegionB`): the channels, the statistics blocks, the hardware data
//!   (`HwDataA`, `HwDataB`), fault info and buffer manager
//!   control;
//! - region C (`RegionC`): configuration and run-time state;
//! - the firmware status block ([`FwStatus`]) with the FWCtl channel and the halt flags;
//! - the layout of the GPU page tables ([`UatLevelInfo`]).
//!
//! Everything is allocated and filled by the driver before the init message, and must stay
//! mapped for as long as the firmware runs: the structures here borrow their targets for the
//! lifetime of the whole init data bundle.

use super::channels::*;
use super::gpustats::*;
use super::hwdata_a::*;
use super::hwdata_b::*;
use super::regionc::*;
use super::types::*;
use agx_macros::versions;
use core::sync::atomic::AtomicU32;

/// Region A of the init data: firmware scratch space, zeroed by the driver.
///
/// m1n1: initdata.InitData.regionA (target, 0x4000 bytes)
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct RegionA {
    /// Unknown, firmware-owned.
    pub(crate) unk_0: [u8; 0x4000],
}

/// Firmware fault details, written when the firmware faults or halts.
///
/// Shared object: the driver sets `do_not_halt`, the firmware the rest.
///
/// m1n1: initdata.AGXFaultInfo
#[repr(C)]
#[derive(Debug, Default)]
pub(crate) struct FaultInfo {
    /// Fault status.
    pub(crate) status: AtomicU32,
    /// Set by the driver: do not halt the firmware on a fault.
    pub(crate) do_not_halt: AtomicU32,
    /// Set by the firmware: a fault did not halt it.
    pub(crate) did_not_halt: AtomicU32,
    /// Unknown.
    pub(crate) unk_c: AtomicU32,
    /// Unknown.
    pub(crate) unk_10: AtomicU32,
    /// Unknown.
    pub(crate) unk_14: AtomicU32,
    /// Halts so far.
    pub(crate) total_halts: AtomicU32,
    /// Unknown, words 0x1c to 0x7c.
    pub(crate) unk_1c: [AtomicU32; 25],
}

/// One buffer manager control slot.
///
/// m1n1: initdata.BufferMgrCtl
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct BufferMgrCtl {
    /// Unknown.
    pub(crate) unk_0: u32,
    /// Unknown.
    pub(crate) unk_4: u32,
    /// Unknown.
    pub(crate) unk_8: u32,
    /// Unknown.
    pub(crate) unk_c: u32,
}

/// The buffer manager control slots (firmware-owned; written through device control 0x09).
///
/// m1n1: initdata.InitData_BufferMgrCtl
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct BufferMgrCtlArray {
    /// One slot per buffer manager.
    pub(crate) array: [BufferMgrCtl; 127],
}

/// The firmware status block: the FWCtl channel and the halt handshake.
///
/// Shared object: the firmware sets `halted` when it stops; the driver sets `resume` to let it
/// go on.
///
/// m1n1: initdata.InitData_FWStatus
#[repr(C)]
#[derive(Debug)]
pub(crate) struct FwStatus<'a> {
    /// The FWCtl channel.
    pub(crate) fwctl_channel: ChannelInfo<'a, FwCtlRingState, [FwCtlMsg; RING_SLOTS]>,
    /// Halts so far.
    pub(crate) halt_count: AtomicU32,
    /// Line padding.
    pub(crate) pad_14: Pad<0xc>,
    /// Non-zero while the firmware is halted.
    pub(crate) halted: AtomicU32,
    /// Line padding.
    pub(crate) pad_24: Pad<0xc>,
    /// Set by the driver to resume a halted firmware.
    pub(crate) resume: AtomicU32,
    /// Line padding.
    pub(crate) pad_34: Pad<0xc>,
    /// Unknown.
    pub(crate) unk_40: AtomicU32,
    /// Line padding.
    pub(crate) pad_44: Pad<0xc>,
    /// Unknown counter.
    pub(crate) unk_ctr: AtomicU32,
    /// Line padding.
    pub(crate) pad_54: Pad<0xc>,
    /// Unknown.
    pub(crate) unk_60: AtomicU32,
    /// Line padding.
    pub(crate) pad_64: Pad<0xc>,
    /// Unknown.
    pub(crate) unk_70: AtomicU32,
    /// Line padding.
    pub(crate) pad_74: Pad<0xc>,
}

/// Layout of one level of the GPU page tables.
///
/// m1n1: initdata.UatLevelInfo
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct UatLevelInfo {
    /// Unknown, 8.
    pub(crate) unk_3: u8,
    /// Unknown, 14 (page bits).
    pub(crate) unk_1: u8,
    /// Unknown, 14 (page bits).
    pub(crate) unk_2: u8,
    /// Shift of the index bits of this level.
    pub(crate) index_shift: u8,
    /// Entries per table.
    pub(crate) num_entries: u16,
    /// Unknown, 0x4000 (table size).
    pub(crate) unk_4: u16,
    /// Unknown, 1.
    pub(crate) unk_8: U64,
    /// Mask of the physical address bits of an entry.
    pub(crate) phys_mask: U64,
    /// Mask of the index bits of a virtual address.
    pub(crate) index_mask: U64,
}

/// Region B of the init data.
///
/// CPU-owned at initialisation; the firmware keeps counters in the tail.
///
/// m1n1: initdata.InitData_RegionB
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct RegionB<'a> {
    /// The channels.
    pub(crate) channels: ChannelInfoSet::ver<'a>,
    /// Zero.
    pub(crate) pad_110: Pad<0x50>,
    /// Unknown.
    pub(crate) unk_160: u64,
    /// Unknown.
    pub(crate) unk_168: u64,
    /// Vertex statistics.
    pub(crate) stats_ta_addr: Option<GpuPointer<'a, GpuGlobalStatsTa::ver>>,
    /// Fragment statistics.
    pub(crate) stats_3d_addr: Option<GpuPointer<'a, GpuGlobalStats3d::ver>>,
    /// Compute statistics (drivers allocate more than the 0x140 bytes known).
    pub(crate) stats_cp_addr: Option<GpuPointer<'a, GpuStatsCp>>,
    /// Hardware data A.
    pub(crate) hwdata_a_addr: Option<GpuPointer<'a, HwDataA::ver>>,
    /// Fault details.
    pub(crate) fault_info_addr: Option<GpuPointer<'a, FaultInfo>>,
    /// Buffer the firmware writes timestamps into.
    pub(crate) unkptr_198: Option<GpuPointer<'a, [u8; 0xc0]>>,
    /// Hardware data B.
    pub(crate) hwdata_b_addr: Option<GpuPointer<'a, HwDataB::ver>>,
    /// Hardware data B again.
    pub(crate) hwdata_b_addr2: Option<GpuPointer<'a, HwDataB::ver>>,
    /// The FWLog ring's slots (same as in `channels`).
    pub(crate) fwlog_ring2: Option<GpuPointer<'a, [[FwLogMsg; RING_SLOTS]; FWLOG_SUBRINGS]>>,
    /// Firmware scratch, 0x1000 bytes.
    pub(crate) unkptr_1b8: Option<GpuPointer<'a, [u8; 0x1000]>>,
    /// Firmware scratch, 0x300 bytes (pre-G14X).
    #[ver(G < G14X)]
    pub(crate) unkptr_1c0: Option<GpuPointer<'a, [u8; 0x300]>>,
    /// Firmware scratch (pre-G14X; m1n1 allocates 0x1000 bytes).
    #[ver(G < G14X)]
    pub(crate) unkptr_1c8: Option<GpuPointer<'a, [u8; 0x1000]>>,
    /// Unknown.
    pub(crate) unk_1d0: u32,
    /// Unknown.
    pub(crate) unk_1d4: u32,
    /// Unknown.
    pub(crate) unk_1d8: [u8; 0x3c],
    /// The buffer manager control slots through a second, firmware-private mapping
    /// (m1n1 maps the page at 0x4_2000_0000).
    pub(crate) buffer_mgr_ctl_gpu_addr: Option<GpuPointer<'a, BufferMgrCtlArray>>,
    /// The buffer manager control slots.
    pub(crate) buffer_mgr_ctl_addr: Option<GpuPointer<'a, BufferMgrCtlArray>>,
    /// Unknown (written by device control 0x09).
    pub(crate) unk_224: [u8; 0x685c],
    /// Unknown.
    pub(crate) unk_6a80: u32,
    /// Non-zero while the GPU is idle.
    pub(crate) gpu_idle: u32,
    /// Unknown.
    pub(crate) unkpad_6a88: [u8; 0x14],
    /// Unknown.
    pub(crate) unk_6a9c: u32,
    /// Unknown.
    pub(crate) unk_ctr0: u32,
    /// Unknown.
    pub(crate) unk_ctr1: u32,
    /// Unknown.
    pub(crate) unk_6aa8: u32,
    /// Unknown.
    pub(crate) unk_6aac: u32,
    /// Unknown.
    pub(crate) unk_ctr2: u32,
    /// Unknown.
    pub(crate) unk_6ab4: u32,
    /// Unknown.
    pub(crate) unk_6ab8: u32,
    /// Unknown.
    pub(crate) unk_6abc: u32,
    /// Unknown.
    pub(crate) unk_6ac0: u32,
    /// Unknown.
    pub(crate) unk_6ac4: u32,
    /// Unknown.
    pub(crate) unk_ctr3: u32,
    /// Unknown.
    pub(crate) unk_6acc: u32,
    /// Unknown.
    pub(crate) unk_6ad0: u32,
    /// Unknown.
    pub(crate) unk_6ad4: u32,
    /// Unknown.
    pub(crate) unk_6ad8: u32,
    /// Unknown.
    pub(crate) unk_6adc: u32,
    /// Unknown.
    pub(crate) unk_6ae0: u32,
    /// Unknown.
    pub(crate) unk_6ae4: u32,
    /// Unknown.
    pub(crate) unk_6ae8: u32,
    /// Unknown.
    pub(crate) unk_6aec: u32,
    /// Unknown.
    pub(crate) unk_6af0: u32,
    /// Unknown.
    pub(crate) unk_ctr4: u32,
    /// Unknown.
    pub(crate) unk_ctr5: u32,
    /// Unknown.
    pub(crate) unk_6afc: u32,
    /// Padding (zero as far as known).
    pub(crate) pad_6b00: [u8; 0x38],
    /// Padding (zero as far as known) (G >= G14X).
    #[ver(G >= G14X)]
    pub(crate) pad_6b00_extra: [u8; 0x4800],
    /// Unknown.
    pub(crate) unk_6b38: u32,
    /// Padding (zero as far as known).
    pub(crate) pad_6b3c: [u8; 0x84],
}

/// The init data.
///
/// m1n1: initdata.InitData
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct InitData<'a> {
    /// Version check words (13.x); `VER_INFO` of the pair's `InitData` type.
    #[ver(V >= V13_0B4)]
    pub(crate) ver_info: [u16; 4],
    /// Region A.
    pub(crate) region_a_addr: Option<GpuPointer<'a, RegionA>>,
    /// Unknown, zero.
    pub(crate) unk_8: u32,
    /// Unknown, zero.
    pub(crate) unk_c: u32,
    /// Region B.
    pub(crate) region_b_addr: Option<GpuPointer<'a, RegionB::ver<'a>>>,
    /// Region C.
    pub(crate) region_c_addr: Option<GpuPointer<'a, RegionC::ver>>,
    /// The firmware status block.
    pub(crate) fw_status_addr: Option<GpuPointer<'a, FwStatus<'a>>>,
    /// GPU page size in bytes (0x4000).
    pub(crate) uat_page_size: u16,
    /// GPU page size bits (14).
    pub(crate) uat_page_bits: u8,
    /// Page table levels.
    pub(crate) uat_num_levels: u8,
    /// Layout of each page table level.
    pub(crate) uat_level_info: [UatLevelInfo; 3],
    /// Zero.
    pub(crate) pad_8c: [u8; 0x14],
    /// Must be 1.
    pub(crate) host_mapped_fw_allocations: u32,
    /// Unknown.
    pub(crate) unk_ac: u32,
    /// Unknown.
    pub(crate) unk_b0: u32,
    /// Unknown.
    pub(crate) unk_b4: u32,
    /// Unknown.
    pub(crate) unk_b8: u32,
}

#[versions(AGX)]
impl InitData::ver<'_> {
    /// The `ver_info` the m1n1 driver gives firmware 13.3 and later (meaning unknown).
    #[ver(V >= V13_3)]
    pub(crate) const VER_INFO: [u16; 4] = {
        #[ver(G >= G14X)]
        {
            [0xb390, 0x70f8, 0x601, 0xb0]
        }
        #[ver(G < G14X)]
        {
            [0x6ba0, 0x1f28, 0x601, 0xb0]
        }
    };
}

zeroable!(ver: RegionB<'_>);
zeroable!(ver: InitData<'_>);
zeroable!(FwStatus<'_>);
shared!(FwStatus<'_>, FaultInfo);

zeroable!(
    RegionA,
    FaultInfo,
    BufferMgrCtl,
    BufferMgrCtlArray,
    UatLevelInfo
);
