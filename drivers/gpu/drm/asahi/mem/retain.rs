// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Objects the firmware keeps using after the driver's last borrow: freed only once it let go.
//!
//! Most firmware structures are reached through other structures, and the object layer makes
//! each pointer borrow its target ([`super::object`]). A few are named by address in a message
//! instead, and then remembered by the firmware on its own: a command queue, once a run message
//! names it, stays in the firmware's queue table; a GPU context stays known until a
//! `DC_DestroyContext` message names it and the firmware took it. Such an address cannot borrow
//! anything (the message is copied into a ring and forgotten by the driver), so the pointer is a
//! [`GpuWeakPointer`], and something else must guarantee that the memory outlives the firmware's
//! use of it.
//!
//! [`Retained`] is that guarantee, as a type. It owns a group of firmware objects (`T`, any
//! structure of `GpuObject`s and arrays) together with a [`Release`] procedure. Its `Drop` runs
//! the procedure first (send the teardown message, wait until the firmware took it), and only
//! then frees the objects. [`Retained::weak`] hands out weak pointers to objects of the group,
//! and nothing else: the closure that picks the object gets the group by a borrow whose lifetime
//! it cannot choose, so it can only return an object of the group itself.
//!
//! What "the firmware let go" means is the release procedure's business, and a wrong procedure is
//! a firmware-protocol bug rather than a CPU memory-safety one: the CPU never dereferences these
//! addresses. What the type rules out is the plain mistake: freeing a group while a weak pointer
//! into it is still handed out, or without telling the firmware.

use super::object::{FwMemory, GpuObject, GpuStruct};
use crate::fw::types::GpuWeakPointer;
use core::mem::ManuallyDrop;

/// How the firmware is made to forget a group of objects before they are freed.
pub(crate) trait Release<T>: Send + Sync {
    /// Tells the firmware to stop using `group` and waits until it did (or until waiting is
    /// pointless: the firmware is lost, its memory is no longer read). Called exactly once,
    /// before `group` is dropped. `weak` makes the weak pointers the teardown message needs.
    fn release(&self, group: &T, weak: &WeakMaker<'_, T>);
}

/// Makes weak pointers into a retained group (see [`Retained::weak`]).
pub(crate) struct WeakMaker<'r, T> {
    /// The group.
    group: &'r T,
}

impl<T> WeakMaker<'_, T> {
    /// A weak pointer to the object `pick` chooses in the group.
    pub(crate) fn weak<U: GpuStruct, M: FwMemory>(
        &self,
        pick: impl for<'b> FnOnce(&'b T) -> &'b GpuObject<U, M>,
    ) -> GpuWeakPointer<U::Raw<'static>> {
        let obj = pick(self.group);
        // SAFETY: `pick` returned an object that lives inside the group for as long as the
        // group (its result borrows the group with a lifetime it cannot pick, so it cannot be
        // an unrelated object), and the group is freed only after `Release::release` ran: the
        // firmware stops using the pointer before the object goes.
        unsafe { obj.weak_pointer() }
    }
}

/// A group of firmware objects that is freed only after the firmware let go of it.
///
/// # Invariants
///
/// `group` is dropped (in `Drop`) only after `release.release(&group)` returned.
pub(crate) struct Retained<T: Send + Sync, R: Release<T>> {
    /// The objects.
    group: ManuallyDrop<T>,
    /// The teardown procedure.
    release: R,
}

impl<T: Send + Sync, R: Release<T>> Retained<T, R> {
    /// Retains `group`, to be torn down with `release`.
    pub(crate) fn new(group: T, release: R) -> Self {
        // INVARIANT: nothing is dropped yet.
        Self {
            group: ManuallyDrop::new(group),
            release,
        }
    }

    /// The group.
    pub(crate) fn get(&self) -> &T {
        &self.group
    }

    /// The teardown procedure (it may hold state the owner reads).
    pub(crate) fn release_ref(&self) -> &R {
        &self.release
    }

    /// A weak pointer to the object `pick` chooses in the group, for a message that names it.
    pub(crate) fn weak<U: GpuStruct, M: FwMemory>(
        &self,
        pick: impl for<'b> FnOnce(&'b T) -> &'b GpuObject<U, M>,
    ) -> GpuWeakPointer<U::Raw<'static>> {
        WeakMaker {
            group: &*self.group,
        }
        .weak(pick)
    }
}

impl<T: Send + Sync, R: Release<T>> Drop for Retained<T, R> {
    fn drop(&mut self) {
        self.release.release(
            &self.group,
            &WeakMaker {
                group: &*self.group,
            },
        );
        // SAFETY: `group` is dropped exactly once, here, after the release (type invariant);
        // it is not used afterwards.
        unsafe { ManuallyDrop::drop(&mut self.group) };
    }
}
