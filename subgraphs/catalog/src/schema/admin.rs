//! Admin mutations (the `admin` scope): products, SKUs, categories, stock
//! and flash sales. Bad input comes back as payload errors, nothing written.

use async_graphql::{Context, ID, Object, Result};
use platform::{auth::ADMIN_SCOPE, gql::require_scope};

use super::{
    catalog,
    category::CategoryNode,
    flash_sale::FlashSaleNode,
    inputs::{
        CreateCategoryInput, CreateFlashSaleInput, CreateProductInput, CreateSkuInput,
        MoveCategoryInput, SkuInput, UpdateProductInput, UpdateSkuInput,
    },
    payloads::{CategoryPayload, FlashSalePayload, ProductPayload, SkuPayload, respond},
    product::ProductNode,
    sku::SkuNode,
};
use crate::{
    domain::{
        Brand, CategoryName, Description, ImageUrl, InvalidInput, MAX_IMAGES, MAX_TAGS, Price,
        ProductName, SkuName, Tag, parse_list,
    },
    store::{NewCategory, NewFlashSale, NewProduct, NewSku, ProductPatch, SkuPatch, Status},
};

/// The most SKUs one product may be created with.
const MAX_SKUS: usize = 50;

#[derive(Default)]
pub struct AdminMutation;

fn parse_sku(input: SkuInput) -> Result<NewSku, InvalidInput> {
    Price::parse_currency(input.currency.as_deref(), "currency")?;
    if input.stock < 0 {
        return Err(InvalidInput::new(
            "INVALID_QUANTITY",
            "stock",
            "stock cannot be negative",
        ));
    }
    Ok(NewSku {
        name: SkuName::parse(input.name)?,
        price: Price::parse(input.price.0, "price")?,
        stock: input.stock,
    })
}

fn parse_new_product(input: CreateProductInput) -> Result<NewProduct, InvalidInput> {
    if input.skus.len() > MAX_SKUS {
        return Err(InvalidInput::new("TOO_MANY", "skus", "at most 50 SKUs"));
    }
    Ok(NewProduct {
        category_id: input.category_id.0,
        name: ProductName::parse(input.name)?,
        description: Description::parse(input.description)?,
        brand: Brand::parse(input.brand)?,
        tags: parse_list(input.tags, MAX_TAGS, "tags", Tag::parse)?,
        images: parse_list(input.images, MAX_IMAGES, "images", ImageUrl::parse)?,
        hot: input.hot,
        skus: input
            .skus
            .into_iter()
            .map(parse_sku)
            .collect::<Result<_, _>>()?,
    })
}

fn parse_patch(input: UpdateProductInput) -> Result<ProductPatch, InvalidInput> {
    Ok(ProductPatch {
        category_id: input.category_id.map(|id| id.0),
        name: input.name.map(ProductName::parse).transpose()?,
        description: input.description.map(Description::parse).transpose()?,
        brand: input.brand.map(Brand::parse).transpose()?,
        tags: input
            .tags
            .map(|t| parse_list(t, MAX_TAGS, "tags", Tag::parse))
            .transpose()?,
        images: input
            .images
            .map(|i| parse_list(i, MAX_IMAGES, "images", ImageUrl::parse))
            .transpose()?,
        hot: input.hot,
    })
}

fn parse_position(position: Option<i64>) -> Result<Option<i64>, InvalidInput> {
    match position {
        Some(p) if !(0..=1_000_000).contains(&p) => Err(InvalidInput::new(
            "INVALID_POSITION",
            "position",
            "a position is 0 to 1000000",
        )),
        other => Ok(other),
    }
}

#[Object]
impl AdminMutation {
    #[graphql(requires_scopes = "admin")]
    async fn create_product(
        &self,
        ctx: &Context<'_>,
        input: CreateProductInput,
    ) -> Result<ProductPayload> {
        require_scope(ctx, ADMIN_SCOPE)?;
        let new = match parse_new_product(input) {
            Ok(new) => new,
            Err(e) => return ProductPayload::failed(e),
        };
        let result = catalog(ctx)?.create_product(new).await;
        respond(
            result,
            |d| ProductPayload::ok(ProductNode::from_detail(d)),
            ProductPayload::failed,
        )
    }

    #[graphql(requires_scopes = "admin")]
    async fn update_product(
        &self,
        ctx: &Context<'_>,
        input: UpdateProductInput,
    ) -> Result<ProductPayload> {
        require_scope(ctx, ADMIN_SCOPE)?;
        let id = input.id.0.clone();
        let patch = match parse_patch(input) {
            Ok(patch) => patch,
            Err(e) => return ProductPayload::failed(e),
        };
        let result = catalog(ctx)?.update_product(&id, patch).await;
        respond(
            result,
            |p| ProductPayload::ok(ProductNode::new(p)),
            ProductPayload::failed,
        )
    }

    /// Takes a product off sale; it stays readable by id.
    #[graphql(requires_scopes = "admin")]
    async fn archive_product(&self, ctx: &Context<'_>, id: ID) -> Result<ProductPayload> {
        require_scope(ctx, ADMIN_SCOPE)?;
        let result = catalog(ctx)?
            .set_product_status(&id, Status::Archived)
            .await;
        respond(
            result,
            |p| ProductPayload::ok(ProductNode::new(p)),
            ProductPayload::failed,
        )
    }

    #[graphql(requires_scopes = "admin")]
    async fn create_sku(&self, ctx: &Context<'_>, input: CreateSkuInput) -> Result<SkuPayload> {
        require_scope(ctx, ADMIN_SCOPE)?;
        let product_id = input.product_id.0.clone();
        let sku = match parse_sku(SkuInput {
            name: input.name,
            price: input.price,
            currency: input.currency,
            stock: input.stock,
        }) {
            Ok(sku) => sku,
            Err(e) => return SkuPayload::failed(e),
        };
        let result = catalog(ctx)?.create_sku(&product_id, sku).await;
        respond(result, |s| SkuPayload::ok(SkuNode(s)), SkuPayload::failed)
    }

    #[graphql(requires_scopes = "admin")]
    async fn update_sku(&self, ctx: &Context<'_>, input: UpdateSkuInput) -> Result<SkuPayload> {
        require_scope(ctx, ADMIN_SCOPE)?;
        let patch = (|| {
            Ok::<_, InvalidInput>(SkuPatch {
                name: input.name.map(SkuName::parse).transpose()?,
                price: input
                    .price
                    .map(|p| Price::parse(p.0, "price"))
                    .transpose()?,
            })
        })();
        let patch = match patch {
            Ok(patch) => patch,
            Err(e) => return SkuPayload::failed(e),
        };
        let result = catalog(ctx)?.update_sku(&input.id, patch).await;
        respond(result, |s| SkuPayload::ok(SkuNode(s)), SkuPayload::failed)
    }

    #[graphql(requires_scopes = "admin")]
    async fn archive_sku(&self, ctx: &Context<'_>, id: ID) -> Result<SkuPayload> {
        require_scope(ctx, ADMIN_SCOPE)?;
        let result = catalog(ctx)?.set_sku_status(&id, Status::Archived).await;
        respond(result, |s| SkuPayload::ok(SkuNode(s)), SkuPayload::failed)
    }

    /// Adds `delta` (negative to take away) to a SKU's stock, atomically;
    /// stock never goes below zero (`INSUFFICIENT_STOCK`).
    #[graphql(requires_scopes = "admin")]
    async fn adjust_stock(&self, ctx: &Context<'_>, sku_id: ID, delta: i64) -> Result<SkuPayload> {
        require_scope(ctx, ADMIN_SCOPE)?;
        if delta.unsigned_abs() > 1_000_000_000 {
            return SkuPayload::failed(InvalidInput::new(
                "INVALID_QUANTITY",
                "delta",
                "a stock adjustment is at most 10^9",
            ));
        }
        let result = catalog(ctx)?.adjust_stock(&sku_id, delta).await;
        respond(result, |s| SkuPayload::ok(SkuNode(s)), SkuPayload::failed)
    }

    #[graphql(requires_scopes = "admin")]
    async fn create_category(
        &self,
        ctx: &Context<'_>,
        input: CreateCategoryInput,
    ) -> Result<CategoryPayload> {
        require_scope(ctx, ADMIN_SCOPE)?;
        let new = (|| {
            Ok::<_, InvalidInput>(NewCategory {
                name: CategoryName::parse(input.name)?,
                parent_id: input.parent_id.map(|id| id.0),
                position: parse_position(input.position)?,
            })
        })();
        let new = match new {
            Ok(new) => new,
            Err(e) => return CategoryPayload::failed(e),
        };
        let result = catalog(ctx)?.create_category(new).await;
        respond(
            result,
            |c| CategoryPayload::ok(CategoryNode(c)),
            CategoryPayload::failed,
        )
    }

    /// Moves a category (with everything below it) under another parent or
    /// to the top level; the tree stays three levels deep at most.
    #[graphql(requires_scopes = "admin")]
    async fn move_category(
        &self,
        ctx: &Context<'_>,
        input: MoveCategoryInput,
    ) -> Result<CategoryPayload> {
        require_scope(ctx, ADMIN_SCOPE)?;
        let position = match parse_position(input.position) {
            Ok(p) => p,
            Err(e) => return CategoryPayload::failed(e),
        };
        let result = catalog(ctx)?
            .move_category(&input.id, input.parent_id.map(|id| id.0), position)
            .await;
        respond(
            result,
            |c| CategoryPayload::ok(CategoryNode(c)),
            CategoryPayload::failed,
        )
    }

    #[graphql(requires_scopes = "admin")]
    async fn create_flash_sale(
        &self,
        ctx: &Context<'_>,
        input: CreateFlashSaleInput,
    ) -> Result<FlashSalePayload> {
        require_scope(ctx, ADMIN_SCOPE)?;
        let sale_price = match Price::parse(input.sale_price.0, "salePrice") {
            Ok(p) => p,
            Err(e) => return FlashSalePayload::failed(e),
        };
        let result = catalog(ctx)?
            .create_flash_sale(NewFlashSale {
                sku_id: input.sku_id.0,
                sale_price,
                quantity: input.quantity,
                per_user_limit: input.per_user_limit,
                starts_at: input.starts_at.0,
                ends_at: input.ends_at.0,
            })
            .await;
        respond(
            result,
            |f| FlashSalePayload::ok(FlashSaleNode(f)),
            FlashSalePayload::failed,
        )
    }
}
