//! Helpers for statements whose shape depends on the input (`IN` lists,
//! optional filters), with `$n` placeholders that both engines accept.

use platform::db::placeholders;
use sqlx::{
    Any, FromRow,
    any::{AnyArguments, AnyExecutor, AnyRow},
    query::{Query, QueryAs},
};

/// A bound value of a dynamically built statement.
#[derive(Clone, Debug)]
pub enum Arg {
    Text(String),
    Int(i64),
}

/// The arguments of a statement being built; `push` returns the placeholder.
#[derive(Default)]
pub struct Args(Vec<Arg>);

impl Args {
    pub fn push(&mut self, arg: Arg) -> String {
        self.0.push(arg);
        format!("${}", self.0.len())
    }

    pub fn text(&mut self, value: impl Into<String>) -> String {
        self.push(Arg::Text(value.into()))
    }

    pub fn int(&mut self, value: i64) -> String {
        self.push(Arg::Int(value))
    }

    /// Placeholders for every value of an `IN (…)` list, numbered after
    /// the arguments pushed before it.
    pub fn list<'a>(&mut self, values: impl IntoIterator<Item = &'a String>) -> String {
        let start = self.0.len() + 1;
        self.0
            .extend(values.into_iter().map(|v| Arg::Text(v.clone())));
        placeholders(start, self.0.len() + 1 - start)
    }

    pub fn bind<'q>(
        &'q self,
        mut query: Query<'q, Any, AnyArguments<'q>>,
    ) -> Query<'q, Any, AnyArguments<'q>> {
        for arg in &self.0 {
            query = match arg {
                Arg::Text(v) => query.bind(v.as_str()),
                Arg::Int(v) => query.bind(*v),
            };
        }
        query
    }

    pub fn bind_as<'q, O>(
        &'q self,
        mut query: QueryAs<'q, Any, O, AnyArguments<'q>>,
    ) -> QueryAs<'q, Any, O, AnyArguments<'q>> {
        for arg in &self.0 {
            query = match arg {
                Arg::Text(v) => query.bind(v.as_str()),
                Arg::Int(v) => query.bind(*v),
            };
        }
        query
    }
}

/// Keys without duplicates, in first-seen order (a batch may repeat keys).
pub fn distinct(keys: &[String]) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    keys.iter()
        .filter(|k| seen.insert(k.as_str()))
        .cloned()
        .collect()
}

/// The rows `select` (`<columns> FROM <table>`) finds whose `column` is
/// one of `keys` (repeats asked once), ordered by `order`: one statement
/// for a whole batch of keys.
pub async fn rows_with<'e, T>(
    executor: impl AnyExecutor<'e>,
    select: &str,
    column: &str,
    keys: &[String],
    order: &str,
) -> sqlx::Result<Vec<T>>
where
    T: for<'r> FromRow<'r, AnyRow> + Send + Unpin,
{
    let keys = distinct(keys);
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let mut args = Args::default();
    let list = args.list(&keys);
    let sql = format!("SELECT {select} WHERE {column} IN ({list}) ORDER BY {order}");
    args.bind_as(sqlx::query_as(&sql)).fetch_all(executor).await
}

#[cfg(test)]
mod tests {
    use super::Args;

    #[test]
    fn a_list_is_numbered_after_the_arguments_before_it() {
        let mut args = Args::default();
        assert_eq!(args.int(7), "$1");
        let ids = ["a".to_owned(), "b".to_owned()];
        assert_eq!(args.list(&ids), "$2, $3");
        assert_eq!(args.text("c"), "$4");
    }
}
