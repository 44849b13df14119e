//! The kinds of document a library keeps. Every kind is one Automerge document per id with a
//! schema, operations and a view in its own module of core; the library on disk, the shared
//! folder, peer sessions and keys (tandem-sync) treat every kind alike. This module is where the
//! kinds meet: adding one is a variant of [`Kind`], its arms below, its [`DocView`] variant and its
//! [`Document`] impl at the end (the kind's own module never refers back here).

use std::collections::BTreeMap;

use automerge::AutoCommit;
use serde::{Deserialize, Serialize};

use crate::doc::{Applied, Ctx};
use crate::error::OpError;
use crate::pair::{Edit, Pair, PairView};
use crate::private::{Private, PrivateEdit, PrivateView};

/// What a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A mentor–mentee pair: sessions, goals, schedule, feedback (synced with the partner).
    Pair,
    /// One person's private notes on a pair (never leaves this device).
    Private,
}

impl Kind {
    pub const ALL: &'static [Kind] = &[Kind::Pair, Kind::Private];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Pair => "pair",
            Kind::Private => "private",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.iter().copied().find(|k| k.as_str() == s)
    }

    /// The library's folder for documents of this kind (`<home>/<folder>/<id>/`).
    pub fn folder(self) -> &'static str {
        match self {
            Kind::Pair => "pairs",
            Kind::Private => "private",
        }
    }

    /// Whether documents of this kind leave this device (through a shared folder or to a peer).
    pub fn synced(self) -> bool {
        match self {
            Kind::Pair => true,
            Kind::Private => false,
        }
    }

    /// The kind of document a document of this kind belongs to, whose id it shares: private notes
    /// exist only beside their pair.
    pub fn belongs_to(self) -> Option<Kind> {
        match self {
            Kind::Pair => None,
            Kind::Private => Some(Kind::Pair),
        }
    }

    /// The keychain service a synced document's key is filed under (the entry's user is its id).
    pub fn key_service(self) -> &'static str {
        match self {
            Kind::Pair => "tandem-pair-key",
            Kind::Private => "tandem-private-key",
        }
    }

    /// Refuses a document this version cannot read (a newer schema) rather than misreading it.
    pub fn check(self, doc: &AutoCommit) -> Result<(), OpError> {
        match self {
            Kind::Pair => crate::pair::read::check_version(doc),
            Kind::Private => crate::private::check_version(doc),
        }
    }

    /// Whether the changes since `before` leave the document readable here (a batch from another
    /// device is refused otherwise); a newer schema passes (the document is then read-only).
    pub fn check_changes(
        self,
        doc: &mut AutoCommit,
        before: &[automerge::ChangeHash],
    ) -> Result<(), OpError> {
        match self {
            Kind::Pair => crate::pair::check::check_touched(doc, before),
            Kind::Private => crate::private::view_of(doc).map(drop),
        }
    }

    /// Brings `view` (the document's view at `before`) up to date for the changes since then
    /// without deriving it again, when the kind can tell they only typed text; false when the
    /// view must be derived again.
    pub fn patch_view(
        self,
        doc: &mut AutoCommit,
        before: &[automerge::ChangeHash],
        view: &mut DocView,
    ) -> bool {
        match (self, view) {
            (Kind::Pair, DocView::Pair(v)) => crate::pair::view::patch_typing(doc, before, v),
            _ => false,
        }
    }

    /// Whether this version can open the document at all: a newer schema opens read-only, a
    /// document without the kind's mark does not open.
    pub fn opens(self, doc: &AutoCommit) -> Result<(), OpError> {
        match self.check(doc) {
            Err(OpError::NewerSchema(_)) => Ok(()),
            other => other,
        }
    }

    /// The view of a document of this kind.
    pub fn view(self, doc: &AutoCommit) -> Result<DocView, OpError> {
        Ok(match self {
            Kind::Pair => DocView::Pair(Box::new(crate::pair::view::view_of(doc)?)),
            Kind::Private => DocView::Private(crate::private::view_of(doc)?),
        })
    }

    /// A view cached as JSON by [`DocView::to_json`], if it still reads as this kind's. (Inside
    /// a larger JSON value, use the kind as a [`serde::de::DeserializeSeed`].)
    pub fn decode_view(self, json: &[u8]) -> Option<DocView> {
        use serde::de::DeserializeSeed as _;
        self.deserialize(&mut serde_json::Deserializer::from_slice(json))
            .ok()
    }

    /// The id a document says it has, read without hydrating it whole (a document received from
    /// elsewhere is checked against the id it was asked for).
    pub fn id_in(self, doc: &AutoCommit) -> Result<Option<String>, OpError> {
        match self {
            Kind::Pair => crate::pair::read::pair_id(doc).map(Some),
            Kind::Private => Ok(None),
        }
    }

    /// Records that this device (its actor) acts as `member` of the document: a new device joining
    /// with an invite that names the person.
    pub fn register(self, doc: &mut AutoCommit, member: &str) -> Result<(), OpError> {
        match self {
            Kind::Pair => crate::pair::ops::register_device(doc, member),
            Kind::Private => Err(OpError::NotMember),
        }
    }

    /// `view` as it reads once this device is registered as `member` ([`Kind::register`]):
    /// registering writes only the actor → person entry, which a view shows only as "me".
    pub fn registered(self, view: &mut DocView, member: &str) {
        if let DocView::Pair(v) = view {
            v.me = Some(member.to_string());
        }
    }

    /// Actor (hex) → the name of the person who writes with it, for the history.
    pub fn authors(self, doc: &AutoCommit) -> Result<BTreeMap<String, String>, OpError> {
        match self {
            Kind::Pair => crate::pair::actor_names(doc),
            Kind::Private => Ok(BTreeMap::new()),
        }
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Reads the view of a document of this kind, where it stands in a larger value (the library's
/// cache file), in one pass.
impl<'de> serde::de::DeserializeSeed<'de> for Kind {
    type Value = DocView;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<DocView, D::Error> {
        Ok(match self {
            Kind::Pair => DocView::Pair(Box::new(PairView::deserialize(d)?)),
            Kind::Private => DocView::Private(PrivateView::deserialize(d)?),
        })
    }
}

/// The view of a document of any kind, as the library caches it.
#[derive(Debug, Clone, PartialEq)]
pub enum DocView {
    Pair(Box<PairView>),
    Private(PrivateView),
}

impl DocView {
    /// The cache's JSON: the kind's own view, so a cache written before kinds existed still reads.
    pub fn to_json(&self) -> Vec<u8> {
        match self {
            DocView::Pair(v) => serde_json::to_vec(v),
            DocView::Private(v) => serde_json::to_vec(v),
        }
        .unwrap_or_default()
    }

    /// What a listing of the library shows of this document, cached beside its view so listing
    /// does not read every view whole; `None` for a kind that is not listed.
    pub fn card(&self) -> Option<serde_json::Value> {
        match self {
            DocView::Pair(v) => serde_json::to_value(v.card()).ok(),
            DocView::Private(_) => None,
        }
    }
}

/// A kind of document as a type: its view, its edits and how they apply. The library's typed
/// calls (`view::<Pair>`, `apply::<Pair>`) go through this.
pub trait Document {
    const KIND: Kind;
    type View: Clone;
    type Edit;

    /// This kind's view, taken out of a [`DocView`] (no copy).
    fn into_view(v: DocView) -> Option<Self::View>;

    /// Applies one edit (validated first; nothing is written when it fails).
    fn apply(doc: &mut AutoCommit, edit: &Self::Edit, ctx: &Ctx) -> Result<Applied, OpError>;

    /// Writes what a new, empty document of this kind needs before its first edit, for kinds a
    /// device creates by itself on first use (private notes). Other kinds are created whole by
    /// their own operation and refuse this.
    fn init(_doc: &mut AutoCommit) -> Result<(), OpError> {
        Err(OpError::NotFound("document"))
    }

    /// The words a person finds the document by (a pair's title), if any.
    fn title(_view: &Self::View) -> Option<&str> {
        None
    }
}

impl Document for Pair {
    const KIND: Kind = Kind::Pair;
    type View = PairView;
    type Edit = Edit;

    fn into_view(v: DocView) -> Option<PairView> {
        match v {
            DocView::Pair(p) => Some(*p),
            DocView::Private(_) => None,
        }
    }

    fn apply(doc: &mut AutoCommit, edit: &Edit, ctx: &Ctx) -> Result<Applied, OpError> {
        crate::pair::ops::apply(doc, edit, ctx)
    }

    fn title(view: &PairView) -> Option<&str> {
        Some(&view.title)
    }
}

impl Document for Private {
    const KIND: Kind = Kind::Private;
    type View = PrivateView;
    type Edit = PrivateEdit;

    fn into_view(v: DocView) -> Option<PrivateView> {
        match v {
            DocView::Private(p) => Some(p),
            DocView::Pair(_) => None,
        }
    }

    fn apply(doc: &mut AutoCommit, edit: &PrivateEdit, _ctx: &Ctx) -> Result<Applied, OpError> {
        crate::private::apply(doc, edit)
    }

    fn init(doc: &mut AutoCommit) -> Result<(), OpError> {
        crate::private::init(doc)
    }
}
