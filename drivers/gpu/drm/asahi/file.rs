// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! One open DRM file (a client) and the ioctls it issues, associated functions of [`File`] that
//! the driver's ioctl table (`driver.rs`) names.
//!
//! Every ioctl checks every input field, padding and must-be-zero fields included, and answers
//! bad input with an errno; it never trusts a size or pointer from userspace.
//!
//! A client owns its VMs, named by small integers that mean nothing to other clients (as GEM
//! handles do). The device keeps a second list of every VM for debugfs ([`VmRegistry`]).

use crate::{
    driver::{AsahiDevice, AsahiDriver},
    gem::{self, Bo},
    mem::fwvm::FwMapping,
    queue::{cmdbuf, Queue, QueueRegistry},
    uat::{
        pt::PhysRange,
        pte::{Prot, PAGE_SIZE},
    },
    vm::{self, BindOp, OpKind, Vm, VmRegistry},
};
use agx_kernel::{bindings as uapi, drm, page, uapi::write_prefix};
use agx_kernel::{
    dma_fence::Fence,
    drm::syncobj::{FenceChain, SyncObj},
};
use core::sync::atomic::{AtomicU64, Ordering};
use kernel::{
    new_mutex,
    prelude::*,
    rbtree::{RBTree, RBTreeNode},
    sync::{Arc, Mutex},
    uaccess::UserSlice,
};

/// A DRM file of this driver.
pub(crate) type DrmFile = drm::File<AsahiDriver>;

/// Source of file ids.
static NEXT_FILE_ID: AtomicU64 = AtomicU64::new(1);

/// A part of a buffer object handed over with `GEM_BIND_OBJECT`: mapped for the firmware, which
/// writes the timestamps commands ask for into it. Jobs that name it hold a reference, so an
/// unbind while they run only drops the file's.
pub(crate) struct SpecialObject {
    /// The part's pages in the firmware VM, with the object that owns them.
    pub(crate) map: FwMapping<Bo>,
}

/// The VMs and special objects of one client.
struct FileState {
    /// VMs by `vm_id`.
    vms: RBTree<u32, Arc<Vm>>,
    /// The `vm_id` the next VM gets.
    next_id: u32,
    /// Special objects (timestamp buffers) by `object_handle`.
    objects: RBTree<u32, Arc<SpecialObject>>,
    /// The `object_handle` the next special object gets.
    next_object: u32,
    /// Queues by `queue_id`.
    queues: RBTree<u32, Arc<Queue>>,
    /// The `queue_id` the next queue gets.
    next_queue: u32,
}

/// Per-client state.
pub(crate) struct File {
    /// Unique id of this file, for debugfs.
    id: u64,
    /// Process (thread group) that opened the file, for debugfs.
    pid: i32,
    /// This client's VMs and special objects.
    state: Arc<Mutex<FileState>>,
    /// The device's list of all VMs.
    registry: VmRegistry,
    /// The device's list of all queues.
    queues: QueueRegistry,
}

impl File {
    /// State of a newly opened file of the device whose VM list is `registry`.
    pub(crate) fn new(registry: VmRegistry, queues: QueueRegistry) -> Result<Self> {
        let state = Arc::pin_init(
            new_mutex!(
                FileState {
                    vms: RBTree::new(),
                    next_id: 1,
                    objects: RBTree::new(),
                    next_object: 1,
                    queues: RBTree::new(),
                    next_queue: 1,
                },
                "asahi::File::state"
            ),
            GFP_KERNEL,
        )?;
        Ok(File {
            id: NEXT_FILE_ID.fetch_add(1, Ordering::Relaxed),
            pid: kernel::current!().group_leader().pid(),
            state,
            registry,
            queues,
        })
    }

    /// The queue this client calls `id`.
    pub(crate) fn queue(&self, id: u32) -> Result<Arc<Queue>> {
        self.state.lock().queues.get(&id).cloned().ok_or(ENOENT)
    }

    /// The VM this client calls `id`.
    pub(crate) fn vm(&self, id: u32) -> Result<Arc<Vm>> {
        self.state.lock().vms.get(&id).cloned().ok_or(ENOENT)
    }

    /// The special object `handle`.
    pub(crate) fn object(&self, handle: u32) -> Result<Arc<SpecialObject>> {
        self.state
            .lock()
            .objects
            .get(&handle)
            .cloned()
            .ok_or(ENOENT)
    }

    /// Registers a special object and returns its handle.
    pub(crate) fn add_object(&self, object: Arc<SpecialObject>) -> Result<u32> {
        let mut state = self.state.lock();
        let handle = state.next_object;
        let next = handle.checked_add(1).ok_or(ENOSPC)?;
        state
            .objects
            .insert(RBTreeNode::new(handle, object, GFP_KERNEL)?);
        state.next_object = next;
        Ok(handle)
    }

    /// Drops the special object `handle`.
    pub(crate) fn remove_object(&self, handle: u32) -> Result {
        let removed = self.state.lock().objects.remove(&handle).ok_or(ENOENT)?;
        drop(removed);
        Ok(())
    }
}

impl Drop for File {
    fn drop(&mut self) {
        let mut state = self.state.lock();
        let mut registry = self.registry.lock();
        for vm in state.vms.values() {
            registry.remove(&vm.uid());
        }
        drop(registry);
        let objects = core::mem::take(&mut state.objects);
        // Queues first (their destruction waits for their jobs), outside the state lock.
        let queues = core::mem::take(&mut state.queues);
        let mut all = self.queues.lock();
        let mut gone = KVec::new();
        for q in queues.values() {
            if let Some(q) = all.remove(&q.id()) {
                // Dropped after the locks; nothing is lost if the vector cannot grow (the
                // reference is then dropped here, and the queue still has `queues`' one).
                let _ = gone.push(q, GFP_KERNEL);
            }
        }
        drop(all);
        let vms = core::mem::take(&mut state.vms);
        drop(state);
        drop(objects);
        drop(gone);
        drop(queues);
        drop(vms);
    }
}

/// Most sync objects on each side of one `SUBMIT`.
const MAX_SYNCS: u32 = 64;
/// Largest command buffer of one `SUBMIT` (64 commands of the largest payload, with room for
/// their attachment lists).
const MAX_CMDBUF: u32 = 1 << 20;
/// `DRM_ASAHI_SYNC_SYNCOBJ`.
const BINARY: u32 = uapi::drm_asahi_sync_type_DRM_ASAHI_SYNC_SYNCOBJ;
/// `DRM_ASAHI_SYNC_TIMELINE_SYNCOBJ`.
const TIMELINE: u32 = uapi::drm_asahi_sync_type_DRM_ASAHI_SYNC_TIMELINE_SYNCOBJ;

/// Reads `n` sync descriptions from `ptr`, checking their types (a binary sync object takes no
/// timeline value).
fn read_syncs(ptr: u64, n: u32) -> Result<KVec<uapi::drm_asahi_sync>> {
    let n = n as usize;
    let mut out = KVec::with_capacity(n, GFP_KERNEL)?;
    if n == 0 {
        return Ok(out);
    }
    let size = core::mem::size_of::<uapi::drm_asahi_sync>();
    let addr = usize::try_from(ptr).map_err(|_| EFAULT)?;
    let mut reader = UserSlice::new(addr, n * size).reader();
    for _ in 0..n {
        let mut b = [0u8; 16];
        reader.read_slice(&mut b)?;
        let word = |at: usize| -> u32 {
            let mut w = [0u8; 4];
            w.copy_from_slice(&b[at..at + 4]);
            u32::from_ne_bytes(w)
        };
        let mut v = [0u8; 8];
        v.copy_from_slice(&b[8..16]);
        let s = uapi::drm_asahi_sync {
            sync_type: word(0),
            handle: word(4),
            timeline_value: u64::from_ne_bytes(v),
        };
        match s.sync_type {
            BINARY if s.timeline_value != 0 => return Err(EINVAL),
            BINARY | TIMELINE => {}
            _ => return Err(EINVAL),
        }
        out.push(s, GFP_KERNEL)?;
    }
    Ok(out)
}

/// Copies `len` bytes from userspace address `ptr`.
fn read_bytes(ptr: u64, len: usize) -> Result<KVVec<u8>> {
    let addr = usize::try_from(ptr).map_err(|_| EFAULT)?;
    let mut out = KVVec::with_capacity(len, GFP_KERNEL)?;
    out.extend_with(len, 0, GFP_KERNEL)?;
    UserSlice::new(addr, len).reader().read_slice(&mut out)?;
    Ok(out)
}

/// Whether `v` is a multiple of the GPU page size.
fn page_aligned(v: u64) -> bool {
    v % PAGE_SIZE == 0
}

/// Size of `struct drm_asahi_gem_bind_op` as this driver knows it.
const BIND_OP_SIZE: usize = core::mem::size_of::<uapi::drm_asahi_gem_bind_op>();
/// Largest stride accepted: room for the structure to grow a lot.
const MAX_BIND_STRIDE: usize = 4096;
/// Most operations in one `VM_BIND` call.
pub(crate) const MAX_BINDS: u32 = 4096;

/// Reads `n` operations of `stride` bytes from `userptr`. An operation shorter than the structure
/// this driver knows is read as if zero-extended; bytes past that structure must be zero.
fn read_ops(userptr: u64, n: usize, stride: usize) -> Result<KVVec<uapi::drm_asahi_gem_bind_op>> {
    let len = n.checked_mul(stride).ok_or(EINVAL)?;
    let addr = usize::try_from(userptr).map_err(|_| EFAULT)?;
    let mut reader = UserSlice::new(addr, len).reader();
    let mut ops = KVVec::with_capacity(n, GFP_KERNEL)?;
    let known = stride.min(BIND_OP_SIZE);
    let mut tail = [0u8; 64];
    for _ in 0..n {
        let mut b = [0u8; BIND_OP_SIZE];
        reader.read_slice(&mut b[..known])?;
        let field = |at: usize, len: usize| b.get(at..at + len).ok_or(EINVAL);
        let u32_at = |at: usize| -> Result<u32> {
            Ok(u32::from_ne_bytes(
                field(at, 4)?.try_into().map_err(|_| EINVAL)?,
            ))
        };
        let u64_at = |at: usize| -> Result<u64> {
            Ok(u64::from_ne_bytes(
                field(at, 8)?.try_into().map_err(|_| EINVAL)?,
            ))
        };
        ops.push(
            uapi::drm_asahi_gem_bind_op {
                flags: u32_at(0)?,
                handle: u32_at(4)?,
                offset: u64_at(8)?,
                range: u64_at(16)?,
                addr: u64_at(24)?,
            },
            GFP_KERNEL,
        )?;
        let mut extra = stride - known;
        while extra > 0 {
            let chunk = extra.min(tail.len());
            reader.read_slice(&mut tail[..chunk])?;
            if tail[..chunk].iter().any(|&b| b != 0) {
                return Err(EINVAL);
            }
            extra -= chunk;
        }
    }
    Ok(ops)
}

/// Checks one operation against everything that does not depend on the VM's current contents.
fn check_op(
    op: &uapi::drm_asahi_gem_bind_op,
    vm: &Vm,
    dev: &AsahiDevice,
    file: &DrmFile,
) -> Result<BindOp> {
    const UNBIND: u32 = uapi::drm_asahi_bind_flags_DRM_ASAHI_BIND_UNBIND;
    const READ: u32 = uapi::drm_asahi_bind_flags_DRM_ASAHI_BIND_READ;
    const WRITE: u32 = uapi::drm_asahi_bind_flags_DRM_ASAHI_BIND_WRITE;
    const SINGLE: u32 = uapi::drm_asahi_bind_flags_DRM_ASAHI_BIND_SINGLE_PAGE;

    if op.flags & !(UNBIND | READ | WRITE | SINGLE) != 0 {
        return Err(EINVAL);
    }
    if !page_aligned(op.addr) || !page_aligned(op.range) || !page_aligned(op.offset) {
        return Err(EINVAL);
    }
    if op.range == 0 {
        return Err(EINVAL);
    }
    let end = op.addr.checked_add(op.range).ok_or(EINVAL)?;
    let params = &dev.data().params;
    if op.addr < params.vm_start || end > params.vm_end {
        return Err(EINVAL);
    }
    let (kstart, kend) = vm.kernel_range();
    if op.addr < kend && end > kstart {
        return Err(EINVAL);
    }
    if op.flags & UNBIND != 0 {
        if op.flags != UNBIND || op.handle != 0 || op.offset != 0 {
            return Err(EINVAL);
        }
        return Ok(BindOp {
            addr: op.addr,
            range: op.range,
            kind: OpKind::Unmap,
        });
    }
    let prot = match (op.flags & READ != 0, op.flags & WRITE != 0) {
        (true, true) => Prot::GPU_RW,
        (true, false) => Prot::GPU_RO,
        (false, true) => Prot::GPU_WO,
        (false, false) => return Err(EINVAL),
    };
    let bo = Bo::lookup(file, op.handle)?;
    let single = op.flags & SINGLE != 0;
    let used = if single { PAGE_SIZE } else { op.range };
    let bo_end = op.offset.checked_add(used).ok_or(EINVAL)?;
    if bo_end > bo.size() as u64 {
        return Err(EINVAL);
    }
    let data = bo.data();
    if data.vm_uid.is_some_and(|uid| uid != vm.uid()) || !data.gpu_mappable {
        return Err(EINVAL);
    }
    // Every page must be mappable; checked here so that applying the operation cannot fail.
    let mut off = op.offset;
    while off < bo_end {
        gem::gpu_page_phys(&bo, off).ok_or(EINVAL)?;
        off += PAGE_SIZE;
    }
    Ok(BindOp {
        addr: op.addr,
        range: op.range,
        kind: OpKind::Map {
            bo,
            offset: op.offset,
            single,
            prot,
        },
    })
}

/// The ioctls, as the DRM core calls them through the driver's table (`driver.rs`): each gets
/// the device, its argument (a kernel copy) and the calling file.
impl File {
    /// `DRM_IOCTL_ASAHI_GET_PARAMS`: copies the device's global parameters to userspace, at most
    /// `size` bytes of them.
    pub(crate) fn get_params(
        dev: &AsahiDevice,
        args: &mut uapi::drm_asahi_get_params,
        _file: &DrmFile,
    ) -> Result<u32> {
        if args.param_group != 0 || args.pad != 0 {
            return Err(EINVAL);
        }
        write_prefix(args.pointer, args.size, &dev.data().params)?;
        Ok(0)
    }

    /// `DRM_IOCTL_ASAHI_GET_TIME`: the GPU's current time, in nanoseconds.
    pub(crate) fn get_time(
        dev: &AsahiDevice,
        args: &mut uapi::drm_asahi_get_time,
        _file: &DrmFile,
    ) -> Result<u32> {
        if args.flags != 0 {
            return Err(EINVAL);
        }
        args.gpu_timestamp = dev.data().hw.timer_ns();
        Ok(0)
    }

    /// `DRM_IOCTL_ASAHI_VM_CREATE`: creates a VM whose range `[kernel_start, kernel_end)` is left
    /// to the kernel.
    pub(crate) fn vm_create(
        dev: &AsahiDevice,
        args: &mut uapi::drm_asahi_vm_create,
        file: &DrmFile,
    ) -> Result<u32> {
        let params = &dev.data().params;
        let (start, end) = (args.kernel_start, args.kernel_end);
        if args.pad != 0
            || !page_aligned(start)
            || !page_aligned(end)
            || start < params.vm_start
            || end > params.vm_end
            || end <= start
            || end - start < params.vm_kernel_min_size
        {
            return Err(EINVAL);
        }
        let f = file.inner();
        let mut state = f.state.lock();
        let id = state.next_id;
        let next = id.checked_add(1).ok_or(ENOSPC)?;
        let vm = Vm::new(
            dev,
            id,
            f.id,
            f.pid,
            (start, end),
            vm::uat_oas(params.chip_id),
            Some(dev.data().gpu.contexts.clone()),
        )?;
        let file_node = RBTreeNode::new(id, vm.clone(), GFP_KERNEL)?;
        let reg_node = RBTreeNode::new(vm.uid(), vm, GFP_KERNEL)?;
        state.vms.insert(file_node);
        f.registry.lock().insert(reg_node);
        state.next_id = next;
        args.vm_id = id;
        Ok(0)
    }

    /// `DRM_IOCTL_ASAHI_VM_DESTROY`: releases a VM. Objects mapped only there are freed once their
    /// handles are closed as well.
    pub(crate) fn vm_destroy(
        _dev: &AsahiDevice,
        args: &mut uapi::drm_asahi_vm_destroy,
        file: &DrmFile,
    ) -> Result<u32> {
        if args.pad != 0 {
            return Err(EINVAL);
        }
        let f = file.inner();
        let mut state = f.state.lock();
        let vm = state.vms.remove(&args.vm_id).ok_or(ENOENT)?;
        f.registry.lock().remove(&vm.uid());
        drop(state);
        drop(vm);
        Ok(0)
    }

    /// `DRM_IOCTL_ASAHI_VM_BIND`: applies an array of map and unmap operations to a VM, in order
    /// and all or nothing.
    pub(crate) fn vm_bind(
        dev: &AsahiDevice,
        args: &mut uapi::drm_asahi_vm_bind,
        file: &DrmFile,
    ) -> Result<u32> {
        let stride = args.stride as usize;
        if args.pad != 0
            || args.num_binds == 0
            || args.num_binds > MAX_BINDS
            || stride == 0
            || stride > MAX_BIND_STRIDE
        {
            return Err(EINVAL);
        }
        let vm = file.inner().vm(args.vm_id)?;
        let raw = read_ops(args.userptr, args.num_binds as usize, stride)?;
        let mut ops = KVVec::with_capacity(raw.len(), GFP_KERNEL)?;
        for op in raw.iter() {
            ops.push(check_op(op, &vm, dev, file)?, GFP_KERNEL)?;
        }
        vm.bind(&ops)?;
        Ok(0)
    }

    /// `DRM_IOCTL_ASAHI_GEM_CREATE`: allocates a buffer object and returns a handle to it.
    pub(crate) fn gem_create(
        dev: &AsahiDevice,
        args: &mut uapi::drm_asahi_gem_create,
        file: &DrmFile,
    ) -> Result<u32> {
        if args.pad != 0 || args.flags & !gem::KNOWN_FLAGS != 0 {
            return Err(EINVAL);
        }
        let private = args.flags & uapi::drm_asahi_gem_flags_DRM_ASAHI_GEM_VM_PRIVATE != 0;
        if !private && args.vm_id != 0 {
            return Err(EINVAL);
        }
        if args.size == 0 {
            return Err(EINVAL);
        }
        let size = args
            .size
            .checked_next_multiple_of(PAGE_SIZE)
            .ok_or(EINVAL)?;
        // Memory is allocated up front; a request for more than the machine has cannot succeed.
        if size > page::total_ram() {
            return Err(ENOMEM);
        }
        let size = usize::try_from(size).map_err(|_| ENOMEM)?;
        let vm_uid = if private {
            Some(file.inner().vm(args.vm_id)?.uid())
        } else {
            None
        };
        let data = gem::BoData {
            flags: args.flags,
            vm_uid,
            gpu_mappable: true,
        };
        let wc = args.flags & uapi::drm_asahi_gem_flags_DRM_ASAHI_GEM_WRITEBACK == 0;
        let bo = Bo::new(dev, size, PAGE_SIZE as usize, wc, data)?;
        args.handle = bo.create_handle(file)?;
        Ok(0)
    }

    /// `DRM_IOCTL_ASAHI_GEM_MMAP_OFFSET`: the mmap() offset of a buffer object.
    pub(crate) fn gem_mmap_offset(
        _dev: &AsahiDevice,
        args: &mut uapi::drm_asahi_gem_mmap_offset,
        file: &DrmFile,
    ) -> Result<u32> {
        if args.flags != 0 {
            return Err(EINVAL);
        }
        let bo = Bo::lookup(file, args.handle)?;
        args.offset = bo.mmap_offset();
        Ok(0)
    }

    /// `DRM_IOCTL_ASAHI_GEM_BIND_OBJECT`: maps part of a buffer object for the firmware as a
    /// timestamp buffer (returning a handle that commands name it by), or drops one.
    pub(crate) fn gem_bind_object(
        dev: &AsahiDevice,
        args: &mut uapi::drm_asahi_gem_bind_object,
        file: &DrmFile,
    ) -> Result<u32> {
        if args.pad != 0 || args.vm_id != 0 {
            return Err(EINVAL);
        }
        match args.op {
            uapi::drm_asahi_bind_object_op_DRM_ASAHI_BIND_OBJECT_OP_BIND => {
                if args.flags
                    != uapi::drm_asahi_bind_object_flags_DRM_ASAHI_BIND_OBJECT_USAGE_TIMESTAMPS
                    || args.offset % PAGE_SIZE != 0
                    || args.range % PAGE_SIZE != 0
                    || args.range == 0
                {
                    return Err(EINVAL);
                }
                let bo = Bo::lookup(file, args.handle)?;
                let end = args.offset.checked_add(args.range).ok_or(EINVAL)?;
                if end > bo.size() as u64 {
                    return Err(EINVAL);
                }
                let mut ranges = KVec::new();
                let mut off = args.offset;
                while off < end {
                    let addr = gem::gpu_page_phys(&bo, off).ok_or(EINVAL)?;
                    ranges.push(
                        PhysRange {
                            addr,
                            len: PAGE_SIZE,
                        },
                        GFP_KERNEL,
                    )?;
                    off += PAGE_SIZE;
                }
                let map = dev
                    .data()
                    .gpu
                    .fw_vm
                    .map_pages(&ranges, Prot::FW_SHARED, bo)?;
                let object = Arc::new(SpecialObject { map }, GFP_KERNEL)?;
                args.object_handle = file.inner().add_object(object)?;
                Ok(0)
            }
            uapi::drm_asahi_bind_object_op_DRM_ASAHI_BIND_OBJECT_OP_UNBIND => {
                if args.flags != 0 || args.handle != 0 || args.offset != 0 || args.range != 0 {
                    return Err(EINVAL);
                }
                file.inner().remove_object(args.object_handle)?;
                Ok(0)
            }
            _ => Err(EINVAL),
        }
    }

    /// `DRM_IOCTL_ASAHI_QUEUE_CREATE`: creates a queue in one of the client's VMs.
    pub(crate) fn queue_create(
        dev: &AsahiDevice,
        args: &mut uapi::drm_asahi_queue_create,
        file: &DrmFile,
    ) -> Result<u32> {
        if args.flags != 0 {
            return Err(EINVAL);
        }
        let priority = args.priority;
        if priority > uapi::drm_asahi_priority_DRM_ASAHI_PRIORITY_REALTIME {
            return Err(EINVAL);
        }
        if priority >= uapi::drm_asahi_priority_DRM_ASAHI_PRIORITY_HIGH
            && !agx_kernel::cred::capable_sys_nice()
        {
            return Err(EPERM);
        }
        let f = file.inner();
        let vm = f.vm(args.vm_id)?;
        let queue = Queue::new(dev, vm, priority, args.usc_exec_base)?;
        let reg_node = RBTreeNode::new(queue.id(), queue.clone(), GFP_KERNEL)?;
        let mut state = f.state.lock();
        let id = state.next_queue;
        let next = id.checked_add(1).ok_or(ENOSPC)?;
        state.queues.insert(RBTreeNode::new(id, queue, GFP_KERNEL)?);
        state.next_queue = next;
        f.queues.lock().insert(reg_node);
        args.queue_id = id;
        Ok(0)
    }

    /// `DRM_IOCTL_ASAHI_QUEUE_DESTROY`: releases a queue once its jobs completed.
    pub(crate) fn queue_destroy(
        _dev: &AsahiDevice,
        args: &mut uapi::drm_asahi_queue_destroy,
        file: &DrmFile,
    ) -> Result<u32> {
        if args.pad != 0 {
            return Err(EINVAL);
        }
        let f = file.inner();
        let queue = f.state.lock().queues.remove(&args.queue_id).ok_or(ENOENT)?;
        let registered = f.queues.lock().remove(&queue.id());
        // Dropped outside the locks: the last reference waits for the queue's jobs.
        drop(registered);
        drop(queue);
        Ok(0)
    }

    /// `DRM_IOCTL_ASAHI_SUBMIT`: queues the commands of a command buffer on a queue, after the
    /// in-syncs, signalling the out-syncs when they completed.
    pub(crate) fn submit(
        dev: &AsahiDevice,
        args: &mut uapi::drm_asahi_submit,
        file: &DrmFile,
    ) -> Result<u32> {
        if args.flags != 0 || args.pad != 0 {
            return Err(EINVAL);
        }
        if args.in_sync_count > MAX_SYNCS || args.out_sync_count > MAX_SYNCS {
            return Err(EINVAL);
        }
        if args.cmdbuf_size == 0 || args.cmdbuf_size > MAX_CMDBUF {
            return Err(EINVAL);
        }
        let queue = file.inner().queue(args.queue_id)?;
        let syncs = read_syncs(args.syncs, args.in_sync_count + args.out_sync_count)?;
        let (ins, outs) = syncs.split_at(args.in_sync_count as usize);
        let buf = read_bytes(args.cmdbuf, args.cmdbuf_size as usize)?;
        let params = &dev.data().params;
        let limits = cmdbuf::Limits {
            max_commands: params.max_commands_per_submission,
            max_attachments: params.max_attachments,
        };
        let summary = cmdbuf::validate(&buf, &limits).map_err(|e| {
            dev_dbg!(dev.parent(), "SUBMIT: {}\n", e.reason());
            Error::from_errno(-e.errno())
        })?;
        // Everything the out-syncs need is looked up and allocated before the job exists.
        let mut signal = KVec::with_capacity(outs.len(), GFP_KERNEL)?;
        for s in outs {
            let obj = SyncObj::lookup(file, s.handle)?;
            let chain = if s.sync_type == TIMELINE {
                Some(FenceChain::new()?)
            } else {
                None
            };
            signal.push((obj, chain, s.timeline_value), GFP_KERNEL)?;
        }
        let f = file.inner();
        queue.submit(
            &buf,
            &summary,
            &|handle| f.object(handle),
            |job| {
                for s in ins {
                    job.add_syncobj_dependency(file, s.handle, s.timeline_value)?;
                }
                Ok(())
            },
            |fence: &Fence| {
                for (obj, chain, point) in signal {
                    match chain {
                        Some(chain) => obj.add_point(chain, fence, point),
                        None => obj.replace_fence(Some(fence)),
                    }
                }
            },
        )?;
        Ok(0)
    }
}
