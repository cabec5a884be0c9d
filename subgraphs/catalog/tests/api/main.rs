//! The catalog's API tests: each spawns the App on port 0 against a fresh
//! database (SQLite, or PostgreSQL under TEST_DATABASE_URL; Redis under
//! TEST_REDIS_URL) and talks HTTP to it.

mod admin;
mod browse;
mod cache_outage;
mod catalog_admin;
mod concurrency;
mod entities;
mod events;
mod helpers;
mod internal_stock;
mod known_ids;
mod metrics;
mod reviews_favorites;
mod sdl;
mod seed;
mod statements;
