//! Federation directives async-graphql 7.2.1 cannot emit on its own.
//!
//! It emits `@requiresScopes` (the `requires_scopes` attribute) and imports
//! it in the `@link` to federation v2.5, but it has no `@authenticated`
//! attribute and leaves `@authenticated` out of that import list. Here:
//! [`authenticated`] declares the directive (use it as
//! `#[graphql(directive = authenticated::apply())]`), and
//! [`import_authenticated`] adds it to the `@link` import, so composition
//! reads it as the federation directive rather than a subgraph-local one.
//! [`FederationImports`] applies that to what `_service { sdl }` serves, so
//! the served SDL and the exported one stay the same.

use std::sync::Arc;

use async_graphql::{
    ServerResult, Value,
    extensions::{Extension, ExtensionContext, ExtensionFactory, NextResolve, ResolveInfo},
};

// Declared with the locations of the federation v2.5 definition that
// async-graphql's `TypeDirective` knows (all but SCALAR), a subset that
// composition accepts. The doc comment becomes the SDL description.
/// Federation `@authenticated`: only a verified caller may resolve this.
#[async_graphql::TypeDirective(
    location = "FieldDefinition",
    location = "Object",
    location = "Interface",
    location = "Enum"
)]
pub fn authenticated() {}

const REQUIRES_SCOPES_IMPORT: &str = "\"@requiresScopes\"]";

/// `sdl` with `@authenticated` added to the federation `@link` import, when
/// the schema uses it and the import lacks it.
pub fn import_authenticated(sdl: &str) -> String {
    if !sdl.contains("directive @authenticated") || sdl.contains("\"@authenticated\"") {
        return sdl.to_owned();
    }
    sdl.replacen(
        REQUIRES_SCOPES_IMPORT,
        "\"@requiresScopes\", \"@authenticated\"]",
        1,
    )
}

/// Schema extension that rewrites `_service { sdl }` with
/// [`import_authenticated`].
pub struct FederationImports;

impl ExtensionFactory for FederationImports {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(FederationImportsExtension)
    }
}

struct FederationImportsExtension;

#[async_trait::async_trait]
impl Extension for FederationImportsExtension {
    async fn resolve(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
    ) -> ServerResult<Option<Value>> {
        let is_service_sdl = info.parent_type == "_Service" && info.name == "sdl";
        let value = next.run(ctx, info).await?;
        match value {
            Some(Value::String(sdl)) if is_service_sdl => {
                Ok(Some(Value::String(import_authenticated(&sdl))))
            }
            other => Ok(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_authenticated_to_the_federation_import_once() {
        let sdl = "directive @authenticated on FIELD_DEFINITION\n\
                   extend schema @link(\n\timport: [\"@key\", \"@requiresScopes\"]\n)\n";
        let patched = import_authenticated(sdl);
        assert!(patched.contains("import: [\"@key\", \"@requiresScopes\", \"@authenticated\"]"));
        assert_eq!(import_authenticated(&patched), patched);
    }

    #[test]
    fn leaves_a_schema_without_the_directive_alone() {
        let sdl = "extend schema @link(\n\timport: [\"@key\", \"@requiresScopes\"]\n)\n";
        assert_eq!(import_authenticated(sdl), sdl);
    }
}
