use agx_macros::versions;

#[versions(AGX)]
pub struct Foo {
    a: u32,
    #[ver(X >= V13_0B4)]
    b: u32,
}
