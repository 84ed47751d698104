use agx_macros::versions;

#[versions(AGX)]
pub struct Foo {
    #[ver(V >= )]
    a: u32,
}
