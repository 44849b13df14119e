//! Creating and reading raw pair documents: the one text encoding, and lookups of the objects that
//! operations write into.

use automerge::{AutoCommit, ObjId, ObjType, ReadDoc, TextEncoding, Value};

use crate::ops::OpError;

/// Text positions everywhere in Tandem count Unicode code points, on every platform. (Automerge's
/// platform default differs between native and wasm builds, which would make a splice from the UI
/// land in a different place than intended.)
pub fn text_encoding() -> TextEncoding {
    TextEncoding::UnicodeCodePoint
}

/// An empty document with Tandem's text encoding. Give it the device's actor before editing.
pub fn new_document() -> AutoCommit {
    AutoCommit::new_with_encoding(text_encoding())
}

/// The object at `obj[key]`, which must be of type `ty`.
pub(crate) fn child(
    doc: &AutoCommit,
    obj: &ObjId,
    key: &str,
    ty: ObjType,
) -> Result<Option<ObjId>, OpError> {
    match doc.get(obj, key)? {
        Some((Value::Object(found), id)) if found == ty => Ok(Some(id)),
        Some(_) => Err(OpError::Malformed(format!("{key} is not a {ty:?}"))),
        None => Ok(None),
    }
}

/// Like [`child`], but a missing object is an error naming what was looked for.
pub(crate) fn require(
    doc: &AutoCommit,
    obj: &ObjId,
    key: &str,
    ty: ObjType,
    what: &'static str,
) -> Result<ObjId, OpError> {
    child(doc, obj, key, ty)?.ok_or(OpError::NotFound(what))
}
