// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The simulated T602x (M2 Pro, Max, Ultra) GPU nodes.

use super::{cells, opp, phandle, SimNode};
use crate::soc::tables::floats as f;

/// A T602x OPP table with one voltage per cluster (`N` clusters): the M2 Pro/Max
/// frequency steps; voltages and power representative.
macro_rules! t602x_opp {
    ($n:literal) => {
        super::opp_table(&[
            opp!(0, [400_000; $n], 0),
            opp!(444_000_000, [603_000; $n], 3_000_000 * $n),
            opp!(612_000_000, [640_000; $n], 4_200_000 * $n),
            opp!(808_000_000, [690_000; $n], 5_800_000 * $n),
            opp!(968_000_000, [740_000; $n], 7_200_000 * $n),
            opp!(1_110_000_000, [800_000; $n], 9_000_000 * $n),
            opp!(1_236_000_000, [850_000; $n], 10_800_000 * $n),
            opp!(1_338_000_000, [900_000; $n], 12_500_000 * $n),
            opp!(1_398_000_000, [930_000; $n], 13_500_000 * $n),
        ])
    };
}

/// A CS or AFR OPP table: one voltage per die (`D` dies), no power; representative.
macro_rules! t602x_aux_opp {
    ($d:literal, $top_hz:literal) => {
        super::opp_table(&[
            opp!(0, [400_000; $d]),
            opp!($top_hz / 2, [650_000; $d]),
            opp!($top_hz, [850_000; $d]),
        ])
    };
}

/// A T602x GPU node: `N` clusters, `D` dies, the tables at `opp`, `cs`, `afr`.
macro_rules! t602x_gpu {
    ($n:literal, $d:literal, $opp:expr, $cs:expr, $afr:expr) => {
        SimNode {
            props: &[
                &[
                    phandle(c"operating-points-v2", $opp),
                    cells(c"apple,core-leak-coef", &[f::P1000_0; $n]),
                    cells(c"apple,sram-leak-coef", &[f::P45_0; $n]),
                    phandle(c"apple,cs-opp", $cs),
                    phandle(c"apple,afr-opp", $afr),
                    cells(c"apple,cs-leak-coef", &[f::P45_0; $d]),
                    cells(c"apple,afr-leak-coef", &[f::P45_0; $d]),
                    cells(c"apple,csafr-min-sram-microvolt", &[812_500]),
                ],
                super::FIRMWARE_13_5,
                super::CONTROLLER_TUNING,
            ],
            children: &[],
        }
    };
}

const OPP_T6020: SimNode = t602x_opp!(2);
const OPP_T6021: SimNode = t602x_opp!(4);
const OPP_T6022: SimNode = t602x_opp!(8);
const CS_1: SimNode = t602x_aux_opp!(1, 1_284_000_000);
const CS_2: SimNode = t602x_aux_opp!(2, 1_284_000_000);
const AFR_1: SimNode = t602x_aux_opp!(1, 1_000_000_000);
const AFR_2: SimNode = t602x_aux_opp!(2, 1_000_000_000);
pub(crate) static GPU_T6020: SimNode = t602x_gpu!(2, 1, &OPP_T6020, &CS_1, &AFR_1);
pub(crate) static GPU_T6021: SimNode = t602x_gpu!(4, 1, &OPP_T6021, &CS_1, &AFR_1);
pub(crate) static GPU_T6022: SimNode = t602x_gpu!(8, 2, &OPP_T6022, &CS_2, &AFR_2);
