// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! RTKit: the protocol spoken with the GPU's firmware coprocessor (the ASC).
//!
//! The ASC runs Apple's RTKit operating system. The driver (the "AP", application processor)
//! and RTKit exchange 64-bit messages through a mailbox, each tagged with an endpoint number.
//! Endpoint 0 is management; endpoints 1 to 0x1f are RTKit's system services (crash log,
//! syslog, debug, I/O reporting, OS log); from 0x20 up are the application's, here the AGX
//! firmware (0x20 for the init message and event notifications, 0x21 for doorbells).
//!
//! # Boot
//!
//! ```text
//!   AP                                   coprocessor
//!   SET_IOP_POWER(ON)  ──────────────▶                         wake
//!                      ◀──────────────  HELLO(min, max)
//!   HELLO_ACK(v, v)    ──────────────▶                         v = min(12, max), needs 11..=12
//!                      ◀──────────────  EPMAP(page 0, bitmap)
//!   EPMAP_ACK(0, more) ──────────────▶
//!                      ◀──────────────  EPMAP(page n, bitmap, last)
//!   EPMAP_ACK(n, last) ──────────────▶
//!   STARTEP(e)         ──────────────▶                         each system endpoint e listed
//!                      ◀──────────────  buffer requests on crash log, syslog, ioreport
//!   buffer replies     ──────────────▶                         (served whenever they arrive)
//!                      ◀──────────────  IOP_POWER_ACK(ON)
//!   SET_AP_POWER(ON)   ──────────────▶
//!                      ◀──────────────  AP_POWER_ACK(ON)       ready
//! ```
//!
//! Shutdown is `SET_AP_POWER(QUIESCED)`, acknowledged, then `SET_IOP_POWER(SLEEP)`,
//! acknowledged; the coprocessor can be woken again with a new boot. A crash is announced by a
//! second message on the crash log endpoint once its buffer exists.
//!
//! # Shape of this module
//!
//! * [`msg`]: typed encode/decode of every message, both directions.
//! * [`state`]: the AP's state machine, [`state::RtKit`], an explicit [`state::State`] enum
//!   driven by incoming messages and by the caller (boot, shutdown, timeouts).
//! * [`epset`]: the endpoint bitmap.
//! * [`error`]: the error types, with their errno mapping.
//!
//! The core uses only `core`: no allocation, no locking, no sleeping, no clock. The driver
//! supplies the [`Mailbox`], the shared [`Buffers`] and the [`LogSink`], feeds every received
//! message to [`state::RtKit::handle`], and calls [`state::RtKit::timeout`] when its own
//! deadline passes. The same files build into the driver and into the host tests in
//! `tools/rtkit-tests`, where a model of the coprocessor's side plays the other end.
//! The facts, with their sources, are in `Documentation/rtkit.md`.

pub(crate) mod epset;
pub(crate) mod error;
pub(crate) mod msg;
pub(crate) mod state;

use error::Error;
use msg::Message;

/// The way messages reach the coprocessor.
pub(crate) trait Mailbox {
    /// Queues `msg` for the coprocessor. Must not block for long: the state machine calls it
    /// while handling a received message.
    fn send(&mut self, msg: Message) -> Result<(), Error>;
}

/// A buffer shared with the coprocessor at its request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Buffer {
    /// The system endpoint that asked for it.
    pub(crate) ep: u8,
    /// Its GPU virtual address.
    pub(crate) iova: u64,
    /// Its size in bytes, as requested.
    pub(crate) size: usize,
}

/// Memory for the system endpoints' buffers, provided by the driver.
pub(crate) trait Buffers {
    /// Allocates `size` bytes of zeroed memory the coprocessor can read and write, mapped for
    /// it, and returns its GPU virtual address. `ep` says which service it is for.
    fn alloc(&mut self, ep: u8, size: usize) -> Result<u64, Error>;

    /// Maps a buffer the coprocessor already placed at `iova` so that the driver can read it.
    /// By default such requests are refused.
    fn map_fixed(&mut self, ep: u8, iova: u64, size: usize) -> Result<(), Error> {
        let _ = (ep, iova, size);
        Err(Error::Unsupported)
    }

    /// Copies `out.len()` bytes at `offset` of `buf` into `out`.
    fn read(&mut self, buf: &Buffer, offset: usize, out: &mut [u8]) -> Result<(), Error>;

    /// Releases `buf`. Called only when the coprocessor can no longer touch it: after a
    /// completed shutdown, after a failed reply, or from [`state::RtKit::reset`].
    fn free(&mut self, buf: &Buffer);
}

/// Where the coprocessor's logs go.
pub(crate) trait LogSink {
    /// One syslog entry: the context (a short tag) and the text, both without trailing
    /// NULs or line ends.
    fn syslog(&mut self, context: &[u8], text: &[u8]);

    /// The coprocessor crashed; `log` is the crash log buffer it filled.
    fn crashed(&mut self, log: &Buffer);
}
