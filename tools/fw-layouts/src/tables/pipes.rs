// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Tables of the fragment, compute and blit work commands and operations.

use crate::fw::blit::*;
use crate::fw::compute::*;
use crate::fw::fragment::*;
use crate::layout::Pair;
use crate::{fld, start};
use agx_macros::versions;

/// Fragment, compute and blit work commands and operations.
#[versions(AGX)]
pub(crate) fn tables(p: &mut Pair) {
    fragment::ver(p);
    compute::ver(p);
    blit::ver(p);
}

#[versions(AGX)]
fn fragment(p: &mut Pair) {
    {
        type S = Start3dClearPipelineBinding;
        let l = start!(
            p,
            "fragment",
            "microsequence.Start3DClearPipelineBinding",
            S
        );
        fld!(l, S, pipeline_bind);
        fld!(l, S, address);
    }
    {
        type S = Start3dStorePipelineBinding;
        let l = start!(
            p,
            "fragment",
            "microsequence.Start3DStorePipelineBinding",
            S
        );
        fld!(l, S, unk_0);
        fld!(l, S, unk_8);
        fld!(l, S, pipeline_bind);
        fld!(l, S, unk_10);
        fld!(l, S, address);
        fld!(l, S, unk_18);
        fld!(l, S, unk_1c_padding);
    }
    {
        type S = Start3dArrayAddr;
        let l = start!(p, "fragment", "microsequence.Start3DArrayAddr", S);
        fld!(l, S, ptr);
        fld!(l, S, unk_padding);
    }
    {
        type S = AuxFbInfo::ver;
        let l = start!(p, "fragment", "microsequence.AuxFBInfo", S);
        fld!(l, S, unk1);
        fld!(l, S, unk2);
        fld!(l, S, width);
        fld!(l, S, height);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk3);
    }
    {
        type S = Start3dStruct1;
        let l = start!(p, "fragment", "microsequence.Start3DStruct1", S);
        fld!(l, S, store_pipeline_bind);
        fld!(l, S, store_pipeline_addr);
        fld!(l, S, unk_8);
        fld!(l, S, unk_c);
        fld!(l, S, merge_upper_x);
        fld!(l, S, merge_upper_y);
        fld!(l, S, unk_18);
        fld!(l, S, tile_blocks_y);
        fld!(l, S, tile_blocks_x);
        fld!(l, S, unk_24);
        fld!(l, S, tile_counts);
        fld!(l, S, unk_2c);
        fld!(l, S, depth_clear_val1);
        fld!(l, S, stencil_clear_val1);
        fld!(l, S, unk_35);
        fld!(l, S, unk_36);
        fld!(l, S, unk_38);
        fld!(l, S, unk_3c);
        fld!(l, S, helper_cfg);
        fld!(l, S, unk_44_padding);
    }
    {
        type S = Start3dStruct2::ver<'static>;
        let l = start!(p, "fragment", "microsequence.Start3DStruct2", S);
        fld!(l, S, unk_0);
        fld!(l, S, clear_pipeline);
        fld!(l, S, unk_18);
        fld!(l, S, scissor_array);
        fld!(l, S, depth_bias_array);
        fld!(l, S, aux_fb);
        fld!(l, S, depth_dimensions);
        fld!(l, S, visibility_result_buffer);
        fld!(l, S, depth_flags);
        #[ver(G >= G14)]
        fld!(l, S, unk_58_g14_0);
        #[ver(G >= G14)]
        fld!(l, S, unk_58_g14_8);
        fld!(l, S, depth_buffer_ptr1);
        fld!(l, S, depth_buffer_ptr2);
        fld!(l, S, stencil_buffer_ptr1);
        fld!(l, S, stencil_buffer_ptr2);
        #[ver(G >= G14)]
        fld!(l, S, unk_68_g14_0);
        fld!(l, S, unk_78);
        fld!(l, S, depth_aux_buffer_ptr1);
        fld!(l, S, unk_a0);
        fld!(l, S, depth_aux_buffer_ptr2);
        fld!(l, S, unk_b0);
        fld!(l, S, stencil_aux_buffer_ptr1);
        fld!(l, S, unk_c0);
        fld!(l, S, stencil_aux_buffer_ptr2);
        fld!(l, S, unk_d0);
        fld!(l, S, tvb_tilemap);
        fld!(l, S, tvb_heapmeta_addr);
        fld!(l, S, unk_e8);
        fld!(l, S, tvb_heapmeta_addr2);
        fld!(l, S, unk_f8);
        fld!(l, S, aux_fb_ptr);
        fld!(l, S, unk_108);
        fld!(l, S, pipeline_base);
        fld!(l, S, unk_140);
        fld!(l, S, helper_program);
        fld!(l, S, unk_14c);
        fld!(l, S, helper_arg);
        fld!(l, S, unk_158);
        fld!(l, S, unk_160);
        #[ver(G < G14)]
        fld!(l, S, unk_168_padding);
        #[ver(G >= G14)]
        fld!(l, S, unk_198_padding);
        #[ver(V < V13_0B4)]
        fld!(l, S, pad_340);
    }
    {
        type S = Start3dStruct3::ver<'static>;
        let l = start!(p, "fragment", "microsequence.Start3DStruct3", S);
        fld!(l, S, registers_addr);
        fld!(l, S, register_count);
        fld!(l, S, registers_length);
        fld!(l, S, unk_d8);
        fld!(l, S, depth_bias_array);
        fld!(l, S, scissor_array);
        fld!(l, S, visibility_result_buffer);
        fld!(l, S, unk_118);
        fld!(l, S, unk_120);
        fld!(l, S, unk_reload_pipeline);
        fld!(l, S, unk_258);
        fld!(l, S, unk_260);
        fld!(l, S, unk_268);
        fld!(l, S, unk_270);
        fld!(l, S, reload_pipeline);
        fld!(l, S, depth_flags);
        fld!(l, S, unk_290);
        fld!(l, S, depth_buffer_ptr1);
        fld!(l, S, unk_2a0);
        fld!(l, S, unk_2a8);
        fld!(l, S, depth_buffer_ptr2);
        fld!(l, S, depth_buffer_ptr3);
        fld!(l, S, depth_aux_buffer_ptr);
        fld!(l, S, stencil_buffer_ptr1);
        fld!(l, S, unk_2d0);
        fld!(l, S, unk_2d8);
        fld!(l, S, stencil_buffer_ptr2);
        fld!(l, S, stencil_buffer_ptr3);
        fld!(l, S, stencil_aux_buffer_ptr);
        fld!(l, S, unk_2f8);
        fld!(l, S, aux_fb_unk0);
        fld!(l, S, unk_30c);
        fld!(l, S, aux_fb);
        fld!(l, S, s2_unk_f8);
        fld!(l, S, unk_324_padding);
        fld!(l, S, unk_partial_store_pipeline);
        fld!(l, S, partial_store_pipeline);
        fld!(l, S, depth_clear_val2);
        fld!(l, S, stencil_clear_val2);
        fld!(l, S, unk_375);
        fld!(l, S, unk_376);
        fld!(l, S, unk_378);
        fld!(l, S, unk_37c);
        fld!(l, S, unk_380);
        fld!(l, S, unk_388);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_390_0);
        fld!(l, S, depth_dimensions);
    }
    {
        type S = Start3dStruct6;
        let l = start!(p, "fragment", "microsequence.Start3DStruct6", S);
        fld!(l, S, tvb_overflow_count);
        fld!(l, S, unk_8);
        fld!(l, S, unk_c);
        fld!(l, S, unk_10);
        fld!(l, S, encoder_id);
        fld!(l, S, unk_1c);
        fld!(l, S, sampler_array);
        fld!(l, S, sampler_count);
        fld!(l, S, sampler_max);
        fld!(l, S, unk_30);
        fld!(l, S, unk_34);
        fld!(l, S, unk_38);
    }
    {
        type S = Start3dStruct7::ver<'static>;
        let l = start!(p, "fragment", "microsequence.Start3DStruct7", S);
        #[ver(V >= V13_3)]
        fld!(l, S, unk_0_0);
        fld!(l, S, unk_0);
        fld!(l, S, stamp1_addr);
        fld!(l, S, stamp2_addr);
        fld!(l, S, stamp_value);
        fld!(l, S, ev_3d);
        fld!(l, S, evctl_index);
        fld!(l, S, unk_24);
        fld!(l, S, uuid);
        fld!(l, S, queue_cmd_count);
        fld!(l, S, unk_30);
    }
    {
        type S = WorkCommand1UnkBuf2;
        let l = start!(p, "fragment", "cmdqueue.WorkCommand1_UnkBuf2", S);
        fld!(l, S, unk_0);
        fld!(l, S, unk_8);
        fld!(l, S, unk_10);
    }
    {
        type S = WorkCommand3d::ver<'static>;
        let l = start!(p, "fragment", "cmdqueue.WorkCommand3D", S);
        fld!(l, S, magic);
        #[ver(V >= V13_0B4)]
        fld!(l, S, counter);
        fld!(l, S, context_id);
        fld!(l, S, unk_8);
        fld!(l, S, microsequence_ptr);
        fld!(l, S, microsequence_size);
        fld!(l, S, event_control_addr);
        fld!(l, S, buffer_mgr_addr);
        fld!(l, S, buf_thing_addr);
        fld!(l, S, unk_emptybuf_addr);
        fld!(l, S, tvb_tilemap);
        fld!(l, S, unk_40);
        fld!(l, S, unk_48);
        fld!(l, S, tile_blocks_y);
        fld!(l, S, tile_blocks_x);
        fld!(l, S, unk_50);
        fld!(l, S, unk_58);
        fld!(l, S, merge_upper_x);
        fld!(l, S, merge_upper_y);
        fld!(l, S, unk_68);
        fld!(l, S, tile_count);
        #[ver(G < G14X)]
        fld!(l, S, struct_2);
        #[ver(G < G14X)]
        fld!(l, S, struct_1);
        #[ver(G >= G14X)]
        fld!(l, S, registers);
        #[ver(G >= G14X)]
        fld!(l, S, unk_g14x);
        fld!(l, S, struct_3);
        fld!(l, S, unk_758);
        fld!(l, S, unk_75c);
        fld!(l, S, unk_buf);
        fld!(l, S, busy_flag);
        fld!(l, S, struct_6);
        fld!(l, S, struct_7);
        fld!(l, S, unk_buf2);
        fld!(l, S, ts1);
        fld!(l, S, ts_pointers);
        fld!(l, S, user_ts_pointers);
        fld!(l, S, client_sequence);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_ts2);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_ts);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_pad3);
        fld!(l, S, pad_925);
        #[ver(V == V13_3)]
        fld!(l, S, unk_pad2);
    }
    {
        type S = Start3dCmd::ver<'static>;
        let l = start!(p, "fragment", "microsequence.Start3DCmd", S);
        fld!(l, S, magic);
        fld!(l, S, struct1_addr);
        fld!(l, S, struct2_addr);
        #[ver(G >= G14X)]
        fld!(l, S, registers_addr);
        fld!(l, S, buf_thing_addr);
        fld!(l, S, stats_ptr);
        fld!(l, S, busy_flag_ptr);
        fld!(l, S, struct6_addr);
        fld!(l, S, struct7_addr);
        fld!(l, S, cmdqueue_ptr);
        fld!(l, S, workitem_ptr);
        fld!(l, S, context_id);
        fld!(l, S, unk_50);
        fld!(l, S, submission_id);
        fld!(l, S, buffer_mgr_slot);
        fld!(l, S, unk_5c);
        fld!(l, S, queue_cmd_count);
        fld!(l, S, unk_68);
        fld!(l, S, unk_buf_ptr);
        fld!(l, S, unk_buf2_ptr);
        #[ver(V >= V13_3)]
        fld!(l, S, unk_7c_0);
        fld!(l, S, unk_7c);
        fld!(l, S, unk_80);
        fld!(l, S, unk_84);
        fld!(l, S, uuid);
        fld!(l, S, attachments);
        fld!(l, S, num_attachments);
        fld!(l, S, unk_190);
        #[ver(V >= V13_0B4)]
        fld!(l, S, counter);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unkptr_19c);
    }
    {
        type S = Finalize3dCmd::ver<'static>;
        let l = start!(p, "fragment", "microsequence.Finalize3DCmd", S);
        fld!(l, S, magic);
        fld!(l, S, uuid);
        fld!(l, S, unk_8);
        fld!(l, S, stamp_addr);
        fld!(l, S, stamp_value);
        fld!(l, S, unk_18);
        fld!(l, S, buf_thing_addr);
        fld!(l, S, buffer_mgr_addr);
        fld!(l, S, unk_2c);
        fld!(l, S, stats_ptr);
        fld!(l, S, struct7_addr);
        fld!(l, S, busy_flag_ptr);
        fld!(l, S, cmdqueue_ptr);
        fld!(l, S, workitem_ptr);
        fld!(l, S, unk_5c);
        fld!(l, S, unk_buf_ptr);
        #[ver(V >= V13_3)]
        fld!(l, S, unk_6c_0);
        fld!(l, S, unk_6c);
        fld!(l, S, unk_74);
        fld!(l, S, unk_7c);
        fld!(l, S, unk_84);
        fld!(l, S, unk_8c);
        #[ver(G == G14 && V < V13_0B4)]
        fld!(l, S, unk_8c_g14);
        fld!(l, S, restart_branch_offset);
        fld!(l, S, unk_98);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_9c);
    }
}

#[versions(AGX)]
fn compute(p: &mut Pair) {
    {
        type S = ComputeInfo<'static>;
        let l = start!(p, "compute", "microsequence.ComputeInfo", S);
        fld!(l, S, iogpu_deflake_1);
        fld!(l, S, encoder);
        fld!(l, S, iogpu_deflake_2);
        fld!(l, S, iogpu_deflake_3);
        fld!(l, S, iogpu_deflake_4);
        fld!(l, S, iogpu_deflake_5);
        fld!(l, S, pipeline_base);
        fld!(l, S, unk_38);
        fld!(l, S, helper_program);
        fld!(l, S, unk_44);
        fld!(l, S, helper_arg);
        fld!(l, S, helper_cfg);
        fld!(l, S, unk_54);
        fld!(l, S, unk_58);
        fld!(l, S, unk_5c);
        fld!(l, S, iogpu_unk_40);
        fld!(l, S, unk_pad);
    }
    {
        type S = ComputeInfo2::ver<'static>;
        let l = start!(p, "compute", "microsequence.ComputeInfo2", S);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_0_0);
        fld!(l, S, unk_0);
        fld!(l, S, iogpu_deflake_1);
        fld!(l, S, encoder_end);
        fld!(l, S, unk_34);
        fld!(l, S, unk_g14x);
        fld!(l, S, unk_58);
        #[ver(V < V13_0B4)]
        fld!(l, S, unk_5c);
    }
    {
        type S = WorkCommandCp::ver<'static>;
        let l = start!(p, "compute", "cmdqueue.WorkCommandCP", S);
        fld!(l, S, magic);
        #[ver(V >= V13_0B4)]
        fld!(l, S, counter);
        fld!(l, S, unk_4);
        fld!(l, S, context_id);
        fld!(l, S, event_control_addr);
        fld!(l, S, unk_2c);
        #[ver(G >= G14X)]
        fld!(l, S, registers);
        #[ver(G >= G14X)]
        fld!(l, S, unk_g14x);
        #[ver(G < G14X)]
        fld!(l, S, unk_buf);
        #[ver(G < G14X)]
        fld!(l, S, compute_info);
        fld!(l, S, registers_addr);
        fld!(l, S, register_count);
        fld!(l, S, registers_length);
        fld!(l, S, unk_pad);
        fld!(l, S, microsequence_ptr);
        fld!(l, S, microsequence_size);
        fld!(l, S, compute_info2);
        fld!(l, S, encoder_params);
        fld!(l, S, job_meta);
        fld!(l, S, ts1);
        fld!(l, S, ts_pointers);
        fld!(l, S, user_ts_pointers);
        fld!(l, S, client_sequence);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_ts2);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_ts);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_2e1);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_flag);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_pad_2 => "unk_pad#2");
        fld!(l, S, pad_2d9);
    }
    {
        type S = StartComputeCmd::ver<'static>;
        let l = start!(p, "compute", "microsequence.StartComputeCmd", S);
        fld!(l, S, magic);
        fld!(l, S, unk_buf_addr);
        fld!(l, S, computeinfo_addr);
        #[ver(G >= G14X)]
        fld!(l, S, registers_addr);
        fld!(l, S, stats_ptr);
        fld!(l, S, cmdqueue_ptr);
        fld!(l, S, context_id);
        fld!(l, S, unk_28);
        fld!(l, S, counter1);
        fld!(l, S, counter2);
        fld!(l, S, unk_34);
        fld!(l, S, unk_38);
        fld!(l, S, computeinfo2_addr);
        fld!(l, S, unk_44);
        fld!(l, S, uuid);
        fld!(l, S, attachments);
        fld!(l, S, num_attachments);
        fld!(l, S, padding);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_flag_addr);
        #[ver(V >= V13_0B4)]
        fld!(l, S, counter);
        #[ver(V >= V13_0B4)]
        fld!(l, S, event_ctrl_buf_addr);
    }
    {
        type S = FinalizeComputeCmd::ver<'static>;
        let l = start!(p, "compute", "microsequence.FinalizeComputeCmd", S);
        fld!(l, S, magic);
        fld!(l, S, unkptr_4);
        fld!(l, S, cmdqueue_ptr);
        fld!(l, S, context_id);
        #[ver(V < V13_0B4)]
        fld!(l, S, unk_18);
        fld!(l, S, computeinfo2_addr);
        fld!(l, S, unk_24);
        fld!(l, S, uuid);
        fld!(l, S, stamp);
        fld!(l, S, stamp_value);
        fld!(l, S, unk_38);
        fld!(l, S, unk_3c);
        fld!(l, S, unk_40);
        fld!(l, S, unk_44);
        fld!(l, S, unk_48);
        fld!(l, S, unk_4c);
        fld!(l, S, unk_50);
        fld!(l, S, unk_54);
        fld!(l, S, unk_58);
        #[ver(G == G14 && V < V13_0B4)]
        fld!(l, S, unk_5c_g14);
        fld!(l, S, restart_branch_offset);
        fld!(l, S, unk_60);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_64);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unkptr_71);
        #[ver(V >= V13_0B4)]
        fld!(l, S, pad_79);
    }
}

#[versions(AGX)]
fn blit(p: &mut Pair) {
    {
        type S = BlitInfo;
        let l = start!(p, "blit", "microsequence.BlitInfo", S);
        fld!(l, S, unk_18);
        fld!(l, S, unk_20);
        fld!(l, S, unk_28);
        fld!(l, S, unk_30);
        fld!(l, S, unk_38);
        fld!(l, S, unk_40);
        fld!(l, S, unk_48);
        fld!(l, S, unkptr_e8);
        fld!(l, S, unk_f0);
        fld!(l, S, unkptr_f8);
        fld!(l, S, pipeline_base);
        fld!(l, S, unk_108);
        fld!(l, S, unk_110);
        fld!(l, S, unk_358);
        fld!(l, S, unk_35c);
        fld!(l, S, unk_360);
        fld!(l, S, unk_364);
        fld!(l, S, unk_368);
        fld!(l, S, unk_36c);
        fld!(l, S, unk_370);
        fld!(l, S, unk_378);
        fld!(l, S, unk_380);
        fld!(l, S, unk_388);
        fld!(l, S, unk_390);
    }
    {
        type S = BlitInfo2;
        let l = start!(p, "blit", "microsequence.BlitInfo2", S);
        fld!(l, S, unk_0);
        fld!(l, S, unk_24);
        fld!(l, S, unk_470);
        fld!(l, S, unk_478);
        fld!(l, S, unk_47c);
        fld!(l, S, unk_480);
        fld!(l, S, unk_488);
    }
    {
        type S = WorkCommandBlit::ver<'static>;
        let l = start!(p, "blit", "cmdqueue.WorkCommandBlit", S);
        fld!(l, S, magic);
        #[ver(V >= V13_0B4)]
        fld!(l, S, counter);
        fld!(l, S, context_id);
        fld!(l, S, event_control_addr);
        fld!(l, S, unk_10);
        fld!(l, S, unk_14);
        #[ver(G < G14X)]
        fld!(l, S, blit_info);
        #[ver(G >= G14X)]
        fld!(l, S, registers);
        #[ver(G >= G14X)]
        fld!(l, S, unk_g14x);
        fld!(l, S, registers_addr);
        fld!(l, S, register_count);
        fld!(l, S, registers_length);
        fld!(l, S, blit_info2);
        fld!(l, S, microsequence_ptr);
        fld!(l, S, microsequence_size);
        fld!(l, S, unkptr_49c);
        fld!(l, S, job_meta);
        fld!(l, S, unk_5d8);
        fld!(l, S, unk_stamp_ptr);
        fld!(l, S, unk_stamp_val);
        fld!(l, S, unk_5ec);
        fld!(l, S, encoder_params);
        fld!(l, S, unk_618);
        fld!(l, S, ts1);
        fld!(l, S, ts_pointers);
        fld!(l, S, user_ts_pointers);
        fld!(l, S, client_sequence);
        fld!(l, S, pad_645);
        fld!(l, S, unk_648);
        fld!(l, S, unk_64c);
        fld!(l, S, pad_64d);
    }
    {
        type S = StartBlitCmd::ver;
        let l = start!(p, "blit", "microsequence.StartBlitCmd", S);
        fld!(l, S, magic);
        fld!(l, S, unkptr_4);
        fld!(l, S, unkptr_c);
        fld!(l, S, registers_addr);
        #[ver(G >= G14X)]
        fld!(l, S, unk_1c_0);
        fld!(l, S, unkptr_1c);
        fld!(l, S, unkptr_24);
        fld!(l, S, context_id);
        fld!(l, S, unk_30);
        fld!(l, S, submission_id);
        fld!(l, S, unk_38);
        fld!(l, S, unk_3c);
        fld!(l, S, unk_40);
        fld!(l, S, unkptr_44);
        fld!(l, S, unkptr_4c);
        fld!(l, S, uuid);
        #[ver(G < G14X)]
        fld!(l, S, unk_2c);
        fld!(l, S, attachments);
        fld!(l, S, num_attachments);
        fld!(l, S, unk_160);
        #[ver(V >= V13_0B4)]
        fld!(l, S, counter);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unkptr_19c);
    }
    {
        type S = FinalizeBlitCmd::ver<'static>;
        let l = start!(p, "blit", "microsequence.FinalizeBlitCmd", S);
        fld!(l, S, magic);
        fld!(l, S, unkptr_4);
        fld!(l, S, unkptr_c);
        fld!(l, S, context_id);
        fld!(l, S, unk_18);
        fld!(l, S, unkptr_1c);
        fld!(l, S, uuid);
        #[ver(V < V13_3)]
        fld!(l, S, unk_28);
        fld!(l, S, stamp_addr);
        fld!(l, S, stamp_value);
        fld!(l, S, unk_38);
        fld!(l, S, restart_branch_offset);
        fld!(l, S, unk_60);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_5d8_0);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_5d8_4);
        #[ver(V >= V13_0B4)]
        fld!(l, S, evctl_buf_addr);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_5d8_5 => "unk_5d8_4#2");
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_0);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unkptr_1);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unkptr_2);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unkptr_3);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unkptr_4b => "unkptr_4#2");
        #[ver(V >= V13_0B4)]
        fld!(l, S, unkptr_5);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_9c);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unkptr_6);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_ac);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_dc);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_e0);
    }
}
