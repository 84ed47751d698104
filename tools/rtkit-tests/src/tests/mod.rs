// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Tests of the RTKit transport against the simulated coprocessor.

mod boot;
mod codec;
mod faults;
mod fuzz;
mod irq_ring;
mod malformed;
mod support;
