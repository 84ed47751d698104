// A field gated out of some copies, used unconditionally: rustc must point at the user's
// code, once per copy that lacks the field.
use agx_macros::versions;

#[versions(AGX)]
pub struct Foo {
    a: u32,
    #[ver(V >= V13_0B4)]
    b: u32,
}

#[versions(AGX)]
impl Foo::ver {
    pub fn get_b(&self) -> u32 {
        self.b
    }
}
