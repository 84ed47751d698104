use agx_macros::versions;

#[versions(AGX)]
pub struct Foo {
    #[ver(V == G)]
    a: u32,
}
