//! The users service through its own HTTP port, on every engine switched
//! on (SQLite always, PostgreSQL with TEST_DATABASE_URL).

mod addresses;
mod admin;
mod entities;
mod helpers;
mod internal;
mod login_throttle;
mod sdl;
mod sessions;
mod tokens;
