//! The service context every resolver, handler and consumer shares: the
//! handles through which the use cases reach the database, the broker, the
//! fan-out and the other parties (`store::clients`).

use std::sync::Arc;

use platform::{
    auth::JwtVerifier,
    db::Db,
    events::{Broker, outbox::RelayWaker},
    fanout::Fanout,
};

use crate::{
    events::{StatusNews, status_channel},
    metrics::Metrics,
    settings::Settings,
    store::{
        clients::{
            catalog::CatalogClient, payments::provider::PaymentProvider, sale_cache::SaleCache,
            users::UsersClient,
        },
        flash::FlashStock,
    },
};

#[derive(Clone)]
pub struct OrdersContext {
    pub db: Db,
    /// Access tokens, checked against the revocation list.
    pub verifier: JwtVerifier,
    pub catalog: CatalogClient,
    /// The users service: saved shipping addresses.
    pub users: UsersClient,
    pub broker: Arc<dyn Broker>,
    pub fanout: Arc<dyn Fanout>,
    pub relay: RelayWaker,
    pub flash: Arc<dyn FlashStock>,
    pub sales: Arc<SaleCache>,
    pub settings: Arc<Settings>,
    /// Who moves the money: the sandbox provider.
    pub payments: Arc<dyn PaymentProvider>,
    pub metrics: Arc<Metrics>,
}

impl OrdersContext {
    /// After a commit that wrote outbox rows: publish them now rather than
    /// at the relay's next poll.
    pub fn outbox_written(&self) {
        self.relay.wake();
    }

    /// Tells `orderStatusChanged` subscribers (on every replica) about a
    /// committed transition or placement. Best effort: what happened stands
    /// even when the fan-out is unreachable.
    pub async fn announce(&self, news: StatusNews) {
        let channel = status_channel(news.order_id());
        let payload = match serde_json::to_vec(&news) {
            Ok(payload) => payload,
            Err(error) => {
                tracing::error!(%error, "encoding a status change");
                return;
            }
        };
        if let Err(error) = self.fanout.publish(&channel, payload).await {
            tracing::warn!(error.cause_chain = ?error, order_id = %news.order_id(),
                "could not fan out an order status change");
        }
    }
}
