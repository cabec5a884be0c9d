//! `User`, the entity this subgraph owns. `name` is public (reviews show
//! it); the rest only the user themself or an administrator sees.

use async_graphql::{Context, Enum, ID, Object, dataloader::DataLoader};
use platform::{federation::authenticated, gql::internal};

use super::{address::Address, guard::require_self_or_admin};
use crate::{
    domain,
    store::{loaders::AddressesLoader, users::UserRow},
};

pub struct User(pub UserRow);

// `remote` derives the conversions to and from the domain's roles.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "domain::Role")]
pub enum Role {
    Customer,
    Admin,
}

#[Object]
impl User {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    #[graphql(directive = authenticated::apply())]
    async fn email(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<&str>> {
        require_self_or_admin(ctx, &self.0.id)?;
        Ok(Some(&self.0.email))
    }

    #[graphql(directive = authenticated::apply())]
    async fn role(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Role>> {
        require_self_or_admin(ctx, &self.0.id)?;
        Ok(Some(self.0.role.into()))
    }

    /// Whether an administrator froze the account (it cannot sign in).
    #[graphql(directive = authenticated::apply())]
    async fn frozen(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<bool>> {
        require_self_or_admin(ctx, &self.0.id)?;
        Ok(Some(self.0.is_frozen()))
    }

    /// The address book, oldest first.
    #[graphql(directive = authenticated::apply())]
    async fn addresses(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Vec<Address>>> {
        require_self_or_admin(ctx, &self.0.id)?;
        Ok(Some(
            self.book(ctx).await?.into_iter().map(Address).collect(),
        ))
    }

    /// The address orders ship to unless told otherwise.
    #[graphql(directive = authenticated::apply())]
    async fn default_address(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Address>> {
        require_self_or_admin(ctx, &self.0.id)?;
        Ok(self
            .book(ctx)
            .await?
            .into_iter()
            .find(|a| a.is_default)
            .map(Address))
    }
}

impl User {
    async fn book(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<crate::store::addresses::AddressRow>> {
        Ok(ctx
            .data::<DataLoader<AddressesLoader>>()?
            .load_one(self.0.id.clone())
            .await
            .map_err(internal)?
            .unwrap_or_default())
    }
}
