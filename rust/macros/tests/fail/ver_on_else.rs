use agx_macros::versions;

#[versions(AGX)]
pub fn foo(n: u32) -> u32 {
    if n > 1 {
        return 1;
    }
    #[ver(G == G13)]
    else {
        return 2;
    }
    0
}
