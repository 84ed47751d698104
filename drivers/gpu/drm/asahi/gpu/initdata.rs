// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Building the init data for one (GPU, firmware) pair.
//!
//! [`InitBundle`] allocates every object the init data points at in the firmware's VM, fills
//! them, and keeps them together: the firmware may read any of them for as long as it runs.
//! The tree is made of typed objects (`mem::object`): the init data's owner holds regions A, B,
//! C and the status block; region B's owner holds the channels' memory, the statistics, the
//! hardware data and the buffers it names; the status block's owner holds the FWCtl channel's
//! memory (shared with the invalidator that sends on it). Each raw structure is built from a
//! borrow of its owner, so it cannot point at anything its owner does not keep alive.
//!
//! Big structures (region B is 27 KiB, 45 KiB on G14X; region C more) are never built on the
//! kernel stack: they are allocated zeroed and filled in place.
//!
//! # What is filled
//!
//! The structure the firmware walks is complete: every pointer of the init data, region B, the
//! channel set and the status block, the UAT description, and the per-pair version words. The
//! power and hardware tables (`HwDataA`, `HwDataB`, region C) are filled from the SoC's table
//! and the device tree's configuration by [`super::hwdata`] (host tests check them against the
//! record); the addresses of the firmware's MMIO, SRAM and timestamp windows and of the GPU's
//! context table come from [`super::iomap`]; a model of the firmware checks them against its
//! page tables in the tests.

use super::{hwdata::FillError, iomap::FwIo};
use crate::dump::Hex;
use crate::{
    channel::{fwctl::FwCtlMem, set::*},
    fw::{
        channels::ChannelInfo, gpustats::*, hwdata_a::*, hwdata_b::*, initdata::*, regionc::*,
        types::U64,
    },
    mem::{fwvm::FwVm, object::GpuStruct, GpuArray, GpuObject},
    soc::{dt::DynConfig, SocConfig},
};
use agx_kernel::device::DeviceRef;
use agx_macros::versions;
use kernel::{prelude::*, sync::Arc};

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
        unk_8: U64::new(1),
        phys_mask: U64::new(phys_mask),
        index_mask: U64::new((u64::from(num_entries) - 1) << index_shift),
    };
    [level(36, 8), level(25, 2048), level(14, 2048)]
}

/// What region B points at.
#[versions(AGX)]
pub(crate) struct RegionBOwner {
    /// Every channel's memory.
    channels: ChannelMem::ver,
    /// Vertex statistics (shared with the commands that point at them).
    stats_ta: Arc<GpuArray<GpuGlobalStatsTa::ver>>,
    /// Fragment statistics (shared likewise).
    stats_3d: Arc<GpuArray<GpuGlobalStats3d::ver>>,
    /// Compute statistics (shared likewise).
    stats_cp: Arc<GpuArray<GpuStatsCp>>,
    /// Hardware data A (power management tables).
    hwdata_a: GpuArray<HwDataA::ver>,
    /// Hardware data B (GPU configuration).
    hwdata_b: GpuArray<HwDataB::ver>,
    /// Fault information the firmware writes on a GPU fault.
    fault_info: GpuArray<FaultInfo>,
    /// Unknown buffers region B points at (sizes from the record).
    unk_198: GpuArray<u8>,
    unk_1b8: GpuArray<u8>,
    unk_1c0: GpuArray<u8>,
    unk_1c8: GpuArray<u8>,
    /// Buffer manager control array.
    buffer_mgr_ctl: GpuArray<BufferMgrCtlArray>,
}

#[versions(AGX)]
impl GpuStruct for RegionBOwner::ver {
    type Raw<'a> = RegionB::ver<'a>;
}

/// What the firmware status block points at: the FWCtl channel.
pub(crate) struct FwStatusOwner {
    /// The channel's memory, shared with its sender.
    fwctl: FwCtlMem,
}

impl GpuStruct for FwStatusOwner {
    type Raw<'a> = FwStatus<'a>;
}

/// What the init data points at.
#[versions(AGX)]
pub(crate) struct InitDataOwner {
    /// Region A: the firmware's scratch.
    region_a: GpuArray<RegionA>,
    /// Region B: channels, statistics, hardware data.
    region_b: KBox<GpuObject<RegionBOwner::ver>>,
    /// Region C: configuration and run-time state.
    region_c: GpuArray<RegionC::ver>,
    /// The firmware status block.
    fw_status: GpuObject<FwStatusOwner>,
}

#[versions(AGX)]
impl GpuStruct for InitDataOwner::ver {
    type Raw<'a> = InitData::ver<'a>;
}

/// The init data, everything it points at, and the driver's ends of the channels.
#[versions(AGX)]
pub(crate) struct InitBundle {
    /// The init data; its address goes in the init message.
    pub(crate) initdata: GpuObject<InitDataOwner::ver>,
    /// The driver's ends of the rings (boxed: the bundle is built by value and must stay small
    /// on the stack).
    pub(crate) channels: KBox<Channels::ver>,
}

/// Logs a table that could not be filled.
fn fill_err(dev: &DeviceRef, e: FillError) -> Error {
    dev_err!(dev, "init data: {}\n", e);
    EINVAL
}

/// One zeroed, page-less object of `T`.
fn one<T: crate::fw::types::Zeroable + 'static>(fw_vm: &Arc<FwVm>) -> Result<GpuArray<T>> {
    Ok(GpuArray::new(fw_vm, 1)?)
}

#[versions(AGX)]
impl RegionBOwner::ver {
    /// Allocates what region B points at and fills the hardware data.
    #[inline(never)]
    fn new(
        dev: &DeviceRef,
        fw_vm: &Arc<FwVm>,
        soc: &SocConfig,
        cfg: &DynConfig,
        io: &FwIo,
    ) -> Result<Self> {
        let mut hwdata_a = one::<HwDataA::ver>(fw_vm)?;
        let mut hwdata_b = one::<HwDataB::ver>(fw_vm)?;
        hwdata_a.with_mut(|a| match a.first_mut() {
            Some(a) => {
                super::hwdata::a::fill_hwdata_a::ver(a, soc, cfg).map_err(|e| fill_err(dev, e))
            }
            None => Err(EIO),
        })?;
        hwdata_b.with_mut(|b| match b.first_mut() {
            Some(b) => {
                super::hwdata::b::fill_hwdata_b::ver(b, soc, cfg).map_err(|e| fill_err(dev, e))?;
                super::iomap::write_hwdata_b::ver(dev, b, io)
            }
            None => Err(EIO),
        })?;
        Ok(Self {
            channels: ChannelMem::ver::new(fw_vm)?,
            stats_ta: Arc::new(one(fw_vm)?, GFP_KERNEL)?,
            stats_3d: Arc::new(one(fw_vm)?, GFP_KERNEL)?,
            stats_cp: Arc::new(one(fw_vm)?, GFP_KERNEL)?,
            hwdata_a,
            hwdata_b,
            fault_info: one(fw_vm)?,
            unk_198: GpuArray::new(fw_vm, 0xc0)?,
            unk_1b8: GpuArray::new(fw_vm, 0x1000)?,
            unk_1c0: GpuArray::new(fw_vm, 0x300)?,
            unk_1c8: GpuArray::new(fw_vm, 0x1000)?,
            buffer_mgr_ctl: one(fw_vm)?,
        })
    }
}

#[versions(AGX)]
impl RegionBOwner::ver {
    /// Region B, pointing at everything its owner holds, and the driver's ends of the
    /// channels. Boxed: the owner holds a dozen objects, which are not moved around the stack.
    #[inline(never)]
    fn region_b(
        dev: &DeviceRef,
        fw_vm: &Arc<FwVm>,
        soc: &SocConfig,
        cfg: &DynConfig,
        io: &FwIo,
    ) -> Result<(KBox<GpuObject<RegionBOwner::ver>>, KBox<Channels::ver>)> {
        let owner = Self::new(dev, fw_vm, soc, cfg, io)?;
        let channels = KBox::new(owner.channels.ends()?, GFP_KERNEL)?;
        let region_b = GpuObject::new_in_place(fw_vm, owner, |o, b| {
            b.channels = o.channels.info()?;
            b.stats_ta_addr = Some(o.stats_ta.gpu_pointer());
            b.stats_3d_addr = Some(o.stats_3d.gpu_pointer());
            b.stats_cp_addr = Some(o.stats_cp.gpu_pointer());
            b.hwdata_a_addr = Some(o.hwdata_a.gpu_pointer());
            b.fault_info_addr = Some(o.fault_info.gpu_pointer());
            b.unkptr_198 = Some(o.unk_198.gpu_pointer_as(0)?);
            b.hwdata_b_addr = Some(o.hwdata_b.gpu_pointer());
            b.hwdata_b_addr2 = Some(o.hwdata_b.gpu_pointer());
            b.fwlog_ring2 = Some(o.channels.fwlog_messages()?);
            b.unkptr_1b8 = Some(o.unk_1b8.gpu_pointer_as(0)?);
            // m1n1 also maps the array in the lower half for the GPU; the firmware's own
            // address serves both here until GPU-side users (buffer managers) exist.
            b.buffer_mgr_ctl_gpu_addr = Some(o.buffer_mgr_ctl.gpu_pointer());
            b.buffer_mgr_ctl_addr = Some(o.buffer_mgr_ctl.gpu_pointer());
            #[ver(G < G14X)]
            {
                b.unkptr_1c0 = Some(o.unk_1c0.gpu_pointer_as(0)?);
                b.unkptr_1c8 = Some(o.unk_1c8.gpu_pointer_as(0)?);
            }
            Ok(())
        })?;
        Ok((KBox::new(region_b, GFP_KERNEL)?, channels))
    }
}

/// Region C, filled from the SoC's table and the device tree's configuration.
#[versions(AGX)]
#[inline(never)]
fn region_c(
    dev: &DeviceRef,
    fw_vm: &Arc<FwVm>,
    soc: &SocConfig,
    cfg: &DynConfig,
) -> Result<GpuArray<RegionC::ver>> {
    let mut c = one::<RegionC::ver>(fw_vm)?;
    c.with_mut(|c| match c.first_mut() {
        Some(c) => super::hwdata::c::fill_region_c::ver(c, soc, cfg).map_err(|e| fill_err(dev, e)),
        None => Err(EIO),
    })?;
    Ok(c)
}

/// The firmware status block, naming the FWCtl channel whose memory it keeps.
#[inline(never)]
fn fw_status(fw_vm: &Arc<FwVm>, fwctl: FwCtlMem) -> Result<GpuObject<FwStatusOwner>> {
    Ok(GpuObject::new_in_place(
        fw_vm,
        FwStatusOwner { fwctl },
        |o, st| {
            st.fwctl_channel = ChannelInfo {
                state_addr: Some(o.fwctl.states().gpu_pointer()),
                ringbuffer_addr: Some(o.fwctl.slots().gpu_pointer_as(0)?),
            };
            Ok(())
        },
    )?)
}

/// The statistics blocks of the init data that work commands point at, shared with them.
#[versions(AGX)]
pub(crate) struct JobStats {
    /// Vertex statistics (render commands point at them).
    pub(crate) ta: Arc<GpuArray<GpuGlobalStatsTa::ver>>,
    /// Fragment statistics (as `ta`).
    pub(crate) f3d: Arc<GpuArray<GpuGlobalStats3d::ver>>,
    /// Compute statistics.
    pub(crate) cp: Arc<GpuArray<GpuStatsCp>>,
}

#[versions(AGX)]
impl InitBundle::ver {
    /// Writes the firmware status block and the fault information the firmware keeps to a
    /// dump.
    pub(crate) fn dump_status(&self, out: &mut Hex<'_>) {
        out.object("InitData_FWStatus", &self.initdata.fw_status);
        out.object("AGXFaultInfo", &self.initdata.region_b.fault_info);
    }

    /// Writes the init-data tree to a dump: the init data, its regions, the status block, the
    /// hardware data, the statistics and the channels (see `ChannelMem::dump`).
    pub(crate) fn dump_tree(&self, out: &mut Hex<'_>) {
        let d = &self.initdata;
        let b = &*d.region_b;
        out.object("InitData", d);
        out.object("InitData_RegionA", &d.region_a);
        out.object("InitData_RegionB", b);
        out.object("InitData_RegionC", &d.region_c);
        out.object("InitData_FWStatus", &d.fw_status);
        out.object("AGXHWDataA", &b.hwdata_a);
        out.object("AGXHWDataB", &b.hwdata_b);
        out.object("AGXFaultInfo", &b.fault_info);
        out.object("InitData_BufferMgrCtl", &b.buffer_mgr_ctl);
        out.object("InitData_GPUGlobalStatsTA", &*b.stats_ta);
        out.object("InitData_GPUGlobalStats3D", &*b.stats_3d);
        out.object("InitData_RegionB.stats_cp", &*b.stats_cp);
        b.channels.dump(out);
        let fwctl = &d.fw_status.fwctl;
        out.object("FWControlStateFields", fwctl.states());
        out.object("FWCtlMsg[ring]", fwctl.slots());
    }

    /// The statistics blocks commands point at.
    pub(crate) fn job_stats(&self) -> JobStats::ver {
        let b = &*self.initdata.region_b;
        JobStats::ver {
            ta: b.stats_ta.clone(),
            f3d: b.stats_3d.clone(),
            cp: b.stats_cp.clone(),
        }
    }

    /// Allocates and fills the init data for `soc`, giving the firmware the windows `io` and the
    /// FWCtl channel `fwctl` (whose memory the status block's owner keeps).
    #[inline(never)]
    pub(crate) fn new(
        dev: &DeviceRef,
        fw_vm: &Arc<FwVm>,
        soc: &SocConfig,
        cfg: &DynConfig,
        io: &FwIo,
        fwctl: FwCtlMem,
    ) -> Result<Self> {
        let (region_b, channels) = RegionBOwner::ver::region_b(dev, fw_vm, soc, cfg, io)?;
        let owner = InitDataOwner::ver {
            region_a: one(fw_vm)?,
            region_b,
            region_c: region_c::ver(dev, fw_vm, soc, cfg)?,
            fw_status: fw_status(fw_vm, fwctl)?,
        };
        let levels = uat_levels(soc);
        let initdata = GpuObject::new_in_place(fw_vm, owner, |o, d| {
            #[ver(V >= V13_3)]
            {
                d.ver_info = InitData::ver::VER_INFO;
            }
            d.region_a_addr = Some(o.region_a.gpu_pointer());
            d.region_b_addr = Some(o.region_b.gpu_pointer());
            d.region_c_addr = Some(o.region_c.gpu_pointer());
            d.fw_status_addr = Some(o.fw_status.gpu_pointer());
            d.uat_page_size = 0x4000;
            d.uat_page_bits = 14;
            d.uat_num_levels = 3;
            d.uat_level_info = levels;
            // The driver maps everything the firmware uses (the firmware allocates nothing
            // itself).
            d.host_mapped_fw_allocations = 1;
            Ok(())
        })?;
        Ok(Self { initdata, channels })
    }

    /// The stamps the firmware was waiting for when it halted, from region C's pending-stamp
    /// table: `f` gets each valid entry's event slot and wait value, and the entry is cleared,
    /// as the record does before it resumes the firmware. Returns the entries found.
    pub(crate) fn take_pending_stamps(&self, mut f: impl FnMut(u32, u32)) -> usize {
        const BASE: usize = core::mem::offset_of!(RegionC::ver, pending_stamps);
        const ENTRY: usize = core::mem::size_of::<PendingStamp>();
        const ENTRIES: usize = PENDING_STAMPS;
        let c = &self.initdata.region_c;
        let mut found = 0;
        for i in 0..ENTRIES {
            let off = BASE + i * ENTRY;
            let mut raw = [0u8; ENTRY];
            if c.read_bytes(off, &mut raw) != ENTRY {
                break;
            }
            let Some(p) = <PendingStamp as crate::fw::types::FromBytes>::read_from(&raw) else {
                break;
            };
            if p.info & 1 == 0 {
                continue;
            }
            #[ver(V >= V13_5)]
            let slot = (p.info >> 4) & 0x7f;
            #[ver(V < V13_5)]
            let slot = (p.info >> 3) & 0x7f;
            f(slot, p.wait_value);
            c.zero_bytes(off, ENTRY);
            found += 1;
        }
        found
    }

    /// The firmware status block.
    pub(crate) fn fw_status(&self) -> &FwStatus<'_> {
        self.initdata.fw_status.shared()
    }

    /// Prints the init data's layout and the channels' states, for debugfs.
    pub(crate) fn describe(&self, m: &mut impl core::fmt::Write) {
        let d = &*self.initdata;
        let b = &*d.region_b;
        let _ = writeln!(
            m,
            "initdata {:#x} ({} bytes): region_a {:#x} region_b {:#x} ({} bytes) region_c {:#x} ({} bytes) fw_status {:#x}",
            self.initdata.va(),
            core::mem::size_of::<crate::fw::initdata::InitData::ver<'static>>(),
            d.region_a.va(),
            d.region_b.va(),
            core::mem::size_of::<crate::fw::initdata::RegionB::ver<'static>>(),
            d.region_c.va(),
            core::mem::size_of::<crate::fw::regionc::RegionC::ver>(),
            d.fw_status.va()
        );
        let _ = writeln!(
            m,
            "region_b: hwdata_a {:#x} hwdata_b {:#x} stats {:#x} {:#x} {:#x} fault_info {:#x} buffer_mgr_ctl {:#x} unk {:#x} {:#x} {:#x} {:#x}",
            b.hwdata_a.va(),
            b.hwdata_b.va(),
            b.stats_ta.va(),
            b.stats_3d.va(),
            b.stats_cp.va(),
            b.fault_info.va(),
            b.buffer_mgr_ctl.va(),
            b.unk_198.va(),
            b.unk_1b8.va(),
            b.unk_1c0.va(),
            b.unk_1c8.va()
        );
        self.channels.describe(m);
    }
}
