//! The spec's CollectFields for the projection: a selection set's fields
//! grouped by response key for one runtime type, with fragments applied
//! and `@skip`/`@include` read, each grouping collected once.

use std::rc::Rc;

use apollo_compiler::{
    Node,
    ast::{DirectiveList, Value as AstValue},
    executable::{Field, Selection, SelectionSet},
};
use serde_json::Value as Json;

use super::{Grouped, Projector};

impl<'a> Projector<'a> {
    /// The grouping of the sub-selections of `fields` for `runtime_type`,
    /// collected once per projection.
    pub(super) fn group(
        &mut self,
        fields: &[&'a Node<Field>],
        runtime_type: &'a str,
    ) -> Rc<Vec<Grouped<'a>>> {
        let key = (fields.as_ptr() as usize, fields.len(), runtime_type);
        if let Some(grouped) = self.groups.get(&key) {
            return grouped.clone();
        }
        let mut grouped = Vec::new();
        let mut visited = Vec::new();
        for field in fields {
            self.collect(
                runtime_type,
                &field.selection_set,
                &mut grouped,
                &mut visited,
            );
        }
        let grouped = Rc::new(grouped);
        self.groups.insert(key, grouped.clone());
        grouped
    }

    /// The spec's CollectFields: fields grouped by response key, in order.
    pub(super) fn collect(
        &self,
        runtime_type: &str,
        set: &'a SelectionSet,
        out: &mut Vec<Grouped<'a>>,
        visited: &mut Vec<&'a str>,
    ) {
        for selection in &set.selections {
            match selection {
                Selection::Field(field) => {
                    if !self.included(&field.directives) {
                        continue;
                    }
                    let key = field.response_key().as_str();
                    match out.iter_mut().find(|group| group.key == key) {
                        Some(group) => group.fields.push(field),
                        None => out.push(Grouped {
                            key,
                            fields: vec![field],
                            returns: self.schema.types.get(field.ty().inner_named_type()),
                        }),
                    }
                }
                Selection::InlineFragment(fragment) => {
                    if !self.included(&fragment.directives) {
                        continue;
                    }
                    let applies = fragment
                        .type_condition
                        .as_ref()
                        .is_none_or(|c| self.applies(runtime_type, c));
                    if applies {
                        self.collect(runtime_type, &fragment.selection_set, out, visited);
                    }
                }
                Selection::FragmentSpread(spread) => {
                    let name = spread.fragment_name.as_str();
                    if !self.included(&spread.directives) || visited.contains(&name) {
                        continue;
                    }
                    visited.push(name);
                    if let Some(fragment) = self.document.fragments.get(&spread.fragment_name)
                        && self.applies(runtime_type, fragment.type_condition())
                    {
                        self.collect(runtime_type, &fragment.selection_set, out, visited);
                    }
                }
            }
        }
    }

    /// Whether `set`, selected on an object known only as
    /// `abstract_type`, asks for its concrete type: `__typename`, or a
    /// fragment on a narrower type.
    pub(super) fn needs_concrete(&self, set: &SelectionSet, abstract_type: &str) -> bool {
        set.selections.iter().any(|selection| match selection {
            Selection::Field(field) => {
                field.name == "__typename" && self.included(&field.directives)
            }
            Selection::InlineFragment(fragment) => {
                self.included(&fragment.directives)
                    && match &fragment.type_condition {
                        Some(c) if !self.applies(abstract_type, c) => true,
                        _ => self.needs_concrete(&fragment.selection_set, abstract_type),
                    }
            }
            Selection::FragmentSpread(spread) => {
                self.included(&spread.directives)
                    && self
                        .document
                        .fragments
                        .get(&spread.fragment_name)
                        .is_some_and(|fragment| {
                            !self.applies(abstract_type, fragment.type_condition())
                                || self.needs_concrete(&fragment.selection_set, abstract_type)
                        })
            }
        })
    }

    pub(super) fn applies(&self, runtime_type: &str, condition: &str) -> bool {
        runtime_type == condition || self.schema.is_subtype(condition, runtime_type)
    }

    pub(super) fn flag(&self, directives: &DirectiveList, name: &str) -> Option<bool> {
        let value = directives.get(name)?.specified_argument_by_name("if")?;
        match &**value {
            AstValue::Boolean(b) => Some(*b),
            AstValue::Variable(var) => self.variables.get(var.as_str()).and_then(Json::as_bool),
            _ => None,
        }
    }

    pub(super) fn included(&self, directives: &DirectiveList) -> bool {
        self.flag(directives, "skip") != Some(true)
            && self.flag(directives, "include") != Some(false)
    }
}
