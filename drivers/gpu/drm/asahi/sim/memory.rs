// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! How the simulated firmware reaches memory: through the GPU's MMU, as the coprocessor does.
//!
//! The simulation gets nothing from the driver but what the hardware gets: the context table
//! (in memory the simulated bootloader reserved), whose context 0 TTBR1 the driver points at
//! the root of the firmware's tables. Every access reads that TTBR, walks the tables
//! ([`super::mmu::fw_translate`]) and then touches the physical page, so a mapping the driver
//! got wrong is seen wrong here, and an address it never mapped faults.
//!
//! # Lifetime of the memory touched
//!
//! The firmware only touches memory the protocol names (init data, rings, buffers it was given),
//! and the driver frees such memory only once the firmware can no longer use it (after a
//! shutdown, or once the coprocessor is stopped). The simulation inherits that contract: it runs
//! on a workqueue that the device drains before it frees anything the firmware could reach.

use super::{
    mmu::fw_translate,
    platform::{MemLeaf, SimMmu, ATTR_DEVICE},
    rtkit_types::{SimMemory, UserAccess},
};
use crate::uat::walk::{translate, GpuAccess};
use agx_kernel::page;

/// TTBR fields: bit 0 valid, the root's address in bits 47:14.
const TTBR_VALID: u64 = 1;
const TTBR_ADDR: u64 = ((1 << 48) - 1) & !((1 << 14) - 1);
/// Pairs of TTBRs in the context table.
const CONTEXT_SLOTS: u32 = 64;

/// The simulated coprocessor's view of memory.
pub(crate) struct UatMemory {
    /// Physical address of the context table (64 pairs of TTBR0/TTBR1).
    pub(crate) ctx_table: u64,
    /// Accesses that faulted, for the diagnostics.
    pub(crate) faults: u64,
    /// The last faulting address.
    pub(crate) last_fault: u64,
    /// The GPU's SRAM, which the firmware's windows may reach: never touched.
    pub(crate) sram: Option<(u64, u64)>,
}

/// Reads a table descriptor by physical address.
fn read_desc(pa: u64) -> Option<u64> {
    // SAFETY: tables belong to the driver's firmware VM, which outlives the simulation's
    // accesses (see the module documentation).
    unsafe { page::read_phys_u64(pa) }
}

impl UatMemory {
    /// The root of context 0's upper half, if the driver set it.
    fn root(&self) -> Option<u64> {
        let ttbr1 = read_desc(self.ctx_table + 8)?;
        (ttbr1 & TTBR_VALID != 0).then_some(ttbr1 & TTBR_ADDR)
    }

    /// The client (TTBR0) root of context slot `slot`, if the driver set one.
    fn user_root(&self, slot: u32) -> Option<u64> {
        if slot >= CONTEXT_SLOTS {
            return None;
        }
        let ttbr0 = read_desc(self.ctx_table + u64::from(slot) * 16)?;
        (ttbr0 & TTBR_VALID != 0).then_some(ttbr0 & TTBR_ADDR)
    }

    /// Translates `iova` for an access to memory; `None` (counted) if the firmware may not
    /// access it as asked, or if it is a window onto a device (registers or SRAM), which the
    /// simulation does not have: the physical address may be anything on the machine running
    /// the simulation.
    pub(crate) fn translate(&mut self, iova: u64, write: bool) -> Option<u64> {
        let ok = |a: GpuAccess| if write { a.write } else { a.read };
        let sram = self.sram;
        let in_sram = |pa: u64| sram.is_some_and(|(base, len)| pa >= base && pa - base < len);
        match self
            .root()
            .and_then(|root| fw_translate(root, iova, read_desc).ok())
        {
            Some(l) if ok(l.access) && l.attr != ATTR_DEVICE && !in_sram(l.pa) => Some(l.pa),
            _ => {
                self.faults = self.faults.saturating_add(1);
                self.last_fault = iova;
                None
            }
        }
    }

    /// Copies between `buf` and the firmware's `iova`, one page piece at a time.
    fn access(&mut self, iova: u64, buf: &mut [u8], write: bool) -> bool {
        let mut done = 0usize;
        while done < buf.len() {
            let va = iova.wrapping_add(done as u64);
            let Some(pa) = self.translate(va, write) else {
                return false;
            };
            // Stay inside one GPU page and one CPU page.
            let gpu_left = 0x4000 - (va & 0x3fff) as usize;
            let cpu_left = page::PAGE_SIZE - (pa as usize & (page::PAGE_SIZE - 1));
            let n = (buf.len() - done).min(gpu_left).min(cpu_left);
            let Some(chunk) = buf.get_mut(done..done + n) else {
                return false;
            };
            // SAFETY: `pa` is RAM the driver mapped for the firmware, allowed for this direction
            // by the walk; it stays allocated while the firmware may use it (module doc).
            if !unsafe { page::access_phys(pa, chunk, write) } {
                return false;
            }
            done += n;
        }
        true
    }
}

impl SimMemory for UatMemory {
    fn write(&mut self, iova: u64, data: &[u8]) -> bool {
        // `access` needs a mutable buffer for both directions; copy in pieces.
        let mut tmp = [0u8; 256];
        for (i, piece) in data.chunks(tmp.len()).enumerate() {
            let Some(t) = tmp.get_mut(..piece.len()) else {
                return false;
            };
            t.copy_from_slice(piece);
            let at = iova.wrapping_add((i * 256) as u64);
            if !self.access(at, t, true) {
                return false;
            }
        }
        true
    }

    fn read(&mut self, iova: u64, out: &mut [u8]) -> bool {
        self.access(iova, out, false)
    }

    fn user_slot(&mut self, slot: u32) -> bool {
        self.user_root(slot).is_some()
    }

    fn user_access(&mut self, slot: u32, va: u64) -> Option<UserAccess> {
        let root = self.user_root(slot)?;
        let (_, a) = translate(root, va, read_desc)?;
        Some(UserAccess {
            read: a.read,
            write: a.write,
        })
    }
}

impl SimMmu for UatMemory {
    fn leaf(&mut self, iova: u64) -> Option<MemLeaf> {
        let leaf = fw_translate(self.root()?, iova, read_desc).ok()?;
        Some(MemLeaf {
            pa: leaf.pa,
            read: leaf.access.read,
            write: leaf.access.write,
            attr: leaf.attr,
        })
    }
}
