//! `seed_marker`: which demo data sets a database holds, so each is written
//! once however many instances start together.

use super::Tx;

/// Claims `name` for the seed running in `tx`; false when some seed (this
/// one earlier, or a concurrent one) holds it already. The claim commits
/// with the data, so a seed that fails leaves it unclaimed.
pub async fn claim_seed_marker(tx: &mut Tx, name: &str, now: i64) -> sqlx::Result<bool> {
    let claimed = sqlx::query(
        "INSERT INTO seed_marker (seed_name, applied_at) VALUES ($1, $2) ON CONFLICT (seed_name) DO NOTHING",
    )
    .bind(name)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(claimed.rows_affected() > 0)
}
