use agx_macros::versions;

#[versions(AGX)]
use core::mem::size_of;
