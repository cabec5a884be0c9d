//! The orders service through its real interfaces (GraphQL over HTTP and
//! WebSocket, the payment callback), against a real catalog service, on the
//! backends switched on: embedded by default; PostgreSQL, Redis and
//! RabbitMQ under TEST_DATABASE_URL, TEST_REDIS_URL and TEST_AMQP_URL.

mod broker_cut;
mod cart;
// The catalog's own way of creating its data, shared with its tests.
#[path = "../../../catalog/tests/api/catalog_admin.rs"]
mod catalog_admin;
mod checkout;
mod concurrency;
mod flash_counter_loss;
mod flash_sale;
mod helpers;
mod lifecycle;
mod metrics;
mod payments;
mod reservation_lease;
mod saved_address;
mod sdl;
mod timeouts;
