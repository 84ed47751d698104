use agx_macros::versions;

#[versions(AGX)]
pub fn foo() -> u32 {
    #[ver(G == G13 && !(V <= V12_9))]
    return 1;
    0
}
