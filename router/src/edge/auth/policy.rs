//! The rules behind `@policy`: a supergraph only names its policies, so
//! router.yaml (`authorization.policies`) says what meets each one. A
//! policy the supergraph names without a rule here makes the supergraph
//! unservable, so that no `@policy` field is ever left unguarded.

use std::collections::{BTreeMap, BTreeSet};

use platform::auth::Viewer;
use serde::Deserialize;

/// `authorization:` in router.yaml.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AuthorizationConfig {
    /// The rule of each policy, by the name `@policy` gives it.
    pub policies: BTreeMap<String, PolicyRule>,
}

/// What meets one policy: a signed-in caller holding every scope listed
/// (none listed: any signed-in caller).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PolicyRule {
    pub require_scopes: Vec<String>,
}

impl PolicyRule {
    fn met_by(&self, viewer: &Viewer) -> bool {
        self.require_scopes
            .iter()
            .all(|scope| viewer.has_scope(scope))
    }
}

impl AuthorizationConfig {
    /// Whether `viewer` meets the named policy; a caller without a token
    /// meets none.
    pub(super) fn meets(&self, policy: &str, viewer: Option<&Viewer>) -> bool {
        match (self.policies.get(policy), viewer) {
            (Some(rule), Some(viewer)) => rule.met_by(viewer),
            _ => false,
        }
    }

    /// Refuses a supergraph naming policies without a rule.
    pub(super) fn check_covers<'a>(
        &self,
        named: impl IntoIterator<Item = &'a String>,
    ) -> anyhow::Result<()> {
        let missing: BTreeSet<&str> = named
            .into_iter()
            .map(String::as_str)
            .filter(|name| !self.policies.contains_key(*name))
            .collect();
        anyhow::ensure!(
            missing.is_empty(),
            "the supergraph's @policy names policies router.yaml has no rule for: {} (authorization.policies)",
            missing.into_iter().collect::<Vec<_>>().join(", ")
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn viewer(scopes: &[&str]) -> Viewer {
        Viewer {
            user_id: "u".into(),
            scopes: scopes.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn a_policy_is_met_by_a_signed_in_caller_with_all_its_scopes() {
        let config: AuthorizationConfig = serde_yaml::from_str(
            "policies:\n  payroll: { require_scopes: [finance, hr] }\n  member: {}\n",
        )
        .expect("valid");
        assert!(config.meets("payroll", Some(&viewer(&["hr", "finance"]))));
        assert!(!config.meets("payroll", Some(&viewer(&["finance"]))));
        assert!(config.meets("member", Some(&viewer(&[]))));
        assert!(!config.meets("member", None));
        assert!(!config.meets("unknown", Some(&viewer(&["finance", "hr"]))));
        let names = ["payroll".to_owned(), "b".to_owned(), "a".to_owned()];
        assert_eq!(
            config
                .check_covers(&names)
                .expect_err("uncovered")
                .to_string(),
            "the supergraph's @policy names policies router.yaml has no rule for: a, b (authorization.policies)"
        );
    }
}
