//! Federation entities: `Order` (owned here), and the `User.orders` and
//! `Product.salesCount` contributions to the users' and catalog's entities.
//! The router asks for many references at once; each type's lookups are one
//! batched DataLoader call.

use async_graphql::{Context, ID, Object, Result, connection::Connection};
use platform::gql::int;

use super::{
    load_error, loaders,
    order::{OrderNode, OrderStatus},
    query::list_orders,
    signed_in,
};
use crate::store::orders::OrderFilter;

#[derive(Default)]
pub struct EntityQuery;

#[Object]
impl EntityQuery {
    /// An order by id, for its buyer or an administrator (null otherwise).
    #[graphql(entity)]
    async fn find_order_by_id(
        &self,
        ctx: &Context<'_>,
        #[graphql(key)] id: ID,
    ) -> Result<Option<OrderNode>> {
        let Some(viewer) = ctx.data_opt::<platform::auth::Viewer>() else {
            return Ok(None);
        };
        let order = loaders(ctx)?
            .orders
            .load_one(id.0)
            .await
            .map_err(load_error)?;
        Ok(order
            .filter(|o| o.user_id == viewer.user_id || viewer.is_admin())
            .map(OrderNode))
    }

    /// Any user id gets the orders fields (resolved lazily).
    #[graphql(entity)]
    async fn find_user_by_id(&self, #[graphql(key)] id: ID) -> UserRef {
        UserRef { id: id.0 }
    }

    /// Any product id gets `salesCount` (resolved lazily, batched).
    #[graphql(entity)]
    async fn find_product_by_id(&self, #[graphql(key)] id: ID) -> ProductRef {
        ProductRef { id: id.0 }
    }
}

/// The users service's `User`, with the orders this service keeps for it.
pub struct UserRef {
    pub id: String,
}

#[Object(name = "User")]
impl UserRef {
    async fn id(&self) -> ID {
        ID(self.id.clone())
    }

    /// The user's orders, newest first; for the user and administrators.
    #[graphql(directive = platform::federation::authenticated::apply())]
    async fn orders(
        &self,
        ctx: &Context<'_>,
        status: Option<OrderStatus>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Connection<String, OrderNode>> {
        let viewer = signed_in(ctx)?;
        if viewer.user_id != self.id && !viewer.is_admin() {
            return Err(platform::gql::ErrorCode::Forbidden
                .error("only the user and administrators see a user's orders"));
        }
        let filter = OrderFilter::of_user(self.id.clone(), status.map(Into::into));
        list_orders(ctx, filter, first, after).await
    }
}

/// The catalog's `Product`, with how many units of it were sold.
pub struct ProductRef {
    pub id: String,
}

#[Object(name = "Product")]
impl ProductRef {
    async fn id(&self) -> ID {
        ID(self.id.clone())
    }

    /// Units sold in orders that are paid and not refunded.
    async fn sales_count(&self, ctx: &Context<'_>) -> Result<i32> {
        let sold = loaders(ctx)?
            .sales
            .load_one(self.id.clone())
            .await
            .map_err(load_error)?;
        Ok(int(sold.unwrap_or(0)))
    }
}
