//! Printing the joined model as an Apollo supergraph, laid out the way Apollo's composition
//! prints it (definitions sorted by name, one type directive per line) so the two can be
//! diffed.

mod printer;

use printer::Printer;

use std::fmt::Write;

use apollo_compiler::ast;

use super::joined::{JType, Joined};
use super::model::{Meta, Security};

const JOIN_DEFINITIONS: &str = r#"directive @join__enumValue(graph: join__Graph!) repeatable on ENUM_VALUE

directive @join__field(graph: join__Graph, requires: join__FieldSet, provides: join__FieldSet, type: String, external: Boolean, override: String, usedOverridden: Boolean{OVERRIDE_LABEL}) repeatable on FIELD_DEFINITION | INPUT_FIELD_DEFINITION

directive @join__graph(name: String!, url: String!) on ENUM_VALUE

directive @join__implements(graph: join__Graph!, interface: String!) repeatable on OBJECT | INTERFACE

directive @join__type(graph: join__Graph!, key: join__FieldSet, extension: Boolean! = false, resolvable: Boolean! = true, isInterfaceObject: Boolean! = false) repeatable on OBJECT | INTERFACE | UNION | ENUM | INPUT_OBJECT | SCALAR

directive @join__unionMember(graph: join__Graph!, member: String!) repeatable on UNION"#;

const LINK_DEFINITION: &str = "directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) repeatable on SCHEMA";

const LINK_PURPOSE: &str = r#"enum link__Purpose {
  """
  `SECURITY` features provide metadata necessary to securely resolve fields.
  """
  SECURITY

  """
  `EXECUTION` features provide metadata necessary for operation execution.
  """
  EXECUTION
}"#;

const SECURITY_LOCATIONS: &str = "FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM";
const ALL_TYPE_SYSTEM_LOCATIONS: &str = "FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION";

/// Which optional specs the supergraph uses.
#[derive(Default)]
struct Features {
    override_label: bool,
    security: Vec<Security>,
}

impl Features {
    fn note(&mut self, meta: &Meta) {
        for feature in meta.security() {
            if !self.security.contains(&feature) {
                self.security.push(feature);
            }
        }
    }

    fn of(joined: &Joined) -> Features {
        let mut features = Features::default();
        let mut types: Vec<&JType> = joined.types.values().collect();
        types.sort_by(|a, b| {
            a.name
                .to_lowercase()
                .cmp(&b.name.to_lowercase())
                .then(a.name.cmp(&b.name))
        });
        for ty in types {
            features.note(&ty.meta);
            for field in ty.fields.values() {
                for arg in field.args.values() {
                    features.note(&arg.meta);
                }
                features.note(&field.meta);
                features.override_label |= field
                    .joins
                    .iter()
                    .flatten()
                    .any(|j| j.override_label.is_some());
            }
            for value in ty.values.values() {
                features.note(&value.meta);
            }
            for input in ty.input_fields.values() {
                features.note(&input.meta);
            }
        }
        // Linked in the order the subgraphs first use them, as Apollo does.
        let used = std::mem::take(&mut features.security);
        features.security = joined
            .security_order
            .iter()
            .copied()
            .filter(|s| used.contains(s))
            .collect();
        features.security.extend(
            used.into_iter()
                .filter(|s| !joined.security_order.contains(s)),
        );
        features
    }
}

pub(crate) fn emit(joined: &Joined) -> String {
    let features = Features::of(joined);
    // (sort key, text) for every top-level definition after the schema block.
    let mut directives: Vec<(String, String)> = Vec::new();
    let mut types: Vec<(String, String)> = Vec::new();

    let join_version = if features.override_label {
        "v0.4"
    } else {
        "v0.3"
    };
    for definition in JOIN_DEFINITIONS.split("\n\n") {
        let text = definition.replace(
            "{OVERRIDE_LABEL}",
            if features.override_label {
                ", overrideLabel: String"
            } else {
                ""
            },
        );
        directives.push((directive_name(&text), text));
    }
    if features.override_label {
        // join v0.4, needed for overrideLabel, also defines @join__directive.
        directives.push((
            "join__directive".to_owned(),
            "directive @join__directive(graphs: [join__Graph!], name: String!, args: join__DirectiveArguments) repeatable on SCHEMA | OBJECT | INTERFACE | FIELD_DEFINITION".to_owned(),
        ));
        types.push((
            "join__DirectiveArguments".to_owned(),
            "scalar join__DirectiveArguments".to_owned(),
        ));
    }
    directives.push(("link".to_owned(), LINK_DEFINITION.to_owned()));
    let mut links = vec![
        "@link(url: \"https://specs.apollo.dev/link/v1.0\")".to_owned(),
        format!("@link(url: \"https://specs.apollo.dev/join/{join_version}\", for: EXECUTION)"),
    ];
    for feature in features.security.clone() {
        match feature {
            Security::Tag => {
                links.push("@link(url: \"https://specs.apollo.dev/tag/v0.3\")".to_owned());
                directives.push((
                    "tag".to_owned(),
                    format!("directive @tag(name: String!) repeatable on {ALL_TYPE_SYSTEM_LOCATIONS} | SCHEMA"),
                ));
            }
            Security::Inaccessible => {
                links.push(
                    "@link(url: \"https://specs.apollo.dev/inaccessible/v0.2\", for: SECURITY)"
                        .to_owned(),
                );
                directives.push((
                    "inaccessible".to_owned(),
                    format!("directive @inaccessible on {ALL_TYPE_SYSTEM_LOCATIONS}"),
                ));
            }
            Security::Authenticated => {
                links.push(
                    "@link(url: \"https://specs.apollo.dev/authenticated/v0.1\", for: SECURITY)"
                        .to_owned(),
                );
                directives.push((
                    "authenticated".to_owned(),
                    format!("directive @authenticated on {SECURITY_LOCATIONS}"),
                ));
            }
            Security::Scopes => {
                links.push(
                    "@link(url: \"https://specs.apollo.dev/requiresScopes/v0.1\", for: SECURITY)"
                        .to_owned(),
                );
                directives.push((
                    "requiresScopes".to_owned(),
                    format!("directive @requiresScopes(scopes: [[requiresScopes__Scope!]!]!) on {SECURITY_LOCATIONS}"),
                ));
                types.push((
                    "requiresScopes__Scope".to_owned(),
                    "scalar requiresScopes__Scope".to_owned(),
                ));
            }
            Security::Policy => {
                links.push(
                    "@link(url: \"https://specs.apollo.dev/policy/v0.1\", for: SECURITY)"
                        .to_owned(),
                );
                directives.push((
                    "policy".to_owned(),
                    format!(
                        "directive @policy(policies: [[policy__Policy!]!]!) on {SECURITY_LOCATIONS}"
                    ),
                ));
                types.push((
                    "policy__Policy".to_owned(),
                    "scalar policy__Policy".to_owned(),
                ));
            }
        }
    }
    for link in &joined.composed {
        let imports: Vec<String> = link.imports.iter().map(|i| string(i)).collect();
        links.push(format!(
            "@link(url: {}, import: [{}])",
            string(&link.url),
            imports.join(", ")
        ));
        for definition in &link.definitions {
            directives.push((
                definition.name.to_string(),
                definition.to_string().trim_end().to_owned(),
            ));
        }
    }
    // `@oneOf` is built into the September 2025 specification but not into
    // every GraphQL library a router may use: a supergraph that applies it
    // defines it, as the subgraph SDLs do.
    if joined.types.values().any(|ty| ty.meta.one_of) {
        directives.push((
            "oneOf".to_owned(),
            "directive @oneOf on INPUT_OBJECT".to_owned(),
        ));
    }
    for definition in &joined.directives {
        directives.push((
            definition.name.to_string(),
            definition.to_string().trim_end().to_owned(),
        ));
    }

    types.push((
        "join__FieldSet".to_owned(),
        "scalar join__FieldSet".to_owned(),
    ));
    let mut graph_enum = String::from("enum join__Graph {\n");
    for graph in &joined.graphs {
        let _ = writeln!(
            graph_enum,
            "  {} @join__graph(name: {}, url: {})",
            graph.value,
            string(&graph.name),
            string(&graph.url)
        );
    }
    graph_enum.push('}');
    types.push(("join__Graph".to_owned(), graph_enum));
    types.push(("link__Import".to_owned(), "scalar link__Import".to_owned()));
    types.push(("link__Purpose".to_owned(), LINK_PURPOSE.to_owned()));
    let printer = Printer { joined };
    for ty in joined.types.values() {
        types.push((ty.name.clone(), printer.ty(ty)));
    }

    let by_name = |a: &(String, String), b: &(String, String)| {
        a.0.to_lowercase()
            .cmp(&b.0.to_lowercase())
            .then(a.0.cmp(&b.0))
    };
    directives.sort_by(by_name);
    types.sort_by(by_name);

    let mut out = String::from("schema\n");
    for link in &links {
        let _ = writeln!(out, "  {link}");
    }
    out.push_str("{\n");
    for (operation, root) in [
        ("query", "Query"),
        ("mutation", "Mutation"),
        ("subscription", "Subscription"),
    ] {
        if joined.types.contains_key(root) {
            let _ = writeln!(out, "  {operation}: {root}");
        }
    }
    out.push('}');
    for (_, text) in directives.iter().chain(types.iter()) {
        out.push_str("\n\n");
        out.push_str(text);
    }
    out.push('\n');
    out
}

fn directive_name(definition: &str) -> String {
    definition
        .trim_start_matches("directive @")
        .split(['(', ' '])
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// A GraphQL string literal.
fn string(value: &str) -> String {
    ast::Value::String(value.to_owned()).to_string()
}

fn value(value: &ast::Value) -> String {
    value.serialize().no_indent().to_string()
}
