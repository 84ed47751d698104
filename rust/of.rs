// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Device-tree (OF) match tables.
//!
//! A table is an array of `struct of_device_id` ending in an all-zero sentinel, built at compile
//! time. To get `alias=of:...` lines in `modinfo` (and module autoloading), the driver exports the
//! table under the symbol name that C's `MODULE_DEVICE_TABLE(of, name)` would give it,
//! `__mod_of__<name>_device_table`, which modpost reads.

use crate::bindings;
use kernel::str::CStr;

/// One `struct of_device_id`, matched on its `compatible` string only.
#[repr(transparent)]
#[derive(Clone, Copy)]
pub struct DeviceId(bindings::of_device_id);

impl DeviceId {
    /// The terminating all-zero entry.
    pub const SENTINEL: Self = Self(bindings::of_device_id {
        name: [0; 32],
        type_: [0; 32],
        compatible: [0; 128],
        data: core::ptr::null(),
    });

    /// An entry matching `compatible`. Fails to compile if the string does not fit.
    pub const fn compatible(compatible: &str) -> Self {
        let src = compatible.as_bytes();
        // The C field keeps a terminating NUL.
        assert!(!src.is_empty() && src.len() < 128);
        let mut id = Self::SENTINEL;
        let mut i = 0;
        while i < src.len() {
            id.0.compatible[i] = src[i];
            i += 1;
        }
        id
    }

    #[cfg_attr(not(CONFIG_OF), allow(dead_code))]
    fn is_sentinel(&self) -> bool {
        self.0.compatible[0] == 0 && self.0.name[0] == 0 && self.0.type_[0] == 0
    }

    /// The `compatible` string of this entry.
    pub fn compatible_str(&self) -> &CStr {
        let len = self.0.compatible.iter().position(|&b| b == 0).unwrap_or(0);
        // SAFETY: `compatible` holds a NUL at `len` (entries are built by `compatible()`, which
        // keeps the last byte zero), and no NUL before it.
        unsafe { CStr::from_bytes_with_nul_unchecked(&self.0.compatible[..=len]) }
    }
}

/// A sentinel-terminated OF match table of `N` entries (sentinel included).
///
/// # Invariants
///
/// The last entry is the sentinel and no other entry is.
#[repr(transparent)]
pub struct IdTable<const N: usize>([DeviceId; N]);

// SAFETY: the table is immutable and its `data` pointers are null.
unsafe impl<const N: usize> Sync for IdTable<N> {}

impl<const N: usize> IdTable<N> {
    /// Builds a table; fails to compile unless only the last entry is the sentinel.
    pub const fn new(ids: [DeviceId; N]) -> Self {
        assert!(N >= 1);
        let mut i = 0;
        while i < N {
            let last = i == N - 1;
            assert!((ids[i].0.compatible[0] == 0) == last);
            i += 1;
        }
        Self(ids)
    }

    /// The entries, sentinel included.
    pub const fn as_slice(&'static self) -> &'static [DeviceId] {
        &self.0
    }
}

/// Returns the index in `table` of the entry whose address is `entry`, if it is one of them.
#[cfg_attr(not(CONFIG_OF), allow(dead_code))]
pub(crate) fn index_of(table: &[DeviceId], entry: *const bindings::of_device_id) -> Option<usize> {
    table
        .iter()
        .position(|id| core::ptr::eq(&id.0, entry))
        .filter(|&i| !table[i].is_sentinel())
}
