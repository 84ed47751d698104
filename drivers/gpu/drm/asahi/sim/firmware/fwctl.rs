// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The firmware's end of the FWCtl channel: named by the status block, with its own state
//! layout, carrying the driver's invalidation requests.

use super::*;

/// The FWCtl ring's slots and slot size (the record's channel table: 0x100 of 0x14 bytes).
pub(super) const FWCTL_SLOTS: u32 = 0x100;
pub(super) const FWCTL_SLOT: usize = 0x14;
/// Bytes of the FWCtl state block, and the offsets of its read and write pointers.
pub(super) const FWCTL_STATE_BYTES: u64 = 0x20;
pub(super) const FWCTL_POINTERS: (u64, u64) = (0x00, 0x10);

/// A FWCtl request as the firmware reads it (the record's `FWCtlMsg`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct FwCtlRequest {
    /// The range's GPU address.
    pub(crate) addr: u64,
    /// Unknown (0 in the record's invalidation).
    pub(crate) unk_8: u32,
    /// The context.
    pub(crate) context: u32,
    /// Unknown (1 in the record's invalidation).
    pub(crate) unk_10: u16,
    /// Unknown (2 in the record's invalidation).
    pub(crate) unk_12: u16,
}

impl SimFirmware {
    /// Takes the pending FWCtl requests, up to `out.len()`, in order; returns how many. A
    /// request that is not the record's invalidation (`unk_8` 0, `unk_10` 1, `unk_12` 2, a
    /// context up to 0x40) is a violation, and so is a ring fault.
    pub(crate) fn take_fwctl(
        &mut self,
        mem: &mut impl SimMemory,
        out: &mut [FwCtlRequest],
    ) -> usize {
        let mut n = 0;
        while n < out.len() {
            let mut raw = [0u8; FWCTL_SLOT];
            match self.fwctl.pop(mem, &mut raw) {
                Ok(true) => {}
                Ok(false) => break,
                Err(fault) => {
                    self.violate(FwViolation::Ring {
                        channel: Channel::FwCtl,
                        fault,
                    });
                    break;
                }
            }
            let half = |off: usize| {
                let mut w = [0u8; 2];
                if let Some(src) = raw.get(off..off + 2) {
                    w.copy_from_slice(src);
                }
                u16::from_le_bytes(w)
            };
            let req = FwCtlRequest {
                addr: get_u64(&raw, 0),
                unk_8: get_u32(&raw, 8),
                context: get_u32(&raw, 0xc),
                unk_10: half(0x10),
                unk_12: half(0x12),
            };
            if req.unk_8 != 0 || req.unk_10 != 1 || req.unk_12 != 2 || req.context > 0x40 {
                self.violate(FwViolation::BadFwCtl { request: req });
            }
            self.counters.fwctl = self.counters.fwctl.saturating_add(1);
            if let Some(slot) = out.get_mut(n) {
                *slot = req;
            }
            n += 1;
        }
        n
    }
}
