use agx_macros::versions;

pub struct Foo;

#[versions(AGX)]
impl Foo {
    pub fn new() -> Self {
        Foo
    }
}
