//! The encoding the determinism digest is taken over: a value's `Serialize` output written as a
//! stream of tokens (a tag byte before every value, integers as 64-bit words, strings and bytes
//! with their length first) and fed straight into the platform-stable hasher. `derive(Hash)`
//! would be shorter, but the standard library does not promise that its output stays the same
//! across Rust versions; the serde data model is the format's own, and this encoding of it is
//! fixed here (the tests below spell it out byte by byte).
//!
//! Every value starts with its tag, and a sequence, map or struct ends with `END`, so no two
//! different values give the same stream. Struct field names and variant names are left out:
//! fields come in declaration order and variants by index, which is also what keeps this cheap
//! enough to run on every event.

use core::fmt;
use core::hash::Hasher;

use serde::ser::{self, Serialize};

use crate::hash::StableHasher;

/// What the encoding writes: tags, 64-bit words and byte strings. The hasher folds each word in
/// one step; a byte buffer (the tests) keeps the words as 8 little-endian bytes.
pub trait Sink {
    fn tag(&mut self, tag: u8);
    fn word(&mut self, word: u64);
    fn bytes(&mut self, bytes: &[u8]);
}

impl Sink for StableHasher {
    fn tag(&mut self, tag: u8) {
        self.write_u8(tag);
    }
    fn word(&mut self, word: u64) {
        self.write_u64(word);
    }
    fn bytes(&mut self, bytes: &[u8]) {
        self.write_u64(bytes.len() as u64);
        self.write(bytes);
    }
}

impl Sink for alloc::vec::Vec<u8> {
    fn tag(&mut self, tag: u8) {
        self.push(tag);
    }
    fn word(&mut self, word: u64) {
        self.extend_from_slice(&word.to_le_bytes());
    }
    fn bytes(&mut self, bytes: &[u8]) {
        self.word(bytes.len() as u64);
        self.extend_from_slice(bytes);
    }
}

/// The tags. Unsigned integers of every width are one kind (`U64`), and so are signed ones:
/// widening a field's integer type does not change the digest of the values it holds.
pub mod tag {
    pub const FALSE: u8 = 0x01;
    pub const TRUE: u8 = 0x02;
    pub const U64: u8 = 0x03;
    pub const I64: u8 = 0x04;
    /// 128-bit integers: the low word, then the high word.
    pub const U128: u8 = 0x05;
    pub const I128: u8 = 0x06;
    /// The IEEE-754 bits of an f64 (an f32 is widened first).
    pub const F64: u8 = 0x07;
    pub const CHAR: u8 = 0x08;
    pub const STR: u8 = 0x09;
    pub const BYTES: u8 = 0x0a;
    pub const NONE: u8 = 0x0b;
    pub const SOME: u8 = 0x0c;
    /// `()`, a unit struct.
    pub const UNIT: u8 = 0x0d;
    /// A unit variant: its index follows as a word.
    pub const VARIANT: u8 = 0x0e;
    /// A newtype, tuple or struct variant: its index, then its content.
    pub const VARIANT_WITH: u8 = 0x0f;
    /// A sequence or tuple of values, up to `END`.
    pub const SEQ: u8 = 0x10;
    /// Key, value, key, value…, up to `END`.
    pub const MAP: u8 = 0x11;
    /// Fields in declaration order, up to `END`.
    pub const STRUCT: u8 = 0x12;
    pub const END: u8 = 0x13;
}

/// Folds `value`'s encoding into a running digest.
pub fn fold<T: Serialize + ?Sized>(digest: u64, value: &T) -> u64 {
    let mut h = StableHasher::with_state(digest);
    encode(value, &mut h);
    h.finish()
}

/// Writes `value`'s encoding into `sink`. The encoding itself never fails; a `Serialize` impl
/// that reports an error of its own ends the value there (none of the core's types does).
pub fn encode<T: Serialize + ?Sized, S: Sink>(value: &T, sink: &mut S) {
    let _ = value.serialize(&mut Encoder(sink));
}

struct Encoder<'a, S>(&'a mut S);

/// A `Serialize` impl's own error (`serde::ser::Error::custom`).
#[derive(Debug)]
pub struct Refused;

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the value refused to serialize")
    }
}

impl ser::StdError for Refused {}

impl ser::Error for Refused {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Refused
    }
}

type Done = Result<(), Refused>;

impl<S: Sink> Encoder<'_, S> {
    fn word(&mut self, tag: u8, word: u64) -> Done {
        self.0.tag(tag);
        self.0.word(word);
        Ok(())
    }
    fn open(&mut self, tag: u8) -> Result<&mut Self, Refused> {
        self.0.tag(tag);
        Ok(self)
    }
    fn variant(&mut self, index: u32) -> Result<&mut Self, Refused> {
        self.word(tag::VARIANT_WITH, u64::from(index))?;
        Ok(self)
    }
}

impl<S: Sink> ser::Serializer for &mut Encoder<'_, S> {
    type Ok = ();
    type Error = Refused;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn serialize_bool(self, v: bool) -> Done {
        self.0.tag(if v { tag::TRUE } else { tag::FALSE });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Done {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i16(self, v: i16) -> Done {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i32(self, v: i32) -> Done {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i64(self, v: i64) -> Done {
        self.word(tag::I64, v as u64)
    }
    fn serialize_i128(self, v: i128) -> Done {
        self.word(tag::I128, v as u64)?;
        self.0.word((v >> 64) as u64);
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Done {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u16(self, v: u16) -> Done {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u32(self, v: u32) -> Done {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u64(self, v: u64) -> Done {
        self.word(tag::U64, v)
    }
    fn serialize_u128(self, v: u128) -> Done {
        self.word(tag::U128, v as u64)?;
        self.0.word((v >> 64) as u64);
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Done {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Done {
        self.word(tag::F64, v.to_bits())
    }
    fn serialize_char(self, v: char) -> Done {
        self.word(tag::CHAR, u64::from(u32::from(v)))
    }
    fn serialize_str(self, v: &str) -> Done {
        self.0.tag(tag::STR);
        self.0.bytes(v.as_bytes());
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Done {
        self.0.tag(tag::BYTES);
        self.0.bytes(v);
        Ok(())
    }
    fn serialize_none(self) -> Done {
        self.0.tag(tag::NONE);
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Done {
        self.0.tag(tag::SOME);
        value.serialize(self)
    }
    fn serialize_unit(self) -> Done {
        self.0.tag(tag::UNIT);
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Done {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _name: &'static str, index: u32, _v: &'static str) -> Done {
        self.word(tag::VARIANT, u64::from(index))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Done {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        index: u32,
        _variant: &'static str,
        value: &T,
    ) -> Done {
        value.serialize(self.variant(index)?)
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self, Refused> {
        self.open(tag::SEQ)
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self, Refused> {
        self.open(tag::SEQ)
    }
    fn serialize_tuple_struct(self, _name: &'static str, _len: usize) -> Result<Self, Refused> {
        self.open(tag::SEQ)
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self, Refused> {
        self.variant(index)?.open(tag::SEQ)
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self, Refused> {
        self.open(tag::MAP)
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Self, Refused> {
        self.open(tag::STRUCT)
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self, Refused> {
        self.variant(index)?.open(tag::STRUCT)
    }
    fn collect_str<T: fmt::Display + ?Sized>(self, value: &T) -> Done {
        self.serialize_str(&alloc::format!("{value}"))
    }
}

impl<S: Sink> Encoder<'_, S> {
    fn end(&mut self) -> Done {
        self.0.tag(tag::END);
        Ok(())
    }
}

// Every compound writes its members in order and closes with `END`; the six serde traits
// differ only in their method names and whether a field comes with its (unwritten) name.
macro_rules! compound {
    ($($trait:ident :: $method:ident),*) => {$(
        impl<S: Sink> ser::$trait for &mut Encoder<'_, S> {
            type Ok = ();
            type Error = Refused;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
                value.serialize(&mut **self)
            }
            fn end(self) -> Done {
                Encoder::end(self)
            }
        }
    )*};
}
compound!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

macro_rules! named_fields {
    ($($trait:ident),*) => {$(
        impl<S: Sink> ser::$trait for &mut Encoder<'_, S> {
            type Ok = ();
            type Error = Refused;
            fn serialize_field<T: Serialize + ?Sized>(&mut self, _key: &'static str, value: &T) -> Done {
                value.serialize(&mut **self)
            }
            fn end(self) -> Done {
                Encoder::end(self)
            }
        }
    )*};
}
named_fields!(SerializeStruct, SerializeStructVariant);

impl<S: Sink> ser::SerializeMap for &mut Encoder<'_, S> {
    type Ok = ();
    type Error = Refused;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Done {
        key.serialize(&mut **self)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        value.serialize(&mut **self)
    }
    fn end(self) -> Done {
        Encoder::end(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::String;
    use alloc::vec;
    use alloc::vec::Vec;
    use serde::Serialize;

    #[derive(Serialize)]
    enum Kind {
        Quiet,
        Moved { from: u8, to: u8 },
        Named(String),
    }

    #[derive(Serialize)]
    struct Sample {
        at: u64,
        flags: Vec<bool>,
        note: Option<&'static str>,
        kind: Kind,
        delta: i32,
    }

    fn bytes<T: Serialize>(value: &T) -> Vec<u8> {
        let mut out = Vec::new();
        encode(value, &mut out);
        out
    }

    #[test]
    fn a_struct_is_its_fields_in_order_each_tagged() {
        let v = Sample {
            at: 0x0102,
            flags: vec![true, false],
            note: Some("hi"),
            kind: Kind::Quiet,
            delta: -2,
        };
        #[rustfmt::skip]
        let want = [
            0x12, // struct
            0x03, 0x02, 0x01, 0, 0, 0, 0, 0, 0, // at: u64 0x0102
            0x10, 0x02, 0x01, 0x13, // flags: [true, false]
            0x0c, 0x09, 2, 0, 0, 0, 0, 0, 0, 0, b'h', b'i', // note: Some("hi")
            0x0e, 0, 0, 0, 0, 0, 0, 0, 0, // kind: variant 0
            0x04, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, // delta: -2 as i64
            0x13, // end
        ];
        assert_eq!(bytes(&v), want);
    }

    #[test]
    fn variants_carry_their_index_and_content() {
        #[rustfmt::skip]
        let moved = [
            0x0f, 1, 0, 0, 0, 0, 0, 0, 0, // variant 1, with content
            0x12, 0x03, 3, 0, 0, 0, 0, 0, 0, 0, 0x03, 4, 0, 0, 0, 0, 0, 0, 0, 0x13,
        ];
        assert_eq!(bytes(&Kind::Moved { from: 3, to: 4 }), moved);
        #[rustfmt::skip]
        let named = [
            0x0f, 2, 0, 0, 0, 0, 0, 0, 0,
            0x09, 1, 0, 0, 0, 0, 0, 0, 0, b'x',
        ];
        assert_eq!(bytes(&Kind::Named("x".into())), named);
        assert_eq!(bytes(&None::<u8>), [0x0b]);
    }

    #[test]
    fn the_digest_folds_the_same_tokens_into_the_stable_hasher() {
        let mut h = StableHasher::with_state(7);
        h.write_u8(tag::SEQ);
        h.write_u8(tag::U64);
        h.write_u64(5);
        h.write_u8(tag::STR);
        h.write_u64(2);
        h.write(b"ab");
        h.write_u8(tag::END);
        assert_eq!(fold(7, &(5u32, "ab")), h.finish());
    }
}
