//! The transactional outbox: a service writes the events announcing a state
//! change into its own `outbox` table in the transaction that makes the
//! change ([`enqueue`]), and a [`Relay`] publishes the table to the broker,
//! marking each row only after the broker confirmed it. A broker that is
//! down delays events but loses none; a crash between publish and mark
//! publishes a row twice, which idempotent consumers absorb.
//!
//! The `outbox` table is platform's (`crates/platform/migrations/outbox.sql`): a
//! service that publishes events names [`EventTable::Outbox`] in its
//! migrations, and `Db::migrate` makes the table.
//!
//! [`EventTable::Outbox`]: super::tables::EventTable::Outbox

use std::{sync::Arc, time::Duration};

use anyhow::Context;
use sqlx::{AnyConnection, Row};
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use super::{Broker, Event};
use crate::db::{Db, Engine, now_millis};

/// Writes `event` to the outbox inside the caller's transaction
/// (`&mut *tx`, where `tx` came from `Db::begin_write`).
pub async fn enqueue(conn: &mut AnyConnection, event: &Event) -> sqlx::Result<()> {
    enqueue_delayed(conn, event, Duration::ZERO).await
}

/// Like [`enqueue`], but the event reaches consumers `delay` after it
/// occurred (the relay publishes it with the broker's delayed delivery).
pub async fn enqueue_delayed(
    conn: &mut AnyConnection,
    event: &Event,
    delay: Duration,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO outbox (outbox_id, topic, payload, occurred_at, delay_ms) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&event.id)
    .bind(&event.topic)
    .bind(event.payload.to_string())
    .bind(event.occurred_at)
    .bind(delay.as_millis().min(i64::MAX as u128) as i64)
    .execute(conn)
    .await?;
    Ok(())
}

/// How the relay paces itself.
#[derive(Clone, Debug)]
pub struct RelayOptions {
    /// How often it looks for new rows when nobody wakes it.
    pub poll_interval: Duration,
    /// Rows claimed per round.
    pub batch_size: i64,
    /// How long a claim keeps other relays (replicas) off a row; a relay
    /// that dies mid-round releases its rows when the lease runs out.
    pub lease: Duration,
    /// The longest pause between retries while the broker is down.
    pub max_backoff: Duration,
    /// How long published rows are kept before they are deleted.
    pub keep_published: Duration,
}

impl Default for RelayOptions {
    fn default() -> Self {
        Self {
            poll_interval: Duration::from_millis(500),
            batch_size: 100,
            lease: Duration::from_secs(30),
            max_backoff: Duration::from_secs(10),
            keep_published: Duration::from_secs(24 * 3600),
        }
    }
}

/// Wakes a relay so it publishes rows just committed without waiting for
/// its next poll.
#[derive(Clone, Default)]
pub struct RelayWaker(Arc<Notify>);

impl RelayWaker {
    pub fn wake(&self) {
        self.0.notify_one();
    }
}

/// Publishes a service's outbox to the broker.
pub struct Relay {
    db: Db,
    broker: Arc<dyn Broker>,
    options: RelayOptions,
    waker: RelayWaker,
}

struct Claimed {
    event: Event,
    delay_ms: i64,
}

impl Relay {
    pub fn new(db: Db, broker: Arc<dyn Broker>, options: RelayOptions) -> Self {
        Self {
            db,
            broker,
            options,
            waker: RelayWaker::default(),
        }
    }

    pub fn waker(&self) -> RelayWaker {
        self.waker.clone()
    }

    /// Publishes until `cancel` fires, backing off while the broker fails.
    pub async fn run(self, cancel: CancellationToken) {
        let mut failures: u32 = 0;
        let mut last_cleanup = now_millis();
        loop {
            let pause = match self.relay_once().await {
                Ok(count) if count as i64 >= self.options.batch_size => Duration::ZERO,
                Ok(_) => {
                    failures = 0;
                    self.options.poll_interval
                }
                Err(error) => {
                    failures = failures.saturating_add(1);
                    let pause = Duration::from_millis(100u64 << failures.min(10))
                        .min(self.options.max_backoff);
                    tracing::warn!(error.cause_chain = ?error, ?pause,
                        "outbox relay could not publish; retrying");
                    pause
                }
            };
            if now_millis() - last_cleanup > 60_000 {
                last_cleanup = now_millis();
                if let Err(error) = self.delete_published().await {
                    tracing::warn!(%error, "outbox clean-up failed");
                }
            }
            if pause.is_zero() {
                continue;
            }
            tokio::select! {
                _ = cancel.cancelled() => return,
                _ = self.waker.0.notified(), if failures == 0 => {}
                _ = tokio::time::sleep(pause) => {}
            }
        }
    }

    /// Claims one batch of due rows and publishes them in order; returns
    /// how many it published, or the broker's error after releasing the
    /// rows it had not published.
    pub async fn relay_once(&self) -> anyhow::Result<usize> {
        let rows = self.claim().await.context("claiming outbox rows")?;
        let mut published = 0;
        for (index, row) in rows.iter().enumerate() {
            let result = self.publish(row).await;
            match result {
                Ok(()) => {
                    sqlx::query(
                        "UPDATE outbox SET published_at = $1, claimed_until = 0 \
                         WHERE outbox_id = $2",
                    )
                    .bind(now_millis())
                    .bind(&row.event.id)
                    .execute(self.db.pool())
                    .await
                    .context("marking an outbox row published")?;
                    published += 1;
                }
                Err(error) => {
                    self.release(&rows[index..]).await?;
                    return Err(error);
                }
            }
        }
        Ok(published)
    }

    async fn publish(&self, row: &Claimed) -> anyhow::Result<()> {
        // The delay counts from when the event occurred, so a relay that
        // was held up does not postpone a timeout further. It is rounded up
        // to whole seconds: RabbitMQ keeps one holding queue per delay, and
        // millisecond-exact remainders would make one queue per event.
        let due = row.event.occurred_at.saturating_add(row.delay_ms);
        let remaining = due - now_millis();
        if row.delay_ms > 0 && remaining > 0 {
            let seconds = (remaining as u64).div_ceil(1000);
            self.broker
                .publish_delayed(&row.event, Duration::from_secs(seconds))
                .await
        } else {
            self.broker.publish(&row.event).await
        }
    }

    async fn claim(&self) -> anyhow::Result<Vec<Claimed>> {
        let now = now_millis();
        let lease_until = now + self.options.lease.as_millis() as i64;
        // PostgreSQL replicas skip each other's claimed rows; SQLite has a
        // single writer, so the write transaction alone serialises claims.
        let lock = match self.db.engine() {
            Engine::Postgres => "FOR UPDATE SKIP LOCKED",
            Engine::Sqlite => "",
        };
        let sql = format!(
            "UPDATE outbox SET claimed_until = $1 WHERE outbox_id IN (\
               SELECT outbox_id FROM outbox WHERE published_at IS NULL \
               AND next_attempt_at <= $2 AND claimed_until <= $2 \
               ORDER BY occurred_at, outbox_id LIMIT $3 {lock}) \
             RETURNING outbox_id, topic, payload, occurred_at, delay_ms"
        );
        let mut tx = self.db.begin_write().await?;
        let found = sqlx::query(&sql)
            .bind(lease_until)
            .bind(now)
            .bind(self.options.batch_size)
            .fetch_all(&mut *tx)
            .await?;
        tx.commit().await?;
        let mut rows = Vec::with_capacity(found.len());
        for row in found {
            let payload: String = row.try_get("payload")?;
            rows.push(Claimed {
                event: Event {
                    id: row.try_get("outbox_id")?,
                    topic: row.try_get("topic")?,
                    payload: serde_json::from_str(&payload)
                        .context("an outbox row holds invalid JSON")?,
                    occurred_at: row.try_get("occurred_at")?,
                },
                delay_ms: row.try_get("delay_ms")?,
            });
        }
        rows.sort_by(|a, b| {
            (a.event.occurred_at, &a.event.id).cmp(&(b.event.occurred_at, &b.event.id))
        });
        Ok(rows)
    }

    /// Gives unpublished rows back, counting a failed attempt on the first
    /// (the one the broker refused) and deferring it by the backoff.
    async fn release(&self, rows: &[Claimed]) -> anyhow::Result<()> {
        let now = now_millis();
        let Some((refused, rest)) = rows.split_first() else {
            return Ok(());
        };
        sqlx::query(
            "UPDATE outbox SET claimed_until = 0, attempts = attempts + 1, \
             next_attempt_at = $1 WHERE outbox_id = $2",
        )
        .bind(now + 100)
        .bind(&refused.event.id)
        .execute(self.db.pool())
        .await
        .context("releasing outbox rows")?;
        for row in rest {
            sqlx::query("UPDATE outbox SET claimed_until = 0 WHERE outbox_id = $1")
                .bind(&row.event.id)
                .execute(self.db.pool())
                .await
                .context("releasing outbox rows")?;
        }
        Ok(())
    }

    async fn delete_published(&self) -> sqlx::Result<()> {
        let before = now_millis() - self.options.keep_published.as_millis() as i64;
        sqlx::query("DELETE FROM outbox WHERE published_at IS NOT NULL AND published_at < $1")
            .bind(before)
            .execute(self.db.pool())
            .await?;
        Ok(())
    }

    /// How many rows wait to be published (for health checks and tests).
    pub async fn pending(db: &Db) -> sqlx::Result<i64> {
        sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE published_at IS NULL")
            .fetch_one(db.pool())
            .await
    }
}
