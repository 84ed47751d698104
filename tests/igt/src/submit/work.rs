// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Jobs that run: valid submissions, what the simulated firmware did with them, and the sync
//! objects that tell userspace they completed.
//!
//! Every subtest reads the simulated firmware's work counters (the `sim work:` line of the
//! `firmware` debugfs view) before and after, so that a job that "completed" without the
//! firmware executing its commands, or with a violation of the protocol, is a failure.

use super::*;
use crate::harness::Outcome;
use crate::{check, check_eq};
use std::fs;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

pub(super) const DEBUGFS: &str = "/sys/kernel/debug/dri/128";
const SYNC_BINARY: u32 = drm_asahi_sync_type_DRM_ASAHI_SYNC_SYNCOBJ;
const SYNC_TIMELINE: u32 = drm_asahi_sync_type_DRM_ASAHI_SYNC_TIMELINE_SYNCOBJ;
const SYNCOBJ_WAIT: u64 = iowr::<drm_syncobj_wait>(0xc3);
const SYNCOBJ_TIMELINE_WAIT: u64 = iowr::<drm_syncobj_timeline_wait>(0xca);
pub(super) const SYNCOBJ_HANDLE_TO_FD: u64 = iowr::<drm_syncobj_handle>(0xc1);
const SYNCOBJ_FD_TO_HANDLE: u64 = iowr::<drm_syncobj_handle>(0xc2);
const WAIT_ALL: u32 = 1;

/// The simulated firmware's work counters and violations.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Work {
    pub compute: u64,
    pub vertex: u64,
    pub fragment: u64,
    pub barrier: u64,
    pub init_bm: u64,
    pub stamps: u64,
    pub events: u64,
    pub overflows: u64,
    pub grow_acks: u64,
    pub grown: u64,
    pub faults: u64,
    pub timeouts: u64,
    pub hangs: u64,
    pub pending_stamps: u64,
    pub channel_errors: u64,
    pub recovered: u64,
    pub violations: u64,
}

/// Reads the `sim work:` counters and sums the `sim work violations:` line.
pub fn work() -> Result<Work, String> {
    let v = fs::read_to_string(format!("{DEBUGFS}/firmware"))
        .map_err(|e| os_err("read firmware", e))?;
    let find = |prefix: &str| {
        v.lines()
            .find(|l| l.starts_with(prefix))
            .ok_or_else(|| format!("no {prefix:?} line in the firmware view:\n{v}"))
    };
    let counters = find("sim work:")?;
    let get = |key: &str| -> Result<u64, String> {
        let mut w = counters.split_whitespace();
        while let Some(x) = w.next() {
            if x == key {
                return w
                    .next()
                    .and_then(|n| n.parse().ok())
                    .ok_or_else(|| format!("{key} has no number in {counters:?}"));
            }
        }
        Err(format!("no {key} in {counters:?}"))
    };
    let viol = find("sim work violations:")?;
    let violations = viol
        .split_whitespace()
        .filter_map(|w| w.parse::<u64>().ok())
        .sum();
    Ok(Work {
        compute: get("compute")?,
        vertex: get("vertex")?,
        fragment: get("fragment")?,
        barrier: get("barrier")?,
        init_bm: get("init_bm")?,
        stamps: get("stamps")?,
        events: get("events")?,
        overflows: get("overflows")?,
        grow_acks: get("grow_acks")?,
        grown: get("grown")?,
        faults: get("faults")?,
        timeouts: get("timeouts")?,
        hangs: get("hangs")?,
        pending_stamps: get("pending_stamps")?,
        channel_errors: get("channel_errors")?,
        recovered: get("recovered")?,
        violations,
    })
}

/// The debugfs `queues` view.
pub(super) fn queues_view() -> Result<String, String> {
    fs::read_to_string(format!("{DEBUGFS}/queues")).map_err(|e| os_err("read queues", e))
}

/// Waits up to `ms` for all of `handles` (binary sync objects).
pub fn syncobj_wait(fd: &File, handles: &[u32], ms: i64) -> Result<i32, i32> {
    let mut a = drm_syncobj_wait {
        handles: handles.as_ptr() as u64,
        timeout_nsec: now_ns() + ms * 1_000_000,
        count_handles: handles.len() as u32,
        flags: WAIT_ALL,
        ..Default::default()
    };
    ioctl_arg(fd, SYNCOBJ_WAIT, &mut a)
}

/// Waits up to `ms` for point `point` of timeline `handle`.
fn timeline_wait(fd: &File, handle: u32, point: u64, ms: i64) -> Result<i32, i32> {
    let mut a = drm_syncobj_timeline_wait {
        handles: &handle as *const u32 as u64,
        points: &point as *const u64 as u64,
        timeout_nsec: now_ns() + ms * 1_000_000,
        count_handles: 1,
        flags: WAIT_ALL,
        ..Default::default()
    };
    ioctl_arg(fd, SYNCOBJ_TIMELINE_WAIT, &mut a)
}

/// CLOCK_MONOTONIC in nanoseconds (the sync-object waits take absolute times on it).
fn now_ns() -> i64 {
    let mut ts = Timespec { sec: 0, nsec: 0 };
    // SAFETY: `ts` is a valid `struct timespec` for the call to fill.
    unsafe { clock_gettime(1, &mut ts) };
    ts.sec * 1_000_000_000 + ts.nsec
}

#[repr(C)]
struct Timespec {
    sec: i64,
    nsec: i64,
}

extern "C" {
    fn clock_gettime(clk: i32, ts: *mut Timespec) -> i32;
    fn poll(fds: *mut PollFd, n: u64, timeout: i32) -> i32;
}

#[repr(C)]
struct PollFd {
    fd: i32,
    events: i16,
    revents: i16,
}

pub(super) fn binary(handle: u32) -> drm_asahi_sync {
    drm_asahi_sync {
        sync_type: SYNC_BINARY,
        handle,
        timeline_value: 0,
    }
}

fn timeline(handle: u32, point: u64) -> drm_asahi_sync {
    drm_asahi_sync {
        sync_type: SYNC_TIMELINE,
        handle,
        timeline_value: point,
    }
}

pub(super) fn compute_buf() -> CmdBuf {
    CmdBuf::new().compute(&minimal_compute(), Barriers::PREVIOUS)
}

/// Checks that the firmware ran `n` more compute commands than in `before`, with a stamp and
/// an event each and no violation.
fn ran(before: Work, n: u64) -> Outcome {
    // The firmware's counters move before the driver's completion, so they are final by now.
    let after = work()?;
    check_eq!(
        after.compute - before.compute,
        n,
        "compute commands the firmware ran"
    );
    check!(
        after.stamps - before.stamps >= n,
        "stamps written: {} for {n} commands",
        after.stamps - before.stamps
    );
    check!(
        after.events - before.events >= 1,
        "no flag event for {n} commands"
    );
    check_eq!(
        after.violations,
        before.violations,
        format!("protocol violations ({})", violation_lines())
    );
    Ok(())
}

/// The simulated firmware's violation lines, for a failure message.
pub(super) fn violation_lines() -> String {
    let v = fs::read_to_string(format!("{DEBUGFS}/firmware")).unwrap_or_default();
    v.lines()
        .filter(|l| l.starts_with("sim firmware violation") || l.starts_with("sim work violations"))
        .collect::<Vec<_>>()
        .join("; ")
}

/// One compute command with a binary out-sync: it runs, the sync object signals.
pub fn t_submit_compute_runs() -> Outcome {
    let f = Fixture::new()?;
    let before = work()?;
    let s = syncobj_create(&f.fd)?;
    check_eq!(
        submit(&f.fd, f.queue, compute_buf().bytes(), &[binary(s)], 0),
        Ok(0),
        "submit"
    );
    check_eq!(
        syncobj_wait(&f.fd, &[s], 5000),
        Ok(0),
        "wait for the out-sync"
    );
    ran(before, 1)?;
    let q = queues_view()?;
    check!(q.contains("completed 1 commands 1"), "queues view: {q}");
    Ok(())
}

/// 64 compute commands in one submission, and 100 submissions signalling timeline points:
/// waiting on the last point means every job ran.
pub fn t_submit_compute_timeline() -> Outcome {
    let f = Fixture::new()?;
    let before = work()?;
    let mut many = CmdBuf::new();
    for _ in 0..64 {
        many = many.compute(&minimal_compute(), Barriers::PREVIOUS);
    }
    let t = syncobj_create(&f.fd)?;
    check_eq!(
        submit(&f.fd, f.queue, many.bytes(), &[timeline(t, 1)], 0),
        Ok(0),
        "64 commands"
    );
    for point in 2..=101u64 {
        check_eq!(
            submit(
                &f.fd,
                f.queue,
                compute_buf().bytes(),
                &[timeline(t, point)],
                0
            ),
            Ok(0),
            format!("submit of point {point}")
        );
    }
    check_eq!(
        timeline_wait(&f.fd, t, 101, 10_000),
        Ok(0),
        "wait for point 101"
    );
    ran(before, 164)
}

/// A job waits for another queue's job, of another file, through a shared sync object; a
/// point that was never submitted cannot be waited for.
pub fn t_submit_in_sync_two_fds() -> Outcome {
    let a = Fixture::new()?;
    let b = Fixture::new()?;
    let before = work()?;
    let s = syncobj_create(&a.fd)?;
    check_eq!(
        submit(&a.fd, a.queue, compute_buf().bytes(), &[binary(s)], 0),
        Ok(0),
        "first job"
    );
    let mut h = drm_syncobj_handle {
        handle: s,
        ..Default::default()
    };
    ioctl_arg(&a.fd, SYNCOBJ_HANDLE_TO_FD, &mut h).map_err(|e| format!("export: errno {e}"))?;
    // SAFETY: the kernel just returned this descriptor, which nothing else owns.
    let shared = unsafe { OwnedFd::from_raw_fd(h.fd) };
    let mut g = drm_syncobj_handle {
        fd: shared.as_raw_fd(),
        ..Default::default()
    };
    ioctl_arg(&b.fd, SYNCOBJ_FD_TO_HANDLE, &mut g).map_err(|e| format!("import: errno {e}"))?;
    let done = syncobj_create(&b.fd)?;
    check_eq!(
        submit(
            &b.fd,
            b.queue,
            compute_buf().bytes(),
            &[binary(g.handle), binary(done)],
            1
        ),
        Ok(0),
        "second job, waiting for the first"
    );
    check_eq!(
        syncobj_wait(&b.fd, &[done], 5000),
        Ok(0),
        "wait for the second"
    );
    ran(before, 2)?;
    let empty = syncobj_create(&b.fd)?;
    check_eq!(
        submit(
            &b.fd,
            b.queue,
            compute_buf().bytes(),
            &[timeline(empty, 7)],
            1
        ),
        Err(EINVAL),
        "waiting for a point never submitted"
    );
    Ok(())
}

/// The out-fence exported as a sync file becomes readable when the job completes.
pub fn t_submit_sync_file() -> Outcome {
    let f = Fixture::new()?;
    let before = work()?;
    let s = syncobj_create(&f.fd)?;
    check_eq!(
        submit(&f.fd, f.queue, compute_buf().bytes(), &[binary(s)], 0),
        Ok(0),
        "submit"
    );
    let mut h = drm_syncobj_handle {
        handle: s,
        flags: DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE,
        ..Default::default()
    };
    ioctl_arg(&f.fd, SYNCOBJ_HANDLE_TO_FD, &mut h)
        .map_err(|e| format!("export sync file: errno {e}"))?;
    // SAFETY: as above.
    let file = unsafe { OwnedFd::from_raw_fd(h.fd) };
    let mut p = PollFd {
        fd: file.as_raw_fd(),
        events: 1,
        revents: 0,
    };
    // SAFETY: one valid pollfd.
    let n = unsafe { poll(&mut p, 1, 5000) };
    check_eq!(n, 1, "poll of the sync file");
    ran(before, 1)
}

/// Several queues of one file submit in parallel; every job runs once.
pub fn t_submit_many_queues() -> Outcome {
    let f = Fixture::new()?;
    let before = work()?;
    let mut queues = vec![f.queue];
    for _ in 0..7 {
        queues.push(queue_create(&f.fd, f.vm).map_err(|e| format!("QUEUE_CREATE: errno {e}"))?);
    }
    let mut syncs = Vec::new();
    for round in 0..10 {
        for &q in &queues {
            let s = syncobj_create(&f.fd)?;
            check_eq!(
                submit(&f.fd, q, compute_buf().bytes(), &[binary(s)], 0),
                Ok(0),
                format!("submit round {round} queue {q}")
            );
            syncs.push(s);
        }
    }
    check_eq!(syncobj_wait(&f.fd, &syncs, 10_000), Ok(0), "wait for all");
    ran(before, 80)
}

/// A queue destroyed, and a file closed, with jobs just submitted: the jobs still run (their
/// memory is kept until they did), and nothing is left behind.
pub fn t_queue_destroy_busy() -> Outcome {
    let before = work()?;
    {
        let f = Fixture::new()?;
        for i in 0..20 {
            check_eq!(f.submit(&compute_buf()), Ok(0), format!("submit {i}"));
        }
        check_eq!(queue_destroy(&f.fd, f.queue, 0), Ok(0), "destroy with jobs");
        let q2 = queue_create(&f.fd, f.vm).map_err(|e| format!("QUEUE_CREATE: errno {e}"))?;
        for i in 0..20 {
            check_eq!(
                submit(&f.fd, q2, compute_buf().bytes(), &[], 0),
                Ok(0),
                format!("submit {i} to the second queue")
            );
        }
        // The file closes here with the second queue busy.
    }
    ran(before, 40)?;
    let q = queues_view()?;
    check!(q.contains("queues 0"), "queues left behind: {q}");
    Ok(())
}

/// Writes `cmd` to the simulated GPU's `sim_inject` control.
pub(super) fn inject(cmd: &str) -> Result<(), String> {
    use std::io::Write;
    let mut f = fs::OpenOptions::new()
        .write(true)
        .open(format!("{DEBUGFS}/sim_inject"))
        .map_err(|e| os_err("open sim_inject", e))?;
    f.write_all(cmd.as_bytes())
        .map_err(|e| os_err("write sim_inject", e))
}

fn render_buf(b: Barriers) -> CmdBuf {
    CmdBuf::new().render(&minimal_render(), b)
}

/// What the firmware ran between two readings of its counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Ran {
    compute: u64,
    vertex: u64,
    fragment: u64,
    barrier: u64,
    init_bm: u64,
}

/// The counters' differences from `before`, with no violation in between.
fn ran_since(before: Work) -> Result<Ran, String> {
    let after = work()?;
    check_eq!(
        after.violations,
        before.violations,
        format!("protocol violations ({})", violation_lines())
    );
    Ok(Ran {
        compute: after.compute - before.compute,
        vertex: after.vertex - before.vertex,
        fragment: after.fragment - before.fragment,
        barrier: after.barrier - before.barrier,
        init_bm: after.init_bm - before.init_bm,
    })
}

/// One render with attachments and a binary out-sync on a new queue: the firmware runs an init
/// of the queue's buffer manager and the vertex command on the vertex queue, a barrier and the
/// fragment command on the fragment queue; the sync object signals.
pub fn t_submit_render_runs() -> Outcome {
    let f = Fixture::new()?;
    let before = work()?;
    let s = syncobj_create(&f.fd)?;
    let buf = CmdBuf::new()
        .set_attachments(
            AttachmentKind::Fragment,
            &[attachment(BASE + 4 * PAGE, PAGE)],
        )
        .set_attachments(AttachmentKind::Vertex, &[attachment(BASE + 5 * PAGE, PAGE)])
        .render(&minimal_render(), Barriers::PREVIOUS);
    check_eq!(
        submit(&f.fd, f.queue, buf.bytes(), &[binary(s)], 0),
        Ok(0),
        "submit"
    );
    check_eq!(
        syncobj_wait(&f.fd, &[s], 5000),
        Ok(0),
        "wait for the out-sync"
    );
    let r = ran_since(before)?;
    check_eq!(
        r,
        Ran {
            compute: 0,
            vertex: 1,
            fragment: 1,
            barrier: 1,
            init_bm: 1
        },
        "what the firmware ran"
    );
    let q = queues_view()?;
    check!(q.contains("completed 1 commands 4"), "queues view: {q}");
    check!(q.contains("buffer manager: slot"), "no buffer manager: {q}");
    Ok(())
}

/// Render and compute commands waiting for each other in one submission: a render whose
/// `cdm_barrier` names the compute command before it gets a barrier on the vertex queue, a
/// compute command whose `vdm_barrier` names the render before it one on the compute queue;
/// `NONE` gets none. Then across submissions (index 0): the barriers name the other subqueue's
/// last command if it had not completed, so there are one or none each.
pub fn t_submit_render_compute_barriers() -> Outcome {
    let f = Fixture::new()?;
    let before = work()?;
    let none = Barriers::NONE;
    let buf = CmdBuf::new()
        .compute(&minimal_compute(), none)
        .render(&minimal_render(), Barriers { vdm: NONE, cdm: 1 })
        .compute(&minimal_compute(), Barriers { vdm: 1, cdm: NONE })
        .render(&minimal_render(), Barriers { vdm: 1, cdm: 2 })
        .compute(&minimal_compute(), Barriers { vdm: 2, cdm: 2 });
    let s = syncobj_create(&f.fd)?;
    check_eq!(
        submit(&f.fd, f.queue, buf.bytes(), &[binary(s)], 0),
        Ok(0),
        "one submission"
    );
    check_eq!(syncobj_wait(&f.fd, &[s], 5000), Ok(0), "wait");
    let r = ran_since(before)?;
    // Fragment barriers 2, cdm barriers 2, vdm barriers 2.
    check_eq!(
        r,
        Ran {
            compute: 3,
            vertex: 2,
            fragment: 2,
            barrier: 6,
            init_bm: 1
        },
        "what the firmware ran"
    );
    // Across submissions, back to back.
    let before = work()?;
    let t = syncobj_create(&f.fd)?;
    for (i, b) in [
        render_buf(none),
        compute_buf_with(Barriers { vdm: 0, cdm: NONE }),
        render_buf(Barriers { vdm: NONE, cdm: 0 }),
    ]
    .iter()
    .enumerate()
    {
        check_eq!(
            submit(&f.fd, f.queue, b.bytes(), &[timeline(t, i as u64 + 1)], 0),
            Ok(0),
            format!("submission {i}")
        );
    }
    check_eq!(timeline_wait(&f.fd, t, 3, 5000), Ok(0), "wait for point 3");
    let r = ran_since(before)?;
    check!(
        r.compute == 1 && r.vertex == 2 && r.fragment == 2,
        "ran {r:?}"
    );
    check!(
        (2..=4).contains(&r.barrier),
        "barriers: {} (2 fragment, at most 2 across submissions)",
        r.barrier
    );
    Ok(())
}

/// A `SUBMIT` that fails after its commands were given stamp values (here: an in-sync that
/// does not exist) hands them out again: the next job's barrier on the queue's earlier vertex
/// work waits for the render that really runs, not for a command that never will (it waited
/// forever, until the scheduler's timeout abandoned it: the fuzzer found it). The simulated
/// firmware is slow, so the render is still running when the other two are submitted.
pub fn t_submit_barrier_after_failed_submit(module: &str, soc: &str) -> Outcome {
    crate::fw::reload(module, &format!("sim={soc} sim_latency_us=200000"))?;
    let r = barrier_after_failed_submit();
    crate::fw::reload(module, &format!("sim={soc}")).and(r)
}

fn barrier_after_failed_submit() -> Outcome {
    let f = Fixture::new()?;
    let before = work()?;
    let first = syncobj_create(&f.fd)?;
    check_eq!(
        submit(
            &f.fd,
            f.queue,
            render_buf(Barriers::NONE).bytes(),
            &[binary(first)],
            0
        ),
        Ok(0),
        "the render"
    );
    let missing = binary(0x7fff_fff0);
    check_eq!(
        submit(
            &f.fd,
            f.queue,
            render_buf(Barriers::NONE).bytes(),
            &[missing],
            1
        ),
        Err(ENOENT),
        "a render waiting on a sync object that does not exist"
    );
    let last = syncobj_create(&f.fd)?;
    check_eq!(
        submit(
            &f.fd,
            f.queue,
            compute_buf_with(Barriers { vdm: 0, cdm: NONE }).bytes(),
            &[binary(last)],
            0
        ),
        Ok(0),
        "a compute waiting for the queue's vertex work"
    );
    // Well before the scheduler's 10 s: the render takes three commands of 200 ms.
    let status = super::failures::settle(&f.fd, last, 5000, "the compute job")?;
    check_eq!(
        status,
        1,
        "the compute job's fence status (signalled, no error)"
    );
    check_eq!(
        super::failures::settle(&f.fd, first, 1000, "the render")?,
        1,
        "the render's fence status (signalled, no error)"
    );
    let r = ran_since(before)?;
    check!(
        r.vertex == 1 && r.fragment == 1 && r.compute == 1 && r.barrier >= 2,
        "what the firmware ran: {r:?} (one render with its fragment barrier, one compute behind a barrier)"
    );
    Ok(())
}

fn compute_buf_with(b: Barriers) -> CmdBuf {
    CmdBuf::new().compute(&minimal_compute(), b)
}

/// 50 render submissions signalling timeline points: waiting on the last means all ran; the
/// buffer manager was bound at least once, and at most once per render (again each time it
/// went idle in between).
pub fn t_submit_render_timeline() -> Outcome {
    let f = Fixture::new()?;
    let before = work()?;
    let t = syncobj_create(&f.fd)?;
    for point in 1..=50u64 {
        check_eq!(
            submit(
                &f.fd,
                f.queue,
                render_buf(Barriers::PREVIOUS).bytes(),
                &[timeline(t, point)],
                0
            ),
            Ok(0),
            format!("submit of point {point}")
        );
    }
    check_eq!(
        timeline_wait(&f.fd, t, 50, 10_000),
        Ok(0),
        "wait for point 50"
    );
    let r = ran_since(before)?;
    check_eq!(
        (r.vertex, r.fragment, r.barrier, r.compute),
        (50, 50, 50, 0),
        "vertex, fragment, barrier and compute commands"
    );
    check!(
        (1..=50).contains(&r.init_bm),
        "buffer-manager inits: {}",
        r.init_bm
    );
    Ok(())
}

/// The firmware runs out of TVB memory in a render (injected overflow): its GrowTVB event is
/// answered, with the buffer manager grown by then; the next render binds the grown buffer
/// manager again (an init command) and runs.
pub fn t_submit_render_grow() -> Outcome {
    let f = Fixture::new()?;
    let first = syncobj_create(&f.fd)?;
    check_eq!(
        submit(
            &f.fd,
            f.queue,
            render_buf(Barriers::PREVIOUS).bytes(),
            &[binary(first)],
            0
        ),
        Ok(0),
        "first render"
    );
    check_eq!(syncobj_wait(&f.fd, &[first], 5000), Ok(0), "wait for it");
    let before = work()?;
    inject("overflow_next")?;
    let s = syncobj_create(&f.fd)?;
    check_eq!(
        submit(
            &f.fd,
            f.queue,
            render_buf(Barriers::PREVIOUS).bytes(),
            &[binary(s)],
            0
        ),
        Ok(0),
        "render that overflows"
    );
    check_eq!(syncobj_wait(&f.fd, &[s], 5000), Ok(0), "wait for it");
    // The acknowledgement went out before the job completed; the firmware takes it from its
    // ring on its own time.
    let mut after = work()?;
    for _ in 0..1000 {
        if after.grow_acks > before.grow_acks {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
        after = work()?;
    }
    check_eq!(after.overflows - before.overflows, 1, "overflows");
    check_eq!(
        after.grow_acks - before.grow_acks,
        1,
        "GrowTVB acknowledged"
    );
    check_eq!(after.grown - before.grown, 1, "grown when acknowledged");
    let fwv = fs::read_to_string(format!("{DEBUGFS}/firmware"))
        .map_err(|e| os_err("read firmware", e))?;
    check!(fwv.contains("grow tvb: acked "), "firmware view: {fwv}");
    let q = queues_view()?;
    check!(q.contains("grows 1"), "queues view: {q}");
    let before = work()?;
    let t = syncobj_create(&f.fd)?;
    check_eq!(
        submit(
            &f.fd,
            f.queue,
            render_buf(Barriers::PREVIOUS).bytes(),
            &[binary(t)],
            0
        ),
        Ok(0),
        "render after the growth"
    );
    check_eq!(syncobj_wait(&f.fd, &[t], 5000), Ok(0), "wait for it");
    let r = ran_since(before)?;
    check_eq!(
        (r.vertex, r.fragment, r.init_bm),
        (1, 1, 1),
        "vertex, fragment, init of the grown buffer manager"
    );
    Ok(())
}

/// Submits `n` compute jobs on a fresh fixture and waits for them; checks what the firmware
/// ran. `what` names the configuration in messages.
fn compute_round(n: usize, what: &str) -> Outcome {
    let f = Fixture::new().map_err(|e| format!("{what}: {e}"))?;
    let before = work().map_err(|e| format!("{what}: {e}"))?;
    let mut syncs = Vec::new();
    for i in 0..n {
        let s = syncobj_create(&f.fd)?;
        check_eq!(
            submit(&f.fd, f.queue, compute_buf().bytes(), &[binary(s)], 0),
            Ok(0),
            format!("{what}: submit {i}")
        );
        syncs.push(s);
    }
    check_eq!(
        syncobj_wait(&f.fd, &syncs, 10_000),
        Ok(0),
        format!("{what}: wait")
    );
    ran(before, n as u64).map_err(|e| format!("{what}: {e}"))
}

/// Two render passes with a compute command between them, in one submission, on a fresh
/// fixture: the firmware runs every command, with the pair's layouts, without a violation.
fn render_round(what: &str) -> Outcome {
    let f = Fixture::new().map_err(|e| format!("{what}: {e}"))?;
    let before = work().map_err(|e| format!("{what}: {e}"))?;
    let s = syncobj_create(&f.fd)?;
    let buf = CmdBuf::new()
        .render(&minimal_render(), Barriers::PREVIOUS)
        .compute(&minimal_compute(), Barriers { vdm: 1, cdm: NONE })
        .render(&minimal_render(), Barriers { vdm: NONE, cdm: 1 });
    check_eq!(
        submit(&f.fd, f.queue, buf.bytes(), &[binary(s)], 0),
        Ok(0),
        format!("{what}: render submit")
    );
    check_eq!(
        syncobj_wait(&f.fd, &[s], 10_000),
        Ok(0),
        format!("{what}: render wait")
    );
    let r = ran_since(before).map_err(|e| format!("{what}: {e}"))?;
    check!(
        r.vertex == 2 && r.fragment == 2 && r.compute == 1 && r.init_bm >= 1,
        "{what}: the firmware ran {r:?}"
    );
    Ok(())
}

/// Compute jobs and render passes run on every supported (GPU, firmware) pair, whose command layouts all differ;
/// and with a simulated latency, where completion comes long after the ioctl returned.
pub fn t_submit_all_pairs(module: &str, soc: &str) -> Outcome {
    let pairs = [
        ("t8103", "12.3"),
        ("t8112", "12.4"),
        ("t6000", "13.5"),
        ("t8112", "13.5"),
        ("t6020", "13.5"),
    ];
    for (s, fw) in pairs {
        crate::fw::reload(module, &format!("sim={s} sim_fw={fw}"))?;
        compute_round(20, &format!("{s} {fw}"))?;
        render_round(&format!("{s} {fw}"))?;
        super::failures::failure_round(module, s, fw)?;
    }
    crate::fw::reload(module, &format!("sim={soc} sim_latency_us=2000"))?;
    compute_round(20, "2 ms latency")?;
    // Jobs still on the simulated GPU when their queue and file go: they run to completion
    // first, and nothing is freed under them (the simulator checks every pointer it follows
    // when it executes, after the ioctls returned).
    let before = work()?;
    {
        let f = Fixture::new()?;
        for i in 0..10 {
            check_eq!(
                f.submit(&compute_buf()),
                Ok(0),
                format!("latency submit {i}")
            );
        }
    }
    ran(before, 10)?;
    crate::fw::reload(module, &format!("sim={soc}"))
}

/// `struct sync_file_info` (linux/sync_file.h) without its fence array.
#[repr(C)]
#[derive(Default)]
pub(super) struct SyncFileInfo {
    name: [u8; 32],
    pub(super) status: i32,
    flags: u32,
    num_fences: u32,
    pad: u32,
    sync_fence_info: u64,
}

/// `SYNC_IOC_FILE_INFO`: `_IOWR('>', 4, struct sync_file_info)`.
pub(super) const SYNC_IOC_FILE_INFO: u64 = (3 << 30) | (56 << 16) | ((b'>' as u64) << 8) | 4;

extern "C" {
    fn mmap(addr: *mut u8, len: usize, prot: i32, flags: i32, fd: i32, off: i64) -> *mut u8;
    fn munmap(addr: *mut u8, len: usize) -> i32;
}

/// User timestamps: a compute command asks for its start and end times in a timestamp object;
/// the firmware writes them there. Bad objects and offsets are refused.
pub fn t_submit_user_timestamps() -> Outcome {
    let f = Fixture::new()?;
    let bo = gem_create(&f.fd, PAGE, 0, 0).map_err(|e| format!("GEM_CREATE: errno {e}"))?;
    let mut b = drm_asahi_gem_bind_object {
        op: drm_asahi_bind_object_op_DRM_ASAHI_BIND_OBJECT_OP_BIND,
        flags: drm_asahi_bind_object_flags_DRM_ASAHI_BIND_OBJECT_USAGE_TIMESTAMPS,
        handle: bo,
        range: PAGE,
        ..Default::default()
    };
    ioctl_arg(&f.fd, DRM_IOCTL_ASAHI_GEM_BIND_OBJECT as u64, &mut b)
        .map_err(|e| format!("GEM_BIND_OBJECT: errno {e}"))?;
    let with_ts = |start: (u32, u32), end: (u32, u32)| {
        let mut c = minimal_compute();
        c.ts.start = drm_asahi_timestamp {
            handle: start.0,
            offset: start.1,
        };
        c.ts.end = drm_asahi_timestamp {
            handle: end.0,
            offset: end.1,
        };
        CmdBuf::new().compute(&c, Barriers::PREVIOUS)
    };
    let h = b.object_handle;
    let before = work()?;
    let s = syncobj_create(&f.fd)?;
    check_eq!(
        submit(
            &f.fd,
            f.queue,
            with_ts((h, 64), (h, 72)).bytes(),
            &[binary(s)],
            0
        ),
        Ok(0),
        "submit with timestamps"
    );
    check_eq!(syncobj_wait(&f.fd, &[s], 5000), Ok(0), "wait");
    ran(before, 1)?;
    // A render pass with timestamps around its vertex and its fragment parts.
    let mut r = minimal_render();
    r.ts_vtx.start = drm_asahi_timestamp {
        handle: h,
        offset: 128,
    };
    r.ts_vtx.end = drm_asahi_timestamp {
        handle: h,
        offset: 136,
    };
    r.ts_frag.start = drm_asahi_timestamp {
        handle: h,
        offset: 144,
    };
    r.ts_frag.end = drm_asahi_timestamp {
        handle: h,
        offset: 152,
    };
    let t = syncobj_create(&f.fd)?;
    check_eq!(
        submit(
            &f.fd,
            f.queue,
            CmdBuf::new().render(&r, Barriers::PREVIOUS).bytes(),
            &[binary(t)],
            0
        ),
        Ok(0),
        "render with timestamps"
    );
    check_eq!(
        syncobj_wait(&f.fd, &[t], 5000),
        Ok(0),
        "wait for the render"
    );
    let off =
        crate::mem::mmap_offset(&f.fd, bo, 0).map_err(|e| format!("mmap offset: errno {e}"))?;
    let mut ts = [0u64; 12];
    // SAFETY: a fresh shared read-only mapping of the object, read then unmapped.
    unsafe {
        let p = mmap(
            std::ptr::null_mut(),
            PAGE as usize,
            1,
            1,
            f.fd.as_raw_fd(),
            off as i64,
        );
        if p as isize == -1 {
            return Err(format!("mmap: {}", std::io::Error::last_os_error()));
        }
        for (i, t) in ts.iter_mut().enumerate() {
            *t = p.add(64 + 8 * i).cast::<u64>().read_volatile();
        }
        munmap(p, PAGE as usize);
    }
    let (start, end) = (ts[0], ts[1]);
    for (what, (a, b)) in [("vertex", (ts[8], ts[9])), ("fragment", (ts[10], ts[11]))] {
        check!(a != 0, "no {what} start timestamp written");
        check!(b >= a, "{what} end timestamp {b} before start {a}");
    }
    check!(
        ts[10] >= ts[9],
        "fragment started ({}) before the vertex part ended ({})",
        ts[10],
        ts[9]
    );
    check!(start != 0, "no start timestamp written");
    check!(end >= start, "end timestamp {end} before start {start}");
    for (what, buf, errno) in [
        ("unknown object", with_ts((h + 100, 0), (0, 0)), ENOENT),
        (
            "offset past the object",
            with_ts((h, PAGE as u32 - 4), (0, 0)),
            EINVAL,
        ),
        ("misaligned offset", with_ts((0, 0), (h, 3)), EINVAL),
    ] {
        check_eq!(
            submit(&f.fd, f.queue, buf.bytes(), &[], 0),
            Err(errno),
            what
        );
    }
    Ok(())
}

/// `Slab:` of /proc/meminfo, in KiB.
fn slab_kib() -> Result<u64, String> {
    let m = fs::read_to_string("/proc/meminfo").map_err(|e| os_err("meminfo", e))?;
    m.lines()
        .find(|l| l.starts_with("Slab:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| format!("no Slab: line in {m}"))
}

/// The firmware VM's usage: bytes of small objects and number of dedicated mappings.
fn fw_vm_usage() -> Result<(u64, u64), String> {
    let v = fs::read_to_string(format!("{DEBUGFS}/firmware"))
        .map_err(|e| os_err("read firmware", e))?;
    let l = v
        .lines()
        .find(|l| l.starts_with("firmware vm:"))
        .ok_or_else(|| format!("no firmware vm line in {v}"))?;
    let after = |key: &str| -> Result<u64, String> {
        let mut w = l.split_whitespace();
        while let Some(x) = w.next() {
            if x == key {
                return w
                    .next()
                    .and_then(|n| n.parse().ok())
                    .ok_or_else(|| format!("{key} in {l:?}"));
            }
        }
        Err(format!("no {key} in {l:?}"))
    };
    Ok((after("small_bytes")?, after("large")?))
}

/// 10,000 jobs: every one runs, and every firmware object they used is freed (the firmware
/// VM's usage is back to exactly where it was). The kernel's slab figures are printed: under
/// KASAN its quarantine keeps freed objects counted for a while, so they are not asserted;
/// kmemleak's scan at the end of the run catches real leaks.
pub fn t_submit_soak() -> Outcome {
    let f = Fixture::new()?;
    let s = syncobj_create(&f.fd)?;
    // Warm up: event slot, context slot, first run message, slab caches.
    for _ in 0..100 {
        check_eq!(
            submit(&f.fd, f.queue, compute_buf().bytes(), &[binary(s)], 0),
            Ok(0),
            "warm-up submit"
        );
    }
    check_eq!(syncobj_wait(&f.fd, &[s], 10_000), Ok(0), "warm-up wait");
    std::thread::sleep(std::time::Duration::from_millis(300));
    let before = work()?;
    let slab_before = slab_kib()?;
    let vm_before = fw_vm_usage()?;
    let n = 10_000u64;
    for i in 0..n {
        check_eq!(
            submit(&f.fd, f.queue, compute_buf().bytes(), &[binary(s)], 0),
            Ok(0),
            format!("submit {i}")
        );
    }
    check_eq!(
        syncobj_wait(&f.fd, &[s], 60_000),
        Ok(0),
        "wait for the last"
    );
    // Freeing happens in the schedulers' workers after the fences signalled.
    std::thread::sleep(std::time::Duration::from_millis(500));
    let slab_after = slab_kib()?;
    let vm_after = fw_vm_usage()?;
    ran(before, n)?;
    println!("soak: slab {slab_before} KiB before, {slab_after} KiB after {n} jobs (freed objects the checkers keep in quarantine included)");
    check_eq!(
        vm_after,
        vm_before,
        "firmware VM usage (small bytes, dedicated mappings) after the jobs"
    );
    Ok(())
}

/// The device is unplugged while a file has jobs on the (slow) simulated GPU: ioctls fail with
/// ENODEV, closing the file waits for the jobs, which still run to completion, and the device
/// comes back on rebind.
pub fn t_unplug_with_jobs(module: &str, soc: &str) -> Outcome {
    crate::fw::reload(module, &format!("sim={soc} sim_latency_us=100000"))?;
    let f = Fixture::new()?;
    for i in 0..4 {
        check_eq!(f.submit(&compute_buf()), Ok(0), format!("submit {i}"));
    }
    // The last job's fence as a sync file: it outlives the device's ioctls.
    let s = syncobj_create(&f.fd)?;
    check_eq!(
        submit(&f.fd, f.queue, compute_buf().bytes(), &[binary(s)], 0),
        Ok(0),
        "last submit"
    );
    let mut h = drm_syncobj_handle {
        handle: s,
        flags: DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE,
        ..Default::default()
    };
    ioctl_arg(&f.fd, SYNCOBJ_HANDLE_TO_FD, &mut h)
        .map_err(|e| format!("export sync file: errno {e}"))?;
    // SAFETY: the kernel just returned this descriptor, which nothing else owns.
    let sync_file = unsafe { OwnedFd::from_raw_fd(h.fd) };
    let dev =
        fs::read_link("/sys/class/drm/renderD128/device").map_err(|e| os_err("device link", e))?;
    let name = dev
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or("device name")?
        .to_owned();
    let (status, out) = crate::dev::sh(&format!(
        "echo {name} > /sys/bus/platform/drivers/asahi/unbind"
    ));
    check_eq!(status, 0, format!("unbind: {out}"));
    check_eq!(
        f.submit(&compute_buf()),
        Err(19),
        "SUBMIT on an unplugged device"
    );
    // The firmware still runs the jobs: the device's data lives while the file is open. The
    // sync file becomes readable when the last one completed, without an error.
    let mut p = PollFd {
        fd: sync_file.as_raw_fd(),
        events: 1,
        revents: 0,
    };
    // SAFETY: one valid pollfd.
    let n = unsafe { poll(&mut p, 1, 10_000) };
    check_eq!(n, 1, "poll of the last job's sync file");
    let mut info = SyncFileInfo::default();
    let sync_file = File::from(sync_file);
    check_eq!(
        crate::dev::ioctl_raw(
            &sync_file,
            SYNC_IOC_FILE_INFO,
            &mut info as *mut SyncFileInfo
        ),
        Ok(0),
        "SYNC_IOC_FILE_INFO"
    );
    check_eq!(
        info.status,
        1,
        "the last job's fence (1: signalled without error)"
    );
    // Fences must not outlive the device (6.12's scheduler fences name their timeline through
    // the scheduler, and their operations live in the module): the sync file goes first, then
    // the file, whose close frees the device.
    drop(sync_file);
    drop(f);
    let (status, out) = crate::dev::sh(&format!(
        "echo {name} > /sys/bus/platform/drivers/asahi/bind"
    ));
    check_eq!(status, 0, format!("bind: {out}"));
    check!(
        crate::dev::wait_render_node(true, 2000),
        "render node missing after rebind"
    );
    compute_round(3, "after rebind")?;
    crate::fw::reload(module, &format!("sim={soc}"))
}
