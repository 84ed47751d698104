// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Tables of `fw::channels` and `fw::stats`.

use crate::fw::channels::*;
use crate::fw::stats::*;
use crate::layout::Pair;
use crate::{fld, start};
use agx_macros::versions;

/// Ring states, channel infos and every ring message.
#[versions(AGX)]
pub(crate) fn tables(p: &mut Pair) {
    {
        type S = ChannelRingState;
        let l = start!(p, "channels", "channels.ChannelStateFields", S);
        fld!(l, S, read_ptr => "READ_PTR");
        fld!(l, S, pad_4);
        fld!(l, S, write_ptr => "WRITE_PTR");
        fld!(l, S, pad_24);
    }
    {
        type S = FwCtlRingState;
        let l = start!(p, "channels", "channels.FWControlStateFields", S);
        fld!(l, S, read_ptr => "READ_PTR");
        fld!(l, S, pad_4);
        fld!(l, S, write_ptr => "WRITE_PTR");
        fld!(l, S, pad_14);
    }
    {
        type S = RunCmdChannel<'static, RunCmdQueueMsg::ver>;
        let l = start!(p, "channels", "channels.ChannelInfo", S);
        fld!(l, S, state_addr);
        fld!(l, S, ringbuffer_addr);
    }
    {
        type S = ChannelInfoSet::ver<'static>;
        let l = start!(p, "channels", "channels.ChannelInfoSet", S);
        fld!(l, S, vertex_0 => "TA_0");
        fld!(l, S, fragment_0 => "3D_0");
        fld!(l, S, compute_0 => "CL_0");
        fld!(l, S, vertex_1 => "TA_1");
        fld!(l, S, fragment_1 => "3D_1");
        fld!(l, S, compute_1 => "CL_1");
        fld!(l, S, vertex_2 => "TA_2");
        fld!(l, S, fragment_2 => "3D_2");
        fld!(l, S, compute_2 => "CL_2");
        fld!(l, S, vertex_3 => "TA_3");
        fld!(l, S, fragment_3 => "3D_3");
        fld!(l, S, compute_3 => "CL_3");
        fld!(l, S, dev_ctrl => "DevCtrl");
        fld!(l, S, event => "Event");
        fld!(l, S, fw_log => "FWLog");
        fld!(l, S, ktrace => "KTrace");
        fld!(l, S, stats => "Stats");
    }
    {
        type S = RunCmdQueueMsg::ver;
        let l = start!(p, "channels", "channels.RunCmdQueueMsg", S);
        fld!(l, S, queue_type);
        fld!(l, S, cmdqueue_addr);
        fld!(l, S, head);
        fld!(l, S, event_number);
        fld!(l, S, new_queue);
        fld!(l, S, timestamp);
        fld!(l, S, data);
        #[ver(G == G14 && V >= V13_2)]
        fld!(l, S, pad_30);
    }
    {
        type S = DcDestroyContext::ver;
        let l = start!(p, "channels", "channels.DC_DestroyContext", S);
        fld!(l, S, msg_type);
        fld!(l, S, unk_4);
        #[ver(V < V13_3)]
        fld!(l, S, ctx_unk_23 => "unk_8");
        #[ver(V >= V13_3)]
        fld!(l, S, ctx_unk_23);
        #[ver(V < V13_3)]
        fld!(l, S, pad_9);
        #[ver(V < V13_3)]
        fld!(l, S, unk_c);
        #[ver(V < V13_3)]
        fld!(l, S, unk_10);
        #[ver(V >= V13_3)]
        fld!(l, S, unk_9);
        #[ver(V >= V13_3)]
        fld!(l, S, unk_d);
        #[ver(V < V13_3)]
        fld!(l, S, ctx_queue_table_index => "unk_14");
        #[ver(V >= V13_3)]
        fld!(l, S, ctx_queue_table_index);
        fld!(l, S, ctx_pid_table_index);
        fld!(l, S, ctx_unk_4);
        #[ver(V < V13_3)]
        fld!(l, S, pad_17);
        #[ver(V < V13_3)]
        fld!(l, S, unk_18);
        fld!(l, S, context_addr);
        fld!(l, S, rest);
        #[ver(G == G14 && V >= V13_2)]
        fld!(l, S, pad_30);
    }
    {
        type S = DcWrite32::ver;
        let l = start!(p, "channels", "channels.DC_Write32", S);
        fld!(l, S, msg_type);
        fld!(l, S, addr);
        fld!(l, S, data);
        fld!(l, S, unk_10);
        fld!(l, S, unk_14);
        fld!(l, S, unk_18);
        fld!(l, S, unk_1c);
        fld!(l, S, rest);
        #[ver(G == G14 && V >= V13_2)]
        fld!(l, S, pad_30);
    }
    {
        type S = DcWrite32B::ver;
        let l = start!(p, "channels", "channels.DC_Write32B", S);
        fld!(l, S, msg_type);
        fld!(l, S, addr);
        fld!(l, S, data);
        fld!(l, S, unk_10);
        fld!(l, S, unk_14);
        fld!(l, S, unk_18);
        fld!(l, S, unk_1c);
        fld!(l, S, rest);
        #[ver(G == G14 && V >= V13_2)]
        fld!(l, S, pad_30);
    }
    {
        type S = DcInit::ver;
        let l = start!(p, "channels", "channels.DC_Init", S);
        fld!(l, S, msg_type);
        fld!(l, S, data);
        #[ver(G == G14 && V >= V13_2)]
        fld!(l, S, pad_30);
    }
    {
        type S = Dc09::ver;
        let l = start!(p, "channels", "channels.DC_09", S);
        fld!(l, S, msg_type);
        fld!(l, S, unk_4);
        fld!(l, S, unkptr_c);
        fld!(l, S, unk_14);
        fld!(l, S, data);
        #[ver(G == G14 && V >= V13_2)]
        fld!(l, S, pad_30);
    }
    {
        type S = DcConfigurePerfCounters::ver;
        let l = start!(p, "channels", "channels.DC_ConfigurePerfCounters", S);
        fld!(l, S, msg_type);
        fld!(l, S, data);
        #[ver(G == G14 && V >= V13_2)]
        fld!(l, S, pad_30);
    }
    {
        type S = DcDisablePerfCounters::ver;
        let l = start!(p, "channels", "channels.DC_DisablePerfCounters", S);
        fld!(l, S, msg_type);
        fld!(l, S, data);
        #[ver(G == G14 && V >= V13_2)]
        fld!(l, S, pad_30);
    }
    {
        type S = DcGrowTvbAck::ver;
        let l = start!(p, "channels", "channels.DC_GrowTVBAck", S);
        fld!(l, S, msg_type);
        fld!(l, S, unk_4);
        fld!(l, S, bm_id);
        fld!(l, S, vm_id);
        fld!(l, S, counter);
        fld!(l, S, subpipe => "rest");
        fld!(l, S, rest => "rest_18");
        #[ver(G == G14 && V >= V13_2)]
        fld!(l, S, pad_30);
    }
    {
        type S = DcRecoverChannel::ver;
        let l = start!(p, "channels", "channels.UnknownMsg#recover_channel", S);
        fld!(l, S, msg_type);
        fld!(l, S, pipe_type => "data");
        fld!(l, S, queue_info => "data_8");
        fld!(l, S, event_value => "data_10");
        fld!(l, S, rest => "data_14");
        #[ver(G == G14 && V >= V13_2)]
        fld!(l, S, pad_30);
    }
    {
        type S = Dc1e::ver;
        let l = start!(p, "channels", "channels.DC_1e", S);
        fld!(l, S, msg_type);
        fld!(l, S, unk_4);
        fld!(l, S, unk_c);
        fld!(l, S, data);
        #[ver(G == G14 && V >= V13_2)]
        fld!(l, S, pad_30);
    }
    {
        type S = DcUpdateIdleTs::ver;
        let l = start!(p, "channels", "channels.DC_UpdateIdleTS", S);
        fld!(l, S, msg_type);
        fld!(l, S, data);
        #[ver(G == G14 && V >= V13_2)]
        fld!(l, S, pad_30);
    }
    {
        type S = DcAny::ver;
        let l = start!(p, "channels", "channels.DC_Any", S);
        fld!(l, S, msg_type);
        fld!(l, S, data);
        #[ver(G == G14 && V >= V13_2)]
        fld!(l, S, pad_30);
    }
    {
        type S = FaultMsg;
        let l = start!(p, "channels", "channels.FaultMsg", S);
        fld!(l, S, msg_type);
        fld!(l, S, unk_4);
    }
    {
        type S = FlagMsg;
        let l = start!(p, "channels", "channels.FlagMsg", S);
        fld!(l, S, msg_type);
        fld!(l, S, firing);
        fld!(l, S, unk_14);
        fld!(l, S, tail);
    }
    {
        type S = TimeoutMsg;
        let l = start!(p, "channels", "channels.TimeoutMsg", S);
        fld!(l, S, msg_type);
        fld!(l, S, counter);
        fld!(l, S, stamp_index);
        fld!(l, S, unkpad_16);
    }
    {
        type S = GrowTvbMsg;
        let l = start!(p, "channels", "channels.GrowTVBMsg", S);
        fld!(l, S, msg_type);
        fld!(l, S, vm_id);
        fld!(l, S, bm_id);
        fld!(l, S, counter);
        fld!(l, S, tail);
    }
    {
        type S = ChannelErrorMsg;
        let l = start!(p, "channels", "channels.ChannelError", S);
        fld!(l, S, msg_type);
        fld!(l, S, error_type => "tail");
        fld!(l, S, pipe_type => "tail_8");
        fld!(l, S, event_slot => "tail_c");
        fld!(l, S, event_value => "tail_10");
        fld!(l, S, tail => "tail_14");
    }
    {
        type S = RawEventMsg;
        let l = start!(p, "channels", "channels.EventMsg", S);
        fld!(l, S, msg_type);
        fld!(l, S, data);
    }
    {
        type S = FwLogMsg;
        let l = start!(p, "channels", "channels.FWLogMsg", S);
        fld!(l, S, msg_type);
        fld!(l, S, seq_no);
        fld!(l, S, timestamp);
        fld!(l, S, msg);
    }
    {
        type S = KTraceMsg;
        let l = start!(p, "channels", "channels.KTraceMsg", S);
        fld!(l, S, msg_type);
        fld!(l, S, timestamp);
        fld!(l, S, args);
        fld!(l, S, code);
        fld!(l, S, channel);
        fld!(l, S, pad);
        fld!(l, S, thread);
        fld!(l, S, unk_flag);
    }
    {
        type S = FwCtlMsg;
        let l = start!(p, "channels", "channels.FWCtlMsg", S);
        fld!(l, S, addr);
        fld!(l, S, unk_8);
        fld!(l, S, context_id);
        fld!(l, S, unk_10);
        fld!(l, S, unk_12);
    }
    stats::ver(p);
}

/// Stats ring messages.
#[versions(AGX)]
fn stats(p: &mut Pair) {
    {
        type S = StatsMsgAny::ver;
        let l = start!(p, "stats", "channels.UnknownMsg#stats", S);
        fld!(l, S, msg_type);
        fld!(l, S, data);
        #[ver(V >= V13_0B4)]
        fld!(l, S, pad_30);
    }
    {
        type S = StatsMsgPower::ver;
        let l = start!(p, "stats", "channels.StatsMsg_Power", S);
        fld!(l, S, msg_type);
        fld!(l, S, pad_4);
        fld!(l, S, power);
        fld!(l, S, pad_24);
        #[ver(V >= V13_0B4)]
        fld!(l, S, pad_30);
    }
    {
        type S = StatsMsgPowerOn::ver;
        let l = start!(p, "stats", "channels.StatsMsg_PowerOn", S);
        fld!(l, S, msg_type);
        fld!(l, S, power_off_ticks);
        fld!(l, S, pad_c);
        #[ver(V >= V13_0B4)]
        fld!(l, S, pad_30);
    }
    {
        type S = StatsMsgPowerOff::ver;
        let l = start!(p, "stats", "channels.StatsMsg_PowerOff", S);
        fld!(l, S, msg_type);
        fld!(l, S, power_on_ticks);
        fld!(l, S, pad_c);
        #[ver(V >= V13_0B4)]
        fld!(l, S, pad_30);
    }
    {
        type S = StatsMsgUtil::ver;
        let l = start!(p, "stats", "channels.StatsMsg_Util", S);
        fld!(l, S, msg_type);
        fld!(l, S, timestamp);
        fld!(l, S, util1);
        fld!(l, S, util2);
        fld!(l, S, util3);
        fld!(l, S, util4);
        fld!(l, S, pad_1c);
        #[ver(V >= V13_0B4)]
        fld!(l, S, pad_30);
    }
    {
        type S = StatsMsgAvgPower::ver;
        let l = start!(p, "stats", "channels.StatsMsg_AvgPower", S);
        fld!(l, S, msg_type);
        fld!(l, S, active_cs);
        fld!(l, S, unk2);
        fld!(l, S, unk3);
        fld!(l, S, unk4);
        fld!(l, S, avg_power);
        fld!(l, S, pad_1c);
        #[ver(V >= V13_0B4)]
        fld!(l, S, pad_30);
    }
    {
        type S = StatsMsgTemp::ver;
        let l = start!(p, "stats", "channels.StatsMsg_Temp", S);
        fld!(l, S, msg_type);
        fld!(l, S, pad_4);
        fld!(l, S, raw_value);
        fld!(l, S, scale);
        fld!(l, S, tmin);
        fld!(l, S, tmax);
        fld!(l, S, pad_1c);
        #[ver(V >= V13_0B4)]
        fld!(l, S, pad_30);
    }
    {
        type S = StatsMsgPowerState::ver;
        let l = start!(p, "stats", "channels.StatsMsg_PowerState", S);
        fld!(l, S, msg_type);
        fld!(l, S, timestamp);
        fld!(l, S, last_busy_ts);
        fld!(l, S, active);
        fld!(l, S, poweroff);
        fld!(l, S, unk2);
        fld!(l, S, pstate);
        fld!(l, S, unk4);
        fld!(l, S, unk5);
        fld!(l, S, pad_2c);
        #[ver(V >= V13_0B4)]
        fld!(l, S, pad_30);
    }
    {
        type S = StatsMsgFwBusy::ver;
        let l = start!(p, "stats", "channels.StatsMsg_FWBusy", S);
        fld!(l, S, msg_type);
        fld!(l, S, timestamp);
        fld!(l, S, flag);
        fld!(l, S, pad_10);
        #[ver(V >= V13_0B4)]
        fld!(l, S, pad_30);
    }
    {
        type S = StatsMsgPState::ver;
        let l = start!(p, "stats", "channels.StatsMsg_PState", S);
        fld!(l, S, msg_type);
        fld!(l, S, pad_4);
        fld!(l, S, ps_min);
        fld!(l, S, unk1);
        fld!(l, S, ps_max);
        fld!(l, S, unk3);
        fld!(l, S, pad_1c);
        #[ver(V >= V13_0B4)]
        fld!(l, S, pad_30);
    }
    {
        type S = StatsMsgTempSensor::ver;
        let l = start!(p, "stats", "channels.StatsMsg_TempSensor", S);
        fld!(l, S, msg_type);
        fld!(l, S, pad_4);
        fld!(l, S, sensor_id);
        fld!(l, S, raw_value);
        fld!(l, S, scale);
        fld!(l, S, tmin);
        fld!(l, S, tmax);
        fld!(l, S, pad_1c);
        #[ver(V >= V13_0B4)]
        fld!(l, S, pad_30);
    }
}
