//! What the executor's unit tests share: response trees written as
//! `serde_json::json!` literals, and type relations by name alone.

use super::data::TypeRelations;

/// A [`super::Value`] written as `serde_json::json!` literals are.
macro_rules! json {
    ($($json:tt)+) => {
        $crate::execute::Value::from(&serde_json::json!($($json)+))
    };
}
pub(crate) use json;

/// A type satisfies only a condition naming it.
pub struct Exact;

impl TypeRelations for Exact {
    fn satisfies(&self, concrete: &str, condition: &str) -> bool {
        concrete == condition
    }
}
