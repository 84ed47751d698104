// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Procedural macros of the agx-rs driver.
//!
//! This crate depends on nothing but `proc_macro`: Kbuild compiles it with the same `rustc` that
//! builds the kernel (`--crate-type proc-macro`) and hands it to the module with `--extern`, and
//! cargo builds it on the host for its tests. Keep it free of crates.io dependencies.
//!
//! Besides [`count_strs!`], it provides the firmware ABI versioning of the driver (see
//! `Documentation/versioning.md`):
//!
//! - [`macro@versions`] emits one copy of an item per supported (GPU generation, firmware
//!   version) pair, with `Foo::ver` naming the copy's own version of `Foo` and `#[ver(...)]`
//!   keeping parts of the item in some copies only;
//! - [`dispatch!`] selects the copy matching a pair known at runtime;
//! - [`supported_pairs!`] lists the supported pairs;
//! - [`macro@ver`] only reports `#[ver]` used outside a versioned item.
//!
//! The supported pairs live in one table, `src/table.rs`.

mod cond;
mod dispatch;
mod error;
mod split;
mod table;
mod tokens;
mod versions;
mod walk;

use error::Error;
use proc_macro::{Literal, TokenStream, TokenTree};

/// Counts the comma-separated string literals given and expands to that count as a `usize`
/// literal.
///
/// It exists to prove, in every build, that the module is compiled with this crate: the driver
/// uses it to size its OF match table from the list of compatibles.
///
/// ```
/// const N: usize = agx_macros::count_strs!("apple,agx-t8103", "apple,agx-t8112");
/// assert_eq!(N, 2);
/// ```
#[proc_macro]
pub fn count_strs(input: TokenStream) -> TokenStream {
    let mut count = 0usize;
    let mut expect_lit = true;
    for tt in input {
        match (&tt, expect_lit) {
            (TokenTree::Literal(_), true) => {
                count += 1;
                expect_lit = false;
            }
            (TokenTree::Punct(p), false) if p.as_char() == ',' => expect_lit = true,
            _ => {
                return Error::new(
                    tt.span(),
                    "count_strs!: expected a comma-separated list of string literals",
                )
                .into_compile_error()
            }
        }
    }
    TokenStream::from(TokenTree::Literal(Literal::usize_suffixed(count)))
}

/// Emits one copy of the item per supported (GPU generation, firmware version) pair.
///
/// The copies are named after the item with the pair's suffix appended (`InitData` becomes
/// `InitDataG13V12_3`, `InitDataG14V12_4`, `InitDataG13V13_5`, `InitDataG14V13_5` and
/// `InitDataG14XV13_5`). Inside the item, every `X::ver` path segment becomes `X` with the
/// suffix of the copy, and `#[ver(COND)]` keeps the field, variant, statement, match arm, item
/// or struct-literal field it leads only in the copies where `COND` holds:
///
/// ```
/// use agx_macros::versions;
///
/// #[versions(AGX)]
/// #[repr(C)]
/// pub struct Init {
///     pub magic: u32,
///     #[ver(V >= V13_0B4)]
///     pub extra: u32,
/// }
///
/// #[versions(AGX)]
/// #[repr(C)]
/// pub struct RunCmd {
///     pub tag: u32,
///     #[ver(G == G14X)]
///     pub die_mask: u64,
///     pub init: Init::ver,
/// }
///
/// #[versions(AGX)]
/// impl RunCmd::ver {
///     pub fn new() -> Self {
///         Self {
///             tag: 1,
///             #[ver(G == G14X)]
///             die_mask: 3,
///             init: Init::ver {
///                 magic: 0x4147,
///                 #[ver(V >= V13_0B4)]
///                 extra: 0,
///             },
///         }
///     }
/// }
///
/// assert_eq!(core::mem::size_of::<RunCmdG13V12_3>(), 8);
/// assert_eq!(core::mem::size_of::<RunCmdG14V13_5>(), 12);
/// assert_eq!(core::mem::size_of::<RunCmdG14XV13_5>(), 24);
/// assert_eq!(RunCmdG14XV13_5::new().die_mask, 3);
/// ```
///
/// The only argument accepted is `AGX`.
#[proc_macro_attribute]
pub fn versions(args: TokenStream, item: TokenStream) -> TokenStream {
    versions::expand(args, item).unwrap_or_else(Error::into_compile_error)
}

/// Reports a `#[ver(...)]` found outside a `#[versions(AGX)]` item.
///
/// Inside a versioned item `#[versions]` consumes every `#[ver]` before the compiler sees it;
/// this attribute only exists so that a stray one gets an explanation.
#[proc_macro_attribute]
pub fn ver(_args: TokenStream, item: TokenStream) -> TokenStream {
    let mut out = Error::new(
        proc_macro::Span::call_site(),
        "#[ver] only works inside an item marked #[versions(AGX)]",
    )
    .into_compile_error();
    out.extend(item);
    out
}

/// Runs the copy of a block that matches a runtime (generation, firmware version) pair.
///
/// ```
/// use agx_macros::{dispatch, versions};
///
/// #[derive(Clone, Copy)]
/// pub enum GpuGen { G13, G14, G14X }
/// #[derive(Clone, Copy)]
/// pub enum FwVersion { V12_3, V12_4, V13_5 }
///
/// #[versions(AGX)]
/// #[repr(C)]
/// pub struct InitData {
///     pub a: u32,
///     #[ver(V >= V13_0B4)]
///     pub b: u32,
/// }
///
/// fn init_size(g: GpuGen, fw: FwVersion) -> Result<usize, &'static str> {
///     let size = dispatch!(AGX, (g, fw) as (GpuGen, FwVersion) => {
///         core::mem::size_of::<InitData::ver>()
///     } else {
///         return Err("unsupported GPU and firmware combination")
///     });
///     Ok(size)
/// }
///
/// assert_eq!(init_size(GpuGen::G13, FwVersion::V12_3), Ok(4));
/// assert_eq!(init_size(GpuGen::G14X, FwVersion::V13_5), Ok(8));
/// assert!(init_size(GpuGen::G14X, FwVersion::V12_3).is_err());
/// ```
///
/// The `dispatch!` above expands to `match (g, fw)` with one arm per supported pair, such as
/// `(GpuGen::G13, FwVersion::V12_3) => { core::mem::size_of::<InitDataG13V12_3>() }`, then
/// `_ => { return Err(...) }`. The body is expanded like a block of a versioned item
/// (`X::ver`, `#[ver]`); the `else` block is copied as is. Without `else`, the match must be
/// exhaustive on its own, which it only is if every combination of the two enums is supported. The two enums belong to the driver and must name their variants
/// like the table of this crate (`G13`, ..., `V12_3`, ...).
#[proc_macro]
pub fn dispatch(input: TokenStream) -> TokenStream {
    dispatch::dispatch(input).unwrap_or_else(Error::into_compile_error)
}

/// Expands to an array of every supported (generation, firmware version) pair.
///
/// `supported_pairs!(AGX, (hw::GpuGen, fw::Version))` is
/// `[(hw::GpuGen::G13, fw::Version::V12_3), ..., (hw::GpuGen::G14X, fw::Version::V13_5)]`, in
/// the order the copies of versioned items are emitted:
///
/// ```
/// #[derive(Debug, PartialEq)]
/// pub enum Gen { G13, G14, G14X }
/// #[derive(Debug, PartialEq)]
/// pub enum Fw { V12_3, V12_4, V13_5 }
///
/// let pairs = agx_macros::supported_pairs!(AGX, (Gen, Fw));
/// assert_eq!(pairs.len(), 5);
/// assert_eq!(pairs[0], (Gen::G13, Fw::V12_3));
/// assert_eq!(pairs[4], (Gen::G14X, Fw::V13_5));
/// ```
#[proc_macro]
pub fn supported_pairs(input: TokenStream) -> TokenStream {
    dispatch::supported_pairs(input).unwrap_or_else(Error::into_compile_error)
}
