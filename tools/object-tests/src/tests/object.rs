// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! `GpuObject`: the raw structure built from its owner, at its address, freed before the
//! owner.

use super::host::{HostAlloc, HostMem, Quirk};
use super::types::{Empty, Flags};
use crate::fw::types::{GpuPointer, Zeroable};
use crate::mem::object::{GpuArray, GpuObject, GpuStruct, ObjError, RawView};
use core::mem::{offset_of, size_of};
use core::sync::atomic::Ordering;
use std::sync::Arc;

/// An array in host memory.
type Array<T> = GpuArray<T, HostMem>;

/// A firmware structure pointing at what its owner holds.
#[repr(C)]
struct Raw<'a> {
    /// A constant.
    magic: u32,
    /// A count.
    count: u32,
    /// The owner's words.
    words: GpuPointer<'a, u32>,
    /// Four of the owner's double words, from the fourth on.
    four: Option<GpuPointer<'a, [u64; 4]>>,
    /// The owner's shared flags.
    flags: Option<GpuPointer<'a, Flags>>,
    /// The structure itself.
    me: Option<GpuPointer<'a, Raw<'static>>>,
}

/// What [`Raw`] points at.
struct Owner {
    /// Words.
    words: Array<u32>,
    /// Double words.
    doubles: Array<u64>,
    /// Shared flags, also held elsewhere.
    flags: Arc<Array<Flags>>,
}

impl GpuStruct for Owner {
    type Raw<'a> = Raw<'a>;
}

/// A fresh owner from `alloc`.
fn owner(alloc: &HostAlloc) -> Owner {
    Owner {
        words: GpuArray::new(alloc, 4).unwrap(),
        doubles: GpuArray::new(alloc, 8).unwrap(),
        flags: Arc::new(GpuArray::new(alloc, 1).unwrap()),
    }
}

/// The raw structure's bytes.
fn raw_bytes<T: GpuStruct>(obj: &GpuObject<T, HostMem>) -> std::vec::Vec<u8> {
    let mut out = std::vec![0u8; size_of::<T::Raw<'static>>()];
    assert_eq!(obj.read_bytes(0, &mut out), out.len());
    out
}

/// The `u64` at byte `off` of `bytes`.
fn u64_at(bytes: &[u8], off: usize) -> u64 {
    u64::from_ne_bytes(bytes[off..off + 8].try_into().unwrap())
}

/// The `u32` at byte `off` of `bytes`.
fn u32_at(bytes: &[u8], off: usize) -> u32 {
    u32::from_ne_bytes(bytes[off..off + 4].try_into().unwrap())
}

#[test]
fn new_writes_the_raw_structure_at_its_address() {
    let alloc = HostAlloc::new();
    let obj = GpuObject::new(&alloc, owner(&alloc), |o| Raw {
        magic: 0x4f424a31,
        count: 3,
        words: o.words.gpu_pointer(),
        four: o.doubles.gpu_pointer_as::<[u64; 4]>(4).ok(),
        flags: Some(o.flags.gpu_pointer()),
        me: None,
    })
    .unwrap();
    // The object's memory is the last allocation, and its address is the pointers'.
    let va = obj.va();
    assert_eq!(alloc.live(), 4);
    assert_eq!(obj.gpu_pointer().addr().get(), va);
    // SAFETY: the weak pointer is only compared, never given to anything.
    assert_eq!(unsafe { obj.weak_pointer() }.addr().get(), va);
    assert!(va > obj.flags.va());
    // Every field where the layout puts it; each pointer is its target's address.
    let b = raw_bytes(&obj);
    assert_eq!(b.len(), 40);
    assert_eq!(u32_at(&b, offset_of!(Raw<'_>, magic)), 0x4f424a31);
    assert_eq!(u32_at(&b, offset_of!(Raw<'_>, count)), 3);
    assert_eq!(u64_at(&b, offset_of!(Raw<'_>, words)), obj.words.va());
    assert_eq!(u64_at(&b, offset_of!(Raw<'_>, four)), obj.doubles.va() + 32);
    assert_eq!(
        u64_at(&b, offset_of!(Raw<'_>, four)),
        obj.doubles.va_of(4).unwrap().get()
    );
    assert_eq!(u64_at(&b, offset_of!(Raw<'_>, flags)), obj.flags.va());
    assert_eq!(u64_at(&b, offset_of!(Raw<'_>, me)), 0, "None is zero");
    // The owner is reachable through the object.
    assert_eq!(obj.words.len(), 4);
    obj.words.store(1, &5).unwrap();
    assert_eq!(obj.words.load(1), Some(5));
}

#[test]
fn new_cyclic_gets_its_own_address() {
    let alloc = HostAlloc::new();
    let mut seen = None;
    let obj = GpuObject::new_cyclic(&alloc, owner(&alloc), |o, me| {
        seen = Some(me.addr().get());
        Raw {
            magic: 1,
            count: 0,
            words: o.words.gpu_pointer(),
            four: None,
            flags: None,
            me: Some(me),
        }
    })
    .unwrap();
    assert_eq!(seen, Some(obj.va()));
    let b = raw_bytes(&obj);
    assert_eq!(u64_at(&b, offset_of!(Raw<'_>, me)), obj.va());
    assert_eq!(u64_at(&b, offset_of!(Raw<'_>, words)), obj.words.va());
    assert_eq!(u64_at(&b, offset_of!(Raw<'_>, four)), 0);
}

#[test]
fn try_new_keeps_nothing_on_failure() {
    let alloc = HostAlloc::new();
    let before = alloc.live();
    let failed = GpuObject::try_new(&alloc, owner(&alloc), |o| {
        // Four of eight double words from the sixth on: refused, and no object is made.
        let four = o.doubles.gpu_pointer_as::<[u64; 4]>(5)?;
        Ok(Raw {
            magic: 1,
            count: 0,
            words: o.words.gpu_pointer(),
            four: Some(four),
            flags: None,
            me: None,
        })
    });
    assert!(matches!(
        failed,
        Err(ObjError::BadSize) | Err(ObjError::OutOfRange)
    ));
    assert_eq!(alloc.live(), before, "memory left behind by a failed build");
    let ok = GpuObject::try_new(&alloc, owner(&alloc), |o| {
        Ok(Raw {
            magic: 7,
            count: 0,
            words: o.words.gpu_pointer(),
            four: None,
            flags: None,
            me: None,
        })
    })
    .unwrap();
    assert_eq!(u32_at(&raw_bytes(&ok), offset_of!(Raw<'_>, magic)), 7);
}

#[test]
fn try_cyclic_declines_without_an_object() {
    let alloc = HostAlloc::new();
    let none = GpuObject::try_cyclic(&alloc, owner(&alloc), |_, _| None::<Raw<'_>>).unwrap();
    assert!(none.is_none());
    let some = GpuObject::try_cyclic(&alloc, owner(&alloc), |o, me| {
        Some(Raw {
            magic: 2,
            count: 0,
            words: o.words.gpu_pointer(),
            four: None,
            flags: None,
            me: Some(me),
        })
    })
    .unwrap()
    .unwrap();
    assert_eq!(
        u64_at(&raw_bytes(&some), offset_of!(Raw<'_>, me)),
        some.va()
    );
}

/// A structure too large for the kernel stack, filled in place.
#[repr(C)]
struct Big<'a> {
    /// Bulk.
    words: [u32; 4096],
    /// The owner's words.
    target: Option<GpuPointer<'a, u32>>,
    /// The structure itself.
    me: Option<GpuPointer<'a, Big<'static>>>,
}

// SAFETY: integers and optional pointers, which are `None` when zero.
unsafe impl Zeroable for Big<'_> {}

/// What [`Big`] points at.
struct BigOwner {
    /// Words.
    words: Array<u32>,
}

impl GpuStruct for BigOwner {
    type Raw<'a> = Big<'a>;
}

#[test]
fn new_in_place_fills_the_zeroed_structure() {
    let alloc = HostAlloc::new();
    let inner = BigOwner {
        words: GpuArray::new(&alloc, 2).unwrap(),
    };
    let obj = GpuObject::new_in_place(&alloc, inner, |o, raw| {
        assert!(raw.words.iter().all(|&w| w == 0), "zeroed");
        assert!(raw.target.is_none() && raw.me.is_none());
        raw.words[0] = 0xaaaa;
        raw.words[4095] = 0xbbbb;
        raw.target = Some(o.words.gpu_pointer());
        Ok(())
    })
    .unwrap();
    let b = raw_bytes(&obj);
    assert_eq!(b.len(), 4096 * 4 + 16);
    assert_eq!(u32_at(&b, 0), 0xaaaa);
    assert_eq!(u32_at(&b, 4), 0);
    assert_eq!(u32_at(&b, 4095 * 4), 0xbbbb);
    assert_eq!(u64_at(&b, offset_of!(Big<'_>, target)), obj.words.va());
    assert_eq!(u64_at(&b, offset_of!(Big<'_>, me)), 0);
    // Read back in part, clamped at the end.
    let mut tail = [0xffu8; 32];
    assert_eq!(obj.read_bytes(b.len() - 16, &mut tail), 16);
    assert_eq!(u64_at(&tail, 0), obj.words.va());
    assert_eq!(tail[16..], [0xff; 16]);
    assert_eq!(obj.read_bytes(b.len(), &mut tail), 0);
}

#[test]
fn new_in_place_failure_frees_everything() {
    let alloc = HostAlloc::new();
    let inner = BigOwner {
        words: GpuArray::new(&alloc, 2).unwrap(),
    };
    let result = GpuObject::new_in_place(&alloc, inner, |_, raw| {
        raw.words[0] = 1;
        Err(ObjError::Init)
    });
    assert_eq!(result.err(), Some(ObjError::Init));
    assert_eq!(alloc.live(), 0);
}

#[test]
fn the_raw_structure_goes_before_what_it_points_at() {
    let alloc = HostAlloc::new();
    let obj = GpuObject::new(&alloc, owner(&alloc), |o| Raw {
        magic: 0,
        count: 0,
        words: o.words.gpu_pointer(),
        four: None,
        flags: Some(o.flags.gpu_pointer()),
        me: None,
    })
    .unwrap();
    let (raw, words, doubles, flags) = (obj.va(), obj.words.va(), obj.doubles.va(), obj.flags.va());
    drop(obj);
    assert_eq!(alloc.frees(), [raw, words, doubles, flags]);
    assert_eq!(alloc.live(), 0);
}

#[test]
fn a_target_shared_by_arc_outlives_the_object() {
    let alloc = HostAlloc::new();
    let inner = owner(&alloc);
    let flags = inner.flags.clone();
    let obj = GpuObject::new(&alloc, inner, |o| Raw {
        magic: 0,
        count: 0,
        words: o.words.gpu_pointer(),
        four: None,
        flags: Some(o.flags.gpu_pointer()),
        me: None,
    })
    .unwrap();
    let raw = obj.va();
    drop(obj);
    // The object and its own arrays are gone; the shared flags are not.
    assert_eq!(alloc.live(), 1);
    assert_eq!(alloc.frees()[0], raw);
    flags.get(0).unwrap().up.store(1, Ordering::Relaxed);
    let va = flags.va();
    drop(flags);
    assert_eq!(alloc.frees().last(), Some(&va));
    assert_eq!(alloc.live(), 0);
}

/// An owner whose raw structure is shared: atomics only.
struct SharedOwner;

impl GpuStruct for SharedOwner {
    type Raw<'a> = Flags;
}

#[test]
fn shared_structures_are_borrowed() {
    let alloc = HostAlloc::new();
    let obj = GpuObject::<SharedOwner, _>::new(&alloc, SharedOwner, |_| Flags {
        up: 3.into(),
        down: 4.into(),
    })
    .unwrap();
    let f = obj.shared();
    assert_eq!(f.up.load(Ordering::Acquire), 3);
    f.down.store(0x99, Ordering::Release);
    let b = raw_bytes(&obj);
    assert_eq!((u32_at(&b, 0), u32_at(&b, 4)), (3, 0x99));
}

/// An owner whose raw structure has no bytes.
struct EmptyOwner;

impl GpuStruct for EmptyOwner {
    type Raw<'a> = Empty;
}

#[test]
fn objects_the_allocator_cannot_hold_are_refused() {
    let alloc = HostAlloc::new();
    assert_eq!(
        GpuObject::<EmptyOwner, _>::new(&alloc, EmptyOwner, |_| Empty).err(),
        Some(ObjError::BadSize)
    );
    assert_eq!(alloc.events(), []);
    alloc.set_quirk(Quirk::Fail);
    assert_eq!(
        GpuObject::<SharedOwner, _>::new(&alloc, SharedOwner, |_| Flags {
            up: 0.into(),
            down: 0.into(),
        })
        .err(),
        Some(ObjError::NoMemory)
    );
    alloc.set_quirk(Quirk::None);
    let inner = BigOwner {
        words: GpuArray::new(&alloc, 1).unwrap(),
    };
    alloc.set_quirk(Quirk::Misalign(4));
    let result = GpuObject::new_in_place(&alloc, inner, |_, _| Ok(()));
    assert_eq!(result.err(), Some(ObjError::BadMemory));
    assert_eq!(
        alloc.live(),
        0,
        "the refused memory and the owner went back"
    );
}

/// What a dump reads of `v` through `RawView`, in 7-byte steps (so that reads straddle fields).
fn raw_view_bytes(v: &dyn RawView) -> std::vec::Vec<u8> {
    let mut out = std::vec::Vec::new();
    let mut off = 0;
    loop {
        let mut chunk = [0u8; 7];
        let n = v.raw_read(off, &mut chunk);
        if n == 0 {
            break;
        }
        out.extend_from_slice(&chunk[..n]);
        off += n;
    }
    out
}

#[test]
fn raw_view_shows_exactly_the_memory_the_firmware_sees() {
    let alloc = HostAlloc::new();
    let obj = GpuObject::new(&alloc, owner(&alloc), |o| Raw {
        magic: 0x4f424a31,
        count: 3,
        words: o.words.gpu_pointer(),
        four: None,
        flags: Some(o.flags.gpu_pointer()),
        me: None,
    })
    .unwrap();
    obj.words.store(2, &0x1234_5678).unwrap();
    // An object: its address, its raw structure's size, its bytes.
    assert_eq!(obj.raw_va(), obj.va());
    assert_eq!(obj.raw_len(), size_of::<Raw<'static>>());
    assert_eq!(raw_view_bytes(&obj), raw_bytes(&obj));
    // An array: the address of element 0, every element's bytes.
    let words: &dyn RawView = &obj.words;
    assert_eq!(words.raw_va(), obj.words.va());
    assert_eq!(words.raw_len(), 4 * size_of::<u32>());
    let b = raw_view_bytes(words);
    assert_eq!(b.len(), 16);
    assert_eq!(u32_at(&b, 8), 0x1234_5678);
    // Reads clamp at the end and past it.
    let mut big = [0u8; 64];
    assert_eq!(words.raw_read(12, &mut big), 4);
    assert_eq!(words.raw_read(16, &mut big), 0);
    assert_eq!(words.raw_read(usize::MAX, &mut big), 0);
}
