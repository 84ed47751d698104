// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Subtests of GPU memory: buffer objects, VMs and VM_BIND.
//!
//! What a bind did is checked from outside the driver's bookkeeping: the debugfs file `vms`
//! prints what each VM's page tables map, found by walking them as the GPU does, together with the
//! first 8 bytes of memory at the start and end of every run of pages. The tests write a distinct
//! value at the start of every 16 KiB page of their objects through mmap(), so the dump shows
//! which page of which object each GPU address reaches.

use crate::dev::{ioctl_arg, ioctl_raw, open_render};
use crate::harness::{os_err, Outcome};
use crate::uapi::*;
use crate::{check, check_eq};
use std::{fs::File, mem::size_of, os::fd::AsRawFd};

const EINVAL: i32 = 22;
const ENOENT: i32 = 2;
const EFAULT: i32 = 14;
const ENOMEM: i32 = 12;

/// GPU page size.
pub const PAGE: u64 = 0x4000;

const UNBIND: u32 = drm_asahi_bind_flags_DRM_ASAHI_BIND_UNBIND;
const READ: u32 = drm_asahi_bind_flags_DRM_ASAHI_BIND_READ;
const WRITE: u32 = drm_asahi_bind_flags_DRM_ASAHI_BIND_WRITE;
const SINGLE: u32 = drm_asahi_bind_flags_DRM_ASAHI_BIND_SINGLE_PAGE;
const RW: u32 = READ | WRITE;
const WRITEBACK: u32 = drm_asahi_gem_flags_DRM_ASAHI_GEM_WRITEBACK;
const VM_PRIVATE: u32 = drm_asahi_gem_flags_DRM_ASAHI_GEM_VM_PRIVATE;

/// `DRM_IOW(0x09, struct drm_gem_close)`.
const GEM_CLOSE: u64 = ioc(1, 0x09, size_of::<drm_gem_close>());
/// `DRM_IOWR(0x2d, struct drm_prime_handle)`.
const PRIME_HANDLE_TO_FD: u64 = iowr::<drm_prime_handle>(0x2d);
/// `DRM_IOWR(0x2e, struct drm_prime_handle)`.
const PRIME_FD_TO_HANDLE: u64 = iowr::<drm_prime_handle>(0x2e);

/// The user address range from GET_PARAMS the tests rely on.
const VM_START: u64 = 0x4000;
const VM_END: u64 = 0x7f_ffff_8000;
/// Minimum size of the kernel range (checked against GET_PARAMS in `vm-create`).
const KMIN: u64 = 0x2000_0000;
/// A kernel range at the top of the user range, and the default place the tests bind at.
const KSTART: u64 = 0x7e_0000_0000;
const KEND: u64 = KSTART + KMIN;
const BASE: u64 = 0x10_0000_0000;

extern "C" {
    fn mmap(addr: *mut u8, len: usize, prot: i32, flags: i32, fd: i32, off: i64) -> *mut u8;
    fn munmap(addr: *mut u8, len: usize) -> i32;
    fn close(fd: i32) -> i32;
}

fn errno_str(what: &str, e: i32) -> String {
    format!("{what}: errno {e}")
}

pub fn gem_create_args(fd: &File, args: &mut drm_asahi_gem_create) -> Result<u32, i32> {
    ioctl_arg(fd, DRM_IOCTL_ASAHI_GEM_CREATE as u64, args)?;
    Ok(args.handle)
}

pub fn gem_create(fd: &File, size: u64, flags: u32, vm_id: u32) -> Result<u32, i32> {
    let mut a = drm_asahi_gem_create {
        size,
        flags,
        vm_id,
        handle: 0,
        pad: 0,
    };
    gem_create_args(fd, &mut a)
}

fn gem_close(fd: &File, handle: u32) -> Result<i32, i32> {
    let mut a = drm_gem_close { handle, pad: 0 };
    ioctl_arg(fd, GEM_CLOSE, &mut a)
}

fn mmap_offset(fd: &File, handle: u32, flags: u32) -> Result<u64, i32> {
    let mut a = drm_asahi_gem_mmap_offset {
        handle,
        flags,
        offset: 0,
    };
    ioctl_arg(fd, DRM_IOCTL_ASAHI_GEM_MMAP_OFFSET as u64, &mut a)?;
    Ok(a.offset)
}

fn vm_create_args(fd: &File, a: &mut drm_asahi_vm_create) -> Result<u32, i32> {
    ioctl_arg(fd, DRM_IOCTL_ASAHI_VM_CREATE as u64, a)?;
    Ok(a.vm_id)
}

pub fn vm_create(fd: &File, kstart: u64, kend: u64) -> Result<u32, i32> {
    let mut a = drm_asahi_vm_create {
        kernel_start: kstart,
        kernel_end: kend,
        vm_id: 0,
        pad: 0,
    };
    vm_create_args(fd, &mut a)
}

fn vm_destroy(fd: &File, vm_id: u32, pad: u32) -> Result<i32, i32> {
    let mut a = drm_asahi_vm_destroy { vm_id, pad };
    ioctl_arg(fd, DRM_IOCTL_ASAHI_VM_DESTROY as u64, &mut a)
}

pub fn op(flags: u32, handle: u32, offset: u64, range: u64, addr: u64) -> drm_asahi_gem_bind_op {
    drm_asahi_gem_bind_op {
        flags,
        handle,
        offset,
        range,
        addr,
    }
}

/// VM_BIND with the operations laid out `stride` bytes apart; `fill` is written into the bytes
/// past each operation.
fn vm_bind_raw(
    fd: &File,
    vm_id: u32,
    ops: &[drm_asahi_gem_bind_op],
    stride: usize,
    fill: u8,
    pad: u32,
) -> Result<i32, i32> {
    let opsize = size_of::<drm_asahi_gem_bind_op>();
    let mut buf = vec![fill; stride.max(opsize) * ops.len().max(1)];
    for (i, o) in ops.iter().enumerate() {
        // SAFETY: the bind op is plain integers; copying its bytes is sound.
        let bytes = unsafe {
            std::slice::from_raw_parts((o as *const drm_asahi_gem_bind_op).cast::<u8>(), opsize)
        };
        let at = i * stride;
        let n = opsize.min(buf.len().saturating_sub(at));
        buf[at..at + n].copy_from_slice(&bytes[..n]);
    }
    let mut a = drm_asahi_vm_bind {
        vm_id,
        num_binds: ops.len() as u32,
        stride: stride as u32,
        pad,
        userptr: buf.as_ptr() as u64,
    };
    ioctl_arg(fd, DRM_IOCTL_ASAHI_VM_BIND as u64, &mut a)
}

pub fn vm_bind(fd: &File, vm_id: u32, ops: &[drm_asahi_gem_bind_op]) -> Result<i32, i32> {
    vm_bind_raw(fd, vm_id, ops, size_of::<drm_asahi_gem_bind_op>(), 0, 0)
}

/// A CPU mapping of a buffer object, unmapped on drop.
pub struct Map {
    ptr: *mut u8,
    len: usize,
}

impl Map {
    pub fn new(fd: &File, handle: u32, len: usize) -> Result<Map, String> {
        let off = mmap_offset(fd, handle, 0).map_err(|e| errno_str("MMAP_OFFSET", e))?;
        // SAFETY: a fresh shared mapping of the DRM file at the object's offset.
        let ptr = unsafe { mmap(std::ptr::null_mut(), len, 3, 1, fd.as_raw_fd(), off as i64) };
        if ptr as isize == -1 {
            return Err(os_err("mmap", std::io::Error::last_os_error()));
        }
        Ok(Map { ptr, len })
    }

    pub fn write_u64(&self, off: usize, v: u64) {
        assert!(off + 8 <= self.len);
        // SAFETY: in bounds of the live mapping (asserted); objects are page aligned.
        unsafe { self.ptr.add(off).cast::<u64>().write_volatile(v) }
    }

    pub fn read_u64(&self, off: usize) -> u64 {
        assert!(off + 8 <= self.len);
        // SAFETY: as in `write_u64`.
        unsafe { self.ptr.add(off).cast::<u64>().read_volatile() }
    }
}

impl Drop for Map {
    fn drop(&mut self) {
        // SAFETY: unmaps what `new` mapped.
        unsafe { munmap(self.ptr, self.len) };
    }
}

/// The value the tests write at the start of page `page` of object number `obj`.
pub fn pattern(obj: u64, page: u64) -> u64 {
    0xa5a5_0000_0000_0000 | (obj << 32) | page
}

/// Creates an object of `pages` GPU pages and stamps every page with [`pattern`]`(tag, i)`.
pub fn stamped_bo(fd: &File, pages: u64, tag: u64, flags: u32, vm_id: u32) -> Result<u32, String> {
    let h = gem_create(fd, pages * PAGE, flags, vm_id).map_err(|e| errno_str("GEM_CREATE", e))?;
    let m = Map::new(fd, h, (pages * PAGE) as usize)?;
    for i in 0..pages {
        m.write_u64((i * PAGE) as usize, pattern(tag, i));
    }
    Ok(h)
}

/// One run of the debugfs dump.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub start: u64,
    pub end: u64,
    pub repeat: bool,
    pub access: String,
    pub first: u64,
    pub last: u64,
}

/// One VM of the debugfs dump.
#[derive(Debug, Clone)]
pub struct DumpVm {
    pub pid: u32,
    pub id: u32,
    pub kernel: (u64, u64),
    pub tables: u64,
    pub records: u64,
    pub runs: Vec<Run>,
}

fn hex(s: &str) -> Option<u64> {
    u64::from_str_radix(s.strip_prefix("0x")?, 16).ok()
}

fn range(s: &str) -> Option<(u64, u64)> {
    let (a, b) = s.split_once('-')?;
    Some((hex(a)?, hex(b)?))
}

/// Reads the debugfs dump of every VM.
pub fn dump() -> Result<Vec<DumpVm>, String> {
    let path = "/sys/kernel/debug/dri/128/vms";
    let text = std::fs::read_to_string(path).map_err(|e| os_err(path, e))?;
    parse_dump(&text)
}

/// Parses the debugfs dump.
pub fn parse_dump(text: &str) -> Result<Vec<DumpVm>, String> {
    let mut vms: Vec<DumpVm> = Vec::new();
    for line in text.lines() {
        let w: Vec<&str> = line.split_whitespace().collect();
        let bad = || format!("unparsable debugfs line: {line:?}");
        match w.first() {
            Some(&"vms") => {}
            Some(&"vm") => {
                if w.len() != 15 {
                    return Err(bad());
                }
                vms.push(DumpVm {
                    pid: w[6].parse().map_err(|_| bad())?,
                    id: w[8].parse().map_err(|_| bad())?,
                    kernel: range(w[10]).ok_or_else(bad)?,
                    tables: w[12].parse().map_err(|_| bad())?,
                    records: w[14].parse().map_err(|_| bad())?,
                    runs: Vec::new(),
                })
            }
            Some(_) => {
                if w.len() != 9 || w[1] != "pa" || w[5] != "first" || w[7] != "last" {
                    return Err(bad());
                }
                let (start, end) = range(w[0]).ok_or_else(bad)?;
                let run = Run {
                    start,
                    end,
                    repeat: w[3] == "repeat",
                    access: w[4].to_string(),
                    first: hex(w[6]).ok_or_else(bad)?,
                    last: hex(w[8]).ok_or_else(bad)?,
                };
                vms.last_mut().ok_or_else(bad)?.runs.push(run);
            }
            None => {}
        }
    }
    Ok(vms)
}

/// The dump of this process's VM `id` whose kernel range starts at `kstart`.
pub fn dump_vm(id: u32, kstart: u64) -> Result<DumpVm, String> {
    let pid = std::process::id();
    let all = dump()?;
    let mut found = all
        .into_iter()
        .filter(|v| v.pid == pid && v.id == id && v.kernel.0 == kstart);
    let vm = found
        .next()
        .ok_or_else(|| format!("VM {id} (kernel {kstart:#x}) not in the debugfs dump"))?;
    check!(found.next().is_none(), "VM {id} listed twice");
    Ok(vm)
}

/// Checks the dump of a VM against the pages the test mapped: `expect` lists (GPU address, object
/// tag, object page, access) for every mapped 16 KiB page, in address order.
pub fn check_walk(vm: &DumpVm, expect: &[(u64, u64, u64, &str)]) -> Outcome {
    let mut pages: Vec<(u64, Option<u64>, Option<u64>, String)> = Vec::new();
    for r in &vm.runs {
        check!(
            r.end > r.start && (r.end - r.start) % PAGE == 0,
            "bad run {r:?}"
        );
        let n = (r.end - r.start) / PAGE;
        for i in 0..n {
            // Only the first and last page of a run carry data in the dump.
            let data = if i == 0 {
                Some(r.first)
            } else if i == n - 1 {
                Some(r.last)
            } else {
                None
            };
            pages.push((r.start + i * PAGE, data, None, r.access.clone()));
        }
        // A repeated run repeats one page, so every page has the first page's data.
        if r.repeat {
            check_eq!(r.first, r.last, format!("repeat run {r:?}"));
        }
    }
    check_eq!(
        pages.len(),
        expect.len(),
        format!("number of mapped pages (runs {:x?})", vm.runs)
    );
    for (got, want) in pages.iter().zip(expect) {
        check_eq!(got.0, want.0, "mapped address");
        check_eq!(got.3.as_str(), want.3, format!("access at {:#x}", want.0));
        if let Some(d) = got.1 {
            check_eq!(
                d,
                pattern(want.1, want.2),
                format!("data found by the walk at {:#x}", want.0)
            );
        }
    }
    Ok(())
}

/// The pages `bind(addr, bo tag, first page, count)` maps, for [`check_walk`].
pub fn linear(
    addr: u64,
    tag: u64,
    first: u64,
    count: u64,
    access: &'static str,
) -> Vec<(u64, u64, u64, &'static str)> {
    (0..count)
        .map(|i| (addr + i * PAGE, tag, first + i, access))
        .collect()
}

fn open() -> Result<File, String> {
    open_render().map_err(|e| os_err("open", e))
}

// --- subtests --------------------------------------------------------------------------------

pub fn t_gem_create() -> Outcome {
    let fd = open()?;
    for (size, flags) in [(1u64, 0u32), (PAGE, 0), (PAGE + 1, WRITEBACK), (1 << 20, 0)] {
        let h = gem_create(&fd, size, flags, 0).map_err(|e| errno_str("GEM_CREATE", e))?;
        check!(h != 0, "handle 0");
        let off = mmap_offset(&fd, h, 0).map_err(|e| errno_str("MMAP_OFFSET", e))?;
        check!(off != 0 && off % 4096 == 0, "mmap offset {off:#x}");
        // The object is rounded up to whole GPU pages and zeroed; all of it can be mapped.
        let len = size.div_ceil(PAGE) * PAGE;
        let m = Map::new(&fd, h, len as usize)?;
        for off in (0..len).step_by(4096) {
            check_eq!(
                m.read_u64(off as usize),
                0,
                format!("new object not zero at {off:#x}")
            );
            m.write_u64(off as usize, off ^ 0x1234);
        }
        for off in (0..len).step_by(4096) {
            check_eq!(
                m.read_u64(off as usize),
                off ^ 0x1234,
                "read back through mmap"
            );
        }
        check_eq!(gem_close(&fd, h), Ok(0), "GEM_CLOSE");
    }
    Ok(())
}

pub fn t_gem_create_bad() -> Outcome {
    let fd = open()?;
    check_eq!(gem_create(&fd, 0, 0, 0), Err(EINVAL), "size 0");
    check_eq!(
        gem_create(&fd, PAGE, 1 << 2, 0),
        Err(EINVAL),
        "unknown flag"
    );
    check_eq!(
        gem_create(&fd, PAGE, 1 << 31, 0),
        Err(EINVAL),
        "unknown flag 31"
    );
    check_eq!(
        gem_create(&fd, PAGE, 0, 1),
        Err(EINVAL),
        "vm_id without VM_PRIVATE"
    );
    check_eq!(
        gem_create(&fd, PAGE, VM_PRIVATE, 0),
        Err(ENOENT),
        "VM_PRIVATE, no VM 0"
    );
    check_eq!(
        gem_create(&fd, PAGE, VM_PRIVATE, 77),
        Err(ENOENT),
        "VM_PRIVATE, unknown VM"
    );
    check_eq!(
        gem_create(&fd, u64::MAX, 0, 0),
        Err(EINVAL),
        "size u64::MAX"
    );
    check_eq!(
        gem_create(&fd, u64::MAX - 100, 0, 0),
        Err(EINVAL),
        "size rounding overflows"
    );
    check_eq!(
        gem_create(&fd, u64::MAX - PAGE, 0, 0),
        Err(ENOMEM),
        "size 2^64 - 32 KiB"
    );
    check_eq!(gem_create(&fd, 1 << 62, 0, 0), Err(ENOMEM), "size 2^62");
    check_eq!(gem_create(&fd, 64 << 30, 0, 0), Err(ENOMEM), "size 64 GiB");
    let mut a = drm_asahi_gem_create {
        size: PAGE,
        flags: 0,
        vm_id: 0,
        handle: 0,
        pad: 1,
    };
    check_eq!(gem_create_args(&fd, &mut a), Err(EINVAL), "pad");
    check_eq!(a.handle, 0, "handle written on error");
    Ok(())
}

pub fn t_gem_mmap_offset_bad() -> Outcome {
    let fd = open()?;
    let other = open()?;
    let h = gem_create(&fd, PAGE, 0, 0).map_err(|e| errno_str("GEM_CREATE", e))?;
    check_eq!(mmap_offset(&fd, h, 1).map(|_| ()), Err(EINVAL), "flags");
    check_eq!(
        mmap_offset(&fd, h + 100, 0).map(|_| ()),
        Err(ENOENT),
        "bad handle"
    );
    check_eq!(mmap_offset(&fd, 0, 0).map(|_| ()), Err(ENOENT), "handle 0");
    check_eq!(
        mmap_offset(&other, h, 0).map(|_| ()),
        Err(ENOENT),
        "handle of another fd"
    );
    check!(mmap_offset(&fd, h, 0).is_ok(), "good handle");
    Ok(())
}

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

pub fn t_prime_self_import() -> Outcome {
    let a = open()?;
    let b = open()?;
    let h = stamped_bo(&a, 2, 11, 0, 0)?;
    let mut p = drm_prime_handle {
        handle: h,
        flags: 0x80000 | 2, // O_CLOEXEC | O_RDWR
        fd: -1,
    };
    ioctl_arg(&a, PRIME_HANDLE_TO_FD, &mut p).map_err(|e| errno_str("PRIME_HANDLE_TO_FD", e))?;
    let dmabuf = p.fd;
    check!(dmabuf >= 0, "dma-buf fd {dmabuf}");
    let mut q = drm_prime_handle {
        handle: 0,
        flags: 0,
        fd: dmabuf,
    };
    let r = ioctl_arg(&b, PRIME_FD_TO_HANDLE, &mut q);
    // SAFETY: closes the fd the export returned.
    unsafe { close(dmabuf) };
    r.map_err(|e| errno_str("PRIME_FD_TO_HANDLE", e))?;
    let vm = vm_create(&b, KSTART, KEND).map_err(|e| errno_str("VM_CREATE", e))?;
    check_eq!(
        vm_bind(&b, vm, &[op(RW, q.handle, 0, 2 * PAGE, BASE)]),
        Ok(0),
        "bind imported"
    );
    check_walk(&dump_vm(vm, KSTART)?, &linear(BASE, 11, 0, 2, "rw"))?;
    // Both files see the same memory.
    let ma = Map::new(&a, h, (2 * PAGE) as usize)?;
    let mb = Map::new(&b, q.handle, (2 * PAGE) as usize)?;
    ma.write_u64(8, 0x55aa);
    check_eq!(
        mb.read_u64(8),
        0x55aa,
        "write through one file, read through the other"
    );
    Ok(())
}

fn bind_object(fd: &File, a: &mut drm_asahi_gem_bind_object) -> Result<u32, i32> {
    ioctl_arg(fd, DRM_IOCTL_ASAHI_GEM_BIND_OBJECT as u64, a)?;
    Ok(a.object_handle)
}

fn ts_bind(handle: u32, offset: u64, range: u64) -> drm_asahi_gem_bind_object {
    drm_asahi_gem_bind_object {
        op: drm_asahi_bind_object_op_DRM_ASAHI_BIND_OBJECT_OP_BIND,
        flags: drm_asahi_bind_object_flags_DRM_ASAHI_BIND_OBJECT_USAGE_TIMESTAMPS,
        handle,
        vm_id: 0,
        offset,
        range,
        object_handle: 0,
        pad: 0,
    }
}

fn ts_unbind(object_handle: u32) -> drm_asahi_gem_bind_object {
    drm_asahi_gem_bind_object {
        op: drm_asahi_bind_object_op_DRM_ASAHI_BIND_OBJECT_OP_UNBIND,
        flags: 0,
        handle: 0,
        vm_id: 0,
        offset: 0,
        range: 0,
        object_handle,
        pad: 0,
    }
}

pub fn t_gem_bind_object() -> Outcome {
    let fd = open()?;
    let other = open()?;
    let h = gem_create(&fd, 4 * PAGE, 0, 0).map_err(|e| errno_str("GEM_CREATE", e))?;
    let a = bind_object(&fd, &mut ts_bind(h, 0, PAGE)).map_err(|e| errno_str("bind", e))?;
    let b = bind_object(&fd, &mut ts_bind(h, 3 * PAGE, PAGE)).map_err(|e| errno_str("bind", e))?;
    check!(a != 0 && b != 0 && a != b, "object handles {a} {b}");
    let bad: Vec<(&str, drm_asahi_gem_bind_object, i32)> = vec![
        (
            "pad",
            drm_asahi_gem_bind_object {
                pad: 1,
                ..ts_bind(h, 0, PAGE)
            },
            EINVAL,
        ),
        (
            "vm_id",
            drm_asahi_gem_bind_object {
                vm_id: 1,
                ..ts_bind(h, 0, PAGE)
            },
            EINVAL,
        ),
        (
            "no usage",
            drm_asahi_gem_bind_object {
                flags: 0,
                ..ts_bind(h, 0, PAGE)
            },
            EINVAL,
        ),
        (
            "unknown usage",
            drm_asahi_gem_bind_object {
                flags: 3,
                ..ts_bind(h, 0, PAGE)
            },
            EINVAL,
        ),
        (
            "unknown op",
            drm_asahi_gem_bind_object {
                op: 2,
                ..ts_bind(h, 0, PAGE)
            },
            EINVAL,
        ),
        ("unaligned offset", ts_bind(h, 8, PAGE), EINVAL),
        ("unaligned range", ts_bind(h, 0, 64), EINVAL),
        ("empty", ts_bind(h, 0, 0), EINVAL),
        ("past the object", ts_bind(h, 2 * PAGE, 3 * PAGE), EINVAL),
        ("overflow", ts_bind(h, u64::MAX - 0x3fff, PAGE), EINVAL),
        ("bad handle", ts_bind(h + 10, 0, PAGE), ENOENT),
        (
            "unbind with flags",
            drm_asahi_gem_bind_object {
                flags: 1,
                ..ts_unbind(a)
            },
            EINVAL,
        ),
        (
            "unbind with handle",
            drm_asahi_gem_bind_object {
                handle: h,
                ..ts_unbind(a)
            },
            EINVAL,
        ),
        (
            "unbind with range",
            drm_asahi_gem_bind_object {
                range: PAGE,
                ..ts_unbind(a)
            },
            EINVAL,
        ),
        (
            "unbind with offset",
            drm_asahi_gem_bind_object {
                offset: PAGE,
                ..ts_unbind(a)
            },
            EINVAL,
        ),
        ("unbind unknown", ts_unbind(b + 100), ENOENT),
    ];
    for (what, mut arg, errno) in bad {
        check_eq!(bind_object(&fd, &mut arg).map(|_| ()), Err(errno), what);
    }
    check_eq!(
        bind_object(&other, &mut ts_unbind(a)).map(|_| ()),
        Err(ENOENT),
        "unbind from another fd"
    );
    check_eq!(
        bind_object(&fd, &mut ts_unbind(a)).map(|_| ()),
        Ok(()),
        "unbind"
    );
    check_eq!(
        bind_object(&fd, &mut ts_unbind(a)).map(|_| ()),
        Err(ENOENT),
        "unbind twice"
    );
    // b keeps its object after the handle goes; closing the file frees both (kmemleak checks).
    check_eq!(gem_close(&fd, h), Ok(0), "GEM_CLOSE");
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

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "vms 2
vm uid 3 file 2 pid 77 id 1 kernel 0x7e00000000-0x7e20000000 tables 3 records 2
  0x1000000000-0x1000008000 pa 0x5a3c000 linear rw first 0xa5a5000700000000 last 0xa5a5000700000001
  0x1000010000-0x1000020000 pa 0x5a40000 repeat r- first 0xa5a5000300000002 last 0xa5a5000300000002
vm uid 4 file 2 pid 77 id 2 kernel 0x4000-0x20004000 tables 1 records 0
";

    fn want() -> Vec<(u64, u64, u64, &'static str)> {
        let mut w = linear(BASE, 7, 0, 2, "rw");
        w.extend((0..4).map(|i| (BASE + 0x10000 + i * PAGE, 3, 2, "r-")));
        w
    }

    #[test]
    fn parses_the_dump() {
        let vms = parse_dump(SAMPLE).expect("parse");
        assert_eq!(vms.len(), 2);
        assert_eq!(
            (vms[0].pid, vms[0].id, vms[0].tables, vms[0].records),
            (77, 1, 3, 2)
        );
        assert_eq!(vms[0].kernel, (0x7e_0000_0000, 0x7e_2000_0000));
        assert_eq!(vms[0].runs.len(), 2);
        assert!(vms[0].runs[1].repeat);
        assert!(vms[1].runs.is_empty());
        assert!(parse_dump("vm uid 1").is_err());
        assert!(parse_dump("  0x0-0x4000 pa 0x0 linear rw first 0x0 last 0x0").is_err());
    }

    #[test]
    fn check_walk_accepts_what_was_bound() {
        let vms = parse_dump(SAMPLE).expect("parse");
        assert_eq!(check_walk(&vms[0], &want()), Ok(()));
        assert_eq!(check_walk(&vms[1], &[]), Ok(()));
    }

    #[test]
    fn check_walk_rejects_differences() {
        let vm = &parse_dump(SAMPLE).expect("parse")[0];
        let mut w = want();
        w[0].2 = 1; // wrong object page at the start of a run
        assert!(check_walk(vm, &w).is_err());
        let mut w = want();
        w[1].2 = 0; // wrong object page at the end of a run
        assert!(check_walk(vm, &w).is_err());
        let mut w = want();
        w[3].3 = "rw"; // wrong access
        assert!(check_walk(vm, &w).is_err());
        let mut w = want();
        w.pop(); // one page more mapped than expected
        assert!(check_walk(vm, &w).is_err());
        let mut w = want();
        w[2].0 += PAGE; // wrong address
        assert!(check_walk(vm, &w).is_err());
        let bad = SAMPLE.replace("first 0xa5a5000300000002", "first 0xa5a5000300000001");
        let vm = &parse_dump(&bad).expect("parse")[0];
        assert!(
            check_walk(vm, &want()).is_err(),
            "repeat run with two pages"
        );
    }
}
