//! Storing an order: reserve its stock in the catalog (atomic and
//! idempotent by order id), then write the order with its item and address
//! snapshots, its `order.created` event and its delayed payment timeout in
//! one transaction. A normal checkout does this in the request; a
//! flash-sale checkout in the placement consumer, from the same draft.

use contracts::{
    events::order::ORDER_CREATED,
    stock::{ReserveLine, ReservedLine},
};
use platform::db::{is_unique_violation, now_millis};
use serde::{Deserialize, Serialize};

use super::Placed;
use crate::{
    domain::{OrderStatus, ShippingAddress, new_order_number},
    events,
    service::{
        context::OrdersContext,
        error::{OrderError, OrderResult},
    },
    store::{
        ItemRow, cart,
        clients::catalog::ReserveError,
        orders::{self, NewOrder},
    },
};

/// An order checked and ready to store.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderDraft {
    pub order_id: String,
    pub user_id: String,
    pub idempotency_key: String,
    pub lines: Vec<ReserveLine>,
    pub address: ShippingAddress,
    pub flash: Option<FlashUnits>,
    /// The lines came from the cart, which is emptied with the order.
    pub from_cart: bool,
}

/// The flash sale a checkout took units from, and its price.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FlashUnits {
    pub id: String,
    pub quantity: i64,
    pub sale_price: i64,
    pub currency: String,
}

/// Reserves the draft's stock and stores it. A repeat of a stored draft
/// (same order id) returns the stored order, `created: false`.
pub async fn reserve_and_store(ctx: &OrdersContext, draft: &OrderDraft) -> OrderResult<Placed> {
    let reserved = ctx
        .catalog
        .reserve(&draft.order_id, &draft.lines)
        .await
        .map_err(|error| match error {
            ReserveError::OutOfStock(sku) => OrderError::OutOfStock(sku),
            ReserveError::UnknownSku(sku) => OrderError::UnknownSku(sku),
            ReserveError::Unavailable(e) => OrderError::Internal(e),
        })?;
    match store(ctx, draft, &reserved).await {
        Ok(placed) => Ok(placed),
        // A concurrent repeat stored this very order (same id): the
        // reservation is that order's.
        Err(StoreError::DuplicateKey) => {
            let order = orders::find_by_key(ctx.db.pool(), &draft.user_id, &draft.idempotency_key)
                .await?
                .ok_or(OrderError::NotFound)?;
            Ok(Placed {
                order,
                created: false,
            })
        }
        Err(StoreError::Order(e)) => {
            // The order was not stored: its reservation must not keep stock.
            // Should this release fail too, the reservation is not lost:
            // the catalog's reservation sweeper asks this service about
            // reservations older than its grace period and releases those
            // whose order does not exist, as this one's does not. A retry
            // of the checkout before then finds the reservation held and
            // uses it; one after finds it released and takes the stock again.
            if let Err(release) = ctx.catalog.release(&draft.order_id).await {
                ctx.metrics.checkout_releases_failed.inc();
                tracing::error!(error.cause_chain = ?release, order_id = %draft.order_id,
                    "releasing the stock of an order that was not stored failed; \
                     the catalog's reservation sweeper will release it");
            }
            Err(e)
        }
    }
}

enum StoreError {
    /// A concurrent request with the same idempotency key stored first.
    DuplicateKey,
    Order(OrderError),
}

impl<E: Into<OrderError>> From<E> for StoreError {
    fn from(error: E) -> Self {
        Self::Order(error.into())
    }
}

async fn store(
    ctx: &OrdersContext,
    draft: &OrderDraft,
    reserved: &[ReservedLine],
) -> Result<Placed, StoreError> {
    let order_id = draft.order_id.as_str();
    let items: Vec<ItemRow> = reserved
        .iter()
        .enumerate()
        .map(|(position, line)| {
            let (unit_price, currency) = match &draft.flash {
                Some(sale) => (sale.sale_price, sale.currency.clone()),
                None => (line.unit_price.amount, line.unit_price.currency.clone()),
            };
            ItemRow {
                order_id: order_id.to_owned(),
                position: position as i64,
                sku_id: line.sku_id.clone(),
                product_id: line.product_id.clone(),
                product_name: line.product_name.clone(),
                sku_name: line.sku_name.clone(),
                unit_price,
                currency,
                quantity: line.quantity,
            }
        })
        .collect();
    let Some(currency) = items.first().map(|i| i.currency.clone()) else {
        return Err(OrderError::Internal(anyhow::anyhow!("the catalog reserved no lines")).into());
    };
    if items.iter().any(|i| i.currency != currency) {
        return Err(OrderError::business(
            "MIXED_CURRENCIES",
            Some("lines"),
            "all lines of an order must be priced in one currency",
        )
        .into());
    }
    let total: i64 = items.iter().map(|i| i.unit_price * i.quantity).sum();
    let now = now_millis();
    let mut tx = ctx.db.begin_write().await?;
    let order_number = new_order_number(now);
    let inserted = orders::insert(
        &mut tx,
        &NewOrder {
            order_id,
            order_number: &order_number,
            user_id: &draft.user_id,
            idempotency_key: &draft.idempotency_key,
            flash_sale_id: draft.flash.as_ref().map(|f| f.id.as_str()),
            total_amount: total,
            currency: &currency,
            address: &draft.address,
            items: &items,
            now,
            payment_deadline: now + ctx.settings.payment_timeout.as_millis() as i64,
        },
    )
    .await;
    if let Err(error) = inserted {
        return Err(
            if is_unique_violation(&error, "customer_order_idempotency_key")
                || is_unique_violation(&error, "customer_order_pk")
            {
                StoreError::DuplicateKey
            } else {
                error.into()
            },
        );
    }
    let order = orders::find_in(&mut tx, order_id)
        .await?
        .ok_or(OrderError::NotFound)?;
    events::record(
        &mut tx,
        ORDER_CREATED,
        &order,
        OrderStatus::PendingPayment,
        &items,
    )
    .await?;
    events::schedule_timeout(&mut tx, order_id, ctx.settings.payment_timeout).await?;
    if draft.from_cart {
        cart::clear(&mut tx, &draft.user_id).await?;
    }
    tx.commit().await?;
    ctx.outbox_written();
    Ok(Placed {
        order,
        created: true,
    })
}
