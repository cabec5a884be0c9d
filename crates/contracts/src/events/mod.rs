//! The events services publish on the broker: each topic (the routing key,
//! as producer and consumers spell it) and its payload, the JSON `payload`
//! of `platform::events::Event`.
//!
//! | topic | producer | payload | consumers |
//! | --- | --- | --- | --- |
//! | `product.changed` | catalog | [`product_changed`] | search (the index) |
//! | `stock.changed` | catalog (coalesced, after commit) | [`stock_changed::StockChanged`] | search (the index's in-stock flag) |
//! | `order.*` ([`order`]) | orders | [`order::OrderEvent`] | catalog (sales counts: `order.paid`, `order.refunded`), orders (stock release: `order.cancelled`, `order.refunded`, `order.returned`) |
//! | `order.payment_timeout` | orders (delayed) | [`payment_timeout::PaymentTimeout`] | orders |
//! | `payment.refund_required` | orders | [`refund_required::RefundRequired`] | orders |
//!
//! (The orders service's queue of admitted flash-sale orders,
//! `orders.flash_admitted.<namespace>`, carries its own checkout draft from
//! a replica to another of the same deployment; it crosses no service
//! boundary and stays in the orders crate.)

pub mod order;
pub mod payment_timeout;
pub mod product_changed;
pub mod refund_required;
pub mod stock_changed;
