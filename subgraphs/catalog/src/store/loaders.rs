//! DataLoaders: every entity and nested list of a response is fetched in one
//! statement per kind, however many parents ask. They hold no cache (the
//! async-graphql default), so one set serves every request without going
//! stale; concurrent requests even share batches.

use std::{collections::HashMap, sync::Arc};

use async_graphql::dataloader::{DataLoader, Loader};

use super::{
    Store,
    reviews::ReviewStats,
    rows::{Category, FlashSale, Product, Review, Sku},
};

/// A loader failure, cloneable as DataLoader requires.
pub type LoadError = Arc<anyhow::Error>;

macro_rules! loader {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        pub struct $name(pub Store);
    };
}

loader!(
    /// Products by id.
    ProductLoader
);
loader!(
    /// The SKUs of each product.
    SkusByProductLoader
);
loader!(
    /// SKUs by id.
    SkuLoader
);
loader!(
    /// Categories by id, from the cached tree.
    CategoryLoader
);
loader!(
    /// Review count and rating sum of each product.
    ReviewStatsLoader
);
loader!(
    /// The newest top-level reviews of each product.
    TopReviewsLoader
);
loader!(
    /// The direct replies of each review.
    RepliesLoader
);
loader!(
    /// Reviews by id.
    ReviewLoader
);
loader!(
    /// What each user wrote.
    UserReviewsLoader
);
loader!(
    /// The favorite product ids of each user.
    FavoritesLoader
);
loader!(
    /// Flash sales by id.
    FlashSaleLoader
);

fn group<T>(items: Vec<T>, key: impl Fn(&T) -> String) -> HashMap<String, Vec<T>> {
    let mut map: HashMap<String, Vec<T>> = HashMap::new();
    for item in items {
        map.entry(key(&item)).or_default().push(item);
    }
    map
}

impl Loader<String> for ProductLoader {
    type Value = Product;
    type Error = LoadError;
    async fn load(&self, keys: &[String]) -> Result<HashMap<String, Product>, LoadError> {
        self.0.metrics().loader_batch("product", keys.len());
        let rows = self.0.products_by_ids(keys).await?;
        Ok(rows
            .into_iter()
            .map(|p| (p.product_id.clone(), p))
            .collect())
    }
}

impl Loader<String> for SkusByProductLoader {
    type Value = Vec<Sku>;
    type Error = LoadError;
    async fn load(&self, keys: &[String]) -> Result<HashMap<String, Vec<Sku>>, LoadError> {
        self.0.metrics().loader_batch("skus_by_product", keys.len());
        Ok(group(self.0.skus_by_product_ids(keys).await?, |s| {
            s.product_id.clone()
        }))
    }
}

impl Loader<String> for SkuLoader {
    type Value = Sku;
    type Error = LoadError;
    async fn load(&self, keys: &[String]) -> Result<HashMap<String, Sku>, LoadError> {
        self.0.metrics().loader_batch("sku", keys.len());
        let rows = self.0.skus_by_ids(keys).await?;
        Ok(rows.into_iter().map(|s| (s.sku_id.clone(), s)).collect())
    }
}

impl Loader<String> for CategoryLoader {
    type Value = Category;
    type Error = LoadError;
    async fn load(&self, keys: &[String]) -> Result<HashMap<String, Category>, LoadError> {
        self.0.metrics().loader_batch("category", keys.len());
        let tree = self.0.category_tree().await?;
        Ok(keys
            .iter()
            .filter_map(|k| tree.get(k).map(|c| (k.clone(), c.clone())))
            .collect())
    }
}

impl Loader<String> for ReviewStatsLoader {
    type Value = ReviewStats;
    type Error = LoadError;
    async fn load(&self, keys: &[String]) -> Result<HashMap<String, ReviewStats>, LoadError> {
        self.0.metrics().loader_batch("review_stats", keys.len());
        Ok(self.0.review_stats(keys).await?)
    }
}

/// A product and how many of its newest reviews to show.
#[derive(Clone, Debug, Hash, PartialEq, Eq)]
pub struct TopReviewsKey {
    pub product_id: String,
    pub limit: i64,
}

impl Loader<TopReviewsKey> for TopReviewsLoader {
    type Value = Vec<Review>;
    type Error = LoadError;
    async fn load(
        &self,
        keys: &[TopReviewsKey],
    ) -> Result<HashMap<TopReviewsKey, Vec<Review>>, LoadError> {
        self.0.metrics().loader_batch("top_reviews", keys.len());
        // Nearly always one limit per batch; one statement per distinct limit.
        let mut by_limit: HashMap<i64, Vec<String>> = HashMap::new();
        for key in keys {
            by_limit
                .entry(key.limit)
                .or_default()
                .push(key.product_id.clone());
        }
        let mut out = HashMap::new();
        for (limit, ids) in by_limit {
            let grouped = group(self.0.top_reviews(&ids, limit).await?, |r| {
                r.product_id.clone()
            });
            for (product_id, reviews) in grouped {
                out.insert(TopReviewsKey { product_id, limit }, reviews);
            }
        }
        Ok(out)
    }
}

impl Loader<String> for RepliesLoader {
    type Value = Vec<Review>;
    type Error = LoadError;
    async fn load(&self, keys: &[String]) -> Result<HashMap<String, Vec<Review>>, LoadError> {
        self.0.metrics().loader_batch("replies", keys.len());
        Ok(group(self.0.replies(keys).await?, |r| {
            r.parent_id.clone().unwrap_or_default()
        }))
    }
}

impl Loader<String> for ReviewLoader {
    type Value = Review;
    type Error = LoadError;
    async fn load(&self, keys: &[String]) -> Result<HashMap<String, Review>, LoadError> {
        self.0.metrics().loader_batch("review", keys.len());
        let rows = self.0.reviews_by_ids(keys).await?;
        Ok(rows.into_iter().map(|r| (r.review_id.clone(), r)).collect())
    }
}

impl Loader<String> for UserReviewsLoader {
    type Value = Vec<Review>;
    type Error = LoadError;
    async fn load(&self, keys: &[String]) -> Result<HashMap<String, Vec<Review>>, LoadError> {
        self.0.metrics().loader_batch("user_reviews", keys.len());
        Ok(group(self.0.reviews_by_users(keys).await?, |r| {
            r.user_id.clone()
        }))
    }
}

impl Loader<String> for FavoritesLoader {
    type Value = Vec<String>;
    type Error = LoadError;
    async fn load(&self, keys: &[String]) -> Result<HashMap<String, Vec<String>>, LoadError> {
        self.0.metrics().loader_batch("favorites", keys.len());
        let mut out: HashMap<String, Vec<String>> = HashMap::new();
        for (user_id, product_id) in self.0.favorites_by_users(keys).await? {
            out.entry(user_id).or_default().push(product_id);
        }
        Ok(out)
    }
}

impl Loader<String> for FlashSaleLoader {
    type Value = FlashSale;
    type Error = LoadError;
    async fn load(&self, keys: &[String]) -> Result<HashMap<String, FlashSale>, LoadError> {
        self.0.metrics().loader_batch("flash_sale", keys.len());
        let rows = self.0.flash_sales_by_ids(keys).await?;
        Ok(rows
            .into_iter()
            .map(|f| (f.flash_sale_id.clone(), f))
            .collect())
    }
}

/// Every loader, built once per schema.
pub struct Loaders {
    pub products: DataLoader<ProductLoader>,
    pub skus_by_product: DataLoader<SkusByProductLoader>,
    pub skus: DataLoader<SkuLoader>,
    pub categories: DataLoader<CategoryLoader>,
    pub review_stats: DataLoader<ReviewStatsLoader>,
    pub top_reviews: DataLoader<TopReviewsLoader>,
    pub replies: DataLoader<RepliesLoader>,
    pub reviews: DataLoader<ReviewLoader>,
    pub user_reviews: DataLoader<UserReviewsLoader>,
    pub favorites: DataLoader<FavoritesLoader>,
    pub flash_sales: DataLoader<FlashSaleLoader>,
}

impl Loaders {
    pub fn new(store: &Store) -> Self {
        let c = || store.clone();
        Self {
            products: DataLoader::new(ProductLoader(c()), tokio::spawn),
            skus_by_product: DataLoader::new(SkusByProductLoader(c()), tokio::spawn),
            skus: DataLoader::new(SkuLoader(c()), tokio::spawn),
            categories: DataLoader::new(CategoryLoader(c()), tokio::spawn),
            review_stats: DataLoader::new(ReviewStatsLoader(c()), tokio::spawn),
            top_reviews: DataLoader::new(TopReviewsLoader(c()), tokio::spawn),
            replies: DataLoader::new(RepliesLoader(c()), tokio::spawn),
            reviews: DataLoader::new(ReviewLoader(c()), tokio::spawn),
            user_reviews: DataLoader::new(UserReviewsLoader(c()), tokio::spawn),
            favorites: DataLoader::new(FavoritesLoader(c()), tokio::spawn),
            flash_sales: DataLoader::new(FlashSaleLoader(c()), tokio::spawn),
        }
    }
}
