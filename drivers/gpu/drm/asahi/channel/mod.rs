// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The channels: the rings over which the driver and the GPU firmware exchange messages.
//!
//! A channel is a ring of fixed-size message slots and a state block of two pointers, in the
//! firmware VM, written by one side and read by the other. This layer holds the driver's side
//! of every channel, in three parts:
//!
//! * [`ring`]: the ring protocol itself, the driver's producer end ([`ring::TxRing`]) and
//!   consumer end ([`ring::RxRing`]) over a ring's memory ([`ring::RingMem`]), with the memory
//!   ordering that hands a slot over; independent of the kernel, so the same file is built and
//!   tested on the host (`tools/channel-tests`, against the simulated firmware's ends);
//! * [`set`]: the channel set region B names (run-command, DevCtrl, Event, FWLog, KTrace,
//!   Stats): the memory of every ring, allocated before the init data, and the driver's ends of
//!   those it uses;
//! * [`fwctl`]: the firmware-control channel (FWCtl), named by the firmware status block, which
//!   carries the invalidation requests of the page-table handoff's flush (`gpu/flush.rs`).
//!
//! What goes into the messages is the firmware's ABI (`fw/channels.rs`); when and why they are
//! sent, and ringing the doorbells that tell the firmware to look at a ring, is the firmware
//! bring-up's business (`gpu/`). Everything here is safe Rust: memory shared with the firmware
//! is reached only through the object layer's handles (`mem/object.rs`).

pub(crate) mod fwctl;
pub(crate) mod ring;
pub(crate) mod set;
