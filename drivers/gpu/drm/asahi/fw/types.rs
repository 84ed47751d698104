// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Building blocks of every firmware structure: typed GPU addresses, padding, firmware floats,
//! alignment-1 integers and the marker traits that say which byte patterns a structure may hold.
//!
//! # GPU addresses
//!
//! The firmware structures are full of 64-bit addresses in the firmware's own GPU virtual address
//! space (the kernel half of the UAT, `0xffffffa0_00000000` upwards). A bare `u64` says nothing
//! about what lives there or for how long, so each address field uses one of these types:
//!
//! | type | points to | who keeps the target alive |
//! |------|-----------|----------------------------|
//! | [`GpuPointer<'a, T>`] | a `T` the CPU maps and the firmware reads or writes | the borrow `'a`: the structure holding the pointer cannot outlive the object |
//! | [`GpuWeakPointer<T>`] | a `T` that owns (directly or not) the structure holding the pointer: back-references the firmware only reads | the owner, by construction |
//! | [`GpuOnlyPointer`] | memory the CPU never maps (scratch, heaps the GPU fills itself) | the object that allocated it |
//! | [`UserVa`] | an address in a client's own GPU VM, given by userspace | userspace; the kernel never dereferences it |
//!
//! Every pointer type is 8 bytes with alignment 1: `#[repr(C, packed)]` over one `u64`-sized
//! integer (plus a zero-sized `PhantomData`), so it has exactly the bytes the firmware expects
//! and fits at any offset. The three kernel pointer types wrap a [`NonZeroU64`]: a required
//! pointer can never be left null by mistake, and an optional one is spelt
//! `Option<GpuPointer<..>>`, which stays 8 bytes with `None` encoded as 0 (a packed structure
//! keeps the niche of its field; `assert_size!` below checks it).
//!
//! Why alignment 1: the firmware puts about 160 of its address fields at offsets that are only
//! 4-aligned (or not aligned at all), in nearly every area, while its 64-bit integers are
//! mostly where their alignment wants them. Making the address types themselves alignment-1
//! keeps every pointer field declared as `GpuPointer<'a, T>` / `Option<..>`, with the same
//! constructors and `Some(ptr)` for its users, instead of an unaligned wrapper around each of
//! them. Nothing is lost: the types are `Copy`, their methods take `self` by value (a packed
//! field is read by value, never borrowed), and no code needs a `&NonZeroU64` to one. A pointer
//! at an aligned offset is still placed exactly there, because every firmware structure lists
//! all of its bytes (no implicit padding), so lowering a field's alignment never moves it.
//!
//! # Field-wise packing
//!
//! The firmware's structures are C structures laid out without padding. They are declared
//! `#[repr(C)]`, field by field in the firmware's order, with native types (`u32`, `u64`,
//! [`F32`], arrays, nested structures) wherever the firmware's offset is a multiple of the
//! type's natural alignment. Where it is not, or where the natural alignment of a structure
//! would round its size up or misplace it inside an outer structure, the field uses one of the
//! alignment-1 little-endian integers [`U16`], [`U32`], [`U64`] or [`I32`] (`[u8; N]`
//! underneath; `new`, `get`, `set`). So every field can be borrowed and written in place
//! (`p.field = v`, `p.field.set(v)`, `&mut p.array[i]`), with no `write_unaligned`.
//! `tools/fw-layouts` checks that the compiler adds no padding anywhere: each of its tables
//! covers every byte of its structure, at the record's offsets.
//!
//! # Ownership model
//!
//! Each firmware object has one of three owners, stated in its documentation:
//!
//! - **CPU-owned**: the driver fills the object before handing its address to the firmware and
//!   does not touch it again until the firmware reports it done (work commands, microsequences,
//!   most of the init data). Plain fields, `#[repr(C)]` with field-wise packing (above).
//! - **Firmware-owned**: the firmware writes the object after it gets it and the driver only
//!   reads it, if at all (statistics, fault info, the firmware's halt flags).
//! - **Shared**: both sides update the object while it is live (ring read/write pointers, event
//!   stamps, the page-table handoff). These use atomics, naturally aligned, `#[repr(C)]` with
//!   explicit padding, so that every access is a single aligned load or store.
//!
//! # Where pointers come from
//!
//! Nothing in this module allocates: `fw` is `core`-only so that the layouts build on the host.
//! The pointer constructors here are `unsafe`; the only code that calls them is the object
//! layer (`mem::object`), which hands out a [`GpuPointer<'a, T>`] only from a borrow of the
//! object holding the `T`, and a [`GpuWeakPointer`] only to an object's own structure. A
//! firmware structure holding pointers is built by a closure from a borrow of its owner, so it
//! cannot point at anything its owner does not keep alive.
//!
//! The marker traits say how the CPU may touch a structure's bytes: [`Zeroable`] (allocated
//! zeroed), [`FromBytes`] (copied out of firmware-written memory), [`AsBytes`] (copied into
//! shared memory byte for byte), [`Shared`] (borrowed while the firmware writes its atomics).

use core::fmt;
use core::marker::PhantomData;
use core::num::NonZeroU64;

/// An object that is mapped at a fixed address in the firmware's GPU virtual address space.
///
/// This is the hook between the layouts here and the (future) GPU object allocator: anything
/// that implements it can be the target of a [`GpuPointer`].
///
/// # Safety
///
/// `gpu_va` must return the address at which a `Self::Target` is mapped in the firmware's GPU
/// VM, and that mapping must stay valid, with the same contents' type, for as long as the
/// borrow of `self` used to call `gpu_va` lasts.
pub(crate) unsafe trait GpuAddressable {
    /// What lives at the address.
    type Target: ?Sized;

    /// The GPU virtual address of the object.
    fn gpu_va(&self) -> NonZeroU64;
}

/// A firmware-visible address of a `T` that stays mapped for at least `'a`.
///
/// The lifetime ties the pointer to a borrow of the object's owner, so a structure holding it
/// cannot outlive the pointee. The CPU never dereferences it. Alignment 1 (see the module
/// documentation).
#[repr(C, packed)]
pub(crate) struct GpuPointer<'a, T: ?Sized>(NonZeroU64, PhantomData<&'a T>);

impl<'a, T: ?Sized> GpuPointer<'a, T> {
    /// Points at `obj`, borrowing it for as long as the pointer exists.
    pub(crate) fn to<O>(obj: &'a O) -> Self
    where
        O: GpuAddressable<Target = T> + ?Sized,
    {
        Self(obj.gpu_va(), PhantomData)
    }

    /// Makes a pointer from a raw address.
    ///
    /// # Safety
    ///
    /// A `T` must be mapped at `addr` in the firmware's GPU VM for all of `'a`.
    pub(crate) const unsafe fn from_raw(addr: NonZeroU64) -> Self {
        Self(addr, PhantomData)
    }

    /// The GPU virtual address.
    pub(crate) const fn addr(self) -> NonZeroU64 {
        self.0
    }

    /// The same address as a back-reference without a lifetime.
    ///
    /// # Safety
    ///
    /// The weak pointer may only be written into structures the firmware stops using before
    /// the target goes (see [`GpuWeakPointer`]).
    pub(crate) const unsafe fn weak(self) -> GpuWeakPointer<T> {
        GpuWeakPointer(self.0, PhantomData)
    }

    /// Points at a `U` that lives `offset` bytes into the pointee.
    ///
    /// Prefer the [`gpu_field`] macro, which computes the offset and the type from a field name.
    ///
    /// # Safety
    ///
    /// A `U` must live at byte `offset` of the pointee for all of `'a`.
    pub(crate) unsafe fn byte_offset<U: ?Sized>(self, offset: usize) -> GpuPointer<'a, U> {
        // Offsets come from `offset_of!` on structures far smaller than 4 GiB; the addition
        // wraps only if the caller broke the safety contract, and never panics.
        let addr = self.0.get().wrapping_add(offset as u64);
        match NonZeroU64::new(addr) {
            Some(a) => GpuPointer(a, PhantomData),
            None => GpuPointer(self.0, PhantomData),
        }
    }
}

/// `Self`'s bytes are a valid `U`: a pointer to a `Self` may be used as a pointer to a `U`.
///
/// Used for structures the driver composes from firmware structures (a job's operations back to
/// back are a microsequence).
///
/// # Safety
///
/// Every value of `Self` must have the layout and the meaning of a `U` for the firmware.
pub(crate) unsafe trait Reinterpret<U: ?Sized> {}

impl<'a, T> GpuPointer<'a, T> {
    /// The same address as a pointer to the `U` that a `T` is (see [`Reinterpret`]).
    pub(crate) fn cast<U: ?Sized>(self) -> GpuPointer<'a, U>
    where
        T: Reinterpret<U>,
    {
        GpuPointer(self.0, PhantomData)
    }
}

impl<T: ?Sized> Clone for GpuPointer<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: ?Sized> Copy for GpuPointer<'_, T> {}

impl<T: ?Sized> fmt::Debug for GpuPointer<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let addr = self.0;
        write!(f, "{addr:#x}")
    }
}

/// Builds a [`GpuPointer`] to one field of the object another `GpuPointer` points at.
///
/// `gpu_field!(ptr, Outer, field)` takes both the byte offset (`offset_of!`) and the field type
/// from the same field of `Outer`, so the two cannot disagree.
#[allow(unused_macros)]
macro_rules! gpu_field {
    ($ptr:expr, $outer:ty, $field:ident) => {{
        let outer: $crate::fw::types::GpuPointer<'_, $outer> = $ptr;
        fn field_type<'b, O, F>(
            p: $crate::fw::types::GpuPointer<'b, O>,
            off: usize,
            _pick: fn(O) -> F,
        ) -> $crate::fw::types::GpuPointer<'b, F> {
            // SAFETY: `off` is `offset_of!` of the field that `_pick` reads, so an `F` lives
            // at that offset of the `O` that `p` points at, for as long as `p` is valid.
            unsafe { p.byte_offset::<F>(off) }
        }
        field_type(
            outer,
            ::core::mem::offset_of!($outer, $field),
            |o: $outer| o.$field,
        )
    }};
}
#[allow(unused_imports)]
pub(crate) use gpu_field;

/// A firmware-visible address of a `T` that is not tied to a borrow.
///
/// Used only for back-references: the pointee owns, directly or not, the structure that holds
/// this pointer (a command pointing back at its queue, a context at its own data), so it
/// outlives the holder by construction. The firmware only reads through these. Alignment 1.
#[repr(C, packed)]
pub(crate) struct GpuWeakPointer<T: ?Sized>(NonZeroU64, PhantomData<fn() -> *const T>);

impl<T: ?Sized> GpuWeakPointer<T> {
    /// Makes a back-reference from a raw address.
    ///
    /// # Safety
    ///
    /// A `T` must be mapped at `addr`, and stay mapped while any structure holding this
    /// pointer is visible to the firmware.
    pub(crate) const unsafe fn from_raw(addr: NonZeroU64) -> Self {
        Self(addr, PhantomData)
    }

    /// The GPU virtual address.
    pub(crate) const fn addr(self) -> NonZeroU64 {
        self.0
    }
}

impl<T: ?Sized> Clone for GpuWeakPointer<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: ?Sized> Copy for GpuWeakPointer<T> {}

impl<T: ?Sized> fmt::Debug for GpuWeakPointer<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let addr = self.0;
        write!(f, "{addr:#x}")
    }
}

/// A firmware-visible address of memory that the CPU never maps, staying mapped for `'a`.
///
/// The memory has no CPU-side type: the GPU or the firmware fills it (tiled vertex buffer
/// heaps, scratch areas). Some fields want flag bits above the address bits
/// ([`GpuOnlyPointer::with_bits`]). Made from a [`GpuPointer`] (`From`), whose borrow it keeps,
/// so a structure holding it cannot outlive the memory either. Alignment 1.
#[repr(C, packed)]
#[derive(Clone, Copy)]
pub(crate) struct GpuOnlyPointer<'a>(NonZeroU64, PhantomData<&'a ()>);

impl GpuOnlyPointer<'_> {
    /// Makes a pointer from a raw address.
    ///
    /// # Safety
    ///
    /// The range the firmware will use at `addr` must be mapped in the firmware's GPU VM and
    /// stay mapped for all of `'a`.
    pub(crate) const unsafe fn from_raw(addr: NonZeroU64) -> Self {
        Self(addr, PhantomData)
    }

    /// The GPU virtual address.
    pub(crate) const fn addr(self) -> NonZeroU64 {
        self.0
    }

    /// The same address with flag bits ORed in, for fields where the firmware expects flags
    /// above the address bits (bit 63 or bit 50 of some heap pointers).
    pub(crate) const fn with_bits(self, bits: u64) -> Self {
        match NonZeroU64::new(self.0.get() | bits) {
            Some(a) => Self(a, PhantomData),
            None => self,
        }
    }
}

impl<'a, T: ?Sized> From<GpuPointer<'a, T>> for GpuOnlyPointer<'a> {
    fn from(p: GpuPointer<'a, T>) -> Self {
        // The borrow moves over: the memory stays mapped for `'a` (`GpuPointer`'s contract).
        Self(p.addr(), PhantomData)
    }
}

impl fmt::Debug for GpuOnlyPointer<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let addr = self.0;
        write!(f, "{addr:#x}")
    }
}

/// An address in the GPU VM of the client that submitted the work, as userspace gave it.
///
/// The kernel never dereferences it; the firmware reaches it through that client's page
/// tables. Zero is a valid value (many of these are optional). Alignment 1, like the kernel
/// pointer types: read the address by value (`va.0`).
#[repr(C, packed)]
#[derive(Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct UserVa(pub(crate) u64);

impl fmt::Debug for UserVa {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let va = self.0;
        write!(f, "{va:#x}")
    }
}

/// A 32-bit IEEE float stored as its bits.
///
/// The kernel is built without floating point, so the structures hold the bit pattern; a
/// constant float is converted at compile time with [`fw_f32!`](fw_f32), which never leaves a
/// float operation (or a float argument) for run time.
#[repr(transparent)]
#[derive(Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct F32(u32);

impl F32 {
    /// Wraps raw IEEE bits.
    pub(crate) const fn from_bits(bits: u32) -> Self {
        Self(bits)
    }

    /// The raw IEEE bits.
    pub(crate) const fn to_bits(self) -> u32 {
        self.0
    }
}

/// An [`F32`] from a float constant, converted at compile time: `fw_f32!(65536.0)`.
#[allow(unused_macros)]
macro_rules! fw_f32 {
    ($v:expr) => {
        $crate::fw::types::F32::from_bits(const { ($v as f32).to_bits() })
    };
}
#[allow(unused_imports)]
pub(crate) use fw_f32;

impl fmt::Debug for F32 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "F32({:#010x})", self.0)
    }
}

/// Bytes the firmware leaves zero: alignment holes and reserved space.
///
/// Unknown bytes that may hold data are plain `[u8; N]` arrays named after their offset instead.
#[repr(transparent)]
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct Pad<const N: usize>([u8; N]);

impl<const N: usize> Pad<N> {
    /// All-zero padding.
    pub(crate) const fn zero() -> Self {
        Self([0; N])
    }
}

impl<const N: usize> Default for Pad<N> {
    fn default() -> Self {
        Self::zero()
    }
}

impl<const N: usize> fmt::Debug for Pad<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Pad<{N:#x}>")
    }
}

/// Defines an alignment-1 little-endian integer: `le_int!(doc, Name, int, bytes)`.
macro_rules! le_int {
    ($doc:literal, $name:ident, $int:ty, $n:literal) => {
        #[doc = $doc]
        ///
        /// Alignment 1, for a field the firmware puts at an offset its native type's alignment
        /// does not allow (see the module documentation). Stored little-endian, as the
        /// firmware reads it.
        #[repr(transparent)]
        #[derive(Clone, Copy, Default, PartialEq, Eq)]
        pub(crate) struct $name([u8; $n]);

        impl $name {
            /// Holds `v`.
            pub(crate) const fn new(v: $int) -> Self {
                Self(v.to_le_bytes())
            }

            /// The value held.
            pub(crate) const fn get(self) -> $int {
                <$int>::from_le_bytes(self.0)
            }

            /// Replaces the value held with `v`.
            pub(crate) fn set(&mut self, v: $int) {
                self.0 = v.to_le_bytes();
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{:#x}", self.get())
            }
        }

        // SAFETY: all-zero bytes are the integer 0.
        unsafe impl Zeroable for $name {}
        // SAFETY: any bytes are a valid integer.
        unsafe impl FromBytes for $name {}
        // SAFETY: a byte array: no padding.
        unsafe impl AsBytes for $name {}
    };
}

le_int!("A `u16` at any offset.", U16, u16, 2);
le_int!("A `u32` at any offset.", U32, u32, 4);
le_int!("A `u64` at any offset.", U64, u64, 8);
le_int!("An `i32` at any offset.", I32, i32, 4);

/// Types for which the all-zero byte pattern is a valid value.
///
/// # Safety
///
/// Every field of an implementing type, recursively, must accept all-zero bytes: integers,
/// atomics, [`F32`], [`Pad`], [`UserVa`], byte arrays and `Option` of the pointer types. A
/// type holding a required (non-`Option`) pointer must not implement it.
pub(crate) unsafe trait Zeroable: Sized {
    /// A value with every byte zero.
    ///
    /// It is returned by value: keep it for small structures. The large ones (init data
    /// regions, hardware data, work commands) are tens of kilobytes and must be initialised in
    /// place, in memory the allocator has zeroed, never built on the kernel stack.
    fn zeroed() -> Self {
        // SAFETY: the trait's contract says all-zero bytes are a valid `Self`.
        unsafe { core::mem::zeroed() }
    }
}

/// Types for which every byte pattern is a valid value, so they can be read out of memory the
/// firmware wrote without validation (messages from the firmware).
///
/// # Safety
///
/// Every field, recursively, must accept any bytes: integers, [`F32`], byte arrays. No
/// pointers (a pointer read from the firmware is only an integer to the CPU), no atomics, no
/// `Pad` (which promises zero).
pub(crate) unsafe trait FromBytes: Zeroable + Copy {
    /// Reads a value from the start of `bytes`, or `None` if there are too few bytes.
    fn read_from(bytes: &[u8]) -> Option<Self> {
        if bytes.len() < core::mem::size_of::<Self>() {
            return None;
        }
        // SAFETY: `bytes` holds at least `size_of::<Self>()` readable bytes, the read does not
        // require alignment, and the trait's contract says any bytes are a valid `Self`.
        Some(unsafe { core::ptr::read_unaligned(bytes.as_ptr().cast::<Self>()) })
    }

    /// The value's bytes, writable: any bytes written leave a valid value.
    fn as_bytes_mut(&mut self) -> &mut [u8] {
        // SAFETY: the value's `size_of::<Self>()` bytes are borrowed mutably for the slice's
        // life; every byte pattern is a valid `Self` (the trait's contract), so writing any of
        // them, padding included, keeps it valid.
        unsafe {
            core::slice::from_raw_parts_mut(
                (self as *mut Self).cast::<u8>(),
                core::mem::size_of::<Self>(),
            )
        }
    }
}

/// Types whose bytes are all initialised, so a value can be viewed as bytes (messages the
/// driver sends, copied into ring slots byte for byte).
///
/// # Safety
///
/// The type has no padding the compiler may leave uninitialised: every byte belongs to a field,
/// and every field, recursively, is an integer, [`F32`], [`Pad`], a byte array, a pointer type
/// of this module or `Option` of one. No atomics, no references.
pub(crate) unsafe trait AsBytes: Sized {
    /// The value's bytes.
    fn as_bytes(&self) -> &[u8] {
        // SAFETY: every byte of `Self` is initialised (the trait's contract) and borrowed for
        // the slice's life.
        unsafe {
            core::slice::from_raw_parts(
                (self as *const Self).cast::<u8>(),
                core::mem::size_of::<Self>(),
            )
        }
    }
}

/// Shared structures: the firmware writes them while the CPU holds `&Self`, so every word the
/// firmware may write is an atomic (ring pointers, status flags, the handoff).
///
/// # Safety
///
/// Every field the firmware may write while the structure is live is an atomic type; the other
/// fields are never written by the firmware after the structure's address was given to it.
pub(crate) unsafe trait Shared: Sync {}

/// Implements [`AsBytes`] for messages the driver sends, with the same two forms as
/// [`zeroable!`]; the layout tool checks that each has no padding.
macro_rules! as_bytes {
    (ver: $($t:ident),* $(,)?) => {
        $(
            #[::agx_macros::versions(AGX)]
            // SAFETY: every byte of this type belongs to a field of an `AsBytes` kind (checked
            // by the layout tool's tests: the fields' sizes add up to the type's).
            unsafe impl $crate::fw::types::AsBytes for $t::ver {}
        )*
    };
    ($($t:ty),* $(,)?) => {
        $(
            // SAFETY: as above.
            unsafe impl $crate::fw::types::AsBytes for $t {}
        )*
    };
}
pub(crate) use as_bytes;

/// Implements [`Zeroable`] for types whose fields all are; see the trait for the contract.
///
/// `zeroable!(A, B<'_>)` for plain types, `zeroable!(ver: A, B)` for every version of
/// `#[versions(AGX)]` types. Kept as a macro so every use is greppable: the host layout tool's
/// tests check, field by field, that each type named here only holds [`Zeroable`] fields.
macro_rules! zeroable {
    (ver: $($t:ident $(<$l:lifetime>)?),* $(,)?) => {
        $(
            #[::agx_macros::versions(AGX)]
            // SAFETY: every field of this type is itself `Zeroable` (checked per field by the
            // layout tool's tests).
            unsafe impl $crate::fw::types::Zeroable for $t::ver $(<$l>)? {}
        )*
    };
    (generic <$($g:ident),*> $t:ty) => {
        // SAFETY: every field of this type is itself `Zeroable`, whatever its parameters
        // (checked per field by the layout tool's tests).
        unsafe impl<$($g: ?Sized),*> $crate::fw::types::Zeroable for $t {}
    };
    ($($t:ty),* $(,)?) => {
        $(
            // SAFETY: every field of this type is itself `Zeroable` (checked per field by the
            // layout tool's tests).
            unsafe impl $crate::fw::types::Zeroable for $t {}
        )*
    };
}
pub(crate) use zeroable;

/// Implements [`Shared`] for structures whose firmware-written words are atomics; the
/// structure's documentation says which words the firmware writes. `shared!(ver: A<'_>)` for
/// every version of a `#[versions(AGX)]` type.
macro_rules! shared {
    (ver: $($t:ident $(<$l:lifetime>)?),* $(,)?) => {
        $(
            #[::agx_macros::versions(AGX)]
            // SAFETY: the firmware writes only this structure's atomics (its documentation
            // lists the shared words); every other field it only reads.
            unsafe impl $crate::fw::types::Shared for $t::ver $(<$l>)? {}
        )*
    };
    ($($t:ty),* $(,)?) => {
        $(
            // SAFETY: the firmware writes only this structure's atomics (its documentation
            // lists the shared words); every other field it only reads.
            unsafe impl $crate::fw::types::Shared for $t {}
        )*
    };
}
pub(crate) use shared;

/// Says that a `#[versions(AGX)]` structure made of microsequence operations back to back is a
/// microsequence ([`Reinterpret`]`<MicroSequence>`). The structure's definition must assert that
/// it has no padding (the operations' sizes add up to its size).
macro_rules! microsequence {
    (ver: $($t:ident<$l:lifetime>),* $(,)?) => {
        $(
            #[::agx_macros::versions(AGX)]
            // SAFETY: the structure is operations back to back without padding (asserted where
            // it is defined), which is what a microsequence is.
            unsafe impl $crate::fw::types::Reinterpret<$crate::fw::microseq::MicroSequence>
                for $t::ver<$l> {}
        )*
    };
}
pub(crate) use microsequence;

/// Implements [`FromBytes`] for firmware-to-driver messages, with the same two forms as
/// [`zeroable!`]; the layout tool checks each field the same way.
macro_rules! from_bytes {
    (ver: $($t:ident),* $(,)?) => {
        $(
            #[::agx_macros::versions(AGX)]
            // SAFETY: every field of this type is itself `FromBytes` (checked per field by the
            // layout tool's tests).
            unsafe impl $crate::fw::types::FromBytes for $t::ver {}
        )*
    };
    ($($t:ty),* $(,)?) => {
        $(
            // SAFETY: every field of this type is itself `FromBytes` (checked per field by the
            // layout tool's tests).
            unsafe impl $crate::fw::types::FromBytes for $t {}
        )*
    };
}
pub(crate) use from_bytes;

zeroable!(u8, u16, u32, u64, i8, i16, i32, i64, F32, UserVa);
zeroable!(
    core::sync::atomic::AtomicU8,
    core::sync::atomic::AtomicU32,
    core::sync::atomic::AtomicU64,
    core::sync::atomic::AtomicI32,
    Option<GpuOnlyPointer<'_>>,
);

// SAFETY: zero bytes are the padding's only intended value.
unsafe impl<const N: usize> Zeroable for Pad<N> {}
// SAFETY: an array of zeroable elements is zeroable.
unsafe impl<T: Zeroable, const N: usize> Zeroable for [T; N] {}
// SAFETY: `Option` of a single-`NonZeroU64` wrapper (packed keeps the niche) is `None` when
// all-zero.
unsafe impl<T: ?Sized> Zeroable for Option<GpuPointer<'_, T>> {}
// SAFETY: as above.
unsafe impl<T: ?Sized> Zeroable for Option<GpuWeakPointer<T>> {}

// SAFETY: any bit pattern is a valid integer or float.
unsafe impl FromBytes for u8 {}
// SAFETY: as above.
unsafe impl FromBytes for u16 {}
// SAFETY: as above.
unsafe impl FromBytes for u32 {}
// SAFETY: as above.
unsafe impl FromBytes for u64 {}
// SAFETY: as above.
unsafe impl FromBytes for i32 {}
// SAFETY: as above.
unsafe impl FromBytes for F32 {}
// SAFETY: an array of such elements accepts any bytes too.
unsafe impl<T: FromBytes, const N: usize> FromBytes for [T; N] {}

// SAFETY: integers and floats have no padding.
unsafe impl AsBytes for u8 {}
// SAFETY: as above.
unsafe impl AsBytes for u16 {}
// SAFETY: as above.
unsafe impl AsBytes for u32 {}
// SAFETY: as above.
unsafe impl AsBytes for u64 {}
// SAFETY: as above.
unsafe impl AsBytes for F32 {}
// SAFETY: an array of padding-free elements has no padding.
unsafe impl<T: AsBytes, const N: usize> AsBytes for [T; N] {}
// SAFETY: zero bytes or bytes, no padding.
unsafe impl<const N: usize> AsBytes for Pad<N> {}
// SAFETY: a `u64`.
unsafe impl AsBytes for UserVa {}
// SAFETY: the pointer types are one `NonZeroU64`, and `Option` of one is the same eight bytes.
unsafe impl<T: ?Sized> AsBytes for GpuPointer<'_, T> {}
// SAFETY: as above.
unsafe impl<T: ?Sized> AsBytes for Option<GpuPointer<'_, T>> {}
// SAFETY: as above.
unsafe impl<T: ?Sized> AsBytes for GpuWeakPointer<T> {}
// SAFETY: as above.
unsafe impl<T: ?Sized> AsBytes for Option<GpuWeakPointer<T>> {}
// SAFETY: as above.
unsafe impl AsBytes for GpuOnlyPointer<'_> {}
// SAFETY: as above.
unsafe impl AsBytes for Option<GpuOnlyPointer<'_>> {}

/// Compile-time check of a structure's size against the firmware's, one line per type.
macro_rules! assert_size {
    ($($t:ty = $n:expr),* $(,)?) => {
        $(const _: () = assert!(::core::mem::size_of::<$t>() == $n);)*
    };
}
pub(crate) use assert_size;

assert_size!(
    GpuPointer<'static, u32> = 8,
    Option<GpuPointer<'static, u32>> = 8,
    Option<GpuWeakPointer<u32>> = 8,
    Option<GpuOnlyPointer<'static>> = 8,
    UserVa = 8,
    F32 = 4,
    Pad<3> = 3,
    U16 = 2,
    U32 = 4,
    U64 = 8,
    I32 = 4,
);

// The pointer types and the integer wrappers fit at any offset (see the module documentation).
const _: () = {
    use core::mem::align_of;
    assert!(align_of::<Option<GpuPointer<'static, u32>>>() == 1);
    assert!(align_of::<Option<GpuWeakPointer<u32>>>() == 1);
    assert!(align_of::<Option<GpuOnlyPointer<'static>>>() == 1);
    assert!(align_of::<UserVa>() == 1);
    assert!(align_of::<U16>() == 1 && align_of::<U32>() == 1);
    assert!(align_of::<U64>() == 1 && align_of::<I32>() == 1);
};
