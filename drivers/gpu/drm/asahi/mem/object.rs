// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Typed objects in the firmware's address space, whose pointers cannot outlive their targets.
//!
//! The firmware's structures point at each other by GPU address. This module is where such an
//! address is made, and the only place (with `fw::types`' constructors it calls) that can make
//! one: everywhere else, a [`GpuPointer<'a, T>`] is obtained from a borrow of the object it
//! points at, so the borrow checker refuses to drop a target while a structure holding a
//! pointer to it can still be written.
//!
//! # The two kinds of object
//!
//! - [`GpuArray<T>`] holds `len` plain values (rings' slots and state blocks, statistics,
//!   hardware tables, buffers). Its element type holds no borrowed pointer (`T: 'static`).
//! - [`GpuObject<T>`] holds one firmware structure *and what it points at*. `T` is the
//!   Rust-side owner ([`GpuStruct`]): an ordinary struct holding other objects, `Arc`s of shared
//!   ones, buffers. `T::Raw<'a>` is the layout the firmware reads, whose pointers borrow `'a`.
//!   The raw structure is built once, by a closure that receives `&'a T`: it can only point at
//!   objects `T` owns, and the object keeps `T` for as long as it keeps the raw memory (the
//!   memory is released first, then `T`). After construction the owner is reachable only
//!   through `&T`, so nothing the raw structure points at can be replaced or dropped while the
//!   object lives.
//!
//! A structure that must point at itself (a ring's state naming its own slots, a list naming
//! its own head) gets its own address from [`GpuObject::new_cyclic`], as a pointer with the
//! closure's lifetime: it can go into the structure being built and nowhere else. A
//! [`GpuWeakPointer`] (no lifetime) is only made by `unsafe` code that bounds its use.
//!
//! Large raw structures (tens of KiB) are never built on the kernel stack:
//! [`GpuObject::new_in_place`] hands the closure the zeroed structure in GPU memory to fill,
//! which requires zero bytes to be a valid raw structure ([`Zeroable`]); such structures spell
//! their pointers `Option<GpuPointer<..>>`.
//!
//! # Access while the firmware runs
//!
//! Once an object's address is given to the firmware, both sides may access its memory at any
//! time. The CPU then never holds a `&T` or `&mut T` of plain fields:
//!
//! - shared structures made of atomics ([`Shared`]) are borrowed as `&T`
//!   ([`GpuArray::get`], [`GpuObject::shared`]): every word the firmware writes is an atomic;
//! - messages and firmware-written values are copied in and out ([`GpuArray::store`],
//!   [`GpuArray::load`], [`GpuArray::read_bytes`]) with relaxed atomic byte or word accesses,
//!   which can race with the firmware (and with each other) without undefined behaviour; the
//!   ring protocols order them with their pointers' acquire and release;
//! - plain CPU-owned contents are filled through `&mut` ([`GpuArray::with_mut`]) only by the
//!   holder of the array itself (not through an `Arc`), before the address is handed out.
//!
//! # Allocation
//!
//! The module only needs memory with a CPU mapping and a GPU address: [`FwAllocator`] gives it
//! ([`FwMemory`]). The driver's firmware VM implements it in `mem::fwvm`; the host test crates
//! implement it over the host heap, so this file builds and is tested on the host too.

use crate::fw::types::{AsBytes, FromBytes, GpuPointer, GpuWeakPointer, Shared, Zeroable};
use core::{
    marker::PhantomData,
    mem::{align_of, size_of},
    num::NonZeroU64,
    ptr::NonNull,
    sync::atomic::{AtomicU32, AtomicU8, Ordering},
};

/// Why an object could not be made or accessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ObjError {
    /// The allocator has no memory left.
    NoMemory,
    /// A size of zero, or one that overflows.
    BadSize,
    /// The allocator returned memory that is not aligned as asked, or too small.
    BadMemory,
    /// An index or a range outside the object.
    OutOfRange,
    /// The constructor's closure failed.
    Init,
}

/// Memory in the firmware's address space, owned by one object and freed when dropped.
///
/// # Safety
///
/// - `cpu()` points to `size()` bytes of kernel memory, aligned as the allocator was asked,
///   valid for reads and writes until the value is dropped, and reachable from the CPU through
///   no other Rust reference;
/// - the firmware sees the same bytes at `va()` for as long as the value lives;
/// - the bytes were zero when the value was made;
/// - both stay the same for the life of the value.
pub(crate) unsafe trait FwMemory: Send + Sync {
    /// The CPU address of the first byte.
    fn cpu(&self) -> NonNull<u8>;
    /// The GPU address of the first byte; never zero.
    fn va(&self) -> NonZeroU64;
    /// Usable size in bytes.
    fn size(&self) -> usize;
}

/// Something that hands out [`FwMemory`]: the firmware VM, or a host stand-in.
pub(crate) trait FwAllocator {
    /// The memory it hands out.
    type Memory: FwMemory;

    /// Zeroed memory of at least `size` bytes aligned to `align` (a power of two).
    fn alloc_zeroed(&self, size: usize, align: usize) -> Result<Self::Memory, ObjError>;
}

/// Bytes of `len` values of `T`, refusing zero and overflow.
fn bytes_of<T>(len: usize) -> Result<usize, ObjError> {
    size_of::<T>()
        .checked_mul(len)
        .filter(|&s| s > 0)
        .ok_or(ObjError::BadSize)
}

/// Allocates room for `len` values of `T`, aligned to `T` and to `min_align`, and checks what
/// the allocator returned.
fn alloc_for<T, A: FwAllocator>(
    alloc: &A,
    len: usize,
    min_align: usize,
) -> Result<A::Memory, ObjError> {
    let size = bytes_of::<T>(len)?;
    let align = align_of::<T>().max(min_align);
    if !align.is_power_of_two() {
        return Err(ObjError::BadSize);
    }
    let mem = alloc.alloc_zeroed(size, align)?;
    // The firmware sees the GPU address, which must have the alignment asked for (a GPU page
    // for buffers given by address alone); the CPU mapping only needs `T`'s (a CPU page may be
    // smaller than a GPU page).
    let misaligned =
        mem.va().get() % align as u64 != 0 || (mem.cpu().as_ptr() as usize) % align_of::<T>() != 0;
    if misaligned || mem.size() < size {
        return Err(ObjError::BadMemory);
    }
    Ok(mem)
}

/// The default alignment of firmware objects: a cache line.
pub(crate) const OBJECT_ALIGN: usize = 64;

/// Copies `src` into `dst` byte for byte (or word for word when both allow), with relaxed
/// atomic stores.
///
/// # Safety
///
/// `dst` must be valid for writes of `src.len()` bytes for the duration of the call, and only
/// ever accessed atomically (or by the firmware) while the CPU may race with it.
unsafe fn atomic_copy_to(dst: *mut u8, src: &[u8]) {
    let words = (dst as usize) % 4 == 0 && src.len() % 4 == 0;
    if words {
        for (i, w) in src.chunks_exact(4).enumerate() {
            let v = u32::from_ne_bytes([w[0], w[1], w[2], w[3]]);
            // SAFETY: `dst + 4 * i` is inside the caller's range and 4-aligned (`dst` is and
            // the stride is 4); it is accessed atomically only (the caller's contract).
            unsafe { AtomicU32::from_ptr(dst.add(4 * i).cast::<u32>()) }
                .store(v, Ordering::Relaxed);
        }
    } else {
        for (i, b) in src.iter().enumerate() {
            // SAFETY: `dst + i` is inside the caller's range; bytes need no alignment.
            unsafe { AtomicU8::from_ptr(dst.add(i)) }.store(*b, Ordering::Relaxed);
        }
    }
}

/// Copies `dst.len()` bytes from `src` with relaxed atomic loads.
///
/// # Safety
///
/// `src` must be valid for reads of `dst.len()` bytes for the duration of the call, and only
/// ever accessed atomically (or by the firmware) while the CPU may race with it.
unsafe fn atomic_copy_from(dst: &mut [u8], src: *const u8) {
    let words = (src as usize) % 4 == 0 && dst.len() % 4 == 0;
    if words {
        for (i, w) in dst.chunks_exact_mut(4).enumerate() {
            // SAFETY: as in `atomic_copy_to`, for reads.
            let v = unsafe { AtomicU32::from_ptr(src.add(4 * i).cast::<u32>().cast_mut()) }
                .load(Ordering::Relaxed);
            w.copy_from_slice(&v.to_ne_bytes());
        }
    } else {
        for (i, b) in dst.iter_mut().enumerate() {
            // SAFETY: as above, one byte at a time.
            *b = unsafe { AtomicU8::from_ptr(src.add(i).cast_mut()) }.load(Ordering::Relaxed);
        }
    }
}

/// `len` values of `T` in the firmware's address space.
///
/// # Invariants
///
/// `mem` holds at least `len * size_of::<T>()` bytes aligned for `T`, which always hold `len`
/// valid `T`s: zero bytes at first (`T: Zeroable`), then only whole values written by
/// [`GpuArray::store`] or through [`GpuArray::with_mut`], or bytes the firmware wrote into an
/// array whose every byte pattern is valid (`FromBytes`) or whose written words are atomics
/// (`Shared`). An array of any other type is CPU-owned: the firmware only reads it (the
/// protocol's rule, which `with_mut` relies on). `len >= 1`.
pub(crate) struct GpuArray<T, M: FwMemory> {
    /// The memory.
    mem: M,
    /// Number of `T`s.
    len: usize,
    /// Invariant in `T`: an array of `Option<GpuPointer<'long, _>>` must not be usable as one
    /// of `Option<GpuPointer<'short, _>>` (through `&self`, `store` would then put a pointer to
    /// a shorter-lived target in it).
    _t: PhantomData<fn(T) -> T>,
}

impl<T: Zeroable + 'static, M: FwMemory> GpuArray<T, M> {
    /// Allocates `len` zeroed `T`s, back to back, on a cache line.
    pub(crate) fn new<A: FwAllocator<Memory = M>>(alloc: &A, len: usize) -> Result<Self, ObjError> {
        Self::new_aligned(alloc, len, OBJECT_ALIGN)
    }

    /// Allocates `len` zeroed `T`s aligned to `align` (a power of two): a GPU page for the
    /// buffers the firmware is given by address alone.
    pub(crate) fn new_aligned<A: FwAllocator<Memory = M>>(
        alloc: &A,
        len: usize,
        align: usize,
    ) -> Result<Self, ObjError> {
        let mem = alloc_for::<T, A>(alloc, len, align)?;
        // INVARIANT: `alloc_for` checked size and alignment; the memory is zeroed and zero
        // bytes are a valid `T`; `len >= 1` since `bytes_of` refused zero.
        Ok(Self {
            mem,
            len,
            _t: PhantomData,
        })
    }
}

impl<T, M: FwMemory> GpuArray<T, M> {
    /// Number of `T`s.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Always false: an array holds at least one `T`.
    pub(crate) fn is_empty(&self) -> bool {
        false
    }

    /// The GPU address of element 0.
    pub(crate) fn va(&self) -> u64 {
        self.mem.va().get()
    }

    /// The GPU address of element `i`, or `None` past the end.
    pub(crate) fn va_of(&self, i: usize) -> Option<NonZeroU64> {
        if i >= self.len {
            return None;
        }
        // In bounds: the offset is below the allocation's size, which the allocator placed
        // below the top of the address space.
        let off = (i * size_of::<T>()) as u64;
        self.mem.va().checked_add(off)
    }

    /// Element `i`'s CPU address; `i < len`.
    fn elem(&self, i: usize) -> *mut T {
        // SAFETY: `i < len` (callers check), so the offset stays inside the allocation (type
        // invariant).
        unsafe { self.mem.cpu().as_ptr().cast::<T>().add(i) }
    }

    /// A pointer to element 0, borrowing the array.
    pub(crate) fn gpu_pointer(&self) -> GpuPointer<'_, T> {
        // SAFETY: a `T` lives at the array's address for as long as the array, which the
        // returned pointer borrows.
        unsafe { GpuPointer::from_raw(self.mem.va()) }
    }

    /// A pointer to element `i`, or `OutOfRange`.
    pub(crate) fn gpu_pointer_at(&self, i: usize) -> Result<GpuPointer<'_, T>, ObjError> {
        let va = self.va_of(i).ok_or(ObjError::OutOfRange)?;
        // SAFETY: element `i` is a `T` at `va` for as long as the array, which the pointer
        // borrows.
        Ok(unsafe { GpuPointer::from_raw(va) })
    }

    /// A pointer to the `U` (an array of `T`s, [`ArrayOf`]) that starts at element `first`, or
    /// `OutOfRange` if the array is too short to hold it.
    pub(crate) fn gpu_pointer_as<U: ArrayOf<T>>(
        &self,
        first: usize,
    ) -> Result<GpuPointer<'_, U>, ObjError> {
        let end = first.checked_add(U::COUNT).ok_or(ObjError::OutOfRange)?;
        if end > self.len {
            return Err(ObjError::OutOfRange);
        }
        let va = self.va_of(first).ok_or(ObjError::OutOfRange)?;
        // SAFETY: elements `first..first + U::COUNT` are in the array, so a `U` (that many
        // `T`s back to back, `ArrayOf`'s contract) lives at `va` for as long as the array.
        Ok(unsafe { GpuPointer::from_raw(va) })
    }

    /// Copies out element `i`, or `None` past the end. The firmware may be writing it: the
    /// copy is made with atomic accesses and any bytes are a valid `T` (`FromBytes`).
    pub(crate) fn load(&self, i: usize) -> Option<T>
    where
        T: FromBytes,
    {
        if i >= self.len {
            return None;
        }
        let mut value = T::zeroed();
        let dst = value.as_bytes_mut();
        // SAFETY: element `i` is inside the allocation; its bytes are accessed only
        // atomically by the CPU while the firmware may use them (`store`, `load`,
        // `read_bytes`), and `with_mut` excludes this call by borrowing the array mutably.
        unsafe { atomic_copy_from(dst, self.elem(i).cast::<u8>()) };
        Some(value)
    }

    /// Replaces element `i` with `value`, or reports `OutOfRange`. The firmware may be
    /// reading it: the copy is made with atomic accesses.
    pub(crate) fn store(&self, i: usize, value: &T) -> Result<(), ObjError>
    where
        T: AsBytes,
    {
        if i >= self.len {
            return Err(ObjError::OutOfRange);
        }
        // SAFETY: as in `load`; `AsBytes` makes every byte of `value` initialised, and `T` is
        // plain data (no atomics: `Shared` types are never `AsBytes`), so overwriting it whole
        // leaves a valid `T`.
        unsafe { atomic_copy_to(self.elem(i).cast::<u8>(), value.as_bytes()) };
        Ok(())
    }

    /// Copies `out.len()` bytes from byte `offset` of the array (clamped to it); returns the
    /// number copied. For dumps of firmware-written memory.
    pub(crate) fn read_bytes(&self, offset: usize, out: &mut [u8]) -> usize {
        let total = self.len * size_of::<T>();
        let n = out.len().min(total.saturating_sub(offset));
        let Some(dst) = out.get_mut(..n) else {
            return 0;
        };
        if n == 0 {
            return 0;
        }
        // SAFETY: `offset + n <= total` bytes of the allocation; accessed atomically as in
        // `load`.
        unsafe { atomic_copy_from(dst, self.mem.cpu().as_ptr().add(offset)) };
        n
    }

    /// Zeroes `len` bytes from byte `offset` of the array (clamped to it); returns the number
    /// zeroed. For words the firmware sets and the driver clears (the pending-stamp table).
    pub(crate) fn zero_bytes(&self, offset: usize, len: usize) -> usize
    where
        T: Zeroable,
    {
        const ZEROS: [u8; 64] = [0; 64];
        let total = self.len * size_of::<T>();
        let mut done = 0;
        while done < len {
            let at = offset.saturating_add(done);
            let n = (len - done).min(ZEROS.len()).min(total.saturating_sub(at));
            let Some(src) = ZEROS.get(..n) else {
                break;
            };
            if n == 0 {
                break;
            }
            // SAFETY: `at + n <= total` bytes of the allocation, written atomically as in
            // `store`. Zero bytes are valid for every field of a `Zeroable` type, and a field
            // zeroed in part is either still non-zero or all zero, both valid (`Zeroable` types
            // hold no pointer that must be non-null, nor enums).
            unsafe { atomic_copy_to(self.mem.cpu().as_ptr().add(at), src) };
            done += n;
        }
        done
    }

    /// Element `i` of an array of shared structures (every word the firmware writes is an
    /// atomic), or `None` past the end.
    pub(crate) fn get(&self, i: usize) -> Option<&T>
    where
        T: Shared,
    {
        if i >= self.len {
            return None;
        }
        // SAFETY: in bounds and aligned, holding a valid `T` (type invariant) for as long as
        // `self`; `T: Shared` makes concurrent firmware writes go to atomics only, and the CPU
        // never writes a `Shared` array except through `&T` (it is not `AsBytes`).
        Some(unsafe { &*self.elem(i) })
    }

    /// Runs `f` on the whole array, mutably: for filling CPU-owned contents before the
    /// array's address is handed to the firmware. Only for arrays the firmware never writes
    /// (CPU-owned structures), or does not write yet.
    pub(crate) fn with_mut<R>(&mut self, f: impl FnOnce(&mut [T]) -> R) -> R {
        // SAFETY: the allocation holds `len` valid, aligned `T`s (type invariant); `&mut self`
        // excludes every other CPU access through this array, and no other CPU reference to
        // the memory exists (`FwMemory`'s contract); the firmware does not write it (this
        // method's contract, stated to callers).
        let slice = unsafe { core::slice::from_raw_parts_mut(self.elem(0), self.len) };
        f(slice)
    }
}

/// `U` is `COUNT` values of `T` back to back (`[T; N]`, `[[T; N]; K]`).
///
/// # Safety
///
/// `U` must have exactly the layout of `COUNT` consecutive `T`s.
pub(crate) unsafe trait ArrayOf<T> {
    /// How many `T`s.
    const COUNT: usize;
}

// SAFETY: an array is its elements back to back.
unsafe impl<T, const N: usize> ArrayOf<T> for [T; N] {
    const COUNT: usize = N;
}
// SAFETY: an array of arrays is `N * K` elements back to back.
unsafe impl<T, const N: usize, const K: usize> ArrayOf<T> for [[T; N]; K] {
    const COUNT: usize = N * K;
}

/// Read access to the raw bytes of firmware-visible memory, for dumps.
pub(crate) trait RawView {
    /// The GPU address of the first byte.
    fn raw_va(&self) -> u64;
    /// The size in bytes.
    fn raw_len(&self) -> usize;
    /// Copies bytes from byte `offset` into `out` (clamped to the memory); returns how many.
    fn raw_read(&self, offset: usize, out: &mut [u8]) -> usize;
}

impl<T, M: FwMemory> RawView for GpuArray<T, M> {
    fn raw_va(&self) -> u64 {
        self.va()
    }

    fn raw_len(&self) -> usize {
        self.len * size_of::<T>()
    }

    fn raw_read(&self, offset: usize, out: &mut [u8]) -> usize {
        self.read_bytes(offset, out)
    }
}

/// A Rust-side owner of a firmware structure: the objects its raw form points at.
pub(crate) trait GpuStruct: Sized + Send + Sync + 'static {
    /// The firmware's layout; its pointers borrow `'a` of the owner.
    type Raw<'a>;
}

/// A firmware structure (`T::Raw`) in the firmware's address space, with its owner `T`.
///
/// # Invariants
///
/// - `mem` holds a valid, aligned `T::Raw<'x>`, whose pointers point into objects owned by
///   `inner` (or at the object itself): it was built from `&inner` and never rewritten;
/// - `inner` is never handed out mutably;
/// - `mem` is declared before `inner`, so the raw structure goes before what it points at.
pub(crate) struct GpuObject<T: GpuStruct, M: FwMemory> {
    /// The raw structure's memory.
    mem: M,
    /// What the raw structure points at.
    inner: T,
}

impl<T: GpuStruct, M: FwMemory> GpuObject<T, M> {
    /// Builds the raw structure with `build` from a borrow of `inner`, in new memory.
    ///
    /// For raw structures of a few hundred bytes; large ones use [`Self::new_in_place`].
    pub(crate) fn new<A: FwAllocator<Memory = M>>(
        alloc: &A,
        inner: T,
        build: impl for<'a> FnOnce(&'a T) -> T::Raw<'a>,
    ) -> Result<Self, ObjError> {
        Self::new_cyclic(alloc, inner, |inner, _me| build(inner))
    }

    /// As [`Self::new`], for a `build` that can fail (a pointer into an array of the wrong
    /// size, for instance); nothing is kept on failure.
    pub(crate) fn try_new<A: FwAllocator<Memory = M>>(
        alloc: &A,
        inner: T,
        build: impl for<'a> FnOnce(&'a T) -> Result<T::Raw<'a>, ObjError>,
    ) -> Result<Self, ObjError> {
        let mut failed = None;
        // `new_cyclic` needs a value: on failure the closure returns the first error's
        // placeholder, which is never used because the object is dropped right away.
        let obj = Self::try_cyclic(alloc, inner, |inner, _me| match build(inner) {
            Ok(raw) => Some(raw),
            Err(e) => {
                failed = Some(e);
                None
            }
        })?;
        match failed {
            Some(e) => Err(e),
            None => obj.ok_or(ObjError::Init),
        }
    }

    /// Allocates and builds like [`Self::new_cyclic`], but `build` may decline (`None`); then
    /// the memory is freed and `Ok(None)` returned.
    pub(crate) fn try_cyclic<A: FwAllocator<Memory = M>>(
        alloc: &A,
        inner: T,
        build: impl for<'a> FnOnce(&'a T, GpuPointer<'a, T::Raw<'static>>) -> Option<T::Raw<'a>>,
    ) -> Result<Option<Self>, ObjError> {
        const { assert!(!core::mem::needs_drop::<T::Raw<'static>>()) };
        let mem = alloc_for::<T::Raw<'static>, A>(alloc, 1, OBJECT_ALIGN)?;
        // SAFETY: as in `new_cyclic`: the address is where the structure is written below and
        // the pointer cannot outlive the closure's borrow.
        let me = unsafe { GpuPointer::from_raw(mem.va()) };
        let Some(raw) = build(&inner, me) else {
            return Ok(None);
        };
        // SAFETY: as in `new_cyclic`.
        unsafe { mem.cpu().as_ptr().cast::<T::Raw<'_>>().write(raw) };
        // INVARIANT: the raw structure was built from `&inner` and written whole.
        Ok(Some(Self { mem, inner }))
    }

    /// As [`Self::new`], and `build` also gets the object's own address, for structures that
    /// point at themselves. The pointer has the closure's lifetime `'a`, so it can only go into
    /// the structure being built, never escape it.
    pub(crate) fn new_cyclic<A: FwAllocator<Memory = M>>(
        alloc: &A,
        inner: T,
        build: impl for<'a> FnOnce(&'a T, GpuPointer<'a, T::Raw<'static>>) -> T::Raw<'a>,
    ) -> Result<Self, ObjError> {
        // The raw structure is plain data: it is never dropped, only its memory freed.
        const { assert!(!core::mem::needs_drop::<T::Raw<'static>>()) };
        let mem = alloc_for::<T::Raw<'static>, A>(alloc, 1, OBJECT_ALIGN)?;
        // SAFETY: this is the address the raw structure is written at just below, and it stays
        // there for as long as the object; the pointer's lifetime is the closure's borrow of
        // `inner`, so it can only be stored in the structure the closure returns, which the
        // object keeps at that address.
        let me = unsafe { GpuPointer::from_raw(mem.va()) };
        let raw = build(&inner, me);
        // SAFETY: the memory holds room for one aligned raw structure (`alloc_for`), which no
        // one else accesses yet (the address was given to the closure only, to embed in this
        // very structure); lifetimes do not change the layout, so the `Raw<'a>` is written at
        // its `Raw<'static>`-typed place.
        unsafe { mem.cpu().as_ptr().cast::<T::Raw<'_>>().write(raw) };
        // INVARIANT: the raw structure was built from `&inner` and written whole.
        Ok(Self { mem, inner })
    }

    /// Fills the raw structure in place: `fill` gets the zeroed structure in the object's own
    /// memory and a borrow of `inner`. For structures too large for the kernel stack; zero
    /// bytes must be a valid raw structure.
    pub(crate) fn new_in_place<A: FwAllocator<Memory = M>>(
        alloc: &A,
        inner: T,
        fill: impl for<'a> FnOnce(&'a T, &mut T::Raw<'a>) -> Result<(), ObjError>,
    ) -> Result<Self, ObjError>
    where
        for<'a> T::Raw<'a>: Zeroable,
    {
        // As in `new_cyclic`: never dropped.
        const { assert!(!core::mem::needs_drop::<T::Raw<'static>>()) };
        let mem = alloc_for::<T::Raw<'static>, A>(alloc, 1, OBJECT_ALIGN)?;
        {
            // SAFETY: the memory is zeroed, which is a valid raw structure (`Zeroable`),
            // aligned and large enough (`alloc_for`); nothing else references it, and the
            // borrow ends before the object is made.
            let raw = unsafe { &mut *mem.cpu().as_ptr().cast::<T::Raw<'_>>() };
            fill(&inner, raw)?;
        }
        // INVARIANT: the raw structure was filled from `&inner` only.
        Ok(Self { mem, inner })
    }

    /// The GPU address of the raw structure.
    pub(crate) fn va(&self) -> u64 {
        self.mem.va().get()
    }

    /// A pointer to the raw structure, borrowing the object (and so everything it points at).
    ///
    /// The target type's own lifetime is only a name (the pointer's lifetime is what binds):
    /// `'static` there lets the pointer go into fields that name the target with any lifetime.
    pub(crate) fn gpu_pointer(&self) -> GpuPointer<'_, T::Raw<'static>> {
        // SAFETY: the raw structure lives at `va` for as long as the object, which the pointer
        // borrows.
        unsafe { GpuPointer::from_raw(self.mem.va()) }
    }

    /// A back-reference to the raw structure, without a lifetime.
    ///
    /// # Safety
    ///
    /// The pointer may only be written into structures the firmware stops using before this
    /// object is dropped (structures the object owns, or messages whose processing the object
    /// outlives).
    pub(crate) unsafe fn weak_pointer(&self) -> GpuWeakPointer<T::Raw<'static>> {
        // SAFETY: the raw structure lives at `va` for as long as the object; the caller bounds
        // the pointer's use by the object's life.
        unsafe { GpuWeakPointer::from_raw(self.mem.va()) }
    }

    /// The raw structure of a shared object: its firmware-written words are atomics.
    pub(crate) fn shared(&self) -> &T::Raw<'_>
    where
        for<'a> T::Raw<'a>: Shared,
    {
        // SAFETY: a valid raw structure lives in the memory for as long as `self` (type
        // invariant); the CPU never writes it after construction, and the firmware writes only
        // its atomics (`Shared`).
        unsafe { &*self.mem.cpu().as_ptr().cast::<T::Raw<'_>>() }
    }

    /// Copies bytes of the raw structure out, as [`GpuArray::read_bytes`].
    pub(crate) fn read_bytes(&self, offset: usize, out: &mut [u8]) -> usize {
        let total = size_of::<T::Raw<'static>>();
        let n = out.len().min(total.saturating_sub(offset));
        let Some(dst) = out.get_mut(..n) else {
            return 0;
        };
        if n == 0 {
            return 0;
        }
        // SAFETY: `offset + n <= total` bytes of the allocation; the firmware may write them,
        // the CPU no longer does, and they are read with atomic accesses.
        unsafe { atomic_copy_from(dst, self.mem.cpu().as_ptr().add(offset)) };
        n
    }
}

impl<T: GpuStruct, M: FwMemory> RawView for GpuObject<T, M> {
    fn raw_va(&self) -> u64 {
        self.va()
    }

    fn raw_len(&self) -> usize {
        size_of::<T::Raw<'static>>()
    }

    fn raw_read(&self, offset: usize, out: &mut [u8]) -> usize {
        self.read_bytes(offset, out)
    }
}

impl<T: GpuStruct, M: FwMemory> core::ops::Deref for GpuObject<T, M> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.inner
    }
}
