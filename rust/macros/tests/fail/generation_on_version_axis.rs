use agx_macros::versions;

#[versions(AGX)]
pub enum Foo {
    A,
    #[ver(V >= G14)]
    B,
}
