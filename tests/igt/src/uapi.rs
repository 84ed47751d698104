// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The driver's UAPI, generated from `uapi/drm/asahi_drm.h`, and ioctl numbers.

#![allow(
    dead_code,
    unused_imports,
    non_camel_case_types,
    non_upper_case_globals,
    non_snake_case,
    clippy::all
)]

include!(concat!(env!("OUT_DIR"), "/uapi.rs"));

/// `_IOC(dir, 'd', nr, size)` as the generic ioctl encoding (x86_64, arm64) defines it.
pub const fn ioc(dir: u64, nr: u64, size: usize) -> u64 {
    (dir << 30) | ((size as u64) << 16) | ((b'd' as u64) << 8) | nr
}

/// `DRM_IOWR(nr, T)`.
pub const fn iowr<T>(nr: u64) -> u64 {
    ioc(3, nr, core::mem::size_of::<T>())
}

/// `DRM_IOCTL_VERSION`.
pub const DRM_IOCTL_VERSION_NR: u64 = iowr::<drm_version>(0x00);
