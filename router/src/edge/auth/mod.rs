//! `@authenticated`, `@requiresScopes` and `@policy` from the supergraph,
//! enforced before any fetch: fields the caller may not see are removed
//! from what is planned, answer `null` with an `UNAUTHORIZED_FIELD_OR_TYPE`
//! error (raised by the projection, at each place in the response the
//! field would have held a value), and the rest of the operation still
//! runs. A field is seen only when the field itself, the type it returns
//! and the type it is selected on (a union member in `... on T`, say) all
//! allow the caller.

mod policy;

use std::collections::{BTreeSet, HashMap, HashSet};

use apollo_compiler::{
    ExecutableDocument, Node, Schema,
    ast::{Directive, Value as AstValue},
    executable::{Field, Operation, Selection, SelectionSet},
    schema::ExtendedType,
    validation::Valid,
};
use platform::auth::Viewer;

pub use self::policy::{AuthorizationConfig, PolicyRule};
use crate::response::{GraphQLError, PathSegment};

/// What a field or type demands of the caller.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Requirement {
    authenticated: bool,
    /// Any one of these sets, each needed in full (`[[a, b], [c]]` is
    /// `(a and b) or c`).
    scopes: Vec<Vec<String>>,
    /// `@policy`: any one of these sets of policies, each met in full.
    policies: Vec<Vec<String>>,
}

impl Requirement {
    fn satisfied_by(&self, viewer: Option<&Viewer>, rules: &AuthorizationConfig) -> bool {
        let signed_in = !self.authenticated || viewer.is_some();
        let scopes = self.scopes.is_empty()
            || self.scopes.iter().any(|set| {
                set.iter()
                    .all(|scope| viewer.is_some_and(|v| v.has_scope(scope)))
            });
        let policies = self.policies.is_empty()
            || self
                .policies
                .iter()
                .any(|set| set.iter().all(|policy| rules.meets(policy, viewer)));
        signed_in && scopes && policies
    }
}

/// The access rules of one supergraph.
#[derive(Debug, Default)]
pub struct AuthPolicies {
    fields: HashMap<(String, String), Requirement>,
    types: HashMap<String, Requirement>,
    rules: AuthorizationConfig,
}

/// The directive names of the three specs, honouring `@link(as:)`.
struct DirectiveNames {
    authenticated: String,
    scopes: String,
    policy: String,
}

impl DirectiveNames {
    fn of(schema: &Schema) -> Self {
        let mut names = DirectiveNames {
            authenticated: "authenticated".to_owned(),
            scopes: "requiresScopes".to_owned(),
            policy: "policy".to_owned(),
        };
        for link in schema.schema_definition.directives.get_all("link") {
            let url = link
                .specified_argument_by_name("url")
                .and_then(|v| v.as_str())
                .unwrap_or_default();
            let Some(renamed) = link
                .specified_argument_by_name("as")
                .and_then(|v| v.as_str())
                .map(str::to_owned)
            else {
                continue;
            };
            if url.contains("/authenticated/") {
                names.authenticated = renamed;
            } else if url.contains("/requiresScopes/") {
                names.scopes = renamed;
            } else if url.contains("/policy/") {
                names.policy = renamed;
            }
        }
        names
    }

    fn requirement<'a>(&self, directives: impl Iterator<Item = &'a Directive>) -> Requirement {
        let mut requirement = Requirement::default();
        for directive in directives {
            if directive.name == self.authenticated.as_str() {
                requirement.authenticated = true;
            } else if directive.name == self.scopes.as_str() {
                requirement.scopes.extend(sets(directive, "scopes"));
            } else if directive.name == self.policy.as_str() {
                requirement.policies.extend(sets(directive, "policies"));
            }
        }
        requirement
    }
}

/// A `[[String!]!]!` argument: alternatives of sets.
fn sets(directive: &Directive, argument: &str) -> Vec<Vec<String>> {
    let Some(AstValue::List(sets)) = directive.specified_argument_by_name(argument).map(|v| &**v)
    else {
        return Vec::new();
    };
    sets.iter()
        .filter_map(|set| match &**set {
            AstValue::List(items) => Some(
                items
                    .iter()
                    .filter_map(|s| s.as_str().map(str::to_owned))
                    .collect(),
            ),
            _ => None,
        })
        .collect()
}

impl AuthPolicies {
    /// The rules of `schema`, with `rules` behind its `@policy` names;
    /// refused when it names a policy `rules` does not define.
    pub fn from_supergraph(schema: &Schema, rules: &AuthorizationConfig) -> anyhow::Result<Self> {
        let names = DirectiveNames::of(schema);
        let mut policies = AuthPolicies {
            rules: rules.clone(),
            ..AuthPolicies::default()
        };
        for (type_name, ty) in &schema.types {
            let type_level = names.requirement(ty.directives().iter().map(|d| &***d));
            if type_level != Requirement::default() {
                policies.types.insert(type_name.to_string(), type_level);
            }
            let fields = match ty {
                ExtendedType::Object(o) => &o.fields,
                ExtendedType::Interface(i) => &i.fields,
                _ => continue,
            };
            for (field_name, field) in fields {
                let field_level = names.requirement(field.directives.iter().map(|d| &**d));
                if field_level != Requirement::default() {
                    policies
                        .fields
                        .insert((type_name.to_string(), field_name.to_string()), field_level);
                }
            }
        }
        let named: BTreeSet<&String> = policies
            .fields
            .values()
            .chain(policies.types.values())
            .flat_map(|r| r.policies.iter().flatten())
            .collect();
        rules.check_covers(named)?;
        Ok(policies)
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.types.is_empty()
    }

    /// Whether `viewer` may see `field` of `parent`, which returns
    /// `returns`: the field, its type and the type it is selected on must
    /// each allow it (`__typename` is always seen).
    fn allowed(&self, parent: &str, field: &str, returns: &str, viewer: Option<&Viewer>) -> bool {
        if field == "__typename" {
            return true;
        }
        let field_level = self.fields.get(&(parent.to_owned(), field.to_owned()));
        [field_level, self.types.get(returns), self.types.get(parent)]
            .into_iter()
            .flatten()
            .all(|requirement| requirement.satisfied_by(viewer, &self.rules))
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
        let policies =
            AuthPolicies::from_supergraph(&schema, &AuthorizationConfig::default()).expect("rules");
        assert!(!policies.allowed("Query", "account", "Account", None));
        assert!(policies.allowed("Query", "account", "Account", Some(&viewer(&[]))));
        assert!(policies.allowed("Query", "open", "String", None));
        assert!(!policies.allowed("Query", "audit", "String", Some(&viewer(&["customer"]))));
        assert!(policies.allowed("Query", "audit", "String", Some(&viewer(&["admin"]))));
    }

    #[test]
    fn filtered_operations_name_the_denied_fields_through_fragments() {
        let schema = Schema::parse_and_validate(SDL, "s.graphql").expect("valid");
        let policies =
            AuthPolicies::from_supergraph(&schema, &AuthorizationConfig::default()).expect("rules");
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
