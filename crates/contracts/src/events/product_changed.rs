//! `product.changed`: the catalog announces a product whose indexed fields
//! changed (name, prices, status, category path, sales), with the
//! whole [`ProductDocument`] as the payload, the same document
//! `GET /internal/products` pages through. (A change of stock alone is
//! [`super::stock_changed`].)

pub use crate::product::ProductDocument;

pub const TOPIC: &str = "product.changed";

#[cfg(test)]
mod tests {
    use super::{ProductDocument, TOPIC};
    use crate::product::tests::{SHOE, shoe};

    #[test]
    fn product_changed_carries_the_product_document() {
        assert_eq!(TOPIC, "product.changed");
        let payload: serde_json::Value = serde_json::from_str(SHOE).unwrap();
        let read: ProductDocument = serde_json::from_value(payload).unwrap();
        assert_eq!(read, shoe());
    }
}
