//! The subscription fan-out, in-process and on Redis.

use std::{sync::Arc, time::Duration};

use crate::{WAIT, unique};
use futures::StreamExt;
use platform::{
    fanout::{self, Fanout},
    testing,
};

async fn fanouts() -> Vec<(&'static str, Arc<dyn Fanout>)> {
    let mut fanouts: Vec<(&'static str, Arc<dyn Fanout>)> =
        vec![("in-process", fanout::connect(None).await.unwrap())];
    if let Some(url) = testing::redis_url() {
        let redis = fanout::connect(Some(&url))
            .await
            .expect("TEST_REDIS_URL is switched on but Redis is unreachable");
        fanouts.push(("redis", redis));
    }
    fanouts
}

#[tokio::test]
async fn fanout_delivers_to_every_subscriber_of_a_channel_in_order() {
    for (name, fanout) in fanouts().await {
        let channel = unique("order");
        let mut first = fanout.subscribe(&channel).await.unwrap();
        let mut second = fanout.subscribe(&channel).await.unwrap();
        let mut elsewhere = fanout.subscribe(&unique("other")).await.unwrap();
        for i in 0..3u8 {
            fanout.publish(&channel, vec![i]).await.unwrap();
        }
        for i in 0..3u8 {
            for stream in [&mut first, &mut second] {
                let got = tokio::time::timeout(WAIT, stream.next()).await.unwrap();
                assert_eq!(got, Some(vec![i]), "{name}");
            }
        }
        assert!(
            tokio::time::timeout(Duration::from_millis(200), elsewhere.next())
                .await
                .is_err(),
            "{name}: another channel's message leaked"
        );
    }
}
