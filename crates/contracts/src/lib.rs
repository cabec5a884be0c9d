//! What crosses a service boundary, defined once: the bodies of the
//! services' internal HTTP APIs and the payloads of the events they
//! publish. The producer serialises these types and the consumer
//! deserialises the same types, so the two sides cannot drift apart; each
//! type's tests pin its JSON against a golden sample, so a renamed field
//! breaks a test instead of a peer.
//!
//! Internal HTTP APIs (every request carries the shared `INTERNAL_TOKEN` in
//! `x-internal-token`, `platform::internal::INTERNAL_TOKEN_HEADER`):
//! - catalog, for orders: [`stock`] (reserve, release), [`flash_sale`],
//!   [`sku`]; its error body is [`error::ApiError`];
//! - catalog, for search: [`product`] (the product documents it indexes);
//! - orders, for the catalog's reservation sweeper: [`order_lookup`];
//! - users, for orders' checkout: [`address`].
//!
//! Events (the broker's topics and their payloads): [`events`].

pub mod address;
pub mod amount;
pub mod error;
pub mod events;
pub mod flash_sale;
pub mod order_lookup;
pub mod product;
pub mod sku;
pub mod stock;

pub use amount::Amount;

#[cfg(test)]
pub(crate) mod golden {
    //! The check every contract's tests make.

    use serde::{Serialize, de::DeserializeOwned};

    /// `value` serialises to exactly the JSON of `golden` (field names,
    /// casing, nulls and absent fields alike), and `golden` reads back as
    /// `value`.
    pub fn assert_wire<T>(value: &T, golden: &str)
    where
        T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug,
    {
        let golden_json: serde_json::Value = serde_json::from_str(golden).expect("golden JSON");
        assert_eq!(
            serde_json::to_value(value).expect("serialises"),
            golden_json,
            "the wire form changed"
        );
        let read: T = serde_json::from_str(golden).expect("the golden sample reads");
        assert_eq!(&read, value, "the golden sample reads differently");
    }
}
