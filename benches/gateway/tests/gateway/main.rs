//! The gateway benchmark's subgraphs behind our router, everything over
//! HTTP; the checked-in SDL and supergraph config they compose from, and
//! the case's de-duplication-off router configs.

mod helpers;

mod configs;
mod deep_query;
mod sdl;
