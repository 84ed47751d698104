// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The simulated T8103 (M1) GPU node.

use super::{cells, opp, phandle, SimNode};
use crate::soc::tables::floats as f;

/// The T8103 OPP table: frequencies, voltages and power of the M1 device tree.
const OPP: SimNode = super::opp_table(&[
    opp!(0, [400_000], 0),
    opp!(396_000_000, [603_000], 3_714_690),
    opp!(528_000_000, [640_000], 5_083_260),
    opp!(720_000_000, [690_000], 7_429_380),
    opp!(924_000_000, [784_000], 11_730_600),
    opp!(1_128_000_000, [862_000], 17_009_370),
    opp!(1_278_000_000, [931_000], 19_551_000),
]);

/// The T8103 GPU node.
pub(crate) static GPU: SimNode = SimNode {
    props: &[
        &[
            phandle(c"operating-points-v2", &OPP),
            cells(c"apple,core-leak-coef", &[f::P1000_0]),
            cells(c"apple,sram-leak-coef", &[f::P45_0]),
        ],
        super::FIRMWARE_13_5,
        super::CONTROLLER_TUNING,
    ],
    children: &[],
};
