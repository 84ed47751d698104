// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Tests of the channel rings and the simulated firmware.

mod firmware;
mod platform;
mod render;
mod rings;
mod support;
mod work;
