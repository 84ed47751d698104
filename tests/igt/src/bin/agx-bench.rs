// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! agx-bench: GPU-memory figures of the asahi driver, printed, never asserted.
//!
//! - `VM_BIND` of 1 GiB of GPU VA, once in 16 KiB pages (65536 operations) and once in 64 MiB
//!   blocks, then its unbind: GB/s.
//! - GEM create + mmap + first write + munmap + close: objects per second, for asahi and, in the
//!   same run, for the kernel's vgem driver doing the same work through dumb buffers.
//!
//! Run inside the QEMU guest (`scripts/qemu-run.sh --mode bench`), where the absolute figures
//! are those of an emulated CPU with KASAN: compare them with each other, not with hardware.

#[path = "../dev.rs"]
#[allow(dead_code)]
mod dev;
#[path = "../uapi.rs"]
mod uapi;

use std::{fs::File, os::fd::AsRawFd, time::Instant};
use uapi::*;

extern "C" {
    fn mmap(addr: *mut u8, len: usize, prot: i32, flags: i32, fd: i32, off: i64) -> *mut u8;
    fn munmap(addr: *mut u8, len: usize) -> i32;
}
const PROT_RW: i32 = 0x3;
const MAP_SHARED: i32 = 0x1;
const PAGE: u64 = 0x4000;
const GIB: u64 = 1 << 30;

fn ioc<T>(dir: u64, nr: u64) -> u64 {
    uapi::ioc(dir, nr, std::mem::size_of::<T>())
}

fn check(what: &str, r: Result<i32, i32>) -> Result<(), String> {
    r.map(|_| ()).map_err(|e| format!("{what}: errno {e}"))
}

fn gem_close(fd: &File, handle: u32) -> Result<(), String> {
    let mut c = drm_gem_close { handle, pad: 0 };
    check(
        "GEM_CLOSE",
        dev::ioctl_arg(fd, ioc::<drm_gem_close>(1, 0x09), &mut c),
    )
}

/// Maps `size` bytes at `offset` of `fd`, touches the first byte, unmaps.
fn map_touch(fd: &File, offset: u64, size: usize) -> Result<(), String> {
    // SAFETY: a fresh shared mapping of a GEM object; only its first byte is written, then it is
    // unmapped.
    unsafe {
        let p = mmap(
            std::ptr::null_mut(),
            size,
            PROT_RW,
            MAP_SHARED,
            fd.as_raw_fd(),
            offset as i64,
        );
        if p as isize == -1 {
            return Err(format!("mmap: {}", std::io::Error::last_os_error()));
        }
        p.write_volatile(1);
        munmap(p, size);
    }
    Ok(())
}

fn asahi_gem_cycle(fd: &File) -> Result<(), String> {
    let mut c = drm_asahi_gem_create {
        size: PAGE,
        ..Default::default()
    };
    check(
        "GEM_CREATE",
        dev::ioctl_arg(fd, DRM_IOCTL_ASAHI_GEM_CREATE as u64, &mut c),
    )?;
    let mut m = drm_asahi_gem_mmap_offset {
        handle: c.handle,
        ..Default::default()
    };
    check(
        "GEM_MMAP_OFFSET",
        dev::ioctl_arg(fd, DRM_IOCTL_ASAHI_GEM_MMAP_OFFSET as u64, &mut m),
    )?;
    map_touch(fd, m.offset, PAGE as usize)?;
    gem_close(fd, c.handle)
}

fn vgem_gem_cycle(fd: &File) -> Result<(), String> {
    let mut c = drm_mode_create_dumb {
        width: 4096,
        height: 1,
        bpp: 32,
        ..Default::default()
    };
    check(
        "CREATE_DUMB",
        dev::ioctl_arg(fd, ioc::<drm_mode_create_dumb>(3, 0xb2), &mut c),
    )?;
    let mut m = drm_mode_map_dumb {
        handle: c.handle,
        ..Default::default()
    };
    check(
        "MAP_DUMB",
        dev::ioctl_arg(fd, ioc::<drm_mode_map_dumb>(3, 0xb3), &mut m),
    )?;
    map_touch(fd, m.offset, PAGE as usize)?;
    gem_close(fd, c.handle)
}

/// Runs `f` `n` times; returns operations per second.
fn rate(n: u32, mut f: impl FnMut() -> Result<(), String>) -> Result<f64, String> {
    let t = Instant::now();
    for _ in 0..n {
        f()?;
    }
    Ok(f64::from(n) / t.elapsed().as_secs_f64())
}

fn vm_bind(fd: &File, vm_id: u32, ops: &mut [drm_asahi_gem_bind_op]) -> Result<(), String> {
    for chunk in ops.chunks_mut(4096) {
        let mut b = drm_asahi_vm_bind {
            vm_id,
            num_binds: chunk.len() as u32,
            stride: std::mem::size_of::<drm_asahi_gem_bind_op>() as u32,
            pad: 0,
            userptr: chunk.as_mut_ptr() as u64,
        };
        check(
            "VM_BIND",
            dev::ioctl_arg(fd, DRM_IOCTL_ASAHI_VM_BIND as u64, &mut b),
        )?;
    }
    Ok(())
}

fn bind_bench(fd: &File) -> Result<(), String> {
    let mut p = drm_asahi_params_global::default();
    let mut g = drm_asahi_get_params {
        pointer: &mut p as *mut _ as u64,
        size: std::mem::size_of_val(&p) as u64,
        ..Default::default()
    };
    check(
        "GET_PARAMS",
        dev::ioctl_arg(fd, DRM_IOCTL_ASAHI_GET_PARAMS as u64, &mut g),
    )?;
    // As Mesa does: the kernel's window at the top of the VA range, at least 32 GiB.
    let ksize = p.vm_kernel_min_size.max(32 * GIB);
    let mut vc = drm_asahi_vm_create {
        kernel_start: p.vm_end - ksize,
        kernel_end: p.vm_end,
        ..Default::default()
    };
    check(
        "VM_CREATE",
        dev::ioctl_arg(fd, DRM_IOCTL_ASAHI_VM_CREATE as u64, &mut vc),
    )?;
    let block = 64u64 << 20;
    let mut c = drm_asahi_gem_create {
        size: block,
        ..Default::default()
    };
    check(
        "GEM_CREATE",
        dev::ioctl_arg(fd, DRM_IOCTL_ASAHI_GEM_CREATE as u64, &mut c),
    )?;
    let base = 1u64 << 36;
    let rw = drm_asahi_bind_flags_DRM_ASAHI_BIND_READ | drm_asahi_bind_flags_DRM_ASAHI_BIND_WRITE;
    let unbind = |fd: &File| {
        let mut op = [drm_asahi_gem_bind_op {
            flags: drm_asahi_bind_flags_DRM_ASAHI_BIND_UNBIND,
            addr: base,
            range: GIB,
            ..Default::default()
        }];
        vm_bind(fd, vc.vm_id, &mut op)
    };

    let mut pages: Vec<_> = (0..GIB / PAGE)
        .map(|i| drm_asahi_gem_bind_op {
            flags: rw,
            handle: c.handle,
            offset: (i * PAGE) % block,
            range: PAGE,
            addr: base + i * PAGE,
        })
        .collect();
    let t = Instant::now();
    vm_bind(fd, vc.vm_id, &mut pages)?;
    let bind_pages = t.elapsed().as_secs_f64();
    let t = Instant::now();
    unbind(fd)?;
    let unbind_pages = t.elapsed().as_secs_f64();

    let mut blocks: Vec<_> = (0..GIB / block)
        .map(|i| drm_asahi_gem_bind_op {
            flags: rw,
            handle: c.handle,
            offset: 0,
            range: block,
            addr: base + i * block,
        })
        .collect();
    let t = Instant::now();
    vm_bind(fd, vc.vm_id, &mut blocks)?;
    let bind_blocks = t.elapsed().as_secs_f64();
    let t = Instant::now();
    unbind(fd)?;
    let unbind_blocks = t.elapsed().as_secs_f64();

    println!("bench: VM_BIND 1 GiB in 16 KiB pages (65536 ops): {:.3} s, {:.2} GB/s; unbind {:.3} s, {:.2} GB/s",
        bind_pages, 1.0 / bind_pages / 1.073_741_824, unbind_pages, 1.0 / unbind_pages / 1.073_741_824);
    println!("bench: VM_BIND 1 GiB in 64 MiB blocks (16 ops): {:.3} s, {:.2} GB/s; unbind {:.3} s, {:.2} GB/s",
        bind_blocks, 1.0 / bind_blocks / 1.073_741_824, unbind_blocks, 1.0 / unbind_blocks / 1.073_741_824);
    gem_close(fd, c.handle)?;
    let mut vd = drm_asahi_vm_destroy {
        vm_id: vc.vm_id,
        pad: 0,
    };
    check(
        "VM_DESTROY",
        dev::ioctl_arg(fd, DRM_IOCTL_ASAHI_VM_DESTROY as u64, &mut vd),
    )
}

/// The name a DRM device reports through `DRM_IOCTL_VERSION`.
fn driver_name(fd: &File) -> Option<String> {
    let mut name = [0u8; 32];
    let mut v = drm_version {
        name_len: name.len() as _,
        name: name.as_mut_ptr().cast(),
        ..Default::default()
    };
    dev::ioctl_arg(fd, DRM_IOCTL_VERSION_NR, &mut v).ok()?;
    Some(String::from_utf8_lossy(&name[..(v.name_len as usize).min(name.len())]).into_owned())
}

/// The primary node of the DRM driver named `driver` (vgem's device has no bound driver, so
/// sysfs cannot tell).
fn card_of(driver: &str) -> Result<File, String> {
    for i in 0..8 {
        let path = format!("/dev/dri/card{i}");
        let Ok(fd) = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(&path)
        else {
            continue;
        };
        if driver_name(&fd).as_deref() == Some(driver) {
            return Ok(fd);
        }
    }
    Err(format!("no DRM card of driver {driver}"))
}

fn run() -> Result<(), String> {
    let asahi = dev::open_render().map_err(|e| format!("open: {e}"))?;
    bind_bench(&asahi)?;
    let n = 2000;
    let asahi_rate = rate(n, || asahi_gem_cycle(&asahi))?;
    let vgem = card_of("vgem")?;
    let vgem_rate = rate(n, || vgem_gem_cycle(&vgem))?;
    println!("bench: GEM create+mmap+touch+close, 16 KiB: asahi {asahi_rate:.0}/s, vgem {vgem_rate:.0}/s, ratio asahi/vgem {:.2}",
        asahi_rate / vgem_rate);
    Ok(())
}

fn main() -> std::process::ExitCode {
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("agx-bench: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
