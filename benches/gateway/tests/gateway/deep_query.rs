//! The benchmark's deep query through our router: complete, without
//! errors, about 88 KB, with the entity fetches batched.

use std::collections::BTreeMap;

use gateway_subgraphs::Answers;
use serde_json::{Value, json};

use crate::helpers::{Gateway, Received, deep_query};

/// The values `path` reaches from `value`, lists flattened at every step.
fn reach<'a>(value: &'a Value, path: &[&str]) -> Vec<&'a Value> {
    let mut reached = vec![value];
    for key in path {
        reached = reached
            .into_iter()
            .map(|v| &v[key])
            .flat_map(|v| match v {
                Value::Array(items) => items.iter().collect(),
                other => vec![other],
            })
            .collect();
    }
    reached
}

#[tokio::test]
async fn the_deep_query_is_answered_in_full_through_our_router() {
    let gateway = Gateway::start(Answers::Executed).await;
    let (status, text) = gateway.post(&deep_query()).await;
    assert_eq!(status, 200, "{text}");
    let answer: Value = serde_json::from_str(&text).expect("JSON");
    assert!(answer.get("errors").is_none(), "{}", answer["errors"]);

    // 6 users wrote the 15 reviews, 2 or 3 each; the reviewed products
    // have 39 reviews between them, whose authors wrote 102. The first 5
    // products have 11 reviews, whose authors wrote 29.
    let data = &answer["data"];
    let counts = [
        (vec!["users"], 6),
        (vec!["users", "reviews"], 15),
        (vec!["users", "reviews", "product", "reviews"], 39),
        (
            vec![
                "users", "reviews", "product", "reviews", "author", "reviews",
            ],
            102,
        ),
        (vec!["topProducts"], 5),
        (vec!["topProducts", "reviews"], 11),
        (vec!["topProducts", "reviews", "author", "reviews"], 29),
    ];
    for (path, count) in counts {
        assert_eq!(reach(data, &path).len(), count, "{}", path.join("."));
    }
    // Fields from every subgraph: the authors' usernames provided by
    // reviews, their names from accounts, shipping estimated by inventory
    // from products' price and weight (@requires), with and without the
    // free shipping.
    let author = reach(data, &["users", "reviews", "product", "reviews", "author"])[0];
    assert_eq!(
        without(author, "reviews"),
        json!({"id": "1", "username": "mholt", "name": "Maren Holt"})
    );
    assert_eq!(
        without(&data["topProducts"][0], "reviews"),
        json!({"inStock": true, "name": "Standing Desk", "price": 649, "shippingEstimate": 33, "upc": "1", "weight": 28000})
    );
    assert_eq!(
        without(&data["topProducts"][2], "reviews"),
        json!({"inStock": false, "name": "Wool Rug", "price": 1299, "shippingEstimate": 0, "upc": "3", "weight": 9000})
    );

    assert!(
        (80_000..=100_000).contains(&text.len()),
        "the answer is {} bytes",
        text.len()
    );

    // The entity fetches batched: one request per subgraph and step of the
    // plan (reviews answers all its part of the chain in one), and every
    // entity once per request however often the answer repeats it.
    let calls = |requests, representations| Received {
        requests,
        representations,
    };
    assert_eq!(
        gateway.received(),
        BTreeMap::from([
            // users, then the 6 users' names.
            ("accounts", calls(2, 6)),
            // The 5 top products, then the 9 reviewed ones.
            ("inventory", calls(2, 5 + 9)),
            // topProducts, then the 9 reviewed products.
            ("products", calls(2, 9)),
            // The reviews of the 5 top products and of the 6 users.
            ("reviews", calls(1, 5 + 6)),
        ])
    );
}

/// `object` without its field `key`.
fn without(object: &Value, key: &str) -> Value {
    let mut rest = object.clone();
    rest.as_object_mut().expect("an object").remove(key);
    rest
}
