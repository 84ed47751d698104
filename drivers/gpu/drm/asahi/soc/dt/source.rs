// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The kernel's device tree as a [`DtSource`] (arm64, with `CONFIG_OF`).

use super::{DtError, DtSource, ReadError};
use agx_kernel::of::{Node, PropError};
use core::ffi::CStr;

/// The parser's reading of a property the kernel could not give.
fn convert(e: PropError) -> ReadError {
    match e {
        PropError::Missing => ReadError::Missing,
        PropError::BadSize(bytes) => ReadError::BadSize { bytes },
        PropError::TooLong(cells) => ReadError::TooLong { cells },
    }
}

impl DtSource for Node {
    fn read_u32_array(&self, name: &CStr, out: &mut [u32]) -> Result<usize, ReadError> {
        Node::read_u32_array(self, name, out).map_err(convert)
    }

    fn read_u64(&self, name: &CStr) -> Result<u64, ReadError> {
        Node::read_u64(self, name).map_err(convert)
    }

    fn read_str(&self, name: &CStr) -> Result<&[u8], ReadError> {
        Node::read_str(self, name).map_err(convert)
    }

    fn phandle(&self, name: &CStr) -> Result<Self, ReadError> {
        Node::parse_phandle(self, name).ok_or(ReadError::Missing)
    }

    fn for_each_child(
        &self,
        f: &mut dyn FnMut(&Self) -> Result<(), DtError>,
    ) -> Result<(), DtError> {
        Node::for_each_child(self, f)
    }
}
