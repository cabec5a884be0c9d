//! Mutation root fields run one after the other, each with its
//! sub-selection completed before the next starts (GraphQL spec,
//! "Normal and Serial Execution"). The pinned planner may put a mutation
//! beside the entity fetches that complete the previous one, so the next
//! mutation could see state from before its predecessor finished. Such a
//! `Parallel` becomes a `Sequence`: the completions first, then the
//! mutation.

use super::{OperationKind, PlanNode, QueryPlan};

pub fn serialize_mutations(plan: QueryPlan) -> QueryPlan {
    QueryPlan::new(plan.node.map(serialize))
}

fn is_mutation(node: &PlanNode) -> bool {
    matches!(node, PlanNode::Fetch(fetch) if fetch.operation_kind == OperationKind::Mutation)
}

fn serialize(node: PlanNode) -> PlanNode {
    match node {
        PlanNode::Sequence { nodes } => PlanNode::Sequence {
            nodes: nodes.into_iter().map(serialize).collect(),
        },
        PlanNode::Parallel { nodes } if nodes.iter().any(is_mutation) => {
            let (mutations, mut completions): (Vec<_>, Vec<_>) =
                nodes.into_iter().map(serialize).partition(is_mutation);
            let mut sequence = match completions.len() {
                0 => Vec::new(),
                1 => completions.split_off(0),
                _ => vec![PlanNode::Parallel { nodes: completions }],
            };
            sequence.extend(mutations);
            PlanNode::Sequence { nodes: sequence }
        }
        PlanNode::Parallel { nodes } => PlanNode::Parallel {
            nodes: nodes.into_iter().map(serialize).collect(),
        },
        PlanNode::Condition {
            condition,
            if_clause,
            else_clause,
        } => PlanNode::Condition {
            condition,
            if_clause: if_clause.map(|n| Box::new(serialize(*n))),
            else_clause: else_clause.map(|n| Box::new(serialize(*n))),
        },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{FetchNode, PathStep, ResponsePath};

    fn fetch(service: &str, kind: OperationKind) -> PlanNode {
        PlanNode::Fetch(FetchNode {
            service_name: service.into(),
            operation_kind: kind,
            operation: format!("{kind:?} on {service}"),
            variable_usages: vec![],
            requires: None,
            input_rewrites: vec![],
            output_rewrites: vec![],
        })
    }

    fn completion(path: &str) -> PlanNode {
        PlanNode::Flatten {
            path: ResponsePath(vec![PathStep::Field(path.into())]),
            node: Box::new(fetch("b", OperationKind::Query)),
        }
    }

    #[test]
    fn a_mutation_beside_completions_of_the_previous_one_runs_after_them() {
        let plan = QueryPlan::new(Some(PlanNode::Sequence {
            nodes: vec![
                fetch("a", OperationKind::Mutation),
                PlanNode::Parallel {
                    nodes: vec![
                        fetch("b", OperationKind::Mutation),
                        completion("first"),
                        completion("first2"),
                    ],
                },
            ],
        }));
        let expected = QueryPlan::new(Some(PlanNode::Sequence {
            nodes: vec![
                fetch("a", OperationKind::Mutation),
                PlanNode::Sequence {
                    nodes: vec![
                        PlanNode::Parallel {
                            nodes: vec![completion("first"), completion("first2")],
                        },
                        fetch("b", OperationKind::Mutation),
                    ],
                },
            ],
        }));
        assert_eq!(serialize_mutations(plan), expected);
    }

    #[test]
    fn query_plans_are_left_as_they_are() {
        let plan = QueryPlan::new(Some(PlanNode::Parallel {
            nodes: vec![fetch("a", OperationKind::Query), completion("x")],
        }));
        assert_eq!(serialize_mutations(plan.clone()), plan);
    }
}
