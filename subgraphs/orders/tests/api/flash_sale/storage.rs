//! Admitted orders are stored asynchronously: after a catalog outage, or
//! failed with their units given back when the catalog cannot fill them.

use std::time::Duration;

use serde_json::{Value, json};

use super::{flash_input, reconcile};
use crate::{
    concurrency::{race, tally},
    helpers::{Options, spawn_app, spawn_with},
};

#[tokio::test]
async fn admitted_orders_wait_out_a_catalog_outage_and_are_stored_after_it() {
    let app = spawn_with(Options {
        catalog_proxy: true,
        ..Options::default()
    })
    .await;
    let proxy = app.catalog_proxy.as_ref().unwrap();
    let (product, skus) = app.product("Kettle", &[("steel", 19_900, 10)]).await;
    let sale = app.flash_sale(&skus[0], 4_900, 10, 1).await;
    let app = &app;
    let buy = |buyer: &str| {
        let token = app.tokens.customer(buyer);
        let input = flash_input(&skus[0], &sale, 1);
        async move { (app.place_order(&token, input).await, token) }
    };
    // The first checkout looks the sale up; the next one, moments later,
    // is admitted on that answer while the catalog is unreachable.
    let (first, first_buyer) = buy("buyer-1").await;
    proxy.cut();
    let (second, second_buyer) = buy("buyer-2").await;
    for reply in [&first, &second] {
        assert_eq!(reply["placement"]["status"], "QUEUED", "{reply}");
    }
    let second_id = second["placement"]["orderId"].as_str().unwrap();
    // The buyer may follow the queued order live: its first message comes
    // when it is stored.
    let mut subscriber = app.subscribe_raw(&second_buyer, second_id).await;
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    let waiting = app
        .data(
            "query($id: ID!) { orderPlacement(orderId: $id) { status } }",
            json!({ "id": second_id }),
            Some(&second_buyer),
        )
        .await;
    assert_eq!(
        waiting["orderPlacement"]["status"], "QUEUED",
        "no catalog, no reservation: the order waits"
    );
    proxy.restore();
    let first_id = first["placement"]["orderId"].as_str().unwrap();
    for (buyer, id) in [(&first_buyer, first_id), (&second_buyer, second_id)] {
        let placement = app.wait_until_placed(buyer, id).await;
        assert_eq!(placement["status"], "PLACED", "{placement}");
    }
    let stored = subscriber.next_status().await;
    assert_eq!(stored["orderId"], second_id);
    assert_eq!(stored["status"], "PENDING_PAYMENT");
    assert_eq!(stored["previousStatus"], json!(null));
    assert_eq!(app.stock_of(&product, &skus[0]).await, 8);
}

#[tokio::test]
async fn an_admitted_order_the_catalog_cannot_fill_fails_and_gives_its_units_back() {
    let app = spawn_app().await;
    let (product, skus) = app.product("Blender", &[("red", 59_900, 5)]).await;
    let sale = app.flash_sale(&skus[0], 29_900, 5, 1).await;
    // Ordinary buyers take 3 of the 5 units the sale was promised.
    app.order_of(&app.tokens.customer("regular"), &[(&skus[0], 3)])
        .await;
    let replies = race(&app, &skus[0], Some(&sale), 5).await;
    let (admitted, _) = tally(&replies);
    assert_eq!(admitted, 5, "the counter admits the sale's 5: {replies:?}");
    let mut outcomes = Vec::new();
    for (i, reply) in replies.iter().enumerate() {
        let buyer = app.tokens.customer(&format!("racer-{i}"));
        let id = reply["placement"]["orderId"].as_str().unwrap();
        outcomes.push(app.wait_until_placed(&buyer, id).await);
    }
    let placed = outcomes.iter().filter(|p| p["status"] == "PLACED").count();
    let failed: Vec<&Value> = outcomes
        .iter()
        .filter(|p| p["status"] == "FAILED")
        .collect();
    assert_eq!((placed, failed.len()), (2, 3), "{outcomes:?}");
    for placement in failed {
        assert_eq!(placement["error"]["code"], "OUT_OF_STOCK", "{placement}");
        assert_eq!(placement["order"], json!(null));
    }
    assert_eq!(app.stock_of(&product, &skus[0]).await, 0);
    assert_eq!(
        reconcile(&app).await,
        json!([]),
        "the failed orders gave their units back to the counter"
    );
    let retry = app
        .place_order(
            &app.tokens.customer("racer-0-again"),
            flash_input(&skus[0], &sale, 1),
        )
        .await;
    assert_eq!(
        retry["placement"]["status"], "QUEUED",
        "the counter has units again: {retry}"
    );
}
