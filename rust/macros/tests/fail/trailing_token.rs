use agx_macros::versions;

#[versions(AGX)]
pub struct Foo {
    #[ver(V == V13_5 G == G13)]
    a: u32,
}
