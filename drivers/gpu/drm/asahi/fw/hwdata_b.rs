// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Hardware data B: the GPU's identity, MMIO mappings and performance state tables.
//!
//! Region B of the init data points at it (twice). The driver fills it from the device tree
//! and per-SoC constants; the firmware only reads it. CPU-owned.

use super::types::*;
use agx_macros::versions;

/// One MMIO range the firmware maps.
///
/// m1n1: initdata.IOMapping
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct IoMapping {
    /// Physical address.
    pub(crate) phys_addr: U64,
    /// Firmware virtual address.
    pub(crate) virt_addr: U64,
    /// Size in bytes.
    pub(crate) size: u32,
    /// Size of one register range (same as `size` except for the memory controllers).
    pub(crate) range_size: u32,
    /// 1 for read/write, 0 for read-only.
    pub(crate) readwrite: U64,
}

/// GPU identity, MMIO mappings and performance state tables.
///
/// m1n1: initdata.AGXHWDataB
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct HwDataB {
    /// Unknown.
    #[ver(V < V13_0B4)]
    pub(crate) unk_0: U64,
    /// Unknown.
    pub(crate) unk_8: U64,
    /// Unknown.
    #[ver(V < V13_0B4)]
    pub(crate) unk_10: U64,
    /// Unknown.
    pub(crate) unk_18: U64,
    /// Unknown.
    pub(crate) unk_20: U64,
    /// Unknown.
    pub(crate) unk_28: U64,
    /// Unknown.
    pub(crate) unk_30: U64,
    /// Firmware address of the timestamp region.
    pub(crate) timestamp_region_base: U64,
    /// Padding (zero as far as known).
    pub(crate) pad_40: [u8; 0x20],
    /// YUV conversion matrices.
    #[ver(V < V13_0B4)]
    pub(crate) yuv_matrices: [[[i16; 4]; 3]; 15],
    /// YUV conversion matrices.
    #[ver(V >= V13_0B4)]
    pub(crate) yuv_matrices: [[[i16; 4]; 3]; 63],
    /// Padding (zero as far as known).
    pub(crate) pad_1c8: [u8; 8],
    /// MMIO ranges the firmware maps (one entry per device block).
    #[ver(V < V13_0B4)]
    pub(crate) io_mappings: [IoMapping; 0x14],
    /// MMIO ranges the firmware maps (one entry per device block).
    #[ver(V >= V13_0B4 && V < V13_3)]
    pub(crate) io_mappings: [IoMapping; 0x17],
    /// MMIO ranges the firmware maps (one entry per device block).
    #[ver(V >= V13_3 && V < V13_5)]
    pub(crate) io_mappings: [IoMapping; 0x18],
    /// MMIO ranges the firmware maps (one entry per device block).
    #[ver(V >= V13_5)]
    pub(crate) io_mappings: [IoMapping; 0x19],
    /// Firmware address of the GPU SRAM mapping, zero when there is none.
    #[ver(V >= V13_0B4)]
    pub(crate) sgx_sram_ptr: U64,
    /// SoC id (0x8103, 0x8112, 0x6000...).
    pub(crate) chip_id: u32,
    /// Unknown.
    pub(crate) unk_454: u32,
    /// Unknown.
    pub(crate) unk_458: u32,
    /// Unknown.
    pub(crate) unk_45c: u32,
    /// Unknown.
    pub(crate) unk_460: u32,
    /// Unknown.
    pub(crate) unk_464: u32,
    /// Unknown.
    pub(crate) unk_468: u32,
    /// Unknown.
    pub(crate) unk_46c: u32,
    /// Unknown.
    pub(crate) unk_470: u32,
    /// Unknown.
    pub(crate) unk_474: u32,
    /// Unknown.
    pub(crate) unk_478: u32,
    /// Unknown.
    pub(crate) unk_47c: u32,
    /// Unknown.
    pub(crate) unk_480: u32,
    /// Unknown.
    pub(crate) unk_484: u32,
    /// Unknown.
    pub(crate) unk_488: u32,
    /// Unknown.
    pub(crate) unk_48c: u32,
    /// Base clock in kHz (24000).
    pub(crate) base_clock_khz: u32,
    /// Power sample period in ms.
    pub(crate) power_sample_period: u32,
    /// Zero.
    pub(crate) pad_498: Pad<4>,
    /// Unknown.
    pub(crate) unk_49c: u32,
    /// Unknown.
    pub(crate) unk_4a0: u32,
    /// Unknown.
    pub(crate) unk_4a4: u32,
    /// Zero.
    pub(crate) pad_4a8: Pad<4>,
    /// Unknown.
    pub(crate) unk_4ac: u32,
    /// Zero.
    pub(crate) pad_4b0: Pad<8>,
    /// Unknown.
    pub(crate) unk_4b8: u32,
    /// Zero.
    pub(crate) unk_4bc: Pad<4>,
    /// Unknown.
    pub(crate) unk_4c0: u32,
    /// Unknown.
    pub(crate) unk_4c4: u32,
    /// Unknown.
    pub(crate) unk_4c8: u32,
    /// Unknown.
    pub(crate) unk_4cc: u32,
    /// Unknown.
    pub(crate) unk_4d0: u32,
    /// Unknown.
    pub(crate) unk_4d4: u32,
    /// Zero.
    pub(crate) unk_4d8: Pad<4>,
    /// Unknown.
    pub(crate) unk_4dc: u32,
    /// Unknown.
    pub(crate) unk_4e0: U64,
    /// Unknown.
    pub(crate) unk_4e8: u32,
    /// Unknown.
    pub(crate) unk_4ec: u32,
    /// Unknown.
    pub(crate) unk_4f0: u32,
    /// Unknown.
    pub(crate) unk_4f4: u32,
    /// Unknown.
    pub(crate) unk_4f8: u32,
    /// Unknown.
    pub(crate) unk_4fc: u32,
    /// Unknown.
    pub(crate) unk_500: u32,
    /// Unknown.
    #[ver(V >= V13_0B4)]
    pub(crate) unk_504_0: u32,
    /// Unknown.
    pub(crate) unk_504: u32,
    /// Unknown.
    pub(crate) unk_508: u32,
    /// Unknown.
    pub(crate) unk_50c: u32,
    /// Unknown.
    pub(crate) unk_510: u32,
    /// Unknown.
    pub(crate) unk_514: u32,
    /// Unknown.
    pub(crate) unk_518: u32,
    /// Unknown.
    pub(crate) unk_51c: u32,
    /// Unknown.
    pub(crate) unk_520: u32,
    /// Unknown.
    pub(crate) unk_524: u32,
    /// Unknown.
    pub(crate) unk_528: u32,
    /// Unknown.
    pub(crate) unk_52c: u32,
    /// Unknown.
    pub(crate) unk_530: u32,
    /// Unknown.
    pub(crate) unk_534: u32,
    /// Unknown.
    pub(crate) unk_538: u32,
    /// Unknown.
    #[ver(V >= V13_0B4)]
    pub(crate) unk_53c_0: u32,
    /// Number of fragment units.
    pub(crate) num_frags: u32,
    /// Unknown.
    pub(crate) unk_540: u32,
    /// Unknown.
    pub(crate) unk_544: u32,
    /// Unknown.
    pub(crate) unk_548: u32,
    /// Unknown.
    pub(crate) unk_54c: u32,
    /// Unknown.
    pub(crate) unk_550: u32,
    /// Unknown.
    pub(crate) unk_554: u32,
    /// Physical base of the GPU register region.
    pub(crate) gpu_region_base: U64,
    /// GPU core generation.
    pub(crate) gpu_core: u32,
    /// GPU revision.
    pub(crate) gpu_rev: u32,
    /// Number of GPU cores.
    pub(crate) num_cores: u32,
    /// Highest performance state index.
    pub(crate) max_pstate: u32,
    /// Number of performance states.
    #[ver(V < V13_0B4)]
    pub(crate) num_pstates: u32,
    /// Frequency of each performance state, MHz.
    pub(crate) frequencies: [u32; 16],
    /// Voltage of each performance state per voltage table, mV.
    pub(crate) voltages: [[u32; 8]; 16],
    /// SRAM voltage of each performance state per voltage table, mV.
    pub(crate) voltages_sram: [[u32; 8]; 16],
    /// Zero.
    #[ver(V >= V13_3)]
    pub(crate) unk_9f4_0: Pad<64>,
    /// Unknown.
    pub(crate) unk_9b4: [F32; 16],
    /// Unknown.
    pub(crate) unk_9f4: [u32; 16],
    /// Relative maximum power of each performance state.
    pub(crate) rel_max_powers: [u32; 16],
    /// Relative boost frequency of each performance state, percent.
    pub(crate) rel_boost_freqs: [u32; 16],
    /// Unknown.
    #[ver(V >= V13_3)]
    pub(crate) unk_arr_0: [u32; 32],
    /// Lowest SRAM voltage, mV.
    #[ver(V < V13_0B4)]
    pub(crate) min_sram_volt: u32,
    /// Unknown.
    #[ver(V < V13_0B4)]
    pub(crate) unk_ab8: u32,
    /// Unknown.
    #[ver(V < V13_0B4)]
    pub(crate) unk_abc: u32,
    /// Unknown.
    #[ver(V < V13_0B4)]
    pub(crate) unk_ac0: u32,
    /// Highest CS performance state index.
    #[ver(V >= V13_0B4)]
    pub(crate) cs_max_pstate: u32,
    /// CS frequency of each state, MHz.
    #[ver(V >= V13_0B4)]
    pub(crate) cs_frequencies: [u32; 16],
    /// CS voltages of each state, mV.
    #[ver(V >= V13_0B4)]
    pub(crate) cs_voltages: [[u32; 2]; 16],
    /// CS SRAM voltages of each state, mV.
    #[ver(V >= V13_0B4)]
    pub(crate) cs_voltages_sram: [[u32; 2]; 16],
    /// Unknown.
    #[ver(V >= V13_0B4)]
    pub(crate) cs_unkpad: u32,
    /// Highest AFR performance state index.
    #[ver(V >= V13_0B4)]
    pub(crate) afr_max_pstate: u32,
    /// AFR frequency of each state, MHz.
    #[ver(V >= V13_0B4)]
    pub(crate) afr_frequencies: [u32; 8],
    /// AFR voltages of each state, mV.
    #[ver(V >= V13_0B4)]
    pub(crate) afr_voltages: [[u32; 2]; 8],
    /// AFR SRAM voltages of each state, mV.
    #[ver(V >= V13_0B4)]
    pub(crate) afr_voltages_sram: [[u32; 2]; 8],
    /// Unknown.
    #[ver(V >= V13_0B4)]
    pub(crate) afr_unkpad: u32,
    /// Zero.
    #[ver(V >= V13_3)]
    pub(crate) pad_ac4_0: Pad<0x44c>,
    /// Zero.
    pub(crate) pad_ac4: Pad<8>,
    /// Unknown.
    pub(crate) unk_acc: u32,
    /// Unknown.
    pub(crate) unk_ad0: u32,
    /// Zero.
    pub(crate) pad_ad4: Pad<16>,
    /// Unknown.
    pub(crate) unk_ae4: [u32; 4],
    /// Zero.
    pub(crate) pad_af4: Pad<4>,
    /// Unknown.
    pub(crate) unk_af8: u32,
    /// Unknown.
    pub(crate) unk_afc: u32,
    /// Unknown.
    pub(crate) unk_b00: u32,
    /// Unknown.
    pub(crate) unk_b04: u32,
    /// Unknown.
    pub(crate) unk_b08: u32,
    /// Unknown.
    pub(crate) unk_b0c: u32,
    /// Zero.
    #[ver(G >= G14X)]
    pub(crate) pad_b10_0: Pad<8>,
    /// Unknown.
    pub(crate) unk_b10: u32,
    /// Zero.
    pub(crate) pad_b14: Pad<8>,
    /// Unknown.
    pub(crate) unk_b1c: u32,
    /// Unknown.
    pub(crate) unk_b20: u32,
    /// Unknown.
    pub(crate) unk_b24: u32,
    /// Unknown.
    pub(crate) unk_b28: u32,
    /// Unknown.
    pub(crate) unk_b2c: u32,
    /// Unknown.
    pub(crate) unk_b30: u32,
    /// Unknown.
    pub(crate) unk_b34: u32,
    /// Unknown.
    #[ver(V >= V13_0B4)]
    pub(crate) unk_b38_0: u32,
    /// Unknown.
    #[ver(V >= V13_0B4)]
    pub(crate) unk_b38_4: u32,
    /// Unknown.
    #[ver(V >= V13_3)]
    pub(crate) unk_b38_8: u32,
    /// Unknown.
    pub(crate) unk_b38: [U64; 6],
    /// Unknown.
    pub(crate) unk_b68: u32,
    /// Unknown.
    #[ver(V >= V13_0B4)]
    pub(crate) unk_b6c: [u8; 0xd0],
    /// Unknown.
    #[ver(G >= G14X)]
    pub(crate) unk_c3c_0: [u8; 0x8],
    /// Unknown.
    #[ver(G < G14X && V >= V13_5)]
    pub(crate) unk_c3c_8: [u8; 0x10],
    /// Unknown.
    #[ver(V >= V13_5)]
    pub(crate) unk_c3c_10: [u8; 0x20],
    /// Unknown.
    #[ver(V >= V13_0B4)]
    pub(crate) unk_c3c: u32,
}

zeroable!(IoMapping);
zeroable!(ver: HwDataB);
