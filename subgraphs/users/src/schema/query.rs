//! Query root: the viewer, the admin user list and entity resolution.

use async_graphql::{
    Context, ID, Object,
    connection::{Connection, CursorType, Edge, OpaqueCursor},
    dataloader::DataLoader,
};
use platform::{
    federation::authenticated,
    gql::{ErrorCode, internal},
};

use super::{
    guard::{current_admin, current_user},
    user::User,
};
use crate::{
    service::{Services, admin},
    store::loaders::UserLoader,
};

/// Page size when `first` is not given, and the most one page returns.
const DEFAULT_PAGE: i32 = 20;
const MAX_PAGE: i32 = 100;

pub struct Query;

#[Object]
impl Query {
    /// The signed-in user.
    #[graphql(directive = authenticated::apply())]
    async fn me(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        current_user(ctx).await.map(|u| Some(User(u)))
    }

    /// Users in sign-up order, optionally only those whose email or name
    /// contains `search`. Administrators only.
    #[graphql(requires_scopes = "admin")]
    async fn users(
        &self,
        ctx: &Context<'_>,
        search: Option<String>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<OpaqueCursor<String>, User>> {
        current_admin(ctx).await?;
        let first = first.unwrap_or(DEFAULT_PAGE);
        if !(0..=MAX_PAGE).contains(&first) {
            return Err(ErrorCode::BadUserInput.error(format!("first must be 0 to {MAX_PAGE}")));
        }
        let after = after
            .map(|cursor| {
                OpaqueCursor::<String>::decode_cursor(&cursor)
                    .map(|c| c.0)
                    .map_err(|_| {
                        ErrorCode::BadUserInput.error("after is not a cursor of this list")
                    })
            })
            .transpose()?;
        let search = search
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty());
        if search.as_ref().is_some_and(|s| s.chars().count() > 254) {
            return Err(ErrorCode::BadUserInput.error("search has at most 254 characters"));
        }
        let page = admin::users_page(
            ctx.data::<Services>()?,
            search.as_deref(),
            after.as_deref(),
            first as usize,
        )
        .await
        .map_err(internal)?;
        let mut connection = Connection::new(after.is_some(), page.has_next);
        connection.edges.extend(
            page.users
                .into_iter()
                .map(|row| Edge::new(OpaqueCursor(row.id.clone()), User(row))),
        );
        Ok(connection)
    }

    /// Resolves `User` references from other subgraphs, batched.
    #[graphql(entity)]
    async fn find_user_by_id(
        &self,
        ctx: &Context<'_>,
        #[graphql(key)] id: ID,
    ) -> async_graphql::Result<Option<User>> {
        let row = ctx
            .data::<DataLoader<UserLoader>>()?
            .load_one(id.0)
            .await
            .map_err(internal)?;
        Ok(row.map(User))
    }
}
