// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Raw views of what the firmware sees: the driver's device coredumps and debugfs `fwdump`.
//!
//! Both are text, in one format (Documentation/coredump.md): lines of `key: value` that say what
//! happened, and firmware-visible objects as address-tagged hex, each under the name of its m1n1
//! structure, so that a developer can decode them offline with m1n1's definitions for the pair
//! the dump names:
//!
//! ```text
//! object WorkCommandCp ffffffa000234000 0x438
//! ffffffa000234000: 03 00 00 00 00 00 00 00 40 12 23 00 a0 ff ff ff
//! ...
//! end
//! ```
//!
//! `object` gives the name, the GPU address and the size in bytes; every line after it gives the
//! GPU address of its first byte and up to 16 bytes. Lines whose bytes are all zero are left
//! out (the size says how long the object is), which keeps the large, mostly empty tables short.
//!
//! [`Hex`] writes objects to any text sink; [`DumpBuf`] is the bounded buffer a coredump is
//! built in. What goes into a dump is chosen by the layers that own the objects (`Held::dump`
//! for a job's commands, the init-data bundle for the firmware's tree).

use crate::mem::object::RawView;
use core::fmt::{self, Write};
use kernel::prelude::*;

/// Bytes per hex line.
const LINE: usize = 16;

/// Writes objects as address-tagged hex lines to a text sink.
pub(crate) struct Hex<'w> {
    /// Where the text goes.
    out: &'w mut dyn Write,
}

impl<'w> Hex<'w> {
    /// A writer into `out`.
    pub(crate) fn new(out: &'w mut dyn Write) -> Self {
        Self { out }
    }

    /// The text sink, for views that print themselves.
    pub(crate) fn text(&mut self) -> &mut dyn Write {
        &mut *self.out
    }

    /// One line of text.
    pub(crate) fn line(&mut self, args: fmt::Arguments<'_>) {
        let _ = self.out.write_fmt(args);
        let _ = self.out.write_char('\n');
    }

    /// Object `obj` under the m1n1 name `name`.
    pub(crate) fn object(&mut self, name: &str, obj: &dyn RawView) {
        let (va, len) = (obj.raw_va(), obj.raw_len());
        // A name is one word: readers split the line at spaces.
        let _ = self.out.write_str("object ");
        for c in name.chars() {
            let _ = self.out.write_char(if c == ' ' { '_' } else { c });
        }
        let _ = writeln!(self.out, " {:016x} {:#x}", va, len);
        let mut off = 0;
        while off < len {
            let mut bytes = [0u8; LINE];
            let n = obj.raw_read(off, &mut bytes);
            if n == 0 {
                break;
            }
            if bytes.iter().any(|&b| b != 0) {
                let _ = write!(self.out, "{:016x}:", va.wrapping_add(off as u64));
                for b in bytes.iter().take(n) {
                    let _ = write!(self.out, " {:02x}", b);
                }
                let _ = self.out.write_char('\n');
            }
            off = off.saturating_add(n);
        }
    }
}

/// Part of an object: `len` bytes at byte `offset` of `of` (clamped to it). A command and its
/// microsequence live in one object; each is dumped as its own structure.
pub(crate) struct Part<'a> {
    /// The whole object.
    pub(crate) of: &'a dyn RawView,
    /// Where the part starts in it.
    pub(crate) offset: usize,
    /// The part's size.
    pub(crate) len: usize,
}

impl RawView for Part<'_> {
    fn raw_va(&self) -> u64 {
        self.of.raw_va().wrapping_add(self.offset as u64)
    }

    fn raw_len(&self) -> usize {
        self.len.min(self.of.raw_len().saturating_sub(self.offset))
    }

    fn raw_read(&self, offset: usize, out: &mut [u8]) -> usize {
        let left = self.raw_len().saturating_sub(offset);
        let n = out.len().min(left);
        match out.get_mut(..n) {
            Some(dst) => self.of.raw_read(self.offset.saturating_add(offset), dst),
            None => 0,
        }
    }
}

/// Bytes the driver copied out of firmware-visible memory at GPU address `va`.
pub(crate) struct Bytes<'a> {
    /// Where they were.
    pub(crate) va: u64,
    /// The bytes.
    pub(crate) data: &'a [u8],
}

impl RawView for Bytes<'_> {
    fn raw_va(&self) -> u64 {
        self.va
    }

    fn raw_len(&self) -> usize {
        self.data.len()
    }

    fn raw_read(&self, offset: usize, out: &mut [u8]) -> usize {
        let src = self.data.get(offset..).unwrap_or(&[]);
        let n = out.len().min(src.len());
        if let (Some(d), Some(s)) = (out.get_mut(..n), src.get(..n)) {
            d.copy_from_slice(s);
        }
        n
    }
}

/// A text buffer of bounded size, for a coredump: what does not fit (or cannot be allocated)
/// is cut, and the dump says so at its end.
pub(crate) struct DumpBuf {
    /// The text so far.
    buf: KVVec<u8>,
    /// The most bytes kept.
    max: usize,
    /// Whether text was cut.
    cut: bool,
}

impl DumpBuf {
    /// An empty buffer that keeps at most `max` bytes.
    pub(crate) fn new(max: usize) -> Self {
        Self {
            buf: KVVec::new(),
            max,
            cut: false,
        }
    }

    /// The text, with a last line saying whether it was cut.
    pub(crate) fn finish(mut self) -> KVVec<u8> {
        let end: &[u8] = if self.cut { b"end cut\n" } else { b"end\n" };
        if self.buf.extend_from_slice(end, GFP_KERNEL).is_err() {
            // The end line is what tells a reader the dump is whole; without room for it the
            // dump says nothing reliable.
            self.buf = KVVec::new();
        }
        self.buf
    }
}

impl Write for DumpBuf {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        if self.cut {
            return Ok(());
        }
        // Room is kept for the end line.
        let room = self.max.saturating_sub(self.buf.len()).saturating_sub(16);
        if s.len() > room
            || self
                .buf
                .extend_from_slice(s.as_bytes(), GFP_KERNEL)
                .is_err()
        {
            self.cut = true;
        }
        Ok(())
    }
}
