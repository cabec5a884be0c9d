//! Rows as they are stored.

use crate::domain::{OrderStatus, back_on_sale};

pub const ORDER_COLUMNS: &str = "order_id, order_number, user_id, status, \
    flash_sale_id, total_amount, currency, recipient, phone, line1, line2, city, postal_code, \
    country, tracking_number, cancel_reason, refund_reason, refund_from_status, \
    stock_released_at, paid_at, payment_deadline, created_at, updated_at";

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct OrderRow {
    pub order_id: String,
    pub order_number: String,
    pub user_id: String,
    pub status: String,
    pub flash_sale_id: Option<String>,
    pub total_amount: i64,
    pub currency: String,
    pub recipient: String,
    pub phone: String,
    pub line1: String,
    pub line2: Option<String>,
    pub city: String,
    pub postal_code: String,
    pub country: String,
    pub tracking_number: Option<String>,
    pub cancel_reason: Option<String>,
    pub refund_reason: Option<String>,
    pub refund_from_status: Option<String>,
    pub stock_released_at: Option<i64>,
    pub paid_at: Option<i64>,
    /// When an unpaid order is cancelled, fixed at placement (epoch ms).
    pub payment_deadline: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl OrderRow {
    /// The stored status; an unknown value (which no code writes) reads as
    /// cancelled so that nothing acts on it.
    pub fn status(&self) -> OrderStatus {
        OrderStatus::parse(&self.status).unwrap_or(OrderStatus::Cancelled)
    }

    /// Whether the order's units are back on sale (`domain::back_on_sale`);
    /// `None` for a status this code does not know.
    pub fn units_back_on_sale(&self) -> Option<bool> {
        let refunded_from = self
            .refund_from_status
            .as_deref()
            .and_then(OrderStatus::parse);
        OrderStatus::parse(&self.status).map(|status| back_on_sale(status, refunded_from))
    }
}

pub const ITEM_COLUMNS: &str = "order_id, position, sku_id, product_id, product_name, sku_name, \
    unit_price, currency, quantity";

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ItemRow {
    pub order_id: String,
    pub position: i64,
    pub sku_id: String,
    pub product_id: String,
    pub product_name: String,
    pub sku_name: String,
    pub unit_price: i64,
    pub currency: String,
    pub quantity: i64,
}

pub const PAYMENT_COLUMNS: &str = "payment_id, order_id, user_id, idempotency_key, method, \
    amount, currency, status, callbacks, created_at, updated_at";

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PaymentRow {
    pub payment_id: String,
    pub order_id: String,
    pub user_id: String,
    pub idempotency_key: String,
    pub method: String,
    pub amount: i64,
    pub currency: String,
    pub status: String,
    pub callbacks: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct CartLineRow {
    pub sku_id: String,
    pub product_id: String,
    pub quantity: i64,
}
