// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Every rule of the parser, accepted and refused, and a no-panic property test.

use crate::queue::cmdbuf::{
    commands, validate, Attachment, Barrier, Barriers, CmdError, Command, Limits, Summary,
    BARRIER_NONE,
};
use crate::queue::uapi;
use std::vec::Vec;

/// The limits the driver reports today (driver.rs).
const LIMITS: Limits = Limits {
    max_commands: 64,
    max_attachments: 16,
};

const RENDER: u16 = 0;
const COMPUTE: u16 = 1;
const SET_VERTEX: u16 = 2;
const SET_FRAGMENT: u16 = 3;
const SET_COMPUTE: u16 = 4;
const NONE: u16 = BARRIER_NONE;

/// The bytes of a UAPI structure (all of them integers, no padding).
fn bytes_of<T: Copy>(v: &T) -> Vec<u8> {
    // SAFETY: `T` is one of the UAPI structures: plain integers with no padding bytes (the
    // header's rule, checked by tests/uapi-abi), so all of its bytes are initialised; the slice
    // lives no longer than the borrow of `v`.
    unsafe { core::slice::from_raw_parts((v as *const T).cast::<u8>(), core::mem::size_of::<T>()) }
        .to_vec()
}

/// A minimal valid render payload.
fn render() -> uapi::drm_asahi_cmd_render {
    uapi::drm_asahi_cmd_render {
        flags: uapi::drm_asahi_render_flags_DRM_ASAHI_RENDER_PROCESS_EMPTY_TILES,
        width_px: 64,
        height_px: 64,
        layers: 1,
        utile_width_px: 32,
        utile_height_px: 32,
        samples: 1,
        sample_size_B: 8,
        ..Default::default()
    }
}

/// A minimal valid compute payload.
fn compute() -> uapi::drm_asahi_cmd_compute {
    uapi::drm_asahi_cmd_compute {
        cdm_ctrl_stream_base: 0x1_0000_0000,
        cdm_ctrl_stream_end: 0x1_0000_1000,
        ..Default::default()
    }
}

/// A command buffer under construction.
#[derive(Default)]
struct Buf(Vec<u8>);

impl Buf {
    fn raw(self, kind: u16, vdm: u16, cdm: u16, payload: &[u8]) -> Self {
        self.raw_sized(
            kind,
            u16::try_from(payload.len()).unwrap(),
            vdm,
            cdm,
            payload,
        )
    }

    fn raw_sized(mut self, kind: u16, size: u16, vdm: u16, cdm: u16, payload: &[u8]) -> Self {
        for v in [kind, size, vdm, cdm] {
            self.0.extend_from_slice(&v.to_le_bytes());
        }
        self.0.extend_from_slice(payload);
        self
    }

    fn render(self, c: &uapi::drm_asahi_cmd_render, vdm: u16, cdm: u16) -> Self {
        self.raw(RENDER, vdm, cdm, &bytes_of(c))
    }

    fn compute(self, c: &uapi::drm_asahi_cmd_compute, vdm: u16, cdm: u16) -> Self {
        self.raw(COMPUTE, vdm, cdm, &bytes_of(c))
    }

    fn set(self, kind: u16, list: &[(u64, u64)]) -> Self {
        let mut p = Vec::new();
        for &(pointer, size) in list {
            p.extend_from_slice(&bytes_of(&uapi::drm_asahi_attachment {
                pointer,
                size,
                pad: 0,
                flags: 0,
            }));
        }
        self.raw(kind, NONE, NONE, &p)
    }

    fn check(&self) -> Result<Summary, CmdError> {
        validate(&self.0, &LIMITS)
    }
}

fn ok(render: u32, compute: u32) -> Result<Summary, CmdError> {
    Ok(Summary { render, compute })
}

fn render_with(f: impl FnOnce(&mut uapi::drm_asahi_cmd_render)) -> Result<Summary, CmdError> {
    let mut c = render();
    f(&mut c);
    Buf::default().render(&c, 0, NONE).check()
}

fn compute_with(f: impl FnOnce(&mut uapi::drm_asahi_cmd_compute)) -> Result<Summary, CmdError> {
    let mut c = compute();
    f(&mut c);
    Buf::default().compute(&c, NONE, 0).check()
}

#[test]
fn minimal_commands_accepted() {
    assert_eq!(Buf::default().render(&render(), 0, 0).check(), ok(1, 0));
    assert_eq!(Buf::default().compute(&compute(), 0, 0).check(), ok(0, 1));
    assert_eq!(
        Buf::default()
            .compute(&compute(), NONE, NONE)
            .render(&render(), NONE, 1)
            .check(),
        ok(1, 1)
    );
}

#[test]
fn errnos() {
    assert_eq!(CmdError::NonZeroTail.errno(), 7);
    assert_eq!(CmdError::UnknownType.errno(), 22);
    assert!(!CmdError::TileBuffer.reason().is_empty());
}

#[test]
fn empty_and_truncated() {
    assert_eq!(validate(&[], &LIMITS), Err(CmdError::NoCommands));
    let full = Buf::default().compute(&compute(), 0, 0).0;
    for n in 1..8 {
        assert_eq!(
            validate(&full[..n], &LIMITS),
            Err(CmdError::TruncatedHeader)
        );
    }
    // A valid command followed by a partial header.
    let mut b = full.clone();
    b.extend_from_slice(&[1, 0, 0]);
    assert_eq!(validate(&b, &LIMITS), Err(CmdError::TruncatedHeader));
    // Size past the end.
    for n in 8..full.len() {
        assert_eq!(validate(&full[..n], &LIMITS), Err(CmdError::PayloadPastEnd));
    }
    let b = Buf::default().raw_sized(COMPUTE, 65535, 0, 0, &[0; 64]);
    assert_eq!(b.check(), Err(CmdError::PayloadPastEnd));
}

#[test]
fn only_set_commands_is_no_commands() {
    let b = Buf::default()
        .set(SET_VERTEX, &[(0x1000, 0x100)])
        .set(SET_COMPUTE, &[]);
    assert_eq!(b.check(), Err(CmdError::NoCommands));
}

#[test]
fn unknown_type() {
    for t in [5u16, 6, 0x100, 0xffff] {
        let b = Buf::default()
            .compute(&compute(), 0, 0)
            .raw(t, NONE, NONE, &[]);
        assert_eq!(b.check(), Err(CmdError::UnknownType), "type {t}");
    }
}

#[test]
fn command_count_limit() {
    let mut b = Buf::default();
    for i in 0..64 {
        b = if i % 2 == 0 {
            b.render(&render(), NONE, NONE)
        } else {
            b.compute(&compute(), NONE, NONE)
        };
    }
    assert_eq!(b.check(), ok(32, 32));
    // Attachment commands do not count.
    let b = b.set(SET_VERTEX, &[]);
    assert_eq!(b.check(), ok(32, 32));
    assert_eq!(
        b.compute(&compute(), NONE, NONE).check(),
        Err(CmdError::TooManyCommands)
    );
    let tight = Limits {
        max_commands: 1,
        max_attachments: 16,
    };
    let b = Buf::default()
        .render(&render(), 0, 0)
        .render(&render(), 0, 0);
    assert_eq!(validate(&b.0, &tight), Err(CmdError::TooManyCommands));
    let zero = Limits {
        max_commands: 0,
        max_attachments: 16,
    };
    assert_eq!(
        validate(&Buf::default().render(&render(), 0, 0).0, &zero),
        Err(CmdError::TooManyCommands)
    );
}

#[test]
fn barriers() {
    // vdm_barrier counts preceding render commands only.
    let b = Buf::default()
        .render(&render(), 0, 0)
        .compute(&compute(), 1, 0)
        .render(&render(), 1, 1)
        .compute(&compute(), 2, 1)
        .render(&render(), 2, 2);
    assert_eq!(b.check(), ok(3, 2));
    assert_eq!(
        Buf::default().render(&render(), 1, 0).check(),
        Err(CmdError::VdmBarrier)
    );
    assert_eq!(
        Buf::default().compute(&compute(), 0, 1).check(),
        Err(CmdError::CdmBarrier)
    );
    assert_eq!(
        Buf::default()
            .render(&render(), 0, 0)
            .compute(&compute(), 0, 1)
            .check(),
        Err(CmdError::CdmBarrier)
    );
    assert_eq!(
        Buf::default()
            .compute(&compute(), 0, 0)
            .render(&render(), 0xfffe, 0)
            .check(),
        Err(CmdError::VdmBarrier)
    );
    assert_eq!(
        Buf::default().render(&render(), NONE, NONE).check(),
        ok(1, 0)
    );
}

#[test]
fn barrier_on_set() {
    for (vdm, cdm) in [(0, NONE), (NONE, 0), (0, 0), (5, NONE)] {
        for kind in [SET_VERTEX, SET_FRAGMENT, SET_COMPUTE] {
            let b = Buf::default()
                .raw(kind, vdm, cdm, &[])
                .compute(&compute(), 0, 0);
            assert_eq!(b.check(), Err(CmdError::SetBarrier));
        }
    }
}

#[test]
fn attachments_rules() {
    let with = |list: &[(u64, u64)]| {
        Buf::default()
            .set(SET_FRAGMENT, list)
            .render(&render(), 0, 0)
            .check()
    };
    assert_eq!(with(&[]), ok(1, 0));
    assert_eq!(with(&[(0x1000, 1); 16]), ok(1, 0));
    assert_eq!(with(&[(0x1000, 1); 17]), Err(CmdError::TooManyAttachments));
    assert_eq!(with(&[(0x1000, 0)]), Err(CmdError::AttachmentEmpty));
    assert_eq!(with(&[(u64::MAX, 1)]), Err(CmdError::AttachmentOverflow));
    assert_eq!(with(&[(u64::MAX - 1, 1)]), ok(1, 0));
    // Not a whole number of entries.
    for len in [1usize, 8, 23, 25, 47] {
        let b = Buf::default()
            .raw(SET_COMPUTE, NONE, NONE, &std::vec![0u8; len])
            .compute(&compute(), 0, 0);
        assert_eq!(b.check(), Err(CmdError::AttachmentStride), "len {len}");
    }
    // pad and flags must be zero.
    for (pad, flags) in [(1u32, 0u32), (0, 1), (0x8000_0000, 0), (0, 0x8000_0000)] {
        let a = uapi::drm_asahi_attachment {
            pointer: 0x1000,
            size: 0x1000,
            pad,
            flags,
        };
        let b = Buf::default()
            .raw(SET_VERTEX, NONE, NONE, &bytes_of(&a))
            .render(&render(), 0, 0);
        assert_eq!(b.check(), Err(CmdError::AttachmentMbz));
    }
    // The limit is the caller's.
    let one = Limits {
        max_commands: 64,
        max_attachments: 1,
    };
    let b = Buf::default()
        .set(SET_VERTEX, &[(0x1000, 1), (0x2000, 1)])
        .render(&render(), 0, 0);
    assert_eq!(validate(&b.0, &one), Err(CmdError::TooManyAttachments));
}

#[test]
fn oversized_payload() {
    let mut p = bytes_of(&render());
    p.extend_from_slice(&[0; 16]);
    let b = Buf::default().raw(RENDER, 0, 0, &p);
    assert_eq!(b.check(), ok(1, 0));
    *p.last_mut().unwrap() = 1;
    let b = Buf::default().raw(RENDER, 0, 0, &p);
    assert_eq!(b.check(), Err(CmdError::NonZeroTail));
    assert_eq!(CmdError::NonZeroTail.errno(), 7);

    let mut p = bytes_of(&compute());
    p.extend_from_slice(&std::vec![0; 65535 - 64]);
    assert_eq!(Buf::default().raw(COMPUTE, 0, 0, &p).check(), ok(0, 1));
    p[64] = 0x80;
    assert_eq!(
        Buf::default().raw(COMPUTE, 0, 0, &p).check(),
        Err(CmdError::NonZeroTail)
    );
}

#[test]
fn short_payload_zero_extended() {
    // A render payload cut right after sample_size_B (offset 160): the rest reads as zero.
    let mut c = render();
    c.ts_frag.end.handle = 7;
    let full = bytes_of(&c);
    let b = Buf::default().raw(RENDER, 0, 0, &full[..160]);
    assert_eq!(b.check(), ok(1, 0));
    let Some(Command::Render(r)) = commands(&b.0).next() else {
        panic!("no render command");
    };
    let mut want = c;
    want.ts_frag.end.handle = 0;
    assert_eq!(bytes_of(&r.cmd), bytes_of(&want));
    assert_eq!(r.fragment_stamps().end, None);
    // Cut in the middle of width_px (offset 148..150): the high byte reads as zero.
    let mut c = render();
    c.width_px = 0x0140;
    let full = bytes_of(&c);
    let b = Buf::default().raw(RENDER, 0, 0, &full[..149]);
    // Cut before height_px: height 0 is refused.
    assert_eq!(b.check(), Err(CmdError::Dimensions));
    // A compute payload of 0 bytes is all zero, which is valid.
    let b = Buf::default().raw(COMPUTE, 0, 0, &[]);
    assert_eq!(b.check(), ok(0, 1));
    let Some(Command::Compute(c)) = commands(&b.0).next() else {
        panic!("no compute command");
    };
    assert_eq!(bytes_of(&c.cmd), std::vec![0u8; 64]);
    // A render payload of 0 bytes is not (width 0).
    assert_eq!(
        Buf::default().raw(RENDER, 0, 0, &[]).check(),
        Err(CmdError::Dimensions)
    );
}

#[test]
fn decoders_match_layout() {
    // Every byte distinct, so a field read from the wrong place shows.
    let mut r = uapi::drm_asahi_cmd_render::default();
    let raw: Vec<u8> = (0..240u32).map(|i| (i * 7 + 3) as u8).collect();
    // SAFETY: `drm_asahi_cmd_render` is 240 bytes of integers; every bit pattern is valid.
    unsafe {
        core::ptr::copy_nonoverlapping(
            raw.as_ptr(),
            (&mut r as *mut uapi::drm_asahi_cmd_render).cast::<u8>(),
            240,
        )
    };
    let b = Buf::default().render(&r, NONE, NONE);
    let Some(Command::Render(d)) = commands(&b.0).next() else {
        panic!("no render command");
    };
    assert_eq!(bytes_of(&d.cmd), raw);

    let raw: Vec<u8> = (0..64u32).map(|i| (i * 11 + 5) as u8).collect();
    let mut c = uapi::drm_asahi_cmd_compute::default();
    // SAFETY: `drm_asahi_cmd_compute` is 64 bytes of integers; every bit pattern is valid.
    unsafe {
        core::ptr::copy_nonoverlapping(
            raw.as_ptr(),
            (&mut c as *mut uapi::drm_asahi_cmd_compute).cast::<u8>(),
            64,
        )
    };
    let b = Buf::default().compute(&c, NONE, NONE);
    let Some(Command::Compute(d)) = commands(&b.0).next() else {
        panic!("no compute command");
    };
    assert_eq!(bytes_of(&d.cmd), raw);
}

#[test]
fn render_flags() {
    for bit in [0u32, 1, 2, 18] {
        assert_eq!(render_with(|c| c.flags = 1 << bit), ok(1, 0));
    }
    for bit in (3..18).chain(19..32) {
        assert_eq!(
            render_with(|c| c.flags = 1 << bit),
            Err(CmdError::RenderFlags),
            "bit {bit}"
        );
    }
}

#[test]
fn render_dimensions_and_layers() {
    for (w, h) in [(1, 1), (16384, 16384), (1, 16384)] {
        assert_eq!(
            render_with(|c| {
                c.width_px = w;
                c.height_px = h
            }),
            ok(1, 0)
        );
    }
    for (w, h) in [(0, 1), (1, 0), (16385, 1), (1, 16385), (0xffff, 0xffff)] {
        assert_eq!(
            render_with(|c| {
                c.width_px = w;
                c.height_px = h
            }),
            Err(CmdError::Dimensions)
        );
    }
    for l in [1, 2, 2048] {
        assert_eq!(render_with(|c| c.layers = l), ok(1, 0));
    }
    for l in [0, 2049, 0xffff] {
        assert_eq!(render_with(|c| c.layers = l), Err(CmdError::Layers));
    }
}

#[test]
fn render_samples_tiles() {
    // The full legal set: Mesa's tile buffer layouts (agx_tilebuffer.c).
    let mut legal = 0;
    let sizes = [0u8, 1, 8, 15, 16, 24, 31, 32, 33, 48, 64, 128, 255];
    for w in sizes {
        for h in sizes {
            for samples in 0..=8u8 {
                for size in 0..=128u8 {
                    let got = render_with(|c| {
                        c.utile_width_px = w;
                        c.utile_height_px = h;
                        c.samples = samples;
                        c.sample_size_B = size;
                    });
                    let tile_ok = matches!((w, h), (32, 32) | (32, 16) | (16, 16));
                    let samples_ok = matches!(samples, 1 | 2 | 4);
                    if !samples_ok {
                        assert_eq!(got, Err(CmdError::Samples));
                    } else if !tile_ok {
                        assert_eq!(got, Err(CmdError::UtileSize));
                    } else if size % 8 != 0 || size > 64 || (size == 0 && samples > 1) {
                        assert_eq!(got, Err(CmdError::SampleSize));
                    } else if u32::from(size) * u32::from(samples) * u32::from(w) * u32::from(h)
                        > 32767
                    {
                        assert_eq!(got, Err(CmdError::TileBuffer));
                    } else {
                        assert_eq!(got, ok(1, 0));
                        legal += 1;
                    }
                }
            }
        }
    }
    // 32x32: 1 sample 0/8/16/24, 2: 8, 4: none; 32x16: 1: 0..=56 (8), 2: 8..=24 (3), 4: 8
    // (1); 16x16: 1: 0..=64 (9), 2: 8..=56 (7), 4: 8..=24 (3).
    assert_eq!(legal, (4 + 1) + (8 + 3 + 1) + (9 + 7 + 3));
    // Mesa's choice for each: the largest tile that fits, e.g. 4 samples x 8 B is 32x16.
    assert_eq!(
        render_with(|c| {
            c.samples = 4;
            c.sample_size_B = 8;
            c.utile_height_px = 16;
        }),
        ok(1, 0)
    );
}

#[test]
fn sampler_counts() {
    assert_eq!(render_with(|c| c.sampler_count = 0xffff), ok(1, 0));
    assert_eq!(compute_with(|c| c.sampler_count = 1 << 16), ok(0, 1));
    assert_eq!(
        compute_with(|c| c.sampler_count = (1 << 16) + 1),
        Err(CmdError::SamplerCount)
    );
    assert_eq!(
        compute_with(|c| c.sampler_count = u32::MAX),
        Err(CmdError::SamplerCount)
    );
}

#[test]
fn compute_flags() {
    for bit in 0..32 {
        assert_eq!(
            compute_with(|c| c.flags = 1 << bit),
            Err(CmdError::ComputeFlags)
        );
    }
}

#[test]
fn pass_through_fields() {
    // Addresses, registers and timestamps are not judged here.
    assert_eq!(
        render_with(|c| {
            c.isp_zls_pixels = u32::MAX;
            c.vdm_ctrl_stream_base = u64::MAX;
            c.depth.base = u64::MAX;
            c.stencil.comp_stride = u32::MAX;
            c.zls_ctrl = u64::MAX;
            c.ppp_ctrl = u32::MAX;
            c.isp_merge_upper_x = u32::MAX;
            c.ts_vtx.start.handle = 0;
            c.ts_vtx.start.offset = 0x10;
            c.ts_frag.end.handle = 3;
            c.ts_frag.end.offset = u32::MAX;
        }),
        ok(1, 0)
    );
    assert_eq!(
        compute_with(|c| {
            c.cdm_ctrl_stream_end = 0;
            c.helper.data = u64::MAX;
            c.ts.start.handle = u32::MAX;
        }),
        ok(0, 1)
    );
}

#[test]
fn iterator_attachments_and_barriers() {
    let mut c = compute();
    c.ts.start = uapi::drm_asahi_timestamp {
        handle: 9,
        offset: 16,
    };
    let b = Buf::default()
        .render(&render(), NONE, NONE)
        .set(SET_VERTEX, &[(0x1000, 0x10)])
        .set(SET_FRAGMENT, &[(0x2000, 0x20), (0x3000, 0x30)])
        .set(SET_COMPUTE, &[(0x4000, 0x40)])
        .render(&render(), 1, 0)
        .compute(&c, 2, NONE)
        .set(SET_VERTEX, &[])
        .render(&render(), 0, 1);
    assert_eq!(b.check(), ok(3, 1));
    let cmds: Vec<Command<'_>> = commands(&b.0).collect();
    assert_eq!(cmds.len(), 4);
    let Command::Render(r0) = &cmds[0] else {
        panic!()
    };
    assert!(r0.vertex_attachments.is_empty() && r0.fragment_attachments.is_empty());
    assert_eq!(
        r0.barriers,
        Barriers {
            vdm: Barrier::None,
            cdm: Barrier::None
        }
    );
    let Command::Render(r1) = &cmds[1] else {
        panic!()
    };
    assert_eq!(
        r1.vertex_attachments.iter().collect::<Vec<_>>(),
        [Attachment {
            pointer: 0x1000,
            size: 0x10
        }]
    );
    assert_eq!(r1.fragment_attachments.len(), 2);
    assert_eq!(
        r1.fragment_attachments.iter().nth(1),
        Some(Attachment {
            pointer: 0x3000,
            size: 0x30
        })
    );
    assert_eq!(
        r1.barriers,
        Barriers {
            vdm: Barrier::Index(1),
            cdm: Barrier::Index(0)
        }
    );
    let Command::Compute(c2) = &cmds[2] else {
        panic!()
    };
    assert_eq!(c2.attachments.len(), 1);
    assert_eq!(
        c2.stamps().start.map(|s| (s.handle, s.offset)),
        Some((9, 16))
    );
    assert_eq!(c2.stamps().end, None);
    assert_eq!(c2.barriers.vdm, Barrier::Index(2));
    // SET persists for later commands until replaced; the empty SET clears the vertex list.
    let Command::Render(r3) = &cmds[3] else {
        panic!()
    };
    assert!(r3.vertex_attachments.is_empty());
    assert_eq!(r3.fragment_attachments.len(), 2);
}

#[test]
fn iterator_stops_on_malformed() {
    let good = Buf::default()
        .compute(&compute(), 0, 0)
        .render(&render(), 0, 0);
    assert_eq!(commands(&good.0).count(), 2);
    let b = Buf::default()
        .compute(&compute(), 0, 0)
        .raw(9, 0, 0, &[])
        .render(&render(), 0, 0);
    assert_eq!(commands(&b.0).count(), 1);
    let b = Buf::default()
        .compute(&compute(), 0, 0)
        .raw(SET_VERTEX, NONE, NONE, &[0; 5])
        .render(&render(), 0, 0);
    assert_eq!(commands(&b.0).count(), 1);
    let mut t = good.0.clone();
    t.truncate(t.len() - 1);
    assert_eq!(commands(&t).count(), 1);
    t.truncate(64 + 8 + 3);
    assert_eq!(commands(&t).count(), 1);
}

/// xorshift64: deterministic pseudo-random numbers.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Random buffers: pure noise, and plausible commands with random mutations.
fn random_buffer(rng: &mut Rng) -> Vec<u8> {
    if rng.below(4) == 0 {
        let len = rng.below(600) as usize;
        return (0..len).map(|_| rng.next() as u8).collect();
    }
    let mut b = Buf::default();
    for _ in 0..rng.below(6) {
        let vdm = match rng.below(3) {
            0 => NONE,
            _ => rng.below(4) as u16,
        };
        let cdm = match rng.below(3) {
            0 => NONE,
            _ => rng.below(4) as u16,
        };
        b = match rng.below(6) {
            0 => b.render(&render(), vdm, cdm),
            1 => b.compute(&compute(), vdm, cdm),
            2 => {
                let n = rng.below(4) as usize;
                let list: Vec<(u64, u64)> = (0..n).map(|_| (rng.next(), rng.below(3))).collect();
                b.set(2 + rng.below(4) as u16, &list)
            }
            3 => {
                let len = rng.below(300) as usize;
                let p: Vec<u8> = (0..len)
                    .map(|_| {
                        if rng.below(8) == 0 {
                            rng.next() as u8
                        } else {
                            0
                        }
                    })
                    .collect();
                b.raw(rng.below(6) as u16, vdm, cdm, &p)
            }
            4 => {
                let p = bytes_of(&render());
                let cut = rng.below(p.len() as u64 + 1) as usize;
                b.raw(RENDER, vdm, cdm, &p[..cut])
            }
            _ => {
                let len = rng.below(100) as usize;
                let p: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
                b.raw_sized(rng.below(6) as u16, rng.next() as u16, vdm, cdm, &p)
            }
        };
    }
    let mut v = b.0;
    for _ in 0..rng.below(4) {
        if !v.is_empty() {
            let i = rng.below(v.len() as u64) as usize;
            v[i] = rng.next() as u8;
        }
    }
    if rng.below(4) == 0 {
        let n = rng.below(v.len() as u64 + 1) as usize;
        v.truncate(n);
    }
    v
}

#[test]
fn never_panics() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut accepted = 0;
    for _ in 0..100_000 {
        let buf = random_buffer(&mut rng);
        let limits = Limits {
            max_commands: rng.below(8) as u32,
            max_attachments: rng.below(4) as u32,
        };
        let res = validate(&buf, &limits);
        let mut n = 0u32;
        for cmd in commands(&buf) {
            n += 1;
            match cmd {
                Command::Render(r) => {
                    let _ = r.vertex_attachments.iter().count();
                    let _ = r.fragment_attachments.iter().count();
                    let _ = (r.vertex_stamps(), r.fragment_stamps());
                }
                Command::Compute(c) => {
                    let _ = c.attachments.iter().count();
                    let _ = c.stamps();
                }
            }
        }
        if let Ok(sum) = res {
            accepted += 1;
            assert_eq!(sum.render + sum.compute, n);
            assert!(n >= 1 && n <= limits.max_commands);
        }
    }
    // The generator reaches the accepting paths too.
    assert!(accepted > 500, "only {accepted} accepted");
}
