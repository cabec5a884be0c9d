//! The signed-in buyer's cart, priced live from the catalog.

use std::collections::HashSet;

use async_graphql::{Context, ID, Object, Result, SimpleObject};
use platform::gql::{Money, int, internal};

use super::{entities::ProductRef, orders_ctx, payloads::CartPayload, signed_in};
use crate::{
    domain::Quantity,
    service::{cart, context::OrdersContext, error::OrderResult},
    store,
};

#[derive(SimpleObject)]
pub struct CartLine {
    pub sku_id: ID,
    pub product: ProductRef,
    pub product_name: Option<String>,
    pub sku_name: Option<String>,
    pub quantity: i32,
    /// The SKU's current price; null when it is no longer on sale.
    pub unit_price: Option<Money>,
    pub line_total: Option<Money>,
    /// Whether the SKU is on sale with enough stock for this line.
    pub available: bool,
}

#[derive(SimpleObject)]
pub struct Cart {
    pub lines: Vec<CartLine>,
    /// Units in the cart.
    pub item_count: i32,
    /// The sum of the priced lines; null for an empty cart.
    pub total: Option<Money>,
}

async fn load_cart(service: &OrdersContext, user_id: &str) -> anyhow::Result<Cart> {
    let rows = store::cart::lines(service.db.pool(), user_id).await?;
    let product_ids: Vec<String> = rows
        .iter()
        .map(|r| r.product_id.clone())
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let products = service.catalog.products(&product_ids).await?;
    let mut lines = Vec::with_capacity(rows.len());
    let mut total: Option<Money> = None;
    let mut item_count = 0;
    for row in rows {
        let product = products.get(&row.product_id);
        let sku = product.and_then(|p| p.skus.iter().find(|s| s.id == row.sku_id));
        let line_total =
            sku.map(|s| Money::new(s.price.amount.0 * row.quantity, &s.price.currency));
        if let Some(line) = &line_total {
            match &mut total {
                None => total = Some(line.clone()),
                Some(sum) if sum.currency == line.currency => sum.amount.0 += line.amount.0,
                Some(_) => {}
            }
        }
        item_count += row.quantity;
        lines.push(CartLine {
            sku_id: ID(row.sku_id.clone()),
            product: ProductRef {
                id: row.product_id.clone(),
            },
            product_name: product.map(|p| p.name.clone()),
            sku_name: sku.map(|s| s.name.clone()),
            quantity: int(row.quantity),
            unit_price: sku.map(|s| s.price.clone()),
            line_total,
            available: sku.is_some_and(|s| s.stock >= row.quantity),
        });
    }
    Ok(Cart {
        lines,
        item_count: int(item_count),
        total,
    })
}

async fn payload(ctx: &Context<'_>, outcome: OrderResult<()>) -> Result<CartPayload> {
    let service = orders_ctx(ctx)?;
    let viewer = signed_in(ctx)?;
    match outcome {
        Ok(()) => Ok(CartPayload {
            cart: Some(
                load_cart(service, &viewer.user_id)
                    .await
                    .map_err(internal)?,
            ),
            errors: Vec::new(),
        }),
        Err(error) => Ok(CartPayload {
            cart: None,
            errors: vec![error.into_user_error()?],
        }),
    }
}

/// Changes the buyer's line of SKU `sku_id` by `quantity` units, once the
/// quantity parses: `change` is [`cart::add`] or [`cart::set_quantity`].
async fn change_line<'a, F, Fut>(
    ctx: &'a Context<'_>,
    sku_id: &'a str,
    quantity: i32,
    change: F,
) -> Result<CartPayload>
where
    F: FnOnce(&'a OrdersContext, &'a str, &'a str, Quantity) -> Fut,
    Fut: Future<Output = OrderResult<()>>,
{
    let viewer = signed_in(ctx)?;
    let service = orders_ctx(ctx)?;
    let outcome = match Quantity::parse(i64::from(quantity), "quantity") {
        Ok(quantity) => change(service, &viewer.user_id, sku_id, quantity).await,
        Err(invalid) => Err(invalid.into()),
    };
    payload(ctx, outcome).await
}

#[derive(Default)]
pub struct CartQuery;

#[Object]
impl CartQuery {
    #[graphql(directive = platform::federation::authenticated::apply())]
    async fn cart(&self, ctx: &Context<'_>) -> Result<Cart> {
        let viewer = signed_in(ctx)?;
        load_cart(orders_ctx(ctx)?, &viewer.user_id)
            .await
            .map_err(internal)
    }
}

#[derive(Default)]
pub struct CartMutation;

#[Object]
impl CartMutation {
    /// Adds units of a SKU (to its line if there is one).
    #[graphql(directive = platform::federation::authenticated::apply())]
    async fn add_to_cart(
        &self,
        ctx: &Context<'_>,
        sku_id: ID,
        quantity: i32,
    ) -> Result<CartPayload> {
        change_line(ctx, &sku_id, quantity, cart::add).await
    }

    /// Sets the quantity of a line.
    #[graphql(directive = platform::federation::authenticated::apply())]
    async fn update_cart_line(
        &self,
        ctx: &Context<'_>,
        sku_id: ID,
        quantity: i32,
    ) -> Result<CartPayload> {
        change_line(ctx, &sku_id, quantity, cart::set_quantity).await
    }

    #[graphql(directive = platform::federation::authenticated::apply())]
    async fn remove_from_cart(&self, ctx: &Context<'_>, sku_id: ID) -> Result<CartPayload> {
        let viewer = signed_in(ctx)?;
        let service = orders_ctx(ctx)?;
        let outcome = cart::remove(service, &viewer.user_id, &sku_id).await;
        payload(ctx, outcome).await
    }

    #[graphql(directive = platform::federation::authenticated::apply())]
    async fn clear_cart(&self, ctx: &Context<'_>) -> Result<CartPayload> {
        let viewer = signed_in(ctx)?;
        let service = orders_ctx(ctx)?;
        let outcome = cart::clear(service, &viewer.user_id).await;
        payload(ctx, outcome).await
    }
}
