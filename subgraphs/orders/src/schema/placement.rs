//! Where a checkout stands. A normal checkout is stored when `placeOrder`
//! returns; a flash-sale checkout is admitted and queued, then stored
//! shortly after by the placement consumer (or it fails, and its units go
//! back to the sale). `orderPlacement` follows it.

use async_graphql::{Context, Enum, ID, Object, Result, SimpleObject};
use platform::gql::{UserError, internal};

use super::{order::OrderNode, orders_ctx, signed_in};
use crate::store::{flash::TicketState, orders};

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum PlacementStatus {
    /// Admitted; the order is being stored.
    Queued,
    /// The order is stored (see `order`).
    Placed,
    /// The order could not be stored (see `error`); nothing was bought.
    Failed,
}

#[derive(SimpleObject)]
pub struct OrderPlacement {
    /// The id the order has, or will have once stored.
    pub order_id: ID,
    pub status: PlacementStatus,
    /// The stored order, once `PLACED`.
    pub order: Option<OrderNode>,
    /// Why it `FAILED`.
    pub error: Option<UserError>,
}

impl OrderPlacement {
    pub fn placed(order: OrderNode) -> Self {
        Self {
            order_id: ID(order.0.order_id.clone()),
            status: PlacementStatus::Placed,
            order: Some(order),
            error: None,
        }
    }

    pub fn queued(order_id: String) -> Self {
        Self {
            order_id: ID(order_id),
            status: PlacementStatus::Queued,
            order: None,
            error: None,
        }
    }
}

#[derive(Default)]
pub struct PlacementQuery;

#[Object]
impl PlacementQuery {
    /// Where the checkout of order `orderId` stands: the caller's own
    /// checkouts (any for an administrator); null for an unknown id.
    #[graphql(directive = platform::federation::authenticated::apply())]
    async fn order_placement(
        &self,
        ctx: &Context<'_>,
        order_id: ID,
    ) -> Result<Option<OrderPlacement>> {
        let viewer = signed_in(ctx)?;
        let service = orders_ctx(ctx)?;
        let visible = |user_id: &str| user_id == viewer.user_id || viewer.is_admin();
        if let Some(order) = orders::find(service.db.pool(), &order_id)
            .await
            .map_err(internal)?
        {
            return Ok(visible(&order.user_id).then(|| OrderPlacement::placed(OrderNode(order))));
        }
        let ticket = service.flash.ticket(&order_id).await.map_err(internal)?;
        Ok(ticket
            .filter(|t| visible(&t.user_id))
            .map(|ticket| match ticket.state {
                // Placed but not found above: stored a moment ago, after
                // the lookup; the next ask finds it.
                TicketState::Queued | TicketState::Claimed | TicketState::Placed => {
                    OrderPlacement::queued(order_id.0)
                }
                TicketState::Failed { code, message } => OrderPlacement {
                    order_id,
                    status: PlacementStatus::Failed,
                    order: None,
                    error: Some(UserError::new(&code, None, message)),
                },
            }))
    }
}
