//! `placeOrder`: check the lines and the address, then store the order
//! ([`draft`]): in the request for a normal checkout; for a flash-sale
//! checkout, after the counter admitted it, asynchronously ([`flash`]).
//! A saved address is looked up in the users service before any stock is
//! reserved, so an unknown one costs nothing; the order keeps a copy, so
//! later edits of the address book do not change it.

mod draft;
mod flash;

pub use draft::{OrderDraft, reserve_and_store};

use contracts::stock::ReserveLine;

use crate::{
    domain::{IdempotencyKey, MAX_LINES, Quantity, ShippingAddress},
    service::{
        context::OrdersContext,
        error::{OrderError, OrderResult},
    },
    store::{OrderRow, cart, orders},
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

/// A stored order and whether this call created it (false: the
/// idempotency key named an earlier one).
pub struct Placed {
    pub order: OrderRow,
    pub created: bool,
}

/// What a checkout came to.
pub enum Placement {
    Stored(Box<Placed>),
    /// A flash-sale order admitted and queued; it is stored shortly under
    /// this id (`orderPlacement` tells when).
    Queued {
        order_id: String,
    },
}

pub async fn place_order(
    ctx: &OrdersContext,
    user_id: &str,
    request: PlaceOrder,
) -> OrderResult<Placement> {
    if let Some(order) = orders::find_by_key(ctx.db.pool(), user_id, request.key.as_ref()).await? {
        return Ok(Placement::Stored(Box::new(Placed {
            order,
            created: false,
        })));
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
    let draft = OrderDraft {
        order_id: order_id_for(user_id, &request.key),
        user_id: user_id.to_owned(),
        idempotency_key: request.key.as_ref().to_owned(),
        lines: lines
            .into_iter()
            .map(|(sku_id, quantity)| ReserveLine {
                sku_id,
                quantity: quantity.get(),
            })
            .collect(),
        address: shipping_address(ctx, user_id, &request.address).await?,
        flash: None,
        from_cart: matches!(request.lines, LineSource::Cart),
    };
    match &request.flash_sale_id {
        Some(sale_id) => flash::admit(ctx, sale_id, draft).await,
        None => {
            let placed = reserve_and_store(ctx, &draft).await?;
            if placed.created {
                ctx.metrics.orders_placed.inc();
            }
            Ok(Placement::Stored(Box::new(placed)))
        }
    }
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
