//! The error body of the catalog's internal API: a stable code, and the
//! SKU at fault when there is one.

use serde::{Deserialize, Serialize};

/// Not enough stock for a line (409); `sku_id` names it.
pub const OUT_OF_STOCK: &str = "OUT_OF_STOCK";
/// No such SKU on sale (404); `sku_id` names it.
pub const UNKNOWN_SKU: &str = "UNKNOWN_SKU";
pub const NOT_FOUND: &str = "NOT_FOUND";
pub const BAD_REQUEST: &str = "BAD_REQUEST";
/// A failure inside the catalog, masked for the caller (500).
pub const INTERNAL: &str = "INTERNAL";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiError {
    pub code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::golden::assert_wire;

    #[test]
    fn an_error_leaves_out_what_it_does_not_know() {
        assert_wire(
            &ApiError {
                code: OUT_OF_STOCK.into(),
                sku_id: Some("s-1".into()),
                message: None,
            },
            r#"{"code":"OUT_OF_STOCK","skuId":"s-1"}"#,
        );
        assert_wire(
            &ApiError {
                code: BAD_REQUEST.into(),
                sku_id: None,
                message: Some("limit is 1 to 500".into()),
            },
            r#"{"code":"BAD_REQUEST","message":"limit is 1 to 500"}"#,
        );
    }
}
