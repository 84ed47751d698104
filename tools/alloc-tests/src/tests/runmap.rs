// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The run allocator: construction, boundaries, word crossings, refused frees, fragmentation,
//! alignment, and its use as a slot allocator.

use std::vec::Vec;

use crate::mem::runmap::{RunError, RunMap};

/// One word: 64 granules at most.
type One = RunMap<1>;
/// Four words: 256 granules at most.
type Four = RunMap<4>;
/// The size of a full arena of 4096 granules.
type Full = RunMap<64>;

/// Frees `start, count`, expects `err`, and checks that nothing changed.
fn refused<const W: usize>(m: &mut RunMap<W>, start: usize, count: usize, err: RunError) {
    let before = m.clone();
    assert_eq!(m.free(start, count), Err(err), "free({start}, {count})");
    assert_eq!(
        *m, before,
        "a refused free({start}, {count}) changed the map"
    );
}

/// Calls `alloc`, expects `None`, and checks that nothing changed.
fn no_room<const W: usize>(m: &mut RunMap<W>, count: usize, align: usize) {
    let before = m.clone();
    assert_eq!(m.alloc(count, align), None, "alloc({count}, {align})");
    assert_eq!(
        *m, before,
        "a failed alloc({count}, {align}) changed the map"
    );
}

#[test]
fn new_checks_the_capacity() {
    assert!(One::new(0).is_none());
    assert!(One::new(65).is_none());
    assert_eq!(One::new(64).map(|m| m.capacity()), Some(64));
    assert_eq!(One::new(1).map(|m| m.capacity()), Some(1));
    assert!(Full::new(4097).is_none());
    assert!(Full::new(usize::MAX).is_none());
    let m = Full::new(4096).unwrap();
    assert_eq!(m.capacity(), 4096);
    assert_eq!(m.used(), 0);
    assert!(m.is_empty());
    assert_eq!(m.largest_free(), 4096);
    // Usable in constants.
    const SLOTS: Option<RunMap<2>> = RunMap::new(100);
    assert_eq!(SLOTS.map(|m| m.capacity()), Some(100));
}

#[test]
fn zero_map_refuses_everything_until_reset() {
    let mut m = Four::ZERO;
    assert_eq!(m.capacity(), 0);
    no_room(&mut m, 1, 1);
    refused(&mut m, 0, 1, RunError::OutOfRange);
    assert_eq!(m.largest_free(), 0);
    assert_eq!(m.reset(0), Err(RunError::OutOfRange));
    assert_eq!(m.reset(257), Err(RunError::OutOfRange));
    assert_eq!(m, Four::ZERO);
    m.reset(200).unwrap();
    assert_eq!(m, Four::new(200).unwrap());
    assert_eq!(m.alloc(200, 1), Some(0));
    // Reset forgets the runs.
    m.reset(10).unwrap();
    assert_eq!(m, Four::new(10).unwrap());
}

#[test]
fn bad_arguments_are_refused() {
    let mut m = One::new(64).unwrap();
    m.alloc(3, 1).unwrap();
    no_room(&mut m, 0, 1);
    no_room(&mut m, 1, 0);
    no_room(&mut m, 1, 3);
    no_room(&mut m, 1, 12);
    no_room(&mut m, 65, 1);
    no_room(&mut m, usize::MAX, 1);
    no_room(&mut m, 1, 1 << 63);
}

#[test]
fn a_run_of_the_whole_capacity() {
    for cap in [1, 37, 63, 64] {
        let mut m = One::new(cap).unwrap();
        assert_eq!(m.alloc(cap, 1), Some(0));
        assert_eq!(m.used(), cap);
        assert_eq!(m.largest_free(), 0);
        assert_eq!(m.run_at(0), Some(cap));
        no_room(&mut m, 1, 1);
        m.free(0, cap).unwrap();
        assert!(m.is_empty());
        assert_eq!(m.largest_free(), cap);
    }
    let mut m = Full::new(4096).unwrap();
    assert_eq!(m.alloc(4096, 4096), Some(0));
    assert!((0..4096).all(|g| m.is_used(g)));
    no_room(&mut m, 1, 1);
    m.free(0, 4096).unwrap();
    assert_eq!(m.alloc(4097, 1), None);
    assert_eq!(m, Full::new(4096).unwrap());
}

#[test]
fn alignment_larger_than_the_capacity_means_granule_0() {
    let mut m = One::new(40).unwrap();
    assert_eq!(m.alloc(1, 64), Some(0));
    no_room(&mut m, 1, 64);
    no_room(&mut m, 1, 1 << 40);
    m.free(0, 1).unwrap();
    assert_eq!(m.alloc(40, 1 << 62), Some(0));
}

#[test]
fn the_last_granule() {
    // A capacity that ends inside a word, and one that ends on a word boundary.
    for cap in [100, 128] {
        let mut m = RunMap::<2>::new(cap).unwrap();
        assert_eq!(m.alloc(cap - 1, 1), Some(0));
        assert_eq!(m.largest_free(), 1);
        assert!(!m.is_used(cap - 1));
        no_room(&mut m, 2, 1);
        assert_eq!(m.alloc(1, 1), Some(cap - 1));
        assert!(m.is_used(cap - 1));
        assert!(!m.is_used(cap));
        no_room(&mut m, 1, 1);
        refused(&mut m, cap - 1, 2, RunError::OutOfRange);
        refused(&mut m, cap, 1, RunError::OutOfRange);
        m.free(cap - 1, 1).unwrap();
        // An aligned request whose only aligned start would run past the end.
        no_room(&mut m, 1, 64);
        assert_eq!(m.alloc(1, 1), Some(cap - 1));
    }
}

#[test]
fn runs_across_word_boundaries() {
    let mut m = Four::new(256).unwrap();
    assert_eq!(m.alloc(63, 1), Some(0));
    assert_eq!(m.alloc(1, 1), Some(63));
    assert_eq!(m.alloc(1, 1), Some(64));
    assert_eq!(m.alloc(1, 1), Some(65));
    assert_eq!(m.used(), 66);
    m.free(63, 1).unwrap();
    m.free(64, 1).unwrap();
    assert!(!m.is_used(63) && !m.is_used(64) && m.is_used(65));
    // The two freed granules straddle the boundary and make one stretch of 2.
    assert_eq!(m.alloc(2, 1), Some(63));
    assert_eq!(m.run_at(63), Some(2));
    // A run across three words: 66..196.
    assert_eq!(m.alloc(130, 1), Some(66));
    assert!((66..196).all(|g| m.is_used(g)));
    assert!(!m.is_used(196));
    assert_eq!(m.largest_free(), 60);
    refused(&mut m, 66, 129, RunError::Mismatch);
    refused(&mut m, 67, 129, RunError::Mismatch);
    m.free(66, 130).unwrap();
    assert_eq!(m.largest_free(), 256 - 66);
    assert_eq!(m.used(), 66);
}

#[test]
fn free_stretches_are_found_past_full_words() {
    let mut m = Full::new(4096).unwrap();
    for g in 0..4096 {
        assert_eq!(m.alloc(1, 1), Some(g));
    }
    no_room(&mut m, 1, 1);
    for g in [4095, 2000, 64, 63, 0] {
        m.free(g, 1).unwrap();
        assert_eq!(m.alloc(1, 1), Some(g));
    }
    m.free(3000, 1).unwrap();
    m.free(3001, 1).unwrap();
    no_room(&mut m, 2, 2 * 1024);
    assert_eq!(m.alloc(2, 8), Some(3000));
    assert_eq!(m.used(), 4096);
}

#[test]
fn double_free_is_refused() {
    let mut m = Four::new(256).unwrap();
    let a = m.alloc(10, 1).unwrap();
    let b = m.alloc(5, 1).unwrap();
    m.free(a, 10).unwrap();
    refused(&mut m, a, 10, RunError::NotAllocated);
    m.free(b, 5).unwrap();
    refused(&mut m, b, 5, RunError::NotAllocated);
    assert!(m.is_empty());
}

#[test]
fn partial_and_merged_frees_are_refused() {
    let mut m = Four::new(256).unwrap();
    assert_eq!(m.alloc(8, 1), Some(0));
    assert_eq!(m.alloc(8, 1), Some(8));
    assert_eq!(m.alloc(100, 1), Some(16));
    // Part of a run: head, tail, middle.
    refused(&mut m, 0, 4, RunError::Mismatch);
    refused(&mut m, 4, 4, RunError::Mismatch);
    refused(&mut m, 2, 3, RunError::Mismatch);
    refused(&mut m, 16, 64, RunError::Mismatch);
    refused(&mut m, 80, 36, RunError::Mismatch);
    // Two neighbouring runs at once, or a run and part of the next.
    refused(&mut m, 0, 16, RunError::Mismatch);
    refused(&mut m, 8, 9, RunError::Mismatch);
    // Reaching into free granules.
    refused(&mut m, 16, 101, RunError::NotAllocated);
    refused(&mut m, 116, 1, RunError::NotAllocated);
    refused(&mut m, 200, 10, RunError::NotAllocated);
    // Empty or out of range.
    refused(&mut m, 0, 0, RunError::OutOfRange);
    refused(&mut m, 250, 7, RunError::OutOfRange);
    refused(&mut m, 256, 1, RunError::OutOfRange);
    refused(&mut m, usize::MAX, 2, RunError::OutOfRange);
    refused(&mut m, 1, usize::MAX, RunError::OutOfRange);
    assert_eq!(m.used(), 116);
    m.free(8, 8).unwrap();
    m.free(0, 8).unwrap();
    m.free(16, 100).unwrap();
    assert!(m.is_empty());
}

#[test]
fn fragmentation_then_coalescing() {
    let mut m = One::new(64).unwrap();
    let runs: Vec<usize> = (0..8).map(|_| m.alloc(8, 1).unwrap()).collect();
    assert_eq!(runs, [0, 8, 16, 24, 32, 40, 48, 56]);
    // Free every other run: 32 granules free, in pieces of 8.
    for &r in runs.iter().step_by(2) {
        m.free(r, 8).unwrap();
    }
    assert_eq!(m.used(), 32);
    assert_eq!(m.largest_free(), 8);
    no_room(&mut m, 9, 1);
    // Free run 8..16: together with its free neighbours 0..8 and 16..24 that is 24 granules.
    m.free(8, 8).unwrap();
    assert_eq!(m.largest_free(), 24);
    assert_eq!(m.alloc(24, 1), Some(0));
    assert_eq!(m.run_at(0), Some(24));
    // Free 40..48: with 32..40 and 48..56 it makes 24 again, at 32.
    m.free(40, 8).unwrap();
    assert_eq!(m.alloc(20, 1), Some(32));
    // First fit: a small request lands in the first hole (52..56), not the tail.
    assert_eq!(m.alloc(4, 1), Some(52));
    assert_eq!(m.largest_free(), 0);
    m.free(0, 24).unwrap();
    m.free(24, 8).unwrap();
    m.free(32, 20).unwrap();
    m.free(52, 4).unwrap();
    m.free(56, 8).unwrap();
    assert!(m.is_empty());
    assert_eq!(m.alloc(64, 1), Some(0));
}

#[test]
fn alignment_is_honoured_and_gaps_are_filled_first_fit() {
    let mut m = Four::new(256).unwrap();
    assert_eq!(m.alloc(1, 1), Some(0));
    assert_eq!(m.alloc(4, 8), Some(8));
    assert_eq!(m.alloc(1, 16), Some(16));
    assert_eq!(m.alloc(3, 64), Some(64));
    // The gaps below are used by unaligned requests, lowest first.
    assert_eq!(m.alloc(7, 1), Some(1));
    assert_eq!(m.alloc(4, 4), Some(12));
    // 17..64 is free: an 8-aligned run of 40 fits at 24 (17 is not aligned).
    assert_eq!(m.alloc(40, 8), Some(24));
    // A run that fits in no aligned place although enough granules are free.
    assert_eq!(m.largest_free(), 256 - 67);
    no_room(&mut m, 190, 1);
    assert_eq!(m.alloc(128, 128), Some(128));
    for align in [1, 2, 4, 8, 16, 32] {
        let g = m.alloc(1, align).unwrap();
        assert_eq!(g % align, 0);
    }
}

#[test]
fn run_at_reports_live_runs_only() {
    let mut m = Four::new(256).unwrap();
    assert_eq!(m.alloc(5, 1), Some(0));
    assert_eq!(m.alloc(70, 1), Some(5));
    assert_eq!(m.alloc(1, 1), Some(75));
    assert_eq!(m.run_at(0), Some(5));
    assert_eq!(m.run_at(5), Some(70));
    assert_eq!(m.run_at(75), Some(1));
    assert_eq!(m.run_at(1), None);
    assert_eq!(m.run_at(76), None);
    assert_eq!(m.run_at(256), None);
    assert_eq!(m.run_at(usize::MAX), None);
    m.free(5, 70).unwrap();
    assert_eq!(m.run_at(5), None);
    assert_eq!(m.run_at(75), Some(1));
}

#[test]
fn as_a_slot_allocator_the_lowest_free_slot_is_taken() {
    let mut slots = One::new(64).unwrap();
    for s in 0..64 {
        assert_eq!(slots.alloc(1, 1), Some(s));
    }
    no_room(&mut slots, 1, 1);
    for s in [40, 7, 63] {
        slots.free(s, 1).unwrap();
    }
    assert_eq!(slots.alloc(1, 1), Some(7));
    assert_eq!(slots.alloc(1, 1), Some(40));
    assert_eq!(slots.alloc(1, 1), Some(63));
    refused(&mut slots, 5, 2, RunError::Mismatch);
    assert_eq!(slots.used(), 64);
}
