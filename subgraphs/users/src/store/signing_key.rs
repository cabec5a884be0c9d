//! The access-token signing key, kept in the database so that every replica
//! and every restart signs with (and publishes) the same key.

use anyhow::Context;
use base64::{Engine as _, engine::general_purpose::STANDARD};
use platform::{
    auth::SigningKey,
    db::{Db, now_millis},
};
use sqlx::Row;

const CURRENT: &str = "current";

/// The current key, generated and stored on first start. Replicas starting
/// together race on the `slot` unique key; the loser reads the winner's key.
pub async fn load_or_create(db: &Db) -> anyhow::Result<SigningKey> {
    if let Some(key) = load(db).await? {
        return Ok(key);
    }
    let key = SigningKey::generate()?;
    sqlx::query(
        "INSERT INTO signing_key (signing_key_id, slot, pkcs8, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (slot) DO NOTHING",
    )
    .bind(key.kid())
    .bind(CURRENT)
    .bind(STANDARD.encode(key.pkcs8()))
    .bind(now_millis())
    .execute(db.pool())
    .await
    .context("storing the signing key")?;
    load(db)
        .await?
        .context("the signing key vanished right after it was stored")
}

async fn load(db: &Db) -> anyhow::Result<Option<SigningKey>> {
    let row = sqlx::query("SELECT signing_key_id, pkcs8 FROM signing_key WHERE slot = $1")
        .bind(CURRENT)
        .fetch_optional(db.pool())
        .await
        .context("loading the signing key")?;
    let Some(row) = row else { return Ok(None) };
    let kid: String = row.try_get("signing_key_id")?;
    let pkcs8: String = row.try_get("pkcs8")?;
    let pkcs8 = STANDARD
        .decode(pkcs8)
        .context("the stored signing key is not base64")?;
    SigningKey::from_pkcs8(kid, pkcs8).map(Some)
}
