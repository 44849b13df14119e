//! The pair: one Automerge document per mentor–mentee pair, with its schema, form inputs and their
//! rules, the edits people make and the operations that write them, the agreed schedule as a date
//! rule, and the view the window draws.

pub mod check;
pub mod conflicts;
pub mod edit;
pub mod input;
pub mod ops;
pub mod read;
pub mod schedule;
pub mod schema;
pub mod validate;
pub mod view;

pub use edit::{
    BarEdit, Edit, FeedbackEdit, GoalEdit, LifecycleEdit, ResolveConflict, ScheduleEdit,
    SessionEdit,
};
pub use read::actor_names;
pub use schema::{PairDoc, SCHEMA_VERSION};
pub use view::PairView;

/// The pair as a document kind (`library.view::<Pair>(id)`; see [`crate::kind::Document`]).
#[derive(Debug, Clone, Copy)]
pub struct Pair;
