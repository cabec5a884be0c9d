//! Order queries: the buyer's `orders`, `order` and `orderCounts`, and the
//! administrators' `adminOrders`.

use async_graphql::{
    Context, ID, Object, Result, SimpleObject,
    connection::{Connection, Edge},
};
use platform::gql::int;

use super::{
    admin, connection,
    order::{OrderNode, OrderStatus},
    orders_ctx, signed_in,
};
use crate::{
    domain,
    store::orders::{self, ListCursor, OrderFilter},
};

const DEFAULT_PAGE: i32 = 20;
const MAX_PAGE: i32 = 100;

/// A page of orders matching `filter`, newest first.
pub async fn list_orders(
    ctx: &Context<'_>,
    filter: OrderFilter,
    first: Option<i32>,
    after: Option<String>,
) -> Result<Connection<String, OrderNode>> {
    let first = first.unwrap_or(DEFAULT_PAGE);
    if !(1..=MAX_PAGE).contains(&first) {
        return Err(super::bad_input(format!(
            "first must be between 1 and {MAX_PAGE}"
        )));
    }
    let after = after.as_deref().map(connection::decode).transpose()?;
    let service = orders_ctx(ctx)?;
    let mut rows = orders::list(
        service.db.pool(),
        &filter,
        after.as_ref(),
        i64::from(first) + 1,
    )
    .await
    .map_err(platform::gql::internal)?;
    let has_next = rows.len() > first as usize;
    rows.truncate(first as usize);
    let mut page = Connection::new(after.is_some(), has_next);
    page.edges.extend(rows.into_iter().map(|row| {
        let cursor = connection::encode(&ListCursor {
            created_at: row.created_at,
            order_id: row.order_id.clone(),
        });
        Edge::new(cursor, OrderNode(row))
    }));
    Ok(page)
}

#[derive(SimpleObject)]
pub struct OrderCount {
    pub status: OrderStatus,
    pub count: i32,
}

#[derive(Default)]
pub struct OrderQuery;

#[Object]
impl OrderQuery {
    /// The caller's orders, newest first.
    #[graphql(directive = platform::federation::authenticated::apply())]
    async fn orders(
        &self,
        ctx: &Context<'_>,
        status: Option<OrderStatus>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Connection<String, OrderNode>> {
        let viewer = signed_in(ctx)?;
        let filter = OrderFilter::of_user(viewer.user_id.clone(), status.map(Into::into));
        list_orders(ctx, filter, first, after).await
    }

    /// One of the caller's orders (any order for an administrator).
    #[graphql(directive = platform::federation::authenticated::apply())]
    async fn order(&self, ctx: &Context<'_>, id: ID) -> Result<Option<OrderNode>> {
        let viewer = signed_in(ctx)?;
        let order = orders::find(orders_ctx(ctx)?.db.pool(), &id)
            .await
            .map_err(platform::gql::internal)?;
        Ok(order
            .filter(|o| o.user_id == viewer.user_id || viewer.is_admin())
            .map(OrderNode))
    }

    /// How many of the caller's orders are in each state (every state listed).
    #[graphql(directive = platform::federation::authenticated::apply())]
    async fn order_counts(&self, ctx: &Context<'_>) -> Result<Vec<OrderCount>> {
        let viewer = signed_in(ctx)?;
        let counts = orders::counts(orders_ctx(ctx)?.db.pool(), &viewer.user_id)
            .await
            .map_err(platform::gql::internal)?;
        Ok(domain::OrderStatus::ALL
            .into_iter()
            .map(|status| OrderCount {
                status: status.into(),
                count: int(counts
                    .iter()
                    .find(|(s, _)| s == status.as_str())
                    .map_or(0, |(_, n)| *n)),
            })
            .collect())
    }

    /// Every order, filtered, newest first: administrators only.
    #[graphql(requires_scopes = "admin")]
    async fn admin_orders(
        &self,
        ctx: &Context<'_>,
        status: Option<OrderStatus>,
        user_id: Option<ID>,
        number: Option<String>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Connection<String, OrderNode>> {
        admin(ctx)?;
        let filter = OrderFilter {
            user_id: user_id.map(|id| id.0),
            status: status.map(Into::into),
            order_number: number,
        };
        list_orders(ctx, filter, first, after).await
    }
}
