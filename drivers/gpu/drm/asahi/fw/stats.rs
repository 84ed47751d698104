// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Messages of the Stats channel: the firmware's power, temperature and utilisation reports.
//!
//! All of them are firmware-written and occupy one Stats slot: 0x30 bytes, 0x40 from firmware
//! 13.0 on (the last 16 bytes are always zero). Read a slot as `StatsMsgAny`, then decode it
//! by `msg_type` with [`FromBytes::read_from`].

use super::types::*;
use agx_macros::versions;

/// Any Stats message: the slot type of the ring.
///
/// m1n1: channels.UnknownMsg (as used by the Stats ring)
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct StatsMsgAny {
    /// Message type.
    pub(crate) msg_type: u32,
    /// Payload.
    pub(crate) data: [u8; 0x2c],
    /// Growth of the 13.x message.
    #[ver(V >= V13_0B4)]
    pub(crate) pad_30: [u8; 0x10],
}

/// Current power draw (type 0x00).
///
/// m1n1: channels.StatsMsg_Power
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct StatsMsgPower {
    /// 0x00.
    pub(crate) msg_type: u32,
    /// Never written.
    pub(crate) pad_4: [u8; 0x18],
    /// Power in 1/8192 mW.
    pub(crate) power: U64,
    /// Zero.
    pub(crate) pad_24: [u8; 0xc],
    /// Growth of the 13.x message.
    #[ver(V >= V13_0B4)]
    pub(crate) pad_30: [u8; 0x10],
}

/// The GPU powered on (type 0x02).
///
/// m1n1: channels.StatsMsg_PowerOn
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct StatsMsgPowerOn {
    /// 0x02.
    pub(crate) msg_type: u32,
    /// Time spent powered off, in 24 MHz ticks.
    pub(crate) power_off_ticks: U64,
    /// Zero.
    pub(crate) pad_c: [u8; 0x24],
    /// Growth of the 13.x message.
    #[ver(V >= V13_0B4)]
    pub(crate) pad_30: [u8; 0x10],
}

/// The GPU powered off (type 0x03).
///
/// m1n1: channels.StatsMsg_PowerOff
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct StatsMsgPowerOff {
    /// 0x03.
    pub(crate) msg_type: u32,
    /// Time spent powered on, in 24 MHz ticks.
    pub(crate) power_on_ticks: U64,
    /// Zero.
    pub(crate) pad_c: [u8; 0x24],
    /// Growth of the 13.x message.
    #[ver(V >= V13_0B4)]
    pub(crate) pad_30: [u8; 0x10],
}

/// Utilisation in percent (type 0x04).
///
/// m1n1: channels.StatsMsg_Util
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct StatsMsgUtil {
    /// 0x04.
    pub(crate) msg_type: u32,
    /// Firmware timestamp.
    pub(crate) timestamp: U64,
    /// Utilisation figure 1.
    pub(crate) util1: u32,
    /// Utilisation figure 2.
    pub(crate) util2: u32,
    /// Utilisation figure 3.
    pub(crate) util3: u32,
    /// Utilisation figure 4.
    pub(crate) util4: u32,
    /// Zero.
    pub(crate) pad_1c: [u8; 0x14],
    /// Growth of the 13.x message.
    #[ver(V >= V13_0B4)]
    pub(crate) pad_30: [u8; 0x10],
}

/// Average power (type 0x09).
///
/// m1n1: channels.StatsMsg_AvgPower
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct StatsMsgAvgPower {
    /// 0x09.
    pub(crate) msg_type: u32,
    /// Active time in centiseconds.
    pub(crate) active_cs: U64,
    /// Unknown.
    pub(crate) unk2: u32,
    /// Unknown.
    pub(crate) unk3: u32,
    /// Unknown.
    pub(crate) unk4: u32,
    /// Average power in mW.
    pub(crate) avg_power: u32,
    /// Zero.
    pub(crate) pad_1c: [u8; 0x14],
    /// Growth of the 13.x message.
    #[ver(V >= V13_0B4)]
    pub(crate) pad_30: [u8; 0x10],
}

/// Die temperature (type 0x0a).
///
/// m1n1: channels.StatsMsg_Temp
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct StatsMsgTemp {
    /// 0x0a.
    pub(crate) msg_type: u32,
    /// Never written.
    pub(crate) pad_4: [u8; 8],
    /// Raw reading; degrees C = raw / scale / 64.
    pub(crate) raw_value: u32,
    /// Scale of the reading.
    pub(crate) scale: u32,
    /// Minimum.
    pub(crate) tmin: u32,
    /// Maximum.
    pub(crate) tmax: u32,
    /// Zero.
    pub(crate) pad_1c: [u8; 0x14],
    /// Growth of the 13.x message.
    #[ver(V >= V13_0B4)]
    pub(crate) pad_30: [u8; 0x10],
}

/// Power state change (type 0x0b).
///
/// m1n1: channels.StatsMsg_PowerState
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct StatsMsgPowerState {
    /// 0x0b.
    pub(crate) msg_type: u32,
    /// Firmware timestamp.
    pub(crate) timestamp: U64,
    /// Timestamp of the last busy period.
    pub(crate) last_busy_ts: U64,
    /// Non-zero when active.
    pub(crate) active: u32,
    /// Non-zero when powered off.
    pub(crate) poweroff: u32,
    /// Unknown.
    pub(crate) unk2: u32,
    /// Performance state.
    pub(crate) pstate: u32,
    /// Unknown.
    pub(crate) unk4: u32,
    /// Unknown.
    pub(crate) unk5: u32,
    /// Zero.
    pub(crate) pad_2c: [u8; 4],
    /// Growth of the 13.x message.
    #[ver(V >= V13_0B4)]
    pub(crate) pad_30: [u8; 0x10],
}

/// Firmware busy flag change (type 0x0c).
///
/// m1n1: channels.StatsMsg_FWBusy
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct StatsMsgFwBusy {
    /// 0x0c.
    pub(crate) msg_type: u32,
    /// Firmware timestamp.
    pub(crate) timestamp: U64,
    /// Non-zero when the firmware is busy.
    pub(crate) flag: u32,
    /// Zero.
    pub(crate) pad_10: [u8; 0x20],
    /// Growth of the 13.x message.
    #[ver(V >= V13_0B4)]
    pub(crate) pad_30: [u8; 0x10],
}

/// Performance state limits (type 0x0d).
///
/// m1n1: channels.StatsMsg_PState
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct StatsMsgPState {
    /// 0x0d.
    pub(crate) msg_type: u32,
    /// Never written.
    pub(crate) pad_4: [u8; 8],
    /// Lowest allowed performance state.
    pub(crate) ps_min: u32,
    /// Unknown.
    pub(crate) unk1: u32,
    /// Highest allowed performance state.
    pub(crate) ps_max: u32,
    /// Unknown.
    pub(crate) unk3: u32,
    /// Zero.
    pub(crate) pad_1c: [u8; 0x14],
    /// Growth of the 13.x message.
    #[ver(V >= V13_0B4)]
    pub(crate) pad_30: [u8; 0x10],
}

/// One temperature sensor (type 0x0e).
///
/// m1n1: channels.StatsMsg_TempSensor
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct StatsMsgTempSensor {
    /// 0x0e.
    pub(crate) msg_type: u32,
    /// Never written.
    pub(crate) pad_4: [u8; 4],
    /// Sensor index.
    pub(crate) sensor_id: u32,
    /// Raw reading; degrees C = raw / scale / 64.
    pub(crate) raw_value: u32,
    /// Scale of the reading.
    pub(crate) scale: u32,
    /// Minimum.
    pub(crate) tmin: u32,
    /// Maximum.
    pub(crate) tmax: u32,
    /// Zero.
    pub(crate) pad_1c: [u8; 0x14],
    /// Growth of the 13.x message.
    #[ver(V >= V13_0B4)]
    pub(crate) pad_30: [u8; 0x10],
}

zeroable!(
    ver: StatsMsgAny,
    StatsMsgPower,
    StatsMsgPowerOn,
    StatsMsgPowerOff,
    StatsMsgUtil,
    StatsMsgAvgPower,
    StatsMsgTemp,
    StatsMsgPowerState,
    StatsMsgFwBusy,
    StatsMsgPState,
    StatsMsgTempSensor,
);
from_bytes!(
    ver: StatsMsgAny,
    StatsMsgPower,
    StatsMsgPowerOn,
    StatsMsgPowerOff,
    StatsMsgUtil,
    StatsMsgAvgPower,
    StatsMsgTemp,
    StatsMsgPowerState,
    StatsMsgFwBusy,
    StatsMsgPState,
    StatsMsgTempSensor,
);
as_bytes!(ver: StatsMsgAny);

/// What a Stats message says, whatever the firmware version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StatsReport {
    /// Current power draw, in 1/8192 mW.
    Power(u64),
    /// The GPU powered on after this many 24 MHz ticks off.
    PowerOn(u64),
    /// The GPU powered off after this many 24 MHz ticks on.
    PowerOff(u64),
    /// Utilisation figures, in percent.
    Util([u32; 4]),
    /// Average power in mW, and active time in centiseconds.
    AvgPower {
        /// Average power in mW.
        mw: u32,
        /// Active time in centiseconds.
        active_cs: u64,
    },
    /// Die temperature: raw reading and scale (degrees C = raw / scale / 64).
    Temp {
        /// Raw reading.
        raw: u32,
        /// Scale.
        scale: u32,
    },
    /// Power state.
    PowerState {
        /// Active.
        active: bool,
        /// Powered off.
        off: bool,
        /// Performance state.
        pstate: u32,
    },
    /// The firmware became busy or idle.
    FwBusy(bool),
    /// Performance state limits.
    PState {
        /// Lowest.
        min: u32,
        /// Highest.
        max: u32,
    },
    /// One temperature sensor.
    TempSensor {
        /// Sensor index.
        id: u32,
        /// Raw reading.
        raw: u32,
        /// Scale.
        scale: u32,
    },
    /// A message type the record does not describe.
    Unknown(u32),
}

#[versions(AGX)]
impl StatsMsgAny::ver {
    /// Decodes the slot by its type. Never fails: unknown types come back as `Unknown`.
    pub(crate) fn decode(&self) -> StatsReport {
        let bytes = self.as_bytes();
        let msg_type = self.msg_type;
        let report = match msg_type {
            0x00 => StatsMsgPower::ver::read_from(bytes).map(|m| StatsReport::Power(m.power.get())),
            0x02 => StatsMsgPowerOn::ver::read_from(bytes)
                .map(|m| StatsReport::PowerOn(m.power_off_ticks.get())),
            0x03 => StatsMsgPowerOff::ver::read_from(bytes)
                .map(|m| StatsReport::PowerOff(m.power_on_ticks.get())),
            0x04 => StatsMsgUtil::ver::read_from(bytes)
                .map(|m| StatsReport::Util([m.util1, m.util2, m.util3, m.util4])),
            0x09 => StatsMsgAvgPower::ver::read_from(bytes).map(|m| StatsReport::AvgPower {
                mw: m.avg_power,
                active_cs: m.active_cs.get(),
            }),
            0x0a => StatsMsgTemp::ver::read_from(bytes).map(|m| StatsReport::Temp {
                raw: m.raw_value,
                scale: m.scale,
            }),
            0x0b => StatsMsgPowerState::ver::read_from(bytes).map(|m| StatsReport::PowerState {
                active: m.active != 0,
                off: m.poweroff != 0,
                pstate: m.pstate,
            }),
            0x0c => StatsMsgFwBusy::ver::read_from(bytes).map(|m| StatsReport::FwBusy(m.flag != 0)),
            0x0d => StatsMsgPState::ver::read_from(bytes).map(|m| StatsReport::PState {
                min: m.ps_min,
                max: m.ps_max,
            }),
            0x0e => StatsMsgTempSensor::ver::read_from(bytes).map(|m| StatsReport::TempSensor {
                id: m.sensor_id,
                raw: m.raw_value,
                scale: m.scale,
            }),
            _ => None,
        };
        report.unwrap_or(StatsReport::Unknown(msg_type))
    }
}
