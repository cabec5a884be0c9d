//! The storefront queries.

use async_graphql::{
    Context, ID, Object, Result,
    connection::{Connection, Edge},
};
use platform::{
    db::now_millis,
    gql::{ErrorCode, Timestamp, internal},
};

use super::{
    catalog,
    category::CategoryNode,
    cursor,
    flash_sale::FlashSaleNode,
    inputs::{ProductFilter, ProductSort},
    load_error, loaders,
    product::ProductNode,
};
use crate::store::{self, ProductSort as StoreSort};

/// Listing pages hold 20 products unless asked, at most 100.
const DEFAULT_PAGE: i32 = 20;
const MAX_PAGE: i32 = 100;

#[derive(Default)]
pub struct CatalogQuery;

#[Object]
impl CatalogQuery {
    /// The top-level categories, each with its children (ordered by position).
    async fn categories(&self, ctx: &Context<'_>) -> Result<Vec<CategoryNode>> {
        let tree = catalog(ctx)?.category_tree().await.map_err(internal)?;
        Ok(tree.children(None).into_iter().map(CategoryNode).collect())
    }

    async fn category(&self, ctx: &Context<'_>, id: ID) -> Result<Option<CategoryNode>> {
        CategoryNode::load(ctx, id.0).await
    }

    /// Active products, filtered and sorted, as a Relay connection.
    async fn products(
        &self,
        ctx: &Context<'_>,
        filter: Option<ProductFilter>,
        #[graphql(desc = "NEWEST when absent.")] sort: Option<ProductSort>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Connection<String, ProductNode>> {
        let first = first.unwrap_or(DEFAULT_PAGE);
        if !(0..=MAX_PAGE).contains(&first) {
            return Err(ErrorCode::BadUserInput.error(format!("first must be 0 to {MAX_PAGE}")));
        }
        let filter = store_filter(filter.unwrap_or_default())?;
        let sort = StoreSort::from(sort.unwrap_or_default());
        let after_cursor = after
            .as_deref()
            .map(|raw| cursor::decode(sort, raw))
            .transpose()?;
        let page = catalog(ctx)?
            .product_page(&filter, sort, i64::from(first), after_cursor.as_ref())
            .await
            .map_err(internal)?;
        let mut connection = Connection::new(after.is_some(), page.has_next);
        connection.edges.extend(
            page.products
                .into_iter()
                .map(|(product, c)| Edge::new(cursor::encode(sort, &c), ProductNode::new(product))),
        );
        Ok(connection)
    }

    /// A product by id (archived ones too); null when unknown.
    async fn product(&self, ctx: &Context<'_>, id: ID) -> Result<Option<ProductNode>> {
        let detail = catalog(ctx)?.product_detail(&id).await.map_err(internal)?;
        Ok(detail.map(ProductNode::from_detail))
    }

    /// The flash sales running at `activeAt` (default now).
    async fn flash_sales(
        &self,
        ctx: &Context<'_>,
        active_at: Option<Timestamp>,
    ) -> Result<Vec<FlashSaleNode>> {
        let at = active_at.map_or_else(now_millis, |at| at.0);
        let sales = catalog(ctx)?
            .flash_sales(Some(at))
            .await
            .map_err(internal)?;
        Ok(sales.into_iter().map(FlashSaleNode).collect())
    }

    async fn flash_sale(&self, ctx: &Context<'_>, id: ID) -> Result<Option<FlashSaleNode>> {
        let sale = loaders(ctx)?
            .flash_sales
            .load_one(id.0)
            .await
            .map_err(load_error)?;
        Ok(sale.map(FlashSaleNode))
    }
}

fn store_filter(filter: ProductFilter) -> Result<store::ProductFilter> {
    let min_price = filter.min_price.map(|m| m.0);
    let max_price = filter.max_price.map(|m| m.0);
    for (name, bound) in [("minPrice", min_price), ("maxPrice", max_price)] {
        if bound.is_some_and(|b| b < 0) {
            return Err(ErrorCode::BadUserInput.error(format!("{name} cannot be negative")));
        }
    }
    if let (Some(min), Some(max)) = (min_price, max_price)
        && min > max
    {
        return Err(ErrorCode::BadUserInput.error("minPrice is above maxPrice"));
    }
    Ok(store::ProductFilter {
        category_id: filter.category_id.map(|id| id.0),
        brand: filter.brand,
        min_price,
        max_price,
        hot: filter.hot,
        in_stock: filter.in_stock,
    })
}
