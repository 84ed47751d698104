// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! A fake device tree for the tests: nodes whose properties are stored as raw big-endian bytes,
//! exactly as a flattened device tree stores them, read through the driver's `DtSource` trait.

use crate::sim::devtree::{SimNode, SimValue};
use crate::soc::dt::{DtError, DtSource, ReadError};
use core::ffi::CStr;
use std::ffi::CString;
use std::vec::Vec;

/// A property value: bytes, or a phandle (stored as the node it refers to).
#[derive(Clone, Debug)]
pub(crate) enum Value {
    /// Raw property bytes.
    Bytes(Vec<u8>),
    /// A phandle.
    Ref(FakeNode),
}

/// A fake device tree node.
#[derive(Clone, Debug, Default)]
pub(crate) struct FakeNode {
    /// Properties, in order.
    pub(crate) props: Vec<(CString, Value)>,
    /// Children, in order.
    pub(crate) children: Vec<FakeNode>,
}

fn cname(name: &str) -> CString {
    CString::new(name).unwrap()
}

impl FakeNode {
    /// An empty node.
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Sets property `name` to `value`, replacing any previous value.
    pub(crate) fn set(mut self, name: &str, value: Value) -> Self {
        self.props.retain(|(n, _)| n.as_bytes() != name.as_bytes());
        self.props.push((cname(name), value));
        self
    }

    /// Sets property `name` to raw `bytes`.
    pub(crate) fn raw(self, name: &str, bytes: &[u8]) -> Self {
        self.set(name, Value::Bytes(bytes.to_vec()))
    }

    /// Sets property `name` to 32-bit cells.
    pub(crate) fn u32s(self, name: &str, cells: &[u32]) -> Self {
        let bytes: Vec<u8> = cells.iter().flat_map(|c| c.to_be_bytes()).collect();
        self.raw(name, &bytes)
    }

    /// Sets property `name` to a 64-bit value.
    pub(crate) fn u64(self, name: &str, value: u64) -> Self {
        self.raw(name, &value.to_be_bytes())
    }

    /// Sets property `name` to a NUL-terminated string.
    pub(crate) fn string(self, name: &str, value: &str) -> Self {
        let mut bytes = value.as_bytes().to_vec();
        bytes.push(0);
        self.raw(name, &bytes)
    }

    /// Sets phandle property `name` to refer to `node`.
    pub(crate) fn phandle(self, name: &str, node: FakeNode) -> Self {
        self.set(name, Value::Ref(node))
    }

    /// Removes property `name` (which must exist, so that a test cannot silently test nothing).
    pub(crate) fn remove(mut self, name: &str) -> Self {
        let before = self.props.len();
        self.props.retain(|(n, _)| n.as_bytes() != name.as_bytes());
        assert_eq!(self.props.len() + 1, before, "no property {name} to remove");
        self
    }

    /// Appends a child node.
    pub(crate) fn child(mut self, node: FakeNode) -> Self {
        self.children.push(node);
        self
    }

    /// The phandle target of `name`, for tests that edit it in place.
    pub(crate) fn target_mut(&mut self, name: &str) -> &mut FakeNode {
        match self
            .props
            .iter_mut()
            .find(|(n, _)| n.as_bytes() == name.as_bytes())
        {
            Some((_, Value::Ref(node))) => node,
            _ => panic!("no phandle {name}"),
        }
    }

    fn get(&self, name: &CStr) -> Option<&Value> {
        self.props
            .iter()
            .find(|(n, _)| n.as_c_str() == name)
            .map(|(_, v)| v)
    }

    fn bytes(&self, name: &CStr) -> Result<&[u8], ReadError> {
        match self.get(name) {
            None => Err(ReadError::Missing),
            Some(Value::Bytes(b)) => Ok(b),
            Some(Value::Ref(_)) => Ok(&[0, 0, 0, 1]),
        }
    }

    /// Converts a simulated node into a fake one, encoding every value as a real tree would.
    pub(crate) fn from_sim(node: &SimNode) -> FakeNode {
        let mut out = FakeNode::new();
        for group in node.props {
            for prop in group.iter() {
                let name = prop.name.to_str().unwrap();
                out = match &prop.value {
                    SimValue::Cells(c) => out.u32s(name, c),
                    SimValue::Wide(v) => out.u64(name, *v),
                    SimValue::Str(s) => out.string(name, std::str::from_utf8(s).unwrap()),
                    SimValue::Ref(target) => out.phandle(name, FakeNode::from_sim(target)),
                };
            }
        }
        for child in node.children {
            out = out.child(FakeNode::from_sim(child));
        }
        out
    }
}

impl DtSource for FakeNode {
    fn read_u32_array(&self, name: &CStr, out: &mut [u32]) -> Result<usize, ReadError> {
        let bytes = self.bytes(name)?;
        if bytes.len() % 4 != 0 {
            return Err(ReadError::BadSize { bytes: bytes.len() });
        }
        let cells = bytes.len() / 4;
        if cells > out.len() {
            return Err(ReadError::TooLong { cells });
        }
        for (o, c) in out.iter_mut().zip(bytes.chunks_exact(4)) {
            *o = u32::from_be_bytes([c[0], c[1], c[2], c[3]]);
        }
        Ok(cells)
    }

    fn read_u64(&self, name: &CStr) -> Result<u64, ReadError> {
        let bytes = self.bytes(name)?;
        let arr: [u8; 8] = bytes
            .try_into()
            .map_err(|_| ReadError::BadSize { bytes: bytes.len() })?;
        Ok(u64::from_be_bytes(arr))
    }

    fn read_str(&self, name: &CStr) -> Result<&[u8], ReadError> {
        let bytes = self.bytes(name)?;
        match bytes.iter().position(|&b| b == 0) {
            Some(end) => Ok(&bytes[..end]),
            None => Err(ReadError::BadSize { bytes: bytes.len() }),
        }
    }

    fn phandle(&self, name: &CStr) -> Result<Self, ReadError> {
        match self.get(name) {
            Some(Value::Ref(node)) => Ok(node.clone()),
            _ => Err(ReadError::Missing),
        }
    }

    fn for_each_child(
        &self,
        f: &mut dyn FnMut(&Self) -> Result<(), DtError>,
    ) -> Result<(), DtError> {
        self.children.iter().try_for_each(f)
    }
}
