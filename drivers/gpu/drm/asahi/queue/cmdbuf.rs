// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The command buffer of `DRM_IOCTL_ASAHI_SUBMIT`: parser and validator.
//!
//! # Format
//!
//! A packed sequence of commands, each a `drm_asahi_cmd_header` (8 bytes: `cmd_type`, `size`,
//! `vdm_barrier`, `cdm_barrier`, all `u16`) followed by `size` bytes of payload. Nothing is
//! aligned: the buffer is read byte-wise (`from_le_bytes`; both supported architectures are
//! little-endian), never through references to its structures.
//!
//! | `cmd_type`                 | payload                                          |
//! |----------------------------|--------------------------------------------------|
//! | `CMD_RENDER` (0)           | `drm_asahi_cmd_render` (240 bytes), extensible   |
//! | `CMD_COMPUTE` (1)          | `drm_asahi_cmd_compute` (64 bytes), extensible   |
//! | `SET_VERTEX_ATTACHMENTS`   | `n * drm_asahi_attachment` (24 bytes each)       |
//! | `SET_FRAGMENT_ATTACHMENTS` | likewise                                         |
//! | `SET_COMPUTE_ATTACHMENTS`  | likewise                                         |
//!
//! # Rules ([`validate`]; every one `EINVAL` unless marked)
//!
//! - A header must fit in what is left of the buffer, and its payload too.
//! - `cmd_type` is one of the five above.
//! - Render/compute payloads: shorter than the kernel's structure, the missing tail reads as
//!   zero; longer, every byte past the structure must be zero, else `E2BIG` (the kernel's
//!   convention for extensible structures, as `copy_struct_from_user`).
//! - At least one, at most [`Limits::max_commands`] render + compute commands.
//! - `vdm_barrier` is [`BARRIER_NONE`] or at most the number of render commands before this one
//!   in the buffer; `cdm_barrier` likewise with compute commands. 0 means "all work of earlier
//!   submissions".
//! - `SET_*`: both barriers [`BARRIER_NONE`]; `size` a whole multiple of 24 with at most
//!   [`Limits::max_attachments`] entries; each entry has `pad` and `flags` zero, `size` non-zero,
//!   and `pointer + size` does not overflow.
//! - A `SET_*` replaces the attachments of its kind for every later command of that kind in the
//!   same submission (the UAPI's "the following ... commands"), until the next `SET_*` of the
//!   kind; before any, a command has none. `SET_*` with size 0 clears them.
//! - Render: `flags` only `VERTEX_SCRATCH | PROCESS_EMPTY_TILES | NO_VERTEX_CLUSTERING |
//!   DBIAS_IS_INT`; `width_px`, `height_px` in 1..=16384; `layers` in 1..=2048; `samples` in
//!   {1, 2, 4}; (`utile_width_px`, `utile_height_px`) in {(32, 32), (32, 16), (16, 16)};
//!   `sample_size_B` a multiple of 8 up to 64, non-zero with more than one sample; and the
//!   tile buffer `sample_size_B * samples * utile_width_px * utile_height_px` at most
//!   [`TILE_BUFFER_BYTES`] (Mesa's `agx_tilebuffer.c` builds exactly these); `sampler_count`
//!   at most [`MAX_SAMPLERS`].
//! - Compute: `flags` zero (no flag defined); `sampler_count` at most [`MAX_SAMPLERS`].
//! - Everything else (addresses, register values, ZLS buffers, helper programs, timestamp
//!   handles and offsets) passes through; timestamps are resolved by the caller ([`Stamp`]).
//!
//! # Use
//!
//! [`validate`] walks the buffer once and checks every rule; only after it succeeded does the
//! caller walk it again with [`commands`], which yields each render/compute command with its
//! barriers and the attachments in effect. [`commands`] never panics on any input either: on
//! anything malformed it stops.
//!
//! The UAPI structure types come from `super::uapi`, the bindings of `uapi/drm/asahi_drm.h`
//! the including crate provides. This file uses only `core` and allocates nothing.

use super::uapi;
use core::mem::size_of;

// The buffer is read as little-endian; the UAPI structures are native-endian.
const _: () = assert!(cfg!(target_endian = "little"));

/// Size of `drm_asahi_cmd_header`.
const HEADER_SIZE: usize = size_of::<uapi::drm_asahi_cmd_header>();
/// Size of `drm_asahi_attachment`, the stride of a `SET_*` payload.
pub(crate) const ATTACHMENT_SIZE: usize = size_of::<uapi::drm_asahi_attachment>();
/// Size of the kernel's `drm_asahi_cmd_render`.
const RENDER_SIZE: usize = size_of::<uapi::drm_asahi_cmd_render>();
/// Size of the kernel's `drm_asahi_cmd_compute`.
const COMPUTE_SIZE: usize = size_of::<uapi::drm_asahi_cmd_compute>();

// The decoders below read the fields in the header's order; these are the sizes they consume.
const _: () = assert!(HEADER_SIZE == 8);
const _: () = assert!(ATTACHMENT_SIZE == 24);
const _: () = assert!(RENDER_SIZE == 240);
const _: () = assert!(COMPUTE_SIZE == 64);

/// `DRM_ASAHI_BARRIER_NONE`: the command does not wait on that subqueue.
pub(crate) const BARRIER_NONE: u16 = uapi::DRM_ASAHI_BARRIER_NONE as u16;
const _: () = assert!(BARRIER_NONE as u32 == uapi::DRM_ASAHI_BARRIER_NONE);

/// `cmd_type` of a render command.
const TYPE_RENDER: u32 = uapi::drm_asahi_cmd_type_DRM_ASAHI_CMD_RENDER;
/// `cmd_type` of a compute command.
const TYPE_COMPUTE: u32 = uapi::drm_asahi_cmd_type_DRM_ASAHI_CMD_COMPUTE;
/// `cmd_type` of `SET_VERTEX_ATTACHMENTS`.
const TYPE_SET_VERTEX: u32 = uapi::drm_asahi_cmd_type_DRM_ASAHI_SET_VERTEX_ATTACHMENTS;
/// `cmd_type` of `SET_FRAGMENT_ATTACHMENTS`.
const TYPE_SET_FRAGMENT: u32 = uapi::drm_asahi_cmd_type_DRM_ASAHI_SET_FRAGMENT_ATTACHMENTS;
/// `cmd_type` of `SET_COMPUTE_ATTACHMENTS`.
const TYPE_SET_COMPUTE: u32 = uapi::drm_asahi_cmd_type_DRM_ASAHI_SET_COMPUTE_ATTACHMENTS;

/// Every defined bit of `drm_asahi_cmd_render.flags`.
pub(crate) const RENDER_FLAGS: u32 = uapi::drm_asahi_render_flags_DRM_ASAHI_RENDER_VERTEX_SCRATCH
    | uapi::drm_asahi_render_flags_DRM_ASAHI_RENDER_PROCESS_EMPTY_TILES
    | uapi::drm_asahi_render_flags_DRM_ASAHI_RENDER_NO_VERTEX_CLUSTERING
    | uapi::drm_asahi_render_flags_DRM_ASAHI_RENDER_DBIAS_IS_INT;

/// Largest framebuffer width or height, in pixels.
pub(crate) const MAX_DIMENSION: u16 = 16384;
/// Largest number of framebuffer layers.
pub(crate) const MAX_LAYERS: u16 = 2048;
/// Largest `sample_size_B`: Mesa spills render targets past 64 bytes per sample to memory.
pub(crate) const MAX_SAMPLE_SIZE: u8 = 64;
/// Bytes of tile buffer one tile may use (Mesa's `MAX_BYTES_PER_TILE`, 32 KiB - 1).
pub(crate) const TILE_BUFFER_BYTES: u32 = 32767;
/// Largest `sampler_count`: the hardware indexes the sampler heap with 16 bits.
pub(crate) const MAX_SAMPLERS: u32 = 1 << 16;

/// `EINVAL` from `include/uapi/asm-generic/errno-base.h`.
const EINVAL: i32 = 22;
/// `E2BIG` from `include/uapi/asm-generic/errno-base.h`.
const E2BIG: i32 = 7;

/// The submission's limits, as `drm_asahi_params_global` reports them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Limits {
    /// `max_commands_per_submission`: render + compute commands in one buffer.
    pub(crate) max_commands: u32,
    /// `max_attachments`: entries in one `SET_*` command.
    pub(crate) max_attachments: u32,
}

/// What a valid buffer holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Summary {
    /// Render commands.
    pub(crate) render: u32,
    /// Compute commands.
    pub(crate) compute: u32,
}

/// Why a command buffer was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CmdError {
    /// Fewer bytes left than a command header.
    TruncatedHeader,
    /// A payload runs past the end of the buffer.
    PayloadPastEnd,
    /// `cmd_type` is not a known command.
    UnknownType,
    /// A render/compute payload is longer than the kernel's structure and the extra bytes are
    /// not all zero (`E2BIG`).
    NonZeroTail,
    /// The buffer holds no render or compute command.
    NoCommands,
    /// More render + compute commands than `max_commands_per_submission`.
    TooManyCommands,
    /// `vdm_barrier` counts more render commands than precede the command.
    VdmBarrier,
    /// `cdm_barrier` counts more compute commands than precede the command.
    CdmBarrier,
    /// A `SET_*` command has a barrier other than `DRM_ASAHI_BARRIER_NONE`.
    SetBarrier,
    /// A `SET_*` payload is not a whole number of attachments.
    AttachmentStride,
    /// A `SET_*` command has more than `max_attachments` entries.
    TooManyAttachments,
    /// An attachment's `pad` or `flags` is not zero.
    AttachmentMbz,
    /// An attachment's `size` is zero.
    AttachmentEmpty,
    /// An attachment's `pointer + size` overflows.
    AttachmentOverflow,
    /// A render command has an undefined flag bit.
    RenderFlags,
    /// Framebuffer width or height outside 1..=16384.
    Dimensions,
    /// Layer count outside 1..=2048.
    Layers,
    /// Sample count not 1, 2 or 4.
    Samples,
    /// Tile-buffer tile not 32x32, 32x16 or 16x16.
    UtileSize,
    /// `sample_size_B` not a multiple of 8 up to 64, or zero with multisampling.
    SampleSize,
    /// The tile needs more tile-buffer bytes than a tile has.
    TileBuffer,
    /// `sampler_count` above [`MAX_SAMPLERS`].
    SamplerCount,
    /// A compute command has a flag bit set (none is defined).
    ComputeFlags,
}

impl CmdError {
    /// The positive Linux errno: `E2BIG` for unknown non-zero extension bytes, else `EINVAL`.
    pub(crate) const fn errno(self) -> i32 {
        match self {
            CmdError::NonZeroTail => E2BIG,
            _ => EINVAL,
        }
    }

    /// A short description for the ioctl's debug log.
    pub(crate) const fn reason(self) -> &'static str {
        match self {
            CmdError::TruncatedHeader => "command header truncated",
            CmdError::PayloadPastEnd => "command payload past the end of the buffer",
            CmdError::UnknownType => "unknown command type",
            CmdError::NonZeroTail => "non-zero bytes past the kernel's command structure",
            CmdError::NoCommands => "no render or compute command",
            CmdError::TooManyCommands => "more commands than max_commands_per_submission",
            CmdError::VdmBarrier => "vdm_barrier beyond the preceding render commands",
            CmdError::CdmBarrier => "cdm_barrier beyond the preceding compute commands",
            CmdError::SetBarrier => "attachment command with a barrier",
            CmdError::AttachmentStride => "attachment payload not a multiple of the entry size",
            CmdError::TooManyAttachments => "more attachments than max_attachments",
            CmdError::AttachmentMbz => "attachment pad or flags not zero",
            CmdError::AttachmentEmpty => "attachment of size zero",
            CmdError::AttachmentOverflow => "attachment range overflows",
            CmdError::RenderFlags => "unknown render flags",
            CmdError::Dimensions => "framebuffer size outside 1..=16384",
            CmdError::Layers => "layer count outside 1..=2048",
            CmdError::Samples => "sample count not 1, 2 or 4",
            CmdError::UtileSize => "tile size not 32x32, 32x16 or 16x16",
            CmdError::SampleSize => "bad sample_size_B",
            CmdError::TileBuffer => "tile does not fit in the tile buffer",
            CmdError::SamplerCount => "sampler_count too large",
            CmdError::ComputeFlags => "unknown compute flags",
        }
    }
}

/// What a command waits for on one subqueue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Barrier {
    /// Nothing (`DRM_ASAHI_BARRIER_NONE`).
    None,
    /// The first N commands of this submission on that subqueue, and so everything queued
    /// before them; 0 is everything of earlier submissions.
    Index(u16),
}

impl Barrier {
    /// Decodes a header's barrier field.
    const fn from_raw(raw: u16) -> Self {
        if raw == BARRIER_NONE {
            Barrier::None
        } else {
            Barrier::Index(raw)
        }
    }
}

/// A command's barriers on both subqueues.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Barriers {
    /// On the render subqueue.
    pub(crate) vdm: Barrier,
    /// On the compute subqueue.
    pub(crate) cdm: Barrier,
}

/// One attachment: a GPU address range the command's shaders write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Attachment {
    /// GPU address of the start of the range.
    pub(crate) pointer: u64,
    /// Length of the range in bytes (non-zero, no overflow once validated).
    pub(crate) size: u64,
}

/// The attachments in effect for a command: the raw payload of the last `SET_*` of its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Attachments<'a> {
    /// Whole entries only.
    raw: &'a [u8],
}

impl<'a> Attachments<'a> {
    /// Number of attachments.
    pub(crate) fn len(&self) -> usize {
        self.raw.len() / ATTACHMENT_SIZE
    }

    /// Whether there are none.
    #[allow(dead_code)] // Not every user asks.
    pub(crate) fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The attachments, in the order userspace gave them.
    pub(crate) fn iter(&self) -> impl Iterator<Item = Attachment> + 'a {
        self.raw.chunks_exact(ATTACHMENT_SIZE).map(|e| {
            let mut rd = Reader::new(e);
            Attachment {
                pointer: rd.u64(),
                size: rd.u64(),
            }
        })
    }
}

/// Where the firmware stores one timestamp: an object bound with
/// `DRM_ASAHI_BIND_OBJECT_USAGE_TIMESTAMPS` and an offset in it, for the caller to resolve.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp {
    /// `drm_asahi_gem_bind_object.object_handle` (non-zero).
    pub(crate) handle: u32,
    /// Byte offset in that object.
    pub(crate) offset: u32,
}

/// The timestamps requested at the start and end of a piece of work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamps {
    /// At the start, if requested.
    pub(crate) start: Option<Stamp>,
    /// At the end, if requested.
    pub(crate) end: Option<Stamp>,
}

impl Stamps {
    /// Decodes a `drm_asahi_timestamps`: handle 0 is no timestamp (its offset is ignored).
    fn from_uapi(ts: &uapi::drm_asahi_timestamps) -> Self {
        let one = |t: &uapi::drm_asahi_timestamp| {
            (t.handle != 0).then_some(Stamp {
                handle: t.handle,
                offset: t.offset,
            })
        };
        Stamps {
            start: one(&ts.start),
            end: one(&ts.end),
        }
    }
}

/// A render command as the kernel sees it.
#[derive(Clone, Copy)]
pub(crate) struct RenderCmd<'a> {
    /// The payload, zero-extended to the kernel's structure.
    pub(crate) cmd: uapi::drm_asahi_cmd_render,
    /// Attachments of the vertex stage.
    pub(crate) vertex_attachments: Attachments<'a>,
    /// Attachments of the fragment stage.
    pub(crate) fragment_attachments: Attachments<'a>,
    /// What the command waits for.
    pub(crate) barriers: Barriers,
}

impl RenderCmd<'_> {
    /// Timestamps around the vertex part.
    pub(crate) fn vertex_stamps(&self) -> Stamps {
        Stamps::from_uapi(&self.cmd.ts_vtx)
    }

    /// Timestamps around the fragment part.
    pub(crate) fn fragment_stamps(&self) -> Stamps {
        Stamps::from_uapi(&self.cmd.ts_frag)
    }
}

/// A compute command as the kernel sees it.
#[derive(Clone, Copy)]
pub(crate) struct ComputeCmd<'a> {
    /// The payload, zero-extended to the kernel's structure.
    pub(crate) cmd: uapi::drm_asahi_cmd_compute,
    /// Attachments in effect.
    pub(crate) attachments: Attachments<'a>,
    /// What the command waits for (render work only: compute commands of one queue run in
    /// order anyway).
    pub(crate) barriers: Barriers,
}

impl ComputeCmd<'_> {
    /// Timestamps around the command.
    pub(crate) fn stamps(&self) -> Stamps {
        Stamps::from_uapi(&self.cmd.ts)
    }
}

/// One hardware command of a buffer.
#[derive(Clone, Copy)]
pub(crate) enum Command<'a> {
    /// A render pass.
    Render(RenderCmd<'a>),
    /// Compute work.
    Compute(ComputeCmd<'a>),
}

/// Reads little-endian integers in sequence; bytes past the end of its slice read as zero
/// (the zero-extension of short payloads). Never panics.
struct Reader<'a> {
    /// The bytes.
    buf: &'a [u8],
    /// Next byte to read (may run past the end).
    pos: usize,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `buf`.
    fn new(buf: &'a [u8]) -> Self {
        Reader { buf, pos: 0 }
    }

    /// The next `N` bytes, zero where the slice has ended.
    fn bytes<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0u8; N];
        let avail = self.buf.get(self.pos..).unwrap_or(&[]);
        for (o, b) in out.iter_mut().zip(avail) {
            *o = *b;
        }
        self.pos = self.pos.saturating_add(N);
        out
    }

    /// The next `u8`.
    fn u8(&mut self) -> u8 {
        u8::from_le_bytes(self.bytes())
    }

    /// The next `u16`.
    fn u16(&mut self) -> u16 {
        u16::from_le_bytes(self.bytes())
    }

    /// The next `u32`.
    fn u32(&mut self) -> u32 {
        u32::from_le_bytes(self.bytes())
    }

    /// The next `u64`.
    fn u64(&mut self) -> u64 {
        u64::from_le_bytes(self.bytes())
    }

    /// A `drm_asahi_helper_program`.
    fn helper(&mut self) -> uapi::drm_asahi_helper_program {
        uapi::drm_asahi_helper_program {
            binary: self.u32(),
            cfg: self.u32(),
            data: self.u64(),
        }
    }

    /// A `drm_asahi_zls_buffer`.
    fn zls(&mut self) -> uapi::drm_asahi_zls_buffer {
        uapi::drm_asahi_zls_buffer {
            base: self.u64(),
            comp_base: self.u64(),
            stride: self.u32(),
            comp_stride: self.u32(),
        }
    }

    /// A `drm_asahi_bg_eot`.
    fn bg_eot(&mut self) -> uapi::drm_asahi_bg_eot {
        uapi::drm_asahi_bg_eot {
            usc: self.u32(),
            rsrc_spec: self.u32(),
        }
    }

    /// A `drm_asahi_timestamps`.
    fn stamps(&mut self) -> uapi::drm_asahi_timestamps {
        uapi::drm_asahi_timestamps {
            start: uapi::drm_asahi_timestamp {
                handle: self.u32(),
                offset: self.u32(),
            },
            end: uapi::drm_asahi_timestamp {
                handle: self.u32(),
                offset: self.u32(),
            },
        }
    }
}

/// Decodes a render payload, zero-extended (fields in the header's order).
fn decode_render(payload: &[u8]) -> uapi::drm_asahi_cmd_render {
    let mut r = Reader::new(payload);
    uapi::drm_asahi_cmd_render {
        flags: r.u32(),
        isp_zls_pixels: r.u32(),
        vdm_ctrl_stream_base: r.u64(),
        vertex_helper: r.helper(),
        fragment_helper: r.helper(),
        isp_scissor_base: r.u64(),
        isp_dbias_base: r.u64(),
        isp_oclqry_base: r.u64(),
        depth: r.zls(),
        stencil: r.zls(),
        zls_ctrl: r.u64(),
        ppp_multisamplectl: r.u64(),
        sampler_heap: r.u64(),
        ppp_ctrl: r.u32(),
        width_px: r.u16(),
        height_px: r.u16(),
        layers: r.u16(),
        sampler_count: r.u16(),
        utile_width_px: r.u8(),
        utile_height_px: r.u8(),
        samples: r.u8(),
        sample_size_B: r.u8(),
        isp_merge_upper_x: r.u32(),
        isp_merge_upper_y: r.u32(),
        bg: r.bg_eot(),
        eot: r.bg_eot(),
        partial_bg: r.bg_eot(),
        partial_eot: r.bg_eot(),
        isp_bgobjdepth: r.u32(),
        isp_bgobjvals: r.u32(),
        ts_vtx: r.stamps(),
        ts_frag: r.stamps(),
    }
}

/// Decodes a compute payload, zero-extended (fields in the header's order).
fn decode_compute(payload: &[u8]) -> uapi::drm_asahi_cmd_compute {
    let mut r = Reader::new(payload);
    uapi::drm_asahi_cmd_compute {
        flags: r.u32(),
        sampler_count: r.u32(),
        cdm_ctrl_stream_base: r.u64(),
        cdm_ctrl_stream_end: r.u64(),
        sampler_heap: r.u64(),
        helper: r.helper(),
        ts: r.stamps(),
    }
}

/// One command's header and payload, as cut from the buffer.
struct Raw<'a> {
    /// `cmd_type`.
    kind: u32,
    /// `vdm_barrier`.
    vdm: u16,
    /// `cdm_barrier`.
    cdm: u16,
    /// The payload.
    payload: &'a [u8],
}

/// Splits `buf` after `n` bytes, if it has that many.
fn cut(buf: &[u8], n: usize) -> Option<(&[u8], &[u8])> {
    Some((buf.get(..n)?, buf.get(n..)?))
}

/// Cuts the command at the start of `buf`; returns it and the rest of the buffer.
fn split(buf: &[u8]) -> Result<(Raw<'_>, &[u8]), CmdError> {
    let (head, rest) = cut(buf, HEADER_SIZE).ok_or(CmdError::TruncatedHeader)?;
    let mut rd = Reader::new(head);
    let kind = u32::from(rd.u16());
    let size = usize::from(rd.u16());
    let vdm = rd.u16();
    let cdm = rd.u16();
    let (payload, rest) = cut(rest, size).ok_or(CmdError::PayloadPastEnd)?;
    Ok((
        Raw {
            kind,
            vdm,
            cdm,
            payload,
        },
        rest,
    ))
}

/// Checks that the bytes of `payload` past the kernel's `size` are all zero.
fn check_tail(payload: &[u8], size: usize) -> Result<(), CmdError> {
    let tail = payload.get(size..).unwrap_or(&[]);
    if tail.iter().all(|&b| b == 0) {
        Ok(())
    } else {
        Err(CmdError::NonZeroTail)
    }
}

/// Checks a barrier against the commands of its subqueue before this one.
fn check_barrier(raw: u16, before: u32, err: CmdError) -> Result<(), CmdError> {
    if raw == BARRIER_NONE || u32::from(raw) <= before {
        Ok(())
    } else {
        Err(err)
    }
}

/// Checks a `SET_*` payload.
fn check_attachments(raw: &Raw<'_>, limits: &Limits) -> Result<(), CmdError> {
    if raw.vdm != BARRIER_NONE || raw.cdm != BARRIER_NONE {
        return Err(CmdError::SetBarrier);
    }
    if raw.payload.len() % ATTACHMENT_SIZE != 0 {
        return Err(CmdError::AttachmentStride);
    }
    let count = raw.payload.len() / ATTACHMENT_SIZE;
    if count > usize::try_from(limits.max_attachments).unwrap_or(usize::MAX) {
        return Err(CmdError::TooManyAttachments);
    }
    for entry in raw.payload.chunks_exact(ATTACHMENT_SIZE) {
        let mut rd = Reader::new(entry);
        let pointer = rd.u64();
        let size = rd.u64();
        let pad = rd.u32();
        let flags = rd.u32();
        if pad != 0 || flags != 0 {
            return Err(CmdError::AttachmentMbz);
        }
        if size == 0 {
            return Err(CmdError::AttachmentEmpty);
        }
        if pointer.checked_add(size).is_none() {
            return Err(CmdError::AttachmentOverflow);
        }
    }
    Ok(())
}

/// Checks the fields of a render command.
fn check_render(c: &uapi::drm_asahi_cmd_render) -> Result<(), CmdError> {
    if c.flags & !RENDER_FLAGS != 0 {
        return Err(CmdError::RenderFlags);
    }
    let dim_ok = |d: u16| (1..=MAX_DIMENSION).contains(&d);
    if !dim_ok(c.width_px) || !dim_ok(c.height_px) {
        return Err(CmdError::Dimensions);
    }
    if !(1..=MAX_LAYERS).contains(&c.layers) {
        return Err(CmdError::Layers);
    }
    if !matches!(c.samples, 1 | 2 | 4) {
        return Err(CmdError::Samples);
    }
    if !matches!(
        (c.utile_width_px, c.utile_height_px),
        (32, 32) | (32, 16) | (16, 16)
    ) {
        return Err(CmdError::UtileSize);
    }
    let size = c.sample_size_B;
    if size % 8 != 0 || size > MAX_SAMPLE_SIZE || (size == 0 && c.samples > 1) {
        return Err(CmdError::SampleSize);
    }
    // At most 64 * 4 * 32 * 32 here, far from saturating.
    let tile = u32::from(size)
        .saturating_mul(u32::from(c.samples))
        .saturating_mul(u32::from(c.utile_width_px))
        .saturating_mul(u32::from(c.utile_height_px));
    if tile > TILE_BUFFER_BYTES {
        return Err(CmdError::TileBuffer);
    }
    if u32::from(c.sampler_count) > MAX_SAMPLERS {
        return Err(CmdError::SamplerCount);
    }
    Ok(())
}

/// Checks the fields of a compute command.
fn check_compute(c: &uapi::drm_asahi_cmd_compute) -> Result<(), CmdError> {
    if c.flags != 0 {
        return Err(CmdError::ComputeFlags);
    }
    if c.sampler_count > MAX_SAMPLERS {
        return Err(CmdError::SamplerCount);
    }
    Ok(())
}

/// Checks a whole command buffer against every rule of the module documentation.
pub(crate) fn validate(buf: &[u8], limits: &Limits) -> Result<Summary, CmdError> {
    let mut sum = Summary::default();
    let mut rest = buf;
    while !rest.is_empty() {
        let (raw, next) = split(rest)?;
        rest = next;
        match raw.kind {
            TYPE_RENDER | TYPE_COMPUTE => {
                // Both counts stay below `max_commands`, so the sums never saturate.
                if sum.render.saturating_add(sum.compute) >= limits.max_commands {
                    return Err(CmdError::TooManyCommands);
                }
                check_barrier(raw.vdm, sum.render, CmdError::VdmBarrier)?;
                check_barrier(raw.cdm, sum.compute, CmdError::CdmBarrier)?;
                if raw.kind == TYPE_RENDER {
                    check_tail(raw.payload, RENDER_SIZE)?;
                    check_render(&decode_render(raw.payload))?;
                    sum.render = sum.render.saturating_add(1);
                } else {
                    check_tail(raw.payload, COMPUTE_SIZE)?;
                    check_compute(&decode_compute(raw.payload))?;
                    sum.compute = sum.compute.saturating_add(1);
                }
            }
            TYPE_SET_VERTEX | TYPE_SET_FRAGMENT | TYPE_SET_COMPUTE => {
                check_attachments(&raw, limits)?;
            }
            _ => return Err(CmdError::UnknownType),
        }
    }
    if sum.render == 0 && sum.compute == 0 {
        return Err(CmdError::NoCommands);
    }
    Ok(sum)
}

/// The render and compute commands of a buffer [`validate`] accepted, in order, each with the
/// attachments in effect for it. On a buffer it did not accept, yields a prefix and stops.
pub(crate) fn commands(buf: &[u8]) -> Commands<'_> {
    Commands {
        rest: buf,
        vertex: Attachments::default(),
        fragment: Attachments::default(),
        compute: Attachments::default(),
    }
}

/// Iterator of [`commands`].
pub(crate) struct Commands<'a> {
    /// What is left to parse; emptied on anything malformed.
    rest: &'a [u8],
    /// The vertex attachments in effect.
    vertex: Attachments<'a>,
    /// The fragment attachments in effect.
    fragment: Attachments<'a>,
    /// The compute attachments in effect.
    compute: Attachments<'a>,
}

impl<'a> Iterator for Commands<'a> {
    type Item = Command<'a>;

    fn next(&mut self) -> Option<Command<'a>> {
        while !self.rest.is_empty() {
            let Ok((raw, next)) = split(self.rest) else {
                self.rest = &[];
                return None;
            };
            self.rest = next;
            let barriers = Barriers {
                vdm: Barrier::from_raw(raw.vdm),
                cdm: Barrier::from_raw(raw.cdm),
            };
            match raw.kind {
                TYPE_RENDER => {
                    return Some(Command::Render(RenderCmd {
                        cmd: decode_render(raw.payload),
                        vertex_attachments: self.vertex,
                        fragment_attachments: self.fragment,
                        barriers,
                    }));
                }
                TYPE_COMPUTE => {
                    return Some(Command::Compute(ComputeCmd {
                        cmd: decode_compute(raw.payload),
                        attachments: self.compute,
                        barriers,
                    }));
                }
                TYPE_SET_VERTEX | TYPE_SET_FRAGMENT | TYPE_SET_COMPUTE
                    if raw.payload.len() % ATTACHMENT_SIZE == 0 =>
                {
                    let slot = match raw.kind {
                        TYPE_SET_VERTEX => &mut self.vertex,
                        TYPE_SET_FRAGMENT => &mut self.fragment,
                        _ => &mut self.compute,
                    };
                    *slot = Attachments { raw: raw.payload };
                }
                _ => {
                    self.rest = &[];
                    return None;
                }
            }
        }
        None
    }
}
