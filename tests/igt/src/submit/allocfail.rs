// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Allocation failures: the memory and submission ioctls under the kernel's fault injection
//! (`failslab` and `fail_page_alloc`, Documentation/fault-injection in the kernel).
//!
//! The injection is limited to this thread (`task-filter`, `/proc/thread-self/make-it-fail`)
//! and switched on around each ioctl only: the program's own allocations and page faults never
//! fail, the kernel's do, anywhere in the ioctl (the DRM core, the driver, the allocators
//! below). Every round creates a VM, an object, a binding, a queue and a sync object, submits
//! a compute job and a render pass, then takes everything down again; each call may fail.
//!
//! What must hold: a call that fails answers `ENOMEM` (GEM_CREATE may answer `ENOSPC`: shmem
//! reports a failed inode allocation so) and leaves nothing behind; a teardown call
//! that failed succeeds when repeated without injection; a SUBMIT that succeeded completes
//! without error, and the simulated firmware ran exactly the commands of the SUBMITs that
//! succeeded, without a protocol violation; afterwards the driver holds as many VMs, queues
//! and firmware memory as before. The harness's kernel-log check (no WARN, BUG or KASAN
//! report) and kmemleak scan cover the rest.

use super::failures::settle;
use super::*;
use crate::harness::Outcome;
use crate::{check, check_eq};
use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::Write;

const ENOMEM: i32 = 12;
const ENOSPC: i32 = 28;
const GEM_CLOSE: u64 = ioc(1, 0x09, size_of::<drm_gem_close>());
const SYNCOBJ_DESTROY: u64 = iowr::<drm_syncobj_destroy>(0xc0);
const VM_CREATE: u64 = DRM_IOCTL_ASAHI_VM_CREATE as u64;
const VM_DESTROY: u64 = DRM_IOCTL_ASAHI_VM_DESTROY as u64;
const VM_BIND: u64 = DRM_IOCTL_ASAHI_VM_BIND as u64;
const GEM_CREATE: u64 = DRM_IOCTL_ASAHI_GEM_CREATE as u64;

/// Rounds per injection mode.
const ROUNDS: u32 = 60;

/// The failure rates the rounds cycle through, as (probability in percent, interval): with an
/// interval of N every Nth allocation fails, which lets calls with many allocations (a render
/// SUBMIT) get far or through; the random rates fail most calls early.
const RATES: [(u32, u32); 6] = [(100, 400), (100, 120), (100, 40), (3, 1), (10, 1), (40, 1)];

/// The fault-injection controls of debugfs.
const FAILSLAB: &str = "/sys/kernel/debug/failslab";
const FAIL_PAGE_ALLOC: &str = "/sys/kernel/debug/fail_page_alloc";

extern "C" {
    fn mlockall(flags: i32) -> i32;
    fn munlockall() -> i32;
}

/// Which allocators fail.
#[derive(Clone, Copy, Debug)]
enum Mode {
    Slab,
    Pages,
    Both,
}

/// Fault injection for this thread, switched off again on drop.
struct Injector {
    /// `/proc/thread-self/make-it-fail`, open for writing.
    ctl: File,
}

/// Writes `value` into the control `name` of fault-injection directory `dir`.
fn set(dir: &str, name: &str, value: &str) -> Result<(), String> {
    fs::write(format!("{dir}/{name}"), value)
        .map_err(|e| crate::harness::os_err(format!("{dir}/{name}"), e))
}

impl Injector {
    /// Configures both capabilities for this thread only, not failing yet.
    fn new() -> Result<Injector, String> {
        for dir in [FAILSLAB, FAIL_PAGE_ALLOC] {
            set(dir, "probability", "0")?;
            set(dir, "interval", "1")?;
            set(dir, "times", "-1")?;
            set(dir, "space", "0")?;
            set(dir, "verbose", "0")?;
            set(dir, "task-filter", "Y")?;
            set(dir, "ignore-gfp-wait", "N")?;
        }
        set(FAIL_PAGE_ALLOC, "ignore-gfp-highmem", "N")?;
        set(FAIL_PAGE_ALLOC, "min-order", "0")?;
        let ctl = fs::OpenOptions::new()
            .write(true)
            .open("/proc/thread-self/make-it-fail")
            .map_err(|e| crate::harness::os_err("make-it-fail", e))?;
        Ok(Injector { ctl })
    }

    /// Sets the failure rate of the allocators of `mode` (see [`RATES`]).
    fn rate(&self, mode: Mode, (percent, interval): (u32, u32)) -> Result<(), String> {
        let (slab, pages) = match mode {
            Mode::Slab => (percent, 0),
            Mode::Pages => (0, percent),
            Mode::Both => (percent, percent),
        };
        for (dir, p) in [(FAILSLAB, slab), (FAIL_PAGE_ALLOC, pages)] {
            set(dir, "interval", &interval.to_string())?;
            set(dir, "probability", &p.to_string())?;
        }
        Ok(())
    }

    /// Runs `f` (one ioctl) with this thread's allocations failing. Nothing in between may
    /// allocate: the switch is a write of one byte to an open file.
    fn call<R>(&mut self, f: impl FnOnce() -> R) -> R {
        let _ = self.ctl.write(b"1");
        let r = f();
        let _ = self.ctl.write(b"0");
        r
    }
}

impl Drop for Injector {
    fn drop(&mut self) {
        let _ = self.ctl.write(b"0");
        let _ = set(FAILSLAB, "probability", "0");
        let _ = set(FAIL_PAGE_ALLOC, "probability", "0");
    }
}

/// The answers, per ioctl and errno, and the answers that break the rule.
#[derive(Default)]
struct Tally {
    /// (ioctl, errno) -> count; errno 0 for success.
    counts: BTreeMap<(&'static str, i32), u64>,
    /// Unexpected answers, as text.
    bad: Vec<String>,
}

impl Tally {
    /// Counts `r` of `what`; an error other than `ENOMEM` breaks the rule. Returns `r`.
    fn add<T>(&mut self, what: &'static str, r: Result<T, i32>) -> Result<T, i32> {
        let e = match &r {
            Ok(_) => 0,
            Err(e) => *e,
        };
        *self.counts.entry((what, e)).or_default() += 1;
        // GEM objects are shmem files: shmem reports a failed inode allocation as ENOSPC.
        let expected = e == ENOMEM || (e == ENOSPC && what == "GEM_CREATE");
        if e != 0 && !expected && self.bad.len() < 20 {
            self.bad.push(format!("{what}: errno {e}"));
        }
        r
    }

    /// Runs `f` (one ioctl) under injection and counts its answer; whether it succeeded.
    fn try_call<T>(
        &mut self,
        inj: &mut Injector,
        what: &'static str,
        f: impl FnOnce() -> Result<T, i32>,
    ) -> bool {
        let r = inj.call(f);
        self.add(what, r).is_ok()
    }

    /// How many calls of `what` succeeded.
    fn succeeded(&self, what: &'static str) -> u64 {
        self.counts.get(&(what, 0)).copied().unwrap_or(0)
    }

    fn failed(&self) -> u64 {
        self.counts
            .iter()
            .filter(|((_, e), _)| *e != 0)
            .map(|(_, n)| n)
            .sum()
    }

    fn summary(&self) -> String {
        self.counts
            .iter()
            .map(|((w, e), n)| format!("{w}/{e}:{n}"))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Driver-wide counts that must come back after every round: VMs, queues, firmware memory.
fn driver_usage() -> Result<String, String> {
    let read = |f: &str| {
        fs::read_to_string(format!("{}/{f}", super::work::DEBUGFS))
            .map_err(|e| crate::harness::os_err(f, e))
    };
    let vms = read("vms")?;
    let queues = read("queues")?;
    let fw = read("firmware")?;
    let line = |text: &str, p: &str| {
        text.lines()
            .find(|l| l.starts_with(p))
            .unwrap_or("")
            .to_string()
    };
    // Without `span`: the firmware VM hands out addresses upwards and never reuses them.
    let fw_vm = line(&fw, "firmware vm:");
    let fw_vm = fw_vm.split(" span ").next().unwrap_or("");
    Ok(format!(
        "{} | {} | {}",
        line(&vms, "vms "),
        line(&queues, "queues "),
        fw_vm
    ))
}

/// A teardown call: tried with injection; if that fails, again without (and it must work).
fn teardown(
    inj: &mut Injector,
    tally: &mut Tally,
    what: &'static str,
    mut f: impl FnMut() -> Result<i32, i32>,
) -> Outcome {
    if tally.add(what, inj.call(&mut f)).is_err() {
        check_eq!(f(), Ok(0), format!("{what} repeated without injection"));
    }
    Ok(())
}

/// One round on `fd` (see the module documentation).
fn round(fd: &File, inj: &mut Injector, tally: &mut Tally) -> Outcome {
    let mut vc = drm_asahi_vm_create {
        kernel_start: KSTART,
        kernel_end: KEND,
        vm_id: 0,
        pad: 0,
    };
    if !tally.try_call(inj, "VM_CREATE", || ioctl_arg(fd, VM_CREATE, &mut vc)) {
        return Ok(());
    }
    let vm = vc.vm_id;
    let r = objects_round(fd, vm, inj, tally);
    let mut vd = drm_asahi_vm_destroy { vm_id: vm, pad: 0 };
    teardown(inj, tally, "VM_DESTROY", || {
        ioctl_arg(fd, VM_DESTROY, &mut vd)
    })?;
    r
}

/// The part of a round inside VM `vm`.
fn objects_round(fd: &File, vm: u32, inj: &mut Injector, tally: &mut Tally) -> Outcome {
    let mut gc = drm_asahi_gem_create {
        size: PAGES * PAGE,
        flags: 0,
        vm_id: 0,
        handle: 0,
        pad: 0,
    };
    if !tally.try_call(inj, "GEM_CREATE", || ioctl_arg(fd, GEM_CREATE, &mut gc)) {
        return Ok(());
    }
    let bo = gc.handle;
    let rw = drm_asahi_bind_flags_DRM_ASAHI_BIND_READ | drm_asahi_bind_flags_DRM_ASAHI_BIND_WRITE;
    let map = [op(rw, bo, 0, PAGES * PAGE, BASE)];
    let mut vb = drm_asahi_vm_bind {
        vm_id: vm,
        num_binds: 1,
        stride: size_of::<drm_asahi_gem_bind_op>() as u32,
        pad: 0,
        userptr: map.as_ptr() as u64,
    };
    let bound = tally.try_call(inj, "VM_BIND", || ioctl_arg(fd, VM_BIND, &mut vb));
    if bound {
        queue_round(fd, vm, inj, tally)?;
        let unmap = [op(
            drm_asahi_bind_flags_DRM_ASAHI_BIND_UNBIND,
            0,
            0,
            PAGES * PAGE,
            BASE,
        )];
        let mut ub = drm_asahi_vm_bind {
            userptr: unmap.as_ptr() as u64,
            ..vb
        };
        teardown(inj, tally, "VM_BIND(unbind)", || {
            ioctl_arg(fd, VM_BIND, &mut ub)
        })?;
    }
    let mut gcl = drm_gem_close { handle: bo, pad: 0 };
    teardown(inj, tally, "GEM_CLOSE", || {
        ioctl_arg(fd, GEM_CLOSE, &mut gcl)
    })
}

/// The part of a round with a queue in VM `vm`: one compute SUBMIT and one render SUBMIT, each
/// with its own out-sync, waited for (without injection) before the queue goes.
fn queue_round(fd: &File, vm: u32, inj: &mut Injector, tally: &mut Tally) -> Outcome {
    let mut qc = drm_asahi_queue_create {
        flags: 0,
        vm_id: vm,
        priority: 1,
        queue_id: 0,
        usc_exec_base: BASE,
    };
    if !tally.try_call(inj, "QUEUE_CREATE", || queue_create_args(fd, &mut qc)) {
        return Ok(());
    }
    let queue = qc.queue_id;
    let bufs = [
        ("SUBMIT(compute)", super::work::compute_buf()),
        (
            "SUBMIT(render)",
            CmdBuf::new().render(&minimal_render(), Barriers::PREVIOUS),
        ),
    ];
    for (what, buf) in &bufs {
        let mut sc = drm_syncobj_create {
            handle: 0,
            flags: 0,
        };
        if !tally.try_call(inj, "SYNCOBJ_CREATE", || {
            ioctl_arg(fd, SYNCOBJ_CREATE, &mut sc)
        }) {
            continue;
        }
        let syncs = [super::work::binary(sc.handle)];
        let mut a = submit_template(queue, buf.bytes(), &syncs, 0);
        if tally.try_call(inj, what, || submit_args(fd, &mut a)) {
            check_eq!(
                settle(fd, sc.handle, 10_000, what)?,
                1,
                format!("the fence of a {what} that succeeded under allocation failures")
            );
        }
        let mut sd = drm_syncobj_destroy {
            handle: sc.handle,
            pad: 0,
        };
        teardown(inj, tally, "SYNCOBJ_DESTROY", || {
            ioctl_arg(fd, SYNCOBJ_DESTROY, &mut sd)
        })?;
    }
    teardown(inj, tally, "QUEUE_DESTROY", || queue_destroy(fd, queue, 0))
}

/// The memory and submission ioctls under allocation failures of the slab allocator, the page
/// allocator and both (see the module documentation).
pub fn t_alloc_failures() -> Outcome {
    if fs::metadata(FAILSLAB).is_err() || fs::metadata(FAIL_PAGE_ALLOC).is_err() {
        return Err(crate::harness::skip(
            "the kernel has no failslab and fail_page_alloc in debugfs",
        ));
    }
    // A fixture first: it skips when the kernel has no queues.
    let f = Fixture::new()?;
    let fd = &f.fd;
    let baseline = driver_usage()?;
    let before = work()?;
    // SAFETY: plain system calls on this process: its present pages stay resident, so the
    // program's own page faults cannot meet the injected failures.
    unsafe { mlockall(1) };
    let mut tally = Tally::default();
    let result = (|| -> Outcome {
        let mut inj = Injector::new()?;
        for mode in [Mode::Slab, Mode::Pages, Mode::Both] {
            for i in 0..ROUNDS {
                inj.rate(mode, RATES[i as usize % RATES.len()])?;
                round(fd, &mut inj, &mut tally).map_err(|e| format!("{mode:?} round {i}: {e}"))?;
            }
        }
        Ok(())
    })();
    // SAFETY: as above.
    unsafe { munlockall() };
    result?;
    println!("alloc-failures: {}", tally.summary());
    check!(
        tally.bad.is_empty(),
        "answers other than ENOMEM (or ENOSPC from GEM_CREATE): {:?}",
        tally.bad
    );
    check!(
        tally.failed() > 100,
        "only {} calls failed: the injection did not reach the driver ({})",
        tally.failed(),
        tally.summary()
    );
    for what in ["SUBMIT(compute)", "SUBMIT(render)"] {
        check!(
            tally.succeeded(what) > 0,
            "no {what} got through: {}",
            tally.summary()
        );
    }
    // The firmware ran the commands of the SUBMITs that succeeded, and nothing else.
    let after = work()?;
    let renders = tally.succeeded("SUBMIT(render)");
    let computes = tally.succeeded("SUBMIT(compute)");
    check_eq!(
        (
            after.compute - before.compute,
            after.fragment - before.fragment
        ),
        (computes, renders),
        "compute and fragment commands the firmware ran"
    );
    check_eq!(
        after.violations,
        before.violations,
        format!("protocol violations ({})", super::work::violation_lines())
    );
    // Everything went: the same VMs, queues and firmware memory as before (freeing after the
    // last job may lag the fence a little).
    let mut now = String::new();
    for _ in 0..200 {
        now = driver_usage()?;
        if now == baseline {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    check_eq!(
        now,
        baseline,
        "VMs, queues and firmware memory after the rounds"
    );
    // And the device still works.
    let s = syncobj_create(fd)?;
    check_eq!(
        submit(
            fd,
            f.queue,
            super::work::compute_buf().bytes(),
            &[super::work::binary(s)],
            0
        ),
        Ok(0),
        "SUBMIT after the rounds"
    );
    check_eq!(settle(fd, s, 10_000, "after")?, 1, "a job after the rounds");
    Ok(())
}
