//! The request half of a flash-sale checkout: check the sale, take the
//! units from the counter (per-buyer limit included) and queue the order
//! for the placement consumer ([`crate::service::flash::placement`]), which stores
//! it. The buyer hears at once whether they got units; the catalog and the
//! database see only as many checkouts as there were units, at the pace
//! the consumer takes them.

use platform::db::now_millis;

use super::{
    Placement,
    draft::{FlashUnits, OrderDraft},
};
use crate::{
    service::{
        context::OrdersContext,
        error::{OrderError, OrderResult},
        flash::{placement, rebuild},
    },
    store::flash::{Admission, Take},
};

fn unavailable() -> OrderError {
    OrderError::business(
        "FLASH_SALE_UNAVAILABLE",
        Some("flashSaleId"),
        "flash sales are paused because their stock counter is unreachable; \
         please try again shortly",
    )
}

fn wrong_lines() -> OrderError {
    OrderError::business(
        "FLASH_SALE_LINES",
        Some("lines"),
        "a flash-sale order has exactly one line, the sale's SKU",
    )
}

/// Takes units of sale `sale_id` for `draft` and queues it to be stored
/// (or, with the broker down, stores it).
pub async fn admit(
    ctx: &OrdersContext,
    sale_id: &str,
    mut draft: OrderDraft,
) -> OrderResult<Placement> {
    let not_found = || {
        OrderError::business(
            "FLASH_SALE_NOT_FOUND",
            Some("flashSaleId"),
            "there is no such flash sale",
        )
    };
    // The id goes into a URL path: only UUIDs are flash-sale ids.
    if uuid::Uuid::parse_str(sale_id).is_err() {
        return Err(not_found());
    }
    let sale = ctx
        .sales
        .get(&ctx.catalog, sale_id)
        .await?
        .ok_or_else(not_found)?;
    let now = now_millis();
    if now < sale.starts_at || now >= sale.ends_at {
        return Err(OrderError::business(
            "FLASH_SALE_NOT_ACTIVE",
            Some("flashSaleId"),
            "the flash sale is not on now",
        ));
    }
    let [line] = draft.lines.as_slice() else {
        return Err(wrong_lines());
    };
    if line.sku_id != sale.sku_id {
        return Err(wrong_lines());
    }
    let quantity = line.quantity;
    let admission = Admission {
        sale_id: &sale.id,
        order_id: &draft.order_id,
        user_id: &draft.user_id,
        quantity,
        per_user_limit: sale.per_user_limit,
    };
    let taken = rebuild::take(ctx, &sale, &admission)
        .await
        .map_err(|error| {
            ctx.metrics.flash_refused.inc();
            tracing::warn!(error.cause_chain = ?error,
                "flash-sale counter unreachable, or it could not be rebuilt");
            unavailable()
        })?;
    match taken {
        Take::Taken | Take::AlreadyTaken => ctx.metrics.flash_admitted.inc(),
        // `rebuild::take` rebuilt missing counters; it never answers this.
        Take::SoldOut | Take::NoCounters => {
            ctx.metrics.flash_refused.inc();
            return Err(OrderError::OutOfStock(sale.sku_id));
        }
        Take::LimitReached => {
            ctx.metrics.flash_refused.inc();
            return Err(OrderError::business(
                "FLASH_SALE_LIMIT",
                Some("lines"),
                format!("at most {} per buyer in this sale", sale.per_user_limit),
            ));
        }
    }
    draft.flash = Some(FlashUnits {
        id: sale.id.clone(),
        quantity,
        sale_price: sale.sale_price.amount,
        currency: sale.sale_price.currency,
    });
    // A repeat of a queued checkout queues it again: the consumer stores
    // an order once, so a message lost the first time is made good.
    match placement::enqueue(ctx, &draft).await {
        Ok(()) => Ok(Placement::Queued {
            order_id: draft.order_id,
        }),
        Err(error) => {
            // The broker is down: store the order now, like a normal
            // checkout, so flash sales go on through a broker outage.
            tracing::warn!(error.cause_chain = ?error,
                "could not queue a flash-sale order; storing it in the request");
            let stored = placement::store_and_settle(ctx, &sale.id, &draft).await;
            if let Err(OrderError::Internal(_)) = &stored {
                // Nothing will store it later: its units go back.
                let message = "the order could not be stored";
                placement::fail(ctx, &sale.id, &draft.order_id, "INTERNAL", message).await?;
            }
            Ok(Placement::Stored(Box::new(stored?)))
        }
    }
}
