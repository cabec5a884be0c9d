//! The signed-in user's address book.

use async_graphql::{Context, ID, Object};
use platform::federation::authenticated;

use crate::{
    domain::AddressInputRaw,
    schema::{
        address::Address,
        guard::current_user,
        inputs::{AddressInput, UpdateAddressInput},
        payloads::{AddressPayload, RemoveAddressPayload},
        user::User,
    },
    service::{Services, address_book, error::into_payload},
    store::addresses::AddressRow,
};

#[derive(Default)]
pub struct AddressBookMutation;

fn address_payload(
    user: crate::store::users::UserRow,
    result: crate::service::error::Result<AddressRow>,
) -> async_graphql::Result<AddressPayload> {
    let (address, errors) = into_payload(result)?;
    Ok(AddressPayload {
        address: address.map(Address),
        user: Some(User(user)),
        errors,
    })
}

#[Object]
impl AddressBookMutation {
    /// Adds an address; the first one becomes the default.
    #[graphql(directive = authenticated::apply())]
    async fn add_address(
        &self,
        ctx: &Context<'_>,
        input: AddressInput,
    ) -> async_graphql::Result<AddressPayload> {
        let user = current_user(ctx).await?;
        let services = ctx.data::<Services>()?;
        let raw = AddressInputRaw::from(&input);
        let result = address_book::add(services, &user.id, raw, input.make_default).await;
        address_payload(user, result)
    }

    #[graphql(directive = authenticated::apply())]
    async fn update_address(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: UpdateAddressInput,
    ) -> async_graphql::Result<AddressPayload> {
        let user = current_user(ctx).await?;
        let services = ctx.data::<Services>()?;
        let result = address_book::update(services, &user.id, &id, |raw| input.apply(raw)).await;
        address_payload(user, result)
    }

    /// Removes an address; if it was the default, the oldest remaining
    /// address becomes the default.
    #[graphql(directive = authenticated::apply())]
    async fn remove_address(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<RemoveAddressPayload> {
        let user = current_user(ctx).await?;
        let services = ctx.data::<Services>()?;
        let (removed, errors) = into_payload(address_book::remove(services, &user.id, &id).await)?;
        Ok(RemoveAddressPayload {
            removed_id: removed.map(|()| id),
            user: Some(User(user)),
            errors,
        })
    }

    #[graphql(directive = authenticated::apply())]
    async fn set_default_address(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<AddressPayload> {
        let user = current_user(ctx).await?;
        let services = ctx.data::<Services>()?;
        let result = address_book::set_default(services, &user.id, &id).await;
        address_payload(user, result)
    }
}
