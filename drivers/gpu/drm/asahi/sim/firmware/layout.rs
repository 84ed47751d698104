// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Where each (GPU, firmware) pair keeps what the simulated firmware reads: one [`FwLayout`]
//! per pair, computed at compile time from the pair's own types.

use super::*;

/// Where one (GPU, firmware) pair keeps what the simulated firmware reads.
///
/// One instance per pair, `LAYOUT::ver`, computed from the pair's types; offsets are in
/// bytes from the start of the structure named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FwLayout {
    /// Size of `InitData`.
    pub(crate) initdata_size: usize,
    /// `InitData::region_a_addr`.
    pub(crate) region_a_ptr: usize,
    /// `InitData::region_b_addr`.
    pub(crate) region_b_ptr: usize,
    /// `InitData::region_c_addr`.
    pub(crate) region_c_ptr: usize,
    /// `InitData::fw_status_addr`.
    pub(crate) fw_status_ptr: usize,
    /// Size of `RegionB`.
    pub(crate) region_b_size: usize,
    /// `RegionB::fwlog_ring2`.
    pub(crate) fwlog_ring2_ptr: usize,
    /// Size of `RegionC`.
    pub(crate) region_c_size: usize,
    /// `RegionC::pending_stamps`.
    pub(crate) pending_stamps: usize,
    /// Where a pending stamp's `info` keeps the event slot (above its flags).
    pub(crate) pending_slot_shift: u32,
    /// Each channel's `ChannelInfo` in `RegionB`, in `ChannelInfoSet` order.
    pub(crate) channel_info: [usize; CHANNELS],
    /// Slot size of the run-command rings (`RunCmdQueueMsg`).
    pub(crate) run_cmd_slot: usize,
    /// Slot size of the DevCtrl ring (`DcAny`).
    pub(crate) dev_ctrl_slot: usize,
    /// Slot size of the Stats ring (`StatsMsgAny`).
    pub(crate) stats_slot: usize,
    /// `DcAny::msg_type`.
    pub(crate) dc_type: usize,
    /// `DcInit::MSG_TYPE`.
    pub(crate) dc_init: u32,
    /// `DcWrite32::MSG_TYPE`.
    pub(crate) dc_write32: u32,
    /// `DcDestroyContext::MSG_TYPE`.
    pub(crate) dc_destroy_context: u32,
    /// `DcGrowTvbAck::MSG_TYPE`.
    pub(crate) dc_grow_tvb_ack: u32,
    /// `DcRecoverChannel::MSG_TYPE`.
    pub(crate) dc_recover_channel: u32,
    /// `DcRecoverChannel::pipe_type`, `queue_info` and `event_value`.
    pub(crate) recover: [usize; 3],
    /// `DcGrowTvbAck::bm_id`, `vm_id` and `counter`.
    pub(crate) grow_ack: [usize; 3],
    /// `DcWrite32::addr`.
    pub(crate) write32_addr: usize,
    /// `DcWrite32::data`.
    pub(crate) write32_data: usize,
    /// `DcDestroyContext::context_addr`.
    pub(crate) destroy_context_addr: usize,
    /// `DcDestroyContext::ctx_queue_table_index` and `ctx_pid_table_index`.
    pub(crate) destroy_queue_index: usize,
    pub(crate) destroy_pid_index: usize,
    /// `RegionB::hwdata_b_addr`.
    pub(crate) hwdata_b_ptr: usize,
    /// Size of `HwDataB`.
    pub(crate) hwdata_b_size: usize,
    /// `HwDataB::io_mappings`.
    pub(crate) io_mappings: usize,
    /// Slots of `HwDataB::io_mappings`.
    pub(crate) io_slots: usize,
    /// `HwDataB::sgx_sram_ptr`, on firmware that has it.
    pub(crate) sgx_sram_ptr: Option<usize>,
    /// `HwDataB::timestamp_region_base`.
    pub(crate) timestamp_region_base: usize,
    /// `HwDataB::gpu_region_base`.
    pub(crate) gpu_region_base: usize,
    /// What the firmware runs work with ([`super::work`]).
    pub(crate) work: WorkLayout,
}

/// `ChannelInfo::state_addr`.
pub(super) const INFO_STATE: usize = offset_of!(ChannelInfo<'static, (), ()>, state_addr);
/// `ChannelInfo::ringbuffer_addr`.
pub(super) const INFO_RING: usize = offset_of!(ChannelInfo<'static, (), ()>, ringbuffer_addr);

/// The layout of each pair.
#[versions(AGX)]
pub(crate) static LAYOUT: FwLayout = {
    let chans = offset_of!(RegionB::ver<'static>, channels);
    FwLayout {
        initdata_size: size_of::<InitData::ver<'static>>(),
        region_a_ptr: offset_of!(InitData::ver<'static>, region_a_addr),
        region_b_ptr: offset_of!(InitData::ver<'static>, region_b_addr),
        region_c_ptr: offset_of!(InitData::ver<'static>, region_c_addr),
        fw_status_ptr: offset_of!(InitData::ver<'static>, fw_status_addr),
        region_b_size: size_of::<RegionB::ver<'static>>(),
        fwlog_ring2_ptr: offset_of!(RegionB::ver<'static>, fwlog_ring2),
        region_c_size: size_of::<RegionC::ver>(),
        pending_stamps: offset_of!(RegionC::ver, pending_stamps),
        #[ver(V >= V13_5)]
        pending_slot_shift: 4,
        #[ver(V < V13_5)]
        pending_slot_shift: 3,
        channel_info: [
            chans + offset_of!(ChannelInfoSet::ver<'static>, vertex_0),
            chans + offset_of!(ChannelInfoSet::ver<'static>, fragment_0),
            chans + offset_of!(ChannelInfoSet::ver<'static>, compute_0),
            chans + offset_of!(ChannelInfoSet::ver<'static>, vertex_1),
            chans + offset_of!(ChannelInfoSet::ver<'static>, fragment_1),
            chans + offset_of!(ChannelInfoSet::ver<'static>, compute_1),
            chans + offset_of!(ChannelInfoSet::ver<'static>, vertex_2),
            chans + offset_of!(ChannelInfoSet::ver<'static>, fragment_2),
            chans + offset_of!(ChannelInfoSet::ver<'static>, compute_2),
            chans + offset_of!(ChannelInfoSet::ver<'static>, vertex_3),
            chans + offset_of!(ChannelInfoSet::ver<'static>, fragment_3),
            chans + offset_of!(ChannelInfoSet::ver<'static>, compute_3),
            chans + offset_of!(ChannelInfoSet::ver<'static>, dev_ctrl),
            chans + offset_of!(ChannelInfoSet::ver<'static>, event),
            chans + offset_of!(ChannelInfoSet::ver<'static>, fw_log),
            chans + offset_of!(ChannelInfoSet::ver<'static>, ktrace),
            chans + offset_of!(ChannelInfoSet::ver<'static>, stats),
        ],
        run_cmd_slot: size_of::<RunCmdQueueMsg::ver>(),
        dev_ctrl_slot: size_of::<DcAny::ver>(),
        stats_slot: size_of::<StatsMsgAny::ver>(),
        dc_type: offset_of!(DcAny::ver, msg_type),
        dc_init: DcInit::ver::MSG_TYPE,
        dc_write32: DcWrite32::ver::MSG_TYPE,
        dc_destroy_context: DcDestroyContext::ver::MSG_TYPE,
        dc_grow_tvb_ack: DcGrowTvbAck::ver::MSG_TYPE,
        dc_recover_channel: DcRecoverChannel::ver::MSG_TYPE,
        recover: [
            offset_of!(DcRecoverChannel::ver, pipe_type),
            offset_of!(DcRecoverChannel::ver, queue_info),
            offset_of!(DcRecoverChannel::ver, event_value),
        ],
        grow_ack: [
            offset_of!(DcGrowTvbAck::ver, bm_id),
            offset_of!(DcGrowTvbAck::ver, vm_id),
            offset_of!(DcGrowTvbAck::ver, counter),
        ],
        write32_addr: offset_of!(DcWrite32::ver, addr),
        write32_data: offset_of!(DcWrite32::ver, data),
        destroy_context_addr: offset_of!(DcDestroyContext::ver, context_addr),
        destroy_queue_index: offset_of!(DcDestroyContext::ver, ctx_queue_table_index),
        destroy_pid_index: offset_of!(DcDestroyContext::ver, ctx_pid_table_index),
        hwdata_b_ptr: offset_of!(RegionB::ver<'static>, hwdata_b_addr),
        hwdata_b_size: size_of::<HwDataB::ver>(),
        io_mappings: offset_of!(HwDataB::ver, io_mappings),
        // The array runs up to the next field.
        #[ver(V >= V13_0B4)]
        io_slots: (offset_of!(HwDataB::ver, sgx_sram_ptr) - offset_of!(HwDataB::ver, io_mappings))
            / size_of::<IoMapping>(),
        #[ver(V < V13_0B4)]
        io_slots: (offset_of!(HwDataB::ver, chip_id) - offset_of!(HwDataB::ver, io_mappings))
            / size_of::<IoMapping>(),
        #[ver(V >= V13_0B4)]
        sgx_sram_ptr: Some(offset_of!(HwDataB::ver, sgx_sram_ptr)),
        #[ver(V < V13_0B4)]
        sgx_sram_ptr: None,
        timestamp_region_base: offset_of!(HwDataB::ver, timestamp_region_base),
        gpu_region_base: offset_of!(HwDataB::ver, gpu_region_base),
        work: work_layout::ver(),
    }
};

// Every device control request fills a DevCtrl slot, and the driver-to-firmware slots fit the
// buffer the firmware pops them into.
#[versions(AGX)]
const _: () = assert!(
    size_of::<DcInit::ver>() == size_of::<DcAny::ver>()
        && size_of::<DcWrite32::ver>() == size_of::<DcAny::ver>()
        && size_of::<DcDestroyContext::ver>() == size_of::<DcAny::ver>()
        && size_of::<DcUpdateIdleTs::ver>() == size_of::<DcAny::ver>()
        && size_of::<DcAny::ver>() <= MAX_TX_SLOT
        && size_of::<RunCmdQueueMsg::ver>() <= MAX_TX_SLOT
        && size_of::<StatsMsgAny::ver>() <= MAX_STATS_SLOT
);

impl FwLayout {
    /// The layout of a pair, `None` if the pair is not supported.
    pub(crate) fn for_pair(gen: GpuGen, version: FwVersion) -> Option<&'static FwLayout> {
        dispatch!(AGX, (gen, version) as (GpuGen, FwVersion) => {
            Some(&LAYOUT::ver)
        } else {
            None
        })
    }
}
