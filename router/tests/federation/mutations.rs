//! Mutations across subgraphs run in document order, each one's entity
//! follow-ups before the next mutation: `inventory` numbers its
//! operations, `catalog` adds products whose stock `inventory` owns.

use std::sync::{Arc, Mutex};

use serde_json::{Value, json};

use crate::{helpers::Federation, plans::plan_of, scenario::ScenarioSubgraph};

const CATALOG: &str = r#"
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
    type Query { count: Int }
    type Mutation { addProduct(name: String!): Product }
    type Product @key(fields: "id") { id: ID! name: String }
"#;

const INVENTORY: &str = r#"
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
    type Query { stockOperations: Int }
    type Mutation { restock(id: ID!, units: Int!): Product }
    type Product @key(fields: "id") { id: ID! stock: Int seenAt: Int }
"#;

/// The order in which both subgraphs saw things happen.
type Journal = Arc<Mutex<Vec<String>>>;

async fn shop() -> (Federation, Journal) {
    let journal: Journal = Arc::default();
    let stock: Arc<Mutex<Vec<(String, i64)>>> = Arc::default();
    let names: Arc<Mutex<Vec<Value>>> = Arc::default();
    let (j, s, n) = (journal.clone(), stock.clone(), names.clone());
    let catalog = ScenarioSubgraph::new("catalog", CATALOG, json!({}))
        .field("Mutation.addProduct", move |_, args| {
            let mut journal = j.lock().expect("journal");
            let id = format!("p{}", journal.len() + 1);
            journal.push(format!("add {id}"));
            s.lock().expect("stock").push((id.clone(), 0));
            let product = json!({"id": id, "name": args["name"]});
            n.lock().expect("names").push(product.clone());
            Ok(product)
        })
        .entity("Product", move |representation| {
            let names = names.lock().expect("names");
            let found = names.iter().find(|p| p["id"] == representation["id"]);
            found.cloned().unwrap_or(Value::Null)
        });
    let (j, s) = (journal.clone(), stock.clone());
    let restock = move |_: &Value, args: &serde_json::Map<String, Value>| {
        let id = args["id"].as_str().unwrap_or_default().to_owned();
        let units = args["units"].as_i64().unwrap_or_default();
        let mut stock = s.lock().expect("stock");
        let Some(entry) = stock.iter_mut().find(|(i, _)| *i == id) else {
            return Ok(Value::Null);
        };
        entry.1 += units;
        j.lock().expect("journal").push(format!("restock {id}"));
        Ok(json!({"id": id}))
    };
    let (j, s) = (journal.clone(), stock);
    let inventory = ScenarioSubgraph::new("inventory", INVENTORY, json!({}))
        .field("Mutation.restock", restock)
        .field("Product.stock", move |product, _| {
            let stock = s.lock().expect("stock");
            Ok(json!(
                stock
                    .iter()
                    .find(|(i, _)| product["id"] == *i)
                    .map(|(_, n)| *n)
            ))
        })
        .field("Product.seenAt", move |_, _| {
            Ok(json!(j.lock().expect("journal").len()))
        })
        .entity("Product", |representation| representation.clone());
    let federation = Federation::start(vec![catalog.into_member(), inventory.into_member()]).await;
    (federation, journal)
}

#[tokio::test]
async fn mutations_and_their_follow_ups_run_in_document_order() {
    let (federation, journal) = shop().await;
    let body = federation
        .query(
            r#"mutation {
                first: addProduct(name: "Lamp") { id name stock seenAt }
                more: restock(id: "p1", units: 5) { id stock name }
                second: addProduct(name: "Desk") { id stock seenAt }
            }"#,
        )
        .await;
    assert_eq!(
        body,
        json!({"data": {
            "first": {"id": "p1", "name": "Lamp", "stock": 0, "seenAt": 1},
            "more": {"id": "p1", "stock": 5, "name": "Lamp"},
            "second": {"id": "p3", "stock": 0, "seenAt": 3}
        }})
    );
    assert_eq!(
        *journal.lock().expect("journal"),
        ["add p1", "restock p1", "add p3"]
    );
    // Serial, not more: one request per mutation and per completion.
    assert_eq!(federation.log("catalog").len(), 3);
    assert_eq!(federation.log("inventory").len(), 3);
}

#[tokio::test]
async fn the_plan_completes_each_mutation_before_the_next_starts() {
    use router::plan::{HivePlanner, QueryPlanner};
    let (federation, _) = shop().await;
    let plan = HivePlanner::new(&federation.supergraph)
        .expect("planner")
        .plan(
            r#"mutation { first: addProduct(name: "Lamp") { id stock } more: restock(id: "p1", units: 1) { id } }"#,
            None,
        )
        .expect("plan")
        .to_string();
    let completion = plan.find(r#"Flatten(path: "first")"#).expect("completion");
    let next = plan.find("more: restock").expect("next mutation");
    assert!(completion < next, "{plan}");
}

/// The plan: each mutation, then its entity follow-up, then the next one.
#[test]
fn the_plan_of_mutations_is_a_sequence_in_document_order() {
    let subgraphs = [("catalog", CATALOG), ("inventory", INVENTORY)];
    let mutation = r#"mutation { first: addProduct(name: "Lamp") { id stock } more: restock(id: "p1", units: 1) { id } }"#;
    insta::assert_snapshot!(plan_of(&subgraphs, mutation));
}
