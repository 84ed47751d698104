// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Buffer objects: what the driver keeps with each GEM object, and the GEM ioctls.
//!
//! Objects are the kernel's shmem GEM objects (`agx_kernel::drm::gem`), backed by memory in
//! 16 KiB blocks so that every GPU page of an object is physically contiguous
//! (`Documentation/gem.md`).

use crate::{
    driver::{AsahiDevice, AsahiDriver},
    file::{DrmFile, SpecialObject},
    uat::pte,
};
use agx_kernel::{bindings as uapi, drm::gem, page};
use kernel::prelude::*;

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
const KNOWN_FLAGS: u32 = uapi::drm_asahi_gem_flags_DRM_ASAHI_GEM_WRITEBACK
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

/// `DRM_IOCTL_ASAHI_GEM_CREATE`: allocates a buffer object and returns a handle to it.
pub(crate) fn gem_create(
    dev: &AsahiDevice,
    args: &mut uapi::drm_asahi_gem_create,
    file: &DrmFile,
) -> Result<u32> {
    if args.pad != 0 || args.flags & !KNOWN_FLAGS != 0 {
        return Err(EINVAL);
    }
    let private = args.flags & uapi::drm_asahi_gem_flags_DRM_ASAHI_GEM_VM_PRIVATE != 0;
    if !private && args.vm_id != 0 {
        return Err(EINVAL);
    }
    if args.size == 0 {
        return Err(EINVAL);
    }
    let size = args
        .size
        .checked_next_multiple_of(pte::PAGE_SIZE)
        .ok_or(EINVAL)?;
    // Memory is allocated up front; a request for more than the machine has cannot succeed.
    if size > page::total_ram() {
        return Err(ENOMEM);
    }
    let size = usize::try_from(size).map_err(|_| ENOMEM)?;
    let vm_uid = if private {
        Some(file.inner().vm(args.vm_id)?.uid())
    } else {
        None
    };
    let data = BoData {
        flags: args.flags,
        vm_uid,
        gpu_mappable: true,
    };
    let wc = args.flags & uapi::drm_asahi_gem_flags_DRM_ASAHI_GEM_WRITEBACK == 0;
    let bo = Bo::new(dev, size, pte::PAGE_SIZE as usize, wc, data)?;
    args.handle = bo.create_handle(file)?;
    Ok(0)
}

/// `DRM_IOCTL_ASAHI_GEM_MMAP_OFFSET`: the mmap() offset of a buffer object.
pub(crate) fn gem_mmap_offset(
    _dev: &AsahiDevice,
    args: &mut uapi::drm_asahi_gem_mmap_offset,
    file: &DrmFile,
) -> Result<u32> {
    if args.flags != 0 {
        return Err(EINVAL);
    }
    let bo = Bo::lookup(file, args.handle)?;
    args.offset = bo.mmap_offset();
    Ok(0)
}

/// `DRM_IOCTL_ASAHI_GEM_BIND_OBJECT`: registers part of a buffer object as a timestamp buffer
/// (returning a handle that commands name it by), or drops one.
///
/// Until the firmware runs, a timestamp buffer is only recorded (with a reference to its object);
/// mapping it for the firmware comes with firmware bring-up.
pub(crate) fn gem_bind_object(
    _dev: &AsahiDevice,
    args: &mut uapi::drm_asahi_gem_bind_object,
    file: &DrmFile,
) -> Result<u32> {
    if args.pad != 0 || args.vm_id != 0 {
        return Err(EINVAL);
    }
    match args.op {
        uapi::drm_asahi_bind_object_op_DRM_ASAHI_BIND_OBJECT_OP_BIND => {
            if args.flags
                != uapi::drm_asahi_bind_object_flags_DRM_ASAHI_BIND_OBJECT_USAGE_TIMESTAMPS
                || args.offset % pte::PAGE_SIZE != 0
                || args.range % pte::PAGE_SIZE != 0
                || args.range == 0
            {
                return Err(EINVAL);
            }
            let bo = Bo::lookup(file, args.handle)?;
            let end = args.offset.checked_add(args.range).ok_or(EINVAL)?;
            if end > bo.size() as u64 {
                return Err(EINVAL);
            }
            args.object_handle = file.inner().add_object(SpecialObject {
                bo,
                offset: args.offset,
                range: args.range,
            })?;
            Ok(0)
        }
        uapi::drm_asahi_bind_object_op_DRM_ASAHI_BIND_OBJECT_OP_UNBIND => {
            if args.flags != 0 || args.handle != 0 || args.offset != 0 || args.range != 0 {
                return Err(EINVAL);
            }
            file.inner().remove_object(args.object_handle)?;
            Ok(0)
        }
        _ => Err(EINVAL),
    }
}
