//! Supergraph composition: Federation v2 (and v1) subgraph SDLs → an Apollo-format
//! supergraph (join v0.3; v0.4 when progressive @override labels are used).
//!
//! The stages, one module each: [`parse`] (SDL → per-subgraph model, through the
//! subgraph's `@link` imports, see [`link`] and [`composed`]), [`fieldsets`] (keys,
//! @requires, @provides checked against their subgraph), [`merge`] (the joined model and
//! the merge errors), [`inaccessible`] (what clients see stays a valid schema),
//! [`satisfiability`] (every field reachable by a query resolvable) and [`emit`] (the SDL,
//! printed as Apollo's composition prints it). [`config`] reads `supergraph.yaml` for
//! `shopgraph compose`.
//!
//! The tests compare the output with Apollo's own composition of the same subgraphs
//! (`tests/fixtures/compose/apollo/regenerate.sh` records it).

mod composed;
mod config;
mod emit;
mod error;
mod fieldset;
mod fieldsets;
mod inaccessible;
mod joined;
mod link;
mod merge;
mod model;
mod parse;
mod satisfiability;
mod types;

use std::collections::HashSet;
use std::fmt;

pub use config::{
    SchemaSource, SubgraphConfig, SupergraphConfig, compose_from_config, load_subgraphs,
    write_supergraph,
};
pub use error::{CompositionError, ErrorCode};

/// One subgraph to compose: its name, routing URL and federation SDL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubgraphDefinition {
    pub name: String,
    pub url: String,
    pub sdl: String,
}

impl SubgraphDefinition {
    pub fn new(name: impl Into<String>, url: impl Into<String>, sdl: impl Into<String>) -> Self {
        SubgraphDefinition {
            name: name.into(),
            url: url.into(),
            sdl: sdl.into(),
        }
    }
}

/// A composed supergraph: its SDL in the Apollo supergraph format (join v0.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Supergraph {
    sdl: String,
    hints: Vec<String>,
}

impl Supergraph {
    pub fn sdl(&self) -> &str {
        &self.sdl
    }

    pub fn into_sdl(self) -> String {
        self.sdl
    }

    /// Non-fatal notes, like Apollo's composition hints: input fields, arguments and
    /// input enum values left out because not every subgraph defines them.
    pub fn hints(&self) -> &[String] {
        &self.hints
    }
}

impl fmt::Display for Supergraph {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.sdl)
    }
}

/// Composes the subgraphs into a supergraph, or reports every problem found.
///
/// Subgraphs are composed in name order, so the output does not depend on the order given.
pub fn compose(subgraphs: &[SubgraphDefinition]) -> Result<Supergraph, Vec<CompositionError>> {
    let mut sorted: Vec<&SubgraphDefinition> = subgraphs.iter().collect();
    sorted.sort_by(|a, b| a.name.cmp(&b.name));
    check_names(&sorted)?;
    let graph_values = graph_enum_values(&sorted);

    let mut models = Vec::new();
    let mut invalid: Vec<bool> = Vec::new();
    let mut errors = Vec::new();
    for (definition, graph) in sorted.iter().zip(graph_values) {
        match parse::parse_subgraph(&definition.name, &definition.url, graph, &definition.sdl) {
            Ok((model, e)) => {
                invalid.push(!e.is_empty());
                models.push(model);
                errors.extend(e);
            }
            Err(e) => errors.extend(e),
        }
    }
    let mut usage = Vec::new();
    for (model, invalid) in models.iter().zip(&invalid) {
        let (used, e) = fieldsets::check_field_sets(model);
        usage.push(used);
        // As Apollo: an invalid subgraph reports its GraphQL errors, not its field sets'.
        if !invalid {
            errors.extend(e);
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let joined = merge::merge(&models, &usage)?;
    let errors = inaccessible::check(&joined);
    if !errors.is_empty() {
        return Err(errors);
    }
    let errors = satisfiability::check(&models, &usage, &joined);
    if !errors.is_empty() {
        return Err(errors);
    }
    let sdl = emit::emit(&joined);
    // A last guard: whatever we emit must be a valid GraphQL schema.
    if let Err(e) = apollo_compiler::Schema::parse_and_validate(sdl.as_str(), "supergraph.graphql")
    {
        return Err(vec![CompositionError::new(
            ErrorCode::InvalidGraphql,
            format!(
                "composition produced an invalid supergraph (a composition bug): {}",
                e.errors
            ),
        )]);
    }
    Ok(Supergraph {
        sdl,
        hints: joined.hints,
    })
}

fn check_names(subgraphs: &[&SubgraphDefinition]) -> Result<(), Vec<CompositionError>> {
    let mut seen = HashSet::new();
    let mut errors = Vec::new();
    for subgraph in subgraphs {
        if subgraph.name.trim().is_empty() {
            errors.push(CompositionError::new(
                ErrorCode::InvalidSubgraphName,
                "a subgraph has an empty name",
            ));
        } else if !seen.insert(subgraph.name.as_str()) {
            errors.push(
                CompositionError::new(
                    ErrorCode::InvalidSubgraphName,
                    format!("more than one subgraph is named \"{}\"", subgraph.name),
                )
                .subgraph(&subgraph.name),
            );
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// `join__Graph` values: the names upper-cased, other characters as `_`, made unique.
fn graph_enum_values(subgraphs: &[&SubgraphDefinition]) -> Vec<String> {
    let mut used: HashSet<String> = HashSet::new();
    subgraphs
        .iter()
        .map(|s| {
            let mut value: String = s
                .name
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() {
                        c.to_ascii_uppercase()
                    } else {
                        '_'
                    }
                })
                .collect();
            if value.starts_with(|c: char| c.is_ascii_digit()) {
                value.insert(0, '_');
            }
            let base = value.clone();
            let mut n = 1;
            while !used.insert(value.clone()) {
                value = format!("{base}_{n}");
                n += 1;
            }
            value
        })
        .collect()
}
