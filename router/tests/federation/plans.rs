//! Plans for the fixture supergraph: readable text and a JSON form.

use router::plan::{CachingPlanner, HivePlanner, PlanNode, QueryPlan, QueryPlanner};

use crate::helpers::SUPERGRAPH;

fn plan(query: &str) -> QueryPlan {
    HivePlanner::new(SUPERGRAPH)
        .expect("planner")
        .plan(query, None)
        .expect("plan")
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
