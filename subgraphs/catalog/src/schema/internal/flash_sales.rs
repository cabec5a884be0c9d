//! `GET /internal/flash-sales/{id}`: what the orders service needs to sell
//! from a flash sale.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use contracts::{Amount, error::NOT_FOUND, flash_sale::FlashSaleInfo};

use super::{InternalState, error, internal_error};
use crate::domain::CURRENCY;

pub async fn get(State(state): State<InternalState>, Path(id): Path<String>) -> Response {
    let sale = match state
        .catalog
        .flash_sales_by_ids(std::slice::from_ref(&id))
        .await
    {
        Ok(mut sales) => sales.pop(),
        Err(e) => return internal_error(e),
    };
    let Some(sale) = sale else {
        return error(
            StatusCode::NOT_FOUND,
            NOT_FOUND,
            None,
            Some("no such flash sale"),
        );
    };
    let sku = match state
        .catalog
        .skus_by_ids(std::slice::from_ref(&sale.sku_id))
        .await
    {
        Ok(mut skus) => skus.pop(),
        Err(e) => return internal_error(e),
    };
    let Some(sku) = sku else {
        return internal_error(anyhow::anyhow!("flash sale {id} names a missing SKU"));
    };
    Json(FlashSaleInfo {
        id: sale.flash_sale_id,
        sku_id: sale.sku_id,
        product_id: sku.product_id,
        sale_price: Amount {
            amount: sale.sale_price,
            currency: CURRENCY.to_owned(),
        },
        quantity: sale.quantity,
        per_user_limit: sale.per_user_limit,
        starts_at: sale.starts_at,
        ends_at: sale.ends_at,
    })
    .into_response()
}
