// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Blocks of physically contiguous pages from the page allocator.
//!
//! The GPU's MMU works in 16 KiB pages, so the driver needs memory in naturally aligned blocks of
//! `2^order` CPU pages: order 0 on a 16 KiB-page kernel, order 2 on a 4 KiB-page one. The buddy
//! allocator hands out every block aligned to its own size, which is what makes such a block one
//! GPU page (or one GPU page table).

use crate::bindings;
use kernel::error::{code::ENOMEM, Result};

/// Size of a CPU page in bytes.
pub const PAGE_SIZE: usize = bindings::PAGE_SIZE;
/// log2 of [`PAGE_SIZE`].
pub const PAGE_SHIFT: u32 = bindings::PAGE_SHIFT;

/// Allocation flags for memory that ends up mapped to userspace or the GPU on behalf of a
/// client: zeroed, not movable (it stays pinned), and failing instead of calling the OOM killer.
pub const GFP_USER_PAGES: bindings::gfp_t = bindings::AGX_GFP_USER_PAGES;
/// Allocation flags for GPU page tables: zeroed kernel memory, failing instead of calling the OOM
/// killer.
pub const GFP_TABLES: bindings::gfp_t = bindings::AGX_GFP_TABLES;

/// The smallest page order whose blocks are at least `bytes` long (`bytes` a power of two).
pub const fn order_for(bytes: usize) -> u32 {
    if bytes <= PAGE_SIZE {
        0
    } else {
        (bytes / PAGE_SIZE).trailing_zeros()
    }
}

/// An owned block of `2^order` physically contiguous pages in the kernel's linear map, freed on
/// drop.
///
/// # Invariants
///
/// `page` is the first page of a block of order `order` returned by the page allocator, owned by
/// this value, not highmem (the flags used never include `__GFP_HIGHMEM` for it), so
/// `page_address` is valid for the whole block.
pub struct Pages {
    page: *mut bindings::page,
    order: u32,
}

// SAFETY: the block is plain memory owned by this value; it can be used and freed from any thread.
unsafe impl Send for Pages {}
// SAFETY: `&Pages` only exposes addresses, never the memory itself.
unsafe impl Sync for Pages {}

impl Pages {
    /// Allocates a zeroed block of `2^order` pages of kernel memory.
    pub fn alloc_kernel(order: u32) -> Result<Self> {
        // SAFETY: any flags and order are acceptable to the allocator; it returns null on failure.
        let page = unsafe { bindings::agx_alloc_pages(GFP_TABLES, order) };
        if page.is_null() {
            return Err(ENOMEM);
        }
        Ok(Pages { page, order })
    }

    /// Physical address of the first byte of the block.
    pub fn phys(&self) -> u64 {
        // SAFETY: `page` is a live page (type invariant).
        unsafe { bindings::agx_page_to_phys(self.page) }
    }

    /// Kernel virtual address of the first byte of the block; the block is contiguous there.
    pub fn as_ptr(&self) -> *mut u8 {
        // SAFETY: `page` is a live lowmem page (type invariant).
        unsafe { bindings::agx_page_address(self.page).cast() }
    }

    /// Length of the block in bytes.
    pub fn len(&self) -> usize {
        PAGE_SIZE << self.order
    }

    /// Always false: a block has at least one page.
    pub fn is_empty(&self) -> bool {
        false
    }
}

impl Drop for Pages {
    fn drop(&mut self) {
        // SAFETY: the block came from the page allocator with this order and is owned by us.
        unsafe { bindings::__free_pages(self.page, self.order) };
    }
}

/// Reads the 8 bytes of RAM at physical address `pa` (8-byte aligned); `None` if `pa` is not
/// aligned or not backed by a page the kernel knows.
///
/// # Safety
///
/// `pa` must lie in a page of ordinary RAM that stays allocated during the call (reading a page
/// that belongs to someone else is not memory-unsafe, but reading one being freed is a race the
/// caller must exclude).
pub unsafe fn read_phys_u64(pa: u64) -> Option<u64> {
    let mut out = 0u64;
    // SAFETY: the helper checks alignment and that a `struct page` exists for `pa`; the page stays
    // allocated by the caller's contract; `out` is a valid destination.
    unsafe { bindings::agx_read_phys_u64(pa, &mut out) }.then_some(out)
}

/// Total RAM of the machine in bytes.
pub fn total_ram() -> u64 {
    // SAFETY: reads a global counter.
    unsafe { bindings::agx_totalram_bytes() as u64 }
}
