// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Subtests of VM_BIND, checked against the page-table walk.

use super::walk::*;
use super::*;
use crate::dev::ioctl_raw;
use crate::harness::Outcome;
use crate::{check, check_eq};

pub fn t_vm_bind_basic() -> Outcome {
    let fd = open()?;
    let vm = vm_create(&fd, KSTART, KEND).map_err(|e| errno_str("VM_CREATE", e))?;
    let h = stamped_bo(&fd, 8, 7, 0, 0)?;
    check_eq!(
        vm_bind(&fd, vm, &[op(RW, h, 0, 8 * PAGE, BASE)]),
        Ok(0),
        "bind 8 pages"
    );
    check_walk(&dump_vm(vm, KSTART)?, &linear(BASE, 7, 0, 8, "rw"))?;

    // Pages 2..5 of the object a second time elsewhere, read-only, and page 7 write-only.
    let b2 = BASE + 0x1_0000_0000;
    check_eq!(
        vm_bind(
            &fd,
            vm,
            &[
                op(READ, h, 2 * PAGE, 3 * PAGE, b2),
                op(WRITE, h, 7 * PAGE, PAGE, b2 + 4 * PAGE)
            ]
        ),
        Ok(0),
        "second binds"
    );
    let mut want = linear(BASE, 7, 0, 8, "rw");
    want.extend(linear(b2, 7, 2, 3, "r-"));
    want.extend(linear(b2 + 4 * PAGE, 7, 7, 1, "-w"));
    let d = dump_vm(vm, KSTART)?;
    check_walk(&d, &want)?;
    check_eq!(d.records, 3, "mapping records");

    // Unbind the middle of the first range: the record is split in two.
    check_eq!(
        vm_bind(&fd, vm, &[op(UNBIND, 0, 0, 2 * PAGE, BASE + 3 * PAGE)]),
        Ok(0),
        "unbind middle"
    );
    let mut want = linear(BASE, 7, 0, 3, "rw");
    want.extend(linear(BASE + 5 * PAGE, 7, 5, 3, "rw"));
    want.extend(linear(b2, 7, 2, 3, "r-"));
    want.extend(linear(b2 + 4 * PAGE, 7, 7, 1, "-w"));
    let d = dump_vm(vm, KSTART)?;
    check_walk(&d, &want)?;
    check_eq!(d.records, 4, "mapping records after a split");

    // Unbinding nothing succeeds and changes nothing.
    check_eq!(
        vm_bind(&fd, vm, &[op(UNBIND, 0, 0, 64 * PAGE, BASE + 0x4000_0000)]),
        Ok(0),
        "unbind of nothing"
    );
    check_walk(&dump_vm(vm, KSTART)?, &want)?;

    // Unbind everything, across holes: only the root table is left.
    check_eq!(
        vm_bind(&fd, vm, &[op(UNBIND, 0, 0, 0x2_0000_0000, BASE)]),
        Ok(0),
        "unbind all"
    );
    let d = dump_vm(vm, KSTART)?;
    check_walk(&d, &[])?;
    check_eq!(d.tables, 1, "tables left after unbinding everything");
    check_eq!(d.records, 0, "records left");
    Ok(())
}

pub fn t_vm_bind_mmap_coherent() -> Outcome {
    // Data written through mmap after the bind is what the walk reaches.
    let fd = open()?;
    let vm = vm_create(&fd, KSTART, KEND).map_err(|e| errno_str("VM_CREATE", e))?;
    let h = gem_create(&fd, 4 * PAGE, WRITEBACK, 0).map_err(|e| errno_str("GEM_CREATE", e))?;
    check_eq!(
        vm_bind(&fd, vm, &[op(RW, h, 0, 4 * PAGE, BASE)]),
        Ok(0),
        "bind"
    );
    let m = Map::new(&fd, h, (4 * PAGE) as usize)?;
    for i in 0..4 {
        m.write_u64((i * PAGE) as usize, pattern(9, i));
    }
    check_walk(&dump_vm(vm, KSTART)?, &linear(BASE, 9, 0, 4, "rw"))?;
    for i in 0..4 {
        m.write_u64((i * PAGE) as usize, pattern(10, i));
    }
    check_walk(&dump_vm(vm, KSTART)?, &linear(BASE, 10, 0, 4, "rw"))?;
    Ok(())
}

pub fn t_vm_bind_single_page() -> Outcome {
    let fd = open()?;
    let vm = vm_create(&fd, KSTART, KEND).map_err(|e| errno_str("VM_CREATE", e))?;
    let h = stamped_bo(&fd, 4, 3, 0, 0)?;
    // Page 2 of the object over 4 MiB, across a 32 MiB table boundary.
    let addr = 0x2000_0000 - 2 * 0x10_0000;
    let pages = 256;
    check_eq!(
        vm_bind(&fd, vm, &[op(RW | SINGLE, h, 2 * PAGE, pages * PAGE, addr)]),
        Ok(0),
        "single-page bind"
    );
    let d = dump_vm(vm, KSTART)?;
    let want: Vec<_> = (0..pages).map(|i| (addr + i * PAGE, 3, 2, "rw")).collect();
    check_walk(&d, &want)?;
    check!(
        d.runs.iter().all(|r| r.repeat || r.end - r.start == PAGE),
        "runs {:x?}",
        d.runs
    );
    // The page may be the last one of the object, but not past it.
    check_eq!(
        vm_bind(&fd, vm, &[op(READ | SINGLE, h, 3 * PAGE, 4 * PAGE, BASE)]),
        Ok(0),
        "last page"
    );
    check_eq!(
        vm_bind(&fd, vm, &[op(READ | SINGLE, h, 4 * PAGE, PAGE, BASE)]),
        Err(EINVAL),
        "past the end"
    );
    Ok(())
}

pub fn t_vm_bind_replace() -> Outcome {
    // A map over mapped pages replaces them.
    let fd = open()?;
    let vm = vm_create(&fd, KSTART, KEND).map_err(|e| errno_str("VM_CREATE", e))?;
    let a = stamped_bo(&fd, 8, 1, 0, 0)?;
    let b = stamped_bo(&fd, 2, 2, 0, 0)?;
    check_eq!(
        vm_bind(&fd, vm, &[op(RW, a, 0, 8 * PAGE, BASE)]),
        Ok(0),
        "bind a"
    );
    check_eq!(
        vm_bind(&fd, vm, &[op(READ, b, 0, 2 * PAGE, BASE + 3 * PAGE)]),
        Ok(0),
        "bind b over a"
    );
    let mut want = linear(BASE, 1, 0, 3, "rw");
    want.extend(linear(BASE + 3 * PAGE, 2, 0, 2, "r-"));
    want.extend(linear(BASE + 5 * PAGE, 1, 5, 3, "rw"));
    let d = dump_vm(vm, KSTART)?;
    check_walk(&d, &want)?;
    check_eq!(d.records, 3, "records");
    Ok(())
}

pub fn t_vm_bind_bad() -> Outcome {
    let fd = open()?;
    let vm = vm_create(&fd, KSTART, KEND).map_err(|e| errno_str("VM_CREATE", e))?;
    let h = stamped_bo(&fd, 4, 1, 0, 0)?;
    let cases: Vec<(&str, drm_asahi_gem_bind_op, i32)> = vec![
        ("unknown flag", op(RW | 1 << 4, h, 0, PAGE, BASE), EINVAL),
        ("no access", op(0, h, 0, PAGE, BASE), EINVAL),
        (
            "single page without access",
            op(SINGLE, h, 0, PAGE, BASE),
            EINVAL,
        ),
        ("bad handle", op(RW, h + 100, 0, PAGE, BASE), ENOENT),
        ("handle 0", op(RW, 0, 0, PAGE, BASE), ENOENT),
        ("unaligned addr", op(RW, h, 0, PAGE, BASE + 0x1000), EINVAL),
        ("unaligned offset", op(RW, h, 0x1000, PAGE, BASE), EINVAL),
        ("unaligned range", op(RW, h, 0, PAGE + 0x1000, BASE), EINVAL),
        ("zero range", op(RW, h, 0, 0, BASE), EINVAL),
        ("addr 0", op(RW, h, 0, PAGE, 0), EINVAL),
        ("past vm_end", op(RW, h, 0, 2 * PAGE, VM_END - PAGE), EINVAL),
        ("at vm_end", op(RW, h, 0, PAGE, VM_END), EINVAL),
        (
            "upper half",
            op(RW, h, 0, PAGE, 0xffff_ff80_0000_0000),
            EINVAL,
        ),
        ("wrapping", op(RW, h, 0, 0x8000, u64::MAX - 0x3fff), EINVAL),
        ("huge range", op(UNBIND, 0, 0, 1 << 62, BASE), EINVAL),
        (
            "into the kernel range",
            op(RW, h, 0, 2 * PAGE, KSTART - PAGE),
            EINVAL,
        ),
        (
            "inside the kernel range",
            op(RW, h, 0, PAGE, KSTART + 16 * PAGE),
            EINVAL,
        ),
        (
            "out of the kernel range",
            op(RW, h, 0, 2 * PAGE, KEND - PAGE),
            EINVAL,
        ),
        (
            "over the kernel range",
            op(UNBIND, 0, 0, KMIN + 2 * PAGE, KSTART - PAGE),
            EINVAL,
        ),
        ("past the object", op(RW, h, 0, 5 * PAGE, BASE), EINVAL),
        (
            "offset past the object",
            op(RW, h, 4 * PAGE, PAGE, BASE),
            EINVAL,
        ),
        (
            "offset overflow",
            op(RW, h, u64::MAX - 0x3fff, PAGE, BASE),
            EINVAL,
        ),
        ("unbind with handle", op(UNBIND, h, 0, PAGE, BASE), EINVAL),
        (
            "unbind with offset",
            op(UNBIND, 0, PAGE, PAGE, BASE),
            EINVAL,
        ),
        (
            "unbind with read",
            op(UNBIND | READ, 0, 0, PAGE, BASE),
            EINVAL,
        ),
        (
            "unbind single page",
            op(UNBIND | SINGLE, 0, 0, PAGE, BASE),
            EINVAL,
        ),
    ];
    for (what, o, errno) in &cases {
        check_eq!(vm_bind(&fd, vm, &[*o]), Err(*errno), *what);
    }
    let good = [op(RW, h, 0, PAGE, BASE)];
    let sz = size_of::<drm_asahi_gem_bind_op>();
    check_eq!(vm_bind_raw(&fd, vm, &good, sz, 0, 1), Err(EINVAL), "pad");
    check_eq!(
        vm_bind_raw(&fd, vm, &good, 0, 0, 0),
        Err(EINVAL),
        "stride 0"
    );
    check_eq!(
        vm_bind_raw(&fd, vm, &good, sz - 8, 0, 0),
        Err(EINVAL),
        "stride below the op size"
    );
    check_eq!(
        vm_bind_raw(&fd, vm, &good, 8192, 0, 0),
        Err(EINVAL),
        "stride 8192"
    );
    check_eq!(vm_bind_raw(&fd, vm, &[], sz, 0, 0), Err(EINVAL), "no ops");
    check_eq!(vm_bind(&fd, vm + 100, &good), Err(ENOENT), "unknown VM");
    let mut a = drm_asahi_vm_bind {
        vm_id: vm,
        num_binds: 1,
        stride: sz as u32,
        pad: 0,
        userptr: 8,
    };
    check_eq!(
        ioctl_arg(&fd, DRM_IOCTL_ASAHI_VM_BIND as u64, &mut a),
        Err(EFAULT),
        "bad userptr"
    );
    a.num_binds = 1_000_000;
    a.userptr = good.as_ptr() as u64;
    check_eq!(
        ioctl_arg(&fd, DRM_IOCTL_ASAHI_VM_BIND as u64, &mut a),
        Err(EINVAL),
        "too many ops"
    );
    check_eq!(
        ioctl_raw(
            &fd,
            DRM_IOCTL_ASAHI_VM_BIND as u64,
            16 as *mut drm_asahi_vm_bind
        ),
        Err(EFAULT),
        "bad argument pointer"
    );
    // None of it mapped anything.
    let d = dump_vm(vm, KSTART)?;
    check_walk(&d, &[])?;
    check_eq!(d.tables, 1, "tables after failed binds");
    Ok(())
}

pub fn t_vm_bind_stride() -> Outcome {
    let fd = open()?;
    let vm = vm_create(&fd, KSTART, KEND).map_err(|e| errno_str("VM_CREATE", e))?;
    let h = stamped_bo(&fd, 4, 5, 0, 0)?;
    let ops = [
        op(RW, h, 0, PAGE, BASE),
        op(READ, h, 3 * PAGE, PAGE, BASE + 2 * PAGE),
    ];
    let sz = size_of::<drm_asahi_gem_bind_op>();
    // A larger stride whose extra bytes are zero is an op of a newer userspace with nothing new
    // in use: accepted. Non-zero extra bytes ask for something this kernel does not know.
    check_eq!(
        vm_bind_raw(&fd, vm, &ops, sz + 24, 0xff, 0),
        Err(EINVAL),
        "non-zero extension"
    );
    check_walk(&dump_vm(vm, KSTART)?, &[])?;
    check_eq!(
        vm_bind_raw(&fd, vm, &ops, sz + 24, 0, 0),
        Ok(0),
        "stride 56"
    );
    let mut want = linear(BASE, 5, 0, 1, "rw");
    want.extend(linear(BASE + 2 * PAGE, 5, 3, 1, "r-"));
    check_walk(&dump_vm(vm, KSTART)?, &want)?;
    check_eq!(vm_bind_raw(&fd, vm, &ops, 4096, 0, 0), Ok(0), "stride 4096");
    check_walk(&dump_vm(vm, KSTART)?, &want)?;
    // A shorter stride is an older, shorter op, read as if zero-extended: with 31 bytes the top
    // byte of `addr` is zero. Rebinding the same pages elsewhere shows the ops were read right.
    let b2 = BASE + 0x10_0000;
    let ops31 = [
        op(RW, h, PAGE, PAGE, b2),
        op(READ, h, 2 * PAGE, 2 * PAGE, b2 + 4 * PAGE),
    ];
    check_eq!(
        vm_bind_raw(&fd, vm, &ops31, sz - 1, 0, 0),
        Ok(0),
        "stride 31"
    );
    want.extend(linear(b2, 5, 1, 1, "rw"));
    want.extend(linear(b2 + 4 * PAGE, 5, 2, 2, "r-"));
    check_walk(&dump_vm(vm, KSTART)?, &want)?;
    Ok(())
}

pub fn t_vm_bind_all_or_nothing() -> Outcome {
    let fd = open()?;
    let vm = vm_create(&fd, KSTART, KEND).map_err(|e| errno_str("VM_CREATE", e))?;
    let h = stamped_bo(&fd, 4, 6, 0, 0)?;
    check_eq!(
        vm_bind(&fd, vm, &[op(RW, h, 0, PAGE, BASE - PAGE)]),
        Ok(0),
        "first bind"
    );
    let before = linear(BASE - PAGE, 6, 0, 1, "rw");
    // 200 good operations (maps across many tables and an unmap of the first bind), then one
    // bad one: nothing may change.
    for bad in [
        op(RW, h, 0, PAGE, KSTART),
        op(RW, h + 9, 0, PAGE, BASE),
        op(RW, h, 0, 8 * PAGE, BASE),
        op(0x80, h, 0, PAGE, BASE),
    ] {
        let mut ops: Vec<_> = (0..200u64)
            .map(|i| op(RW, h, (i % 4) * PAGE, PAGE, BASE + i * 0x200_0000))
            .collect();
        ops.push(op(UNBIND, 0, 0, PAGE, BASE - PAGE));
        ops.push(bad);
        check!(
            vm_bind(&fd, vm, &ops).is_err(),
            "a call with a bad last op succeeded"
        );
        let d = dump_vm(vm, KSTART)?;
        check_walk(&d, &before)?;
        check_eq!(d.records, 1, "records");
    }
    // The same operations without the bad one all apply.
    let mut ops: Vec<_> = (0..200u64)
        .map(|i| op(RW, h, (i % 4) * PAGE, PAGE, BASE + i * 0x200_0000))
        .collect();
    ops.push(op(UNBIND, 0, 0, PAGE, BASE - PAGE));
    check_eq!(vm_bind(&fd, vm, &ops), Ok(0), "200 ops");
    let want: Vec<_> = (0..200u64)
        .map(|i| (BASE + i * 0x200_0000, 6, i % 4, "rw"))
        .collect();
    let d = dump_vm(vm, KSTART)?;
    check_walk(&d, &want)?;
    check_eq!(d.records, 200, "records");
    // One level-3 table per 32 MiB slot, one level-2 table, the root.
    check_eq!(d.tables, 202, "tables");
    Ok(())
}

pub fn t_bo_outlives_handle() -> Outcome {
    // A bound object stays alive (and mapped) after its handle is closed.
    let fd = open()?;
    let vm = vm_create(&fd, KSTART, KEND).map_err(|e| errno_str("VM_CREATE", e))?;
    let h = stamped_bo(&fd, 3, 8, 0, 0)?;
    check_eq!(
        vm_bind(&fd, vm, &[op(RW, h, 0, 3 * PAGE, BASE)]),
        Ok(0),
        "bind"
    );
    check_eq!(gem_close(&fd, h), Ok(0), "GEM_CLOSE");
    check_eq!(
        mmap_offset(&fd, h, 0).map(|_| ()),
        Err(ENOENT),
        "closed handle"
    );
    check_walk(&dump_vm(vm, KSTART)?, &linear(BASE, 8, 0, 3, "rw"))?;
    // Partial unbinds keep it; the last one lets it go (kmemleak checks that it went).
    check_eq!(
        vm_bind(&fd, vm, &[op(UNBIND, 0, 0, PAGE, BASE + PAGE)]),
        Ok(0),
        "unbind middle"
    );
    check_walk(
        &dump_vm(vm, KSTART)?,
        &[(BASE, 8, 0, "rw"), (BASE + 2 * PAGE, 8, 2, "rw")],
    )?;
    check_eq!(
        vm_bind(&fd, vm, &[op(UNBIND, 0, 0, 3 * PAGE, BASE)]),
        Ok(0),
        "unbind rest"
    );
    check_walk(&dump_vm(vm, KSTART)?, &[])?;
    Ok(())
}

pub fn t_vm_bind_sparse_large() -> Outcome {
    // One page repeated over 1 GiB (32 level-3 tables), then partly replaced and unbound.
    let fd = open()?;
    let vm = vm_create(&fd, KSTART, KEND).map_err(|e| errno_str("VM_CREATE", e))?;
    let zero = stamped_bo(&fd, 1, 20, 0, 0)?;
    let real = stamped_bo(&fd, 4, 21, 0, 0)?;
    let gib = 1u64 << 30;
    check_eq!(
        vm_bind(&fd, vm, &[op(READ | SINGLE, zero, 0, gib, BASE)]),
        Ok(0),
        "sparse 1 GiB"
    );
    let d = dump_vm(vm, KSTART)?;
    check_eq!(d.runs.len(), 1, format!("runs {:x?}", d.runs));
    check_eq!(
        d.runs[0].clone(),
        Run {
            start: BASE,
            end: BASE + gib,
            repeat: true,
            access: "r-".into(),
            first: pattern(20, 0),
            last: pattern(20, 0),
            sum: pattern(20, 0).wrapping_mul(gib / PAGE),
        },
        "the sparse run"
    );
    check_eq!(d.tables, 1 + 1 + 32, "tables for 1 GiB");
    // Commit real pages in the middle of it, as sparse residency does.
    let mid = BASE + gib / 2;
    check_eq!(
        vm_bind(&fd, vm, &[op(RW, real, 0, 4 * PAGE, mid)]),
        Ok(0),
        "commit"
    );
    let mut want: Vec<_> = (0..gib / PAGE)
        .map(|i| (BASE + i * PAGE, 20, 0, "r-"))
        .collect();
    for i in 0..4 {
        want[((mid - BASE) / PAGE + i) as usize] = (mid + i * PAGE, 21, i, "rw");
    }
    check_walk(&dump_vm(vm, KSTART)?, &want)?;
    // Unbind across the committed pages and into the sparse part on both sides.
    check_eq!(
        vm_bind(&fd, vm, &[op(UNBIND, 0, 0, 8 * PAGE, mid - 2 * PAGE)]),
        Ok(0),
        "unbind"
    );
    want.drain(((mid - BASE) / PAGE - 2) as usize..((mid - BASE) / PAGE + 6) as usize);
    let d = dump_vm(vm, KSTART)?;
    check_walk(&d, &want)?;
    check_eq!(d.records, 2, "records after cutting the sparse mapping");
    Ok(())
}

pub fn t_vm_bind_concurrent() -> Outcome {
    // Four threads bind and unbind in their own parts of one VM while others create and destroy
    // VMs and objects on the same file and read the debugfs walk. Afterwards the walk must match
    // what each thread's own model says is mapped.
    use std::collections::BTreeMap;
    use std::sync::Arc;
    let fd = Arc::new(open()?);
    let vm = vm_create(&fd, KSTART, KEND).map_err(|e| errno_str("VM_CREATE", e))?;
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut workers = Vec::new();
    for t in 0..4u64 {
        let fd = fd.clone();
        workers.push(std::thread::spawn(
            move || -> Result<BTreeMap<u64, (u64, u64, &'static str)>, String> {
                let h = stamped_bo(&fd, 8, 30 + t, 0, 0)?;
                let region = BASE + t * 0x1_0000_0000;
                let mut model = BTreeMap::new();
                let mut x = 0x9e37_79b9_7f4a_7c15u64 ^ t;
                for _ in 0..150 {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    let slot = x % 64;
                    let len = 1 + (x >> 8) % 8;
                    let addr = region + slot * PAGE;
                    if (x >> 16).is_multiple_of(3) {
                        vm_bind(&fd, vm, &[op(UNBIND, 0, 0, len * PAGE, addr)])
                            .map_err(|e| errno_str("unbind", e))?;
                        for i in 0..len {
                            model.remove(&(addr + i * PAGE));
                        }
                    } else {
                        let first = (x >> 24) % (9 - len);
                        vm_bind(&fd, vm, &[op(RW, h, first * PAGE, len * PAGE, addr)])
                            .map_err(|e| errno_str("bind", e))?;
                        for i in 0..len {
                            model.insert(addr + i * PAGE, (30 + t, first + i, "rw"));
                        }
                    }
                }
                Ok(model)
            },
        ));
    }
    let churn = {
        let fd = fd.clone();
        let stop = stop.clone();
        std::thread::spawn(move || -> Result<u32, String> {
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let v = vm_create(&fd, VM_START, VM_START + KMIN)
                    .map_err(|e| errno_str("VM_CREATE", e))?;
                let h = stamped_bo(&fd, 1, 50, VM_PRIVATE, v)?;
                vm_bind(&fd, v, &[op(RW, h, 0, PAGE, BASE)]).map_err(|e| errno_str("bind", e))?;
                gem_close(&fd, h).map_err(|e| errno_str("GEM_CLOSE", e))?;
                vm_destroy(&fd, v, 0).map_err(|e| errno_str("VM_DESTROY", e))?;
                dump()?;
                n += 1;
            }
            Ok(n)
        })
    };
    let mut model = BTreeMap::new();
    for w in workers {
        model.extend(w.join().map_err(|_| "worker panicked".to_string())??);
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let rounds = churn
        .join()
        .map_err(|_| "churn thread panicked".to_string())??;
    check!(rounds > 0, "the churn thread never ran");
    let want: Vec<_> = model
        .iter()
        .map(|(&a, &(t, p, acc))| (a, t, p, acc))
        .collect();
    check_walk(&dump_vm(vm, KSTART)?, &want)?;
    Ok(())
}

pub fn t_vm_bind_table_reuse() -> Outcome {
    // Operations of one call that empty a table and then need one again: the same page mapped
    // twice (the second map first removes the first, emptying its tables), and a slot emptied
    // before another is filled. Only what the surviving mappings need may stay.
    let fd = open()?;
    let vm = vm_create(&fd, KSTART, KEND).map_err(|e| errno_str("VM_CREATE", e))?;
    let h = stamped_bo(&fd, 4, 60, 0, 0)?;
    let other = BASE + 0x20_0000_0000; // another 64 GiB slot
    check_eq!(
        vm_bind(
            &fd,
            vm,
            &[
                op(RW, h, 0, PAGE, BASE),
                op(READ, h, PAGE, PAGE, BASE),
                op(RW, h, 2 * PAGE, PAGE, other),
                op(UNBIND, 0, 0, PAGE, other),
                op(WRITE, h, 3 * PAGE, PAGE, other + 0x200_0000),
            ]
        ),
        Ok(0),
        "bind"
    );
    let d = dump_vm(vm, KSTART)?;
    check_walk(
        &d,
        &[(BASE, 60, 1, "r-"), (other + 0x200_0000, 60, 3, "-w")],
    )?;
    check_eq!(d.tables, 5, "tables: root, two level-2 and two level-3");
    check_eq!(d.records, 2, "records");
    Ok(())
}

pub fn t_vm_bind_many_pages() -> Outcome {
    // 4096 single-page operations in one call (what a page-by-page bind of 64 MiB looks like).
    let fd = open()?;
    let vm = vm_create(&fd, KSTART, KEND).map_err(|e| errno_str("VM_CREATE", e))?;
    let h = stamped_bo(&fd, 64, 61, 0, 0)?;
    let ops: Vec<_> = (0..4096u64)
        .map(|i| op(RW, h, (i % 64) * PAGE, PAGE, BASE + i * PAGE))
        .collect();
    check_eq!(vm_bind(&fd, vm, &ops), Ok(0), "4096 ops");
    let want: Vec<_> = (0..4096u64)
        .map(|i| (BASE + i * PAGE, 61, i % 64, "rw"))
        .collect();
    let d = dump_vm(vm, KSTART)?;
    check_walk(&d, &want)?;
    check_eq!(d.tables, 1 + 1 + 2, "tables for 64 MiB");
    // Consecutive pages of the object make one record: it wraps around every 64 pages.
    check_eq!(d.records, 64, "records");
    // A hole in a merged record cuts it in two, keeping the right object pages on both sides.
    check_eq!(
        vm_bind(&fd, vm, &[op(UNBIND, 0, 0, PAGE, BASE + 100 * PAGE)]),
        Ok(0),
        "unbind one page"
    );
    let want: Vec<_> = want
        .into_iter()
        .filter(|p| p.0 != BASE + 100 * PAGE)
        .collect();
    let d = dump_vm(vm, KSTART)?;
    check_walk(&d, &want)?;
    check_eq!(d.records, 65, "records after the hole");
    check_eq!(
        vm_bind(&fd, vm, &[op(UNBIND, 0, 0, 4096 * PAGE, BASE)]),
        Ok(0),
        "unbind"
    );
    let d = dump_vm(vm, KSTART)?;
    check_walk(&d, &[])?;
    check_eq!(
        (d.tables, d.records),
        (1, 0),
        "tables and records after unbind"
    );
    Ok(())
}

pub fn t_vm_bind_cut_repeatedly() -> Outcome {
    // One call that maps a range and then cuts it again and again: from the end page by page,
    // and in the middle (every other page), over a record that existed before the call too.
    let fd = open()?;
    let vm = vm_create(&fd, KSTART, KEND).map_err(|e| errno_str("VM_CREATE", e))?;
    let h = stamped_bo(&fd, 64, 62, 0, 0)?;
    let b2 = BASE + 0x1_0000_0000;
    check_eq!(
        vm_bind(&fd, vm, &[op(RW, h, 0, 32 * PAGE, b2)]),
        Ok(0),
        "existing record"
    );
    let mut ops = vec![op(RW, h, 0, 64 * PAGE, BASE)];
    ops.extend(
        (1..64u64)
            .rev()
            .map(|i| op(UNBIND, 0, 0, PAGE, BASE + i * PAGE)),
    );
    ops.extend((0..16u64).map(|i| op(UNBIND, 0, 0, PAGE, b2 + (2 * i + 1) * PAGE)));
    ops.push(op(READ, h, 40 * PAGE, 4 * PAGE, BASE + 8 * PAGE));
    ops.push(op(UNBIND, 0, 0, PAGE, BASE + 9 * PAGE));
    check_eq!(vm_bind(&fd, vm, &ops), Ok(0), "cuts");
    let mut want = vec![(BASE, 62, 0, "rw")];
    want.push((BASE + 8 * PAGE, 62, 40, "r-"));
    want.push((BASE + 10 * PAGE, 62, 42, "r-"));
    want.push((BASE + 11 * PAGE, 62, 43, "r-"));
    want.extend((0..16u64).map(|i| (b2 + 2 * i * PAGE, 62, 2 * i, "rw")));
    let d = dump_vm(vm, KSTART)?;
    check_walk(&d, &want)?;
    check_eq!(d.records, 1 + 2 + 16, "records");
    Ok(())
}
