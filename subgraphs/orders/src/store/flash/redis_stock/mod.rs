//! Flash-sale counters in Redis, shared by every replica. Keys per sale:
//! `flash:{id}:remaining` (integer), `flash:{id}:held` (hash buyer →
//! units), `flash:{id}:version` (bumped by every change) and
//! `flash:{id}:queued` (hash order id → `units:queued_at:buyer`); per
//! admitted order `flash:ticket:{order id}` (hash: sale, user, qty, at,
//! state, code, message); and `flash:sales:{namespace}`, the set of one
//! deployment's sale ids.

use std::{collections::HashMap, time::Duration};

use anyhow::Context;
use async_trait::async_trait;
use platform::db::now_millis;
use redis::{Script, ScriptInvocation, aio::ConnectionManager};

mod keys;
mod scripts;

use keys::{
    counter_keys, queued_tickets, sale_keys, state_name, ticket_from_hash, ticket_key, ticket_keys,
};
use scripts::{CLAIM, GIVE_BACK, GIVE_BACK_UNITS, RESET, RESTORE, SETTLE, TAKE};

use super::{Admission, Claim, Counters, FlashStock, Take, Ticket, TicketState};

/// Counters outlive any sale window by far, then expire on their own.
const KEY_TTL_SECS: i64 = 30 * 24 * 3600;
/// A settled ticket answers "how did my checkout end" for a day.
const SETTLED_TICKET_TTL_SECS: i64 = 24 * 3600;
/// A Redis that does not answer in this time counts as down.
const REDIS_TIMEOUT: Duration = Duration::from_secs(2);

pub struct RedisFlashStock {
    conn: ConnectionManager,
    /// The set of this deployment's sales (deployments may share a Redis).
    sales_key: String,
    take: Script,
    give_back: Script,
    settle: Script,
    reset: Script,
    restore: Script,
    claim: Script,
}

async fn bounded<T>(future: impl Future<Output = redis::RedisResult<T>>) -> anyhow::Result<T> {
    tokio::time::timeout(REDIS_TIMEOUT, future)
        .await
        .context("Redis did not answer in time")?
        .context("Redis refused the flash-sale command")
}

/// Appends the buyer/units pairs that end the ARGV of a script writing a
/// sale's `held`.
fn held_args(invocation: &mut ScriptInvocation<'_>, held: &HashMap<String, i64>) {
    for (user, units) in held {
        invocation.arg(user).arg(*units);
    }
}

impl RedisFlashStock {
    /// Connects; `namespace` names this deployment (its queue namespace).
    pub async fn connect(url: &str, namespace: &str) -> anyhow::Result<Self> {
        let conn = platform::redis_conn::connect_bounded(url, REDIS_TIMEOUT, "flash-sale counters")
            .await?;
        Ok(Self {
            conn,
            sales_key: format!("flash:sales:{namespace}"),
            take: Script::new(TAKE),
            give_back: Script::new(&format!("{GIVE_BACK_UNITS}{GIVE_BACK}")),
            settle: Script::new(&format!("{GIVE_BACK_UNITS}{SETTLE}")),
            reset: Script::new(RESET),
            restore: Script::new(RESTORE),
            claim: Script::new(&format!("{GIVE_BACK_UNITS}{CLAIM}")),
        })
    }

    /// Runs a prepared script (one atomic step in Redis); its answer.
    async fn run(&self, invocation: &ScriptInvocation<'_>) -> anyhow::Result<i64> {
        let mut conn = self.conn.clone();
        bounded(invocation.invoke_async(&mut conn)).await
    }

    /// Ends a ticket (see [`SETTLE`]); `only_queued` for an expiry.
    async fn end(
        &self,
        sale_id: &str,
        order_id: &str,
        outcome: &TicketState,
        only_queued: bool,
    ) -> anyhow::Result<bool> {
        let (state, code, message) = state_name(outcome);
        let mut invocation = self.settle.key(&ticket_keys(sale_id, order_id));
        invocation
            .arg(order_id)
            .arg(sale_id)
            .arg(state)
            .arg(code)
            .arg(message)
            .arg(SETTLED_TICKET_TTL_SECS)
            .arg(if only_queued { "1" } else { "0" });
        Ok(self.run(&invocation).await? == 1)
    }
}

#[async_trait]
impl FlashStock for RedisFlashStock {
    async fn take(&self, admission: &Admission<'_>) -> anyhow::Result<Take> {
        let mut invocation = self
            .take
            .key(&ticket_keys(admission.sale_id, admission.order_id));
        invocation
            .key(&self.sales_key)
            .arg(admission.user_id)
            .arg(admission.quantity)
            .arg(admission.per_user_limit)
            .arg(now_millis())
            .arg(KEY_TTL_SECS)
            .arg(admission.order_id)
            .arg(admission.sale_id);
        Ok(match self.run(&invocation).await? {
            1 => Take::Taken,
            2 => Take::AlreadyTaken,
            0 => Take::NoCounters,
            -2 => Take::LimitReached,
            _ => Take::SoldOut,
        })
    }

    async fn restore(&self, sale_id: &str, counters: &Counters) -> anyhow::Result<bool> {
        let mut invocation = self.restore.key(&counter_keys(sale_id));
        invocation
            .key(&self.sales_key)
            .arg(counters.remaining)
            .arg(KEY_TTL_SECS)
            .arg(sale_id);
        held_args(&mut invocation, &counters.held);
        Ok(self.run(&invocation).await? == 1)
    }

    async fn claim(
        &self,
        sale_id: &str,
        order_id: &str,
        if_lost: &Ticket,
    ) -> anyhow::Result<Claim> {
        let (_, code, message) = state_name(&if_lost.state);
        let mut invocation = self.claim.key(&ticket_keys(sale_id, order_id));
        invocation
            .arg(order_id)
            .arg(sale_id)
            .arg(&if_lost.user_id)
            .arg(if_lost.quantity)
            .arg(if_lost.queued_at)
            .arg(code)
            .arg(message)
            .arg(SETTLED_TICKET_TTL_SECS);
        Ok(match self.run(&invocation).await? {
            1 => Claim::Claimed,
            0 => Claim::Settled,
            _ => Claim::Lost,
        })
    }

    async fn settle(
        &self,
        sale_id: &str,
        order_id: &str,
        outcome: &TicketState,
    ) -> anyhow::Result<bool> {
        self.end(sale_id, order_id, outcome, false).await
    }

    async fn expire(
        &self,
        sale_id: &str,
        order_id: &str,
        failed: &TicketState,
    ) -> anyhow::Result<bool> {
        self.end(sale_id, order_id, failed, true).await
    }

    async fn ticket(&self, order_id: &str) -> anyhow::Result<Option<Ticket>> {
        let mut conn = self.conn.clone();
        let fields: HashMap<String, String> = bounded(
            redis::cmd("HGETALL")
                .arg(ticket_key(order_id))
                .query_async(&mut conn),
        )
        .await?;
        Ok(ticket_from_hash(&fields))
    }

    async fn give_back(&self, sale_id: &str, user_id: &str, quantity: i64) -> anyhow::Result<()> {
        let mut invocation = self.give_back.key(&counter_keys(sale_id));
        invocation.arg(user_id).arg(quantity);
        self.run(&invocation).await?;
        Ok(())
    }

    async fn sales(&self) -> anyhow::Result<Vec<String>> {
        let mut conn = self.conn.clone();
        bounded(
            redis::cmd("SMEMBERS")
                .arg(&self.sales_key)
                .query_async(&mut conn),
        )
        .await
    }

    async fn counters(&self, sale_id: &str) -> anyhow::Result<Option<Counters>> {
        let [remaining, held, version, queued] = sale_keys(sale_id);
        let mut conn = self.conn.clone();
        type Read = (
            Option<i64>,
            HashMap<String, i64>,
            Option<i64>,
            HashMap<String, String>,
        );
        let (remaining, held, version, queued): Read = bounded(
            redis::pipe()
                .atomic()
                .get(remaining)
                .hgetall(held)
                .get(version)
                .hgetall(queued)
                .query_async(&mut conn),
        )
        .await?;
        Ok(remaining.map(|remaining| Counters {
            remaining,
            held,
            version: version.unwrap_or(0),
            queued: queued_tickets(sale_id, queued),
        }))
    }

    async fn unsettled(&self, sale_id: &str) -> anyhow::Result<HashMap<String, Ticket>> {
        let [_, _, _, queued] = sale_keys(sale_id);
        let mut conn = self.conn.clone();
        let entries: HashMap<String, String> =
            bounded(redis::cmd("HGETALL").arg(queued).query_async(&mut conn)).await?;
        Ok(queued_tickets(sale_id, entries))
    }

    async fn reset(
        &self,
        sale_id: &str,
        seen_version: i64,
        counters: &Counters,
    ) -> anyhow::Result<bool> {
        let mut invocation = self.reset.key(&counter_keys(sale_id));
        invocation
            .arg(seen_version)
            .arg(counters.remaining)
            .arg(KEY_TTL_SECS);
        held_args(&mut invocation, &counters.held);
        Ok(self.run(&invocation).await? == 1)
    }
}
