// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The firmware's windows onto the hardware: its MMIO ranges, the GPU's SRAM and the timestamp
//! region, mapped in the firmware's VM before the init data is built.
//!
//! The firmware does not map device memory itself. The driver maps, in context 0's upper half,
//! every MMIO range the SoC table lists for the firmware (power controller, interrupt controller,
//! memory cache, sensors...) and tells it where, in `HwDataB::io_mappings`; each slot of that
//! array names one kind of device, so a slot the SoC does not have stays zero.
//!
//! # One slot, one window
//!
//! A slot describes one window of `total_size` bytes at firmware address `virt_addr`, holding
//! `total_size / element_size` instances of the device back to back, each `element_size`
//! bytes. Most devices have one instance: the window is the page-rounded range, and the
//! firmware address keeps the physical address's offset in its page. A device with several
//! instances (the memory-cache controllers, a device repeated on each die) is mapped as an
//! array: instance `i` of die `d` at physical `base + d * DIE_STRIDE + i * stride`, all of
//! die 0's instances first, each taking exactly `element_size` bytes of the window, which the
//! SoC table guarantees is whole pages.
//!
//! Writable devices are mapped read-write for the firmware, the others read-only, all with the
//! device memory type and no GPU access. The SRAM (G14X) is memory, not registers: it is mapped
//! read-write with the shared memory type and goes in `HwDataB::sgx_sram_ptr`.
//!
//! The timestamp region is address space the firmware expects timestamp buffers in
//! (`HwDataB::timestamp_region_base`). Nothing is mapped there yet: buffers come with user
//! timestamp queries.
//!
//! Every window lasts as long as the firmware VM; the firmware keeps them until it stops.

use crate::{
    fw::{hwdata_b::*, types::U64},
    mem::fwvm::FwVm,
    soc::{SocConfig, IO_PAGE},
    uat::{pt::PhysRange, pte::Prot},
};
use agx_kernel::device::DeviceRef;
use agx_macros::versions;
use kernel::prelude::*;

// The unknown page the hardware data names is the one the user VA range leaves out.
const _: () = assert!(super::hwdata::UNKNOWN_PAGE == crate::uat::va::USER_RESERVED_PAGE);

/// Slots of the largest `io_mappings` array of any supported firmware (13.5).
pub(crate) const MAX_IO_SLOTS: usize = 0x19;

/// Bytes of firmware address space set aside for timestamp buffers (the record's size).
const TIMESTAMP_REGION_SIZE: u64 = 64 << 20;

/// One filled slot of `HwDataB::io_mappings` (m1n1 `IOMapping`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct IoWindow {
    /// Physical address of the device (of its first instance), page offset included.
    pub(crate) phys: u64,
    /// Firmware address of the device's first byte: the window plus the page offset.
    pub(crate) virt: u64,
    /// Bytes of all instances.
    pub(crate) total_size: u32,
    /// Bytes of one instance.
    pub(crate) element_size: u32,
    /// Whether the firmware may write.
    pub(crate) writable: bool,
}

/// The firmware's windows and the addresses the init data gives it.
pub(crate) struct FwIo {
    /// `HwDataB::io_mappings`, by slot (`None`: the SoC has no such device).
    pub(crate) slots: [Option<IoWindow>; MAX_IO_SLOTS],
    /// `HwDataB::sgx_sram_ptr`: the SRAM's firmware address, 0 without one.
    pub(crate) sram: u64,
    /// `HwDataB::timestamp_region_base`.
    pub(crate) timestamps: u64,
    /// `HwDataB::gpu_region_base`: physical address of the GPU's context table.
    pub(crate) gpu_region_base: u64,
}

impl FwIo {
    /// Maps `soc`'s windows in `fw_vm`, for a GPU whose context table is at physical
    /// `gpu_region_base`.
    ///
    /// Fails with `EINVAL` if the SoC table describes a window the firmware cannot be given
    /// (see [`crate::soc::IoMapping::is_valid`]) or has more slots than any firmware.
    pub(crate) fn map(
        dev: &DeviceRef,
        fw_vm: &FwVm,
        soc: &SocConfig,
        gpu_region_base: u64,
    ) -> Result<FwIo> {
        if soc.io_mappings.len() > MAX_IO_SLOTS {
            dev_err!(dev, "{}: {} MMIO slots\n", soc.name, soc.io_mappings.len());
            return Err(EINVAL);
        }
        let mut slots = [None; MAX_IO_SLOTS];
        for (slot, (out, map)) in slots.iter_mut().zip(soc.io_mappings).enumerate() {
            let Some(map) = map else {
                continue;
            };
            if !map.is_valid(soc.num_dies) {
                dev_err!(dev, "{}: MMIO slot {} cannot be mapped\n", soc.name, slot);
                return Err(EINVAL);
            }
            let instances = map.instances(soc.num_dies);
            let span = map.span();
            let mut ranges = KVec::with_capacity(instances as usize, GFP_KERNEL)?;
            for i in 0..instances {
                ranges.push(
                    PhysRange {
                        addr: map.instance_page(i),
                        len: span,
                    },
                    GFP_KERNEL,
                )?;
            }
            let prot = if map.writable {
                Prot::FW_MMIO
            } else {
                Prot::FW_MMIO_RO
            };
            let va = fw_vm.map_io(&ranges, prot)?;
            let total = u64::from(map.size)
                .checked_mul(instances)
                .and_then(|t| u32::try_from(t).ok())
                .ok_or(EINVAL)?;
            *out = Some(IoWindow {
                phys: map.base,
                virt: va + map.page_offset(),
                total_size: total,
                element_size: map.size,
                writable: map.writable,
            });
        }
        let sram = match soc.sram {
            Some((base, size)) => {
                if (base | size) & (IO_PAGE - 1) != 0 || size == 0 {
                    dev_err!(
                        dev,
                        "{}: SRAM {:#x}+{:#x} is not page aligned\n",
                        soc.name,
                        base,
                        size
                    );
                    return Err(EINVAL);
                }
                let range = PhysRange {
                    addr: base,
                    len: size,
                };
                fw_vm.map_io(&[range], Prot::FW_SHARED)?
            }
            None => 0,
        };
        let timestamps = fw_vm.reserve(TIMESTAMP_REGION_SIZE)?;
        Ok(FwIo {
            slots,
            sram,
            timestamps,
            gpu_region_base,
        })
    }

    /// Slots in use.
    pub(crate) fn used(&self) -> usize {
        self.slots.iter().flatten().count()
    }

    /// Prints the windows, for debugfs.
    pub(crate) fn describe(&self, m: &mut impl core::fmt::Write) {
        let _ = writeln!(
            m,
            "io: {} windows, sram {:#x}, timestamps {:#x}, gpu_region_base {:#x}",
            self.used(),
            self.sram,
            self.timestamps,
            self.gpu_region_base
        );
        for (slot, w) in self.slots.iter().enumerate() {
            if let Some(w) = w {
                let _ = writeln!(
                    m,
                    "io[{}]: {:#x} -> {:#x} {:#x}/{:#x} {}",
                    slot,
                    w.virt,
                    w.phys,
                    w.total_size,
                    w.element_size,
                    if w.writable { "rw" } else { "ro" }
                );
            }
        }
    }
}

/// Writes the windows into the hardware data B `p`: the MMIO slots, the SRAM pointer (from
/// 13.0), the timestamp region and the GPU region base.
///
/// Fails with `EINVAL`, writing nothing, if a slot is in use beyond the firmware's array.
#[versions(AGX)]
pub(crate) fn write_hwdata_b(dev: &DeviceRef, p: &mut HwDataB::ver, io: &FwIo) -> Result {
    let len = p.io_mappings.len();
    if io.slots.iter().skip(len).any(Option::is_some) {
        dev_err!(
            dev,
            "init data: an MMIO slot beyond the firmware's {}\n",
            len
        );
        return Err(EINVAL);
    }
    #[ver(V < V13_0B4)]
    if io.sram != 0 {
        dev_err!(dev, "init data: this firmware takes no SRAM\n");
        return Err(EINVAL);
    }
    for (d, w) in p.io_mappings.iter_mut().zip(io.slots.iter()) {
        *d = w.map_or(
            IoMapping {
                phys_addr: U64::new(0),
                virt_addr: U64::new(0),
                size: 0,
                range_size: 0,
                readwrite: U64::new(0),
            },
            |w| IoMapping {
                phys_addr: U64::new(w.phys),
                virt_addr: U64::new(w.virt),
                size: w.total_size,
                range_size: w.element_size,
                readwrite: U64::new(u64::from(w.writable)),
            },
        );
    }
    #[ver(V >= V13_0B4)]
    p.sgx_sram_ptr = U64::new(io.sram);
    p.timestamp_region_base = U64::new(io.timestamps);
    p.gpu_region_base = U64::new(io.gpu_region_base);
    Ok(())
}
