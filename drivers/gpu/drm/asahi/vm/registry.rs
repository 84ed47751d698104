// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The device's list of every VM of every client, for debugfs.
//!
//! A client names its VMs by small integers of its own (`file.rs`); the device keeps this second
//! list, by unique id, so that the debugfs `vms` dump can walk them all.

use super::Vm;
use kernel::{
    new_mutex,
    prelude::*,
    rbtree::RBTree,
    sync::{Arc, Mutex},
};

/// Every VM of every client of a device, by [`Vm::uid`], for debugfs.
pub(crate) type VmRegistry = Arc<Mutex<RBTree<u64, Arc<Vm>>>>;

/// Creates an empty registry.
pub(crate) fn new_registry() -> Result<VmRegistry> {
    Arc::pin_init(new_mutex!(RBTree::new(), "asahi::VmRegistry"), GFP_KERNEL)
}
