//! Naming one document of a library: its kind and its id. Below everything else in the crate (the
//! library, keys, peers and the sync service all name documents this way).

use tandem_core::Kind;

/// One document of the library: its kind and its id (a ULID; private notes share their pair's).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocId {
    pub kind: Kind,
    pub id: String,
}

impl DocId {
    pub fn new(kind: Kind, id: impl Into<String>) -> DocId {
        DocId {
            kind,
            id: id.into(),
        }
    }

    pub fn pair(id: impl Into<String>) -> DocId {
        DocId::new(Kind::Pair, id)
    }
}

impl std::fmt::Display for DocId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.kind, self.id)
    }
}
