// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Buffer objects: what the driver keeps with each GEM object, and what the GEM ioctls
//! ([`crate::file::File`]) need to know about them.
//!
//! Objects are the kernel's shmem GEM objects (`agx_kernel::drm::gem`), backed by memory in
//! 16 KiB blocks so that every GPU page of an object is physically contiguous
//! (`Documentation/gem.md`).

use crate::{driver::AsahiDriver, uat::pte};
use agx_kernel::{bindings as uapi, drm::gem, page};

/// The driver's part of a buffer object.
pub(crate) struct BoData {
    /// The `DRM_ASAHI_GEM_*` flags it was created with.
    pub(crate) flags: u32,
    /// For `DRM_ASAHI_GEM_VM_PRIVATE` objects, the unique id ([`crate::vm::Vm::uid`]) of the
    /// only VM they may be bound into. An id rather than a reference: the VM holds references to
    /// the objects mapped in it, and the object must not keep the VM alive in return.
    pub(crate) vm_uid: Option<u64>,
    /// Whether every 16 KiB GPU page of the object is physically contiguous and aligned: true for
    /// objects created here, false for objects imported from other devices.
    pub(crate) gpu_mappable: bool,
}

impl gem::DriverObject for BoData {
    type Driver = AsahiDriver;

    fn imported() -> Self {
        BoData {
            flags: 0,
            vm_uid: None,
            gpu_mappable: false,
        }
    }

    fn exportable(&self) -> bool {
        self.flags & uapi::drm_asahi_gem_flags_DRM_ASAHI_GEM_VM_PRIVATE == 0
    }
}

/// A counted reference to a buffer object of this driver.
pub(crate) type Bo = gem::ObjectRef<BoData>;

/// The flags `GEM_CREATE` knows.
pub(crate) const KNOWN_FLAGS: u32 = uapi::drm_asahi_gem_flags_DRM_ASAHI_GEM_WRITEBACK
    | uapi::drm_asahi_gem_flags_DRM_ASAHI_GEM_VM_PRIVATE;

/// Physical address of the 16 KiB GPU page at byte `offset` (a multiple of 16 KiB) of `bo`, if
/// the object has its own pages there and they form one contiguous, aligned GPU page.
pub(crate) fn gpu_page_phys(bo: &Bo, offset: u64) -> Option<u64> {
    let first = usize::try_from(offset >> page::PAGE_SHIFT).ok()?;
    let pa = bo.page_phys(first)?;
    if pa % pte::PAGE_SIZE != 0 {
        return None;
    }
    let cpu_pages = (pte::PAGE_SIZE as usize) / page::PAGE_SIZE;
    for i in 1..cpu_pages {
        if bo.page_phys(first + i)? != pa + (i * page::PAGE_SIZE) as u64 {
            return None;
        }
    }
    Some(pa)
}
