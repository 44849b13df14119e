//! One module per screen; the pair page has one module per card (`pair/`).

pub mod library;
pub mod new_pair;
pub mod pair;
pub mod summary;
