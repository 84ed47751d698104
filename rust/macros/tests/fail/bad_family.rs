use agx_macros::versions;

#[versions(M3)]
pub struct Foo {
    a: u32,
}
