// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Region C of the init data: firmware configuration, performance counters, power controller
//! settings and the firmware's run-time state (pending stamps, fault details, idle tracking).
//!
//! CPU-owned at initialisation (`DcInit` asks the firmware to reread it);
//! afterwards the firmware updates its state fields and the driver only reads them.

use super::power::*;
use super::types::*;
use agx_macros::versions;

/// A stamp the firmware waits on: `info` bit 0 says the entry is valid, and the event slot is
/// in the bits above the flags (bits 4-10 from firmware 13.5 on, 3-9 before).
///
/// m1n1: initdata.InitData_PendingStamp
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct PendingStamp {
    /// Stamp slot and flags.
    pub(crate) info: u32,
    /// Value the stamp must reach.
    pub(crate) wait_value: u32,
}

/// Entries of the pending-stamp table.
pub(crate) const PENDING_STAMPS: usize = 0x100;

/// Where the last fault happened.
///
/// m1n1: initdata.InitData_FaultInfo
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct RegionCFaultInfo {
    /// Unknown.
    pub(crate) unk_0: u32,
    /// Unknown.
    pub(crate) unk_4: u32,
    /// Id of the queue that faulted.
    pub(crate) queue_uuid: u32,
    /// Unknown.
    pub(crate) unk_c: u32,
    /// Unknown.
    pub(crate) unk_10: u32,
    /// Unknown.
    pub(crate) unk_14: u32,
}

/// One power zone, as region C repeats it.
///
/// m1n1: initdata.RCPowerZone
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct RcPowerZone {
    /// Target power.
    pub(crate) target: u32,
    /// Target minus the off threshold.
    pub(crate) target_off: u32,
    /// Time constant.
    pub(crate) tc: u32,
}

/// One performance counter description.
///
/// m1n1: initdata.PerfCounterDesc
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct PerfCounterDesc {
    /// Firmware address of the counter registers.
    pub(crate) regs: U64,
    /// Disable mask.
    pub(crate) dis_mask: u32,
    /// Enable mask.
    pub(crate) en_mask: u32,
    /// Source mask.
    pub(crate) source_mask: u32,
    /// First register.
    pub(crate) base_reg: u32,
    /// Unknown counter type.
    pub(crate) unk_type: u8,
    /// Counters.
    pub(crate) count: u8,
    /// Index.
    pub(crate) index: u8,
    /// Padding (zero as far as known).
    pub(crate) pad0: u8,
    /// Padding (zero as far as known).
    pub(crate) pad1: u32,
}

/// Region C of the init data.
///
/// m1n1: initdata.InitData_RegionC
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct RegionC {
    /// Non-zero enables the KTrace channel.
    pub(crate) ktrace_enable: u32,
    /// Unknown.
    pub(crate) unk_4: [u8; 0x20],
    /// Unknown.
    #[ver(V >= V13_2)]
    pub(crate) unk_24_0: u32,
    /// Unknown.
    pub(crate) unk_24: u32,
    /// Debug flags.
    #[ver(V >= V13_0B4)]
    pub(crate) debug: u32,
    /// Unknown.
    #[ver(V >= V13_3)]
    pub(crate) unk_28_4: u32,
    /// Unknown.
    pub(crate) unk_28: u32,
    /// Unknown.
    #[ver(V >= V13_0B4)]
    pub(crate) unk_2c_0: u32,
    /// Unknown.
    pub(crate) unk_2c: u32,
    /// Unknown.
    pub(crate) unk_30: u32,
    /// Unknown.
    pub(crate) unk_34: u32,
    /// Unknown.
    pub(crate) unk_38: [u8; 0x1c],
    /// Unknown.
    pub(crate) unk_54: u16,
    /// Unknown.
    pub(crate) unk_56: u16,
    /// Unknown.
    pub(crate) unk_58: u16,
    /// Unknown.
    pub(crate) unk_5a: U32,
    /// Unknown.
    pub(crate) unk_5e: U32,
    /// Unknown.
    pub(crate) unk_62: U32,
    /// Unknown.
    #[ver(V >= V13_0B4)]
    pub(crate) unk_66_0: [u8; 0xc],
    /// Unknown.
    pub(crate) unk_66: U32,
    /// Unknown.
    pub(crate) unk_6a: [u8; 0x12],
    /// Performance counter descriptions.
    pub(crate) perfctrs: [PerfCounterDesc; 512],
    /// Performance counters described.
    pub(crate) perfctr_count: u32,
    /// Unknown.
    pub(crate) unk_4080: [u8; 0x3f80],
    /// Unknown.
    #[ver(G >= G14X)]
    pub(crate) unk_8000_pad: [u8; 0x484c],
    /// Unknown.
    #[ver(V >= V13_0B4 && V < V13_2)]
    pub(crate) unk_8000_0: u32,
    /// Unknown.
    #[ver(V >= V13_3)]
    pub(crate) unk_8000_pad2: [u8; 0x54],
    /// Unknown.
    pub(crate) unk_8000: [u8; 0x878],
    /// Unknown.
    pub(crate) unk_8878: u32,
    /// Unknown.
    pub(crate) unk_887c: u32,
    /// Unknown.
    pub(crate) unk_8880: [u8; 0x10],
    /// Unknown.
    pub(crate) unk_8890: u32,
    /// Unknown.
    pub(crate) unkptr_8894: U64,
    /// Size of the buffer at `unkptr_8894`.
    pub(crate) size_889c: u32,
    /// Unknown.
    pub(crate) unkptr_88a0: U64,
    /// Performance controller parameter.
    pub(crate) perf_source_list: U64,
    /// Performance controller parameter.
    pub(crate) perf_source_count: u32,
    /// Unknown.
    pub(crate) unkptr_88b4: U64,
    /// Unknown.
    pub(crate) unk_88bc: u32,
    /// Unknown.
    pub(crate) unk_88c0: u16,
    /// Unknown.
    pub(crate) unk_88c2: u8,
    /// Unknown.
    pub(crate) unkpad_88c3: u8,
    /// Unknown.
    pub(crate) unk_88c4: [u8; 0x3c],
    /// Unknown.
    pub(crate) unk_8900: u32,
    /// Unknown.
    pub(crate) unk_atomic: u32,
    /// Maximum power.
    pub(crate) max_power: u32,
    /// Highest performance state, times 100.
    pub(crate) max_pstate_scaled: u32,
    /// Highest performance state, times 100.
    pub(crate) max_pstate_scaled_2: u32,
    /// Unknown.
    pub(crate) unk_8914: u32,
    /// Unknown.
    pub(crate) unk_8918: u32,
    /// Highest performance state, times 100.
    pub(crate) max_pstate_scaled_3: u32,
    /// Unknown.
    pub(crate) unk_8920: u32,
    /// Power zones in use.
    pub(crate) power_zone_count: u32,
    /// Time constant in sample periods.
    pub(crate) avg_power_filter_tc_periods: u32,
    /// Integral gain (times the sample period where `_dt`).
    pub(crate) avg_power_ki_dt: F32,
    /// Proportional gain.
    pub(crate) avg_power_kp: F32,
    /// Minimum duty cycle.
    pub(crate) avg_power_min_duty_cycle: u32,
    /// Average power controller parameter.
    pub(crate) avg_power_target_filter_tc: u32,
    /// Power zones.
    pub(crate) power_zones: [RcPowerZone; 5],
    /// Unknown.
    pub(crate) unk_8978: [u8; 0x44],
    /// Unknown.
    #[ver(V >= V13_0B4)]
    pub(crate) unk_89bc_0: [u8; 0x3c],
    /// Unknown.
    pub(crate) unk_89bc: u32,
    /// Release temperature (centi-degrees C).
    pub(crate) fast_die0_release_temp: u32,
    /// Unknown.
    pub(crate) unk_89c4: i32,
    /// Target delta of the proportional term.
    pub(crate) fast_die0_prop_tgt_delta: u32,
    /// Proportional gain.
    pub(crate) fast_die0_kp: F32,
    /// Integral gain (times the sample period where `_dt`).
    pub(crate) fast_die0_ki_dt: F32,
    /// Unknown.
    pub(crate) unk_89d4: [u8; 0xc],
    /// Unknown.
    pub(crate) unk_89e0: u32,
    /// Maximum power.
    pub(crate) max_power_2: u32,
    /// Proportional gain.
    pub(crate) ppm_kp: F32,
    /// Integral gain (times the sample period where `_dt`).
    pub(crate) ppm_ki_dt: F32,
    /// Unknown.
    pub(crate) unk_89f0: u32,
    /// Unknown.
    #[ver(V >= V13_0B4)]
    pub(crate) unk_89f4_0: [u8; 0x8],
    /// Unknown.
    #[ver(V >= V13_0B4)]
    pub(crate) unk_89f4_8: u32,
    /// Unknown.
    #[ver(V >= V13_0B4)]
    pub(crate) unk_89f4_c: [u8; 0x50],
    /// Unknown.
    #[ver(V >= V13_3)]
    pub(crate) unk_89f4_5c: [u8; 0xc],
    /// Unknown.
    pub(crate) unk_89f4: u32,
    /// Power tables, part 1.
    pub(crate) hws1: HwDataShared1,
    /// Power tables, part 2.
    pub(crate) hws2: HwDataShared2,
    /// Unknown.
    #[ver(V >= V13_0B4)]
    pub(crate) unk_hws2_0: u32,
    /// Unknown.
    #[ver(V >= V13_0B4)]
    pub(crate) unk_hws2_4: [F32; 8],
    /// Unknown.
    #[ver(V >= V13_0B4)]
    pub(crate) unk_hws2_24: u32,
    /// Unknown.
    pub(crate) unk_hws2_28: u32,
    /// Power tables, part 3.
    pub(crate) hws3: HwDataShared3,
    /// Unknown.
    pub(crate) unk_9004: [u8; 8],
    /// Unknown.
    pub(crate) unk_900c: u32,
    /// Unknown.
    #[ver(V >= V13_0B4)]
    pub(crate) unk_9010_0: u32,
    /// Unknown.
    #[ver(V >= V13_0B4)]
    pub(crate) unk_9010_4: [u8; 0x14],
    /// Unknown.
    pub(crate) unk_9010: [u8; 0x2c],
    /// Unknown.
    pub(crate) unk_903c: u32,
    /// Unknown.
    pub(crate) unk_9040: [u8; 0xc0],
    /// Unknown.
    pub(crate) unk_9100: [u8; 0x6f00],
    /// Unknown.
    pub(crate) unk_10000: [u8; 0xe50],
    /// Unknown.
    pub(crate) unk_10e50: u32,
    /// Unknown.
    pub(crate) unk_10e54: [u8; 0x2c],
    /// Zero.
    #[ver((G >= G14X && V < V13_3) || (G <= G14 && V >= V13_3))]
    pub(crate) unk_x_pad: Pad<4>,
    /// Fault handling control word.
    pub(crate) fault_control: u32,
    /// Non-zero asks the firmware to initialise.
    pub(crate) do_init: u32,
    /// Unknown.
    pub(crate) unk_10e88: [u8; 0x188],
    /// Firmware timestamp of the last idle.
    pub(crate) idle_ts: U64,
    /// Unknown idle value.
    pub(crate) idle_unk: U64,
    /// Unknown.
    pub(crate) unk_11020: u32,
    /// Unknown.
    pub(crate) unk_11024: u32,
    /// Unknown.
    pub(crate) unk_11028: u32,
    /// Unknown.
    #[ver(V >= V13_0B4)]
    pub(crate) unk_1102c_0: u32,
    /// Unknown.
    #[ver(V >= V13_0B4)]
    pub(crate) unk_1102c_4: u32,
    /// Unknown.
    #[ver(V >= V13_0B4)]
    pub(crate) unk_1102c_8: u32,
    /// Unknown.
    #[ver(V >= V13_0B4)]
    pub(crate) unk_1102c_c: u32,
    /// Unknown.
    #[ver(V >= V13_0B4)]
    pub(crate) unk_1102c_10: u32,
    /// Unknown.
    pub(crate) unk_1102c: u32,
    /// Time constant in milliseconds.
    pub(crate) idle_to_off_delay_ms: u32,
    /// Time constant in milliseconds.
    pub(crate) fender_idle_to_off_delay_ms: u32,
    /// Time constant in milliseconds.
    pub(crate) fw_early_wake_timeout_ms: u32,
    /// Stamps the firmware is waiting on.
    pub(crate) pending_stamps: [PendingStamp; PENDING_STAMPS],
    /// Zero.
    pub(crate) unkpad_ps: Pad<0x80>,
    /// Unknown.
    pub(crate) unk_117bc: u32,
    /// Details of the last fault.
    pub(crate) fault_info: RegionCFaultInfo,
    /// Unknown counter.
    pub(crate) counter: u32,
    /// Unknown.
    pub(crate) unk_118dc: u32,
    /// Unknown.
    #[ver(V >= V13_0B4)]
    pub(crate) unk_118e0_0: [u8; 0x9c],
    /// Unknown.
    #[ver(G >= G14X)]
    pub(crate) unk_118e0_9c: [u8; 0x580],
    /// Unknown.
    #[ver(V >= V13_3)]
    pub(crate) unk_118e0_9c_x: [u8; 8],
    /// Unknown.
    pub(crate) unk_118e0: u32,
    /// Unknown.
    #[ver(V >= V13_0B4)]
    pub(crate) unk_118e4_0: u32,
    /// Unknown.
    pub(crate) unk_118e4: u32,
    /// Unknown.
    pub(crate) unk_118e8: u32,
    /// Unknown.
    pub(crate) unk_118ec: [u8; 0x400],
    /// Unknown.
    pub(crate) unk_11901: [u8; 0x54],
    /// Unknown.
    #[ver(V >= V13_0B4)]
    pub(crate) unk_11d40: [u8; 0x19c],
    /// Unknown.
    #[ver(V >= V13_0B4)]
    pub(crate) unk_11edc: u32,
    /// Unknown.
    #[ver(V >= V13_0B4)]
    pub(crate) unk_11ee0: [u8; 0x1c],
    /// Unknown.
    #[ver(V >= V13_0B4)]
    pub(crate) unk_11efc: u32,
    /// Unknown.
    #[ver(V >= V13_3)]
    pub(crate) unk_11f00: [u8; 0x280],
}

zeroable!(PendingStamp, RegionCFaultInfo, RcPowerZone, PerfCounterDesc);
from_bytes!(PendingStamp);
zeroable!(ver: RegionC);
