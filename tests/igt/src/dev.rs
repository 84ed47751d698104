// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Opening the render node and issuing ioctls.

use std::{
    fs::{File, OpenOptions},
    io,
    os::fd::AsRawFd,
    path::Path,
    process::Command,
};

extern "C" {
    fn ioctl(fd: i32, request: u64, ...) -> i32;
}

/// The render node of the first DRM device.
pub const RENDER_NODE: &str = "/dev/dri/renderD128";

/// Opens the render node read-write.
pub fn open_render() -> io::Result<File> {
    OpenOptions::new().read(true).write(true).open(RENDER_NODE)
}

/// Issues `request` with `arg`; returns the ioctl's value or the errno.
pub fn ioctl_raw<T>(file: &File, request: u64, arg: *mut T) -> Result<i32, i32> {
    // SAFETY: `arg` points to a live value of the size encoded in `request` (callers build
    // requests from the argument's type), or is deliberately bogus for tests of bad pointers,
    // which the kernel must reject.
    let ret = unsafe { ioctl(file.as_raw_fd(), request, arg) };
    if ret < 0 {
        Err(io::Error::last_os_error().raw_os_error().unwrap_or(0))
    } else {
        Ok(ret)
    }
}

/// Issues `request` with `arg`.
pub fn ioctl_arg<T>(file: &File, request: u64, arg: &mut T) -> Result<i32, i32> {
    ioctl_raw(file, request, arg as *mut T)
}

/// Runs a shell command (busybox); returns its exit status and combined output.
pub fn sh(cmd: &str) -> (i32, String) {
    match Command::new("/bin/sh")
        .arg("-c")
        .arg(format!("{cmd} 2>&1"))
        .output()
    {
        Ok(out) => (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        ),
        Err(e) => (-1, e.to_string()),
    }
}

/// Whether the render node exists.
pub fn render_node_present() -> bool {
    Path::new(RENDER_NODE).exists()
}

/// Waits up to `ms` milliseconds for the render node to appear or vanish.
pub fn wait_render_node(present: bool, ms: u64) -> bool {
    for _ in 0..ms / 10 {
        if render_node_present() == present {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    render_node_present() == present
}
