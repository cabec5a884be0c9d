//! search: an interface and a union whose members live elsewhere.

use async_graphql::{
    EmptyMutation, EmptySubscription, ID, Interface, Object, Schema, SimpleObject, Union,
};

use super::SubgraphSchema;

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
