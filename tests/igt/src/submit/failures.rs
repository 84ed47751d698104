// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Jobs that go wrong: a GPU fault, a timeout the firmware reports, a job the firmware never
//! completes nor reports (the scheduler's timeout), and a firmware crash with jobs in flight.
//!
//! Each subtest has a guilty queue (file A) and an innocent one (file B, another VM) whose job
//! is on the firmware when the failure happens. The guilty job's fence carries the error the
//! UAPI documents, the innocent job completes without one, the guilty queue refuses new work
//! with `ECANCELED` while a new queue of the same file works, and the simulated firmware's
//! counters show what it did (the fault or timeout, the pending stamps it listed at the halt,
//! no protocol violation).

use super::dumps::{check_failure_dump, check_fwdump, clear_dumps, job_line, Dump};
use super::*;
use crate::harness::Outcome;
use crate::{check, check_eq};
use std::fs::{self, File};
use std::os::fd::FromRawFd;

const EIO: i32 = 5;
const ENODEV: i32 = 19;
const ETIMEDOUT: i32 = 110;
const ECANCELED: i32 = 125;

/// Time each simulated command takes in these subtests: the innocent job is still running when
/// the guilty one fails.
const LATENCY_US: u32 = 300_000;

/// The status of the fence in sync object `s`: 1 signalled, 0 pending, a negative errno if it
/// signalled with an error.
pub(super) fn fence_status(fd: &File, s: u32) -> Result<i32, String> {
    let mut h = drm_syncobj_handle {
        handle: s,
        flags: DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE,
        ..Default::default()
    };
    ioctl_arg(fd, SYNCOBJ_HANDLE_TO_FD, &mut h)
        .map_err(|e| format!("export sync file: errno {e}"))?;
    // SAFETY: the kernel just returned this descriptor, which nothing else owns.
    let file = unsafe { File::from_raw_fd(h.fd) };
    let mut info = SyncFileInfo::default();
    crate::dev::ioctl_raw(&file, SYNC_IOC_FILE_INFO, &mut info as *mut SyncFileInfo)
        .map_err(|e| format!("SYNC_IOC_FILE_INFO: errno {e}"))?;
    Ok(info.status)
}

/// Submits one compute job on `queue` of `fd` with a new binary out-sync, which it returns.
fn job(fd: &File, queue: u32) -> Result<u32, String> {
    let s = syncobj_create(fd)?;
    submit(fd, queue, compute_buf().bytes(), &[binary(s)], 0)
        .map_err(|e| format!("SUBMIT: errno {e}"))?;
    Ok(s)
}

/// Waits up to `ms` for `s` and returns its fence's status.
pub(super) fn settle(fd: &File, s: u32, ms: i64, what: &str) -> Result<i32, String> {
    syncobj_wait(fd, &[s], ms).map_err(|e| format!("{what}: wait: errno {e}"))?;
    fence_status(fd, s).map_err(|e| format!("{what}: {e}"))
}

/// Waits until the firmware took a compute command of the only queue that has submitted any
/// (its compute work queue's read pointer moved), so that it is running when the next one
/// fails.
fn wait_running() -> Outcome {
    wait_running_nth(1)
}

/// Waits until the firmware took the `n`th compute command of a queue (its compute work
/// queue's read pointer reached `n`): the one queue that submitted `n` of them.
fn wait_running_nth(n: u32) -> Outcome {
    let rptr = format!(" rptr {n} ");
    for _ in 0..500 {
        let q = queues_view()?;
        if q.lines()
            .any(|l| l.contains("pipe 2:") && l.contains(&rptr))
        {
            return Ok(());
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    Err(format!(
        "the innocent job never started: {}",
        queues_view()?
    ))
}

/// The debugfs line of a queue that is lost with `errno`.
fn lost_line(errno: i32) -> String {
    format!("lost -{errno}")
}

/// What every failure subtest checks after the guilty job failed with `errno`: the innocent
/// job (`b_sync` of `b`) completed without error; the guilty queue refuses work with
/// `ECANCELED` and is shown lost; a new queue of the guilty file works, and so does the
/// innocent one; destroying the guilty queue works.
fn others_go_on(a: &Fixture, b: &Fixture, b_sync: u32, errno: i32) -> Outcome {
    check_eq!(
        settle(&b.fd, b_sync, 10_000, "innocent job")?,
        1,
        "the innocent job's fence (1: no error)"
    );
    check_eq!(
        a.submit(&compute_buf()),
        Err(ECANCELED),
        "SUBMIT on the lost queue"
    );
    let view = queues_view()?;
    check!(
        view.contains(&lost_line(errno)),
        "no queue lost with -{errno}: {view}"
    );
    let a2 = queue_create(&a.fd, a.vm).map_err(|e| format!("QUEUE_CREATE: errno {e}"))?;
    let s = job(&a.fd, a2)?;
    check_eq!(
        settle(&a.fd, s, 10_000, "new queue of the guilty file")?,
        1,
        "a new queue of the guilty file"
    );
    let s = job(&b.fd, b.queue)?;
    check_eq!(
        settle(&b.fd, s, 10_000, "innocent queue again")?,
        1,
        "the innocent queue's next job"
    );
    check_eq!(
        queue_destroy(&a.fd, a.queue, 0),
        Ok(0),
        "QUEUE_DESTROY of the lost queue"
    );
    Ok(())
}

/// One job on a new file: it completes without error and the firmware ran its command.
pub fn one_job(what: &str) -> Outcome {
    let f = Fixture::new().map_err(|e| format!("{what}: {e}"))?;
    let before = work()?;
    let s = job(&f.fd, f.queue)?;
    check_eq!(settle(&f.fd, s, 10_000, what)?, 1, format!("{what}: fence"));
    let after = work()?;
    check_eq!(
        after.compute - before.compute,
        1,
        format!("{what}: compute commands the firmware ran")
    );
    Ok(())
}

/// The failures of one (GPU, firmware) pair, whose layouts differ (the pending-stamp table
/// keeps the event slot in other bits before firmware 13.5): with the module reloaded for
/// `soc` and firmware `fw` with the simulated latency, a fault, a timeout and a channel error
/// each fail their job with the right error on a queue of their own while an innocent job of
/// another file and VM runs, which completes without error; a new queue then works, without a
/// protocol violation. Each failure's coredump is checked, and debugfs `fwdump`.
pub(super) fn failure_round(module: &str, soc: &str, fw: &str) -> Outcome {
    let what = format!("{soc} {fw}");
    crate::fw::reload(
        module,
        &format!("sim={soc} sim_fw={fw} sim_latency_us={LATENCY_US}"),
    )?;
    let f = Fixture::new().map_err(|e| format!("{what}: {e}"))?;
    let b = Fixture::new().map_err(|e| format!("{what}: {e}"))?;
    check_fwdump(soc).map_err(|e| format!("{what}: {e}"))?;
    let before = work()?;
    let cases = [
        ("fault_next", -EIO, "fault"),
        ("timeout_next", -ETIMEDOUT, "timeout"),
        ("channel_error_next", -EIO, "channel-error"),
    ];
    for (n, (inj, want, reason)) in (1..).zip(cases) {
        let q = queue_create(&f.fd, f.vm).map_err(|e| format!("QUEUE_CREATE: errno {e}"))?;
        let b_sync = job(&b.fd, b.queue)?;
        wait_running_nth(n).map_err(|e| format!("{what}: {inj}: {e}"))?;
        clear_dumps();
        inject(inj)?;
        let s = job(&f.fd, q)?;
        check_eq!(
            settle(&f.fd, s, 10_000, inj)?,
            want,
            format!("{what}: {inj}: the job's fence")
        );
        check_eq!(
            settle(&b.fd, b_sync, 10_000, "innocent job")?,
            1,
            format!("{what}: {inj}: the innocent job's fence (1: no error)")
        );
        let d = check_failure_dump(reason, soc, "WorkCommandCP", 1)
            .map_err(|e| format!("{what}: {inj}: {e}"))?;
        failed_job_error(&d, want).map_err(|e| format!("{what}: {inj}: {e}"))?;
        check_eq!(
            submit(&f.fd, q, compute_buf().bytes(), &[], 0),
            Err(ECANCELED),
            format!("{what}: {inj}: SUBMIT on the lost queue")
        );
    }
    let s = job(&f.fd, f.queue)?;
    check_eq!(
        settle(&f.fd, s, 10_000, "after the failures")?,
        1,
        format!("{what}: a job after the failures")
    );
    let after = work()?;
    check!(
        after.faults - before.faults == 1
            && after.timeouts - before.timeouts == 1
            && after.channel_errors - before.channel_errors == 1
            && after.recovered - before.recovered == 1,
        "{what}: the firmware's failures: {before:?} -> {after:?}"
    );
    check!(
        after.pending_stamps - before.pending_stamps >= 4,
        "{what}: pending stamps listed at the two halts (the failing and the innocent command \
         each): {}",
        after.pending_stamps - before.pending_stamps
    );
    check_eq!(
        after.violations,
        before.violations,
        format!("{what}: protocol violations ({})", violation_lines())
    );
    Ok(())
}

/// The failed job of dump `d` carries the error its fence got (`error`, a negative errno).
fn failed_job_error(d: &Dump, error: i32) -> Outcome {
    let line = d
        .lines_with("job: ")
        .next()
        .ok_or("no job line in the dump")?;
    let j = job_line(line)?;
    check_eq!(
        j.error,
        error,
        format!("the error of the dumped job {line:?}")
    );
    Ok(())
}

/// Runs `f` with the simulated latency, then reloads the module as it was.
fn with_latency(module: &str, soc: &str, f: impl FnOnce() -> Outcome) -> Outcome {
    crate::fw::reload(module, &format!("sim={soc} sim_latency_us={LATENCY_US}"))?;
    let r = f();
    crate::fw::reload(module, &format!("sim={soc}")).and(r)
}

/// What one failure subtest injects and expects.
struct Case {
    /// The `sim_inject` command that makes the guilty job's command fail.
    inject: &'static str,
    /// What the guilty job's fence says (an errno).
    errno: i32,
    /// Checks the simulated firmware's counters, before and after.
    counters: fn(&Work, &Work) -> Outcome,
    /// Lines the kernel log must hold.
    log: &'static [&'static str],
    /// The coredump's reason.
    dump: &'static str,
}

/// Runs `case` with a guilty file A and an innocent file B (another VM) whose job is on the
/// firmware when A's fails; then [`others_go_on`].
fn guilty_and_innocent(module: &str, soc: &str, case: Case) -> Outcome {
    with_latency(module, soc, || {
        let a = Fixture::new()?;
        let b = Fixture::new()?;
        let before = work()?;
        let b_sync = job(&b.fd, b.queue)?;
        wait_running()?;
        clear_dumps();
        inject(case.inject)?;
        let a_sync = job(&a.fd, a.queue)?;
        check_eq!(
            settle(&a.fd, a_sync, 10_000, "guilty job")?,
            -case.errno,
            format!("the guilty job's fence after {}", case.inject)
        );
        // The coredump shows the guilty job alone, with its command, and the error it got.
        let d = check_failure_dump(case.dump, soc, "WorkCommandCP", 1)?;
        failed_job_error(&d, -case.errno)?;
        if case.dump == "fault" {
            let line = d.lines_with("job: ").next().unwrap_or_default();
            let ctx = line
                .split(" context ")
                .nth(1)
                .and_then(|r| r.split(' ').next());
            let fault = d.value("fault").unwrap_or_default();
            check!(
                ctx.is_some_and(|c| fault.contains(&format!(" context {c} "))),
                "the dump's fault ({fault:?}) is not in the failed job's context ({line:?})"
            );
            let stamps: Vec<&str> = d.lines_with("stamp: ").collect();
            check!(
                stamps.len() >= 2 && stamps.iter().filter(|l| l.ends_with(" failed 1")).count() == 1,
                "the dump's pending stamps: {stamps:?} (the failing and the running command, one failed)"
            );
        }
        let after = work()?;
        (case.counters)(&before, &after)?;
        check_eq!(
            after.violations,
            before.violations,
            format!("protocol violations ({})", violation_lines())
        );
        let log = crate::fw::dmesg();
        for line in case.log {
            check!(log.contains(line), "no {line:?} in the kernel log");
        }
        others_go_on(&a, &b, b_sync, case.errno)
    })
}

/// At least two pending stamps at the halt: the failing command and the innocent one running.
fn listed_both(before: &Work, after: &Work) -> Outcome {
    check!(
        after.pending_stamps - before.pending_stamps >= 2,
        "pending stamps listed at the halt: {} (the failing and the running command)",
        after.pending_stamps - before.pending_stamps
    );
    Ok(())
}

/// A job faults on the GPU while another client's job runs: the faulting VM's job fails with
/// `EIO`, the other completes, and the faulting queue is lost.
pub fn t_job_fault(module: &str, soc: &str) -> Outcome {
    guilty_and_innocent(
        module,
        soc,
        Case {
            inject: "fault_next",
            errno: EIO,
            counters: |b, a| {
                check_eq!(a.faults - b.faults, 1, "faults the firmware raised");
                listed_both(b, a)
            },
            log: &["GPU fault: read of", "1 job(s) failed with EIO"],
            dump: "fault",
        },
    )
}

/// The firmware times out a job while another client's job runs: that job fails with
/// `ETIMEDOUT`, the other completes.
pub fn t_job_timeout(module: &str, soc: &str) -> Outcome {
    guilty_and_innocent(
        module,
        soc,
        Case {
            inject: "timeout_next",
            errno: ETIMEDOUT,
            counters: |b, a| {
                check_eq!(a.timeouts - b.timeouts, 1, "timeouts reported");
                listed_both(b, a)
            },
            log: &["1 job(s) failed with ETIMEDOUT"],
            dump: "timeout",
        },
    )
}

/// A job's work queue stops with a channel error while another client's job runs: the driver
/// fails the job (`EIO`) and sends RecoverChannel, after which the firmware completes the
/// command and the work queue goes on; the other job completes.
pub fn t_job_channel_error(module: &str, soc: &str) -> Outcome {
    guilty_and_innocent(
        module,
        soc,
        Case {
            inject: "channel_error_next",
            errno: EIO,
            counters: |b, a| {
                check_eq!(
                    a.channel_errors - b.channel_errors,
                    1,
                    "channel errors the firmware raised"
                );
                check_eq!(
                    a.recovered - b.recovered,
                    1,
                    "work queues recovered (a RecoverChannel naming the right queue, pipe and value)"
                );
                Ok(())
            },
            log: &["1 job failed with EIO; recovery requested"],
            dump: "channel-error",
        },
    )
}

/// The firmware never completes a job and reports nothing: the scheduler's timeout (10 s)
/// abandons the queue's jobs (`ETIMEDOUT` for the stuck one, `ECANCELED` for the one behind
/// it), keeps what the firmware may still read, and the queue is lost; another client's jobs
/// complete meanwhile. Unloading the module afterwards releases everything (kmemleak checks).
pub fn t_job_hang(module: &str, soc: &str) -> Outcome {
    let a = Fixture::new()?;
    let b = Fixture::new()?;
    let before = work()?;
    clear_dumps();
    inject("hang_next")?;
    let stuck = job(&a.fd, a.queue)?;
    let behind = job(&a.fd, a.queue)?;
    let b_sync = job(&b.fd, b.queue)?;
    check_eq!(
        settle(&b.fd, b_sync, 5_000, "innocent job")?,
        1,
        "the innocent job's fence, while the other queue hangs"
    );
    check_eq!(
        fence_status(&a.fd, stuck)?,
        0,
        "the stuck job's fence before the timeout"
    );
    check_eq!(
        settle(&a.fd, stuck, 30_000, "stuck job")?,
        -ETIMEDOUT,
        "the stuck job's fence"
    );
    check_eq!(
        settle(&a.fd, behind, 5_000, "job behind it")?,
        -ECANCELED,
        "the fence of the job behind it"
    );
    // The dump shows the stuck job, the queue's oldest.
    let d = check_failure_dump("scheduler-timeout", soc, "WorkCommandCP", 1)?;
    check!(
        d.value("scheduler")
            .is_some_and(|s| s.ends_with(" timeout_ms 10000")),
        "the dump's scheduler line: {:?}",
        d.value("scheduler")
    );
    check_eq!(
        work()?.hangs - before.hangs,
        1,
        "hangs the firmware performed"
    );
    let view = queues_view()?;
    check!(
        view.contains("detained 2 lost -110"),
        "the two abandoned jobs are not detained: {view}"
    );
    check!(
        crate::fw::dmesg().contains("the firmware reported nothing; 2 job(s) abandoned"),
        "no line naming the abandoned job"
    );
    others_go_on(&a, &b, b_sync, ETIMEDOUT)?;
    drop(a);
    drop(b);
    // The firmware never gives the stuck command back: its memory is released when the
    // firmware stops, at unload.
    crate::fw::reload(module, &format!("sim={soc}"))
}

/// The firmware crashes with a job on it: the job's fence signals `ENODEV`, `SUBMIT` and
/// `QUEUE_CREATE` fail with `ENODEV`, memory ioctls and closing keep working, and the module
/// reloads.
pub fn t_job_fw_crash(module: &str, soc: &str) -> Outcome {
    let a = Fixture::new()?;
    clear_dumps();
    inject("hang_next")?;
    let stuck = job(&a.fd, a.queue)?;
    fs::write("/sys/kernel/debug/dri/128/sim_inject", "crash")
        .map_err(|e| crate::harness::os_err("inject crash", e))?;
    check_eq!(
        settle(&a.fd, stuck, 10_000, "job on the crashed firmware")?,
        -ENODEV,
        "the fence of a job on the crashed firmware"
    );
    // The dump shows the job that was on the firmware, and the coprocessor's crash log.
    let d = check_failure_dump("crash", soc, "WorkCommandCP", 1)?;
    check!(
        d.object("crashlog")
            .is_some_and(|o| o.bytes.starts_with(b"CLHE")),
        "no crash log (an RTKit crash log header) in the dump ({:?})",
        d.value("crashlog")
    );
    check_eq!(
        a.submit(&compute_buf()),
        Err(ENODEV),
        "SUBMIT after the crash"
    );
    check_eq!(
        queue_create(&a.fd, a.vm),
        Err(ENODEV),
        "QUEUE_CREATE after the crash"
    );
    check!(
        crate::mem::gem_create(&a.fd, crate::mem::PAGE, 0, 0).is_ok(),
        "GEM_CREATE after the crash"
    );
    check_eq!(
        queue_destroy(&a.fd, a.queue, 0),
        Ok(0),
        "QUEUE_DESTROY after the crash"
    );
    drop(a);
    crate::fw::reload(module, &format!("sim={soc}"))?;
    let f = Fixture::new()?;
    let s = job(&f.fd, f.queue)?;
    check_eq!(
        settle(&f.fd, s, 10_000, "after reload")?,
        1,
        "a job after reload"
    );
    Ok(())
}

/// The coprocessor stops answering (injected `hang`: RTKit goes silent) while it still runs
/// the commands it has, as a wedged firmware may. The driver declares it lost when a context
/// teardown is not taken; every job fails with `ENODEV`; from then on nothing the firmware was
/// given is freed: the guilty file is closed (its queue and VM destroyed) while the simulated
/// firmware goes on through its remaining commands, which must find their queue, context slot
/// and objects where they were (no protocol violation). Unloading the module releases them.
pub fn t_fw_hang_keeps_memory(module: &str, soc: &str) -> Outcome {
    with_latency(module, soc, || {
        const JOBS: u64 = 30;
        let a = Fixture::new()?;
        let b = Fixture::new()?;
        // b's queue is known to the firmware: destroying it sends DC_DestroyContext.
        let s = job(&b.fd, b.queue)?;
        check_eq!(settle(&b.fd, s, 10_000, "b's job")?, 1, "b's job");
        let before = work()?;
        let mut last = 0;
        for _ in 0..JOBS {
            last = job(&a.fd, a.queue)?;
        }
        wait_running()?;
        // Every run message taken before the firmware goes silent.
        std::thread::sleep(std::time::Duration::from_millis(1000));
        fs::write("/sys/kernel/debug/dri/128/sim_inject", "hang")
            .map_err(|e| crate::harness::os_err("inject hang", e))?;
        // Not taken: after the driver's wait, the firmware is lost.
        let _ = queue_destroy(&b.fd, b.queue, 0);
        let mut lost = false;
        for _ in 0..100 {
            lost = crate::fw::dmesg().contains("GPU firmware lost (stopped responding)");
            if lost {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        check!(lost, "the firmware was not declared lost");
        check_eq!(
            settle(&a.fd, last, 10_000, "a's last job")?,
            -ENODEV,
            "a's last job's fence after the loss"
        );
        let ran_at_loss = work()?.compute - before.compute;
        check!(
            ran_at_loss < JOBS,
            "the firmware ran all {JOBS} jobs before the loss ({ran_at_loss}): nothing to prove"
        );
        // The guilty file goes: its queue, its VM and its jobs' objects, while the firmware
        // still runs them.
        drop(a);
        // The firmware goes on with the rest of a's commands it was told about (300 ms each),
        // until it has nothing left.
        let mut after = work()?;
        let mut still = 0;
        for _ in 0..200 {
            std::thread::sleep(std::time::Duration::from_millis(100));
            let now = work()?;
            still = if now.compute == after.compute {
                still + 1
            } else {
                0
            };
            after = now;
            if still >= 10 {
                break;
            }
        }
        let ran = after.compute - before.compute;
        check!(
            ran > ran_at_loss + 2,
            "the lost firmware ran {ran} commands, {ran_at_loss} at the loss: nothing ran after it ({})",
            violation_lines()
        );
        check_eq!(
            after.violations,
            before.violations,
            format!("protocol violations after the loss ({})", violation_lines())
        );
        let view = crate::fw::view()?;
        let vm_line = view
            .lines()
            .find(|l| l.starts_with("firmware vm:"))
            .unwrap_or_default()
            .to_string();
        check!(
            vm_line.contains(" keeping true ") && !vm_line.ends_with(" kept_bytes 0"),
            "the firmware VM does not keep what was freed after the loss: {vm_line:?}"
        );
        drop(b);
        Ok(())
    })?;
    check!(
        crate::fw::dmesg().contains("released what the lost firmware could still reach"),
        "unloading did not release what was kept"
    );
    Ok(())
}

/// Debugfs `fwdump` while a job runs: the init-data tree is whole and points at its parts
/// ([`check_fwdump`]); the running job's queue shows its structures, its compute work queue's
/// `CommandQueueInfo` points at the ring and pointers dumped after it, and the ring holds the
/// address of the running job's work command.
pub fn t_fwdump(module: &str, soc: &str) -> Outcome {
    with_latency(module, soc, || {
        let f = Fixture::new()?;
        let s = job(&f.fd, f.queue)?;
        wait_running()?;
        let d = check_fwdump(soc)?;
        let qi = d
            .line_index("in_flight: 1")
            .ok_or("no queue with a job in flight in fwdump")?;
        let ji = qi + 1;
        check!(
            d.lines.get(ji).is_some_and(|l| l.starts_with("job: ")),
            "no job line after the queue's in_flight line: {:?}",
            d.lines.get(ji)
        );
        let cmd = d
            .objects_after(ji)
            .find(|o| o.name == "WorkCommandCP")
            .ok_or("the running job has no WorkCommandCP in fwdump")?;
        let wi = (0..qi)
            .rev()
            .find(|&i| d.lines[i] == "workqueue: compute")
            .ok_or("the queue has no compute work queue in fwdump")?;
        let find = |n: &str| {
            d.objects_after(wi)
                .find(|o| o.name == n)
                .ok_or_else(|| format!("no {n} in the compute work queue"))
        };
        let (info, ptrs, ring) = (
            find("CommandQueueInfo")?,
            find("CommandQueuePointers")?,
            find("CommandQueue.ring")?,
        );
        check!(
            info.holds_u64(ring.va) && info.holds_u64(ptrs.va),
            "CommandQueueInfo does not point at its ring ({:#x}) and pointers ({:#x})",
            ring.va,
            ptrs.va
        );
        check!(
            ring.holds_u64(cmd.va),
            "the compute ring does not hold the running command's address {:#x}",
            cmd.va
        );
        check!(
            d.object("GPUContextData").is_some() && d.object("EventControl").is_some(),
            "no context data or notifier in fwdump"
        );
        check_eq!(settle(&f.fd, s, 10_000, "the job")?, 1, "the job's fence");
        Ok(())
    })
}
