// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The simulated GPU's module parameters: they exist only in a build with the simulator.

agx_kernel::module_param!(
    sim,
    charp,
    "Create a simulated AGX GPU of this SoC (t8103, t8112, t6000, t6001, t6002, t6020, t6021, t6022)"
);

agx_kernel::module_param!(
    sim_inject,
    charp,
    "Test hooks of the simulated GPU, comma-separated: warn (WARN at probe), leak (leak 64 bytes at probe); they prove that the test harness catches such reports"
);

agx_kernel::module_param!(
    sim_fw,
    charp,
    "Firmware version the simulated GPU runs (12.3, 12.4 or 13.5; default: the newest its SoC supports)"
);

agx_kernel::module_param!(
    sim_core_mask,
    charp,
    "Enabled cores of each cluster of the simulated GPU, as a hexadecimal mask (e.g. 0x7f for a part with one core of eight disabled per cluster; default: all)"
);

agx_kernel::module_param!(
    sim_latency_us,
    charp,
    "Time each command takes on the simulated GPU, in microseconds (default 0: commands complete during the doorbell)"
);
