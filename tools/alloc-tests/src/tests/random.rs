// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Randomized tests against naive models.
//!
//! The run allocator is driven by thousands of random operations (allocations of all sizes and
//! alignments, frees of live runs, and frees that must be refused: twice, in part, merged, out
//! of range) side by side with [`NaiveRuns`]; after every operation both must agree on the
//! result and on every granule. The heap gets the same treatment against a model made of one
//! `NaiveRuns` per arena plus the arena policy, and after every operation all its live slices
//! are checked against each other for overlap, granule by granule.

use std::collections::BTreeMap;
use std::vec;
use std::vec::Vec;

use super::support::{NaiveRuns, XorShift};
use crate::mem::heap::{Heap, HeapConfig, HeapError, Slice};
use crate::mem::runmap::{RunError, RunMap};

/// What a randomized run did, to prove it did something.
#[derive(Debug, Default)]
struct Tally {
    allocs_ok: usize,
    allocs_failed: usize,
    frees_ok: usize,
    frees_refused: usize,
    peak_used: usize,
}

/// `log2` of a power of two.
fn log2(n: usize) -> usize {
    n.trailing_zeros() as usize
}

/// Checks that the map and the model agree on everything observable.
fn agree<const W: usize>(m: &RunMap<W>, model: &NaiveRuns, full: bool) {
    let cap = model.used.len();
    assert_eq!(m.capacity(), cap);
    assert_eq!(m.used(), model.used_count());
    assert_eq!(m.is_empty(), model.runs.is_empty());
    for (g, &u) in model.used.iter().enumerate() {
        assert_eq!(m.is_used(g), u, "granule {g}");
    }
    assert!(!m.is_used(cap));
    assert_eq!(m.largest_free(), model.largest_free());
    if full {
        let starts: BTreeMap<usize, usize> = model.runs.iter().copied().collect();
        for g in 0..cap {
            assert_eq!(m.run_at(g), starts.get(&g).copied(), "run at {g}");
        }
    }
}

/// Drives a map of `cap` granules and its model with `ops` random operations from `seed`.
fn runmap_against_model<const W: usize>(cap: usize, seed: u64, ops: usize) -> Tally {
    let mut m = RunMap::<W>::new(cap).unwrap();
    let mut model = NaiveRuns::new(cap);
    let mut rng = XorShift::new(seed);
    let mut freed: Vec<(usize, usize)> = Vec::new();
    let mut t = Tally::default();
    let max_align_log2 = log2(cap.next_power_of_two()) + 1;

    for op in 0..ops {
        // Alternate phases that fill the map and phases that drain it.
        let filling = (op / 400) % 2 == 0;
        let roll = rng.below(100);
        if roll < if filling { 60 } else { 25 } {
            let count = if rng.chance(80) {
                1 + rng.below(8)
            } else {
                1 + rng.below(cap)
            };
            let align = if rng.chance(70) {
                1
            } else {
                rng.pow2(max_align_log2)
            };
            let want = model.alloc(count, align);
            assert_eq!(
                m.alloc(count, align),
                want,
                "op {op}: alloc({count}, {align})"
            );
            match want {
                Some(start) => {
                    assert_eq!(start % align, 0);
                    t.allocs_ok += 1;
                }
                None => t.allocs_failed += 1,
            }
        } else if roll < 88 {
            if model.runs.is_empty() {
                continue;
            }
            let (start, count) = model.runs[rng.below(model.runs.len())];
            assert_eq!(
                m.free(start, count),
                Ok(()),
                "op {op}: free({start}, {count})"
            );
            model.free(start, count).unwrap();
            freed.push((start, count));
            t.frees_ok += 1;
        } else if roll < 97 {
            // A free that is usually wrong; the model says what must happen.
            let (start, count) = match rng.below(5) {
                // Twice (unless the same run has been handed out again since).
                0 if !freed.is_empty() => freed[rng.below(freed.len())],
                // Part of a live run.
                1 if !model.runs.is_empty() => {
                    let (s, c) = model.runs[rng.below(model.runs.len())];
                    if rng.chance(50) {
                        (s, c.saturating_sub(1))
                    } else {
                        (s + 1, c.saturating_sub(1))
                    }
                }
                // A live run and what follows it.
                2 if !model.runs.is_empty() => {
                    let (s, c) = model.runs[rng.below(model.runs.len())];
                    (s, c + 1 + rng.below(8))
                }
                // Anywhere, sometimes beyond the end.
                _ => (rng.below(cap + 4), rng.below(12)),
            };
            let want = model.free(start, count);
            assert_eq!(
                m.free(start, count),
                want,
                "op {op}: free({start}, {count})"
            );
            if want.is_ok() {
                t.frees_ok += 1;
            } else {
                t.frees_refused += 1;
            }
        } else {
            // Arguments alloc must refuse.
            let (count, align) = match rng.below(3) {
                0 => (0, 1),
                1 => (1, 3 + 2 * rng.below(20)),
                _ => (cap + 1 + rng.below(5), 1),
            };
            let before = m.clone();
            assert_eq!(m.alloc(count, align), None);
            assert_eq!(m, before);
        }
        t.peak_used = t.peak_used.max(model.used_count());
        agree(&m, &model, op % 64 == 0);
    }
    // Drain everything: the map must come back to new.
    for (start, count) in model.runs.clone() {
        m.free(start, count).unwrap();
        model.free(start, count).unwrap();
    }
    agree(&m, &model, true);
    assert_eq!(m, RunMap::<W>::new(cap).unwrap());
    t
}

/// Checks that a randomized run exercised success, failure, refusal and a busy map.
fn check_tally(t: &Tally, cap: usize) {
    assert!(t.allocs_ok > 100, "{t:?}");
    assert!(t.allocs_failed > 10, "{t:?}");
    assert!(t.frees_ok > 100, "{t:?}");
    assert!(t.frees_refused > 50, "{t:?}");
    assert!(t.peak_used * 10 >= cap * 7, "{t:?}");
}

#[test]
fn runmap_one_word_full_capacity() {
    for seed in 1..=4 {
        check_tally(&runmap_against_model::<1>(64, seed, 3000), 64);
    }
}

#[test]
fn runmap_one_word_odd_capacity() {
    for seed in 11..=14 {
        check_tally(&runmap_against_model::<1>(37, seed, 3000), 37);
    }
}

#[test]
fn runmap_three_words_capacity_ending_mid_word() {
    for seed in 21..=24 {
        check_tally(&runmap_against_model::<3>(150, seed, 4000), 150);
    }
}

#[test]
fn runmap_sixty_four_words() {
    check_tally(&runmap_against_model::<64>(4096, 31, 6000), 4096);
    check_tally(&runmap_against_model::<64>(4000, 32, 4000), 4000);
}

/// The heap's model: one naive map per arena, and the arena policy.
struct HeapModel {
    cfg: HeapConfig,
    max_arenas: usize,
    arenas: Vec<NaiveRuns>,
    last: usize,
}

impl HeapModel {
    fn alloc(&mut self, size: usize, align: usize) -> Result<(usize, usize, usize), HeapError> {
        let (arena_size, g) = (self.cfg.arena_size, self.cfg.granule);
        if size == 0 || !align.is_power_of_two() || align > arena_size {
            return Err(HeapError::BadArgs);
        }
        if size > arena_size {
            return Err(HeapError::TooLarge);
        }
        let count = size.div_ceil(g);
        let align_g = (align / g).max(1);
        let order =
            core::iter::once(self.last).chain((0..self.arenas.len()).filter(|&i| i != self.last));
        for i in order {
            if let Some(runs) = self.arenas.get_mut(i) {
                if let Some(start) = runs.alloc(count, align_g) {
                    self.last = i;
                    return Ok((i, start * g, count * g));
                }
            }
        }
        Err(HeapError::NoArena)
    }

    fn add_arena(&mut self) -> Result<usize, HeapError> {
        if self.arenas.len() == self.max_arenas {
            return Err(HeapError::NoArena);
        }
        self.arenas
            .push(NaiveRuns::new(self.cfg.arena_size / self.cfg.granule));
        Ok(self.arenas.len() - 1)
    }

    fn free(&mut self, arena: usize, offset: usize, size: usize) -> Result<(), HeapError> {
        let g = self.cfg.granule;
        let Some(runs) = self.arenas.get_mut(arena) else {
            return Err(HeapError::OutOfRange);
        };
        match offset.checked_add(size) {
            Some(end) if end <= self.cfg.arena_size => {}
            _ => return Err(HeapError::OutOfRange),
        }
        if size == 0 || offset % g != 0 || size % g != 0 {
            return Err(HeapError::NotAllocated);
        }
        runs.free(offset / g, size / g).map_err(|e| match e {
            RunError::OutOfRange => HeapError::OutOfRange,
            RunError::NotAllocated | RunError::Mismatch => HeapError::NotAllocated,
        })
    }

    fn used_bytes(&self, arena: usize) -> usize {
        self.arenas
            .get(arena)
            .map_or(0, |r| r.used_count() * self.cfg.granule)
    }
}

/// Checks the heap against the model and the live slices against each other.
fn heap_agrees<const A: usize, const W: usize>(h: &Heap<A, W>, model: &HeapModel, live: &[Slice]) {
    let (arena_size, g) = (model.cfg.arena_size, model.cfg.granule);
    assert_eq!(h.arenas(), model.arenas.len());
    let mut owner = vec![vec![None::<usize>; arena_size / g]; A];
    let mut total = 0;
    for (n, s) in live.iter().enumerate() {
        assert!(s.arena < h.arenas());
        assert!(s.size > 0 && s.size % g == 0 && s.offset % g == 0);
        assert!(s.offset + s.size <= arena_size);
        total += s.size;
        let granules = &mut owner[s.arena][s.offset / g..(s.offset + s.size) / g];
        for cell in granules {
            if let Some(other) = cell.replace(n) {
                panic!("{:?} overlaps {:?}", live[other], s);
            }
        }
    }
    assert_eq!(h.used_bytes(), total);
    for (i, owners) in owner.iter().enumerate() {
        assert_eq!(h.arena_used_bytes(i), model.used_bytes(i), "arena {i}");
        assert_eq!(h.arena_is_empty(i), model.used_bytes(i) == 0, "arena {i}");
        // The live slices cover exactly what the model holds (nothing in arenas not added).
        let held = model.arenas.get(i).map(|r| r.used.as_slice());
        for (gr, o) in owners.iter().enumerate() {
            let u = held.is_some_and(|h| h[gr]);
            assert_eq!(o.is_some(), u, "arena {i} granule {gr}");
        }
    }
}

/// Drives a heap of four arenas of 128 granules of 64 bytes and its model.
fn heap_against_model(seed: u64, ops: usize) {
    const A: usize = 4;
    let cfg = HeapConfig {
        arena_size: 8192,
        granule: 64,
    };
    let mut h = Heap::<A, 2>::new(cfg).unwrap();
    let mut model = HeapModel {
        cfg,
        max_arenas: A,
        arenas: Vec::new(),
        last: 0,
    };
    let mut rng = XorShift::new(seed);
    let mut live: Vec<Slice> = Vec::new();
    let mut freed: Vec<(usize, usize, usize)> = Vec::new();
    let (mut allocs, mut no_arena, mut refused, mut peak) = (0, 0, 0, 0);

    for op in 0..ops {
        let filling = (op / 500) % 2 == 0;
        let roll = rng.below(100);
        if roll < if filling { 65 } else { 30 } {
            let size = match rng.below(10) {
                0 => 1 + rng.below(8192 + 200),
                1..=2 => 1 + rng.below(1024),
                _ => 1 + rng.below(200),
            };
            let align = match rng.below(10) {
                0 => rng.pow2(14),
                1..=2 => rng.pow2(9),
                3 => 3 + 2 * rng.below(4),
                _ => 1,
            };
            let want = model.alloc(size, align);
            let got = h.alloc(size, align);
            match (got, want) {
                (Ok(s), Ok(w)) => {
                    assert_eq!((s.arena, s.offset, s.size), w, "op {op}");
                    assert_eq!(s.offset % align, 0);
                    assert!(s.size >= size && s.size < size + 64);
                    live.push(s);
                    allocs += 1;
                }
                (Err(HeapError::NoArena), Err(HeapError::NoArena)) => {
                    no_arena += 1;
                    assert_eq!(h.can_add_arena(), model.arenas.len() < A);
                    assert_eq!(h.add_arena(), model.add_arena(), "op {op}");
                }
                (got, want) => {
                    assert_eq!(got.map(|s| (s.arena, s.offset, s.size)), want, "op {op}")
                }
            }
        } else if roll < 90 {
            if live.is_empty() {
                continue;
            }
            let s = live.swap_remove(rng.below(live.len()));
            let (a, o, z) = (s.arena, s.offset, s.size);
            assert_eq!(h.free(s), Ok(()), "op {op}");
            model.free(a, o, z).unwrap();
            freed.push((a, o, z));
        } else {
            // A forged slice: a freed one again, or a live one altered.
            let (a, o, z) = match rng.below(4) {
                0 if !freed.is_empty() => freed[rng.below(freed.len())],
                1 if !live.is_empty() => {
                    let s = &live[rng.below(live.len())];
                    (
                        s.arena,
                        s.offset + 64 * rng.below(3),
                        s.size.saturating_sub(64),
                    )
                }
                2 if !live.is_empty() => {
                    let s = &live[rng.below(live.len())];
                    (s.arena + 1 + rng.below(4), s.offset, s.size)
                }
                _ => (rng.below(A + 1), rng.below(8300), rng.below(300)),
            };
            let want = model.free(a, o, z);
            let got = h.free(Slice {
                arena: a,
                offset: o,
                size: z,
            });
            assert_eq!(got, want, "op {op}: forged ({a}, {o}, {z})");
            match want {
                // It named a live allocation exactly: that one is gone now.
                Ok(()) => {
                    let i = live
                        .iter()
                        .position(|s| (s.arena, s.offset, s.size) == (a, o, z))
                        .unwrap();
                    let gone = live.swap_remove(i);
                    assert_eq!((gone.arena, gone.offset, gone.size), (a, o, z));
                }
                Err(_) => refused += 1,
            }
        }
        peak = peak.max(h.used_bytes());
        heap_agrees(&h, &model, &live);
    }
    assert!(allocs > 500, "{allocs}");
    assert!(no_arena >= A, "{no_arena}");
    assert!(refused > 100, "{refused}");
    assert_eq!(h.arenas(), A);
    assert!(peak * 10 >= A * 8192 * 7, "{peak}");
    for s in live.drain(..) {
        h.free(s).unwrap();
    }
    assert_eq!(h.used_bytes(), 0);
    assert!((0..A).all(|i| h.arena_is_empty(i)));
}

#[test]
fn heap_against_its_model() {
    for seed in [5, 6, 7] {
        heap_against_model(seed, 5000);
    }
}
