//! `@interfaceObject`: ratings knows `Media` only as an object type, media
//! owns the interface and its implementations. The planner's input and
//! output rewrites (`__typename` set to the interface) run in the executor.

use async_graphql::{
    ComplexObject, EmptyMutation, EmptySubscription, ID, Interface, Object, Schema, SimpleObject,
};
use router::{RouterConfig, plan::QueryPlanner};
use serde_json::json;

use crate::helpers::{TestRouter, TestSubgraph, spawn_subgraph};

const SUPERGRAPH: &str = include_str!("../fixtures/interface-object.graphql");

#[derive(SimpleObject, Clone)]
struct Book {
    id: ID,
    title: String,
    pages: i32,
}

#[derive(SimpleObject, Clone)]
struct Movie {
    id: ID,
    title: String,
    minutes: i32,
}

#[derive(Interface, Clone)]
#[graphql(field(name = "id", ty = "&ID"), field(name = "title", ty = "&String"))]
enum Media {
    Book(Book),
    Movie(Movie),
}

fn catalogue() -> Vec<Media> {
    vec![
        Media::Book(Book {
            id: ID("b1".into()),
            title: "Dune".into(),
            pages: 412,
        }),
        Media::Movie(Movie {
            id: ID("m1".into()),
            title: "Alien".into(),
            minutes: 117,
        }),
        Media::Movie(Movie {
            id: ID("m2".into()),
            title: "Heat".into(),
            minutes: 170,
        }),
    ]
}

fn media_id(media: &Media) -> &ID {
    match media {
        Media::Book(b) => &b.id,
        Media::Movie(m) => &m.id,
    }
}

struct MediaQuery;

#[Object(name = "Query")]
impl MediaQuery {
    async fn media(&self) -> Vec<Media> {
        catalogue()
    }

    #[graphql(entity)]
    async fn find_media_by_id(&self, id: ID) -> Option<Media> {
        catalogue().into_iter().find(|m| media_id(m) == &id)
    }

    #[graphql(entity)]
    async fn find_book_by_id(&self, id: ID) -> Option<Book> {
        catalogue().into_iter().find_map(|m| match m {
            Media::Book(b) if b.id == id => Some(b),
            _ => None,
        })
    }

    #[graphql(entity)]
    async fn find_movie_by_id(&self, id: ID) -> Option<Movie> {
        catalogue().into_iter().find_map(|m| match m {
            Media::Movie(m) if m.id == id => Some(m),
            _ => None,
        })
    }
}

/// `Media` as ratings sees it: an object standing for the interface.
#[derive(SimpleObject, Clone)]
#[graphql(name = "Media", interface_object, complex)]
struct RatedMedia {
    id: ID,
}

#[ComplexObject]
impl RatedMedia {
    async fn rating(&self) -> i32 {
        match self.id.as_str() {
            "b1" => 5,
            "m1" => 4,
            _ => 3,
        }
    }
}

struct RatingsQuery;

#[Object(name = "Query")]
impl RatingsQuery {
    async fn top_rated(&self) -> Vec<RatedMedia> {
        ["m2", "b1"]
            .into_iter()
            .map(|id| RatedMedia { id: ID(id.into()) })
            .collect()
    }

    #[graphql(entity)]
    async fn find_media_by_id(&self, id: ID) -> RatedMedia {
        RatedMedia { id }
    }
}

async fn setup() -> (TestSubgraph, TestSubgraph, TestRouter) {
    let media = spawn_subgraph(
        Schema::build(MediaQuery, EmptyMutation, EmptySubscription)
            .enable_federation()
            .finish(),
    )
    .await;
    let ratings = spawn_subgraph(
        Schema::build(RatingsQuery, EmptyMutation, EmptySubscription)
            .enable_federation()
            .finish(),
    )
    .await;
    let urls = [
        ("media".to_owned(), media.url.clone()),
        ("ratings".to_owned(), ratings.url.clone()),
    ]
    .into();
    let router = TestRouter::spawn_with_sdl(SUPERGRAPH, urls, RouterConfig::default()).await;
    (media, ratings, router)
}

#[test]
fn plans_carry_the_interface_object_rewrites() {
    let planner = router::plan::HivePlanner::new(SUPERGRAPH).expect("planner");
    let plan = planner
        .plan("{ media { id rating } topRated { title } }", None)
        .expect("plan");
    let json = serde_json::to_value(&plan).expect("json");
    let entity_fetches = &json["node"]["nodes"][1]["nodes"];
    for fetch in entity_fetches.as_array().expect("parallel entity fetches") {
        assert_eq!(
            fetch["node"]["inputRewrites"],
            json!([{"ValueSetter": {
                "path": [{"TypenameEquals": ["Media"]}, {"Key": "__typename"}],
                "setValueTo": "Media"
            }}]),
            "{plan}"
        );
    }
}

#[tokio::test]
async fn interface_object_fields_are_fetched_for_concrete_types() {
    let (_media, ratings, router) = setup().await;
    let (status, body) = router
        .query("{ media { __typename id title rating } }", json!({}))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        json!({"data": {"media": [
            {"__typename": "Book", "id": "b1", "title": "Dune", "rating": 5},
            {"__typename": "Movie", "id": "m1", "title": "Alien", "rating": 4},
            {"__typename": "Movie", "id": "m2", "title": "Heat", "rating": 3}
        ]}})
    );
    let calls = ratings.log.entity_calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(
        calls[0].variables["representations"][0],
        json!({"__typename": "Media", "id": "b1"})
    );
}

#[tokio::test]
async fn interface_objects_are_resolved_to_their_concrete_type() {
    let (_media, _ratings, router) = setup().await;
    let (status, body) = router
        .query(
            "{ topRated { __typename id title rating ... on Book { pages } ... on Movie { minutes } } }",
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        json!({"data": {"topRated": [
            {"__typename": "Movie", "id": "m2", "title": "Heat", "rating": 3, "minutes": 170},
            {"__typename": "Book", "id": "b1", "title": "Dune", "rating": 5, "pages": 412}
        ]}})
    );
}

/// The plan: ratings' fields for the concrete media, and the concrete
/// type of ratings' top-rated media, each from the other subgraph.
#[test]
fn the_plan_of_interface_object_fields_crosses_both_ways() {
    let query = "{ media { id rating } topRated { title } }";
    insta::assert_snapshot!(crate::plans::plan_text(SUPERGRAPH, query));
}
