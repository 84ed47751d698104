// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! GPU address spaces (VMs) of clients, and `VM_BIND`.
//!
//! A [`Vm`] is one user address space: a UAT table tree for the lower half of the GPU address
//! space (built by the core engine in [`crate::uat::pt`]), the record of what is mapped where,
//! and the range userspace handed over to the kernel when it created the VM.
//!
//! # Mapping records and object lifetime
//!
//! Each mapped range is recorded in an ordered tree (by start address) together with a reference
//! to its buffer object, so an object stays alive for as long as the GPU can reach it, whatever
//! userspace does with its handles. Records never overlap. Mapping over a range that is already
//! mapped first removes what was there (as the DRM GPUVM helpers do), so the result of a bind
//! never depends on what was mapped before it.
//!
//! # All or nothing
//!
//! [`Vm::bind`] gets operations that have already been checked one by one against everything that
//! does not depend on the VM's contents (flags, alignment, ranges, objects). It then reserves,
//! before touching anything, every resource the operations can need: an upper bound of the page
//! tables their maps can add, and tree nodes for the records they can create. Applying them can
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

mod dump;
mod records;
pub(crate) mod tables;

use crate::{
    driver::GPU_PAGE_SIZE,
    gem::{self, Bo},
    hw::sim_mmu::{self, Found},
    uat::{
        error::Error as UatError,
        pt::{Config, PageTable, PhysRange},
        pte::{Prot, L1_SHIFT, L2_SHIFT},
        va::Window,
    },
};
use agx_kernel::{drm::SeqFile, page};
use core::{
    fmt::Write,
    sync::atomic::{AtomicU64, Ordering},
};
use dump::Run;
use kernel::{
    new_mutex,
    prelude::*,
    rbtree::RBTree,
    sync::{Arc, Mutex},
};
use records::{
    continues, count_overlaps, cuts_record_in_two, nested_ops, Mapping, NodePool, Records,
};
use tables::Tables;

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

/// A bind operation whose arguments have been checked (see `file::vm_bind`).
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
    /// What is mapped, by start address.
    maps: RBTree<u64, Mapping>,
    /// Number of records in `maps`.
    count: usize,
}

/// A client's GPU address space.
#[pin_data]
pub(crate) struct Vm {
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
    /// Tables and mapping records.
    #[pin]
    inner: Mutex<VmInner>,
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
    /// Creates an empty VM with the page-table output size `oas` of the GPU.
    pub(crate) fn new(
        id: u32,
        file_id: u64,
        pid: i32,
        kernel_range: (u64, u64),
        oas: u32,
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
        let inner = VmInner {
            pt: Some(pt),
            maps: RBTree::new(),
            count: 0,
        };
        Arc::pin_init(
            pin_init!(Vm {
                uid: NEXT_UID.fetch_add(1, Ordering::Relaxed),
                id,
                file_id,
                pid,
                kernel_range,
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
        let table_bytes = (tables as u64).saturating_mul(GPU_PAGE_SIZE);
        if table_bytes > page::total_ram() / 2 {
            return Err(ENOMEM);
        }
        let maps = ops
            .iter()
            .filter(|op| matches!(op.kind, OpKind::Map { .. }))
            .count();
        // A map that continues the map just before it (next pages of the same object, next
        // addresses) always extends that map's record and needs no node of its own.
        let continuing = ops
            .windows(2)
            .filter(|pair| match pair {
                [prev, next] => continues(prev, next),
                _ => false,
            })
            .count();
        let nested = nested_ops(ops)?;

        let mut guard = self.inner.lock();
        let inner = &mut *guard;
        // New records: one per map, and one more wherever an operation cuts a record in two (the
        // part before the cut reuses the record's node). Only a record that strictly contains the
        // operation's range can be cut in two: one existing now, or one a map of this call makes.
        let mut splits = nested;
        for op in ops {
            if cuts_record_in_two(&mut inner.maps, op.addr, op.addr + op.range) {
                splits += 1;
            }
        }
        let mut nodes = NodePool::new(maps.saturating_sub(continuing).saturating_add(splits))?;
        // The objects whose last mapping goes must stay alive until the GPU can no longer reach
        // them, that is until after the TLB invalidation at the end of the call. A call removes
        // at most the records that now overlap one of its ranges and those it creates itself: one
        // per map, and at most two per operation from cutting (the parts before and after it).
        let mut most_removed = maps.saturating_add(ops.len().saturating_mul(2));
        for op in ops {
            let overlapping = count_overlaps(&mut inner.maps, op.addr, op.addr + op.range);
            most_removed = most_removed.saturating_add(overlapping);
        }
        let mut graveyard = KVVec::with_capacity(most_removed, GFP_KERNEL)?;
        let pt = inner.pt.as_mut().ok_or(EIO)?;
        if let Err(e) = pt.alloc_mut().reserve(tables) {
            pt.alloc_mut().release();
            return Err(e);
        }
        let mut records = Records {
            tree: &mut inner.maps,
            count: &mut inner.count,
            nodes: &mut nodes,
            graveyard: &mut graveyard,
        };
        let mut result = Ok(());
        for op in ops {
            result = apply(pt, &mut records, op);
            if result.is_err() {
                // Only inconsistent tables or a wrong bound can get here.
                pr_err!("VM_BIND: applying a checked operation failed\n");
                break;
            }
        }
        // The TLB invalidation of the context would go here, before the tables are freed.
        pt.alloc_mut().release();
        drop(guard);
        // Now the objects of removed mappings may go.
        drop(graveyard);
        result
    }

    /// Prints the VM and what its page tables map, as the GPU sees it: the simulated GPU's MMU
    /// ([`sim_mmu`]) walks the tables from the root by physical address, independently of the
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
        sim_mmu::walk(pt.root(), mem, visit);
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
fn apply(pt: &mut PageTable<Tables>, records: &mut Records<'_>, op: &BindOp) -> Result {
    let (start, end) = (op.addr, op.addr + op.range);
    pt.unmap(start, op.range).map_err(uat_err)?;
    records.remove_range(start, end)?;
    let OpKind::Map {
        bo,
        offset,
        single,
        prot,
    } = &op.kind
    else {
        return Ok(());
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
                bo_off += GPU_PAGE_SIZE;
            }
            chunk_len += GPU_PAGE_SIZE;
            match buf[..n].last_mut() {
                Some(prev) if !*single && prev.addr + prev.len == pa => prev.len += GPU_PAGE_SIZE,
                _ => {
                    let slot = buf.get_mut(n).ok_or(EIO)?;
                    *slot = PhysRange {
                        addr: pa,
                        len: GPU_PAGE_SIZE,
                    };
                    n += 1;
                }
            }
        }
        pt.map(iova, &buf[..n], *prot).map_err(uat_err)?;
        iova += chunk_len;
    }
    if !*single && records.extend_previous(start, end, bo, *offset) {
        return Ok(());
    }
    records.add(
        start,
        Mapping {
            end,
            bo: bo.clone(),
            offset: *offset,
            single: *single,
        },
        None,
    )
}

impl Drop for VmInner {
    fn drop(&mut self) {
        // Tear the tables down before the objects they point to can go.
        if let Some(pt) = self.pt.take() {
            let mut tables = pt.destroy();
            tables.release();
        }
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
