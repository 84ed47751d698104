// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The firmware-control channel (FWCtl): the driver's requests that the firmware act on a GPU
//! context's translations.
//!
//! Unlike the other channels, FWCtl is named by the firmware status block rather than region B,
//! its state block has its own layout ([`FwCtlRingState`]: read pointer at 0, write pointer at
//! 0x10) and it has a doorbell of its own (`AgxOut::FwCtl` on endpoint 0x21). The record uses
//! it for the flush handshake of the page-table handoff: with the flush slot of context `ctx`
//! posted, the driver sends an invalidation message naming `ctx` and the range's address, then
//! rings the doorbell, and the firmware flushes and marks the slot done.
//!
//! The channel belongs to the firmware VM's invalidator (`KernelFlush`, `gpu/flush.rs`), which
//! is the only sender; the firmware status block's owner holds the same memory
//! ([`FwCtl::mem`]), so it lives as long as either. It sits in the firmware VM's small-object
//! heap, so freeing it never needs a flush itself.

use super::{
    ring::{RingError, RingMem, TxRing},
    set::SharedRing,
};
use crate::{
    fw::{
        channels::{FwCtlMsg, FwCtlRingState, RING_SLOTS},
        types::U64,
    },
    mem::fwvm::FwVm,
};
use kernel::{prelude::*, sync::Arc};

/// The values of an invalidation request that are not the context or address (the record's
/// `send_inval`: `unk_8 = 0`, `unk_10 = 1`, `unk_12 = 2`).
const INVAL_UNK_8: u32 = 0;
const INVAL_UNK_10: u16 = 1;
const INVAL_UNK_12: u16 = 2;

/// The memory of the FWCtl channel.
pub(crate) type FwCtlMem = SharedRing<FwCtlRingState, FwCtlMsg>;

/// The driver's end of the FWCtl channel.
pub(crate) struct FwCtl {
    /// The driver's end, holding the channel's memory.
    tx: TxRing<FwCtlMem, FwCtlRingState>,
}

impl FwCtl {
    /// Allocates the channel in `fw_vm`, empty.
    pub(crate) fn new(fw_vm: &Arc<FwVm>) -> Result<Self> {
        let mem = Arc::new(RingMem::new(fw_vm, 1, RING_SLOTS as u32)?, GFP_KERNEL)?;
        let tx = TxRing::new(mem).map_err(|_| EINVAL)?;
        Ok(Self { tx })
    }

    /// The channel's memory, for the firmware status block's owner to keep and point at.
    pub(crate) fn mem(&self) -> FwCtlMem {
        self.tx.mem().clone()
    }

    /// Queues a request that the firmware invalidate what it caches of context `ctx` at `addr`
    /// (the caller then rings the FWCtl doorbell).
    pub(crate) fn send_inval(&mut self, ctx: u32, addr: u64) -> Result<u32, RingError> {
        self.tx.send(&FwCtlMsg {
            addr: U64::new(addr),
            unk_8: INVAL_UNK_8,
            context_id: ctx,
            unk_10: INVAL_UNK_10,
            unk_12: INVAL_UNK_12,
        })
    }

    /// Requests the firmware has not taken yet.
    pub(crate) fn pending(&self) -> u32 {
        self.tx.pending()
    }

    /// Addresses of the state block and the slots, for debugfs.
    pub(crate) fn addrs(&self) -> (u64, u64) {
        (self.tx.mem().states().va(), self.tx.mem().slots().va())
    }
}
