//! Authorization in the supergraph: interfaces take their implementations'
//! requirements, and the authorization specs are linked in Apollo's order.

use super::super::joined::Joined;
use super::super::model::{Kind, Meta, Security, Subgraph};
use super::dnf_and;

/// An interface requires whatever its implementations require (and each interface field
/// what the implementations' fields require), as Apollo's composition propagates it, so a
/// query through the interface is checked like one on the implementations.
pub(super) fn propagate_authorization_to_interfaces(joined: &mut Joined, subgraphs: &[Subgraph]) {
    // Subgraph by subgraph, as Apollo does (it decides the printed order).
    for subgraph in subgraphs {
        for ty in subgraph.types.values().filter(|t| t.kind == Kind::Object) {
            let interfaces: Vec<String> = joined
                .types
                .get(&ty.name)
                .map(|t| t.implements.keys().cloned().collect())
                .unwrap_or_default();
            for interface in interfaces {
                let Some(target) = joined
                    .types
                    .get_mut(&interface)
                    .filter(|t| t.kind == Kind::Interface)
                else {
                    continue;
                };
                add_authorization(&mut target.meta, &ty.meta);
                for (name, field) in &ty.fields {
                    if let Some(target_field) = target.fields.get_mut(name) {
                        add_authorization(&mut target_field.meta, &field.meta);
                    }
                }
            }
        }
    }
}

fn add_authorization(target: &mut Meta, from: &Meta) {
    if from.authenticated && !target.authenticated {
        target.authenticated = true;
        target.order.push("authenticated".to_owned());
    }
    for (slot, value, name) in [
        (&mut target.scopes, &from.scopes, "requiresScopes"),
        (&mut target.policies, &from.policies, "policy"),
    ] {
        if let Some(value) = value {
            *slot = Some(match slot.take() {
                Some(existing) => dnf_and(&existing, value),
                None => {
                    target.order.push(name.to_owned());
                    value.clone()
                }
            });
        }
    }
}

/// Apollo links the authorization specs subgraph by subgraph, each subgraph adding the
/// ones it uses in canonical order.
pub(super) fn security_order(subgraphs: &[Subgraph]) -> Vec<Security> {
    let mut order = Vec::new();
    for subgraph in subgraphs {
        let mut used: Vec<Security> = subgraph
            .types
            .values()
            .flat_map(|t| t.metas())
            .flat_map(Meta::security)
            .collect();
        used.sort_by_key(|s| *s as u8);
        for feature in used {
            if !order.contains(&feature) {
                order.push(feature);
            }
        }
    }
    order
}
