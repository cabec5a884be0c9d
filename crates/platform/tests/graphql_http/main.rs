//! A subgraph's `/graphql` speaks GraphQL over HTTP by the specification:
//! a tiny schema served through `server::graphql_router` on a real socket,
//! asked with hostile and well-formed requests alike.
//! Here: the schema, its server, and how a test posts to it.

mod body_limit;
mod negotiation;
mod request_errors;

use async_graphql::{EmptySubscription, Error, Object, Schema};
use platform::{
    auth::{JwksSource, JwtVerifier, SigningKey},
    db::Db,
    server,
    testing::{self, TestEngine},
};
use serde_json::{Value, json};

const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json; charset=utf-8";
const JSON: &str = "application/json; charset=utf-8";

struct Query;

#[Object]
impl Query {
    async fn hello(&self, name: Option<String>) -> String {
        format!("hello {}", name.as_deref().unwrap_or("world"))
    }

    /// Fails while executing: a field error, not a request error.
    async fn broken(&self) -> Result<String, Error> {
        Err(Error::new("broken on purpose"))
    }
}

struct Mutation;

#[Object]
impl Mutation {
    async fn touch(&self) -> bool {
        true
    }
}

struct Subgraph {
    url: String,
    addr: String,
    client: reqwest::Client,
}

async fn subgraph() -> Subgraph {
    let db = Db::connect(
        &testing::fresh_database_url(TestEngine::Sqlite)
            .await
            .expect("database url"),
    )
    .await
    .expect("database");
    let key = SigningKey::generate().expect("key");
    let verifier = JwtVerifier::new(JwksSource::Static(key.jwks()));
    let schema = Schema::build(Query, Mutation, EmptySubscription).finish();
    let app = server::graphql_router(schema, verifier, db);
    let (listener, port) = server::bind("127.0.0.1:0".parse().expect("addr"))
        .await
        .expect("bind");
    tokio::spawn(server::serve(listener, app, std::future::pending()));
    Subgraph {
        url: format!("http://127.0.0.1:{port}/graphql"),
        addr: format!("127.0.0.1:{port}"),
        client: testing::http_client().expect("client"),
    }
}

/// Status, Content-Type and JSON body of a POST with these headers and body.
async fn post(subgraph: &Subgraph, headers: &[(&str, &str)], body: &str) -> (u16, String, Value) {
    let mut request = subgraph.client.post(&subgraph.url).body(body.to_owned());
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    testing::status_type_and_json(request.send().await.expect("answer")).await
}

const AS_JSON: (&str, &str) = ("content-type", "application/json");

fn error(code: &str, message: &str) -> Value {
    json!({"errors": [{"message": message, "extensions": {"code": code}}]})
}
