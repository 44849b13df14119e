//! Tandem's integration tests: one binary (see tests/src/lib.rs for the builders).

mod bundle;
mod cli;
mod desktop;
mod e2e;
mod journal;
mod layering;
mod live;
mod peer;
mod search;
mod share;
mod summary;
mod upgrade;
