//! The category tree of the demo catalog.

use serde_json::{Value, json};

use crate::helpers::spawn_seeded_app;

#[tokio::test]
async fn the_category_tree_has_three_ordered_levels() {
    let app = spawn_seeded_app().await;
    let data = app
        .data(
            "{ categories { id name position level children { id position level parent { id }
                children { id position level children { id } } } } }",
            json!({}),
            None,
        )
        .await;
    let tops = data["categories"].as_array().expect("a list");
    assert_eq!(tops.len(), 5);
    let positions = |list: &Vec<Value>| {
        list.iter()
            .map(|c| c["position"].as_i64().unwrap_or(-1))
            .collect::<Vec<_>>()
    };
    let mut sorted = positions(tops);
    sorted.sort();
    assert_eq!(positions(tops), sorted, "top level ordered by position");
    for top in tops {
        assert_eq!(top["level"], 1);
        let middles = top["children"].as_array().expect("children");
        assert_eq!(middles.len(), 3);
        for middle in middles {
            assert_eq!(middle["level"], 2);
            assert_eq!(middle["parent"]["id"], top["id"]);
            let leaves = middle["children"].as_array().expect("grandchildren");
            assert!((2..=3).contains(&leaves.len()), "{middle}");
            let mut sorted = positions(leaves);
            sorted.sort();
            assert_eq!(positions(leaves), sorted);
            for leaf in leaves {
                assert_eq!(leaf["level"], 3);
                assert_eq!(leaf["children"], json!([]));
            }
        }
    }
}
