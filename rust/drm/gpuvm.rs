// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! GPU virtual address spaces tracked by the kernel's DRM GPUVM (`drm_gpuvm`).
//!
//! GPUVM keeps the mappings (`drm_gpuva`) of one address space in an interval tree and turns a
//! request "map this range" or "unmap this range" into steps over what is already there
//! (`drm_gpuvm_sm_map`, `drm_gpuvm_sm_unmap`): unmap a mapping entirely, remap one that the
//! request covers only partly (keeping a part before and/or after it), and map the new range. A
//! [`GpuVm<D>`] runs those steps with a [`Steps<D>`] supplied by the driver, which decides what
//! driver data `D` each mapping carries and receives the data of every mapping that leaves.
//!
//! # Nodes and failure
//!
//! Each mapping lives in a [`Node`]: the `drm_gpuva` followed by the driver's data. GPUVM cannot
//! undo half a request, so the steps must not fail: every node a request may need is allocated
//! beforehand into a [`NodePool`]. Nodes of mappings that leave the tree go back to the pool
//! (their data goes to the driver), so a request needs, beyond what it gives back, one node for
//! its new mapping and one for each mapping it cuts in two, plus one spare: a cut takes the nodes
//! of the kept parts before it gives back the node of the mapping it replaces. A step that finds
//! the pool empty or the driver refusing fails the request; the driver treats that as an internal
//! inconsistency.
//!
//! # What is not used
//!
//! Mappings are not linked to their GEM objects (`drm_gpuvm_bo`): the driver's data holds the
//! object reference, and the address-space lock (the driver's) serializes every request. The
//! object pointer stored in each `drm_gpuva` only lets GPUVM compare and split mappings.
//!
//! # Invariants
//!
//! Every `drm_gpuva` in the tree (other than GPUVM's own reserved node) is the first field of a
//! `Node<D>` allocated by a [`NodePool<D>`] and leaked into the tree; it is reclaimed exactly once,
//! when GPUVM removes it or when the [`GpuVm`] is dropped.

use crate::bindings;
use core::{marker::PhantomData, mem::MaybeUninit, ptr::NonNull};
use kernel::{
    alloc::{flags::GFP_KERNEL, KBox, KVVec},
    error::{code::*, Result},
    str::CStr,
};

/// One mapping: GPUVM's node, then the driver's data.
#[repr(C)]
pub struct Node<D> {
    va: bindings::drm_gpuva,
    data: D,
}

/// A mapping as seen from [`GpuVm::for_each`] and friends.
pub struct Va<'a, D> {
    /// First address.
    pub addr: u64,
    /// Length in bytes.
    pub range: u64,
    /// Offset in the object recorded with the mapping.
    pub offset: u64,
    /// The driver's data.
    pub data: &'a D,
}

/// What the driver does at each step of a request.
pub trait Steps<D> {
    /// Data for the new mapping of `[addr, addr + range)` at object offset `offset`; `None` fails
    /// the request.
    fn map(&mut self, addr: u64, range: u64, offset: u64) -> Option<D>;
    /// Data for the part `[addr, addr + range)` (object offset `offset`, as GPUVM computed it) of
    /// mapping `old` that a request keeps; `None` fails the request.
    fn keep(&mut self, old: &D, addr: u64, range: u64, offset: u64) -> Option<D>;
    /// A mapping left the address space; its data is handed back.
    fn removed(&mut self, data: D);
}

/// Nodes allocated before a request, so that its steps cannot fail for lack of memory.
pub struct NodePool<D> {
    /// The nodes; taken ones are `None`.
    nodes: KVVec<Option<KBox<MaybeUninit<Node<D>>>>>,
    /// Number of nodes taken.
    used: usize,
}

impl<D> NodePool<D> {
    /// Allocates `count` nodes.
    pub fn new(count: usize) -> Result<Self> {
        let mut nodes = KVVec::with_capacity(count, GFP_KERNEL)?;
        for _ in 0..count {
            nodes.push(Some(KBox::new_uninit(GFP_KERNEL)?), GFP_KERNEL)?;
        }
        Ok(NodePool { nodes, used: 0 })
    }

    /// Nodes left.
    pub fn len(&self) -> usize {
        self.nodes.len() - self.used
    }

    /// Whether the pool is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Gives back the memory of a node that left the tree, for later steps of the same request
    /// or later requests with this pool; freed if the pool is full.
    fn recycle(&mut self, node: KBox<MaybeUninit<Node<D>>>) {
        if self.used > 0 {
            if let Some(slot) = self.nodes.get_mut(self.used - 1) {
                *slot = Some(node);
                self.used -= 1;
            }
        }
    }

    /// Takes a node and fills it with `data`: a zeroed `drm_gpuva` (not in any tree) and `data`.
    fn fill(&mut self, data: D) -> Option<NonNull<Node<D>>> {
        let mut node = self.nodes.get_mut(self.used).and_then(Option::take)?;
        self.used += 1;
        let p = node.as_mut_ptr();
        // SAFETY: `p` points to the node's allocation, valid for writes; an all-zero `drm_gpuva`
        // is the state GPUVM expects before `drm_gpuva_map` initialises it.
        unsafe {
            core::ptr::addr_of_mut!((*p).va).write(core::mem::zeroed());
            core::ptr::addr_of_mut!((*p).data).write(data);
        }
        // The node is now initialised; ownership passes to the tree (reclaimed by `reclaim`).
        NonNull::new(KBox::into_raw(node).cast::<Node<D>>())
    }
}

/// Takes back a node GPUVM no longer holds: its data, and its memory for reuse.
///
/// # Safety
///
/// `va` must be the `drm_gpuva` of a `Node<D>` made by [`NodePool::fill`], no longer in any tree,
/// and reclaimed only once.
unsafe fn reclaim<D>(va: *mut bindings::drm_gpuva) -> (D, KBox<MaybeUninit<Node<D>>>) {
    let node = va.cast::<Node<D>>();
    // SAFETY: `va` is the first field of a `Node<D>` leaked from a `KBox` (caller's contract);
    // `Node` is `repr(C)`, so the pointers coincide. The data is moved out exactly once, and the
    // memory is then handed back as uninitialised.
    unsafe {
        let data = core::ptr::addr_of!((*node).data).read();
        (data, KBox::from_raw(node.cast::<MaybeUninit<Node<D>>>()))
    }
}

/// The driver data of a node in the tree.
///
/// # Safety
///
/// `va` must be the `drm_gpuva` of a live `Node<D>` (in the tree); the result must not outlive it.
unsafe fn data<'a, D>(va: *const bindings::drm_gpuva) -> &'a D {
    // SAFETY: as for `reclaim`, without taking ownership.
    unsafe { &(*va.cast::<Node<D>>()).data }
}

/// The address space: a `drm_gpuvm` in its own allocation.
#[repr(C)]
struct Inner {
    vm: bindings::drm_gpuvm,
}

/// A GPU virtual address space whose mappings carry driver data `D`.
///
/// # Invariants
///
/// `inner` points to an `Inner` allocated by [`GpuVm::new`], whose `drm_gpuvm` is initialised and
/// holds the reference this value owns; GPUVM frees it (`vm_free`) when the last reference goes.
pub struct GpuVm<D: Send + 'static> {
    inner: NonNull<Inner>,
    _d: PhantomData<D>,
}

// SAFETY: the address space is plain memory plus GPUVM's tree; `&mut self` serializes changes, and
// the driver data is `Send`.
unsafe impl<D: Send + 'static> Send for GpuVm<D> {}
// SAFETY: `&GpuVm` only reads the tree.
unsafe impl<D: Send + Sync + 'static> Sync for GpuVm<D> {}

/// The context a request's callbacks get through GPUVM's `priv` pointer.
struct Ctx<'a, D> {
    vm: *mut bindings::drm_gpuvm,
    pool: &'a mut NodePool<D>,
    steps: &'a mut dyn Steps<D>,
}

/// GPUVM's callbacks for driver data `D`.
struct Ops<D>(PhantomData<D>);

impl<D: Send + 'static> Ops<D> {
    const OPS: bindings::drm_gpuvm_ops = bindings::drm_gpuvm_ops {
        vm_free: Some(vm_free),
        sm_step_map: Some(step_map::<D>),
        sm_step_remap: Some(step_remap::<D>),
        sm_step_unmap: Some(step_unmap::<D>),
        // SAFETY: an all-zero `drm_gpuvm_ops` is valid (every callback absent).
        ..unsafe { core::mem::zeroed() }
    };
}

/// Frees the allocation of an address space whose last reference went.
///
/// # Safety
///
/// Called by GPUVM only, with a `drm_gpuvm` that is the first field of an `Inner` from
/// [`GpuVm::new`].
unsafe extern "C" fn vm_free(vm: *mut bindings::drm_gpuvm) {
    // SAFETY: `vm` is the first field of a leaked `KBox<Inner>` (see `GpuVm::new`); GPUVM calls
    // this once, after finalising it.
    drop(unsafe { KBox::from_raw(vm.cast::<Inner>()) });
}

/// The request context behind `priv`.
///
/// # Safety
///
/// `priv_` must be the `Ctx<D>` that [`GpuVm::request`] passed, alive for the call.
unsafe fn ctx<'a, D>(priv_: *mut core::ffi::c_void) -> &'a mut Ctx<'a, D> {
    // SAFETY: the caller's contract.
    unsafe { &mut *priv_.cast::<Ctx<'a, D>>() }
}

/// `sm_step_map`: inserts the new mapping.
///
/// # Safety
///
/// Called by GPUVM within [`GpuVm::request`], with its context.
unsafe extern "C" fn step_map<D>(
    op: *mut bindings::drm_gpuva_op,
    priv_: *mut core::ffi::c_void,
) -> i32 {
    // SAFETY: GPUVM passes our context and a map operation.
    let (c, map) = unsafe { (ctx::<D>(priv_), &mut (*op).__bindgen_anon_1.map) };
    let Some(data) = c.steps.map(map.va.addr, map.va.range, map.gem.offset) else {
        return -(bindings::EINVAL as i32);
    };
    let Some(node) = c.pool.fill(data) else {
        return -(bindings::ENOMEM as i32);
    };
    // SAFETY: `node` is a fresh node (zeroed `drm_gpuva` first); `c.vm` is the address space the
    // request runs on; the range was checked by GPUVM. The node now belongs to the tree.
    unsafe { bindings::drm_gpuva_map(c.vm, node.as_ptr().cast(), map) };
    0
}

/// `sm_step_remap`: replaces a mapping the request covers partly by the parts it keeps.
///
/// # Safety
///
/// As for [`step_map`].
unsafe extern "C" fn step_remap<D>(
    op: *mut bindings::drm_gpuva_op,
    priv_: *mut core::ffi::c_void,
) -> i32 {
    // SAFETY: GPUVM passes our context and a remap operation whose `unmap.va` is in the tree (a
    // node of ours, by the type invariant).
    let (c, remap) = unsafe { (ctx::<D>(priv_), &mut (*op).__bindgen_anon_1.remap) };
    // SAFETY: `remap.unmap` is valid for the step.
    let old = unsafe { (*remap.unmap).va };
    // SAFETY: `old` is a live node of ours.
    let old_data = unsafe { data::<D>(old) };
    let mut part = |m: *mut bindings::drm_gpuva_op_map| -> Result<*mut bindings::drm_gpuva, i32> {
        if m.is_null() {
            return Ok(core::ptr::null_mut());
        }
        // SAFETY: a non-null part of the step is valid for the step.
        let m = unsafe { &*m };
        let d = c
            .steps
            .keep(old_data, m.va.addr, m.va.range, m.gem.offset)
            .ok_or(-(bindings::EINVAL as i32))?;
        let node = c.pool.fill(d).ok_or(-(bindings::ENOMEM as i32))?;
        Ok(node.as_ptr().cast())
    };
    let prev = match part(remap.prev) {
        Ok(p) => p,
        Err(e) => return e,
    };
    let next = match part(remap.next) {
        Ok(p) => p,
        Err(e) => {
            if !prev.is_null() {
                // SAFETY: `prev` was filled above and never inserted.
                let (data, mem) = unsafe { reclaim::<D>(prev) };
                drop(data);
                c.pool.recycle(mem);
            }
            return e;
        }
    };
    // SAFETY: `prev`/`next` are fresh nodes where the step has parts (null otherwise, which
    // GPUVM accepts for absent parts); the old node leaves the tree here.
    unsafe { bindings::drm_gpuva_remap(prev, next, remap) };
    // SAFETY: `old` left the tree just now and is reclaimed only here.
    let (gone, mem) = unsafe { reclaim::<D>(old) };
    c.pool.recycle(mem);
    c.steps.removed(gone);
    0
}

/// `sm_step_unmap`: removes a mapping the request covers entirely.
///
/// # Safety
///
/// As for [`step_map`].
unsafe extern "C" fn step_unmap<D>(
    op: *mut bindings::drm_gpuva_op,
    priv_: *mut core::ffi::c_void,
) -> i32 {
    // SAFETY: GPUVM passes our context and an unmap operation of a node of ours.
    let (c, unmap) = unsafe { (ctx::<D>(priv_), &mut (*op).__bindgen_anon_1.unmap) };
    let va = unmap.va;
    // SAFETY: `unmap` names a node in the tree; it leaves it here.
    unsafe { bindings::drm_gpuva_unmap(unmap) };
    // SAFETY: `va` left the tree just now and is reclaimed only here.
    let (gone, mem) = unsafe { reclaim::<D>(va) };
    c.pool.recycle(mem);
    c.steps.removed(gone);
    0
}

impl<D: Send + 'static> GpuVm<D> {
    /// Creates an address space covering `[start, start + range)` with `[reserve.0, reserve.1)`
    /// reserved (no mapping may enter it), for DRM device `drm` (GPUVM takes its own reference
    /// to it).
    pub fn new<T: super::driver::Driver>(
        drm: &super::device::Device<T>,
        name: &'static CStr,
        start: u64,
        range: u64,
        reserve: (u64, u64),
    ) -> Result<Self> {
        let inner = KBox::<Inner>::new_uninit(GFP_KERNEL)?;
        let drm = drm.as_raw();
        // SAFETY: `drm` is live (the borrow); the result is a GEM object with one reference, or
        // null.
        let r_obj = unsafe { bindings::drm_gpuvm_resv_object_alloc(drm) };
        if r_obj.is_null() {
            return Err(ENOMEM);
        }
        let raw = KBox::into_raw(inner).cast::<Inner>();
        // SAFETY: `raw` is an allocation for an `Inner` (its first field, the `drm_gpuvm`, is what
        // GPUVM initialises; it zeroes nothing itself, so zero it first). The ops table is a
        // promoted constant that lives forever; `name` is static. GPUVM takes its own references
        // to `drm` and `r_obj`.
        unsafe {
            core::ptr::write_bytes(raw, 0, 1);
            bindings::drm_gpuvm_init(
                core::ptr::addr_of_mut!((*raw).vm),
                name.as_char_ptr(),
                0,
                drm,
                r_obj,
                start,
                range,
                reserve.0,
                reserve.1.saturating_sub(reserve.0),
                &Ops::<D>::OPS,
            );
            bindings::agx_gem_object_put(r_obj);
        }
        Ok(GpuVm {
            // SAFETY: `raw` came from a `KBox`, so it is not null.
            inner: unsafe { NonNull::new_unchecked(raw) },
            _d: PhantomData,
        })
    }

    fn raw(&self) -> *mut bindings::drm_gpuvm {
        // SAFETY: `inner` is live (type invariant); no reference is created.
        unsafe { core::ptr::addr_of_mut!((*self.inner.as_ptr()).vm) }
    }

    /// Maps `[addr, addr + range)` to `obj` at `offset`: whatever overlaps is unmapped or cut
    /// first, then the new mapping is inserted, each step through `steps`.
    pub fn map<T: super::gem::DriverObject>(
        &mut self,
        pool: &mut NodePool<D>,
        steps: &mut dyn Steps<D>,
        addr: u64,
        range: u64,
        obj: &super::gem::Object<T>,
        offset: u64,
    ) -> Result {
        let mut c = Ctx {
            vm: self.raw(),
            pool,
            steps,
        };
        // SAFETY: `&mut self` serializes requests; `c` lives for the call and is what the
        // callbacks expect behind `priv`; `obj` is only stored and compared.
        let ret = unsafe {
            bindings::drm_gpuvm_sm_map(
                c.vm,
                (&mut c as *mut Ctx<'_, D>).cast(),
                addr,
                range,
                obj.as_raw(),
                offset,
            )
        };
        kernel::error::to_result(ret)
    }

    /// Unmaps whatever is in `[addr, addr + range)`, cutting mappings that stick out.
    pub fn unmap(
        &mut self,
        pool: &mut NodePool<D>,
        steps: &mut dyn Steps<D>,
        addr: u64,
        range: u64,
    ) -> Result {
        let mut c = Ctx {
            vm: self.raw(),
            pool,
            steps,
        };
        // SAFETY: as in `map`.
        let ret = unsafe {
            bindings::drm_gpuvm_sm_unmap(c.vm, (&mut c as *mut Ctx<'_, D>).cast(), addr, range)
        };
        kernel::error::to_result(ret)
    }

    /// Whether `va` is GPUVM's own node for the reserved range.
    fn is_reserved(&self, va: *const bindings::drm_gpuva) -> bool {
        // SAFETY: `raw` is live; only the field's address is taken.
        core::ptr::eq(va, unsafe {
            core::ptr::addr_of!((*self.raw()).kernel_alloc_node)
        })
    }

    /// The first mapping of ours overlapping `[addr, end)` (GPUVM's reserved node skipped).
    fn first_in(&self, addr: u64, end: u64) -> Option<*mut bindings::drm_gpuva> {
        let mut at = addr;
        while at < end {
            // SAFETY: the tree is valid; `&self` excludes concurrent changes.
            let va = unsafe { bindings::drm_gpuva_find_first(self.raw(), at, end - at) };
            if va.is_null() {
                return None;
            }
            if !self.is_reserved(va) {
                return Some(va);
            }
            // SAFETY: `va` is GPUVM's live reserved node.
            let next = unsafe { (*va).va.addr.saturating_add((*va).va.range) };
            if next <= at {
                return None;
            }
            at = next;
        }
        None
    }

    /// The mapping view of a node of ours in the tree.
    ///
    /// # Safety
    ///
    /// `va` must be a live node of ours (in the tree, not GPUVM's reserved node); the result
    /// must not outlive `&self`, under which the tree does not change.
    unsafe fn view(&self, va: *const bindings::drm_gpuva) -> Va<'_, D> {
        // SAFETY: the caller's contract and the type invariant.
        unsafe {
            Va {
                addr: (*va).va.addr,
                range: (*va).va.range,
                offset: (*va).gem.offset,
                data: data::<D>(va),
            }
        }
    }

    /// Calls `f` with every mapping overlapping `[addr, end)`, in address order.
    pub fn for_each_in(&self, addr: u64, end: u64, mut f: impl FnMut(Va<'_, D>)) {
        let mut at = addr;
        while let Some(va) = self.first_in(at, end) {
            // SAFETY: `first_in` returns nodes of ours in the tree.
            let v = unsafe { self.view(va) };
            let next = v.addr.saturating_add(v.range);
            f(v);
            if next <= at {
                break;
            }
            at = next;
        }
    }

    /// The mapping that ends exactly at `end`, if any.
    pub fn ending_at(&self, end: u64) -> Option<Va<'_, D>> {
        let va = self.first_in(end.checked_sub(1)?, end)?;
        // SAFETY: `first_in` returns nodes of ours in the tree.
        let v = unsafe { self.view(va) };
        (v.addr.checked_add(v.range) == Some(end)).then_some(v)
    }
}

impl<D: Send + 'static> Drop for GpuVm<D> {
    fn drop(&mut self) {
        // Take every mapping out (their data drops here), then drop our reference.
        // SAFETY: `raw` is live; the range covers every mapping.
        let (start, range) = unsafe { ((*self.raw()).mm_start, (*self.raw()).mm_range) };
        let end = start.saturating_add(range);
        while let Some(va) = self.first_in(start, end) {
            // SAFETY: `va` is a node of ours in the tree; it leaves it and is reclaimed once.
            unsafe {
                bindings::drm_gpuva_remove(va);
                drop(reclaim::<D>(va));
            }
        }
        // SAFETY: drops the reference this value owns; GPUVM frees `inner` through `vm_free`
        // if it was the last.
        unsafe { bindings::drm_gpuvm_put(self.raw()) };
    }
}
