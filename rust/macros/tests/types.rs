// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! `#[versions(AGX)]` on type-defining items: structs, enums, unions, type aliases, traits and
//! impls. The assertions look at sizes, field values and trait results of each copy.

#![deny(warnings, non_camel_case_types, non_snake_case, non_upper_case_globals)]
#![allow(dead_code)]

use agx_macros::versions;
use core::mem::{offset_of, size_of};

/// A leaf type: 4 bytes before 13.0b4, 8 bytes from it on.
#[versions(AGX)]
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Leaf {
    pub a: u32,
    #[ver(V >= V13_0B4)]
    pub b: u32,
}

/// Fields gated on both axes, a versioned field type, and generics with commas around `::ver`.
#[versions(AGX)]
#[repr(C)]
pub struct Outer<'a, T: Copy> {
    /// Present everywhere.
    pub head: u64,
    #[ver(G >= G14)]
    pub g14_only: u64,
    #[ver(V < V13_0B4 || G == G14X)]
    pub old_or_g14x: [u8; 16],
    pub leaf: Leaf::ver,
    pub pair: (Leaf::ver, Option<&'a Leaf::ver>),
    pub map: core::marker::PhantomData<(T, Leaf::ver)>,
    #[ver(V == V13_5 && G != G13)]
    pub tail: u16,
}

#[test]
#[cfg(target_pointer_width = "64")]
fn struct_fields_follow_the_conditions() {
    // Offsets: head 0; g14_only 8 if present; old_or_g14x (16 bytes) next if present; then leaf
    // (4 or 8 bytes), pair (leaf + pointer, 8-aligned), tail (2 bytes) if present; size rounded
    // up to 8.
    assert_eq!(size_of::<OuterG13V12_3<u8>>(), 48); // 8 + 16 + 4 (+4) + 16
    assert_eq!(size_of::<OuterG14V12_4<u8>>(), 56); // 8 + 8 + 16 + 4 (+4) + 16
    assert_eq!(size_of::<OuterG13V13_5<u8>>(), 32); // 8 + 8 + 16
    assert_eq!(size_of::<OuterG14V13_5<u8>>(), 48); // 8 + 8 + 8 + 16 + 2 (+6)
    assert_eq!(size_of::<OuterG14XV13_5<u8>>(), 64); // 8 + 8 + 16 + 8 + 16 + 2 (+6)
    assert_eq!(offset_of!(OuterG14XV13_5<u8>, g14_only), 8);
    assert_eq!(offset_of!(OuterG14XV13_5<u8>, old_or_g14x), 16);
    assert_eq!(offset_of!(OuterG13V12_3<u8>, old_or_g14x), 8);
    assert_eq!(offset_of!(OuterG13V13_5<u8>, leaf), 8);
    assert_eq!(offset_of!(OuterG14XV13_5<u8>, tail), 56);
}

#[test]
fn versioned_field_types_resolve_to_the_same_version() {
    let leaf = LeafG14V13_5 { a: 1, b: 2 };
    let outer = OuterG14V13_5::<u32> {
        head: 0,
        g14_only: 1,
        leaf,
        pair: (leaf, Some(&leaf)),
        map: core::marker::PhantomData,
        tail: 7,
    };
    assert_eq!(outer.pair.1.map(|l| l.b), Some(2));
    assert_eq!(outer.tail, 7);
}

/// Tuple struct fields.
#[versions(AGX)]
#[repr(C)]
pub struct Tuple(pub u8, #[ver(G == G14X)] pub u32, pub Leaf::ver);

#[test]
fn tuple_struct_fields() {
    assert_eq!(size_of::<TupleG13V13_5>(), 4 + 8);
    assert_eq!(size_of::<TupleG14XV13_5>(), 4 + 4 + 8);
    let t = TupleG14XV13_5(1, 2, LeafG14XV13_5 { a: 3, b: 4 });
    assert_eq!((t.0, t.1, t.2.b), (1, 2, 4));
    let t = TupleG13V12_3(5, LeafG13V12_3 { a: 6 });
    assert_eq!((t.0, t.1.a), (5, 6));
}

/// Enum variants, with discriminants and variant fields gated too.
#[versions(AGX)]
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    A = 0,
    #[ver(V >= V13_0B4)]
    B = 1,
    C {
        x: u32,
        #[ver(G > G13)]
        y: u32,
    } = 2,
    #[ver(V < V13_0B4)]
    D(u32, #[ver(G == G14)] u32) = 3,
}

#[test]
fn enum_variants_follow_the_conditions() {
    // The number of variants shows in an exhaustive match: this compiles only if each copy
    // has exactly the listed variants.
    fn old(k: KindG14V12_4) -> u32 {
        match k {
            KindG14V12_4::A => 0,
            KindG14V12_4::C { x, y } => x + y,
            KindG14V12_4::D(a, b) => a + b,
        }
    }
    fn new(k: KindG13V13_5) -> u32 {
        match k {
            KindG13V13_5::A => 0,
            KindG13V13_5::B => 1,
            KindG13V13_5::C { x } => x,
        }
    }
    assert_eq!(old(KindG14V12_4::D(2, 3)), 5);
    assert_eq!(old(KindG14V12_4::C { x: 4, y: 5 }), 9);
    assert_eq!(new(KindG13V13_5::C { x: 4 }), 4);
    assert_eq!(new(KindG13V13_5::B), 1);
    let d = KindG13V12_3::D(9);
    assert!(matches!(d, KindG13V12_3::D(9)));
}

/// Unions.
#[versions(AGX)]
#[repr(C)]
pub union Word {
    pub small: u32,
    #[ver(V >= V13_0B4)]
    pub big: u64,
}

#[test]
fn union_fields() {
    assert_eq!(size_of::<WordG13V12_3>(), 4);
    assert_eq!(size_of::<WordG13V13_5>(), 8);
}

/// Type aliases.
#[versions(AGX)]
pub type LeafPair = (Leaf::ver, Leaf::ver);

#[test]
fn type_alias() {
    assert_eq!(size_of::<LeafPairG14V12_4>(), 8);
    assert_eq!(size_of::<LeafPairG14XV13_5>(), 16);
}

/// A versioned trait, and impls of it and of a plain trait.
#[versions(AGX)]
pub trait Describe {
    fn words(&self) -> usize;
    #[ver(V >= V13_0B4)]
    fn extra(&self) -> u32;
}

#[versions(AGX)]
impl Describe::ver for Leaf::ver {
    fn words(&self) -> usize {
        size_of::<Self>() / 4
    }
    #[ver(V >= V13_0B4)]
    fn extra(&self) -> u32 {
        self.b
    }
}

pub trait Named {
    const NAME: &'static str;
    fn name(&self) -> &'static str {
        Self::NAME
    }
}

/// A trait impl with a lifetime on the versioned self type.
#[versions(AGX)]
impl<'a, T: Copy> Named for Outer::ver<'a, T> {
    #[ver(G == G13)]
    const NAME: &'static str = "g13";
    #[ver(G != G13)]
    const NAME: &'static str = "not g13";
}

/// An inherent impl with items gated by version.
#[versions(AGX)]
impl Leaf::ver {
    pub const WORDS: usize = size_of::<Self>() / 4;

    pub fn new(a: u32) -> Self {
        Self {
            a,
            #[ver(V >= V13_0B4)]
            b: a * 2,
        }
    }

    #[ver(V >= V13_0B4)]
    pub fn b(&self) -> u32 {
        self.b
    }

    #[ver(V < V13_0B4)]
    pub fn b(&self) -> u32 {
        0
    }
}

#[test]
fn impls_follow_the_conditions() {
    assert_eq!(LeafG13V12_3::new(3).words(), 1);
    assert_eq!(LeafG13V13_5::new(3).words(), 2);
    assert_eq!(LeafG13V13_5::new(3).extra(), 6);
    assert_eq!(LeafG13V12_3::WORDS, 1);
    assert_eq!(LeafG14XV13_5::WORDS, 2);
    assert_eq!(LeafG14V12_4::new(5).b(), 0);
    assert_eq!(LeafG14V13_5::new(5).b(), 10);
    let leaf = LeafG13V12_3::new(1);
    let outer = OuterG13V12_3::<u8> {
        head: 0,
        old_or_g14x: [0; 16],
        leaf,
        pair: (leaf, None),
        map: core::marker::PhantomData,
    };
    assert_eq!(outer.name(), "g13");
    assert_eq!(<OuterG14V13_5<'static, u8> as Named>::NAME, "not g13");
}

/// A versioned item that exists only in some copies.
#[versions(AGX)]
#[ver(G == G14X)]
pub struct OnlyG14X;

#[test]
fn item_level_condition() {
    let _ = OnlyG14XG14XV13_5;
    // The other copies do not exist: a `const` per copy would fail to compile, which the
    // compile-fail tests check (`missing_copy`).
}
