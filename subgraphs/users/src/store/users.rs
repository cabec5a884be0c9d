//! The `user` table.

use platform::db::{Db, now_millis, placeholders};
use sqlx::{
    Any, Row, Transaction,
    any::{AnyExecutor, AnyRow},
};

use crate::domain::Role;

const COLUMNS: &str = "user_id, email, name, password_hash, role, frozen_at";

/// The unique constraint on `user.email`.
pub const EMAIL_KEY: &str = "user_email_key";

#[derive(Clone, Debug)]
pub struct UserRow {
    pub id: String,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub role: Role,
    pub frozen_at: Option<i64>,
}

impl UserRow {
    pub fn is_frozen(&self) -> bool {
        self.frozen_at.is_some()
    }

    fn from_row(row: &AnyRow) -> sqlx::Result<Self> {
        let role: String = row.try_get("role")?;
        Ok(Self {
            id: row.try_get("user_id")?,
            email: row.try_get("email")?,
            name: row.try_get("name")?,
            password_hash: row.try_get("password_hash")?,
            role: Role::from_db(&role).ok_or_else(|| sqlx::Error::ColumnDecode {
                index: "role".into(),
                source: format!("unknown role {role:?}").into(),
            })?,
            frozen_at: row.try_get("frozen_at")?,
        })
    }
}

/// A user to create.
pub struct NewUser<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub password_hash: &'a str,
    pub role: Role,
}

/// Inserts a user; a taken email fails with a unique violation on
/// [`EMAIL_KEY`].
pub async fn insert(
    tx: &mut Transaction<'static, Any>,
    user: &NewUser<'_>,
) -> sqlx::Result<UserRow> {
    let now = now_millis();
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        r#"INSERT INTO "user" (user_id, email, name, password_hash, role, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $6)"#,
    )
    .bind(&id)
    .bind(user.email)
    .bind(user.name)
    .bind(user.password_hash)
    .bind(user.role.as_db())
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(UserRow {
        id,
        email: user.email.to_owned(),
        name: user.name.to_owned(),
        password_hash: user.password_hash.to_owned(),
        role: user.role,
        frozen_at: None,
    })
}

pub async fn by_email(db: &Db, email: &str) -> sqlx::Result<Option<UserRow>> {
    let sql = format!(r#"SELECT {COLUMNS} FROM "user" WHERE email = $1"#);
    sqlx::query(&sql)
        .bind(email)
        .fetch_optional(db.pool())
        .await?
        .as_ref()
        .map(UserRow::from_row)
        .transpose()
}

pub async fn by_id<'e>(executor: impl AnyExecutor<'e>, id: &str) -> sqlx::Result<Option<UserRow>> {
    let sql = format!(r#"SELECT {COLUMNS} FROM "user" WHERE user_id = $1"#);
    sqlx::query(&sql)
        .bind(id)
        .fetch_optional(executor)
        .await?
        .as_ref()
        .map(UserRow::from_row)
        .transpose()
}

/// The users among `ids`, in one query.
pub async fn by_ids(db: &Db, ids: &[String]) -> sqlx::Result<Vec<UserRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        r#"SELECT {COLUMNS} FROM "user" WHERE user_id IN ({})"#,
        placeholders(1, ids.len())
    );
    let mut query = sqlx::query(&sql);
    for id in ids {
        query = query.bind(id);
    }
    query
        .fetch_all(db.pool())
        .await?
        .iter()
        .map(UserRow::from_row)
        .collect()
}

pub async fn update_name(db: &Db, id: &str, name: &str) -> sqlx::Result<bool> {
    let done = sqlx::query(r#"UPDATE "user" SET name = $2, updated_at = $3 WHERE user_id = $1"#)
        .bind(id)
        .bind(name)
        .bind(now_millis())
        .execute(db.pool())
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn update_password_hash(
    tx: &mut Transaction<'static, Any>,
    id: &str,
    password_hash: &str,
) -> sqlx::Result<()> {
    sqlx::query(r#"UPDATE "user" SET password_hash = $2, updated_at = $3 WHERE user_id = $1"#)
        .bind(id)
        .bind(password_hash)
        .bind(now_millis())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Freezes (or unfreezes) a user; false when there is no such user.
pub async fn set_frozen(
    tx: &mut Transaction<'static, Any>,
    id: &str,
    frozen: bool,
) -> sqlx::Result<bool> {
    let now = now_millis();
    // Freezing keeps the first freeze time; unfreezing clears it.
    let done = sqlx::query(
        r#"UPDATE "user"
           SET frozen_at = CASE WHEN $2 = 1 THEN COALESCE(frozen_at, $3) ELSE NULL END,
               updated_at = $3
           WHERE user_id = $1"#,
    )
    .bind(id)
    .bind(i64::from(frozen))
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A page of users in creation order (ids are UUIDv7, so id order is
/// creation order), after the id `after`, optionally only those whose email
/// or name contains `search` (case-insensitively).
pub async fn page(
    db: &Db,
    search: Option<&str>,
    after: Option<&str>,
    limit: i64,
) -> sqlx::Result<Vec<UserRow>> {
    let pattern = search.map(|s| format!("%{}%", escape_like(&s.to_lowercase())));
    let sql = format!(
        r#"SELECT {COLUMNS} FROM "user"
           WHERE ($1 IS NULL OR user_id > $1)
             AND ($2 IS NULL OR email LIKE $2 ESCAPE '\' OR lower(name) LIKE $2 ESCAPE '\')
           ORDER BY user_id
           LIMIT $3"#
    );
    sqlx::query(&sql)
        .bind(after)
        .bind(pattern)
        .bind(limit)
        .fetch_all(db.pool())
        .await?
        .iter()
        .map(UserRow::from_row)
        .collect()
}

/// `text` with LIKE's wildcards escaped, so a search is a plain substring.
fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn like_wildcards_are_escaped() {
        assert_eq!(super::escape_like(r"50%_off\"), r"50\%\_off\\");
    }
}
