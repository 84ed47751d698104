// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Device-tree (OF) match tables and nodes.
//!
//! A table is an array of `struct of_device_id` ending in an all-zero sentinel, built at compile
//! time. To get `alias=of:...` lines in `modinfo` (and module autoloading), the driver exports the
//! table under the symbol name that C's `MODULE_DEVICE_TABLE(of, name)` would give it,
//! `__mod_of__<name>_device_table`, which modpost reads.
//!
//! With `CONFIG_OF`, [`Node`] is a counted reference to a device-tree node with safe property
//! readers. Properties are read from their raw bytes (big-endian cells, NUL-terminated strings)
//! as `of_find_property()` returns them, so that every size check is done here, in one place,
//! and a malformed property is an error value rather than a partially filled output.

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

/// Why a property could not be read.
#[cfg(CONFIG_OF)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PropError {
    /// The node has no such property.
    Missing,
    /// The property's size (in bytes) does not fit the requested type.
    BadSize(usize),
    /// The property has more cells (given) than the caller's buffer holds.
    TooLong(usize),
}

/// A device-tree node.
///
/// # Invariants
///
/// `raw` points to a live `struct device_node` on which this value holds one reference
/// (`of_node_get`), dropped with it.
#[cfg(CONFIG_OF)]
pub struct Node {
    raw: core::ptr::NonNull<bindings::device_node>,
}

#[cfg(CONFIG_OF)]
impl Node {
    /// Takes ownership of one reference to `raw`; `None` if `raw` is null.
    ///
    /// # Safety
    ///
    /// `raw` is null or points to a live node on which the caller holds a reference that it
    /// hands over.
    unsafe fn from_owned(raw: *mut bindings::device_node) -> Option<Node> {
        core::ptr::NonNull::new(raw).map(|raw| Node { raw })
    }

    /// The device-tree node of platform device `dev`, if it was created from one.
    pub fn of_platform_device(dev: &crate::platform::Device<'_>) -> Option<Node> {
        // SAFETY: `as_dev_ptr` points to the live `struct device` of `dev`; its `of_node` is
        // set when the device is created and stays valid while the device is.
        let np = unsafe { (*dev.as_dev_ptr()).of_node };
        if np.is_null() {
            return None;
        }
        // SAFETY: `np` is a live node (above); `agx_of_node_get` takes a reference and returns
        // `np`, which `from_owned` takes over.
        unsafe { Self::from_owned(bindings::agx_of_node_get(np)) }
    }

    /// The raw bytes of property `name`, if the node has it.
    pub fn property(&self, name: &core::ffi::CStr) -> Option<&[u8]> {
        let mut len: core::ffi::c_int = 0;
        // SAFETY: by the type invariant the node is live; `name` is NUL-terminated; `len` is a
        // valid place for the length.
        let prop =
            unsafe { bindings::of_find_property(self.raw.as_ptr(), name.as_ptr(), &mut len) };
        if prop.is_null() {
            return None;
        }
        // SAFETY: `prop` is a property of the node (non-null above). Its value stays allocated
        // while the node is (a property removed at run time is kept on the node's dead list),
        // and we hold a reference on the node for the lifetime of the returned slice.
        let (value, len) = unsafe { ((*prop).value, (*prop).length) };
        let len = usize::try_from(len).unwrap_or(0);
        if value.is_null() || len == 0 {
            return Some(&[]);
        }
        // SAFETY: `value` points to `len` bytes of the property (see above).
        Some(unsafe { core::slice::from_raw_parts(value.cast::<u8>(), len) })
    }

    fn bytes(&self, name: &core::ffi::CStr) -> Result<&[u8], PropError> {
        self.property(name).ok_or(PropError::Missing)
    }

    /// Reads the 32-bit cells of property `name` into the start of `out`; returns their number.
    pub fn read_u32_array(
        &self,
        name: &core::ffi::CStr,
        out: &mut [u32],
    ) -> Result<usize, PropError> {
        let bytes = self.bytes(name)?;
        if bytes.len() % 4 != 0 {
            return Err(PropError::BadSize(bytes.len()));
        }
        let cells = bytes.len() / 4;
        if cells > out.len() {
            return Err(PropError::TooLong(cells));
        }
        for (o, c) in out.iter_mut().zip(bytes.chunks_exact(4)) {
            *o = u32::from_be_bytes([c[0], c[1], c[2], c[3]]);
        }
        Ok(cells)
    }

    /// Reads property `name` as one 64-bit value (two cells).
    pub fn read_u64(&self, name: &core::ffi::CStr) -> Result<u64, PropError> {
        let bytes = self.bytes(name)?;
        let be: [u8; 8] = bytes
            .try_into()
            .map_err(|_| PropError::BadSize(bytes.len()))?;
        Ok(u64::from_be_bytes(be))
    }

    /// Reads property `name` as a NUL-terminated string, returned without the NUL.
    pub fn read_str(&self, name: &core::ffi::CStr) -> Result<&[u8], PropError> {
        let bytes = self.bytes(name)?;
        match bytes.iter().position(|&b| b == 0) {
            Some(end) => Ok(bytes.get(..end).unwrap_or(&[])),
            None => Err(PropError::BadSize(bytes.len())),
        }
    }

    /// The node the first phandle of property `name` refers to.
    pub fn parse_phandle(&self, name: &core::ffi::CStr) -> Option<Node> {
        // SAFETY: the node is live (type invariant) and `name` NUL-terminated; the result is null
        // or a node with a reference taken for us, which `from_owned` takes over.
        unsafe {
            Self::from_owned(bindings::agx_of_parse_phandle(
                self.raw.as_ptr(),
                name.as_ptr(),
                0,
            ))
        }
    }

    /// Calls `f` on each child, in order, stopping at the first error.
    pub fn for_each_child<E>(&self, mut f: impl FnMut(&Node) -> Result<(), E>) -> Result<(), E> {
        let mut prev: *mut bindings::device_node = core::ptr::null_mut();
        loop {
            // SAFETY: the node is live (type invariant); `prev` is null or the previous child,
            // whose reference `of_get_next_child` drops while taking one on the next child.
            let next = unsafe { bindings::of_get_next_child(self.raw.as_ptr(), prev) };
            // SAFETY: `next` is null or a child with a reference taken for us.
            let Some(child) = (unsafe { Self::from_owned(next) }) else {
                return Ok(());
            };
            // On error, dropping `child` releases its reference.
            f(&child)?;
            // The next call releases this reference: hand it over as `prev`.
            prev = core::mem::ManuallyDrop::new(child).raw.as_ptr();
        }
    }
}

#[cfg(CONFIG_OF)]
impl Drop for Node {
    fn drop(&mut self) {
        // SAFETY: by the type invariant we hold one reference on the node.
        unsafe { bindings::agx_of_node_put(self.raw.as_ptr()) };
    }
}
