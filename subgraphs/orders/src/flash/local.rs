//! In-process flash-sale counters for the embedded single-process platform.

use std::{
    collections::HashMap,
    sync::{Mutex, MutexGuard},
};

use async_trait::async_trait;
use platform::db::now_millis;

use super::{Counters, FlashStock, Take};

#[derive(Default)]
pub struct LocalFlashStock {
    sales: Mutex<HashMap<String, Counters>>,
}

impl LocalFlashStock {
    fn sales(&self) -> MutexGuard<'_, HashMap<String, Counters>> {
        // Every critical section leaves the map consistent.
        self.sales.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[async_trait]
impl FlashStock for LocalFlashStock {
    async fn take(
        &self,
        sale_id: &str,
        user_id: &str,
        quantity: i64,
        per_user_limit: i64,
        initial: i64,
    ) -> anyhow::Result<Take> {
        let mut sales = self.sales();
        let sale = sales.entry(sale_id.to_owned()).or_insert_with(|| Counters {
            remaining: initial,
            ..Counters::default()
        });
        let held = sale.held.get(user_id).copied().unwrap_or(0);
        if held + quantity > per_user_limit {
            return Ok(Take::LimitReached);
        }
        if sale.remaining < quantity {
            return Ok(Take::SoldOut);
        }
        sale.remaining -= quantity;
        *sale.held.entry(user_id.to_owned()).or_insert(0) += quantity;
        sale.touched_at = now_millis();
        Ok(Take::Taken)
    }

    async fn give_back(&self, sale_id: &str, user_id: &str, quantity: i64) -> anyhow::Result<()> {
        if let Some(sale) = self.sales().get_mut(sale_id) {
            sale.remaining += quantity;
            if let Some(held) = sale.held.get_mut(user_id) {
                *held = (*held - quantity).max(0);
            }
            sale.touched_at = now_millis();
        }
        Ok(())
    }

    async fn counters(&self, sale_id: &str) -> anyhow::Result<Option<Counters>> {
        Ok(self.sales().get(sale_id).cloned())
    }

    async fn reset(
        &self,
        sale_id: &str,
        seen_touched_at: i64,
        counters: &Counters,
    ) -> anyhow::Result<bool> {
        let mut sales = self.sales();
        let current = sales.get(sale_id).map_or(0, |s| s.touched_at);
        if current != seen_touched_at {
            return Ok(false);
        }
        sales.insert(sale_id.to_owned(), counters.clone());
        Ok(true)
    }
}
