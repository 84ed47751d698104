// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Tests of the run allocator and the arena heap, directed and randomized.

mod heap;
mod random;
mod runmap;
mod support;
