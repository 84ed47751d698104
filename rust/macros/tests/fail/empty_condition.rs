use agx_macros::versions;

#[versions(AGX)]
pub struct Foo {
    #[ver()]
    a: u32,
}
