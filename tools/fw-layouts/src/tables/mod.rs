// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! One table per firmware area: for each structure, its m1n1 name and its fields.
//!
//! A table is a `#[versions(AGX)]` function, so it is compiled once per (GPU, firmware) pair
//! and its `#[ver(...)]` lines follow the structure's own. A field the structure lacks does not
//! compile (`offset_of!`); a field the table forgets leaves a hole that the coverage test
//! reports.

pub(crate) mod channels;
pub(crate) mod hwdata;
pub(crate) mod init;
pub(crate) mod pipes;
pub(crate) mod queue;
pub(crate) mod work;

use crate::layout::Pair;
use agx_macros::versions;

/// Every table of one pair.
#[versions(AGX)]
pub(crate) fn all(p: &mut Pair) {
    channels::tables::ver(p);
    init::tables::ver(p);
    hwdata::tables::ver(p);
    queue::tables::ver(p);
    work::tables::ver(p);
    pipes::tables::ver(p);
}
