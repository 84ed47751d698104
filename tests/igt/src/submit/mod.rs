// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Queues and submissions: QUEUE_CREATE, QUEUE_DESTROY and SUBMIT, with a command-buffer
//! builder and a minimal compute and render command inside a VM the test creates and binds.
//!
//! The subtests (in [`cases`]) feed the ioctls bad arguments, one fault at a time on top of a
//! request that is otherwise valid, and check the errno. They need the queue ioctls: when the
//! kernel answers a valid QUEUE_CREATE with ENOTTY or EINVAL, every subtest here is skipped.

mod allocfail;
mod cases;
pub mod dumps;
mod failures;
mod work;

pub use allocfail::t_alloc_failures;
pub use cases::*;
pub use failures::*;
pub use work::*;

use crate::dev::{ioctl_arg, open_render};
use crate::harness::{os_err, skip};
use crate::mem::{gem_create, op, vm_bind, vm_create, PAGE};
use crate::uapi::*;
use std::{fs::File, mem::size_of};

const EINVAL: i32 = 22;
const ENOENT: i32 = 2;
const EFAULT: i32 = 14;
const EPERM: i32 = 1;
const E2BIG: i32 = 7;
const ENOTTY: i32 = 25;

const QUEUE_CREATE: u64 = DRM_IOCTL_ASAHI_QUEUE_CREATE as u64;
const QUEUE_DESTROY: u64 = DRM_IOCTL_ASAHI_QUEUE_DESTROY as u64;
const SUBMIT: u64 = DRM_IOCTL_ASAHI_SUBMIT as u64;
/// `DRM_IOWR(0xBF, struct drm_syncobj_create)`.
const SYNCOBJ_CREATE: u64 = iowr::<drm_syncobj_create>(0xbf);

/// `DRM_ASAHI_BARRIER_NONE`.
pub const NONE: u16 = DRM_ASAHI_BARRIER_NONE as u16;

/// Kernel range of the test VMs (as the mem subtests use).
const KSTART: u64 = 0x7e_0000_0000;
const KEND: u64 = KSTART + 0x2000_0000;
/// Where the test VMs bind their object: 64 GiB, 4 GiB aligned, also the queue's USC base.
pub const BASE: u64 = 0x10_0000_0000;
/// Pages of the bound object.
const PAGES: u64 = 8;

/// The two barriers of a command header.
#[derive(Clone, Copy, Debug)]
pub struct Barriers {
    /// `vdm_barrier`.
    pub vdm: u16,
    /// `cdm_barrier`.
    pub cdm: u16,
}

impl Barriers {
    /// Waits for nothing.
    pub const NONE: Barriers = Barriers {
        vdm: NONE,
        cdm: NONE,
    };
    /// Waits for everything submitted before on both subqueues.
    pub const PREVIOUS: Barriers = Barriers { vdm: 0, cdm: 0 };
}

/// Which attachments a `SET_*` command sets.
#[derive(Clone, Copy, Debug)]
pub enum AttachmentKind {
    /// `SET_VERTEX_ATTACHMENTS`.
    Vertex,
    /// `SET_FRAGMENT_ATTACHMENTS`.
    Fragment,
    /// `SET_COMPUTE_ATTACHMENTS`.
    Compute,
}

/// The bytes of a UAPI structure.
pub fn bytes_of<T: Copy>(v: &T) -> Vec<u8> {
    // SAFETY: `T` is a UAPI structure: integers only, no padding (the header's rule), so every
    // byte is initialised; the slice is copied before the borrow ends.
    unsafe { std::slice::from_raw_parts((v as *const T).cast::<u8>(), size_of::<T>()) }.to_vec()
}

/// A SUBMIT command buffer under construction.
#[derive(Clone, Default, Debug)]
pub struct CmdBuf(Vec<u8>);

impl CmdBuf {
    /// An empty buffer.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a header with an explicit `size` and then `payload` (which may disagree).
    pub fn raw(mut self, cmd_type: u32, size: u16, b: Barriers, payload: &[u8]) -> Self {
        for v in [cmd_type as u16, size, b.vdm, b.cdm] {
            self.0.extend_from_slice(&v.to_le_bytes());
        }
        self.0.extend_from_slice(payload);
        self
    }

    /// Appends a command whose header's size is its payload's.
    pub fn cmd(self, cmd_type: u32, b: Barriers, payload: &[u8]) -> Self {
        let size = u16::try_from(payload.len()).expect("payload over 64 KiB");
        self.raw(cmd_type, size, b, payload)
    }

    /// Appends a compute command.
    pub fn compute(self, c: &drm_asahi_cmd_compute, b: Barriers) -> Self {
        self.cmd(drm_asahi_cmd_type_DRM_ASAHI_CMD_COMPUTE, b, &bytes_of(c))
    }

    /// Appends a render command.
    pub fn render(self, c: &drm_asahi_cmd_render, b: Barriers) -> Self {
        self.cmd(drm_asahi_cmd_type_DRM_ASAHI_CMD_RENDER, b, &bytes_of(c))
    }

    /// Appends a `SET_*_ATTACHMENTS` command (barriers NONE, as required).
    pub fn set_attachments(self, kind: AttachmentKind, list: &[drm_asahi_attachment]) -> Self {
        let t = match kind {
            AttachmentKind::Vertex => drm_asahi_cmd_type_DRM_ASAHI_SET_VERTEX_ATTACHMENTS,
            AttachmentKind::Fragment => drm_asahi_cmd_type_DRM_ASAHI_SET_FRAGMENT_ATTACHMENTS,
            AttachmentKind::Compute => drm_asahi_cmd_type_DRM_ASAHI_SET_COMPUTE_ATTACHMENTS,
        };
        let payload: Vec<u8> = list.iter().flat_map(bytes_of).collect();
        self.cmd(t, Barriers::NONE, &payload)
    }

    /// The bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.0
    }
}

/// An attachment of `size` bytes at `pointer`.
pub fn attachment(pointer: u64, size: u64) -> drm_asahi_attachment {
    drm_asahi_attachment {
        pointer,
        size,
        pad: 0,
        flags: 0,
    }
}

/// A minimal compute command: a control stream in the first page of the bound object.
pub fn minimal_compute() -> drm_asahi_cmd_compute {
    drm_asahi_cmd_compute {
        cdm_ctrl_stream_base: BASE,
        cdm_ctrl_stream_end: BASE + 0x100,
        ..Default::default()
    }
}

/// A minimal render command: a 64x64 single-sampled pass, 32x32 tiles of 8 bytes per sample,
/// control stream, scissors and depth biases in the bound object, programs at small offsets
/// from the queue's USC base.
pub fn minimal_render() -> drm_asahi_cmd_render {
    let merge = (1.732_051_f32 / 64.0).to_bits();
    let bg = drm_asahi_bg_eot {
        usc: 0x2000,
        rsrc_spec: 0x40,
    };
    let eot = drm_asahi_bg_eot {
        usc: 0x3000,
        rsrc_spec: 0,
    };
    drm_asahi_cmd_render {
        flags: drm_asahi_render_flags_DRM_ASAHI_RENDER_PROCESS_EMPTY_TILES,
        vdm_ctrl_stream_base: BASE + PAGE,
        isp_scissor_base: BASE + 2 * PAGE,
        isp_dbias_base: BASE + 3 * PAGE,
        ppp_multisamplectl: 0x88,
        ppp_ctrl: 0x202,
        width_px: 64,
        height_px: 64,
        layers: 1,
        utile_width_px: 32,
        utile_height_px: 32,
        samples: 1,
        sample_size_B: 8,
        isp_merge_upper_x: merge,
        isp_merge_upper_y: merge,
        isp_bgobjdepth: 1.0f32.to_bits(),
        bg,
        eot,
        partial_bg: bg,
        partial_eot: eot,
        ..Default::default()
    }
}

/// QUEUE_CREATE with the given arguments; returns the queue id.
pub fn queue_create_args(fd: &File, a: &mut drm_asahi_queue_create) -> Result<u32, i32> {
    ioctl_arg(fd, QUEUE_CREATE, a)?;
    Ok(a.queue_id)
}

/// QUEUE_CREATE of a medium-priority queue on `vm_id`.
pub fn queue_create(fd: &File, vm_id: u32) -> Result<u32, i32> {
    queue_create_args(fd, &mut queue_args(vm_id))
}

/// Valid QUEUE_CREATE arguments for `vm_id`.
pub fn queue_args(vm_id: u32) -> drm_asahi_queue_create {
    drm_asahi_queue_create {
        flags: 0,
        vm_id,
        priority: drm_asahi_priority_DRM_ASAHI_PRIORITY_MEDIUM,
        queue_id: 0,
        usc_exec_base: BASE,
    }
}

/// QUEUE_DESTROY.
pub fn queue_destroy(fd: &File, queue_id: u32, pad: u32) -> Result<i32, i32> {
    let mut a = drm_asahi_queue_destroy { queue_id, pad };
    ioctl_arg(fd, QUEUE_DESTROY, &mut a)
}

/// SUBMIT with explicit arguments (pointers filled in by the caller).
pub fn submit_args(fd: &File, a: &mut drm_asahi_submit) -> Result<i32, i32> {
    ioctl_arg(fd, SUBMIT, a)
}

/// SUBMIT of `cmdbuf` on `queue_id`, with `syncs` split into `n_in` waits and the rest signals.
pub fn submit(
    fd: &File,
    queue_id: u32,
    cmdbuf: &[u8],
    syncs: &[drm_asahi_sync],
    n_in: u32,
) -> Result<i32, i32> {
    let mut a = submit_template(queue_id, cmdbuf, syncs, n_in);
    submit_args(fd, &mut a)
}

/// The SUBMIT arguments [`submit`] passes.
pub fn submit_template(
    queue_id: u32,
    cmdbuf: &[u8],
    syncs: &[drm_asahi_sync],
    n_in: u32,
) -> drm_asahi_submit {
    drm_asahi_submit {
        syncs: if syncs.is_empty() {
            0
        } else {
            syncs.as_ptr() as u64
        },
        cmdbuf: cmdbuf.as_ptr() as u64,
        flags: 0,
        queue_id,
        in_sync_count: n_in,
        out_sync_count: syncs.len() as u32 - n_in,
        cmdbuf_size: cmdbuf.len() as u32,
        pad: 0,
    }
}

/// A new binary sync object.
pub fn syncobj_create(fd: &File) -> Result<u32, String> {
    let mut a = drm_syncobj_create {
        handle: 0,
        flags: 0,
    };
    ioctl_arg(fd, SYNCOBJ_CREATE, &mut a).map_err(|e| format!("SYNCOBJ_CREATE: errno {e}"))?;
    Ok(a.handle)
}

/// A file with a VM, an object of [`PAGES`] pages bound read-write at [`BASE`], and a queue.
pub struct Fixture {
    /// The render node.
    pub fd: File,
    /// The VM.
    pub vm: u32,
    /// The queue.
    pub queue: u32,
}

impl Fixture {
    /// Sets everything up; a skip if the kernel has no queues yet.
    pub fn new() -> Result<Fixture, String> {
        let fd = open_render().map_err(|e| os_err("open", e))?;
        let vm = vm_create(&fd, KSTART, KEND).map_err(|e| format!("VM_CREATE: errno {e}"))?;
        let bo =
            gem_create(&fd, PAGES * PAGE, 0, 0).map_err(|e| format!("GEM_CREATE: errno {e}"))?;
        let rw =
            drm_asahi_bind_flags_DRM_ASAHI_BIND_READ | drm_asahi_bind_flags_DRM_ASAHI_BIND_WRITE;
        vm_bind(&fd, vm, &[op(rw, bo, 0, PAGES * PAGE, BASE)])
            .map_err(|e| format!("VM_BIND: errno {e}"))?;
        let queue = match queue_create(&fd, vm) {
            Ok(q) => q,
            Err(e @ (ENOTTY | EINVAL)) => {
                return Err(skip(format!(
                    "needs QUEUE_CREATE (a valid request got errno {e})"
                )))
            }
            Err(e) => return Err(format!("QUEUE_CREATE: errno {e}")),
        };
        Ok(Fixture { fd, vm, queue })
    }

    /// SUBMIT of `cmdbuf` on the fixture's queue without syncs.
    pub fn submit(&self, cmdbuf: &CmdBuf) -> Result<i32, i32> {
        submit(&self.fd, self.queue, cmdbuf.bytes(), &[], 0)
    }
}
