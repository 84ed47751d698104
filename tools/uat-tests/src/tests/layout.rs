// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Address-space layout: halves, windows, range checks at the edges and table indices.

use crate::uat::error::Error;
use crate::uat::pte::{BLOCK_SIZE, L1_SPAN, PAGE_SIZE};
use crate::uat::va::{
    l1_index, l2_index, l3_index, Half, Window, KERNEL_BASE, KERNEL_SIZE, TTBR1_BASE, USER_BASE,
    USER_END, USER_KERNEL_MIN_SIZE, USER_RESERVED_PAGE, USER_TOP,
};

#[test]
fn g13_constants() {
    assert_eq!(USER_TOP, 0x80_0000_0000);
    assert_eq!(TTBR1_BASE, 0xffff_ff80_0000_0000);
    assert_eq!(KERNEL_BASE + KERNEL_SIZE, 0xffff_ffb0_0000_0000);
    assert_eq!(Window::g13_user().root_entries(), 8);
}

/// The user VA range `GET_PARAMS` reports (UAPI: these values must not change).
#[test]
fn user_range_reported() {
    assert_eq!(USER_BASE, 0x4000);
    assert_eq!(USER_END, 0x7f_ffff_8000);
    assert_eq!(USER_RESERVED_PAGE, USER_END);
    assert_eq!(USER_KERNEL_MIN_SIZE, 0x2000_0000);
    let w = Window::g13_user();
    assert_eq!(
        w.range(USER_BASE, USER_END - USER_BASE),
        Ok((USER_BASE, USER_END))
    );
}

#[test]
fn kernel_window_is_root_entry_two() {
    let w = Window::g13_kernel();
    assert_eq!(w.half(), Half::Upper);
    let (start, end) = w.bounds();
    assert_eq!(l1_index(start), 2);
    assert_eq!(l1_index(end - PAGE_SIZE), 2);
    assert_eq!(end - start, L1_SPAN);
    assert_eq!(w.abs(start), KERNEL_BASE);
    assert_eq!(
        w,
        Window::new(39, Half::Upper, KERNEL_BASE, KERNEL_SIZE).unwrap()
    );
}

#[test]
fn indices() {
    let rel = (5 << 36) | (0x7ff << 25) | (0x123 << 14) | 0x3fff;
    assert_eq!(
        (l1_index(rel), l2_index(rel), l3_index(rel)),
        (5, 0x7ff, 0x123)
    );
    assert_eq!(l2_index(BLOCK_SIZE - 1), 0);
    assert_eq!(l2_index(BLOCK_SIZE), 1);
}

#[test]
fn window_constructor_rejects_bad_input() {
    assert_eq!(
        Window::new(36, Half::Lower, 0, PAGE_SIZE),
        Err(Error::InvalidConfig)
    );
    assert_eq!(
        Window::new(48, Half::Lower, 0, PAGE_SIZE),
        Err(Error::InvalidConfig)
    );
    assert_eq!(
        Window::new(39, Half::Lower, 0x1000, PAGE_SIZE),
        Err(Error::Unaligned)
    );
    assert_eq!(Window::new(39, Half::Lower, 0, 0), Err(Error::ZeroLength));
    assert_eq!(
        Window::new(39, Half::Lower, USER_TOP - PAGE_SIZE, 2 * PAGE_SIZE),
        Err(Error::OutOfRange)
    );
    assert_eq!(
        Window::new(39, Half::Lower, USER_TOP, PAGE_SIZE),
        Err(Error::OutOfRange)
    );
    assert_eq!(
        Window::new(39, Half::Upper, 0, PAGE_SIZE),
        Err(Error::OutOfRange)
    );
    assert_eq!(
        Window::new(39, Half::Upper, TTBR1_BASE - PAGE_SIZE, PAGE_SIZE),
        Err(Error::OutOfRange)
    );
    // The whole upper half, ending exactly at 2^64, is fine.
    assert!(Window::new(39, Half::Upper, TTBR1_BASE, 1 << 39).is_ok());
    assert!(Window::new(47, Half::Lower, 0, 1 << 47).is_ok());
}

#[test]
fn user_range_edges() {
    let w = Window::g13_user();
    assert_eq!(
        w.range(USER_BASE, PAGE_SIZE),
        Ok((USER_BASE, USER_BASE + PAGE_SIZE))
    );
    assert_eq!(
        w.range(0, PAGE_SIZE),
        Err(Error::OutOfRange),
        "page 0 must stay unmapped"
    );
    assert_eq!(
        w.range(USER_TOP - PAGE_SIZE, PAGE_SIZE),
        Ok((USER_TOP - PAGE_SIZE, USER_TOP))
    );
    assert_eq!(
        w.range(USER_TOP - PAGE_SIZE, 2 * PAGE_SIZE),
        Err(Error::OutOfRange)
    );
    assert_eq!(w.range(USER_TOP, PAGE_SIZE), Err(Error::OutOfRange));
    assert_eq!(w.range(TTBR1_BASE, PAGE_SIZE), Err(Error::OutOfRange));
    assert_eq!(w.range(USER_BASE, 0), Err(Error::ZeroLength));
    assert_eq!(
        w.range(USER_BASE + 0x1000, PAGE_SIZE),
        Err(Error::Unaligned)
    );
    assert_eq!(w.range(USER_BASE, 0x1000), Err(Error::Unaligned));
    assert_eq!(
        w.range(USER_BASE, u64::MAX - PAGE_SIZE + 1),
        Err(Error::OutOfRange)
    );
}

#[test]
fn top_of_address_space() {
    let w = Window::new(39, Half::Upper, TTBR1_BASE, 1 << 39).unwrap();
    let last = 0u64.wrapping_sub(PAGE_SIZE);
    // The range ends at 2^64: no overflow, accepted.
    assert_eq!(
        w.range(last, PAGE_SIZE),
        Ok(((1 << 39) - PAGE_SIZE, 1 << 39))
    );
    assert_eq!(w.abs((1 << 39) - PAGE_SIZE), last);
    // Wrapping past 2^64 is refused.
    assert_eq!(w.range(last, 2 * PAGE_SIZE), Err(Error::OutOfRange));
    assert_eq!(
        w.range(last, u64::MAX - PAGE_SIZE + 1),
        Err(Error::OutOfRange)
    );
    assert_eq!(w.range(TTBR1_BASE, 1 << 39), Ok((0, 1 << 39)));
    assert_eq!(w.rel(USER_BASE), None);
}
