//! The wire types of the orders service's internal HTTP API, which the
//! catalog calls (it is not part of the public graph). Every request
//! carries the header `x-internal-token` with the shared `INTERNAL_TOKEN`.
//!
//! - `POST /internal/orders/lookup` [`OrderLookupRequest`] → 200
//!   [`OrderLookupResponse`]; 400 `{"code":"BAD_REQUEST","message":…}` for
//!   more than [`MAX_LOOKUP_IDS`] ids or a body that does not parse. The
//!   catalog's reservation sweeper asks it which old reservations still
//!   belong to an order.

use serde::{Deserialize, Serialize};

/// The most order ids one lookup may ask about.
pub const MAX_LOOKUP_IDS: usize = 500;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderLookupRequest {
    pub order_ids: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLookupResponse {
    /// The asked orders that exist, in no particular order; an asked id
    /// missing here has no order.
    pub orders: Vec<KnownOrder>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KnownOrder {
    pub order_id: String,
    /// False once the order was cancelled or refunded: its stock is owed
    /// back to the catalog (and released by this service, or the sweeper).
    pub holds_stock: bool,
}
