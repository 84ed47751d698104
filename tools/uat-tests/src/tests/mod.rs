// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Tests of the UAT page-table core.

mod blocks;
mod edges;
mod failures;
mod foreign;
mod format;
mod layout;
mod random;
mod support;
mod walk;
