//! `stock.changed`: the catalog announces a product whose stock changed in a
//! way the search index sees, i.e. whether it is in stock (some active SKU
//! with stock above zero). Small on purpose: a reservation writes only a
//! marker for the product in its transaction, and the catalog's announcer
//! turns the markers into these after commit, one per product however many
//! changes it coalesced, with the product's stock as it is when announced.
//! A change that leaves every SKU on the same side of zero (10 → 9) is not
//! announced: nothing the index holds depends on it.

use serde::{Deserialize, Serialize};

pub const TOPIC: &str = "stock.changed";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StockChanged {
    pub product_id: String,
    /// Whether some active SKU of the product has stock.
    pub in_stock: bool,
    /// The product's active SKUs and their available stock.
    #[serde(default)]
    pub skus: Vec<SkuStock>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SkuStock {
    pub sku_id: String,
    pub stock: i64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::golden::assert_wire;

    pub fn sold_out() -> StockChanged {
        StockChanged {
            product_id: "p-1".into(),
            in_stock: false,
            skus: vec![
                SkuStock {
                    sku_id: "s-1".into(),
                    stock: 0,
                },
                SkuStock {
                    sku_id: "s-2".into(),
                    stock: 0,
                },
            ],
        }
    }

    #[test]
    fn a_stock_change_pins_its_wire_form() {
        assert_eq!(TOPIC, "stock.changed");
        assert_wire(
            &sold_out(),
            r#"{"productId":"p-1","inStock":false,
                "skus":[{"skuId":"s-1","stock":0},{"skuId":"s-2","stock":0}]}"#,
        );
        let read: StockChanged =
            serde_json::from_str(r#"{"productId":"p-1","inStock":true}"#).expect("reads");
        assert!(read.in_stock && read.skus.is_empty());
    }

    /// What the producer writes as an event payload is what the consumer
    /// reads back.
    #[test]
    fn a_stock_change_round_trips_through_an_event_payload() {
        let payload = serde_json::to_value(sold_out()).expect("serialises");
        let read: StockChanged = serde_json::from_value(payload).expect("reads");
        assert_eq!(read, sold_out());
    }
}
