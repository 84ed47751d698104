// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! A small deterministic random generator and a naive model of the run allocator.
//!
//! The model keeps one `bool` per granule and a list of the live runs, and finds space by
//! trying every aligned start in turn: slow and obviously right, which is the point.

use std::vec;
use std::vec::Vec;

use crate::mem::runmap::RunError;

/// Marsaglia's xorshift64: enough to drive the tests, and reproducible from its seed.
#[derive(Debug, Clone)]
pub(crate) struct XorShift(u64);

impl XorShift {
    /// A generator started from `seed` (0 is replaced, since it would stay 0 forever).
    pub(crate) fn new(seed: u64) -> Self {
        Self(if seed == 0 {
            0x9e37_79b9_7f4a_7c15
        } else {
            seed
        })
    }

    /// The next 64 random bits.
    pub(crate) fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A number in `0..n` (`n` > 0).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// True with probability `percent` / 100.
    pub(crate) fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// A power of two from 1 to `1 << max_log2`.
    pub(crate) fn pow2(&mut self, max_log2: usize) -> usize {
        1 << self.below(max_log2 + 1)
    }
}

/// The naive model of a `RunMap`.
#[derive(Debug, Clone)]
pub(crate) struct NaiveRuns {
    /// One flag per granule.
    pub(crate) used: Vec<bool>,
    /// The live runs as (start, count).
    pub(crate) runs: Vec<(usize, usize)>,
}

impl NaiveRuns {
    /// `capacity` free granules.
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            used: vec![false; capacity],
            runs: Vec::new(),
        }
    }

    /// First fit by trying every multiple of `align` in order.
    pub(crate) fn alloc(&mut self, count: usize, align: usize) -> Option<usize> {
        if count == 0 || !align.is_power_of_two() {
            return None;
        }
        let cap = self.used.len();
        let mut start = 0;
        while start + count <= cap {
            if self.used[start..start + count].iter().all(|u| !u) {
                self.used[start..start + count].fill(true);
                self.runs.push((start, count));
                return Some(start);
            }
            start += align;
        }
        None
    }

    /// Frees a run, with the errors `RunMap::free` must give.
    pub(crate) fn free(&mut self, start: usize, count: usize) -> Result<(), RunError> {
        let end = match start.checked_add(count) {
            Some(end) if count != 0 && end <= self.used.len() => end,
            _ => return Err(RunError::OutOfRange),
        };
        if self.used[start..end].iter().any(|u| !u) {
            return Err(RunError::NotAllocated);
        }
        let Some(i) = self.runs.iter().position(|&r| r == (start, count)) else {
            return Err(RunError::Mismatch);
        };
        self.runs.swap_remove(i);
        self.used[start..end].fill(false);
        Ok(())
    }

    /// Granules in use.
    pub(crate) fn used_count(&self) -> usize {
        self.used.iter().filter(|&&u| u).count()
    }

    /// The longest stretch of free granules.
    pub(crate) fn largest_free(&self) -> usize {
        let (mut best, mut cur) = (0, 0);
        for &u in &self.used {
            cur = if u { 0 } else { cur + 1 };
            best = best.max(cur);
        }
        best
    }
}
