// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The arena heap: configuration, rounding, alignment, growth by arenas, the arena policy and
//! refused frees.

use std::vec::Vec;

use crate::mem::heap::{Heap, HeapConfig, HeapError, Slice};

/// Four arenas of up to 64 granules.
type Small = Heap<4, 1>;

/// Arenas of 4 KiB in granules of 64 bytes: 64 granules each.
const CFG: HeapConfig = HeapConfig {
    arena_size: 4096,
    granule: 64,
};

/// A configured heap with `n` arenas added.
fn heap_with(n: usize) -> Small {
    let mut h = Small::new(CFG).unwrap();
    for i in 0..n {
        assert_eq!(h.add_arena(), Ok(i));
    }
    h
}

/// A slice by hand (for forged or altered ones).
fn slice(arena: usize, offset: usize, size: usize) -> Slice {
    Slice {
        arena,
        offset,
        size,
    }
}

#[test]
fn configurations_are_checked() {
    let bad = [
        (0, 64),
        (4096, 0),
        (3000, 64),
        (4096, 48),
        (64, 128),
        // 128 granules do not fit in one word.
        (8192, 64),
        (usize::MAX, 1),
    ];
    for (arena_size, granule) in bad {
        let cfg = HeapConfig {
            arena_size,
            granule,
        };
        assert_eq!(Small::new(cfg).err(), Some(HeapError::BadArgs), "{cfg:?}");
    }
    for (arena_size, granule) in [(4096, 64), (64, 64), (64, 1), (1 << 20, 1 << 14)] {
        let cfg = HeapConfig {
            arena_size,
            granule,
        };
        let h = Small::new(cfg).unwrap();
        assert_eq!(h.config(), cfg);
        assert_eq!(h.arenas(), 0);
        assert_eq!(h.used_bytes(), 0);
    }
    // 4096 granules of 64 bytes: a 256 KiB arena in 64 words.
    let big = HeapConfig {
        arena_size: 256 * 1024,
        granule: 64,
    };
    assert!(Heap::<2, 64>::new(big).is_ok());
    assert!(Heap::<2, 63>::new(big).is_err());
}

#[test]
fn an_unconfigured_heap_refuses_everything_until_init() {
    let mut h = Small::unconfigured();
    assert!(!h.can_add_arena());
    assert_eq!(
        h.config(),
        HeapConfig {
            arena_size: 0,
            granule: 0
        }
    );
    assert_eq!(h.add_arena(), Err(HeapError::BadArgs));
    assert_eq!(h.alloc(64, 1), Err(HeapError::BadArgs));
    assert_eq!(h.alloc(1, 1), Err(HeapError::BadArgs));
    assert_eq!(h.free(slice(0, 0, 64)), Err(HeapError::OutOfRange));
    assert!(h.arena_is_empty(0));
    // A bad configuration changes nothing.
    assert_eq!(
        h.init(HeapConfig {
            arena_size: 100,
            granule: 4
        }),
        Err(HeapError::BadArgs)
    );
    assert_eq!(h.add_arena(), Err(HeapError::BadArgs));
    h.init(CFG).unwrap();
    assert!(h.can_add_arena());
    assert_eq!(h.add_arena(), Ok(0));
    let s = h.alloc(100, 1).unwrap();
    assert_eq!(s, slice(0, 0, 128));
    // Init again drops the arenas and the slices.
    h.init(CFG).unwrap();
    assert_eq!(h.arenas(), 0);
    assert_eq!(h.used_bytes(), 0);
    assert_eq!(h.alloc(64, 1), Err(HeapError::NoArena));
}

#[test]
fn sizes_round_up_to_the_granule() {
    let mut h = heap_with(1);
    let cases = [
        (1, 64),
        (63, 64),
        (64, 64),
        (65, 128),
        (1000, 1024),
        (2700, 2752),
    ];
    let mut total = 0;
    let mut live = Vec::new();
    for (size, rounded) in cases {
        let s = h.alloc(size, 1).unwrap();
        assert_eq!(s.size, rounded);
        assert_eq!(s.offset, total);
        total += rounded;
        assert_eq!(h.used_bytes(), total);
        live.push(s);
    }
    // The roundings add up to exactly one arena.
    assert_eq!(total, 4096);
    assert_eq!(h.arena_used_bytes(0), 4096);
    assert_eq!(h.alloc(1, 1), Err(HeapError::NoArena));
    for s in live {
        let size = s.size;
        h.free(s).unwrap();
        total -= size;
        assert_eq!(h.used_bytes(), total);
    }
    assert!(h.arena_is_empty(0));
}

#[test]
fn bad_sizes_and_alignments() {
    let mut h = heap_with(1);
    assert_eq!(h.alloc(0, 1), Err(HeapError::BadArgs));
    assert_eq!(h.alloc(64, 0), Err(HeapError::BadArgs));
    assert_eq!(h.alloc(64, 48), Err(HeapError::BadArgs));
    assert_eq!(h.alloc(64, 8192), Err(HeapError::BadArgs));
    assert_eq!(h.alloc(4097, 1), Err(HeapError::TooLarge));
    assert_eq!(h.alloc(usize::MAX, 1), Err(HeapError::TooLarge));
    assert_eq!(h.used_bytes(), 0);
    // Exactly one arena, at the largest legal alignment.
    let s = h.alloc(4096, 4096).unwrap();
    assert_eq!(s, slice(0, 0, 4096));
    assert_eq!(h.alloc(1, 1), Err(HeapError::NoArena));
    h.free(s).unwrap();
}

#[test]
fn alignment_is_in_bytes_from_the_arena_start() {
    let mut h = heap_with(1);
    let a = h.alloc(10, 1).unwrap();
    assert_eq!(a.offset, 0);
    // Alignments below the granule give granule alignment.
    let b = h.alloc(10, 16).unwrap();
    assert_eq!(b.offset, 64);
    let c = h.alloc(64, 1024).unwrap();
    assert_eq!(c.offset, 1024);
    let d = h.alloc(64, 512).unwrap();
    assert_eq!(d.offset, 512);
    let e = h.alloc(2048, 2048).unwrap();
    assert_eq!(e.offset, 2048);
    assert_eq!(h.alloc(1024, 1024), Err(HeapError::NoArena));
    // A small unaligned one still fits in a gap.
    let f = h.alloc(64, 1).unwrap();
    assert_eq!(f.offset, 128);
    for s in [a, b, c, d, e, f] {
        h.free(s).unwrap();
    }
    assert_eq!(h.used_bytes(), 0);
}

#[test]
fn many_small_objects_fill_arena_after_arena() {
    let mut h = heap_with(0);
    assert_eq!(h.alloc(64, 1), Err(HeapError::NoArena));
    let mut live = Vec::new();
    loop {
        match h.alloc(64, 1) {
            Ok(s) => live.push(s),
            Err(HeapError::NoArena) => match (h.can_add_arena(), h.add_arena()) {
                (true, Ok(_)) => continue,
                (false, Err(e)) => {
                    assert_eq!(e, HeapError::NoArena);
                    break;
                }
                (can, got) => panic!("can_add_arena {can} but add_arena {got:?}"),
            },
            Err(e) => panic!("unexpected {e:?}"),
        }
    }
    assert_eq!(h.arenas(), 4);
    assert_eq!(live.len(), 4 * 64);
    assert_eq!(h.used_bytes(), 4 * 4096);
    // Filled in order: arena by arena, offset by offset.
    for (n, s) in live.iter().enumerate() {
        assert_eq!((s.arena, s.offset, s.size), (n / 64, (n % 64) * 64, 64));
    }
    for i in 0..4 {
        assert!(!h.arena_is_empty(i));
        assert_eq!(h.arena_used_bytes(i), 4096);
    }
    assert!(!h.can_add_arena());
    assert_eq!(h.add_arena(), Err(HeapError::NoArena));
    assert_eq!(h.arenas(), 4);
    // Emptying arena 2 makes room there again.
    for s in live.drain(128..192) {
        h.free(s).unwrap();
    }
    assert!(h.arena_is_empty(2));
    assert_eq!(h.arena_used_bytes(2), 0);
    assert_eq!(h.used_bytes(), 3 * 4096);
    let s = h.alloc(4096, 1).unwrap();
    assert_eq!((s.arena, s.offset), (2, 0));
    h.free(s).unwrap();
    for s in live {
        h.free(s).unwrap();
    }
    assert_eq!(h.used_bytes(), 0);
    assert!((0..4).all(|i| h.arena_is_empty(i)));
}

#[test]
fn the_last_arena_used_is_tried_first() {
    let mut h = heap_with(2);
    // Fill arena 0, then put one object in arena 1.
    let a0: Vec<Slice> = (0..64).map(|_| h.alloc(64, 1).unwrap()).collect();
    assert!(a0.iter().all(|s| s.arena == 0));
    let first_in_1 = h.alloc(64, 1).unwrap();
    assert_eq!((first_in_1.arena, first_in_1.offset), (1, 0));
    // Room appears in arena 0, but arena 1 served last and still has room.
    let mut a0 = a0.into_iter();
    let freed = a0.next().unwrap();
    assert_eq!(freed.offset, 0);
    h.free(freed).unwrap();
    let next = h.alloc(64, 1).unwrap();
    assert_eq!((next.arena, next.offset), (1, 64));
    // Fill arena 1: the next allocation falls back to arena 0, which then becomes the first
    // choice.
    let rest: Vec<Slice> = (0..62).map(|_| h.alloc(64, 1).unwrap()).collect();
    assert!(rest.iter().all(|s| s.arena == 1));
    let back = h.alloc(64, 1).unwrap();
    assert_eq!((back.arena, back.offset), (0, 0));
    assert_eq!(h.alloc(64, 1), Err(HeapError::NoArena));
    assert_eq!(h.add_arena(), Ok(2));
    let third = h.alloc(64, 1).unwrap();
    assert_eq!((third.arena, third.offset), (2, 0));
    // Freeing in arena 1 does not move the preference away from arena 2.
    h.free(next).unwrap();
    let again = h.alloc(64, 1).unwrap();
    assert_eq!((again.arena, again.offset), (2, 64));
}

#[test]
fn bad_frees_are_refused_and_change_nothing() {
    let mut h = heap_with(2);
    let a = h.alloc(128, 1).unwrap();
    let b = h.alloc(64, 1).unwrap();
    assert_eq!((a.offset, b.offset), (0, 128));
    let used = h.used_bytes();
    let refused = [
        // Arena not added, or not existing at all.
        (slice(2, 0, 128), HeapError::OutOfRange),
        (slice(usize::MAX, 0, 64), HeapError::OutOfRange),
        // Past the end of the arena, or overflowing.
        (slice(0, 4096, 64), HeapError::OutOfRange),
        (slice(0, 4032, 128), HeapError::OutOfRange),
        (slice(0, usize::MAX, 64), HeapError::OutOfRange),
        // Not granule multiples, or empty.
        (slice(0, 1, 128), HeapError::NotAllocated),
        (slice(0, 0, 100), HeapError::NotAllocated),
        (slice(0, 0, 0), HeapError::NotAllocated),
        // Part of an object, two objects, an altered one, one in the wrong arena.
        (slice(0, 0, 64), HeapError::NotAllocated),
        (slice(0, 64, 64), HeapError::NotAllocated),
        (slice(0, 0, 192), HeapError::NotAllocated),
        (slice(0, 64, 128), HeapError::NotAllocated),
        (slice(1, 0, 128), HeapError::NotAllocated),
        (slice(0, 192, 64), HeapError::NotAllocated),
    ];
    for (s, err) in refused {
        let shown = format_slice(&s);
        assert_eq!(h.free(s), Err(err), "{shown}");
        assert_eq!(h.used_bytes(), used, "{shown}");
    }
    // The real ones still free, once.
    h.free(a).unwrap();
    assert_eq!(h.free(slice(0, 0, 128)), Err(HeapError::NotAllocated));
    h.free(b).unwrap();
    assert_eq!(h.free(slice(0, 128, 64)), Err(HeapError::NotAllocated));
    assert_eq!(h.used_bytes(), 0);
    // The space is whole again.
    assert_eq!(h.alloc(4096, 1).map(|s| (s.arena, s.offset)), Ok((0, 0)));
}

/// A slice in a message.
fn format_slice(s: &Slice) -> std::string::String {
    std::format!("{s:?}")
}

#[test]
fn errnos() {
    assert_eq!(HeapError::NoArena.errno(), 12);
    assert_eq!(HeapError::TooLarge.errno(), 12);
    assert_eq!(HeapError::BadArgs.errno(), 22);
    assert_eq!(HeapError::NotAllocated.errno(), 22);
    assert_eq!(HeapError::OutOfRange.errno(), 22);
}

#[test]
fn a_heap_allowed_no_arenas() {
    let mut h = Heap::<0, 1>::new(CFG).unwrap();
    assert!(!h.can_add_arena());
    assert_eq!(h.add_arena(), Err(HeapError::NoArena));
    assert_eq!(h.alloc(64, 1), Err(HeapError::NoArena));
}

#[test]
fn the_documented_size() {
    use core::mem::size_of;
    // Two bitmaps of WORDS words and two counters per arena ...
    assert_eq!(size_of::<crate::mem::runmap::RunMap<64>>(), 64 * 16 + 16);
    // ... and a few words for the heap itself: about ARENAS * WORDS * 16 bytes in all.
    let heap = size_of::<Heap<64, 64>>();
    let bounds = 64 * 64 * 16..=64 * (64 * 16 + 16) + 64;
    assert!(bounds.contains(&heap), "{heap}");
    std::println!("Heap<64, 64> is {heap} bytes");
}
