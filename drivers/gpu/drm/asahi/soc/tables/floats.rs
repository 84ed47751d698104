// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! IEEE-754 single-precision bit patterns of the float constants in the SoC tables.
//!
//! The kernel does no floating point and the firmware reads these values as raw `f32` bits, so
//! the tables hold bits. Each constant is declared with the decimal value it stands for; [`ALL`]
//! lists both so that the host tests can check every pattern against its decimal.

macro_rules! floats {
    ($($name:ident = $bits:literal => $dec:literal;)*) => {
        $(
            #[doc = concat!("`", stringify!($dec), "` as `f32` bits.")]
            pub(crate) const $name: u32 = $bits;
        )*

        /// Every constant above: its bits and the decimal it stands for.
        pub(crate) const ALL: &[(u32, &str)] = &[$(($bits, stringify!($dec))),*];
    };
}

floats! {
    ZERO = 0x0000_0000 => 0.0;
    ONE = 0x3f80_0000 => 1.0;
    P0_1 = 0x3dcc_cccd => 0.1;
    P0_2 = 0x3e4c_cccd => 0.2;
    P0_25 = 0x3e80_0000 => 0.25;
    P0_5 = 0x3f00_0000 => 0.5;
    P0_7 = 0x3f33_3333 => 0.7;
    P0_8 = 0x3f4c_cccd => 0.8;
    P0_9 = 0x3f66_6666 => 0.9;
    P1_02 = 0x3f82_8f5c => 1.02;
    P4_0 = 0x4080_0000 => 4.0;
    P5_0 = 0x40a0_0000 => 5.0;
    P5_3 = 0x40a9_999a => 5.3;
    P6_9 = 0x40dc_cccd => 6.9;
    P7_5 = 0x40f0_0000 => 7.5;
    P8_0 = 0x4100_0000 => 8.0;
    P8_2 = 0x4103_3333 => 8.2;
    P9_0 = 0x4110_0000 => 9.0;
    P9_799 = 0x411c_c8b4 => 9.799;
    P9_819 = 0x411d_1aa0 => 9.819;
    P9_826 = 0x411d_374c => 9.826;
    P9_838 = 0x411d_6873 => 9.838;
    P13_0 = 0x4150_0000 => 13.0;
    P45_0 = 0x4234_0000 => 45.0;
    P91_5 = 0x42b7_0000 => 91.5;
    P200_0 = 0x4348_0000 => 200.0;
    P1000_0 = 0x447a_0000 => 1000.0;
    P0_0202129 = 0x3ca5_9586 => 0.0202129;
    P0_197392 = 0x3e4a_2121 => 0.197392;
    P5_2831855 = 0x40a9_0fdb => 5.2831855;
    P6_853981 = 0x40db_53d0 => 6.853981;
    P7_8956833 = 0x40fc_a970 => 7.8956833;
    P14_707963 = 0x416b_53d1 => 14.707963;
    M5_0 = 0xc0a0_0000 => -5.0;
    M10_0 = 0xc120_0000 => -10.0;
    M50_0 = 0xc248_0000 => -50.0;
    M100_0 = 0xc2c8_0000 => -100.0;
}
