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
use redis::{Script, aio::ConnectionManager};

use super::{Admission, Claim, Counters, FlashStock, Take, Ticket, TicketState};

/// Counters outlive any sale window by far, then expire on their own.
const KEY_TTL_SECS: i64 = 30 * 24 * 3600;
/// A settled ticket answers "how did my checkout end" for a day.
const SETTLED_TICKET_TTL_SECS: i64 = 24 * 3600;
/// A Redis that does not answer in this time counts as down.
const REDIS_TIMEOUT: Duration = Duration::from_secs(2);

/// Check the buyer's limit and the remaining units, then take them and
/// queue the order's ticket, in one atomic step. Returns 1 taken, 2 the
/// order holds its units already, 0 the sale has no counters, -1 sold out,
/// -2 over the buyer's limit. ARGV buyer, units, limit, now, TTL, order
/// id, sale id.
const TAKE: &str = r#"
local state = redis.call('HGET', KEYS[5], 'state')
if state == 'QUEUED' or state == 'CLAIMED' or state == 'PLACED' then return 2 end
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local remaining = tonumber(redis.call('GET', KEYS[1]))
local quantity = tonumber(ARGV[2])
local held = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
if held + quantity > tonumber(ARGV[3]) then return -2 end
if remaining < quantity then return -1 end
redis.call('DECRBY', KEYS[1], quantity)
redis.call('HINCRBY', KEYS[2], ARGV[1], quantity)
redis.call('INCR', KEYS[3])
redis.call('HSET', KEYS[4], ARGV[6], ARGV[2] .. ':' .. ARGV[4] .. ':' .. ARGV[1])
redis.call('DEL', KEYS[5])
redis.call('HSET', KEYS[5], 'sale', ARGV[7], 'user', ARGV[1], 'qty', ARGV[2], 'at', ARGV[4],
  'state', 'QUEUED')
redis.call('SADD', KEYS[6], ARGV[7])
for i = 1, 6 do redis.call('EXPIRE', KEYS[i], ARGV[5]) end
return 1
"#;

/// Write rebuilt counters only where there are none, so of replicas
/// racing to rebuild a sale one writes and no buyer's take is undone.
/// KEYS remaining, held, version, the deployment's sales; ARGV remaining,
/// TTL, sale id, then buyer/units pairs. Returns 1 when it wrote.
const RESTORE: &str = r#"
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('DEL', KEYS[2])
for i = 4, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
redis.call('INCR', KEYS[3])
redis.call('SADD', KEYS[4], ARGV[3])
for i = 1, 4 do redis.call('EXPIRE', KEYS[i], ARGV[2]) end
return 1
"#;

/// Claim a ticket for storing its order: KEYS remaining, held, version,
/// queued, ticket; ARGV order id, sale id, then the failed ticket to write
/// if it is lost (buyer, units, at, code, message, TTL). Only a ticket its
/// sale's counters hold (in `queued`) is claimed: one whose counters were
/// lost and rebuilt without it is not counted by them, so it is ended as
/// failed instead; if only its hash was lost, the units `queued` holds for
/// it go back. Returns 1 claimed, 0 settled already (or another sale's),
/// -1 lost (and now failed).
const CLAIM: &str = r#"
local state = redis.call('HGET', KEYS[5], 'state')
local sale = redis.call('HGET', KEYS[5], 'sale')
if state == 'PLACED' or state == 'FAILED' or (sale and sale ~= ARGV[2]) then return 0 end
local entry = redis.call('HGET', KEYS[4], ARGV[1])
if state and entry then
  redis.call('HSET', KEYS[5], 'state', 'CLAIMED')
  return 1
end
if entry then
  redis.call('HDEL', KEYS[4], ARGV[1])
  local units, user = string.match(entry, '^(%d+):%d+:(.*)$')
  give_back(user, tonumber(units))
end
redis.call('DEL', KEYS[5])
redis.call('HSET', KEYS[5], 'sale', ARGV[2], 'user', ARGV[3], 'qty', ARGV[4], 'at', ARGV[5],
  'state', 'FAILED', 'code', ARGV[6], 'message', ARGV[7])
redis.call('EXPIRE', KEYS[5], ARGV[8])
return -1
"#;

/// Give a buyer's units back: KEYS remaining, held, version; ARGV buyer,
/// units. Shared by [`CLAIM`] and the two scripts below.
const GIVE_BACK_UNITS: &str = r#"
local function give_back(user, quantity)
  if redis.call('EXISTS', KEYS[1]) == 0 then return end
  redis.call('INCRBY', KEYS[1], quantity)
  local held = tonumber(redis.call('HGET', KEYS[2], user) or '0') - quantity
  if held > 0 then redis.call('HSET', KEYS[2], user, held) else redis.call('HDEL', KEYS[2], user) end
  redis.call('INCR', KEYS[3])
end
"#;

const GIVE_BACK: &str = r#"
give_back(ARGV[1], tonumber(ARGV[2]))
return 1
"#;

/// End a queued or claimed ticket: ARGV order id, sale id, state, code,
/// message, ticket TTL, and '1' to end it only while queued (an expiry,
/// which must not end a ticket being stored). A failed one gives its units
/// back. Returns 1 when it ended the ticket, 0 when it was not in a state
/// to end (for this sale).
const SETTLE: &str = r#"
local state = redis.call('HGET', KEYS[5], 'state')
if state ~= 'QUEUED' and (ARGV[7] == '1' or state ~= 'CLAIMED') then return 0 end
if redis.call('HGET', KEYS[5], 'sale') ~= ARGV[2] then return 0 end
redis.call('HDEL', KEYS[4], ARGV[1])
redis.call('HSET', KEYS[5], 'state', ARGV[3], 'code', ARGV[4], 'message', ARGV[5])
redis.call('EXPIRE', KEYS[5], ARGV[6])
if ARGV[3] == 'FAILED' then
  give_back(redis.call('HGET', KEYS[5], 'user'), tonumber(redis.call('HGET', KEYS[5], 'qty')))
end
redis.call('INCR', KEYS[3])
return 1
"#;

/// Overwrite remaining and held unless the counters changed since they
/// were read (ARGV[1], the version then). ARGV[2] remaining, ARGV[3] TTL,
/// then buyer/units pairs. Returns 1 when it wrote.
const RESET: &str = r#"
if (redis.call('GET', KEYS[3]) or '0') ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('DEL', KEYS[2])
for i = 4, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
redis.call('INCR', KEYS[3])
for i = 1, 3 do redis.call('EXPIRE', KEYS[i], ARGV[3]) end
return 1
"#;

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

/// remaining, held, version, queued.
fn sale_keys(sale_id: &str) -> [String; 4] {
    [
        format!("flash:{sale_id}:remaining"),
        format!("flash:{sale_id}:held"),
        format!("flash:{sale_id}:version"),
        format!("flash:{sale_id}:queued"),
    ]
}

fn ticket_key(order_id: &str) -> String {
    format!("flash:ticket:{order_id}")
}

fn state_name(state: &TicketState) -> (&'static str, &str, &str) {
    match state {
        TicketState::Queued => ("QUEUED", "", ""),
        TicketState::Claimed => ("CLAIMED", "", ""),
        TicketState::Placed => ("PLACED", "", ""),
        TicketState::Failed { code, message } => ("FAILED", code, message),
    }
}

/// A `queued` entry (`units:queued_at:buyer`) of sale `sale_id`. A claimed
/// ticket keeps its entry (it holds its units until settled) and reads as
/// queued here; its own hash tells the two apart.
fn queued_ticket(sale_id: &str, entry: &str) -> Option<Ticket> {
    let mut parts = entry.splitn(3, ':');
    let quantity = parts.next()?.parse().ok()?;
    let queued_at = parts.next()?.parse().ok()?;
    Some(Ticket {
        sale_id: sale_id.to_owned(),
        user_id: parts.next()?.to_owned(),
        quantity,
        queued_at,
        state: TicketState::Queued,
    })
}

/// The `queued` hash of sale `sale_id`, read.
fn queued_tickets(sale_id: &str, entries: HashMap<String, String>) -> HashMap<String, Ticket> {
    entries
        .into_iter()
        .filter_map(|(order_id, entry)| Some((order_id, queued_ticket(sale_id, &entry)?)))
        .collect()
}

fn ticket_from_hash(fields: &HashMap<String, String>) -> Option<Ticket> {
    let field = |name: &str| fields.get(name).cloned().unwrap_or_default();
    let state = match fields.get("state")?.as_str() {
        "QUEUED" => TicketState::Queued,
        "CLAIMED" => TicketState::Claimed,
        "PLACED" => TicketState::Placed,
        "FAILED" => TicketState::Failed {
            code: field("code"),
            message: field("message"),
        },
        _ => return None,
    };
    Some(Ticket {
        sale_id: fields.get("sale")?.clone(),
        user_id: fields.get("user")?.clone(),
        quantity: fields.get("qty")?.parse().ok()?,
        queued_at: fields.get("at")?.parse().ok()?,
        state,
    })
}

async fn bounded<T>(future: impl Future<Output = redis::RedisResult<T>>) -> anyhow::Result<T> {
    tokio::time::timeout(REDIS_TIMEOUT, future)
        .await
        .context("Redis did not answer in time")?
        .context("Redis refused the flash-sale command")
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

    /// Ends a ticket (see [`SETTLE`]); `only_queued` for an expiry.
    async fn end(
        &self,
        sale_id: &str,
        order_id: &str,
        outcome: &TicketState,
        only_queued: bool,
    ) -> anyhow::Result<bool> {
        let [remaining, held, version, queued] = sale_keys(sale_id);
        let (state, code, message) = state_name(outcome);
        let mut conn = self.conn.clone();
        let mut invocation = self.settle.prepare_invoke();
        invocation
            .key(remaining)
            .key(held)
            .key(version)
            .key(queued)
            .key(ticket_key(order_id))
            .arg(order_id)
            .arg(sale_id)
            .arg(state)
            .arg(code)
            .arg(message)
            .arg(SETTLED_TICKET_TTL_SECS)
            .arg(if only_queued { "1" } else { "0" });
        let settled: i64 = bounded(invocation.invoke_async(&mut conn)).await?;
        Ok(settled == 1)
    }
}

#[async_trait]
impl FlashStock for RedisFlashStock {
    async fn take(&self, admission: &Admission<'_>) -> anyhow::Result<Take> {
        let [remaining, held, version, queued] = sale_keys(admission.sale_id);
        let mut conn = self.conn.clone();
        let mut invocation = self.take.prepare_invoke();
        invocation
            .key(remaining)
            .key(held)
            .key(version)
            .key(queued)
            .key(ticket_key(admission.order_id))
            .key(&self.sales_key)
            .arg(admission.user_id)
            .arg(admission.quantity)
            .arg(admission.per_user_limit)
            .arg(now_millis())
            .arg(KEY_TTL_SECS)
            .arg(admission.order_id)
            .arg(admission.sale_id);
        let outcome: i64 = bounded(invocation.invoke_async(&mut conn)).await?;
        Ok(match outcome {
            1 => Take::Taken,
            2 => Take::AlreadyTaken,
            0 => Take::NoCounters,
            -2 => Take::LimitReached,
            _ => Take::SoldOut,
        })
    }

    async fn restore(&self, sale_id: &str, counters: &Counters) -> anyhow::Result<bool> {
        let [remaining, held, version, _] = sale_keys(sale_id);
        let mut conn = self.conn.clone();
        let mut invocation = self.restore.prepare_invoke();
        invocation
            .key(remaining)
            .key(held)
            .key(version)
            .key(&self.sales_key)
            .arg(counters.remaining)
            .arg(KEY_TTL_SECS)
            .arg(sale_id);
        for (user, units) in &counters.held {
            invocation.arg(user).arg(*units);
        }
        let wrote: i64 = bounded(invocation.invoke_async(&mut conn)).await?;
        Ok(wrote == 1)
    }

    async fn claim(
        &self,
        sale_id: &str,
        order_id: &str,
        if_lost: &Ticket,
    ) -> anyhow::Result<Claim> {
        let [remaining, held, version, queued] = sale_keys(sale_id);
        let (_, code, message) = state_name(&if_lost.state);
        let mut conn = self.conn.clone();
        let mut invocation = self.claim.prepare_invoke();
        invocation
            .key(remaining)
            .key(held)
            .key(version)
            .key(queued)
            .key(ticket_key(order_id))
            .arg(order_id)
            .arg(sale_id)
            .arg(&if_lost.user_id)
            .arg(if_lost.quantity)
            .arg(if_lost.queued_at)
            .arg(code)
            .arg(message)
            .arg(SETTLED_TICKET_TTL_SECS);
        let claimed: i64 = bounded(invocation.invoke_async(&mut conn)).await?;
        Ok(match claimed {
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
        let [remaining, held, version, _] = sale_keys(sale_id);
        let mut conn = self.conn.clone();
        let mut invocation = self.give_back.prepare_invoke();
        invocation
            .key(remaining)
            .key(held)
            .key(version)
            .arg(user_id)
            .arg(quantity);
        let _: i64 = bounded(invocation.invoke_async(&mut conn)).await?;
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
        let [remaining, held, version, _] = sale_keys(sale_id);
        let mut conn = self.conn.clone();
        let mut invocation = self.reset.prepare_invoke();
        invocation
            .key(remaining)
            .key(held)
            .key(version)
            .arg(seen_version)
            .arg(counters.remaining)
            .arg(KEY_TTL_SECS);
        for (user, units) in &counters.held {
            invocation.arg(user).arg(*units);
        }
        let wrote: i64 = bounded(invocation.invoke_async(&mut conn)).await?;
        Ok(wrote == 1)
    }
}
