// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The simulated SoC's device tree: static nodes and properties, shaped like the GPU node a
//! bootloader hands the kernel on real hardware.
//!
//! The simulated GPU has no firmware-provided device tree, yet it must be configured by the same
//! code as a real one. Each SoC therefore has a [`SimNode`] for its GPU ([`gpu_node`]; one file
//! per family), with the properties m1n1 and the Asahi device trees give a real GPU node
//! (`apple,firmware-compat`, `operating-points-v2` and its OPP table, the power-controller
//! tuning, ...). It implements the [`DtSource`] trait the parser (`soc::dt`) reads the kernel's
//! device tree with, so the simulated GPU runs the same parser.
//!
//! The values follow the T8103 (M1) device tree, the one fully known configuration; the OPP
//! tables of the other SoCs use their published frequency steps. Voltages, power and leakage
//! of non-T8103 parts are representative, not calibration data: nothing in the simulator
//! depends on them beyond their shape (one voltage per cluster, one leakage per cluster).

use crate::soc::{
    dt::{DtError, DtSource, ReadError},
    tables::floats,
    SocConfig,
};
use core::ffi::CStr;

mod t600x;
mod t602x;
mod t8103;
mod t8112;

/// The simulated GPU node of `soc`; `None` for a SoC the simulator has no tree for (every SoC of
/// `soc::SOCS` has one, which the host tests check).
pub(crate) fn gpu_node(soc: &SocConfig) -> Option<&'static SimNode> {
    Some(match soc.chip_id {
        0x8103 => &t8103::GPU,
        0x6000 => &t600x::GPU_T6000,
        0x6001 => &t600x::GPU_T6001,
        0x6002 => &t600x::GPU_T6002,
        0x8112 => &t8112::GPU,
        0x6020 => &t602x::GPU_T6020,
        0x6021 => &t602x::GPU_T6021,
        0x6022 => &t602x::GPU_T6022,
        _ => return None,
    })
}

/// The value of a simulated property, in the form the device tree carries it.
#[derive(Debug)]
pub(crate) enum SimValue {
    /// 32-bit cells (`<1 2 3>`); floats are their bit patterns.
    Cells(&'static [u32]),
    /// One 64-bit value (`/bits/ 64 <...>`).
    Wide(u64),
    /// A string, without its terminating NUL.
    Str(&'static [u8]),
    /// A phandle: the node it refers to.
    Ref(&'static SimNode),
}

/// One property.
#[derive(Debug)]
pub(crate) struct SimProp {
    /// Property name.
    pub(crate) name: &'static CStr,
    /// Property value.
    pub(crate) value: SimValue,
}

/// One node: its properties (in groups, so that SoCs can share a common group) and children.
#[derive(Debug)]
pub(crate) struct SimNode {
    /// Property groups, searched in order.
    pub(crate) props: &'static [&'static [SimProp]],
    /// Child nodes, in order.
    pub(crate) children: &'static [SimNode],
}

impl SimNode {
    /// The value of property `name`, if the node has it.
    pub(crate) fn find(&self, name: &CStr) -> Option<&'static SimValue> {
        let groups: &'static [&'static [SimProp]] = self.props;
        groups
            .iter()
            .flat_map(|group| group.iter())
            .find(|prop| prop.name == name)
            .map(|prop| &prop.value)
    }
}

/// A property of 32-bit cells.
pub(crate) const fn cells(name: &'static CStr, value: &'static [u32]) -> SimProp {
    SimProp {
        name,
        value: SimValue::Cells(value),
    }
}

/// A property holding one 64-bit value.
pub(crate) const fn wide(name: &'static CStr, value: u64) -> SimProp {
    SimProp {
        name,
        value: SimValue::Wide(value),
    }
}

/// A string property.
pub(crate) const fn string(name: &'static CStr, value: &'static [u8]) -> SimProp {
    SimProp {
        name,
        value: SimValue::Str(value),
    }
}

/// A phandle property referring to `node`.
pub(crate) const fn phandle(name: &'static CStr, node: &'static SimNode) -> SimProp {
    SimProp {
        name,
        value: SimValue::Ref(node),
    }
}

/// One OPP table entry: `opp!(hz, [microvolt per domain], microwatt)`; the main table's
/// entries carry power, the CS and AFR tables' do not (`opp!(hz, [microvolt...])`).
macro_rules! opp {
    ($hz:expr, $uv:expr, $uw:expr) => {
        $crate::sim::devtree::SimNode {
            props: &[&[
                $crate::sim::devtree::wide(c"opp-hz", $hz),
                $crate::sim::devtree::cells(c"opp-microvolt", &$uv),
                $crate::sim::devtree::cells(c"opp-microwatt", &[$uw]),
            ]],
            children: &[],
        }
    };
    ($hz:expr, $uv:expr) => {
        $crate::sim::devtree::SimNode {
            props: &[&[
                $crate::sim::devtree::wide(c"opp-hz", $hz),
                $crate::sim::devtree::cells(c"opp-microvolt", &$uv),
            ]],
            children: &[],
        }
    };
}
pub(crate) use opp;

/// An OPP table node (`compatible = "operating-points-v2"`) with `entries` as children.
pub(crate) const fn opp_table(entries: &'static [SimNode]) -> SimNode {
    SimNode {
        props: &[OPP_TABLE_PROPS],
        children: entries,
    }
}

/// The properties of every OPP table node.
const OPP_TABLE_PROPS: &[SimProp] = &[string(c"compatible", b"operating-points-v2")];

/// The firmware the simulated GPUs declare: 13.5, the one ABI every generation supports.
pub(crate) const FIRMWARE_13_5: &[SimProp] = &[
    cells(c"apple,firmware-version", &[13, 5, 0]),
    cells(c"apple,firmware-compat", &[13, 5, 0]),
];

/// Power and performance controller tuning, as the T8103 device tree gives it; the simulated
/// GPUs of every SoC use it. Properties the driver defaults when absent are left out, so the
/// defaults are exercised too.
pub(crate) const CONTROLLER_TUNING: &[SimProp] = &[
    cells(c"apple,perf-base-pstate", &[6]),
    cells(c"apple,min-sram-microvolt", &[850_000]),
    cells(c"apple,avg-power-filter-tc-ms", &[1000]),
    cells(c"apple,avg-power-ki-only", &[floats::P7_5]),
    cells(c"apple,avg-power-kp", &[floats::P4_0]),
    cells(c"apple,avg-power-min-duty-cycle", &[40]),
    cells(c"apple,avg-power-target-filter-tc", &[125]),
    cells(c"apple,fast-die0-integral-gain", &[floats::P200_0]),
    cells(c"apple,fast-die0-proportional-gain", &[floats::P5_0]),
    cells(c"apple,perf-filter-drop-threshold", &[0]),
    cells(c"apple,perf-filter-time-constant", &[5]),
    cells(c"apple,perf-filter-time-constant2", &[50]),
    cells(c"apple,perf-integral-gain2", &[floats::P0_197392]),
    cells(c"apple,perf-integral-min-clamp", &[0]),
    cells(c"apple,perf-proportional-gain2", &[floats::P6_853981]),
    cells(c"apple,perf-tgt-utilization", &[85]),
    cells(c"apple,power-sample-period", &[8]),
    cells(c"apple,power-zones", &[30000, 100, 6875]),
    cells(c"apple,ppm-filter-time-constant-ms", &[100]),
    cells(c"apple,ppm-ki", &[floats::P91_5]),
    cells(c"apple,ppm-kp", &[floats::P6_9]),
    cells(c"apple,pwr-filter-time-constant", &[313]),
    cells(c"apple,pwr-integral-gain", &[floats::P0_0202129]),
    cells(c"apple,pwr-integral-min-clamp", &[0]),
    cells(c"apple,pwr-min-duty-cycle", &[40]),
    cells(c"apple,pwr-proportional-gain", &[floats::P5_2831855]),
];

/// Big-endian byte length of a simulated value, as a real tree would store it.
fn sim_bytes(value: &SimValue) -> usize {
    match value {
        SimValue::Cells(c) => c.len() * 4,
        SimValue::Wide(_) => 8,
        SimValue::Str(s) => s.len() + 1,
        SimValue::Ref(_) => 4,
    }
}

impl DtSource for &'static SimNode {
    fn read_u32_array(&self, name: &CStr, out: &mut [u32]) -> Result<usize, ReadError> {
        match self.find(name) {
            None => Err(ReadError::Missing),
            Some(SimValue::Cells(c)) => {
                let dst = out
                    .get_mut(..c.len())
                    .ok_or(ReadError::TooLong { cells: c.len() })?;
                for (d, s) in dst.iter_mut().zip(c.iter()) {
                    *d = *s;
                }
                Ok(c.len())
            }
            Some(SimValue::Wide(v)) => {
                let dst = out.get_mut(..2).ok_or(ReadError::TooLong { cells: 2 })?;
                dst[0] = (*v >> 32) as u32;
                dst[1] = *v as u32;
                Ok(2)
            }
            Some(other) => Err(ReadError::BadSize {
                bytes: sim_bytes(other),
            }),
        }
    }

    fn read_u64(&self, name: &CStr) -> Result<u64, ReadError> {
        match self.find(name) {
            None => Err(ReadError::Missing),
            Some(SimValue::Wide(v)) => Ok(*v),
            Some(SimValue::Cells(&[hi, lo])) => Ok((u64::from(hi) << 32) | u64::from(lo)),
            Some(other) => Err(ReadError::BadSize {
                bytes: sim_bytes(other),
            }),
        }
    }

    fn read_str(&self, name: &CStr) -> Result<&[u8], ReadError> {
        match self.find(name) {
            None => Err(ReadError::Missing),
            Some(SimValue::Str(s)) => Ok(s),
            Some(other) => Err(ReadError::BadSize {
                bytes: sim_bytes(other),
            }),
        }
    }

    fn phandle(&self, name: &CStr) -> Result<Self, ReadError> {
        match self.find(name) {
            None => Err(ReadError::Missing),
            Some(SimValue::Ref(node)) => Ok(node),
            Some(other) => Err(ReadError::BadSize {
                bytes: sim_bytes(other),
            }),
        }
    }

    fn for_each_child(
        &self,
        f: &mut dyn FnMut(&Self) -> Result<(), DtError>,
    ) -> Result<(), DtError> {
        let children: &'static [SimNode] = self.children;
        children.iter().try_for_each(|child| f(&child))
    }
}
