//! The order state machine. Every transition is applied as a conditional
//! update on the current state (see `store::orders::transition`), so a
//! duplicate or late message finds the order in another state and changes
//! nothing.

use std::fmt;

use contracts::events::order;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OrderStatus {
    PendingPayment,
    Paid,
    Shipped,
    Delivered,
    Completed,
    Cancelled,
    RefundRequested,
    Refunded,
    /// Refunded after it was shipped, and the goods came back.
    Returned,
}

impl OrderStatus {
    pub const ALL: [OrderStatus; 9] = [
        Self::PendingPayment,
        Self::Paid,
        Self::Shipped,
        Self::Delivered,
        Self::Completed,
        Self::Cancelled,
        Self::RefundRequested,
        Self::Refunded,
        Self::Returned,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::PendingPayment => "PENDING_PAYMENT",
            Self::Paid => "PAID",
            Self::Shipped => "SHIPPED",
            Self::Delivered => "DELIVERED",
            Self::Completed => "COMPLETED",
            Self::Cancelled => "CANCELLED",
            Self::RefundRequested => "REFUND_REQUESTED",
            Self::Refunded => "REFUNDED",
            Self::Returned => "RETURNED",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    /// Whether units in this state count as sold: paid and not refunded.
    /// The catalog's `sales_count` (its SALES sort) is the same number by
    /// definition: it adds an order's units on `order.paid` and takes them
    /// away on `order.refunded`, the topics of the transitions into and out
    /// of these states (pinned by this module's tests).
    pub fn is_sold(self) -> bool {
        matches!(
            self,
            Self::Paid | Self::Shipped | Self::Delivered | Self::Completed | Self::RefundRequested
        )
    }
}

/// Whether an order in `status`, refunded (if it was) from `refunded_from`,
/// has its units back on sale: cancelled, refunded before it left the
/// warehouse, or returned. Goods refunded after shipping are with the
/// buyer until they come back.
pub fn back_on_sale(status: OrderStatus, refunded_from: Option<OrderStatus>) -> bool {
    match status {
        OrderStatus::Cancelled | OrderStatus::Returned => true,
        OrderStatus::Refunded => !was_shipped(refunded_from),
        _ => false,
    }
}

/// Whether a refund requested from `refunded_from` came after shipping.
pub fn was_shipped(refunded_from: Option<OrderStatus>) -> bool {
    matches!(
        refunded_from,
        Some(OrderStatus::Shipped | OrderStatus::Delivered)
    )
}

impl fmt::Display for OrderStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A legal change of an order's state, with who may make it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transition {
    /// The payment provider confirmed the payment.
    Pay,
    /// The buyer cancels an unpaid order.
    Cancel,
    /// The payment timeout found the order unpaid.
    Expire,
    /// An administrator ships the order.
    Ship,
    /// An administrator records that the carrier delivered it.
    Deliver,
    /// The buyer confirms receipt.
    ConfirmReceipt,
    /// The buyer asks for a refund of a paid order.
    RequestRefund,
    /// An administrator approves the refund.
    ApproveRefund,
    /// An administrator rejects the refund; the order returns to the state
    /// it was in when the refund was requested.
    RejectRefund,
    /// An administrator records that the goods of an order refunded after
    /// shipping came back; they go back on sale.
    ReceiveReturn,
}

impl Transition {
    /// The states this transition starts from.
    pub fn from(self) -> &'static [OrderStatus] {
        use OrderStatus::*;
        match self {
            Self::Pay | Self::Cancel | Self::Expire => &[PendingPayment],
            Self::Ship => &[Paid],
            Self::Deliver => &[Shipped],
            Self::ConfirmReceipt => &[Shipped, Delivered],
            Self::RequestRefund => &[Paid, Shipped, Delivered],
            Self::ApproveRefund | Self::RejectRefund => &[RefundRequested],
            Self::ReceiveReturn => &[Refunded],
        }
    }

    /// The state it leads to; `RejectRefund` leads back to the state saved
    /// when the refund was requested, passed as `previous`.
    pub fn to(self, previous: Option<OrderStatus>) -> OrderStatus {
        use OrderStatus::*;
        match self {
            Self::Pay => Paid,
            Self::Cancel | Self::Expire => Cancelled,
            Self::Ship => Shipped,
            Self::Deliver => Delivered,
            Self::ConfirmReceipt => Completed,
            Self::RequestRefund => RefundRequested,
            Self::ApproveRefund => Refunded,
            Self::RejectRefund => previous.unwrap_or(Paid),
            Self::ReceiveReturn => Returned,
        }
    }

    /// The event topic announcing the new state, when there is one.
    pub fn topic(self) -> Option<&'static str> {
        match self {
            Self::Pay => Some(order::ORDER_PAID),
            Self::Cancel | Self::Expire => Some(order::ORDER_CANCELLED),
            Self::Ship => Some(order::ORDER_SHIPPED),
            Self::Deliver => Some(order::ORDER_DELIVERED),
            Self::ConfirmReceipt => Some(order::ORDER_COMPLETED),
            Self::ApproveRefund => Some(order::ORDER_REFUNDED),
            Self::RequestRefund => Some(order::ORDER_REFUND_REQUESTED),
            Self::RejectRefund => Some(order::ORDER_REFUND_REJECTED),
            Self::ReceiveReturn => Some(order::ORDER_RETURNED),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_through_their_names() {
        for status in OrderStatus::ALL {
            assert_eq!(OrderStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(OrderStatus::parse("paid"), None);
    }

    #[test]
    fn only_unpaid_orders_can_be_paid_or_cancelled() {
        for t in [Transition::Pay, Transition::Cancel, Transition::Expire] {
            assert_eq!(t.from(), &[OrderStatus::PendingPayment]);
        }
        assert!(
            !Transition::Ship
                .from()
                .contains(&OrderStatus::PendingPayment)
        );
        assert!(!Transition::Cancel.from().contains(&OrderStatus::Paid));
        assert_eq!(
            Transition::RejectRefund.to(Some(OrderStatus::Shipped)),
            OrderStatus::Shipped
        );
    }

    #[test]
    fn units_refunded_after_shipping_go_back_on_sale_only_when_returned() {
        use OrderStatus::*;
        assert!(back_on_sale(Cancelled, None));
        assert!(back_on_sale(Refunded, Some(Paid)));
        assert!(!back_on_sale(Refunded, Some(Shipped)));
        assert!(!back_on_sale(Refunded, Some(Delivered)));
        assert!(back_on_sale(Returned, Some(Shipped)));
        assert!(!back_on_sale(RefundRequested, Some(Paid)));
        assert_eq!(Transition::ReceiveReturn.from(), &[Refunded]);
    }

    /// Every order's life, walked through every legal transition from
    /// unpaid: in every state it reaches, its units count as sold
    /// (`is_sold`, orders' `salesCount`) exactly when the `order.paid`
    /// events announced for it outnumber the `order.refunded` ones (the
    /// catalog's `sales_count`), so the two counts cannot disagree.
    #[test]
    fn sold_means_paid_and_not_refunded_as_the_catalog_counts_it() {
        use OrderStatus::*;
        const ALL: [Transition; 10] = [
            Transition::Pay,
            Transition::Cancel,
            Transition::Expire,
            Transition::Ship,
            Transition::Deliver,
            Transition::ConfirmReceipt,
            Transition::RequestRefund,
            Transition::ApproveRefund,
            Transition::RejectRefund,
            Transition::ReceiveReturn,
        ];
        // (state, the state a refund was requested from, catalog's count)
        let mut todo = vec![(PendingPayment, None::<OrderStatus>, 0_i64, 0_usize)];
        let mut seen = 0;
        while let Some((status, requested_from, counted, depth)) = todo.pop() {
            seen += 1;
            assert_eq!(
                status.is_sold(),
                counted == 1,
                "{status} after transitions counted {counted} by the catalog"
            );
            assert!((0..=1).contains(&counted), "{status}: counted {counted}");
            if depth == 8 {
                continue;
            }
            for t in ALL.into_iter().filter(|t| t.from().contains(&status)) {
                let next = t.to(requested_from);
                let counted = counted
                    + match t.topic() {
                        Some(order::ORDER_PAID) => 1,
                        Some(order::ORDER_REFUNDED) => -1,
                        _ => 0,
                    };
                let requested_from = match t {
                    Transition::RequestRefund => Some(status),
                    _ => requested_from,
                };
                todo.push((next, requested_from, counted, depth + 1));
            }
        }
        assert!(seen > 20, "the walk reached {seen} states");
    }
}
