//! `orderStatusChanged`: every transition of one order, as it happens, to
//! its buyer or an administrator. Changes arrive through the fan-out, so a
//! transition made by any replica reaches subscribers on every replica.
//!
//! The first message is the order's status when the subscription started
//! (`previousStatus: null`): the client learns where the order stands, and
//! that the subscription is live, without racing a separate query. Each
//! later transition is heard once: one committed before that first read
//! but fanned out after the subscription began is in the first message
//! already, and is not sent again. A
//! flash-sale order still queued may be subscribed to as well: its first
//! message comes when it is stored (`PENDING_PAYMENT`), or the subscription
//! ends with an error naming why it could not be (at once, for one that
//! failed already).

use async_graphql::{
    Context, ErrorExtensions, ID, Result, SimpleObject, Subscription as GqlSubscription,
};
use futures::{Stream, StreamExt, future::ready};
use platform::gql::{ErrorCode, Timestamp, internal};

use super::{order::OrderStatus, orders_ctx, signed_in};
use crate::{
    domain,
    events::{StatusChange, StatusNews, status_channel},
    store::{
        flash::{Ticket, TicketState},
        orders,
    },
};

#[derive(SimpleObject, Clone)]
pub struct OrderStatusChange {
    pub order_id: ID,
    pub status: OrderStatus,
    /// Null on the first message, which reports the status at subscription.
    pub previous_status: Option<OrderStatus>,
    pub changed_at: Timestamp,
}

impl OrderStatusChange {
    fn from_wire(change: StatusChange) -> Option<Self> {
        Some(Self {
            order_id: ID(change.order_id),
            status: domain::OrderStatus::parse(&change.status)?.into(),
            previous_status: match change.previous_status {
                Some(previous) => Some(domain::OrderStatus::parse(&previous)?.into()),
                None => None,
            },
            changed_at: Timestamp(change.changed_at),
        })
    }
}

/// A fan-out message as the subscriber sees it: a change, or the error
/// that ends the subscription of a queued order that failed.
fn from_news(news: StatusNews) -> Option<Result<OrderStatusChange>> {
    match news {
        StatusNews::Changed(change) => OrderStatusChange::from_wire(change).map(Ok),
        StatusNews::PlacementFailed { code, message, .. } => {
            Some(Err(placement_failed(&code, &message)))
        }
    }
}

/// The error that ends the subscription of a queued order that failed.
fn placement_failed(code: &str, message: &str) -> async_graphql::Error {
    async_graphql::Error::new(format!("the order could not be placed: {message}"))
        .extend_with(|_, e| e.set("code", code))
}

/// What the first message reported: the order's status as of its last
/// change.
struct Told {
    at: i64,
    status: String,
}

impl Told {
    /// Whether `news` is in the first message already: a change from
    /// before it (one order's changes never go back in time, see
    /// `lifecycle::apply_in`), or one of the same millisecond that does
    /// not start where the first message stands (it led there). The news
    /// that a queued order was stored is such a change too.
    fn reported(&self, news: &StatusNews) -> bool {
        match news {
            StatusNews::Changed(change) => {
                change.changed_at < self.at
                    || (change.changed_at == self.at
                        && change.previous_status.as_deref() != Some(self.status.as_str()))
            }
            StatusNews::PlacementFailed { .. } => false,
        }
    }
}

pub struct Subscription;

#[GqlSubscription]
impl Subscription {
    /// The status changes of order `orderId` (its buyer or administrators),
    /// also of a flash-sale order still queued.
    #[graphql(directive = platform::federation::authenticated::apply())]
    async fn order_status_changed(
        &self,
        ctx: &Context<'_>,
        order_id: ID,
    ) -> Result<impl Stream<Item = Result<OrderStatusChange>> + use<>> {
        let viewer = signed_in(ctx)?;
        let service = orders_ctx(ctx)?;
        let visible = |user_id: &str| user_id == viewer.user_id || viewer.is_admin();
        let stored = orders::find(service.db.pool(), &order_id)
            .await
            .map_err(internal)?;
        let known = match &stored {
            Some(order) => visible(&order.user_id),
            None => service
                .flash
                .ticket(&order_id)
                .await
                .map_err(internal)?
                .is_some_and(|t| visible(&t.user_id)),
        };
        if !known {
            return Err(ErrorCode::NotFound.error("no such order"));
        }
        let changes = service
            .fanout
            .subscribe(&status_channel(&order_id))
            .await
            .map_err(internal)?;
        // Read after subscribing, so no transition falls between the two.
        let now = orders::find(service.db.pool(), &order_id)
            .await
            .map_err(internal)?;
        let told = now.as_ref().map(|now| Told {
            at: now.updated_at,
            status: now.status.clone(),
        });
        let first = match now {
            Some(now) => Some(Ok(OrderStatusChange {
                order_id: ID(now.order_id.clone()),
                status: now.status().into(),
                previous_status: None,
                changed_at: Timestamp(now.updated_at),
            })),
            // Not stored: a queued order that failed before the
            // subscription began hears it now.
            None => match service.flash.ticket(&order_id).await.map_err(internal)? {
                Some(Ticket {
                    state: TicketState::Failed { code, message },
                    ..
                }) => Some(Err(placement_failed(&code, &message))),
                _ => None,
            },
        };
        let news = changes
            .filter_map(|payload| ready(serde_json::from_slice::<StatusNews>(&payload).ok()))
            .filter(move |news| ready(!told.as_ref().is_some_and(|told| told.reported(news))))
            .filter_map(|news| ready(from_news(news)));
        let news = futures::stream::iter(first).chain(news).boxed();
        // A failed placement is the last word: the subscription ends there.
        Ok(futures::stream::unfold(Some(news), |news| async move {
            let mut news = news?;
            let item = news.next().await?;
            let rest = item.is_ok().then_some(news);
            Some((item, rest))
        }))
    }
}
