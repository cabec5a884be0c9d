//! The orders service's internal HTTP API, as the catalog's reservation
//! sweeper calls it: which order ids name an order that still holds its
//! stock (wire types in `contracts::order_lookup`).

use std::collections::HashMap;

use anyhow::Context;
use contracts::order_lookup::{MAX_LOOKUP_IDS, OrderLookupRequest, OrderLookupResponse, PATH};
use platform::internal::{PEER_TIMEOUT, Peer};

#[derive(Clone)]
pub struct OrdersClient {
    orders: Peer,
}

impl OrdersClient {
    pub fn new(base: &str, token: &str) -> anyhow::Result<Self> {
        Ok(Self {
            orders: Peer::new("orders", base, Some(token.to_owned()), PEER_TIMEOUT)?,
        })
    }

    /// For each of `order_ids` that names an order, whether that order
    /// still holds its stock; ids without an order are absent. Any answer
    /// but a well-formed 200 is an error, never an empty map: the caller
    /// releases what is absent.
    pub async fn holds_stock(&self, order_ids: &[String]) -> anyhow::Result<HashMap<String, bool>> {
        let mut known = HashMap::with_capacity(order_ids.len());
        for chunk in order_ids.chunks(MAX_LOOKUP_IDS) {
            let answer: OrderLookupResponse = self
                .orders
                .post(PATH)
                .json(&OrderLookupRequest {
                    order_ids: chunk.to_vec(),
                })
                .send()
                .await
                .context("asking the orders service about orders")?
                .error_for_status()
                .context("the orders service refused the order lookup")?
                .json()
                .await
                .context("reading the orders service's order lookup")?;
            known.extend(
                answer
                    .orders
                    .into_iter()
                    .map(|order| (order.order_id, order.holds_stock)),
            );
        }
        Ok(known)
    }
}
