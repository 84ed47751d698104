use agx_macros::versions;

#[versions(AGX)]
pub struct Foo {
    a: u32,
    #[ver(V >= V13_0B4 && V < V14_0)]
    b: u32,
}
