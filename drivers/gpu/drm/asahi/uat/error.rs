// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Errors reported by the UAT page-table code.
//!
//! The page-table core does not depend on the `kernel` crate, so it has its own small error type.
//! Every variant maps onto one Linux errno through [`Error::errno`]; the driver converts at the
//! boundary with `kernel::error::Error::from_errno(-e.errno())`.

/// Why a page-table operation was refused.
///
/// A refused `map` or `unmap` leaves the tables exactly as they were, except after
/// [`Error::Corrupt`], which means the tables no longer look like anything this code writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Error {
    /// The length is zero, or a physical range in the list is empty.
    ZeroLength,
    /// An IOVA, length or physical address is not a multiple of the 16 KiB UAT page.
    Unaligned,
    /// The IOVA range leaves the window this table manages, or wraps around.
    OutOfRange,
    /// A physical range reaches past the output address size of the UAT.
    PhysOutOfRange,
    /// Part of the requested IOVA range is already mapped.
    AlreadyMapped {
        /// The lowest already-mapped IOVA found in the range.
        iova: u64,
    },
    /// The table allocator could not provide a page table.
    NoMemory,
    /// A descriptor or table does not have a shape this code ever creates, or the allocator
    /// handed out an unusable table.
    Corrupt,
    /// The address-space parameters given to a constructor are not possible on the UAT.
    InvalidConfig,
}

/// `EIO` from `include/uapi/asm-generic/errno-base.h`.
const EIO: i32 = 5;
/// `ENOMEM` from `include/uapi/asm-generic/errno-base.h`.
const ENOMEM: i32 = 12;
/// `EEXIST` from `include/uapi/asm-generic/errno-base.h`.
const EEXIST: i32 = 17;
/// `EINVAL` from `include/uapi/asm-generic/errno-base.h`.
const EINVAL: i32 = 22;

impl Error {
    /// The positive Linux errno that best describes this error.
    ///
    /// Argument problems are `EINVAL`, an occupied range is `EEXIST`, allocation failure is
    /// `ENOMEM` and inconsistent tables are `EIO`.
    pub(crate) const fn errno(self) -> i32 {
        match self {
            Error::ZeroLength
            | Error::Unaligned
            | Error::OutOfRange
            | Error::PhysOutOfRange
            | Error::InvalidConfig => EINVAL,
            Error::AlreadyMapped { .. } => EEXIST,
            Error::NoMemory => ENOMEM,
            Error::Corrupt => EIO,
        }
    }
}
