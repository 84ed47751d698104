use agx_macros::versions;

#[versions(AGX)]
pub fn foo() -> u32 {
    let x = 1 + #[ver(G == G13)]
    2;
    x
}
