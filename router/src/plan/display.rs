//! A readable, indented text form of a plan, for logs, debugging and
//! snapshot tests.

use std::fmt::{self, Display, Formatter, Write};

use super::node::{
    BatchFetchNode, FetchNode, PathStep, PlanNode, QueryPlan, ResponsePath, Selection,
};

impl Display for QueryPlan {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        writeln!(f, "QueryPlan {{")?;
        if let Some(node) = &self.node {
            write_node(f, node, 1)?;
        }
        writeln!(f, "}}")
    }
}

impl Display for PlanNode {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write_node(f, self, 0)
    }
}

impl Display for ResponsePath {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        for (i, step) in self.0.iter().enumerate() {
            match step {
                PathStep::Field(name) => {
                    if i > 0 {
                        f.write_char('.')?;
                    }
                    f.write_str(name)?;
                }
                PathStep::List => {
                    if i > 0 {
                        f.write_char('.')?;
                    }
                    f.write_char('@')?;
                }
                PathStep::TypeCondition(types) => write!(f, "|[{}]", types.join("|"))?,
            }
        }
        Ok(())
    }
}

fn indent(f: &mut Formatter<'_>, depth: usize) -> fmt::Result {
    for _ in 0..depth {
        f.write_str("  ")?;
    }
    Ok(())
}

fn write_node(f: &mut Formatter<'_>, node: &PlanNode, depth: usize) -> fmt::Result {
    match node {
        PlanNode::Fetch(fetch) => write_fetch(f, fetch, depth),
        PlanNode::BatchFetch(batch) => write_batch(f, batch, depth),
        PlanNode::Sequence { nodes } => write_group(f, "Sequence", nodes, depth),
        PlanNode::Parallel { nodes } => write_group(f, "Parallel", nodes, depth),
        PlanNode::Flatten { path, node } => {
            indent(f, depth)?;
            writeln!(f, "Flatten(path: \"{path}\") {{")?;
            write_node(f, node, depth + 1)?;
            indent(f, depth)?;
            writeln!(f, "}},")
        }
        PlanNode::Condition {
            condition,
            if_clause,
            else_clause,
        } => {
            indent(f, depth)?;
            writeln!(f, "Condition(if: ${condition}) {{")?;
            if let Some(node) = if_clause {
                indent(f, depth + 1)?;
                writeln!(f, "then:")?;
                write_node(f, node, depth + 2)?;
            }
            if let Some(node) = else_clause {
                indent(f, depth + 1)?;
                writeln!(f, "else:")?;
                write_node(f, node, depth + 2)?;
            }
            indent(f, depth)?;
            writeln!(f, "}},")
        }
        PlanNode::Subscription { primary } => {
            indent(f, depth)?;
            writeln!(f, "Subscription {{")?;
            write_fetch(f, primary, depth + 1)?;
            indent(f, depth)?;
            writeln!(f, "}},")
        }
    }
}

fn write_group(f: &mut Formatter<'_>, name: &str, nodes: &[PlanNode], depth: usize) -> fmt::Result {
    indent(f, depth)?;
    writeln!(f, "{name} {{")?;
    for node in nodes {
        write_node(f, node, depth + 1)?;
    }
    indent(f, depth)?;
    writeln!(f, "}},")
}

fn write_fetch(f: &mut Formatter<'_>, fetch: &FetchNode, depth: usize) -> fmt::Result {
    indent(f, depth)?;
    writeln!(f, "Fetch(service: \"{}\") {{", fetch.service_name)?;
    if let Some(requires) = &fetch.requires {
        indent(f, depth + 1)?;
        writeln!(f, "{} =>", selections_inline(requires))?;
    }
    indent(f, depth + 1)?;
    writeln!(f, "{}", fetch.operation)?;
    indent(f, depth)?;
    writeln!(f, "}},")
}

fn write_batch(f: &mut Formatter<'_>, batch: &BatchFetchNode, depth: usize) -> fmt::Result {
    indent(f, depth)?;
    writeln!(f, "BatchFetch(service: \"{}\") {{", batch.service_name)?;
    for entities in &batch.batches {
        let paths: Vec<String> = entities.paths.iter().map(|p| format!("\"{p}\"")).collect();
        indent(f, depth + 1)?;
        writeln!(
            f,
            "{} [{}] {} =>",
            entities.alias,
            paths.join(", "),
            selections_inline(&entities.requires)
        )?;
    }
    indent(f, depth + 1)?;
    writeln!(f, "{}", batch.operation)?;
    indent(f, depth)?;
    writeln!(f, "}},")
}

/// `{ ... on User { __typename id } }` on one line.
pub fn selections_inline(selections: &[Selection]) -> String {
    let mut out = String::from("{");
    for selection in selections {
        out.push(' ');
        match selection {
            Selection::Field {
                name,
                alias,
                selections,
            } => {
                if let Some(alias) = alias {
                    out.push_str(alias);
                    out.push_str(": ");
                }
                out.push_str(name);
                if !selections.is_empty() {
                    out.push(' ');
                    out.push_str(&selections_inline(selections));
                }
            }
            Selection::InlineFragment {
                type_condition,
                selections,
            } => {
                out.push_str("... on ");
                out.push_str(type_condition);
                out.push(' ');
                out.push_str(&selections_inline(selections));
            }
        }
    }
    out.push_str(" }");
    out
}
