//! SQL over the users database (one code path for PostgreSQL and SQLite)
//! and the DataLoaders that batch it.

pub mod addresses;
pub mod loaders;
pub mod refresh_tokens;
pub mod signing_key;
pub mod users;

use platform::db::Engine;
use sqlx::{Any, Transaction};

/// `$start, $start+1, …` for `count` values, for `IN (…)` lists: the Any
/// driver cannot bind arrays, so `= ANY($1)` is not available on it.
pub fn placeholders(start: usize, count: usize) -> String {
    (start..start + count)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

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

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_number_from_start() {
        assert_eq!(super::placeholders(1, 3), "$1, $2, $3");
        assert_eq!(super::placeholders(2, 1), "$2");
    }
}
