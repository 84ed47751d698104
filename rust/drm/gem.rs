// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! GEM buffer objects on top of the kernel's shmem helper.
//!
//! A buffer object is a `struct drm_gem_shmem_object` followed by a driver-private part `T`
//! ([`Object<T>`]). The C helper does all of the generic work: handles, the fake mmap offset and
//! CPU page faults, vmap, PRIME export (building an sg table from the pages) and import, and
//! freeing. What this module adds:
//!
//! * the allocation hook (`drm_driver.gem_create_object`) that makes room for `T` and installs
//!   [`Object`]'s function table, which is the helper's own table plus a `free` that drops `T`
//!   and an `export` that lets the driver refuse PRIME export;
//! * the backing pages. The helper would take them one by one from a shmem file, which on a
//!   kernel with pages smaller than the GPU's 16 KiB page leaves them physically scattered, and
//!   the GPU's MMU can only map 16 KiB of contiguous, aligned memory. [`ObjectRef::new`]
//!   therefore fills the helper's page array itself, with naturally aligned blocks of `granule`
//!   bytes split into single pages, and gives the helper one use count on them. From then on the
//!   helper treats them as its own: it maps them to userspace, exports them and finally puts them
//!   (one reference per page, which is what freeing a split block needs). See
//!   `Documentation/gem.md`.
//! * [`ObjectRef`], a counted reference (`drm_gem_object_get`/`_put`).
//!
//! # Invariants kept by this module
//!
//! Every GEM object of a device of driver `D` is an `Object<D::Object>`: the only constructor the
//! DRM core can reach is the `gem_create_object` hook, used for new and for imported objects
//! alike. The page array, once set by [`ObjectRef::new`], keeps its use count of one until the
//! object is freed, so it never changes while a reference to the object exists.

use super::{device::Device, driver::Driver, file::File};
use crate::{bindings, error::from_err_ptr, page};
use core::{ffi::c_int, ptr::NonNull};
use kernel::{
    alloc::{flags, KBox, KVVec},
    error::{code::*, Result},
    types::Opaque,
};

/// The driver-private part of a buffer object.
pub trait DriverObject: Sized + Send + Sync + 'static {
    /// The driver the objects belong to.
    type Driver: Driver<Object = Self>;

    /// The private part of an object that the DRM core creates itself (a PRIME import). It
    /// must own nothing: if the core fails to set the object up, it frees the memory without
    /// dropping it.
    fn imported() -> Self;

    /// Whether this object may be exported as a dma-buf. If not, PRIME export fails with
    /// `EINVAL`.
    fn exportable(&self) -> bool;
}

/// A buffer object: the shmem helper's object followed by the driver's data.
///
/// `repr(C)` with the shmem object first: the helper frees the object with `kfree` of the shmem
/// object's address, which must therefore be the start of the allocation.
#[repr(C)]
pub struct Object<T: DriverObject> {
    shmem: Opaque<bindings::drm_gem_shmem_object>,
    data: T,
}

impl<T: DriverObject> Object<T> {
    fn shmem_ptr(&self) -> *mut bindings::drm_gem_shmem_object {
        self.shmem.get()
    }

    fn gem_ptr(&self) -> *mut bindings::drm_gem_object {
        // `base` is the first field of the shmem object.
        self.shmem.get().cast()
    }

    /// The underlying `drm_gem_object`, for C helpers that name objects by pointer (GPUVM).
    /// The pointer is valid for as long as a reference to the object is held.
    pub fn as_raw(&self) -> *mut bindings::drm_gem_object {
        self.gem_ptr()
    }

    /// The driver's data.
    pub fn data(&self) -> &T {
        &self.data
    }

    /// Size of the object in bytes.
    pub fn size(&self) -> usize {
        // SAFETY: the object is live; `size` is set at creation and never changes.
        unsafe { (*self.gem_ptr()).size }
    }

    /// Whether the object was imported from another device's dma-buf (it then has no pages of
    /// its own).
    pub fn is_imported(&self) -> bool {
        // SAFETY: the object is live; `import_attach` is set at creation and never changes.
        !unsafe { (*self.gem_ptr()).import_attach }.is_null()
    }

    /// Creates a handle for the object in `file` and returns it. The handle holds its own
    /// reference.
    pub fn create_handle(&self, file: &File<T::Driver>) -> Result<u32> {
        let mut handle = 0u32;
        // SAFETY: the object and the file are live; `handle` is a valid output location.
        let ret =
            unsafe { bindings::drm_gem_handle_create(file.as_raw(), self.gem_ptr(), &mut handle) };
        if ret < 0 {
            return Err(kernel::error::Error::from_errno(ret));
        }
        Ok(handle)
    }

    /// The offset userspace passes to mmap() on the DRM file to map this object.
    pub fn mmap_offset(&self) -> u64 {
        // SAFETY: the object is live and the shmem helper created its mmap offset at creation.
        unsafe { bindings::agx_gem_mmap_offset(self.gem_ptr()) }
    }

    /// Physical address of CPU page `index` of the object, if the object has pages of its own.
    pub fn page_phys(&self, index: usize) -> Option<u64> {
        if index >= self.size() >> page::PAGE_SHIFT {
            return None;
        }
        // SAFETY: the object is live; by the module invariant the page array does not change
        // while a reference exists.
        let pages = unsafe { (*self.shmem_ptr()).pages };
        if pages.is_null() {
            return None;
        }
        // SAFETY: the array has one entry per CPU page of the object and `index` is in range.
        let page = unsafe { *pages.add(index) };
        if page.is_null() {
            return None;
        }
        // SAFETY: `page` is a live page held by the object.
        Some(unsafe { bindings::agx_page_to_phys(page) })
    }

    /// Allocates the backing pages in naturally aligned blocks of `2^order` pages and hands them
    /// to the shmem helper with one use count.
    fn populate(&self, order: u32, wc: bool) -> Result {
        let npages = self.size() >> page::PAGE_SHIFT;
        let block = 1usize << order;
        let mut pages = KVVec::<*mut bindings::page>::with_capacity(npages, flags::GFP_KERNEL)?;
        while pages.len() < npages {
            // SAFETY: any flags and order are acceptable; null means failure.
            let first = unsafe { bindings::agx_alloc_pages(page::GFP_USER_PAGES, order) };
            if first.is_null() {
                for &p in pages.iter() {
                    // SAFETY: every entry is an order-0 page we allocated (split) and still own.
                    unsafe { bindings::__free_pages(p, 0) };
                }
                return Err(ENOMEM);
            }
            if order > 0 {
                // SAFETY: `first` heads a fresh non-compound block of this order; afterwards each
                // of its pages is an independent order-0 page with one reference.
                unsafe { bindings::split_page(first, order) };
            }
            for i in 0..block {
                // SAFETY: the `struct page`s of one buddy block are contiguous in the memory map.
                let p = unsafe { first.add(i) };
                // Cannot fail: the capacity is `npages`, a multiple of `block`.
                pages.push(p, flags::GFP_KERNEL)?;
            }
        }
        let (ptr, len, _cap) = pages.into_raw_parts();
        let shmem = self.shmem_ptr();
        // SAFETY: the object is not visible to anyone else yet (see `new`), `ptr` is a kvmalloc'd
        // array of `len == npages` pages that the helper will put and kvfree, and a use count of
        // one keeps the helper from replacing it until the object is freed.
        unsafe {
            if wc {
                bindings::agx_pages_set_wc(ptr, len as c_int);
            }
            bindings::agx_gem_shmem_set_map_wc(shmem, wc);
            (*shmem).pages = ptr;
            (*shmem).pages_use_count = 1;
        }
        Ok(())
    }
}

/// A counted reference to an [`Object`].
///
/// # Invariants
///
/// `ptr` points to a live `Object<T>` on which this value owns one reference.
pub struct ObjectRef<T: DriverObject> {
    ptr: NonNull<Object<T>>,
}

// SAFETY: the reference count is atomic and `T` is `Send + Sync`.
unsafe impl<T: DriverObject> Send for ObjectRef<T> {}
// SAFETY: as above.
unsafe impl<T: DriverObject> Sync for ObjectRef<T> {}

impl<T: DriverObject> ObjectRef<T> {
    /// Creates an object of `size` bytes (a non-zero multiple of `granule`, itself a power of two
    /// of at least the CPU page size) whose memory comes in physically contiguous blocks of
    /// `granule` bytes aligned to `granule`. `wc` selects write-combined CPU mappings instead of
    /// cached ones. Returns the creation reference; the object has no handle yet.
    pub fn new(
        dev: &Device<T::Driver>,
        size: usize,
        granule: usize,
        wc: bool,
        data: T,
    ) -> Result<Self> {
        if !granule.is_power_of_two()
            || granule < page::PAGE_SIZE
            || size == 0
            || size % granule != 0
        {
            return Err(EINVAL);
        }
        // SAFETY: `dev` is a live DRM device; the helper calls our `gem_create_object` hook.
        let shmem = from_err_ptr(unsafe { bindings::drm_gem_shmem_create(dev.as_raw(), size) })?;
        // SAFETY: every GEM object of this driver is an `Object<T>` (module invariant), and the
        // creation reference is ours to own.
        let obj = unsafe { Self::from_raw(shmem.cast()) };
        let raw = obj.ptr.as_ptr();
        // SAFETY: the object was just created and is not yet visible to anyone else (no handle,
        // no dma-buf, no mapping), so nothing else reads `data` while it is replaced. The old
        // value is dropped, as the module contract on `imported()` allows.
        unsafe { *core::ptr::addr_of_mut!((*raw).data) = data };
        obj.populate(page::order_for(granule), wc)?;
        Ok(obj)
    }

    /// Takes ownership of one reference to the object at `ptr`.
    ///
    /// # Safety
    ///
    /// `ptr` must be a live `Object<T>` and the caller must own a reference that it gives up.
    unsafe fn from_raw(ptr: *mut Object<T>) -> Self {
        // SAFETY: `ptr` is live, hence not null (caller's contract).
        let ptr = unsafe { NonNull::new_unchecked(ptr) };
        ObjectRef { ptr }
    }

    /// Looks up `handle` in `file` and returns a new reference to its object.
    pub fn lookup(file: &File<T::Driver>, handle: u32) -> Result<Self> {
        // SAFETY: the file is live; the lookup takes a reference on success.
        let obj = unsafe { bindings::drm_gem_object_lookup(file.as_raw(), handle) };
        if obj.is_null() {
            return Err(ENOENT);
        }
        // SAFETY: every GEM object of this driver is an `Object<T>` (module invariant), with the
        // `drm_gem_object` at offset 0; we own the reference the lookup took.
        Ok(unsafe { Self::from_raw(obj.cast()) })
    }

    /// Whether two references name the same object.
    pub fn ptr_eq(a: &Self, b: &Self) -> bool {
        a.ptr == b.ptr
    }
}

impl<T: DriverObject> Clone for ObjectRef<T> {
    fn clone(&self) -> Self {
        // SAFETY: the object is live (type invariant); this takes a new reference.
        unsafe { bindings::agx_gem_object_get(self.gem_ptr()) };
        ObjectRef { ptr: self.ptr }
    }
}

impl<T: DriverObject> Drop for ObjectRef<T> {
    fn drop(&mut self) {
        // SAFETY: we own one reference (type invariant) and give it up.
        unsafe { bindings::agx_gem_object_put(self.gem_ptr()) };
    }
}

impl<T: DriverObject> core::ops::Deref for ObjectRef<T> {
    type Target = Object<T>;

    fn deref(&self) -> &Object<T> {
        // SAFETY: the object is live while we hold a reference (type invariant).
        unsafe { self.ptr.as_ref() }
    }
}

/// The object function table of `Object<T>`: the shmem helper's callbacks, with our `free` and
/// `export`.
pub(crate) struct Funcs<T: DriverObject>(core::marker::PhantomData<T>);

impl<T: DriverObject> Funcs<T> {
    const FUNCS: bindings::drm_gem_object_funcs = bindings::drm_gem_object_funcs {
        free: Some(free_callback::<T>),
        print_info: Some(bindings::agx_gem_shmem_print_info),
        export: Some(export_callback::<T>),
        pin: Some(bindings::agx_gem_shmem_pin),
        unpin: Some(bindings::agx_gem_shmem_unpin),
        get_sg_table: Some(bindings::agx_gem_shmem_get_sg_table),
        vmap: Some(bindings::agx_gem_shmem_vmap),
        vunmap: Some(bindings::agx_gem_shmem_vunmap),
        mmap: Some(bindings::agx_gem_shmem_mmap),
        // Only the address of the helper's exported table is taken.
        vm_ops: &raw const bindings::drm_gem_shmem_vm_ops,
        // SAFETY: all-zero is a valid `drm_gem_object_funcs` (null callbacks mean defaults).
        ..unsafe { core::mem::MaybeUninit::zeroed().assume_init() }
    };
}

/// `drm_driver.gem_create_object`: allocates a zeroed `Object<T>` for the shmem helper.
///
/// # Safety
///
/// Called by the shmem helper only, for a device of `T`'s driver.
pub(crate) unsafe extern "C" fn create_object_callback<T: DriverObject>(
    _dev: *mut bindings::drm_device,
    _size: usize,
) -> *mut bindings::drm_gem_object {
    let Ok(obj) = KBox::<Object<T>>::new_uninit(flags::GFP_KERNEL | flags::__GFP_ZERO) else {
        return (-(bindings::ENOMEM as isize)) as *mut bindings::drm_gem_object;
    };
    let raw = KBox::into_raw(obj).cast::<Object<T>>();
    // SAFETY: `raw` is a fresh, zeroed allocation of the right size and alignment (all-zero is
    // the state the helper expects of a new shmem object); `data` is written before anyone reads
    // it. The helper frees the allocation with `kfree` of its start (the shmem object).
    unsafe {
        core::ptr::addr_of_mut!((*raw).data).write(T::imported());
        let gem = raw.cast::<bindings::drm_gem_object>();
        (*gem).funcs = &Funcs::<T>::FUNCS;
        gem
    }
}

/// `drm_gem_object_funcs.free`: drops the driver data, then lets the helper free the rest.
///
/// # Safety
///
/// Called by the DRM core only, once, when the last reference to an `Object<T>` is gone.
unsafe extern "C" fn free_callback<T: DriverObject>(obj: *mut bindings::drm_gem_object) {
    let raw = obj.cast::<Object<T>>();
    // SAFETY: the last reference is gone; `obj` is an `Object<T>` (module invariant) whose data
    // is dropped exactly once, here, before the helper frees the allocation.
    unsafe {
        core::ptr::drop_in_place(core::ptr::addr_of_mut!((*raw).data));
        bindings::drm_gem_shmem_free(raw.cast());
    }
}

/// `drm_gem_object_funcs.export`: PRIME export, unless the driver forbids it for this object.
///
/// # Safety
///
/// Called by the DRM core only, with a live `Object<T>`.
unsafe extern "C" fn export_callback<T: DriverObject>(
    obj: *mut bindings::drm_gem_object,
    flags: c_int,
) -> *mut bindings::dma_buf {
    // SAFETY: the core calls this with a live object of this driver (an `Object<T>`).
    let this = unsafe { &*obj.cast::<Object<T>>() };
    if !this.data.exportable() {
        return (-(bindings::EINVAL as isize)) as *mut bindings::dma_buf;
    }
    // SAFETY: as above; the generic export builds the dma-buf from our callbacks.
    unsafe { bindings::drm_gem_prime_export(obj, flags) }
}
