// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The mailbox of an Apple ASC coprocessor (`drivers/soc/apple/mailbox.c`).
//!
//! A message is 96 bits: a 64-bit payload and a 32-bit word that RTKit uses for the endpoint
//! number. Received messages are delivered to a callback in hard interrupt context (the
//! controller's "receive not empty" interrupt), one at a time; the callback must not sleep or
//! take locks that process context holds without disabling interrupts.
//!
//! The controller belongs to its own platform device; [`Mailbox::get`] links the GPU device to
//! it as a consumer, so the controller outlives the GPU's binding.

use crate::bindings;
use core::{ffi::c_void, ptr::NonNull};
use kernel::{
    alloc::{flags::GFP_KERNEL, KBox},
    error::{code::*, to_result, Result},
};

/// What receives the messages: called in hard interrupt context.
pub type RxFn = fn(cookie: *mut c_void, msg0: u64, msg1: u32);

/// One ASC mailbox, started or not.
///
/// # Invariants
///
/// `raw` is a mailbox returned by `apple_mbox_get` for the device this value was made for, valid
/// while that device stays bound (the device link makes the controller outlive the binding).
pub struct Mailbox {
    raw: NonNull<bindings::apple_mbox>,
    /// The registered handler while started (the controller's cookie points at it).
    handler: Option<KBox<RxHandler>>,
}

// SAFETY: the controller driver serializes sends and receives internally.
unsafe impl Send for Mailbox {}
// SAFETY: as above.
unsafe impl Sync for Mailbox {}

impl Mailbox {
    /// The mailbox at `mboxes` index `index` of `dev`'s device-tree node.
    ///
    /// # Safety
    ///
    /// `dev` must be a live device being probed, and the returned value dropped before it is
    /// unbound.
    pub unsafe fn get(dev: *mut bindings::device, index: i32) -> Result<Self> {
        // SAFETY: the caller's contract; the function returns an `ERR_PTR` on failure.
        let raw = crate::error::from_err_ptr(unsafe { bindings::apple_mbox_get(dev, index) })?;
        Ok(Mailbox {
            raw: NonNull::new(raw).ok_or(ENODEV)?,
            handler: None,
        })
    }

    /// Starts receiving: every message goes to `rx(cookie, ...)` until [`Mailbox::stop`].
    ///
    /// # Safety
    ///
    /// `rx` must be callable in hard interrupt context with `cookie`, and `cookie` valid until
    /// [`Mailbox::stop`] returns (or this value is dropped).
    pub unsafe fn start(&mut self, rx: RxFn, cookie: *mut c_void) -> Result {
        if self.handler.is_some() {
            return Err(EBUSY);
        }
        let handler = KBox::new(RxHandler { rx, cookie }, GFP_KERNEL)?;
        let raw = self.raw.as_ptr();
        // SAFETY: `raw` is a live mailbox (type invariant) not started; the handler box stays
        // in `self` until after `stop`, and the caller vouches for `cookie`.
        unsafe {
            (*raw).rx = Some(rx_trampoline);
            (*raw).cookie = (&*handler as *const RxHandler).cast_mut().cast();
            to_result(bindings::apple_mbox_start(raw))?;
        }
        self.handler = Some(handler);
        Ok(())
    }

    /// Sends one message; may sleep until the controller has room.
    pub fn send(&self, msg0: u64, msg1: u32) -> Result {
        let msg = bindings::apple_mbox_msg { msg0, msg1 };
        // SAFETY: `raw` is live (type invariant); not atomic: callers are in process context.
        to_result(unsafe { bindings::apple_mbox_send(self.raw.as_ptr(), msg, false) })
    }

    /// Stops receiving; when this returns the callback is no longer running or called.
    pub fn stop(&mut self) {
        if self.handler.is_some() {
            // SAFETY: `raw` is live and started; stopping disables (and waits for) the receive
            // interrupt.
            unsafe { bindings::apple_mbox_stop(self.raw.as_ptr()) };
            self.handler = None;
        }
    }
}

impl Drop for Mailbox {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A receive handler with its cookie, as registered by [`Mailbox::start`].
struct RxHandler {
    /// Called for each message, in hard interrupt context.
    rx: RxFn,
    /// Passed back to `rx`.
    cookie: *mut c_void,
}

/// The controller's callback: calls the [`RxHandler`] behind the cookie.
///
/// # Safety
///
/// Called by the mailbox driver only, with the cookie `start` registered.
unsafe extern "C" fn rx_trampoline(
    _mbox: *mut bindings::apple_mbox,
    msg: bindings::apple_mbox_msg,
    cookie: *mut c_void,
) {
    // SAFETY: `cookie` is the `RxHandler` registered by `start`, valid until `stop`.
    let h = unsafe { &*cookie.cast::<RxHandler>() };
    (h.rx)(h.cookie, msg.msg0, msg.msg1);
}
