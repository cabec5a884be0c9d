//! More replicas of the orders service, on the same database and backends.

use orders::{App, Settings};
use serde_json::Value;

use super::TestApp;

/// Another replica of the orders service, on the same database and
/// backends.
pub struct Replica {
    pub address: String,
}

impl TestApp {
    /// Starts another replica of the orders service, with `tweak` applied
    /// to its settings (a different timeout, a quick sweep, …).
    pub async fn spawn_replica(&self, tweak: impl FnOnce(&mut Settings)) -> Replica {
        let mut settings = self.settings.clone();
        tweak(&mut settings);
        let app = App::build(settings).await.expect("the replica builds");
        let address = format!("http://127.0.0.1:{}", app.port());
        tokio::spawn(app.run_until_stopped(std::future::pending()));
        Replica { address }
    }

    /// POST /graphql to `replica`; `data`, which must carry no errors.
    pub async fn replica_data(
        &self,
        replica: &Replica,
        query: &str,
        variables: Value,
        token: &str,
    ) -> Value {
        let body = self
            .post_graphql(&replica.address, query, variables, Some(token))
            .await;
        assert!(body.get("errors").is_none(), "unexpected errors: {body}");
        body["data"].clone()
    }
}
