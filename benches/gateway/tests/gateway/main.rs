//! The gateway benchmark's subgraphs behind our router, everything over
//! HTTP, and the checked-in SDL and supergraph config they compose from.

mod helpers;

mod deep_query;
mod sdl;
