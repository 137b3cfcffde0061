//! Deserialisation of internally tagged enums (`{"family": "forest", ...}`) without serde's
//! `#[serde(tag = ...)]`, which buffers the whole value into serde's private `Content` tree
//! and then deserialises every variant a second time from it: in the browser build that
//! second copy of the model, calibrator, pipeline and schema deserialisers cost about
//! 40 KB of code (docs/decisions.md, D12). The JSON shape is unchanged: serialisation keeps
//! the derived `#[serde(tag = ...)]` form.
//!
//! Two forms, both streaming:
//! - [`deserialize_tag_first!`]: the tag must be the object's first field (serde always writes
//!   it first), and the rest of the object is handed to the variant's own deserialiser. Used
//!   for the model, whose variants have many fields.
//! - A flat "repr" struct with the tag and every variant's fields as options, converted by
//!   the enum (`ColumnKind`, `Calibrator`, `Encoding`, `Strategy`): any field order, as with
//!   serde's tagged enums, for types that also appear in hand-written JSON (schemas).

use serde::de::{self, MapAccess};

/// Reads the first entry of an object, which must be `tag`, and returns the tag's value.
pub(crate) fn first_tag<'de, A: MapAccess<'de>>(
    map: &mut A,
    tag: &'static str,
) -> Result<String, A::Error> {
    match map.next_key::<String>()? {
        Some(k) if k == tag => map.next_value::<String>(),
        Some(k) => Err(de::Error::custom(format_args!(
            "expected `{tag}` as the first field, found `{k}`"
        ))),
        None => Err(de::Error::missing_field(tag)),
    }
}

/// Implements `Deserialize` for an internally tagged enum whose tag comes first:
/// `deserialize_tag_first!(Type, "tag", |tag_value, rest| { ... })`, where `rest` is a
/// deserialiser over the object's remaining fields.
macro_rules! deserialize_tag_first {
    ($ty:ident, $tag:literal, |$name:ident, $rest:ident| $body:block) => {
        impl<'de> ::serde::Deserialize<'de> for $ty {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                d: D,
            ) -> ::std::result::Result<Self, D::Error> {
                struct V;
                impl<'de> ::serde::de::Visitor<'de> for V {
                    type Value = $ty;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter) -> ::std::fmt::Result {
                        f.write_str(concat!("an object with `", $tag, "` as its first field"))
                    }
                    fn visit_map<A: ::serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> ::std::result::Result<$ty, A::Error> {
                        let $name = $crate::core::tagged::first_tag(&mut map, $tag)?;
                        let $rest = ::serde::de::value::MapAccessDeserializer::new(map);
                        $body
                    }
                }
                d.deserialize_map(V)
            }
        }
    };
}
pub(crate) use deserialize_tag_first;
