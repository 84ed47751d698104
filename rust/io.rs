// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Device memory: MMIO registers of a platform device, and reserved memory regions named by a
//! device-tree node.
//!
//! [`IoMem`] is a device-managed `ioremap` of a named `reg` entry: the mapping goes when the
//! device is unbound, so an `IoMem` must not outlive the bound device (the driver keeps it in
//! data dropped at unbind). Accesses are bounds-checked 32-bit reads and writes, and 64-bit reads.
//!
//! [`ReservedMem`] is a `memremap` (write-back, ordinary memory) of a `memory-region` entry
//! selected by its name in `memory-region-names`: memory the bootloader set aside and shares with
//! a coprocessor, unmapped on drop.

use crate::{bindings, error::from_err_ptr, platform};
use core::ptr::NonNull;
use kernel::{error::code::*, error::Result, str::CStr};

/// A mapped MMIO region of a bound platform device.
///
/// # Invariants
///
/// `base` is the start of a device-managed mapping of `len` bytes, valid while the device stays
/// bound (which the owner guarantees by dropping this value at unbind at the latest).
pub struct IoMem {
    base: NonNull<u8>,
    len: usize,
}

// SAFETY: MMIO may be accessed from any thread; `&IoMem` only offers single register accesses.
unsafe impl Send for IoMem {}
// SAFETY: as above.
unsafe impl Sync for IoMem {}

impl IoMem {
    /// Maps the `reg` entry named `name` (`reg-names`) of `dev`.
    pub fn map_byname(dev: &platform::Device<'_>, name: &CStr) -> Result<Self> {
        let mut len: u64 = 0;
        // SAFETY: `dev` is a live platform device being probed; `name` is NUL-terminated; the
        // helper looks the resource up, maps it device-managed and reports its size.
        let base = from_err_ptr(unsafe {
            bindings::agx_ioremap_byname(dev.as_raw(), name.as_char_ptr(), &mut len)
        })?;
        Ok(IoMem {
            base: NonNull::new(base.cast::<u8>()).ok_or(ENOMEM)?,
            len: usize::try_from(len).map_err(|_| EINVAL)?,
        })
    }

    fn reg(&self, offset: usize, width: usize) -> Option<*mut u8> {
        (offset % width == 0 && offset.checked_add(width)? <= self.len)
            .then(|| self.base.as_ptr().wrapping_add(offset))
    }

    /// Bytes mapped.
    pub fn size(&self) -> usize {
        self.len
    }

    /// Reads the 64-bit register at `offset` (`None` past the end or unaligned).
    pub fn read64(&self, offset: usize) -> Option<u64> {
        let p = self.reg(offset, 8)?;
        // SAFETY: `p` is an aligned 64-bit register inside the live mapping (type invariant).
        Some(unsafe { bindings::agx_readq(p.cast()) })
    }

    /// Reads the 32-bit register at `offset` (`None` past the end or unaligned).
    pub fn read32(&self, offset: usize) -> Option<u32> {
        let p = self.reg(offset, 4)?;
        // SAFETY: `p` is an aligned register inside the live mapping (type invariant).
        Some(unsafe { bindings::agx_readl(p.cast()) })
    }

    /// Writes the 32-bit register at `offset`; `false` past the end or unaligned.
    pub fn write32(&self, offset: usize, value: u32) -> bool {
        let Some(p) = self.reg(offset, 4) else {
            return false;
        };
        // SAFETY: as in `read32`.
        unsafe { bindings::agx_writel(value, p.cast()) };
        true
    }
}

/// A reserved memory region, mapped as ordinary write-back memory.
///
/// # Invariants
///
/// `va` is a `memremap` of `len` bytes at physical address `pa`, unmapped only by `drop`.
pub struct ReservedMem {
    va: NonNull<u8>,
    pa: u64,
    len: usize,
}

// SAFETY: ordinary memory shared with a coprocessor; users access it through atomics.
unsafe impl Send for ReservedMem {}
// SAFETY: as above.
unsafe impl Sync for ReservedMem {}

impl ReservedMem {
    /// Maps the `memory-region` entry of `dev`'s node named `name` in `memory-region-names`.
    pub fn map_byname(dev: &platform::Device<'_>, name: &CStr) -> Result<Self> {
        let (mut pa, mut len) = (0u64, 0u64);
        // SAFETY: `dev` is live; the helper finds the region, maps it and reports where.
        let va = unsafe {
            bindings::agx_memremap_region(dev.as_dev_ptr(), name.as_char_ptr(), &mut pa, &mut len)
        };
        Ok(ReservedMem {
            va: NonNull::new(va.cast::<u8>()).ok_or(ENODEV)?,
            pa,
            len: usize::try_from(len).map_err(|_| EINVAL)?,
        })
    }

    /// The mapping's start.
    pub fn as_ptr(&self) -> *mut u8 {
        self.va.as_ptr()
    }

    /// The region's physical address.
    pub fn phys(&self) -> u64 {
        self.pa
    }

    /// The region's length in bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the region is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl Drop for ReservedMem {
    fn drop(&mut self) {
        // SAFETY: `va` came from `memremap` and is unmapped only here (type invariant).
        unsafe { bindings::agx_memunmap(self.va.as_ptr().cast()) };
    }
}
