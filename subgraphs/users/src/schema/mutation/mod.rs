//! Mutation root, merged from one object per concern.

mod account;
mod address_book;
mod admin;
mod session;

use async_graphql::MergedObject;

#[derive(MergedObject, Default)]
pub struct Mutation(
    session::SessionMutation,
    account::AccountMutation,
    address_book::AddressBookMutation,
    admin::AdminMutation,
);
