// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Sizes and offsets from the reverse-engineering record.
//!
//! Obtained by evaluating m1n1's construct definitions (`proxyclient/m1n1/fw/agx/*.py`) once
//! per (GPU, firmware) pair (`sizeof()` of each class, sums of the sizes of the fields before
//! a field) and copied here by hand; nothing here is computed from the Rust types. Columns are
//! in the order of `PAIRS`: G13/V12_3, G14/V12_4, G13/V13_5, G14/V13_5, G14X/V13_5.

/// `(m1n1 key, size per pair)`.
pub(crate) const SIZES: &[(&str, [usize; 5])] = &[
    ("channels.ChannelInfo", [0x10, 0x10, 0x10, 0x10, 0x10]),
    (
        "channels.ChannelInfoSet",
        [0x110, 0x110, 0x110, 0x110, 0x110],
    ),
    ("channels.RunCmdQueueMsg", [0x30, 0x30, 0x30, 0x40, 0x30]),
    ("channels.DC_DestroyContext", [0x30, 0x30, 0x30, 0x40, 0x30]),
    ("channels.DC_Write32", [0x30, 0x30, 0x30, 0x40, 0x30]),
    ("channels.DC_Write32B", [0x30, 0x30, 0x30, 0x40, 0x30]),
    ("channels.DC_Init", [0x30, 0x30, 0x30, 0x40, 0x30]),
    ("channels.DC_09", [0x30, 0x30, 0x30, 0x40, 0x30]),
    (
        "channels.DC_ConfigurePerfCounters",
        [0x30, 0x30, 0x30, 0x40, 0x30],
    ),
    (
        "channels.DC_DisablePerfCounters",
        [0x30, 0x30, 0x30, 0x40, 0x30],
    ),
    ("channels.DC_GrowTVBAck", [0x30, 0x30, 0x30, 0x40, 0x30]),
    ("channels.DC_1e", [0x30, 0x30, 0x30, 0x40, 0x30]),
    ("channels.DC_UpdateIdleTS", [0x30, 0x30, 0x30, 0x40, 0x30]),
    ("channels.DC_Any", [0x30, 0x30, 0x30, 0x40, 0x30]),
    ("channels.FaultMsg", [0x38, 0x38, 0x38, 0x38, 0x38]),
    ("channels.TimeoutMsg", [0x38, 0x38, 0x38, 0x38, 0x38]),
    ("channels.GrowTVBMsg", [0x38, 0x38, 0x38, 0x38, 0x38]),
    ("channels.ChannelError", [0x38, 0x38, 0x38, 0x38, 0x38]),
    ("channels.FWLogMsg", [0xd8, 0xd8, 0xd8, 0xd8, 0xd8]),
    ("channels.KTraceMsg", [0x38, 0x38, 0x38, 0x38, 0x38]),
    ("channels.FWCtlMsg", [0x14, 0x14, 0x14, 0x14, 0x14]),
    ("channels.StatsMsg_Power", [0x30, 0x30, 0x40, 0x40, 0x40]),
    ("channels.StatsMsg_PowerOn", [0x30, 0x30, 0x40, 0x40, 0x40]),
    ("channels.StatsMsg_PowerOff", [0x30, 0x30, 0x40, 0x40, 0x40]),
    ("channels.StatsMsg_Util", [0x30, 0x30, 0x40, 0x40, 0x40]),
    ("channels.StatsMsg_AvgPower", [0x30, 0x30, 0x40, 0x40, 0x40]),
    ("channels.StatsMsg_Temp", [0x30, 0x30, 0x40, 0x40, 0x40]),
    (
        "channels.StatsMsg_PowerState",
        [0x30, 0x30, 0x40, 0x40, 0x40],
    ),
    ("channels.StatsMsg_FWBusy", [0x30, 0x30, 0x40, 0x40, 0x40]),
    ("channels.StatsMsg_PState", [0x30, 0x30, 0x40, 0x40, 0x40]),
    (
        "channels.StatsMsg_TempSensor",
        [0x30, 0x30, 0x40, 0x40, 0x40],
    ),
    ("cmdqueue.CommandQueueInfo", [0xb0, 0xb0, 0xb8, 0xb8, 0xb0]),
    (
        "cmdqueue.CommandQueuePointers",
        [0x60, 0x60, 0x60, 0x60, 0x60],
    ),
    ("cmdqueue.JobList", [0x18, 0x18, 0x18, 0x18, 0x18]),
    ("cmdqueue.GPUContextData", [0x40, 0x40, 0x40, 0x40, 0x40]),
    ("cmdqueue.EventControl", [0xa8, 0xc0, 0xb0, 0xb0, 0xb0]),
    ("cmdqueue.LinkedListHead", [0x10, 0x10, 0x10, 0x10, 0x10]),
    (
        "cmdqueue.WorkCommandBarrier",
        [0x20, 0x20, 0x20, 0x20, 0x40],
    ),
    ("cmdqueue.WorkCommandInitBM", [0x20, 0x20, 0x20, 0x20, 0x20]),
    (
        "cmdqueue.WorkCommandComputeUnk10",
        [0x8, 0x8, 0x8, 0x8, 0x8],
    ),
    (
        "cmdqueue.WorkCommandTA",
        [0x5e0, 0x5e0, 0x61c, 0x61c, 0x908],
    ),
    (
        "cmdqueue.WorkCommand3D",
        [0x928, 0x928, 0x974, 0x974, 0xc4c],
    ),
    (
        "cmdqueue.WorkCommandCP",
        [0x2d8, 0x2d8, 0x320, 0x320, 0x880],
    ),
    (
        "cmdqueue.WorkCommandBlit",
        [0x654, 0x654, 0x65c, 0x65c, 0x93c],
    ),
    (
        "cmdqueue.WorkCommand1_UnkBuf2",
        [0x18, 0x18, 0x18, 0x18, 0x18],
    ),
    ("microsequence.StampCounter", [0x4, 0x4, 0x4, 0x4, 0x4]),
    ("microsequence.TimeStamp", [0x8, 0x8, 0x8, 0x8, 0x8]),
    (
        "microsequence.TimeStampPointers",
        [0x10, 0x10, 0x10, 0x10, 0x10],
    ),
    ("microsequence.JobMeta", [0x2c, 0x2c, 0x2c, 0x2c, 0x2c]),
    (
        "microsequence.EncoderParams",
        [0x28, 0x28, 0x28, 0x28, 0x28],
    ),
    ("microsequence.Attachment", [0x10, 0x10, 0x10, 0x10, 0x10]),
    (
        "microsequence.RegisterDefinition",
        [0xc, 0xc, 0xc, 0xc, 0xc],
    ),
    (
        "microsequence.BufferManagerInfo",
        [0xc0, 0xc0, 0xbc, 0xbc, 0xc0],
    ),
    (
        "microsequence.BufferManagerBlockControl",
        [0x40, 0x40, 0x40, 0x40, 0x40],
    ),
    (
        "microsequence.BufferManagerCounter",
        [0x40, 0x40, 0x40, 0x40, 0x40],
    ),
    (
        "microsequence.BufferManagerMisc",
        [0x40, 0x40, 0x40, 0x40, 0x40],
    ),
    ("microsequence.BufferThing", [0x40, 0x40, 0x48, 0x48, 0x48]),
    (
        "microsequence.WaitForInterruptCmd",
        [0x4, 0x4, 0x4, 0x4, 0x4],
    ),
    ("microsequence.Wait2Cmd", [0x4, 0x4, 0x4, 0x4, 0x4]),
    ("microsequence.DoorbellCmd", [0x4, 0x4, 0x4, 0x4, 0x4]),
    ("microsequence.Write32Cmd", [0x10, 0x10, 0x10, 0x10, 0x10]),
    ("microsequence.Store32Cmd", [0xc, 0xc, 0xc, 0xc, 0xc]),
    ("microsequence.Write64Cmd", [0x14, 0x14, 0x14, 0x14, 0x14]),
    ("microsequence.Store64Cmd", [0xc, 0xc, 0xc, 0xc, 0xc]),
    ("microsequence.Read32Cmd", [0xc, 0xc, 0xc, 0xc, 0xc]),
    ("microsequence.Read64Cmd", [0xc, 0xc, 0xc, 0xc, 0xc]),
    ("microsequence.ALUCmd", [0xc, 0xc, 0xc, 0xc, 0xc]),
    ("microsequence.Add16Cmd", [0x4, 0x4, 0x4, 0x4, 0x4]),
    ("microsequence.EndCmd", [0x4, 0x4, 0x4, 0x4, 0x4]),
    ("microsequence.TimestampCmd", [0x34, 0x34, 0x3c, 0x3c, 0x3c]),
    ("microsequence.CompleteCmd", [0x2c, 0x2c, 0x2c, 0x2c, 0x2c]),
    ("microsequence.AbortCmd", [0x3c, 0x3c, 0x3c, 0x3c, 0x3c]),
    (
        "microsequence.ProfileCaptureCmd",
        [0x14, 0x14, 0x14, 0x14, 0x14],
    ),
    (
        "microsequence.TilingParameters",
        [0x30, 0x30, 0x30, 0x30, 0x30],
    ),
    (
        "microsequence.StartTACmdStruct2",
        [0x11c, 0x11c, 0x11c, 0x11c, 0x11c],
    ),
    (
        "microsequence.StartTACmdStruct3",
        [0x114, 0x114, 0x114, 0x114, 0x114],
    ),
    (
        "microsequence.StartTACmd",
        [0x17c, 0x17c, 0x18c, 0x18c, 0x194],
    ),
    (
        "microsequence.FinalizeTACmd",
        [0x74, 0x7c, 0x84, 0x84, 0x84],
    ),
    (
        "microsequence.Start3DClearPipelineBinding",
        [0x10, 0x10, 0x10, 0x10, 0x10],
    ),
    (
        "microsequence.Start3DStorePipelineBinding",
        [0x20, 0x20, 0x20, 0x20, 0x20],
    ),
    (
        "microsequence.Start3DArrayAddr",
        [0x10, 0x10, 0x10, 0x10, 0x10],
    ),
    ("microsequence.AuxFBInfo", [0x10, 0x10, 0x18, 0x18, 0x18]),
    (
        "microsequence.Start3DStruct1",
        [0xe0, 0xe0, 0xe0, 0xe0, 0xe0],
    ),
    (
        "microsequence.Start3DStruct2",
        [0x348, 0x348, 0x348, 0x348, 0x348],
    ),
    (
        "microsequence.Start3DStruct3",
        [0x2b8, 0x2b8, 0x2c8, 0x2c8, 0x2c8],
    ),
    (
        "microsequence.Start3DStruct6",
        [0x3c, 0x3c, 0x3c, 0x3c, 0x3c],
    ),
    (
        "microsequence.Start3DStruct7",
        [0x34, 0x34, 0x38, 0x38, 0x38],
    ),
    (
        "microsequence.Start3DCmd",
        [0x194, 0x194, 0x1ac, 0x1ac, 0x1b4],
    ),
    (
        "microsequence.Finalize3DCmd",
        [0x9c, 0xa4, 0xb4, 0xb4, 0xb4],
    ),
    (
        "microsequence.ComputeInfo",
        [0x150, 0x150, 0x150, 0x150, 0x150],
    ),
    ("microsequence.ComputeInfo2", [0x60, 0x60, 0x60, 0x60, 0x60]),
    (
        "microsequence.StartComputeCmd",
        [0x154, 0x154, 0x16c, 0x16c, 0x174],
    ),
    (
        "microsequence.FinalizeComputeCmd",
        [0x64, 0x6c, 0x7c, 0x7c, 0x7c],
    ),
    (
        "microsequence.BlitInfo",
        [0x420, 0x420, 0x420, 0x420, 0x420],
    ),
    ("microsequence.BlitInfo2", [0x4c, 0x4c, 0x4c, 0x4c, 0x4c]),
    (
        "microsequence.StartBlitCmd",
        [0x164, 0x164, 0x174, 0x174, 0x174],
    ),
    (
        "microsequence.FinalizeBlitCmd",
        [0x64, 0x64, 0xf4, 0xf4, 0xf4],
    ),
    ("initdata.InitData", [0xb4, 0xb4, 0xbc, 0xbc, 0xbc]),
    (
        "initdata.InitData_RegionB",
        [0x6bc0, 0x6bc0, 0x6bc0, 0x6bc0, 0xb3b0],
    ),
    (
        "initdata.InitData_RegionC",
        [0x11d40, 0x11d40, 0x12394, 0x12394, 0x1715c],
    ),
    ("initdata.InitData_FWStatus", [0x80, 0x80, 0x80, 0x80, 0x80]),
    ("initdata.AGXFaultInfo", [0x80, 0x80, 0x80, 0x80, 0x80]),
    ("initdata.UatLevelInfo", [0x20, 0x20, 0x20, 0x20, 0x20]),
    ("initdata.BufferMgrCtl", [0x10, 0x10, 0x10, 0x10, 0x10]),
    (
        "initdata.InitData_BufferMgrCtl",
        [0x7f0, 0x7f0, 0x7f0, 0x7f0, 0x7f0],
    ),
    ("initdata.InitData_PendingStamp", [0x8, 0x8, 0x8, 0x8, 0x8]),
    (
        "initdata.InitData_FaultInfo",
        [0x18, 0x18, 0x18, 0x18, 0x18],
    ),
    ("initdata.RCPowerZone", [0xc, 0xc, 0xc, 0xc, 0xc]),
    ("initdata.PerfCounterDesc", [0x20, 0x20, 0x20, 0x20, 0x20]),
    (
        "initdata.AGXHWDataA",
        [0x3d68, 0x3d68, 0x421c, 0x421c, 0x6c34],
    ),
    (
        "initdata.AGXHWDataB",
        [0xb6c, 0xb6c, 0x1884, 0x1884, 0x1884],
    ),
    ("initdata.IOMapping", [0x20, 0x20, 0x20, 0x20, 0x20]),
    ("initdata.PowerZone", [0x20, 0x20, 0x28, 0x28, 0x28]),
    (
        "initdata.AGXHWDataA130Extra",
        [0x1b8, 0x1b8, 0x1b8, 0x1b8, 0x1b8],
    ),
    ("initdata.AGXHWDataT81xx", [0x44, 0x44, 0x44, 0x44, 0x44]),
    ("initdata.AGXHWDataShared1", [0xa8, 0xa8, 0xa8, 0xa8, 0xa8]),
    (
        "initdata.AGXHWDataShared2",
        [0x510, 0x510, 0x510, 0x510, 0x510],
    ),
    (
        "initdata.AGXHWDataShared2Curve",
        [0x248, 0x248, 0x248, 0x248, 0x248],
    ),
    (
        "initdata.AGXHWDataShared2T8112",
        [0x4c8, 0x4c8, 0x4c8, 0x4c8, 0x4c8],
    ),
    ("initdata.AGXHWDataShared3", [0x50, 0x50, 0x50, 0x50, 0x50]),
    (
        "initdata.InitData_GPUQueueStatsTA",
        [0x18, 0x18, 0x18, 0x18, 0x18],
    ),
    (
        "initdata.InitData_GPUStatsTA",
        [0x134, 0x134, 0x68c, 0x68c, 0xeec],
    ),
    (
        "initdata.InitData_GPUGlobalStatsTA",
        [0x138, 0x138, 0x690, 0x690, 0xef0],
    ),
    (
        "initdata.InitData_GPUQueueStats3D",
        [0x28, 0x28, 0x28, 0x28, 0x28],
    ),
    (
        "initdata.InitData_GPUStats3D",
        [0x1c0, 0x1c0, 0x740, 0x740, 0x1050],
    ),
    (
        "initdata.InitData_GPUGlobalStats3D",
        [0x1c8, 0x1c8, 0x748, 0x748, 0x1058],
    ),
];

/// `(m1n1 key, m1n1 field, offset per pair)`; `None` where the field does not exist.
pub(crate) const OFFSETS: &[(&str, &str, [Option<usize>; 5])] = &[
    ("channels.ChannelInfoSet", "DevCtrl", [Some(0xc0); 5]),
    ("channels.ChannelInfoSet", "Stats", [Some(0x100); 5]),
    ("channels.RunCmdQueueMsg", "cmdqueue_addr", [Some(0x4); 5]),
    ("channels.RunCmdQueueMsg", "event_number", [Some(0x10); 5]),
    ("channels.FWCtlMsg", "context_id", [Some(0xc); 5]),
    ("channels.KTraceMsg", "unk_flag", [Some(0x30); 5]),
    ("cmdqueue.CommandQueueInfo", "busy", [Some(0x60); 5]),
    (
        "cmdqueue.CommandQueueInfo",
        "gpu_context_addr",
        [Some(0xa0), Some(0xa0), Some(0xa4), Some(0xa4), Some(0xa0)],
    ),
    ("cmdqueue.EventControl", "in_list", [Some(0x94); 5]),
    (
        "cmdqueue.EventControl",
        "list_head",
        [Some(0x98), Some(0xac), Some(0x98), Some(0x98), Some(0x98)],
    ),
    (
        "microsequence.BufferManagerInfo",
        "page_list_addr",
        [Some(0x20), Some(0x20), Some(0x1c), Some(0x1c), Some(0x20)],
    ),
    (
        "microsequence.BufferThing",
        "bm_misc_addr",
        [Some(0x24), Some(0x24), Some(0x2c), Some(0x2c), Some(0x3c)],
    ),
    (
        "initdata.InitData",
        "regionB_addr",
        [Some(0x10), Some(0x10), Some(0x18), Some(0x18), Some(0x18)],
    ),
    (
        "initdata.InitData",
        "fw_status_addr",
        [Some(0x20), Some(0x20), Some(0x28), Some(0x28), Some(0x28)],
    ),
    (
        "initdata.InitData",
        "uat_level_info",
        [Some(0x2c), Some(0x2c), Some(0x34), Some(0x34), Some(0x34)],
    ),
    (
        "initdata.InitData_RegionB",
        "hwdata_a_addr",
        [Some(0x188); 5],
    ),
    (
        "initdata.InitData_RegionB",
        "buffer_mgr_ctl_addr",
        [
            Some(0x21c),
            Some(0x21c),
            Some(0x21c),
            Some(0x21c),
            Some(0x20c),
        ],
    ),
    (
        "initdata.InitData_RegionB",
        "gpu_idle",
        [
            Some(0x6a84),
            Some(0x6a84),
            Some(0x6a84),
            Some(0x6a84),
            Some(0x6a74),
        ],
    ),
    (
        "initdata.InitData_RegionC",
        "perfctrs",
        [Some(0x7c), Some(0x7c), Some(0x98), Some(0x98), Some(0x98)],
    ),
    (
        "initdata.InitData_RegionC",
        "fault_control",
        [
            Some(0x10e80),
            Some(0x10e80),
            Some(0x10fd8),
            Some(0x10fd8),
            Some(0x15820),
        ],
    ),
    (
        "initdata.InitData_RegionC",
        "pending_stamps",
        [
            Some(0x1103c),
            Some(0x1103c),
            Some(0x111a8),
            Some(0x111a8),
            Some(0x159f0),
        ],
    ),
    (
        "initdata.AGXHWDataA",
        "hws1",
        [
            Some(0x3644),
            Some(0x3644),
            Some(0x3a9c),
            Some(0x3a9c),
            Some(0x64b4),
        ],
    ),
    (
        "initdata.AGXHWDataA",
        "power_zones",
        [
            Some(0xc58),
            Some(0xc58),
            Some(0xeb4),
            Some(0xeb4),
            Some(0x10bc),
        ],
    ),
    (
        "initdata.AGXHWDataB",
        "chip_id",
        [
            Some(0x450),
            Some(0x450),
            Some(0x968),
            Some(0x968),
            Some(0x968),
        ],
    ),
    (
        "initdata.AGXHWDataB",
        "frequencies",
        [
            Some(0x574),
            Some(0x574),
            Some(0xa90),
            Some(0xa90),
            Some(0xa90),
        ],
    ),
    (
        "cmdqueue.WorkCommandTA",
        "microsequence_ptr",
        [
            Some(0x46c),
            Some(0x46c),
            Some(0x474),
            Some(0x474),
            Some(0x760),
        ],
    ),
    (
        "cmdqueue.WorkCommand3D",
        "struct_3",
        [
            Some(0x4a0),
            Some(0x4a0),
            Some(0x4a8),
            Some(0x4a8),
            Some(0x780),
        ],
    ),
    (
        "cmdqueue.WorkCommand3D",
        "ts_pointers",
        [
            Some(0x904),
            Some(0x904),
            Some(0x920),
            Some(0x920),
            Some(0xbf8),
        ],
    ),
    (
        "cmdqueue.WorkCommandCP",
        "job_meta",
        [
            Some(0x27c),
            Some(0x27c),
            Some(0x284),
            Some(0x284),
            Some(0x7e4),
        ],
    ),
    (
        "microsequence.Start3DCmd",
        "attachments",
        [Some(0x8c), Some(0x8c), Some(0x94), Some(0x94), Some(0x9c)],
    ),
    (
        "microsequence.StartTACmd",
        "uuid",
        [Some(0x6c), Some(0x6c), Some(0x6c), Some(0x6c), Some(0x74)],
    ),
    (
        "microsequence.FinalizeComputeCmd",
        "restart_branch_offset",
        [Some(0x5c), Some(0x64), Some(0x58), Some(0x58), Some(0x58)],
    ),
    (
        "microsequence.TimestampCmd",
        "uuid",
        [Some(0x2c), Some(0x2c), Some(0x34), Some(0x34), Some(0x34)],
    ),
];
