//! The `shopgraph` binary's library: the whole platform in one process
//! (`stack`) and the command line (`cli`), kept out of `main.rs` so the
//! end-to-end tests start exactly what `cargo run` starts.

pub mod cli;
pub mod stack;
