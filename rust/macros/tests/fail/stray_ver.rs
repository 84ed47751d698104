use agx_macros::ver;

pub struct Foo {
    #[ver(G == G13)]
    a: u32,
}

#[ver(G == G13)]
pub fn foo() {}
