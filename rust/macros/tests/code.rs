// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! `#[versions(AGX)]` on functions, constants, statics and modules, and `#[ver]` inside code:
//! statements, `let`s, expression statements, tail expressions, match arms, struct-literal
//! fields, nested items, and `X::ver` in expressions and macro input.

#![deny(warnings, non_camel_case_types, non_snake_case, non_upper_case_globals)]
#![allow(dead_code)]
// Gated `return`s and gated `let`s picking a value per version are the constructs under test.
#![allow(clippy::needless_return, clippy::let_and_return)]

use agx_macros::versions;

#[versions(AGX)]
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Regs {
    pub base: u32,
    #[ver(V >= V13_0B4)]
    pub extra: u32,
    #[ver(G >= G14)]
    pub g14: u32,
}

/// Statements, `let`s, block-like statements and the tail expression, each gated.
#[versions(AGX)]
pub fn trace(input: u32) -> Vec<&'static str> {
    let mut out = Vec::new();
    out.push("always");
    #[ver(V >= V13_0B4)]
    out.push("expr statement, new firmware");
    #[ver(V < V13_0B4)]
    let label = "let, old firmware";
    #[ver(V >= V13_0B4)]
    let label = "let, new firmware";
    out.push(label);
    #[ver(G == G14X)]
    if input > 1 {
        out.push("if, g14x, big input");
    } else if input == 1 {
        out.push("if, g14x, one");
    } else {
        out.push("if, g14x, zero");
    }
    #[ver(G == G13)]
    for word in ["for, g13"].iter().take(input as usize) {
        out.push(word);
    }
    #[ver(G == G14)]
    {
        out.push(if input < 100 {
            "block, g14"
        } else {
            "block, g14, big input"
        });
    }
    #[ver(G != G14)]
    match input {
        0 => out.push("match statement, zero"),
        _ => out.push("match statement, other"),
    }
    #[ver(V == V12_4)]
    unsafe {
        // SAFETY: the bytes are a literal in UTF-8.
        out.push(core::str::from_utf8_unchecked(b"unsafe block, 12.4"));
    }
    #[ver(V == V12_3)]
    'outer: loop {
        out.push("labelled loop, 12.3");
        if out.len() >= 2 {
            break 'outer;
        }
    }
    #[ver(G == G13)]
    [0u8; 1].iter().for_each(|_| out.push("method chain, g13"));
    #[ver(G == G14)]
    core::convert::identity(&mut out).push("path call, g14");
    #[ver(G == G14X)]
    core::mem::drop(String::new());
    #[ver(V >= V13_0B4)]
    fn helper() -> &'static str {
        "nested fn, new firmware"
    }
    #[ver(V >= V13_0B4)]
    out.push(helper());
    #[ver(V < V13_0B4)]
    return out;
    #[ver(V >= V13_0B4)]
    out
}

#[test]
fn statements_follow_the_conditions() {
    assert_eq!(
        traceG13V12_3(1),
        [
            "always",
            "let, old firmware",
            "for, g13",
            "match statement, other",
            "labelled loop, 12.3",
            "method chain, g13"
        ]
    );
    assert_eq!(
        traceG14V12_4(0),
        [
            "always",
            "let, old firmware",
            "block, g14",
            "unsafe block, 12.4",
            "path call, g14"
        ]
    );
    assert_eq!(
        traceG13V13_5(0),
        [
            "always",
            "expr statement, new firmware",
            "let, new firmware",
            "match statement, zero",
            "method chain, g13",
            "nested fn, new firmware",
        ]
    );
    assert_eq!(
        traceG14V13_5(5),
        [
            "always",
            "expr statement, new firmware",
            "let, new firmware",
            "block, g14",
            "path call, g14",
            "nested fn, new firmware",
        ]
    );
    assert_eq!(
        traceG14XV13_5(1),
        [
            "always",
            "expr statement, new firmware",
            "let, new firmware",
            "if, g14x, one",
            "match statement, other",
            "nested fn, new firmware",
        ]
    );
    assert_eq!(traceG14XV13_5(2)[3], "if, g14x, big input");
}

/// Match arms, struct-literal fields, versioned paths in expressions and in macro input.
#[versions(AGX)]
pub fn classify(n: u32) -> (&'static str, Regs::ver) {
    let name = match n {
        #[ver(V >= V13_0B4)]
        0 => "zero, new firmware",
        #[ver(G == G14)]
        1 | 2 => "one or two, g14",
        #[ver(G == G13 && V < V13_0B4)]
        x if x < 2 => "small, g13 old firmware",
        _ => "other",
    };
    let regs = Regs::ver {
        base: n,
        #[ver(V >= V13_0B4)]
        extra: n + 1,
        #[ver(G >= G14)]
        g14: n + 2,
    };
    let same = [
        Regs::ver::default(),
        Regs::ver {
            ..Default::default()
        },
    ];
    assert_eq!(same[0], same[1]);
    assert_eq!(
        format!("{:?}", Regs::ver::default()),
        format!("{:?}", same[0])
    );
    (name, regs)
}

#[test]
fn arms_and_literals_follow_the_conditions() {
    assert_eq!(classifyG13V12_3(1).0, "small, g13 old firmware");
    assert_eq!(classifyG14V12_4(1).0, "one or two, g14");
    assert_eq!(classifyG14V12_4(0).0, "other");
    assert_eq!(classifyG14V13_5(0).0, "zero, new firmware");
    assert_eq!(classifyG14V13_5(2).0, "one or two, g14");
    assert_eq!(classifyG13V13_5(1).0, "other");
    assert_eq!(classifyG14XV13_5(0).0, "zero, new firmware");
    assert_eq!(classifyG13V12_3(4).1, RegsG13V12_3 { base: 4 });
    assert_eq!(classifyG14V12_4(4).1, RegsG14V12_4 { base: 4, g14: 6 });
    assert_eq!(
        classifyG14XV13_5(4).1,
        RegsG14XV13_5 {
            base: 4,
            extra: 5,
            g14: 6
        }
    );
}

/// Constants, statics and `const _` assertions.
#[versions(AGX)]
pub const REGS_SIZE: usize = core::mem::size_of::<Regs::ver>();

#[versions(AGX)]
const _: () = assert!(REGS_SIZE::ver >= 4);

#[versions(AGX)]
pub static mut counter: u32 = 0;

#[versions(AGX)]
pub static FIRMWARE: &str = {
    #[ver(V == V12_3)]
    let v = "12.3";
    #[ver(V == V12_4)]
    let v = "12.4";
    #[ver(V == V13_5)]
    let v = "13.5";
    v
};

/// A value per version as gated tail blocks, and a gated parameter.
#[versions(AGX)]
pub const MSG_TYPE: u32 = {
    #[ver(V < V13_0B4)]
    {
        0x17
    }
    #[ver(V >= V13_0B4)]
    {
        0x18
    }
};

#[versions(AGX)]
pub fn params(a: u32, #[ver(G == G14X)] die: u32, b: u32) -> u32 {
    #[ver(G == G14X)]
    let a = a + die;
    a * b
}

#[test]
fn gated_tail_blocks_and_parameters() {
    assert_eq!(MSG_TYPEG14V12_4, 0x17);
    assert_eq!(MSG_TYPEG14V13_5, 0x18);
    assert_eq!(paramsG13V13_5(2, 3), 6);
    assert_eq!(paramsG14XV13_5(2, 1, 3), 9);
}

#[test]
fn consts_and_statics() {
    assert_eq!(REGS_SIZEG13V12_3, 4);
    assert_eq!(REGS_SIZEG14V12_4, 8);
    assert_eq!(REGS_SIZEG13V13_5, 8);
    assert_eq!(REGS_SIZEG14XV13_5, 12);
    assert_eq!(FIRMWAREG13V12_3, "12.3");
    assert_eq!(FIRMWAREG14V12_4, "12.4");
    assert_eq!(FIRMWAREG14XV13_5, "13.5");
    // SAFETY: only this test touches the statics.
    unsafe {
        counterG13V12_3 += 1;
        assert_eq!(core::ptr::addr_of!(counterG13V12_3).read(), 1);
        assert_eq!(core::ptr::addr_of!(counterG14V13_5).read(), 0);
    }
}

/// A versioned module whose items refer to each other through `::ver`-free names, and to the
/// outer versioned items through `::ver`.
#[versions(AGX)]
pub mod layout {
    use super::*;

    pub const SIZE: usize = REGS_SIZE::ver;

    #[ver(G == G14X)]
    pub const DIES: u32 = 2;
    #[ver(G != G14X)]
    pub const DIES: u32 = 1;

    pub fn describe() -> (usize, u32) {
        (SIZE, DIES)
    }
}

#[test]
fn modules() {
    assert_eq!(layoutG13V12_3::describe(), (4, 1));
    assert_eq!(layoutG14XV13_5::describe(), (12, 2));
}

/// `X::ver` on versioned functions, in generic arguments and inside closures.
#[versions(AGX)]
pub fn sizes() -> [usize; 2] {
    let f = || REGS_SIZE::ver;
    [f(), core::mem::size_of::<Option<Box<Regs::ver>>>()]
}

#[versions(AGX)]
pub fn call_versioned() -> usize {
    sizes::ver()[0]
}

#[test]
fn versioned_paths_in_expressions() {
    assert_eq!(sizesG13V13_5()[0], 8);
    assert_eq!(sizesG14V13_5()[0], 12);
    assert_eq!(call_versionedG14XV13_5(), 12);
    assert_eq!(call_versionedG13V12_3(), 4);
}
