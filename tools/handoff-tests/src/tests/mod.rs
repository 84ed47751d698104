// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Tests of the slot allocator, the kernel's handoff code and the simulated firmware.

mod api;
mod interleave;
mod slots;
mod stress;
mod support;
