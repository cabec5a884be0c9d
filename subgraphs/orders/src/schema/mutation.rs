//! Order mutations: checkout, payment, and the buyer's and administrators'
//! transitions.

use async_graphql::{Context, Enum, ID, InputObject, Object, Result};
use platform::gql::int;

use super::{
    admin,
    order::{OrderNode, Payment},
    orders_ctx,
    payloads::{FlashSaleRepair, OrderPayload, PaymentPayload, PlaceOrderPayload},
    placement::OrderPlacement,
    signed_in,
};
use crate::{
    domain::{IdempotencyKey, InvalidInput, Quantity, ShippingAddress, Transition},
    service::{
        checkout::{AddressSource, LineSource, PlaceOrder, Placement, place_order},
        error::OrderError,
        flash::reconcile::reconcile_once,
        lifecycle::{Actor, apply},
        payments::pay_order,
    },
    store::orders::TransitionDetails,
};

#[derive(InputObject)]
pub struct OrderLineInput {
    pub sku_id: ID,
    pub quantity: i32,
}

/// An address given in full at checkout (the alternative to `addressId`);
/// the order keeps it as given.
#[derive(InputObject)]
pub struct ShippingAddressInput {
    pub recipient: String,
    pub phone: String,
    pub line1: String,
    pub line2: Option<String>,
    pub city: String,
    pub postal_code: String,
    /// ISO 3166 two-letter code.
    pub country: String,
}

#[derive(InputObject)]
pub struct PlaceOrderInput {
    /// The lines to buy; or leave out and set `fromCart`.
    pub lines: Option<Vec<OrderLineInput>>,
    /// Buy what is in the cart (which is emptied when the order is placed).
    #[graphql(default = false)]
    pub from_cart: bool,
    /// An address from the buyer's address book; the order keeps a copy
    /// of it as it is at checkout. Give this or `shippingAddress`.
    pub address_id: Option<ID>,
    /// The address in full, instead of `addressId`.
    pub shipping_address: Option<ShippingAddressInput>,
    /// A repeat with the same key returns the first order.
    pub idempotency_key: String,
    /// Buy the single line at this flash sale's price.
    pub flash_sale_id: Option<ID>,
}

impl TryFrom<PlaceOrderInput> for PlaceOrder {
    type Error = InvalidInput;

    fn try_from(input: PlaceOrderInput) -> Result<Self, InvalidInput> {
        let lines = match (input.lines, input.from_cart) {
            (Some(_), true) => {
                return Err(InvalidInput::new(
                    "INVALID_LINES",
                    "lines",
                    "give lines or fromCart, not both",
                ));
            }
            (None, false) => {
                return Err(InvalidInput::new(
                    "EMPTY_ORDER",
                    "lines",
                    "give the lines to buy, or fromCart",
                ));
            }
            (None, true) => LineSource::Cart,
            (Some(lines), false) => LineSource::Given(
                lines
                    .into_iter()
                    .map(|l| Ok((l.sku_id.0, Quantity::parse(i64::from(l.quantity), "lines")?)))
                    .collect::<Result<_, InvalidInput>>()?,
            ),
        };
        let address = match (input.address_id, input.shipping_address) {
            (Some(id), None) => AddressSource::Saved(id.0),
            (None, Some(a)) => AddressSource::Given(ShippingAddress::parse(
                &a.recipient,
                &a.phone,
                &a.line1,
                a.line2.as_deref(),
                &a.city,
                &a.postal_code,
                &a.country,
            )?),
            (Some(_), Some(_)) => {
                return Err(InvalidInput::new(
                    "INVALID_ADDRESS",
                    "addressId",
                    "give addressId or shippingAddress, not both",
                ));
            }
            (None, None) => {
                return Err(InvalidInput::new(
                    "MISSING_ADDRESS",
                    "addressId",
                    "give the addressId of a saved address, or a shippingAddress",
                ));
            }
        };
        Ok(Self {
            lines,
            address,
            key: IdempotencyKey::parse(&input.idempotency_key)?,
            flash_sale_id: input.flash_sale_id.map(|id| id.0),
        })
    }
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum PaymentMethod {
    Card,
    Alipay,
    WechatPay,
}

impl PaymentMethod {
    fn as_str(self) -> &'static str {
        match self {
            Self::Card => "CARD",
            Self::Alipay => "ALIPAY",
            Self::WechatPay => "WECHAT_PAY",
        }
    }
}

async fn transition(
    ctx: &Context<'_>,
    order_id: ID,
    transition: Transition,
    actor: Actor,
    details: TransitionDetails,
) -> Result<OrderPayload> {
    let service = orders_ctx(ctx)?;
    let result = apply(service, &order_id, transition, &actor, details)
        .await
        .map(OrderNode);
    OrderPayload::from_result(result)
}

fn buyer(ctx: &Context<'_>) -> Result<Actor> {
    Ok(Actor::Buyer(signed_in(ctx)?.user_id.clone()))
}

#[derive(Default)]
pub struct OrderMutation;

#[Object]
impl OrderMutation {
    /// Places an order: reserves the stock and waits for payment
    /// (`PENDING_PAYMENT`). Out of stock gives `OUT_OF_STOCK` naming the
    /// SKU, and nothing is reserved. A flash-sale order is admitted by the
    /// sale's counter and stored asynchronously: its placement is `QUEUED`.
    #[graphql(directive = platform::federation::authenticated::apply())]
    async fn place_order(
        &self,
        ctx: &Context<'_>,
        input: PlaceOrderInput,
    ) -> Result<PlaceOrderPayload> {
        let viewer = signed_in(ctx)?;
        let service = orders_ctx(ctx)?;
        let result = async {
            let request = PlaceOrder::try_from(input)?;
            place_order(service, &viewer.user_id, request).await
        }
        .await;
        Ok(match result {
            Ok(Placement::Stored(placed)) => PlaceOrderPayload {
                order: Some(OrderNode(placed.order.clone())),
                placement: Some(OrderPlacement::placed(OrderNode(placed.order))),
                errors: Vec::new(),
            },
            Ok(Placement::Queued { order_id }) => PlaceOrderPayload {
                order: None,
                placement: Some(OrderPlacement::queued(order_id)),
                errors: Vec::new(),
            },
            Err(error) => {
                if !matches!(error, OrderError::Internal(_)) {
                    service.metrics.checkouts_refused.inc();
                }
                PlaceOrderPayload {
                    order: None,
                    placement: None,
                    errors: vec![error.into_user_error()?],
                }
            }
        })
    }

    /// Pays an unpaid order with the sandbox provider; the order becomes
    /// `PAID` when the provider's callback arrives.
    #[graphql(directive = platform::federation::authenticated::apply())]
    async fn pay_order(
        &self,
        ctx: &Context<'_>,
        order_id: ID,
        method: PaymentMethod,
        idempotency_key: String,
    ) -> Result<PaymentPayload> {
        let viewer = signed_in(ctx)?;
        let service = orders_ctx(ctx)?;
        let result = async {
            let key = IdempotencyKey::parse(&idempotency_key)?;
            pay_order(service, &viewer.user_id, &order_id, method.as_str(), &key).await
        }
        .await;
        Ok(match result {
            Ok(payment) => PaymentPayload {
                payment: Some(Payment(payment)),
                errors: Vec::new(),
            },
            Err(error) => PaymentPayload {
                payment: None,
                errors: vec![error.into_user_error()?],
            },
        })
    }

    /// The buyer cancels an unpaid order; its stock is released.
    #[graphql(directive = platform::federation::authenticated::apply())]
    async fn cancel_order(&self, ctx: &Context<'_>, order_id: ID) -> Result<OrderPayload> {
        let actor = match admin(ctx) {
            Ok(_) => Actor::Admin,
            Err(_) => buyer(ctx)?,
        };
        let details = TransitionDetails {
            reason: Some(
                if matches!(actor, Actor::Admin) {
                    "BY_ADMIN"
                } else {
                    "BY_BUYER"
                }
                .into(),
            ),
            ..TransitionDetails::default()
        };
        transition(ctx, order_id, Transition::Cancel, actor, details).await
    }

    /// The buyer confirms that a shipped order arrived.
    #[graphql(directive = platform::federation::authenticated::apply())]
    async fn confirm_receipt(&self, ctx: &Context<'_>, order_id: ID) -> Result<OrderPayload> {
        let actor = buyer(ctx)?;
        transition(
            ctx,
            order_id,
            Transition::ConfirmReceipt,
            actor,
            TransitionDetails::default(),
        )
        .await
    }

    /// The buyer asks for a refund of a paid order.
    #[graphql(directive = platform::federation::authenticated::apply())]
    async fn request_refund(
        &self,
        ctx: &Context<'_>,
        order_id: ID,
        reason: Option<String>,
    ) -> Result<OrderPayload> {
        let actor = buyer(ctx)?;
        let reason = reason.map(|r| r.trim().chars().take(500).collect::<String>());
        let details = TransitionDetails {
            reason,
            ..TransitionDetails::default()
        };
        transition(ctx, order_id, Transition::RequestRefund, actor, details).await
    }

    #[graphql(requires_scopes = "admin")]
    async fn ship_order(
        &self,
        ctx: &Context<'_>,
        order_id: ID,
        tracking_number: String,
    ) -> Result<OrderPayload> {
        admin(ctx)?;
        let tracking = tracking_number.trim();
        if tracking.is_empty() || tracking.len() > 64 {
            return OrderPayload::from_result(Err(OrderError::business(
                "INVALID_TRACKING_NUMBER",
                Some("trackingNumber"),
                "the tracking number must be 1 to 64 characters",
            )));
        }
        let details = TransitionDetails {
            tracking_number: Some(tracking.to_owned()),
            ..TransitionDetails::default()
        };
        transition(ctx, order_id, Transition::Ship, Actor::Admin, details).await
    }

    /// Records that the carrier delivered a shipped order.
    #[graphql(requires_scopes = "admin")]
    async fn mark_delivered(&self, ctx: &Context<'_>, order_id: ID) -> Result<OrderPayload> {
        admin(ctx)?;
        transition(
            ctx,
            order_id,
            Transition::Deliver,
            Actor::Admin,
            TransitionDetails::default(),
        )
        .await
    }

    /// Refunds the order: its payment's money goes back through the payment
    /// provider. Stock of an order not yet shipped is released now; shipped
    /// goods go back on sale when `receiveReturn` records them back.
    #[graphql(requires_scopes = "admin")]
    async fn approve_refund(&self, ctx: &Context<'_>, order_id: ID) -> Result<OrderPayload> {
        admin(ctx)?;
        transition(
            ctx,
            order_id,
            Transition::ApproveRefund,
            Actor::Admin,
            TransitionDetails::default(),
        )
        .await
    }

    /// Refuses the refund; the order goes back to where it was.
    #[graphql(requires_scopes = "admin")]
    async fn reject_refund(&self, ctx: &Context<'_>, order_id: ID) -> Result<OrderPayload> {
        admin(ctx)?;
        transition(
            ctx,
            order_id,
            Transition::RejectRefund,
            Actor::Admin,
            TransitionDetails::default(),
        )
        .await
    }

    /// Records that the goods of an order refunded after shipping came
    /// back: the order is RETURNED and its units are on sale again.
    #[graphql(requires_scopes = "admin")]
    async fn receive_return(&self, ctx: &Context<'_>, order_id: ID) -> Result<OrderPayload> {
        admin(ctx)?;
        transition(
            ctx,
            order_id,
            Transition::ReceiveReturn,
            Actor::Admin,
            TransitionDetails::default(),
        )
        .await
    }

    /// Compares the flash-sale counters with the orders now and repairs
    /// drift (it also runs periodically); lists what it repaired.
    #[graphql(requires_scopes = "admin")]
    async fn reconcile_flash_sales(&self, ctx: &Context<'_>) -> Result<Vec<FlashSaleRepair>> {
        admin(ctx)?;
        let service = orders_ctx(ctx)?;
        let repairs = reconcile_once(service, service.settings.flash_queue_timeout)
            .await
            .map_err(platform::gql::internal)?;
        Ok(repairs
            .into_iter()
            .map(|r| FlashSaleRepair {
                sale_id: ID(r.sale_id),
                remaining_before: int(r.remaining_before),
                remaining_after: int(r.remaining_after),
            })
            .collect())
    }
}
