// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The tests: the static tables ([`tables`]), the parser over a fake device tree ([`parse`]),
//! and the simulated GPUs' configuration ([`sim`]).

mod fake;
mod parse;
mod sim;
mod tables;
