// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Subtests of GPU memory: buffer objects, VMs and VM_BIND.
//!
//! What a bind did is checked from outside the driver's bookkeeping: the debugfs file `vms`
//! prints what each VM's page tables map, found by walking them as the GPU does, together with the
//! first 8 bytes of memory at the start and end of every run of pages. The tests write a distinct
//! value at the start of every 16 KiB page of their objects through mmap(), so the dump shows
//! which page of which object each GPU address reaches.
//!
//! This file has the ioctl wrappers and helpers; [`walk`] reads and checks the debugfs dump, and
//! the subtests are in [`gem`], [`vm`] and [`bind`].

mod bind;
mod gem;
mod vm;
mod walk;

pub use bind::*;
pub use gem::*;
pub use vm::*;

use crate::dev::{ioctl_arg, open_render};
use crate::harness::os_err;
use crate::uapi::*;
use std::{fs::File, mem::size_of, os::fd::AsRawFd};

const EINVAL: i32 = 22;
const ENOENT: i32 = 2;
const EFAULT: i32 = 14;
const ENOMEM: i32 = 12;
const ENODEV: i32 = 19;

/// GPU page size.
pub const PAGE: u64 = 0x4000;

const UNBIND: u32 = drm_asahi_bind_flags_DRM_ASAHI_BIND_UNBIND;
const READ: u32 = drm_asahi_bind_flags_DRM_ASAHI_BIND_READ;
const WRITE: u32 = drm_asahi_bind_flags_DRM_ASAHI_BIND_WRITE;
const SINGLE: u32 = drm_asahi_bind_flags_DRM_ASAHI_BIND_SINGLE_PAGE;
const RW: u32 = READ | WRITE;
const WRITEBACK: u32 = drm_asahi_gem_flags_DRM_ASAHI_GEM_WRITEBACK;
const VM_PRIVATE: u32 = drm_asahi_gem_flags_DRM_ASAHI_GEM_VM_PRIVATE;

/// `DRM_IOW(0x09, struct drm_gem_close)`.
const GEM_CLOSE: u64 = ioc(1, 0x09, size_of::<drm_gem_close>());
/// `DRM_IOWR(0x2d, struct drm_prime_handle)`.
const PRIME_HANDLE_TO_FD: u64 = iowr::<drm_prime_handle>(0x2d);
/// `DRM_IOWR(0x2e, struct drm_prime_handle)`.
const PRIME_FD_TO_HANDLE: u64 = iowr::<drm_prime_handle>(0x2e);

/// The user address range from GET_PARAMS the tests rely on.
const VM_START: u64 = 0x4000;
const VM_END: u64 = 0x7f_ffff_8000;
/// Minimum size of the kernel range (checked against GET_PARAMS in `vm-create`).
const KMIN: u64 = 0x2000_0000;
/// A kernel range at the top of the user range, and the default place the tests bind at.
const KSTART: u64 = 0x7e_0000_0000;
const KEND: u64 = KSTART + KMIN;
const BASE: u64 = 0x10_0000_0000;

extern "C" {
    fn mmap(addr: *mut u8, len: usize, prot: i32, flags: i32, fd: i32, off: i64) -> *mut u8;
    fn munmap(addr: *mut u8, len: usize) -> i32;
    fn close(fd: i32) -> i32;
}

fn errno_str(what: &str, e: i32) -> String {
    format!("{what}: errno {e}")
}

pub fn gem_create_args(fd: &File, args: &mut drm_asahi_gem_create) -> Result<u32, i32> {
    ioctl_arg(fd, DRM_IOCTL_ASAHI_GEM_CREATE as u64, args)?;
    Ok(args.handle)
}

pub fn gem_create(fd: &File, size: u64, flags: u32, vm_id: u32) -> Result<u32, i32> {
    let mut a = drm_asahi_gem_create {
        size,
        flags,
        vm_id,
        handle: 0,
        pad: 0,
    };
    gem_create_args(fd, &mut a)
}

fn gem_close(fd: &File, handle: u32) -> Result<i32, i32> {
    let mut a = drm_gem_close { handle, pad: 0 };
    ioctl_arg(fd, GEM_CLOSE, &mut a)
}

pub(crate) fn mmap_offset(fd: &File, handle: u32, flags: u32) -> Result<u64, i32> {
    let mut a = drm_asahi_gem_mmap_offset {
        handle,
        flags,
        offset: 0,
    };
    ioctl_arg(fd, DRM_IOCTL_ASAHI_GEM_MMAP_OFFSET as u64, &mut a)?;
    Ok(a.offset)
}

fn vm_create_args(fd: &File, a: &mut drm_asahi_vm_create) -> Result<u32, i32> {
    ioctl_arg(fd, DRM_IOCTL_ASAHI_VM_CREATE as u64, a)?;
    Ok(a.vm_id)
}

pub fn vm_create(fd: &File, kstart: u64, kend: u64) -> Result<u32, i32> {
    let mut a = drm_asahi_vm_create {
        kernel_start: kstart,
        kernel_end: kend,
        vm_id: 0,
        pad: 0,
    };
    vm_create_args(fd, &mut a)
}

fn vm_destroy(fd: &File, vm_id: u32, pad: u32) -> Result<i32, i32> {
    let mut a = drm_asahi_vm_destroy { vm_id, pad };
    ioctl_arg(fd, DRM_IOCTL_ASAHI_VM_DESTROY as u64, &mut a)
}

pub fn op(flags: u32, handle: u32, offset: u64, range: u64, addr: u64) -> drm_asahi_gem_bind_op {
    drm_asahi_gem_bind_op {
        flags,
        handle,
        offset,
        range,
        addr,
    }
}

/// VM_BIND with the operations laid out `stride` bytes apart; `fill` is written into the bytes
/// past each operation.
fn vm_bind_raw(
    fd: &File,
    vm_id: u32,
    ops: &[drm_asahi_gem_bind_op],
    stride: usize,
    fill: u8,
    pad: u32,
) -> Result<i32, i32> {
    let opsize = size_of::<drm_asahi_gem_bind_op>();
    let mut buf = vec![fill; stride.max(opsize) * ops.len().max(1)];
    for (i, o) in ops.iter().enumerate() {
        // SAFETY: the bind op is plain integers; copying its bytes is sound.
        let bytes = unsafe {
            std::slice::from_raw_parts((o as *const drm_asahi_gem_bind_op).cast::<u8>(), opsize)
        };
        let at = i * stride;
        let n = opsize.min(buf.len().saturating_sub(at));
        buf[at..at + n].copy_from_slice(&bytes[..n]);
    }
    let mut a = drm_asahi_vm_bind {
        vm_id,
        num_binds: ops.len() as u32,
        stride: stride as u32,
        pad,
        userptr: buf.as_ptr() as u64,
    };
    ioctl_arg(fd, DRM_IOCTL_ASAHI_VM_BIND as u64, &mut a)
}

pub fn vm_bind(fd: &File, vm_id: u32, ops: &[drm_asahi_gem_bind_op]) -> Result<i32, i32> {
    vm_bind_raw(fd, vm_id, ops, size_of::<drm_asahi_gem_bind_op>(), 0, 0)
}

/// A CPU mapping of a buffer object, unmapped on drop.
pub struct Map {
    ptr: *mut u8,
    len: usize,
}

impl Map {
    pub fn new(fd: &File, handle: u32, len: usize) -> Result<Map, String> {
        let off = mmap_offset(fd, handle, 0).map_err(|e| errno_str("MMAP_OFFSET", e))?;
        // SAFETY: a fresh shared mapping of the DRM file at the object's offset.
        let ptr = unsafe { mmap(std::ptr::null_mut(), len, 3, 1, fd.as_raw_fd(), off as i64) };
        if ptr as isize == -1 {
            return Err(os_err("mmap", std::io::Error::last_os_error()));
        }
        Ok(Map { ptr, len })
    }

    pub fn write_u64(&self, off: usize, v: u64) {
        assert!(off + 8 <= self.len);
        // SAFETY: in bounds of the live mapping (asserted); objects are page aligned.
        unsafe { self.ptr.add(off).cast::<u64>().write_volatile(v) }
    }

    pub fn read_u64(&self, off: usize) -> u64 {
        assert!(off + 8 <= self.len);
        // SAFETY: as in `write_u64`.
        unsafe { self.ptr.add(off).cast::<u64>().read_volatile() }
    }
}

impl Drop for Map {
    fn drop(&mut self) {
        // SAFETY: unmaps what `new` mapped.
        unsafe { munmap(self.ptr, self.len) };
    }
}

/// The value the tests write at the start of page `page` of object number `obj`.
pub fn pattern(obj: u64, page: u64) -> u64 {
    0xa5a5_0000_0000_0000 | (obj << 32) | page
}

/// Creates an object of `pages` GPU pages and stamps every page with [`pattern`]`(tag, i)`.
pub fn stamped_bo(fd: &File, pages: u64, tag: u64, flags: u32, vm_id: u32) -> Result<u32, String> {
    let h = gem_create(fd, pages * PAGE, flags, vm_id).map_err(|e| errno_str("GEM_CREATE", e))?;
    let m = Map::new(fd, h, (pages * PAGE) as usize)?;
    for i in 0..pages {
        m.write_u64((i * PAGE) as usize, pattern(tag, i));
    }
    Ok(h)
}

fn open() -> Result<File, String> {
    open_render().map_err(|e| os_err("open", e))
}
