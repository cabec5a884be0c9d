//! The test's own subgraphs (async-graphql federation), modelled on the
//! classic accounts/products/reviews/inventory demo plus a search subgraph
//! for interfaces and unions whose members live elsewhere.

use async_graphql::{
    ComplexObject, Context, EmptyMutation, EmptySubscription, Error, ID, Interface, Object, Schema,
    SimpleObject, Subscription, Union,
    futures_util::{self, Stream},
};

// ---------------------------------------------------------------- accounts

#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct User {
    id: ID,
    name: String,
    #[graphql(shareable)]
    username: String,
    #[graphql(inaccessible)]
    birth_year: i32,
}

#[ComplexObject]
impl User {
    /// Non-null, but fails for one user: the router must propagate the null.
    async fn nickname(&self) -> Result<String, Error> {
        if self.id.as_str() == "u2" {
            Err(Error::new("nickname is unavailable"))
        } else {
            Ok(format!("{}y", self.name.to_lowercase()))
        }
    }

    /// `@authenticated` in the supergraph.
    async fn email(&self) -> Option<String> {
        Some(format!("{}@example.com", self.username))
    }

    /// `@requiresScopes` in the supergraph.
    async fn internal_notes(&self) -> Option<String> {
        Some(format!("notes on {}", self.username))
    }
}

fn users() -> Vec<User> {
    [
        ("u1", "Ada", "ada", 1815),
        ("u2", "Alan", "alan", 1912),
        ("u3", "Grace", "grace", 1906),
    ]
    .into_iter()
    .map(|(id, name, username, birth_year)| User {
        id: ID(id.into()),
        name: name.into(),
        username: username.into(),
        birth_year,
    })
    .collect()
}

pub struct AccountsQuery;

#[Object(name = "Query")]
impl AccountsQuery {
    async fn me(&self, ctx: &Context<'_>) -> Option<User> {
        // Only a caller that sent a bearer token is someone.
        ctx.data_opt::<Authorization>()
            .filter(|a| a.0.starts_with("Bearer "))?;
        users().into_iter().next()
    }

    async fn user(&self, id: ID) -> Option<User> {
        users().into_iter().find(|u| u.id == id)
    }

    async fn users(&self) -> Vec<User> {
        users()
    }

    #[graphql(entity)]
    async fn find_user_by_id(&self, id: ID) -> Option<User> {
        users().into_iter().find(|u| u.id == id)
    }
}

/// The `Authorization` header a subgraph received, put into request data.
pub struct Authorization(pub String);

pub type SubgraphSchema<Q> = Schema<Q, EmptyMutation, EmptySubscription>;

pub struct AccountsMutation;

#[Object(name = "Mutation")]
impl AccountsMutation {
    /// Stateless on purpose: the tests only need a mutation to route.
    async fn update_name(&self, id: ID, name: String) -> Option<User> {
        let mut user = users().into_iter().find(|u| u.id == id)?;
        user.name = name;
        Some(user)
    }
}

pub fn accounts() -> Schema<AccountsQuery, AccountsMutation, EmptySubscription> {
    Schema::build(AccountsQuery, AccountsMutation, EmptySubscription)
        .enable_federation()
        .finish()
}

// ---------------------------------------------------------------- products

#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct Product {
    upc: String,
    sku: String,
    region: String,
    name: String,
    price: i32,
    weight: i32,
}

#[ComplexObject]
impl Product {
    /// Overridden by inventory: the router must never ask products.
    async fn warehouse(&self) -> String {
        "products' stale warehouse".into()
    }
}

fn products() -> Vec<Product> {
    [
        ("p1", "T-1", "EU", "Table", 899, 100),
        ("p2", "C-1", "US", "Couch", 1299, 1000),
        ("p3", "H-1", "EU", "Chair", 54, 50),
    ]
    .into_iter()
    .map(|(upc, sku, region, name, price, weight)| Product {
        upc: upc.into(),
        sku: sku.into(),
        region: region.into(),
        name: name.into(),
        price,
        weight,
    })
    .collect()
}

pub struct ProductsQuery;

#[Object(name = "Query")]
impl ProductsQuery {
    async fn top_products(&self, #[graphql(default = 5)] first: i32) -> Vec<Product> {
        products()
            .into_iter()
            .take(usize::try_from(first).unwrap_or(0))
            .collect()
    }

    async fn product(&self, upc: String) -> Option<Product> {
        products().into_iter().find(|p| p.upc == upc)
    }

    #[graphql(entity)]
    async fn find_product_by_upc(&self, upc: String) -> Option<Product> {
        products().into_iter().find(|p| p.upc == upc)
    }

    #[graphql(entity)]
    async fn find_product_by_sku_and_region(&self, sku: String, region: String) -> Option<Product> {
        products()
            .into_iter()
            .find(|p| p.sku == sku && p.region == region)
    }
}

pub fn products_schema() -> SubgraphSchema<ProductsQuery> {
    Schema::build(ProductsQuery, EmptyMutation, EmptySubscription)
        .enable_federation()
        .finish()
}

// ---------------------------------------------------------------- reviews

#[derive(SimpleObject, Clone)]
pub struct Review {
    id: ID,
    body: String,
    rating: i32,
    #[graphql(provides = "username")]
    author: ReviewUser,
    product: ReviewProduct,
}

/// `User` as reviews sees it: the key, the provided username, reviews.
#[derive(SimpleObject, Clone)]
#[graphql(name = "User", complex)]
pub struct ReviewUser {
    id: ID,
    #[graphql(external)]
    username: String,
}

#[ComplexObject]
impl ReviewUser {
    async fn reviews(&self) -> Vec<Review> {
        reviews()
            .into_iter()
            .filter(|r| r.author.id == self.id)
            .collect()
    }
}

#[derive(SimpleObject, Clone)]
#[graphql(name = "Product", complex)]
pub struct ReviewProduct {
    upc: String,
}

#[ComplexObject]
impl ReviewProduct {
    /// Nullable, so a reviews outage leaves the rest of a product intact.
    async fn reviews(&self) -> Option<Vec<Review>> {
        Some(
            reviews()
                .into_iter()
                .filter(|r| r.product.upc == self.upc)
                .collect(),
        )
    }
}

fn reviews() -> Vec<Review> {
    [
        ("r1", "p1", "u1", "ada", "Love it", 5),
        ("r2", "p1", "u2", "alan", "Too expensive", 2),
        ("r3", "p2", "u1", "ada", "Could be better", 3),
        ("r4", "p3", "u3", "grace", "Sturdy", 4),
    ]
    .into_iter()
    .map(|(id, upc, user, username, body, rating)| Review {
        id: ID(id.into()),
        body: body.into(),
        rating,
        author: ReviewUser {
            id: ID(user.into()),
            username: username.into(),
        },
        product: ReviewProduct { upc: upc.into() },
    })
    .collect()
}

/// Review `id` of the fixtures, for subgraphs of a test's own that stream
/// reviews.
pub fn review(id: &str) -> Review {
    reviews()
        .into_iter()
        .find(|r| r.id.as_str() == id)
        .unwrap_or_else(|| panic!("no fixture review {id}"))
}

pub struct ReviewsQuery;

#[Object(name = "Query")]
impl ReviewsQuery {
    async fn reviews(&self) -> Vec<Review> {
        reviews()
    }

    #[graphql(entity)]
    async fn find_review_by_id(&self, id: ID) -> Option<Review> {
        reviews().into_iter().find(|r| r.id == id)
    }

    #[graphql(entity)]
    async fn find_user_by_id(&self, id: ID) -> ReviewUser {
        let username = reviews()
            .into_iter()
            .find(|r| r.author.id == id)
            .map(|r| r.author.username)
            .unwrap_or_default();
        ReviewUser { id, username }
    }

    #[graphql(entity)]
    async fn find_product_by_upc(&self, upc: String) -> ReviewProduct {
        ReviewProduct { upc }
    }
}

pub struct ReviewsSubscription;

#[Subscription(name = "Subscription")]
impl ReviewsSubscription {
    /// The reviews of one product, one event each, then the stream ends.
    async fn review_added(&self, upc: String) -> impl Stream<Item = Review> {
        let matching: Vec<Review> = reviews()
            .into_iter()
            .filter(|r| r.product.upc == upc)
            .collect();
        futures_util::stream::iter(matching)
    }
}

pub fn reviews_schema() -> Schema<ReviewsQuery, EmptyMutation, ReviewsSubscription> {
    Schema::build(ReviewsQuery, EmptyMutation, ReviewsSubscription)
        .enable_federation()
        .enable_subscription_in_federation()
        .finish()
}

// ---------------------------------------------------------------- inventory

/// `Product` as inventory sees it: keyed by the composite `sku region`,
/// with `price` and `weight` required from products.
#[derive(SimpleObject, Clone)]
#[graphql(name = "Product", complex)]
pub struct InventoryProduct {
    sku: String,
    region: String,
    /// From the representation, when the router sent it (`@requires`).
    #[graphql(skip)]
    price: Option<i32>,
    #[graphql(skip)]
    weight: Option<i32>,
}

#[ComplexObject]
impl InventoryProduct {
    /// Declared with the owner's type (`Int!`), as composition demands;
    /// never resolved here, since the router asks products for it.
    #[graphql(external)]
    async fn price(&self) -> i32 {
        self.price.unwrap_or_default()
    }

    #[graphql(external)]
    async fn weight(&self) -> i32 {
        self.weight.unwrap_or_default()
    }

    async fn in_stock(&self) -> bool {
        self.sku != "C-1"
    }

    #[graphql(requires = "price weight")]
    async fn shipping_estimate(&self) -> Result<i32, Error> {
        let (Some(price), Some(weight)) = (self.price, self.weight) else {
            return Err(Error::new("price and weight were not provided"));
        };
        Ok(if price > 1000 { 0 } else { weight / 2 })
    }

    /// Taken over from products with `@override`.
    #[graphql(override_from = "products")]
    async fn warehouse(&self) -> String {
        format!("{}-central", self.region.to_lowercase())
    }

    /// A field with arguments that needs a field of another subgraph.
    #[graphql(requires = "weight")]
    async fn shipping_to(&self, zone: String) -> Result<i32, Error> {
        let weight = self
            .weight
            .ok_or_else(|| Error::new("weight was not provided"))?;
        Ok(if zone == self.region {
            weight
        } else {
            weight * 2
        })
    }
}

pub struct InventoryQuery;

#[Object(name = "Query")]
impl InventoryQuery {
    #[graphql(entity)]
    async fn find_product_by_sku_and_region(
        &self,
        #[graphql(key)] sku: String,
        #[graphql(key)] region: String,
        price: Option<i32>,
        weight: Option<i32>,
    ) -> InventoryProduct {
        InventoryProduct {
            sku,
            region,
            price,
            weight,
        }
    }
}

pub fn inventory_schema() -> SubgraphSchema<InventoryQuery> {
    Schema::build(InventoryQuery, EmptyMutation, EmptySubscription)
        .enable_federation()
        .finish()
}

// ---------------------------------------------------------------- search

#[derive(SimpleObject, Clone)]
#[graphql(name = "User")]
pub struct SearchUser {
    id: ID,
}

#[derive(SimpleObject, Clone)]
#[graphql(name = "Review")]
pub struct SearchReview {
    id: ID,
}

#[derive(SimpleObject, Clone)]
#[graphql(name = "Product")]
pub struct SearchProduct {
    upc: String,
}

#[derive(Union, Clone)]
pub enum SearchResult {
    User(SearchUser),
    Product(SearchProduct),
}

#[derive(Interface, Clone)]
#[graphql(field(name = "id", ty = "&ID"))]
pub enum Node {
    User(SearchUser),
    Review(SearchReview),
}

pub struct SearchQuery;

#[Object(name = "Query")]
impl SearchQuery {
    async fn search(&self, term: String) -> Vec<SearchResult> {
        let term = term.to_lowercase();
        [
            ("u1", "ada"),
            ("p1", "table"),
            ("u3", "grace"),
            ("p3", "chair"),
        ]
        .into_iter()
        .filter(|(_, name)| name.contains(&term))
        .map(|(id, _)| {
            if id.starts_with('u') {
                SearchResult::User(SearchUser { id: ID(id.into()) })
            } else {
                SearchResult::Product(SearchProduct { upc: id.into() })
            }
        })
        .collect()
    }

    async fn node(&self, id: ID) -> Option<Node> {
        if id.starts_with('u') {
            Some(Node::User(SearchUser { id }))
        } else if id.starts_with('r') {
            Some(Node::Review(SearchReview { id }))
        } else {
            None
        }
    }

    #[graphql(entity)]
    async fn find_user_by_id(&self, id: ID) -> SearchUser {
        SearchUser { id }
    }

    #[graphql(entity)]
    async fn find_review_by_id(&self, id: ID) -> SearchReview {
        SearchReview { id }
    }

    #[graphql(entity)]
    async fn find_product_by_upc(&self, upc: String) -> SearchProduct {
        SearchProduct { upc }
    }
}

pub fn search_schema() -> SubgraphSchema<SearchQuery> {
    Schema::build(SearchQuery, EmptyMutation, EmptySubscription)
        .register_output_type::<Node>()
        .enable_federation()
        .finish()
}
