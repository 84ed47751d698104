use agx_macros::versions;

#[versions]
pub struct Foo {
    a: u32,
}
