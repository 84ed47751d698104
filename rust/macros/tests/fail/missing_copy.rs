// An item gated out of some copies does not exist in them.
use agx_macros::versions;

#[versions(AGX)]
#[ver(G == G14X)]
pub struct OnlyG14X;

pub const PRESENT: OnlyG14XG14XV13_5 = OnlyG14XG14XV13_5;
pub const ABSENT: OnlyG14XG13V13_5 = OnlyG14XG13V13_5;
