//! reviews: reviews of products by users, and a subscription streaming them.

use async_graphql::{
    ComplexObject, EmptyMutation, ID, Object, Schema, SimpleObject, Subscription,
    futures_util::{self, Stream},
};

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
