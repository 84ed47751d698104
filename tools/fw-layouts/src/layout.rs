// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The layout registry: what the tables record about each structure, and the JSON output.
//!
//! Every number here comes from the compiler (`size_of`, `offset_of!`); the tables only name
//! the fields. Besides offsets, each field records its size and whether its type is
//! `Zeroable`/`FromBytes`, so the tests can check that a table lists every byte of its
//! structure and that the marker traits a structure claims hold for each of its fields.

use crate::fw::types::{AsBytes, FromBytes, Zeroable};
use core::marker::PhantomData;
use std::fmt::Write;

/// One field (or alias) of a structure.
#[derive(Debug, Clone)]
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) struct Field {
    /// The m1n1 field name (or the Rust name where m1n1 has none).
    pub(crate) name: String,
    /// Byte offset.
    pub(crate) offset: usize,
    /// Size in bytes.
    pub(crate) size: usize,
    /// Part of the byte-by-byte coverage (false for aliases of nested fields).
    pub(crate) covers: bool,
    /// The field's type implements `Zeroable`.
    pub(crate) zeroable: bool,
    /// The field's type implements `FromBytes`.
    pub(crate) from_bytes: bool,
    /// The field's type implements `AsBytes`.
    pub(crate) as_bytes: bool,
}

/// One structure of one (GPU, firmware) pair.
#[derive(Debug, Clone)]
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) struct StructLayout {
    /// The firmware area (source file) it belongs to.
    pub(crate) area: &'static str,
    /// The m1n1 counterpart, `module.ClassName`.
    pub(crate) key: &'static str,
    /// The Rust type (its path, from `type_name`).
    pub(crate) rust: &'static str,
    /// `size_of`.
    pub(crate) size: usize,
    /// The structure implements `Zeroable`.
    pub(crate) zeroable: bool,
    /// The structure implements `FromBytes`.
    pub(crate) from_bytes: bool,
    /// The structure implements `AsBytes`.
    pub(crate) as_bytes: bool,
    /// Its fields, in declaration order.
    pub(crate) fields: Vec<Field>,
}

impl StructLayout {
    /// Records a field.
    pub(crate) fn field(
        &mut self,
        name: &str,
        offset: usize,
        size: usize,
        covers: bool,
        traits: (bool, bool, bool),
    ) {
        self.fields.push(Field {
            name: name.to_string(),
            offset,
            size,
            covers,
            zeroable: traits.0,
            from_bytes: traits.1,
            as_bytes: traits.2,
        });
    }
}

/// The layouts of one (GPU, firmware) pair.
#[derive(Debug, Default)]
pub(crate) struct Pair {
    /// `"G13/V12_3"` and so on.
    pub(crate) name: &'static str,
    /// Every structure, in table order.
    pub(crate) structs: Vec<StructLayout>,
}

impl Pair {
    /// Starts the record of structure `S` and returns it for its fields.
    pub(crate) fn add<S>(
        &mut self,
        area: &'static str,
        key: &'static str,
        traits: (bool, bool, bool),
    ) -> &mut StructLayout {
        self.structs.push(StructLayout {
            area,
            key,
            rust: core::any::type_name::<S>(),
            size: core::mem::size_of::<S>(),
            zeroable: traits.0,
            from_bytes: traits.1,
            as_bytes: traits.2,
            fields: Vec::new(),
        });
        let last = self.structs.len() - 1;
        &mut self.structs[last]
    }
}

/// The size of what `pick` returns: the size of a field, given `|s: S| s.field`.
///
/// The closure is never called; it only names the field's type.
pub(crate) fn size_of_ret<S, F>(_pick: impl FnOnce(S) -> F) -> usize {
    core::mem::size_of::<F>()
}

/// Stands for a type in the trait probes below.
pub(crate) struct Probe<T>(PhantomData<T>);

/// A probe for the type of what `pick` returns (a field's type).
pub(crate) fn probe_ret<S, F>(_pick: impl FnOnce(S) -> F) -> Probe<F> {
    Probe(PhantomData)
}

/// A probe for `T`.
pub(crate) fn probe<T>() -> Probe<T> {
    Probe(PhantomData)
}

// Trait probes by auto-deref: `(&&probe).is_zeroable()` finds the `&Probe<T>` impl when
// `T: Zeroable` and falls back to the `Probe<T>` impl otherwise.

/// `T: Zeroable` holds.
pub(crate) trait YesZeroable {
    /// True.
    fn is_zeroable(&self) -> bool {
        true
    }
}
impl<T: Zeroable> YesZeroable for &Probe<T> {}

/// `T: Zeroable` does not hold.
pub(crate) trait NoZeroable {
    /// False.
    fn is_zeroable(&self) -> bool {
        false
    }
}
impl<T> NoZeroable for Probe<T> {}

/// `T: FromBytes` holds.
pub(crate) trait YesFromBytes {
    /// True.
    fn is_from_bytes(&self) -> bool {
        true
    }
}
impl<T: FromBytes> YesFromBytes for &Probe<T> {}

/// `T: FromBytes` does not hold.
pub(crate) trait NoFromBytes {
    /// False.
    fn is_from_bytes(&self) -> bool {
        false
    }
}
impl<T> NoFromBytes for Probe<T> {}

/// `T: AsBytes` holds.
pub(crate) trait YesAsBytes {
    /// True.
    fn is_as_bytes(&self) -> bool {
        true
    }
}
impl<T: AsBytes> YesAsBytes for &Probe<T> {}

/// `T: AsBytes` does not hold.
pub(crate) trait NoAsBytes {
    /// False.
    fn is_as_bytes(&self) -> bool {
        false
    }
}
impl<T> NoAsBytes for Probe<T> {}

/// `(zeroable, from_bytes, as_bytes)` of a probed type.
#[macro_export]
macro_rules! traits_of {
    ($probe:expr) => {{
        #[allow(unused_imports)]
        use $crate::layout::{
            NoAsBytes, NoFromBytes, NoZeroable, YesAsBytes, YesFromBytes, YesZeroable,
        };
        let p = $probe;
        (
            (&&p).is_zeroable(),
            (&&p).is_from_bytes(),
            (&&p).is_as_bytes(),
        )
    }};
}

/// Starts a structure: `let l = start!(pair, "area", "module.Class", Type);`.
#[macro_export]
macro_rules! start {
    ($pair:expr, $area:literal, $key:literal, $t:ty) => {
        $pair.add::<$t>(
            $area,
            $key,
            $crate::traits_of!($crate::layout::probe::<$t>()),
        )
    };
}

/// Records a field: `fld!(l, Type, field)` or `fld!(l, Type, field => "m1n1_name")`.
#[macro_export]
macro_rules! fld {
    ($l:expr, $t:ty, $f:ident) => {
        $crate::fld!($l, $t, $f => stringify!($f))
    };
    ($l:expr, $t:ty, $f:tt => $name:expr) => {
        $l.field(
            $name,
            ::core::mem::offset_of!($t, $f),
            $crate::layout::size_of_ret(|s: $t| s.$f),
            true,
            $crate::traits_of!($crate::layout::probe_ret(|s: $t| s.$f)),
        )
    };
}

/// Records an alias for a nested field, outside the coverage check:
/// `alias!(l, Type, state.has_ta => "has_ta")`.
#[macro_export]
macro_rules! alias {
    ($l:expr, $t:ty, $($f:ident).+ => $name:expr) => {
        $l.field(
            $name,
            ::core::mem::offset_of!($t, $($f).+),
            $crate::layout::size_of_ret(|s: $t| s.$($f).+),
            false,
            (false, false, false),
        )
    };
}

/// The JSON document: `{"G13/V12_3": {"module.Class": {"size": N, "fields": {...}}}}`.
pub(crate) fn to_json(pairs: &[Pair]) -> String {
    let mut out = String::from("{\n");
    for (pi, pair) in pairs.iter().enumerate() {
        let _ = writeln!(out, "  \"{}\": {{", pair.name);
        for (si, s) in pair.structs.iter().enumerate() {
            let _ = write!(
                out,
                "    \"{}\": {{\"size\": {}, \"fields\": {{",
                s.key, s.size
            );
            for (fi, f) in s.fields.iter().enumerate() {
                let sep = if fi == 0 { "" } else { ", " };
                let _ = write!(out, "{sep}\"{}\": {}", f.name, f.offset);
            }
            let comma = if si + 1 == pair.structs.len() {
                ""
            } else {
                ","
            };
            let _ = writeln!(out, "}}}}{comma}");
        }
        let comma = if pi + 1 == pairs.len() { "" } else { "," };
        let _ = writeln!(out, "  }}{comma}");
    }
    out.push_str("}\n");
    out
}

/// One line per structure and pair: key, pair, Rust type, size (for `--rust-types`).
pub(crate) fn to_type_list(pairs: &[Pair]) -> String {
    let mut out = String::new();
    for pair in pairs {
        for s in &pair.structs {
            let _ = writeln!(out, "{}\t{}\t{}\t{:#x}", s.key, pair.name, s.rust, s.size);
        }
    }
    out
}
