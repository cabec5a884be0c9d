//! Order transitions requested by buyers, administrators and the system
//! (payment callbacks, timeouts): authorise, apply as a conditional update,
//! write the announcing event to the outbox in the same transaction, then
//! fan the change out to `orderStatusChanged` subscribers.

use platform::db::now_millis;
use sqlx::AnyConnection;

use crate::{
    domain::{OrderStatus, Transition, was_shipped},
    events::{self, StatusChange, StatusNews},
    service::{
        context::OrdersContext,
        error::{OrderError, OrderResult},
        payments::refunds,
    },
    store::{
        OrderRow,
        orders::{self, TransitionDetails},
    },
};

/// Who asks for a transition (the service's own transitions, payment and
/// timeout, go through [`apply_in`] directly).
#[derive(Clone, Debug)]
pub enum Actor {
    Buyer(String),
    Admin,
}

fn authorize(actor: &Actor, order: &OrderRow, transition: Transition) -> OrderResult<()> {
    use Transition::*;
    let allowed = match (transition, actor) {
        (Cancel | ConfirmReceipt | RequestRefund, Actor::Buyer(user)) => *user == order.user_id,
        (Cancel, Actor::Admin) => true,
        (Ship | Deliver | ApproveRefund | RejectRefund | ReceiveReturn, Actor::Admin) => true,
        (Ship | Deliver | ApproveRefund | RejectRefund | ReceiveReturn, Actor::Buyer(user)) => {
            return Err(if *user == order.user_id {
                OrderError::AdminOnly
            } else {
                OrderError::NotFound
            });
        }
        _ => false,
    };
    if allowed {
        Ok(())
    } else {
        Err(OrderError::NotFound)
    }
}

/// A transition applied inside the caller's transaction; the caller
/// commits and then calls [`after_commit`] with the result.
pub async fn apply_in(
    conn: &mut AnyConnection,
    order: &OrderRow,
    transition: Transition,
    details: &TransitionDetails,
) -> OrderResult<StatusChange> {
    // Never before the order's last change, whatever this replica's clock
    // says: a subscriber's first message reports the status as of that
    // change, and later changes are told from earlier ones by their time
    // (schema::subscription).
    let now = now_millis().max(order.updated_at);
    let from = order.status();
    let refunded_from = order
        .refund_from_status
        .as_deref()
        .and_then(OrderStatus::parse);
    // Only goods that left can come back: an order refunded before
    // shipping had its units back on sale when it was refunded.
    if transition == Transition::ReceiveReturn && !was_shipped(refunded_from) {
        return Err(OrderError::illegal(from, transition));
    }
    let Some(next) = orders::transition(conn, order, transition, details, now).await? else {
        return Err(OrderError::illegal(from, transition));
    };
    if transition == Transition::ApproveRefund {
        // The money goes back through the provider, in this transaction's
        // outbox; the order is REFUNDED once approved, the payment once
        // the provider says the money is back.
        refunds::owe_order_back_in(conn, &order.order_id, now).await?;
    }
    let items = orders::items_in(conn, &order.order_id).await?;
    if let Some(topic) = transition.topic() {
        events::record(conn, topic, order, next, &items).await?;
    }
    Ok(StatusChange {
        order_id: order.order_id.clone(),
        status: next.as_str().to_owned(),
        previous_status: Some(from.as_str().to_owned()),
        changed_at: now,
    })
}

/// Publishes what a committed transition changed.
pub async fn after_commit(ctx: &OrdersContext, change: StatusChange) {
    ctx.metrics.transitions.inc();
    ctx.outbox_written();
    ctx.announce(StatusNews::Changed(change)).await;
}

/// Applies `transition` to order `order_id` for `actor`.
pub async fn apply(
    ctx: &OrdersContext,
    order_id: &str,
    transition: Transition,
    actor: &Actor,
    details: TransitionDetails,
) -> OrderResult<OrderRow> {
    let mut tx = ctx.db.begin_write().await?;
    let order = orders::find_in(&mut tx, order_id)
        .await?
        .ok_or(OrderError::NotFound)?;
    authorize(actor, &order, transition)?;
    let change = apply_in(&mut tx, &order, transition, &details).await?;
    tx.commit().await?;
    after_commit(ctx, change).await;
    orders::find(ctx.db.pool(), order_id)
        .await?
        .ok_or(OrderError::NotFound)
}

/// Whether `status` is one a buyer's order can still be paid in.
pub fn payable(status: OrderStatus) -> bool {
    status == OrderStatus::PendingPayment
}

/// Cancels order `order_id` inside `tx` (which it commits) if it is still
/// unpaid; an order paid or cancelled meanwhile, or unknown here (another
/// deployment's, on a shared broker), is left alone.
pub async fn expire_in(
    ctx: &OrdersContext,
    mut tx: sqlx::Transaction<'static, sqlx::Any>,
    order_id: &str,
) -> anyhow::Result<()> {
    let Some(order) = orders::find_in(&mut tx, order_id).await? else {
        tx.commit().await?;
        return Ok(());
    };
    // Not due yet by the deadline stored at placement (a message delivered
    // early, a replica's clock behind): the sweep cancels it once due.
    if order.status() != OrderStatus::PendingPayment || order.payment_deadline > now_millis() {
        tx.commit().await?;
        return Ok(());
    }
    let details = TransitionDetails {
        reason: Some("PAYMENT_TIMEOUT".into()),
        ..TransitionDetails::default()
    };
    match apply_in(&mut tx, &order, Transition::Expire, &details).await {
        Ok(change) => {
            tx.commit().await?;
            tracing::info!(%order_id, "unpaid order cancelled after the payment timeout");
            after_commit(ctx, change).await;
        }
        // Paid or cancelled in the meantime: nothing to do.
        Err(OrderError::IllegalTransition { .. }) => tx.commit().await?,
        Err(error) => return Err(anyhow::anyhow!(error)),
    }
    Ok(())
}
