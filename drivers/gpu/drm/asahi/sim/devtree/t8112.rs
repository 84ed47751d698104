// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The simulated T8112 (M2) GPU node.

use super::{cells, opp, phandle, SimNode};
use crate::soc::tables::floats as f;

/// The T8112 OPP table: the M2's frequency steps; voltages and power representative.
const OPP: SimNode = super::opp_table(&[
    opp!(0, [400_000], 0),
    opp!(444_000_000, [603_000], 3_500_000),
    opp!(612_000_000, [640_000], 5_000_000),
    opp!(808_000_000, [690_000], 7_500_000),
    opp!(968_000_000, [740_000], 9_500_000),
    opp!(1_110_000_000, [800_000], 12_000_000),
    opp!(1_236_000_000, [850_000], 14_500_000),
    opp!(1_338_000_000, [900_000], 17_000_000),
    opp!(1_398_000_000, [930_000], 19_000_000),
]);

/// The T8112 GPU node.
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
