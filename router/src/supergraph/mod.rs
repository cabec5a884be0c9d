//! The supergraph a router serves: its API schema (for validation and
//! introspection) and its subgraphs (names and routing URLs).

mod api_schema;

use apollo_compiler::{
    Name, Schema,
    collections::HashMap,
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
        let schema = Schema::parse_and_validate(sdl, "supergraph.graphql")
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
