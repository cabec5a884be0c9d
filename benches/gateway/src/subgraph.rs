//! One subgraph: its federation SDL and its app, bound to a port, served.

use std::{future::Future, net::SocketAddr};

use async_graphql::{EmptyMutation, EmptySubscription, ObjectType, SDLExportOptions, Schema};
use async_graphql_axum::GraphQL;
use axum::{
    Router,
    http::{StatusCode, header::CONTENT_TYPE},
    response::{IntoResponse, Response},
    routing::{post, post_service},
};
use bytes::Bytes;
use moka::sync::Cache;
use tokio::net::TcpListener;

type GatewaySchema<Q> = Schema<Q, EmptyMutation, EmptySubscription>;

/// How a subgraph answers a request it has answered before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answers {
    /// Executed afresh each time, as any GraphQL server does.
    Executed,
    /// The same request body gets the answer it got the first time: the
    /// data never changes, so neither does the answer. On a machine the
    /// router under test shares, executing the deep query's requests costs
    /// the subgraphs more CPU than either router spends on them (async-graphql
    /// resolving and escaping thousands of fields, benches/RESULTS.md), so
    /// the load test would measure them instead of the router; in the
    /// vendors' benchmark they run on machines of their own. Every request
    /// still arrives and is answered over HTTP.
    Remembered,
}

/// A subgraph not yet listening.
pub struct Subgraph {
    pub name: &'static str,
    /// The Federation v2 SDL that `_service { sdl }` serves.
    pub sdl: String,
    /// `POST /graphql`. Public so that a test can wrap it (to count the
    /// router's requests, say) before binding.
    pub app: Router,
}

impl Subgraph {
    pub(crate) fn new<Q: ObjectType + 'static>(
        name: &'static str,
        query: Q,
        answers: Answers,
    ) -> Self {
        let schema = Schema::build(query, EmptyMutation, EmptySubscription)
            .enable_federation()
            .finish();
        // The options `_service { sdl }` serves it with.
        let sdl = schema.sdl_with_options(SDLExportOptions::new().federation().compose_directive());
        // No GraphQL-over-HTTP negotiation, auth or health route as the
        // platform's subgraphs have: the benchmark's subgraphs only answer
        // the router, and should spend as little as possible doing it.
        let app = match answers {
            Answers::Executed => {
                Router::new().route("/graphql", post_service(GraphQL::new(schema)))
            }
            Answers::Remembered => remembering(schema),
        };
        Self { name, sdl, app }
    }

    /// Binds 127.0.0.1:`port` (0 picks a free port).
    pub async fn bind(self, port: u16) -> anyhow::Result<BoundSubgraph> {
        let (listener, port) =
            platform::server::bind(SocketAddr::from(([127, 0, 0, 1], port))).await?;
        Ok(BoundSubgraph {
            name: self.name,
            sdl: self.sdl,
            port,
            listener,
            app: self.app,
        })
    }
}

/// A subgraph bound to its port, not yet serving.
pub struct BoundSubgraph {
    pub name: &'static str,
    pub sdl: String,
    pub port: u16,
    listener: TcpListener,
    app: Router,
}

impl BoundSubgraph {
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/graphql", self.port)
    }

    /// Serves until `shutdown` resolves, finishing the requests in flight.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        platform::server::serve(self.listener, self.app, shutdown).await
    }
}

/// `POST /graphql` answering each distinct body once (see [`Answers`]).
fn remembering<Q: ObjectType + 'static>(schema: GatewaySchema<Q>) -> Router {
    // The deep query sends seven distinct bodies; room for many more.
    let answers: Cache<Bytes, Bytes> = Cache::new(1024);
    Router::new().route(
        "/graphql",
        post(move |body: Bytes| {
            let (schema, answers) = (schema.clone(), answers.clone());
            async move { remembered(&schema, &answers, body).await }
        }),
    )
}

async fn remembered<Q: ObjectType + 'static>(
    schema: &GatewaySchema<Q>,
    answers: &Cache<Bytes, Bytes>,
    body: Bytes,
) -> Response {
    if let Some(answer) = answers.get(&body) {
        return json(answer);
    }
    let request: async_graphql::Request = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(e) => {
            return (
                StatusCode::BAD_REQUEST,
                format!("not a GraphQL request: {e}"),
            )
                .into_response();
        }
    };
    let response = schema.execute(request).await;
    // Errors are not remembered: the next request tries afresh.
    let succeeded = response.is_ok();
    let answer = match serde_json::to_vec(&response) {
        Ok(answer) => Bytes::from(answer),
        Err(e) => return (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    };
    if succeeded {
        answers.insert(body, answer.clone());
    }
    json(answer)
}

fn json(answer: Bytes) -> Response {
    ([(CONTENT_TYPE, "application/json")], answer).into_response()
}
