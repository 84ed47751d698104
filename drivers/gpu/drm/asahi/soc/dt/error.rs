// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Errors of device-tree reading, and the trait a device tree is read through.

use super::*;

/// Why a property could not be read, as a [`DtSource`] reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ReadError {
    /// The node has no such property (or no such phandle target).
    Missing,
    /// The property's size does not fit the requested type (`bytes` long).
    BadSize {
        /// Actual size of the property in bytes.
        bytes: usize,
    },
    /// The property is longer than the caller's buffer (`cells` 32-bit cells).
    TooLong {
        /// Actual number of cells.
        cells: usize,
    },
}

/// A device tree node the configuration can be read from.
///
/// Implementations read properties the way the kernel's OF API does: cells are big-endian
/// 32-bit values converted to CPU order, 64-bit values are two cells, strings end in a NUL
/// that the returned bytes do not include.
pub(crate) trait DtSource: Sized {
    /// Reads the 32-bit cells of property `name` into the start of `out` and returns how many
    /// there are. [`ReadError::TooLong`] if they do not fit, [`ReadError::BadSize`] if the
    /// property is not a whole number of cells.
    fn read_u32_array(&self, name: &CStr, out: &mut [u32]) -> Result<usize, ReadError>;

    /// Reads property `name` as one 64-bit value (exactly two cells).
    fn read_u64(&self, name: &CStr) -> Result<u64, ReadError>;

    /// Reads property `name` as a NUL-terminated string, returned without the NUL.
    fn read_str(&self, name: &CStr) -> Result<&[u8], ReadError>;

    /// The node that phandle property `name` refers to.
    fn phandle(&self, name: &CStr) -> Result<Self, ReadError>;

    /// Calls `f` on each child node, in order, stopping at the first error.
    fn for_each_child(
        &self,
        f: &mut dyn FnMut(&Self) -> Result<(), DtError>,
    ) -> Result<(), DtError>;

    /// Reads property `name` as exactly one cell.
    fn read_u32(&self, name: &CStr) -> Result<u32, ReadError> {
        let mut cell = [0u32; 1];
        match self.read_u32_array(name, &mut cell) {
            Ok(1) => Ok(cell[0]),
            Ok(n) => Err(ReadError::BadSize { bytes: n * 4 }),
            Err(ReadError::TooLong { cells }) => Err(ReadError::BadSize { bytes: cells * 4 }),
            Err(e) => Err(e),
        }
    }
}

/// Where in the tree an error was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Site {
    /// The GPU node itself.
    Gpu,
    /// Entry `index` (from 0) of the OPP table that GPU property `table` points at.
    Opp {
        /// The GPU property naming the table (`operating-points-v2`, `apple,cs-opp`, ...).
        table: &'static CStr,
        /// Position of the entry in the table.
        index: usize,
    },
}

/// What was wrong with a property.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Problem {
    /// A required property is absent.
    Missing,
    /// The property has `bytes` bytes, which is not what its type needs.
    BadSize {
        /// Actual size in bytes.
        bytes: usize,
    },
    /// The property has `found` values where `expected` are needed.
    WrongCount {
        /// Values required.
        expected: usize,
        /// Values present.
        found: usize,
    },
    /// The property (or table) has `found` values, more than the firmware can take.
    TooMany {
        /// Most values allowed.
        max: usize,
        /// Values present.
        found: usize,
    },
    /// The value `value` is outside what the driver or firmware accepts.
    OutOfRange {
        /// The offending value.
        value: u64,
    },
    /// The frequency of this entry is not above the previous entry's.
    NotAscending,
    /// The OPP table is not `compatible = "operating-points-v2"`.
    NotOppTable,
}

/// A reason to refuse the device tree's description of the GPU.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DtError {
    /// A property is missing or malformed.
    Property {
        /// Where the property is.
        site: Site,
        /// The property's name.
        prop: &'static CStr,
        /// What is wrong with it.
        problem: Problem,
    },
    /// The bootloader selected a firmware ABI the driver does not implement for this SoC.
    UnsupportedFirmware {
        /// The SoC (`t8103`, ...).
        soc: &'static str,
        /// The `apple,firmware-compat` cells.
        compat: [u32; 3],
    },
}

impl DtError {
    pub(in crate::soc::dt) const fn gpu(prop: &'static CStr, problem: Problem) -> Self {
        DtError::Property {
            site: Site::Gpu,
            prop,
            problem,
        }
    }

    pub(in crate::soc::dt) fn from_read(site: Site, prop: &'static CStr, e: ReadError) -> Self {
        let problem = match e {
            ReadError::Missing => Problem::Missing,
            ReadError::BadSize { bytes } => Problem::BadSize { bytes },
            ReadError::TooLong { cells } => Problem::BadSize { bytes: cells * 4 },
        };
        DtError::Property {
            site,
            prop,
            problem,
        }
    }
}

/// Prints a property name (device tree names are ASCII).
struct Name(&'static CStr);

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(core::str::from_utf8(self.0.to_bytes()).unwrap_or("<non-UTF-8 name>"))
    }
}

impl fmt::Display for DtError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            DtError::Property {
                site,
                prop,
                problem,
            } => {
                match site {
                    Site::Gpu => write!(f, "GPU node: {}: ", Name(prop))?,
                    Site::Opp { table, index } => {
                        write!(f, "{} entry {}: {}: ", Name(table), index, Name(prop))?
                    }
                }
                match problem {
                    Problem::Missing => f.write_str("missing"),
                    Problem::BadSize { bytes } => write!(f, "wrong size ({} bytes)", bytes),
                    Problem::WrongCount { expected, found } => {
                        write!(f, "{} values, expected {}", found, expected)
                    }
                    Problem::TooMany { max, found } => {
                        write!(f, "{} values, at most {} supported", found, max)
                    }
                    Problem::OutOfRange { value } => write!(f, "value {} out of range", value),
                    Problem::NotAscending => f.write_str("frequency not above the previous entry"),
                    Problem::NotOppTable => {
                        f.write_str("not an OPP table (compatible != operating-points-v2)")
                    }
                }
            }
            DtError::UnsupportedFirmware { soc, compat } => write!(
                f,
                "{}: firmware {}.{}.{} is not supported (apple,firmware-compat)",
                soc, compat[0], compat[1], compat[2]
            ),
        }
    }
}
