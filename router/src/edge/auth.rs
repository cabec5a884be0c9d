//! `@authenticated` and `@requiresScopes` from the supergraph, enforced
//! before any fetch: fields the caller may not see are removed from what is
//! planned, answer `null` with an `UNAUTHORIZED_FIELD_OR_TYPE` error (raised
//! by the projection, at each place in the response the field would have
//! held a value), and the rest of the operation still runs.

use std::collections::{HashMap, HashSet};

use apollo_compiler::{
    ExecutableDocument, Node, Schema,
    ast::Value as AstValue,
    executable::{Field, Operation, Selection, SelectionSet},
    schema::ExtendedType,
    validation::Valid,
};
use platform::auth::Viewer;

use crate::response::{GraphQLError, PathSegment};

/// What a field or type demands of the caller.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Requirement {
    authenticated: bool,
    /// Any one of these sets, each needed in full (`[[a, b], [c]]` is
    /// `(a and b) or c`).
    scopes: Vec<Vec<String>>,
}

impl Requirement {
    fn satisfied_by(&self, viewer: Option<&Viewer>) -> bool {
        match viewer {
            None => !self.authenticated && self.scopes.is_empty(),
            Some(viewer) => {
                self.scopes.is_empty()
                    || self
                        .scopes
                        .iter()
                        .any(|set| set.iter().all(|scope| viewer.has_scope(scope)))
            }
        }
    }

    fn merge(&mut self, other: Requirement) {
        self.authenticated |= other.authenticated;
        self.scopes.extend(other.scopes);
    }
}

/// The access rules of one supergraph.
#[derive(Debug, Default)]
pub struct AuthPolicies {
    fields: HashMap<(String, String), Requirement>,
    types: HashMap<String, Requirement>,
}

/// The directive names of the two specs, honouring `@link(as:/import:)`.
fn directive_names(schema: &Schema) -> (String, String) {
    let mut authenticated = "authenticated".to_owned();
    let mut scopes = "requiresScopes".to_owned();
    for link in schema.schema_definition.directives.get_all("link") {
        let url = link
            .specified_argument_by_name("url")
            .and_then(|v| v.as_str())
            .unwrap_or_default();
        let renamed = link
            .specified_argument_by_name("as")
            .and_then(|v| v.as_str())
            .map(str::to_owned);
        if url.contains("/authenticated/") {
            if let Some(name) = renamed {
                authenticated = name;
            }
        } else if url.contains("/requiresScopes/")
            && let Some(name) = renamed
        {
            scopes = name;
        }
    }
    (authenticated, scopes)
}

fn requirement(
    directives: impl Iterator<Item = (String, Option<Node<AstValue>>)>,
    names: &(String, String),
) -> Requirement {
    let mut requirement = Requirement::default();
    for (name, scopes) in directives {
        if name == names.0 {
            requirement.authenticated = true;
        } else if name == names.1
            && let Some(AstValue::List(sets)) = scopes.as_deref()
        {
            for set in sets {
                if let AstValue::List(items) = &**set {
                    requirement.scopes.push(
                        items
                            .iter()
                            .filter_map(|s| s.as_str().map(str::to_owned))
                            .collect(),
                    );
                }
            }
        }
    }
    requirement
}

impl AuthPolicies {
    pub fn from_supergraph(schema: &Schema) -> Self {
        let names = directive_names(schema);
        let mut policies = AuthPolicies::default();
        for (type_name, ty) in &schema.types {
            let type_level = requirement(
                ty.directives().iter().map(|d| {
                    (
                        d.name.to_string(),
                        d.specified_argument_by_name("scopes").cloned(),
                    )
                }),
                &names,
            );
            if type_level != Requirement::default() {
                policies.types.insert(type_name.to_string(), type_level);
            }
            let fields = match ty {
                ExtendedType::Object(o) => &o.fields,
                ExtendedType::Interface(i) => &i.fields,
                _ => continue,
            };
            for (field_name, field) in fields {
                let field_level = requirement(
                    field.directives.iter().map(|d| {
                        (
                            d.name.to_string(),
                            d.specified_argument_by_name("scopes").cloned(),
                        )
                    }),
                    &names,
                );
                if field_level != Requirement::default() {
                    policies
                        .fields
                        .insert((type_name.to_string(), field_name.to_string()), field_level);
                }
            }
        }
        policies
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.types.is_empty()
    }

    fn allowed(&self, parent: &str, field: &str, returns: &str, viewer: Option<&Viewer>) -> bool {
        let mut needed = Requirement::default();
        if let Some(r) = self.fields.get(&(parent.to_owned(), field.to_owned())) {
            needed.merge(r.clone());
        }
        if let Some(r) = self.types.get(returns) {
            needed.merge(r.clone());
        }
        needed.satisfied_by(viewer)
    }

    /// The operation without the fields `viewer` may not see, and those
    /// fields; `None` when nothing is removed.
    pub fn filter(
        &self,
        schema: &Valid<Schema>,
        document: &Valid<ExecutableDocument>,
        operation: &Node<Operation>,
        viewer: Option<&Viewer>,
    ) -> Option<Filtered> {
        if self.is_empty() {
            return None;
        }
        let mut denied = DeniedFields::default();
        let mut visiting = HashSet::new();
        self.report(
            document,
            &operation.selection_set,
            viewer,
            &mut visiting,
            &mut denied,
        );
        if denied.0.is_empty() {
            return None;
        }
        let mut filtered_document: ExecutableDocument = (**document).clone();
        let mut filtered_operation = operation.clone();
        self.strip(
            schema,
            &mut filtered_operation.make_mut().selection_set,
            viewer,
        );
        for fragment in filtered_document.fragments.values_mut() {
            self.strip(schema, &mut fragment.make_mut().selection_set, viewer);
        }
        Some(Filtered {
            document: filtered_document,
            operation: filtered_operation,
            denied,
        })
    }

    fn report<'d>(
        &self,
        document: &'d ExecutableDocument,
        set: &'d SelectionSet,
        viewer: Option<&Viewer>,
        visiting: &mut HashSet<&'d str>,
        denied: &mut DeniedFields,
    ) {
        for selection in &set.selections {
            match selection {
                Selection::Field(field) => {
                    let returns = field.ty().inner_named_type();
                    if self.allowed(&set.ty, &field.name, returns, viewer) {
                        self.report(document, &field.selection_set, viewer, visiting, denied);
                    } else {
                        denied.0.insert(DeniedFields::key(field));
                    }
                }
                Selection::InlineFragment(fragment) => {
                    self.report(document, &fragment.selection_set, viewer, visiting, denied);
                }
                Selection::FragmentSpread(spread) => {
                    let name = spread.fragment_name.as_str();
                    if let Some(fragment) = document.fragments.get(name)
                        && visiting.insert(name)
                    {
                        self.report(document, &fragment.selection_set, viewer, visiting, denied);
                        visiting.remove(name);
                    }
                }
            }
        }
    }

    /// Removes unauthorised fields; a selection set left empty keeps a
    /// `__typename` so the document stays valid.
    fn strip(&self, schema: &Valid<Schema>, set: &mut SelectionSet, viewer: Option<&Viewer>) {
        let parent = set.ty.clone();
        set.selections.retain(|selection| match selection {
            Selection::Field(field) => {
                self.allowed(&parent, &field.name, field.ty().inner_named_type(), viewer)
            }
            _ => true,
        });
        for selection in &mut set.selections {
            match selection {
                Selection::Field(field) => {
                    if !field.selection_set.selections.is_empty() {
                        self.strip(schema, &mut field.make_mut().selection_set, viewer);
                    }
                }
                Selection::InlineFragment(fragment) => {
                    self.strip(schema, &mut fragment.make_mut().selection_set, viewer);
                }
                Selection::FragmentSpread(_) => {}
            }
        }
        if set.selections.is_empty()
            && let Ok(typename) = set.new_field(schema, apollo_compiler::name!("__typename"))
        {
            set.push(typename);
        }
    }
}

/// An operation with the unauthorised fields taken out.
pub struct Filtered {
    pub document: ExecutableDocument,
    pub operation: Node<Operation>,
    pub denied: DeniedFields,
}

/// The fields of a client document the caller may not see, by node: the
/// same name can be allowed in one fragment and denied in another.
#[derive(Debug, Default)]
pub struct DeniedFields(HashSet<usize>);

impl DeniedFields {
    /// The field node's address: stable while the (cached, shared)
    /// document it belongs to lives, and the request holds it.
    fn key(field: &Field) -> usize {
        field as *const Field as usize
    }

    pub fn contains(&self, field: &Field) -> bool {
        self.0.contains(&Self::key(field))
    }
}

/// The error of a denied field, at one place of the response.
pub fn unauthorized(path: Vec<PathSegment>) -> GraphQLError {
    GraphQLError::new("Unauthorized field or type")
        .with_code("UNAUTHORIZED_FIELD_OR_TYPE")
        .with_path(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SDL: &str = r#"
        schema @link(url: "https://specs.apollo.dev/authenticated/v0.1", as: "signedIn") { query: Query }
        directive @link(url: String, as: String) repeatable on SCHEMA
        directive @signedIn on FIELD_DEFINITION | OBJECT
        directive @requiresScopes(scopes: [[String!]!]!) on FIELD_DEFINITION | OBJECT
        type Query { account: Account open: String audit: String @requiresScopes(scopes: [["admin"]]) }
        type Account @signedIn { id: ID }
    "#;

    fn viewer(scopes: &[&str]) -> Viewer {
        Viewer {
            user_id: "u".into(),
            scopes: scopes.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn type_level_and_renamed_directives_are_enforced() {
        let schema = Schema::parse_and_validate(SDL, "s.graphql").expect("valid");
        let policies = AuthPolicies::from_supergraph(&schema);
        assert!(!policies.allowed("Query", "account", "Account", None));
        assert!(policies.allowed("Query", "account", "Account", Some(&viewer(&[]))));
        assert!(policies.allowed("Query", "open", "String", None));
        assert!(!policies.allowed("Query", "audit", "String", Some(&viewer(&["customer"]))));
        assert!(policies.allowed("Query", "audit", "String", Some(&viewer(&["admin"]))));
    }

    #[test]
    fn filtered_operations_name_the_denied_fields_through_fragments() {
        let schema = Schema::parse_and_validate(SDL, "s.graphql").expect("valid");
        let policies = AuthPolicies::from_supergraph(&schema);
        let document = ExecutableDocument::parse_and_validate(
            &schema,
            "query { ...F a: open } fragment F on Query { account { id } }",
            "q.graphql",
        )
        .expect("valid");
        let operation = document.operations.get(None).expect("operation").clone();
        let filtered = policies
            .filter(&schema, &document, &operation, None)
            .expect("filtered");
        let fragment = &document.fragments.values().next().expect("fragment");
        let Selection::Field(account) = &fragment.selection_set.selections[0] else {
            panic!("a field");
        };
        assert!(filtered.denied.contains(account));
        let Selection::Field(open) = &operation.selection_set.selections[1] else {
            panic!("a field");
        };
        assert!(!filtered.denied.contains(open));
        let fragment = filtered
            .document
            .fragments
            .values()
            .next()
            .expect("fragment");
        assert_eq!(fragment.selection_set.selections.len(), 1);
        assert!(fragment.serialize().to_string().contains("__typename"));
    }
}
