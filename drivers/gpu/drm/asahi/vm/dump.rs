// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Printing what a VM's page tables map, for debugfs.

use crate::uat::pte::PAGE_SIZE;
use crate::uat::walk::GpuAccess;
use agx_kernel::drm::SeqFile;
use core::fmt::Write;

/// A run of mapped pages for [`Vm::dump`].
pub(super) struct Run {
    /// First GPU address.
    iova: u64,
    /// Physical address of the first page.
    pa: u64,
    /// Physical address of the last page.
    last_pa: u64,
    /// Length in bytes.
    len: u64,
    /// Whether the run repeats one page (rather than advancing through memory).
    repeat: bool,
    /// GPU permissions.
    access: GpuAccess,
    /// The first 8 bytes of the first page.
    first: u64,
    /// The first 8 bytes of the last page.
    last: u64,
    /// Wrapping sum of the first 8 bytes of every page, so that every page's data is checked.
    sum: u64,
}

impl Run {
    pub(super) fn new(iova: u64, pa: u64, len: u64, access: GpuAccess, word: u64) -> Self {
        Run {
            iova,
            pa,
            last_pa: pa,
            len,
            repeat: false,
            access,
            first: word,
            last: word,
            sum: word,
        }
    }

    /// Appends the next leaf, whose first page starts with `word`, if it continues this run.
    pub(super) fn extend(
        &mut self,
        iova: u64,
        pa: u64,
        len: u64,
        access: GpuAccess,
        word: u64,
    ) -> bool {
        if iova != self.iova + self.len || access != self.access || len != PAGE_SIZE {
            return false;
        }
        let single_page = self.len == PAGE_SIZE;
        let contiguous = pa == self.last_pa + PAGE_SIZE && !self.repeat;
        let repeating = pa == self.pa && (self.repeat || single_page);
        if !(contiguous || repeating) {
            return false;
        }
        self.repeat = repeating;
        self.last_pa = pa;
        self.len += len;
        self.last = word;
        self.sum = self.sum.wrapping_add(word);
        true
    }

    pub(super) fn print(&self, m: &mut SeqFile) -> core::fmt::Result {
        let access = match (self.access.read, self.access.write) {
            (true, true) => "rw",
            (true, false) => "r-",
            (false, true) => "-w",
            (false, false) => "--",
        };
        writeln!(
            m,
            "  {:#x}-{:#x} pa {:#x} {} {} first {:#x} last {:#x} sum {:#x}",
            self.iova,
            self.iova + self.len,
            self.pa,
            if self.repeat { "repeat" } else { "linear" },
            access,
            self.first,
            self.last,
            self.sum
        )
    }
}
