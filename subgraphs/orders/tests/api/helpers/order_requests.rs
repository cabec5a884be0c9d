//! Requests to the orders service: checkout, orders, transitions, payments
//! and their callbacks.

use std::time::Duration;

use orders::{PaymentCallback, SIGNATURE_HEADER, sign};
use platform::{db::now_millis, testing::poll_until};
use serde_json::{Value, json};

use super::{ORDER_FIELDS, TestApp, address, new_key};

impl TestApp {
    /// `placeOrder` for `token`; returns the payload.
    pub async fn place_order(&self, token: &str, input: Value) -> Value {
        self.place_order_at(&self.address, token, input).await
    }

    /// `placeOrder` for `token` at the replica serving `base`.
    pub async fn place_order_at(&self, base: &str, token: &str, input: Value) -> Value {
        let body = self
            .post_graphql(
                base,
                &format!("mutation($input: PlaceOrderInput!) {{ placeOrder(input: $input) {{ order {{ {ORDER_FIELDS} }} placement {{ orderId status }} errors {{ code field message }} }} }}"),
                json!({ "input": input }),
                Some(token),
            )
            .await;
        assert!(body.get("errors").is_none(), "unexpected errors: {body}");
        body["data"]["placeOrder"].clone()
    }

    /// Polls `orderPlacement` until the checkout of `order_id` is no
    /// longer queued; returns the placement.
    pub async fn wait_until_placed(&self, token: &str, order_id: &str) -> Value {
        self.wait_until_placed_at(&self.address, token, order_id)
            .await
    }

    /// Like [`TestApp::wait_until_placed`], asking the replica at `base`.
    pub async fn wait_until_placed_at(&self, base: &str, token: &str, order_id: &str) -> Value {
        let within = Duration::from_secs(30);
        poll_until(
            within,
            Duration::from_millis(50),
            || async {
                let body = self.post_graphql(
                    base,
                    &format!("query($id: ID!) {{ orderPlacement(orderId: $id) {{ orderId status order {{ {ORDER_FIELDS} }} error {{ code message }} }} }}"),
                    json!({ "id": order_id }),
                    Some(token),
                )
                .await;
                assert!(body.get("errors").is_none(), "unexpected errors: {body}");
                body["data"]["orderPlacement"].clone()
            },
            |placement| placement["status"] != "QUEUED",
        )
        .await
        .unwrap_or_else(|placement| panic!("still queued after {within:?}: {placement}"))
    }

    /// Places an order of `lines` ((sku, quantity)) and returns the order.
    pub async fn order_of(&self, token: &str, lines: &[(&str, i64)]) -> Value {
        let lines: Vec<Value> = lines
            .iter()
            .map(|(sku, q)| json!({ "skuId": sku, "quantity": q }))
            .collect();
        let payload = self
            .place_order(
                token,
                json!({ "lines": lines, "shippingAddress": address(), "idempotencyKey": new_key() }),
            )
            .await;
        assert_eq!(payload["errors"], json!([]), "{payload}");
        payload["order"].clone()
    }

    /// One order as `token` sees it.
    pub async fn order(&self, token: &str, id: &str) -> Value {
        self.data(
            &format!("query($id: ID!) {{ order(id: $id) {{ {ORDER_FIELDS} }} }}"),
            json!({ "id": id }),
            Some(token),
        )
        .await["order"]
            .clone()
    }

    /// The edges of the `orders` connection `token` sees (ids only).
    pub async fn order_edges(&self, token: &str) -> Value {
        self.data(
            "{ orders { edges { node { id } } } }",
            json!({}),
            Some(token),
        )
        .await["orders"]["edges"]
            .clone()
    }

    /// Runs a transition mutation (`cancelOrder`, `shipOrder`, …) on the
    /// order in variable `$id` and returns its payload.
    pub async fn transition(
        &self,
        token: &str,
        mutation: &str,
        args: &str,
        variables: Value,
    ) -> Value {
        let data = self
            .data(
                &format!("mutation($id: ID!) {{ {mutation}({args}) {{ order {{ id status }} errors {{ code message }} }} }}"),
                variables,
                Some(token),
            )
            .await;
        data[mutation].clone()
    }

    /// `payOrder` and the payment it started.
    pub async fn pay(&self, token: &str, order_id: &str) -> Value {
        let data = self
            .data(
                "mutation($id: ID!, $key: String!) { payOrder(orderId: $id, method: CARD, idempotencyKey: $key) { payment { id status amount { amount currency } orderId } errors { code message } } }",
                json!({ "id": order_id, "key": new_key() }),
                Some(token),
            )
            .await;
        assert_eq!(data["payOrder"]["errors"], json!([]), "{data}");
        data["payOrder"]["payment"].clone()
    }

    /// Sends a payment callback signed with `secret` now; the HTTP status.
    pub async fn callback(&self, callback: &PaymentCallback, secret: &str) -> u16 {
        self.callback_signed_at(callback, secret, now_millis() / 1000)
            .await
            .0
    }

    /// Sends a payment callback signed with `secret` as at `unix_seconds`;
    /// the HTTP status and the JSON answer.
    pub async fn callback_signed_at(
        &self,
        callback: &PaymentCallback,
        secret: &str,
        unix_seconds: i64,
    ) -> (u16, Value) {
        let body = serde_json::to_vec(callback).expect("JSON");
        let response = self
            .client
            .post(format!("{}/payments/callback", self.address))
            .header("content-type", "application/json")
            .header(SIGNATURE_HEADER, sign(secret, unix_seconds, &body))
            .body(body)
            .send()
            .await
            .expect("the callback is sent");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// Polls `order` until `done` holds (or fails after `within`).
    pub async fn wait_for_order(
        &self,
        token: &str,
        id: &str,
        within: Duration,
        done: impl Fn(&Value) -> bool,
    ) -> Value {
        poll_until(
            within,
            Duration::from_millis(50),
            || self.order(token, id),
            done,
        )
        .await
        .unwrap_or_else(|order| panic!("the order did not get there in {within:?}: {order}"))
    }
}
