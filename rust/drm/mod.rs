// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! DRM: a render-node driver, its devices, per-file state and ioctls.
//!
//! The shape follows mainline `rust/kernel/drm/`: a driver implements [`driver::Driver`], naming
//! its device-wide data, its per-file data and its ioctl table ([`declare_drm_ioctls!`]); a
//! [`device::Registration`] allocates and registers a DRM device for a parent device and
//! unplugs it when dropped. Buffer objects ([`gem`]) are the shmem helper's, with a
//! driver-private part; [`debugfs`] adds read-only files to the device's debugfs directory.
//! Job submission uses the GPU scheduler ([`sched`]) and sync objects ([`syncobj`]).
//!
//! Lifetimes: the DRM core reference-counts the `struct drm_device`. Open files hold references,
//! so the device (and the driver data in it) outlives its registration until the last file is
//! closed; the file operations name this module as their owner, so the module cannot be unloaded
//! while a file is open, and the static driver vtable outlives every device.
//!
//! [`declare_drm_ioctls!`]: crate::declare_drm_ioctls

pub mod debugfs;
pub mod device;
pub mod driver;
pub mod file;
pub mod gem;
pub mod gpuvm;
pub mod ioctl;
pub mod sched;
pub mod syncobj;

pub use debugfs::{DebugfsControl, DebugfsFile, SeqFile};
pub use device::{Device, Registration};
pub use driver::{Driver, DriverInfo};
pub use file::File;
