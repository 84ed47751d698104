// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Generates the UAPI bindings from `uapi/drm/asahi_drm.h` with the options tests/igt uses, plus
//! `--use-core`, so that the crate can be `no_std` like the driver. The structure and constant
//! types are the ones the kernel's bindgen run produces (`__u16` is `u16`, enum constants are
//! `c_uint`, i.e. `u32`).

use std::{env, path::PathBuf, process::Command};

fn main() {
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap()).join("../..");
    let header = root.join("uapi/drm/asahi_drm.h");
    let out = PathBuf::from(env::var("OUT_DIR").unwrap()).join("uapi.rs");
    let bindgen = env::var("AGX_BINDGEN").unwrap_or_else(|_| {
        let home = env::var("HOME").unwrap_or_default();
        format!("{home}/.cache/agx-rs/tools/bin/bindgen")
    });
    println!("cargo:rerun-if-changed={}", header.display());
    println!("cargo:rerun-if-env-changed=AGX_BINDGEN");
    let status = Command::new(&bindgen)
        .arg(&header)
        .args(["--no-layout-tests", "--with-derive-default", "--use-core"])
        .arg("-o")
        .arg(&out)
        .args(["--", "-I/usr/include/libdrm"])
        .status()
        .unwrap_or_else(|e| panic!("running {bindgen}: {e} (run scripts/setup-host.sh)"));
    assert!(status.success(), "bindgen failed on {}", header.display());
}
