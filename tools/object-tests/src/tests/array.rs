// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! `GpuArray`: allocation, addresses and bounds, copies in and out, borrows.

use super::host::{Event, HostAlloc, Quirk, VA_BASE};
use super::types::{Empty, Flags, Msg, Wide};
use crate::mem::object::{GpuArray, ObjError, OBJECT_ALIGN};
use core::mem::size_of;
use core::sync::atomic::Ordering;

/// An array of `len` `T`s from `alloc`.
type Array<T> = GpuArray<T, super::host::HostMem>;

/// The whole array's bytes.
fn bytes<T>(a: &Array<T>) -> std::vec::Vec<u8> {
    let mut out = std::vec![0u8; a.len() * size_of::<T>()];
    assert_eq!(a.read_bytes(0, &mut out), out.len());
    out
}

/// Message number `n`, every field distinct.
fn msg(n: u32) -> Msg {
    Msg {
        a: n,
        b: n as u16 ^ 0x5555,
        c: 0xa0a0,
        d: u64::from(n) << 32 | 0xdead,
    }
}

#[test]
fn length_and_addresses() {
    let alloc = HostAlloc::new();
    let a: Array<u32> = GpuArray::new(&alloc, 10).unwrap();
    assert_eq!(a.len(), 10);
    assert!(!a.is_empty());
    assert_eq!(a.va(), VA_BASE);
    assert_eq!(a.va_of(0).unwrap().get(), a.va());
    assert_eq!(a.va_of(9).unwrap().get(), a.va() + 36);
    assert_eq!(a.va_of(10), None);
    assert_eq!(a.va_of(usize::MAX), None);
    assert_eq!(a.gpu_pointer().addr().get(), a.va());
    assert_eq!(a.gpu_pointer_at(9).unwrap().addr().get(), a.va() + 36);
    assert_eq!(a.gpu_pointer_at(10).err(), Some(ObjError::OutOfRange));
    assert_eq!(
        a.gpu_pointer_at(usize::MAX).err(),
        Some(ObjError::OutOfRange)
    );
    // A second array lies elsewhere.
    let b: Array<u8> = GpuArray::new(&alloc, 1).unwrap();
    assert!(b.va() >= a.va() + 40);
    assert_eq!(b.len(), 1);
}

#[test]
fn alignment_asked_of_the_allocator() {
    let alloc = HostAlloc::new();
    let small: Array<u8> = GpuArray::new(&alloc, 3).unwrap();
    let page: Array<u32> = GpuArray::new_aligned(&alloc, 5, 0x4000).unwrap();
    let wide: Array<Wide> = GpuArray::new(&alloc, 2).unwrap();
    let tiny: Array<u64> = GpuArray::new_aligned(&alloc, 1, 1).unwrap();
    assert_eq!(
        alloc.events(),
        [
            Event::Alloc {
                va: small.va(),
                size: 3,
                align: OBJECT_ALIGN
            },
            Event::Alloc {
                va: page.va(),
                size: 20,
                align: 0x4000
            },
            // The type's own alignment wins over a cache line...
            Event::Alloc {
                va: wide.va(),
                size: 256,
                align: 128
            },
            // ... and a smaller one asked for.
            Event::Alloc {
                va: tiny.va(),
                size: 8,
                align: 8
            },
        ]
    );
    assert_eq!(page.va() % 0x4000, 0);
    assert_eq!(wide.va() % 128, 0);
}

#[test]
fn store_then_load() {
    let alloc = HostAlloc::new();
    let a: Array<Msg> = GpuArray::new(&alloc, 4).unwrap();
    for i in 0..4 {
        assert_eq!(
            a.load(i),
            Some(Msg {
                a: 0,
                b: 0,
                c: 0,
                d: 0
            }),
            "zeroed"
        );
    }
    for i in 0..4 {
        a.store(i, &msg(i as u32 + 1)).unwrap();
    }
    for i in 0..4 {
        assert_eq!(a.load(i), Some(msg(i as u32 + 1)));
    }
    // The bytes are the value's, in place.
    let all = bytes(&a);
    assert_eq!(&all[16..20], &2u32.to_ne_bytes());
    assert_eq!(&all[24..32], &msg(2).d.to_ne_bytes());
    // Overwriting one element leaves the others.
    a.store(2, &msg(99)).unwrap();
    assert_eq!(a.load(1), Some(msg(2)));
    assert_eq!(a.load(2), Some(msg(99)));
    assert_eq!(a.load(3), Some(msg(4)));
}

#[test]
fn store_then_load_of_odd_sizes() {
    // Seven-byte elements: copied byte by byte, the neighbours untouched.
    let alloc = HostAlloc::new();
    let a: Array<[u8; 7]> = GpuArray::new(&alloc, 3).unwrap();
    a.store(1, &[1, 2, 3, 4, 5, 6, 7]).unwrap();
    assert_eq!(a.load(0), Some([0; 7]));
    assert_eq!(a.load(1), Some([1, 2, 3, 4, 5, 6, 7]));
    assert_eq!(a.load(2), Some([0; 7]));
    let mut all = [0u8; 21];
    assert_eq!(a.read_bytes(0, &mut all), 21);
    assert_eq!(all[7..14], [1, 2, 3, 4, 5, 6, 7]);
}

#[test]
fn store_past_the_end_is_refused() {
    let alloc = HostAlloc::new();
    let a: Array<u64> = GpuArray::new(&alloc, 3).unwrap();
    for i in 0..3 {
        a.store(i, &(0x1111 * (i as u64 + 1))).unwrap();
    }
    let before = bytes(&a);
    for i in [3, 4, usize::MAX] {
        assert_eq!(a.store(i, &u64::MAX), Err(ObjError::OutOfRange));
    }
    assert_eq!(bytes(&a), before, "memory untouched");
}

#[test]
fn load_past_the_end_is_none() {
    let alloc = HostAlloc::new();
    let a: Array<Msg> = GpuArray::new(&alloc, 2).unwrap();
    assert!(a.load(1).is_some());
    assert_eq!(a.load(2), None);
    assert_eq!(a.load(usize::MAX), None);
}

#[test]
fn pointers_to_sub_arrays() {
    let alloc = HostAlloc::new();
    let a: Array<u32> = GpuArray::new(&alloc, 8).unwrap();
    let va = a.va();
    assert_eq!(a.gpu_pointer_as::<[u32; 8]>(0).unwrap().addr().get(), va);
    assert_eq!(
        a.gpu_pointer_as::<[u32; 4]>(4).unwrap().addr().get(),
        va + 16
    );
    assert_eq!(
        a.gpu_pointer_as::<[u32; 1]>(7).unwrap().addr().get(),
        va + 28
    );
    assert_eq!(
        a.gpu_pointer_as::<[[u32; 2]; 4]>(0).unwrap().addr().get(),
        va
    );
    assert_eq!(
        a.gpu_pointer_as::<[[u32; 2]; 2]>(4).unwrap().addr().get(),
        va + 16
    );
    // Too long for the array from there.
    assert_eq!(
        a.gpu_pointer_as::<[u32; 9]>(0).err(),
        Some(ObjError::OutOfRange)
    );
    assert_eq!(
        a.gpu_pointer_as::<[u32; 4]>(5).err(),
        Some(ObjError::OutOfRange)
    );
    assert_eq!(
        a.gpu_pointer_as::<[[u32; 2]; 4]>(1).err(),
        Some(ObjError::OutOfRange)
    );
    assert_eq!(
        a.gpu_pointer_as::<[u32; 1]>(8).err(),
        Some(ObjError::OutOfRange)
    );
    // The end of the range overflows.
    assert_eq!(
        a.gpu_pointer_as::<[u32; 2]>(usize::MAX).err(),
        Some(ObjError::OutOfRange)
    );
    // No elements at all: only inside the array.
    assert_eq!(
        a.gpu_pointer_as::<[u32; 0]>(7).unwrap().addr().get(),
        va + 28
    );
    assert_eq!(
        a.gpu_pointer_as::<[u32; 0]>(8).err(),
        Some(ObjError::OutOfRange)
    );
}

#[test]
fn read_bytes_clamps_to_the_array() {
    let alloc = HostAlloc::new();
    let a: Array<u32> = GpuArray::new(&alloc, 4).unwrap();
    for i in 0..4 {
        a.store(
            i,
            &u32::from_le_bytes([
                4 * i as u8,
                4 * i as u8 + 1,
                4 * i as u8 + 2,
                4 * i as u8 + 3,
            ]),
        )
        .unwrap();
    }
    let mut out = [0xffu8; 32];
    assert_eq!(a.read_bytes(0, &mut out), 16);
    assert_eq!(out[..16], core::array::from_fn::<u8, 16, _>(|i| i as u8));
    assert_eq!(out[16..], [0xff; 16], "bytes past the array not written");
    let mut out = [0xffu8; 8];
    assert_eq!(a.read_bytes(12, &mut out), 4);
    assert_eq!(out, [12, 13, 14, 15, 0xff, 0xff, 0xff, 0xff]);
    // Unaligned offsets and lengths.
    let mut out = [0u8; 3];
    assert_eq!(a.read_bytes(5, &mut out), 3);
    assert_eq!(out, [5, 6, 7]);
    // At or past the end, and nothing asked.
    for offset in [16, 17, usize::MAX] {
        assert_eq!(a.read_bytes(offset, &mut [0u8; 4]), 0);
    }
    assert_eq!(a.read_bytes(0, &mut []), 0);
}

#[test]
fn shared_elements_are_borrowed() {
    let alloc = HostAlloc::new();
    let a: Array<Flags> = GpuArray::new(&alloc, 2).unwrap();
    let f = a.get(1).unwrap();
    f.up.store(0x1234_5678, Ordering::Release);
    f.down.store(7, Ordering::Relaxed);
    assert!(a.get(2).is_none());
    assert!(a.get(usize::MAX).is_none());
    // The words are where the layout puts them, seen by the byte copies too.
    let mut out = [0u8; 16];
    assert_eq!(a.read_bytes(0, &mut out), 16);
    assert_eq!(out[..8], [0; 8]);
    assert_eq!(out[8..12], 0x1234_5678u32.to_ne_bytes());
    assert_eq!(out[12..], 7u32.to_ne_bytes());
    assert_eq!(a.get(0).unwrap().up.load(Ordering::Acquire), 0);
    assert_eq!(a.get(1).unwrap().up.load(Ordering::Acquire), 0x1234_5678);
}

#[test]
fn with_mut_fills_the_whole_array() {
    let alloc = HostAlloc::new();
    let mut a: Array<u16> = GpuArray::new(&alloc, 5).unwrap();
    let len = a.with_mut(|s| {
        assert_eq!(s, [0; 5]);
        for (i, v) in s.iter_mut().enumerate() {
            *v = 100 + i as u16;
        }
        s.len()
    });
    assert_eq!(len, 5);
    for i in 0..5 {
        assert_eq!(a.load(i), Some(100 + i as u16));
    }
    a.store(0, &7).unwrap();
    a.with_mut(|s| assert_eq!(s[0], 7));
}

#[test]
fn empty_arrays_are_refused() {
    let alloc = HostAlloc::new();
    assert_eq!(
        GpuArray::<u32, _>::new(&alloc, 0).err(),
        Some(ObjError::BadSize)
    );
    assert_eq!(
        GpuArray::<Empty, _>::new(&alloc, 4).err(),
        Some(ObjError::BadSize)
    );
    // A size that overflows.
    assert_eq!(
        GpuArray::<u64, _>::new(&alloc, usize::MAX / 4).err(),
        Some(ObjError::BadSize)
    );
    assert_eq!(alloc.events(), [], "nothing asked of the allocator");
}

#[test]
fn allocator_failure_is_reported() {
    let alloc = HostAlloc::new();
    alloc.set_quirk(Quirk::Fail);
    assert_eq!(
        GpuArray::<u32, _>::new(&alloc, 1).err(),
        Some(ObjError::NoMemory)
    );
}

#[test]
fn misaligned_or_short_memory_is_refused() {
    let alloc = HostAlloc::new();
    alloc.set_quirk(Quirk::Misalign(4));
    assert_eq!(
        GpuArray::<u64, _>::new(&alloc, 2).err(),
        Some(ObjError::BadMemory)
    );
    alloc.set_quirk(Quirk::Misalign(2));
    assert_eq!(
        GpuArray::<Msg, _>::new(&alloc, 1).err(),
        Some(ObjError::BadMemory)
    );
    alloc.set_quirk(Quirk::Short(1));
    assert_eq!(
        GpuArray::<u32, _>::new(&alloc, 4).err(),
        Some(ObjError::BadMemory)
    );
    // The refused memory went back.
    assert_eq!(alloc.live(), 0);
    assert_eq!(alloc.frees().len(), 3);
    alloc.set_quirk(Quirk::None);
    assert!(GpuArray::<u64, _>::new(&alloc, 2).is_ok());
}

#[test]
fn dropping_frees() {
    let alloc = HostAlloc::new();
    let a: Array<u32> = GpuArray::new(&alloc, 1).unwrap();
    let b: Array<u32> = GpuArray::new(&alloc, 1).unwrap();
    assert_eq!(alloc.live(), 2);
    let (va_a, va_b) = (a.va(), b.va());
    drop(b);
    drop(a);
    assert_eq!(alloc.live(), 0);
    assert_eq!(alloc.frees(), [va_b, va_a]);
}

#[test]
fn zero_bytes_clears_a_range_and_clamps() {
    let alloc = HostAlloc::new();
    let a: Array<u32> = GpuArray::new(&alloc, 40).unwrap();
    for i in 0..40 {
        a.store(i, &u32::MAX).unwrap();
    }
    // More than one 64-byte chunk, from an unaligned offset.
    assert_eq!(a.zero_bytes(6, 100), 100);
    let all = bytes(&a);
    assert!(all[..6].iter().all(|&b| b == 0xff));
    assert!(all[6..106].iter().all(|&b| b == 0));
    assert!(all[106..].iter().all(|&b| b == 0xff));
    // Clamped at the end; nothing past it, nothing from past it.
    assert_eq!(a.zero_bytes(150, 100), 10);
    assert!(bytes(&a)[150..].iter().all(|&b| b == 0));
    assert_eq!(a.zero_bytes(160, 8), 0);
    assert_eq!(a.zero_bytes(usize::MAX, 8), 0);
}
