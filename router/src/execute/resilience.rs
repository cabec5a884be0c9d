//! Per-subgraph circuit breaker and retries, as a [`SubgraphClient`]
//! decorator: after `failure_threshold` failures in a row a subgraph gets
//! no requests for `cooldown` (they fail at once), then one trial request
//! decides whether it is back. Queries whose connection failed are retried;
//! mutations never are (they may have been applied).

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use async_trait::async_trait;
use platform::sync::lock;

use super::client::{SubgraphClient, SubgraphError, SubgraphRequest, SubgraphResponse};

#[derive(Debug, Clone, Copy)]
pub struct ResiliencePolicy {
    /// Failures in a row that open the circuit; 0 disables the breaker.
    pub failure_threshold: u32,
    pub cooldown: Duration,
    /// Extra attempts for a query whose connection failed.
    pub retries: u32,
}

#[derive(Debug, Default)]
struct Breaker {
    failures: u32,
    open_until: Option<Instant>,
    /// A trial request is out while the circuit is half open.
    probing: bool,
}

enum Admission {
    Allowed,
    Probe,
    Rejected,
}

pub struct ResilientClient {
    inner: Arc<dyn SubgraphClient>,
    policy: ResiliencePolicy,
    breakers: Mutex<HashMap<String, Breaker>>,
}

impl ResilientClient {
    pub fn new(inner: Arc<dyn SubgraphClient>, policy: ResiliencePolicy) -> Self {
        Self {
            inner,
            policy,
            breakers: Mutex::new(HashMap::new()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Breaker>> {
        lock(&self.breakers)
    }

    fn admit(&self, service: &str) -> Admission {
        if self.policy.failure_threshold == 0 {
            return Admission::Allowed;
        }
        let mut breakers = self.lock();
        let breaker = breakers.entry(service.to_owned()).or_default();
        match breaker.open_until {
            None => Admission::Allowed,
            Some(until) if Instant::now() < until => Admission::Rejected,
            Some(_) if breaker.probing => Admission::Rejected,
            Some(_) => {
                breaker.probing = true;
                Admission::Probe
            }
        }
    }

    fn record(&self, service: &str, healthy: bool) {
        if self.policy.failure_threshold == 0 {
            return;
        }
        let mut breakers = self.lock();
        let breaker = breakers.entry(service.to_owned()).or_default();
        breaker.probing = false;
        if healthy {
            *breaker = Breaker::default();
            return;
        }
        breaker.failures = breaker.failures.saturating_add(1);
        if breaker.failures >= self.policy.failure_threshold || breaker.open_until.is_some() {
            breaker.open_until = Some(Instant::now() + self.policy.cooldown);
        }
    }
}

/// Failures that say the subgraph is unwell (a GraphQL error response is
/// a healthy subgraph answering).
fn is_failure(result: &Result<SubgraphResponse, SubgraphError>) -> bool {
    match result {
        Ok(_) => false,
        Err(SubgraphError::Status(status)) => *status >= 500,
        Err(SubgraphError::UnknownService(_)) => false,
        Err(_) => true,
    }
}

#[async_trait]
impl SubgraphClient for ResilientClient {
    async fn execute(
        &self,
        service: &str,
        request: SubgraphRequest,
    ) -> Result<SubgraphResponse, SubgraphError> {
        if let Admission::Rejected = self.admit(service) {
            return Err(SubgraphError::CircuitOpen);
        }
        let attempts = if request.idempotent {
            1 + self.policy.retries
        } else {
            1
        };
        let mut result = self.inner.execute(service, request.clone()).await;
        for _ in 1..attempts {
            // Only a broken connection is worth another try: a timeout
            // would double the wait, a status or bad body would repeat.
            if !matches!(result, Err(SubgraphError::Transport(_))) {
                break;
            }
            result = self.inner.execute(service, request.clone()).await;
        }
        self.record(service, !is_failure(&result));
        result
    }

    fn inner(&self) -> Option<&dyn SubgraphClient> {
        Some(self.inner.as_ref())
    }
}
