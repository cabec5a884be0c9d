//! What else the router's port serves: queries over GET, automatic
//! persisted queries, the playground (offline), metrics and health.

use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::helpers::TestPlatform;

const NAMED: &str =
    "query CategoryNames($id: ID!) { category(id: $id) { id name children { name } } }";

#[tokio::test]
async fn get_queries_persisted_queries_playground_and_metrics() {
    let platform = TestPlatform::spawn().await;
    let http = reqwest::Client::new();
    let categories = platform
        .graphql("{ categories { id } }", json!({}), None)
        .await;
    let id = categories.data()["categories"][0]["id"].clone();
    let variables = json!({ "id": id });
    let over_post = platform.graphql(NAMED, variables.clone(), None).await;
    let expected = over_post.data().clone();
    assert_eq!(expected["category"]["id"], id);

    // GET, as caches and CDNs like it.
    let got = http
        .get(platform.router_url("/graphql"))
        .query(&[("query", NAMED), ("variables", &variables.to_string())])
        .send()
        .await
        .expect("an answer");
    assert_eq!(got.status(), StatusCode::OK);
    let got: Value = got.json().await.expect("JSON");
    assert_eq!(got, json!({ "data": expected }));

    // Automatic persisted queries: the hash alone is unknown at first, the
    // query with its hash registers it, then the hash alone answers.
    let hash = hex::encode(Sha256::digest(NAMED.as_bytes()));
    let extensions = json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } });
    let by_hash = json!({ "variables": variables, "extensions": extensions });
    let unknown = platform.post_json(&by_hash, None).await;
    assert_eq!(
        unknown.error_codes(),
        ["PERSISTED_QUERY_NOT_FOUND"],
        "{}",
        unknown.body
    );
    let registered = platform
        .post_json(
            &json!({ "query": NAMED, "variables": variables, "extensions": extensions }),
            None,
        )
        .await;
    assert_eq!(registered.data(), &expected);
    let persisted = platform.post_json(&by_hash, None).await;
    assert_eq!(persisted.data(), &expected);
    let wrong_hash = platform
        .post_json(
            &json!({ "query": "{ categories { id } }", "extensions": extensions }),
            None,
        )
        .await;
    assert_eq!(
        wrong_hash.status,
        StatusCode::BAD_REQUEST,
        "{}",
        wrong_hash.body
    );

    // The playground, from assets in the binary: nothing from the internet.
    let page = http
        .get(platform.router_url("/"))
        .send()
        .await
        .expect("an answer");
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.expect("HTML");
    let assets: Vec<&str> = html
        .split(['"', '\''])
        .filter(|part| part.starts_with("/playground/"))
        .collect();
    assert!(assets.len() >= 3, "{html}");
    assert!(
        !html.contains("src=\"http") && !html.contains("href=\"http"),
        "{html}"
    );
    for asset in assets {
        let response = http
            .get(platform.router_url(asset))
            .send()
            .await
            .expect("an answer");
        assert_eq!(response.status(), StatusCode::OK, "{asset}");
        assert!(
            !response.bytes().await.expect("bytes").is_empty(),
            "{asset}"
        );
    }

    // Metrics count what was served, per operation and per subgraph.
    let metrics = http
        .get(platform.router_url("/metrics"))
        .send()
        .await
        .expect("an answer")
        .text()
        .await
        .expect("text");
    let requests = metrics
        .lines()
        .find(|line| line.starts_with("router_requests_total") && line.contains("CategoryNames"))
        .unwrap_or_else(|| panic!("no request count for CategoryNames:\n{metrics}"));
    let count: f64 = requests
        .rsplit(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0.0);
    assert!(count >= 4.0, "{requests}");
    assert!(
        metrics
            .lines()
            .any(|line| line.starts_with("router_subgraph_requests_total")
                && line.contains("catalog")),
        "{metrics}"
    );

    let health: Value = http
        .get(platform.router_url("/health"))
        .send()
        .await
        .expect("an answer")
        .json()
        .await
        .expect("JSON");
    assert_eq!(health["status"], "UP");
}
