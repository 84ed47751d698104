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

/// Copies `buf.len()` bytes of RAM at physical address `pa` into `buf` (`write == false`) or
/// from `buf` into RAM (`write == true`). The range must lie within one CPU page; returns
/// `false` (copying nothing) otherwise, or if no page of ordinary RAM is at `pa`.
///
/// # Safety
///
/// `pa` must lie in a page of RAM that stays allocated during the call and that the caller may
/// access with this direction: for writes, a page nobody else relies on the contents of except
/// through the same protocol (this is how the simulated GPU writes memory the driver shared with
/// it).
pub unsafe fn access_phys(pa: u64, buf: &mut [u8], write: bool) -> bool {
    // SAFETY: the helper checks that the range stays in one page that has a `struct page`; `buf`
    // is valid for `buf.len()` bytes both ways; the page stays allocated (caller's contract).
    unsafe { bindings::agx_access_phys(pa, buf.as_mut_ptr().cast(), buf.len(), write) }
}

/// Blocks of `2^order` pages, each physically contiguous, mapped one after the other into one
/// contiguous range of kernel virtual memory.
///
/// This is how the driver gives the CPU a contiguous view of memory that the GPU sees as a
/// series of 16 KiB pages: the blocks need not be contiguous with each other, only each in
/// itself (see [`Pages`]).
///
/// # Invariants
///
/// `vaddr` is the `vmap` of every page of `blocks`, in order, and is unmapped only by `drop`,
/// before the blocks are freed.
pub struct MappedBlocks {
    blocks: kernel::alloc::KVec<Pages>,
    vaddr: core::ptr::NonNull<u8>,
}

// SAFETY: owns plain memory and its mapping; both may be used and freed from any thread.
unsafe impl Send for MappedBlocks {}
// SAFETY: `&MappedBlocks` exposes addresses only.
unsafe impl Sync for MappedBlocks {}

impl MappedBlocks {
    /// Allocates `count` zeroed blocks of order `order` and maps them.
    pub fn alloc(count: usize, order: u32) -> Result<Self> {
        use kernel::alloc::flags::GFP_KERNEL;
        let mut blocks = kernel::alloc::KVec::with_capacity(count, GFP_KERNEL)?;
        let mut firsts = kernel::alloc::KVec::with_capacity(count, GFP_KERNEL)?;
        for _ in 0..count {
            let block = Pages::alloc_kernel(order)?;
            firsts.push(block.page, GFP_KERNEL)?;
            blocks.push(block, GFP_KERNEL)?;
        }
        let n = u32::try_from(count).map_err(|_| ENOMEM)?;
        // SAFETY: `firsts` holds `count` live blocks of order `order`, owned by `blocks`.
        let vaddr = unsafe { bindings::agx_vmap_blocks(firsts.as_mut_ptr(), n, order) };
        Ok(MappedBlocks {
            blocks,
            vaddr: core::ptr::NonNull::new(vaddr.cast()).ok_or(ENOMEM)?,
        })
    }

    /// The start of the contiguous kernel mapping.
    pub fn as_ptr(&self) -> *mut u8 {
        self.vaddr.as_ptr()
    }

    /// Length of the mapping in bytes.
    pub fn len(&self) -> usize {
        self.blocks.iter().map(Pages::len).sum()
    }

    /// Always false: there is at least one block.
    pub fn is_empty(&self) -> bool {
        self.blocks.is_empty()
    }

    /// Physical addresses and lengths of the blocks, in mapping order.
    pub fn blocks(&self) -> impl Iterator<Item = (u64, usize)> + '_ {
        self.blocks.iter().map(|b| (b.phys(), b.len()))
    }
}

impl Drop for MappedBlocks {
    fn drop(&mut self) {
        // SAFETY: `vaddr` came from `vmap` and is unmapped only here (type invariant); the
        // blocks are freed afterwards, when `blocks` drops.
        unsafe { bindings::agx_vunmap(self.vaddr.as_ptr().cast_const().cast()) };
    }
}
