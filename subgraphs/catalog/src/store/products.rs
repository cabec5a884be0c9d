//! Products: the storefront listing (filters, sorts, keyset pages), lookups
//! by id, and the admin writes.

use platform::db::now_millis;
use sqlx::Row;

use super::{
    Store, Tx,
    cache::PRODUCT_TTL,
    rows::{PRODUCT_COLUMNS, Product, ProductDetail, SKU_COLUMNS, Sku, Status},
    sql::{Args, distinct, rows_with},
};
use crate::domain::{Brand, CURRENCY, Description, ImageUrl, Price, ProductName, SkuName, Tag};

#[derive(Clone, Debug, Default)]
pub struct ProductFilter {
    /// The category and everything below it.
    pub category_id: Option<String>,
    pub brand: Option<String>,
    /// Bounds on the product's lowest active SKU price ("from" price).
    pub min_price: Option<i64>,
    pub max_price: Option<i64>,
    pub hot: Option<bool>,
    pub in_stock: Option<bool>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProductSort {
    Newest,
    PriceAsc,
    PriceDesc,
    Sales,
}

impl ProductSort {
    /// The sort key column (of the listing's derived table) and direction.
    fn key(self) -> (&'static str, &'static str) {
        match self {
            Self::Newest => ("created_at", "DESC"),
            Self::PriceAsc => ("min_price", "ASC"),
            Self::PriceDesc => ("min_price", "DESC"),
            Self::Sales => ("sales_count", "DESC"),
        }
    }

    pub fn tag(self) -> &'static str {
        match self {
            Self::Newest => "n",
            Self::PriceAsc => "pa",
            Self::PriceDesc => "pd",
            Self::Sales => "s",
        }
    }
}

/// A position in a listing: the sort key and id of the last row seen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SortCursor {
    pub key: i64,
    pub product_id: String,
}

pub struct ProductPage {
    pub products: Vec<(Product, SortCursor)>,
    pub has_next: bool,
}

pub struct NewSku {
    pub name: SkuName,
    pub price: Price,
    pub stock: i64,
}

pub struct NewProduct {
    pub category_id: String,
    pub name: ProductName,
    pub description: Description,
    pub brand: Brand,
    pub tags: Vec<Tag>,
    pub images: Vec<ImageUrl>,
    pub hot: bool,
    pub skus: Vec<NewSku>,
}

#[derive(Default)]
pub struct ProductPatch {
    pub category_id: Option<String>,
    pub name: Option<ProductName>,
    pub description: Option<Description>,
    pub brand: Option<Brand>,
    pub tags: Option<Vec<Tag>>,
    pub images: Option<Vec<ImageUrl>>,
    pub hot: Option<bool>,
}

/// The listing's derived table: each product with its "from" price, its
/// highest price and whether any active SKU has stock.
pub(super) const LISTING: &str = "SELECT p.*, \
     COALESCE((SELECT MIN(s.price) FROM sku s WHERE s.product_id = p.product_id AND s.status = 'ACTIVE'), 0) AS min_price, \
     COALESCE((SELECT MAX(s.price) FROM sku s WHERE s.product_id = p.product_id AND s.status = 'ACTIVE'), 0) AS max_price, \
     CASE WHEN EXISTS (SELECT 1 FROM sku s WHERE s.product_id = p.product_id AND s.status = 'ACTIVE' AND s.stock > 0) \
          THEN 1 ELSE 0 END AS in_stock \
     FROM product p";

fn json(values: Vec<String>) -> String {
    serde_json::Value::from(values).to_string()
}

impl Store {
    /// One page of active products, `first` long, after `after`.
    pub async fn product_page(
        &self,
        filter: &ProductFilter,
        sort: ProductSort,
        first: i64,
        after: Option<&SortCursor>,
    ) -> anyhow::Result<ProductPage> {
        let mut args = Args::default();
        let mut sql = String::new();
        let mut conditions = vec!["status = 'ACTIVE'".to_owned()];
        if let Some(category_id) = &filter.category_id {
            let p = args.text(category_id.clone());
            sql.push_str(&format!(
                "WITH RECURSIVE sub(id) AS (SELECT category_id FROM category WHERE category_id = {p} \
                 UNION ALL SELECT c.category_id FROM category c JOIN sub ON c.parent_id = sub.id) "
            ));
            conditions.push("category_id IN (SELECT id FROM sub)".into());
        }
        if let Some(brand) = &filter.brand {
            conditions.push(format!("brand = {}", args.text(brand.clone())));
        }
        if let Some(min) = filter.min_price {
            conditions.push(format!("min_price >= {}", args.int(min)));
        }
        if let Some(max) = filter.max_price {
            conditions.push(format!("min_price <= {}", args.int(max)));
        }
        if let Some(hot) = filter.hot {
            conditions.push(format!("hot = {}", i64::from(hot)));
        }
        if let Some(in_stock) = filter.in_stock {
            conditions.push(format!("in_stock = {}", i64::from(in_stock)));
        }
        let (key, direction) = sort.key();
        if let Some(cursor) = after {
            let op = if direction == "ASC" { ">" } else { "<" };
            let k1 = args.int(cursor.key);
            let k2 = args.int(cursor.key);
            let id = args.text(cursor.product_id.clone());
            conditions.push(format!(
                "({key} {op} {k1} OR ({key} = {k2} AND product_id {op} {id}))"
            ));
        }
        let limit = args.int(first + 1);
        sql.push_str(&format!(
            "SELECT * FROM ({LISTING}) q WHERE {} ORDER BY {key} {direction}, product_id {direction} LIMIT {limit}",
            conditions.join(" AND ")
        ));
        let rows = args
            .bind(sqlx::query(&sql))
            .fetch_all(self.db.pool())
            .await?;
        let mut products = Vec::with_capacity(rows.len());
        for row in &rows {
            let product: Product = sqlx::FromRow::from_row(row)?;
            let cursor = SortCursor {
                key: row.try_get(key)?,
                product_id: product.product_id.clone(),
            };
            products.push((product, cursor));
        }
        let has_next = products.len() as i64 > first;
        products.truncate(first.max(0) as usize);
        Ok(ProductPage { products, has_next })
    }

    /// Products by id, any status, in one statement (none for ids the
    /// filter of known ids rules out).
    pub async fn products_by_ids(&self, ids: &[String]) -> anyhow::Result<Vec<Product>> {
        let mut ids = distinct(ids);
        ids.retain(|id| self.might_be_product(id));
        let select = format!("{PRODUCT_COLUMNS} FROM product");
        Ok(rows_with(self.db.pool(), &select, "product_id", &ids, "product_id").await?)
    }

    /// A product with its SKUs, cache-aside (an hour; unknown ids briefly).
    /// An id the filter of known ids rules out is not looked up at all.
    pub async fn product_detail(&self, id: &str) -> anyhow::Result<Option<ProductDetail>> {
        if !self.might_be_product(id) {
            return Ok(None);
        }
        let this = self.clone();
        let owned = id.to_owned();
        self.cache
            .get_or_load(
                self.cache.product_key(id),
                PRODUCT_TTL,
                move || async move {
                    let Some(product) = this
                        .products_by_ids(std::slice::from_ref(&owned))
                        .await?
                        .pop()
                    else {
                        return Ok(None);
                    };
                    let skus = this
                        .skus_by_product_ids(std::slice::from_ref(&owned))
                        .await?;
                    Ok(Some(ProductDetail { product, skus }))
                },
            )
            .await
    }
}

pub async fn category_exists(tx: &mut Tx, category_id: &str) -> sqlx::Result<bool> {
    Ok(sqlx::query("SELECT 1 FROM category WHERE category_id = $1")
        .bind(category_id)
        .fetch_optional(&mut **tx)
        .await?
        .is_some())
}

pub async fn insert_product(tx: &mut Tx, product: &Product) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO product (product_id, category_id, name, description, brand, tags, images, \
         hot, status, sales_count, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'ACTIVE', 0, $9, $9)",
    )
    .bind(&product.product_id)
    .bind(&product.category_id)
    .bind(&product.name)
    .bind(&product.description)
    .bind(&product.brand)
    .bind(json(product.tags.clone()))
    .bind(json(product.images.clone()))
    .bind(i64::from(product.hot))
    .bind(product.created_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Applies `patch` to product `id`; `None` when there is no such product.
pub async fn update_product(
    tx: &mut Tx,
    id: &str,
    patch: ProductPatch,
) -> sqlx::Result<Option<Product>> {
    let mut args = Args::default();
    let mut sets = Vec::new();
    if let Some(v) = patch.category_id {
        sets.push(format!("category_id = {}", args.text(v)));
    }
    if let Some(v) = patch.name {
        sets.push(format!("name = {}", args.text(v.into_inner())));
    }
    if let Some(v) = patch.description {
        sets.push(format!("description = {}", args.text(v.into_inner())));
    }
    if let Some(v) = patch.brand {
        sets.push(format!("brand = {}", args.text(v.into_inner())));
    }
    if let Some(v) = patch.tags {
        sets.push(format!(
            "tags = {}",
            args.text(json(v.into_iter().map(Tag::into_inner).collect()))
        ));
    }
    if let Some(v) = patch.images {
        sets.push(format!(
            "images = {}",
            args.text(json(v.into_iter().map(ImageUrl::into_inner).collect()))
        ));
    }
    if let Some(v) = patch.hot {
        sets.push(format!("hot = {}", args.int(i64::from(v))));
    }
    sets.push(format!("updated_at = {}", args.int(now_millis())));
    let id_p = args.text(id);
    let sql = format!(
        "UPDATE product SET {} WHERE product_id = {id_p} RETURNING {PRODUCT_COLUMNS}",
        sets.join(", ")
    );
    args.bind_as(sqlx::query_as(&sql))
        .fetch_optional(&mut **tx)
        .await
}

pub async fn set_product_status(
    tx: &mut Tx,
    id: &str,
    status: Status,
) -> sqlx::Result<Option<Product>> {
    sqlx::query_as(&format!(
        "UPDATE product SET status = $1, updated_at = $2 WHERE product_id = $3 RETURNING {PRODUCT_COLUMNS}"
    ))
    .bind(status.as_str())
    .bind(now_millis())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// Inserts one SKU of `product_id` inside `tx`.
pub async fn insert_sku(
    tx: &mut Tx,
    product_id: &str,
    sku: NewSku,
    position: i64,
    now: i64,
) -> sqlx::Result<Sku> {
    sqlx::query_as(&format!(
        "INSERT INTO sku (sku_id, product_id, name, price, currency, stock, status, position, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'ACTIVE', $7, $8, $8) RETURNING {SKU_COLUMNS}"
    ))
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(product_id)
    .bind(sku.name.into_inner())
    .bind(sku.price.fen())
    .bind(CURRENCY)
    .bind(sku.stock)
    .bind(position)
    .bind(now)
    .fetch_one(&mut **tx)
    .await
}
