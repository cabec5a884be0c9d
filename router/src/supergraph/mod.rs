//! The supergraph a router serves: its API schema (for validation and
//! introspection) and its subgraphs (names and routing URLs).

mod api_schema;

use apollo_compiler::{
    Name, Node, Schema, ast,
    collections::HashMap,
    name,
    schema::{ExtendedType, Implementers},
    validation::Valid,
};

pub use api_schema::api_schema;

/// A subgraph named by the supergraph's `join__Graph` enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subgraph {
    pub name: String,
    pub url: String,
}

#[derive(Debug, thiserror::Error)]
pub enum SupergraphError {
    #[error("the supergraph is not a valid schema: {0}")]
    Invalid(String),
    #[error("the API schema derived from the supergraph is invalid: {0}")]
    ApiSchema(String),
    #[error("the supergraph has no join__Graph enum naming its subgraphs")]
    NoSubgraphs,
}

pub struct Supergraph {
    pub sdl: String,
    /// The full supergraph, for type relations the planner relies on
    /// (including types hidden from the API schema).
    pub schema: Valid<Schema>,
    pub api_schema: Valid<Schema>,
    pub implementers: HashMap<Name, Implementers>,
    pub subgraphs: Vec<Subgraph>,
}

impl Supergraph {
    pub fn parse(sdl: &str) -> Result<Self, SupergraphError> {
        let mut schema = Schema::parse(sdl, "supergraph.graphql")
            .map_err(|e| SupergraphError::Invalid(e.errors.to_string()))?;
        define_one_of(&mut schema);
        let schema = schema
            .validate()
            .map_err(|e| SupergraphError::Invalid(e.errors.to_string()))?;
        let subgraphs = subgraphs(&schema)?;
        let api_schema = api_schema(&schema).map_err(SupergraphError::ApiSchema)?;
        let implementers = api_schema.implementers_map();
        Ok(Self {
            sdl: sdl.to_owned(),
            schema,
            api_schema,
            implementers,
            subgraphs,
        })
    }
}

/// `@oneOf` is built into the September 2025 specification, but not into
/// apollo-compiler 1.33: a supergraph may apply it without defining it.
fn define_one_of(schema: &mut Schema) {
    let name = name!("oneOf");
    if !schema.directive_definitions.contains_key(&name) {
        schema.directive_definitions.insert(
            name.clone(),
            Node::new(ast::DirectiveDefinition {
                description: None,
                name,
                arguments: Vec::new(),
                repeatable: false,
                locations: vec![ast::DirectiveLocation::InputObject],
            }),
        );
    }
}

fn subgraphs(schema: &Schema) -> Result<Vec<Subgraph>, SupergraphError> {
    let Some(ExtendedType::Enum(graphs)) = schema.types.get("join__Graph") else {
        return Err(SupergraphError::NoSubgraphs);
    };
    Ok(graphs
        .values
        .values()
        .filter_map(|value| {
            let graph = value.directives.get("join__graph")?;
            let arg = |name: &str| {
                graph
                    .specified_argument_by_name(name)
                    .and_then(|v| v.as_str())
                    .map(str::to_owned)
            };
            Some(Subgraph {
                name: arg("name")?,
                url: arg("url").unwrap_or_default(),
            })
        })
        .collect())
}

impl crate::execute::TypeRelations for Supergraph {
    fn satisfies(&self, concrete: &str, condition: &str) -> bool {
        concrete == condition || self.schema.is_subtype(condition, concrete)
    }

    fn is_abstract(&self, name: &str) -> bool {
        matches!(
            self.schema.types.get(name),
            Some(ExtendedType::Interface(_) | ExtendedType::Union(_))
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_supergraph_may_apply_one_of_without_defining_it() {
        let sdl = r#"
            schema @link(url: "https://specs.apollo.dev/link/v1.0")
                   @link(url: "https://specs.apollo.dev/join/v0.3", for: EXECUTION) { query: Query }
            directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) repeatable on SCHEMA
            directive @join__graph(name: String!, url: String!) on ENUM_VALUE
            directive @join__type(graph: join__Graph!, key: join__FieldSet, extension: Boolean! = false, resolvable: Boolean! = true, isInterfaceObject: Boolean! = false) repeatable on OBJECT | INTERFACE | UNION | ENUM | INPUT_OBJECT | SCALAR
            scalar link__Import
            scalar join__FieldSet
            enum link__Purpose { SECURITY EXECUTION }
            enum join__Graph { A @join__graph(name: "a", url: "http://a") }
            input By @join__type(graph: A) @oneOf { id: ID upc: String }
            type Query @join__type(graph: A) { product(by: By!): String }
        "#;
        let supergraph = Supergraph::parse(sdl).expect("served");
        let by = supergraph.api_schema.get_input_object("By").expect("By");
        assert!(by.directives.has("oneOf"));
    }
}
