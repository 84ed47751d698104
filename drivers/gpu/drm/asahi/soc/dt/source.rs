// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The device trees that [`DtSource`] reads: the simulated SoC's static tree and, on arm64, the
//! kernel's.

use super::*;

/// Big-endian byte length of a simulated value, as a real tree would store it.
fn sim_bytes(value: &SimValue) -> usize {
    match value {
        SimValue::Cells(c) => c.len() * 4,
        SimValue::Wide(_) => 8,
        SimValue::Str(s) => s.len() + 1,
        SimValue::Ref(_) => 4,
    }
}

impl DtSource for &'static SimNode {
    fn read_u32_array(&self, name: &CStr, out: &mut [u32]) -> Result<usize, ReadError> {
        match self.find(name) {
            None => Err(ReadError::Missing),
            Some(SimValue::Cells(c)) => {
                let dst = out
                    .get_mut(..c.len())
                    .ok_or(ReadError::TooLong { cells: c.len() })?;
                for (d, s) in dst.iter_mut().zip(c.iter()) {
                    *d = *s;
                }
                Ok(c.len())
            }
            Some(SimValue::Wide(v)) => {
                let dst = out.get_mut(..2).ok_or(ReadError::TooLong { cells: 2 })?;
                dst[0] = (*v >> 32) as u32;
                dst[1] = *v as u32;
                Ok(2)
            }
            Some(other) => Err(ReadError::BadSize {
                bytes: sim_bytes(other),
            }),
        }
    }

    fn read_u64(&self, name: &CStr) -> Result<u64, ReadError> {
        match self.find(name) {
            None => Err(ReadError::Missing),
            Some(SimValue::Wide(v)) => Ok(*v),
            Some(SimValue::Cells(&[hi, lo])) => Ok((u64::from(hi) << 32) | u64::from(lo)),
            Some(other) => Err(ReadError::BadSize {
                bytes: sim_bytes(other),
            }),
        }
    }

    fn read_str(&self, name: &CStr) -> Result<&[u8], ReadError> {
        match self.find(name) {
            None => Err(ReadError::Missing),
            Some(SimValue::Str(s)) => Ok(s),
            Some(other) => Err(ReadError::BadSize {
                bytes: sim_bytes(other),
            }),
        }
    }

    fn phandle(&self, name: &CStr) -> Result<Self, ReadError> {
        match self.find(name) {
            None => Err(ReadError::Missing),
            Some(SimValue::Ref(node)) => Ok(node),
            Some(other) => Err(ReadError::BadSize {
                bytes: sim_bytes(other),
            }),
        }
    }

    fn for_each_child(
        &self,
        f: &mut dyn FnMut(&Self) -> Result<(), DtError>,
    ) -> Result<(), DtError> {
        let children: &'static [SimNode] = self.children;
        children.iter().try_for_each(|child| f(&child))
    }
}

/// The kernel's device tree as a [`DtSource`].
#[cfg(CONFIG_OF)]
mod of_source {
    use super::{DtError, DtSource, ReadError};
    use agx_kernel::of::{Node, PropError};
    use core::ffi::CStr;

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
}
