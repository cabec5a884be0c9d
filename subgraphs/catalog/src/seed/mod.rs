//! The demo catalog, seeded once on first start: a three-level category
//! tree, 240 products with 1-4 SKUs in Chinese and English, some hot ones,
//! and a flash sale running now. Names come deterministically from word
//! lists, so every fresh install shows the same shop.

use platform::db::{Db, now_millis};
use sqlx::{Any, Transaction};

use crate::domain::CURRENCY;

mod words;

use words::{ADJECTIVES, Leaf, TREE};

/// The marker row that says the demo data is there.
const MARKER: &str = "demo";
/// How many products the demo catalog holds.
pub const DEMO_PRODUCTS: usize = 240;

const HOUR: i64 = 60 * 60 * 1000;

/// Seeds the demo catalog unless it is there already; returns whether it
/// seeded. The marker row is written in the same transaction as the data,
/// so two instances starting together still seed once.
pub async fn seed_demo(db: &Db) -> anyhow::Result<bool> {
    let mut tx = db.begin_write().await?;
    let claimed = sqlx::query(
        "INSERT INTO seed_marker (seed_name, applied_at) VALUES ($1, $2) ON CONFLICT (seed_name) DO NOTHING",
    )
    .bind(MARKER)
    .bind(now_millis())
    .execute(&mut *tx)
    .await?;
    if claimed.rows_affected() == 0 {
        return Ok(false);
    }
    let now = now_millis();
    let mut leaves = Vec::new();
    for (t, top) in TREE.iter().enumerate() {
        let top_id =
            insert_category(&mut tx, None, &format!("{} {}", top.zh, top.en), t, 1, now).await?;
        for (m, middle) in top.middles.iter().enumerate() {
            let mid_id = insert_category(
                &mut tx,
                Some(&top_id),
                &format!("{} {}", middle.zh, middle.en),
                m,
                2,
                now,
            )
            .await?;
            for (l, leaf) in middle.leaves.iter().enumerate() {
                let leaf_id = insert_category(&mut tx, Some(&mid_id), leaf.zh, l, 3, now).await?;
                leaves.push((leaf_id, leaf));
            }
        }
    }

    let mut flash_sku = None;
    for i in 0..DEMO_PRODUCTS {
        let (category_id, leaf) = &leaves[i % leaves.len()];
        let sku_id = insert_product(&mut tx, i, category_id, leaf, now).await?;
        if i == 0 {
            flash_sku = Some(sku_id);
        }
    }
    if let Some((sku_id, price)) = flash_sku {
        // Enough stock behind the sale's 100 units.
        sqlx::query("UPDATE sku SET stock = 500 WHERE sku_id = $1")
            .bind(&sku_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO flash_sale (flash_sale_id, sku_id, sale_price, quantity, per_user_limit, \
             starts_at, ends_at, created_at) VALUES ($1, $2, $3, 100, 2, $4, $5, $6)",
        )
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(sku_id)
        .bind(price / 2)
        .bind(now - HOUR)
        .bind(now + 7 * 24 * HOUR)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    tracing::info!(products = DEMO_PRODUCTS, "seeded the demo catalog");
    Ok(true)
}

async fn insert_category(
    tx: &mut Transaction<'static, Any>,
    parent_id: Option<&str>,
    name: &str,
    position: usize,
    depth: i64,
    now: i64,
) -> anyhow::Result<String> {
    let id = uuid::Uuid::new_v4().to_string();
    sqlx::query(
        "INSERT INTO category (category_id, parent_id, name, position, depth, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6)",
    )
    .bind(&id)
    .bind(parent_id)
    .bind(name)
    .bind(position as i64)
    .bind(depth)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// Inserts demo product `i` and its SKUs; returns its first SKU and price.
async fn insert_product(
    tx: &mut Transaction<'static, Any>,
    i: usize,
    category_id: &str,
    leaf: &Leaf,
    now: i64,
) -> anyhow::Result<(String, i64)> {
    let (adj_zh, adj_en) = ADJECTIVES[(i * 5 + i / 7) % ADJECTIVES.len()];
    let brand = leaf.brands[(i / 3) % leaf.brands.len()];
    let model = 100 + (i * 37) % 900;
    // Alternate Chinese and English names and descriptions.
    let (name, description) = if i.is_multiple_of(2) {
        (
            format!("{brand} {adj_zh}{} {model}", leaf.zh),
            format!(
                "{brand}出品的{adj_zh}{}，型号 {model}。品质可靠，全国包邮，七天无理由退货。",
                leaf.zh
            ),
        )
    } else {
        (
            format!("{brand} {adj_en} {} {model}", leaf.en),
            format!(
                "The {adj_en} {} {model} by {brand}: dependable quality, free shipping and 7-day returns.",
                leaf.en.to_lowercase()
            ),
        )
    };
    let tags = serde_json::json!([
        leaf.zh,
        leaf.en.to_lowercase(),
        adj_zh,
        adj_en.to_lowercase()
    ])
    .to_string();
    let images = serde_json::json!([
        format!("https://picsum.photos/seed/shopgraph-{i}-a/800/800"),
        format!("https://picsum.photos/seed/shopgraph-{i}-b/800/800"),
    ])
    .to_string();
    let product_id = uuid::Uuid::new_v4().to_string();
    let created_at = now - (DEMO_PRODUCTS - i) as i64 * HOUR;
    sqlx::query(
        "INSERT INTO product (product_id, category_id, name, description, brand, tags, images, hot, \
         status, sales_count, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'ACTIVE', $9, $10, $10)",
    )
    .bind(&product_id)
    .bind(category_id)
    .bind(&name)
    .bind(&description)
    .bind(brand)
    .bind(&tags)
    .bind(&images)
    .bind(i64::from(i.is_multiple_of(9)))
    // No sales: the demo has no orders, and the sales count is the units
    // of paid, unrefunded orders (orders' `salesCount`), kept by their
    // events; an invented count made the SALES sort disagree with it.
    .bind(0_i64)
    .bind(created_at)
    .execute(&mut **tx)
    .await?;

    let sku_count = 1 + (i * 7) % leaf.options.len().min(4);
    let mut first = None;
    for k in 0..sku_count {
        // Prices vary by product and rise with the option, rounded to a yuan.
        let factor = 80 + ((i * 13) % 50) as i64 + 15 * k as i64;
        let price = (leaf.base_price * factor / 100) / 100 * 100;
        let stock = if (i + k).is_multiple_of(11) {
            0
        } else {
            ((i * 31 + k * 17) % 200 + 5) as i64
        };
        let sku_id = uuid::Uuid::new_v4().to_string();
        sqlx::query(
            "INSERT INTO sku (sku_id, product_id, name, price, currency, stock, status, position, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'ACTIVE', $7, $8, $8)",
        )
        .bind(&sku_id)
        .bind(&product_id)
        .bind(leaf.options[k])
        .bind(price)
        .bind(CURRENCY)
        .bind(stock)
        .bind(k as i64)
        .bind(created_at)
        .execute(&mut **tx)
        .await?;
        first.get_or_insert((sku_id, price));
    }
    first.ok_or_else(|| anyhow::anyhow!("demo product {i} got no SKU"))
}
