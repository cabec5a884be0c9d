//! Plans for the fixture supergraph: readable text and a JSON form.

use router::{
    compose::{SubgraphDefinition, compose},
    plan::{CachingPlanner, HivePlanner, PlanNode, QueryPlan, QueryPlanner},
};

use crate::helpers::SUPERGRAPH;

/// The plan for `query` over `supergraph` in its Display form: what each
/// federation construct's snapshot test records, so a planner upgrade or
/// a change to the plan's shape shows up as a reviewable diff (as Hive
/// Router's planner tests do).
pub fn plan_text(supergraph: &str, query: &str) -> String {
    HivePlanner::new(supergraph)
        .expect("planner")
        .plan(query, None)
        .unwrap_or_else(|e| panic!("{query}: {e}"))
        .to_string()
}

/// [`plan_text`] over the supergraph composed of `subgraphs`.
pub fn plan_of(subgraphs: &[(&str, &str)], query: &str) -> String {
    plan_text(&composed(subgraphs), query)
}

/// The supergraph our composition makes of `subgraphs` (name, SDL). The
/// URLs are never called: planning needs no subgraph running.
pub fn composed(subgraphs: &[(&str, &str)]) -> String {
    let definitions: Vec<_> = subgraphs
        .iter()
        .map(|&(name, sdl)| {
            SubgraphDefinition::new(name, format!("http://{name}.invalid/graphql"), sdl)
        })
        .collect();
    compose(&definitions)
        .unwrap_or_else(|errors| panic!("the subgraphs compose: {errors:?}"))
        .into_sdl()
}

fn plan(query: &str) -> QueryPlan {
    HivePlanner::new(SUPERGRAPH)
        .expect("planner")
        .plan(query, None)
        .expect("plan")
}

/// One plan per construct of the fixture supergraph, by snapshot name.
const FIXTURE_PLANS: &[(&str, &str)] = &[
    (
        "key_entity_across_two_subgraphs",
        "{ topProducts(first: 2) { upc name reviews { body } } }",
    ),
    (
        "composite_key_and_requires_with_arguments",
        r#"{ product(upc: "p1") { name inStock shippingEstimate eu: shippingTo(zone: "EU") us: shippingTo(zone: "US") } }"#,
    ),
    (
        "multiple_keys",
        "{ reviews { id product { upc inStock } } }",
    ),
    ("override", "{ topProducts(first: 2) { name warehouse } }"),
    ("provides", "{ reviews { author { username name } } }"),
    (
        "union_members_in_different_subgraphs",
        r#"{ search(term: "a") { __typename ... on User { name } ... on Product { name price } } }"#,
    ),
    (
        "interface_members_in_different_subgraphs",
        "query($r: ID!) { node(id: $r) { id ... on User { name } ... on Review { body rating } } }",
    ),
    (
        "batched_entities_in_nested_lists",
        "{ topProducts { name reviews { body author { name } } } }",
    ),
    (
        "deduplicated_fetches_of_parallel_branches",
        r#"{ reviews { author { name } } search(term: "grace") { ... on User { name } } }"#,
    ),
    (
        "condition",
        "query($r: Boolean!) { product(upc: \"p1\") { name reviews @include(if: $r) { body } } }",
    ),
    (
        "subscription",
        "subscription($upc: String!) { reviewAdded(upc: $upc) { body author { name } product { name inStock } } }",
    ),
];

#[test]
fn plans_of_each_construct_of_the_fixture_supergraph_match_their_snapshots() {
    for (name, query) in FIXTURE_PLANS {
        insta::assert_snapshot!(*name, plan_text(SUPERGRAPH, query), query);
    }
}

#[test]
fn requires_plan_fetches_products_then_inventory_with_the_required_fields() {
    let plan = plan("{ product(upc: \"p1\") { name shippingEstimate } }");
    println!("{plan}");
    let text = plan.to_string();
    assert!(
        text.starts_with("QueryPlan {\n  Sequence {\n    Fetch(service: \"products\")"),
        "{text}"
    );
    assert!(text.contains("Flatten(path: \"product\")"), "{text}");
    assert!(text.contains("Fetch(service: \"inventory\")"), "{text}");
    let Some(PlanNode::Sequence { nodes }) = &plan.node else {
        panic!("expected a sequence: {text}");
    };
    let PlanNode::Flatten { node, .. } = &nodes[1] else {
        panic!("expected a flatten: {text}");
    };
    let PlanNode::Fetch(fetch) = node.as_ref() else {
        panic!("expected a fetch: {text}");
    };
    let requires = router::plan::selections_inline(fetch.requires.as_deref().unwrap_or_default());
    for field in ["__typename", "sku", "region", "price", "weight"] {
        assert!(requires.contains(field), "{requires}");
    }
}

#[test]
fn plans_serialise_to_json_and_back() {
    let plan = plan("query($upc: String!) { product(upc: $upc) { reviews { author { name } } } }");
    let json = serde_json::to_value(&plan).expect("serialises");
    assert_eq!(json["node"]["kind"], "Sequence", "{json}");
    let back: QueryPlan = serde_json::from_value(json).expect("deserialises");
    assert_eq!(back, plan);
}

#[test]
fn include_and_skip_on_entity_fields_become_conditions() {
    let plan = plan(
        "query($r: Boolean!) { product(upc: \"p1\") { name reviews @include(if: $r) { body } } }",
    );
    let text = plan.to_string();
    assert!(text.contains("Condition(if: $r)"), "{text}");
}

#[test]
fn plans_are_cached_by_text_and_operation_name() {
    let planner = CachingPlanner::new(HivePlanner::new(SUPERGRAPH).expect("planner"), 10);
    let doc = "query A { users { id } } query B { reviews { id } }";
    let a = planner.plan_cached(doc, Some("A")).expect("A");
    let b = planner.plan_cached(doc, Some("B")).expect("B");
    assert_ne!(a, b);
    let again = planner.plan_cached(doc, Some("A")).expect("A again");
    assert!(std::sync::Arc::ptr_eq(&a, &again));
    assert_eq!(planner.len(), 2);
}

#[test]
fn the_plan_cache_stays_bounded_and_keeps_a_hot_plan_through_a_flood() {
    let planner = CachingPlanner::new(HivePlanner::new(SUPERGRAPH).expect("planner"), 2);
    let hot = "{ users { id } }";
    let first = planner.plan_cached(hot, None).expect("hot");
    for _ in 0..5 {
        planner.plan_cached(hot, None).expect("hot again");
    }
    for n in 0..20 {
        let alias = format!("{{ a{n}: users {{ id }} }}");
        planner.plan_cached(&alias, None).expect("one-off");
    }
    assert!(planner.len() <= 2, "{} plans cached", planner.len());
    let again = planner.plan_cached(hot, None).expect("hot after the flood");
    assert!(
        std::sync::Arc::ptr_eq(&first, &again),
        "the hot plan was evicted"
    );
}

#[test]
fn an_invalid_supergraph_is_an_error_not_a_crash() {
    assert!(HivePlanner::new("type Query { a: String").is_err());
    assert!(
        HivePlanner::new(SUPERGRAPH)
            .expect("planner")
            .plan("{ nope }", None)
            .is_err()
    );
}
