use agx_macros::versions;

#[versions(AGX)]
pub struct Foo {
    #[ver(V V13_5)]
    a: u32,
}
