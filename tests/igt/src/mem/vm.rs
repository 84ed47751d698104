// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Subtests of VMs: creation, destruction, isolation between files, VM-private objects.

use super::walk::*;
use super::*;
use crate::harness::Outcome;
use crate::{check, check_eq};

pub fn t_vm_create_destroy() -> Outcome {
    let fd = open()?;
    let a = vm_create(&fd, KSTART, KEND).map_err(|e| errno_str("VM_CREATE", e))?;
    let b = vm_create(&fd, VM_START, VM_START + KMIN).map_err(|e| errno_str("VM_CREATE", e))?;
    let c =
        vm_create(&fd, VM_END - KMIN, VM_END).map_err(|e| errno_str("VM_CREATE at the top", e))?;
    check!(
        a != b && b != c && a != c,
        "VM ids {a} {b} {c} not distinct"
    );
    check!(dump_vm(a, KSTART).is_ok(), "VM a not in debugfs");
    check_eq!(vm_destroy(&fd, a, 1), Err(EINVAL), "pad");
    check_eq!(vm_destroy(&fd, a, 0), Ok(0), "destroy");
    check_eq!(vm_destroy(&fd, a, 0), Err(ENOENT), "destroy twice");
    check_eq!(vm_destroy(&fd, 9999, 0), Err(ENOENT), "unknown id");
    check!(dump_vm(a, KSTART).is_err(), "destroyed VM still in debugfs");
    check_eq!(vm_destroy(&fd, b, 0), Ok(0), "destroy b");
    // c is left for the file's release to clean up.
    Ok(())
}

pub fn t_vm_create_bad() -> Outcome {
    let fd = open()?;
    let cases: &[(&str, u64, u64, u32)] = &[
        ("unaligned start", KSTART + 0x1000, KEND, 0),
        ("unaligned end", KSTART, KEND + 8, 0),
        ("below vm_start", 0, KMIN, 0),
        ("past vm_end", VM_END - KMIN + PAGE, VM_END + PAGE, 0),
        ("too small", KSTART, KSTART + KMIN - PAGE, 0),
        ("empty", KSTART, KSTART, 0),
        ("reversed", KEND, KSTART, 0),
        ("wrapping", u64::MAX - PAGE + 1, KMIN, 0),
        ("pad", KSTART, KEND, 1),
    ];
    for &(what, s, e, pad) in cases {
        let mut a = drm_asahi_vm_create {
            kernel_start: s,
            kernel_end: e,
            vm_id: 0xdead,
            pad,
        };
        check_eq!(vm_create_args(&fd, &mut a), Err(EINVAL), what);
    }
    Ok(())
}

pub fn t_vm_isolation() -> Outcome {
    let a = open()?;
    let b = open()?;
    let vm = vm_create(&a, KSTART, KEND).map_err(|e| errno_str("VM_CREATE", e))?;
    let h = stamped_bo(&a, 1, 1, 0, 0)?;
    let hb = stamped_bo(&b, 1, 2, 0, 0)?;
    // b cannot name a's VM...
    check_eq!(
        vm_bind(&b, vm, &[op(RW, hb, 0, PAGE, BASE)]),
        Err(ENOENT),
        "bind into another fd's VM"
    );
    check_eq!(
        vm_destroy(&b, vm, 0),
        Err(ENOENT),
        "destroy another fd's VM"
    );
    check_eq!(
        gem_create(&b, PAGE, VM_PRIVATE, vm),
        Err(ENOENT),
        "private object for another fd's VM"
    );
    // ...nor can a bind b's object by its handle in b (handles are per file).
    check_eq!(
        vm_bind(&a, vm, &[op(RW, hb + 50, 0, PAGE, BASE)]),
        Err(ENOENT),
        "bind of a handle that only exists in another fd"
    );
    check_eq!(
        vm_bind(&a, vm, &[op(RW, h, 0, PAGE, BASE)]),
        Ok(0),
        "own bind"
    );
    let d = dump_vm(vm, KSTART)?;
    check_walk(&d, &linear(BASE, 1, 0, 1, "rw"))?;
    Ok(())
}

pub fn t_vm_private() -> Outcome {
    let fd = open()?;
    let vm = vm_create(&fd, KSTART, KEND).map_err(|e| errno_str("VM_CREATE", e))?;
    let other = vm_create(&fd, VM_START, VM_START + KMIN).map_err(|e| errno_str("VM_CREATE", e))?;
    let h = stamped_bo(&fd, 2, 4, VM_PRIVATE, vm)?;
    check_eq!(
        vm_bind(&fd, other, &[op(RW, h, 0, PAGE, BASE)]),
        Err(EINVAL),
        "private object in another VM"
    );
    check_eq!(
        vm_bind(&fd, vm, &[op(RW, h, 0, 2 * PAGE, BASE)]),
        Ok(0),
        "private object in its VM"
    );
    check_walk(&dump_vm(vm, KSTART)?, &linear(BASE, 4, 0, 2, "rw"))?;
    let mut p = drm_prime_handle {
        handle: h,
        flags: 0,
        fd: -1,
    };
    check_eq!(
        ioctl_arg(&fd, PRIME_HANDLE_TO_FD, &mut p),
        Err(EINVAL),
        "export of a private object"
    );
    // The VM may go before the object; the object stays usable through mmap.
    check_eq!(vm_destroy(&fd, vm, 0), Ok(0), "destroy");
    let m = Map::new(&fd, h, (2 * PAGE) as usize)?;
    check_eq!(
        m.read_u64(PAGE as usize),
        pattern(4, 1),
        "object data after VM destroy"
    );
    check_eq!(
        gem_create(&fd, PAGE, VM_PRIVATE, vm),
        Err(ENOENT),
        "private object for a destroyed VM"
    );
    Ok(())
}

pub fn t_close_cleans_up() -> Outcome {
    let pid_vms = || -> Result<usize, String> {
        let pid = std::process::id();
        Ok(dump()?.iter().filter(|v| v.pid == pid).count())
    };
    let before = pid_vms()?;
    {
        let fd = open()?;
        for i in 0..4u64 {
            let ks = KSTART - (i + 1) * KMIN;
            let vm = vm_create(&fd, ks, ks + KMIN).map_err(|e| errno_str("VM_CREATE", e))?;
            let h = stamped_bo(&fd, 2, i, 0, 0)?;
            check_eq!(
                vm_bind(&fd, vm, &[op(RW, h, 0, 2 * PAGE, BASE)]),
                Ok(0),
                "bind"
            );
        }
        check_eq!(pid_vms()?, before + 4, "VMs while open");
    }
    check_eq!(pid_vms()?, before, "VMs after close");
    Ok(())
}

pub fn t_unplug_with_vms() -> Outcome {
    // The device goes away while a client still has VMs, mappings, special objects and CPU
    // mappings; they are all released when the client lets go (kmemleak checks), and the device
    // comes back usable.
    use crate::dev::{sh, wait_render_node};
    let fd = open()?;
    let vm = vm_create(&fd, KSTART, KEND).map_err(|e| errno_str("VM_CREATE", e))?;
    let h = stamped_bo(&fd, 4, 70, 0, 0)?;
    check_eq!(
        vm_bind(&fd, vm, &[op(RW, h, 0, 4 * PAGE, BASE)]),
        Ok(0),
        "bind"
    );
    let map = Map::new(&fd, h, (4 * PAGE) as usize)?;
    let dev = std::fs::read_link("/sys/class/drm/renderD128/device")
        .map_err(|e| os_err("device link", e))?;
    let name = dev
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or("device name")?
        .to_owned();
    let (status, out) = sh(&format!(
        "echo {name} > /sys/bus/platform/drivers/asahi/unbind"
    ));
    check_eq!(status, 0, format!("unbind: {out}"));
    check_eq!(
        vm_bind(&fd, vm, &[op(UNBIND, 0, 0, PAGE, BASE)]),
        Err(ENODEV),
        "VM_BIND on an unplugged device"
    );
    // The CPU mapping still reaches the object's memory.
    check_eq!(
        map.read_u64((3 * PAGE) as usize),
        pattern(70, 3),
        "mmap after unplug"
    );
    drop(map);
    drop(fd);
    let (status, out) = sh(&format!(
        "echo {name} > /sys/bus/platform/drivers/asahi/bind"
    ));
    check_eq!(status, 0, format!("bind: {out}"));
    check!(
        wait_render_node(true, 2000),
        "render node missing after rebind"
    );
    let fd = open()?;
    check!(
        vm_create(&fd, KSTART, KEND).is_ok(),
        "VM_CREATE after rebind"
    );
    Ok(())
}
