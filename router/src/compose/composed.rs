//! `@composeDirective`: custom type-system directives a subgraph asks to keep in the
//! supergraph. Each must come from a `@link`ed spec and be defined in the subgraph; the
//! supergraph links each spec once, at the highest version any subgraph links, with the
//! definition from that subgraph.

use apollo_compiler::ast;

use super::error::{CompositionError, ErrorCode};
use super::link::{Fed, Links};
use super::model::{ComposedDirective, Subgraph};

/// The directives `document` composes.
pub(crate) fn find(
    subgraph: &str,
    document: &ast::Document,
    links: &Links,
) -> Result<Vec<ComposedDirective>, Vec<CompositionError>> {
    let mut composed = Vec::new();
    let mut errors = Vec::new();
    let error = |message: String| {
        CompositionError::new(ErrorCode::DirectiveCompositionError, message).subgraph(subgraph)
    };
    for definition in &document.definitions {
        let directives = match definition {
            ast::Definition::SchemaDefinition(def) => &def.directives,
            ast::Definition::SchemaExtension(ext) => &ext.directives,
            _ => continue,
        };
        for directive in directives.iter() {
            if links.resolve(&directive.name) != Some(Fed::ComposeDirective) {
                continue;
            }
            let Some(name) = directive
                .specified_argument_by_name("name")
                .and_then(|v| v.as_str())
                .and_then(|n| n.strip_prefix('@'))
            else {
                errors.push(error(
                    "@composeDirective needs name: \"@directive\"".to_owned(),
                ));
                continue;
            };
            let Some(link) = links.foreign.iter().find(|l| l.provides(name)) else {
                errors.push(error(format!(
                    "Directive \"@{name}\" in subgraph \"{subgraph}\" cannot be composed because it is not a member of a core feature"
                )));
                continue;
            };
            let found = document.definitions.iter().find_map(|d| match d {
                ast::Definition::DirectiveDefinition(def) if def.name == name => Some(def),
                _ => None,
            });
            let Some(definition) = found else {
                errors.push(error(format!(
                    "Core feature \"{}\" in subgraph \"{subgraph}\" does not have a directive definition for \"@{name}\"",
                    link.identity
                )));
                continue;
            };
            composed.push(ComposedDirective {
                identity: link.identity.clone(),
                version: link.version,
                definition: (**definition).clone(),
            });
        }
    }
    if errors.is_empty() {
        Ok(composed)
    } else {
        Err(errors)
    }
}

/// One linked spec of composed directives in the supergraph.
#[derive(Debug, Clone)]
pub(crate) struct ComposedLink {
    pub url: String,
    pub imports: Vec<String>,
    pub definitions: Vec<ast::DirectiveDefinition>,
}

/// Merges what every subgraph composes.
pub(crate) fn merge(subgraphs: &[Subgraph]) -> Result<Vec<ComposedLink>, Vec<CompositionError>> {
    // name → (identity, version, definition), the highest version winning.
    let mut chosen: Vec<(String, String, (u32, u32), ast::DirectiveDefinition)> = Vec::new();
    let mut errors = Vec::new();
    for subgraph in subgraphs {
        for composed in &subgraph.composed {
            let name = composed.definition.name.to_string();
            match chosen.iter_mut().find(|(n, ..)| *n == name) {
                None => chosen.push((name, composed.identity.clone(), composed.version, composed.definition.clone())),
                Some((_, identity, _, _)) if *identity != composed.identity => errors.push(
                    CompositionError::new(
                        ErrorCode::DirectiveCompositionError,
                        format!("Composed directive \"@{name}\" is not linked by the same core feature in every subgraph"),
                    )
                    .subgraph(&subgraph.name),
                ),
                Some((_, _, version, definition)) => {
                    if composed.version > *version {
                        *version = composed.version;
                        *definition = composed.definition.clone();
                    }
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut links: Vec<ComposedLink> = Vec::new();
    let mut identities: Vec<(String, (u32, u32))> = Vec::new();
    for (name, identity, version, definition) in chosen {
        let index = match identities.iter().position(|(i, _)| *i == identity) {
            Some(index) => index,
            None => {
                identities.push((identity.clone(), version));
                links.push(ComposedLink {
                    url: String::new(),
                    imports: Vec::new(),
                    definitions: Vec::new(),
                });
                identities.len() - 1
            }
        };
        identities[index].1 = identities[index].1.max(version);
        links[index].imports.push(format!("@{name}"));
        links[index].definitions.push(definition);
    }
    for (link, (identity, version)) in links.iter_mut().zip(&identities) {
        link.url = format!("{identity}/v{}.{}", version.0, version.1);
    }
    Ok(links)
}
