//! Plans cached by (operation text, operation name), so a document is
//! planned once per supergraph. A new supergraph gets a new cache, because
//! the cache lives in the per-supergraph runtime.

use std::sync::Arc;

use moka::sync::Cache;

use super::{PlanError, QueryPlan, QueryPlanner};

type Key = (String, Option<String>);

pub struct CachingPlanner<P> {
    inner: P,
    /// Bounded: an attacker sending unique documents can only make us
    /// re-plan, never grow memory without limit; and unlike clearing a
    /// full map, a flood of one-off documents does not evict the plans
    /// of the operations clients send again and again.
    plans: Cache<Key, Arc<QueryPlan>>,
}

impl<P: QueryPlanner> CachingPlanner<P> {
    pub fn new(inner: P, capacity: usize) -> Self {
        Self {
            inner,
            plans: Cache::new(capacity.max(1) as u64),
        }
    }

    /// The cached plan, or a fresh one (cached when planning succeeds).
    pub fn plan_cached(
        &self,
        document: &str,
        operation_name: Option<&str>,
    ) -> Result<Arc<QueryPlan>, PlanError> {
        let key = (document.to_owned(), operation_name.map(str::to_owned));
        if let Some(plan) = self.plans.get(&key) {
            return Ok(plan);
        }
        // Planned outside the cache: two concurrent misses of one document
        // plan twice (planning is pure, either plan is right) rather than
        // one waiting for the other; a failure is not cached.
        let plan = Arc::new(self.inner.plan(document, operation_name)?);
        self.plans.insert(key, plan.clone());
        Ok(plan)
    }

    /// How many plans are cached (after the cache's pending evictions).
    pub fn len(&self) -> usize {
        self.plans.run_pending_tasks();
        self.plans.entry_count() as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<P: QueryPlanner> QueryPlanner for CachingPlanner<P> {
    fn plan(&self, document: &str, operation_name: Option<&str>) -> Result<QueryPlan, PlanError> {
        self.plan_cached(document, operation_name)
            .map(|plan| (*plan).clone())
    }
}
