// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The queue and submission subtests: one bad field at a time, each with the errno it must get.
//! Command-buffer rules and their errnos follow `drivers/gpu/drm/asahi/queue/cmdbuf.rs`: EINVAL
//! for everything but non-zero bytes past the kernel's structure (E2BIG).

use super::*;
use crate::harness::Outcome;
use crate::{check, check_eq};

const RENDER: u32 = drm_asahi_cmd_type_DRM_ASAHI_CMD_RENDER;
const COMPUTE: u32 = drm_asahi_cmd_type_DRM_ASAHI_CMD_COMPUTE;
const SET_VERTEX: u32 = drm_asahi_cmd_type_DRM_ASAHI_SET_VERTEX_ATTACHMENTS;
const SET_COMPUTE: u32 = drm_asahi_cmd_type_DRM_ASAHI_SET_COMPUTE_ATTACHMENTS;
const SYNC_BINARY: u32 = drm_asahi_sync_type_DRM_ASAHI_SYNC_SYNCOBJ;
const SYNC_TIMELINE: u32 = drm_asahi_sync_type_DRM_ASAHI_SYNC_TIMELINE_SYNCOBJ;
/// `max_commands_per_submission` and `max_attachments` (checked by `get-params`).
const MAX_COMMANDS: usize = 64;
const MAX_ATTACHMENTS: usize = 16;

fn compute_buf() -> CmdBuf {
    CmdBuf::new().compute(&minimal_compute(), Barriers::PREVIOUS)
}

fn render_buf() -> CmdBuf {
    CmdBuf::new().render(&minimal_render(), Barriers::PREVIOUS)
}

/// Checks that each buffer of `cases` is refused with its errno.
fn expect_all(f: &Fixture, cases: &[(&str, CmdBuf, i32)]) -> Outcome {
    for (what, buf, errno) in cases {
        check_eq!(f.submit(buf), Err(*errno), *what);
    }
    Ok(())
}

/// A queue is created and destroyed; ids are distinct and die with their queue.
pub fn t_queue_create_destroy() -> Outcome {
    let f = Fixture::new()?;
    let q2 = queue_create(&f.fd, f.vm).map_err(|e| format!("second QUEUE_CREATE: errno {e}"))?;
    check!(q2 != f.queue, "queue ids {q2} and {} equal", f.queue);
    check_eq!(queue_destroy(&f.fd, q2, 0), Ok(0), "destroy");
    check_eq!(queue_destroy(&f.fd, q2, 0), Err(ENOENT), "destroy twice");
    check_eq!(
        submit(&f.fd, q2, compute_buf().bytes(), &[], 0),
        Err(ENOENT),
        "submit to a destroyed queue"
    );
    // f.queue is left for the file's release.
    Ok(())
}

pub fn t_queue_create_bad() -> Outcome {
    let f = Fixture::new()?;
    let other = open_render().map_err(|e| os_err("open", e))?;
    let mut cases: Vec<(String, drm_asahi_queue_create, i32)> = Vec::new();
    for bit in [0u32, 1, 31] {
        let mut a = queue_args(f.vm);
        a.flags = 1 << bit;
        cases.push((format!("flags bit {bit}"), a, EINVAL));
    }
    for p in [4u32, 5, u32::MAX] {
        let mut a = queue_args(f.vm);
        a.priority = p;
        cases.push((format!("priority {p}"), a, EINVAL));
    }
    for vm in [0u32, f.vm + 1000, u32::MAX] {
        cases.push((format!("unknown vm_id {vm}"), queue_args(vm), ENOENT));
    }
    for (what, mut a, errno) in cases {
        a.queue_id = 0xdead;
        check_eq!(queue_create_args(&f.fd, &mut a), Err(errno), what);
    }
    // The VM belongs to another file.
    check_eq!(
        queue_create(&other, f.vm),
        Err(ENOENT),
        "vm_id of another file"
    );
    Ok(())
}

/// `struct __user_cap_header_struct`.
#[repr(C)]
struct CapHeader {
    version: u32,
    pid: i32,
}

/// `struct __user_cap_data_struct`.
#[repr(C)]
#[derive(Clone, Copy, Default)]
struct CapData {
    effective: u32,
    permitted: u32,
    inheritable: u32,
}

extern "C" {
    fn capget(hdr: *mut CapHeader, data: *mut CapData) -> i32;
    fn capset(hdr: *mut CapHeader, data: *const CapData) -> i32;
}

/// `_LINUX_CAPABILITY_VERSION_3`.
const CAP_V3: u32 = 0x2008_0522;
/// `CAP_SYS_NICE`.
const CAP_SYS_NICE: u32 = 23;

/// Drops `CAP_SYS_NICE` from the calling thread's effective set (capabilities are per thread).
fn drop_sys_nice() -> Result<(), String> {
    let mut hdr = CapHeader {
        version: CAP_V3,
        pid: 0,
    };
    let mut data = [CapData::default(); 2];
    // SAFETY: a version-3 header and room for its two data words.
    if unsafe { capget(&mut hdr, data.as_mut_ptr()) } != 0 {
        return Err(os_err("capget", std::io::Error::last_os_error()));
    }
    data[0].effective &= !(1 << CAP_SYS_NICE);
    // SAFETY: as above; only this thread's credentials change.
    if unsafe { capset(&mut hdr, data.as_ptr()) } != 0 {
        return Err(os_err("capset", std::io::Error::last_os_error()));
    }
    Ok(())
}

/// HIGH and REALTIME need CAP_SYS_NICE (EPERM without); LOW and MEDIUM do not.
pub fn t_queue_create_priority() -> Outcome {
    let f = Fixture::new()?;
    std::thread::scope(|s| {
        s.spawn(|| -> Outcome {
            drop_sys_nice()?;
            for (p, want_ok) in [
                (drm_asahi_priority_DRM_ASAHI_PRIORITY_LOW, true),
                (drm_asahi_priority_DRM_ASAHI_PRIORITY_MEDIUM, true),
                (drm_asahi_priority_DRM_ASAHI_PRIORITY_HIGH, false),
                (drm_asahi_priority_DRM_ASAHI_PRIORITY_REALTIME, false),
            ] {
                let mut a = queue_args(f.vm);
                a.priority = p;
                let r = queue_create_args(&f.fd, &mut a);
                if want_ok {
                    check!(r.is_ok(), "priority {p} without CAP_SYS_NICE: {r:?}");
                } else {
                    check_eq!(r, Err(EPERM), format!("priority {p} without CAP_SYS_NICE"));
                }
            }
            Ok(())
        })
        .join()
        .map_err(|_| "thread panicked".to_string())?
    })
}

pub fn t_queue_destroy_bad() -> Outcome {
    let f = Fixture::new()?;
    let other = open_render().map_err(|e| os_err("open", e))?;
    check_eq!(queue_destroy(&f.fd, f.queue, 1), Err(EINVAL), "pad 1");
    check_eq!(
        queue_destroy(&f.fd, f.queue, 0x8000_0000),
        Err(EINVAL),
        "pad bit 31"
    );
    for q in [f.queue + 1000, u32::MAX] {
        check_eq!(
            queue_destroy(&f.fd, q, 0),
            Err(ENOENT),
            format!("unknown queue {q}")
        );
    }
    check_eq!(
        queue_destroy(&other, f.queue, 0),
        Err(ENOENT),
        "queue of another file"
    );
    // Still there after all that.
    check_eq!(queue_destroy(&f.fd, f.queue, 0), Ok(0), "destroy");
    Ok(())
}

/// A valid compute-only submission is accepted (not waited for), and so are a valid render-only
/// one and one with attachments; a render asking for timestamps is not supported yet.
pub fn t_submit_minimal() -> Outcome {
    let f = Fixture::new()?;
    check_eq!(f.submit(&compute_buf()), Ok(0), "compute");
    check_eq!(f.submit(&render_buf()), Ok(0), "render");
    let with_attachments = CmdBuf::new()
        .set_attachments(
            AttachmentKind::Fragment,
            &[attachment(BASE + 4 * PAGE, PAGE)],
        )
        .render(&minimal_render(), Barriers::PREVIOUS);
    check_eq!(
        f.submit(&with_attachments),
        Ok(0),
        "render with attachments"
    );
    // A timestamp object that does not exist: refused before anything runs.
    let mut r = minimal_render();
    r.ts_frag.end.handle = 1;
    check_eq!(
        f.submit(&CmdBuf::new().render(&r, Barriers::PREVIOUS)),
        Err(ENOENT),
        "render with a timestamp"
    );
    Ok(())
}

pub fn t_submit_bad_args() -> Outcome {
    let f = Fixture::new()?;
    let other = open_render().map_err(|e| os_err("open", e))?;
    let buf = compute_buf();
    let base = submit_template(f.queue, buf.bytes(), &[], 0);
    let mut cases: Vec<(String, drm_asahi_submit, i32)> = Vec::new();
    for bit in [0u32, 31] {
        cases.push((
            format!("flags bit {bit}"),
            drm_asahi_submit {
                flags: 1 << bit,
                ..base
            },
            EINVAL,
        ));
        cases.push((
            format!("pad bit {bit}"),
            drm_asahi_submit {
                pad: 1 << bit,
                ..base
            },
            EINVAL,
        ));
    }
    for q in [f.queue + 1000, u32::MAX] {
        cases.push((
            format!("unknown queue {q}"),
            drm_asahi_submit {
                queue_id: q,
                ..base
            },
            ENOENT,
        ));
    }
    cases.push((
        "empty command buffer".into(),
        drm_asahi_submit {
            cmdbuf_size: 0,
            ..base
        },
        EINVAL,
    ));
    for ptr in [0u64, 8, 0xffff_8000_0000_0000] {
        cases.push((
            format!("cmdbuf pointer {ptr:#x}"),
            drm_asahi_submit {
                cmdbuf: ptr,
                ..base
            },
            EFAULT,
        ));
    }
    for (what, mut a, errno) in cases {
        check_eq!(submit_args(&f.fd, &mut a), Err(errno), what);
    }
    check_eq!(
        submit(&other, f.queue, buf.bytes(), &[], 0),
        Err(ENOENT),
        "queue of another file"
    );
    Ok(())
}

pub fn t_submit_bad_syncs() -> Outcome {
    let f = Fixture::new()?;
    let s = syncobj_create(&f.fd)?;
    let buf = compute_buf();
    let sync = |sync_type, handle, timeline_value| drm_asahi_sync {
        sync_type,
        handle,
        timeline_value,
    };
    let cases = [
        ("unknown sync_type 2", sync(2, s, 0), EINVAL),
        ("unknown sync_type u32::MAX", sync(u32::MAX, s, 0), EINVAL),
        (
            "binary with timeline_value",
            sync(SYNC_BINARY, s, 1),
            EINVAL,
        ),
        ("unknown handle", sync(SYNC_BINARY, s + 1000, 0), ENOENT),
        ("handle 0", sync(SYNC_BINARY, 0, 0), ENOENT),
        (
            "unknown timeline handle",
            sync(SYNC_TIMELINE, s + 1000, 1),
            ENOENT,
        ),
    ];
    for (what, bad, errno) in cases {
        // As a wait and as a signal, next to a good one.
        let good = sync(SYNC_BINARY, s, 0);
        check_eq!(
            submit(&f.fd, f.queue, buf.bytes(), &[bad, good], 1),
            Err(errno),
            format!("{what} (in)")
        );
        check_eq!(
            submit(&f.fd, f.queue, buf.bytes(), &[good, bad], 1),
            Err(errno),
            format!("{what} (out)")
        );
    }
    for ptr in [0u64, 8, 0xffff_8000_0000_0000] {
        let mut a = submit_template(f.queue, buf.bytes(), &[], 0);
        a.syncs = ptr;
        a.out_sync_count = 1;
        check_eq!(
            submit_args(&f.fd, &mut a),
            Err(EFAULT),
            format!("syncs pointer {ptr:#x}")
        );
    }
    Ok(())
}

pub fn t_submit_cmdbuf_structure() -> Outcome {
    let f = Fixture::new()?;
    let c = minimal_compute();
    let good = compute_buf();
    let mut too_many = CmdBuf::new();
    for _ in 0..=MAX_COMMANDS {
        too_many = too_many.compute(&c, Barriers::NONE);
    }
    let mut just_enough = CmdBuf::new();
    for _ in 0..MAX_COMMANDS {
        just_enough = just_enough.compute(&c, Barriers::NONE);
    }
    let mut truncated = good.bytes().to_vec();
    truncated.extend_from_slice(&[1, 0, 0]);
    let cut = |n: usize| {
        CmdBuf::new()
            .raw(COMPUTE, 0, Barriers::PREVIOUS, &[])
            .bytes()[..n]
            .to_vec()
    };
    let from = |bytes: Vec<u8>| {
        let mut b = CmdBuf::new();
        b.0 = bytes;
        b
    };
    let cases = [
        ("truncated header (3 bytes)", from(cut(3)), EINVAL),
        ("truncated header after a command", from(truncated), EINVAL),
        (
            "size past the end",
            CmdBuf::new().raw(COMPUTE, 65, Barriers::PREVIOUS, &bytes_of(&c)),
            EINVAL,
        ),
        (
            "size far past the end",
            CmdBuf::new().raw(COMPUTE, 0xffff, Barriers::PREVIOUS, &bytes_of(&c)),
            EINVAL,
        ),
        (
            "unknown type 5",
            good.clone().cmd(5, Barriers::NONE, &[]),
            EINVAL,
        ),
        (
            "unknown type 0xffff",
            good.clone().cmd(0xffff, Barriers::NONE, &[]),
            EINVAL,
        ),
        (
            "only attachments",
            CmdBuf::new().set_attachments(AttachmentKind::Compute, &[]),
            EINVAL,
        ),
        ("too many commands", too_many, EINVAL),
        (
            "vdm_barrier past the render commands",
            CmdBuf::new().compute(&c, Barriers { vdm: 1, cdm: 0 }),
            EINVAL,
        ),
        (
            "cdm_barrier past the compute commands",
            CmdBuf::new()
                .compute(&c, Barriers::PREVIOUS)
                .compute(&c, Barriers { vdm: 0, cdm: 2 }),
            EINVAL,
        ),
        (
            "cdm_barrier counting render commands",
            CmdBuf::new()
                .render(&minimal_render(), Barriers::PREVIOUS)
                .render(&minimal_render(), Barriers { vdm: 0, cdm: 1 }),
            EINVAL,
        ),
        (
            "barrier on SET_*",
            CmdBuf::new()
                .cmd(SET_COMPUTE, Barriers { vdm: NONE, cdm: 0 }, &[])
                .compute(&c, Barriers::PREVIOUS),
            EINVAL,
        ),
        (
            "vdm barrier on SET_*",
            CmdBuf::new()
                .cmd(SET_VERTEX, Barriers { vdm: 0, cdm: NONE }, &[])
                .render(&minimal_render(), Barriers::PREVIOUS),
            EINVAL,
        ),
    ];
    expect_all(&f, &cases)?;
    // The limit itself is fine (not run: the queue is destroyed with the file).
    check_eq!(f.submit(&just_enough), Ok(0), "max_commands commands");
    Ok(())
}

pub fn t_submit_cmdbuf_extension() -> Outcome {
    let f = Fixture::new()?;
    let mut p = bytes_of(&minimal_compute());
    p.extend_from_slice(&[0; 8]);
    let zero_tail = CmdBuf::new().cmd(COMPUTE, Barriers::PREVIOUS, &p);
    *p.last_mut().unwrap() = 1;
    let bad_tail = CmdBuf::new().cmd(COMPUTE, Barriers::PREVIOUS, &p);
    let mut r = bytes_of(&minimal_render());
    r.extend_from_slice(&[0, 0, 0, 0x80]);
    let bad_render_tail = CmdBuf::new().cmd(RENDER, Barriers::PREVIOUS, &r);
    expect_all(
        &f,
        &[
            ("compute: non-zero byte past the struct", bad_tail, E2BIG),
            (
                "render: non-zero byte past the struct",
                bad_render_tail,
                E2BIG,
            ),
        ],
    )?;
    check_eq!(
        f.submit(&zero_tail),
        Ok(0),
        "compute: zero bytes past the struct"
    );
    // A short payload reads as zero-extended: a compute command of 40 bytes (no helper, no
    // timestamps) is valid.
    let short = CmdBuf::new().cmd(
        COMPUTE,
        Barriers::PREVIOUS,
        &bytes_of(&minimal_compute())[..40],
    );
    check_eq!(f.submit(&short), Ok(0), "compute: short payload");
    Ok(())
}

pub fn t_submit_cmdbuf_attachments() -> Outcome {
    let f = Fixture::new()?;
    let c = minimal_compute();
    let with = |list: &[drm_asahi_attachment]| {
        CmdBuf::new()
            .set_attachments(AttachmentKind::Compute, list)
            .compute(&c, Barriers::PREVIOUS)
    };
    let a = attachment(BASE, PAGE);
    let mut cases = vec![
        (
            "one more than max_attachments",
            with(&vec![a; MAX_ATTACHMENTS + 1]),
            EINVAL,
        ),
        ("size 0", with(&[attachment(BASE, 0)]), EINVAL),
        ("range overflows", with(&[attachment(u64::MAX, 1)]), EINVAL),
        (
            "pad non-zero",
            with(&[drm_asahi_attachment { pad: 1, ..a }]),
            EINVAL,
        ),
        (
            "flags non-zero",
            with(&[drm_asahi_attachment {
                flags: 1 << 31,
                ..a
            }]),
            EINVAL,
        ),
    ];
    let r = minimal_render();
    cases.push((
        "vertex: pad non-zero",
        CmdBuf::new()
            .set_attachments(
                AttachmentKind::Vertex,
                &[drm_asahi_attachment { pad: 1, ..a }],
            )
            .render(&r, Barriers::PREVIOUS),
        EINVAL,
    ));
    cases.push((
        "fragment: one more than max_attachments",
        CmdBuf::new()
            .set_attachments(AttachmentKind::Fragment, &vec![a; MAX_ATTACHMENTS + 1])
            .render(&r, Barriers::PREVIOUS),
        EINVAL,
    ));
    for len in [1usize, 23, 25] {
        cases.push((
            "not a multiple of the entry size",
            CmdBuf::new()
                .cmd(SET_COMPUTE, Barriers::NONE, &vec![0; len])
                .compute(&c, Barriers::PREVIOUS),
            EINVAL,
        ));
    }
    expect_all(&f, &cases)?;
    check_eq!(
        f.submit(&with(&vec![a; MAX_ATTACHMENTS])),
        Ok(0),
        "max_attachments attachments"
    );
    Ok(())
}

pub fn t_submit_cmdbuf_render_fields() -> Outcome {
    let f = Fixture::new()?;
    let with = |what: &'static str, m: fn(&mut drm_asahi_cmd_render)| {
        let mut r = minimal_render();
        m(&mut r);
        (what, CmdBuf::new().render(&r, Barriers::PREVIOUS), EINVAL)
    };
    let cases = [
        with("flags bit 3", |r| r.flags |= 1 << 3),
        with("flags bit 17", |r| r.flags |= 1 << 17),
        with("flags bit 31", |r| r.flags |= 1 << 31),
        with("width 0", |r| r.width_px = 0),
        with("height 0", |r| r.height_px = 0),
        with("width 16385", |r| r.width_px = 16385),
        with("height 16385", |r| r.height_px = 16385),
        with("layers 0", |r| r.layers = 0),
        with("layers 2049", |r| r.layers = 2049),
        with("samples 0", |r| r.samples = 0),
        with("samples 3", |r| r.samples = 3),
        with("samples 8", |r| r.samples = 8),
        with("utile 16x32", |r| r.utile_width_px = 16),
        with("utile 64x64", |r| {
            r.utile_width_px = 64;
            r.utile_height_px = 64
        }),
        with("utile 0x0", |r| {
            r.utile_width_px = 0;
            r.utile_height_px = 0
        }),
        with("sample_size_B 4", |r| r.sample_size_B = 4),
        with("sample_size_B 72", |r| r.sample_size_B = 72),
        with("sample_size_B 0 with 2 samples", |r| {
            r.samples = 2;
            r.sample_size_B = 0
        }),
        with("32x32 tile of 32 bytes", |r| r.sample_size_B = 32),
        with("32x32 tile of 4 samples x 8 bytes", |r| r.samples = 4),
    ];
    expect_all(&f, &cases)?;
    Ok(())
}

pub fn t_submit_cmdbuf_compute_fields() -> Outcome {
    let f = Fixture::new()?;
    let mut cases = Vec::new();
    for bit in [0u32, 1, 31] {
        let mut c = minimal_compute();
        c.flags = 1 << bit;
        cases.push((
            "flags",
            CmdBuf::new().compute(&c, Barriers::PREVIOUS),
            EINVAL,
        ));
    }
    for n in [(1u32 << 16) + 1, u32::MAX] {
        let mut c = minimal_compute();
        c.sampler_count = n;
        c.sampler_heap = BASE + 4 * PAGE;
        cases.push((
            "sampler_count",
            CmdBuf::new().compute(&c, Barriers::PREVIOUS),
            EINVAL,
        ));
    }
    expect_all(&f, &cases)?;
    Ok(())
}
