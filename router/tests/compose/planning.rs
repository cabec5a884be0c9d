//! Every composed fixture is a schema apollo-compiler validates, and a supergraph the
//! hive query planner accepts and plans across subgraphs: proof that the output is a
//! working Apollo supergraph, not only text that looks like one.

use std::collections::BTreeSet;

use hive_router_query_planner::{
    ast::normalization::normalize_operation,
    graph::PlannerOverrideContext,
    planner::{Planner, QueryPlannerOptions},
    utils::{
        cancellation::CancellationToken,
        parsing::{safe_parse_operation, safe_parse_schema},
    },
};

use crate::helpers::compose_fixture;

pub fn validate(sdl: &str) {
    if let Err(e) = apollo_compiler::Schema::parse_and_validate(sdl, "supergraph.graphql") {
        panic!(
            "apollo-compiler rejects the supergraph: {}\n{sdl}",
            e.errors
        );
    }
}

/// Plans `operation` and returns the subgraphs the plan fetches from, in plan order.
pub fn plan(sdl: &str, operation: &str) -> (Vec<String>, String) {
    let schema =
        safe_parse_schema(sdl).unwrap_or_else(|e| panic!("hive cannot parse the supergraph: {e}"));
    let planner = Planner::new_from_supergraph(&schema, QueryPlannerOptions::default())
        .unwrap_or_else(|e| panic!("hive rejects the supergraph: {e}"));
    let document =
        safe_parse_operation(operation).unwrap_or_else(|e| panic!("bad test operation: {e}"));
    let normalized = normalize_operation(&planner.supergraph, &document, None)
        .unwrap_or_else(|e| panic!("hive cannot normalize {operation}: {e}"));
    let plan = planner
        .plan_from_normalized_operation(
            &normalized.operation,
            PlannerOverrideContext::default(),
            &CancellationToken::new(),
        )
        .unwrap_or_else(|e| panic!("hive cannot plan {operation}: {e}"));
    let json = serde_json::to_value(&plan).unwrap_or_default();
    let mut services = Vec::new();
    collect_services(&json, &mut services);
    (services, plan.to_string())
}

fn collect_services(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            if let Some(serde_json::Value::String(name)) = map.get("serviceName") {
                out.push(name.clone());
            }
            map.values().for_each(|v| collect_services(v, out));
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_services(v, out)),
        _ => {}
    }
}

/// Composes `set`, validates it, plans `operation` and checks the plan fetches from exactly
/// `subgraphs` (as a set), starting with the first.
fn assert_plans(set: &str, operation: &str, subgraphs: &[&str]) -> String {
    let sdl = compose_fixture(set);
    validate(&sdl);
    let (services, display) = plan(&sdl, operation);
    let used: BTreeSet<&str> = services.iter().map(String::as_str).collect();
    let expected: BTreeSet<&str> = subgraphs.iter().copied().collect();
    assert_eq!(used, expected, "{set}: plan for {operation}:\n{display}");
    assert_eq!(
        services.first().map(String::as_str),
        subgraphs.first().copied(),
        "{display}"
    );
    display
}

#[test]
fn entities_plan_through_composite_and_multiple_keys() {
    // reviews knows Product by "sku package"; products maps that to "id", which inventory needs.
    let display = assert_plans(
        "entities",
        "{ latestReviews { rating product { name inStock } } }",
        &["reviews", "products", "inventory"],
    );
    assert!(display.contains("package"), "{display}");
}

#[test]
fn requires_fetches_the_required_fields_first() {
    let display = assert_plans(
        "entities",
        "{ product(id: \"1\") { name shippingEstimate(zone: \"eu\") } }",
        &["products", "inventory"],
    );
    assert!(
        display.contains("weight") && display.contains("amount"),
        "{display}"
    );
}

#[test]
fn user_names_come_from_the_providing_subgraph() {
    assert_plans(
        "entities",
        "{ latestReviews { author { name } } }",
        &["reviews"],
    );
}

#[test]
fn an_overridden_field_is_fetched_from_its_new_owner() {
    assert_plans(
        "override",
        "{ accounts { id balance statement } }",
        &["legacy", "billing"],
    );
}

#[test]
fn interface_object_fields_are_fetched_through_the_interface() {
    assert_plans(
        "interface_object",
        "{ media { title rating } }",
        &["media", "ratings"],
    );
}

#[test]
fn auth_directive_graph_plans() {
    assert_plans(
        "auth",
        "{ me { email orders banned } }",
        &["accounts", "admin"],
    );
}

#[test]
fn renamed_roots_and_imports_plan() {
    assert_plans(
        "renamed",
        "{ loans { book { title onLoan } } }",
        &["loans", "catalog"],
    );
}

#[test]
fn the_mixed_graph_plans_across_all_three_subgraphs() {
    assert_plans(
        "variety",
        "{ shop(id: \"1\") { name ownerName distance(from: \"x\") owner { shops { id } } } }",
        &["alpha", "gamma", "beta"],
    );
}

#[test]
fn async_graphql_subgraphs_compose_and_plan() {
    let sdl = compose_fixture("async_graphql");
    // async-graphql declares @authenticated itself instead of importing it; the
    // supergraph must still carry it for the router to enforce.
    assert!(
        sdl.contains("me: User @join__field(graph: USERS) @authenticated"),
        "{sdl}"
    );
    assert!(
        sdl.contains("@link(url: \"https://specs.apollo.dev/authenticated/v0.1\", for: SECURITY)")
    );
    assert!(
        !sdl.contains("directive @include"),
        "built-in directives are not redeclared"
    );
    assert_plans(
        "async_graphql",
        "{ me { displayName orders(first: 2) { status total { amount } } } }",
        &["users", "orders"],
    );
    insta::assert_snapshot!("async_graphql_supergraph", sdl);
}

#[test]
fn subscriptions_are_joined_to_their_subgraph() {
    assert_plans(
        "async_graphql",
        "subscription { orderStatusChanged(orderId: \"1\") { status buyer { email } } }",
        &["orders", "users"],
    );
}

#[test]
fn provides_on_an_entity_interface_keeps_the_fetch_local() {
    // `animals` provides `... on Dog { barks }`, so no second subgraph is needed.
    assert_plans(
        "printing",
        "{ animals { sound ... on Dog { barks } } }",
        &["one"],
    );
    assert_plans(
        "printing",
        "{ search { ... on Dog { barks } } }",
        &["one", "two"],
    );
}

#[test]
fn federation_1_subgraphs_plan_like_federation_2_ones() {
    assert_plans(
        "federation1",
        "{ topProducts { name inStock reviews { body author { username } } } }",
        &["products", "inventory", "reviews"],
    );
}
