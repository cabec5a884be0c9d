//! The catalog's `stock.changed` events: a product whose in-stock state may
//! have changed. They arrive on the same queue as `product.changed`
//! (`super::subscribe`), in the order the catalog published them;
//! `service::indexing` applies them, once each.

use anyhow::Context;
use contracts::events::stock_changed::StockChanged;
use serde::Deserialize;
use serde_json::Value;

/// Reads a payload: `contracts::events::stock_changed::StockChanged`.
pub fn parse(payload: &Value) -> anyhow::Result<StockChanged> {
    StockChanged::deserialize(payload).context("not a stock.changed payload")
}

#[cfg(test)]
mod tests {
    use contracts::events::stock_changed::{SkuStock, StockChanged};

    use super::parse;

    /// What the catalog writes is what search reads.
    #[test]
    fn the_catalogs_stock_change_reads_back() {
        let written = StockChanged {
            product_id: "p1".into(),
            in_stock: false,
            skus: vec![SkuStock {
                sku_id: "s1".into(),
                stock: 0,
            }],
        };
        let payload = serde_json::to_value(&written).unwrap();
        assert_eq!(parse(&payload).unwrap(), written);
        assert!(parse(&serde_json::json!({ "id": "p1" })).is_err());
    }
}
