//! `orderStatusChanged`: every transition of one order, as it happens, to
//! its buyer or an administrator. Changes arrive through the fan-out, so a
//! transition made by any replica reaches subscribers on every replica.
//!
//! The first message is the order's status when the subscription started
//! (`previousStatus: null`): the client learns where the order stands, and
//! that the subscription is live, without racing a separate query.

use async_graphql::{Context, ID, Result, SimpleObject, Subscription as GqlSubscription};
use futures::{Stream, StreamExt};
use platform::gql::{ErrorCode, internal};

use super::{order::OrderStatus, orders_ctx, signed_in};
use crate::{
    domain,
    events::{StatusChange, status_channel},
    store::orders,
};

#[derive(SimpleObject, Clone)]
pub struct OrderStatusChange {
    pub order_id: ID,
    pub status: OrderStatus,
    /// Null on the first message, which reports the status at subscription.
    pub previous_status: Option<OrderStatus>,
    /// Milliseconds since the Unix epoch.
    pub changed_at: i64,
}

impl OrderStatusChange {
    fn from_wire(change: StatusChange) -> Option<Self> {
        Some(Self {
            order_id: ID(change.order_id),
            status: domain::OrderStatus::parse(&change.status)?.into(),
            previous_status: Some(domain::OrderStatus::parse(&change.previous_status)?.into()),
            changed_at: change.changed_at,
        })
    }
}

pub struct Subscription;

#[GqlSubscription]
impl Subscription {
    /// The status changes of order `orderId` (its buyer or administrators).
    #[graphql(directive = platform::federation::authenticated::apply())]
    async fn order_status_changed(
        &self,
        ctx: &Context<'_>,
        order_id: ID,
    ) -> Result<impl Stream<Item = OrderStatusChange> + use<>> {
        let viewer = signed_in(ctx)?;
        let service = orders_ctx(ctx)?;
        let order = orders::find(service.db.pool(), &order_id)
            .await
            .map_err(internal)?
            .filter(|o| o.user_id == viewer.user_id || viewer.is_admin())
            .ok_or_else(|| ErrorCode::NotFound.error("no such order"))?;
        let changes = service
            .fanout
            .subscribe(&status_channel(&order.order_id))
            .await
            .map_err(internal)?;
        // Read after subscribing, so no transition falls between the two.
        let now = orders::find(service.db.pool(), &order.order_id)
            .await
            .map_err(internal)?
            .unwrap_or(order);
        let first = OrderStatusChange {
            order_id: ID(now.order_id.clone()),
            status: now.status().into(),
            previous_status: None,
            changed_at: now.updated_at,
        };
        let changes = changes.filter_map(|payload| async move {
            serde_json::from_slice::<StatusChange>(&payload)
                .ok()
                .and_then(OrderStatusChange::from_wire)
        });
        Ok(futures::stream::once(async move { first }).chain(changes))
    }
}
