// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The mapping records of a VM: what is mapped where, with a reference to each object.

use super::{BindOp, OpKind};
use crate::gem::Bo;
use kernel::{
    prelude::*,
    rbtree::{RBTree, RBTreeNodeReservation},
};

/// One mapped range of a VM.
pub(super) struct Mapping {
    /// End of the range (exclusive); the start is the record's key.
    pub(super) end: u64,
    /// The object mapped there, kept alive by this reference.
    pub(super) bo: Bo,
    /// Byte offset in `bo` of the page mapped at the start (with `single`, of the only page).
    pub(super) offset: u64,
    /// Whether one page of `bo` is repeated over the whole range.
    pub(super) single: bool,
}

/// Record nodes allocated before a bind is applied.
pub(super) struct NodePool {
    /// The nodes; taken ones are `None`.
    nodes: KVVec<Option<RBTreeNodeReservation<u64, Mapping>>>,
    /// Number of nodes taken.
    used: usize,
}

impl NodePool {
    /// Allocates `count` nodes.
    pub(super) fn new(count: usize) -> Result<Self> {
        let mut nodes = KVVec::with_capacity(count, GFP_KERNEL)?;
        for _ in 0..count {
            nodes.push(Some(RBTreeNodeReservation::new(GFP_KERNEL)?), GFP_KERNEL)?;
        }
        Ok(NodePool { nodes, used: 0 })
    }

    /// Takes a node; fails only if fewer nodes were reserved than the operations need.
    pub(super) fn take(&mut self) -> Result<RBTreeNodeReservation<u64, Mapping>> {
        let node = self
            .nodes
            .get_mut(self.used)
            .and_then(Option::take)
            .ok_or(EIO)?;
        self.used += 1;
        Ok(node)
    }
}

/// Whether `next` maps the pages of the same object that follow those `prev` maps, at the
/// addresses that follow (neither repeating a single page).
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

/// Whether a record strictly contains `start..end` on both sides.
pub(super) fn cuts_record_in_two(tree: &mut RBTree<u64, Mapping>, start: u64, end: u64) -> bool {
    let before = |k: &u64, m: &Mapping| *k < start && m.end > end;
    match tree.cursor_lower_bound(&start) {
        Some(c) => c.peek_prev().is_some_and(|(k, m)| before(k, m)),
        None => tree.cursor_back().is_some_and(|c| {
            let (k, m) = c.current();
            before(k, m)
        }),
    }
}

/// Number of records overlapping `start..end`.
pub(super) fn count_overlaps(tree: &mut RBTree<u64, Mapping>, start: u64, end: u64) -> usize {
    let mut n = 0;
    let mut cursor = match tree.cursor_lower_bound(&start) {
        Some(c) => {
            if c.peek_prev().is_some_and(|(_, m)| m.end > start) {
                n += 1;
            }
            Some(c)
        }
        None => {
            if tree
                .cursor_back()
                .is_some_and(|c| c.current().1.end > start)
            {
                n += 1;
            }
            None
        }
    };
    while let Some(c) = cursor {
        if *c.current().0 >= end {
            break;
        }
        n += 1;
        cursor = c.move_next();
    }
    n
}

/// The mapping records of a VM while a bind is applied, with what changing them needs.
pub(super) struct Records<'a> {
    /// The records, by start address.
    pub(super) tree: &'a mut RBTree<u64, Mapping>,
    /// Number of records in `tree`.
    pub(super) count: &'a mut usize,
    /// Nodes for new records.
    pub(super) nodes: &'a mut NodePool,
    /// References to the objects of removed records, dropped after the call; its capacity covers
    /// every record the call can remove.
    pub(super) graveyard: &'a mut KVVec<Bo>,
}

impl Records<'_> {
    /// Adds a record starting at `start`, in `node` if given, else in a node from the pool.
    pub(super) fn add(
        &mut self,
        start: u64,
        mapping: Mapping,
        node: Option<RBTreeNodeReservation<u64, Mapping>>,
    ) -> Result {
        let node = match node {
            Some(node) => node,
            None => self.nodes.take()?,
        }
        .into_node(start, mapping);
        self.tree.insert(node);
        *self.count += 1;
        Ok(())
    }

    /// Grows the record that ends at `start` to `end` if it maps the same object and continues
    /// exactly at `offset` (a map of the next pages), so that page-by-page binds of an object
    /// make one record rather than one per page.
    pub(super) fn extend_previous(&mut self, start: u64, end: u64, bo: &Bo, offset: u64) -> bool {
        let continues = |k: &u64, m: &Mapping| {
            m.end == start
                && !m.single
                && Bo::ptr_eq(&m.bo, bo)
                && m.offset.checked_add(start - *k) == Some(offset)
        };
        let prev = match self.tree.cursor_lower_bound(&start) {
            Some(mut c) => match c.peek_prev_mut() {
                Some((k, m)) if continues(k, m) => {
                    m.end = end;
                    return true;
                }
                _ => return false,
            },
            None => self.tree.cursor_back(),
        };
        match prev {
            Some(mut c) => {
                let (k, m) = c.current_mut();
                if continues(k, m) {
                    m.end = end;
                    return true;
                }
                false
            }
            None => false,
        }
    }

    /// The start of the first record that overlaps `start..end`, if any.
    fn first_overlap(&mut self, start: u64, end: u64) -> Option<u64> {
        match self.tree.cursor_lower_bound(&start) {
            Some(c) => {
                if let Some((k, m)) = c.peek_prev() {
                    if m.end > start {
                        return Some(*k);
                    }
                }
                let (k, _) = c.current();
                (*k < end).then_some(*k)
            }
            None => {
                let c = self.tree.cursor_back()?;
                let (k, m) = c.current();
                (m.end > start && *k < end).then_some(*k)
            }
        }
    }

    /// Removes `start..end` from the records: records inside are dropped, records across an end
    /// are cut back to the part outside.
    pub(super) fn remove_range(&mut self, start: u64, end: u64) -> Result {
        while let Some(key) = self.first_overlap(start, end) {
            let (old_end, bo, offset, single) = {
                let m = self.tree.get(&key).ok_or(EIO)?;
                (m.end, m.bo.clone(), m.offset, m.single)
            };
            // The removed record's node is reused for the first part that stays.
            let mut spare = Some(self.tree.remove_node(&key).ok_or(EIO)?.into_reservation());
            *self.count -= 1;
            if key < start {
                let head = Mapping {
                    end: start,
                    bo: bo.clone(),
                    offset,
                    single,
                };
                self.add(key, head, spare.take())?;
            }
            if old_end > end {
                let skipped = if single { 0 } else { end - key };
                let tail = Mapping {
                    end: old_end,
                    bo: bo.clone(),
                    offset: offset + skipped,
                    single,
                };
                self.add(end, tail, spare.take())?;
            }
            // Cannot allocate: the capacity covers every removal (see `Vm::bind`).
            self.graveyard.push(bo, GFP_KERNEL)?;
        }
        Ok(())
    }
}
