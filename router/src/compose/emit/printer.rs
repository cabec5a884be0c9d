//! One type definition of the supergraph, printed as graphql-js prints it.

use std::fmt::Write;

use super::super::joined::{FieldJoin, JField, JInputValue, JType, Joined, TypeJoin};
use super::super::model::{Kind, Meta};
use super::{string, value};

/// A description the way graphql-js prints it: a block string, on one line when short.
fn description(text: &str, indent: &str) -> String {
    let escaped = text.replace("\"\"\"", "\\\"\"\"");
    let single_line = !text.contains('\n');
    let trailing = text.ends_with('"') || text.ends_with('\\');
    if single_line && text.len() <= 70 && !trailing {
        return format!("{indent}\"\"\"{escaped}\"\"\"\n");
    }
    let mut out = format!("{indent}\"\"\"\n");
    for line in escaped.lines() {
        if line.is_empty() {
            out.push('\n');
        } else {
            let _ = writeln!(out, "{indent}{line}");
        }
    }
    let _ = writeln!(out, "{indent}\"\"\"");
    out
}

fn meta_directives(meta: &Meta, field: bool) -> (Vec<String>, Vec<String>) {
    // Apollo prints @inaccessible before the join directives and the rest after them.
    let before = if meta.inaccessible {
        vec!["@inaccessible".to_owned()]
    } else {
        Vec::new()
    };
    // The rest in the order the subgraphs first applied them, except that on fields
    // Apollo puts the authorization directives first, in a fixed order.
    let mut after = Vec::new();
    let authorization = ["authenticated", "requiresScopes", "policy"];
    let mut order: Vec<&str> = meta.order.iter().map(String::as_str).collect();
    if field {
        order.retain(|n| !authorization.contains(n));
        order.splice(0..0, authorization);
    }
    for name in order {
        match name {
            "tag" => after.extend(
                meta.tags
                    .iter()
                    .map(|t| format!("@tag(name: {})", string(t))),
            ),
            "deprecated" => after.extend(meta.deprecated.as_ref().map(|reason| match reason {
                Some(reason) => format!("@deprecated(reason: {})", string(reason)),
                None => "@deprecated".to_owned(),
            })),
            "specifiedBy" => after.extend(
                meta.specified_by
                    .as_ref()
                    .map(|u| format!("@specifiedBy(url: {})", string(u))),
            ),
            "oneOf" if meta.one_of => after.push("@oneOf".to_owned()),
            "authenticated" if meta.authenticated => after.push("@authenticated".to_owned()),
            "requiresScopes" => after.extend(
                meta.scopes
                    .as_ref()
                    .map(|s| format!("@requiresScopes(scopes: {})", nested(s))),
            ),
            "policy" => after.extend(
                meta.policies
                    .as_ref()
                    .map(|p| format!("@policy(policies: {})", nested(p))),
            ),
            custom => after.extend(
                meta.custom
                    .iter()
                    .filter(|c| c.directive.name == custom)
                    .map(|c| c.directive.serialize().no_indent().to_string()),
            ),
        }
    }
    (before, after)
}

fn nested(values: &[Vec<String>]) -> String {
    let inner: Vec<String> = values
        .iter()
        .map(|alt| {
            format!(
                "[{}]",
                alt.iter().map(|v| string(v)).collect::<Vec<_>>().join(", ")
            )
        })
        .collect();
    format!("[{}]", inner.join(", "))
}

pub(super) struct Printer<'a> {
    pub(super) joined: &'a Joined,
}

impl Printer<'_> {
    fn graph(&self, graph: usize) -> &str {
        self.joined
            .graphs
            .get(graph)
            .map_or("", |g| g.value.as_str())
    }

    fn type_join(&self, join: &TypeJoin) -> String {
        let mut args = vec![format!("graph: {}", self.graph(join.graph))];
        if let Some(key) = &join.key {
            args.push(format!("key: {}", string(key)));
        }
        if join.extension {
            args.push("extension: true".to_owned());
        }
        if !join.resolvable {
            args.push("resolvable: false".to_owned());
        }
        if join.interface_object {
            args.push("isInterfaceObject: true".to_owned());
        }
        format!("@join__type({})", args.join(", "))
    }

    fn field_join(&self, join: &FieldJoin) -> String {
        let mut args = vec![format!("graph: {}", self.graph(join.graph))];
        if let Some(requires) = &join.requires {
            args.push(format!("requires: {}", string(requires)));
        }
        if let Some(provides) = &join.provides {
            args.push(format!("provides: {}", string(provides)));
        }
        // Apollo's argument order, which is not the definition's.
        if let Some(from) = &join.override_from {
            args.push(format!("override: {}", string(from)));
        }
        if let Some(ty) = &join.ty {
            args.push(format!("type: {}", string(ty)));
        }
        if join.external {
            args.push("external: true".to_owned());
        }
        if join.used_overridden {
            args.push("usedOverridden: true".to_owned());
        }
        if let Some(label) = &join.override_label {
            args.push(format!("overrideLabel: {}", string(label)));
        }
        format!("@join__field({})", args.join(", "))
    }

    fn field_joins(&self, joins: &Option<Vec<FieldJoin>>) -> Vec<String> {
        match joins {
            None => Vec::new(),
            Some(joins) if joins.is_empty() => vec!["@join__field".to_owned()],
            Some(joins) => joins.iter().map(|j| self.field_join(j)).collect(),
        }
    }

    pub(super) fn ty(&self, ty: &JType) -> String {
        let mut out = String::new();
        if let Some(text) = &ty.description {
            out.push_str(&description(text, ""));
        }
        let keyword = match ty.kind {
            Kind::Object => "type",
            Kind::Interface => "interface",
            Kind::Union => "union",
            Kind::Enum => "enum",
            Kind::InputObject => "input",
            Kind::Scalar => "scalar",
        };
        let _ = write!(out, "{keyword} {}", ty.name);
        if !ty.implements.is_empty() {
            let names: Vec<&str> = ty.implements.keys().map(String::as_str).collect();
            let _ = write!(out, " implements {}", names.join(" & "));
        }
        let mut directives: Vec<String> = Vec::new();
        for (interface, graphs) in &ty.implements {
            for graph in graphs {
                directives.push(format!(
                    "@join__implements(graph: {}, interface: {})",
                    self.graph(*graph),
                    string(interface)
                ));
            }
        }
        let (before, after) = meta_directives(&ty.meta, false);
        directives.extend(ty.joins.iter().map(|j| self.type_join(j)));
        for (member, graphs) in &ty.members {
            for graph in graphs {
                directives.push(format!(
                    "@join__unionMember(graph: {}, member: {})",
                    self.graph(*graph),
                    string(member)
                ));
            }
        }
        directives.extend(before);
        directives.extend(after);
        for directive in &directives {
            let _ = write!(out, "\n  {directive}");
        }
        match ty.kind {
            Kind::Scalar => return out,
            Kind::Union => {
                let members: Vec<&str> = ty.members.keys().map(String::as_str).collect();
                let _ = write!(
                    out,
                    "{}= {}",
                    if directives.is_empty() { " " } else { "\n " },
                    members.join(" | ")
                );
                return out;
            }
            _ => {}
        }
        out.push_str(if directives.is_empty() {
            " {\n"
        } else {
            "\n{\n"
        });
        let mut first = true;
        match ty.kind {
            Kind::Object | Kind::Interface => {
                for field in ty.fields.values() {
                    self.field(&mut out, field, first);
                    first = false;
                }
            }
            Kind::Enum => {
                for value in ty.values.values() {
                    if let Some(text) = &value.description {
                        if !first {
                            out.push('\n');
                        }
                        out.push_str(&description(text, "  "));
                    }
                    first = false;
                    let mut line = format!("  {}", value.name);
                    let (before, after) = meta_directives(&value.meta, false);
                    let joins = value
                        .graphs
                        .iter()
                        .map(|g| format!("@join__enumValue(graph: {})", self.graph(*g)));
                    for directive in before.into_iter().chain(joins).chain(after) {
                        line.push(' ');
                        line.push_str(&directive);
                    }
                    out.push_str(&line);
                    out.push('\n');
                }
            }
            Kind::InputObject => {
                for input in ty.input_fields.values() {
                    if let Some(text) = &input.description {
                        if !first {
                            out.push('\n');
                        }
                        out.push_str(&description(text, "  "));
                    }
                    first = false;
                    let _ = writeln!(out, "  {}", self.input_value(input));
                }
            }
            Kind::Union | Kind::Scalar => {}
        }
        out.push('}');
        out
    }

    fn input_value(&self, input: &JInputValue) -> String {
        let mut text = format!("{}: {}", input.name, input.ty);
        if let Some(default) = &input.default {
            let _ = write!(text, " = {}", value(default));
        }
        let (before, after) = meta_directives(&input.meta, false);
        for directive in before
            .into_iter()
            .chain(self.field_joins(&input.joins))
            .chain(after)
        {
            text.push(' ');
            text.push_str(&directive);
        }
        text
    }

    fn field(&self, out: &mut String, field: &JField, first: bool) {
        if let Some(text) = &field.description {
            if !first {
                out.push('\n');
            }
            out.push_str(&description(text, "  "));
        }
        let _ = write!(out, "  {}", field.name);
        if !field.args.is_empty() {
            if field.args.values().any(|a| a.description.is_some()) {
                out.push_str("(\n");
                for (i, arg) in field.args.values().enumerate() {
                    if let Some(text) = &arg.description {
                        if i > 0 {
                            out.push('\n');
                        }
                        out.push_str(&description(text, "    "));
                    }
                    let _ = writeln!(out, "    {}", self.input_value(arg));
                }
                out.push_str("  )");
            } else {
                let args: Vec<String> = field.args.values().map(|a| self.input_value(a)).collect();
                let _ = write!(out, "({})", args.join(", "));
            }
        }
        let _ = write!(out, ": {}", field.ty);
        let (before, after) = meta_directives(&field.meta, true);
        for directive in before
            .into_iter()
            .chain(self.field_joins(&field.joins))
            .chain(after)
        {
            out.push(' ');
            out.push_str(&directive);
        }
        out.push('\n');
    }
}
