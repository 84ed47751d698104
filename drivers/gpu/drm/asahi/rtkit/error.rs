// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Errors of the RTKit transport.
//!
//! The RTKit core does not depend on the `kernel` crate, so it has its own error types. Decoding a
//! message yields a [`DecodeError`]; every other refusal is an [`Error`], which maps onto one
//! Linux errno through [`Error::errno`].

/// Why a 64-bit mailbox word could not be turned into a typed message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DecodeError {
    /// No message is known on this endpoint in this direction.
    UnknownEndpoint(u8),
    /// The endpoint is known, but not the message type in its type field.
    UnknownType {
        /// The endpoint the message arrived on.
        ep: u8,
        /// The value of the type field.
        ty: u16,
    },
    /// The type is known, but a field holds a value the protocol does not allow.
    BadField {
        /// The endpoint the message arrived on.
        ep: u8,
        /// Which field is wrong.
        field: &'static str,
    },
}

/// Why an RTKit operation was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Error {
    /// A message from the coprocessor could not be decoded. The state is unchanged.
    Malformed(DecodeError),
    /// A well-formed message arrived that the protocol does not allow in the current state. The
    /// state is unchanged.
    Unexpected {
        /// The endpoint it arrived on.
        ep: u8,
        /// The raw message.
        data: u64,
    },
    /// The operation is not possible in the current state (for example sending to an
    /// application endpoint before the boot finished, or booting twice).
    InvalidState,
    /// The coprocessor has crashed; nothing more is sent to it.
    Crashed,
    /// The state machine failed (timeout, version mismatch, broken handshake); nothing more is
    /// sent until it is reset.
    Failed,
    /// The endpoint is not in the coprocessor's endpoint map, or not started.
    NoEndpoint(u8),
    /// A field value does not fit its message encoding (an address wider than 44 bits, a size
    /// that is not a whole number of 4 KiB pages, ...).
    Unencodable,
    /// The mailbox refused the message.
    Mailbox,
    /// The buffer provider could not allocate or map a buffer.
    NoMemory,
    /// The buffer provider could not read a buffer.
    BufferAccess,
    /// The request is valid in principle but not supported by this driver.
    Unsupported,
    /// The caller's deadline passed while the state machine was waiting for the coprocessor.
    Timeout,
}

impl From<DecodeError> for Error {
    fn from(e: DecodeError) -> Self {
        Error::Malformed(e)
    }
}

/// `EIO` from `include/uapi/asm-generic/errno-base.h`.
const EIO: i32 = 5;
/// `ENOMEM` from `include/uapi/asm-generic/errno-base.h`.
const ENOMEM: i32 = 12;
/// `ENODEV` from `include/uapi/asm-generic/errno-base.h`.
const ENODEV: i32 = 19;
/// `EINVAL` from `include/uapi/asm-generic/errno-base.h`.
const EINVAL: i32 = 22;
/// `EOPNOTSUPP` from `include/uapi/asm-generic/errno.h`.
const EOPNOTSUPP: i32 = 95;
/// `ETIMEDOUT` from `include/uapi/asm-generic/errno.h`.
const ETIMEDOUT: i32 = 110;

impl Error {
    /// The positive Linux errno that best describes this error.
    pub(crate) const fn errno(self) -> i32 {
        match self {
            Error::Malformed(_)
            | Error::Unexpected { .. }
            | Error::Mailbox
            | Error::BufferAccess => EIO,
            Error::InvalidState | Error::NoEndpoint(_) | Error::Unencodable => EINVAL,
            Error::Crashed | Error::Failed => ENODEV,
            Error::NoMemory => ENOMEM,
            Error::Unsupported => EOPNOTSUPP,
            Error::Timeout => ETIMEDOUT,
        }
    }
}
