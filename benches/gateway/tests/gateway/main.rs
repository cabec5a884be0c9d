//! The gateway benchmark's subgraphs behind our router, everything over
//! HTTP; the checked-in SDL and supergraph config they compose from, and
//! the case's de-duplication-off router configs; the subgraphs that
//! remember their answers answer as the ones that execute each request.

mod helpers;

mod configs;
mod deep_query;
mod remembered;
mod sdl;
