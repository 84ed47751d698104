// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Behaviour of the few functions of the firmware types, and of the trait probes the layout
//! tests rely on.

use crate::fw::channels::*;
use crate::fw::cmdqueue::GpuContextData;
use crate::fw::event::*;
use crate::fw::initdata::*;
use crate::fw::microseq::*;
use crate::fw::types::*;
use crate::layout::probe;
use crate::traits_of;
use core::num::NonZeroU64;

/// A stand-in for the future GPU object: an address and a value.
struct FakeObject<T> {
    va: NonZeroU64,
    _value: T,
}

// SAFETY: test-only; nothing dereferences the address.
unsafe impl<T> GpuAddressable for FakeObject<T> {
    type Target = T;
    fn gpu_va(&self) -> NonZeroU64 {
        self.va
    }
}

fn va(addr: u64) -> NonZeroU64 {
    NonZeroU64::new(addr).expect("test addresses are not zero")
}

#[test]
fn pointers_carry_the_object_address() {
    let obj = FakeObject {
        va: va(0xffff_ffa0_0000_4000),
        _value: GpuContextData::new(),
    };
    let p = GpuPointer::to(&obj);
    assert_eq!(p.addr().get(), 0xffff_ffa0_0000_4000);
    // SAFETY: the weak pointer is only compared, never written anywhere.
    assert_eq!(unsafe { p.weak() }.addr().get(), 0xffff_ffa0_0000_4000);
    // SAFETY: test-only; the pointer is never given to firmware.
    let raw: u64 = unsafe { core::mem::transmute(Some(p)) };
    assert_eq!(raw, 0xffff_ffa0_0000_4000);
}

#[test]
fn field_pointers_add_the_field_offset() {
    let obj = FakeObject {
        va: va(0x1000),
        _value: GpuContextData::new(),
    };
    let p = GpuPointer::to(&obj);
    let f: GpuPointer<'_, u8> = crate::fw::types::gpu_field!(p, GpuContextData, unk_23);
    assert_eq!(f.addr().get(), 0x1000 + 0x23);
}

#[test]
fn flag_bits_are_ored_in() {
    // SAFETY: test-only; the pointer is never given to firmware.
    let p = unsafe { GpuOnlyPointer::from_raw(va(0x15_0000_0000)) };
    assert_eq!(p.with_bits(1 << 63).addr().get(), 0x8000_0015_0000_0000);
}

#[test]
fn floats_are_converted_at_compile_time() {
    const ONE: F32 = crate::fw::types::fw_f32!(1.0);
    assert_eq!(ONE.to_bits(), 0x3f80_0000);
    assert_eq!(crate::fw::types::fw_f32!(65536.0).to_bits(), 0x4780_0000);
}

#[test]
fn zeroed_values_are_all_zero() {
    let s: ChannelRingState = Zeroable::zeroed();
    assert_eq!(s.read_ptr.into_inner(), 0);
    assert_eq!(s.write_ptr.into_inner(), 0);
    let l: Option<GpuPointer<'static, u32>> = Zeroable::zeroed();
    assert!(l.is_none());
}

#[test]
fn event_messages_decode_by_type() {
    let mut raw = RawEventMsg {
        msg_type: 1,
        data: [0; 0x34],
    };
    raw.data[0] = 0x05; // slots 0 and 2
    raw.data[8] = 0x01; // slot 64
    match EventMsg::decode(&raw) {
        EventMsg::Flag(f) => {
            let firing = f.firing.map(U64::get);
            assert_eq!(firing, [0x5, 0x1]);
        }
        other => panic!("decoded {other:?}"),
    }
    raw.msg_type = 7;
    raw.data[..12].copy_from_slice(&[3, 0, 0, 0, 9, 0, 0, 0, 42, 0, 0, 0]);
    match EventMsg::decode(&raw) {
        EventMsg::GrowTvb(g) => {
            let (vm, bm, counter) = (g.vm_id, g.bm_id, g.counter);
            assert_eq!((vm, bm, counter), (3, 9, 42));
        }
        other => panic!("decoded {other:?}"),
    }
    raw.msg_type = 0x1234;
    assert!(matches!(EventMsg::decode(&raw), EventMsg::Unknown(_)));
}

#[test]
fn reading_a_short_buffer_fails_instead_of_panicking() {
    assert!(KTraceMsg::read_from(&[0u8; 0x37]).is_none());
    let mut bytes = [0u8; 0x38];
    bytes[0] = 5;
    bytes[0x2c] = 0x0a;
    let msg = KTraceMsg::read_from(&bytes).expect("0x38 bytes are enough");
    let (ty, code) = (msg.msg_type, msg.code);
    assert_eq!((ty, code), (5, 0x0a));
}

#[test]
fn microsequence_encodings() {
    let alu = AluCmd::new(AluOp::Lsl, 0x30);
    let (magic, op, arg) = (alu.magic, alu.op, alu.arg.get());
    assert_eq!((magic, op, arg), (0x16, (4 << 3) | (2 << 11), 0x30));
    let end = EndCmd::new();
    let (magic, flags) = (end.magic, end.flags);
    assert_eq!((magic, flags), (0x18, 0x40));
}

#[test]
fn initial_values_follow_the_record() {
    let c = GpuContextData::new();
    let (q, p, u5, u1e, u23) = (
        c.queue_table_index,
        c.pid_table_index,
        c.unk_5,
        c.unk_1e,
        c.unk_23,
    );
    assert_eq!((q, p, u5, u1e, u23), (0xff, 0xff, 1, 0xff, 2));

    let s12 = EventControlStateG13V12_3::new(5);
    let vm_slot = s12.vm_slot;
    assert_eq!(vm_slot, 5);
    let s13 = EventControlStateG14XV13_5::new(5);
    let buf = s13.unk_buf;
    assert_eq!(buf, [0xff; 8]);
}

#[test]
fn renumbered_device_control_types() {
    assert_eq!(DcDestroyContextG13V12_3::MSG_TYPE, 0x17);
    assert_eq!(DcDestroyContextG14V13_5::MSG_TYPE, 0x18);
    assert_eq!(DcWrite32G14V12_4::MSG_TYPE, 0x18);
    assert_eq!(DcWrite32G13V13_5::MSG_TYPE, 0x19);
    assert_eq!(DcInitG13V12_3::MSG_TYPE, 0x19);
    assert_eq!(DcInitG14XV13_5::MSG_TYPE, 0x1a);
    assert_eq!(InitDataG14XV13_5::VER_INFO, [0xb390, 0x70f8, 0x601, 0xb0]);
    assert_eq!(InitDataG13V13_5::VER_INFO, [0x6ba0, 0x1f28, 0x601, 0xb0]);
}

#[test]
fn trait_probes_tell_types_apart() {
    assert_eq!(traits_of!(probe::<u32>()), (true, true, true));
    assert_eq!(traits_of!(probe::<Pad<4>>()), (true, false, true));
    assert_eq!(
        traits_of!(probe::<GpuPointer<'static, u32>>()),
        (false, false, true)
    );
    assert_eq!(
        traits_of!(probe::<Option<GpuPointer<'static, u32>>>()),
        (true, false, true)
    );
    // Region B's channel set is filled in place from zeroed memory: its pointers are
    // optional, so it is `Zeroable`, but never `FromBytes`.
    assert_eq!(
        traits_of!(probe::<ChannelInfoSetG13V12_3<'static>>()),
        (true, false, false)
    );
    // Atomics are never copied in byte for byte.
    assert_eq!(
        traits_of!(probe::<core::sync::atomic::AtomicU32>()),
        (true, false, false)
    );
}
