//! SQL over the users database (one code path for PostgreSQL and SQLite)
//! and the DataLoaders that batch it.

pub mod addresses;
pub mod loaders;
pub mod refresh_tokens;
pub mod signing_key;
pub mod users;

use platform::db::Engine;
use sqlx::{Any, Transaction};

/// Serialises writers of one user's rows: on PostgreSQL by locking the user
/// row; on SQLite `begin_write` already holds the database's write lock.
/// Returns whether the user exists.
pub async fn lock_user(
    tx: &mut Transaction<'static, Any>,
    engine: Engine,
    user_id: &str,
) -> sqlx::Result<bool> {
    let sql = match engine {
        Engine::Postgres => r#"SELECT user_id FROM "user" WHERE user_id = $1 FOR UPDATE"#,
        Engine::Sqlite => r#"SELECT user_id FROM "user" WHERE user_id = $1"#,
    };
    let row = sqlx::query(sql)
        .bind(user_id)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(row.is_some())
}
