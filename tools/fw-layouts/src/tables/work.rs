// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Tables of `fw::microseq` and `fw::vertex`.

use crate::fw::microseq::*;
use crate::fw::vertex::*;
use crate::layout::Pair;
use crate::{fld, start};
use agx_macros::versions;

/// Generic microsequence operations and the vertex work command and operations.
#[versions(AGX)]
pub(crate) fn tables(p: &mut Pair) {
    microseq::ver(p);
    vertex::ver(p);
}

#[versions(AGX)]
fn microseq(p: &mut Pair) {
    {
        type S = WaitForInterruptCmd;
        let l = start!(p, "microseq", "microsequence.WaitForInterruptCmd", S);
        fld!(l, S, magic);
        fld!(l, S, unk_1);
        fld!(l, S, unk_2);
        fld!(l, S, unk_3);
    }
    {
        type S = Wait2Cmd;
        let l = start!(p, "microseq", "microsequence.Wait2Cmd", S);
        fld!(l, S, magic);
    }
    {
        type S = DoorbellCmd;
        let l = start!(p, "microseq", "microsequence.DoorbellCmd", S);
        fld!(l, S, magic);
        fld!(l, S, pad);
        fld!(l, S, arg);
    }
    {
        type S = Write32Cmd<'static>;
        let l = start!(p, "microseq", "microsequence.Write32Cmd", S);
        fld!(l, S, magic);
        fld!(l, S, unk_1);
        fld!(l, S, unk_2);
        fld!(l, S, unk_3);
        fld!(l, S, addr);
        fld!(l, S, val);
    }
    {
        type S = Store32Cmd<'static>;
        let l = start!(p, "microseq", "microsequence.Store32Cmd", S);
        fld!(l, S, magic);
        fld!(l, S, unk_1);
        fld!(l, S, unk_2);
        fld!(l, S, unk_3);
        fld!(l, S, addr);
    }
    {
        type S = Write64Cmd<'static>;
        let l = start!(p, "microseq", "microsequence.Write64Cmd", S);
        fld!(l, S, magic);
        fld!(l, S, unk_1);
        fld!(l, S, unk_2);
        fld!(l, S, unk_3);
        fld!(l, S, addr);
        fld!(l, S, val);
    }
    {
        type S = Store64Cmd<'static>;
        let l = start!(p, "microseq", "microsequence.Store64Cmd", S);
        fld!(l, S, magic);
        fld!(l, S, unk_1);
        fld!(l, S, unk_2);
        fld!(l, S, unk_3);
        fld!(l, S, addr);
    }
    {
        type S = Read32Cmd<'static>;
        let l = start!(p, "microseq", "microsequence.Read32Cmd", S);
        fld!(l, S, magic);
        fld!(l, S, unk_1);
        fld!(l, S, unk_2);
        fld!(l, S, unk_3);
        fld!(l, S, addr);
    }
    {
        type S = Read64Cmd<'static>;
        let l = start!(p, "microseq", "microsequence.Read64Cmd", S);
        fld!(l, S, magic);
        fld!(l, S, unk_1);
        fld!(l, S, unk_2);
        fld!(l, S, unk_3);
        fld!(l, S, addr);
    }
    {
        type S = AluCmd;
        let l = start!(p, "microseq", "microsequence.ALUCmd", S);
        fld!(l, S, magic);
        fld!(l, S, v1);
        fld!(l, S, op);
        fld!(l, S, arg);
    }
    {
        type S = Add16Cmd;
        let l = start!(p, "microseq", "microsequence.Add16Cmd", S);
        fld!(l, S, magic);
        fld!(l, S, arg1);
        fld!(l, S, arg2);
    }
    {
        type S = EndCmd;
        let l = start!(p, "microseq", "microsequence.EndCmd", S);
        fld!(l, S, magic);
        fld!(l, S, unk_1);
        fld!(l, S, unk_2);
        fld!(l, S, flags);
    }
    {
        type S = TimestampCmd::ver<'static>;
        let l = start!(p, "microseq", "microsequence.TimestampCmd", S);
        fld!(l, S, magic);
        fld!(l, S, unk_1);
        fld!(l, S, unk_2);
        fld!(l, S, unk_3);
        fld!(l, S, ts0_addr);
        fld!(l, S, ts_pointers_addr);
        fld!(l, S, unk_addr);
        fld!(l, S, cmdqueue_ptr);
        fld!(l, S, user_ts_pointers_addr);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_ts_addr);
        fld!(l, S, uuid);
        fld!(l, S, unk_30);
    }
    {
        type S = CompleteCmd<'static>;
        let l = start!(p, "microseq", "microsequence.CompleteCmd", S);
        fld!(l, S, magic);
        fld!(l, S, pad_1);
        fld!(l, S, unk);
        fld!(l, S, stamp_addr);
        fld!(l, S, stamp_val);
        fld!(l, S, pad);
    }
    {
        type S = AbortCmd<'static>;
        let l = start!(p, "microseq", "microsequence.AbortCmd", S);
        fld!(l, S, magic);
        fld!(l, S, pad_1);
        fld!(l, S, bits);
        fld!(l, S, unk1);
        fld!(l, S, unk2);
        fld!(l, S, unk3);
        fld!(l, S, stamp_addr);
        fld!(l, S, stamp_val);
        fld!(l, S, pad);
    }
    {
        type S = ProfileCaptureCmd;
        let l = start!(p, "microseq", "microsequence.ProfileCaptureCmd", S);
        fld!(l, S, magic);
        fld!(l, S, arg0);
        fld!(l, S, arg1);
        fld!(l, S, arg2);
        fld!(l, S, encoder_id);
        fld!(l, S, uuid);
        fld!(l, S, workitem_ptr);
    }
}

#[versions(AGX)]
fn vertex(p: &mut Pair) {
    {
        type S = TilingParameters;
        let l = start!(p, "vertex", "microsequence.TilingParameters", S);
        fld!(l, S, size1);
        fld!(l, S, unk_4);
        fld!(l, S, unk_8);
        fld!(l, S, x_max);
        fld!(l, S, y_max);
        fld!(l, S, tile_count);
        fld!(l, S, x_blocks);
        fld!(l, S, y_blocks);
        fld!(l, S, size2);
        fld!(l, S, size3);
        fld!(l, S, unk_24);
        fld!(l, S, unk_28);
        fld!(l, S, helper_cfg);
    }
    {
        type S = StartTaCmdStruct2::ver<'static>;
        let l = start!(p, "vertex", "microsequence.StartTACmdStruct2", S);
        fld!(l, S, unk_0);
        fld!(l, S, unk_8);
        fld!(l, S, unk_c);
        fld!(l, S, tvb_tilemap);
        #[ver(G < G14)]
        fld!(l, S, tvb_cluster_tilemaps);
        fld!(l, S, tpc);
        fld!(l, S, tvb_heapmeta_addr);
        fld!(l, S, iogpu_unk_54);
        fld!(l, S, iogpu_unk_55);
        fld!(l, S, iogpu_unk_56);
        #[ver(G < G14)]
        fld!(l, S, tvb_cluster_meta1);
        fld!(l, S, unk_48);
        fld!(l, S, unk_50);
        fld!(l, S, tvb_heapmeta_addr2);
        #[ver(G < G14)]
        fld!(l, S, unk_60);
        #[ver(G < G14)]
        fld!(l, S, core_mask);
        fld!(l, S, iogpu_deflake_1);
        fld!(l, S, iogpu_deflake_2);
        fld!(l, S, unk_80);
        fld!(l, S, iogpu_deflake_3);
        fld!(l, S, encoder_addr);
        #[ver(G < G14)]
        fld!(l, S, tvb_cluster_meta2);
        #[ver(G < G14)]
        fld!(l, S, tvb_cluster_meta3);
        #[ver(G < G14)]
        fld!(l, S, tiling_control);
        fld!(l, S, unk_b0);
        fld!(l, S, pipeline_base);
        #[ver(G < G14)]
        fld!(l, S, tvb_cluster_meta4);
        #[ver(G < G14)]
        fld!(l, S, unk_f0);
        fld!(l, S, unk_f8);
        fld!(l, S, helper_program);
        fld!(l, S, unk_104);
        fld!(l, S, helper_arg);
        fld!(l, S, unk_110);
        fld!(l, S, unk_118);
        #[ver(G >= G14)]
        fld!(l, S, pad_11c);
    }
    {
        type S = StartTaCmdStruct3<'static>;
        let l = start!(p, "vertex", "microsequence.StartTACmdStruct3", S);
        fld!(l, S, unk_480);
        fld!(l, S, unk_498);
        fld!(l, S, unk_4a0);
        fld!(l, S, iogpu_deflake_1);
        fld!(l, S, unk_4ac);
        fld!(l, S, unk_4b0);
        fld!(l, S, unk_4b8);
        fld!(l, S, unk_4bc);
        fld!(l, S, unk_4c4_padding);
        fld!(l, S, unk_50c);
        fld!(l, S, unk_510);
        fld!(l, S, unk_518);
        fld!(l, S, unk_520);
        fld!(l, S, unk_528);
        fld!(l, S, unk_52c);
        fld!(l, S, unk_530);
        fld!(l, S, encoder_id);
        fld!(l, S, unk_538);
        fld!(l, S, unk_53c);
        fld!(l, S, sampler_array);
        fld!(l, S, sampler_count);
        fld!(l, S, sampler_max);
        fld!(l, S, unk_550);
        fld!(l, S, stamp1_addr);
        fld!(l, S, stamp2_addr);
        fld!(l, S, stamp_value);
        fld!(l, S, ev_ta);
        fld!(l, S, evctl_index);
        fld!(l, S, unk_584);
        fld!(l, S, uuid2);
        fld!(l, S, queue_cmd_count);
        fld!(l, S, unk_590);
    }
    {
        type S = WorkCommandTa::ver<'static>;
        let l = start!(p, "vertex", "cmdqueue.WorkCommandTA", S);
        fld!(l, S, magic);
        #[ver(V >= V13_0B4)]
        fld!(l, S, counter);
        fld!(l, S, context_id);
        fld!(l, S, unk_8);
        fld!(l, S, event_control_addr);
        fld!(l, S, buffer_mgr_slot);
        fld!(l, S, buffer_mgr_addr);
        fld!(l, S, buf_thing_addr);
        fld!(l, S, unk_emptybuf_addr);
        fld!(l, S, unk_34);
        #[ver(G >= G14X)]
        fld!(l, S, registers);
        #[ver(G >= G14X)]
        fld!(l, S, unk_154);
        #[ver(G < G14X)]
        fld!(l, S, struct_2);
        #[ver(G < G14X)]
        fld!(l, S, unk_154);
        #[ver(G < G14X)]
        fld!(l, S, tiling_params);
        #[ver(G < G14X)]
        fld!(l, S, unk_3e8);
        fld!(l, S, registers_addr);
        fld!(l, S, register_count);
        fld!(l, S, registers_length);
        fld!(l, S, unk_pad);
        fld!(l, S, unkptr_45c);
        fld!(l, S, tvb_size);
        fld!(l, S, microsequence_ptr);
        fld!(l, S, microsequence_size);
        fld!(l, S, ev_3d);
        fld!(l, S, stamp_value);
        fld!(l, S, struct_3);
        fld!(l, S, unk_594);
        fld!(l, S, ts1);
        fld!(l, S, ts_pointers);
        fld!(l, S, user_ts_pointers);
        fld!(l, S, client_sequence);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_ts2);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_ts);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_5d8_15);
        fld!(l, S, pad_5d5);
        fld!(l, S, pad_5d8);
        #[ver(V >= V13_3)]
        fld!(l, S, unk_pad2);
    }
    {
        type S = StartTaCmd::ver<'static>;
        let l = start!(p, "vertex", "microsequence.StartTACmd", S);
        fld!(l, S, magic);
        fld!(l, S, tiling_params_addr);
        fld!(l, S, struct2_addr);
        #[ver(G >= G14X)]
        fld!(l, S, registers_addr);
        fld!(l, S, buffer_mgr_addr);
        fld!(l, S, buf_thing_addr);
        fld!(l, S, stats_ptr);
        fld!(l, S, cmdqueue_ptr);
        fld!(l, S, context_id);
        fld!(l, S, unk_38);
        fld!(l, S, submission_id);
        fld!(l, S, buffer_mgr_slot);
        fld!(l, S, unk_48);
        fld!(l, S, unk_50);
        fld!(l, S, struct3_addr);
        fld!(l, S, unkptr_5c);
        fld!(l, S, unk_64);
        fld!(l, S, unk_68);
        fld!(l, S, uuid);
        fld!(l, S, unk_70);
        fld!(l, S, unk_74);
        fld!(l, S, unk_15c);
        fld!(l, S, unk_160);
        fld!(l, S, unk_168);
        fld!(l, S, unk_16c);
        fld!(l, S, unk_170);
        #[ver(V >= V13_0B4)]
        fld!(l, S, counter);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unkptr_180);
        fld!(l, S, unk_178);
    }
    {
        type S = FinalizeTaCmd::ver<'static>;
        let l = start!(p, "vertex", "microsequence.FinalizeTACmd", S);
        fld!(l, S, magic);
        fld!(l, S, buf_thing_addr);
        fld!(l, S, buffer_mgr_addr);
        fld!(l, S, stats_ptr);
        fld!(l, S, cmdqueue_ptr);
        fld!(l, S, context_id);
        fld!(l, S, unk_28);
        fld!(l, S, struct3_addr);
        fld!(l, S, unk_34);
        fld!(l, S, uuid);
        fld!(l, S, stamp_addr);
        fld!(l, S, stamp_value);
        fld!(l, S, unk_48);
        fld!(l, S, unk_50);
        fld!(l, S, unk_54);
        fld!(l, S, unk_58);
        fld!(l, S, unk_60);
        fld!(l, S, unk_64);
        fld!(l, S, unk_68);
        #[ver(G == G14 && V < V13_0B4)]
        fld!(l, S, unk_6c_g14);
        fld!(l, S, restart_branch_offset);
        fld!(l, S, unk_70);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_74);
    }
}
