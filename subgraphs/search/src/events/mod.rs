//! What the search service consumes: the catalog's `product.changed` and
//! `stock.changed`. It publishes nothing (it owns no state others follow).
//! What a change does to the index is the service's (`service::indexing`);
//! this module knows the topics, the queue and the payloads.

pub mod product_changed;
pub mod stock_changed;

use contracts::events::{
    product_changed::TOPIC as PRODUCT_CHANGED, stock_changed::TOPIC as STOCK_CHANGED,
};
use platform::events::{Broker, Handler, Subscription};

/// The topics of the index's queue.
pub const TOPICS: [&str; 2] = [PRODUCT_CHANGED, STOCK_CHANGED];

/// Consumes the catalog's product events with `handle` until the
/// subscription drops, from the durable queue `<namespace>.product-changed`
/// that the service's replicas share. Both topics share the one queue, so
/// they reach the index in the order the catalog published them.
pub async fn subscribe(
    broker: &dyn Broker,
    namespace: &str,
    handle: Handler,
) -> anyhow::Result<Subscription> {
    broker
        .subscribe(&format!("{namespace}.product-changed"), &TOPICS, handle)
        .await
}
