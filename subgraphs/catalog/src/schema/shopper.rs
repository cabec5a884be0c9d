//! What a signed-in shopper does: review, reply, favorite.

use async_graphql::{Context, ID, Object, Result};
use platform::{federation::authenticated, gql::viewer};

use super::{
    catalog,
    inputs::{AddReviewInput, ReplyToReviewInput},
    payloads::{FavoritePayload, ReviewPayload, respond},
    product::ProductNode,
    review::ReviewNode,
};
use crate::{
    domain::{Rating, ReviewBody},
    service::error::CatalogError,
};

#[derive(Default)]
pub struct ShopperMutation;

#[Object]
impl ShopperMutation {
    /// Reviews a product the viewer bought: 1 to 5 stars and a text, once
    /// per product (errors NOT_PURCHASED, ALREADY_REVIEWED). Anyone signed
    /// in may reply.
    #[graphql(directive = authenticated::apply())]
    async fn add_review(&self, ctx: &Context<'_>, input: AddReviewInput) -> Result<ReviewPayload> {
        let viewer = viewer(ctx)?;
        let parsed =
            Rating::parse(input.rating).and_then(|r| Ok((r, ReviewBody::parse(input.body)?)));
        let (rating, body) = match parsed {
            Ok(parsed) => parsed,
            Err(e) => return ReviewPayload::failed(e),
        };
        let result = catalog(ctx)?
            .add_review(&viewer.user_id, &input.product_id, rating, body)
            .await;
        respond(
            result,
            |r| ReviewPayload::ok(ReviewNode(r)),
            ReviewPayload::failed,
        )
    }

    /// Replies to a review or to a reply.
    #[graphql(directive = authenticated::apply())]
    async fn reply_to_review(
        &self,
        ctx: &Context<'_>,
        input: ReplyToReviewInput,
    ) -> Result<ReviewPayload> {
        let viewer = viewer(ctx)?;
        let body = match ReviewBody::parse(input.body) {
            Ok(body) => body,
            Err(e) => return ReviewPayload::failed(e),
        };
        let result = catalog(ctx)?
            .reply_to_review(&viewer.user_id, &input.review_id, body)
            .await;
        respond(
            result,
            |r| ReviewPayload::ok(ReviewNode(r)),
            ReviewPayload::failed,
        )
    }

    #[graphql(directive = authenticated::apply())]
    async fn add_favorite(&self, ctx: &Context<'_>, product_id: ID) -> Result<FavoritePayload> {
        let viewer = viewer(ctx)?;
        let catalog = catalog(ctx)?;
        match catalog.add_favorite(&viewer.user_id, &product_id).await {
            Ok(()) => favorite_payload(ctx, &product_id, true).await,
            Err(e) => favorite_failed(e),
        }
    }

    #[graphql(directive = authenticated::apply())]
    async fn remove_favorite(&self, ctx: &Context<'_>, product_id: ID) -> Result<FavoritePayload> {
        let viewer = viewer(ctx)?;
        match catalog(ctx)?
            .remove_favorite(&viewer.user_id, &product_id)
            .await
        {
            Ok(_) => favorite_payload(ctx, &product_id, false).await,
            Err(e) => favorite_failed(e),
        }
    }
}

async fn favorite_payload(
    ctx: &Context<'_>,
    product_id: &str,
    favorited: bool,
) -> Result<FavoritePayload> {
    let product = super::loaders(ctx)?
        .products
        .load_one(product_id.to_owned())
        .await
        .map_err(super::load_error)?;
    Ok(FavoritePayload {
        favorited,
        product: product.map(ProductNode::new),
        errors: Vec::new(),
    })
}

fn favorite_failed(error: CatalogError) -> Result<FavoritePayload> {
    Ok(FavoritePayload {
        favorited: false,
        product: None,
        errors: vec![error.into_user_error()?],
    })
}
