//! `POST /internal/orders/lookup`: which of some order ids name an order,
//! and whether it still holds its stock. The catalog's reservation sweeper
//! releases the reservations of the ids answered "no order" (or "holds no
//! stock"), so an order that exists must never be left out: a failed read
//! is a 500, which the sweeper takes as "release nothing".

use axum::{
    Json,
    extract::{State, rejection::JsonRejection},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use contracts::order_lookup::{MAX_LOOKUP_IDS, OrderLookupRequest, OrderLookupResponse};
use serde_json::json;

use crate::service::{context::OrdersContext, stock};

pub async fn lookup(
    State(ctx): State<OrdersContext>,
    body: Result<Json<OrderLookupRequest>, JsonRejection>,
) -> Response {
    let request = match body {
        Ok(Json(request)) => request,
        Err(rejection) => return bad_request(&rejection.body_text()),
    };
    if request.order_ids.len() > MAX_LOOKUP_IDS {
        return bad_request(&format!(
            "a lookup asks about at most {MAX_LOOKUP_IDS} order ids"
        ));
    }
    match stock::known_orders(&ctx, &request.order_ids).await {
        Ok(orders) => Json(OrderLookupResponse { orders }).into_response(),
        Err(error) => {
            tracing::error!(error.cause_chain = ?error, "looking up orders for the catalog");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                Json(json!({ "code": "INTERNAL" })),
            )
                .into_response()
        }
    }
}

fn bad_request(message: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({ "code": "BAD_REQUEST", "message": message })),
    )
        .into_response()
}
