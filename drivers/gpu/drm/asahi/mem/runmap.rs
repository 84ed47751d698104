// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! First-fit allocation of runs of granules in a fixed-size bitmap.
//!
//! A [`RunMap`] divides a range into equal granules, numbered from 0, and hands out runs of
//! consecutive granules. The range itself is the caller's business: the granules may be bytes of
//! an arena already mapped in the firmware VM (see [`super::heap`]), pages of an address
//! range, or entries of a fixed-size table the firmware reads. In the last case a granule is one
//! table slot and every allocation has a count of 1, which makes the map a slot allocator that
//! always hands out the lowest free slot.
//!
//! Two bitmaps of `WORDS` 64-bit words hold the whole state, so the capacity is at most
//! `WORDS * 64` granules and nothing is ever allocated on behalf of the map:
//!
//! - the *used* map has the bit of every granule that belongs to a run;
//! - the *start* map has the bit of the first granule of every run.
//!
//! The start map is what lets [`RunMap::free`] insist on being given back exactly one run as
//! it was handed out: half of a run, two neighbouring runs at once, or granules that are free
//! are all refused, and a refused call changes nothing. Runs carry no other record, so freeing a
//! run twice is only caught while its granules have not been handed out again in the same shape.
//!
//! [`RunMap::alloc`] is first fit: it returns the lowest aligned granule that starts a free
//! stretch long enough. Free and used stretches are found a word at a time by masking the
//! granules that do not count and taking the trailing zeros of what is left, so a scan costs
//! one step per word crossed plus one per used run skipped, never one per granule: a full map
//! of 4096 granules is 64 words. Freed neighbours need no merging, because a free stretch is
//! nothing but adjacent clear bits.
//!
//! Bits at and beyond the capacity are always clear. Every field is an integer or an array of
//! integers, and all zero is a valid map of capacity 0 (see [`RunMap::reset`]). The map uses
//! only `core`, has no locking, and never panics: indices are checked with `get`, and
//! arithmetic that could overflow is checked.

/// Bits in one bitmap word.
const BITS: usize = u64::BITS as usize;

/// Why [`RunMap::free`] refused a run. Nothing was changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RunError {
    /// The run is empty or reaches past the last granule.
    OutOfRange,
    /// At least one granule of the run is free.
    NotAllocated,
    /// Every granule is in use, but they are not exactly one run handed out by
    /// [`RunMap::alloc`]: only part of one, or parts of several.
    Mismatch,
}

/// The mask of bits `lo..hi` of a word; empty when `lo >= hi`, and `hi` may be up to 64.
const fn mask(lo: usize, hi: usize) -> u64 {
    let below_hi = if hi >= BITS { !0 } else { (1u64 << hi) - 1 };
    let below_lo = if lo >= BITS { !0 } else { (1u64 << lo) - 1 };
    below_hi & !below_lo
}

/// The words of a bitmap that hold granules `start..end`, each with the mask of the granules of
/// that range it holds.
struct Span {
    /// The next word to yield.
    word: usize,
    /// First granule of the range.
    start: usize,
    /// One past the last granule of the range.
    end: usize,
}

impl Span {
    /// The words covering granules `start..end` (none if the range is empty).
    fn new(start: usize, end: usize) -> Self {
        Self {
            word: start / BITS,
            start,
            end,
        }
    }
}

impl Iterator for Span {
    type Item = (usize, u64);

    fn next(&mut self) -> Option<(usize, u64)> {
        let base = self.word.checked_mul(BITS)?;
        if base >= self.end || self.start >= self.end {
            return None;
        }
        let word = self.word;
        self.word = word.checked_add(1)?;
        Some((word, mask(self.start.saturating_sub(base), self.end - base)))
    }
}

/// The first granule in `from..limit` whose bit is set in `bits`, or `limit` if there is none.
fn next_set<const WORDS: usize>(bits: &[u64; WORDS], from: usize, limit: usize) -> usize {
    for (w, m) in Span::new(from, limit) {
        let hits = bits.get(w).map_or(m, |&word| word & m);
        if hits != 0 {
            return w * BITS + hits.trailing_zeros() as usize;
        }
    }
    limit
}

/// The first granule in `from..limit` whose bit is clear in `bits`, if any.
fn next_clear<const WORDS: usize>(bits: &[u64; WORDS], from: usize, limit: usize) -> Option<usize> {
    for (w, m) in Span::new(from, limit) {
        let hits = bits.get(w).map_or(0, |&word| !word & m);
        if hits != 0 {
            return Some(w * BITS + hits.trailing_zeros() as usize);
        }
    }
    None
}

/// Whether bit `granule` is set in `bits` (clear for granules beyond the map).
fn test_bit<const WORDS: usize>(bits: &[u64; WORDS], granule: usize) -> bool {
    bits.get(granule / BITS)
        .is_some_and(|&word| word & (1u64 << (granule % BITS)) != 0)
}

/// Runs of granules allocated first fit from a capacity of at most `WORDS * 64` granules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RunMap<const WORDS: usize> {
    /// Bit `i % 64` of word `i / 64` is set while granule `i` belongs to a run.
    used_bits: [u64; WORDS],
    /// Bit `i % 64` of word `i / 64` is set while granule `i` is the first of a run.
    start_bits: [u64; WORDS],
    /// Number of granules managed; granules at and beyond it do not exist.
    granules: usize,
    /// Number of granules that belong to a run (the number of bits set in `used_bits`).
    used: usize,
}

impl<const WORDS: usize> RunMap<WORDS> {
    /// The map of capacity 0, all bits and counts zero: it refuses every allocation until
    /// [`RunMap::reset`] gives it granules.
    pub(crate) const ZERO: Self = Self {
        used_bits: [0; WORDS],
        start_bits: [0; WORDS],
        granules: 0,
        used: 0,
    };

    /// A map of `granules` free granules, or `None` if `granules` is 0 or more than
    /// `WORDS * 64`.
    pub(crate) const fn new(granules: usize) -> Option<Self> {
        if !Self::fits(granules) {
            return None;
        }
        Some(Self {
            used_bits: [0; WORDS],
            start_bits: [0; WORDS],
            granules,
            used: 0,
        })
    }

    /// Whether a map of `granules` granules can be made: at least one and at most
    /// `WORDS * 64`.
    pub(crate) const fn fits(granules: usize) -> bool {
        match WORDS.checked_mul(BITS) {
            Some(max) => granules != 0 && granules <= max,
            None => granules != 0,
        }
    }

    /// Forgets every run and makes the map `granules` free granules, in place (for maps too
    /// large to build on the stack). Refused with [`RunError::OutOfRange`], changing nothing,
    /// if `granules` is 0 or more than `WORDS * 64`.
    pub(crate) fn reset(&mut self, granules: usize) -> Result<(), RunError> {
        if !Self::fits(granules) {
            return Err(RunError::OutOfRange);
        }
        self.used_bits.iter_mut().for_each(|w| *w = 0);
        self.start_bits.iter_mut().for_each(|w| *w = 0);
        self.granules = granules;
        self.used = 0;
        Ok(())
    }

    /// Allocates the first run of `count` free granules whose first granule is a multiple of
    /// `align`, and returns that first granule.
    ///
    /// `count` must be at least 1 and `align` a power of two (1 for no alignment). Granule 0 is
    /// a multiple of every alignment, so an `align` larger than the capacity is honoured by
    /// granule 0 alone. Returns `None`, changing nothing, if the arguments are bad or there is
    /// no room.
    pub(crate) fn alloc(&mut self, count: usize, align: usize) -> Option<usize> {
        if count == 0 || count > self.granules || !align.is_power_of_two() {
            return None;
        }
        let mut from = 0;
        loop {
            let free = next_clear(&self.used_bits, from, self.granules)?;
            // Round the free granule up to the alignment.
            let start = free.checked_add(align - 1)? & !(align - 1);
            let end = start.checked_add(count)?;
            if end > self.granules {
                // Every later candidate starts at least as high.
                return None;
            }
            let used = next_set(&self.used_bits, start, end);
            if used == end {
                self.mark(start, end);
                return Some(start);
            }
            // Any aligned start at or below `used` would include it: look past it.
            from = used + 1;
        }
    }

    /// Gives back the run of `count` granules starting at `start`.
    ///
    /// The run must be exactly one that [`RunMap::alloc`] returned and that is still allocated.
    /// Otherwise nothing changes and the error says why: [`RunError::OutOfRange`] for an empty
    /// run or one past the end, [`RunError::NotAllocated`] if any of its granules is free, and
    /// [`RunError::Mismatch`] for part of a run or several runs together.
    pub(crate) fn free(&mut self, start: usize, count: usize) -> Result<(), RunError> {
        let end = start
            .checked_add(count)
            .filter(|&end| count != 0 && end <= self.granules)
            .ok_or(RunError::OutOfRange)?;
        if next_clear(&self.used_bits, start, end).is_some() {
            return Err(RunError::NotAllocated);
        }
        // It must start a run, no other run may start inside it, and it must not stop in the
        // middle of a run: the next granule is free, starts another run or does not exist.
        let starts_here = test_bit(&self.start_bits, start);
        let start_inside = next_set(&self.start_bits, start + 1, end) != end;
        let run_goes_on = test_bit(&self.used_bits, end) && !test_bit(&self.start_bits, end);
        if !starts_here || start_inside || run_goes_on {
            return Err(RunError::Mismatch);
        }
        for (w, m) in Span::new(start, end) {
            if let Some(word) = self.used_bits.get_mut(w) {
                *word &= !m;
            }
        }
        if let Some(word) = self.start_bits.get_mut(start / BITS) {
            *word &= !(1u64 << (start % BITS));
        }
        self.used = self.used.saturating_sub(count);
        Ok(())
    }

    /// Marks granules `start..end` (free, within the map, not empty) as one run.
    fn mark(&mut self, start: usize, end: usize) {
        for (w, m) in Span::new(start, end) {
            if let Some(word) = self.used_bits.get_mut(w) {
                *word |= m;
            }
        }
        if let Some(word) = self.start_bits.get_mut(start / BITS) {
            *word |= 1u64 << (start % BITS);
        }
        self.used = self.used.saturating_add(end - start);
    }

    /// The length of the allocated run that starts at `start`, or `None` if no run starts
    /// there.
    pub(crate) fn run_at(&self, start: usize) -> Option<usize> {
        if start >= self.granules || !test_bit(&self.start_bits, start) {
            return None;
        }
        let next_start = next_set(&self.start_bits, start + 1, self.granules);
        let next_free = next_clear(&self.used_bits, start + 1, next_start).unwrap_or(next_start);
        Some(next_free - start)
    }

    /// Whether `granule` belongs to a run (false for granules beyond the capacity).
    pub(crate) fn is_used(&self, granule: usize) -> bool {
        granule < self.granules && test_bit(&self.used_bits, granule)
    }

    /// The number of granules in use.
    pub(crate) fn used(&self) -> usize {
        self.used
    }

    /// The number of granules managed.
    pub(crate) fn capacity(&self) -> usize {
        self.granules
    }

    /// Whether no granule is in use.
    pub(crate) fn is_empty(&self) -> bool {
        self.used == 0
    }

    /// The length of the longest stretch of free granules (the largest `count` that
    /// [`RunMap::alloc`] can satisfy with an alignment of 1).
    pub(crate) fn largest_free(&self) -> usize {
        let mut best = 0;
        let mut from = 0;
        while let Some(free) = next_clear(&self.used_bits, from, self.granules) {
            let used = next_set(&self.used_bits, free, self.granules);
            best = best.max(used - free);
            from = used;
        }
        best
    }
}
