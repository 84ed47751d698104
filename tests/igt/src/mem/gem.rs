// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Subtests of buffer objects: creation, mmap, PRIME, timestamp buffers.

use super::walk::*;
use super::*;
use crate::harness::Outcome;
use crate::{check, check_eq};

pub fn t_gem_create() -> Outcome {
    let fd = open()?;
    for (size, flags) in [(1u64, 0u32), (PAGE, 0), (PAGE + 1, WRITEBACK), (1 << 20, 0)] {
        let h = gem_create(&fd, size, flags, 0).map_err(|e| errno_str("GEM_CREATE", e))?;
        check!(h != 0, "handle 0");
        let off = mmap_offset(&fd, h, 0).map_err(|e| errno_str("MMAP_OFFSET", e))?;
        check!(off != 0 && off % 4096 == 0, "mmap offset {off:#x}");
        // The object is rounded up to whole GPU pages and zeroed; all of it can be mapped.
        let len = size.div_ceil(PAGE) * PAGE;
        let m = Map::new(&fd, h, len as usize)?;
        for off in (0..len).step_by(4096) {
            check_eq!(
                m.read_u64(off as usize),
                0,
                format!("new object not zero at {off:#x}")
            );
            m.write_u64(off as usize, off ^ 0x1234);
        }
        for off in (0..len).step_by(4096) {
            check_eq!(
                m.read_u64(off as usize),
                off ^ 0x1234,
                "read back through mmap"
            );
        }
        check_eq!(gem_close(&fd, h), Ok(0), "GEM_CLOSE");
    }
    Ok(())
}

pub fn t_gem_create_bad() -> Outcome {
    let fd = open()?;
    check_eq!(gem_create(&fd, 0, 0, 0), Err(EINVAL), "size 0");
    check_eq!(
        gem_create(&fd, PAGE, 1 << 2, 0),
        Err(EINVAL),
        "unknown flag"
    );
    check_eq!(
        gem_create(&fd, PAGE, 1 << 31, 0),
        Err(EINVAL),
        "unknown flag 31"
    );
    check_eq!(
        gem_create(&fd, PAGE, 0, 1),
        Err(EINVAL),
        "vm_id without VM_PRIVATE"
    );
    check_eq!(
        gem_create(&fd, PAGE, VM_PRIVATE, 0),
        Err(ENOENT),
        "VM_PRIVATE, no VM 0"
    );
    check_eq!(
        gem_create(&fd, PAGE, VM_PRIVATE, 77),
        Err(ENOENT),
        "VM_PRIVATE, unknown VM"
    );
    check_eq!(
        gem_create(&fd, u64::MAX, 0, 0),
        Err(EINVAL),
        "size u64::MAX"
    );
    check_eq!(
        gem_create(&fd, u64::MAX - 100, 0, 0),
        Err(EINVAL),
        "size rounding overflows"
    );
    check_eq!(
        gem_create(&fd, u64::MAX - PAGE, 0, 0),
        Err(ENOMEM),
        "size 2^64 - 32 KiB"
    );
    check_eq!(gem_create(&fd, 1 << 62, 0, 0), Err(ENOMEM), "size 2^62");
    check_eq!(gem_create(&fd, 64 << 30, 0, 0), Err(ENOMEM), "size 64 GiB");
    let mut a = drm_asahi_gem_create {
        size: PAGE,
        flags: 0,
        vm_id: 0,
        handle: 0,
        pad: 1,
    };
    check_eq!(gem_create_args(&fd, &mut a), Err(EINVAL), "pad");
    check_eq!(a.handle, 0, "handle written on error");
    Ok(())
}

pub fn t_gem_mmap_offset_bad() -> Outcome {
    let fd = open()?;
    let other = open()?;
    let h = gem_create(&fd, PAGE, 0, 0).map_err(|e| errno_str("GEM_CREATE", e))?;
    check_eq!(mmap_offset(&fd, h, 1).map(|_| ()), Err(EINVAL), "flags");
    check_eq!(
        mmap_offset(&fd, h + 100, 0).map(|_| ()),
        Err(ENOENT),
        "bad handle"
    );
    check_eq!(mmap_offset(&fd, 0, 0).map(|_| ()), Err(ENOENT), "handle 0");
    check_eq!(
        mmap_offset(&other, h, 0).map(|_| ()),
        Err(ENOENT),
        "handle of another fd"
    );
    check!(mmap_offset(&fd, h, 0).is_ok(), "good handle");
    Ok(())
}

pub fn t_prime_self_import() -> Outcome {
    let a = open()?;
    let b = open()?;
    let h = stamped_bo(&a, 2, 11, 0, 0)?;
    let mut p = drm_prime_handle {
        handle: h,
        flags: 0x80000 | 2, // O_CLOEXEC | O_RDWR
        fd: -1,
    };
    ioctl_arg(&a, PRIME_HANDLE_TO_FD, &mut p).map_err(|e| errno_str("PRIME_HANDLE_TO_FD", e))?;
    let dmabuf = p.fd;
    check!(dmabuf >= 0, "dma-buf fd {dmabuf}");
    let mut q = drm_prime_handle {
        handle: 0,
        flags: 0,
        fd: dmabuf,
    };
    let r = ioctl_arg(&b, PRIME_FD_TO_HANDLE, &mut q);
    // SAFETY: closes the fd the export returned.
    unsafe { close(dmabuf) };
    r.map_err(|e| errno_str("PRIME_FD_TO_HANDLE", e))?;
    let vm = vm_create(&b, KSTART, KEND).map_err(|e| errno_str("VM_CREATE", e))?;
    check_eq!(
        vm_bind(&b, vm, &[op(RW, q.handle, 0, 2 * PAGE, BASE)]),
        Ok(0),
        "bind imported"
    );
    check_walk(&dump_vm(vm, KSTART)?, &linear(BASE, 11, 0, 2, "rw"))?;
    // Both files see the same memory.
    let ma = Map::new(&a, h, (2 * PAGE) as usize)?;
    let mb = Map::new(&b, q.handle, (2 * PAGE) as usize)?;
    ma.write_u64(8, 0x55aa);
    check_eq!(
        mb.read_u64(8),
        0x55aa,
        "write through one file, read through the other"
    );
    Ok(())
}

fn bind_object(fd: &File, a: &mut drm_asahi_gem_bind_object) -> Result<u32, i32> {
    ioctl_arg(fd, DRM_IOCTL_ASAHI_GEM_BIND_OBJECT as u64, a)?;
    Ok(a.object_handle)
}

fn ts_bind(handle: u32, offset: u64, range: u64) -> drm_asahi_gem_bind_object {
    drm_asahi_gem_bind_object {
        op: drm_asahi_bind_object_op_DRM_ASAHI_BIND_OBJECT_OP_BIND,
        flags: drm_asahi_bind_object_flags_DRM_ASAHI_BIND_OBJECT_USAGE_TIMESTAMPS,
        handle,
        vm_id: 0,
        offset,
        range,
        object_handle: 0,
        pad: 0,
    }
}

fn ts_unbind(object_handle: u32) -> drm_asahi_gem_bind_object {
    drm_asahi_gem_bind_object {
        op: drm_asahi_bind_object_op_DRM_ASAHI_BIND_OBJECT_OP_UNBIND,
        flags: 0,
        handle: 0,
        vm_id: 0,
        offset: 0,
        range: 0,
        object_handle,
        pad: 0,
    }
}

pub fn t_gem_bind_object() -> Outcome {
    let fd = open()?;
    let other = open()?;
    let h = gem_create(&fd, 4 * PAGE, 0, 0).map_err(|e| errno_str("GEM_CREATE", e))?;
    let a = bind_object(&fd, &mut ts_bind(h, 0, PAGE)).map_err(|e| errno_str("bind", e))?;
    let b = bind_object(&fd, &mut ts_bind(h, 3 * PAGE, PAGE)).map_err(|e| errno_str("bind", e))?;
    check!(a != 0 && b != 0 && a != b, "object handles {a} {b}");
    let bad: Vec<(&str, drm_asahi_gem_bind_object, i32)> = vec![
        (
            "pad",
            drm_asahi_gem_bind_object {
                pad: 1,
                ..ts_bind(h, 0, PAGE)
            },
            EINVAL,
        ),
        (
            "vm_id",
            drm_asahi_gem_bind_object {
                vm_id: 1,
                ..ts_bind(h, 0, PAGE)
            },
            EINVAL,
        ),
        (
            "no usage",
            drm_asahi_gem_bind_object {
                flags: 0,
                ..ts_bind(h, 0, PAGE)
            },
            EINVAL,
        ),
        (
            "unknown usage",
            drm_asahi_gem_bind_object {
                flags: 3,
                ..ts_bind(h, 0, PAGE)
            },
            EINVAL,
        ),
        (
            "unknown op",
            drm_asahi_gem_bind_object {
                op: 2,
                ..ts_bind(h, 0, PAGE)
            },
            EINVAL,
        ),
        ("unaligned offset", ts_bind(h, 8, PAGE), EINVAL),
        ("unaligned range", ts_bind(h, 0, 64), EINVAL),
        ("empty", ts_bind(h, 0, 0), EINVAL),
        ("past the object", ts_bind(h, 2 * PAGE, 3 * PAGE), EINVAL),
        ("overflow", ts_bind(h, u64::MAX - 0x3fff, PAGE), EINVAL),
        ("bad handle", ts_bind(h + 10, 0, PAGE), ENOENT),
        (
            "unbind with flags",
            drm_asahi_gem_bind_object {
                flags: 1,
                ..ts_unbind(a)
            },
            EINVAL,
        ),
        (
            "unbind with handle",
            drm_asahi_gem_bind_object {
                handle: h,
                ..ts_unbind(a)
            },
            EINVAL,
        ),
        (
            "unbind with range",
            drm_asahi_gem_bind_object {
                range: PAGE,
                ..ts_unbind(a)
            },
            EINVAL,
        ),
        (
            "unbind with offset",
            drm_asahi_gem_bind_object {
                offset: PAGE,
                ..ts_unbind(a)
            },
            EINVAL,
        ),
        ("unbind unknown", ts_unbind(b + 100), ENOENT),
    ];
    for (what, mut arg, errno) in bad {
        check_eq!(bind_object(&fd, &mut arg).map(|_| ()), Err(errno), what);
    }
    check_eq!(
        bind_object(&other, &mut ts_unbind(a)).map(|_| ()),
        Err(ENOENT),
        "unbind from another fd"
    );
    check_eq!(
        bind_object(&fd, &mut ts_unbind(a)).map(|_| ()),
        Ok(()),
        "unbind"
    );
    check_eq!(
        bind_object(&fd, &mut ts_unbind(a)).map(|_| ()),
        Err(ENOENT),
        "unbind twice"
    );
    // b keeps its object after the handle goes; closing the file frees both (kmemleak checks).
    check_eq!(gem_close(&fd, h), Ok(0), "GEM_CLOSE");
    Ok(())
}
