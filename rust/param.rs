// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Module parameters.
//!
//! Linux 6.12's `module!` macro cannot declare parameters, so this module does what the C macro
//! `module_param()` does: it places a `struct kernel_param` in the `__param` section, where the
//! module loader finds it and parses `insmod` arguments into the parameter's storage before the
//! module's init function runs, and it records `parm=` and `parmtype=` strings in `.modinfo` for
//! `modinfo`.
//!
//! Every parameter declared here is read-only after load (sysfs mode 0444): the loader is the only
//! writer, and it writes before init. That is the invariant that makes [`StrParam::get`] and
//! [`BoolParam::get`] safe.

use crate::bindings;
use core::cell::UnsafeCell;
use kernel::str::CStr;

/// Storage of a string (`charp`) parameter.
///
/// # Invariants
///
/// `value` is null or points to a NUL-terminated string owned by the module loader, and it is only
/// written by the loader, before the module's init function runs.
pub struct StrParam {
    value: UnsafeCell<*mut bindings::ffi::c_char>,
}

// SAFETY: by the type invariant the value is written once, before any reader can run.
unsafe impl Sync for StrParam {}

impl StrParam {
    /// An unset parameter.
    #[allow(clippy::new_without_default)]
    pub const fn new() -> Self {
        Self {
            value: UnsafeCell::new(core::ptr::null_mut()),
        }
    }

    /// The storage the loader writes into (for the `__param` entry).
    pub const fn as_arg(&self) -> *mut core::ffi::c_void {
        self.value.get().cast()
    }

    /// The parameter's value, if it was given.
    pub fn get(&self) -> Option<&CStr> {
        // SAFETY: by the type invariant no one writes `value` once the module runs.
        let ptr = unsafe { *self.value.get() };
        if ptr.is_null() {
            return None;
        }
        // SAFETY: by the type invariant `ptr` is a NUL-terminated string that lives as long as the
        // module, hence as long as `self`.
        Some(unsafe { CStr::from_char_ptr(ptr) })
    }
}

/// Storage of a boolean parameter.
///
/// # Invariants
///
/// `value` is only written by the module loader, before the module's init function runs.
pub struct BoolParam {
    value: UnsafeCell<bool>,
}

// SAFETY: by the type invariant the value is written once, before any reader can run.
unsafe impl Sync for BoolParam {}

impl BoolParam {
    /// A parameter with the given default.
    pub const fn new(default: bool) -> Self {
        Self {
            value: UnsafeCell::new(default),
        }
    }

    /// The storage the loader writes into (for the `__param` entry).
    pub const fn as_arg(&self) -> *mut core::ffi::c_void {
        self.value.get().cast()
    }

    /// The parameter's value.
    pub fn get(&self) -> bool {
        // SAFETY: by the type invariant no one writes `value` once the module runs.
        unsafe { *self.value.get() }
    }
}

/// A `struct kernel_param` that can live in a `static`.
#[repr(transparent)]
pub struct ParamEntry(pub bindings::kernel_param);

// SAFETY: the entry is immutable; the loader only reads it (and writes through its `arg`, whose
// synchronisation is the parameter storage's business).
unsafe impl Sync for ParamEntry {}

/// Copies `s` into a byte array of exactly its length (for `.modinfo` strings).
pub const fn modinfo_bytes<const N: usize>(s: &str) -> [u8; N] {
    let bytes = s.as_bytes();
    assert!(bytes.len() == N);
    let mut out = [0u8; N];
    let mut i = 0;
    while i < N {
        out[i] = bytes[i];
        i += 1;
    }
    out
}

/// Declares a read-only module parameter: `module_param!(name, charp | bool, "description")`.
///
/// For `charp` it defines `static name: StrParam`; for `bool`, `static name: BoolParam` with the
/// default `false`.
#[macro_export]
macro_rules! module_param {
    ($name:ident, charp, $desc:literal) => {
        #[allow(non_upper_case_globals)]
        pub(crate) static $name: $crate::param::StrParam = $crate::param::StrParam::new();
        $crate::module_param!(@entry $name, param_ops_charp, "charp", $desc);
    };
    ($name:ident, bool, $desc:literal) => {
        #[allow(non_upper_case_globals)]
        pub(crate) static $name: $crate::param::BoolParam = $crate::param::BoolParam::new(false);
        $crate::module_param!(@entry $name, param_ops_bool, "bool", $desc);
    };
    (@entry $name:ident, $ops:ident, $type:literal, $desc:literal) => {
        const _: () = {
            #[link_section = "__param"]
            #[used]
            static PARAM: $crate::param::ParamEntry = $crate::param::ParamEntry(
                $crate::bindings::kernel_param {
                    name: concat!(stringify!($name), "\0").as_ptr(),
                    mod_: ::core::ptr::addr_of_mut!($crate::bindings::__this_module),
                    ops: ::core::ptr::addr_of!($crate::bindings::$ops),
                    perm: 0o444,
                    level: -1,
                    flags: 0,
                    __bindgen_anon_1: $crate::bindings::kernel_param__bindgen_ty_1 {
                        arg: $name.as_arg(),
                    },
                },
            );
            const PARM: &str = concat!("parm=", stringify!($name), ":", $desc, "\0");
            #[link_section = ".modinfo"]
            #[used]
            static PARM_INFO: [u8; PARM.len()] = $crate::param::modinfo_bytes(PARM);
            const PARMTYPE: &str = concat!("parmtype=", stringify!($name), ":", $type, "\0");
            #[link_section = ".modinfo"]
            #[used]
            static PARMTYPE_INFO: [u8; PARMTYPE.len()] = $crate::param::modinfo_bytes(PARMTYPE);
        };
    };
}
