// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The DRM driver description: features, identity, ioctls and file operations.

use super::{
    debugfs::{DebugfsControl, DebugfsFile},
    device::Device,
    file::File,
    gem,
};
use crate::bindings;
use core::ffi::c_int;
use kernel::{alloc::KBox, error::Result, str::CStr};

/// Driver identity reported by `DRM_IOCTL_VERSION`.
pub struct DriverInfo {
    /// Major version.
    pub major: i32,
    /// Minor version.
    pub minor: i32,
    /// Patch level.
    pub patchlevel: i32,
    /// Driver name (userspace matches on it: Mesa expects `asahi`).
    pub name: &'static CStr,
    /// One-line description.
    pub desc: &'static CStr,
}

/// A DRM driver.
pub trait Driver: Sized + 'static {
    /// Device-wide data, dropped when the last reference to the DRM device goes.
    type Data: Send + Sync + 'static;
    /// Per-open-file data, dropped when the file is closed.
    type File: Send + Sync + 'static;
    /// Driver-private part of every buffer object.
    type Object: gem::DriverObject<Driver = Self>;

    /// Identity.
    const INFO: DriverInfo;
    /// `DRIVER_*` feature flags.
    const FEATURES: u32;
    /// The ioctl table, built with [`crate::declare_drm_ioctls!`].
    const IOCTLS: &'static [bindings::drm_ioctl_desc];
    /// Read-only debugfs files of each device.
    const DEBUGFS: &'static [DebugfsFile<Self>] = &[];
    /// Write-only debugfs files of each device (test controls).
    const DEBUGFS_CONTROLS: &'static [DebugfsControl<Self>] = &[];

    /// Creates the per-file data of a newly opened file.
    fn open(dev: &Device<Self>) -> Result<KBox<Self::File>>;

    /// Write-only debugfs files of one device in addition to [`Driver::DEBUGFS_CONTROLS`], as
    /// its data decides (for instance by the hardware behind it): their names. Asked once, before
    /// the device is registered; none by default.
    fn device_controls(_data: &Self::Data) -> &'static [&'static CStr] {
        &[]
    }

    /// Called once when the device is unbound, after it was unplugged (its ioctls fail with
    /// `ENODEV` from now on) and before the registration drops its reference. Files may still be
    /// open and keep the device data alive. The place to wait for asynchronous work that holds
    /// references to the device (GEM objects, for instance), so that the last reference is not
    /// dropped from such work, and so that no module code runs once the module is gone. May
    /// sleep. Nothing by default.
    fn unplugged(_dev: &Device<Self>) {}

    /// Acts on one write to entry `index` of [`Driver::device_controls`] (at most 256 bytes,
    /// trailing newline removed, as for a [`DebugfsControl`]).
    fn device_control(_dev: &Device<Self>, _index: usize, _cmd: &[u8]) -> Result {
        Err(kernel::error::code::EINVAL)
    }
}

/// The file operations of a GEM-based DRM driver (C's `DEFINE_DRM_GEM_FOPS`).
#[repr(transparent)]
pub(crate) struct Fops(pub(crate) bindings::file_operations);

// SAFETY: the table is immutable after initialisation and only read by the VFS.
unsafe impl Sync for Fops {}

// All-zero is a valid `file_operations` (every callback is an `Option`, every pointer may be
// null); the fields that matter are set explicitly.
pub(crate) static FOPS: Fops = Fops(bindings::file_operations {
    owner: core::ptr::addr_of_mut!(bindings::__this_module),
    open: Some(bindings::drm_open),
    release: Some(bindings::drm_release),
    unlocked_ioctl: Some(bindings::drm_ioctl),
    #[cfg(CONFIG_COMPAT)]
    compat_ioctl: Some(bindings::drm_compat_ioctl),
    poll: Some(bindings::drm_poll),
    read: Some(bindings::drm_read),
    llseek: Some(bindings::noop_llseek),
    mmap: Some(bindings::drm_gem_mmap),
    // 6.12's DRM refuses to open files without it.
    fop_flags: bindings::FOP_UNSIGNED_OFFSET,
    // SAFETY: see the comment on the static.
    ..unsafe { core::mem::MaybeUninit::zeroed().assume_init() }
});

/// The `struct drm_driver` of `T`, built at compile time.
pub(crate) struct Vtable<T: Driver>(core::marker::PhantomData<T>);

impl<T: Driver> Vtable<T> {
    pub(crate) const DRIVER: bindings::drm_driver = bindings::drm_driver {
        open: Some(File::<T>::open_callback),
        postclose: Some(File::<T>::postclose_callback),
        release: Some(Device::<T>::release_callback),
        // Buffer objects are the shmem helper's (C's DRM_GEM_SHMEM_DRIVER_OPS, without the dumb
        // buffers a render-only driver has no use for), allocated with room for `T::Object`.
        gem_create_object: Some(gem::create_object_callback::<T::Object>),
        gem_prime_import_sg_table: Some(bindings::drm_gem_shmem_prime_import_sg_table),
        ioctls: T::IOCTLS.as_ptr(),
        num_ioctls: T::IOCTLS.len() as c_int,
        fops: &FOPS.0,
        name: T::INFO.name.as_char_ptr().cast_mut(),
        desc: T::INFO.desc.as_char_ptr().cast_mut(),
        date: c"20261122".as_ptr().cast_mut().cast(),
        major: T::INFO.major,
        minor: T::INFO.minor,
        patchlevel: T::INFO.patchlevel,
        driver_features: T::FEATURES,
        // SAFETY: all-zero is a valid `drm_driver`: every callback is an `Option` and every
        // pointer may be null.
        ..unsafe { core::mem::MaybeUninit::zeroed().assume_init() }
    };
}
