//! A reviews subgraph whose `reviewAdded` stream stays open until its
//! subscriber leaves and emits what the test publishes, so tests can hold
//! subscriptions open, see events arrive on demand, and count the
//! subscriptions the router keeps open upstream.

use std::{
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use async_graphql::{Context, EmptyMutation, Schema, Subscription, futures_util::Stream};
use futures::stream;
use router::RouterConfig;
use tokio::sync::broadcast;

use crate::{
    helpers::{TestRouter, TestSubgraphs, spawn_subgraph},
    subgraphs::{self, Review, ReviewsQuery},
};

/// What the test publishes to every open `reviewAdded` stream.
#[derive(Clone)]
pub struct LiveFeed {
    events: broadcast::Sender<(String, Review)>,
    /// `reviewAdded` streams open on the subgraph.
    open: Arc<AtomicUsize>,
    /// `reviewAdded` streams ever opened.
    started: Arc<AtomicUsize>,
}

/// Counts a stream as open while it lives.
struct Open(Arc<AtomicUsize>);

impl Open {
    fn new(count: &Arc<AtomicUsize>) -> Self {
        count.fetch_add(1, Ordering::SeqCst);
        Self(count.clone())
    }
}

impl Drop for Open {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl LiveFeed {
    fn new() -> Self {
        Self {
            events: broadcast::channel(64).0,
            open: Arc::default(),
            started: Arc::default(),
        }
    }

    /// Sends fixture review `review` to the subscribers of product `upc`.
    pub fn publish(&self, upc: &str, review: &str) {
        let _ = self
            .events
            .send((upc.to_owned(), subgraphs::review(review)));
    }

    pub fn open(&self) -> usize {
        self.open.load(Ordering::SeqCst)
    }

    pub fn started_count(&self) -> usize {
        self.started.load(Ordering::SeqCst)
    }

    /// Waits until exactly `count` streams are open on the subgraph.
    pub async fn wait_open(&self, count: usize) {
        wait_for(&self.open, count, "open").await;
    }

    /// Waits until `count` streams were opened on the subgraph in all.
    pub async fn wait_started(&self, count: usize) {
        wait_for(&self.started, count, "started").await;
    }
}

async fn wait_for(counter: &AtomicUsize, count: usize, what: &str) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while counter.load(Ordering::SeqCst) != count {
        assert!(
            tokio::time::Instant::now() < deadline,
            "{} subscriptions {what} upstream, expected {count}",
            counter.load(Ordering::SeqCst)
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

struct LiveReviews;

#[Subscription(name = "Subscription")]
impl LiveReviews {
    /// The reviews published for `upc`, until the subscriber leaves.
    async fn review_added(
        &self,
        ctx: &Context<'_>,
        upc: String,
    ) -> async_graphql::Result<impl Stream<Item = Review>> {
        let feed = ctx.data::<LiveFeed>()?;
        feed.started.fetch_add(1, Ordering::SeqCst);
        let state = (feed.events.subscribe(), Open::new(&feed.open), upc);
        Ok(stream::unfold(
            state,
            |(mut events, open, upc)| async move {
                loop {
                    match events.recv().await {
                        Ok((for_upc, review)) if for_upc == upc => {
                            return Some((review, (events, open, upc)));
                        }
                        Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => continue,
                        Err(broadcast::error::RecvError::Closed) => return None,
                    }
                }
            },
        ))
    }
}

/// The test subgraphs with the live reviews subgraph, and a router with
/// `config` in front of them.
pub struct Live {
    pub feed: LiveFeed,
    pub subgraphs: TestSubgraphs,
    pub router: TestRouter,
}

impl Live {
    pub async fn start(config: RouterConfig) -> Live {
        let feed = LiveFeed::new();
        let reviews = Schema::build(ReviewsQuery, EmptyMutation, LiveReviews)
            .data(feed.clone())
            .enable_federation()
            .enable_subscription_in_federation()
            .finish();
        let mut subgraphs = TestSubgraphs::spawn().await;
        subgraphs.reviews = spawn_subgraph(reviews).await;
        let router = TestRouter::spawn(subgraphs.urls(), config).await;
        Live {
            feed,
            subgraphs,
            router,
        }
    }
}

/// A live subscription to the reviews of `upc`.
pub fn live_subscription(upc: &str) -> String {
    format!("subscription {{ reviewAdded(upc: \"{upc}\") {{ body }} }}")
}
