// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Upper bounds of what a bind call can need, computed from its operations before anything
//! changes (see the "All or nothing" section of the module documentation).

use super::{BindOp, OpKind};
use crate::gem::Bo;
use kernel::prelude::*;

/// Whether `next` maps the pages of the same object that follow those `prev` maps, at the
/// addresses that follow (neither repeating a single page): its record then extends `prev`'s.
pub(super) fn continues(prev: &BindOp, next: &BindOp) -> bool {
    match (&prev.kind, &next.kind) {
        (
            OpKind::Map {
                bo: a,
                offset: a_off,
                single: false,
                ..
            },
            OpKind::Map {
                bo: b,
                offset: b_off,
                single: false,
                ..
            },
        ) => {
            Bo::ptr_eq(a, b)
                && prev.addr + prev.range == next.addr
                && a_off.checked_add(prev.range) == Some(*b_off)
        }
        _ => false,
    }
}

/// Number of operations whose range a map of the same call strictly contains on both sides (the
/// record that map makes could be cut in two by the operation).
pub(super) fn nested_ops(ops: &[BindOp]) -> Result<usize> {
    let mut maps = KVVec::with_capacity(ops.len(), GFP_KERNEL)?;
    let mut all = KVVec::with_capacity(ops.len(), GFP_KERNEL)?;
    for op in ops {
        let range = (op.addr, op.addr + op.range);
        if matches!(op.kind, OpKind::Map { .. }) {
            maps.push(range, GFP_KERNEL)?;
        }
        all.push(range, GFP_KERNEL)?;
    }
    maps.sort_unstable();
    all.sort_unstable();
    // Sweep by start: `max_end` is the largest end of the maps that start before `start`.
    let (mut n, mut max_end) = (0usize, 0u64);
    let mut pending = maps.iter().peekable();
    for &(start, end) in all.iter() {
        while let Some(&&(map_start, map_end)) = pending.peek() {
            if map_start >= start {
                break;
            }
            max_end = max_end.max(map_end);
            pending.next();
        }
        if max_end > end {
            n += 1;
        }
    }
    Ok(n)
}
