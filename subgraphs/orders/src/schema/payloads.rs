//! Mutation payloads: the result, or typed business errors.

use async_graphql::SimpleObject;
use platform::gql::UserError;

use super::{
    cart::Cart,
    order::{OrderNode, Payment},
    placement::OrderPlacement,
};
use crate::service::error::OrderResult;

#[derive(SimpleObject)]
pub struct OrderPayload {
    pub order: Option<OrderNode>,
    pub errors: Vec<UserError>,
}

impl OrderPayload {
    pub fn from_result(result: OrderResult<OrderNode>) -> async_graphql::Result<Self> {
        Ok(match result {
            Ok(order) => Self {
                order: Some(order),
                errors: Vec::new(),
            },
            Err(error) => Self {
                order: None,
                errors: vec![error.into_user_error()?],
            },
        })
    }
}

#[derive(SimpleObject)]
pub struct PlaceOrderPayload {
    /// The stored order; null while a flash-sale order is queued.
    pub order: Option<OrderNode>,
    /// Where the checkout stands: `PLACED`, or `QUEUED` for a flash-sale
    /// order (follow it with `orderPlacement`).
    pub placement: Option<OrderPlacement>,
    pub errors: Vec<UserError>,
}

#[derive(SimpleObject)]
pub struct PaymentPayload {
    pub payment: Option<Payment>,
    pub errors: Vec<UserError>,
}

#[derive(SimpleObject)]
pub struct CartPayload {
    pub cart: Option<Cart>,
    pub errors: Vec<UserError>,
}

#[derive(SimpleObject)]
pub struct FlashSaleRepair {
    pub sale_id: async_graphql::ID,
    pub remaining_before: i32,
    pub remaining_after: i32,
}
