//! Plans cached by (operation text, operation name), so a document is
//! planned once per supergraph. A new supergraph gets a new cache, because
//! the cache lives in the per-supergraph runtime.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use super::{PlanError, QueryPlan, QueryPlanner};

type Key = (String, Option<String>);

pub struct CachingPlanner<P> {
    inner: P,
    capacity: usize,
    plans: Mutex<HashMap<Key, Arc<QueryPlan>>>,
}

impl<P: QueryPlanner> CachingPlanner<P> {
    pub fn new(inner: P, capacity: usize) -> Self {
        Self {
            inner,
            capacity: capacity.max(1),
            plans: Mutex::new(HashMap::new()),
        }
    }

    /// The cached plan, or a fresh one (cached when planning succeeds).
    pub fn plan_cached(
        &self,
        document: &str,
        operation_name: Option<&str>,
    ) -> Result<Arc<QueryPlan>, PlanError> {
        let key = (document.to_owned(), operation_name.map(str::to_owned));
        if let Some(plan) = self.lock().get(&key) {
            return Ok(plan.clone());
        }
        // Planned outside the lock: two concurrent misses plan twice, which is
        // cheaper than serialising every miss behind one planner call.
        let plan = Arc::new(self.inner.plan(document, operation_name)?);
        let mut plans = self.lock();
        if plans.len() >= self.capacity {
            // Crude but bounded: an attacker sending unique documents can only
            // make us re-plan, never grow memory without limit.
            plans.clear();
        }
        plans.insert(key, plan.clone());
        Ok(plan)
    }

    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Key, Arc<QueryPlan>>> {
        // A panic while holding this lock cannot leave the map inconsistent
        // (inserts are single calls), so a poisoned lock is still usable.
        self.plans.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl<P: QueryPlanner> QueryPlanner for CachingPlanner<P> {
    fn plan(&self, document: &str, operation_name: Option<&str>) -> Result<QueryPlan, PlanError> {
        self.plan_cached(document, operation_name)
            .map(|plan| (*plan).clone())
    }
}
