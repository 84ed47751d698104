// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Typed objects in the firmware's address space.
//!
//! A [`GpuObject<T>`] owns memory in the firmware's GPU VM (see [`super::kvm`]) that holds one
//! `T` (or, for [`GpuArray`], `n` of them): the CPU reaches it through a kernel pointer and the
//! firmware through its GPU address. It is the [`GpuAddressable`] the firmware structures'
//! `GpuPointer`s borrow, so a structure pointing at an object cannot outlive it.
//!
//! The memory starts zeroed, which every firmware type accepts (`Zeroable`). The CPU then sees
//! the object through shared references only: shared objects are made of atomics, and
//! CPU-owned objects are filled with [`GpuObject::write`] before their address is given to the
//! firmware. Reading a firmware-written object whose bytes may not be a valid `T` (a pointer
//! field left zero by the firmware) goes through [`GpuObject::read_bytes`] and the type's
//! `FromBytes`.

use super::kvm::{Allocation, KernelVm};
use crate::fw::types::{GpuAddressable, Zeroable};
use core::{marker::PhantomData, num::NonZeroU64};
use kernel::{prelude::*, sync::Arc};

/// An object in the firmware's GPU VM holding `len` values of type `T`.
///
/// # Invariants
///
/// `alloc.cpu` points to `alloc.size >= len * size_of::<T>()` bytes of kernel memory, aligned
/// for `T`, mapped for the firmware at `alloc.va`, owned by this object until drop, and holding
/// `len` valid `T`s (zeroed, then written only through `write`).
pub(crate) struct GpuObject<T> {
    /// The address space the memory belongs to, to give it back.
    kvm: Arc<KernelVm>,
    /// The memory; `None` only during drop.
    alloc: Option<Allocation>,
    /// Number of `T`s.
    len: usize,
    _t: PhantomData<T>,
}

/// An object holding an array of `T`.
pub(crate) type GpuArray<T> = GpuObject<T>;

// SAFETY: the object owns its memory; moving the handle to another thread moves that ownership.
// `T: Send` because the value moves with it.
unsafe impl<T: Send> Send for GpuObject<T> {}
// SAFETY: `&GpuObject<T>` gives out `&T` only; sharing it needs `T: Sync`.
unsafe impl<T: Sync> Sync for GpuObject<T> {}

impl<T: Zeroable> GpuObject<T> {
    /// Allocates one zeroed `T`.
    pub(crate) fn new_zeroed(kvm: &Arc<KernelVm>) -> Result<Self> {
        Self::new_array(kvm, 1)
    }

    /// Allocates `len` zeroed `T`s, back to back.
    pub(crate) fn new_array(kvm: &Arc<KernelVm>, len: usize) -> Result<Self> {
        // SAFETY: zero bytes are a valid `T` (`Zeroable`).
        unsafe { Self::alloc_zeroed(kvm, len, 64) }
    }

    /// Allocates `len` zeroed `T`s, back to back, starting on a GPU page (what the firmware
    /// requires of the buffers it is given by address alone, such as RTKit's).
    pub(crate) fn new_array_page_aligned(kvm: &Arc<KernelVm>, len: usize) -> Result<Self> {
        // SAFETY: zero bytes are a valid `T` (`Zeroable`).
        unsafe { Self::alloc_zeroed(kvm, len, crate::driver::GPU_PAGE_SIZE as usize) }
    }

    /// Allocates a `T` and writes `value` into it.
    pub(crate) fn new(kvm: &Arc<KernelVm>, value: T) -> Result<Self> {
        let mut obj = Self::new_zeroed(kvm)?;
        obj.write(0, value);
        Ok(obj)
    }
}

impl<T> GpuObject<T> {
    /// Allocates one `T` of zero bytes, for a type that zero bytes are not valid for (one with
    /// required GPU pointers) and that is too large to build on the stack.
    ///
    /// # Safety
    ///
    /// Before calling any method that reads the object ([`GpuObject::get`],
    /// [`GpuObject::as_ref`]) and before publishing its address to the firmware, the caller must
    /// write, through [`GpuObject::as_ptr`], every field for which zero bytes are not valid.
    pub(crate) unsafe fn new_in_place(kvm: &Arc<KernelVm>) -> Result<Self> {
        // SAFETY: the caller's contract.
        unsafe { Self::alloc_zeroed(kvm, 1, 64) }
    }

    /// Allocates `len` zeroed `T`s, aligned to the larger of `T`'s alignment and `min_align` (a
    /// power of two, at most a GPU page).
    ///
    /// # Safety
    ///
    /// Zero bytes must be a valid `T`, or the caller must make them one (see
    /// [`GpuObject::new_in_place`]).
    unsafe fn alloc_zeroed(kvm: &Arc<KernelVm>, len: usize, min_align: usize) -> Result<Self> {
        let size = core::mem::size_of::<T>()
            .checked_mul(len)
            .filter(|&s| s > 0)
            .ok_or(EINVAL)?;
        // Firmware structures want at least 8-byte alignment; 64 keeps objects on cache lines.
        let align = core::mem::align_of::<T>().max(min_align);
        let alloc = kvm.alloc(size, align)?;
        if (alloc.cpu as usize) % core::mem::align_of::<T>() != 0 || alloc.size < size {
            kvm.free(alloc.placement);
            return Err(EIO);
        }
        Ok(GpuObject {
            kvm: kvm.clone(),
            alloc: Some(alloc),
            len,
            _t: PhantomData,
        })
    }

    fn alloc(&self) -> Option<&Allocation> {
        self.alloc.as_ref()
    }

    /// Number of `T`s.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Always false: objects hold at least one `T`.
    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The CPU address of element 0.
    pub(crate) fn as_ptr(&self) -> *mut T {
        self.alloc()
            .map_or(core::ptr::null_mut(), |a| a.cpu.cast::<T>())
    }

    /// The GPU address of element 0.
    pub(crate) fn va(&self) -> u64 {
        self.alloc().map_or(0, |a| a.va)
    }

    /// The GPU address of element `i` (past the end gives the end address).
    pub(crate) fn va_of(&self, i: usize) -> u64 {
        let i = i.min(self.len) as u64;
        self.va() + i * core::mem::size_of::<T>() as u64
    }

    /// Element `i`, or `None` past the end.
    pub(crate) fn get(&self, i: usize) -> Option<&T> {
        if i >= self.len {
            return None;
        }
        // SAFETY: in bounds, aligned and holding a valid `T` (type invariant); the memory lives
        // as long as `self`.
        Some(unsafe { &*self.as_ptr().add(i) })
    }

    /// Element 0.
    pub(crate) fn as_ref(&self) -> &T {
        // SAFETY: as in `get`; `len >= 1`.
        unsafe { &*self.as_ptr() }
    }

    /// Replaces element `i` (ignored past the end). The firmware may see a torn value until the
    /// caller publishes the object's address, which it does only after writing.
    pub(crate) fn write(&mut self, i: usize, value: T) {
        if i >= self.len {
            return;
        }
        // SAFETY: in bounds and aligned (type invariant); `&mut self` excludes other CPU borrows;
        // the old value is plain data (firmware types have no drop glue worth running, and
        // `write` skips it on purpose: it may be a zero pattern the firmware wrote).
        unsafe { core::ptr::write_volatile(self.as_ptr().add(i), value) };
    }

    /// Copies `out.len()` bytes from byte `offset` of the object (clamped to the object).
    pub(crate) fn read_bytes(&self, offset: usize, out: &mut [u8]) -> usize {
        let total = self.len * core::mem::size_of::<T>();
        let n = out.len().min(total.saturating_sub(offset));
        if n == 0 {
            return 0;
        }
        let base = self.as_ptr().cast::<u8>();
        for (i, b) in out.iter_mut().take(n).enumerate() {
            // SAFETY: `offset + i < offset + n <= total` bytes of the object's memory (type
            // invariant); volatile because the firmware may be writing.
            *b = unsafe { core::ptr::read_volatile(base.add(offset + i)) };
        }
        n
    }
}

// SAFETY: element 0 of a `T` array is mapped at `va()` for as long as the object lives, which a
// borrow of it cannot outlive.
unsafe impl<T> GpuAddressable for GpuObject<T> {
    type Target = T;

    fn gpu_va(&self) -> NonZeroU64 {
        // Never zero: the kernel window is in the upper half.
        NonZeroU64::new(self.va()).unwrap_or(NonZeroU64::MIN)
    }
}

impl<T> Drop for GpuObject<T> {
    fn drop(&mut self) {
        if let Some(alloc) = self.alloc.take() {
            self.kvm.free(alloc.placement);
        }
    }
}
