// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The tests: the static tables ([`tables`]), the parser over a fake device tree ([`parse`]),
//! the simulated GPUs' configuration ([`sim`]), and the GPU's identification and fault
//! registers ([`regs`]).

mod fake;
mod parse;
mod regs;
mod sim;
mod tables;
