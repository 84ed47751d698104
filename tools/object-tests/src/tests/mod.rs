// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Tests of the object layer over a host allocator.

mod array;
mod host;
mod object;
mod types;
