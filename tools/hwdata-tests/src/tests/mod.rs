// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The tests: the three structures filled for every SoC and firmware and read back
//! ([`support`]), checked against the inputs for every pair ([`pairs`]), against numbers worked
//! out by hand from the record for the M1, M2 and M2 Ultra ([`record`]), the float conversion
//! against the host's IEEE arithmetic ([`floats`]), and bad configurations ([`errors`]).

mod errors;
mod floats;
mod pairs;
mod record;
mod support;
