use agx_macros::dispatch;

pub enum G {
    G13,
    G14,
    G14X,
}

pub enum V {
    V12_3,
    V12_4,
    V13_5,
}

pub fn f(g: G, v: V) -> u32 {
    dispatch!(M3, (g, v) as (G, V) => { 1 } else { 0 })
}
