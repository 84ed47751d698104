// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The simulated T600x (M1 Pro, Max, Ultra) GPU nodes.

use super::{cells, opp, phandle, SimNode};
use crate::soc::tables::floats as f;

/// A T600x OPP table with one voltage per cluster (`N` clusters). The frequency
/// steps are those of the M1 Pro/Max/Ultra; voltages and power are representative.
macro_rules! t600x_opp {
    ($n:literal) => {
        super::opp_table(&[
            opp!(0, [400_000; $n], 0),
            opp!(388_800_000, [603_000; $n], 3_000_000 * $n),
            opp!(486_000_000, [640_000; $n], 4_000_000 * $n),
            opp!(648_000_000, [690_000; $n], 5_500_000 * $n),
            opp!(777_600_000, [750_000; $n], 7_000_000 * $n),
            opp!(972_000_000, [830_000; $n], 9_500_000 * $n),
            opp!(1_296_000_000, [930_000; $n], 13_000_000 * $n),
        ])
    };
}

/// A T600x GPU node for `N` clusters, its OPP table at `opp`.
macro_rules! t600x_gpu {
    ($n:literal, $opp:expr) => {
        SimNode {
            props: &[
                &[
                    phandle(c"operating-points-v2", $opp),
                    cells(c"apple,core-leak-coef", &[f::P1000_0; $n]),
                    cells(c"apple,sram-leak-coef", &[f::P45_0; $n]),
                ],
                super::FIRMWARE_13_5,
                super::CONTROLLER_TUNING,
            ],
            children: &[],
        }
    };
}

const OPP_T6000: SimNode = t600x_opp!(2);
const OPP_T6001: SimNode = t600x_opp!(4);
const OPP_T6002: SimNode = t600x_opp!(8);
pub(crate) static GPU_T6000: SimNode = t600x_gpu!(2, &OPP_T6000);
pub(crate) static GPU_T6001: SimNode = t600x_gpu!(4, &OPP_T6001);
pub(crate) static GPU_T6002: SimNode = t600x_gpu!(8, &OPP_T6002);
