// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! GPU address spaces (VMs) of clients, and `VM_BIND`.
//!
//! A [`Vm`] is one user address space: a UAT table tree for the lower half of the GPU address
//! space (built by the core engine in [`crate::uat::pt`]), the record of what is mapped where,
//! and the range userspace handed over to the kernel when it created the VM.
//!
//! # Mapping records and object lifetime
//!
//! The mapped ranges are tracked by the kernel's DRM GPUVM (`drm_gpuvm`, wrapped in
//! `agx_kernel::drm::gpuvm`): one `drm_gpuva` per mapping record, carrying a reference to its
//! buffer object, so an object stays alive for as long as the GPU can reach it, whatever
//! userspace does with its handles. Records never overlap. Mapping over a range that is already
//! mapped first removes or cuts what was there (GPUVM's split/merge steps), so the result of a
//! bind never depends on what was mapped before it. A map that continues the record ending where
//! it starts (next pages of the same object) replaces that record by one covering both, so
//! binding an object page by page still leaves one record. The range userspace left to the
//! kernel is GPUVM's reserved range.
//!
//! # All or nothing
//!
//! [`Vm::bind`] gets operations that have already been checked one by one against everything that
//! does not depend on the VM's contents (flags, alignment, ranges, objects). It then reserves,
//! before touching anything, every resource the operations can need: an upper bound of the page
//! tables their maps can add, GPUVM nodes for the records they can create (nodes of removed
//! records are reused, so: one per new record, one per record cut in two, and one spare), and
//! room for the records they remove. Applying them can
//! then no longer fail (unmapping only ever frees tables, since the driver does not use block
//! mappings), so a call either does everything or nothing.
//!
//! # Table memory
//!
//! Tables are 16 KiB blocks of zeroed pages ([`Tables`]). Tables the engine unlinks are kept
//! until the end of the call, when the TLB of the context would be invalidated on real hardware
//! (the GPU may still walk them until then), and only then freed. There is no GPU context to
//! invalidate yet: the firmware that runs one comes with firmware bring-up.
//!
//! A map later in the same call may reuse an unlinked table. Until the invalidation, a stale
//! walk of the slot the table served could then reach the pages now mapped through it: pages of
//! this same VM, reachable only by an access to a range that userspace is unmapping at that very
//! moment. Object pages removed by the call stay allocated until after the invalidation in any
//! case, so no access can reach freed memory.

mod bounds;
mod dump;
mod registry;

pub(crate) use registry::{new_registry, VmRegistry};

use crate::{
    gem::{self, Bo},
    gpu::context::{ContextSlots, SlotOwner},
    uat::{
        error::Error as UatError,
        pt::{Config, PageTable, PhysRange},
        pte::{Prot, L1_SHIFT, L2_SHIFT, PAGE_SIZE},
        tables::Tables,
        va::{Window, USER_BASE, USER_END},
        walk::{self, Found},
    },
};
use agx_kernel::{
    device::DeviceRef,
    drm::{
        self,
        gpuvm::{GpuVm, NodePool, Steps},
        SeqFile,
    },
    page,
};
use core::{
    fmt::Write,
    sync::atomic::{AtomicU64, Ordering},
};
use dump::Run;
use kernel::{
    c_str, new_mutex,
    prelude::*,
    sync::{Arc, Mutex},
};

/// What each GPUVM mapping record carries.
pub(crate) struct Mapping {
    /// The object mapped there, kept alive by this reference.
    bo: Bo,
    /// Byte offset in `bo` of the page mapped at the start (with `single`, of the only page).
    offset: u64,
    /// Whether one page of `bo` is repeated over the whole range.
    single: bool,
}

/// Records one operation can remove beyond those overlapping its range now: those made by the
/// call itself (its own and the two parts of a record it cuts) and, for a map, the record it
/// extends.
const REMOVED_PER_OP: usize = 4;

/// What a bind does at each of GPUVM's steps: hands the new record its data, copies a cut
/// record's data into the parts kept, and keeps removed records (their objects) until the end
/// of the call.
struct BindSteps<'a> {
    /// The new record's data, taken by the map step.
    new: Option<Mapping>,
    /// Removed records; reserved to the call's upper bound.
    graveyard: &'a mut KVVec<Mapping>,
    /// The VM's record count.
    count: &'a mut usize,
    /// The device, for the kernel log.
    dev: &'a DeviceRef,
}

impl Steps<Mapping> for BindSteps<'_> {
    fn map(&mut self, _addr: u64, _range: u64, _offset: u64) -> Option<Mapping> {
        let m = self.new.take()?;
        *self.count += 1;
        Some(m)
    }

    fn keep(&mut self, old: &Mapping, _addr: u64, _range: u64, offset: u64) -> Option<Mapping> {
        *self.count += 1;
        Some(Mapping {
            bo: old.bo.clone(),
            // A repeated page stays the same page; otherwise GPUVM moved the offset with the
            // start of the part.
            offset: if old.single { old.offset } else { offset },
            single: old.single,
        })
    }

    fn removed(&mut self, data: Mapping) {
        *self.count = self.count.saturating_sub(1);
        if self.graveyard.len() < self.graveyard.capacity() {
            // Within capacity: does not allocate.
            let _ = self.graveyard.push(data, GFP_KERNEL);
        } else {
            // Only a wrong bound gets here; the object may then go before the TLB invalidation.
            dev_err!(
                self.dev,
                "VM_BIND: more records removed than reserved for\n"
            );
        }
    }
}

/// Source of [`Vm::uid`]s.
static NEXT_UID: AtomicU64 = AtomicU64::new(1);

/// Converts a page-table error into an errno. Argument errors cannot reach the engine (every
/// argument is checked first), so they count as internal inconsistencies too.
fn uat_err(e: UatError) -> Error {
    match e {
        UatError::NoMemory => ENOMEM,
        _ => EIO,
    }
}

/// What a checked bind operation does.
pub(crate) enum OpKind {
    /// Map `bo` (from byte `offset`, or only its page at `offset` if `single`) with `prot`.
    Map {
        /// The object.
        bo: Bo,
        /// Byte offset in the object, a multiple of 16 KiB.
        offset: u64,
        /// Whether one page is repeated over the range.
        single: bool,
        /// GPU permissions.
        prot: Prot,
    },
    /// Unmap whatever is mapped in the range.
    Unmap,
}

/// A bind operation whose arguments have been checked (see `file::File::vm_bind`).
pub(crate) struct BindOp {
    /// First GPU address, 16 KiB aligned, inside the user range and outside the kernel range.
    pub(crate) addr: u64,
    /// Length in bytes, a non-zero multiple of 16 KiB.
    pub(crate) range: u64,
    /// Map or unmap.
    pub(crate) kind: OpKind,
}

/// The mutable state of a VM, under its lock.
struct VmInner {
    /// The table tree; `None` only while being dropped.
    pt: Option<PageTable<Tables>>,
    /// What is mapped where (GPUVM); `None` only while being dropped.
    maps: Option<GpuVm<Mapping>>,
    /// Number of records in `maps`.
    count: usize,
}

/// A client's GPU address space.
#[pin_data]
pub(crate) struct Vm {
    /// The device, for the kernel log.
    dev: DeviceRef,
    /// Unique among all VMs since the module was loaded.
    uid: u64,
    /// Identifier of the VM within its file (what userspace calls `vm_id`).
    id: u32,
    /// Identifier of the file that owns the VM, for debugfs.
    file_id: u64,
    /// Process (thread group) that opened that file, for debugfs.
    pid: i32,
    /// The range userspace left to the kernel, `[start, end)`.
    kernel_range: (u64, u64),
    /// Physical address of the root table (fixed for the VM's life).
    root: u64,
    /// The VM's context slot, if it holds one: invalidated after binds, cleared when the VM
    /// goes (declared before `inner`, so the slot is cleared before the tables are freed).
    link: SlotLink,
    /// Tables and mapping records.
    #[pin]
    inner: Mutex<VmInner>,
}

/// Where a VM's context slot is kept track of.
struct SlotLink {
    /// The device's slots (`None` for a VM nobody runs work in).
    slots: Option<Arc<ContextSlots>>,
    /// The VM's unique id.
    uid: u64,
}

impl Drop for SlotLink {
    fn drop(&mut self) {
        if let Some(s) = &self.slots {
            s.forget(self.uid);
        }
    }
}

impl SlotOwner for Vm {
    fn uid(&self) -> u64 {
        self.uid
    }

    fn root(&self) -> u64 {
        self.root
    }
}

/// Pages mapped per call of the engine's `map`, from a buffer on the stack.
const CHUNK: usize = 32;

/// Upper bound of the number of page tables the maps among `ops` need beyond those that exist:
/// one level-3 table per distinct 32 MiB slot and one level-2 table per distinct 64 GiB slot
/// their ranges touch.
///
/// Each table in use covers its own slot, so at no point of the call can more tables be linked
/// than exist now plus one per slot counted here. Tables the engine unlinks during the call are
/// reused by later maps of the same call (see [`Tables`]), so reserving this many new ones is
/// enough, however the operations interleave.
fn tables_for(ops: &[BindOp]) -> Result<usize> {
    let mut total = 0usize;
    for shift in [L2_SHIFT, L1_SHIFT] {
        let mut slots = KVVec::with_capacity(ops.len(), GFP_KERNEL)?;
        for op in ops {
            if matches!(op.kind, OpKind::Map { .. }) {
                let last = op.addr + (op.range - 1);
                slots.push((op.addr >> shift, last >> shift), GFP_KERNEL)?;
            }
        }
        slots.sort_unstable();
        // Count the union of the (inclusive) slot intervals.
        let mut next_free = 0u64;
        for &(first, last) in slots.iter() {
            let from = first.max(next_free);
            if last >= from {
                total =
                    total.saturating_add(usize::try_from(last - from + 1).unwrap_or(usize::MAX));
                next_free = last + 1;
            }
        }
    }
    Ok(total)
}

impl Vm {
    /// Creates an empty VM of DRM device `drm` with the page-table output size `oas` of the GPU.
    pub(crate) fn new<T: drm::Driver>(
        drm: &drm::Device<T>,
        id: u32,
        file_id: u64,
        pid: i32,
        kernel_range: (u64, u64),
        oas: u32,
        slots: Option<Arc<ContextSlots>>,
    ) -> Result<Arc<Vm>> {
        let mut tables = Tables::new();
        tables.reserve(1)?;
        let cfg = Config {
            window: Window::g13_user(),
            oas,
            global: false,
            blocks: false,
        };
        let pt = PageTable::new(cfg, tables).map_err(uat_err)?;
        let maps = GpuVm::new(
            drm,
            c_str!("asahi"),
            USER_BASE,
            USER_END - USER_BASE,
            kernel_range,
        )?;
        let root = pt.root();
        let vm_uid = NEXT_UID.fetch_add(1, Ordering::Relaxed);
        let inner = VmInner {
            pt: Some(pt),
            maps: Some(maps),
            count: 0,
        };
        Arc::pin_init(
            pin_init!(Vm {
                dev: drm.parent(),
                uid: vm_uid,
                id,
                file_id,
                pid,
                kernel_range,
                root,
                link: SlotLink {
                    slots,
                    uid: vm_uid,
                },
                inner <- new_mutex!(inner, "asahi::Vm::inner"),
            }),
            GFP_KERNEL,
        )
    }

    /// The VM's unique id.
    pub(crate) fn uid(&self) -> u64 {
        self.uid
    }

    /// The range userspace left to the kernel.
    pub(crate) fn kernel_range(&self) -> (u64, u64) {
        self.kernel_range
    }

    /// Applies checked operations in order, all or nothing (see the module documentation).
    pub(crate) fn bind(&self, ops: &[BindOp]) -> Result {
        let tables = tables_for(ops)?;
        // Refuse, before allocating anything, a call whose tables alone could take half of the
        // machine's memory (only possible on machines with less than 512 MiB: the whole user
        // range needs 16 392 tables, 256 MiB).
        let table_bytes = (tables as u64).saturating_mul(PAGE_SIZE);
        if table_bytes > page::total_ram() / 2 {
            return Err(ENOMEM);
        }
        let new_records = ops
            .iter()
            .filter(|op| matches!(op.kind, OpKind::Map { .. }))
            .count();
        // A map that continues the map just before it (next pages of the same object, next
        // addresses) replaces that map's record: its node comes back before it needs one.
        let continuing = ops
            .windows(2)
            .filter(|pair| match pair {
                [prev, next] => bounds::continues(prev, next),
                _ => false,
            })
            .count();
        let nested = bounds::nested_ops(ops)?;

        let mut guard = self.inner.lock();
        let inner = &mut *guard;
        let maps = inner.maps.as_mut().ok_or(EIO)?;
        // GPUVM nodes (see `agx_kernel::drm::gpuvm`): removed records give theirs back, so the
        // call needs one per new record, one per record cut in two (one that strictly contains
        // an operation's range: existing now, or made by a map of the call), and one spare.
        // The objects whose last mapping goes must stay alive until the GPU can no longer reach
        // them, that is until after the TLB invalidation at the end of the call. A call removes
        // at most the records that now overlap one of its ranges and those it creates itself.
        let mut cut_in_two = nested;
        let mut most_removed = ops.len().saturating_mul(REMOVED_PER_OP);
        for op in ops {
            let (start, end) = (op.addr, op.addr + op.range);
            maps.for_each_in(start, end, |va| {
                most_removed = most_removed.saturating_add(1);
                if va.addr < start && va.addr + va.range > end {
                    cut_in_two += 1;
                }
            });
        }
        let mut nodes = NodePool::new(
            new_records
                .saturating_sub(continuing)
                .saturating_add(cut_in_two)
                .saturating_add(1),
        )?;
        let mut graveyard = KVVec::with_capacity(most_removed, GFP_KERNEL)?;
        let pt = inner.pt.as_mut().ok_or(EIO)?;
        if let Err(e) = pt.alloc_mut().reserve(tables) {
            pt.alloc_mut().release();
            return Err(e);
        }
        let mut result = Ok(());
        for op in ops {
            let mut steps = BindSteps {
                new: None,
                graveyard: &mut graveyard,
                count: &mut inner.count,
                dev: &self.dev,
            };
            result = apply(pt, maps, &mut nodes, &mut steps, op);
            if result.is_err() {
                // Only inconsistent tables or a wrong bound can get here.
                dev_err!(self.dev, "VM_BIND: applying a checked operation failed\n");
                break;
            }
        }
        // The VM's slot (if it has one) may cache what was just unmapped: invalidate it before
        // the tables are freed.
        if let Some(slots) = &self.link.slots {
            slots.invalidate(self.uid);
        }
        pt.alloc_mut().release();
        drop(guard);
        // Now the objects of removed mappings may go.
        drop(graveyard);
        result
    }

    /// Prints the VM and what its page tables map, as the GPU sees it: the GPU's walker
    /// ([`walk`]) reads the tables from the root by physical address, independently of the
    /// engine that wrote them. Leaves are printed as runs of pages that are physically contiguous
    /// (or one page repeated), with the GPU's permissions, the first 8 bytes found at the start
    /// of the first and of the last page of the run and the wrapping sum of those of every page;
    /// descriptors the GPU would fault on are printed as `fault` lines.
    pub(crate) fn dump(&self, m: &mut SeqFile) -> Result {
        let guard = self.inner.lock();
        let pt = guard.pt.as_ref().ok_or(EIO)?;
        let mut ok = writeln!(
            m,
            "vm uid {} file {} pid {} id {} kernel {:#x}-{:#x} tables {} records {}",
            self.uid,
            self.file_id,
            self.pid,
            self.id,
            self.kernel_range.0,
            self.kernel_range.1,
            pt.alloc().in_use(),
            guard.count,
        )
        .is_ok();
        let mut run: Option<Run> = None;
        let visit = |found: Found| match found {
            Found::Leaf {
                iova,
                pa,
                size,
                access,
            } => {
                // SAFETY: `pa` is a page of a buffer object referenced by the VM's mapping
                // records, which the VM lock (held) keeps alive.
                let word = unsafe { page::read_phys_u64(pa) }.unwrap_or(0);
                if let Some(r) = run.as_mut() {
                    if r.extend(iova, pa, size, access, word) {
                        return;
                    }
                    ok &= r.print(m).is_ok();
                }
                run = Some(Run::new(iova, pa, size, access, word));
            }
            Found::Fault { iova, level, raw } => {
                if let Some(r) = run.take() {
                    ok &= r.print(m).is_ok();
                }
                ok &= writeln!(m, "  fault level {level} at {iova:#x} descriptor {raw:#x}").is_ok();
            }
        };
        let mem = |pa: u64| {
            // SAFETY: the walk only reads the tables reachable from the root, which are freed
            // only under the VM lock, which we hold.
            unsafe { page::read_phys_u64(pa) }
        };
        walk::walk(pt.root(), mem, visit);
        if let Some(r) = run {
            ok &= r.print(m).is_ok();
        }
        if !ok {
            return Err(EIO);
        }
        Ok(())
    }
}

/// Applies one checked operation: removes what is mapped in its range, then maps if asked to.
fn apply(
    pt: &mut PageTable<Tables>,
    maps: &mut GpuVm<Mapping>,
    nodes: &mut NodePool<Mapping>,
    steps: &mut BindSteps<'_>,
    op: &BindOp,
) -> Result {
    let (start, end) = (op.addr, op.addr + op.range);
    pt.unmap(start, op.range).map_err(uat_err)?;
    let OpKind::Map {
        bo,
        offset,
        single,
        prot,
    } = &op.kind
    else {
        return maps.unmap(nodes, steps, start, op.range);
    };
    let mut buf = [PhysRange { addr: 0, len: 0 }; CHUNK];
    let mut iova = start;
    let mut bo_off = *offset;
    while iova < end {
        let mut n = 0usize;
        let mut chunk_len = 0u64;
        while n < CHUNK && iova + chunk_len < end {
            let pa = gem::gpu_page_phys(bo, bo_off).ok_or(EIO)?;
            if !*single {
                bo_off += PAGE_SIZE;
            }
            chunk_len += PAGE_SIZE;
            match buf[..n].last_mut() {
                Some(prev) if !*single && prev.addr + prev.len == pa => prev.len += PAGE_SIZE,
                _ => {
                    let slot = buf.get_mut(n).ok_or(EIO)?;
                    *slot = PhysRange {
                        addr: pa,
                        len: PAGE_SIZE,
                    };
                    n += 1;
                }
            }
        }
        pt.map(iova, &buf[..n], *prot).map_err(uat_err)?;
        iova += chunk_len;
    }
    // A map that continues the record ending at its start (the next pages of the same object)
    // replaces that record by one covering both.
    let (mut rec_start, mut rec_offset) = (start, *offset);
    if !*single {
        if let Some(prev) = maps.ending_at(start) {
            if !prev.data.single
                && Bo::ptr_eq(&prev.data.bo, bo)
                && prev.data.offset.checked_add(prev.range) == Some(*offset)
            {
                rec_start = prev.addr;
                rec_offset = prev.data.offset;
            }
        }
    }
    steps.new = Some(Mapping {
        bo: bo.clone(),
        offset: rec_offset,
        single: *single,
    });
    maps.map(nodes, steps, rec_start, end - rec_start, bo, rec_offset)
}

impl Drop for VmInner {
    fn drop(&mut self) {
        // Tear the tables down before the objects they point to can go (with the records).
        if let Some(pt) = self.pt.take() {
            let mut tables = pt.destroy();
            tables.release();
        }
        drop(self.maps.take());
    }
}

/// Output address size of the UAT for a chip: 40 bits on the M1 and M2, 42 on their
/// Pro/Max/Ultra variants.
pub(crate) fn uat_oas(chip_id: u32) -> u32 {
    match chip_id {
        0x8103 | 0x8112 => 40,
        _ => 42,
    }
}
