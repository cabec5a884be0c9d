//! In-flight de-duplication: identical subgraph queries sent while one is
//! already on its way wait for that one's answer instead of going out again.
//! Never for mutations (the executor marks which requests may share).

use std::sync::{Arc, Mutex};

use super::client::{SubgraphClient, SubgraphError, SubgraphRequest, SubgraphResponse};
use async_trait::async_trait;
use bytes::Bytes;
// Keys hold whole request bodies, often tens of KB: SipHash over them
// would cost more than the lookup saves.
use foldhash::HashMap;
use futures::{
    FutureExt,
    future::{BoxFuture, Shared},
};
use hyper::header::AUTHORIZATION;
use platform::sync::lock;

/// Everything that makes two requests the same request, including who
/// asks: a response is only shared between callers with one identity.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    service: String,
    /// The query and its variables.
    body: Bytes,
    authorization: Option<Vec<u8>>,
}

type Pending = Shared<BoxFuture<'static, Result<SubgraphResponse, SubgraphError>>>;

pub struct DedupingClient {
    inner: Arc<dyn SubgraphClient>,
    in_flight: Arc<Mutex<HashMap<Key, Pending>>>,
}

impl DedupingClient {
    pub fn new(inner: Arc<dyn SubgraphClient>) -> Self {
        Self {
            inner,
            in_flight: Arc::new(Mutex::new(HashMap::default())),
        }
    }
}

#[async_trait]
impl SubgraphClient for DedupingClient {
    async fn execute(
        &self,
        service: &str,
        request: SubgraphRequest,
    ) -> Result<SubgraphResponse, SubgraphError> {
        if !request.idempotent {
            return self.inner.execute(service, request).await;
        }
        let key = Key {
            service: service.to_owned(),
            body: request.body.clone(),
            authorization: request
                .headers
                .get(AUTHORIZATION)
                .map(|v| v.as_bytes().to_vec()),
        };
        let pending = {
            let mut in_flight = lock(&self.in_flight);
            match in_flight.get(&key) {
                Some(pending) => pending.clone(),
                None => {
                    let inner = self.inner.clone();
                    let registry = self.in_flight.clone();
                    let service = service.to_owned();
                    let own_key = key.clone();
                    let pending = async move {
                        let result = inner.execute(&service, request).await;
                        // Done: later identical requests go out afresh.
                        lock(&registry).remove(&own_key);
                        result
                    }
                    .boxed()
                    .shared();
                    in_flight.insert(key, pending.clone());
                    pending
                }
            }
        };
        pending.await
    }

    fn inner(&self) -> Option<&dyn SubgraphClient> {
        Some(self.inner.as_ref())
    }
}
