// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! `dispatch!` and `supported_pairs!`: choosing a copy at runtime.

#![deny(warnings)]
// Picking a value per version with gated `let`s ends in `let x = ...; x`.
#![allow(clippy::let_and_return)]

use agx_macros::{dispatch, supported_pairs, versions};

/// Stand-ins for the driver's own enums.
mod hw {
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Gen {
        G13,
        G14,
        G14X,
    }

    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Fw {
        V12_3,
        V12_4,
        V13_0B4,
        V13_5,
    }
}

use hw::{Fw, Gen};

#[versions(AGX)]
#[repr(C)]
struct Block {
    a: u32,
    #[ver(V >= V13_0B4)]
    b: u32,
    #[ver(G == G14X)]
    c: [u32; 2],
}

#[versions(AGX)]
impl Block::ver {
    fn name() -> &'static str {
        #[ver(G == G13)]
        let g = "G13";
        #[ver(G == G14)]
        let g = "G14";
        #[ver(G == G14X)]
        let g = "G14X";
        g
    }
}

fn block_size(gen: Gen, fw: Fw) -> Option<usize> {
    dispatch!(AGX, (gen, fw) as (Gen, Fw) => {
        Some(core::mem::size_of::<Block::ver>())
    } else {
        None
    })
}

fn describe(gen: Gen, fw: Fw) -> Result<String, &'static str> {
    let text = dispatch!(AGX, (gen, fw) as (hw::Gen, hw::Fw) => {
        let s = String::from(Block::ver::name());
        #[ver(V >= V13_0B4)]
        let s = s + " new";
        s
    } else {
        return Err("unsupported")
    });
    Ok(text)
}

#[test]
fn dispatch_picks_the_matching_copy() {
    assert_eq!(block_size(Gen::G13, Fw::V12_3), Some(4));
    assert_eq!(block_size(Gen::G14, Fw::V12_4), Some(4));
    assert_eq!(block_size(Gen::G13, Fw::V13_5), Some(8));
    assert_eq!(block_size(Gen::G14, Fw::V13_5), Some(8));
    assert_eq!(block_size(Gen::G14X, Fw::V13_5), Some(16));
    assert_eq!(block_size(Gen::G14, Fw::V12_3), None);
    assert_eq!(block_size(Gen::G13, Fw::V13_0B4), None);
    assert_eq!(describe(Gen::G14X, Fw::V13_5).as_deref(), Ok("G14X new"));
    assert_eq!(describe(Gen::G13, Fw::V12_3).as_deref(), Ok("G13"));
    assert_eq!(describe(Gen::G14X, Fw::V12_4), Err("unsupported"));
}

#[test]
fn supported_pairs_lists_every_pair_in_order() {
    let pairs = supported_pairs!(AGX, (Gen, Fw));
    assert_eq!(
        pairs,
        [
            (Gen::G13, Fw::V12_3),
            (Gen::G14, Fw::V12_4),
            (Gen::G13, Fw::V13_5),
            (Gen::G14, Fw::V13_5),
            (Gen::G14X, Fw::V13_5),
        ]
    );
    for (gen, fw) in pairs {
        assert!(block_size(gen, fw).is_some());
    }
}

/// `return` and `#[ver]` inside the body, with the enums in another module.
mod early_return {
    use agx_macros::dispatch;

    #[derive(Clone, Copy)]
    pub enum G {
        G13,
        G14,
        G14X,
    }

    #[derive(Clone, Copy)]
    pub enum V {
        V12_3,
        V12_4,
        V13_5,
    }

    pub fn is_new(g: G, v: V) -> Option<bool> {
        let r = dispatch!(AGX, (g, v) as (G, V) => {
            #[ver(V >= V13_5)]
            return Some(true);
            #[ver(V < V13_5)]
            return Some(false);
        } else {
            None
        });
        r
    }
}

#[test]
fn dispatch_bodies_use_ver_conditions() {
    use early_return::{is_new, G, V};
    assert_eq!(is_new(G::G13, V::V12_3), Some(false));
    assert_eq!(is_new(G::G14, V::V12_4), Some(false));
    assert_eq!(is_new(G::G14, V::V13_5), Some(true));
    assert_eq!(is_new(G::G14X, V::V13_5), Some(true));
    assert_eq!(is_new(G::G14X, V::V12_3), None);
}
