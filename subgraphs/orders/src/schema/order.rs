//! `Order` (`@key(fields: "id")`), its items, address and payments.

use async_graphql::{Context, Enum, ID, Object, Result, SimpleObject};
use platform::gql::{Money, Timestamp, int};

use super::{
    entities::{ProductRef, UserRef},
    load_error, loaders,
};
use crate::{
    domain,
    store::{ItemRow, OrderRow, PaymentRow},
};

// The domain's states as GraphQL sees them; `remote` derives the
// conversions both ways, variant by variant (a plain comment: a doc
// comment would become the type's description in the SDL).
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
#[graphql(name = "OrderStatus", remote = "domain::OrderStatus")]
pub enum OrderStatus {
    PendingPayment,
    Paid,
    Shipped,
    Delivered,
    Completed,
    Cancelled,
    RefundRequested,
    /// The refund was approved and its money sent back through the payment
    /// provider (the payment says when it arrived). Units of an order never
    /// shipped are back on sale; shipped ones once returned.
    Refunded,
    /// Refunded after shipping, and the goods came back: on sale again.
    Returned,
}

pub struct OrderNode(pub OrderRow);

/// An order: what was bought at which price, where it goes, and where it
/// stands. Visible to its buyer and to administrators.
#[Object(name = "Order")]
impl OrderNode {
    async fn id(&self) -> ID {
        ID(self.0.order_id.clone())
    }

    /// The human-readable order number, e.g. `SG20261126-7K3QX9TA`.
    async fn number(&self) -> &str {
        &self.0.order_number
    }

    async fn status(&self) -> OrderStatus {
        self.0.status().into()
    }

    async fn buyer(&self) -> UserRef {
        UserRef {
            id: self.0.user_id.clone(),
        }
    }

    /// The items with the names and prices at purchase time.
    async fn items(&self, ctx: &Context<'_>) -> Result<Vec<OrderItem>> {
        let items = loaders(ctx)?
            .items
            .load_one(self.0.order_id.clone())
            .await
            .map_err(load_error)?
            .unwrap_or_default();
        Ok(items.into_iter().map(OrderItem).collect())
    }

    async fn total(&self) -> Money {
        Money::new(self.0.total_amount, &self.0.currency)
    }

    async fn shipping_address(&self) -> ShippingAddress {
        let o = &self.0;
        ShippingAddress {
            recipient: o.recipient.clone(),
            phone: o.phone.clone(),
            line1: o.line1.clone(),
            line2: o.line2.clone(),
            city: o.city.clone(),
            postal_code: o.postal_code.clone(),
            country: o.country.clone(),
        }
    }

    async fn flash_sale_id(&self) -> Option<ID> {
        self.0.flash_sale_id.clone().map(ID)
    }

    async fn tracking_number(&self) -> Option<&str> {
        self.0.tracking_number.as_deref()
    }

    /// Why the order was cancelled (`BY_BUYER`, `PAYMENT_TIMEOUT`, …).
    async fn cancel_reason(&self) -> Option<&str> {
        self.0.cancel_reason.as_deref()
    }

    async fn refund_reason(&self) -> Option<&str> {
        self.0.refund_reason.as_deref()
    }

    /// Whether the reserved stock went back to the catalog.
    async fn stock_released(&self) -> bool {
        self.0.stock_released_at.is_some()
    }

    async fn payments(&self, ctx: &Context<'_>) -> Result<Vec<Payment>> {
        let payments = loaders(ctx)?
            .payments
            .load_one(self.0.order_id.clone())
            .await
            .map_err(load_error)?
            .unwrap_or_default();
        Ok(payments.into_iter().map(Payment).collect())
    }

    async fn created_at(&self) -> Timestamp {
        Timestamp(self.0.created_at)
    }

    async fn updated_at(&self) -> Timestamp {
        Timestamp(self.0.updated_at)
    }

    async fn paid_at(&self) -> Option<Timestamp> {
        self.0.paid_at.map(Timestamp)
    }
}

pub struct OrderItem(pub ItemRow);

/// One line of an order, as it was at purchase time.
#[Object]
impl OrderItem {
    async fn sku_id(&self) -> ID {
        ID(self.0.sku_id.clone())
    }

    async fn product(&self) -> ProductRef {
        ProductRef {
            id: self.0.product_id.clone(),
        }
    }

    async fn product_name(&self) -> &str {
        &self.0.product_name
    }

    async fn sku_name(&self) -> &str {
        &self.0.sku_name
    }

    async fn unit_price(&self) -> Money {
        Money::new(self.0.unit_price, &self.0.currency)
    }

    async fn quantity(&self) -> i32 {
        int(self.0.quantity)
    }

    async fn line_total(&self) -> Money {
        Money::new(self.0.unit_price * self.0.quantity, &self.0.currency)
    }
}

/// The address an order ships to, as given at checkout.
#[derive(SimpleObject)]
pub struct ShippingAddress {
    pub recipient: String,
    pub phone: String,
    pub line1: String,
    pub line2: Option<String>,
    pub city: String,
    pub postal_code: String,
    pub country: String,
}

pub struct Payment(pub PaymentRow);

#[Object]
impl Payment {
    async fn id(&self) -> ID {
        ID(self.0.payment_id.clone())
    }

    async fn order_id(&self) -> ID {
        ID(self.0.order_id.clone())
    }

    async fn method(&self) -> &str {
        &self.0.method
    }

    async fn amount(&self) -> Money {
        Money::new(self.0.amount, &self.0.currency)
    }

    /// `PENDING`, `SUCCEEDED`, `FAILED`, `REFUND_PENDING` (owed back: the
    /// refund was approved, or it paid an order that could no longer take
    /// it; the provider was asked) or `REFUNDED` (the money is back).
    async fn status(&self) -> &str {
        &self.0.status
    }

    /// How many provider callbacks arrived for it.
    async fn callbacks(&self) -> i32 {
        int(self.0.callbacks)
    }

    async fn created_at(&self) -> Timestamp {
        Timestamp(self.0.created_at)
    }

    async fn updated_at(&self) -> Timestamp {
        Timestamp(self.0.updated_at)
    }
}
