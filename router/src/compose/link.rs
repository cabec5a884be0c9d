//! `@link` handling: which local directive name means which federation directive.
//!
//! A subgraph may import `@key` as is, rename it (`{ name: "@key", as: "@primaryKey" }`),
//! or leave it un-imported and write `@federation__key` (or `@<as>__key` when the link
//! has `as:`). Subgraphs without a federation link are Federation 1 subgraphs, where the
//! directives have their plain names.

use std::collections::{HashMap, HashSet};

use apollo_compiler::ast;

/// A directive with meaning to composition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Fed {
    Key,
    Requires,
    Provides,
    External,
    Shareable,
    Extends,
    Override,
    Inaccessible,
    Tag,
    InterfaceObject,
    ComposeDirective,
    Authenticated,
    RequiresScopes,
    Policy,
    Link,
    /// `@context`/`@fromContext`: needs join v0.5, which this composition does not emit.
    Unsupported,
    /// Demand-control and caching hints (`@cost`, `@listSize`, `@cacheTag`): they do not
    /// change how a query is planned, and are dropped from the supergraph.
    Ignored,
}

const FEDERATION_ELEMENTS: [(&str, Fed); 20] = [
    ("key", Fed::Key),
    ("requires", Fed::Requires),
    ("provides", Fed::Provides),
    ("external", Fed::External),
    ("shareable", Fed::Shareable),
    ("extends", Fed::Extends),
    ("override", Fed::Override),
    ("inaccessible", Fed::Inaccessible),
    ("tag", Fed::Tag),
    ("interfaceObject", Fed::InterfaceObject),
    ("composeDirective", Fed::ComposeDirective),
    ("authenticated", Fed::Authenticated),
    ("requiresScopes", Fed::RequiresScopes),
    ("policy", Fed::Policy),
    ("context", Fed::Unsupported),
    ("fromContext", Fed::Unsupported),
    ("cost", Fed::Ignored),
    ("listSize", Fed::Ignored),
    ("cacheTag", Fed::Ignored),
    ("link", Fed::Link),
];

/// Specs other than federation whose directives a subgraph may link directly.
const STANDALONE_SPECS: [(&str, Fed); 6] = [
    ("link", Fed::Link),
    ("tag", Fed::Tag),
    ("inaccessible", Fed::Inaccessible),
    ("authenticated", Fed::Authenticated),
    ("requiresScopes", Fed::RequiresScopes),
    ("policy", Fed::Policy),
];

fn federation_element(name: &str) -> Option<Fed> {
    FEDERATION_ELEMENTS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, f)| *f)
}

#[derive(Debug, Default)]
pub(crate) struct Links {
    names: HashMap<String, Fed>,
    /// The subgraph links the federation v2 spec.
    pub fed2: bool,
    /// Types imported from a linked spec (`FieldSet`, `Scope`, `Policy`...): definitions
    /// of the spec, not of the subgraph's API.
    pub imported_types: HashSet<String>,
    /// Links to specs composition does not know (custom directives).
    pub foreign: Vec<ForeignLink>,
}

/// A `@link` to a spec other than Apollo's.
#[derive(Debug, Clone)]
pub(crate) struct ForeignLink {
    /// The URL without its version, e.g. `https://example.com/cache`.
    pub identity: String,
    pub version: (u32, u32),
    pub namespace: String,
    /// `(name, local alias)` of each imported element, without `@`.
    pub imports: Vec<(String, String)>,
}

impl ForeignLink {
    /// Whether `local` (a directive name as written in the subgraph) comes from this link.
    pub(crate) fn provides(&self, local: &str) -> bool {
        self.imports.iter().any(|(_, alias)| alias == local)
            || local
                .strip_prefix(&format!("{}__", self.namespace))
                .is_some()
            || local == self.namespace
    }
}

fn parse_version(version: &str) -> (u32, u32) {
    let digits = version.trim_start_matches('v');
    let (major, minor) = digits.split_once('.').unwrap_or((digits, "0"));
    (major.parse().unwrap_or(0), minor.parse().unwrap_or(0))
}

/// The imports of a `@link`: `(name, alias)` as written (directives with
/// their `@`, types without).
fn imports(directive: &ast::Directive) -> Result<Vec<(String, String)>, String> {
    let Some(list) = directive.specified_argument_by_name("import") else {
        return Ok(Vec::new());
    };
    let list = list.as_list().ok_or("@link(import:) must be a list")?;
    let mut out = Vec::new();
    for import in list {
        let (name, alias) = match import.as_ref() {
            ast::Value::String(name) => (name.clone(), name.clone()),
            ast::Value::Object(fields) => {
                let get = |key: &str| {
                    fields
                        .iter()
                        .find(|(k, _)| k == key)
                        .and_then(|(_, v)| v.as_str())
                        .map(str::to_owned)
                };
                let name = get("name").ok_or("@link import object without name")?;
                let alias = get("as").unwrap_or_else(|| name.clone());
                (name, alias)
            }
            _ => return Err("@link import entries must be strings or objects".to_owned()),
        };
        out.push((name, alias));
    }
    Ok(out)
}

impl Links {
    /// Reads every `@link` on `schema`/`extend schema` definitions.
    pub(crate) fn from_document(document: &ast::Document) -> Result<Links, String> {
        let mut links = Links::default();
        for definition in &document.definitions {
            let directives = match definition {
                ast::Definition::SchemaDefinition(def) => &def.directives,
                ast::Definition::SchemaExtension(ext) => &ext.directives,
                _ => continue,
            };
            for directive in directives.iter() {
                // `@link` itself can only be renamed by linking the link spec with `as:`,
                // which nobody does; read it by its default name.
                if directive.name == "link" {
                    links.add(directive)?;
                }
            }
        }
        Ok(links)
    }

    fn add(&mut self, directive: &ast::Directive) -> Result<(), String> {
        let Some(url) = directive
            .specified_argument_by_name("url")
            .and_then(|v| v.as_str())
        else {
            return Err("@link without a url".to_owned());
        };
        let (identity, version) = url.rsplit_once('/').unwrap_or((url, ""));
        let spec = identity.rsplit('/').next().unwrap_or(identity);
        let is_federation = identity.ends_with("specs.apollo.dev/federation");
        let standalone = STANDALONE_SPECS
            .iter()
            .find(|(n, _)| *n == spec && identity.contains("specs.apollo.dev"));
        let namespace = directive
            .specified_argument_by_name("as")
            .and_then(|v| v.as_str())
            .unwrap_or(spec)
            .to_owned();
        if !is_federation && standalone.is_none() {
            // Some other spec: its directives reach the supergraph only through
            // @composeDirective, which needs to know where they come from.
            // Only its directives matter here.
            let imports = imports(directive)?
                .into_iter()
                .filter_map(|(name, alias)| {
                    Some((
                        name.strip_prefix('@')?.to_owned(),
                        alias.strip_prefix('@')?.to_owned(),
                    ))
                })
                .collect();
            self.foreign.push(ForeignLink {
                identity: identity.to_owned(),
                version: parse_version(version),
                namespace,
                imports,
            });
            return Ok(());
        }
        if is_federation {
            self.fed2 = true;
        }
        let element = |name: &str| -> Option<Fed> {
            if is_federation {
                federation_element(name)
            } else {
                standalone.filter(|(n, _)| *n == name).map(|(_, f)| *f)
            }
        };
        // Un-imported elements are reachable through the namespace.
        if is_federation {
            for (name, fed) in FEDERATION_ELEMENTS {
                self.names.insert(format!("{namespace}__{name}"), fed);
            }
        } else if let Some((_, fed)) = standalone {
            self.names.insert(namespace.clone(), *fed);
        }
        for (name, alias) in imports(directive)? {
            let (Some(name), Some(alias)) = (name.strip_prefix('@'), alias.strip_prefix('@'))
            else {
                self.imported_types.insert(alias);
                continue;
            };
            if let Some(fed) = element(name) {
                self.names.insert(alias.to_owned(), fed);
            }
        }
        Ok(())
    }

    /// What a directive written as `@name` in this subgraph means.
    ///
    /// Federation 1 subgraphs use plain names. Federation 2 subgraphs should import each
    /// directive, but frameworks leave some out (async-graphql 7 does not import
    /// `@authenticated`/`@policy` and declares its own definition instead), so a plain
    /// federation name that no link claims still means the federation directive.
    pub(crate) fn resolve(&self, name: &str) -> Option<Fed> {
        if let Some(fed) = self.names.get(name) {
            return Some(*fed);
        }
        federation_element(name)
    }
}
