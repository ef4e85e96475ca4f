//! A `serde` serializer writing QEMU-format JSON straight into a buffer.
//!
//! In [`KeyOrder::QDict`] mode each object's members are written to the
//! output as they come, remembered by position, and put in QDict order
//! when the object ends (nested objects are already final by then), so
//! no intermediate tree is built.

use std::fmt;

use serde::ser::{self, Impossible, Serialize};

use super::number::{write_double, write_i64, write_u64};
use super::qdict::bucket;
use super::strings::write_quoted;
use super::writer::{KeyOrder, WriteOptions, close, separator};

/// Error from [`Serializer`]: a map key that is not a string, or an
/// error raised by a `Serialize` implementation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SerError {
    msg: String,
}

impl SerError {
    /// The error message.
    pub fn message(&self) -> &str {
        &self.msg
    }

    fn key_must_be_a_string() -> SerError {
        SerError {
            msg: "key must be a string".to_owned(),
        }
    }
}

impl fmt::Display for SerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.msg)
    }
}

impl std::error::Error for SerError {}

impl ser::Error for SerError {
    fn custom<T: fmt::Display>(msg: T) -> SerError {
        SerError {
            msg: msg.to_string(),
        }
    }
}

/// One member of an object being collected in QDict mode; positions are
/// absolute offsets in the output buffer.
#[derive(Clone, Copy, Debug)]
struct Pending {
    bucket: u32,
    seq: u32,
    key_start: usize,
    key_end: usize,
    val_end: usize,
}

/// Serializes any `T: Serialize` as QEMU-format JSON into a `Vec<u8>`.
///
/// Mapping of the serde data model (as `serde_json`): `None`, unit and
/// unit structs are `null`; newtype structs are their content; unit
/// variants are strings; other variants are `{"variant": content}`;
/// sequences, tuples and bytes are arrays; maps and structs are objects
/// (keys must be strings). Floats are printed like `%.17g` (an `f32` is
/// widened to `f64` first), including `inf` and `nan` as QEMU does.
pub struct Serializer<'o> {
    out: &'o mut Vec<u8>,
    opts: WriteOptions,
    depth: usize,
    pending: Vec<Pending>,
    scratch: Vec<u8>,
}

impl<'o> Serializer<'o> {
    /// A serializer appending to `out`. After an error `out` holds a
    /// partial value ([`serialize_into`] undoes it).
    pub fn new(out: &'o mut Vec<u8>, opts: WriteOptions) -> Serializer<'o> {
        Serializer {
            out,
            opts,
            depth: 0,
            pending: Vec::new(),
            scratch: Vec::new(),
        }
    }

    fn begin_variant(&mut self, variant: &str) {
        self.out.push(b'{');
        self.depth += 1;
        separator(self.out, self.opts.pretty, true, self.depth);
        write_quoted(self.out, variant);
        self.out.extend_from_slice(b": ");
    }

    fn end_variant(&mut self) {
        self.depth -= 1;
        close(self.out, self.opts.pretty, self.depth, b'}');
    }

    fn open_array(&mut self, wrapped: bool) -> Compound<'_, 'o> {
        self.out.push(b'[');
        self.depth += 1;
        Compound {
            ser: self,
            first: true,
            is_array: true,
            buffered: false,
            start: 0,
            base: 0,
            wrapped,
        }
    }

    fn open_object(&mut self, wrapped: bool) -> Compound<'_, 'o> {
        self.depth += 1;
        let buffered = self.opts.key_order == KeyOrder::QDict;
        if !buffered {
            self.out.push(b'{');
        }
        let start = self.out.len();
        let base = self.pending.len();
        Compound {
            ser: self,
            first: true,
            is_array: false,
            buffered,
            start,
            base,
            wrapped,
        }
    }
}

/// Serializes `value` into a new buffer.
pub fn to_vec<T: ?Sized + Serialize>(value: &T, opts: &WriteOptions) -> Result<Vec<u8>, SerError> {
    let mut out = Vec::with_capacity(128);
    serialize_into(value, &mut out, opts)?;
    Ok(out)
}

/// Serializes `value` into a new `String` (the output is always ASCII).
pub fn to_string<T: ?Sized + Serialize>(
    value: &T,
    opts: &WriteOptions,
) -> Result<String, SerError> {
    let out = to_vec(value, opts)?;
    Ok(out.iter().map(|&b| char::from(b)).collect())
}

/// Appends `value` to `out`; on error `out` is left as it was.
pub fn serialize_into<T: ?Sized + Serialize>(
    value: &T,
    out: &mut Vec<u8>,
    opts: &WriteOptions,
) -> Result<(), SerError> {
    let len = out.len();
    let mut ser = Serializer::new(out, *opts);
    let r = value.serialize(&mut ser);
    if r.is_err() {
        out.truncate(len);
    }
    r
}

impl<'a, 'o> ser::Serializer for &'a mut Serializer<'o> {
    type Ok = ();
    type Error = SerError;
    type SerializeSeq = Compound<'a, 'o>;
    type SerializeTuple = Compound<'a, 'o>;
    type SerializeTupleStruct = Compound<'a, 'o>;
    type SerializeTupleVariant = Compound<'a, 'o>;
    type SerializeMap = Compound<'a, 'o>;
    type SerializeStruct = Compound<'a, 'o>;
    type SerializeStructVariant = Compound<'a, 'o>;

    fn serialize_bool(self, v: bool) -> Result<(), SerError> {
        self.out
            .extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), SerError> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i16(self, v: i16) -> Result<(), SerError> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i32(self, v: i32) -> Result<(), SerError> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i64(self, v: i64) -> Result<(), SerError> {
        write_i64(self.out, v);
        Ok(())
    }
    fn serialize_i128(self, v: i128) -> Result<(), SerError> {
        match i64::try_from(v) {
            Ok(i) => write_i64(self.out, i),
            Err(_) => self.out.extend_from_slice(v.to_string().as_bytes()),
        }
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<(), SerError> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u16(self, v: u16) -> Result<(), SerError> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u32(self, v: u32) -> Result<(), SerError> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u64(self, v: u64) -> Result<(), SerError> {
        write_u64(self.out, v);
        Ok(())
    }
    fn serialize_u128(self, v: u128) -> Result<(), SerError> {
        match u64::try_from(v) {
            Ok(u) => write_u64(self.out, u),
            Err(_) => self.out.extend_from_slice(v.to_string().as_bytes()),
        }
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result<(), SerError> {
        write_double(self.out, f64::from(v));
        Ok(())
    }
    fn serialize_f64(self, v: f64) -> Result<(), SerError> {
        write_double(self.out, v);
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), SerError> {
        let mut buf = [0u8; 4];
        write_quoted(self.out, v.encode_utf8(&mut buf));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), SerError> {
        write_quoted(self.out, v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), SerError> {
        use ser::SerializeSeq;
        let mut seq = self.serialize_seq(Some(v.len()))?;
        for b in v {
            seq.serialize_element(b)?;
        }
        seq.end()
    }
    fn serialize_none(self) -> Result<(), SerError> {
        self.serialize_unit()
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<(), SerError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), SerError> {
        self.out.extend_from_slice(b"null");
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), SerError> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), SerError> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), SerError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), SerError> {
        self.begin_variant(variant);
        value.serialize(&mut *self)?;
        self.end_variant();
        Ok(())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'a, 'o>, SerError> {
        Ok(self.open_array(false))
    }
    fn serialize_tuple(self, _len: usize) -> Result<Compound<'a, 'o>, SerError> {
        Ok(self.open_array(false))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Compound<'a, 'o>, SerError> {
        Ok(self.open_array(false))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a, 'o>, SerError> {
        self.begin_variant(variant);
        Ok(self.open_array(true))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'a, 'o>, SerError> {
        Ok(self.open_object(false))
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Compound<'a, 'o>, SerError> {
        Ok(self.open_object(false))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a, 'o>, SerError> {
        self.begin_variant(variant);
        Ok(self.open_object(true))
    }
}

/// The state of an array or object being serialized.
pub struct Compound<'a, 'o> {
    ser: &'a mut Serializer<'o>,
    first: bool,
    is_array: bool,
    /// QDict mode object: members are collected, then sorted at the end.
    buffered: bool,
    /// Buffered: where the collected member bytes begin in the output.
    start: usize,
    /// Buffered: where this object's members begin in `ser.pending`.
    base: usize,
    /// Inside a `{"variant": …}` wrapper to close as well.
    wrapped: bool,
}

impl Compound<'_, '_> {
    fn element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), SerError> {
        let ser = &mut *self.ser;
        separator(ser.out, ser.opts.pretty, self.first, ser.depth);
        self.first = false;
        value.serialize(&mut *self.ser)
    }

    fn key_str(&mut self, key: &str) {
        let ser = &mut *self.ser;
        if self.buffered {
            let key_start = ser.out.len();
            write_quoted(ser.out, key);
            let key_end = ser.out.len();
            let seq = (ser.pending.len() - self.base) as u32;
            ser.pending.push(Pending {
                bucket: bucket(key),
                seq,
                key_start,
                key_end,
                val_end: key_end,
            });
        } else {
            separator(ser.out, ser.opts.pretty, self.first, ser.depth);
            self.first = false;
            write_quoted(ser.out, key);
            ser.out.extend_from_slice(b": ");
        }
    }

    fn key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), SerError> {
        let ser = &mut *self.ser;
        if self.buffered {
            let key_start = ser.out.len();
            let bucket = key.serialize(MapKeySerializer {
                out: &mut *ser.out,
                want_bucket: true,
            })?;
            let key_end = ser.out.len();
            let seq = (ser.pending.len() - self.base) as u32;
            ser.pending.push(Pending {
                bucket,
                seq,
                key_start,
                key_end,
                val_end: key_end,
            });
        } else {
            separator(ser.out, ser.opts.pretty, self.first, ser.depth);
            self.first = false;
            key.serialize(MapKeySerializer {
                out: &mut *ser.out,
                want_bucket: false,
            })?;
            ser.out.extend_from_slice(b": ");
        }
        Ok(())
    }

    fn value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), SerError> {
        value.serialize(&mut *self.ser)?;
        if self.buffered {
            let end = self.ser.out.len();
            if let Some(p) = self.ser.pending.last_mut() {
                p.val_end = end;
            }
        }
        Ok(())
    }

    fn finish(self) -> Result<(), SerError> {
        let ser = self.ser;
        if self.buffered {
            finish_buffered(ser, self.start, self.base);
        } else {
            ser.depth -= 1;
            close(
                ser.out,
                ser.opts.pretty,
                ser.depth,
                if self.is_array { b']' } else { b'}' },
            );
        }
        if self.wrapped {
            ser.end_variant();
        }
        Ok(())
    }
}

/// Rewrites the members collected since `start` as a QDict-ordered object.
fn finish_buffered(ser: &mut Serializer<'_>, start: usize, base: usize) {
    let Serializer {
        out,
        opts,
        depth,
        pending,
        scratch,
    } = ser;
    let entries = &mut pending[base..];
    entries.sort_unstable_by(|a, b| a.bucket.cmp(&b.bucket).then(b.seq.cmp(&a.seq)));
    scratch.clear();
    scratch.extend_from_slice(&out[start..]);
    out.truncate(start);
    out.push(b'{');
    let key_of = |e: &Pending| &scratch[e.key_start - start..e.key_end - start];
    let mut first = true;
    let mut group_start = 0;
    for n in 0..entries.len() {
        let e = entries[n];
        if n > 0 && entries[n - 1].bucket != e.bucket {
            group_start = n;
        }
        // Keys that are inserted again keep their first place and take
        // the last value (QDict replaces in place). Entries of a bucket
        // are sorted newest first, so skip all but the oldest insertion.
        let key = key_of(&e);
        if entries[n + 1..]
            .iter()
            .take_while(|x| x.bucket == e.bucket)
            .any(|x| key_of(x) == key)
        {
            continue;
        }
        let newest = entries[group_start..n]
            .iter()
            .find(|x| key_of(x) == key)
            .copied()
            .unwrap_or(e);
        separator(out, opts.pretty, first, *depth);
        first = false;
        out.extend_from_slice(key);
        out.extend_from_slice(b": ");
        out.extend_from_slice(&scratch[newest.key_end - start..newest.val_end - start]);
    }
    *depth -= 1;
    close(out, opts.pretty, *depth, b'}');
    pending.truncate(base);
}

impl ser::SerializeSeq for Compound<'_, '_> {
    type Ok = ();
    type Error = SerError;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), SerError> {
        self.element(value)
    }
    fn end(self) -> Result<(), SerError> {
        self.finish()
    }
}

impl ser::SerializeTuple for Compound<'_, '_> {
    type Ok = ();
    type Error = SerError;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), SerError> {
        self.element(value)
    }
    fn end(self) -> Result<(), SerError> {
        self.finish()
    }
}

impl ser::SerializeTupleStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = SerError;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), SerError> {
        self.element(value)
    }
    fn end(self) -> Result<(), SerError> {
        self.finish()
    }
}

impl ser::SerializeTupleVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = SerError;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), SerError> {
        self.element(value)
    }
    fn end(self) -> Result<(), SerError> {
        self.finish()
    }
}

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = SerError;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), SerError> {
        self.key(key)
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), SerError> {
        self.value(value)
    }
    fn end(self) -> Result<(), SerError> {
        self.finish()
    }
}

impl ser::SerializeStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = SerError;
    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), SerError> {
        self.key_str(key);
        self.value(value)
    }
    fn end(self) -> Result<(), SerError> {
        self.finish()
    }
}

impl ser::SerializeStructVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = SerError;
    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), SerError> {
        self.key_str(key);
        self.value(value)
    }
    fn end(self) -> Result<(), SerError> {
        self.finish()
    }
}

/// Writes a map key (a string, char, unit variant, or a newtype around
/// one); returns its QDict bucket when asked.
struct MapKeySerializer<'b> {
    out: &'b mut Vec<u8>,
    want_bucket: bool,
}

impl MapKeySerializer<'_> {
    fn key(self, s: &str) -> Result<u32, SerError> {
        write_quoted(self.out, s);
        Ok(if self.want_bucket { bucket(s) } else { 0 })
    }
}

macro_rules! reject_key {
    ($($f:ident($t:ty)),* $(,)?) => {$(
        fn $f(self, _v: $t) -> Result<u32, SerError> {
            Err(SerError::key_must_be_a_string())
        }
    )*};
}

impl ser::Serializer for MapKeySerializer<'_> {
    type Ok = u32;
    type Error = SerError;
    type SerializeSeq = Impossible<u32, SerError>;
    type SerializeTuple = Impossible<u32, SerError>;
    type SerializeTupleStruct = Impossible<u32, SerError>;
    type SerializeTupleVariant = Impossible<u32, SerError>;
    type SerializeMap = Impossible<u32, SerError>;
    type SerializeStruct = Impossible<u32, SerError>;
    type SerializeStructVariant = Impossible<u32, SerError>;

    fn serialize_str(self, v: &str) -> Result<u32, SerError> {
        self.key(v)
    }
    fn serialize_char(self, v: char) -> Result<u32, SerError> {
        let mut buf = [0u8; 4];
        self.key(v.encode_utf8(&mut buf))
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<u32, SerError> {
        self.key(variant)
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<u32, SerError> {
        value.serialize(self)
    }

    reject_key!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_i128(i128),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_u128(u128),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_bytes(&[u8]),
        serialize_unit_struct(&'static str),
    );

    fn serialize_none(self) -> Result<u32, SerError> {
        Err(SerError::key_must_be_a_string())
    }
    fn serialize_some<T: ?Sized + Serialize>(self, _value: &T) -> Result<u32, SerError> {
        Err(SerError::key_must_be_a_string())
    }
    fn serialize_unit(self) -> Result<u32, SerError> {
        Err(SerError::key_must_be_a_string())
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<u32, SerError> {
        Err(SerError::key_must_be_a_string())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, SerError> {
        Err(SerError::key_must_be_a_string())
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, SerError> {
        Err(SerError::key_must_be_a_string())
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, SerError> {
        Err(SerError::key_must_be_a_string())
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, SerError> {
        Err(SerError::key_must_be_a_string())
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, SerError> {
        Err(SerError::key_must_be_a_string())
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, SerError> {
        Err(SerError::key_must_be_a_string())
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, SerError> {
        Err(SerError::key_must_be_a_string())
    }
}
