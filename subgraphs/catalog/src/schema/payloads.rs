//! Mutation payloads: the result, or typed `errors` (nothing written).

use async_graphql::SimpleObject;
use platform::gql::UserError;

use super::{
    category::CategoryNode, flash_sale::FlashSaleNode, product::ProductNode, review::ReviewNode,
    sku::SkuNode,
};
use crate::service::error::CatalogError;

/// Declares a payload type with one optional result field.
macro_rules! payload {
    ($name:ident, $field:ident, $ty:ty) => {
        #[derive(SimpleObject)]
        pub struct $name {
            pub $field: Option<$ty>,
            pub errors: Vec<UserError>,
        }

        impl $name {
            pub fn ok(value: $ty) -> Self {
                Self {
                    $field: Some(value),
                    errors: Vec::new(),
                }
            }

            /// The payload of a failure (an internal one is a GraphQL error).
            pub fn failed(error: impl Into<CatalogError>) -> async_graphql::Result<Self> {
                Ok(Self {
                    $field: None,
                    errors: vec![error.into().into_user_error()?],
                })
            }
        }
    };
}

payload!(ProductPayload, product, ProductNode);
payload!(SkuPayload, sku, SkuNode);
payload!(CategoryPayload, category, CategoryNode);
payload!(ReviewPayload, review, ReviewNode);
payload!(FlashSalePayload, flash_sale, FlashSaleNode);

#[derive(SimpleObject)]
pub struct FavoritePayload {
    /// Whether the product is a favorite after the call.
    pub favorited: bool,
    pub product: Option<ProductNode>,
    pub errors: Vec<UserError>,
}

/// Turns a `Result` of a store call into its payload.
pub fn respond<T, P>(
    result: Result<T, CatalogError>,
    ok: impl FnOnce(T) -> P,
    failed: impl FnOnce(CatalogError) -> async_graphql::Result<P>,
) -> async_graphql::Result<P> {
    match result {
        Ok(value) => Ok(ok(value)),
        Err(error) => failed(error),
    }
}
