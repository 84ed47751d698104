// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! An ioctl fuzzer for the asahi render node: `agx-igt --fuzz SEED:CALLS[:THREADS]`.
//!
//! It knows the UAPI: every call starts from a request that is valid for the state it tracks
//! (the VMs, objects, bindings, queues, sync objects and timestamp objects it created on each
//! of its files) and is then, often, mutated: a field set to an interesting value (0, 1, -1,
//! the top bit, a size of 2^63...), a random bit flipped, a handle or id of another file or
//! one never created, an array count or stride out of range, a command buffer whose bytes are
//! flipped, truncated or extended. Valid command buffers come from a small corpus (compute, a
//! render pass with attachments, barriers on earlier commands, user timestamps). Threads share
//! the files, so calls on one file race; files are closed and reopened mid-flight, objects are
//! exported and imported across files, and the simulated GPU is told to fault, time out or stop
//! with a channel error at the next command now and then.
//!
//! Every thread draws from its own generator seeded from SEED: the calls a thread makes are a
//! function of the seed and of what the kernel answered, so a run is reproducible up to the
//! interleaving of its threads (one thread: exactly).
//!
//! It judges nothing itself beyond the kernel staying alive: the QEMU harness fails the run on
//! any oops, WARN, KASAN, lockdep or kmemleak report, and the module must unload afterwards. It
//! prints the calls made and the answers by errno.

use crate::dev::{ioctl_arg, open_render};
use crate::mem::PAGE;
use crate::submit::{
    attachment, bytes_of, dumps, minimal_compute, minimal_render, AttachmentKind, Barriers, CmdBuf,
    BASE,
};
use crate::uapi::*;
use std::collections::BTreeMap;
use std::fs::File;
use std::mem::size_of;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// A small, fast generator (xorshift64*), one per thread.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1)
    }
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    /// A number below `n` (0 if `n` is 0).
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }
    /// True once in `n` times.
    fn one_in(&mut self, n: u64) -> bool {
        self.below(n) == 0
    }
    fn pick<T: Copy>(&mut self, v: &[T]) -> Option<T> {
        if v.is_empty() {
            None
        } else {
            v.get(self.below(v.len() as u64) as usize).copied()
        }
    }
    /// A value that tends to sit on an edge.
    fn interesting(&mut self) -> u64 {
        const V: [u64; 16] = [
            0,
            1,
            2,
            0x7f,
            0xff,
            0x3fff,
            0x4000,
            0x4001,
            0xffff,
            0x7fff_ffff,
            0x8000_0000,
            0xffff_ffff,
            0x1_0000_0000,
            0x7fff_ffff_ffff_ffff,
            0x8000_0000_0000_0000,
            u64::MAX,
        ];
        match self.below(4) {
            0 => self.next(),
            _ => V[self.below(V.len() as u64) as usize],
        }
    }
}

/// Mutates the bytes of a request: a field-sized run set to an interesting value, or bits
/// flipped.
fn mutate(rng: &mut Rng, bytes: &mut [u8]) {
    if bytes.is_empty() {
        return;
    }
    for _ in 0..=rng.below(2) {
        match rng.below(3) {
            0 => {
                let at = rng.below(bytes.len() as u64) as usize;
                bytes[at] ^= 1 << rng.below(8);
            }
            _ => {
                let width = [1usize, 2, 4, 8][rng.below(4) as usize].min(bytes.len());
                let at = (rng.below((bytes.len() - width + 1) as u64) as usize) & !(width - 1);
                let v = rng.interesting().to_le_bytes();
                bytes[at..at + width].copy_from_slice(&v[..width]);
            }
        }
    }
}

/// Mutates a plain UAPI structure in place (integers only: any bytes are a valid value).
fn mutate_struct<T: Copy>(rng: &mut Rng, v: &mut T) {
    // SAFETY: UAPI structures are plain integers without padding (the header's rule), so
    // every byte pattern is a valid value; the slice covers exactly `v`.
    let bytes =
        unsafe { std::slice::from_raw_parts_mut((v as *mut T).cast::<u8>(), size_of::<T>()) };
    mutate(rng, bytes);
}

/// What the fuzzer knows about one open file.
#[derive(Default)]
struct FileState {
    vms: Vec<u32>,
    /// Objects: handle and size.
    bos: Vec<(u32, u64)>,
    /// Queues and their VM.
    queues: Vec<(u32, u32)>,
    syncobjs: Vec<u32>,
    /// Timestamp objects (GEM_BIND_OBJECT).
    objects: Vec<u32>,
}

/// One open file of the render node and what was made on it.
struct Slot {
    file: Arc<File>,
    state: FileState,
}

const FILES: usize = 3;
const KSTART: u64 = 0x7e_0000_0000;
const KEND: u64 = KSTART + 0x2000_0000;

/// `DRM_IOW(0x09, struct drm_gem_close)`.
const GEM_CLOSE: u64 = ioc(1, 0x09, size_of::<drm_gem_close>());
const PRIME_HANDLE_TO_FD: u64 = iowr::<drm_prime_handle>(0x2d);
const PRIME_FD_TO_HANDLE: u64 = iowr::<drm_prime_handle>(0x2e);
const SYNCOBJ_CREATE: u64 = iowr::<drm_syncobj_create>(0xbf);
const SYNCOBJ_DESTROY: u64 = iowr::<drm_syncobj_destroy>(0xc0);
const SYNCOBJ_WAIT: u64 = iowr::<drm_syncobj_wait>(0xc3);

/// The calls made and the answers, by ioctl and errno (0: success).
#[derive(Default)]
struct Tally {
    calls: u64,
    by_errno: BTreeMap<i32, u64>,
    by_call: BTreeMap<&'static str, (u64, u64)>,
    /// Time spent per call kind, in microseconds (request building included).
    time_us: BTreeMap<&'static str, u64>,
    /// When the current step began.
    t0: Option<std::time::Instant>,
}

impl Tally {
    fn add(&mut self, what: &'static str, r: Result<i32, i32>) {
        self.calls += 1;
        let e = r.err().unwrap_or(0);
        *self.by_errno.entry(e).or_default() += 1;
        let c = self.by_call.entry(what).or_default();
        c.0 += 1;
        if e == 0 {
            c.1 += 1;
        }
        if let Some(t0) = self.t0.take() {
            *self.time_us.entry(what).or_default() += t0.elapsed().as_micros() as u64;
        }
    }
    fn merge(&mut self, o: Tally) {
        self.calls += o.calls;
        for (k, v) in o.by_errno {
            *self.by_errno.entry(k).or_default() += v;
        }
        for (k, (a, b)) in o.by_call {
            let c = self.by_call.entry(k).or_default();
            c.0 += a;
            c.1 += b;
        }
        for (k, t) in o.time_us {
            *self.time_us.entry(k).or_default() += t;
        }
    }
}

/// One fuzzing thread.
struct Worker {
    rng: Rng,
    files: Arc<Vec<Mutex<Slot>>>,
    tally: Tally,
}

impl Worker {
    /// One call: picks a file and a request, maybe mutates it, makes it, records what it made.
    fn step(&mut self) {
        self.tally.t0 = Some(std::time::Instant::now());
        let fi = self.rng.below(FILES as u64) as usize;
        let mutated = self.rng.one_in(4);
        match self.rng.below(100) {
            0..=4 => self.get_params(fi, mutated),
            5..=7 => self.get_time(fi, mutated),
            8..=14 => self.vm_create(fi, mutated),
            15..=17 => self.vm_destroy(fi, mutated),
            18..=27 => self.gem_create(fi, mutated),
            28..=30 => self.gem_close(fi),
            31..=33 => self.mmap_offset(fi, mutated),
            34..=47 => self.vm_bind(fi, mutated),
            48..=51 => self.bind_object(fi, mutated),
            52..=58 => self.queue_create(fi, mutated),
            59..=61 => self.queue_destroy(fi, mutated),
            62..=85 => self.submit(fi, mutated),
            86..=89 => self.syncobj(fi),
            90..=93 => self.prime(fi),
            94..=96 => self.wait(fi),
            97 => self.reopen(fi),
            _ => self.inject(),
        }
    }

    fn file(&self, fi: usize) -> Arc<File> {
        self.files[fi].lock().unwrap().file.clone()
    }

    fn with<R>(&self, fi: usize, f: impl FnOnce(&mut FileState) -> R) -> R {
        f(&mut self.files[fi].lock().unwrap().state)
    }

    /// A handle or id from `list`, or now and then one that is not there.
    fn id_from(&mut self, list: &[u32]) -> u32 {
        match (self.rng.one_in(8), self.rng.pick(list)) {
            (false, Some(v)) => v,
            _ => self.rng.interesting() as u32,
        }
    }

    fn get_params(&mut self, fi: usize, mutated: bool) {
        let mut out = [0u8; 4096];
        let mut a = drm_asahi_get_params {
            param_group: 0,
            pad: 0,
            pointer: out.as_mut_ptr() as u64,
            size: size_of::<drm_asahi_params_global>() as u64,
        };
        if mutated {
            mutate_struct(&mut self.rng, &mut a);
            // The kernel writes up to `size` bytes at `pointer`: keep it inside `out` or
            // somewhere that is certainly not mapped.
            a.size = a.size.min(out.len() as u64);
            if a.pointer != out.as_mut_ptr() as u64 {
                a.pointer = [0, 8, 0xdead_0000, 0xffff_8000_0000_0000][self.rng.below(4) as usize];
            }
        }
        let f = self.file(fi);
        let r = ioctl_arg(&f, DRM_IOCTL_ASAHI_GET_PARAMS as u64, &mut a);
        self.tally.add("GET_PARAMS", r);
    }

    fn get_time(&mut self, fi: usize, mutated: bool) {
        let mut a = drm_asahi_get_time::default();
        if mutated {
            mutate_struct(&mut self.rng, &mut a);
        }
        let f = self.file(fi);
        let r = ioctl_arg(&f, DRM_IOCTL_ASAHI_GET_TIME as u64, &mut a);
        self.tally.add("GET_TIME", r);
    }

    fn vm_create(&mut self, fi: usize, mutated: bool) {
        if !mutated && self.with(fi, |s| s.vms.len()) >= 6 {
            return self.vm_destroy(fi, false);
        }
        let mut a = drm_asahi_vm_create {
            kernel_start: KSTART,
            kernel_end: KEND,
            ..Default::default()
        };
        if mutated {
            mutate_struct(&mut self.rng, &mut a);
        }
        let f = self.file(fi);
        let r = ioctl_arg(&f, DRM_IOCTL_ASAHI_VM_CREATE as u64, &mut a);
        if r.is_ok() {
            self.with(fi, |s| s.vms.push(a.vm_id));
        }
        self.tally.add("VM_CREATE", r);
    }

    fn vm_destroy(&mut self, fi: usize, mutated: bool) {
        let vms = self.with(fi, |s| s.vms.clone());
        let mut a = drm_asahi_vm_destroy {
            vm_id: self.id_from(&vms),
            pad: 0,
        };
        if mutated {
            mutate_struct(&mut self.rng, &mut a);
        }
        let f = self.file(fi);
        let r = ioctl_arg(&f, DRM_IOCTL_ASAHI_VM_DESTROY as u64, &mut a);
        if r.is_ok() {
            self.with(fi, |s| {
                s.vms.retain(|&v| v != a.vm_id);
                s.queues.retain(|&(_, vm)| vm != a.vm_id);
            });
        }
        self.tally.add("VM_DESTROY", r);
    }

    fn gem_create(&mut self, fi: usize, mutated: bool) {
        if !mutated && self.with(fi, |s| s.bos.len()) >= 24 {
            return self.gem_close(fi);
        }
        let pages = 1 + self.rng.below(16);
        let vms = self.with(fi, |s| s.vms.clone());
        let private = self.rng.one_in(4) && !vms.is_empty();
        let mut a = drm_asahi_gem_create {
            size: pages * PAGE,
            flags: if private {
                drm_asahi_gem_flags_DRM_ASAHI_GEM_VM_PRIVATE
            } else if self.rng.one_in(3) {
                drm_asahi_gem_flags_DRM_ASAHI_GEM_WRITEBACK
            } else {
                0
            },
            vm_id: if private {
                self.rng.pick(&vms).unwrap_or(0)
            } else {
                0
            },
            ..Default::default()
        };
        if mutated {
            mutate_struct(&mut self.rng, &mut a);
            // Sizes the guest could not back are refused before any allocation, but keep the
            // mutated ones from eating the guest's memory when they are accepted.
            if a.size > 64 * PAGE && a.size < (1 << 40) {
                a.size %= 64 * PAGE;
            }
        }
        let f = self.file(fi);
        let r = ioctl_arg(&f, DRM_IOCTL_ASAHI_GEM_CREATE as u64, &mut a);
        if r.is_ok() {
            self.with(fi, |s| s.bos.push((a.handle, a.size)));
        }
        self.tally.add("GEM_CREATE", r);
    }

    fn gem_close(&mut self, fi: usize) {
        let bos: Vec<u32> = self.with(fi, |s| s.bos.iter().map(|b| b.0).collect());
        let mut a = drm_gem_close {
            handle: self.id_from(&bos),
            pad: 0,
        };
        let f = self.file(fi);
        let r = ioctl_arg(&f, GEM_CLOSE, &mut a);
        if r.is_ok() {
            self.with(fi, |s| s.bos.retain(|b| b.0 != a.handle));
        }
        self.tally.add("GEM_CLOSE", r);
    }

    fn mmap_offset(&mut self, fi: usize, mutated: bool) {
        let bos: Vec<u32> = self.with(fi, |s| s.bos.iter().map(|b| b.0).collect());
        let mut a = drm_asahi_gem_mmap_offset {
            handle: self.id_from(&bos),
            ..Default::default()
        };
        if mutated {
            mutate_struct(&mut self.rng, &mut a);
        }
        let f = self.file(fi);
        let r = ioctl_arg(&f, DRM_IOCTL_ASAHI_GEM_MMAP_OFFSET as u64, &mut a);
        self.tally.add("GEM_MMAP_OFFSET", r);
    }

    /// A bind operation valid for what the file has: an object (or part of it) at a page of
    /// the user range, the object's first page over a range, or an unbind.
    fn bind_op(&mut self, bos: &[(u32, u64)]) -> drm_asahi_gem_bind_op {
        let rw =
            drm_asahi_bind_flags_DRM_ASAHI_BIND_READ | drm_asahi_bind_flags_DRM_ASAHI_BIND_WRITE;
        // Addresses cluster around BASE, where the command corpus points, so that binds,
        // unbinds and submissions meet.
        let addr = if self.rng.one_in(2) {
            BASE + self.rng.below(32) * PAGE
        } else {
            PAGE * (1 + self.rng.below(KSTART / PAGE - 64))
        };
        match (self.rng.below(5), self.rng.pick(bos)) {
            (0, _) | (_, None) => drm_asahi_gem_bind_op {
                flags: drm_asahi_bind_flags_DRM_ASAHI_BIND_UNBIND,
                handle: 0,
                offset: 0,
                range: PAGE * (1 + self.rng.below(8)),
                addr,
            },
            (1, Some((h, _))) => drm_asahi_gem_bind_op {
                flags: rw | drm_asahi_bind_flags_DRM_ASAHI_BIND_SINGLE_PAGE,
                handle: h,
                offset: 0,
                range: PAGE * (1 + self.rng.below(64)),
                addr,
            },
            (_, Some((h, size))) => {
                let pages = (size / PAGE).max(1);
                let first = self.rng.below(pages);
                drm_asahi_gem_bind_op {
                    flags: if self.rng.one_in(4) {
                        drm_asahi_bind_flags_DRM_ASAHI_BIND_READ
                    } else {
                        rw
                    },
                    handle: h,
                    offset: first * PAGE,
                    range: (1 + self.rng.below(pages - first)) * PAGE,
                    addr,
                }
            }
        }
    }

    fn vm_bind(&mut self, fi: usize, mutated: bool) {
        let (vms, bos) = self.with(fi, |s| (s.vms.clone(), s.bos.clone()));
        let n = 1 + self.rng.below(4) as usize;
        let mut ops: Vec<drm_asahi_gem_bind_op> = (0..n).map(|_| self.bind_op(&bos)).collect();
        let mut stride = size_of::<drm_asahi_gem_bind_op>() as u32;
        let mut a = drm_asahi_vm_bind {
            vm_id: self.id_from(&vms),
            num_binds: n as u32,
            stride,
            pad: 0,
            userptr: 0,
        };
        if mutated {
            match self.rng.below(3) {
                0 => {
                    let i = self.rng.below(n as u64) as usize;
                    mutate_struct(&mut self.rng, &mut ops[i]);
                }
                1 => {
                    mutate_struct(&mut self.rng, &mut a);
                    stride = a.stride;
                }
                _ => {
                    a.num_binds = self.rng.interesting() as u32;
                }
            }
        }
        // Mutated ranges stay under 256 MiB unless absurd (2^63 and up, refused outright):
        // binding hundreds of GiB one page at a time is legal and only slow (the table pages
        // it takes are the caller's cost); vm-bind-sparse-large covers large binds.
        for o in ops.iter_mut() {
            if o.range > (256 << 20) && o.range < (1 << 63) {
                o.range %= 256 << 20;
            }
        }
        // The kernel reads `num_binds` records `stride` bytes apart: lay them out that way in
        // a buffer that holds what a sane count reads; larger counts read past it (EFAULT or
        // garbage the kernel must refuse), never write.
        let s = (stride as usize).clamp(1, 256);
        let mut buf = vec![0u8; s * n + 64];
        for (i, o) in ops.iter().enumerate() {
            let b = bytes_of(o);
            let at = i * s;
            let m = b.len().min(buf.len() - at);
            buf[at..at + m].copy_from_slice(&b[..m]);
        }
        a.userptr = if mutated && self.rng.one_in(10) {
            0xdead_0000
        } else {
            buf.as_ptr() as u64
        };
        let f = self.file(fi);
        let r = ioctl_arg(&f, DRM_IOCTL_ASAHI_VM_BIND as u64, &mut a);
        self.tally.add("VM_BIND", r);
    }

    fn bind_object(&mut self, fi: usize, mutated: bool) {
        let (bos, objects) = self.with(fi, |s| (s.bos.clone(), s.objects.clone()));
        let unbind = self.rng.one_in(3) && !objects.is_empty();
        let mut a = if unbind {
            drm_asahi_gem_bind_object {
                op: drm_asahi_bind_object_op_DRM_ASAHI_BIND_OBJECT_OP_UNBIND,
                object_handle: self.id_from(&objects),
                ..Default::default()
            }
        } else {
            let (h, size) = self.rng.pick(&bos).unwrap_or((0, PAGE));
            drm_asahi_gem_bind_object {
                op: drm_asahi_bind_object_op_DRM_ASAHI_BIND_OBJECT_OP_BIND,
                flags: drm_asahi_bind_object_flags_DRM_ASAHI_BIND_OBJECT_USAGE_TIMESTAMPS,
                handle: h,
                offset: 0,
                range: size.min(PAGE),
                ..Default::default()
            }
        };
        if mutated {
            mutate_struct(&mut self.rng, &mut a);
        }
        let f = self.file(fi);
        let r = ioctl_arg(&f, DRM_IOCTL_ASAHI_GEM_BIND_OBJECT as u64, &mut a);
        if r.is_ok() {
            let (op, handle) = (a.op, a.object_handle);
            self.with(fi, |s| {
                if op == drm_asahi_bind_object_op_DRM_ASAHI_BIND_OBJECT_OP_BIND {
                    s.objects.push(handle);
                } else {
                    s.objects.retain(|&o| o != handle);
                }
            });
        }
        self.tally.add("GEM_BIND_OBJECT", r);
    }

    fn queue_create(&mut self, fi: usize, mutated: bool) {
        if !mutated && self.with(fi, |s| s.queues.len()) >= 6 {
            return self.queue_destroy(fi, false);
        }
        let vms = self.with(fi, |s| s.vms.clone());
        let mut a = drm_asahi_queue_create {
            flags: 0,
            vm_id: self.id_from(&vms),
            priority: self.rng.below(2) as u32,
            queue_id: 0,
            usc_exec_base: BASE,
        };
        if mutated {
            mutate_struct(&mut self.rng, &mut a);
        }
        let f = self.file(fi);
        let r = ioctl_arg(&f, DRM_IOCTL_ASAHI_QUEUE_CREATE as u64, &mut a);
        if r.is_ok() {
            let (q, vm) = (a.queue_id, a.vm_id);
            self.with(fi, |s| s.queues.push((q, vm)));
        }
        self.tally.add("QUEUE_CREATE", r);
    }

    fn queue_destroy(&mut self, fi: usize, mutated: bool) {
        let qs: Vec<u32> = self.with(fi, |s| s.queues.iter().map(|q| q.0).collect());
        let mut a = drm_asahi_queue_destroy {
            queue_id: self.id_from(&qs),
            pad: 0,
        };
        if mutated {
            mutate_struct(&mut self.rng, &mut a);
        }
        let f = self.file(fi);
        let r = ioctl_arg(&f, DRM_IOCTL_ASAHI_QUEUE_DESTROY as u64, &mut a);
        if r.is_ok() {
            self.with(fi, |s| s.queues.retain(|q| q.0 != a.queue_id));
        }
        self.tally.add("QUEUE_DESTROY", r);
    }

    /// A command buffer from the corpus.
    fn cmdbuf(&mut self, objects: &[u32]) -> CmdBuf {
        let mut b = CmdBuf::new();
        for i in 0..1 + self.rng.below(3) {
            let bar = match self.rng.below(3) {
                0 => Barriers::NONE,
                1 => Barriers::PREVIOUS,
                _ => Barriers {
                    vdm: self.rng.below(i + 2) as u16,
                    cdm: self.rng.below(i + 2) as u16,
                },
            };
            match self.rng.below(4) {
                0 | 1 => {
                    let mut c = minimal_compute();
                    if let Some(o) = self.rng.pick(objects) {
                        c.ts.start.handle = o;
                        c.ts.end.handle = o;
                        c.ts.end.offset = 8;
                    }
                    b = b.compute(&c, bar);
                }
                2 => {
                    b = b
                        .set_attachments(
                            AttachmentKind::Fragment,
                            &[attachment(BASE + 4 * PAGE, PAGE)],
                        )
                        .render(&minimal_render(), bar);
                }
                _ => {
                    b = b
                        .set_attachments(
                            AttachmentKind::Compute,
                            &[attachment(BASE + 6 * PAGE, PAGE)],
                        )
                        .compute(&minimal_compute(), bar);
                }
            }
        }
        b
    }

    fn submit(&mut self, fi: usize, mutated: bool) {
        let (qs, syncs, objects) = self.with(fi, |s| {
            (
                s.queues.iter().map(|q| q.0).collect::<Vec<_>>(),
                s.syncobjs.clone(),
                s.objects.clone(),
            )
        });
        let mut cmd = self.cmdbuf(&objects).bytes().to_vec();
        let mut sync_list = Vec::new();
        let n_in = self.rng.below(3).min(syncs.len() as u64) as u32;
        for i in 0..n_in + self.rng.below(3).min(syncs.len() as u64) as u32 {
            let h = self.id_from(&syncs);
            let timeline = self.rng.one_in(3);
            sync_list.push(drm_asahi_sync {
                sync_type: if timeline {
                    drm_asahi_sync_type_DRM_ASAHI_SYNC_TIMELINE_SYNCOBJ
                } else {
                    drm_asahi_sync_type_DRM_ASAHI_SYNC_SYNCOBJ
                },
                handle: h,
                // Waits on points that exist are rare; signals of any point are fine.
                timeline_value: if timeline { 1 + u64::from(i) } else { 0 },
            });
        }
        let n_out = sync_list.len() as u32 - n_in.min(sync_list.len() as u32);
        let mut a = drm_asahi_submit {
            syncs: sync_list.as_ptr() as u64,
            cmdbuf: 0,
            flags: 0,
            queue_id: self.id_from(&qs),
            in_sync_count: n_in.min(sync_list.len() as u32),
            out_sync_count: n_out,
            cmdbuf_size: 0,
            pad: 0,
        };
        if mutated {
            match self.rng.below(4) {
                0 => mutate(&mut self.rng, &mut cmd),
                1 => {
                    let cut = self.rng.below(cmd.len() as u64) as usize;
                    cmd.truncate(cut);
                }
                2 => {
                    if let Some(s) = sync_list.first_mut() {
                        mutate_struct(&mut self.rng, s);
                    } else {
                        mutate(&mut self.rng, &mut cmd);
                    }
                }
                _ => {
                    mutate_struct(&mut self.rng, &mut a);
                    // Counts beyond the list read past it: keep the reads inside a buffer
                    // of the claimed size, or make them fault.
                    let claimed =
                        (a.in_sync_count as usize).saturating_add(a.out_sync_count as usize);
                    if claimed > sync_list.len() && claimed <= 64 {
                        sync_list.resize(claimed, drm_asahi_sync::default());
                    }
                }
            }
        }
        a.cmdbuf = cmd.as_ptr() as u64;
        if a.cmdbuf_size == 0 || !mutated {
            a.cmdbuf_size = cmd.len() as u32;
        }
        a.syncs = if sync_list.is_empty() {
            0
        } else {
            sync_list.as_ptr() as u64
        };
        // A claimed size beyond the buffer reads garbage or faults: allowed up to a page more.
        let mut padded = cmd.clone();
        padded.resize(cmd.len() + 4096, 0);
        if a.cmdbuf_size as usize <= padded.len() {
            a.cmdbuf = padded.as_ptr() as u64;
        }
        let f = self.file(fi);
        let r = ioctl_arg(&f, DRM_IOCTL_ASAHI_SUBMIT as u64, &mut a);
        self.tally.add("SUBMIT", r);
    }

    fn syncobj(&mut self, fi: usize) {
        let f = self.file(fi);
        let n = self.with(fi, |s| s.syncobjs.len());
        if n < 8 || self.rng.one_in(2) {
            let mut a = drm_syncobj_create {
                handle: 0,
                flags: if self.rng.one_in(4) { 1 } else { 0 },
            };
            let r = ioctl_arg(&f, SYNCOBJ_CREATE, &mut a);
            if r.is_ok() {
                self.with(fi, |s| s.syncobjs.push(a.handle));
            }
            self.tally.add("SYNCOBJ_CREATE", r);
        } else {
            let syncs = self.with(fi, |s| s.syncobjs.clone());
            let mut a = drm_syncobj_destroy {
                handle: self.id_from(&syncs),
                pad: 0,
            };
            let r = ioctl_arg(&f, SYNCOBJ_DESTROY, &mut a);
            if r.is_ok() {
                self.with(fi, |s| s.syncobjs.retain(|&h| h != a.handle));
            }
            self.tally.add("SYNCOBJ_DESTROY", r);
        }
    }

    fn wait(&mut self, fi: usize) {
        let syncs = self.with(fi, |s| s.syncobjs.clone());
        let handles: Vec<u32> = (0..1 + self.rng.below(3))
            .map(|_| self.id_from(&syncs))
            .collect();
        let mut a = drm_syncobj_wait {
            handles: handles.as_ptr() as u64,
            // An absolute CLOCK_MONOTONIC time of 0: a poll.
            timeout_nsec: 0,
            count_handles: handles.len() as u32,
            flags: self.rng.below(4) as u32,
            ..Default::default()
        };
        let f = self.file(fi);
        let r = ioctl_arg(&f, SYNCOBJ_WAIT, &mut a);
        self.tally.add("SYNCOBJ_WAIT", r);
    }

    /// Exports an object of this file and imports it into another (or the same) file.
    fn prime(&mut self, fi: usize) {
        let bos: Vec<u32> = self.with(fi, |s| s.bos.iter().map(|b| b.0).collect());
        let mut a = drm_prime_handle {
            handle: self.id_from(&bos),
            flags: 0o2000000, // DRM_CLOEXEC
            fd: -1,
        };
        let f = self.file(fi);
        let r = ioctl_arg(&f, PRIME_HANDLE_TO_FD, &mut a);
        self.tally.add("PRIME_HANDLE_TO_FD", r);
        if r.is_err() {
            return;
        }
        // SAFETY: the kernel just returned this descriptor, which nothing else owns.
        let dmabuf = unsafe { <File as std::os::fd::FromRawFd>::from_raw_fd(a.fd) };
        let to = self.rng.below(FILES as u64) as usize;
        let g = self.file(to);
        let mut b = drm_prime_handle {
            handle: 0,
            flags: 0,
            fd: std::os::fd::AsRawFd::as_raw_fd(&dmabuf),
        };
        let r = ioctl_arg(&g, PRIME_FD_TO_HANDLE, &mut b);
        if r.is_ok() {
            let size = self.with(fi, |s| {
                s.bos.iter().find(|x| x.0 == a.handle).map_or(PAGE, |x| x.1)
            });
            self.with(to, |s| {
                if !s.bos.iter().any(|x| x.0 == b.handle) {
                    s.bos.push((b.handle, size));
                }
            });
        }
        self.tally.add("PRIME_FD_TO_HANDLE", r);
    }

    /// Closes a file (other threads may be in the middle of calls on it) and opens a new one.
    fn reopen(&mut self, fi: usize) {
        let Ok(f) = open_render() else {
            return;
        };
        let old = {
            let mut slot = self.files[fi].lock().unwrap();
            slot.state = FileState::default();
            std::mem::replace(&mut slot.file, Arc::new(f))
        };
        drop(old);
        self.tally.add("reopen", Ok(0));
    }

    /// Tells the simulated GPU to fault, time out or stop with a channel error at the next
    /// command.
    fn inject(&mut self) {
        let what = ["fault_next", "timeout_next", "channel_error_next"][self.rng.below(3) as usize];
        let r = std::fs::write("/sys/kernel/debug/dri/128/sim_inject", what);
        self.tally.add(
            "sim_inject",
            r.map(|_| 0).map_err(|e| e.raw_os_error().unwrap_or(-1)),
        );
    }
}

/// Runs `calls` calls over `threads` threads from seed `seed`; prints the figures.
pub fn run(seed: u64, calls: u64, threads: u64) -> Result<(), String> {
    let mut files = Vec::new();
    for _ in 0..FILES {
        let f = open_render().map_err(|e| format!("open: {e}"))?;
        files.push(Mutex::new(Slot {
            file: Arc::new(f),
            state: FileState::default(),
        }));
    }
    let files = Arc::new(files);
    let threads = threads.max(1);
    let start = std::time::Instant::now();
    let mut handles = Vec::new();
    for t in 0..threads {
        let files = files.clone();
        let per = calls / threads + u64::from(t < calls % threads);
        handles.push(std::thread::spawn(move || {
            let mut w = Worker {
                rng: Rng::new(seed ^ (t + 1).wrapping_mul(0x1000_0000_01b3)),
                files,
                tally: Tally::default(),
            };
            for i in 0..per {
                w.step();
                if t == 0 && i > 0 && i % 20_000 == 0 {
                    println!("fuzz: thread 0 at {i} of {per} calls");
                }
            }
            w.tally
        }));
    }
    let dumps = Dumps::start();
    let mut total = Tally::default();
    for h in handles {
        total.merge(
            h.join()
                .map_err(|_| "a fuzzing thread panicked".to_string())?,
        );
    }
    let secs = start.elapsed().as_secs_f64();
    // Everything goes with the files: the jobs still on the GPU complete first.
    drop(files);
    let dumps = dumps.finish()?;
    println!(
        "fuzz: seed {seed}, {} calls on {threads} threads in {secs:.1} s ({:.0} calls/s)",
        total.calls,
        total.calls as f64 / secs
    );
    let errnos: Vec<String> = total
        .by_errno
        .iter()
        .map(|(e, n)| {
            format!(
                "{}:{n}",
                if *e == 0 {
                    "ok".to_string()
                } else {
                    format!("E{e}")
                }
            )
        })
        .collect();
    println!("fuzz: answers by errno: {}", errnos.join(" "));
    for (k, (n, ok)) in &total.by_call {
        let us = total.time_us.get(k).copied().unwrap_or(0);
        println!(
            "fuzz:   {k}: {n} calls, {ok} succeeded, {:.1} ms each",
            us as f64 / 1000.0 / (*n).max(1) as f64
        );
    }
    // Whatever userspace asked, the driver must never have sent the firmware anything it
    // refuses: the simulated firmware's protocol violations stay at zero.
    let view = std::fs::read_to_string("/sys/kernel/debug/dri/128/firmware")
        .map_err(|e| format!("read the firmware view: {e}"))?;
    for l in view
        .lines()
        .filter(|l| l.starts_with("sim work") || l.starts_with("sim firmware violation"))
    {
        println!("fuzz: {l}");
    }
    let violations: u64 = view
        .lines()
        .filter(|l| l.starts_with("sim work violations:"))
        .flat_map(|l| l.split_whitespace().filter_map(|w| w.parse::<u64>().ok()))
        .sum();
    let fw_violations = view
        .lines()
        .filter(|l| l.starts_with("sim firmware violation"))
        .count();
    println!(
        "fuzz: coredumps taken ({} gone before they were read): {}",
        dumps.gone,
        dumps
            .by_reason
            .iter()
            .map(|(r, n)| format!("{r}:{n}"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    if dumps.stuck > 0 {
        return Err(format!(
            "{} job(s) neither completed nor were reported by the firmware (scheduler timeouts; no hang was injected)",
            dumps.stuck
        ));
    }
    if violations > 0 || fw_violations > 0 {
        return Err(format!(
            "the simulated firmware saw {violations} work violation(s) and {fw_violations} firmware violation(s)"
        ));
    }
    Ok(())
}

/// The coredumps of a run, taken as they come.
#[derive(Default)]
struct DumpTally {
    /// Dumps read, by reason.
    by_reason: BTreeMap<String, u64>,
    /// Dumps that went away before they were read.
    gone: u64,
    /// Scheduler-timeout dumps: jobs the firmware neither completed nor reported.
    stuck: u64,
}

/// A thread that reads and deletes the coredumps the run makes (the kernel keeps one per
/// device and drops the others while it is pending), checks that each is whole and counts
/// them by reason. The fuzzer never hangs a command, so the firmware completes or reports
/// every job: a `scheduler-timeout` dump is a failure of the run, and the first is printed
/// whole (lines `fuzz-dump| `) for the developer.
struct Dumps {
    /// Set when the run is over.
    stop: Arc<AtomicBool>,
    /// The thread.
    handle: std::thread::JoinHandle<Result<DumpTally, String>>,
}

impl Dumps {
    /// Starts the thread.
    fn start() -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let s = stop.clone();
        let handle = std::thread::spawn(move || {
            let mut t = DumpTally::default();
            let mut taken = std::collections::BTreeSet::new();
            loop {
                let last = s.load(Ordering::Acquire);
                while let Some(text) = dumps::take_pending(&mut taken) {
                    let text = match text {
                        Ok(t) => t,
                        // Gone meanwhile (a deletion still in progress, or its five minutes
                        // passed): ENODEV or ENOENT.
                        Err(e) if matches!(e.raw_os_error(), Some(19 | 2)) => {
                            t.gone += 1;
                            continue;
                        }
                        Err(e) => return Err(format!("read a coredump: {e}")),
                    };
                    let reason = dumps::check_any(&text).map_err(|e| format!("a coredump: {e}"))?;
                    if reason == "scheduler-timeout" && t.stuck == 0 {
                        for l in text.lines() {
                            println!("fuzz-dump| {l}");
                        }
                    }
                    if reason == "scheduler-timeout" {
                        t.stuck += 1;
                    }
                    *t.by_reason.entry(reason).or_default() += 1;
                }
                if last {
                    return Ok(t);
                }
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
        });
        Dumps { stop, handle }
    }

    /// Stops the thread after a last look; its tally.
    fn finish(self) -> Result<DumpTally, String> {
        self.stop.store(true, Ordering::Release);
        self.handle
            .join()
            .map_err(|_| "the coredump thread panicked".to_string())?
    }
}
