//! What every document kind shares: the one text encoding, a new document, lookups of the objects
//! operations write into, and what an edit needs from outside ([`Ctx`]) and returns ([`Applied`]).

use automerge::{AutoCommit, ObjId, ObjType, ReadDoc, TextEncoding, Value};
use chrono::{DateTime, SecondsFormat, Utc};

use crate::error::OpError;

/// What an edit needs from outside the document: the time, and a fresh id for anything it creates.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub now: DateTime<Utc>,
    pub new_id: String,
}

/// What an edit did: the id it created, if any, and the words for the history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub created: Option<String>,
    pub message: String,
}

/// A time as stored in documents: RFC 3339, UTC, whole seconds.
pub fn stamp(now: DateTime<Utc>) -> String {
    now.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Text positions everywhere in Tandem count Unicode code points, on every platform. (Automerge's
/// platform default differs between native and wasm builds, which would make a splice from the UI
/// land in a different place than intended.)
pub fn text_encoding() -> TextEncoding {
    TextEncoding::UnicodeCodePoint
}

/// The bytes of an actor id that name the device: its first 16. A device writes each run with an
/// actor of its own (the device's 16 bytes, then 8 random ones), so a library restored from a
/// backup never reuses a (actor, sequence number) its partners already saw; the pair records
/// which person a device is by the device's part alone.
pub const DEVICE_ACTOR_LEN: usize = 16;

/// Hex of the device part of `actor` (see [`DEVICE_ACTOR_LEN`]); an actor of 16 bytes or fewer
/// (older Tandems wrote one per device) is all device.
pub fn device_hex(actor: &automerge::ActorId) -> String {
    let bytes = actor.to_bytes();
    automerge::ActorId::from(&bytes[..bytes.len().min(DEVICE_ACTOR_LEN)]).to_hex_string()
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
