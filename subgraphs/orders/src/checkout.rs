//! `placeOrder`: reserve stock in the catalog (atomic and idempotent by
//! order id), then store the order with its item and address snapshots, its
//! `order.created` event and its delayed payment timeout in one transaction.
//! A saved address is looked up in the users service before any stock is
//! reserved, so an unknown one costs nothing; the order keeps a copy, so
//! later edits of the address book do not change it.
//! Flash-sale orders first take units from the flash-sale counter, so only
//! as many buyers as there are units reach the catalog and the database.

use platform::db::{is_unique_violation, now_millis};

use crate::{
    catalog_client::{ReserveError, ReserveLine, ReservedLine},
    context::OrdersContext,
    domain::{IdempotencyKey, MAX_LINES, OrderStatus, Quantity, ShippingAddress, new_order_number},
    error::{OrderError, OrderResult},
    events::{self, ORDER_CREATED},
    flash::Take,
    store::{
        ItemRow, OrderRow, cart,
        orders::{self, NewOrder},
    },
};

/// Where the lines of an order come from.
pub enum LineSource {
    Given(Vec<(String, Quantity)>),
    Cart,
}

/// Where the order ships to.
pub enum AddressSource {
    /// An address given in full with the order.
    Given(ShippingAddress),
    /// The id of an address in the buyer's address book.
    Saved(String),
}

pub struct PlaceOrder {
    pub lines: LineSource,
    pub address: AddressSource,
    pub key: IdempotencyKey,
    pub flash_sale_id: Option<String>,
}

/// A placed order and whether this call created it (false: the
/// idempotency key named an earlier one).
pub struct Placed {
    pub order: OrderRow,
    pub created: bool,
}

pub async fn place_order(
    ctx: &OrdersContext,
    user_id: &str,
    request: PlaceOrder,
) -> OrderResult<Placed> {
    let outcome = place(ctx, user_id, request).await;
    if outcome.as_ref().is_ok_and(|placed| placed.created) {
        ctx.metrics.orders_placed.inc();
    }
    outcome
}

async fn place(ctx: &OrdersContext, user_id: &str, request: PlaceOrder) -> OrderResult<Placed> {
    if let Some(order) = orders::find_by_key(ctx.db.pool(), user_id, request.key.as_ref()).await? {
        return Ok(Placed {
            order,
            created: false,
        });
    }
    let lines = match &request.lines {
        LineSource::Given(lines) => lines.clone(),
        LineSource::Cart => cart::lines(ctx.db.pool(), user_id)
            .await?
            .into_iter()
            .map(|l| Ok((l.sku_id, Quantity::parse(l.quantity, "lines")?)))
            .collect::<OrderResult<Vec<_>>>()?,
    };
    check_lines(&lines)?;
    let address = shipping_address(ctx, user_id, &request.address).await?;
    let order_id = order_id_for(user_id, &request.key);
    let flash = match &request.flash_sale_id {
        Some(sale_id) => Some(take_flash_units(ctx, user_id, sale_id, &lines).await?),
        None => None,
    };
    let outcome = reserve_and_store(
        ctx,
        user_id,
        &order_id,
        &lines,
        &request,
        &address,
        flash.as_ref(),
    )
    .await;
    if outcome.as_ref().map_or(true, |placed| !placed.created)
        && let Some(sale) = &flash
    {
        // Nothing holds the units this checkout took: give them back.
        if let Err(error) = ctx.flash.give_back(&sale.id, user_id, sale.quantity).await {
            tracing::warn!(error.cause_chain = ?error, "giving flash-sale units back failed; \
                reconciliation will repair the counter");
        }
    }
    outcome
}

/// The address snapshot the order keeps: the given one, or a copy of the
/// buyer's saved address as it is now.
async fn shipping_address(
    ctx: &OrdersContext,
    user_id: &str,
    source: &AddressSource,
) -> OrderResult<ShippingAddress> {
    let address_id = match source {
        AddressSource::Given(address) => return Ok(address.clone()),
        AddressSource::Saved(id) => id,
    };
    let unknown = || {
        OrderError::business(
            "UNKNOWN_ADDRESS",
            Some("addressId"),
            "there is no such address in your address book",
        )
    };
    // Address ids are UUIDs; anything else cannot name one.
    if uuid::Uuid::parse_str(address_id).is_err() {
        return Err(unknown());
    }
    let saved = ctx
        .users
        .address(user_id, address_id)
        .await?
        .ok_or_else(unknown)?;
    // The address book leaves phone and postal code optional; a parcel
    // needs both, so the buyer is told to complete the saved address.
    // The snapshot has no region (the inline address never had one).
    ShippingAddress::parse(
        &saved.recipient,
        saved.phone.as_deref().unwrap_or(""),
        &saved.line1,
        saved.line2.as_deref(),
        &saved.city,
        saved.postal_code.as_deref().unwrap_or(""),
        &saved.country,
    )
    .map_err(|invalid| {
        OrderError::business(
            "INCOMPLETE_ADDRESS",
            Some("addressId"),
            format!(
                "the saved address cannot be shipped to ({}): complete it in the address book",
                invalid.message
            ),
        )
    })
}

/// The order id of `user_id`'s checkout with idempotency key `key`. Being
/// derived from the two, concurrent repeats of one checkout share it, so the
/// catalog (idempotent by order id) reserves their stock once, and the
/// losers of the insert race leave the winner's reservation alone.
fn order_id_for(user_id: &str, key: &IdempotencyKey) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::new()
        .chain_update(b"shopgraph-order\0")
        .chain_update(user_id.as_bytes())
        .chain_update(b"\0")
        .chain_update(key.as_ref().as_bytes())
        .finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_custom_bytes(bytes)
        .into_uuid()
        .to_string()
}

fn check_lines(lines: &[(String, Quantity)]) -> OrderResult<()> {
    if lines.is_empty() {
        return Err(OrderError::business(
            "EMPTY_ORDER",
            Some("lines"),
            "an order needs at least one line",
        ));
    }
    if lines.len() > MAX_LINES {
        return Err(OrderError::business(
            "TOO_MANY_LINES",
            Some("lines"),
            format!("an order has at most {MAX_LINES} lines"),
        ));
    }
    let mut seen = std::collections::HashSet::new();
    for (sku, _) in lines {
        if sku.trim().is_empty() || sku.len() > 64 {
            return Err(OrderError::UnknownSku(sku.clone()));
        }
        if !seen.insert(sku) {
            return Err(OrderError::business(
                "DUPLICATE_SKU",
                Some("lines"),
                format!("SKU {sku} appears on more than one line"),
            ));
        }
    }
    Ok(())
}

/// The flash sale a checkout took units from.
pub struct FlashUnits {
    pub id: String,
    pub quantity: i64,
    pub sale_price: i64,
    pub currency: String,
}

async fn take_flash_units(
    ctx: &OrdersContext,
    user_id: &str,
    sale_id: &str,
    lines: &[(String, Quantity)],
) -> OrderResult<FlashUnits> {
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
    let [(sku, quantity)] = lines else {
        return Err(OrderError::business(
            "FLASH_SALE_LINES",
            Some("lines"),
            "a flash-sale order has exactly one line, the sale's SKU",
        ));
    };
    if *sku != sale.sku_id {
        return Err(OrderError::business(
            "FLASH_SALE_LINES",
            Some("lines"),
            "a flash-sale order has exactly one line, the sale's SKU",
        ));
    }
    let limit_reached = || {
        OrderError::business(
            "FLASH_SALE_LIMIT",
            Some("lines"),
            format!("at most {} per buyer in this sale", sale.per_user_limit),
        )
    };
    let taken = ctx
        .flash
        .take(
            &sale.id,
            user_id,
            quantity.get(),
            sale.per_user_limit,
            sale.quantity,
        )
        .await
        .map_err(|error| {
            ctx.metrics.flash_refused.inc();
            tracing::warn!(error.cause_chain = ?error, "flash-sale counter unreachable");
            OrderError::business(
                "FLASH_SALE_UNAVAILABLE",
                Some("flashSaleId"),
                "flash sales are paused because their stock counter is unreachable; \
                 please try again shortly",
            )
        })?;
    let counter = match taken {
        Take::Taken => &ctx.metrics.flash_admitted,
        Take::SoldOut | Take::LimitReached => &ctx.metrics.flash_refused,
    };
    counter.inc();
    match taken {
        Take::Taken => Ok(FlashUnits {
            id: sale.id,
            quantity: quantity.get(),
            sale_price: sale.sale_price.amount,
            currency: sale.sale_price.currency,
        }),
        Take::SoldOut => Err(OrderError::OutOfStock(sale.sku_id)),
        Take::LimitReached => Err(limit_reached()),
    }
}

async fn reserve_and_store(
    ctx: &OrdersContext,
    user_id: &str,
    order_id: &str,
    lines: &[(String, Quantity)],
    request: &PlaceOrder,
    address: &ShippingAddress,
    flash: Option<&FlashUnits>,
) -> OrderResult<Placed> {
    let reserve_lines: Vec<ReserveLine> = lines
        .iter()
        .map(|(sku, quantity)| ReserveLine {
            sku_id: sku.clone(),
            quantity: quantity.get(),
        })
        .collect();
    let reserved = ctx
        .catalog
        .reserve(order_id, &reserve_lines)
        .await
        .map_err(|error| match error {
            ReserveError::OutOfStock(sku) => OrderError::OutOfStock(sku),
            ReserveError::UnknownSku(sku) => OrderError::UnknownSku(sku),
            ReserveError::Unavailable(e) => OrderError::Internal(e),
        })?;
    match store(ctx, user_id, order_id, &reserved, request, address, flash).await {
        Ok(placed) => Ok(placed),
        Err(error) => {
            match error {
                // A concurrent repeat stored this very order (same id): the
                // reservation is that order's.
                StoreError::DuplicateKey => {
                    let order = orders::find_by_key(ctx.db.pool(), user_id, request.key.as_ref())
                        .await?
                        .ok_or(OrderError::NotFound)?;
                    Ok(Placed {
                        order,
                        created: false,
                    })
                }
                StoreError::Order(e) => {
                    // The order was not stored: its reservation must not keep stock.
                    if let Err(release) = ctx.catalog.release(order_id).await {
                        tracing::error!(error.cause_chain = ?release, %order_id,
                            "releasing the stock of an order that was not stored failed");
                    }
                    Err(e)
                }
            }
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
    user_id: &str,
    order_id: &str,
    reserved: &[ReservedLine],
    request: &PlaceOrder,
    address: &ShippingAddress,
    flash: Option<&FlashUnits>,
) -> Result<Placed, StoreError> {
    let items: Vec<ItemRow> = reserved
        .iter()
        .enumerate()
        .map(|(position, line)| {
            let (unit_price, currency) = match flash {
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
            user_id,
            idempotency_key: request.key.as_ref(),
            flash_sale_id: flash.map(|f| f.id.as_str()),
            total_amount: total,
            currency: &currency,
            address,
            items: &items,
            now,
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
    if matches!(request.lines, LineSource::Cart) {
        cart::clear(&mut tx, user_id).await?;
    }
    tx.commit().await?;
    ctx.outbox_written();
    Ok(Placed {
        order,
        created: true,
    })
}
