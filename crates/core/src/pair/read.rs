//! Reading a pair's document without changing it: the whole document typed, its id, whether this
//! version can read it, who this device is in it, and who wrote with which actor.

use std::collections::BTreeMap;

use automerge::{AutoCommit, ObjType, ROOT};
use autosurgeon::hydrate_prop;

use super::schema::{PairDoc, Person, SCHEMA_VERSION};
use crate::doc::require;
use crate::error::OpError;

/// Reads the whole document into its typed form.
pub fn hydrate(doc: &AutoCommit) -> Result<PairDoc, OpError> {
    check_version(doc)?;
    Ok(autosurgeon::hydrate(doc)?)
}

/// The pair's id, read without hydrating the whole document (taking in a 5-year pair from the
/// partner checks it before anything else). Read even from a newer schema's pair.
pub fn pair_id(doc: &AutoCommit) -> Result<String, OpError> {
    let pair = require(doc, &ROOT, "pair", ObjType::Map, "pair")?;
    let id: Option<String> = hydrate_prop(doc, &pair, "id")?;
    id.ok_or_else(|| OpError::Malformed("the pair has no id".into()))
}

/// Refuses documents from a newer schema rather than misreading them.
pub fn check_version(doc: &AutoCommit) -> Result<(), OpError> {
    let v: Option<i64> = hydrate_prop(doc, ROOT, "schema_version")?;
    match v {
        Some(v) if v > SCHEMA_VERSION => Err(OpError::NewerSchema(v)),
        Some(_) => Ok(()),
        None => Err(OpError::Malformed("it has no schema_version".into())),
    }
}

/// The person this document's actor (this device) acts as, if it has joined.
pub fn me(doc: &AutoCommit) -> Result<Option<String>, OpError> {
    let actors: Option<BTreeMap<String, String>> = hydrate_prop(doc, ROOT, "actors")?;
    let actor = crate::doc::device_hex(doc.get_actor());
    Ok(actors.and_then(|a| a.get(&actor).cloned()))
}

pub(crate) fn require_me(doc: &AutoCommit) -> Result<String, OpError> {
    me(doc)?.ok_or(OpError::NotMember)
}

/// Actor (hex) → the name of the person who writes with it, from the pair's `actors` and
/// `people`: who wrote which change, for the history and the conflicts.
pub fn actor_names(doc: &AutoCommit) -> Result<BTreeMap<String, String>, OpError> {
    let actors: BTreeMap<String, String> =
        autosurgeon::hydrate_prop::<_, Option<_>, _, _>(doc, &ROOT, "actors")?.unwrap_or_default();
    let people: BTreeMap<String, Person> =
        autosurgeon::hydrate_prop::<_, Option<_>, _, _>(doc, &ROOT, "people")?.unwrap_or_default();
    Ok(actors
        .into_iter()
        .filter_map(|(actor, person)| people.get(&person).map(|p| (actor, p.name.clone())))
        .collect())
}
