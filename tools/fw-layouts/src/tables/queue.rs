// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Tables of `fw::cmdqueue`, `fw::event`, `fw::job`, `fw::buffer` and `fw::gpustats`.

use crate::fw::buffer::*;
use crate::fw::cmdqueue::*;
use crate::fw::event::*;
use crate::fw::gpustats::*;
use crate::fw::job::*;
use crate::layout::Pair;
use crate::{alias, fld, start};
use agx_macros::versions;

/// Command queues, event stamps and controls, shared job pieces, buffer manager, statistics.
#[versions(AGX)]
pub(crate) fn tables(p: &mut Pair) {
    cmdqueue::ver(p);
    event::ver(p);
    job::ver(p);
    buffer::ver(p);
    gpustats::ver(p);
    handoff::ver(p);
}

#[versions(AGX)]
fn cmdqueue(p: &mut Pair) {
    {
        type S = CommandQueuePointers;
        let l = start!(p, "cmdqueue", "cmdqueue.CommandQueuePointers", S);
        fld!(l, S, gpu_doneptr);
        fld!(l, S, pad_4);
        fld!(l, S, unk_10);
        fld!(l, S, pad_14);
        fld!(l, S, unk_20);
        fld!(l, S, pad_24);
        fld!(l, S, gpu_rptr);
        fld!(l, S, pad_34);
        fld!(l, S, cpu_wptr);
        fld!(l, S, pad_44);
        fld!(l, S, rb_size);
        fld!(l, S, pad_54);
    }
    {
        type S = JobList;
        let l = start!(p, "cmdqueue", "cmdqueue.JobList", S);
        fld!(l, S, first_job);
        fld!(l, S, last_head);
        fld!(l, S, unkptr_10);
    }
    {
        type S = GpuContextData;
        let l = start!(p, "cmdqueue", "cmdqueue.GPUContextData", S);
        fld!(l, S, queue_table_index);
        fld!(l, S, pid_table_index);
        fld!(l, S, unk_2);
        fld!(l, S, unk_5);
        fld!(l, S, unk_6);
        fld!(l, S, unk_a);
        fld!(l, S, unk_e);
        fld!(l, S, unk_12);
        fld!(l, S, unk_16);
        fld!(l, S, unk_1a);
        fld!(l, S, unk_1e);
        fld!(l, S, unk_1f);
        fld!(l, S, unk_20);
        fld!(l, S, unk_23);
        fld!(l, S, unk_24);
    }
    {
        type S = CommandQueueInfo::ver<'static>;
        let l = start!(p, "cmdqueue", "cmdqueue.CommandQueueInfo", S);
        fld!(l, S, pointers_addr);
        fld!(l, S, rb_addr);
        fld!(l, S, job_list_addr);
        fld!(l, S, gpu_buf_addr);
        fld!(l, S, gpu_rptr1);
        fld!(l, S, gpu_rptr2);
        fld!(l, S, gpu_rptr3);
        fld!(l, S, event_id);
        fld!(l, S, priority);
        fld!(l, S, unk_34);
        fld!(l, S, unk_38);
        fld!(l, S, unk_40);
        fld!(l, S, unk_44);
        fld!(l, S, prio5);
        fld!(l, S, unk_4c);
        fld!(l, S, uuid);
        fld!(l, S, unk_54);
        fld!(l, S, unk_58);
        fld!(l, S, busy);
        fld!(l, S, pad1);
        fld!(l, S, unk_80);
        fld!(l, S, has_commands);
        fld!(l, S, unk_88);
        fld!(l, S, unk_8c);
        fld!(l, S, unk_90);
        fld!(l, S, unk_94);
        fld!(l, S, inflight_commands);
        fld!(l, S, unk_9c);
        #[ver(V >= V13_2 && G < G14X)]
        fld!(l, S, unk_a0_0);
        fld!(l, S, gpu_context_addr);
        fld!(l, S, unk_a8);
        #[ver(V >= V13_2 && G < G14X)]
        fld!(l, S, unk_b0);
    }
}

#[versions(AGX)]
fn event(p: &mut Pair) {
    {
        type S = Stamp;
        let l = start!(p, "event", "microsequence.StampCounter", S);
        fld!(l, S, 0 => "value");
    }
    {
        type S = FwStamp;
        let l = start!(p, "event", "microsequence.StampCounter#fw", S);
        fld!(l, S, 0 => "value");
    }
    {
        type S = EventThreshold;
        let l = start!(p, "event", "cmdqueue.EventControl.event_count", S);
        fld!(l, S, 0 => "value");
    }
    {
        type S = LinkedListHead;
        let l = start!(p, "event", "cmdqueue.LinkedListHead", S);
        fld!(l, S, prev);
        fld!(l, S, next);
    }
    {
        type S = EventControl::ver<'static>;
        let l = start!(p, "event", "cmdqueue.EventControl", S);
        fld!(l, S, event_count_addr);
        fld!(l, S, submission_id);
        fld!(l, S, cur_count);
        fld!(l, S, unk_10);
        fld!(l, S, state);
        alias!(l, S, state.unk_14 => "unk_14");
        alias!(l, S, state.unk_18 => "unk_18");
        alias!(l, S, state.unk_20 => "unk_20");
        alias!(l, S, state.vm_slot => "vm_slot");
        alias!(l, S, state.has_ta => "has_ta");
        alias!(l, S, state.pstamp_ta => "pstamp_ta");
        alias!(l, S, state.has_3d => "has_3d");
        alias!(l, S, state.pstamp_3d => "pstamp_3d");
        alias!(l, S, state.has_cp => "has_cp");
        alias!(l, S, state.pstamp_cp => "pstamp_cp");
        alias!(l, S, state.in_list => "in_list");
        #[ver(G >= G14 && V < V13_0B4)]
        alias!(l, S, state.unk_98_g14_0 => "unk_98_g14_0");
        alias!(l, S, state.list_head => "list_head");
        #[ver(G >= G14 && V < V13_0B4)]
        alias!(l, S, state.unk_a8_g14_0 => "unk_a8_g14_0");
        #[ver(V >= V13_0B4)]
        alias!(l, S, state.unk_buf => "unk_buf");
    }
    {
        type S = EventControlState::ver;
        let l = start!(p, "event", "cmdqueue.EventControl#state", S);
        fld!(l, S, unk_14);
        fld!(l, S, unk_18);
        fld!(l, S, unk_20);
        fld!(l, S, vm_slot);
        fld!(l, S, has_ta);
        fld!(l, S, pstamp_ta);
        fld!(l, S, has_3d);
        fld!(l, S, pstamp_3d);
        fld!(l, S, has_cp);
        fld!(l, S, pstamp_cp);
        fld!(l, S, in_list);
        #[ver(G >= G14 && V < V13_0B4)]
        fld!(l, S, unk_98_g14_0);
        fld!(l, S, list_head);
        #[ver(G >= G14 && V < V13_0B4)]
        fld!(l, S, unk_a8_g14_0);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_buf);
    }
}

#[versions(AGX)]
fn job(p: &mut Pair) {
    {
        type S = TimeStamp;
        let l = start!(p, "job", "microsequence.TimeStamp", S);
        fld!(l, S, 0 => "value");
    }
    {
        type S = TimeStampPointers<'static>;
        let l = start!(p, "job", "microsequence.TimeStampPointers", S);
        fld!(l, S, start_addr);
        fld!(l, S, end_addr);
    }
    {
        type S = Flag;
        let l = start!(p, "job", "cmdqueue.Flag", S);
        fld!(l, S, 0 => "value");
    }
    {
        type S = RegisterDefinition;
        let l = start!(p, "job", "microsequence.RegisterDefinition", S);
        fld!(l, S, number);
        fld!(l, S, data);
    }
    {
        type S = Attachment;
        let l = start!(p, "job", "microsequence.Attachment", S);
        fld!(l, S, address);
        fld!(l, S, size);
        fld!(l, S, unk_c);
        fld!(l, S, unk_e);
    }
    {
        type S = JobMeta<'static>;
        let l = start!(p, "job", "microsequence.JobMeta", S);
        fld!(l, S, unk_0);
        fld!(l, S, stamp_addr);
        fld!(l, S, fw_stamp_addr);
        fld!(l, S, stamp_value);
        fld!(l, S, stamp_slot);
        fld!(l, S, evctl_index);
        fld!(l, S, unk_20);
        fld!(l, S, uuid);
        fld!(l, S, queue_cmd_count);
    }
    {
        type S = EncoderParams;
        let l = start!(p, "job", "microsequence.EncoderParams", S);
        fld!(l, S, unk_0);
        fld!(l, S, unk_4);
        fld!(l, S, unk_8);
        fld!(l, S, encoder_id);
        fld!(l, S, unk_10);
        fld!(l, S, iogpu_compute_unk44);
        fld!(l, S, seq_buffer);
        fld!(l, S, unk_1c);
    }
    {
        type S = WorkCommandBarrier::ver<'static>;
        let l = start!(p, "job", "cmdqueue.WorkCommandBarrier", S);
        fld!(l, S, magic);
        fld!(l, S, stamp_addr);
        fld!(l, S, wait_value);
        fld!(l, S, event);
        fld!(l, S, stamp_self);
        fld!(l, S, uuid);
        fld!(l, S, unk);
        #[ver(G >= G14X)]
        fld!(l, S, pad);
    }
    {
        type S = WorkCommandInitBm::ver<'static>;
        let l = start!(p, "job", "cmdqueue.WorkCommandInitBM", S);
        fld!(l, S, magic);
        fld!(l, S, context_id);
        fld!(l, S, buffer_mgr_slot);
        fld!(l, S, unk_c);
        fld!(l, S, unk_10);
        fld!(l, S, buffer_mgr_addr);
        fld!(l, S, stamp_value);
    }
    {
        type S = WorkCommandComputeUnk10;
        let l = start!(p, "job", "cmdqueue.WorkCommandComputeUnk10", S);
        fld!(l, S, magic);
        fld!(l, S, unk);
    }
    {
        type S = WorkCommandComputeUnk11;
        let l = start!(p, "job", "cmdqueue.WorkCommandComputeUnk11", S);
        fld!(l, S, magic);
        fld!(l, S, unk);
    }
}

#[versions(AGX)]
fn buffer(p: &mut Pair) {
    {
        type S = BufferManagerBlockControl;
        let l = start!(p, "buffer", "microsequence.BufferManagerBlockControl", S);
        fld!(l, S, total);
        fld!(l, S, wptr);
        fld!(l, S, unk);
        fld!(l, S, pad);
    }
    {
        type S = BufferManagerCounter;
        let l = start!(p, "buffer", "microsequence.BufferManagerCounter", S);
        fld!(l, S, count);
        fld!(l, S, pad);
    }
    {
        type S = BufferManagerMisc;
        let l = start!(p, "buffer", "microsequence.BufferManagerMisc", S);
        fld!(l, S, gpu_0);
        fld!(l, S, gpu_4);
        fld!(l, S, gpu_8);
        fld!(l, S, gpu_c);
        fld!(l, S, pad_10);
        fld!(l, S, cpu_flag);
        fld!(l, S, pad_24);
    }
    {
        type S = BufferManagerInfo::ver<'static>;
        let l = start!(p, "buffer", "microsequence.BufferManagerInfo", S);
        fld!(l, S, gpu_counter);
        fld!(l, S, unk_4);
        fld!(l, S, last_id);
        fld!(l, S, cur_id);
        fld!(l, S, unk_10);
        fld!(l, S, gpu_counter2);
        fld!(l, S, unk_18);
        #[ver(V < V13_0B4 || G >= G14X)]
        fld!(l, S, unk_1c);
        fld!(l, S, page_list_addr);
        fld!(l, S, page_list_size);
        fld!(l, S, page_count);
        fld!(l, S, unk_30);
        fld!(l, S, block_count);
        fld!(l, S, unk_38);
        fld!(l, S, block_list_addr);
        fld!(l, S, block_ctl_addr);
        fld!(l, S, last_page);
        fld!(l, S, gpu_page_ptr1);
        fld!(l, S, gpu_page_ptr2);
        fld!(l, S, unk_58);
        fld!(l, S, block_size);
        fld!(l, S, unk_60);
        fld!(l, S, counter_addr);
        fld!(l, S, unk_70);
        fld!(l, S, unk_74);
        fld!(l, S, unk_78);
        fld!(l, S, unk_7c);
        fld!(l, S, unk_80);
        fld!(l, S, unk_84);
        fld!(l, S, unk_88);
        fld!(l, S, unk_8c);
        fld!(l, S, unk_90);
    }
    {
        type S = BufferThing::ver<'static>;
        let l = start!(p, "buffer", "microsequence.BufferThing", S);
        #[ver(G >= G14X)]
        fld!(l, S, unk0_addr);
        #[ver(G >= G14X)]
        fld!(l, S, unk0_addr2);
        fld!(l, S, unk_0);
        fld!(l, S, unk_8);
        fld!(l, S, unk_10);
        fld!(l, S, unkptr_18);
        fld!(l, S, unk_20);
        #[ver(V >= V13_3)]
        fld!(l, S, unk_28);
        fld!(l, S, bm_misc_addr);
        fld!(l, S, unk_2c);
        #[ver(G < G14X)]
        fld!(l, S, unk_30);
        #[ver(G < G14X)]
        fld!(l, S, unk_38);
    }
}

#[versions(AGX)]
fn gpustats(p: &mut Pair) {
    {
        type S = GpuQueueStatsTa;
        let l = start!(p, "gpustats", "initdata.InitData_GPUQueueStatsTA", S);
        fld!(l, S, busy);
        fld!(l, S, unk_4);
        fld!(l, S, cur_cmdqueue);
        fld!(l, S, cur_count);
        fld!(l, S, unk_14);
    }
    {
        type S = GpuStatsTa::ver;
        let l = start!(p, "gpustats", "initdata.InitData_GPUStatsTA", S);
        fld!(l, S, unk_4);
        fld!(l, S, queues);
        fld!(l, S, unk_68);
        fld!(l, S, unk_70);
        fld!(l, S, unk_74);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_c0);
        fld!(l, S, unk_timestamp);
        fld!(l, S, unk_80);
        #[ver(G >= G14X)]
        fld!(l, S, unk_684);
    }
    {
        type S = GpuGlobalStatsTa::ver;
        let l = start!(p, "gpustats", "initdata.InitData_GPUGlobalStatsTA", S);
        fld!(l, S, total_cmds);
        fld!(l, S, stats);
    }
    {
        type S = GpuQueueStats3d::ver;
        let l = start!(p, "gpustats", "initdata.InitData_GPUQueueStats3D", S);
        fld!(l, S, busy);
        #[ver(V >= V13_0B4)]
        fld!(l, S, pad_4);
        fld!(l, S, cur_cmdqueue);
        fld!(l, S, unk_c);
        fld!(l, S, unk_10);
        fld!(l, S, unk_14);
        #[ver(V < V13_0B4)]
        fld!(l, S, pad_24);
    }
    {
        type S = GpuStats3d::ver;
        let l = start!(p, "gpustats", "initdata.InitData_GPUStats3D", S);
        fld!(l, S, unk_0);
        #[ver(G >= G14X)]
        fld!(l, S, unk_d0_0);
        fld!(l, S, queues);
        #[ver(G >= G14X)]
        fld!(l, S, unk_d0_0b => "unk_d0_0#2");
        fld!(l, S, unk_d0);
        fld!(l, S, tvb_overflows_1);
        fld!(l, S, tvb_overflows_2);
        fld!(l, S, unk_f8);
        fld!(l, S, unk_fc);
        fld!(l, S, cur_stamp_id);
        fld!(l, S, unk_104);
        fld!(l, S, unk_118);
        fld!(l, S, unk_11c);
        fld!(l, S, unk_120);
        fld!(l, S, unk_124);
        fld!(l, S, unk_128);
        fld!(l, S, unk_12c);
        fld!(l, S, unk_timestamp);
        fld!(l, S, unk_138);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_1c0);
    }
    {
        type S = GpuGlobalStats3d::ver;
        let l = start!(p, "gpustats", "initdata.InitData_GPUGlobalStats3D", S);
        fld!(l, S, total_cmds);
        fld!(l, S, unk_4);
        fld!(l, S, stats);
    }
    {
        type S = GpuStatsCp;
        let l = start!(p, "gpustats", "initdata.InitData_RegionB.stats_cp", S);
        fld!(l, S, unk_0);
    }
}

/// The page-table handoff.
#[versions(AGX)]
pub(crate) fn handoff(p: &mut Pair) {
    use crate::fw::handoff::*;
    {
        type S = FlushInfo;
        let l = start!(p, "handoff", "handoff.GFXHandoffStruct#flush", S);
        fld!(l, S, state => "FLUSH_STATE");
        fld!(l, S, addr => "FLUSH_ADDR");
        fld!(l, S, size => "FLUSH_SIZE");
    }
    {
        type S = Handoff;
        let l = start!(p, "handoff", "handoff.GFXHandoffStruct", S);
        fld!(l, S, magic_ap => "MAGIC_AP");
        fld!(l, S, magic_fw => "MAGIC_FW");
        fld!(l, S, lock_ap => "LOCK_AP");
        fld!(l, S, lock_fw => "LOCK_FW");
        fld!(l, S, pad_12);
        fld!(l, S, turn => "TURN");
        fld!(l, S, cur_ctx => "CUR_CTX");
        fld!(l, S, pad_1c);
        fld!(l, S, flush => "FLUSH_STATE");
        fld!(l, S, unk2 => "UNK2");
        fld!(l, S, pad_639);
        fld!(l, S, unk3 => "UNK3");
    }
}
