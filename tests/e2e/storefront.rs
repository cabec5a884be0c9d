//! One storefront operation that spans all four subgraphs.

use std::time::Duration;

use serde_json::json;

use crate::helpers::{TestPlatform, shipping_address};

/// Places and pays an order for `quantity` of `sku_id`, then waits for the
/// sandbox provider's callback to make it PAID; returns the order id.
pub async fn buy(
    platform: &TestPlatform,
    token: &str,
    sku_id: &str,
    quantity: i64,
    key: &str,
) -> String {
    let placed = platform
        .graphql(
            "mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id status } errors { code message } } }",
            json!({ "input": {
                "lines": [{ "skuId": sku_id, "quantity": quantity }],
                "shippingAddress": shipping_address(),
                "idempotencyKey": key,
            } }),
            Some(token),
        )
        .await;
    let payload = &placed.data()["placeOrder"];
    assert_eq!(payload["errors"], json!([]), "{payload}");
    let order_id = payload["order"]["id"]
        .as_str()
        .expect("an order id")
        .to_owned();
    let paid = platform
        .graphql(
            "mutation($id: ID!, $key: String!) { payOrder(orderId: $id, method: ALIPAY, idempotencyKey: $key) { payment { status } errors { code message } } }",
            json!({ "id": order_id, "key": format!("{key}-pay") }),
            Some(token),
        )
        .await;
    let payment = &paid.data()["payOrder"];
    assert_eq!(payment["errors"], json!([]), "{payment}");
    wait_for_status(platform, token, &order_id, "PAID").await;
    order_id
}

/// Adds `product_id` to the favorites of the buyer of `token`.
pub async fn favorite(platform: &TestPlatform, token: &str, product_id: &str) {
    let favorite = platform
        .graphql(
            "mutation($id: ID!) { addFavorite(productId: $id) { favorited errors { code } } }",
            json!({ "id": product_id }),
            Some(token),
        )
        .await;
    assert_eq!(
        favorite.data()["addFavorite"]["favorited"],
        true,
        "{}",
        favorite.body
    );
}

/// Polls `order(id)` through the router until it has `status`.
pub async fn wait_for_status(platform: &TestPlatform, token: &str, order_id: &str, status: &str) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    loop {
        let response = platform
            .graphql(
                "query($id: ID!) { order(id: $id) { status } }",
                json!({ "id": order_id }),
                Some(token),
            )
            .await;
        let now = response.data()["order"]["status"].clone();
        if now == status {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "order {order_id} is still {now}, not {status}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

const STOREFRONT: &str = r#"
query Storefront($text: String!) {
  me {
    email
    name
    favorites { id name }
    orders(first: 10) { nodes { id status items { quantity product { id name } } } }
  }
  searchProducts(query: $text, first: 20) {
    totalCount
    nodes { id name brand hot minPrice { amount currency } salesCount averageRating reviewCount }
  }
}"#;

#[tokio::test]
async fn one_operation_reads_users_catalog_orders_and_search() {
    let platform = TestPlatform::spawn().await;
    let token = platform.customer_token().await;
    let (product_id, sku_id) = platform.product_in_stock().await;
    let name = platform
        .graphql(
            "query($id: ID!) { product(id: $id) { name } }",
            json!({ "id": product_id }),
            None,
        )
        .await
        .data()["product"]["name"]
        .as_str()
        .expect("a name")
        .to_owned();
    favorite(&platform, &token, &product_id).await;
    let order_id = buy(&platform, &token, &sku_id, 2, "storefront-1").await;

    let response = platform
        .graphql(STOREFRONT, json!({ "text": name }), Some(&token))
        .await;
    let data = response.data();

    // users
    assert_eq!(data["me"]["email"], crate::helpers::CUSTOMER_EMAIL);
    // catalog, contributing User.favorites
    assert_eq!(
        data["me"]["favorites"],
        json!([{ "id": product_id, "name": name }]),
        "{data}"
    );
    // orders, contributing User.orders, and catalog resolving the items' Product
    let orders = data["me"]["orders"]["nodes"].as_array().expect("orders");
    assert_eq!(orders.len(), 1, "{data}");
    assert_eq!(orders[0]["id"], order_id);
    assert_eq!(orders[0]["status"], "PAID");
    assert_eq!(
        orders[0]["items"],
        json!([{ "quantity": 2, "product": { "id": product_id, "name": name } }])
    );
    // search finds the product; catalog fills its fields, orders its sales
    let hits = data["searchProducts"]["nodes"].as_array().expect("hits");
    assert!(data["searchProducts"]["totalCount"].as_i64().unwrap_or(0) >= 1);
    let hit = hits
        .iter()
        .find(|hit| hit["id"] == product_id.as_str())
        .unwrap_or_else(|| panic!("searching {name:?} does not find {product_id}: {data}"));
    assert_eq!(hit["name"], name.as_str());
    assert!(
        hit["brand"].as_str().is_some_and(|b| !b.is_empty()),
        "{hit}"
    );
    assert_eq!(hit["minPrice"]["currency"], "CNY", "{hit}");
    assert!(
        hit["minPrice"]["amount"]
            .as_str()
            .and_then(|a| a.parse::<i64>().ok())
            .is_some_and(|a| a > 0),
        "{hit}"
    );
    assert_eq!(hit["salesCount"], 2, "{hit}");
    // every other hit is unsold in this fresh platform
    for other in hits.iter().filter(|hit| hit["id"] != product_id.as_str()) {
        assert_eq!(other["salesCount"], 0, "{other}");
        assert!(other["name"].is_string(), "{other}");
    }
}

#[tokio::test]
async fn anonymous_browsing_spans_search_catalog_and_orders() {
    let platform = TestPlatform::spawn().await;
    let response = platform
        .graphql(
            r#"{
              categories { id name children { id name } }
              searchProducts(first: 5) { totalCount nodes { id name category { id name } skus { id price { amount } } salesCount } }
              flashSales { id salePrice { amount } sku { id product { id name } } }
            }"#,
            json!({}),
            None,
        )
        .await;
    let data = response.data();
    assert!(
        data["categories"].as_array().is_some_and(|c| !c.is_empty()),
        "{data}"
    );
    assert!(
        data["searchProducts"]["totalCount"].as_i64().unwrap_or(0) >= 200,
        "{data}"
    );
    let nodes = data["searchProducts"]["nodes"].as_array().expect("nodes");
    assert_eq!(nodes.len(), 5, "{data}");
    for node in nodes {
        assert!(node["category"]["id"].is_string(), "{node}");
        assert!(
            node["skus"].as_array().is_some_and(|s| !s.is_empty()),
            "{node}"
        );
        assert_eq!(node["salesCount"], 0, "{node}");
    }
    // the demo data has one flash sale running now
    let sales = data["flashSales"].as_array().expect("flash sales");
    assert!(!sales.is_empty(), "{data}");
    assert!(sales[0]["sku"]["product"]["name"].is_string(), "{data}");
}
