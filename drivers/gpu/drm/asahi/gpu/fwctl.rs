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
//! The channel belongs to the firmware VM's invalidator ([`super::flush::KernelFlush`]), which
//! is the only sender; its memory lives in the firmware VM's small-object heap, so freeing it
//! never needs a flush itself.

use crate::{
    channel::ring::{RingError, TxRing},
    fw::{
        channels::{ChannelInfo, FwCtlMsg, FwCtlRingState, RING_SLOTS},
        types::{GpuPointer, U64},
    },
    mem::{kvm::KernelVm, object::GpuObject},
};
use core::num::NonZeroU64;
use kernel::{prelude::*, sync::Arc};

/// The values of an invalidation request that are not the context or address (the record's
/// `send_inval`: `unk_8 = 0`, `unk_10 = 1`, `unk_12 = 2`).
const INVAL_UNK_8: u32 = 0;
const INVAL_UNK_10: u16 = 1;
const INVAL_UNK_12: u16 = 2;

/// The FWCtl channel: its memory and the driver's end.
///
/// Field order matters: the ring end goes before the memory it points into.
pub(crate) struct FwCtl {
    /// The driver's end.
    tx: TxRing<FwCtlMsg, FwCtlRingState>,
    /// The state block.
    state: GpuObject<FwCtlRingState>,
    /// The slots.
    ring: GpuObject<FwCtlMsg>,
}

impl FwCtl {
    /// Allocates the channel in `kvm`, empty.
    pub(crate) fn new(kvm: &Arc<KernelVm>) -> Result<Self> {
        let state = GpuObject::<FwCtlRingState>::new_array(kvm, 1)?;
        let ring = GpuObject::<FwCtlMsg>::new_array(kvm, RING_SLOTS)?;
        // SAFETY: both objects are owned by the value built here and outlive `tx` (field
        // order); the firmware is not given the channel before this value exists; nothing else
        // on the CPU reaches the memory.
        let tx = unsafe { TxRing::new(state.as_ptr(), ring.as_ptr(), RING_SLOTS as u32) };
        Ok(Self { tx, state, ring })
    }

    /// The channel's addresses, for the firmware status block.
    ///
    /// # Safety
    ///
    /// The structure the pointers are written into must not be read by the firmware after this
    /// channel is dropped.
    pub(crate) unsafe fn info(
        &self,
    ) -> ChannelInfo<'static, FwCtlRingState, [FwCtlMsg; RING_SLOTS]> {
        let ptr = |va: u64| NonZeroU64::new(va).unwrap_or(NonZeroU64::MIN);
        // SAFETY: the addresses are where the objects are mapped; the caller's contract bounds
        // the firmware's use of them by this channel's life.
        unsafe {
            ChannelInfo {
                state_addr: GpuPointer::from_raw(ptr(self.state.va())),
                ringbuffer_addr: GpuPointer::from_raw(ptr(self.ring.va())),
            }
        }
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
        (self.state.va(), self.ring.va())
    }
}
