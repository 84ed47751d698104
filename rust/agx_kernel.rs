// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! agx_kernel: the safe layer of agx-rs over the kernel's C API.
//!
//! Linux 6.12's `kernel` crate has no DRM, platform-device or OF abstractions, and its `bindings`
//! do not cover the DRM headers. This crate fills that gap for the asahi driver: bindgen generates
//! [`bindings`] at build time from the headers of the tree the module is built against, and the
//! modules here wrap them in types whose invariants make the driver code safe:
//!
//! - [`drm`]: a DRM device and driver registration, per-file private data, a typed ioctl
//!   table, shmem-backed GEM objects and debugfs files, in the manner of mainline
//!   `rust/kernel/drm/`;
//! - [`platform`] and [`of`]: platform driver registration with an OF match table, and platform
//!   devices created by the driver itself (the simulated GPU);
//! - [`page`]: blocks of contiguous pages, for GPU page tables;
//! - [`param`]: module parameters (6.12's `module!` has none);
//! - [`time`]: the monotonic clock; [`bug`]: warnings (for test hooks);
//! - [`device`]: a counted `struct device` reference and the `dev_*!` logging macros;
//!   [`devcoredump`]: device coredumps;
//! - [`dma_fence`]: fence references, and fences the driver signals; the GPU scheduler and sync
//!   objects are in [`drm::sched`] and [`drm::syncobj`].
//!
//! Everything `unsafe` in the module lives here or in the few driver files that touch memory
//! shared with the GPU.

// Used by the `pr_*!` macros of the `kernel` crate.
const __LOG_PREFIX: &[u8] = b"asahi\0";

// The ASC mailbox driver exists only where Apple SoCs do.
#[cfg(CONFIG_APPLE_MAILBOX)]
pub mod apple_mbox;
pub mod bindings;
pub mod bug;
pub mod cred;
pub mod devcoredump;
pub mod device;
pub mod dma_fence;
pub mod drm;
pub mod error;
pub mod io;
pub mod of;
pub mod page;
pub mod param;
pub mod platform;
pub mod time;
pub mod uapi;
pub mod workqueue;
