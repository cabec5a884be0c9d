//! accounts: users, one of whose nicknames fails, and a mutation to route.

use async_graphql::{
    ComplexObject, Context, EmptySubscription, Error, ID, Object, Schema, SimpleObject,
};

use super::Authorization;

#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct User {
    id: ID,
    name: String,
    #[graphql(shareable)]
    username: String,
    #[graphql(inaccessible)]
    birth_year: i32,
}

#[ComplexObject]
impl User {
    /// Non-null, but fails for one user: the router must propagate the null.
    async fn nickname(&self) -> Result<String, Error> {
        if self.id.as_str() == "u2" {
            Err(Error::new("nickname is unavailable"))
        } else {
            Ok(format!("{}y", self.name.to_lowercase()))
        }
    }

    /// `@authenticated` in the supergraph.
    async fn email(&self) -> Option<String> {
        Some(format!("{}@example.com", self.username))
    }

    /// `@requiresScopes` in the supergraph.
    async fn internal_notes(&self) -> Option<String> {
        Some(format!("notes on {}", self.username))
    }
}

fn users() -> Vec<User> {
    [
        ("u1", "Ada", "ada", 1815),
        ("u2", "Alan", "alan", 1912),
        ("u3", "Grace", "grace", 1906),
    ]
    .into_iter()
    .map(|(id, name, username, birth_year)| User {
        id: ID(id.into()),
        name: name.into(),
        username: username.into(),
        birth_year,
    })
    .collect()
}

pub struct AccountsQuery;

#[Object(name = "Query")]
impl AccountsQuery {
    async fn me(&self, ctx: &Context<'_>) -> Option<User> {
        // Only a caller that sent a bearer token is someone.
        ctx.data_opt::<Authorization>()
            .filter(|a| a.0.starts_with("Bearer "))?;
        users().into_iter().next()
    }

    async fn user(&self, id: ID) -> Option<User> {
        users().into_iter().find(|u| u.id == id)
    }

    async fn users(&self) -> Vec<User> {
        users()
    }

    #[graphql(entity)]
    async fn find_user_by_id(&self, id: ID) -> Option<User> {
        users().into_iter().find(|u| u.id == id)
    }
}

pub struct AccountsMutation;

#[Object(name = "Mutation")]
impl AccountsMutation {
    /// Stateless on purpose: the tests only need a mutation to route.
    async fn update_name(&self, id: ID, name: String) -> Option<User> {
        let mut user = users().into_iter().find(|u| u.id == id)?;
        user.name = name;
        Some(user)
    }
}

pub fn accounts() -> Schema<AccountsQuery, AccountsMutation, EmptySubscription> {
    Schema::build(AccountsQuery, AccountsMutation, EmptySubscription)
        .enable_federation()
        .finish()
}
