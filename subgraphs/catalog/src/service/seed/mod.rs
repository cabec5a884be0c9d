//! The demo catalog, seeded once on first start: a three-level category
//! tree, 240 products with 1-4 SKUs in Chinese and English, some hot ones,
//! and a flash sale running now. Names come deterministically from word
//! lists, so every fresh install shows the same shop. What to write is
//! decided here; the rows go in through `store`'s inserts, the ones the
//! admin mutations use.

use platform::db::{Db, now_millis};

use crate::{
    domain::{InvalidInput, Price, SkuName},
    store::{
        self, Category, NewFlashSale, NewSku, Product, Status, Tx, insert_category,
        insert_flash_sale, insert_product, insert_sku,
    },
};

mod words;

use words::{ADJECTIVES, Leaf, TREE};

/// The marker row that says the demo data is there.
const MARKER: &str = "demo";
/// How many products the demo catalog holds.
pub const DEMO_PRODUCTS: usize = 240;
/// The product whose first SKU the demo flash sale sells.
const FLASH_PRODUCT: usize = 0;

const HOUR: i64 = 60 * 60 * 1000;

/// Seeds the demo catalog unless it is there already; returns whether it
/// seeded. The marker row is written in the same transaction as the data,
/// so two instances starting together still seed once.
pub async fn seed_demo(db: &Db) -> anyhow::Result<bool> {
    let mut tx = db.begin_write().await?;
    if !store::claim_seed_marker(&mut tx, MARKER, now_millis()).await? {
        return Ok(false);
    }
    let now = now_millis();
    let mut leaves = Vec::new();
    for (t, top) in TREE.iter().enumerate() {
        let top_id =
            add_category(&mut tx, None, &format!("{} {}", top.zh, top.en), t, 1, now).await?;
        for (m, middle) in top.middles.iter().enumerate() {
            let mid_id = add_category(
                &mut tx,
                Some(&top_id),
                &format!("{} {}", middle.zh, middle.en),
                m,
                2,
                now,
            )
            .await?;
            for (l, leaf) in middle.leaves.iter().enumerate() {
                let leaf_id = add_category(&mut tx, Some(&mid_id), leaf.zh, l, 3, now).await?;
                leaves.push((leaf_id, leaf));
            }
        }
    }

    let mut flash_sku = None;
    for i in 0..DEMO_PRODUCTS {
        let (category_id, leaf) = &leaves[i % leaves.len()];
        let sku_id = add_product(&mut tx, i, category_id, leaf, now).await?;
        if i == FLASH_PRODUCT {
            flash_sku = Some(sku_id);
        }
    }
    if let Some((sku_id, price)) = flash_sku {
        let sale = NewFlashSale {
            sku_id,
            sale_price: demo(Price::parse(price / 2, "salePrice"))?,
            quantity: 100,
            per_user_limit: 2,
            starts_at: now - HOUR,
            ends_at: now + 7 * 24 * HOUR,
        };
        insert_flash_sale(&mut tx, &sale, now).await?;
    }
    tx.commit().await?;
    tracing::info!(products = DEMO_PRODUCTS, "seeded the demo catalog");
    Ok(true)
}

/// A demo value the domain refused: a mistake in the word lists.
fn demo<T>(parsed: Result<T, InvalidInput>) -> anyhow::Result<T> {
    parsed.map_err(|invalid| anyhow::anyhow!("demo data refused: {invalid}"))
}

async fn add_category(
    tx: &mut Tx,
    parent_id: Option<&str>,
    name: &str,
    position: usize,
    depth: i64,
    now: i64,
) -> anyhow::Result<String> {
    let category = Category {
        category_id: uuid::Uuid::new_v4().to_string(),
        parent_id: parent_id.map(str::to_owned),
        name: name.to_owned(),
        position: position as i64,
        depth,
    };
    insert_category(tx, &category, now).await?;
    Ok(category.category_id)
}

/// Inserts demo product `i` and its SKUs; returns its first SKU and price.
async fn add_product(
    tx: &mut Tx,
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
    let tags = vec![
        leaf.zh.to_owned(),
        leaf.en.to_lowercase(),
        adj_zh.to_owned(),
        adj_en.to_lowercase(),
    ];
    let images = vec![
        format!("https://picsum.photos/seed/shopgraph-{i}-a/800/800"),
        format!("https://picsum.photos/seed/shopgraph-{i}-b/800/800"),
    ];
    let created_at = now - (DEMO_PRODUCTS - i) as i64 * HOUR;
    let product = Product {
        product_id: uuid::Uuid::new_v4().to_string(),
        category_id: category_id.to_owned(),
        name,
        description,
        brand: brand.to_owned(),
        tags,
        images,
        hot: i.is_multiple_of(9),
        status: Status::Active,
        // No sales: the demo has no orders, and the sales count is the units
        // of paid, unrefunded orders (orders' `salesCount`), kept by their
        // events; an invented count made the SALES sort disagree with it.
        sales_count: 0,
        created_at,
        updated_at: created_at,
    };
    insert_product(tx, &product).await?;

    let sku_count = 1 + (i * 7) % leaf.options.len().min(4);
    let mut first = None;
    for k in 0..sku_count {
        // Prices vary by product and rise with the option, rounded to a yuan.
        let factor = 80 + ((i * 13) % 50) as i64 + 15 * k as i64;
        let price = (leaf.base_price * factor / 100) / 100 * 100;
        let stock = if i == FLASH_PRODUCT && k == 0 {
            // The flash sale's SKU: enough stock behind its 100 units.
            500
        } else if (i + k).is_multiple_of(11) {
            0
        } else {
            ((i * 31 + k * 17) % 200 + 5) as i64
        };
        let sku = NewSku {
            name: demo(SkuName::parse(leaf.options[k].to_owned()))?,
            price: demo(Price::parse(price, "price"))?,
            stock,
        };
        let sku = insert_sku(tx, &product.product_id, sku, k as i64, created_at).await?;
        first.get_or_insert((sku.sku_id, price));
    }
    first.ok_or_else(|| anyhow::anyhow!("demo product {i} got no SKU"))
}
