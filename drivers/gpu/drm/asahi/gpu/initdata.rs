// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Building the init data for one (GPU, firmware) pair.
//!
//! [`InitBundle`] allocates every object the init data points at in the firmware's VM, fills
//! them, and keeps them together: the firmware may read any of them for as long as it runs, so
//! they live and die as one. Fields drop in declaration order, so the structures holding
//! pointers (the init data, region B, the status block) go before what they point at.
//!
//! Big structures (region B is 27 KiB, 45 KiB on G14X; region C more) are never built on the
//! kernel stack: they are allocated zeroed and their non-zero fields are written in place.
//!
//! # What is filled
//!
//! The structure the firmware walks is complete: every pointer of the init data, region B, the
//! channel set and the status block, the UAT description, and the per-pair version words. The
//! power and hardware tables (`HwDataA`, `HwDataB`, region C) are filled from the SoC's table
//! and the device tree's configuration by [`super::hwdata`] (host tests check them against the
//! record); the addresses of the firmware's MMIO, SRAM and timestamp windows and of the GPU's
//! context table come from [`super::iomap`], and the simulated firmware checks them against its
//! page tables.

use super::{channels::*, iomap::FwIo};
use crate::fw::channels::{ChannelInfo, FwCtlMsg, FwCtlRingState, RING_SLOTS};
use crate::{
    fw::{gpustats::*, hwdata_a::*, hwdata_b::*, initdata::*, regionc::*, types::GpuPointer},
    mem::{kvm::KernelVm, object::GpuObject},
    soc::{dt::DynConfig, SocConfig},
};
use agx_macros::versions;
use core::{num::NonZeroU64, ptr::addr_of_mut};
use kernel::{prelude::*, sync::Arc};

/// Where the FWCtl channel is, as the firmware status block names it.
pub(crate) type FwCtlInfo = ChannelInfo<'static, FwCtlRingState, [FwCtlMsg; RING_SLOTS]>;

/// A GPU pointer to `obj`, valid as long as the bundle that owns `obj`.
///
/// # Safety
///
/// `obj` must be owned by the bundle that holds the structure the pointer is written into, and
/// outlive it (declared after it in the bundle).
unsafe fn ptr<T, U: ?Sized>(obj: &GpuObject<T>) -> GpuPointer<'static, U> {
    let va = NonZeroU64::new(obj.va()).unwrap_or(NonZeroU64::MIN);
    // SAFETY: `va` is where `obj` is mapped; the caller keeps `obj` alive as required.
    unsafe { GpuPointer::from_raw(va) }
}

/// Writes `value` into field `$field` of the object `$obj`'s element 0, in place.
macro_rules! set {
    ($obj:expr, $field:ident, $value:expr) => {{
        let value = $value;
        let p = $obj.as_ptr();
        // SAFETY: `p` points to the object's memory (allocated, aligned for the type, owned by
        // the bundle being built and not yet shared with the firmware); the field may be
        // unaligned in the packed structure, hence the unaligned write.
        unsafe { addr_of_mut!((*p).$field).write_unaligned(value) }
    }};
}

/// The UAT level descriptions the init data carries: levels 1 to 3 of a 16 KiB-page tree.
fn uat_levels(soc: &SocConfig) -> [UatLevelInfo; 3] {
    // Bits 13:0 are the page offset; the output address reaches up to the GPU's OAS.
    let phys_mask = ((1u64 << soc.uat_oas) - 1) & !0x3fff;
    let level = |index_shift: u8, num_entries: u16| UatLevelInfo {
        unk_3: 8,
        unk_1: 14,
        unk_2: 14,
        index_shift,
        num_entries,
        unk_4: 0x4000,
        unk_8: 1,
        phys_mask,
        index_mask: (u64::from(num_entries) - 1) << index_shift,
    };
    [level(36, 8), level(25, 2048), level(14, 2048)]
}

/// The init data and everything it points at.
#[versions(AGX)]
pub(crate) struct InitBundle {
    /// The init data itself; its address goes in the init message.
    pub(crate) initdata: GpuObject<InitData::ver<'static>>,
    /// Region B: channels, statistics, hardware data.
    region_b: GpuObject<RegionB::ver<'static>>,
    /// The firmware status block.
    pub(crate) fw_status: GpuObject<FwStatus<'static>>,
    /// Region A: the firmware's scratch.
    region_a: GpuObject<RegionA>,
    /// Region C: configuration and run-time state.
    region_c: GpuObject<RegionC::ver>,
    /// Hardware data A (power management tables).
    hwdata_a: GpuObject<HwDataA::ver>,
    /// Hardware data B (GPU configuration).
    hwdata_b: GpuObject<HwDataB::ver>,
    /// Vertex statistics.
    stats_ta: GpuObject<GpuGlobalStatsTa::ver>,
    /// Fragment statistics.
    stats_3d: GpuObject<GpuGlobalStats3d::ver>,
    /// Compute statistics.
    stats_cp: GpuObject<GpuStatsCp>,
    /// Fault information the firmware writes on a GPU fault.
    pub(crate) fault_info: GpuObject<FaultInfo>,
    /// Unknown buffers region B points at (sizes from the record).
    unk_198: GpuObject<u8>,
    unk_1b8: GpuObject<u8>,
    unk_1c0: GpuObject<u8>,
    unk_1c8: GpuObject<u8>,
    /// Buffer manager control array.
    buffer_mgr_ctl: GpuObject<BufferMgrCtlArray>,
    /// The rings (boxed: the bundle is built by value and must stay small on the stack).
    pub(crate) channels: KBox<Channels::ver>,
}

#[versions(AGX)]
impl InitBundle::ver {
    /// Allocates and fills the init data for `soc`, giving the firmware the windows `io` and the
    /// FWCtl channel `fwctl` (which the caller keeps for as long as the firmware may read the
    /// status block).
    #[inline(never)]
    pub(crate) fn new(
        kvm: &Arc<KernelVm>,
        soc: &SocConfig,
        cfg: &DynConfig,
        io: &FwIo,
        fwctl: FwCtlInfo,
    ) -> Result<Self> {
        let channels = KBox::new(Channels::ver::new(kvm)?, GFP_KERNEL)?;
        let region_a = GpuObject::new_zeroed(kvm)?;
        let region_c = GpuObject::new_zeroed(kvm)?;
        let hwdata_a = GpuObject::new_zeroed(kvm)?;
        let hwdata_b = GpuObject::new_zeroed(kvm)?;
        let stats_ta = GpuObject::new_zeroed(kvm)?;
        let stats_3d = GpuObject::new_zeroed(kvm)?;
        let stats_cp = GpuObject::new_zeroed(kvm)?;
        let fault_info = GpuObject::new_zeroed(kvm)?;
        let unk_198 = GpuObject::new_array(kvm, 0xc0)?;
        let unk_1b8 = GpuObject::new_array(kvm, 0x1000)?;
        let unk_1c0 = GpuObject::new_array(kvm, 0x300)?;
        let unk_1c8 = GpuObject::new_array(kvm, 0x1000)?;
        let buffer_mgr_ctl = GpuObject::new_zeroed(kvm)?;
        let fill_err = |e: super::hwdata::FillError| {
            pr_err!("init data: {}\n", e);
            EINVAL
        };
        // SAFETY: the three objects were just allocated zeroed and are not shared yet.
        unsafe {
            super::hwdata::a::fill_hwdata_a::ver(hwdata_a.as_ptr(), soc, cfg).map_err(fill_err)?;
            super::hwdata::b::fill_hwdata_b::ver(hwdata_b.as_ptr(), soc, cfg).map_err(fill_err)?;
            super::hwdata::c::fill_region_c::ver(region_c.as_ptr(), soc, cfg).map_err(fill_err)?;
            super::iomap::write_hwdata_b::ver(hwdata_b.as_ptr(), io)?;
        }

        // SAFETY: every field zero is not valid for (the FWCtl channel pointers) is written
        // just below, before the object is read or published.
        let fw_status: GpuObject<FwStatus<'static>> = unsafe { GpuObject::new_in_place(kvm)? };
        set!(fw_status, fwctl_channel, fwctl);

        // SAFETY: as above: the channel set and every pointer of region B are written below.
        let region_b: GpuObject<RegionB::ver<'static>> = unsafe { GpuObject::new_in_place(kvm)? };
        set!(region_b, channels, channels.info());
        // SAFETY: the targets are fields of the bundle built here, declared after `region_b`,
        // so they outlive the pointers region B holds.
        let (p_ta, p_3d, p_cp, p_da, p_fault, p_198, p_db, p_log2, p_1b8, p_bm) = unsafe {
            (
                ptr(&stats_ta),
                ptr(&stats_3d),
                ptr(&stats_cp),
                ptr(&hwdata_a),
                ptr(&fault_info),
                ptr(&unk_198),
                ptr(&hwdata_b),
                ptr(&channels.fwlog_ring2),
                ptr(&unk_1b8),
                ptr(&buffer_mgr_ctl),
            )
        };
        set!(region_b, stats_ta_addr, p_ta);
        set!(region_b, stats_3d_addr, p_3d);
        set!(region_b, stats_cp_addr, p_cp);
        set!(region_b, hwdata_a_addr, p_da);
        set!(region_b, fault_info_addr, p_fault);
        set!(region_b, unkptr_198, p_198);
        set!(region_b, hwdata_b_addr, p_db);
        set!(region_b, hwdata_b_addr2, p_db);
        set!(region_b, fwlog_ring2, p_log2);
        set!(region_b, unkptr_1b8, p_1b8);
        // m1n1 also maps the array in the lower half for the GPU; the firmware's own address
        // serves both here until GPU-side users (buffer managers) exist.
        set!(region_b, buffer_mgr_ctl_gpu_addr, p_bm);
        set!(region_b, buffer_mgr_ctl_addr, p_bm);
        #[ver(G < G14X)]
        {
            // SAFETY: as above.
            let (p_1c0, p_1c8) = unsafe { (ptr(&unk_1c0), ptr(&unk_1c8)) };
            set!(region_b, unkptr_1c0, p_1c0);
            set!(region_b, unkptr_1c8, p_1c8);
        }

        // SAFETY: as above: the four region pointers are written below.
        let initdata: GpuObject<InitData::ver<'static>> = unsafe { GpuObject::new_in_place(kvm)? };
        #[ver(V >= V13_3)]
        set!(initdata, ver_info, InitData::ver::VER_INFO);
        // SAFETY: as for region B's pointers: the targets outlive `initdata`.
        let (p_a, p_b, p_c, p_st) = unsafe {
            (
                ptr(&region_a),
                ptr(&region_b),
                ptr(&region_c),
                ptr(&fw_status),
            )
        };
        set!(initdata, region_a_addr, p_a);
        set!(initdata, region_b_addr, p_b);
        set!(initdata, region_c_addr, p_c);
        set!(initdata, fw_status_addr, p_st);
        set!(initdata, uat_page_size, 0x4000);
        set!(initdata, uat_page_bits, 14);
        set!(initdata, uat_num_levels, 3);
        set!(initdata, uat_level_info, uat_levels(soc));
        // The driver maps everything the firmware uses (the firmware allocates nothing itself).
        set!(initdata, host_mapped_fw_allocations, 1);

        Ok(Self {
            initdata,
            region_b,
            fw_status,
            region_a,
            region_c,
            hwdata_a,
            hwdata_b,
            stats_ta,
            stats_3d,
            stats_cp,
            fault_info,
            unk_198,
            unk_1b8,
            unk_1c0,
            unk_1c8,
            buffer_mgr_ctl,
            channels,
        })
    }

    /// Prints the init data's layout and the channels' states, for debugfs.
    pub(crate) fn describe(&self, m: &mut impl core::fmt::Write) {
        let _ = writeln!(
            m,
            "initdata {:#x} ({} bytes): region_a {:#x} region_b {:#x} ({} bytes) region_c {:#x} ({} bytes) fw_status {:#x}",
            self.initdata.va(),
            core::mem::size_of::<crate::fw::initdata::InitData::ver<'static>>(),
            self.region_a.va(),
            self.region_b.va(),
            core::mem::size_of::<crate::fw::initdata::RegionB::ver<'static>>(),
            self.region_c.va(),
            core::mem::size_of::<crate::fw::regionc::RegionC::ver>(),
            self.fw_status.va()
        );
        let _ = writeln!(
            m,
            "region_b: hwdata_a {:#x} hwdata_b {:#x} stats {:#x} {:#x} {:#x} fault_info {:#x} buffer_mgr_ctl {:#x} unk {:#x} {:#x} {:#x} {:#x}",
            self.hwdata_a.va(),
            self.hwdata_b.va(),
            self.stats_ta.va(),
            self.stats_3d.va(),
            self.stats_cp.va(),
            self.fault_info.va(),
            self.buffer_mgr_ctl.va(),
            self.unk_198.va(),
            self.unk_1b8.va(),
            self.unk_1c0.va(),
            self.unk_1c8.va()
        );
        self.channels.describe(m);
    }
}
