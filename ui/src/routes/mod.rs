//! One module per screen.

pub mod journal;
pub mod library;
pub mod new_pair;
pub mod pair;
pub mod summary;
