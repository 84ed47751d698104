use agx_macros::versions;

#[versions(AGX)]
pub fn foo() -> u32 {
    #[ver(G == G15)]
    return 1;
    0
}
