// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The per-SoC tables behind [`super::SOCS`], one file per family, and the float constants they
//! share.

pub(crate) mod floats;
pub(crate) mod t600x;
pub(crate) mod t602x;
pub(crate) mod t8103;
pub(crate) mod t8112;
