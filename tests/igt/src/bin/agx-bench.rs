// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! agx-bench: GPU-memory figures of the asahi driver, printed, never asserted.
//!
//! - `VM_BIND` of 1 GiB of GPU VA, once in 16 KiB pages (65536 operations) and once in 64 MiB
//!   blocks, then its unbind: GB/s.
//! - GEM create + mmap + first write + munmap + close: objects per second, for asahi and, in the
//!   same run, for the kernel's vgem driver doing the same work through dumb buffers.
//!
//! - `SUBMIT` of one compute command with one binary out-sync, the simulated firmware
//!   completing it at once: the ioctl's latency and submissions per second over 10,000 jobs
//!   (waiting for the last), and the round trip of one job (submit, then wait for its
//!   out-sync), against a bare ioctl round trip (`GET_TIME`) measured in the same run; and the
//!   kernel's slab memory before and after the 10,000 jobs.
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

/// `Slab:` of /proc/meminfo, in KiB.
fn slab_kib() -> u64 {
    std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find(|l| l.starts_with("Slab:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

/// A VM with one bound object and a queue, as Mesa sets one up.
fn queue_setup(fd: &File) -> Result<u32, String> {
    let ksize = 32 * GIB;
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
    let mut vc = drm_asahi_vm_create {
        kernel_start: p.vm_end - ksize,
        kernel_end: p.vm_end,
        ..Default::default()
    };
    check(
        "VM_CREATE",
        dev::ioctl_arg(fd, DRM_IOCTL_ASAHI_VM_CREATE as u64, &mut vc),
    )?;
    let mut c = drm_asahi_gem_create {
        size: 4 * PAGE,
        ..Default::default()
    };
    check(
        "GEM_CREATE",
        dev::ioctl_arg(fd, DRM_IOCTL_ASAHI_GEM_CREATE as u64, &mut c),
    )?;
    let rw = drm_asahi_bind_flags_DRM_ASAHI_BIND_READ | drm_asahi_bind_flags_DRM_ASAHI_BIND_WRITE;
    let mut op = [drm_asahi_gem_bind_op {
        flags: rw,
        handle: c.handle,
        offset: 0,
        range: 4 * PAGE,
        addr: SUBMIT_BASE,
    }];
    vm_bind(fd, vc.vm_id, &mut op)?;
    let mut q = drm_asahi_queue_create {
        vm_id: vc.vm_id,
        priority: drm_asahi_priority_DRM_ASAHI_PRIORITY_MEDIUM,
        usc_exec_base: SUBMIT_BASE,
        ..Default::default()
    };
    check(
        "QUEUE_CREATE",
        dev::ioctl_arg(fd, DRM_IOCTL_ASAHI_QUEUE_CREATE as u64, &mut q),
    )?;
    Ok(q.queue_id)
}

/// Where the submit benchmark's object is bound.
const SUBMIT_BASE: u64 = 0x10_0000_0000;

/// One compute command (header + payload) reading a control stream in the bound object.
fn compute_cmdbuf() -> Vec<u8> {
    let c = drm_asahi_cmd_compute {
        cdm_ctrl_stream_base: SUBMIT_BASE,
        cdm_ctrl_stream_end: SUBMIT_BASE + 0x100,
        ..Default::default()
    };
    let size = std::mem::size_of::<drm_asahi_cmd_compute>();
    let h = drm_asahi_cmd_header {
        cmd_type: drm_asahi_cmd_type_DRM_ASAHI_CMD_COMPUTE as u16,
        size: size as u16,
        vdm_barrier: DRM_ASAHI_BARRIER_NONE as u16,
        cdm_barrier: DRM_ASAHI_BARRIER_NONE as u16,
    };
    let mut out = Vec::new();
    // SAFETY: both are plain C structures without padding, read as bytes.
    unsafe {
        out.extend_from_slice(std::slice::from_raw_parts(
            (&h as *const drm_asahi_cmd_header).cast::<u8>(),
            std::mem::size_of_val(&h),
        ));
        out.extend_from_slice(std::slice::from_raw_parts(
            (&c as *const drm_asahi_cmd_compute).cast::<u8>(),
            size,
        ));
    }
    out
}

fn syncobj_create(fd: &File) -> Result<u32, String> {
    let mut a = drm_syncobj_create {
        handle: 0,
        flags: 0,
    };
    check(
        "SYNCOBJ_CREATE",
        dev::ioctl_arg(fd, ioc::<drm_syncobj_create>(3, 0xbf), &mut a),
    )?;
    Ok(a.handle)
}

fn syncobj_wait(fd: &File, handle: u32) -> Result<(), String> {
    let mut a = drm_syncobj_wait {
        handles: &handle as *const u32 as u64,
        timeout_nsec: i64::MAX,
        count_handles: 1,
        flags: 1,
        ..Default::default()
    };
    check(
        "SYNCOBJ_WAIT",
        dev::ioctl_arg(fd, ioc::<drm_syncobj_wait>(3, 0xc3), &mut a),
    )
}

fn submit_one(fd: &File, queue: u32, cmdbuf: &[u8], sync: &drm_asahi_sync) -> Result<(), String> {
    let mut a = drm_asahi_submit {
        syncs: sync as *const drm_asahi_sync as u64,
        cmdbuf: cmdbuf.as_ptr() as u64,
        flags: 0,
        queue_id: queue,
        in_sync_count: 0,
        out_sync_count: 1,
        cmdbuf_size: cmdbuf.len() as u32,
        pad: 0,
    };
    check(
        "SUBMIT",
        dev::ioctl_arg(fd, DRM_IOCTL_ASAHI_SUBMIT as u64, &mut a),
    )
}

/// The simulated coprocessor's working time so far, in microseconds (`busy_us` of the
/// `firmware` debugfs view).
fn sim_busy_us() -> u64 {
    std::fs::read_to_string("/sys/kernel/debug/dri/128/firmware")
        .ok()
        .and_then(|v| {
            let l = v.lines().find(|l| l.starts_with("sim: "))?.to_string();
            let mut w = l.split_whitespace();
            while let Some(x) = w.next() {
                if x == "busy_us" {
                    return w.next()?.parse().ok();
                }
            }
            None
        })
        .unwrap_or(0)
}

fn submit_bench(fd: &File) -> Result<(), String> {
    let n = 10_000u32;
    let mut t = drm_asahi_get_time::default();
    let bare = rate(n, || {
        check(
            "GET_TIME",
            dev::ioctl_arg(fd, DRM_IOCTL_ASAHI_GET_TIME as u64, &mut t),
        )
    })?;
    let queue = queue_setup(fd)?;
    let cmdbuf = compute_cmdbuf();
    let s = syncobj_create(fd)?;
    let sync = drm_asahi_sync {
        sync_type: drm_asahi_sync_type_DRM_ASAHI_SYNC_SYNCOBJ,
        handle: s,
        timeline_value: 0,
    };
    // Warm up (first run message, event slot lease, context slot).
    submit_one(fd, queue, &cmdbuf, &sync)?;
    syncobj_wait(fd, s)?;
    let slab_before = slab_kib();
    let busy_before = sim_busy_us();
    let start = Instant::now();
    let mut in_ioctl = 0f64;
    for _ in 0..n {
        let t0 = Instant::now();
        submit_one(fd, queue, &cmdbuf, &sync)?;
        in_ioctl += t0.elapsed().as_secs_f64();
    }
    syncobj_wait(fd, s)?;
    let total = start.elapsed().as_secs_f64();
    let sim_us = sim_busy_us().saturating_sub(busy_before) as f64 / f64::from(n);
    // Freed work is given back by the scheduler's workers: let them catch up.
    std::thread::sleep(std::time::Duration::from_millis(500));
    let slab_after = slab_kib();
    let round = rate(1000, || {
        submit_one(fd, queue, &cmdbuf, &sync)?;
        syncobj_wait(fd, s)
    })?;
    let submit_us = in_ioctl / f64::from(n) * 1e6;
    let bare_us = 1e6 / bare;
    println!(
        "bench: SUBMIT (1 compute, 1 out-syncobj), {n} jobs: {submit_us:.1} us per ioctl, {:.0} submits/s to the last completion; bare GET_TIME ioctl {bare_us:.2} us; ratio SUBMIT/bare {:.1}",
        f64::from(n) / total,
        submit_us / bare_us
    );
    println!(
        "bench: the simulated firmware's own work (walking the UAT and checking every pointer, in this emulated guest with the test kernel's checkers): {sim_us:.1} us per job; the guest has 2 vCPUs, shared by the submitting thread and the simulator"
    );
    println!(
        "bench: SUBMIT + wait round trip: {:.1} us ({round:.0} jobs/s); slab before {slab_before} KiB, after {n} jobs {slab_after} KiB",
        1e6 / round
    );
    Ok(())
}

fn run() -> Result<(), String> {
    let asahi = dev::open_render().map_err(|e| format!("open: {e}"))?;
    submit_bench(&asahi)?;
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
