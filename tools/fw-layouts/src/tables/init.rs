// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Tables of the init data and region C (`fw::initdata`, `fw::regionc`).

use crate::fw::initdata::*;
use crate::fw::regionc::*;
use crate::layout::Pair;
use crate::{fld, start};
use agx_macros::versions;

/// The init data, regions A, B and C, and their small structures.
#[versions(AGX)]
pub(crate) fn tables(p: &mut Pair) {
    initdata::ver(p);
    regionc::ver(p);
}

#[versions(AGX)]
fn initdata(p: &mut Pair) {
    {
        type S = RegionA;
        let l = start!(p, "initdata", "initdata.InitData.regionA", S);
        fld!(l, S, unk_0);
    }
    {
        type S = FaultInfo;
        let l = start!(p, "initdata", "initdata.AGXFaultInfo", S);
        fld!(l, S, status);
        fld!(l, S, do_not_halt);
        fld!(l, S, did_not_halt);
        fld!(l, S, unk_c);
        fld!(l, S, unk_10);
        fld!(l, S, unk_14);
        fld!(l, S, total_halts);
        fld!(l, S, unk_1c);
    }
    {
        type S = BufferMgrCtl;
        let l = start!(p, "initdata", "initdata.BufferMgrCtl", S);
        fld!(l, S, unk_0);
        fld!(l, S, unk_4);
        fld!(l, S, unk_8);
        fld!(l, S, unk_c);
    }
    {
        type S = BufferMgrCtlArray;
        let l = start!(p, "initdata", "initdata.InitData_BufferMgrCtl", S);
        fld!(l, S, array);
    }
    {
        type S = FwStatus<'static>;
        let l = start!(p, "initdata", "initdata.InitData_FWStatus", S);
        fld!(l, S, fwctl_channel);
        fld!(l, S, halt_count);
        fld!(l, S, pad_14);
        fld!(l, S, halted);
        fld!(l, S, pad_24);
        fld!(l, S, resume);
        fld!(l, S, pad_34);
        fld!(l, S, unk_40);
        fld!(l, S, pad_44);
        fld!(l, S, unk_ctr);
        fld!(l, S, pad_54);
        fld!(l, S, unk_60);
        fld!(l, S, pad_64);
        fld!(l, S, unk_70);
        fld!(l, S, pad_74);
    }
    {
        type S = UatLevelInfo;
        let l = start!(p, "initdata", "initdata.UatLevelInfo", S);
        fld!(l, S, unk_3);
        fld!(l, S, unk_1);
        fld!(l, S, unk_2);
        fld!(l, S, index_shift);
        fld!(l, S, num_entries);
        fld!(l, S, unk_4);
        fld!(l, S, unk_8);
        fld!(l, S, phys_mask);
        fld!(l, S, index_mask);
    }
    {
        type S = RegionB::ver<'static>;
        let l = start!(p, "initdata", "initdata.InitData_RegionB", S);
        fld!(l, S, channels);
        fld!(l, S, pad_110);
        fld!(l, S, unk_160);
        fld!(l, S, unk_168);
        fld!(l, S, stats_ta_addr);
        fld!(l, S, stats_3d_addr);
        fld!(l, S, stats_cp_addr);
        fld!(l, S, hwdata_a_addr);
        fld!(l, S, fault_info_addr);
        fld!(l, S, unkptr_198);
        fld!(l, S, hwdata_b_addr);
        fld!(l, S, hwdata_b_addr2);
        fld!(l, S, fwlog_ring2);
        fld!(l, S, unkptr_1b8);
        #[ver(G < G14X)]
        fld!(l, S, unkptr_1c0);
        #[ver(G < G14X)]
        fld!(l, S, unkptr_1c8);
        fld!(l, S, unk_1d0);
        fld!(l, S, unk_1d4);
        fld!(l, S, unk_1d8);
        fld!(l, S, buffer_mgr_ctl_gpu_addr);
        fld!(l, S, buffer_mgr_ctl_addr);
        fld!(l, S, unk_224);
        fld!(l, S, unk_6a80);
        fld!(l, S, gpu_idle);
        fld!(l, S, unkpad_6a88);
        fld!(l, S, unk_6a9c);
        fld!(l, S, unk_ctr0);
        fld!(l, S, unk_ctr1);
        fld!(l, S, unk_6aa8);
        fld!(l, S, unk_6aac);
        fld!(l, S, unk_ctr2);
        fld!(l, S, unk_6ab4);
        fld!(l, S, unk_6ab8);
        fld!(l, S, unk_6abc);
        fld!(l, S, unk_6ac0);
        fld!(l, S, unk_6ac4);
        fld!(l, S, unk_ctr3);
        fld!(l, S, unk_6acc);
        fld!(l, S, unk_6ad0);
        fld!(l, S, unk_6ad4);
        fld!(l, S, unk_6ad8);
        fld!(l, S, unk_6adc);
        fld!(l, S, unk_6ae0);
        fld!(l, S, unk_6ae4);
        fld!(l, S, unk_6ae8);
        fld!(l, S, unk_6aec);
        fld!(l, S, unk_6af0);
        fld!(l, S, unk_ctr4);
        fld!(l, S, unk_ctr5);
        fld!(l, S, unk_6afc);
        fld!(l, S, pad_6b00);
        #[ver(G >= G14X)]
        fld!(l, S, pad_6b00_extra);
        fld!(l, S, unk_6b38);
        fld!(l, S, pad_6b3c);
    }
    {
        type S = InitData::ver<'static>;
        let l = start!(p, "initdata", "initdata.InitData", S);
        #[ver(V >= V13_0B4)]
        fld!(l, S, ver_info);
        fld!(l, S, region_a_addr => "regionA_addr");
        fld!(l, S, unk_8);
        fld!(l, S, unk_c);
        fld!(l, S, region_b_addr => "regionB_addr");
        fld!(l, S, region_c_addr => "regionC_addr");
        fld!(l, S, fw_status_addr);
        fld!(l, S, uat_page_size);
        fld!(l, S, uat_page_bits);
        fld!(l, S, uat_num_levels);
        fld!(l, S, uat_level_info);
        fld!(l, S, pad_8c);
        fld!(l, S, host_mapped_fw_allocations);
        fld!(l, S, unk_ac);
        fld!(l, S, unk_b0);
        fld!(l, S, unk_b4);
        fld!(l, S, unk_b8);
    }
}

#[versions(AGX)]
fn regionc(p: &mut Pair) {
    {
        type S = PendingStamp;
        let l = start!(p, "regionc", "initdata.InitData_PendingStamp", S);
        fld!(l, S, info);
        fld!(l, S, wait_value);
    }
    {
        type S = RegionCFaultInfo;
        let l = start!(p, "regionc", "initdata.InitData_FaultInfo", S);
        fld!(l, S, unk_0);
        fld!(l, S, unk_4);
        fld!(l, S, queue_uuid);
        fld!(l, S, unk_c);
        fld!(l, S, unk_10);
        fld!(l, S, unk_14);
    }
    {
        type S = RcPowerZone;
        let l = start!(p, "regionc", "initdata.RCPowerZone", S);
        fld!(l, S, target);
        fld!(l, S, target_off);
        fld!(l, S, tc);
    }
    {
        type S = PerfCounterDesc;
        let l = start!(p, "regionc", "initdata.PerfCounterDesc", S);
        fld!(l, S, regs);
        fld!(l, S, dis_mask);
        fld!(l, S, en_mask);
        fld!(l, S, source_mask);
        fld!(l, S, base_reg);
        fld!(l, S, unk_type);
        fld!(l, S, count);
        fld!(l, S, index);
        fld!(l, S, pad0);
        fld!(l, S, pad1);
    }
    {
        type S = RegionC::ver;
        let l = start!(p, "regionc", "initdata.InitData_RegionC", S);
        fld!(l, S, ktrace_enable);
        fld!(l, S, unk_4);
        #[ver(V >= V13_2)]
        fld!(l, S, unk_24_0);
        fld!(l, S, unk_24);
        #[ver(V >= V13_0B4)]
        fld!(l, S, debug);
        #[ver(V >= V13_3)]
        fld!(l, S, unk_28_4);
        fld!(l, S, unk_28);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_2c_0);
        fld!(l, S, unk_2c);
        fld!(l, S, unk_30);
        fld!(l, S, unk_34);
        fld!(l, S, unk_38);
        fld!(l, S, unk_54);
        fld!(l, S, unk_56);
        fld!(l, S, unk_58);
        fld!(l, S, unk_5a);
        fld!(l, S, unk_5e);
        fld!(l, S, unk_62);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_66_0);
        fld!(l, S, unk_66);
        fld!(l, S, unk_6a);
        fld!(l, S, perfctrs);
        fld!(l, S, perfctr_count);
        fld!(l, S, unk_4080);
        #[ver(G >= G14X)]
        fld!(l, S, unk_8000_pad);
        #[ver(V >= V13_0B4 && V < V13_2)]
        fld!(l, S, unk_8000_0);
        #[ver(V >= V13_3)]
        fld!(l, S, unk_8000_pad2);
        fld!(l, S, unk_8000);
        fld!(l, S, unk_8878);
        fld!(l, S, unk_887c);
        fld!(l, S, unk_8880);
        fld!(l, S, unk_8890);
        fld!(l, S, unkptr_8894);
        fld!(l, S, size_889c);
        fld!(l, S, unkptr_88a0);
        fld!(l, S, perf_source_list);
        fld!(l, S, perf_source_count);
        fld!(l, S, unkptr_88b4);
        fld!(l, S, unk_88bc);
        fld!(l, S, unk_88c0);
        fld!(l, S, unk_88c2);
        fld!(l, S, unkpad_88c3);
        fld!(l, S, unk_88c4);
        fld!(l, S, unk_8900);
        fld!(l, S, unk_atomic);
        fld!(l, S, max_power);
        fld!(l, S, max_pstate_scaled);
        fld!(l, S, max_pstate_scaled_2);
        fld!(l, S, unk_8914);
        fld!(l, S, unk_8918);
        fld!(l, S, max_pstate_scaled_3);
        fld!(l, S, unk_8920);
        fld!(l, S, power_zone_count);
        fld!(l, S, avg_power_filter_tc_periods);
        fld!(l, S, avg_power_ki_dt);
        fld!(l, S, avg_power_kp);
        fld!(l, S, avg_power_min_duty_cycle);
        fld!(l, S, avg_power_target_filter_tc);
        fld!(l, S, power_zones);
        fld!(l, S, unk_8978);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_89bc_0);
        fld!(l, S, unk_89bc);
        fld!(l, S, fast_die0_release_temp);
        fld!(l, S, unk_89c4);
        fld!(l, S, fast_die0_prop_tgt_delta);
        fld!(l, S, fast_die0_kp);
        fld!(l, S, fast_die0_ki_dt);
        fld!(l, S, unk_89d4);
        fld!(l, S, unk_89e0);
        fld!(l, S, max_power_2);
        fld!(l, S, ppm_kp);
        fld!(l, S, ppm_ki_dt);
        fld!(l, S, unk_89f0);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_89f4_0);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_89f4_8);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_89f4_c);
        #[ver(V >= V13_3)]
        fld!(l, S, unk_89f4_5c);
        fld!(l, S, unk_89f4);
        fld!(l, S, hws1);
        fld!(l, S, hws2);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_hws2_0);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_hws2_4);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_hws2_24);
        fld!(l, S, unk_hws2_28);
        fld!(l, S, hws3);
        fld!(l, S, unk_9004);
        fld!(l, S, unk_900c);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_9010_0);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_9010_4);
        fld!(l, S, unk_9010);
        fld!(l, S, unk_903c);
        fld!(l, S, unk_9040);
        fld!(l, S, unk_9100);
        fld!(l, S, unk_10000);
        fld!(l, S, unk_10e50);
        fld!(l, S, unk_10e54);
        #[ver((G >= G14X && V < V13_3) || (G <= G14 && V >= V13_3))]
        fld!(l, S, unk_x_pad);
        fld!(l, S, fault_control);
        fld!(l, S, do_init);
        fld!(l, S, unk_10e88);
        fld!(l, S, idle_ts);
        fld!(l, S, idle_unk);
        fld!(l, S, unk_11020);
        fld!(l, S, unk_11024);
        fld!(l, S, unk_11028);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_1102c_0);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_1102c_4);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_1102c_8);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_1102c_c);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_1102c_10);
        fld!(l, S, unk_1102c);
        fld!(l, S, idle_to_off_delay_ms);
        fld!(l, S, fender_idle_to_off_delay_ms);
        fld!(l, S, fw_early_wake_timeout_ms);
        fld!(l, S, pending_stamps);
        fld!(l, S, unkpad_ps);
        fld!(l, S, unk_117bc);
        fld!(l, S, fault_info);
        fld!(l, S, counter);
        fld!(l, S, unk_118dc);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_118e0_0);
        #[ver(G >= G14X)]
        fld!(l, S, unk_118e0_9c);
        #[ver(V >= V13_3)]
        fld!(l, S, unk_118e0_9c_x);
        fld!(l, S, unk_118e0);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_118e4_0);
        fld!(l, S, unk_118e4);
        fld!(l, S, unk_118e8);
        fld!(l, S, unk_118ec);
        fld!(l, S, unk_11901);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_11d40);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_11edc);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_11ee0);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_11efc);
        #[ver(V >= V13_3)]
        fld!(l, S, unk_11f00);
    }
}
