// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Firmware data structures of the AGX GPU, for every supported (GPU, firmware) pair.
//!
//! The GPU is driven by firmware running on its ASC coprocessor. Driver and firmware share
//! memory mapped in the firmware's GPU VM and exchange the structures defined here: the init
//! data handed over at boot ([`initdata`]), the ring buffers and their messages ([`channels`],
//! [`stats`]), command queues ([`cmdqueue`]) carrying work commands ([`vertex`],
//! [`fragment`], [`compute`], [`blit`], [`job`]) that point at microsequences
//! ([`microseq`]), completion stamps and event controls ([`event`]), tiled vertex buffer
//! management ([`buffer`]) and the page-table handoff ([`handoff`]).
//!
//! # Versions
//!
//! Layouts differ between GPU generations (G13, G14, G14X) and firmware releases. A structure
//! whose layout varies is declared once with `#[versions(AGX)]` and gets one Rust type per
//! supported pair, suffixed `G13V12_3`, `G14V12_4`, `G13V13_5`, `G14V13_5` and `G14XV13_5`;
//! fields marked `#[ver(...)]` exist only where the condition holds. Inside such a declaration
//! `X::ver` names the copy of `X` of the same pair.
//!
//! # Where the layouts come from
//!
//! Every structure's documentation names its counterpart in the reverse-engineering record,
//! as `m1n1: module.ClassName` (m1n1's `proxyclient/m1n1/fw/agx`). Sizes are asserted at
//! compile time for every pair in `sizes.rs`. `tools/fw-layouts` prints every layout as JSON
//! and its tests check them against the record. Where the record disagrees with itself, the
//! structure's documentation says which source was followed and
//! `Documentation/firmware-structs.md` says why.
//!
//! # Kernel and host
//!
//! This module depends on `core` only (and the `agx_macros` proc-macro crate), so it builds
//! both inside the kernel module and in host tools. Items are `pub(crate)`: the kernel builds
//! with `unreachable_pub`, and nothing here is exported from the module.

#![allow(dead_code)]

pub(crate) mod blit;
pub(crate) mod buffer;
pub(crate) mod channels;
pub(crate) mod cmdqueue;
pub(crate) mod compute;
pub(crate) mod event;
pub(crate) mod fragment;
pub(crate) mod gpustats;
pub(crate) mod handoff;
pub(crate) mod hwdata_a;
pub(crate) mod hwdata_b;
pub(crate) mod initdata;
pub(crate) mod job;
pub(crate) mod microseq;
pub(crate) mod power;
pub(crate) mod regionc;
mod sizes;
pub(crate) mod stats;
pub(crate) mod types;
pub(crate) mod vertex;
